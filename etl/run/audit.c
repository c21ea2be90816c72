/*
 * audit.c - yj-run --verify and --rerun (see audit.h and docs/design.md "Auditing").
 *
 * Neither command logs a row value: --verify names files, lines, hashes and sizes only;
 * --rerun writes the values that differ into its diff file (mode 0600) and logs only counts
 * per item and field.
 */
#include "audit.h"

#include "atomic.h"
#include "bundle.h"
#include "cldiff.h"
#include "cli.h"
#include "config.h"
#include "error.h"
#include "inputs.h"
#include "items.h"
#include "latest.h"
#include "ledger.h"
#include "log.h"
#include "manifest.h"
#include "report.h"
#include "mem.h"
#include "period.h"
#include "run.h"
#include "seal.h"
#include "rundir.h"
#include "runrec.h"
#include "sha256.h"
#include "spawner.h"
#include "staged.h"
#include "stages.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

/* ------------------------------------------------------------------------------------------
 * --rerun: the checks before it (--verify is etl/run/verify.c)
 */

/* Compares FILE's SHA-256 with WANT; on a difference logs it and returns 1. */
static int
changed(const char *file, const char *want, const char *what, int allowed)
{
    void (*say)(const char *, ...) = allowed ? log_warn : log_error;

    char hex[SHA256_HEX_LEN + 1];
    unsigned long long bytes;

    if (sha256_file(file, hex, &bytes) != 0) {
        say("%s '%s' is gone since the run: %s", what, file, strerror(errno));
        return 1;
    }
    if (strcmp(hex, want) != 0) {
        say("%s '%s' changed since the run: sha256 %s, the run's manifest says %s", what, file, hex,
            want);
        return 1;
    }
    return 0;
}

/* The service queries' folder: "service" beside the configured query folder (as yj-extract
 * finds it). */
static char *
service_sql_dir(const char *sql_dir)
{
    char *copy = xstrdup(sql_dir), *slash, *dir;
    size_t n = strlen(copy);

    while (n > 1 && copy[n - 1] == '/')
        copy[--n] = '\0';
    slash = strrchr(copy, '/');
    if (!slash)
        dir = xstrdup("service");
    else {
        *slash = '\0';
        dir = path_join(slash == copy ? "/" : copy, "service");
    }
    free(copy);
    return dir;
}

/* Counts the query files (SQL) and the mapping files (MAPS) that differ from the hashes the
 * run's manifests recorded; each is logged by name. */
static void
compare_inputs(const struct yj_config *cfg, const struct bundle *b, const struct manifest *sm,
               const struct manifest *tm, int allowed, int *sql, int *maps)
{
    char *svc = service_sql_dir(cfg->sql);

    *sql = *maps = 0;
    for (size_t i = 0; i < sm->nkv; i++) {
        const char *k = sm->kv[i].key;
        char *path = NULL, name[300];
        if (strncmp(k, "query_sha256.", 13) == 0) {
            snprintf(name, sizeof(name), "%s.sql", k + 13);
            path = path_join(cfg->sql, name);
            *sql += changed(path, sm->kv[i].value, "query file", 0);
        } else if (strncmp(k, "service_query_sha256.", 21) == 0) {
            snprintf(name, sizeof(name), "%s.sql", k + 21);
            path = path_join(svc, name);
            *sql += changed(path, sm->kv[i].value, "query file", 0);
        } else if (strcmp(k, "items_sha256") == 0) {
            path = path_join(b->dir, ITEMS_FILE);
            *maps += changed(path, sm->kv[i].value, "mapping file", allowed);
        } else if (strcmp(k, "inputs_sha256") == 0) {
            path = path_join(b->dir, INPUTS_FILE);
            *maps += changed(path, sm->kv[i].value, "mapping file", allowed);
        }
        free(path);
    }
    {
        /* a query file added since the run would stage an entity the run did not */
        struct dirent **ents = NULL;
        int n = scandir(cfg->sql, &ents, rundir_not_dot, alphasort);
        for (int i = 0; i < n; i++) {
            size_t len = strlen(ents[i]->d_name);
            char key[300];
            if (len > 4 && strcmp(ents[i]->d_name + len - 4, ".sql") == 0) {
                snprintf(key, sizeof(key), "query_sha256.%.*s", (int)(len - 4), ents[i]->d_name);
                if (!manifest_get(sm, key)) {
                    log_error("query file '%s/%s' was added since the run", cfg->sql,
                              ents[i]->d_name);
                    (*sql)++;
                }
            }
            free(ents[i]);
        }
        free(ents);
    }
    for (size_t i = 0; i < tm->nkv; i++)
        if (strncmp(tm->kv[i].key, "map_sha256.", 11) == 0) {
            char *path = path_join(b->dir, tm->kv[i].key + 11);
            *maps += changed(path, tm->kv[i].value, "mapping file", allowed);
            free(path);
        }
    free(svc);
}

