/*
 * receipt.c - writes and reads receipts, writes kept answers (see receipt.h). The bytes a
 * receipt holds are those yj-submit has always written, so a receipt of any earlier run
 * still reads and verifies.
 */
#include "receipt.h"

#include "atomic.h"
#include "mem.h"
#include "rundir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int
receipt_printable(const char *s, size_t n, char **out, size_t *outn)
{
    static const char hex[] = "0123456789abcdef";
    char *o = xmalloc(n * 4 + 1);
    size_t k = 0;
    int changed = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
            continue;
        if ((c >= 0x20 && c <= 0x7e && c != '\\') || c == '\n' || c == '\t')
            o[k++] = (char)c;
        else if (c == '\\') {
            o[k++] = '\\';
            o[k++] = '\\';
            changed = 1;
        } else {
            o[k++] = '\\';
            o[k++] = 'x';
            o[k++] = hex[c >> 4];
            o[k++] = hex[c & 15];
            changed = 1;
        }
    }
    o[k] = '\0';
    *out = o;
    *outn = k;
    return changed;
}

int
receipt_answer_needs_keeping(const char *headers, size_t headers_len, const char *body,
                             size_t body_len)
{
    char *t;
    size_t n;
    int changed = receipt_printable(headers ? headers : "", headers_len, &t, &n);

    free(t);
    changed |= receipt_printable(body ? body : "", body_len, &t, &n);
    free(t);
    return changed;
}

/* Writes HEAD, then the headers and the body given, to PATH in DIR (created if need be),
 * atomically, with MODE: the shape of both a receipt and a kept answer. */
static int
write_with_answer(const char *dir, const char *path, int mode, const char *head, const char *hdr,
                  size_t hdr_len, const char *body, size_t body_len, struct yj_error *err)
{
    struct atomic_file af;
    int rc;

    atomic_file_init(&af);
    if ((rc = mkdir_p(dir, RUNDIR_DIR_MODE, err)) == YJ_OK &&
        (rc = atomic_file_open(&af, path, mode, err)) == YJ_OK &&
        (rc = atomic_file_write(&af, head, strlen(head), err)) == YJ_OK &&
        (rc = atomic_file_write(&af, hdr ? hdr : "", hdr_len, err)) == YJ_OK &&
        (rc = atomic_file_write(&af, "--- response body\n", 18, err)) == YJ_OK &&
        (rc = atomic_file_write(&af, body ? body : "", body_len, err)) == YJ_OK)
        rc = atomic_file_commit(&af, err);
    atomic_file_release(&af);
    return rc;
}

int
receipt_write_answer(const char *dir, const char *path, int mode, const char *url, long http,
                     const char *headers, size_t headers_len, const char *body, size_t body_len,
                     struct yj_error *err)
{
    char head[4096];

    snprintf(head, sizeof(head), "%s\nurl %s\nhttp_status %ld\n--- response headers\n",
             rundir_entry(RD_SUBMIT_ANSWER)->format, url, http);
    return write_with_answer(dir, path, mode, head, headers, headers_len, body, body_len, err);
}

int
receipt_write(const char *dir, const char *path, int mode, const struct receipt_out *r,
              struct yj_error *err)
{
    char head[8192], part_line[96] = "", raw_line[160] = "";
    char *hdr = NULL, *body = NULL;
    size_t hdr_len = 0, body_len = 0;
    int rc;

