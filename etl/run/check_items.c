/*
 * check_items.c - the preflight's checks of a submission and of the runs root (check.h): the
 * sign-off date, the client key and certificate, the receiver over mutual TLS (a HEAD of
 * [submit] url: nothing is uploaded), the ledger's chain, and the free space the next run
 * needs. Each fills a struct check_result; none writes anything.
 */
#include "check.h"

#include "atomic.h"
#include "https.h"
#include "ledger.h"
#include "mem.h"
#include "rundir.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

/* A client certificate expiring within this many days is a warning. */
#define CHECK_CERT_WARN_DAYS 30
/* The longest the receiver's HEAD may take, in seconds. */
#define CHECK_RECEIVER_TIMEOUT 10.0

const char *
check_duration(double seconds, char *buf, size_t n)
{
    long s = (long)(seconds + 0.5), d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;

    if (d > 0 && h > 0)
        snprintf(buf, n, "%ldd %ldh", d, h);
    else if (d > 0)
        snprintf(buf, n, "%ldd", d);
    else if (h > 0 && m > 0)
        snprintf(buf, n, "%ldh %ldm", h, m);
    else if (h > 0)
        snprintf(buf, n, "%ldh", h);
    else if (m > 0)
        snprintf(buf, n, "%ldm", m);
    else
        snprintf(buf, n, "%lds", s);
    return buf;
}

void
check_sign_off(const struct check_options *o, struct check_result *r)
{
    struct yj_error e;
    long day;

    yj_error_init(&e);
    if (period_sign_off(o->sign_off, &o->last, date_today(), &day, &e) != YJ_OK)
        check_fail(r, &e);
    else
        check_set(r, CHECK_OK, "%s: after %s ends, not in the future", o->sign_off, o->last.label);
}

/* The client key: there, readable, and private (mode 0600), as yj-submit wants it. */
static int
check_key(const char *path, struct yj_error *err)
{
    struct stat st;
    FILE *f;

    if (stat(path, &st) != 0)
        return yj_error_errno(err, errno == EACCES ? YJ_EX_NOPERM : YJ_EX_CONFIG, errno,
                              "client key '%s'", path);
    if (st.st_mode & 077) {
        yj_error_set(err, YJ_EX_NOPERM, "client key '%s' is readable by others (mode %04o)", path,
                     (unsigned)(st.st_mode & 07777));
        yj_error_hint(err, "chmod 600 '%s'", path);
        return YJ_EX_NOPERM;
    }
    if (!(f = fopen(path, "r")))
        return yj_error_errno(err, errno == EACCES ? YJ_EX_NOPERM : YJ_EX_CONFIG, errno,
                              "could not read client key '%s'", path);
    fclose(f);
    return YJ_OK;
}

void
check_cert(const struct yj_config *cfg, struct check_result *r)
{
    struct yj_error e;
    FILE *f;
    X509 *x = NULL;
    struct tm tm;
    char date[40];
    int days = 0, secs = 0;

    yj_error_init(&e);
    if (check_key(cfg->key_file, &e) != YJ_OK) {
        check_fail(r, &e);
        return;
    }
    if (!(f = fopen(cfg->cert_file, "r"))) {
        yj_error_errno(&e, errno == EACCES ? YJ_EX_NOPERM : YJ_EX_CONFIG, errno,
                       "could not read client certificate '%s'", cfg->cert_file);
        check_fail(r, &e);
        return;
    }
    x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (!x || !ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm) ||
        !ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(x))) {
        yj_error_set(&e, YJ_EX_CONFIG, "client certificate '%s' is not a PEM certificate",
                     cfg->cert_file);
        check_fail(r, &e);
        X509_free(x);
        return;
    }
    X509_free(x);
    snprintf(date, sizeof(date), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    if (days < 0 || secs < 0) {
        yj_error_set(&e, YJ_EX_PROTOCOL, "client certificate '%s' expired on %s", cfg->cert_file,
                     date);
        yj_error_hint(&e, "ask the receiver's operator for a new one");
        check_fail(r, &e);
        return;
    }
    if (secs > 0)
        days++; /* a part of a day left counts as a day */
    if (days <= CHECK_CERT_WARN_DAYS)
        check_set(r, CHECK_WARNING, "client certificate expires in %d day%s (%s)", days,
                  days == 1 ? "" : "s", date);
    else
        check_set(r, CHECK_OK, "client certificate expires in %d days (%s)", days, date);
}