/* 1 if both files hold the same bytes; -1 if one cannot be read. */
static int
same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    char ba[65536], bb[65536];
    int same = 1;

    if (!fa || !fb) {
        if (fa)
            fclose(fa);
        if (fb)
            fclose(fb);
        return -1;
    }
    for (;;) {
        size_t na = fread(ba, 1, sizeof(ba), fa), nb = fread(bb, 1, sizeof(bb), fb);
        if (na != nb || memcmp(ba, bb, na) != 0) {
            same = 0;
            break;
        }
        if (na < sizeof(ba))
            break;
    }
    fclose(fa);
    fclose(fb);
    return same;
}

/* ------------------------------------------------------------------------------------------
 * --rerun
 */

static char **
documents_of(const char *return_dir)
{
    char **docs = run_return_documents(return_dir);
    for (size_t i = 0; docs && docs[i]; i++) {
        char *p = path_join(return_dir, docs[i]);
        free(docs[i]);
        docs[i] = p;
    }
    return docs;
}

/* Checks that each return document still matches the run's transform manifest. */
static int
check_documents(const char *return_dir, const struct manifest *tm, char **docs,
                struct yj_error *err)
{
    for (size_t i = 0; docs[i]; i++) {
        const char *name = strrchr(docs[i], '/') + 1;
        const struct manifest_file *f = manifest_find_file(tm, name);
        char hex[SHA256_HEX_LEN + 1];
        unsigned long long bytes;
        if (!f || sha256_file(docs[i], hex, &bytes) != 0 || bytes != f->bytes ||
            strcmp(hex, f->sha256) != 0) {
            yj_error_set(err, YJ_EX_IOERR, "the run's return '%s' does not match '%s/MANIFEST'",
                         docs[i], return_dir);
            yj_error_hint(err, "yj-run --verify names what changed");
            return YJ_EX_IOERR;
        }
    }
    return YJ_OK;
}

/* The RUN file's previous_return (the returns the run's deletions were counted against),
 * checked against the transform manifest's previous_return_sha256; NULL if none. */
static int
previous_returns(const char *run_dir, const struct manifest *tm, char ***out, struct yj_error *err)
{
    char *run_file = rundir_path(run_dir, RD_RUN_FILE);
    struct runrec rr;
    const char *list, *want = manifest_get(tm, "previous_return_sha256");
    char *shas = NULL;
    size_t n = 0, len = 0;
    int rc = YJ_OK;

    *out = NULL;
    runrec_init(&rr);
    if (!want || strcmp(want, "-") == 0)
        goto done;
    if ((rc = runrec_read(&rr, run_file, err)) != YJ_OK)
        goto done;
    if (!(list = runrec_previous(&rr))) {
        rc = yj_error_set(err, YJ_EX_NOINPUT,
                          "'%s' does not name the previous return the run's deletions came from",
                          run_file);
        goto done;
    }
    for (const char *p = list; *p;) {
        size_t k = strcspn(p, ",");
        char hex[SHA256_HEX_LEN + 1];
        unsigned long long bytes;
        *out = xrealloc(*out, (n + 2) * sizeof(char *));
        (*out)[n] = strndup(p, k);
        (*out)[n + 1] = NULL;
        if (sha256_file((*out)[n], hex, &bytes) != 0)
            snprintf(hex, sizeof(hex), "-");
        shas = xrealloc(shas, len + SHA256_HEX_LEN + 2);
        len += (size_t)snprintf(shas + len, SHA256_HEX_LEN + 2, "%s%s", n ? "," : "", hex);
        n++;
        p += k + (p[k] == ',');
    }
    if (!shas || strcmp(shas, want) != 0)
        rc = yj_error_set(err, YJ_EX_NOINPUT,
                          "the previous return '%s' the run read is gone or changed since", list);
done:
    if (rc != YJ_OK) {
        run_free_list(*out);
        *out = NULL;
    }
    free(shas);
    runrec_release(&rr);
    free(run_file);
    return rc;
}

