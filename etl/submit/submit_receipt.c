/*
 * submit_receipt.c - what yj-submit keeps in RUN/submit/: the receipt of a document the
 * receiver has (written atomically, printable text only), the receiver's whole answer in a
 * 0600 answer file when it held other bytes, and a receipt rebuilt from the ledger entry that
 * proves a reception the run folder lacks.
 */
#include "submit.h"
#include "submit_int.h"

#include "atomic.h"
#include "log.h"
#include "rundir.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banned.h"

/* S[0..n) as printable text into a new string (*out, *outn): printable ASCII, '\n' and '\t'
 * as they are, "\r\n" as '\n', '\\' as "\\\\" and every other byte (escape sequences, NUL,
 * bytes above 0x7e) as "\xNN", so that `cat receipt` shows the answer and never drives the
 * terminal. Returns 1 if a byte had to be escaped. */
static int
printable(const char *s, size_t n, char **out, size_t *outn)
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

/* Keeps the receiver's whole answer, byte for byte (it may quote the return, and hold bytes
 * no terminal should get), in RUN_DIR/submit/answer-NNNNNN, mode 0600, NNNNNN the number of
 * the ledger entry that records it; *name gets "submit/answer-..". */
int
submit_keep_answer(struct session *s, const char *run_dir, const char *url, const struct answer *a,
                   char *name, size_t n, struct yj_error *err)
{
    char *dir = rundir_path(run_dir, RD_SUBMIT_DIR), *path, head[1024];
    int rc;

    snprintf(name, n, RUNDIR_ANSWER_FORMAT, (unsigned long long)s->lg.n + 1);
    path = path_join(dir, name);
    snprintf(head, sizeof(head),
             "yjreturns-answer 1\nurl %s\nhttp_status %ld\n--- response headers\n", url, a->http);
    rc = write_with_answer(dir, path, rundir_mode(RD_SUBMIT_ANSWER), head, a->hdr.data, a->hdr.len,
                           a->body.data, a->body.len, err);
    {
        char base[32];
        snprintf(base, sizeof(base), RUNDIR_ANSWER_FORMAT, (unsigned long long)s->lg.n + 1);
        snprintf(name, n, "%s/%s", rundir_entry(RD_SUBMIT_DIR)->path, base);
    }
    free(path);
    free(dir);
    return rc;
}

/* The document's name in a run for a ledger part "k/n": cld.xml, or cld-part-000k.xml (NULL
 * when the part is not one). */
char *
submit_document_name(const char *part)
{
    unsigned long k = 0, n = 0;
    char tail, buf[48];

    if (!part || sscanf(part, "%lu/%lu%c", &k, &n, &tail) != 2 || k == 0 || k > n || n > 9999)
        return NULL;
    if (n == 1)
        return xstrdup(RUNDIR_RETURN_XML);
    snprintf(buf, sizeof(buf), RUNDIR_PART_FORMAT, (unsigned)(k % (RUNDIR_MAX_PARTS + 1)));
    return xstrdup(buf);
}

/* 1 if the receipt at PATH is one of the payload SHA-256 SHA. */
int
submit_has_receipt(const char *path, const char *sha)
{
    char want[SHA256_HEX_LEN + 16];
    size_t len = 0;
    FILE *f = fopen(path, "r");
    char buf[4096];

    if (!f)
        return 0;
    len = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[len] = '\0';
    snprintf(want, sizeof(want), "\nsha256 %s\n", sha);
    return strstr(buf, want) != NULL;
}

/* Writes RUN_DIR/submit/receipt (or receipt-NNNN): what was received, then the receiver's
 * answer A (NULL: none) as printable text only. When the answer held other bytes, it is kept
 * whole in a 0600 answer file that the receipt names. */
int
submit_write_receipt(struct session *s, const struct receipt_of *r, const struct answer *a,
                     struct yj_error *err)
{
    char *dir = rundir_path(r->run_dir, RD_SUBMIT_DIR),
         *path = rundir_part_file(dir, RD_SUBMIT_RECEIPT, r->name);
    char head[4096], when[32], part_line[96] = "", raw_line[160] = "";
    char *hdr = NULL, *body = NULL;
    size_t hdr_len = 0, body_len = 0;
    unsigned long k = 0, n = 0;
    int rc = YJ_OK, changed = 0;

