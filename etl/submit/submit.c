/*
 * submit.c - the upload. Only a return whose bytes match both its transform manifest and a
 * "result valid" validation report of the same SHA-256 leaves the machine. The transfer is
 * HTTPS only (libcurl limited to the https protocol, redirects not followed), the server is
 * verified against the configured CA only, and the client presents its certificate. The
 * receipt (server status, headers and body, the payload's SHA-256 and size) is written
 * atomically after a 2xx answer, and only then: no receipt means not submitted.
 *
 * A return split into parts (its MANIFEST lists cld-part-NNNN.xml) is checked whole first:
 * every part must match the manifest and have a passing validation/report-NNNN.txt of its
 * SHA-256, or nothing is sent. Then each part is uploaded in order under its own
 * content-addressed name, with its own receipt submit/receipt-NNNN; the first part that fails
 * stops the upload and sets the exit status, and the return counts as submitted only when
 * every part has its receipt. An unsplit cld.xml goes exactly as it always did.
 */
#include "submit.h"

#include "atomic.h"
#include "cli.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_RESPONSE (64 * 1024)

/* One document of the return: cld.xml, or one part of a split return. */
struct doc {
    char *name;    /* "cld.xml" or "cld-part-0001.xml" */
    char *path;    /* RUN/return/<name> */
    char *report;  /* RUN/validate/report.txt or report-0001.txt */
    char *receipt; /* RUN/submit/receipt or receipt-0001 */
    char sha[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
};

struct docs {
    struct doc *d;
    size_t n;
};

static void
docs_release(struct docs *ds)
{
    for (size_t i = 0; i < ds->n; i++) {
        free(ds->d[i].name);
        free(ds->d[i].path);
        free(ds->d[i].report);
        free(ds->d[i].receipt);
    }
    free(ds->d);
    ds->d = NULL;
    ds->n = 0;
}

/* "0003" of "cld-part-0003.xml", its length in *len; NULL for any other name. */
static const char *
part_digits(const char *name, size_t *len)
{
    size_t np = strlen("cld-part-"), n = strlen(name);

    if (n <= np + 4 || strncmp(name, "cld-part-", np) != 0 || strcmp(name + n - 4, ".xml") != 0)
        return NULL;
    *len = n - np - 4;
    return strspn(name + np, "0123456789") == *len ? name + np : NULL;
}

/* RUN/<sub>/<base><ext> for cld.xml, RUN/<sub>/<base>-NNNN<ext> for part NNNN. */
static char *
doc_file(const char *run_dir, const char *sub, const char *name, const char *base, const char *ext)
{
    size_t nd = 0;
    const char *digits = part_digits(name, &nd);
    size_t n = strlen(run_dir) + strlen(sub) + strlen(base) + nd + strlen(ext) + 4;
    char *p = xmalloc(n);

    if (digits)
        snprintf(p, n, "%s/%s/%s-%.*s%s", run_dir, sub, base, (int)nd, digits, ext);
    else
        snprintf(p, n, "%s/%s/%s%s", run_dir, sub, base, ext);
    return p;
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
        char *ret = path_join(run_dir, "return");
        d->path = path_join(ret, name);
        free(ret);
    }
    d->report = doc_file(run_dir, "validate", name, "report", ".txt");
    d->receipt = doc_file(run_dir, "submit", name, "receipt", "");
}

struct response {
    char *data;
    size_t len;
};

static size_t
collect(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct response *r = userdata;
    size_t n = size * nmemb, room = MAX_RESPONSE - r->len;
    size_t k = n < room ? n : room; /* keep at most MAX_RESPONSE, accept the rest */

    if (k) {
        r->data = xrealloc(r->data, r->len + k + 1);
        memcpy(r->data + r->len, ptr, k);
        r->len += k;
        r->data[r->len] = '\0';
    }
    return n;
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

/* One document must match its manifest line and a passing validation report of its SHA-256. */
static int
check_document(const struct manifest *m, const char *mpath, struct doc *d, struct yj_error *err)
{
    char line[4096], want[80];
    const struct manifest_file *f = manifest_find_file(m, d->name);
    FILE *rf = NULL;
    int rc, valid = 0, same = 0;

    if (!f) {
        rc = yj_error_set(err, YJ_EX_IOERR, "manifest '%s' does not list %s", mpath, d->name);
        goto done;
    }
    if (sha256_file(d->path, d->sha, &d->bytes) != 0) {
        rc = yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                            "could not read return '%s'", d->path);
        goto done;
    }
    if (strcmp(d->sha, f->sha256) != 0) {
        rc = yj_error_set(err, YJ_EX_IOERR, "return '%s' does not match its manifest", d->path);
        goto done;
    }
    rf = fopen(d->report, "r");
    if (!rf) {
        rc = yj_error_errno(err, YJ_EX_DATAERR, errno, "the return has no validation report '%s'",
                            d->report);
        yj_error_hint(err, "run yj-validate first; only a valid return is submitted");
        goto done;
    }
    snprintf(want, sizeof(want), "sha256 %s\n", d->sha);
    while (fgets(line, sizeof(line), rf)) {
        if (strcmp(line, want) == 0)
            same = 1;
        if (strcmp(line, "result valid\n") == 0)
            valid = 1;
    }
    if (!valid || !same) {
        rc = yj_error_set(err, YJ_EX_DATAERR, "return '%s' has not passed validation", d->path);
        yj_error_detail(err, "report '%s' %s", d->report,
                        !same ? "is for a different file" : "does not say 'result valid'");
        goto done;
    }
    rc = YJ_OK;
done:
    if (rf)
        fclose(rf);
    return rc;
}