/* A rerun reads the run's staged and return manifests (its as-of moment, period, bundle, the
 * sign-off): they must be the ones its RUN sealed, or the rerun would blame the warehouse for
 * an edit of the runs root. A run from before the seal (no seal lines) is read as it is. */
static int
check_sealed(const char *run_dir, struct yj_error *err)
{
    static const enum rundir_id sealed[] = {RD_STAGED_MANIFEST, RD_RETURN_MANIFEST};
    char *run_file = rundir_path(run_dir, RD_RUN_FILE);
    struct runrec rr;
    int rc = YJ_OK;

    runrec_init(&rr);
    if (runrec_read(&rr, run_file, err) != YJ_OK || !runrec_seal(&rr)) {
        yj_error_init(err);
        goto out;
    }
    for (size_t i = 0; i < sizeof(sealed) / sizeof(sealed[0]) && rc == YJ_OK; i++) {
        char hex[SHA256_HEX_LEN + 1], *path = rundir_path(run_dir, sealed[i]);
        const char *want = runrec_sealed(&rr, rundir_entry(sealed[i])->path);
        unsigned long long bytes;

        if (!want || sha256_file(path, hex, &bytes) != 0 || strcmp(hex, want) != 0) {
            rc = yj_error_set(err, YJ_EX_IOERR, "'%s' is not the one '%s' sealed: not rerun", path,
                              run_file);
            yj_error_hint(err, "yj-run --verify names what changed");
        }
        free(path);
    }
out:
    runrec_release(&rr);
    free(run_file);
    return rc;
}

/* One rerun, as rerun() goes: what it read of the run, and what RERUN says. */
struct rerun_ctx {
    const struct yj_config *cfg;
    const struct audit_options *o;
    const char *run_dir;
    char *old_ret, *smp, *tmp;                         /* the run's return/ and manifests */
    char *dir, *staged, *ret, *diff_path, *rerun_file; /* the rerun's */
    char **old_docs, **new_docs, **previous;
    struct manifest sm, tm; /* the run's staged and return MANIFESTs */
    struct bundle b;
    struct items it;
    struct yj_period period;
    const char *as_of, *sign_off; /* from the run's manifests */
    int maps_changed;             /* mapping files changed since (--with-current-mappings) */
    struct cld_diff d;
    struct runrec rec; /* RERUN */
    enum runrec_result result;
};

static void
rerun_ctx_release(struct rerun_ctx *x)
{
    cld_diff_release(&x->d);
    manifest_release(&x->sm);
    manifest_release(&x->tm);
    runrec_release(&x->rec);
    bundle_release(&x->b);
    items_release(&x->it);
    run_free_list(x->old_docs);
    run_free_list(x->new_docs);
    run_free_list(x->previous);
    free(x->old_ret);
    free(x->smp);
    free(x->tmp);
    free(x->dir);
    free(x->staged);
    free(x->ret);
    free(x->diff_path);
    free(x->rerun_file);
}

/* The run's manifests, as sealed: its as-of moment, period, bundle and sign-off date; the
 * bundle the period has now must be the run's. */
static int
rerun_read_run(struct rerun_ctx *x, struct yj_error *err)
{
    const struct yj_config *cfg = x->cfg;
    const char *period_text, *bundle_name;
    int rc;

    if ((rc = manifest_read(&x->sm, x->smp, NULL, err)) != YJ_OK ||
        (rc = manifest_read(&x->tm, x->tmp, NULL, err)) != YJ_OK) {
        yj_error_hint(err, "a rerun needs a run whose extract and transform completed");
        return rc;
    }
    x->as_of = manifest_get(&x->sm, "as_of");
    period_text = manifest_get(&x->sm, "period");
    bundle_name = manifest_get(&x->sm, "bundle");
    x->sign_off = manifest_get(&x->tm, "sign_off_date");
    if (!x->as_of || !period_text || !bundle_name || !x->sign_off)
        return yj_error_set(err, YJ_EX_IOERR,
                            "'%s' or '%s' lacks as_of, period, bundle or sign_off_date", x->smp,
                            x->tmp);
    if ((rc = check_sealed(x->run_dir, err)) != YJ_OK)
        return rc;
    if (period_parse(period_text, &x->period, err) != YJ_OK)
        return yj_error_set(err, YJ_EX_IOERR, "'%s': bad period '%s'", x->smp, period_text);
    if ((rc = config_require(cfg->mappings, "return", "mappings", cfg->path, err)) != YJ_OK ||
        (rc = config_require(cfg->sql, "return", "sql", cfg->path, err)) != YJ_OK ||
        (rc = bundle_for_period(&x->b, cfg->mappings, &x->period, err)) != YJ_OK)
        return rc;
    if (strcmp(x->b.name, bundle_name) != 0)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "'%s/bundles.conf' now gives period %s bundle %s; the run used %s",
                            cfg->mappings, x->period.label, x->b.name, bundle_name);
    return YJ_OK;
}

