/*
 * submit.c - the upload. Only a return whose bytes match both its transform manifest and a
 * "result valid" validation report of the same SHA-256 leaves the machine, and only when its
 * envelope's documentCount matches the child documents it holds (counted by yj-validate in
 * that report, which also checked documentCount) and the manifest's count: a truncated return
 * is never sent, an empty one only with --allow-empty. The transfer is
 * HTTPS only (libcurl limited to the https protocol, redirects refused, never followed), the
 * server is verified against the configured CA only, and the client presents its
 * certificate. The receipt (server status, headers and body, the payload's SHA-256 and size)
 * is written atomically once the receiver has the bytes, and only then: no receipt means not
 * submitted.
 *
 * Exactly once (docs/design.md "Submission ledger"): every step is appended to the runs
 * root's ledger before the next one, under the ledger's lock. Bytes the ledger says were
 * received are not sent again ("already submitted", exit 0; a receipt the ledger proves but
 * the run lacks is rebuilt from it). Before anything is sent for a period, every earlier
 * upload of that period whose outcome is not known (a 5xx, a timeout, a cut answer, a crash),
 * whatever its bytes, is looked for at the receiver (HEAD of its content-addressed name:
 * received when its length, and its SHA-256 when offered, are the payload's); found, it was
 * received and this return is a correction; not found, it was not; a HEAD that does not say
 * stops everything (75), for the period may be at the receiver already. The PUT carries
 * "If-None-Match: *", and a 409 or 412 counts as received only when a HEAD then shows these
 * bytes under the name. Other bytes for a period already received are a correction: refused
 * (81) unless --resubmit, then the period's next submission number.
 *
 * The route is the configuration's ([submit] proxy, else none), never the environment's. A
 * receipt holds printable text only: the receiver's answer is escaped there and, when it
 * held other bytes, kept whole in a 0600 answer file beside it.
 *
 * Retries: 5xx, 408, 429, timeouts, resets and cut answers are retried inside one run, after
 * an exponential backoff with jitter that honours Retry-After, within [submit] deadline;
 * a 4xx, a redirect or a TLS failure never is. Each request's time is bounded by what is
 * left of the deadline, and a receiver that trickles its answer by a low-speed limit.
 *
 * A return split into parts (its MANIFEST lists cld-part-NNNN.xml) is checked whole first:
 * every part must match the manifest and have a passing validation/report-NNNN.txt of its
 * SHA-256, or nothing is sent. Then each part is uploaded in order under its own
 * content-addressed name, with its own receipt submit/receipt-NNNN; the first part that fails
 * stops the upload and sets the exit status, and the return counts as submitted only when
 * every part has its receipt. A part the receiver already has is not sent again.
 *
 * This file owns the driver: the documents of the return (cld.xml or its parts), the checks
 * that they match the manifest and a passing validation report, their envelopes, and
 * submit_run(). The HTTP layer is submit_http.c, receipts and kept answers submit_receipt.c,
 * the ledger side submit_ledger.c, one document's upload submit_send.c, its bytes read once
 * as they are sent submit_body.c (submit_int.h).
 */
#include "submit.h"
#include "submit_int.h"

#include "atomic.h"
#include "cldreader.h"
#include "log.h"
#include "manifest.h"
#include "report.h"
#include "rundir.h"
#include "mem.h"
#include "period.h"
#include "runlock.h"
#include "seal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

static void
docs_release(struct docs *ds)
{
    for (size_t i = 0; i < ds->n; i++) {
        free(ds->d[i].name);
        free(ds->d[i].path);
        free(ds->d[i].report);
        free(ds->d[i].receipt);
        free(ds->d[i].source_return_id);
    }
    free(ds->d);
    ds->d = NULL;
    ds->n = 0;
}