void
check_receiver(const struct yj_config *cfg, struct check_result *r)
{
    struct https_answer a;
    struct yj_error e;
    double timeout = cfg->submit_deadline > 0 && cfg->submit_deadline < CHECK_RECEIVER_TIMEOUT
                         ? cfg->submit_deadline
                         : CHECK_RECEIVER_TIMEOUT;

    yj_error_init(&e);
    https_head_via(cfg, cfg->submit_url, https_proxy_of(cfg), timeout, &a); /* the upload's route */
    if (a.ok && a.http != 400) {
        check_set(r, CHECK_OK, "'%s' answered a HEAD with HTTP %ld: client certificate accepted",
                  cfg->submit_url, a.http);
        return;
    }
    if (a.ok) /* nginx answers 400 to a certificate it refuses, and a HEAD has no body */
        yj_error_set(&e, YJ_EX_PROTOCOL,
                     "'%s' answered a HEAD with HTTP 400 Bad Request: client certificate refused",
                     cfg->submit_url);
    else if (https_client_cert_alert(a.error))
        yj_error_set(&e, YJ_EX_PROTOCOL,
                     "'%s': TLS alert from the receiver: client certificate refused",
                     cfg->submit_url);
    else if (a.curl_code == CURLE_PEER_FAILED_VERIFICATION)
        yj_error_set(&e, YJ_EX_PROTOCOL, "'%s': the receiver's certificate is not trusted: %s",
                     cfg->submit_url, a.error);
    else if (a.curl_code == CURLE_SSL_CONNECT_ERROR || a.curl_code == CURLE_SSL_CERTPROBLEM)
        yj_error_set(&e, YJ_EX_PROTOCOL, "'%s': TLS failed: %s", cfg->submit_url, a.error);
    else
        yj_error_set(&e, YJ_EX_UNAVAILABLE, "could not reach '%s': %s", cfg->submit_url, a.error);
    check_fail(r, &e);
}

void
check_ledger(const struct yj_config *cfg, struct check_result *r)
{
    char *path = rundir_path(cfg->runs_root, RD_LEDGER);
    char *dirty = rundir_path(cfg->runs_root, RD_LEDGER_DIRTY);
    struct ledger_check chk;
    struct yj_error e;
    int rc;

    yj_error_init(&e);
    if (access(dirty, F_OK) == 0) {
        yj_error_set(&e, YJ_EX_IOERR,
                     "ledger '%s' is not known to be on disk (an fsync failed): '%s' is there",
                     path, dirty);
        yj_error_hint(&e, "run yj-run --verify: it reads the ledger back and removes the marker");
        check_fail(r, &e);
    } else if ((rc = ledger_verify(path, &chk, &e)) == YJ_EX_NOINPUT)
        check_set(r, CHECK_OK, "no ledger yet ('%s'): nothing submitted from this runs root", path);
    else if (rc != YJ_OK)
        check_fail(r, &e);
    else if (chk.torn_bytes)
        check_set(r, CHECK_WARNING,
                  "'%s': %llu entries chained, then %zu bytes of an append a crash cut short "
                  "(the next submission moves them aside)",
                  path, chk.entries, chk.torn_bytes);
    else
        check_set(r, CHECK_OK, "'%s': %llu entries, the chain whole", path, chk.entries);
    free(dirty);
    free(path);
}

