/*
 * ledger.c - the submission ledger read and checked (see ledger.h for the line format).
 *
 * Owns the reading side: a line parsed into its fields (%XX decoded), every complete line
 * and the chain checked (each line's hash covers the previous line's hash, so an edit, a
 * removal or a reordering shows at the line where it happened; a torn last line, the only
 * one that may lack its '\n', is told apart from tampering), ledger_read(), ledger_verify()
 * and ledger_return_sha256(). Writing (open, lock, append, the torn tail's repair and the
 * not-durable marker) is ledger_write.c's; what the two share is in ledger_int.h.
 */
#include "ledger.h"

#include "ledger_int.h"
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

/* " prev=" 64 hex " hash=" 64 hex */
#define SUFFIX_LEN (6 + SHA256_HEX_LEN + 6 + SHA256_HEX_LEN)

enum {
    F_N,
    F_TIME,
    F_SERVICE,
    F_PERIOD,
    F_SEQ,
    F_EVENT,
    F_SOURCE_RETURN_ID,
    F_RETURN_SHA256,
    F_PART,
    F_SHA256,
    F_BYTES,
    F_RUN,
    F_SEAL, /* optional when read: lines written before it have none */
    F_HTTP,
    F_RESULT,
    F_ANSWER, /* free text up to " prev=" */
    F_COUNT
};

static const char *const field_names[F_COUNT] = {
    "n",    "time",   "service", "period", "seq",  "event", "source_return_id", "return_sha256",
    "part", "sha256", "bytes",   "run",    "seal", "http",  "result",           "answer"};

static int
hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes s[0..n) (%XX) into a new string; NULL if an escape is malformed. */
static char *
decode(const char *s, size_t n)
{
    char *out = xmalloc(n + 1), *o = out;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            if (i + 2 >= n || hexval((unsigned char)s[i + 1]) < 0 ||
                hexval((unsigned char)s[i + 2]) < 0) {
                free(out);
                return NULL;
            }
            *o++ = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        } else
            *o++ = s[i];
    }
    *o = '\0';
    return out;
}

