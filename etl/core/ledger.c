/*
 * ledger.c - the submission ledger (see ledger.h for the line format).
 *
 * Plain text, appended with one write() per line under an exclusive flock(), then fsync of
 * the file and of its folder: an entry is on disk before the next step happens. The chain
 * (each line's hash covers the previous line's hash) makes an edit, a removal or a
 * reordering visible at the line where it happened; a torn last line (a crash mid-append) is
 * told apart from tampering because it is the only line that may lack its '\n'.
 *
 * A write that is not known to have reached the disk (a failed fsync above all: the kernel
 * may then mark the pages clean without writing them, and a later fsync may succeed) leaves
 * a marker, "<ledger>.dirty"; ledger_open() refuses the ledger while it is there, and only
 * ledger_mark_durable() (yj-run --verify) reads the ledger back, writes it again, syncs it and
 * removes the marker.
 */
#include "ledger.h"

#include "atomic.h"
#include "rundir.h"
#include "mem.h"
#include "seal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
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

struct buf {
    char *p;
    size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Appends "key=value", value %XX-encoded: '%', control bytes, bytes above 0x7e and (unless
 * spaces_ok) spaces. NULL or "" is written "-". */
static void
add_field(struct buf *b, const char *key, const char *value, int spaces_ok)
{
    static const char hex[] = "0123456789ABCDEF";

    if (b->len)
        buf_add(b, " ", 1);
    buf_add(b, key, strlen(key));
    buf_add(b, "=", 1);
    if (!value || !*value) {
        buf_add(b, "-", 1);
        return;
    }
    for (const unsigned char *s = (const unsigned char *)value; *s; s++) {
        if (*s == '%' || *s < 0x20 || *s > 0x7e || (*s == ' ' && !spaces_ok)) {
            char e[3] = {'%', hex[*s >> 4], hex[*s & 15]};
            buf_add(b, e, 3);
        } else
            buf_add(b, (const char *)s, 1);
    }
}

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

static void
entry_release(struct ledger_entry *e)
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
static int
parse_line(const char *line, size_t len, struct ledger_entry *e)
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
        entry_release(e);
    return rc;
}

static void
hash_bytes(const char *s, size_t n, char out[SHA256_HEX_LEN + 1])
{
    struct sha256 h;

    sha256_init(&h);
    sha256_update(&h, s, n);
    sha256_final_hex(&h, out);
    sha256_release(&h);
}

/* Checks every complete line of buf and the chain. Entries go to *out (if not NULL),
 * *complete gets the length of the complete lines, head the last hash. */
