/*
 * submit_http.c - yj-submit's HTTP layer: the libcurl handle's options (https only, no
 * redirect followed, the configured CA, client certificate and proxy, never the
 * environment's), one PUT or HEAD bounded by what is left of the deadline, what an answer
 * means (submit_classify(), with the SHA-256 the receiver offers in its digest header), and the
 * wait before a retry (submit_backoff(), exponential with jitter, honouring Retry-After).
 */
#include "submit.h"
#include "submit_int.h"

#include "https.h"
#include "log.h"
#include "mem.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "banned.h"

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

void
submit_answer_release(struct answer *a)
{
    free(a->hdr.data);
    free(a->body.data);
    memset(a, 0, sizeof(*a));
}

const char *
submit_reason(long http)
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

/* What a transfer that failed (A->cc is not CURLE_OK) means: submit_classify()'s first case. */
static enum verdict
classify_transfer(const struct answer *a, int *status, char *summary, size_t n)
{
    const char *what = curl_easy_strerror(a->cc);
    if (https_client_cert_alert(a->curl_err)) {
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
                     submit_reason(a->http), what);
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

/* What one answer means. HEAD (head != 0) asks whether the receiver holds BYTES bytes of
 * SHA-256 SHA under the name: 200 with that Content-Length, and that digest when it offers
 * one, is received; another length or digest is other bytes; 404 or 410 absent; anything
 * else it does not say. *status is the exit status for V_TEMPORARY, V_OTHER and V_FAILED;
 * summary gets one line without personal data (no body, no server text but the status). */
enum verdict
submit_classify(const struct answer *a, int head, unsigned long long bytes, const char *sha,
                int *status, char *summary, size_t n)
{
    if (a->cc != CURLE_OK)
        return classify_transfer(a, status, summary, n);
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
        snprintf(summary, n, "HTTP %ld %s: not at the receiver", a->http, submit_reason(a->http));
        return V_ABSENT;
    }
    snprintf(summary, n, "HTTP %ld %s", a->http, submit_reason(a->http));
    if (a->http >= 200 && a->http <= 299 && !head)
        return V_RECEIVED;
    if ((a->http == 409 || a->http == 412) && !head) {
        snprintf(summary, n, "HTTP %ld %s: the name is taken at the receiver", a->http,
                 submit_reason(a->http));
        return V_CONFLICT;
    }
    if (a->http >= 300 && a->http <= 399) {
        snprintf(summary, n, "HTTP %ld %s: a redirect%s%s, never followed", a->http,
                 submit_reason(a->http), a->location[0] ? " to " : "", a->location);
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

/* The content-addressed URL of a document (malloc'd). */
char *
submit_upload_url(const struct session *s, const char *service, const char *period, const char *sha)
{
    return https_upload_url(s->cfg->submit_url, service, period, sha);
}

static void
set_common_options(struct session *s, char *curl_err)
{
    CURL *c = s->curl;

    https_set_common(c, s->cfg, https_proxy_of(s->cfg), curl_err);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
}

/* One request, PUT of BYTES bytes from IN (not NULL; read and hashed from its start, the
 * last bytes held back until they are the validated ones: submit_body.c) or HEAD of the
 * name, bounded by what is left of the deadline. The PUT carries "If-None-Match: *": a
 * receiver that honours it never replaces what it holds under the name (412), and one that
 * does not answers 409 or stores it; either way a taken name is confirmed by a HEAD. */
void
submit_request(struct session *s, const char *url, unsigned long long bytes, struct upload_body *in,
               struct answer *a)
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
        submit_body_rewind(in);
        curl_easy_setopt(s->curl, CURLOPT_NOBODY, 0L);
        curl_easy_setopt(s->curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(s->curl, CURLOPT_READFUNCTION, submit_body_read);
        curl_easy_setopt(s->curl, CURLOPT_READDATA, in);
        curl_easy_setopt(s->curl, CURLOPT_SEEKFUNCTION, submit_body_seek);
        curl_easy_setopt(s->curl, CURLOPT_SEEKDATA, in);
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
    curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, NULL);  /* it is in a */
    curl_easy_setopt(s->curl, CURLOPT_READFUNCTION, NULL); /* the body is the caller's */
    curl_easy_setopt(s->curl, CURLOPT_READDATA, NULL);
    curl_easy_setopt(s->curl, CURLOPT_SEEKFUNCTION, NULL);
    curl_easy_setopt(s->curl, CURLOPT_SEEKDATA, NULL);
}

/* Seconds to wait before retry number `retry` (1, 2, ...): backoff * 2^(retry-1), at most
 * 60 s, with "equal jitter" (half fixed, half random), and never less than Retry-After. */
double
submit_retry_wait(const struct session *s, int retry, curl_off_t retry_after)
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

void
submit_pause_for(double seconds)
{
    struct timespec ts;

    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}