static void
docs_add(struct docs *ds, const char *run_dir, const char *name)
{
    struct doc *d;

    ds->d = xrealloc(ds->d, (ds->n + 1) * sizeof(*ds->d));
    d = &ds->d[ds->n++];
    memset(d, 0, sizeof(*d));
    d->name = xstrdup(name);
    {
        char *ret = rundir_path(run_dir, RD_RETURN_DIR);
        d->path = path_join(ret, name);
        free(ret);
    }
    {
        char *validate = rundir_path(run_dir, RD_VALIDATE_DIR);
        char *submit = rundir_path(run_dir, RD_SUBMIT_DIR);
        d->report = rundir_part_file(validate, RD_VALIDATE_REPORT, name);
        d->receipt = rundir_part_file(submit, RD_SUBMIT_RECEIPT, name);
        free(validate);
        free(submit);
    }
}

static int
check_file(const char *path, const char *what, int must_be_private, struct yj_error *err)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return yj_error_errno(err, YJ_EX_CONFIG, errno, "%s '%s'", what, path);
    if (must_be_private && (st.st_mode & 077)) {
        yj_error_set(err, YJ_EX_NOPERM, "%s '%s' is readable by others (mode %04o)", what, path,
                     (unsigned)(st.st_mode & 07777));
        yj_error_hint(err, "chmod 600 '%s'", path);
        return YJ_EX_NOPERM;
    }
    return YJ_OK;
}

/* One document must be listed by its manifest, with a passing validation report of the
 * manifest's SHA-256, and be a regular file of the manifest's size. Its bytes are not read
 * here (but for a size that is not the manifest's): they are hashed once, as they are sent
 * (submit_body.c), or by check_unsent() when they are not sent. */
static int
check_document(const struct manifest *m, const char *mpath, struct doc *d, struct yj_error *err)
{
    const struct manifest_file *f = manifest_find_file(m, d->name);
    int valid = 0, same = 0, rc;
    struct stat st;

    if (!f)
        return yj_error_set(err, YJ_EX_IOERR, "manifest '%s' does not list %s", mpath, d->name);
    if (stat(d->path, &st) != 0)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not read return '%s'", d->path);
    if (!S_ISREG(st.st_mode))
        return submit_document_differs(d->path, "it is not a regular file: it is never sent", err);
    memcpy(d->sha, f->sha256, sizeof(d->sha));
    d->bytes = f->bytes;
    if ((unsigned long long)st.st_size != f->bytes) {
        /* not the manifest's size: unless its SHA-256 is still the manifest's (a manifest whose
         * bytes field is wrong: the file's size counts, as its SHA-256 does), it changed */
        char hex[SHA256_HEX_LEN + 1], detail[160];
        if (sha256_file(d->path, hex, &d->bytes) != 0)
            return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                                  "could not read return '%s'", d->path);
        snprintf(detail, sizeof(detail),
                 "it has %lld bytes, the manifest %llu: it changed after validation and is "
                 "never sent",
                 (long long)st.st_size, f->bytes);
        if (strcmp(hex, f->sha256) != 0)
            return submit_document_differs(d->path, detail, err);
    }
    d->rows = f->rows;
    if ((rc = report_verdict(d->report, d->sha, &same, &valid, &d->children, err)) > 0)
        return err->code;
    if (rc != 0) {
        yj_error_errno(err, YJ_EX_DATAERR, errno, "the return has no validation report '%s'",
                       d->report);
        yj_error_hint(err, "run yj-validate first; only a valid return is submitted");
        return YJ_EX_DATAERR;
    }
    if (!valid || !same) {
        yj_error_set(err, YJ_EX_DATAERR, "return '%s' has not passed validation", d->path);
        yj_error_detail(err, "report '%s' %s", d->report,
                        !same ? "is for a different file" : "does not say 'result valid'");
        return YJ_EX_DATAERR;
    }
    return YJ_OK;
}

/* The return (cld.xml, or every part) must be signed off, of a complete period, and each
 * document must match its manifest and a passing validation report. *period gets the
 * manifest's period (malloc'd, or NULL). */