/* What the rerun reads must be what the run read: its return documents and previous return
 * unchanged, its query files unchanged, its mapping files unchanged (or, with
 * --with-current-mappings, changed and said so). */
static int
rerun_check_inputs(struct rerun_ctx *x, struct yj_error *err)
{
    const struct yj_config *cfg = x->cfg;
    int rc, sql_changed = 0, maps_changed = 0;

    x->old_docs = documents_of(x->old_ret);
    if (!x->old_docs)
        return yj_error_set(err, YJ_EX_NOINPUT, "'%s' lists no return document", x->tmp);
    if ((rc = check_documents(x->old_ret, &x->tm, x->old_docs, err)) != YJ_OK ||
        (rc = previous_returns(x->run_dir, &x->tm, &x->previous, err)) != YJ_OK)
        return rc;
    compare_inputs(cfg, &x->b, &x->sm, &x->tm, x->o->with_current_mappings, &sql_changed,
                   &maps_changed);
    if (sql_changed) {
        rc = yj_error_set(err, YJ_EX_CONFIG,
                          "%d query file%s of '%s' differ%s from the run's (named above): the "
                          "rerun would not read what the run read",
                          sql_changed, sql_changed == 1 ? "" : "s", cfg->sql,
                          sql_changed == 1 ? "s" : "");
        yj_error_hint(err,
                      "point [return] sql of a configuration at the queries of yjreturns "
                      "%s (the staged MANIFEST names each by SHA-256)",
                      manifest_get(&x->sm, "yjreturns_version")
                          ? manifest_get(&x->sm, "yjreturns_version")
                          : "of the run");
        return rc;
    }
    if (maps_changed && !x->o->with_current_mappings) {
        rc = yj_error_set(
            err, YJ_EX_CONFIG, "%d mapping file%s of '%s' differ%s from the run's (named above)",
            maps_changed, maps_changed == 1 ? "" : "s", x->b.dir, maps_changed == 1 ? "s" : "");
        yj_error_hint(err, "restore them, or add --with-current-mappings to rerun with them and "
                           "have the differences listed field by field");
        return rc;
    }
    if (maps_changed)
        log_warn("--with-current-mappings: %d mapping file%s changed since the run; the "
                 "differences they make are listed",
                 maps_changed, maps_changed == 1 ? "" : "s");
    x->maps_changed = maps_changed;
    return items_load(&x->it, x->b.dir, err);
}

/* The rerun folder, printed on OUT, and RERUN's first lines. */
static int
rerun_open(struct rerun_ctx *x, FILE *out, struct yj_error *err)
{
    int rc;

    if ((rc = rundir_make_stamped(x->run_dir, RUNDIR_RERUN_PREFIX, &x->dir, err)) != YJ_OK)
        return rc;
    fprintf(out, "%s\n", x->dir);
    fflush(out);
    x->staged = rundir_path(x->dir, RD_STAGED_DIR);
    x->ret = rundir_path(x->dir, RD_RETURN_DIR);
    x->diff_path = path_join(x->dir, rundir_name(RD_RERUN_DIFF));
    x->rerun_file = path_join(x->dir, rundir_name(RD_RERUN_FILE));
    runrec_begin(&x->rec, 1);
    runrec_set_run(&x->rec, x->run_dir);
    runrec_set_period(&x->rec, x->period.label);
    runrec_set_as_of(&x->rec, x->as_of);
    runrec_set_sign_off(&x->rec, x->sign_off);
    runrec_set_with_current_mappings(&x->rec, x->maps_changed);
    runrec_set_format_keys(&x->rec, RD_RERUN_FILE);
    log_info("rerun of %s: period %s as recorded at %s, bundle %s, into %s", x->run_dir,
             x->period.label, x->as_of, x->b.name, x->dir);
    return YJ_OK;
}

/* yj-extract and yj-transform as the run had them: its period, as-of moment, sign-off date
 * and previous return. */