/* The return (cld.xml, or every part) must be signed off, of a complete period, and each
 * document must match its manifest and a passing validation report. *period gets the
 * manifest's period (malloc'd, or NULL). */
static int
check_validated(const char *run_dir, struct docs *ds, char **period, struct yj_error *err)
{
    char *mpath = path_join(run_dir, "return/MANIFEST");
    struct manifest m;
    int rc;

    manifest_init(&m);
    if ((rc = manifest_read(&m, mpath, NULL, err)) != YJ_OK)
        goto done;
    for (size_t i = 0; i < m.nfiles; i++) {
        size_t nd;
        if (part_digits(m.files[i].name, &nd))
            docs_add(ds, run_dir, m.files[i].name);
    }
    if (ds->n == 0)
        docs_add(ds, run_dir, "cld.xml");
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

static int
status_for_curl(CURLcode c)
{
    switch (c) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
        return YJ_EX_UNAVAILABLE;
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
        return YJ_EX_TEMPFAIL;
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
        return YJ_EX_CONFIG;
    default:
        return YJ_EX_PROTOCOL;
    }
}

/* The receipt of one document; PART is "2 of 3" for a part of a split return, else NULL. */
static int
write_receipt(const char *run_dir, const struct doc *d, const char *part, const char *url,
              long http, const struct response *hdr, const struct response *body,
              struct yj_error *err)
{
    char *dir = path_join(run_dir, "submit");
    char head[2048], when[32], part_line[64] = "";
    time_t now = time(NULL);
    struct tm tm;
    struct atomic_file af;
    int rc;

    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (part)
        snprintf(part_line, sizeof(part_line), "part %s\n", part);
    snprintf(head, sizeof(head),
             "yjreturns-receipt 1\nurl %s\nfile return/%s\n%ssha256 %s\nbytes %llu\n"
             "http_status %ld\nsubmitted_at %s\n--- response headers\n",
             url, d->name, part_line, d->sha, d->bytes, http, when);
    atomic_file_init(&af);
    if ((rc = mkdir_p(dir, 0750, err)) == YJ_OK &&
        (rc = atomic_file_open(&af, d->receipt, 0640, err)) == YJ_OK &&
        (rc = atomic_file_write(&af, head, strlen(head), err)) == YJ_OK &&
        (rc = atomic_file_write(&af, hdr->data ? hdr->data : "", hdr->len, err)) == YJ_OK &&
        (rc = atomic_file_write(&af, "--- response body\n", 18, err)) == YJ_OK &&
        (rc = atomic_file_write(&af, body->data ? body->data : "", body->len, err)) == YJ_OK)
        rc = atomic_file_commit(&af, err);
    atomic_file_release(&af);
    free(dir);
    return rc;
}

/* Uploads one document with HTTP PUT under a content-addressed name (a retry of the same
 * bytes lands on the same name) and writes its receipt after a 2xx answer. */