static int
check_validated(const char *run_dir, struct docs *ds, char **period, struct yj_error *err)
{
    char *mpath = rundir_path(run_dir, RD_RETURN_MANIFEST);
    struct manifest m;
    int rc;

    manifest_init(&m);
    if ((rc = manifest_read(&m, mpath, NULL, err)) != YJ_OK)
        goto done;
    for (size_t i = 0; i < m.nfiles; i++) {
        size_t nd;
        if (manifest_part_digits(m.files[i].name, &nd))
            docs_add(ds, run_dir, m.files[i].name);
    }
    if (ds->n == 0)
        docs_add(ds, run_dir, RUNDIR_RETURN_XML);
    if (manifest_get(&m, "period"))
        *period = xstrdup(manifest_get(&m, "period"));
    if (!manifest_get(&m, "sign_off_date") || strcmp(manifest_get(&m, "sign_off_date"), "-") == 0) {
        rc = yj_error_set(err, YJ_EX_DATAERR, "return '%s' has no sign-off date", ds->d[0].path);
        yj_error_hint(err, "run it with yj-run --submit --sign-off DATE once the return is "
                           "signed off");
        goto done;
    }
    if (!manifest_get(&m, "period_complete") ||
        strcmp(manifest_get(&m, "period_complete"), "yes") != 0) {
        rc = yj_error_set(err, YJ_EX_DATAERR,
                          "return '%s' is of period %s, which had not ended when the warehouse "
                          "was read: it is never submitted",
                          ds->d[0].path, *period ? *period : "?");
        yj_error_hint(err, "a period in progress runs nightly for data quality; submit it after "
                           "it ends");
        goto done;
    }
    for (size_t i = 0; i < ds->n && rc == YJ_OK; i++)
        rc = check_document(&m, mpath, &ds->d[i], err);
done:
    manifest_release(&m);
    free(mpath);
    return rc;
}

/* Reads the document's envelope (and nothing after it) through the return reader, which
 * checks the root element, namespace and schemaVersion: its sourceReturnId and documentCount.
 * The child documents were counted by yj-validate in the report of these very bytes (the
 * SHA-256 was checked against the manifest and the report), so the rest of the document is
 * skipped: documentCount must equal the report's children and the manifest's rows. Values are
 * never logged. */