static int
rerun_stages(struct rerun_ctx *x, struct yj_error *err)
{
    static const enum stage stages[] = {STAGE_EXTRACT, STAGE_TRANSFORM};
    struct stage_inputs in = {0};
    int rc = YJ_OK;

    in.config = x->o->config_path;
    in.period = x->period.label;
    in.as_of = x->as_of;
    in.sign_off = strcmp(x->sign_off, "-") != 0 ? x->sign_off : NULL;
    in.previous = x->previous;
    in.staged = x->staged;
    in.return_dir = x->ret;
    for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]) && rc == YJ_OK; i++) {
        char **argv = stage_argv(stages[i], &in);
        rc = spawner_run(x->o->bin_dir, argv, NULL, err);
        runrec_set_status(&x->rec, stages[i], rc);
        free(argv);
    }
    return rc;
}

/* The rerun's return against the run's: byte for byte, and if not, value by value into the
 * diff file. */
static int
rerun_compare(struct rerun_ctx *x, struct yj_error *err)
{
    const struct cld_diff *d = &x->d;
    size_t i;
    int rc, same = 1;

    if (!(x->new_docs = documents_of(x->ret)))
        return yj_error_set(err, YJ_EX_SOFTWARE, "the rerun's return lists no document");
    for (i = 0; same && x->old_docs[i] && x->new_docs[i]; i++) {
        int s = strcmp(strrchr(x->old_docs[i], '/'), strrchr(x->new_docs[i], '/')) == 0
                    ? same_bytes(x->old_docs[i], x->new_docs[i])
                    : 0;
        if (s < 0)
            return yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s' or '%s'",
                                  x->old_docs[i], x->new_docs[i]);
        same = s;
    }
    if (same && !x->old_docs[i] && !x->new_docs[i]) {
        x->result = RUNREC_IDENTICAL;
        log_info("identical: the rerun's return is byte for byte the one of %s", x->run_dir);
        return YJ_OK;
    }
    rc = cld_diff_write(&x->d, &x->it, x->old_ret, x->ret, x->staged, x->b.schema_version,
                        x->diff_path, err);
    if (rc != YJ_OK)
        return rc;
    runrec_set_differences(&x->rec, d->lines);
    x->result = RUNREC_DIFFERS;
    log_warn("differs: the rerun's return is not the one of %s: %llu difference%s, %llu of %llu "
             "children compared differ, %llu child%s only in the sent return, %llu only now; "
             "every one in %s (mode 0600)",
             x->run_dir, d->lines, d->lines == 1 ? "" : "s", d->children_differ, d->children,
             d->only_sent, d->only_sent == 1 ? "" : "ren", d->only_now, x->diff_path);
    for (size_t k = 0; k < d->nstats; k++)
        log_warn("differs: %s: %lu", d->stats[k].key, d->stats[k].n);
    rc = yj_error_set(err, YJ_EX_DATAERR,
                      "the rerun's return differs from the one the run produced: %llu difference%s",
                      d->lines, d->lines == 1 ? "" : "s");
    yj_error_detail(err, "listed in '%s'", x->diff_path);
    return rc;
}

/* RERUN's last lines: a compared rerun's staged data files go, as a run's do ([run]
 * keep_staged); a rerun stopped by a signal says so. */
static int
rerun_record(struct rerun_ctx *x, int rc, struct yj_error *err)
{
    struct yj_error e2;

    if (x->result != RUNREC_FAILED) {
        int removed = !x->cfg->keep_staged && rundir_remove_staged(x->dir) >= 0;
        if (!x->cfg->keep_staged && !removed)
            log_warn("could not remove every staged file of '%s'", x->staged);
        runrec_set_staged_removed(&x->rec, removed);
    } else if (spawner_interrupted()) {
        x->result = RUNREC_INTERRUPTED;
        runrec_set_interrupted(&x->rec, spawner_signal_name(spawner_interrupted()));
    }
    runrec_set_result(&x->rec, x->result);
    if (runrec_write(&x->rec, x->rerun_file, &e2) != YJ_OK) {
        log_yj_error(&e2);
        if (rc == YJ_OK) {
            *err = e2;
            rc = e2.code;
        }
    }
    return rc;
}

