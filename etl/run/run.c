/*
 * run.c - the orchestrator.
 *
 * One run of a service and period at a time: an exclusive, non-blocking flock on
 * RUNS_ROOT/<yot>/<period>.lock, held until the process ends (the kernel drops it even on a
 * crash, so there are no stale locks to clean). Each run gets a new directory
 * RUNS_ROOT/<yot>/<period>/<UTC time>[-n]; stages run as separate processes from the folder
 * this executable lives in, with their stdout sent to stderr so that the run directory stays
 * the only line on yj-run's stdout. A RUN file (manifest format) records the options and
 * every stage's status and time.
 *
 * A return split into parts (the transform MANIFEST lists cld-part-NNNN.xml instead of
 * cld.xml) is validated part by part, each into validate/report-NNNN.txt; a run of such a
 * return counts as submitted only when every part has its submit/receipt-NNNN.
 */
#include "run.h"

#include "atomic.h"
#include "cli.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int
name_desc(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*b)->d_name, (*a)->d_name);
}

static int
is_period_name(const struct dirent *d)
{
    const char *n = d->d_name;
    return strlen(n) == 6 && n[4] == 'Q' && n[5] >= '1' && n[5] <= '4' &&
           strspn(n, "0123456789") == 4;
}

static int
not_dot(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

void
run_free_list(char **list)
{
    for (size_t i = 0; list && list[i]; i++)
        free(list[i]);
    free(list);
}

/* "0003" of "cld-part-0003.xml"; NULL for any other name. */
static const char *
part_digits(const char *name, size_t *len)
{
    size_t np = strlen("cld-part-"), n = strlen(name);

    if (n <= np + 4 || strncmp(name, "cld-part-", np) != 0 || strcmp(name + n - 4, ".xml") != 0)
        return NULL;
    *len = n - np - 4;
    return strspn(name + np, "0123456789") == *len ? name + np : NULL;
}

char *
run_part_file(const char *dir, const char *document, const char *base, const char *ext)
{
    size_t nd = 0;
    const char *digits = part_digits(document, &nd);
    size_t n = strlen(base) + nd + strlen(ext) + 2;
    char *name = xmalloc(n), *path;

    if (digits)
        snprintf(name, n, "%s-%.*s%s", base, (int)nd, digits, ext);
    else
        snprintf(name, n, "%s%s", base, ext);
    path = path_join(dir, name);
    free(name);
    return path;
}

char **
run_return_documents(const char *return_dir)
{
    char *mpath = path_join(return_dir, "MANIFEST");
    char **docs = NULL;
    size_t n = 0;
    struct manifest m;
    struct yj_error e2;

    manifest_init(&m);
    if (manifest_read(&m, mpath, NULL, &e2) == YJ_OK) {
        docs = xcalloc(m.nfiles + 1, sizeof(char *));
        for (size_t i = 0; i < m.nfiles; i++) {
            size_t nd;
            if (strcmp(m.files[i].name, "cld.xml") == 0 || part_digits(m.files[i].name, &nd))
                docs[n++] = xstrdup(m.files[i].name);
        }
    }
    manifest_release(&m);
    free(mpath);
    if (docs && n == 0) {
        free(docs);
        docs = NULL;
    }
    return docs;
}

/* The documents of a run's return that was submitted whole: every one with its receipt
 * (cld.xml and submit/receipt, or each part and its submit/receipt-NNNN). NULL if not. */
static char **
submitted_documents(const char *run_dir)
{
    char *ret = path_join(run_dir, "return"), *submit = path_join(run_dir, "submit");
    char **docs = run_return_documents(ret);
    int all = 1;

    if (!docs) { /* no manifest to say: the plain return */
        docs = xcalloc(2, sizeof(char *));
        docs[0] = xstrdup("cld.xml");
    }
    for (size_t i = 0; docs[i]; i++) {
        char *xml = path_join(ret, docs[i]);
        char *receipt = run_part_file(submit, docs[i], "receipt", "");
        all &= access(receipt, R_OK) == 0 && access(xml, R_OK) == 0;
        free(docs[i]);
        docs[i] = xml;
        free(receipt);
    }
    if (!all) {
        run_free_list(docs);
        docs = NULL;
    }
    free(ret);
    free(submit);
    return docs;
}

char **
run_previous_submission(const char *runs_root, const char *yot, const char *period)
{
    char *service_dir = path_join(runs_root, yot);
    char **found = NULL;
    struct dirent **periods = NULL;
    int np = scandir(service_dir, &periods, is_period_name, name_desc);

    for (int i = 0; i < np; i++) {
        char *pdir = path_join(service_dir, periods[i]->d_name);
        struct dirent **runs = NULL;
        int nr = strcmp(periods[i]->d_name, period) < 0 && !found
                     ? scandir(pdir, &runs, not_dot, name_desc)
                     : 0;

        for (int k = 0; k < nr; k++) {
            char *rdir = path_join(pdir, runs[k]->d_name);
            if (!found)
                found = submitted_documents(rdir);
            free(rdir);
            free(runs[k]);
        }
        free(runs);
        free(pdir);
        free(periods[i]);
    }
    free(periods);
    free(service_dir);
    return found;
}

char *
run_lock_path(const char *runs_root, const char *yot, const char *period)
{
    size_t n = strlen(runs_root) + strlen(yot) + strlen(period) + 16;
    char *p = xmalloc(n);

    snprintf(p, n, "%s/%s/%s.lock", runs_root, yot, period);
    return p;
}

static int
take_lock(const char *path, int *fd_out, struct yj_error *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);

    if (fd < 0)
        return yj_error_errno(err, YJ_EX_CANTCREAT, errno, "could not open lock file '%s'", path);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK) {
            yj_error_set(err, YJ_EX_LOCKED, "another run holds the lock '%s'", path);
            yj_error_hint(err, "wait for it to finish; runs of the same service and period "
                               "never overlap");
            return YJ_EX_LOCKED;
        }
        return yj_error_errno(err, YJ_EX_IOERR, e, "could not lock '%s'", path);
    }
    *fd_out = fd; /* kept open: the lock lasts as long as the process */
    return YJ_OK;
}

