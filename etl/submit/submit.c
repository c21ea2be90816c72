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
 */
#include "submit.h"

#include "atomic.h"
#include "cli.h"
#include "https.h"
#include "ledger.h"
#include "log.h"
#include "manifest.h"
#include "report.h"
#include "rundir.h"
#include "mem.h"
#include "period.h"
#include "runlock.h"
#include "seal.h"

#include <ctype.h>
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

#include "banned.h"

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
    curl_off_t retry_after;          /* seconds; 0: none */
    curl_off_t length;               /* Content-Length of the answer; -1: unknown */
    char location[256];              /* of a redirect, printable ASCII only */
    char digest[SHA256_HEX_LEN + 1]; /* the SHA-256 the receiver offers; "": none */
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
    V_UNKNOWN,   /* HEAD: an answer that does not say (405, 403, a 409 to a HEAD, no length) */
    V_CONFLICT,  /* PUT: 409 or 412, the name is taken: a HEAD tells by which bytes */
    V_OTHER,     /* HEAD: the receiver holds other bytes (length or digest) under the name */
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
        {410, "Gone"},
        {411, "Length Required"},
        {412, "Precondition Failed"},
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

/* The SHA-256 the receiver offers for what it holds under the name, from the answer's
 * headers: Repr-Digest: sha-256=:<base64>: (RFC 9530), Digest: SHA-256=<base64> (RFC 3230) or
 * X-Content-SHA256: <hex> (the header yj-submit sends with the bytes); "" when none. */
static void
offered_digest(const struct response *hdr, char out[SHA256_HEX_LEN + 1])
{
    const char *p = hdr->data, *end = hdr->data ? hdr->data + hdr->len : NULL;

    out[0] = '\0';
    while (p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end;
        const char *colon = memchr(p, ':', (size_t)(eol - p)), *v;
        size_t vn;

        if (colon) {
            size_t kn = (size_t)(colon - p);
            v = colon + 1;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            vn = (size_t)(eol - v);
            while (vn > 0 && (v[vn - 1] == '\r' || v[vn - 1] == ' ' || v[vn - 1] == '\t'))
                vn--;
            if (kn == 11 && strncasecmp(p, "repr-digest", 11) == 0) {
                for (size_t i = 0; i + 9 <= vn; i++)
                    if (strncasecmp(v + i, "sha-256=:", 9) == 0) {
                        const char *b = v + i + 9, *stop = memchr(b, ':', vn - i - 9);
                        if (stop)
                            sha256_hex_from_base64(b, (size_t)(stop - b), out);
                        break;
                    }
            } else if (kn == 6 && strncasecmp(p, "digest", 6) == 0) {
                for (size_t i = 0; i + 8 <= vn; i++)
                    if (strncasecmp(v + i, "sha-256=", 8) == 0) {
                        const char *b = v + i + 8;
                        size_t bn = strcspn(b, ", \r\n");
                        if (bn > vn - i - 8)
                            bn = vn - i - 8;
                        sha256_hex_from_base64(b, bn, out);
                        break;
                    }
            } else if (kn == 16 && strncasecmp(p, "x-content-sha256", 16) == 0 &&
                       vn == SHA256_HEX_LEN &&
                       strspn(v, "0123456789abcdefABCDEF") >= SHA256_HEX_LEN) {
                for (size_t i = 0; i < SHA256_HEX_LEN; i++)
                    out[i] = (char)tolower((unsigned char)v[i]);
                out[SHA256_HEX_LEN] = '\0';
            }
        }
        p = nl ? nl + 1 : end;
    }
}

/* What one answer means. HEAD (head != 0) asks whether the receiver holds BYTES bytes of
 * SHA-256 SHA under the name: 200 with that Content-Length, and that digest when it offers
 * one, is received; another length or digest is other bytes; 404 or 410 absent; anything
 * else it does not say. *status is the exit status for V_TEMPORARY, V_OTHER and V_FAILED;
 * summary gets one line without personal data (no body, no server text but the status). */