static int
check_all(const char *path, const char *buf, size_t len, struct ledger_entry **out, size_t *nout,
          size_t *complete, char head[SHA256_HEX_LEN + 1], struct yj_error *err)
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
        if (parse_line(line, ll, &e) != 0) {
            rc = yj_error_set(err, YJ_EX_IOERR, "ledger '%s' line %llu is not a ledger entry", path,
                              lineno);
            break;
        }
        hash_bytes(line, ll - (6 + SHA256_HEX_LEN), want);
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
            entry_release(&e);
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
            entry_release(&e);
        line = nl + 1;
    }
    if (rc != YJ_OK) {
        yj_error_hint(err, "the ledger is append-only: restore it from a backup; nothing is "
                           "submitted while it does not verify");
        for (size_t i = 0; i < n; i++)
            entry_release(&es[i]);
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
static int
read_all(int fd, const char *path, char **out, size_t *len, struct yj_error *err)
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
    rc = read_all(fd, path, &b, &len, err);
    close(fd);
    if (rc == YJ_OK)
        rc = check_all(path, b, len, &es, &n, &complete, out->head, err);
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
        entry_release(&es[i]);
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

/* Now, UTC: "2025-07-15T10:00:00Z", or "20250715T100000Z" when compact. */
static void
utc_now(char *buf, size_t n, int compact)
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    if (compact)
        strftime(buf, n, "%Y%m%dT%H%M%SZ", &tm);
    else
        strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "<ledger>.dirty": made beside the ledger when a write to it is not known durable (see
 * ledger.h); malloc'd. */
static char *
marker_path(const char *path)
{
    size_t n = strlen(path) + sizeof(".dirty");
    char *m = xmalloc(n);

    snprintf(m, n, "%s.dirty", path);
    return m;
}

/* After a write to the ledger that is not known to have reached the disk (WHAT failed, with
 * ERRNUM): makes the marker, so that nothing more is appended until the ledger has been read
 * back (ledger_mark_durable()), and says so in err's detail and hint (its message, the first
 * failure, is kept). The marker is one line of text: when and what failed, never an entry. */
static void
mark_dirty(const char *path, const char *what, int errnum, struct yj_error *err)
{
    char *m = marker_path(path), line[512], when[24];
    struct yj_error ignored;
    int fd, made = 0, why = 0;
    size_t len;

    utc_now(when, sizeof(when), 0);
    len = (size_t)snprintf(line, sizeof(line), "%s %s: %s\n", when, what,
                           errnum ? strerror(errnum) : "unknown error");
    if (len >= sizeof(line))
        len = sizeof(line) - 1;
    fd = open(m, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, rundir_mode(RD_LEDGER_DIRTY));
    if (fd < 0)
        why = errno;
    else {
        ssize_t w = write(fd, line, len); /* the marker's existence is what counts */
        (void)w;
        made = 1;
        (void)fsync(fd);
        close(fd);
        yj_error_init(&ignored);
        (void)fsync_parent_dir(m, &ignored);
    }
    if (made)
        yj_error_detail(err,
                        "the ledger's last write is not known to be on disk; '%s' now marks it, "
                        "and nothing more is appended to it until yj-run --verify has read it "
                        "back",
                        m);
    else
        yj_error_detail(err,
                        "the ledger's last write is not known to be on disk, and the marker '%s' "
                        "could not be made either (%s): submit nothing more until yj-run "
                        "--verify has read the ledger back",
                        m, strerror(why));
    yj_error_hint(err, "free space or mend the disk, then run yj-run --verify: it reads the ledger "
                       "back, writes it to the disk again and removes the marker");
    free(m);
}

/* YJ_EX_IOERR while the marker of an earlier write not known durable is there. */
static int
check_marker(const char *path, struct yj_error *err)
{
    char *m = marker_path(path), line[512] = "";
    struct stat st;
    int rc = YJ_OK;

    if (lstat(m, &st) == 0) {
        FILE *f = fopen(m, "r");
        if (f) {
            if (!fgets(line, sizeof(line), f))
                line[0] = '\0';
            fclose(f);
        }
        line[strcspn(line, "\n")] = '\0';
        for (char *c = line; *c; c++)
            if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
                *c = '?';
        rc = yj_error_set(err, YJ_EX_IOERR,
                          "ledger '%s' is not known to be on disk: a write to it failed%s%s%s; "
                          "nothing is appended to it until yj-run --verify has read it back",
                          path, line[0] ? " (" : "", line, line[0] ? ")" : "");
        yj_error_detail(err, "'%s' marks it", m);
        yj_error_hint(err, "free space or mend the disk, then run yj-run --verify: it reads the "
                           "ledger back, writes it to the disk again and removes the marker");
    } else if (errno != ENOENT)
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not look for the marker '%s'", m);
    free(m);
    return rc;
}

int
ledger_mark_durable(const char *path, int *was_dirty, struct yj_error *err)
{
    char *m = marker_path(path), *b = NULL, head[SHA256_HEX_LEN + 1];
    size_t len = 0, complete = 0, done = 0;
    struct stat st;
    int fd = -1, rc = YJ_OK;

    *was_dirty = 0;
    if (lstat(m, &st) != 0) {
        if (errno != ENOENT)
            rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not look for the marker '%s'", m);
        free(m);
        return rc;
    }
    *was_dirty = 1;
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        rc =
            yj_error_errno(err, YJ_EX_IOERR, errno,
                           "could not open ledger '%s' to read it back after a failed write", path);
        goto done;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        rc = errno == EWOULDBLOCK
                 ? yj_error_set(err, YJ_EX_LOCKED,
                                "another submission holds the ledger '%s': it was not read back",
                                path)
                 : yj_error_errno(err, YJ_EX_IOERR, errno, "could not lock ledger '%s'", path);
        goto done;
    }
    if ((rc = read_all(fd, path, &b, &len, err)) != YJ_OK ||
        (rc = check_all(path, b, len, NULL, NULL, &complete, head, err)) != YJ_OK)
        goto done;
    /* the same bytes, written again: what was read back is what reaches the disk (after a
     * failed write-back the page cache may hold lines the disk does not) */
    while (done < len) {
        ssize_t k = pwrite(fd, b + done, len - done, (off_t)done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            rc = yj_error_errno(err, YJ_EX_IOERR, k < 0 ? errno : EIO,
                                "could not write ledger '%s' back", path);
            goto done;
        }
        done += (size_t)k;
    }
    if (fsync(fd) != 0) {
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not sync ledger '%s'", path);
        goto done;
    }
    if ((rc = fsync_parent_dir(path, err)) != YJ_OK)
        goto done;
    if (unlink(m) != 0) {
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not remove the marker '%s'", m);
        goto done;
    }
    rc = fsync_parent_dir(m, err);
done:
    if (rc != YJ_OK)
        yj_error_detail(err,
                        "'%s' stays: nothing is appended to the ledger until it is read "
                        "back whole and on disk",
                        m);
    if (fd >= 0)
        close(fd);
    free(b);
    free(m);
    return rc;
}

