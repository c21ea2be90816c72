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
#include "ledger.h"
#include "log.h"
#include "manifest.h"
#include "report.h"
#include "mem.h"
#include "period.h"
#include "run.h"
#include "seal.h"
#include "rundir.h"
#include "sha256.h"
#include "staged.h"
#include "stages.h"

#include <dirent.h>
#include <errno.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

extern char **environ;

/* ------------------------------------------------------------------------------------------
 * --rerun: the checks before it (--verify is etl/run/verify.c)
 */

static int
no_dot(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

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
        int n = scandir(cfg->sql, &ents, no_dot, alphasort);
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

/* Runs bin_dir/argv[0] with its stdout sent to stderr; returns its exit status. */
static int
spawn(const char *bin_dir, char *const argv[], struct yj_error *err)
{
    char *path = path_join(bin_dir, argv[0]);
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status, rc;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
    rc = posix_spawn(&pid, path, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        yj_error_errno(err, YJ_EX_SOFTWARE, rc, "could not start '%s'", path);
        free(path);
        return YJ_EX_SOFTWARE;
    }
    free(path);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return yj_error_errno(err, YJ_EX_SOFTWARE, errno, "could not wait for %s", argv[0]);
    if (WIFEXITED(status)) {
        if (WEXITSTATUS(status) != 0)
            yj_error_set(err, WEXITSTATUS(status), "%s failed with exit status %d", argv[0],
                         WEXITSTATUS(status));
        return WEXITSTATUS(status);
    }
    return yj_error_set(err, YJ_EX_SOFTWARE, "%s was killed by signal %d", argv[0],
                        WIFSIGNALED(status) ? WTERMSIG(status) : 0);
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
    struct manifest rm;
    const char *list, *want = manifest_get(tm, "previous_return_sha256");
    char *shas = NULL;
    size_t n = 0, len = 0;
    int rc = YJ_OK;

    *out = NULL;
    manifest_init(&rm);
    if (!want || strcmp(want, "-") == 0)
        goto done;
    if ((rc = manifest_read(&rm, run_file, NULL, err)) != YJ_OK)
        goto done;
    list = manifest_get(&rm, "previous_return");
    if (!list || strcmp(list, "-") == 0) {
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
    manifest_release(&rm);
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
    struct manifest rm;
    int rc = YJ_OK;

    manifest_init(&rm);
    if (manifest_read(&rm, run_file, NULL, err) != YJ_OK || !manifest_get(&rm, SEAL_KEY)) {
        yj_error_init(err);
        goto out;
    }
    for (size_t i = 0; i < sizeof(sealed) / sizeof(sealed[0]) && rc == YJ_OK; i++) {
        const char *rel = rundir_entry(sealed[i])->path;
        char key[128], hex[SHA256_HEX_LEN + 1], *path = rundir_path(run_dir, sealed[i]);
        const char *want;
        unsigned long long bytes;

        snprintf(key, sizeof(key), "%s%s", SEAL_PREFIX, rel);
        want = manifest_get(&rm, key);
        if (!want || sha256_file(path, hex, &bytes) != 0 || strcmp(hex, want) != 0) {
            rc = yj_error_set(err, YJ_EX_IOERR, "'%s' is not the one '%s' sealed: not rerun", path,
                              run_file);
            yj_error_hint(err, "yj-run --verify names what changed");
        }
        free(path);
    }
out:
    manifest_release(&rm);
    free(run_file);
    return rc;
}

static int
rerun(const struct yj_config *cfg, const struct audit_options *o, FILE *out, struct yj_error *err)
{
    const char *run_dir = o->rerun_dir;
    char *old_staged = rundir_path(run_dir, RD_STAGED_DIR);
    char *old_ret = rundir_path(run_dir, RD_RETURN_DIR);
    char *smp = rundir_path(run_dir, RD_STAGED_MANIFEST),
         *tmp = rundir_path(run_dir, RD_RETURN_MANIFEST);
    char *dir = NULL, *staged = NULL, *ret = NULL, *diff_path = NULL, *rerun_file = NULL;
    char **old_docs = NULL, **new_docs = NULL, **previous = NULL, **transform = NULL,
         **extract = NULL;
    struct manifest sm, tm, rec;
    struct bundle b;
    struct items it;
    struct yj_period period;
    struct cld_diff d;
    const char *as_of, *period_text, *sign_off, *bundle_name, *result = "failed";
    int rc, sql_changed = 0, maps_changed = 0;

    cld_diff_init(&d);
    manifest_init(&sm);
    manifest_init(&tm);
    manifest_init(&rec);
    bundle_init(&b);
    items_init(&it);
    if ((rc = manifest_read(&sm, smp, NULL, err)) != YJ_OK ||
        (rc = manifest_read(&tm, tmp, NULL, err)) != YJ_OK) {
        yj_error_hint(err, "a rerun needs a run whose extract and transform completed");
        goto done;
    }
    as_of = manifest_get(&sm, "as_of");
    period_text = manifest_get(&sm, "period");
    bundle_name = manifest_get(&sm, "bundle");
    sign_off = manifest_get(&tm, "sign_off_date");
    if (!as_of || !period_text || !bundle_name || !sign_off) {
        rc = yj_error_set(err, YJ_EX_IOERR,
                          "'%s' or '%s' lacks as_of, period, bundle or sign_off_date", smp, tmp);
        goto done;
    }
    if ((rc = check_sealed(run_dir, err)) != YJ_OK)
        goto done;
    if ((rc = period_parse(period_text, &period, err)) != YJ_OK) {
        rc = yj_error_set(err, YJ_EX_IOERR, "'%s': bad period '%s'", smp, period_text);
        goto done;
    }
    if ((rc = config_require(cfg->mappings, "return", "mappings", cfg->path, err)) != YJ_OK ||
        (rc = config_require(cfg->sql, "return", "sql", cfg->path, err)) != YJ_OK ||
        (rc = bundle_for_period(&b, cfg->mappings, &period, err)) != YJ_OK)
        goto done;
    if (strcmp(b.name, bundle_name) != 0) {
        rc = yj_error_set(err, YJ_EX_CONFIG,
                          "'%s/bundles.conf' now gives period %s bundle %s; the run used %s",
                          cfg->mappings, period.label, b.name, bundle_name);
        goto done;
    }
    old_docs = documents_of(old_ret);
    if (!old_docs) {
        rc = yj_error_set(err, YJ_EX_NOINPUT, "'%s' lists no return document", tmp);
        goto done;
    }
    if ((rc = check_documents(old_ret, &tm, old_docs, err)) != YJ_OK ||
        (rc = previous_returns(run_dir, &tm, &previous, err)) != YJ_OK)
        goto done;
    compare_inputs(cfg, &b, &sm, &tm, o->with_current_mappings, &sql_changed, &maps_changed);
    if (sql_changed) {
        rc = yj_error_set(err, YJ_EX_CONFIG,
                          "%d query file%s of '%s' differ%s from the run's (named above): the "
                          "rerun would not read what the run read",
                          sql_changed, sql_changed == 1 ? "" : "s", cfg->sql,
                          sql_changed == 1 ? "s" : "");
        yj_error_hint(err,
                      "point [return] sql of a configuration at the queries of yjreturns "
                      "%s (the staged MANIFEST names each by SHA-256)",
                      manifest_get(&sm, "yjreturns_version")
                          ? manifest_get(&sm, "yjreturns_version")
                          : "of the run");
        goto done;
    }
    if (maps_changed && !o->with_current_mappings) {
        rc = yj_error_set(
            err, YJ_EX_CONFIG, "%d mapping file%s of '%s' differ%s from the run's (named above)",
            maps_changed, maps_changed == 1 ? "" : "s", b.dir, maps_changed == 1 ? "s" : "");
        yj_error_hint(err, "restore them, or add --with-current-mappings to rerun with them and "
                           "have the differences listed field by field");
        goto done;
    }
    if (maps_changed)
        log_warn("--with-current-mappings: %d mapping file%s changed since the run; the "
                 "differences they make are listed",
                 maps_changed, maps_changed == 1 ? "" : "s");
    if ((rc = items_load(&it, b.dir, err)) != YJ_OK)
        goto done;

    if ((rc = rundir_make_stamped(run_dir, RUNDIR_RERUN_PREFIX, &dir, err)) != YJ_OK)
        goto done;
    fprintf(out, "%s\n", dir);
    fflush(out);
    staged = rundir_path(dir, RD_STAGED_DIR);
    ret = rundir_path(dir, RD_RETURN_DIR);
    diff_path = path_join(dir, rundir_name(RD_RERUN_DIFF));
    rerun_file = path_join(dir, rundir_name(RD_RERUN_FILE));
    manifest_set(&rec, "stage", "rerun");
    manifest_set(&rec, "yjreturns_version", YJ_VERSION);
    manifest_set(&rec, "run", run_dir);
    manifest_set(&rec, "period", period.label);
    manifest_set(&rec, "as_of", as_of);
    manifest_set(&rec, "sign_off_date", sign_off);
    manifest_set(&rec, "with_current_mappings", maps_changed ? "yes" : "no");
    rundir_format_keys(&rec, RD_RERUN_FILE);
    log_info("rerun of %s: period %s as recorded at %s, bundle %s, into %s", run_dir, period.label,
             as_of, b.name, dir);
    {
        struct stage_inputs in = {0};
        char st[16];

        /* as the run was: its period, as-of moment, sign-off date and previous return */
        in.config = o->config_path;
        in.period = period.label;
        in.as_of = as_of;
        in.sign_off = strcmp(sign_off, "-") != 0 ? sign_off : NULL;
        in.previous = previous;
        in.staged = staged;
        in.return_dir = ret;
        extract = stage_argv(STAGE_EXTRACT, &in);
        transform = stage_argv(STAGE_TRANSFORM, &in);
        rc = spawn(o->bin_dir, extract, err);
        snprintf(st, sizeof(st), "%d", rc);
        manifest_set(&rec, "status.extract", st);
        if (rc == YJ_OK) {
            rc = spawn(o->bin_dir, transform, err);
            snprintf(st, sizeof(st), "%d", rc);
            manifest_set(&rec, "status.transform", st);
        }
        if (rc != YJ_OK)
            goto record;
    }
    new_docs = documents_of(ret);
    if (!new_docs) {
        rc = yj_error_set(err, YJ_EX_SOFTWARE, "the rerun's return lists no document");
        goto record;
    }
    {
        int same = 1;
        size_t i;
        for (i = 0; same && old_docs[i] && new_docs[i]; i++) {
            int s = strcmp(strrchr(old_docs[i], '/'), strrchr(new_docs[i], '/')) == 0
                        ? same_bytes(old_docs[i], new_docs[i])
                        : 0;
            if (s < 0) {
                rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s' or '%s'",
                                    old_docs[i], new_docs[i]);
                goto record;
            }
            same = s;
        }
        if (same && !old_docs[i] && !new_docs[i]) {
            result = "identical";
            log_info("identical: the rerun's return is byte for byte the one of %s", run_dir);
            goto record;
        }
    }
    rc = cld_diff_write(&d, &it, old_ret, ret, staged, b.schema_version, diff_path, err);
    if (rc != YJ_OK)
        goto record;
    {
        char n[32];
        snprintf(n, sizeof(n), "%llu", d.lines);
        manifest_set(&rec, "differences", n);
    }
    result = "differs";
    log_warn("differs: the rerun's return is not the one of %s: %llu difference%s, %llu of %llu "
             "children compared differ, %llu child%s only in the sent return, %llu only now; "
             "every one in %s (mode 0600)",
             run_dir, d.lines, d.lines == 1 ? "" : "s", d.children_differ, d.children, d.only_sent,
             d.only_sent == 1 ? "" : "ren", d.only_now, diff_path);
    for (size_t i = 0; i < d.nstats; i++)
        log_warn("differs: %s: %lu", d.stats[i].key, d.stats[i].n);
    rc = yj_error_set(err, YJ_EX_DATAERR,
                      "the rerun's return differs from the one the run produced: %llu difference%s",
                      d.lines, d.lines == 1 ? "" : "s");
    yj_error_detail(err, "listed in '%s'", diff_path);
record:
    if (strcmp(result, "failed") != 0) {
        /* compared: the rerun's staged data files go, as a run's do ([run] keep_staged) */
        int removed = !cfg->keep_staged && rundir_remove_staged(dir) >= 0;
        if (!cfg->keep_staged && !removed)
            log_warn("could not remove every staged file of '%s'", staged);
        manifest_set(&rec, "staged_files", removed ? "removed" : "kept");
    }
    manifest_set(&rec, "result", result);
    {
        struct yj_error e2;
        if (manifest_write(&rec, rerun_file, &e2) != YJ_OK) {
            log_yj_error(&e2);
            if (rc == YJ_OK) {
                *err = e2;
                rc = e2.code;
            }
        }
    }
done:
    cld_diff_release(&d);
    manifest_release(&sm);
    manifest_release(&tm);
    manifest_release(&rec);
    bundle_release(&b);
    items_release(&it);
    run_free_list(old_docs);
    run_free_list(new_docs);
    run_free_list(previous);
    free(extract);
    free(transform);
    free(old_staged);
    free(old_ret);
    free(smp);
    free(tmp);
    free(dir);
    free(staged);
    free(ret);
    free(diff_path);
    free(rerun_file);
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
    rc = rerun(&cfg, o, out, &err);
out:
    if (rc != YJ_OK)
        log_yj_error(&err);
    if (!o->verify)
        log_info("end: status %d in %.2f s", rc, log_now() - t0);
    config_release(&cfg);
    return rc;
}