static enum verdict
classify(const struct answer *a, int head, unsigned long long bytes, const char *sha, int *status,
         char *summary, size_t n)
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
        case CURLE_COULDNT_RESOLVE_PROXY:
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
    if (head && a->http == 200) {
        int has_length = a->length >= 0, same_length = (unsigned long long)a->length == bytes;
        int same_digest = a->digest[0] && strcmp(a->digest, sha) == 0;
        if ((has_length && !same_length) || (a->digest[0] && !same_digest)) {
            if (has_length && !same_length)
                snprintf(summary, n,
                         "HTTP 200 OK, but the receiver holds %lld bytes under this name, not "
                         "%llu",
                         (long long)a->length, bytes);
            else
                snprintf(summary, n,
                         "HTTP 200 OK, but what the receiver holds under this name has SHA-256 "
                         "%.16s..., not %.16s...",
                         a->digest, sha);
            *status = YJ_EX_REJECTED;
            return V_OTHER;
        }
        if (!has_length && !same_digest) {
            snprintf(summary, n,
                     "HTTP 200 OK without a Content-Length or digest: it does not say which "
                     "bytes it holds");
            *status = YJ_EX_TEMPFAIL;
            return V_UNKNOWN;
        }
        snprintf(summary, n, "HTTP 200 OK: the receiver holds these %llu bytes%s", bytes,
                 same_digest ? " (and offers their SHA-256)" : "");
        return V_RECEIVED;
    }
    if (head && (a->http == 404 || a->http == 410)) {
        snprintf(summary, n, "HTTP %ld %s: not at the receiver", a->http, reason(a->http));
        return V_ABSENT;
    }
    snprintf(summary, n, "HTTP %ld %s", a->http, reason(a->http));
    if (a->http >= 200 && a->http <= 299 && !head)
        return V_RECEIVED;
    if ((a->http == 409 || a->http == 412) && !head) {
        snprintf(summary, n, "HTTP %ld %s: the name is taken at the receiver", a->http,
                 reason(a->http));
        return V_CONFLICT;
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
    if (head) {
        size_t k = strlen(summary);
        snprintf(summary + k, n - k,
                 ": an answer to a HEAD that does not say whether the "
                 "receiver holds these bytes");
        *status = YJ_EX_TEMPFAIL;
        return V_UNKNOWN;
    }
    *status = YJ_EX_REJECTED;
    return V_FAILED;
}

/* ---- one submission ---- */