static int
is_hex64(const char *s)
{
    for (int i = 0; i < SHA256_HEX_LEN; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* "-" is 0; otherwise digits only. Returns -1 on anything else. */
static int
parse_number(const char *s, unsigned long long *out)
{
    unsigned long long v = 0;

    if (strcmp(s, "-") == 0) {
        *out = 0;
        return 0;
    }
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 19)
        return -1;
    for (; *s; s++)
        v = v * 10 + (unsigned long long)(*s - '0');
    *out = v;
    return 0;
}

void
ledger_entry_release(struct ledger_entry *e)
{
    free(e->service);
    free(e->period);
    free(e->event);
    free(e->source_return_id);
    free(e->return_sha256);
    free(e->part);
    free(e->sha256);
    free(e->run);
    free(e->seal);
    free(e->result);
    free(e->answer);
    memset(e, 0, sizeof(*e));
}

/* Parses one line (without its '\n') into e; 0 or -1 (not a ledger line). */
int
ledger_parse_line(const char *line, size_t len, struct ledger_entry *e)
{
    const char *suffix, *p = line, *end;
    char *v[F_COUNT] = {0};
    unsigned long long num;
    int rc = -1;

    memset(e, 0, sizeof(*e));
    if (len < SUFFIX_LEN + 1 || memchr(line, '\0', len))
        return -1;
    suffix = line + len - SUFFIX_LEN;
    if (memcmp(suffix, " prev=", 6) != 0 || !is_hex64(suffix + 6) ||
        memcmp(suffix + 6 + SHA256_HEX_LEN, " hash=", 6) != 0 ||
        !is_hex64(suffix + 12 + SHA256_HEX_LEN))
        return -1;
    end = suffix;
    for (int f = 0; f < F_COUNT; f++) {
        size_t klen = strlen(field_names[f]);
        const char *stop;
        if (f > 0) {
            if (p >= end || *p != ' ')
                goto done;
            p++;
        }
        if (f == F_SEAL && ((size_t)(end - p) < klen + 1 || memcmp(p, field_names[f], klen) != 0 ||
                            p[klen] != '=')) {
            v[f] = xstrdup("-"); /* a line from before the seal */
            p--;                 /* the space before the next field */
            continue;
        }
        if ((size_t)(end - p) < klen + 1 || memcmp(p, field_names[f], klen) != 0 || p[klen] != '=')
            goto done;
        p += klen + 1;
        stop = f == F_ANSWER ? end : memchr(p, ' ', (size_t)(end - p));
        if (!stop)
            stop = end;
        if (stop == p || (f != F_ANSWER && memchr(p, ' ', (size_t)(stop - p))))
            goto done;
        if (!(v[f] = decode(p, (size_t)(stop - p))))
            goto done;
        p = stop;
    }
    if (p != end)
        goto done;
    if (parse_number(v[F_N], &e->n) != 0 || e->n == 0 || strlen(v[F_TIME]) != 20 ||
        parse_number(v[F_BYTES], &e->bytes) != 0)
        goto done;
    if (parse_number(v[F_SEQ], &num) != 0)
        goto done;
    e->seq = (unsigned long)num;
    if (parse_number(v[F_HTTP], &num) != 0 || num > 999)
        goto done;
    e->http = (long)num;
    memcpy(e->time, v[F_TIME], 21);
    e->service = v[F_SERVICE];
    e->period = v[F_PERIOD];
    e->event = v[F_EVENT];
    e->source_return_id = v[F_SOURCE_RETURN_ID];
    e->return_sha256 = v[F_RETURN_SHA256];
    e->part = v[F_PART];
    e->sha256 = v[F_SHA256];
    e->run = v[F_RUN];
    e->seal = v[F_SEAL];
    e->result = v[F_RESULT];
    e->answer = v[F_ANSWER];
    v[F_SERVICE] = v[F_PERIOD] = v[F_EVENT] = v[F_SOURCE_RETURN_ID] = v[F_RETURN_SHA256] =
        v[F_PART] = v[F_SHA256] = v[F_RUN] = v[F_SEAL] = v[F_RESULT] = v[F_ANSWER] = NULL;
    memcpy(e->prev, suffix + 6, SHA256_HEX_LEN);
    e->prev[SHA256_HEX_LEN] = '\0';
    memcpy(e->hash, suffix + 12 + SHA256_HEX_LEN, SHA256_HEX_LEN);
    e->hash[SHA256_HEX_LEN] = '\0';
    rc = 0;
done:
    for (int f = 0; f < F_COUNT; f++)
        free(v[f]);
    if (rc != 0)
        ledger_entry_release(e);
    return rc;
}

void
ledger_hash_bytes(const char *s, size_t n, char out[SHA256_HEX_LEN + 1])
{
    struct sha256 h;

    sha256_init(&h);
    sha256_update(&h, s, n);
    sha256_final_hex(&h, out);
    sha256_release(&h);
}

/* Checks every complete line of buf and the chain. Entries go to *out (if not NULL),
 * *complete gets the length of the complete lines, head the last hash. */
int
ledger_check_all(const char *path, const char *buf, size_t len, struct ledger_entry **out,
                 size_t *nout, size_t *complete, char head[SHA256_HEX_LEN + 1],
                 struct yj_error *err)
{
    const char *line = buf, *nl;
    unsigned long long lineno = 0;
    struct ledger_entry *es = NULL;
    size_t n = 0, cap = 0;
    int rc = YJ_OK;

    memcpy(head, ZERO_HASH, SHA256_HEX_LEN + 1);
    while ((nl = memchr(line, '\n', len - (size_t)(line - buf))) != NULL) {
        struct ledger_entry e;
        char want[SHA256_HEX_LEN + 1];
        size_t ll = (size_t)(nl - line);

        lineno++;
        if (ledger_parse_line(line, ll, &e) != 0) {
            rc = yj_error_set(err, YJ_EX_IOERR, "ledger '%s' line %llu is not a ledger entry", path,
                              lineno);
            break;
        }
        ledger_hash_bytes(line, ll - (6 + SHA256_HEX_LEN), want);
        if (strcmp(want, e.hash) != 0)
            rc = yj_error_set(err, YJ_EX_IOERR,
                              "ledger '%s' line %llu does not match its hash: the line was "
                              "changed",
                              path, lineno);
        else if (e.n != lineno)
            rc = yj_error_set(
                err, YJ_EX_IOERR, "ledger '%s' line %llu holds entry n=%llu: %s", path, lineno, e.n,
                e.n > lineno ? "an entry before it was removed" : "an entry was added or repeated");
        else if (strcmp(e.prev, head) != 0)
            rc = yj_error_set(err, YJ_EX_IOERR,
                              "ledger '%s' line %llu does not chain to line %llu: a line "
                              "before it was changed, removed or reordered",
                              path, lineno, lineno - 1);
        if (rc != YJ_OK) {
            ledger_entry_release(&e);
            break;
        }
        memcpy(head, e.hash, SHA256_HEX_LEN + 1);
        if (out) {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                es = xrealloc(es, cap * sizeof(*es));
            }
            es[n++] = e;
        } else
            ledger_entry_release(&e);
        line = nl + 1;
    }
    if (rc != YJ_OK) {
        yj_error_hint(err, "the ledger is append-only: restore it from a backup; nothing is "
                           "submitted while it does not verify");
        for (size_t i = 0; i < n; i++)
            ledger_entry_release(&es[i]);
        free(es);
        return rc;
    }
    *complete = (size_t)(line - buf);
    if (out) {
        *out = es;
        *nout = n;
    }
    return YJ_OK;
}