    if (r->parts > 1)
        snprintf(part_line, sizeof(part_line), "part %lu of %lu\n", r->part, r->parts);
    if (r->raw_answer)
        snprintf(raw_line, sizeof(raw_line),
                 "raw_answer %s (mode %04o): the bytes below that are not printable text are "
                 "shown as \\xNN\n",
                 r->raw_answer, (unsigned)rundir_mode(RD_SUBMIT_ANSWER));
    receipt_printable(r->headers ? r->headers : "", r->headers ? r->headers_len : 0, &hdr,
                      &hdr_len);
    receipt_printable(r->body ? r->body : "", r->body ? r->body_len : 0, &body, &body_len);
    snprintf(head, sizeof(head),
             "%s\nurl %s\nfile %s\n%ssha256 %s\nbytes %llu\nhttp_status %ld\nreceived_by %s\n"
             "submission %s %s %lu\nsubmitted_at %s\n%s%s--- response headers\n",
             rundir_entry(RD_SUBMIT_RECEIPT)->format, r->url, r->file, part_line, r->sha256,
             r->bytes, r->http_status, r->received_by, r->service, r->period, r->submission,
             r->submitted_at, r->extra ? r->extra : "", raw_line);
    rc = write_with_answer(dir, path, mode, head, hdr, hdr_len, body, body_len, err);
    free(hdr);
    free(body);
    return rc;
}

/* The value of LINE when it is "KEY value", else NULL. */
static const char *
value_of(const char *line, const char *key)
{
    size_t n = strlen(key);
    return strncmp(line, key, n) == 0 && line[n] == ' ' ? line + n + 1 : NULL;
}

int
receipt_read(const char *path, struct receipt *r, struct yj_error *err)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    unsigned long lineno = 0;
    int have_bytes = 0, rc = YJ_OK;
    const char *v;
    char format[64];
    unsigned long known;

    memset(r, 0, sizeof(*r));
    if (!f) {
        int e = errno;
        rc = yj_error_errno(err, yj_status_for_input_errno(e), e, "could not open receipt '%s'",
                            path);
        errno = e; /* kept for the caller */
        return rc;
    }
    rundir_format_of(RD_SUBMIT_RECEIPT, format, sizeof(format), &known);
    r->version = 1; /* a receipt without its format line: the one version written before */
    while (fgets(line, sizeof(line), f) && strncmp(line, "--- ", 4) != 0) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (lineno == 1 && (v = value_of(line, format)) != NULL) {
            if ((rc = rundir_format_version(path, 1, format, v, known, &r->version, err)) != YJ_OK)
                break;
        } else if ((v = value_of(line, "file")) != NULL) {
            snprintf(r->file, sizeof(r->file), "%s", v);
            r->file_line = lineno;
        } else if ((v = value_of(line, "sha256")) != NULL) {
            snprintf(r->sha256, sizeof(r->sha256), "%.64s", v);
            if (strlen(v) != SHA256_HEX_LEN)
                r->sha256[0] = '\0'; /* malformed */
            r->sha256_line = lineno;
        } else if ((v = value_of(line, "bytes")) != NULL) {
            have_bytes = sscanf(v, "%llu", &r->bytes) == 1;
            r->bytes_line = lineno;
        } else if ((v = value_of(line, "url")) != NULL) {
            snprintf(r->url, sizeof(r->url), "%.*s", (int)sizeof(r->url) - 1, v);
            r->url_line = lineno;
        } else if ((v = value_of(line, "http_status")) != NULL) {
            r->http_status = strtol(v, NULL, 10);
            r->http_status_line = lineno;
        } else if ((v = value_of(line, "received_by")) != NULL) {
            snprintf(r->received_by, sizeof(r->received_by), "%.*s",
                     (int)sizeof(r->received_by) - 1, v);
            r->received_by_line = lineno;
        }
    }
    fclose(f);
    r->well_formed = rc == YJ_OK && r->file_line && r->sha256_line && have_bytes &&
                     strlen(r->sha256) == SHA256_HEX_LEN &&
                     strspn(r->sha256, "0123456789abcdef") == SHA256_HEX_LEN &&
                     !strstr(r->file, "..") && r->file[0] != '/';
    return rc;
}

int
receipt_is_of(const char *path, const char *sha)
{
    struct receipt r;
    struct yj_error err;

    return receipt_read(path, &r, &err) == YJ_OK && strcmp(r.sha256, sha) == 0;
}