struct session {
    const struct yj_config *cfg;
    const struct submit_options *opt;
    struct ledger lg;
    CURL *curl;
    struct curl_slist *put_headers, *head_headers;
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

/* What the ledger knows of a document (SHA-256) of this service and period. */
enum doc_state {
    DS_NEW,        /* never sent */
    DS_PENDING,    /* sent, and what the receiver did with it is not known: a crash, a lost or
                      cut answer, a timeout, a 5xx, a HEAD that could not tell */
    DS_NOT_STORED, /* sent, and known not to be there: refused (4xx, redirect, TLS) or not
                      found by a HEAD */
    DS_RECEIVED,
};

/* The state of the document SHA; *last gets the index of its last "send" entry (if any). */
static enum doc_state
doc_state(const struct session *s, const char *sha, size_t *last)
{
    enum doc_state st = DS_NEW;

    for (size_t k = 0; k < s->lg.n; k++) {
        const struct ledger_entry *e = &s->lg.e[k];
        if (strcmp(e->sha256, sha) != 0 || strcmp(e->service, s->cfg->yot_ou_code) != 0 ||
            strcmp(e->period, s->period) != 0 || st == DS_RECEIVED)
            continue;
        if (strcmp(e->event, "send") == 0) {
            st = DS_PENDING;
            *last = k;
        } else if (strcmp(e->event, "answer") != 0 && strcmp(e->event, "check") != 0 &&
                   strcmp(e->event, "already") != 0)
            continue; /* refused, repair: no outcome of an upload */
        else if (strcmp(e->result, "received") == 0)
            st = DS_RECEIVED;
        else if (st == DS_PENDING &&
                 (strcmp(e->result, "absent") == 0 ||
                  (strcmp(e->event, "answer") == 0 &&
                   (strcmp(e->result, "rejected") == 0 || strcmp(e->result, "tls") == 0))))
            st = DS_NOT_STORED; /* a HEAD's failure says nothing of the bytes */
        /* temporary, unknown, error: still pending */
    }
    return st;
}

/* The content-addressed URL of a document (malloc'd). */
static char *
upload_url(const struct session *s, const char *service, const char *period, const char *sha)
{
    return https_upload_url(s->cfg->submit_url, service, period, sha);
}

/* The route of every request is the configuration's: [submit] proxy, or none. libcurl would
 * otherwise take one from https_proxy, HTTPS_PROXY or ALL_PROXY (and skip it by NO_PROXY):
 * where children's data goes is never the environment's decision. */
static const char *
proxy_of(const struct yj_config *cfg)
{
    return cfg->submit_proxy && strcmp(cfg->submit_proxy, "none") != 0 ? cfg->submit_proxy : "";
}

static void
set_common_options(struct session *s, char *curl_err)
{
    CURL *c = s->curl;

    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROXY, proxy_of(s->cfg));
    curl_easy_setopt(c, CURLOPT_NOPROXY, "");
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

/* One request, PUT of BYTES bytes from IN (not NULL) or HEAD of the name, bounded by what is
 * left of the deadline. The PUT carries "If-None-Match: *": a receiver that honours it
 * never replaces what it holds under the name (412), and one that does not answers 409 or
 * stores it; either way a taken name is confirmed by a HEAD. */
static void
request(struct session *s, const char *url, unsigned long long bytes, FILE *in, struct answer *a)
{
    double left = s->deadline - log_now();
    long left_ms = left > 0.001 ? (long)(left * 1000) : 1;
    char *loc = NULL;

    memset(a, 0, sizeof(*a));
    a->length = -1;
    set_common_options(s, a->curl_err);
    curl_easy_setopt(s->curl, CURLOPT_URL, url);
    curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, in ? s->put_headers : s->head_headers);
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
        curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)bytes);
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
    offered_digest(&a->hdr, a->digest);
    curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, NULL); /* it is in a */
}

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
static int
keep_answer(struct session *s, const char *run_dir, const char *url, const struct answer *a,
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
static char *
document_name(const char *part)
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
static int
has_receipt(const char *path, const char *sha)
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

/* What a receipt records: the document, where and how it was received. */
struct receipt_of {
    const char *run_dir;
    const char *name; /* cld.xml or cld-part-NNNN.xml */
    const char *part; /* "k/n" */
    const char *sha;
    unsigned long long bytes;
    unsigned long seq;
    const char *period;
    const char *url;
    const char *how; /* put, conflict, head, ledger */
    long http;
    const char *when;  /* UTC, as the ledger writes it; NULL: now */
    const char *extra; /* more header lines ("key value\n"), or NULL */
};

/* Writes RUN_DIR/submit/receipt (or receipt-NNNN): what was received, then the receiver's
 * answer A (NULL: none) as printable text only. When the answer held other bytes, it is kept
 * whole in a 0600 answer file that the receipt names. */
static int
write_receipt(struct session *s, const struct receipt_of *r, const struct answer *a,
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
        if ((rc = keep_answer(s, r->run_dir, r->url, a, kept, sizeof(kept), err)) != YJ_OK)
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
static int
rebuild_receipt(struct session *s, const struct ledger_entry *e, struct yj_error *err)
{
    char *name = document_name(e->part), *ret = NULL, *file = NULL, *dir = NULL, *path = NULL;
    char hex[SHA256_HEX_LEN + 1], extra[1024];
    unsigned long long got = 0;
    struct stat st;
    int rc = YJ_OK;

    if (!name || !e->run || stat(e->run, &st) != 0 || !S_ISDIR(st.st_mode))
        goto done;
    dir = rundir_path(e->run, RD_SUBMIT_DIR);
    path = rundir_part_file(dir, RD_SUBMIT_RECEIPT, name);
    if (has_receipt(path, e->sha256))
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
        char *url = upload_url(s, e->service, e->period, e->sha256);
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
        rc = write_receipt(s, &r, NULL, err);
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

/* Seconds to wait before retry number `retry` (1, 2, ...): backoff * 2^(retry-1), at most
 * 60 s, with "equal jitter" (half fixed, half random), and never less than Retry-After. */
static double
retry_wait(const struct session *s, int retry, curl_off_t retry_after)
{
    unsigned int r = 0;

    if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
        r = (unsigned int)time(NULL) * 2654435761u;
    return submit_backoff(s->backoff, retry, r, (double)retry_after);
}

double
submit_backoff(double backoff, int retry, unsigned int r, double retry_after)
{
    double b = backoff;

    for (int k = 1; k < retry && b < 60; k++)
        b *= 2;
    if (b > 60)
        b = 60;
    b = b / 2 + (b / 2) * ((double)r / 4294967296.0);
    return retry_after > b ? retry_after : b;
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

/* The ledger's result for a verdict. Of a HEAD, other bytes under the name are "absent"
 * (these bytes are not there); of a PUT, "rejected". doc_state() reads them back. */
static const char *
result_name(enum verdict v, int head, int status, const struct answer *a)
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
    case V_OTHER:
        return head ? "absent" : "rejected";
    default:
        if (status == YJ_EX_PROTOCOL)
            return "tls";
        return a->cc == CURLE_OK ? "rejected" : "error";
    }
}

/* After a PUT answered 409 or 412: a HEAD of the name says whether it holds these bytes.
 * Turns *v and summary into the outcome: received (these bytes, by length and any digest),
 * other bytes (never received: 80), a TLS or connection failure, or, when the HEAD does not
 * say, temporary (asked again within the deadline, then 75). */
static void
confirm_conflict(struct session *s, const char *url, const struct doc *d, const struct answer *put,
                 enum verdict *v, int *status, char *summary, size_t n, curl_off_t *retry_after)
{
    struct answer h;
    char hs[512];
    int hstatus = YJ_OK;
    enum verdict hv;

    request(s, url, d->bytes, NULL, &h);
    hv = classify(&h, 1, d->bytes, d->sha, &hstatus, hs, sizeof(hs));
    switch (hv) {
    case V_RECEIVED:
        *v = V_RECEIVED;
        snprintf(summary, n,
                 "HTTP %ld %s: the receiver already holds these %llu bytes under this "
                 "content-addressed name (HEAD: length%s match)",
                 put->http, reason(put->http), d->bytes, h.digest[0] ? " and SHA-256" : "");
        break;
    case V_OTHER:
        *v = V_OTHER;
        *status = YJ_EX_REJECTED;
        snprintf(summary, n,
                 "HTTP %ld %s, and the receiver holds other bytes under this content-addressed "
                 "name (HEAD: %s): these were not received",
                 put->http, reason(put->http), hs);
        break;
    case V_FAILED:
        *v = V_FAILED;
        *status = hstatus;
        snprintf(summary, n, "HTTP %ld %s, then the HEAD that would confirm it failed: %s",
                 put->http, reason(put->http), hs);
        break;
    default:
        *v = V_TEMPORARY;
        *status = YJ_EX_TEMPFAIL;
        *retry_after = h.retry_after;
        snprintf(summary, n,
                 "HTTP %ld %s, and the HEAD that would confirm which bytes it holds did not say: "
                 "%s",
                 put->http, reason(put->http), hs);
        break;
    }
    answer_release(&h);
}

/* Sends one document, exactly once: looks for it at the receiver first when it was sent
 * before without a known outcome, retries what is worth retrying within the deadline, and
 * records every step in the ledger. */
static int
send_document(struct session *s, const struct doc *d, size_t i, struct yj_error *err)
{
    char part[64], summary[1024], what[96], hdr_sha[128], *url = NULL;
    size_t last = 0;
    int check = doc_state(s, d->sha, &last) == DS_PENDING, uploads = 0, tries = 0;
    unsigned long long send_n = check ? s->lg.e[last].n : 0; /* the last send's entry */
    int status = YJ_OK, rc;
    double t0 = log_now();
    FILE *in = NULL;
    struct answer a = {0};

    snprintf(part, sizeof(part), "%zu of %zu", i + 1, s->ndocs);
    if (s->ndocs > 1)
        snprintf(what, sizeof(what), "part %s", part);
    else
        snprintf(what, sizeof(what), "the return");
    /* content addressed: the same bytes always go to the same name */
    url = upload_url(s, s->cfg->yot_ou_code, s->period, d->sha);
    snprintf(hdr_sha, sizeof(hdr_sha), "X-Content-SHA256: %s", d->sha);
    s->put_headers = curl_slist_append(NULL, "Content-Type: application/xml");
    s->put_headers = curl_slist_append(s->put_headers, hdr_sha);
    s->put_headers = curl_slist_append(s->put_headers, "If-None-Match: *");
    s->put_headers = curl_slist_append(s->put_headers, "Expect:");
    in = fopen(d->path, "rb");
    if (!in) {
        rc = yj_error_errno(err, YJ_EX_NOINPUT, errno, "could not open '%s'", d->path);
        goto done;
    }
    if (check)
        log_info("%s was sent before without a known outcome (ledger entry %llu): asking the "
                 "receiver for it first",
                 what, send_n);
    for (;;) {
        enum verdict v;
        const char *event = check ? "check" : "answer", *how = check ? "head" : "put";
        curl_off_t retry_after;

        if (!check) {
            if ((rc = record(s, d, i, "send", 0, NULL, NULL, err)) != YJ_OK)
                goto done;
            send_n = s->lg.e[s->lg.n - 1].n;
            uploads++;
            log_info("uploading %s: %llu bytes (sha256 %.16s...) to %s", what, d->bytes, d->sha,
                     url);
        }
        request(s, url, d->bytes, check ? NULL : in, &a);
        v = classify(&a, check, d->bytes, d->sha, &status, summary, sizeof(summary));
        retry_after = a.retry_after;
        if (v == V_CONFLICT) {
            confirm_conflict(s, url, d, &a, &v, &status, summary, sizeof(summary), &retry_after);
            how = "conflict";
        }
        if (v == V_RECEIVED) {
            /* the receipt first: a crash before the ledger entry leaves bytes "sent without
             * an answer", which the next run confirms at the receiver */
            struct yj_error e2;
            int wr = YJ_OK;
            if (!has_receipt(d->receipt, d->sha)) {
                char dpart[48];
                struct receipt_of r = {0};
                snprintf(dpart, sizeof(dpart), "%zu/%zu", i + 1, s->ndocs);
                r.run_dir = s->opt->run_dir;
                r.name = d->name;
                r.part = dpart;
                r.sha = d->sha;
                r.bytes = d->bytes;
                r.seq = s->seq;
                r.period = s->period;
                r.url = url;
                r.how = how;
                r.http = a.http;
                wr = write_receipt(s, &r, &a, err);
            }
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
            if ((rc = keep_answer(s, s->opt->run_dir, url, &a, kept, sizeof(kept), err)) != YJ_OK)
                goto done;
            snprintf(summary + k, sizeof(summary) - k, "; answer kept in %s (mode 0600)", kept);
        }
        if ((rc = record(s, d, i, event, a.http, result_name(v, check, status, &a), summary,
                         err)) != YJ_OK)
            goto done;
        if (v == V_ABSENT) {
            log_info("%s: %s; uploading it", what, summary);
            check = 0;
            answer_release(&a);
            continue;
        }
        log_warn("%s: %s", what, summary);
        if (v == V_OTHER) {
            rc = yj_error_set(err, YJ_EX_REJECTED,
                              "%s was not received: the receiver holds other bytes under its "
                              "content-addressed name '%s'",
                              what, url);
            yj_error_detail(err, "%s", summary);
            yj_error_hint(err, "the name holds the SHA-256 of the bytes it should hold, and "
                               "nothing there is replaced: ask the receiver's operator what it "
                               "holds under it");
            goto done;
        }
        if (v == V_UNKNOWN) {
            rc = yj_error_set(err, YJ_EX_TEMPFAIL,
                              "%s was sent before (ledger entry %llu) and the receiver does not "
                              "say whether it holds it: nothing is sent, so that it is never "
                              "received twice",
                              what, send_n);
            yj_error_detail(err, "HEAD %s: %s", url, summary);
            yj_error_hint(err, "run it again later (exit 75 is worth retrying): the receiver is "
                               "asked again first; if its HEAD never answers 200 with the "
                               "length, or 404, ask its operator whether it holds that name");
            goto done;
        }
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
            double wait = retry_wait(s, ++tries, retry_after);
            double left = s->deadline - log_now();
            if (wait >= left) {
                if (uploads)
                    rc = yj_error_set(err, YJ_EX_TEMPFAIL,
                                      "upload to '%s' failed: %s; gave up after %d upload%s in "
                                      "%.1f s ([submit] deadline)",
                                      url, summary, uploads, uploads == 1 ? "" : "s",
                                      log_now() - t0);
                else
                    rc = yj_error_set(err, YJ_EX_TEMPFAIL,
                                      "%s was sent before (ledger entry %llu) and asking the "
                                      "receiver for it failed: %s; gave up after %.1f s "
                                      "([submit] deadline), nothing sent",
                                      what, send_n, summary, log_now() - t0);
                yj_error_hint(err, "run it again (exit 75 is worth retrying): the ledger and the "
                                   "receiver are asked first, so nothing is sent twice");
                goto done;
            }
            log_info("retrying %s in %.1f s", what, wait);
            answer_release(&a);
            pause_for(wait);
        }
    }
done:
    answer_release(&a);
    curl_slist_free_all(s->put_headers);
    s->put_headers = NULL;
    if (in)
        fclose(in);
    free(url);
    return rc;
}

/* Before anything is sent for this service and period: every earlier upload of other bytes
 * of the period whose outcome the ledger does not know (a crash after the bytes left, an
 * answer lost, cut or timed out, 5xx until the deadline, a HEAD that could not tell) is
 * looked for at the receiver with a HEAD of its content-addressed name, and the outcome
 * recorded as a "check" of that upload (its run, submission number and part). Found: it was
 * received (its run folder gets its receipt), and this return becomes a correction of it.
 * Not found, or other bytes under the name: it was not received. Anything else: nothing is
 * sent, for the period may already be at the receiver (75, naming the entry; 69 or 76 when
 * the receiver cannot be reached or trusted). Documents of this return are asked for by
 * send_document() itself. */
static int
resolve_pending(struct session *s, const struct docs *ds, struct yj_error *err)
{
    size_t n0 = s->lg.n;
    int rc = YJ_OK;

    for (size_t k = 0; k < n0 && rc == YJ_OK; k++) {
        struct ledger_entry old = s->lg.e[k]; /* the strings stay where they are */
        char summary[1024], when[24], short_sha[20], *url;
        size_t last = 0;
        int own = 0, tries = 0, status = YJ_OK;
        unsigned long long n = old.n;

        if (strcmp(old.event, "send") != 0 || strcmp(old.service, s->cfg->yot_ou_code) != 0 ||
            strcmp(old.period, s->period) != 0)
            continue;
        for (size_t i = 0; i < ds->n; i++)
            own |= strcmp(ds->d[i].sha, old.sha256) == 0;
        if (own || doc_state(s, old.sha256, &last) != DS_PENDING || last != k)
            continue; /* only the last send of each document that is still pending */
        memcpy(when, old.time, sizeof(when));
        snprintf(short_sha, sizeof(short_sha), "%.16s", old.sha256);
        url = upload_url(s, old.service, old.period, old.sha256);
        log_info("%s %s: ledger entry %llu (%s, submission %lu, part %s, sha256 %s...) was sent "
                 "without a known outcome: asking the receiver for it before anything is sent",
                 old.service, old.period, n, when, old.seq, old.part, short_sha);
        for (;;) {
            struct answer a;
            enum verdict v;
            struct ledger_entry e = old;
            const char *result;

            request(s, url, old.bytes, NULL, &a);
            v = classify(&a, 1, old.bytes, old.sha256, &status, summary, sizeof(summary));
            result = result_name(v, 1, status, &a);
            if (v == V_RECEIVED) {
                /* its receipt first, in its own run folder, as for any upload */
                char *name = document_name(old.part);
                if (name && old.run && access(old.run, F_OK) == 0) {
                    char *dir = rundir_path(old.run, RD_SUBMIT_DIR);
                    char *path = rundir_part_file(dir, RD_SUBMIT_RECEIPT, name);
                    if (!has_receipt(path, old.sha256)) {
                        struct receipt_of r = {0};
                        r.run_dir = old.run;
                        r.name = name;
                        r.part = old.part;
                        r.sha = old.sha256;
                        r.bytes = old.bytes;
                        r.seq = old.seq;
                        r.period = old.period;
                        r.url = url;
                        r.how = "head";
                        r.http = a.http;
                        rc = write_receipt(s, &r, &a, err);
                    }
                    free(path);
                    free(dir);
                }
                free(name);
            }
            if (rc == YJ_OK && v != V_TEMPORARY) {
                e.event = "check";
                e.http = a.http;
                e.result = (char *)result;
                e.answer = summary;
                rc = ledger_append(&s->lg, &e, err);
            }
            if (rc != YJ_OK) {
                answer_release(&a);
                break;
            }
            if (v == V_RECEIVED || v == V_ABSENT || v == V_OTHER) {
                if (v == V_RECEIVED)
                    log_warn("%s %s: the receiver holds the return of ledger entry %llu (%s, "
                             "submission %lu, run %s): recorded as received",
                             old.service, old.period, n, when, old.seq, old.run);
                else
                    log_info("%s %s: ledger entry %llu was not received: %s", old.service,
                             old.period, n, summary);
                answer_release(&a);
                break;
            }
            if (v == V_TEMPORARY) {
                double wait = retry_wait(s, ++tries, a.retry_after);
                if (wait < s->deadline - log_now()) {
                    log_info("asking again for ledger entry %llu in %.1f s: %s", n, wait, summary);
                    answer_release(&a);
                    pause_for(wait);
                    continue;
                }
                e.event = "check";
                e.http = a.http;
                e.result = (char *)result;
                e.answer = summary;
                if ((rc = ledger_append(&s->lg, &e, err)) != YJ_OK) {
                    answer_release(&a);
                    break;
                }
            }
            answer_release(&a);
            /* unknown, temporary past the deadline, or failed: send nothing */
            rc = yj_error_set(err,
                              v == V_FAILED && status != YJ_EX_REJECTED ? status : YJ_EX_TEMPFAIL,
                              "%s %s: ledger entry %llu (%s, submission %lu, part %s, sha256 "
                              "%s...) was sent without a known outcome, and the receiver does "
                              "not say whether it holds it: nothing is sent, so that the period "
                              "is never submitted twice",
                              old.service, old.period, n, when, old.seq, old.part, short_sha);
            yj_error_detail(err, "HEAD %s: %s; run %s", url, summary, old.run);
            yj_error_hint(err, "run it again later (exit 75 is worth retrying): that upload is "
                               "asked for first; if the receiver never answers its HEAD with "
                               "200 and the length, or 404, ask its operator whether it holds "
                               "that name");
            break;
        }
        free(url);
    }
    return rc;
}

/* Records and logs that every document of the return is at the receiver already; a receipt
 * the ledger proves but the run folder lacks is rebuilt from the ledger. */
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
        struct ledger_entry e = *received_entry(s, ds->d[i].sha);
        if ((rc = rebuild_receipt(s, &e, err)) != YJ_OK)
            break;
        s->seq = e.seq;
        snprintf(answer, sizeof(answer),
                 "already received (ledger entry %llu, run %s); nothing sent", e.n, e.run);
        rc = record(s, &ds->d[i], i, "already", 0, "received", answer, err);
    }
    if (rc == YJ_OK)
        log_info("already submitted: the receiver has these bytes (ledger entry %llu of %s, "
                 "run %s); nothing sent, the receipt is in that run's submit/",
                 first_n, first_time, first_run);
    free(first_run);
    return rc;
}

