/*
 * check.c - yj-run's preflight (check.h): every check a run's mode needs, in a fixed order,
 * before the warehouse is read or a run folder made, so that a mistake costs seconds and
 * leaves nothing behind.
 *
 * Each check gives one line: "ok", "warning", "error" or "skip" (a check that needs what an
 * earlier one found missing), its name and a text that names files, keys, roles and dates,
 * never a value of the warehouse's rows. `yj-run --check` prints the lines and a summary on
 * stdout; a run logs the warnings and errors and one info line. Every check runs whatever
 * the others found, so one pass names every problem; the status is that of the first check
 * that failed, in the order below.
 */
#include "check.h"

#include "atomic.h"
#include "bundle.h"
#include "extract.h"
#include "items.h"
#include "log.h"
#include "mem.h"
#include "rules.h"

#include <libxml/xmlschemas.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

enum check_id {
    C_CONFIG,
    C_BUNDLE,
    C_WAREHOUSE,
    C_RIGHTS,
    C_FRESHNESS,
    C_SIGN_OFF,
    C_CERT,
    C_RECEIVER,
    C_LEDGER,
    C_SPACE,
    C_PACK,
    C_COUNT
};

static const char *const check_names[C_COUNT] = {
    "config", "bundle",   "warehouse", "rights", "freshness", "sign-off",
    "cert",   "receiver", "ledger",    "space",  "pack",
};

static const char *const level_names[] = {"ok", "warning", "error", "skip"};

void
check_set(struct check_result *r, enum check_level level, const char *fmt, ...)
{
    va_list ap;

    r->level = level;
    va_start(ap, fmt);
    vsnprintf(r->text, sizeof(r->text), fmt, ap);
    va_end(ap);
}

void
check_fail(struct check_result *r, const struct yj_error *err)
{
    r->level = CHECK_ERROR;
    r->err = *err;
    snprintf(r->text, sizeof(r->text), "%s", err->message);
}

/* The preflight's state: the configuration, the warehouse's connection, every result. */
struct check_ctx {
    const struct check_options *o;
    const struct yj_config *cfg; /* NULL when it could not be loaded */
    struct yj_config own;        /* loaded here (--check) */
    struct extract_check *wh;
    int shown[C_COUNT]; /* the check belongs to this mode */
    struct check_result r[C_COUNT];
};

/* [section] key the mode needs, or NULL for the submission's when not submitting. */
static void
check_config(struct check_ctx *c, const struct yj_config *given)
{
    const struct yj_config *cfg = given;
    struct check_result *r = &c->r[C_CONFIG];
    struct yj_error e;
    int rc = YJ_OK;

    yj_error_init(&e);
    if (!cfg) {
        if (config_load(&c->own, c->o->config_path, &e) != YJ_OK) {
            check_fail(r, &e);
            return;
        }
        cfg = &c->own;
    }
    c->cfg = cfg;
    if ((rc = config_require(cfg->yot_ou_code, "service", "yot_ou_code", cfg->path, &e)) ||
        (rc = config_require(cfg->conninfo, "warehouse", "conninfo", cfg->path, &e)) ||
        (rc = config_require(cfg->mappings, "return", "mappings", cfg->path, &e)) ||
        (rc = config_require(cfg->sql, "return", "sql", cfg->path, &e)) ||
        (c->o->submit &&
         ((rc = config_require(cfg->submit_url, "submit", "url", cfg->path, &e)) ||
          (rc = config_require(cfg->ca_file, "submit", "ca_file", cfg->path, &e)) ||
          (rc = config_require(cfg->cert_file, "submit", "cert_file", cfg->path, &e)) ||
          (rc = config_require(cfg->key_file, "submit", "key_file", cfg->path, &e)))) ||
        (rc = config_require(cfg->runs_root, "run", "runs_root", cfg->path, &e))) {
        check_fail(r, &e);
        return;
    }
    check_set(r, CHECK_OK, "%s (service, warehouse, return, %srun)", cfg->path,
              c->o->submit ? "submit, " : "");
}

/* One bundle as yj-transform and yj-validate load it: school_age.conf, items.conf against
 * cld.xsd, rules.conf, and the XSD itself. */
