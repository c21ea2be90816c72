/*
 * https.h - one HEAD request to the receiver over mutual TLS, with the [submit] settings:
 * how yj-run --verify --receiver asks whether the receiver holds a content-addressed name.
 */
#ifndef YJ_HTTPS_H
#define YJ_HTTPS_H

#include "config.h"

struct https_answer {
    int ok;           /* 1: an HTTP answer came (http, length); 0: none (error says why) */
    long http;        /* the status */
    long long length; /* Content-Length, -1 when not given */
    char error[256];  /* libcurl's error when !ok */
    int curl_code;    /* libcurl's CURLcode: 0 when ok */
};

/* True when libcurl's error text MSG holds a TLS alert by which the server refused the
 * client's certificate, even when it aborted the handshake (TLS 1.2) or closed right after
 * it (TLS 1.3). */
int https_client_cert_alert(const char *msg);

/* The URL of a return's document at the receiver: BASE, a '/' unless BASE ends in one, then
 * the content-addressed name <service>-<period>-<sha256>.xml (malloc'd). yj-submit uploads
 * under it; yj-run --verify --receiver asks for it. */
char *https_upload_url(const char *base, const char *service, const char *period,
                       const char *sha256);

/* Sets on C the options every request to the receiver shares: https only, no redirect
 * followed, PROXY as the route ("" for none; never the environment's), the receiver checked
 * against [submit] ca_file (TLS 1.2 at least), the client certificate presented, no signals,
 * libcurl's error text into ERRBUF (CURL_ERROR_SIZE bytes). C is a CURL *. */
void https_set_common(void *c, const struct yj_config *cfg, const char *proxy, char *errbuf);

/* HEAD of URL (https only, no redirect followed, the receiver checked against [submit]
 * ca_file, the client certificate presented, no proxy from the environment), at most TIMEOUT
 * seconds. */
void https_head(const struct yj_config *cfg, const char *url, double timeout,
                struct https_answer *a);
/* https_head() by the route PROXY ("" for none). */
void https_head_via(const struct yj_config *cfg, const char *url, const char *proxy, double timeout,
                    struct https_answer *a);

/* The route of the uploads: [submit] proxy, or "" (none, also for "none"). libcurl would
 * otherwise take one from https_proxy, HTTPS_PROXY or ALL_PROXY (and skip it by NO_PROXY):
 * where children's data goes is never the environment's decision. */
const char *https_proxy_of(const struct yj_config *cfg);

#endif