/* Bytes of the files under PATH, folders followed, links not. */
static unsigned long long
tree_bytes(const char *path)
{
    unsigned long long n = 0;
    struct stat st;
    struct dirent *de;
    DIR *d;

    if (lstat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return S_ISREG(st.st_mode) ? (unsigned long long)st.st_size : 0;
    if (!(d = opendir(path)))
        return 0;
    while ((de = readdir(d)) != NULL) {
        char *sub;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        sub = path_join(path, de->d_name);
        n += tree_bytes(sub);
        free(sub);
    }
    closedir(d);
    return n;
}

/* The newest run folder of the service (by the UTC time of its name, over every period):
 * malloc'd, or NULL when there is none. */
static char *
newest_run(const char *runs_root, const char *yot)
{
    char *service = path_join(runs_root, yot), *best = NULL, *best_name = NULL;
    struct dirent **periods = NULL;
    int np = scandir(service, &periods, rundir_period_filter, alphasort);

    for (int i = 0; i < np; i++) {
        char *pdir = path_join(service, periods[i]->d_name);
        struct dirent **runs = NULL;
        int nr = scandir(pdir, &runs, rundir_not_dot, alphasort);

        for (int k = 0; k < nr; k++) {
            if (rundir_is_stamp(runs[k]->d_name) &&
                (!best_name || strcmp(runs[k]->d_name, best_name) > 0)) {
                free(best);
                free(best_name);
                best = path_join(pdir, runs[k]->d_name);
                best_name = xstrdup(runs[k]->d_name);
            }
            free(runs[k]);
        }
        free(runs);
        free(pdir);
        free(periods[i]);
    }
    free(periods);
    free(best_name);
    free(service);
    return best;
}

static const char *
human_bytes(unsigned long long n, char *buf, size_t size)
{
    static const char *const units[] = {"bytes", "KB", "MB", "GB", "TB"};
    double v = (double)n;
    int u = 0;

    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%llu bytes", n);
    else
        snprintf(buf, size, "%.1f %s", v, units[u]);
    return buf;
}

void
check_space(const struct yj_config *cfg, struct check_result *r)
{
    const char *root = cfg->runs_root;
    char *last = NULL, *at = xstrdup(root), free_text[32], last_text[32];
    struct statvfs vfs;
    struct yj_error e;
    unsigned long long avail, bytes;

    yj_error_init(&e);
    /* a runs root not made yet: the first run makes it in the nearest folder there is */
    while (access(at, F_OK) != 0 && errno == ENOENT && strcmp(at, "/") != 0 && strcmp(at, ".")) {
        char *up = xstrdup(at), *slash = strrchr(up, '/');
        if (slash && slash != up)
            *slash = '\0';
        else
            snprintf(up, strlen(up) + 1, "%s", slash ? "/" : ".");
        free(at);
        at = up;
    }
    if (access(at, W_OK | X_OK) != 0) {
        yj_error_errno(&e, YJ_EX_CANTCREAT, errno, "runs root '%s': '%s' is not writable", root,
                       at);
        yj_error_hint(&e, "create it, owned by the user the runs run as (mode 0700)");
        check_fail(r, &e);
        free(at);
        return;
    }
    if (statvfs(at, &vfs) != 0) {
        yj_error_errno(&e, YJ_EX_IOERR, errno, "could not read the free space of '%s'", at);
        check_fail(r, &e);
        free(at);
        return;
    }
    free(at);
    avail = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
    human_bytes(avail, free_text, sizeof(free_text));
    if (!(last = newest_run(root, cfg->yot_ou_code))) {
        check_set(r, CHECK_OK, "%s free in '%s' (writable); no earlier run to size the next",
                  free_text, root);
        return;
    }
    bytes = tree_bytes(last);
    human_bytes(bytes, last_text, sizeof(last_text));
    if (avail < bytes) {
        yj_error_set(&e, YJ_EX_CANTCREAT, "%s free in '%s', less than the last run's %s ('%s')",
                     free_text, root, last_text, last);
        yj_error_hint(&e, "free some space, or lower [run] keep_days");
        check_fail(r, &e);
    } else
        check_set(r, CHECK_OK, "%s free in '%s', the last run took %s", free_text, root, last_text);
    free(last);
}

void
check_pack(const struct yj_config *cfg, struct check_result *r)
{
    const char *browser = cfg->browser ? cfg->browser : CONFIG_DEFAULT_BROWSER;
    struct yj_error e;

    yj_error_init(&e);
    if (!cfg->pdf)
        check_set(r, CHECK_OK, "the board pack without its PDF ([report] pdf = no)");
    else if (config_check_browser(browser, &e) != YJ_OK)
        check_fail(r, &e);
    else
        check_set(r, CHECK_OK, "the board pack, printed to PDF by '%s'", browser);
}
