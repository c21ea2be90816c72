/*
 * vinput.c - the return read once: every byte yj-validate reads of it is hashed as it is read,
 * so the SHA-256 the report gives (and that yj-submit checks against the MANIFEST) costs no
 * second pass over the file.
 *
 * The peek at the root's schemaVersion (a reader that stops at the root element) reads the
 * file's first bytes through vinput_read(); they are kept and handed to the parser first
 * (vinput_replay), so they are not read again. A return whose root element starts more than
 * VINPUT_REPLAY_MAX bytes in (a huge comment before it) is read again from its start instead,
 * and only the bytes not hashed yet are hashed. A read that fails keeps its errno for the
 * driver's message; the driver owns the FILE's lifetime through vinput_release().
 */
#include "validate_int.h"

#include "mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define VINPUT_REPLAY_MAX (1 << 20)

int
vinput_open(struct vinput *in, const char *file)
{
    memset(in, 0, sizeof(*in));
    sha256_init(&in->hash);
    in->keep = 1;
    in->fp = fopen(file, "rb");
    if (!in->fp)
        in->err = errno;
    return in->fp ? 0 : -1;
}

size_t
vinput_read(struct vinput *in, char *buf, size_t len)
{
    size_t n;

    if (!in->fp || in->err)
        return 0;
    n = fread(buf, 1, len, in->fp);
    if (n < len && ferror(in->fp)) {
        in->err = errno ? errno : EIO;
        return 0;
    }
    if (in->pos + n > in->hashed) {
        size_t skip = (size_t)(in->hashed > in->pos ? in->hashed - in->pos : 0);
        sha256_update(&in->hash, buf + skip, n - skip);
        in->hashed = in->pos + n;
    }
    in->pos += n;
    if (in->keep && n) {
        if (in->replay_len + n > VINPUT_REPLAY_MAX) {
            in->keep = 0;
            in->overflow = 1;
        } else {
            in->replay = xrealloc(in->replay, in->replay_len + n);
            memcpy(in->replay + in->replay_len, buf, n);
            in->replay_len += n;
        }
    }
    return n;
}

int
vinput_read_xml(void *ctx, char *buf, int len)
{
    struct vinput *in = ctx;
    size_t n = vinput_read(in, buf, len > 0 ? (size_t)len : 0);

    return in->err ? -1 : (int)n;
}

int
vinput_replay(struct vinput *in, const char **bytes, size_t *len)
{
    in->keep = 0;
    *bytes = NULL;
    *len = 0;
    if (in->overflow) {
        /* read again from the start: what was hashed stays hashed */
        if (fseek(in->fp, 0, SEEK_SET) != 0) {
            in->err = errno;
            return -1;
        }
        in->pos = 0;
        return 0;
    }
    *bytes = in->replay;
    *len = in->replay_len;
    return 0;
}

int
vinput_finish(struct vinput *in, char hex[SHA256_HEX_LEN + 1])
{
    char buf[1 << 16];

    while (vinput_read(in, buf, sizeof(buf)) > 0)
        ; /* a parse that stopped early: the rest is hashed all the same */
    if (in->err)
        return -1;
    sha256_final_hex(&in->hash, hex);
    return 0;
}

void
vinput_release(struct vinput *in)
{
    if (in->fp)
        fclose(in->fp);
    sha256_release(&in->hash);
    free(in->replay);
    memset(in, 0, sizeof(*in));
}