static int
make_run_dir(const char *parent, char **out, struct yj_error *err)
{
    char stamp[32], name[48];
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
    for (int n = 1; n < 1000; n++) {
        char *path;
        if (n == 1)
            snprintf(name, sizeof(name), "%s", stamp);
        else
            snprintf(name, sizeof(name), "%s-%d", stamp, n);
        path = path_join(parent, name);
        if (mkdir(path, 0750) == 0) {
            *out = path;
            return YJ_OK;
        }
        free(path);
        if (errno != EEXIST)
            return yj_error_errno(err, YJ_EX_CANTCREAT, errno,
                                  "could not create run directory "
                                  "in '%s'",
                                  parent);
    }
    return yj_error_set(err, YJ_EX_CANTCREAT, "too many runs this second in '%s'", parent);
}

static int spawn_stage(const char *bin_dir, char *const argv[], struct yj_error *err);

/* Validates every document of the return: cld.xml into report.txt with ARGV as it is, or each
 * part cld-part-NNNN.xml into report-NNNN.txt, ARGV's REPORT and XML swapped for the part's.
 * Every part is validated; the status is that of the first that failed. */
static int
validate_return(const char *bin_dir, char *const argv[], const char *report, const char *xml,
                const char *ret, const char *report_dir, struct yj_error *err)
{
    char **docs = run_return_documents(ret);
    char **a;
    int argc = 0, rc = YJ_OK;

    if (!docs || strcmp(docs[0], "cld.xml") == 0) {
        run_free_list(docs);
        return spawn_stage(bin_dir, argv, err);
    }
    while (argv[argc])
        argc++;
    a = xcalloc((size_t)argc + 1, sizeof(char *));
    for (size_t i = 0; docs[i]; i++) {
        struct yj_error e2;
        char *part_report = run_part_file(report_dir, docs[i], "report", ".txt");
        char *part = path_join(ret, docs[i]);
        int r;

        for (int k = 0; k < argc; k++)
            a[k] = argv[k] == report ? part_report : argv[k] == xml ? part : argv[k];
        r = spawn_stage(bin_dir, a, rc == YJ_OK ? err : &e2);
        if (r != YJ_OK && rc == YJ_OK) {
            rc = r;
            yj_error_detail(err, "part '%s', report '%s'", part, part_report);
        }
        free(part_report);
        free(part);
    }
    free(a);
    run_free_list(docs);
    return rc;
}

