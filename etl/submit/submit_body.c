/*
 * submit_body.c - the bytes of one upload, read once: libcurl's read callback reads the
 * document, hashes what it reads, and hands the body over chunk by chunk, except the last
 * chunk, which it keeps until everything read hashes to the SHA-256 that the return manifest
 * and the validation report agree on (and the file ends there). Bytes other than the
 * validated ones (a file changed, truncated, grown or replaced after validation) stop the
 * transfer before the body is complete (CURL_READFUNC_ABORT): a receiver told the
 * Content-Length never gets a whole body, so it stores nothing. A retry reads and hashes from
 * the start again (submit_body_rewind(), also libcurl's seek callback).
 *
 * The file is opened once per upload, without blocking and only when it is a regular file of
 * the manifest's size: a FIFO, a device or a folder put in its place is never read.
 */
#include "submit.h"
#include "submit_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

/* The error of a document that is not the one validated: the message of every such case
 * (74), with DETAIL (NULL: none). */
int
submit_document_differs(const char *path, const char *detail, struct yj_error *err)
{
    yj_error_set(err, YJ_EX_IOERR, "return '%s' does not match its manifest", path);
    if (detail)
        yj_error_detail(err, "%s", detail);
    return YJ_EX_IOERR;
}

int
submit_body_open(struct upload_body *b, const struct doc *d, struct yj_error *err)
{
    struct stat st;
    char detail[160];

    memset(b, 0, sizeof(*b));
    b->fd = -1;
    b->path = d->path;
    b->sha = d->sha;
    b->bytes = d->bytes;
    /* O_NONBLOCK: a FIFO put in its place must not hang the open; it is refused below */
    b->fd = open(d->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (b->fd < 0)
        return yj_error_errno(err, YJ_EX_NOINPUT, errno, "could not open '%s'", d->path);
    if (fstat(b->fd, &st) != 0)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not read return '%s'", d->path);
    if (!S_ISREG(st.st_mode))
        return submit_document_differs(d->path,
                                       "it is not a regular file any more: it is never sent", err);
    if ((unsigned long long)st.st_size != d->bytes) {
        snprintf(detail, sizeof(detail),
                 "it has %lld bytes, the manifest %llu: it changed after validation and is "
                 "never sent",
                 (long long)st.st_size, d->bytes);
        return submit_document_differs(d->path, detail, err);
    }
    return YJ_OK;
}

void
submit_body_rewind(struct upload_body *b)
{
    if (b->hashing)
        sha256_release(&b->h);
    sha256_init(&b->h);
    b->hashing = 1;
    b->off = 0;
    b->verified = b->changed = b->read_errno = 0;
    if (lseek(b->fd, 0, SEEK_SET) != 0)
        b->read_errno = errno ? errno : EIO;
}

/* Reads N bytes into BUF unless the file ends first: the count read, or -1 (errno). */
static ssize_t
read_full(int fd, char *buf, size_t n)
{
    size_t got = 0;

    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* The body is all read: it must hash to the validated SHA-256 and the file must end here. */
static void
check_end(struct upload_body *b)
{
    char hex[SHA256_HEX_LEN + 1], more;
    ssize_t r = read_full(b->fd, &more, 1);

    sha256_final_hex(&b->h, hex);
    b->hashing = 0;
    if (r < 0)
        b->read_errno = errno ? errno : EIO;
    else if (r > 0 || strcmp(hex, b->sha) != 0)
        b->changed = 1;
    else
        b->verified = 1;
}

/* libcurl's read callback (CURLOPT_READFUNCTION). */
size_t
submit_body_read(char *buf, size_t size, size_t nmemb, void *userdata)
{
    struct upload_body *b = userdata;
    size_t n = size * nmemb;
    ssize_t got;

    if (b->changed || b->read_errno || !b->hashing)
        return b->verified && !b->changed && !b->read_errno ? 0 : CURL_READFUNC_ABORT;
    if (n > b->bytes - b->off)
        n = (size_t)(b->bytes - b->off);
    if (n == 0) {
        check_end(b); /* an empty body: nothing to hold back */
        return b->verified ? 0 : CURL_READFUNC_ABORT;
    }
    got = read_full(b->fd, buf, n);
    if (got < 0) {
        b->read_errno = errno ? errno : EIO;
        return CURL_READFUNC_ABORT;
    }
    if ((size_t)got < n) { /* truncated while it was being sent */
        b->changed = 1;
        return CURL_READFUNC_ABORT;
    }
    sha256_update(&b->h, buf, (size_t)got);
    b->off += (unsigned long long)got;
    if (b->off == b->bytes) {
        /* the last bytes leave only once everything read is the validated bytes */
        check_end(b);
        if (!b->verified)
            return CURL_READFUNC_ABORT;
    }
    return (size_t)got;
}

/* libcurl's seek callback (CURLOPT_SEEKFUNCTION): only back to the start, which hashes again. */
int
submit_body_seek(void *userdata, curl_off_t offset, int origin)
{
    struct upload_body *b = userdata;

    if (origin != SEEK_SET || offset != 0)
        return CURL_SEEKFUNC_CANTSEEK;
    submit_body_rewind(b);
    return b->read_errno ? CURL_SEEKFUNC_FAIL : CURL_SEEKFUNC_OK;
}

/* The error of a body that is not the validated bytes (b->changed) or could not be read. SENT:
 * a transfer was stopped for it. */
int
submit_body_changed(const struct upload_body *b, int sent, struct yj_error *err)
{
    char detail[320];

    if (b->read_errno)
        return yj_error_errno(err, yj_status_for_input_errno(b->read_errno), b->read_errno,
                              "could not read return '%s'", b->path);
    snprintf(detail, sizeof(detail),
             "its bytes are not the %llu bytes of SHA-256 %.16s... that the manifest lists and "
             "yj-validate passed: it changed after validation%s",
             b->bytes, b->sha,
             sent ? "; the upload was stopped before its last bytes, so the receiver got no "
                    "whole body"
                  : "");
    return submit_document_differs(b->path, detail, err);
}

/* Reads the whole document once, outside a transfer: its bytes must be the validated ones. */
int
submit_body_verify(struct upload_body *b, struct yj_error *err)
{
    char buf[1 << 16];

    submit_body_rewind(b);
    while (!b->verified && !b->changed && !b->read_errno)
        if (submit_body_read(buf, 1, sizeof(buf), b) == 0 && !b->verified)
            b->changed = 1;
    return b->verified ? YJ_OK : submit_body_changed(b, 0, err);
}

void
submit_body_release(struct upload_body *b)
{
    if (b->hashing)
        sha256_release(&b->h);
    b->hashing = 0;
    if (b->fd >= 0)
        close(b->fd);
    b->fd = -1;
}