int
ledger_append(struct ledger *lg, const struct ledger_entry *in, struct yj_error *err)
{
    struct buf b = {0};
    char num[32], seq[32], bytes[32], http[16], when[24], hash[SHA256_HEX_LEN + 1];
    struct ledger_entry e;
    size_t done = 0;
    int rc = YJ_OK;

    snprintf(num, sizeof(num), "%llu", (unsigned long long)lg->n + 1);
    snprintf(seq, sizeof(seq), "%lu", in->seq);
    snprintf(bytes, sizeof(bytes), "%llu", in->bytes);
    snprintf(http, sizeof(http), "%ld", in->http);
    utc_now(when, sizeof(when), 0);
    add_field(&b, "n", num, 0);
    add_field(&b, "time", when, 0);
    add_field(&b, "service", in->service, 0);
    add_field(&b, "period", in->period, 0);
    add_field(&b, "seq", in->seq ? seq : NULL, 0);
    add_field(&b, "event", in->event, 0);
    add_field(&b, "source_return_id", in->source_return_id, 0);
    add_field(&b, "return_sha256", in->return_sha256, 0);
    add_field(&b, "part", in->part, 0);
    add_field(&b, "sha256", in->sha256, 0);
    add_field(&b, "bytes", in->bytes ? bytes : NULL, 0);
    add_field(&b, "run", in->run, 0);
    add_field(&b, "seal", in->seal, 0);
    add_field(&b, "http", in->http > 0 ? http : NULL, 0);
    add_field(&b, "result", in->result, 0);
    add_field(&b, "answer", in->answer, 1);
    add_field(&b, "prev", lg->head, 0);
    hash_bytes(b.p, b.len, hash);
    add_field(&b, "hash", hash, 0);
    buf_add(&b, "\n", 1);
    if (parse_line(b.p, b.len - 1, &e) != 0) { /* cannot happen: the line was made above */
        free(b.p);
        return yj_error_set(err, YJ_EX_SOFTWARE, "ledger entry %s could not be formatted", num);
    }
    while (done < b.len) {
        ssize_t k = write(lg->fd, b.p + done, b.len - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            int errnum = k < 0 ? errno : EIO;
            /* leave no torn line behind when the disk is full; when even that fails, the
             * file is not known to be what it was */
            int undone = ftruncate(lg->fd, (off_t)lg->size) == 0 && fsync(lg->fd) == 0;
            rc = yj_error_errno(err, YJ_EX_IOERR, errnum, "could not append to ledger '%s'",
                                lg->path);
            if (!undone)
                mark_dirty(lg->path, "an append failed and could not be undone", errnum, err);
            break;
        }
        done += (size_t)k;
    }
    if (rc == YJ_OK && fsync(lg->fd) != 0) {
        int errnum = errno;
        /* PostgreSQL's lesson: after a failed fsync the file's pages may be marked clean
         * without being on disk, and a later fsync may succeed: never trust it again until
         * it has been read back and written again */
        rc = yj_error_errno(err, YJ_EX_IOERR, errnum, "could not sync ledger '%s'", lg->path);
        mark_dirty(lg->path, "fsync of the ledger failed", errnum, err);
    }
    if (rc == YJ_OK && (rc = fsync_parent_dir(lg->path, err)) != YJ_OK)
        mark_dirty(lg->path, "fsync of the ledger's folder failed", errno, err);
    free(b.p);
    if (rc != YJ_OK) {
        entry_release(&e);
        return rc;
    }
    lg->size += done;
    lg->e = xrealloc(lg->e, (lg->n + 1) * sizeof(*lg->e));
    lg->e[lg->n++] = e;
    memcpy(lg->head, e.hash, SHA256_HEX_LEN + 1);
    return YJ_OK;
}

/* Moves the bytes after the last complete line to "<ledger>.torn-<time>", cuts them off and
 * records that in a "repair" entry. */