static int
rerun(const struct yj_config *cfg, const struct audit_options *o, FILE *out, struct yj_error *err)
{
    struct rerun_ctx x;
    char *run_dir = latest_resolve(o->rerun_dir); /* a latest link: the run it names */
    int rc;

    memset(&x, 0, sizeof(x));
    x.cfg = cfg;
    x.o = o;
    x.run_dir = run_dir;
    x.result = RUNREC_FAILED;
    cld_diff_init(&x.d);
    manifest_init(&x.sm);
    manifest_init(&x.tm);
    runrec_init(&x.rec);
    bundle_init(&x.b);
    items_init(&x.it);
    x.old_ret = rundir_path(x.run_dir, RD_RETURN_DIR);
    x.smp = rundir_path(x.run_dir, RD_STAGED_MANIFEST);
    x.tmp = rundir_path(x.run_dir, RD_RETURN_MANIFEST);
    if ((rc = rerun_read_run(&x, err)) != YJ_OK || (rc = rerun_check_inputs(&x, err)) != YJ_OK ||
        (rc = rerun_open(&x, out, err)) != YJ_OK)
        goto done;
    if ((rc = rerun_stages(&x, err)) == YJ_OK)
        rc = rerun_compare(&x, err);
    rc = rerun_record(&x, rc, err);
done:
    rerun_ctx_release(&x);
    free(run_dir);
    return rc;
}

int
audit_main(const struct audit_options *o, int nargs, char **args, FILE *out)
{
    struct yj_config cfg;
    struct yj_error err;
    double t0 = log_now();
    const char *runs_root = NULL;
    int rc = YJ_OK;

    yj_error_init(&err);
    config_init(&cfg);
    if (o->verify && o->rerun_dir) {
        fprintf(stderr, "yj-run: --verify and --rerun are separate commands\n");
        return YJ_EX_USAGE;
    }
    if (o->run_options) {
        fprintf(stderr,
                "yj-run: --%s takes no run options (--period, --as-of, --submit, ...): "
                "%s\n",
                o->verify ? "verify" : "rerun",
                o->verify ? "it only reads the runs root" : "they come from the run's manifests");
        return YJ_EX_USAGE;
    }
    if (o->with_current_mappings && !o->rerun_dir) {
        fprintf(stderr, "yj-run: --with-current-mappings goes with --rerun\n");
        return YJ_EX_USAGE;
    }
    if (o->receiver && (!o->verify || !o->config_path)) {
        fprintf(stderr, "yj-run: --receiver goes with --verify and --config (its [submit] "
                        "settings)\n");
        return YJ_EX_USAGE;
    }
    if (nargs > (o->verify ? 1 : 0)) {
        return cli_unexpected(&run_cli, args[o->verify ? 1 : 0]);
    }
    if (o->verify && nargs == 1)
        runs_root = args[0];
    else if (!o->config_path) {
        fprintf(stderr, "yj-run: %s needs --config (see --help)\n",
                o->verify ? "--verify without RUNS_ROOT" : "--rerun");
        return YJ_EX_USAGE;
    }
    if (!runs_root || o->receiver) {
        if ((rc = config_load(&cfg, o->config_path, &err)) != YJ_OK)
            goto out;
        if (o->verify && !runs_root &&
            (rc = config_require(cfg.runs_root, "run", "runs_root", cfg.path, &err)) != YJ_OK)
            goto out;
        if (o->receiver &&
            ((rc = config_require(cfg.submit_url, "submit", "url", cfg.path, &err)) != YJ_OK ||
             (rc = config_require(cfg.ca_file, "submit", "ca_file", cfg.path, &err)) != YJ_OK ||
             (rc = config_require(cfg.cert_file, "submit", "cert_file", cfg.path, &err)) != YJ_OK ||
             (rc = config_require(cfg.key_file, "submit", "key_file", cfg.path, &err)) != YJ_OK))
            goto out;
        if (!runs_root)
            runs_root = cfg.runs_root;
    }
    if (o->verify) {
        log_info("begin: verify %s%s", runs_root, o->receiver ? " and the receiver" : "");
        rc = audit_verify(runs_root, o->receiver ? &cfg : NULL, out);
        log_info("end: status %d in %.2f s", rc, log_now() - t0);
        config_release(&cfg);
        return rc;
    }
    log_info("begin: rerun %s with config %s", o->rerun_dir, o->config_path);
    /* a signal stops the running stage, then the rerun (yj-run's main ends by it) */
    spawner_signals_init();
    rc = rerun(&cfg, o, out, &err);
out:
    if (rc != YJ_OK)
        log_yj_error(&err);
    if (!o->verify)
        log_info("end: status %d in %.2f s", rc, log_now() - t0);
    config_release(&cfg);
    return rc;
}