static int
scan_document(struct cld_reader *r, struct doc *d, struct yj_error *err)
{
    xmlChar *v;
    int rc = YJ_OK;

    d->document_count = -1;
    /* the reader's documents are the MANIFEST's, in its order: move to this one */
    while (rc == YJ_OK && r->path && strcmp(r->path, d->path) != 0)
        rc = cld_reader_skip_document(r, err);
    if (rc == YJ_OK && r->path)
        rc = cld_reader_next(r, err);
    if (rc != YJ_OK && !r->malformed)
        return rc;
    if (rc != YJ_OK || !r->path || strcmp(r->path, d->path) != 0 || r->kind != CLD_ENVELOPE)
        return yj_error_set(err, YJ_EX_DATAERR,
                            "return '%s' has no readable envelope: it is never sent", d->path);
    v = cld_text(r->node, "sourceReturnId");
    free(d->source_return_id);
    d->source_return_id = xstrdup(v ? (const char *)v : "");
    xmlFree(v);
    if ((v = cld_text(r->node, "documentCount")) != NULL) {
        const char *t = (const char *)v;
        d->document_count =
            *t && strspn(t, "0123456789") == strlen(t) && strlen(t) < 12 ? strtol(t, NULL, 10) : -2;
        xmlFree(v);
    }
    if ((rc = cld_reader_skip_document(r, err)) != YJ_OK)
        return rc;
    if (!d->source_return_id || !*d->source_return_id ||
        strspn(d->source_return_id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789_-.:") != strlen(d->source_return_id))
        return yj_error_set(err, YJ_EX_DATAERR,
                            "return '%s' has no sourceReturnId of letters, digits and '_-.:' in "
                            "its envelope",
                            d->path);
    if (d->document_count < 0 || d->children < 0 || d->document_count != d->children ||
        (unsigned long long)d->children != d->rows) {
        char said[32] = "none", counted[64] = "no count";
        if (d->document_count >= 0)
            snprintf(said, sizeof(said), "%ld", d->document_count);
        else if (d->document_count == -2)
            snprintf(said, sizeof(said), "not a number");
        if (d->children >= 0)
            snprintf(counted, sizeof(counted), "%lld child document%s", d->children,
                     d->children == 1 ? "" : "s");
        yj_error_set(err, YJ_EX_DATAERR,
                     "return '%s': its validation report counts %s but its envelope's "
                     "documentCount is %s and its manifest counts %llu: a truncated or altered "
                     "return is never sent",
                     d->path, counted, said, d->rows);
        yj_error_hint(err, "run the pipeline again (yj-run) to make a whole return");
        return YJ_EX_DATAERR;
    }
    return YJ_OK;
}

/* The envelope of every document, in the MANIFEST's order. */
static int
scan_documents(const char *run_dir, struct docs *ds, struct yj_error *err)
{
    char *return_dir = rundir_path(run_dir, RD_RETURN_DIR);
    struct cld_reader r;
    int rc;

    cld_reader_init(&r);
    rc = cld_reader_open(&r, return_dir, NULL, err);
    for (size_t i = 0; i < ds->n && rc == YJ_OK; i++)
        rc = scan_document(&r, &ds->d[i], err);
    cld_reader_release(&r);
    free(return_dir);
    return rc;
}

/* The settings an upload needs: [submit] url (https), ca_file, cert_file, key_file, proxy
 * (none or a URL without a user or password), [service] yot_ou_code, and the ledger's path
 * (*ledger_path, malloc'd: --ledger, else the runs root's). */
static int
check_settings(const struct yj_config *cfg, const struct submit_options *opt, char **ledger_path,
               struct yj_error *err)
{
    int rc;

    if ((rc = config_require(cfg->submit_url, "submit", "url", cfg->path, err)) ||
        (rc = config_require(cfg->ca_file, "submit", "ca_file", cfg->path, err)) ||
        (rc = config_require(cfg->cert_file, "submit", "cert_file", cfg->path, err)) ||
        (rc = config_require(cfg->key_file, "submit", "key_file", cfg->path, err)) ||
        (rc = config_require(cfg->yot_ou_code, "service", "yot_ou_code", cfg->path, err)))
        return rc;
    if (strncasecmp(cfg->submit_url, "https://", 8) != 0) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "config file '%s': [submit] url must use https://",
                          cfg->path);
        yj_error_detail(err, "a return holds children's criminal-offence data: it is never sent "
                             "over plain HTTP");
        return rc;
    }
    if (cfg->submit_proxy && *cfg->submit_proxy && strcmp(cfg->submit_proxy, "none") != 0) {
        static const char *const schemes[] = {"http://", "https://", "socks5://", "socks5h://"};
        const char *proxy = cfg->submit_proxy, *host = NULL;
        for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]) && !host; i++)
            if (strncasecmp(proxy, schemes[i], strlen(schemes[i])) == 0)
                host = proxy + strlen(schemes[i]);
        if (!host || !*host ||
            strspn(proxy,
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/[]") !=
                strlen(proxy)) {
            /* the value is not echoed: it may hold a password */
            rc = yj_error_set(err, YJ_EX_CONFIG,
                              "config file '%s': [submit] proxy must be none or a URL "
                              "http://, https://, socks5:// or socks5h://HOST:PORT without a "
                              "user or password",
                              cfg->path);
            return rc;
        }
    }
    if (opt->ledger)
        *ledger_path = xstrdup(opt->ledger);
    else if (cfg->runs_root && *cfg->runs_root)
        *ledger_path = rundir_path(cfg->runs_root, RD_LEDGER);
    else {
        rc = yj_error_set(err, YJ_EX_CONFIG,
                          "config file '%s': missing [run] runs_root, which holds the "
                          "submission ledger",
                          cfg->path);
        yj_error_hint(err, "give the ledger with --ledger FILE, or set [run] runs_root");
        return rc;
    }
    if ((rc = check_file(cfg->ca_file, "could not use CA file", 0, err)) ||
        (rc = check_file(cfg->cert_file, "could not use client certificate", 0, err)) ||
        (rc = check_file(cfg->key_file, "could not use client key", 1, err)))
        return rc;
    return YJ_OK;
}

