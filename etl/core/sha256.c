/*
 * sha256.c - SHA-256 over OpenSSL's EVP interface.
 */
#include "sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "banned.h"

void
sha256_init(struct sha256 *h)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();

    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        fprintf(stderr, "fatal: could not initialise SHA-256\n");
        exit(70);
    }
    h->ctx = ctx;
}

void
sha256_update(struct sha256 *h, const void *data, size_t len)
{
    if (h->ctx && len)
        EVP_DigestUpdate(h->ctx, data, len);
}

/* RAW's 32 bytes as 64 lower-case hex digits and a NUL. */
static void
hex32(const unsigned char raw[32], char out[SHA256_HEX_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";

    for (unsigned int i = 0; i < 32; i++) {
        out[2 * i] = digits[raw[i] >> 4];
        out[2 * i + 1] = digits[raw[i] & 15];
    }
    out[SHA256_HEX_LEN] = '\0';
}

void
sha256_final_hex(struct sha256 *h, char hex[SHA256_HEX_LEN + 1])
{
    unsigned char md[32];
    unsigned int len = 0;

    EVP_DigestFinal_ex(h->ctx, md, &len);
    hex32(md, hex);
    sha256_release(h);
}

void
sha256_release(struct sha256 *h)
{
    if (h->ctx)
        EVP_MD_CTX_free(h->ctx);
    h->ctx = NULL;
}

int
sha256_file(const char *path, char hex[SHA256_HEX_LEN + 1], unsigned long long *bytes)
{
    struct sha256 h;
    char buf[1 << 16];
    size_t n;
    FILE *f = fopen(path, "rb");
    int e;

    if (!f)
        return -1;
    sha256_init(&h);
    *bytes = 0;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        sha256_update(&h, buf, n);
        *bytes += n;
    }
    e = ferror(f) ? EIO : 0;
    fclose(f);
    if (e) {
        sha256_release(&h);
        errno = e;
        return -1;
    }
    sha256_final_hex(&h, hex);
    return 0;
}

static int
b64val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' || c == '-' ? 62 : c == '/' || c == '_' ? 63 : -1;
}

void
sha256_hex_from_base64(const char *s, size_t n, char out[SHA256_HEX_LEN + 1])
{
    unsigned char raw[33];
    unsigned int acc = 0;
    size_t got = 0;
    int bits = 0;

    out[0] = '\0';
    while (n > 0 && s[n - 1] == '=')
        n--;
    for (size_t i = 0; i < n; i++) {
        int v = b64val((unsigned char)s[i]);
        if (v < 0)
            return;
        acc = (acc << 6) | (unsigned int)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (got == sizeof(raw))
                return;
            raw[got++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (got == 32)
        hex32(raw, out);
}
