/*
 * sha256.h - streaming SHA-256 (OpenSSL's EVP underneath) and hex formatting.
 */
#ifndef YJ_SHA256_H
#define YJ_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

struct sha256 {
    void *ctx; /* EVP_MD_CTX, owned */
};

void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
/* Writes 64 hex digits and a NUL into hex; the context is released afterwards. */
void sha256_final_hex(struct sha256 *h, char hex[SHA256_HEX_LEN + 1]);
void sha256_release(struct sha256 *h);
/* Hashes a whole file. Returns 0, or -1 with errno set. */
int sha256_file(const char *path, char hex[SHA256_HEX_LEN + 1], unsigned long long *bytes);

/* The 64 hex of the 32 bytes that the base64 text S[0..N) (standard or URL-safe alphabet,
 * padding optional) decodes to: a receiver's digest header. "" when it is not exactly 32 bytes
 * of base64. */
void sha256_hex_from_base64(const char *s, size_t n, char out[SHA256_HEX_LEN + 1]);

#endif
