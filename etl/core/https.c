/*
 * https.c - a HEAD to the receiver with yj-submit's TLS rules (see https.h): HTTPS only,
 * TLS 1.2 or later, the peer and host verified against [submit] ca_file, the client
 * certificate and key of [submit], redirects never followed, and the route never taken from
 * the environment (no proxy variables). It sends nothing but the request line and headers.
 */
#include "https.h"

#include "cli.h"
#include "mem.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

static size_t
discard(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    (void)ptr;
    (void)userdata;
    return size * nmemb;
}

void
https_set_common(void *curl, const struct yj_config *cfg, const char *proxy, char *errbuf)
{
    CURL *c = curl;

    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROXY, proxy);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "yjreturns/" YJ_VERSION);
    curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
    curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(c, CURLOPT_SSLCERT, cfg->cert_file);
    curl_easy_setopt(c, CURLOPT_SSLKEY, cfg->key_file);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
}

const char *
https_proxy_of(const struct yj_config *cfg)
{
    return cfg->submit_proxy && strcmp(cfg->submit_proxy, "none") != 0 ? cfg->submit_proxy : "";
}

void
https_head(const struct yj_config *cfg, const char *url, double timeout, struct https_answer *a)
{
    https_head_via(cfg, url, "", timeout, a); /* never the environment's proxy */
}

void
https_head_via(const struct yj_config *cfg, const char *url, const char *proxy, double timeout,
               struct https_answer *a)
{
    CURL *c = curl_easy_init();
    char err[CURL_ERROR_SIZE] = "";
    curl_off_t len = -1;
    CURLcode cc;

    memset(a, 0, sizeof(*a));
    a->length = -1;
    if (!c) {
        snprintf(a->error, sizeof(a->error), "libcurl could not start");
        return;
    }
    https_set_common(c, cfg, proxy, err);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(timeout * 1000));
    cc = curl_easy_perform(c);
    if (cc == CURLE_OK) {
        a->ok = 1;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->http);
        curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &len);
        a->length = (long long)len;
    } else {
        a->curl_code = (int)cc;
        snprintf(a->error, sizeof(a->error), "%s", err[0] ? err : curl_easy_strerror(cc));
    }
    curl_easy_cleanup(c);
}

int
https_client_cert_alert(const char *msg)
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

char *
https_upload_url(const char *base, const char *service, const char *period, const char *sha256)
{
    size_t len = strlen(base), n = len + strlen(service) + strlen(period) + strlen(sha256) + 16;
    char *url = xmalloc(n);

    snprintf(url, n, "%s%s%s-%s-%s.xml", base, len && base[len - 1] == '/' ? "" : "/", service,
             period, sha256);
    return url;
}