/* Runs bin_dir/prog with argv; returns its exit status (70 if it died of a signal). */
static int
spawn_stage(const char *bin_dir, char *const argv[], struct yj_error *err)
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

int
run_stages(const struct yj_config *cfg, const struct run_options *opt, FILE *out,
           struct yj_error *err)
{
    char *service_dir = NULL, *period_dir = NULL, *lock = NULL, *run_dir = NULL;
    char *staged = NULL, *ret = NULL, *xml = NULL, *report = NULL, *run_file = NULL;
    char *report_dir = NULL, *kpi_dir = NULL, **previous = NULL, *previous_list = NULL,
         **transform = NULL;
    struct manifest m;
    int lock_fd = -1, rc;

    manifest_init(&m);
    if ((rc = config_require(cfg->runs_root, "run", "runs_root", cfg->path, err)) ||
        (rc = config_require(cfg->yot_ou_code, "service", "yot_ou_code", cfg->path, err)))
        goto done;
    if (strspn(cfg->yot_ou_code,
               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") !=
        strlen(cfg->yot_ou_code)) {
        rc = yj_error_set(err, YJ_EX_CONFIG,
                          "config file '%s': [service] yot_ou_code may hold "
                          "only letters, digits, '_' and '-'",
                          cfg->path);
        goto done;
    }
    service_dir = path_join(cfg->runs_root, cfg->yot_ou_code);
    period_dir = path_join(service_dir, opt->period.label);
    if ((rc = mkdir_p(period_dir, 0750, err)) != YJ_OK)
        goto done;
    lock = run_lock_path(cfg->runs_root, cfg->yot_ou_code, opt->period.label);
    if ((rc = take_lock(lock, &lock_fd, err)) != YJ_OK)
        goto done;
    if ((rc = make_run_dir(period_dir, &run_dir, err)) != YJ_OK)
        goto done;
    fprintf(out, "%s\n", run_dir);
    fflush(out);

    staged = path_join(run_dir, "staged");
    ret = path_join(run_dir, "return");
    xml = path_join(ret, "cld.xml");
    report_dir = path_join(run_dir, "validate");
    kpi_dir = path_join(run_dir, "kpi");
    report = path_join(report_dir, "report.txt");
    run_file = path_join(run_dir, "RUN");
    manifest_set(&m, "stage", "run");
    manifest_set(&m, "yjreturns_version", YJ_VERSION);
    manifest_set(&m, "period", opt->period.label);
    manifest_set(&m, "as_of", opt->as_of ? "given" : "snapshot");
    manifest_set(&m, "submit", opt->submit ? "yes" : "no");
    manifest_set(&m, "sign_off_date", opt->sign_off ? opt->sign_off : "-");
    previous = run_previous_submission(cfg->runs_root, cfg->yot_ou_code, opt->period.label);
    for (size_t i = 0, len = 0; previous && previous[i]; i++) {
        /* every part of it, comma separated */
        previous_list = xrealloc(previous_list, len + strlen(previous[i]) + 2);
        len += (size_t)sprintf(previous_list + len, "%s%s", i ? "," : "", previous[i]);
    }
    manifest_set(&m, "previous_return", previous_list ? previous_list : "-");
    if (previous_list)
        log_info("deletions since the last submitted return: %s", previous_list);
    {
        char *const extract[] = {"yj-extract",
                                 "--config",
                                 (char *)opt->config_path,
                                 "--period",
                                 (char *)opt->period.label,
                                 "--out",
                                 staged,
                                 opt->as_of ? "--as-of" : NULL,
                                 (char *)opt->as_of,
                                 NULL};
        size_t nprevious = 0;
        int nt = 7;
        char *const validate[] = {"yj-validate", "--config", (char *)opt->config_path,
                                  "--report",    report,     "--staged",
                                  staged,        xml,        NULL};
        /* yj-submit records every attempt in the runs root's ledger; --resubmit and
         * --allow-empty are passed on */
        char ledger[4096];
        char *submit[10] = {"yj-submit", "--config", (char *)opt->config_path, "--run-dir", run_dir,
                            "--ledger",  ledger};
        int nsubmit = 7;

        snprintf(ledger, sizeof(ledger), "%s/ledger", cfg->runs_root);
        if (opt->resubmit)
            submit[nsubmit++] = "--resubmit";
        if (opt->allow_empty)
            submit[nsubmit++] = "--allow-empty";
        char *const kpi[] = {"yj-kpi",   "--config", (char *)opt->config_path,
                             "--return", ret,        "--staged",
                             staged,     "--out",    kpi_dir,
                             NULL,       NULL};
        char *const *stages[5];
        int invalid = 0;

        while (previous && previous[nprevious])
            nprevious++;
        transform = xcalloc(12 + 2 * nprevious, sizeof(char *));
        transform[0] = "yj-transform";
        transform[1] = "--config";
        transform[2] = (char *)opt->config_path;
        transform[3] = "--in";
        transform[4] = staged;
        transform[5] = "--out";
        transform[6] = ret;
        stages[0] = extract;
        stages[1] = transform;
        stages[2] = validate;
        stages[3] = kpi;
        stages[4] = submit;
        if (opt->sign_off) {
            transform[nt++] = "--sign-off";
            transform[nt++] = (char *)opt->sign_off;
        }
        for (size_t i = 0; i < nprevious; i++) {
            transform[nt++] = "--previous";
            transform[nt++] = previous[i];
        }
        transform[nt] = NULL;
        int nstages = opt->submit ? 5 : 4;

        for (int i = 0; i < nstages; i++) {
            char key[64], val[64];
            double t0 = log_now();

            if (i == 2 && (rc = mkdir_p(report_dir, 0750, err)) != YJ_OK)
                break;
            if (i == 2)
                rc = validate_return(opt->bin_dir, validate, report, xml, ret, report_dir, err);
            else if (i == 3 && invalid) {
                /* the KPIs of a return that failed validation: for the nightly worklist */
                char *const provisional[] = {"yj-kpi",        "--config", (char *)opt->config_path,
                                             "--return",      ret,        "--staged",
                                             staged,          "--out",    kpi_dir,
                                             "--provisional", NULL};
                rc = spawn_stage(opt->bin_dir, provisional, err);
            } else
                rc = spawn_stage(opt->bin_dir, stages[i], err);
            snprintf(key, sizeof(key), "status.%s", stages[i][0] + 3);
            snprintf(val, sizeof(val), "%d", rc);
            manifest_set(&m, key, val);
            snprintf(key, sizeof(key), "seconds.%s", stages[i][0] + 3);
            snprintf(val, sizeof(val), "%.3f", log_now() - t0);
            manifest_set(&m, key, val);
            if (i == 3 && invalid) {
                rc = YJ_EX_DATAERR; /* the run failed validation, whatever the KPIs did */
                break;
            }
            if (i == 2 && rc == YJ_EX_DATAERR) {
                invalid = 1; /* go on to the provisional KPIs, then stop */
                continue;
            }
            if (rc != YJ_OK)
                break;
        }
    }
    manifest_set(&m, "result", rc == YJ_OK ? (opt->submit ? "submitted" : "validated") : "failed");
    {
        struct yj_error e2;
        if (manifest_write(&m, run_file, &e2) != YJ_OK) {
            log_yj_error(&e2);
            if (rc == YJ_OK) {
                *err = e2;
                rc = e2.code;
            }
        }
    }
done:
    if (lock_fd >= 0)
        close(lock_fd);
    manifest_release(&m);
    free(service_dir);
    free(period_dir);
    free(lock);
    free(run_dir);
    free(staged);
    free(ret);
    free(xml);
    free(report);
    free(report_dir);
    free(kpi_dir);
    free(run_file);
    free(transform);
    free(previous_list);
    run_free_list(previous);
    return rc;
}