/* Reads the whole open file into a new buffer; *len gets its size. */
int
ledger_read_all(int fd, const char *path, char **out, size_t *len, struct yj_error *err)
{
    struct stat st;
    char *b;
    size_t got = 0;

    if (fstat(fd, &st) != 0)
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not stat ledger '%s'", path);
    b = xmalloc((size_t)st.st_size + 1);
    while (got < (size_t)st.st_size) {
        ssize_t k = pread(fd, b + got, (size_t)st.st_size - got, (off_t)got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            free(b);
            return yj_error_errno(err, YJ_EX_IOERR, k < 0 ? errno : EIO,
                                  "could not read ledger '%s'", path);
        }
        got += (size_t)k;
    }
    b[got] = '\0';
    *out = b;
    *len = got;
    return YJ_OK;
}

int
ledger_read(const char *path, struct ledger_check *out, struct ledger_entry **entries,
            size_t *nentries, struct yj_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    char *b = NULL;
    size_t len = 0, complete = 0, n = 0;
    struct ledger_entry *es = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    *entries = NULL;
    *nentries = 0;
    if (fd < 0)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not open ledger '%s'", path);
    rc = ledger_read_all(fd, path, &b, &len, err);
    close(fd);
    if (rc == YJ_OK)
        rc = ledger_check_all(path, b, len, &es, &n, &complete, out->head, err);
    if (rc == YJ_OK) {
        out->entries = n;
        out->torn_bytes = len - complete;
        *entries = es;
        *nentries = n;
    } else {
        ledger_entries_free(es, n);
    }
    free(b);
    return rc;
}

void
ledger_entries_free(struct ledger_entry *es, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ledger_entry_release(&es[i]);
    free(es);
}

int
ledger_verify(const char *path, struct ledger_check *out, struct yj_error *err)
{
    struct ledger_entry *es;
    size_t n;
    int rc = ledger_read(path, out, &es, &n, err);

    ledger_entries_free(es, n);
    return rc;
}

void
ledger_return_sha256(const char *const sha[], size_t n, char out[SHA256_HEX_LEN + 1])
{
    struct sha256 h;

    if (n == 1) {
        memcpy(out, sha[0], SHA256_HEX_LEN);
        out[SHA256_HEX_LEN] = '\0';
        return;
    }
    sha256_init(&h);
    for (size_t i = 0; i < n; i++) {
        sha256_update(&h, sha[i], strlen(sha[i]));
        sha256_update(&h, "\n", 1);
    }
    sha256_final_hex(&h, out);
    sha256_release(&h);
}