/* The documents the ledger says were received are not sent, so not read by an upload: each is
 * read once here, and must be the validated bytes, as a document that is sent must. */
static int
check_unsent(const struct session *s, const struct docs *ds, struct yj_error *err)
{
    char hex[SHA256_HEX_LEN + 1];
    unsigned long long bytes = 0;

    for (size_t i = 0; i < ds->n; i++) {
        if (!submit_received_entry(s, ds->d[i].sha))
            continue;
        if (sha256_file(ds->d[i].path, hex, &bytes) != 0)
            return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                                  "could not read return '%s'", ds->d[i].path);
        if (strcmp(hex, ds->d[i].sha) != 0 || bytes != ds->d[i].bytes)
            return submit_document_differs(ds->d[i].path, NULL, err);
    }
    return YJ_OK;
}

/* Each document in order: one the ledger says was received gets its receipt rebuilt, the
 * others are sent; the first that fails stops the upload. */
static int
upload_documents(struct session *s, const struct docs *ds, struct yj_error *err)
{
    int rc = YJ_OK;

    for (size_t i = 0; i < ds->n; i++) {
        char part[64];
        const struct ledger_entry *e = submit_received_entry(s, ds->d[i].sha);

        snprintf(part, sizeof(part), "%zu of %zu", i + 1, ds->n);
        if (e) {
            struct ledger_entry copy = *e;
            log_info("part %s: already received (ledger entry %llu); not sent again", part, copy.n);
            if ((rc = submit_rebuild_receipt(s, &copy, err)) != YJ_OK)
                return rc;
            continue;
        }
        rc = submit_send_document(s, &ds->d[i], i, err);
        if (rc != YJ_OK) {
            if (ds->n > 1) {
                yj_error_detail(err,
                                "part %s ('%s'): the return is not submitted until every part "
                                "has its receipt; %zu of %zu were received",
                                part, ds->d[i].path, i, ds->n);
                if (!err->hint[0])
                    yj_error_hint(err, "run yj-submit again: parts already received are not "
                                       "sent again");
            }
            return rc;
        }
    }
    if (ds->n > 1)
        log_info("submitted all %zu parts; receipts in %s/submit", ds->n, s->opt->run_dir);
    return rc;
}

