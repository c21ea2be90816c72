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
 * received are not sent again ("already submitted", exit 0). Bytes that were sent without a
 * recorded answer (a 5xx, a timeout, a cut answer, a crash) are looked for at the receiver
 * first (HEAD of the content-addressed name, complete when its length is the payload's); a
 * 409 for that name means the receiver already holds those bytes. Other bytes for a period
 * already received are a correction: refused (81) unless --resubmit, then the period's next
 * submission number.
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
 */
#include "submit.h"

#include "atomic.h"
#include "cli.h"
#include "ledger.h"
#include "log.h"
#include "manifest.h"
#include "report.h"
#include "mem.h"
#include "period.h"
#include "runlock.h"
#include "seal.h"

#include <curl/curl.h>
#include <errno.h>
#include <libxml/xmlreader.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_RESPONSE (64 * 1024)

/* One document of the return: cld.xml, or one part of a split return. */
struct doc {
    char *name;    /* "cld.xml" or "cld-part-0001.xml" */
    char *path;    /* RUN/return/<name> */
    char *report;  /* RUN/validate/report.txt or report-0001.txt */
    char *receipt; /* RUN/submit/receipt or receipt-0001 */
    char sha[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
    unsigned long long rows; /* children, by the manifest */
    long long children;      /* children, by the validation report of these bytes; -1: none */
    long document_count;     /* the envelope's; -1 if absent */
    char *source_return_id;
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
        char *ret = path_join(run_dir, "return");
        d->path = path_join(ret, name);
        free(ret);
    }
    {
        char *validate = path_join(run_dir, "validate"), *submit = path_join(run_dir, "submit");
        d->report = manifest_part_file(validate, name, "report", ".txt");
        d->receipt = manifest_part_file(submit, name, "receipt", "");
        free(validate);
        free(submit);
    }
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
    const struct manifest_file *f = manifest_find_file(m, d->name);
    int valid = 0, same = 0;

    if (!f)
        return yj_error_set(err, YJ_EX_IOERR, "manifest '%s' does not list %s", mpath, d->name);
    if (sha256_file(d->path, d->sha, &d->bytes) != 0)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not read return '%s'", d->path);
    if (strcmp(d->sha, f->sha256) != 0)
        return yj_error_set(err, YJ_EX_IOERR, "return '%s' does not match its manifest", d->path);
    d->rows = f->rows;
    if (report_verdict(d->report, d->sha, &same, &valid, &d->children) != 0) {
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
    char *mpath = path_join(run_dir, "return/MANIFEST");
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

/* Reads the document's envelope (and nothing after it): its sourceReturnId and documentCount.
 * The child documents were counted by yj-validate in the report of these very bytes (the
 * SHA-256 was checked against the manifest and the report), so the whole return is not parsed
 * again: documentCount must equal the report's children and the manifest's rows. Values are
 * never logged. */
static int
scan_document(struct doc *d, struct yj_error *err)
{
    xmlTextReaderPtr r =
        xmlReaderForFile(d->path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int ret, in_envelope = 0, seen = 0;

    d->document_count = -1;
    if (!r)
        return yj_error_set(err, YJ_EX_NOINPUT, "could not open return '%s'", d->path);
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
        const char *name = (const char *)xmlTextReaderConstLocalName(r);

        if (type == XML_READER_TYPE_END_ELEMENT && depth == 1 && strcmp(name, "envelope") == 0)
            break;
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        if (depth == 1 && strcmp(name, "envelope") == 0)
            in_envelope = seen = 1;
        else if (depth == 1)
            break; /* past where the envelope is */
        else if (in_envelope && depth == 2 && strcmp(name, "sourceReturnId") == 0) {
            xmlChar *v = xmlTextReaderReadString(r);
            free(d->source_return_id);
            d->source_return_id = xstrdup(v ? (const char *)v : "");
            xmlFree(v);
        } else if (in_envelope && depth == 2 && strcmp(name, "documentCount") == 0) {
            xmlChar *v = xmlTextReaderReadString(r);
            const char *t = v ? (const char *)v : "";
            d->document_count = *t && strspn(t, "0123456789") == strlen(t) && strlen(t) < 12
                                    ? strtol(t, NULL, 10)
                                    : -2;
            xmlFree(v);
        }
    }
    xmlFreeTextReader(r);
    if (ret < 0 || !seen)
        return yj_error_set(err, YJ_EX_DATAERR,
                            "return '%s' has no readable envelope: it is never sent", d->path);
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

/* ---- HTTP ---- */

struct answer {
    CURLcode cc;
    long http;
    char curl_err[CURL_ERROR_SIZE];
    struct response hdr, body;
    curl_off_t retry_after; /* seconds; 0: none */
    curl_off_t length;      /* Content-Length of the answer; -1: unknown */
    char location[256];     /* of a redirect, printable ASCII only */
};

static void
answer_release(struct answer *a)
{
    free(a->hdr.data);
    free(a->body.data);
    memset(a, 0, sizeof(*a));
}

enum verdict {
    V_RECEIVED,  /* the receiver has these bytes */
    V_ABSENT,    /* HEAD: not there */
    V_UNKNOWN,   /* HEAD: cannot tell (not supported): PUT decides */
    V_TEMPORARY, /* worth retrying */
    V_FAILED,    /* never retried: see the status */
};

static const char *
reason(long http)
{
    static const struct {
        long code;
        const char *text;
    } t[] = {
        {200, "OK"},
        {201, "Created"},
        {202, "Accepted"},
        {204, "No Content"},
        {301, "Moved Permanently"},
        {302, "Found"},
        {303, "See Other"},
        {307, "Temporary Redirect"},
        {308, "Permanent Redirect"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {408, "Request Timeout"},
        {409, "Conflict"},
        {411, "Length Required"},
        {413, "Content Too Large"},
        {415, "Unsupported Media Type"},
        {422, "Unprocessable Content"},
        {429, "Too Many Requests"},
        {500, "Internal Server Error"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (t[i].code == http)
            return t[i].text;
    return "";
}

/* A TLS alert by which the server refused the client's certificate, even when it aborted the
 * handshake (TLS 1.2) or closed right after it (TLS 1.3). */
static int
client_cert_alert(const char *msg)
{
    static const char *const alerts[] = {
        "alert unknown ca",
        "alert bad certificate",
        "alert certificate required",
        "alert certificate unknown",
        "alert certificate revoked",
        "alert certificate expired",
        "alert unsupported certificate",
        "alert access denied",
    };
    for (size_t i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++)
        if (strstr(msg, alerts[i]))
            return 1;
    return 0;
}

/* What one answer means. *status is the exit status for V_TEMPORARY and V_FAILED; summary
 * gets one line without personal data (no body, no server text but the status). */
static enum verdict
classify(const struct answer *a, int head, unsigned long long bytes, int *status, char *summary,
         size_t n)
{
    if (a->cc != CURLE_OK) {
        const char *what = curl_easy_strerror(a->cc);
        if (client_cert_alert(a->curl_err)) {
            snprintf(summary, n, "TLS alert from the receiver: client certificate refused");
            *status = YJ_EX_PROTOCOL;
            return V_FAILED;
        }
        switch (a->cc) {
        case CURLE_PEER_FAILED_VERIFICATION:
            snprintf(summary, n, "the receiver's certificate is not trusted");
            *status = YJ_EX_PROTOCOL;
            return V_FAILED;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
            snprintf(summary, n, "could not connect: %s", what);
            *status = YJ_EX_UNAVAILABLE;
            return V_FAILED;
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ENGINE_NOTFOUND:
            snprintf(summary, n, "could not use the TLS files: %s", what);
            *status = YJ_EX_CONFIG;
            return V_FAILED;
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
            if (a->http > 0)
                snprintf(summary, n, "HTTP %ld %s, then the answer was cut off: %s", a->http,
                         reason(a->http), what);
            else
                snprintf(summary, n, "no answer: %s", what);
            *status = YJ_EX_TEMPFAIL;
            return V_TEMPORARY;
        case CURLE_SSL_CONNECT_ERROR:
            if (strstr(a->curl_err, "reset") || strstr(a->curl_err, "SYSCALL") ||
                strstr(a->curl_err, "unexpected eof")) {
                snprintf(summary, n, "the connection was reset during the TLS handshake");
                *status = YJ_EX_TEMPFAIL;
                return V_TEMPORARY;
            }
            snprintf(summary, n, "TLS handshake failed: %s", what);
            *status = YJ_EX_PROTOCOL;
            return V_FAILED;
        default:
            snprintf(summary, n, "transfer failed: %s", what);
            *status = YJ_EX_PROTOCOL;
            return V_FAILED;
        }
    }
    if (head) {
        if (a->http == 200 && (a->length < 0 || (unsigned long long)a->length == bytes)) {
            snprintf(summary, n, "HTTP 200 OK: the receiver holds these %llu bytes", bytes);
            return V_RECEIVED;
        }
        if (a->http == 200) {
            snprintf(summary, n,
                     "HTTP 200 OK, but the receiver holds %lld bytes under this name, not %llu",
                     (long long)a->length, bytes);
            *status = YJ_EX_REJECTED;
            return V_FAILED;
        }
        if (a->http == 404 || a->http == 410) {
            snprintf(summary, n, "HTTP %ld %s: not at the receiver", a->http, reason(a->http));
            return V_ABSENT;
        }
    }
    snprintf(summary, n, "HTTP %ld %s", a->http, reason(a->http));
    if (a->http >= 200 && a->http <= 299 && !head)
        return V_RECEIVED;
    if (a->http == 409 && !head) {
        snprintf(summary, n,
                 "HTTP 409 Conflict: the receiver already holds this "
                 "content-addressed name");
        return V_RECEIVED;
    }
    if (a->http >= 300 && a->http <= 399) {
        snprintf(summary, n, "HTTP %ld %s: a redirect%s%s, never followed", a->http,
                 reason(a->http), a->location[0] ? " to " : "", a->location);
        *status = YJ_EX_REJECTED;
        return V_FAILED;
    }
    if (a->http == 400 && a->body.data &&
        (strstr(a->body.data, "SSL certificate") || strstr(a->body.data, "No required SSL"))) {
        snprintf(summary, n, "HTTP 400 Bad Request: client certificate refused");
        *status = YJ_EX_PROTOCOL;
        return V_FAILED;
    }
    if (a->http >= 500 || a->http == 408 || a->http == 429) {
        if (a->retry_after > 0) {
            size_t k = strlen(summary);
            snprintf(summary + k, n - k, ", Retry-After %lld s", (long long)a->retry_after);
        }
        *status = YJ_EX_TEMPFAIL;
        return V_TEMPORARY;
    }
    if (head)
        return V_UNKNOWN;
    *status = YJ_EX_REJECTED;
    return V_FAILED;
}

/* ---- one submission ---- */

struct session {
    const struct yj_config *cfg;
    const struct submit_options *opt;
    struct ledger lg;
    CURL *curl;
    struct curl_slist *headers;
    const char *period;
    char run[PATH_MAX];
    char return_sha[SHA256_HEX_LEN + 1];
    unsigned long seq;
    double deadline; /* log_now() seconds */
    double backoff;
    size_t ndocs;
};

static void
entry_for(const struct session *s, const struct doc *d, size_t i, const char *event,
          struct ledger_entry *e, char *part, size_t np)
{
    static char seal[SHA256_HEX_LEN + 1]; /* one yj-submit at a time: one buffer */

    memset(e, 0, sizeof(*e));
    snprintf(part, np, "%zu/%zu", i + 1, s->ndocs);
    e->service = s->cfg->yot_ou_code;
    e->period = (char *)s->period;
    e->seq = s->seq;
    e->event = (char *)event;
    e->source_return_id = d->source_return_id;
    e->return_sha256 = (char *)s->return_sha;
    e->part = part;
    e->sha256 = (char *)d->sha;
    e->bytes = d->bytes;
    e->run = (char *)s->run;
    /* the run's seal as the run folder is now (seal.h): the ledger names its manifests and
     * reports */
    e->seal = seal_compute(s->opt->run_dir, seal) == 0 ? seal : NULL;
}

static int
record(struct session *s, const struct doc *d, size_t i, const char *event, long http,
       const char *result, const char *answer, struct yj_error *err)
{
    struct ledger_entry e;
    char part[48];

    entry_for(s, d, i, event, &e, part, sizeof(part));
    e.http = http;
    e.result = (char *)result;
    e.answer = (char *)answer;
    return ledger_append(&s->lg, &e, err);
}

/* The ledger entry that says the receiver has these bytes of this service and period, or
 * NULL. */
static const struct ledger_entry *
received_entry(const struct session *s, const char *sha)
{
    for (size_t k = 0; k < s->lg.n; k++) {
        const struct ledger_entry *e = &s->lg.e[k];
        if (strcmp(e->result, "received") == 0 && strcmp(e->sha256, sha) == 0 &&
            strcmp(e->service, s->cfg->yot_ou_code) == 0 && strcmp(e->period, s->period) == 0)
            return e;
    }
    return NULL;
}

/* 1 if these bytes were sent before (by any run); for bytes not received, the answer was
 * lost and the receiver is asked first. */
static int
sent_before(const struct session *s, const char *sha)
{
    for (size_t k = 0; k < s->lg.n; k++) {
        const struct ledger_entry *e = &s->lg.e[k];
        if (strcmp(e->event, "send") == 0 && strcmp(e->sha256, sha) == 0 &&
            strcmp(e->service, s->cfg->yot_ou_code) == 0 && strcmp(e->period, s->period) == 0)
            return 1;
    }
    return 0;
}

static void
set_common_options(struct session *s, char *curl_err)
{
    CURL *c = s->curl;

    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, s->headers);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "yjreturns/" YJ_VERSION);
    curl_easy_setopt(c, CURLOPT_CAINFO, s->cfg->ca_file);
    curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(c, CURLOPT_SSLCERT, s->cfg->cert_file);
    curl_easy_setopt(c, CURLOPT_SSLKEY, s->cfg->key_file);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
}

/* One request, PUT of the document (in != NULL) or HEAD of its name, bounded by what is left
 * of the deadline. */
static void
request(struct session *s, const char *url, const struct doc *d, FILE *in, struct answer *a)
{
    double left = s->deadline - log_now();
    long left_ms = left > 0.001 ? (long)(left * 1000) : 1;
    char *loc = NULL;

    memset(a, 0, sizeof(*a));
    a->length = -1;
    set_common_options(s, a->curl_err);
    curl_easy_setopt(s->curl, CURLOPT_URL, url);
    curl_easy_setopt(s->curl, CURLOPT_HEADERDATA, &a->hdr);
    curl_easy_setopt(s->curl, CURLOPT_WRITEDATA, &a->body);
    curl_easy_setopt(s->curl, CURLOPT_TIMEOUT_MS, left_ms);
    curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT_MS, left_ms < 15000 ? left_ms : 15000L);
    /* a receiver that trickles its answer is given up on, not waited for */
    curl_easy_setopt(s->curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(s->curl, CURLOPT_LOW_SPEED_TIME,
                     left_ms / 1000 < 60 ? left_ms / 1000 + 1 : 60L);
    if (in) {
        rewind(in);
        curl_easy_setopt(s->curl, CURLOPT_NOBODY, 0L);
        curl_easy_setopt(s->curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(s->curl, CURLOPT_READDATA, in);
        curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)d->bytes);
    } else {
        curl_easy_setopt(s->curl, CURLOPT_UPLOAD, 0L);
        curl_easy_setopt(s->curl, CURLOPT_NOBODY, 1L);
    }
    a->cc = curl_easy_perform(s->curl);
    curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &a->http);
    curl_easy_getinfo(s->curl, CURLINFO_RETRY_AFTER, &a->retry_after);
    curl_easy_getinfo(s->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &a->length);
    if (curl_easy_getinfo(s->curl, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK && loc) {
        size_t k = 0;
        for (const char *p = loc; *p && k + 1 < sizeof(a->location); p++)
            a->location[k++] = *p > 0x20 && *p < 0x7f ? *p : '?';
        a->location[k] = '\0';
    }
    if (a->retry_after < 0)
        a->retry_after = 0;
}

/* Writes HEAD, then the receiver's answer (headers, then body), to PATH in DIR (created if
 * need be), atomically, with MODE: the shape of both a receipt and a kept refusal. */
static int
write_with_answer(const char *dir, const char *path, int mode, const char *head,
                  const struct answer *a, struct yj_error *err)
{
    struct atomic_file af;
    int rc;

    atomic_file_init(&af);
    if ((rc = mkdir_p(dir, 0750, err)) == YJ_OK &&
        (rc = atomic_file_open(&af, path, mode, err)) == YJ_OK &&
        (rc = atomic_file_write(&af, head, strlen(head), err)) == YJ_OK &&
        (rc = atomic_file_write(&af, a->hdr.data ? a->hdr.data : "", a->hdr.len, err)) == YJ_OK &&
        (rc = atomic_file_write(&af, "--- response body\n", 18, err)) == YJ_OK &&
        (rc = atomic_file_write(&af, a->body.data ? a->body.data : "", a->body.len, err)) == YJ_OK)
        rc = atomic_file_commit(&af, err);
    atomic_file_release(&af);
    return rc;
}

/* Keeps a refusal's whole answer (it may quote the return) in RUN/submit/answer-NNNNNN, mode
 * 0600, NNNNNN the number of the ledger entry that records it; *name gets "submit/answer-..". */
static int
keep_answer(struct session *s, const char *url, const struct answer *a, char *name, size_t n,
            struct yj_error *err)
{
    char *dir = path_join(s->opt->run_dir, "submit"), *path, head[1024];
    int rc;

    snprintf(name, n, "answer-%06llu", (unsigned long long)s->lg.n + 1);
    path = path_join(dir, name);
    snprintf(head, sizeof(head),
             "yjreturns-answer 1\nurl %s\nhttp_status %ld\n--- response headers\n", url, a->http);
    rc = write_with_answer(dir, path, 0600, head, a, err);
    snprintf(name, n, "submit/answer-%06llu", (unsigned long long)s->lg.n + 1);
    free(path);
    free(dir);
    return rc;
}

/* The receipt of one document; PART is "2 of 3" for a part of a split return, else NULL. HOW
 * says how the receiver's having it was learnt: "put", "conflict" or "head". */
static int
write_receipt(const struct session *s, const struct doc *d, const char *part, const char *url,
              const char *how, const struct answer *a, struct yj_error *err)
{
    char *dir = path_join(s->opt->run_dir, "submit");
    char head[2048], when[32], part_line[96] = "";
    time_t now = time(NULL);
    struct tm tm;
    int rc;

    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (part)
        snprintf(part_line, sizeof(part_line), "part %s\n", part);
    snprintf(head, sizeof(head),
             "yjreturns-receipt 1\nurl %s\nfile return/%s\n%ssha256 %s\nbytes %llu\n"
             "http_status %ld\nreceived_by %s\nsubmission %s %s %lu\nsubmitted_at %s\n"
             "--- response headers\n",
             url, d->name, part_line, d->sha, d->bytes, a->http, how, s->cfg->yot_ou_code,
             s->period, s->seq, when);
    rc = write_with_answer(dir, d->receipt, 0640, head, a, err);
    free(dir);
    return rc;
}

/* Seconds to wait before retry number `retry` (1, 2, ...): backoff * 2^(retry-1), at most
 * 60 s, with "equal jitter" (half fixed, half random), and never less than Retry-After. */
static double
retry_wait(const struct session *s, int retry, curl_off_t retry_after)
{
    double b = s->backoff;
    unsigned int r = 0;

    for (int k = 1; k < retry && b < 60; k++)
        b *= 2;
    if (b > 60)
        b = 60;
    if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
        r = (unsigned int)time(NULL) * 2654435761u;
    b = b / 2 + (b / 2) * ((double)r / 4294967296.0);
    return (double)retry_after > b ? (double)retry_after : b;
}

static void
pause_for(double seconds)
{
    struct timespec ts;

    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* 1 if the run already holds a receipt of these bytes: the first receipt is kept. */
static int
has_receipt(const struct doc *d)
{
    char want[SHA256_HEX_LEN + 16];
    size_t len = 0;
    int yes;
    FILE *f = fopen(d->receipt, "r");
    char buf[4096];

    if (!f)
        return 0;
    len = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[len] = '\0';
    snprintf(want, sizeof(want), "\nsha256 %s\n", d->sha);
    yes = strstr(buf, want) != NULL;
    return yes;
}

static const char *
result_name(enum verdict v, int status, const struct answer *a)
{
    switch (v) {
    case V_RECEIVED:
        return "received";
    case V_ABSENT:
        return "absent";
    case V_UNKNOWN:
        return "unknown";
    case V_TEMPORARY:
        return "temporary";
    default:
        if (status == YJ_EX_PROTOCOL)
            return "tls";
        return a->cc == CURLE_OK ? "rejected" : "error";
    }
}

/* Sends one document, exactly once: looks for it at the receiver first when it was sent
 * before without a recorded answer, retries what is worth retrying within the deadline, and
 * records every step in the ledger. */
static int
send_document(struct session *s, const struct doc *d, size_t i, struct yj_error *err)
{
    char name[256], part[64], summary[512], what[96], hdr_sha[128], *url = NULL;
    const char *base = s->cfg->submit_url;
    int check = sent_before(s, d->sha), uploads = 0, tries = 0, status = YJ_OK, rc;
    double t0 = log_now();
    FILE *in = NULL;
    struct answer a = {0};

    snprintf(part, sizeof(part), "%zu of %zu", i + 1, s->ndocs);
    if (s->ndocs > 1)
        snprintf(what, sizeof(what), "part %s", part);
    else
        snprintf(what, sizeof(what), "the return");
    /* content addressed: the same bytes always go to the same name */
    snprintf(name, sizeof(name), "%s-%s-%s.xml", s->cfg->yot_ou_code, s->period, d->sha);
    url = xmalloc(strlen(base) + strlen(name) + 2);
    sprintf(url, "%s%s%s", base, base[strlen(base) - 1] == '/' ? "" : "/", name);
    snprintf(hdr_sha, sizeof(hdr_sha), "X-Content-SHA256: %s", d->sha);
    s->headers = curl_slist_append(NULL, "Content-Type: application/xml");
    s->headers = curl_slist_append(s->headers, hdr_sha);
    s->headers = curl_slist_append(s->headers, "Expect:");
    in = fopen(d->path, "rb");
    if (!in) {
        rc = yj_error_errno(err, YJ_EX_NOINPUT, errno, "could not open '%s'", d->path);
        goto done;
    }
    if (check)
        log_info("%s was sent before without a recorded answer: asking the receiver for it "
                 "first",
                 what);
    for (;;) {
        enum verdict v;
        const char *event = check ? "check" : "answer";

        if (!check) {
            if ((rc = record(s, d, i, "send", 0, NULL, NULL, err)) != YJ_OK)
                goto done;
            uploads++;
            log_info("uploading %s: %llu bytes (sha256 %.16s...) to %s", what, d->bytes, d->sha,
                     url);
        }
        request(s, url, d, check ? NULL : in, &a);
        v = classify(&a, check, d->bytes, &status, summary, sizeof(summary));
        if (v == V_RECEIVED) {
            /* the receipt first: a crash before the ledger entry leaves bytes "sent without
             * an answer", which the next run confirms at the receiver */
            int wr = has_receipt(d) ? YJ_OK
                                    : write_receipt(s, d, s->ndocs > 1 ? part : NULL, url,
                                                    check           ? "head"
                                                    : a.http == 409 ? "conflict"
                                                                    : "put",
                                                    &a, err);
            struct yj_error e2;
            yj_error_init(&e2);
            rc = record(s, d, i, event, a.http, "received", summary, wr == YJ_OK ? err : &e2);
            if (wr != YJ_OK) {
                if (e2.code != YJ_OK)
                    log_yj_error(&e2);
                rc = wr;
            }
            if (rc == YJ_OK)
                log_info("submitted %s: %s; %llu bytes, %.2f s; receipt in %s", what, summary,
                         d->bytes, log_now() - t0, d->receipt);
            goto done;
        }
        if (!check && a.cc == CURLE_OK && a.http > 0) {
            char kept[64];
            size_t k = strlen(summary);
            if ((rc = keep_answer(s, url, &a, kept, sizeof(kept), err)) != YJ_OK)
                goto done;
            snprintf(summary + k, sizeof(summary) - k, "; answer kept in %s (mode 0600)", kept);
        }
        if ((rc = record(s, d, i, event, a.http, result_name(v, status, &a), summary, err)) !=
            YJ_OK)
            goto done;
        if (v == V_ABSENT || v == V_UNKNOWN) {
            log_info("%s: %s; uploading it", what, summary);
            check = 0;
            answer_release(&a);
            continue;
        }
        log_warn("%s: %s", what, summary);
        if (v == V_FAILED) {
            rc = yj_error_set(err, status, "%s '%s' failed: %s",
                              check ? "looking at the receiver for" : "upload to", url, summary);
            if (status == YJ_EX_PROTOCOL && strstr(summary, "client certificate"))
                yj_error_hint(err, "check [submit] cert_file and key_file: the receiver requires "
                                   "a client certificate it trusts");
            else if (status == YJ_EX_PROTOCOL)
                yj_error_hint(err, "check [submit] ca_file: the receiver's certificate must be "
                                   "signed by that CA");
            else if (a.http >= 300 && a.http <= 399)
                yj_error_hint(err, "a return goes only to [submit] url; if the receiver has "
                                   "moved, change the configuration");
            goto done;
        }
        /* temporary: the receiver may have stored the bytes before the answer was lost, so
         * the next try asks it first */
        check = 1;
        {
            double wait = retry_wait(s, ++tries, a.retry_after);
            double left = s->deadline - log_now();
            if (wait >= left) {
                rc = yj_error_set(err, YJ_EX_TEMPFAIL,
                                  "upload to '%s' failed: %s; gave up after %d upload%s in "
                                  "%.1f s ([submit] deadline)",
                                  url, summary, uploads, uploads == 1 ? "" : "s", log_now() - t0);
                yj_error_hint(err, "run yj-submit again (exit 75 is worth retrying): the ledger "
                                   "and the receiver are asked first, so nothing is sent twice");
                goto done;
            }
            log_info("retrying %s in %.1f s", what, wait);
            answer_release(&a);
            pause_for(wait);
        }
    }
done:
    answer_release(&a);
    curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, NULL); /* it was in a */
    curl_slist_free_all(s->headers);
    s->headers = NULL;
    if (in)
        fclose(in);
    free(url);
    return rc;
}

/* Records and logs that every document of the return is at the receiver already. */
static int
already_submitted(struct session *s, const struct docs *ds, struct yj_error *err)
{
    /* copied: appending moves the entries */
    const struct ledger_entry *first = received_entry(s, ds->d[0].sha);
    unsigned long long first_n = first->n;
    char *first_run = xstrdup(first->run), first_time[24];
    char answer[PATH_MAX + 128];
    int rc = YJ_OK;

    memcpy(first_time, first->time, sizeof(first_time));
    for (size_t i = 0; i < ds->n && rc == YJ_OK; i++) {
        const struct ledger_entry *e = received_entry(s, ds->d[i].sha);
        s->seq = e->seq;
        snprintf(answer, sizeof(answer),
                 "already received (ledger entry %llu, run %s); nothing sent", e->n, e->run);
        rc = record(s, &ds->d[i], i, "already", 0, "received", answer, err);
    }
    if (rc == YJ_OK)
        log_info("already submitted: the receiver has these bytes (ledger entry %llu of %s, "
                 "run %s); nothing sent, the first receipt is kept",
                 first_n, first_time, first_run);
    free(first_run);
    return rc;
}

/* The period's submission number for this return: its own if it was tried before, else the
 * next one. Other bytes of a period the receiver already has are a correction: refused (and
 * recorded) unless --resubmit. */
static int
number_submission(struct session *s, const struct docs *ds, struct yj_error *err)
{
    unsigned long own = 0, max = 0;
    const struct ledger_entry *other = NULL;

    for (size_t k = 0; k < s->lg.n; k++) {
        const struct ledger_entry *e = &s->lg.e[k];
        if (strcmp(e->service, s->cfg->yot_ou_code) != 0 || strcmp(e->period, s->period) != 0)
            continue;
        if (e->seq > max)
            max = e->seq;
        if (e->seq && strcmp(e->return_sha256, s->return_sha) == 0)
            own = e->seq;
        if (!other && strcmp(e->result, "received") == 0 &&
            strcmp(e->return_sha256, s->return_sha) != 0)
            other = e;
    }
    if (!own && other && !s->opt->resubmit) {
        char answer[512];
        struct ledger_entry e;
        char part[48];
        /* copied: appending moves the entries */
        unsigned long long other_n = other->n;
        unsigned long other_seq = other->seq;
        char *other_run = xstrdup(other->run);
        int rc;

        snprintf(answer, sizeof(answer),
                 "refused: the period was submitted with other bytes (ledger entry %llu, "
                 "submission %lu); no --resubmit",
                 other->n, other->seq);
        entry_for(s, &ds->d[0], 0, "refused", &e, part, sizeof(part));
        e.seq = 0;
        e.part = "-";
        e.sha256 = (char *)s->return_sha;
        e.bytes = 0;
        for (size_t i = 0; i < ds->n; i++)
            e.bytes += ds->d[i].bytes;
        e.result = "refused";
        e.answer = answer;
        if ((rc = ledger_append(&s->lg, &e, err)) != YJ_OK) {
            free(other_run);
            return rc;
        }
        yj_error_set(err, YJ_EX_RESUBMIT,
                     "%s %s was already submitted with other bytes (submission %lu, ledger "
                     "entry %llu, run %s): this return is a correction and is not sent",
                     s->cfg->yot_ou_code, s->period, other_seq, other_n, other_run);
        free(other_run);
        yj_error_hint(err,
                      "if it is meant to replace the return received, send it with "
                      "--resubmit (yj-run --submit --resubmit); it becomes submission %lu",
                      max + 1);
        return YJ_EX_RESUBMIT;
    }
    s->seq = own ? own : max + 1;
    if (other && !own)
        log_info("resubmission: %s %s was submitted before (submission %lu); this return is "
                 "submission %lu",
                 s->cfg->yot_ou_code, s->period, other->seq, s->seq);
    return YJ_OK;
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
    if (opt->ledger)
        ledger_path = xstrdup(opt->ledger);
    else if (cfg->runs_root && *cfg->runs_root)
        ledger_path = path_join(cfg->runs_root, "ledger");
    else {
        rc = yj_error_set(err, YJ_EX_CONFIG,
                          "config file '%s': missing [run] runs_root, which holds the "
                          "submission ledger",
                          cfg->path);
        yj_error_hint(err, "give the ledger with --ledger FILE, or set [run] runs_root");
        goto done;
    }
    if ((rc = check_file(cfg->ca_file, "could not use CA file", 0, err)) ||
        (rc = check_file(cfg->cert_file, "could not use client certificate", 0, err)) ||
        (rc = check_file(cfg->key_file, "could not use client key", 1, err)))
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
    for (size_t i = 0; i < ds.n; i++) {
        if ((rc = scan_document(&ds.d[i], err)) != YJ_OK)
            goto done;
        children += (unsigned long long)ds.d[i].children;
    }
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
        rc = mkdir_p(service_dir, 0750, err);
        if (rc == YJ_OK)
            rc = runlock_take(lock, &lock_fd, &lock_inherited, err);
        free(service_dir);
        free(lock);
        if (rc != YJ_OK)
            goto done;
    }
    if ((rc = ledger_open(&s.lg, ledger_path, s.deadline - log_now(), err)) != YJ_OK)
        goto done;
    for (size_t i = 0; i < ds.n; i++)
        all &= received_entry(&s, ds.d[i].sha) != NULL;
    if (all) {
        rc = already_submitted(&s, &ds, err);
        goto done;
    }
    if ((rc = number_submission(&s, &ds, err)) != YJ_OK)
        goto done;
    s.curl = curl_easy_init();
    if (!s.curl) {
        rc = yj_error_set(err, YJ_EX_SOFTWARE, "could not initialise libcurl");
        goto done;
    }
    for (size_t i = 0; i < ds.n; i++) {
        char part[64];
        const struct ledger_entry *e = received_entry(&s, ds.d[i].sha);

        snprintf(part, sizeof(part), "%zu of %zu", i + 1, ds.n);
        if (e) {
            log_info("part %s: already received (ledger entry %llu); not sent again", part, e->n);
            continue;
        }
        rc = send_document(&s, &ds.d[i], i, err);
        if (rc != YJ_OK) {
            if (ds.n > 1) {
                yj_error_detail(err,
                                "part %s ('%s'): the return is not submitted until every part "
                                "has its receipt; %zu of %zu were received",
                                part, ds.d[i].path, i, ds.n);
                if (!err->hint[0])
                    yj_error_hint(err, "run yj-submit again: parts already received are not "
                                       "sent again");
            }
            goto done;
        }
    }
    if (ds.n > 1)
        log_info("submitted all %zu parts; receipts in %s/submit", ds.n, opt->run_dir);
done:
    if (s.curl)
        curl_easy_cleanup(s.curl);
    ledger_close(&s.lg);
    if (lock_fd >= 0 && !lock_inherited)
        close(lock_fd);
    docs_release(&ds);
    free(shas);
    free(period);
    free(ledger_path);
    return rc;
}
