/*
 * test_sha256.c - SHA-256 in hex, and a receiver's base64 digest read as hex
 * (etl/core/sha256.c).
 *
 * Vectors: SHA-256("abc") and SHA-256(""), as FIPS 180-2 gives them, encoded in base64 by
 * hand-checked tools in both alphabets: standard (+ /) and URL-safe (- _), with and without
 * padding. Anything but 32 bytes of base64 reads as "" (no digest offered).
 */
#include "sha256.h"

#include <criterion/criterion.h>
#include <string.h>

#define ABC_HEX "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define EMPTY_HEX "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static const char *
hex_of(const char *b64)
{
    static char out[SHA256_HEX_LEN + 1];
    sha256_hex_from_base64(b64, strlen(b64), out);
    return out;
}

Test(sha256, hex_of_abc)
{
    struct sha256 h;
    char hex[SHA256_HEX_LEN + 1];

    sha256_init(&h);
    sha256_update(&h, "abc", 3);
    sha256_final_hex(&h, hex);
    cr_assert_str_eq(hex, ABC_HEX);
}

Test(sha256, base64_digests_in_both_alphabets)
{
    cr_assert_str_eq(hex_of("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="), ABC_HEX);
    cr_assert_str_eq(hex_of("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0="), ABC_HEX);
    cr_assert_str_eq(hex_of("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0"), ABC_HEX);
    cr_assert_str_eq(hex_of("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="), EMPTY_HEX);
}

Test(sha256, anything_but_32_bytes_of_base64_is_no_digest)
{
    cr_assert_str_eq(hex_of(""), "");
    cr_assert_str_eq(hex_of("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa"), "");     /* 31 bytes */
    cr_assert_str_eq(hex_of("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0AAA"), ""); /* 34 */
    cr_assert_str_eq(hex_of("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD*YfIAFa0="), "");   /* '*' */
    cr_assert_str_eq(hex_of("ungWv48Bz pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="), "");
}
