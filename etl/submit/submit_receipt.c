/*
 * submit_receipt.c - what yj-submit keeps in RUN/submit/, written through the receipt module
 * (etl/core/receipt.h): the receipt of a document the receiver has, the receiver's whole
 * answer in an answer file when it held other bytes, and a receipt rebuilt from the ledger
 * entry that proves a reception the run folder lacks.
 */
#include "submit.h"
#include "submit_int.h"

#include "atomic.h"
#include "log.h"
#include "rundir.h"
#include "mem.h"
#include "receipt.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banned.h"

/* Keeps the receiver's whole answer, byte for byte (it may quote the return, and hold bytes
 * no terminal should get), in RUN_DIR/submit/answer-NNNNNN, mode 0600, NNNNNN the number of
 * the ledger entry that records it; *name gets "submit/answer-..". */
int
submit_keep_answer(struct session *s, const char *run_dir, const char *url, const struct answer *a,
                   char *name, size_t n, struct yj_error *err)
{
    char *dir = rundir_path(run_dir, RD_SUBMIT_DIR), *path;
    int rc;

    snprintf(name, n, RUNDIR_ANSWER_FORMAT, (unsigned long long)s->lg.n + 1);
    path = path_join(dir, name);
    rc = receipt_write_answer(dir, path, rundir_mode(RD_SUBMIT_ANSWER), url, a->http, a->hdr.data,
                              a->hdr.len, a->body.data, a->body.len, err);
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

/* Writes RUN_DIR/submit/receipt (or receipt-NNNN): what was received, then the receiver's
 * answer A (NULL: none) as printable text only. When the answer held other bytes, it is kept
 * whole in a 0600 answer file that the receipt names. */
int
submit_write_receipt(struct session *s, const struct receipt_of *r, const struct answer *a,
                     struct yj_error *err)
{
    char *dir = rundir_path(r->run_dir, RD_SUBMIT_DIR),
         *path = rundir_part_file(dir, RD_SUBMIT_RECEIPT, r->name);
    char when[32], file[512], kept[64];
    struct receipt_out out = {0};
    unsigned long k = 0, n = 0;
    int rc = YJ_OK;

    if (r->when)
        snprintf(when, sizeof(when), "%s", r->when);
    else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    if (sscanf(r->part, "%lu/%lu", &k, &n) == 2 && n > 1) {
        out.part = k;
        out.parts = n;
    }
    snprintf(file, sizeof(file), "%s/%s", rundir_entry(RD_RETURN_DIR)->path, r->name);
    if (a && receipt_answer_needs_keeping(a->hdr.data, a->hdr.len, a->body.data, a->body.len)) {
        if ((rc = submit_keep_answer(s, r->run_dir, r->url, a, kept, sizeof(kept), err)) != YJ_OK)
            goto done;
        out.raw_answer = kept;
    }
    out.url = r->url;
    out.file = file;
    out.sha256 = r->sha;
    out.bytes = r->bytes;
    out.http_status = r->http;
    out.received_by = r->how;
    out.service = s->cfg->yot_ou_code;
    out.period = r->period;
    out.submission = r->seq;
    out.submitted_at = when;
    out.extra = r->extra;
    if (a) {
        out.headers = a->hdr.data;
        out.headers_len = a->hdr.len;
        out.body = a->body.data;
        out.body_len = a->body.len;
    }
    rc = receipt_write(dir, path, rundir_mode(RD_SUBMIT_RECEIPT), &out, err);
done:
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
    if (receipt_is_of(path, e->sha256))
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
