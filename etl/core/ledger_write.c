/*
 * ledger_write.c - the submission ledger written (see ledger.h for the line format).
 *
 * Plain text, appended with one write() per line under an exclusive flock(), then fsync of
 * the file and of its folder: an entry is on disk before the next step happens. Owns
 * ledger_open() (lock, check, and the repair of a torn last line a crash mid-append left),
 * ledger_append(), ledger_close() and ledger_mark_durable(); reading and checking the chain
 * is ledger.c's.
 *
 * A write that is not known to have reached the disk (a failed fsync above all: the kernel
 * may then mark the pages clean without writing them, and a later fsync may succeed) leaves
 * a marker, "<ledger>.dirty"; ledger_open() refuses the ledger while it is there, and only
 * ledger_mark_durable() (yj-run --verify) reads the ledger back, writes it again, syncs it and
 * removes the marker.
 */
#include "ledger.h"

#include "atomic.h"
#include "ledger_int.h"
#include "mem.h"
#include "rundir.h"
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
    if ((rc = ledger_read_all(fd, path, &b, &len, err)) != YJ_OK ||
        (rc = ledger_check_all(path, b, len, NULL, NULL, &complete, head, err)) != YJ_OK)
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
    ledger_hash_bytes(b.p, b.len, hash);
    add_field(&b, "hash", hash, 0);
    buf_add(&b, "\n", 1);
    if (ledger_parse_line(b.p, b.len - 1, &e) != 0) { /* cannot happen: the line was made above */
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
        ledger_entry_release(&e);
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
    ledger_hash_bytes(tail, n, sha);
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
    if ((rc = ledger_read_all(lg->fd, path, &b, &len, err)) != YJ_OK)
        return rc;
    rc = ledger_check_all(path, b, len, &lg->e, &lg->n, &complete, lg->head, err);
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
        ledger_entry_release(&lg->e[i]);
    free(lg->e);
    free(lg->path);
    memset(lg, 0, sizeof(*lg));
    lg->fd = -1;
}