static int
load_bundle(const struct bundle *b, struct yj_error *err)
{
    struct items it;
    struct rules rs;
    struct school_age sa;
    char sha[65], *xsd = path_join(b->dir, "cld.xsd");
    xmlSchemaParserCtxtPtr pctx = NULL;
    xmlSchemaPtr schema = NULL;
    int rc;

    items_init(&it);
    rules_init(&rs);
    if ((rc = bundle_school_age(b->dir, &sa, sha, err)) != YJ_OK ||
        (rc = items_load(&it, b->dir, err)) != YJ_OK ||
        (rc = items_check_xsd(&it, xsd, err)) != YJ_OK ||
        (rc = rules_load(&rs, b->dir, &it, err)) != YJ_OK)
        goto done;
    pctx = xmlSchemaNewParserCtxt(xsd);
    schema = pctx ? xmlSchemaParse(pctx) : NULL;
    if (!schema)
        rc = yj_error_set(err, YJ_EX_CONFIG, "could not load schema '%s'", xsd);
done:
    if (schema)
        xmlSchemaFree(schema);
    if (pctx)
        xmlSchemaFreeParserCtxt(pctx);
    rules_release(&rs);
    items_release(&it);
    free(xsd);
    return rc;
}

/* The bundle of every period of the range (each loaded once), then the queries the last
 * period's items read, as yj-extract loads them. */
static void
check_bundle(struct check_ctx *c)
{
    const struct check_options *o = c->o;
    struct check_result *r = &c->r[C_BUNDLE];
    char names[256] = "", periods[32];
    int n = (o->last.year - o->first.year) * 4 + (o->last.quarter - o->first.quarter) + 1;
    struct yj_error e;

    yj_error_init(&e);
    if (n < 1) {
        yj_error_set(&e, YJ_EX_USAGE, "--from %s --to %s: the first period is after the last",
                     o->first.label, o->last.label);
        check_fail(r, &e);
        return;
    }
    for (int i = 0; i < n; i++) {
        struct yj_period p;
        struct bundle b;
        char label[8];
        int rc;

        snprintf(label, sizeof(label), "%04dQ%d", o->first.year + (o->first.quarter - 1 + i) / 4,
                 (o->first.quarter - 1 + i) % 4 + 1);
        bundle_init(&b);
        rc = period_parse(label, &p, &e);
        if (rc == YJ_OK)
            rc = bundle_for_period(&b, c->cfg->mappings, &p, &e);
        if (rc == YJ_OK && !strstr(names, b.name)) {
            rc = load_bundle(&b, &e);
            snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
                     names[0] ? ", " : "", b.name);
        }
        bundle_release(&b);
        if (rc != YJ_OK) {
            check_fail(r, &e);
            return;
        }
    }
    if (extract_check_open(&c->wh, c->cfg, &o->last, &e) != YJ_OK) {
        check_fail(r, &e);
        return;
    }
    if (n == 1)
        snprintf(periods, sizeof(periods), "%s", o->first.label);
    else
        snprintf(periods, sizeof(periods), "%s to %s", o->first.label, o->last.label);
    check_set(r, CHECK_OK,
              "%s for %s (school_age.conf, items.conf, rules.conf, cld.xsd; %zu queries)", names,
              periods, extract_check_queries(c->wh));
}

/* A warehouse query that waited too long for a lock (75) is a warning: the read itself would
 * wait for it; anything else fails the check. */
static void
warn_or_fail(struct check_result *r, const struct yj_error *e)
{
    if (e->code == YJ_EX_TEMPFAIL)
        check_set(r, CHECK_WARNING, "%s", e->message);
    else
        check_fail(r, e);
}

/* [warehouse] max_age against the newest recorded change: a nightly run is warned, a
 * submission refused (75: worth trying again once the warehouse has loaded). */
