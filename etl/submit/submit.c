/*
 * submit.c - the upload. Only a return whose bytes match both its transform manifest and a
 * "result valid" validation report of the same SHA-256 leaves the machine. The transfer is
 * HTTPS only (libcurl limited to the https protocol, redirects not followed), the server is
 * verified against the configured CA only, and the client presents its certificate. The
 * receipt (server status, headers and body, the payload's SHA-256 and size) is written
 * atomically after a 2xx answer, and only then: no receipt means not submitted.
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

/* The return must match its manifest and a passing validation report. */
static int
check_validated(const char *run_dir, char *sha, unsigned long long *bytes, char **xml_path,
                struct yj_error *err)
{
    char *mpath = path_join(run_dir, "return/MANIFEST");
    char *rpath = path_join(run_dir, "validate/report.txt");
    char line[4096], want[80];
    struct manifest m;
    const struct manifest_file *f;
    FILE *rf = NULL;
    int rc, valid = 0, same = 0;

    manifest_init(&m);
    *xml_path = path_join(run_dir, "return/cld.xml");
    if ((rc = manifest_read(&m, mpath, NULL, err)) != YJ_OK)
        goto done;
    if (!manifest_get(&m, "sign_off_date") || strcmp(manifest_get(&m, "sign_off_date"), "-") == 0) {
        rc = yj_error_set(err, YJ_EX_DATAERR, "return '%s' has no sign-off date", *xml_path);
        yj_error_hint(err, "run it with yj-run --submit --sign-off DATE once the return is "
                           "signed off");
        goto done;
    }
    if (!manifest_get(&m, "period_complete") ||
        strcmp(manifest_get(&m, "period_complete"), "yes") != 0) {
        rc = yj_error_set(err, YJ_EX_DATAERR,
                          "return '%s' is of period %s, which had not ended when the warehouse "
                          "was read: it is never submitted",
                          *xml_path, manifest_get(&m, "period") ? manifest_get(&m, "period") : "?");
        yj_error_hint(err, "a period in progress runs nightly for data quality; submit it after "
                           "it ends");
        goto done;
    }
    f = manifest_find_file(&m, "cld.xml");
    if (!f) {
        rc = yj_error_set(err, YJ_EX_IOERR, "manifest '%s' does not list cld.xml", mpath);
        goto done;
    }
    if (sha256_file(*xml_path, sha, bytes) != 0) {
        rc = yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                            "could not read return '%s'", *xml_path);
        goto done;
    }
    if (strcmp(sha, f->sha256) != 0) {
        rc = yj_error_set(err, YJ_EX_IOERR, "return '%s' does not match its manifest", *xml_path);
        goto done;
    }
    rf = fopen(rpath, "r");
    if (!rf) {
        rc = yj_error_errno(err, YJ_EX_DATAERR, errno, "the return has no validation report '%s'",
                            rpath);
        yj_error_hint(err, "run yj-validate first; only a valid return is submitted");
        goto done;
    }
    snprintf(want, sizeof(want), "sha256 %s\n", sha);
    while (fgets(line, sizeof(line), rf)) {
        if (strcmp(line, want) == 0)
            same = 1;
        if (strcmp(line, "result valid\n") == 0)
            valid = 1;
    }
    if (!valid || !same) {
        rc = yj_error_set(err, YJ_EX_DATAERR, "return '%s' has not passed validation", *xml_path);
        yj_error_detail(err, "report '%s' %s", rpath,
                        !same ? "is for a different file" : "does not say 'result valid'");
        goto done;
    }
    rc = YJ_OK;
done:
    if (rf)
        fclose(rf);
    manifest_release(&m);
    free(mpath);
    free(rpath);
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