/* The period's submission number for this return: its own if it was numbered after every
 * other return received for the period (a retry of a correction needs no second --resubmit),
 * else the next one. Other bytes of a period the receiver already has are a correction:
 * refused (and recorded) unless --resubmit. With DRY set, nothing is recorded: 1 if it
 * would be refused. */
static int
number_submission(struct session *s, const struct docs *ds, int dry, struct yj_error *err)
{
    unsigned long own = 0, max = 0, other_max = 0;
    const struct ledger_entry *other = NULL;
    int keep;

    for (size_t k = 0; k < s->lg.n; k++) {
        const struct ledger_entry *e = &s->lg.e[k];
        if (strcmp(e->service, s->cfg->yot_ou_code) != 0 || strcmp(e->period, s->period) != 0)
            continue;
        if (e->seq > max)
            max = e->seq;
        if (e->seq && strcmp(e->return_sha256, s->return_sha) == 0)
            own = e->seq;
        if (strcmp(e->result, "received") == 0 && strcmp(e->return_sha256, s->return_sha) != 0 &&
            (!other || e->seq > other_max)) {
            other = e;
            other_max = e->seq;
        }
    }
    /* bytes numbered before the return received last are not its correction */
    keep = own && own > other_max;
    if (dry)
        return !keep && other && !s->opt->resubmit;
    if (!keep && other && !s->opt->resubmit) {
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
    s->seq = keep ? own : max + 1;
    if (other && !keep)
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
            goto done;
        }
    }
    if (opt->ledger)
        ledger_path = xstrdup(opt->ledger);
    else if (cfg->runs_root && *cfg->runs_root)
        ledger_path = rundir_path(cfg->runs_root, RD_LEDGER);
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
    for (size_t i = 0; i < ds.n; i++)
        all &= received_entry(&s, ds.d[i].sha) != NULL;
    if (all) {
        rc = already_submitted(&s, &ds, err);
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
    if (!number_submission(&s, &ds, 1, err) && (rc = resolve_pending(&s, &ds, err)) != YJ_OK)
        goto done;
    if ((rc = number_submission(&s, &ds, 0, err)) != YJ_OK)
        goto done;
    for (size_t i = 0; i < ds.n; i++) {
        char part[64];
        const struct ledger_entry *e = received_entry(&s, ds.d[i].sha);

        snprintf(part, sizeof(part), "%zu of %zu", i + 1, ds.n);
        if (e) {
            struct ledger_entry copy = *e;
            log_info("part %s: already received (ledger entry %llu); not sent again", part, copy.n);
            if ((rc = rebuild_receipt(&s, &copy, err)) != YJ_OK)
                goto done;
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
    curl_slist_free_all(s.head_headers);
    ledger_close(&s.lg);
    if (lock_fd >= 0 && !lock_inherited)
        close(lock_fd);
    docs_release(&ds);
    free(shas);
    free(period);
    free(ledger_path);
    return rc;
}