static void
check_freshness(struct check_ctx *c)
{
    struct check_result *r = &c->r[C_FRESHNESS];
    char newest[32], age[32], max[32];
    double seconds;
    struct yj_error e;

    yj_error_init(&e);
    if (c->cfg->max_age <= 0) {
        check_set(r, CHECK_OK, "not checked (no [warehouse] max_age)");
        return;
    }
    snprintf(max, sizeof(max), "%s", c->cfg->max_age_text); /* as written */
    if (extract_check_freshness(c->wh, newest, &seconds, &e) != YJ_OK) {
        warn_or_fail(r, &e);
        return;
    }
    if (!newest[0])
        yj_error_set(&e, YJ_EX_TEMPFAIL,
                     "the warehouse records no change at all ([warehouse] "
                     "max_age %s)",
                     max);
    else if (seconds > c->cfg->max_age)
        yj_error_set(&e, YJ_EX_TEMPFAIL,
                     "newest recorded change %s, %s ago: older than [warehouse] max_age %s", newest,
                     check_duration(seconds, age, sizeof(age)), max);
    else {
        check_set(r, CHECK_OK, "newest recorded change %s, %s ago ([warehouse] max_age %s)", newest,
                  check_duration(seconds, age, sizeof(age)), max);
        return;
    }
    yj_error_hint(&e, "a nightly load of the warehouse may have failed: see that it ran");
    if (c->o->submit)
        check_fail(r, &e);
    else
        check_set(r, CHECK_WARNING, "%s", e.message);
}

/* The warehouse, reachable with the configured role, the role's rights, its freshness. */
static void
check_warehouse(struct check_ctx *c)
{
    struct yj_error e;

    yj_error_init(&e);
    if (extract_check_connect(c->wh, &e) != YJ_OK) {
        check_fail(&c->r[C_WAREHOUSE], &e);
        return;
    }
    check_set(&c->r[C_WAREHOUSE], CHECK_OK, "connected as role '%s', in a read-only snapshot",
              extract_check_role(c->wh));
    /* before the rights: a query the role may not run ends the transaction */
    check_freshness(c);
    if (extract_check_rights(c->wh, &e) != YJ_OK)
        warn_or_fail(&c->r[C_RIGHTS], &e);
    else
        check_set(&c->r[C_RIGHTS], CHECK_OK,
                  "role '%s' may run every query (EXPLAIN of each, as PostgreSQL plans it)",
                  extract_check_role(c->wh));
}

/* Skips check ID, naming what it needed. */
static void
skip(struct check_ctx *c, enum check_id id, const char *why)
{
    if (c->r[id].level == CHECK_SKIP && !c->r[id].text[0])
        check_set(&c->r[id], CHECK_SKIP, "%s", why);
}

static void
run_checks(struct check_ctx *c, const struct yj_config *given)
{
    const struct check_options *o = c->o;

    check_config(c, given);
    if (!c->cfg) {
        for (int i = C_BUNDLE; i < C_COUNT; i++)
            skip(c, (enum check_id)i, "the configuration could not be read");
        return;
    }
    if (c->cfg->mappings && c->cfg->sql)
        check_bundle(c);
    skip(c, C_BUNDLE, "no [return] mappings or sql");
    if (c->r[C_BUNDLE].level == CHECK_OK && c->cfg->conninfo)
        check_warehouse(c);
    skip(c, C_WAREHOUSE,
         c->cfg->conninfo ? "the bundle or its queries failed" : "no [warehouse] conninfo");
    skip(c, C_RIGHTS, "the warehouse was not reached");
    skip(c, C_FRESHNESS, "the warehouse was not reached");
    if (o->sign_off)
        check_sign_off(o, &c->r[C_SIGN_OFF]);
    if (o->submit && c->cfg->cert_file && c->cfg->key_file)
        check_cert(c->cfg, &c->r[C_CERT]);
    skip(c, C_CERT, "no [submit] cert_file or key_file");
    if (o->submit && c->cfg->submit_url && c->cfg->ca_file && c->cfg->cert_file && c->cfg->key_file)
        check_receiver(c->cfg, &c->r[C_RECEIVER]);
    skip(c, C_RECEIVER, "no [submit] url, ca_file, cert_file or key_file");
    if (c->cfg->runs_root && c->cfg->yot_ou_code) {
        if (o->submit)
            check_ledger(c->cfg, &c->r[C_LEDGER]);
        check_space(c->cfg, &c->r[C_SPACE]);
    }
    skip(c, C_LEDGER, "no [run] runs_root");
    skip(c, C_SPACE, "no [run] runs_root or [service] yot_ou_code");
    if (c->cfg->pack)
        check_pack(c->cfg, &c->r[C_PACK]);
}