int
submit_run(const struct yj_config *cfg, const struct submit_options *opt, struct yj_error *err)
{
    struct docs ds = {0};
    struct session s;
    struct yj_period p;
    char *period = NULL, *ledger_path = NULL;
    const char **shas = NULL;
    unsigned long long children = 0;
    int rc, all = 1, lock_fd = -1, lock_inherited = 0;

    memset(&s, 0, sizeof(s));
    s.lg.fd = -1;
    if ((rc = check_settings(cfg, opt, &ledger_path, err)) != YJ_OK)
        goto done;
    /* every part is checked before the first is sent */
    if ((rc = check_validated(opt->run_dir, &ds, &period, err)) != YJ_OK)
        goto done;
    /* the period goes into the upload's name: it must be one */
    if (!period || period_parse(period, &p, err) != YJ_OK || strcmp(p.label, period) != 0) {
        rc = yj_error_set(err, YJ_EX_DATAERR,
                          "return manifest in '%s' does not name a period (YYYYQn)", opt->run_dir);
        goto done;
    }
    if ((rc = scan_documents(opt->run_dir, &ds, err)) != YJ_OK)
        goto done;
    for (size_t i = 0; i < ds.n; i++)
        children += (unsigned long long)ds.d[i].children;
    if (children == 0 && !opt->allow_empty) {
        rc = yj_error_set(err, YJ_EX_EMPTY,
                          "return '%s' holds no child documents: an empty return is not sent",
                          ds.d[0].path);
        yj_error_hint(err,
                      "if the service really had no children in %s, send it with "
                      "--allow-empty (yj-run --submit --allow-empty)",
                      period);
        goto done;
    }
    s.cfg = cfg;
    s.opt = opt;
    s.period = period;
    s.ndocs = ds.n;
    s.backoff = cfg->submit_backoff > 0 ? cfg->submit_backoff : CONFIG_DEFAULT_BACKOFF;
    s.deadline =
        log_now() + (cfg->submit_deadline > 0 ? cfg->submit_deadline : CONFIG_DEFAULT_DEADLINE);
    if (!realpath(opt->run_dir, s.run))
        snprintf(s.run, sizeof(s.run), "%s", opt->run_dir);
    shas = xcalloc(ds.n, sizeof(char *));
    for (size_t i = 0; i < ds.n; i++)
        shas[i] = ds.d[i].sha;
    ledger_return_sha256(shas, ds.n, s.return_sha);
    /* the lock of the service and period, yj-run's (etl/core/runlock.h): a hand-started
     * upload never overlaps a run of the same period; under yj-run, its own lock */
    if (cfg->runs_root && *cfg->runs_root) {
        char *service_dir = path_join(cfg->runs_root, cfg->yot_ou_code);
        char *lock = runlock_path(cfg->runs_root, cfg->yot_ou_code, period);
        rc = mkdir_p(service_dir, RUNDIR_DIR_MODE, err);
        if (rc == YJ_OK)
            rc = runlock_take(lock, &lock_fd, &lock_inherited, err);
        free(service_dir);
        free(lock);
        if (rc != YJ_OK)
            goto done;
    }
    if ((rc = ledger_open(&s.lg, ledger_path, s.deadline - log_now(), err)) != YJ_OK)
        goto done;
    if ((rc = check_unsent(&s, &ds, err)) != YJ_OK)
        goto done;
    for (size_t i = 0; i < ds.n; i++)
        all &= submit_received_entry(&s, ds.d[i].sha) != NULL;
    if (all) {
        rc = submit_already_submitted(&s, &ds, err);
        goto done;
    }
    s.curl = curl_easy_init();
    if (!s.curl) {
        rc = yj_error_set(err, YJ_EX_SOFTWARE, "could not initialise libcurl");
        goto done;
    }
    s.head_headers = curl_slist_append(NULL, "Expect:");
    /* what earlier uploads of the period left unknown is settled first (unless this return
     * is refused as a correction anyway): it may be the period's return */
    if (!submit_number_submission(&s, &ds, 1, err) &&
        (rc = submit_resolve_pending(&s, &ds, err)) != YJ_OK)
        goto done;
    if ((rc = submit_number_submission(&s, &ds, 0, err)) != YJ_OK)
        goto done;
    /* a correction shows what it changes before anything of it is sent or recorded */
    if (s.corrects.seq && (rc = submit_correction(&s, err)) != YJ_OK)
        goto done;
    rc = upload_documents(&s, &ds, err);
done:
    if (s.curl)
        curl_easy_cleanup(s.curl);
    curl_slist_free_all(s.head_headers);
    ledger_close(&s.lg);
    free(s.corrects.run);
    free(s.receipt_extra);
    if (lock_fd >= 0 && !lock_inherited)
        close(lock_fd);
    docs_release(&ds);
    free(shas);
    free(period);
    free(ledger_path);
    return rc;
}