static int
repair_torn_tail(struct ledger *lg, const char *tail, size_t n, struct yj_error *err)
{
    char stamp[32], sha[SHA256_HEX_LEN + 1], answer[512], *side;
    struct ledger_entry e = {0};
    size_t len = strlen(lg->path) + 48;
    const char *base;
    int rc;

    utc_now(stamp, sizeof(stamp), 1);
    side = xmalloc(len);
    snprintf(side, len, "%s.torn-%s", lg->path, stamp);
    for (int k = 2; access(side, F_OK) == 0 && k < 1000; k++)
        snprintf(side, len, "%s.torn-%s-%d", lg->path, stamp, k);
    hash_bytes(tail, n, sha);
    if ((rc = atomic_write_file(side, tail, n, rundir_mode(RD_LEDGER), err)) != YJ_OK)
        goto done;
    if (ftruncate(lg->fd, (off_t)lg->size) != 0 || fsync(lg->fd) != 0) {
        int errnum = errno;
        rc = yj_error_errno(err, YJ_EX_IOERR, errnum, "could not cut the torn line off ledger '%s'",
                            lg->path);
        mark_dirty(lg->path, "cutting a torn line off failed", errnum, err);
        goto done;
    }
    base = strrchr(side, '/') ? strrchr(side, '/') + 1 : side;
    snprintf(answer, sizeof(answer),
             "torn last line of %zu bytes (a crash during an append; sha256 %s) moved to %s", n,
             sha, base);
    e.event = "repair";
    e.result = "repaired";
    e.answer = answer;
    rc = ledger_append(lg, &e, err);
done:
    free(side);
    return rc;
}

int
ledger_open(struct ledger *lg, const char *path, double wait_seconds, struct yj_error *err)
{
    struct timespec t0, now, pause = {0, 50 * 1000 * 1000};
    char *b = NULL;
    size_t len = 0, complete = 0;
    int rc;

    memset(lg, 0, sizeof(*lg));
    lg->fd = -1;
    lg->path = xstrdup(path);
    memcpy(lg->head, ZERO_HASH, SHA256_HEX_LEN + 1);
    if ((rc = check_marker(path, err)) != YJ_OK) /* also before a lost ledger is made anew */
        return rc;
    lg->fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
    if (lg->fd < 0 && errno == ENOENT) {
        char *dir = xstrdup(path), *slash = strrchr(dir, '/');
        rc = YJ_OK;
        if (slash && slash != dir) {
            *slash = '\0';
            rc = mkdir_p(dir, RUNDIR_DIR_MODE, err);
        }
        free(dir);
        if (rc != YJ_OK)
            return rc;
        lg->fd =
            open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, rundir_mode(RD_LEDGER));
        if (lg->fd >= 0) {
            (void)fchmod(lg->fd, (mode_t)rundir_mode(RD_LEDGER));
            if ((rc = fsync_parent_dir(path, err)) != YJ_OK) {
                mark_dirty(path, "fsync of the new ledger's folder failed", errno, err);
                return rc;
            }
        } else if (errno == EEXIST) /* another writer made it just now */
            lg->fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
    }
    if (lg->fd < 0)
        return yj_error_errno(err, errno == EACCES ? YJ_EX_NOPERM : YJ_EX_CANTCREAT, errno,
                              "could not open ledger '%s'", path);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (flock(lg->fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR)
            return yj_error_errno(err, YJ_EX_IOERR, errno, "could not lock ledger '%s'", path);
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9 >=
            wait_seconds) {
            yj_error_set(err, YJ_EX_LOCKED,
                         "another submission holds the ledger '%s' (waited %.0f s)", path,
                         wait_seconds);
            yj_error_hint(err, "submissions from one runs root go one at a time; run it again "
                               "when the other has finished");
            return YJ_EX_LOCKED;
        }
        nanosleep(&pause, NULL);
    }
    /* again under the lock: the writer before may have failed while this one waited */
    if ((rc = check_marker(path, err)) != YJ_OK)
        return rc;
    if ((rc = read_all(lg->fd, path, &b, &len, err)) != YJ_OK)
        return rc;
    rc = check_all(path, b, len, &lg->e, &lg->n, &complete, lg->head, err);
    if (rc == YJ_OK) {
        lg->size = complete;
        if (complete < len)
            rc = repair_torn_tail(lg, b + complete, len - complete, err);
    }
    free(b);
    return rc;
}

void
ledger_close(struct ledger *lg)
{
    /* the head, where the runs root's owner cannot rewrite it (docs/design.md "Run seal") */
    if (lg->fd >= 0 && lg->n > 0)
        seal_syslog("ledger %s: head %s after entry %zu", lg->path, lg->head, lg->n);
    if (lg->fd >= 0)
        close(lg->fd); /* drops the lock */
    for (size_t i = 0; i < lg->n; i++)
        entry_release(&lg->e[i]);
    free(lg->e);
    free(lg->path);
    memset(lg, 0, sizeof(*lg));
    lg->fd = -1;
}