/* The line of check I: on OUT, or to the log (a run's preflight). */
static void
report_line(const struct check_ctx *c, int i)
{
    const struct check_result *r = &c->r[i];

    if (c->o->out) {
        fprintf(c->o->out, "%-8s%s: %s\n", level_names[r->level], check_names[i], r->text);
        return;
    }
    if (r->level == CHECK_WARNING)
        log_warn("preflight: %s: %s", check_names[i], r->text);
    else if (r->level == CHECK_ERROR) {
        struct yj_error e = r->err;
        int n = snprintf(e.message, sizeof(e.message), "preflight: %s: ", check_names[i]);
        snprintf(e.message + n, sizeof(e.message) - (size_t)n, "%.*s",
                 (int)(sizeof(e.message) - (size_t)n - 1), r->text);
        log_yj_error(&e);
    }
}

int
check_run(const struct check_options *o, const struct yj_config *cfg, struct yj_error *err)
{
    struct check_ctx c;
    int nshown = 0, nwarn = 0, nerr = 0, nskip = 0, first = -1;
    double t0 = log_now();

    memset(&c, 0, sizeof(c));
    c.o = o;
    config_init(&c.own);
    for (int i = 0; i < C_COUNT; i++) {
        c.r[i].level = CHECK_SKIP;
        yj_error_init(&c.r[i].err);
    }
    c.shown[C_CONFIG] = c.shown[C_BUNDLE] = c.shown[C_WAREHOUSE] = c.shown[C_RIGHTS] = 1;
    c.shown[C_FRESHNESS] = c.shown[C_SPACE] = 1;
    c.shown[C_SIGN_OFF] = o->sign_off != NULL;
    c.shown[C_CERT] = c.shown[C_RECEIVER] = c.shown[C_LEDGER] = o->submit;
    run_checks(&c, cfg);
    /* the board pack is checked when the run would write one */
    c.shown[C_PACK] = c.cfg && c.cfg->pack;
    for (int i = 0; i < C_COUNT; i++) {
        if (!c.shown[i])
            continue;
        nshown++;
        nwarn += c.r[i].level == CHECK_WARNING;
        nskip += c.r[i].level == CHECK_SKIP;
        if (c.r[i].level == CHECK_ERROR && nerr++ == 0)
            first = i;
        report_line(&c, i);
    }
    if (first < 0 && o->out)
        fprintf(o->out, "passed: %d checks, %d warning%s\n", nshown, nwarn, nwarn == 1 ? "" : "s");
    else if (first < 0)
        log_info("preflight: %d checks passed, %d warning%s, in %.2f s", nshown, nwarn,
                 nwarn == 1 ? "" : "s", log_now() - t0);
    else if (o->out)
        fprintf(o->out, "failed: %d of %d checks, %d warning%s, %d not run: exit %d (%s)\n", nerr,
                nshown, nwarn, nwarn == 1 ? "" : "s", nskip, c.r[first].err.code,
                check_names[first]);
    else {
        yj_error_set(err, c.r[first].err.code,
                     "preflight: %d of %d checks failed, the first %s: nothing was read and no "
                     "run folder made",
                     nerr, nshown, check_names[first]);
        yj_error_hint(err, "yj-run --check with the same options lists every check");
    }
    extract_check_free(c.wh);
    config_release(&c.own);
    return first < 0 ? YJ_OK : c.r[first].err.code;
}

int
check_before_run(const struct yj_config *cfg, const char *config_path,
                 const struct yj_period *period, int submit, const char *sign_off,
                 struct yj_error *err)
{
    struct check_options o = {0};

    o.config_path = config_path;
    o.first = o.last = *period;
    o.submit = submit;
    o.sign_off = sign_off;
    return check_run(&o, cfg, err);
}