static int
upload(const struct yj_config *cfg, const struct submit_options *opt, const struct doc *d,
       const char *period, const char *part, struct yj_error *err)
{
    char name[256], hdr_sha[128], curl_err[CURL_ERROR_SIZE];
    char *url = NULL;
    struct response hdr = {0}, body = {0};
    struct curl_slist *headers = NULL;
    CURL *curl = NULL;
    FILE *in = NULL;
    CURLcode cc;
    long http = 0;
    double t0 = log_now();
    int rc;

    if (period)
        snprintf(name, sizeof(name), "%s-%s-%.16s.xml", cfg->yot_ou_code, period, d->sha);
    else
        snprintf(name, sizeof(name), "%s-%.16s.xml", cfg->yot_ou_code, d->sha);
    url = xmalloc(strlen(cfg->submit_url) + strlen(name) + 2);
    snprintf(url, strlen(cfg->submit_url) + strlen(name) + 2, "%s%s%s", cfg->submit_url,
             cfg->submit_url[strlen(cfg->submit_url) - 1] == '/' ? "" : "/", name);

    in = fopen(d->path, "rb");
    if (!in) {
        rc = yj_error_errno(err, YJ_EX_NOINPUT, errno, "could not open '%s'", d->path);
        goto done;
    }
    curl = curl_easy_init();
    if (!curl) {
        rc = yj_error_set(err, YJ_EX_SOFTWARE, "could not initialise libcurl");
        goto done;
    }
    snprintf(hdr_sha, sizeof(hdr_sha), "X-Content-SHA256: %s", d->sha);
    headers = curl_slist_append(headers, "Content-Type: application/xml");
    headers = curl_slist_append(headers, hdr_sha);
    headers = curl_slist_append(headers, "Expect:");
    curl_err[0] = '\0';
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READDATA, in);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)d->bytes);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "yjreturns/" YJ_VERSION);
    curl_easy_setopt(curl, CURLOPT_CAINFO, cfg->ca_file);
    curl_easy_setopt(curl, CURLOPT_CAPATH, NULL);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(curl, CURLOPT_SSLCERT, cfg->cert_file);
    curl_easy_setopt(curl, CURLOPT_SSLKEY, cfg->key_file);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &hdr);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    log_info("uploading %llu bytes (sha256 %.16s...) to %s", d->bytes, d->sha, url);
    cc = curl_easy_perform(curl);
    if (cc != CURLE_OK) {
        rc = yj_error_set(err, status_for_curl(cc), "upload to '%s' failed: %s", url,
                          curl_err[0] ? curl_err : curl_easy_strerror(cc));
        if (cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CONNECT_ERROR)
            yj_error_hint(err, "check [submit] ca_file: the receiver's certificate must be "
                               "signed by that CA");
        goto done;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http);
    if (http < 200 || http > 299) {
        int cert_refused = http == 400 && body.data && strstr(body.data, "SSL certificate");
        rc = cert_refused                                ? YJ_EX_PROTOCOL
             : http >= 500 || http == 408 || http == 429 ? YJ_EX_TEMPFAIL
                                                         : YJ_EX_REJECTED;
        yj_error_set(err, rc, "receiver answered HTTP %ld to the upload of '%s'%s", http, name,
                     cert_refused ? ": client certificate refused" : "");
        if (cert_refused)
            yj_error_hint(err, "check [submit] cert_file and key_file: the receiver requires a "
                               "client certificate it trusts");
        goto done;
    }
    if ((rc = write_receipt(opt->run_dir, d, part, url, http, &hdr, &body, err)) != YJ_OK)
        goto done;
    log_info("submitted: HTTP %ld, %llu bytes in %.2f s; receipt in %s", http, d->bytes,
             log_now() - t0, d->receipt);
done:
    if (curl)
        curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    if (in)
        fclose(in);
    free(hdr.data);
    free(body.data);
    free(url);
    return rc;
}

int
submit_run(const struct yj_config *cfg, const struct submit_options *opt, struct yj_error *err)
{
    struct docs ds = {0};
    char *period = NULL;
    int rc;

    if ((rc = config_require(cfg->submit_url, "submit", "url", cfg->path, err)) ||
        (rc = config_require(cfg->ca_file, "submit", "ca_file", cfg->path, err)) ||
        (rc = config_require(cfg->cert_file, "submit", "cert_file", cfg->path, err)) ||
        (rc = config_require(cfg->key_file, "submit", "key_file", cfg->path, err)) ||
        (rc = config_require(cfg->yot_ou_code, "service", "yot_ou_code", cfg->path, err)))
        goto done;
    if (strncasecmp(cfg->submit_url, "https://", 8) != 0) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "config file '%s': [submit] url must use https://",
                          cfg->path);
        yj_error_detail(err, "a return holds children's criminal-offence data: it is never sent "
                             "over plain HTTP");
        goto done;
    }
    if ((rc = check_file(cfg->ca_file, "could not use CA file", 0, err)) ||
        (rc = check_file(cfg->cert_file, "could not use client certificate", 0, err)) ||
        (rc = check_file(cfg->key_file, "could not use client key", 1, err)))
        goto done;
    /* every part is checked before the first is sent */
    if ((rc = check_validated(opt->run_dir, &ds, &period, err)) != YJ_OK)
        goto done;
    for (size_t i = 0; i < ds.n; i++) {
        char part[64];
        snprintf(part, sizeof(part), "%zu of %zu", i + 1, ds.n);
        rc = upload(cfg, opt, &ds.d[i], period, ds.n > 1 ? part : NULL, err);
        if (rc != YJ_OK) {
            if (ds.n > 1) {
                yj_error_detail(err,
                                "part %s ('%s'): the return is not submitted until every part "
                                "has its receipt; %zu of %zu were received",
                                part, ds.d[i].path, i, ds.n);
                if (!err->hint[0])
                    yj_error_hint(err, "run yj-submit again: parts already received are sent "
                                       "again under the same names");
            }
            goto done;
        }
    }
    if (ds.n > 1)
        log_info("submitted all %zu parts; receipts in %s/submit", ds.n, opt->run_dir);
done:
    docs_release(&ds);
    free(period);
    return rc;
}
