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

void
sha256_final_hex(struct sha256 *h, char hex[SHA256_HEX_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[32];
    unsigned int len = 0;

    EVP_DigestFinal_ex(h->ctx, md, &len);
    for (unsigned int i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[SHA256_HEX_LEN] = '\0';
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