static int
write_receipt(const char *run_dir, const char *url, const char *sha, unsigned long long bytes,
              long http, const struct response *hdr, const struct response *body,
              struct yj_error *err)
{
    char *dir = path_join(run_dir, "submit");
    char *path = path_join(dir, "receipt");
    char head[2048], when[32];
    time_t now = time(NULL);
    struct tm tm;
    struct atomic_file af;
    int rc;

    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(head, sizeof(head),
             "yjreturns-receipt 1\nurl %s\nfile return/cld.xml\nsha256 %s\nbytes %llu\n"
             "http_status %ld\nsubmitted_at %s\n--- response headers\n",
             url, sha, bytes, http, when);
    atomic_file_init(&af);
    if ((rc = mkdir_p(dir, 0750, err)) == YJ_OK &&
        (rc = atomic_file_open(&af, path, 0640, err)) == YJ_OK &&
        (rc = atomic_file_write(&af, head, strlen(head), err)) == YJ_OK &&
        (rc = atomic_file_write(&af, hdr->data ? hdr->data : "", hdr->len, err)) == YJ_OK &&
        (rc = atomic_file_write(&af, "--- response body\n", 18, err)) == YJ_OK &&
        (rc = atomic_file_write(&af, body->data ? body->data : "", body->len, err)) == YJ_OK)
        rc = atomic_file_commit(&af, err);
    atomic_file_release(&af);
    free(dir);
    free(path);
    return rc;
}

int
submit_run(const struct yj_config *cfg, const struct submit_options *opt, struct yj_error *err)
{
    char sha[SHA256_HEX_LEN + 1], name[256], hdr_sha[128], curl_err[CURL_ERROR_SIZE];
    char *xml_path = NULL, *url = NULL;
    unsigned long long bytes = 0;
    struct response hdr = {0}, body = {0};
    struct curl_slist *headers = NULL;
    CURL *curl = NULL;
    FILE *in = NULL;
    CURLcode cc;
    long http = 0;
    double t0 = log_now();
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
    if ((rc = check_validated(opt->run_dir, sha, &bytes, &xml_path, err)) != YJ_OK)
        goto done;

    /* a content-addressed name: a retry of the same bytes lands on the same name */
    {
        char *mpath = path_join(opt->run_dir, "return/MANIFEST");
        struct manifest m;
        manifest_init(&m);
        if (manifest_read(&m, mpath, NULL, err) == YJ_OK && manifest_get(&m, "period"))
            snprintf(name, sizeof(name), "%s-%s-%.16s.xml", cfg->yot_ou_code,
                     manifest_get(&m, "period"), sha);
        else
            snprintf(name, sizeof(name), "%s-%.16s.xml", cfg->yot_ou_code, sha);
        manifest_release(&m);
        free(mpath);
    }
    url = xmalloc(strlen(cfg->submit_url) + strlen(name) + 2);
    snprintf(url, strlen(cfg->submit_url) + strlen(name) + 2, "%s%s%s", cfg->submit_url,
             cfg->submit_url[strlen(cfg->submit_url) - 1] == '/' ? "" : "/", name);

    in = fopen(xml_path, "rb");
    if (!in) {
        rc = yj_error_errno(err, YJ_EX_NOINPUT, errno, "could not open '%s'", xml_path);
        goto done;
    }
    curl = curl_easy_init();
    if (!curl) {
        rc = yj_error_set(err, YJ_EX_SOFTWARE, "could not initialise libcurl");
        goto done;
    }
    snprintf(hdr_sha, sizeof(hdr_sha), "X-Content-SHA256: %s", sha);
    headers = curl_slist_append(headers, "Content-Type: application/xml");
    headers = curl_slist_append(headers, hdr_sha);
    headers = curl_slist_append(headers, "Expect:");
    curl_err[0] = '\0';
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READDATA, in);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)bytes);
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
    log_info("uploading %llu bytes (sha256 %.16s...) to %s", bytes, sha, url);
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
    if ((rc = write_receipt(opt->run_dir, url, sha, bytes, http, &hdr, &body, err)) != YJ_OK)
        goto done;
    log_info("submitted: HTTP %ld, %llu bytes in %.2f s; receipt in %s/submit/receipt", http, bytes,
             log_now() - t0, opt->run_dir);
done:
    if (curl)
        curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    if (in)
        fclose(in);
    free(hdr.data);
    free(body.data);
    free(xml_path);
    free(url);
    return rc;
}