    if (r->when)
        snprintf(when, sizeof(when), "%s", r->when);
    else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    if (sscanf(r->part, "%lu/%lu", &k, &n) == 2 && n > 1)
        snprintf(part_line, sizeof(part_line), "part %lu of %lu\n", k, n);
    if (a) {
        changed |= printable(a->hdr.data ? a->hdr.data : "", a->hdr.len, &hdr, &hdr_len);
        changed |= printable(a->body.data ? a->body.data : "", a->body.len, &body, &body_len);
    }
    if (changed) {
        char kept[64];
        if ((rc = submit_keep_answer(s, r->run_dir, r->url, a, kept, sizeof(kept), err)) != YJ_OK)
            goto done;
        snprintf(raw_line, sizeof(raw_line),
                 "raw_answer %s (mode 0600): the bytes below that are not printable text are "
                 "shown as \\xNN\n",
                 kept);
    }
    snprintf(head, sizeof(head),
             "yjreturns-receipt 1\nurl %s\nfile return/%s\n%ssha256 %s\nbytes %llu\n"
             "http_status %ld\nreceived_by %s\nsubmission %s %s %lu\nsubmitted_at %s\n%s%s"
             "--- response headers\n",
             r->url, r->name, part_line, r->sha, r->bytes, r->http, r->how, s->cfg->yot_ou_code,
             r->period, r->seq, when, r->extra ? r->extra : "", raw_line);
    rc = write_with_answer(dir, path, rundir_mode(RD_SUBMIT_RECEIPT), head, hdr, hdr_len, body,
                           body_len, err);
done:
    free(hdr);
    free(body);
    free(path);
    free(dir);
    return rc;
}

/* The receipt of the document the ledger entry E records as received, in E's run folder,
 * rebuilt from E when that folder has none: the receipt is written before the ledger says
 * received, so one is missing only when it could not be written (the disk full after the
 * 201). Nothing is done when the folder is gone or its return is not those bytes. */
int
submit_rebuild_receipt(struct session *s, const struct ledger_entry *e, struct yj_error *err)
{
    char *name = submit_document_name(e->part), *ret = NULL, *file = NULL, *dir = NULL,
         *path = NULL;
    char hex[SHA256_HEX_LEN + 1], extra[1024];
    unsigned long long got = 0;
    struct stat st;
    int rc = YJ_OK;

    if (!name || !e->run || stat(e->run, &st) != 0 || !S_ISDIR(st.st_mode))
        goto done;
    dir = rundir_path(e->run, RD_SUBMIT_DIR);
    path = rundir_part_file(dir, RD_SUBMIT_RECEIPT, name);
    if (submit_has_receipt(path, e->sha256))
        goto done;
    ret = rundir_path(e->run, RD_RETURN_DIR);
    file = path_join(ret, name);
    if (sha256_file(file, hex, &got) != 0 || strcmp(hex, e->sha256) != 0 || got != e->bytes) {
        log_warn("ledger entry %llu says %s was received, but '%s' is not those bytes: no "
                 "receipt is rebuilt there",
                 e->n, e->part, file);
        goto done;
    }
    snprintf(extra, sizeof(extra),
             "rebuilt_from ledger entry %llu (%s): the receipt could not be written when the "
             "receiver answered \"%s\"; that answer was not kept\n",
             e->n, e->time, e->answer ? e->answer : "-");
    {
        char *url = submit_upload_url(s, e->service, e->period, e->sha256);
        struct receipt_of r = {0};
        r.run_dir = e->run;
        r.name = name;
        r.part = e->part;
        r.sha = e->sha256;
        r.bytes = e->bytes;
        r.seq = e->seq;
        r.period = e->period;
        r.url = url;
        r.how = "ledger";
        r.http = e->http;
        r.when = e->time;
        r.extra = extra;
        rc = submit_write_receipt(s, &r, NULL, err);
        free(url);
    }
    if (rc == YJ_OK)
        log_info("receipt '%s' was missing (ledger entry %llu says received): rebuilt from the "
                 "ledger",
                 path, e->n);
done:
    free(name);
    free(ret);
    free(file);
    free(dir);
    free(path);
    return rc;
}
