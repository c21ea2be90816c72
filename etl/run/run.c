/*
 * run.c - the orchestrator.
 *
 * One run of a service and period at a time: an exclusive, non-blocking flock on
 * RUNS_ROOT/<yot>/<period>.lock (etl/core/runlock.h). The lock covers the whole run, its
 * stages included: every stage inherits the open lock file (YJ_RUN_LOCK_FD names it, so that
 * yj-submit, which takes the same lock when started by hand, knows it already holds it), so
 * the lock is free only when yj-run and every stage it started have ended; the kernel drops
 * it even on a crash, so there are no stale locks to clean.
 *
 * Stages run one at a time as child processes (fork and exec) from the folder this
 * executable lives in, with their stdout sent to stderr so that the run directory stays the
 * only line on yj-run's stdout, and with --log-format json when yj-run logs JSON. Each child
 * asks the kernel for SIGTERM when yj-run dies (PR_SET_PDEATHSIG), so even a SIGKILL of
 * yj-run leaves no stage running on its own for long; while it ends it still holds the lock.
 * SIGTERM, SIGINT or SIGHUP to yj-run is passed on to the running stage (a second one kills
 * it); yj-run waits for it, records "result interrupted" in RUN, lets the lock go, and ends by
 * the same signal (a shell sees 128 + its number).
 *
 * Each run gets a new directory RUNS_ROOT/<yot>/<period>/<UTC time>[-n]. Under the lock,
 * before it, the *.tmp files runs killed mid-write left in the period's run folders are
 * removed, and nightly run folders (never submitted) older than [run] keep_days are pruned.
 * A RUN file (manifest format) records the options, the as-of moment, every stage's status
 * and time and the result; it is written when each stage starts ("result running") and at
 * the end. A run that succeeded removes its staged *.tsv files (they hold every child's
 * date of birth and PNC number) unless [run] keep_staged = yes; the staged MANIFEST stays.
 *
 * A return split into parts (the transform MANIFEST lists cld-part-NNNN.xml instead of
 * cld.xml) is validated part by part, each into validate/report-NNNN.txt; a run of such a
 * return counts as submitted only when every part has its submit/receipt-NNNN.
 */
#define _GNU_SOURCE /* pipe2, nftw */
#include "run.h"

#include "atomic.h"
#include "cli.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "rundir.h"
#include "runlock.h"
#include "seal.h"
#include "stages.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

extern char **environ;

static int
name_desc(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*b)->d_name, (*a)->d_name);
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

char **
run_return_documents(const char *return_dir)
{
    char *mpath = path_join(return_dir, RUNDIR_MANIFEST);
    char **docs = NULL;
    size_t n = 0;
    struct manifest m;
    struct yj_error e2;

    manifest_init(&m);
    if (manifest_read(&m, mpath, NULL, &e2) == YJ_OK) {
        docs = xcalloc(m.nfiles + 1, sizeof(char *));
        for (size_t i = 0; i < m.nfiles; i++) {
            if (manifest_is_document(m.files[i].name))
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
    char *ret = rundir_path(run_dir, RD_RETURN_DIR), *submit = rundir_path(run_dir, RD_SUBMIT_DIR);
    char **docs = run_return_documents(ret);
    int all = 1;

    if (!docs) { /* no manifest to say: the plain return */
        docs = xcalloc(2, sizeof(char *));
        docs[0] = xstrdup(RUNDIR_RETURN_XML);
    }
    for (size_t i = 0; docs[i]; i++) {
        char *xml = path_join(ret, docs[i]);
        char *receipt = rundir_part_file(submit, RD_SUBMIT_RECEIPT, docs[i]);
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
    int np = scandir(service_dir, &periods, rundir_period_filter, name_desc);

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
    return runlock_path(runs_root, yot, period);
}

/* ---- signals: SIGTERM, SIGINT and SIGHUP stop the running stage, then yj-run ---- */

static const int run_stop_signals[] = {SIGTERM, SIGINT, SIGHUP};
static int run_handled[3];                  /* 1: ours (not ignored when yj-run started) */
static volatile sig_atomic_t run_signal;    /* the first stop signal received */
static volatile sig_atomic_t run_nsignals;  /* how many were received */
static volatile sig_atomic_t run_child_pid; /* the running stage, 0 when none */
static int run_lock_fd = -1;                /* the lock the stages inherit, -1 outside a run */

static void
on_stop_signal(int sig)
{
    int saved = errno;
    pid_t child = (pid_t)run_child_pid;

    if (!run_signal)
        run_signal = sig;
    run_nsignals++;
    if (child > 0) {
        /* the stage stops first; a second signal kills it outright */
        kill(child, run_nsignals > 1 ? SIGKILL : sig);
        kill(child, SIGCONT);
    }
    errno = saved;
}

void
run_signals_init(void)
{
    static int done;

    if (done)
        return;
    done = 1;
    for (size_t i = 0; i < sizeof(run_stop_signals) / sizeof(run_stop_signals[0]); i++) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_stop_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0; /* no SA_RESTART: waitpid() returns EINTR */
        /* a signal ignored when yj-run started (nohup, a background job) stays ignored */
        if (sigaction(run_stop_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        run_handled[i] = sigaction(run_stop_signals[i], &sa, NULL) == 0;
    }
}

int
run_interrupted(void)
{
    return (int)run_signal;
}

void
run_end_if_interrupted(void)
{
    int sig = (int)run_signal;
    struct sigaction sa;
    sigset_t set;

    if (!sig)
        return;
    fflush(stdout);
    fflush(stderr);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig); /* the parent sees yj-run end by the signal it was sent: 128+n in a shell */
    _exit(128 + sig);
}

static const char *
signal_name(int sig)
{
    return sig == SIGTERM  ? "SIGTERM"
           : sig == SIGINT ? "SIGINT"
           : sig == SIGHUP ? "SIGHUP"
                           : "signal";
}

/* The environment of a stage: ours, with RUNLOCK_ENV naming the inherited lock. */
static char **
stage_environment(char *lock_var, size_t len)
{
    size_t n = 0, k = 0;
    char **envp;

    while (environ[n])
        n++;
    envp = xcalloc(n + 2, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], RUNLOCK_ENV "=", strlen(RUNLOCK_ENV) + 1) != 0)
            envp[k++] = environ[i];
    if (run_lock_fd >= 0) {
        snprintf(lock_var, len, "%s=%d", RUNLOCK_ENV, run_lock_fd);
        envp[k++] = lock_var;
    }
    envp[k] = NULL;
    return envp;
}

/* Runs bin_dir/prog with argv (with --log-format json when yj-run logs JSON), as a child that
 * inherits the lock and gets SIGTERM if yj-run dies; returns its exit status: 70 if it died
 * of a signal, 128 + the signal when yj-run was told to stop. */
static int
spawn_stage(const char *bin_dir, char *const argv[], struct yj_error *err)
{
    char *path = path_join(bin_dir, argv[0]), lock_var[64];
    char **envp = stage_environment(lock_var, sizeof(lock_var));
    char **a;
    int argc = 0, k = 0, status, pipefd[2], exec_errno = 0, rc;
    sigset_t block, old;
    pid_t pid, parent = getpid();
    siginfo_t info;

    while (argv[argc])
        argc++;
    a = xcalloc((size_t)argc + 3, sizeof(char *));
    a[k++] = argv[0];
    if (log_get_format() == LOG_JSON) {
        a[k++] = "--log-format";
        a[k++] = "json";
    }
    for (int i = 1; i < argc; i++)
        a[k++] = argv[i];
    a[k] = NULL;

    sigemptyset(&block);
    for (size_t i = 0; i < sizeof(run_stop_signals) / sizeof(run_stop_signals[0]); i++)
        sigaddset(&block, run_stop_signals[i]);
    sigprocmask(SIG_BLOCK, &block, &old);
    if (run_signal) { /* told to stop before the stage began */
        sigprocmask(SIG_SETMASK, &old, NULL);
        rc = yj_error_set(err, 128 + (int)run_signal, "%s not started: yj-run was stopped by %s",
                          argv[0], signal_name((int)run_signal));
        goto out;
    }
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        rc = yj_error_errno(err, YJ_EX_SOFTWARE, errno, "could not start '%s'", path);
        goto out;
    }
    pid = fork();
    if (pid == 0) {
        /* the child: back to the default signal actions, unblocked; SIGTERM when yj-run
         * dies, even by SIGKILL; stdout to stderr; the lock inherited */
        struct sigaction dfl;
        int e;
        memset(&dfl, 0, sizeof(dfl));
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        for (size_t i = 0; i < sizeof(run_stop_signals) / sizeof(run_stop_signals[0]); i++)
            if (run_handled[i])
                sigaction(run_stop_signals[i], &dfl, NULL);
        if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
            _exit(YJ_EX_SOFTWARE);
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0 ||
            (run_lock_fd >= 0 && fcntl(run_lock_fd, F_SETFD, 0) != 0))
            e = errno;
        else {
            execve(path, a, envp);
            e = errno;
        }
        if (write(pipefd[1], &e, sizeof(e)) < 0)
            _exit(127);
        _exit(127);
    }
    if (pid < 0) {
        int e = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(pipefd[0]);
        close(pipefd[1]);
        rc = yj_error_errno(err, YJ_EX_SOFTWARE, e, "could not start '%s'", path);
        goto out;
    }
    run_child_pid = (sig_atomic_t)pid;
    sigprocmask(SIG_SETMASK, &old, NULL); /* a signal that came meanwhile is forwarded now */
    close(pipefd[1]);
    while (read(pipefd[0], &exec_errno, sizeof(exec_errno)) < 0 && errno == EINTR)
        ;
    close(pipefd[0]);
    /* wait without reaping, forget the pid, then reap: a late signal never reaches another
     * process that got the same pid */
    memset(&info, 0, sizeof(info));
    while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) != 0)
        if (errno != EINTR)
            break;
    run_child_pid = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            rc = yj_error_errno(err, YJ_EX_SOFTWARE, errno, "could not wait for %s", argv[0]);
            goto out;
        }
    if (exec_errno) {
        rc = yj_error_errno(err, YJ_EX_SOFTWARE, exec_errno, "could not start '%s'", path);
        goto out;
    }
    if (WIFSIGNALED(status) && run_signal) {
        rc = yj_error_set(err, 128 + WTERMSIG(status), "%s stopped by %s: yj-run was stopped",
                          argv[0], signal_name(WTERMSIG(status)));
    } else if (WIFEXITED(status)) {
        rc = WEXITSTATUS(status);
        if (rc != 0)
            yj_error_set(err, rc, "%s failed with exit status %d", argv[0], rc);
    } else
        rc = yj_error_set(err, YJ_EX_SOFTWARE, "%s was killed by signal %d", argv[0],
                          WIFSIGNALED(status) ? WTERMSIG(status) : 0);
out:
    free(a);
    free(envp);
    free(path);
    return rc;
}

/* ---- the run folder's housekeeping: *.tmp of killed runs, old nightly runs, staged ---- */

static int tmp_removed;

static int
remove_tmp(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    size_t n = strlen(path);

    (void)ftw;
    if (type == FTW_F && S_ISREG(st->st_mode) && n > 4 && strcmp(path + n - 4, ".tmp") == 0 &&
        unlink(path) == 0)
        tmp_removed++;
    return 0;
}

/* Removes every *.tmp under the period's run folders: what runs killed mid-write left. Only
 * under the period's lock, so no run of it is writing them. */
static void
clean_tmp(const char *period_dir)
{
    tmp_removed = 0;
    nftw(period_dir, remove_tmp, 16, FTW_PHYS);
    if (tmp_removed)
        log_info("removed %d unfinished file%s (*.tmp) of earlier runs of this period", tmp_removed,
                 tmp_removed == 1 ? "" : "s");
}

static int
remove_any(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (type == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

/* The UTC time a run folder's name "YYYYMMDDTHHMMSSZ[-n]" holds; -1 for any other name. */
static time_t
run_name_time(const char *name)
{
    struct tm tm;
    int y, mo, d, h, mi, se, len = 0;

    if (sscanf(name, "%4d%2d%2dT%2d%2d%2dZ%n", &y, &mo, &d, &h, &mi, &se, &len) != 6 || len != 16 ||
        (name[16] != '\0' && name[16] != '-') || strspn(name, "0123456789") != 8)
        return -1;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    return timegm(&tm);
}

/* A nightly run: no submit/ folder (no upload was ever tried from it) and a RUN, if any, that
 * does not say submit yes. */
static int
is_nightly(const char *run_dir)
{
    char *submit = rundir_path(run_dir, RD_SUBMIT_DIR), *run = rundir_path(run_dir, RD_RUN_FILE);
    struct manifest m;
    struct yj_error e2;
    struct stat st;
    int nightly = lstat(submit, &st) != 0 && errno == ENOENT;

    manifest_init(&m);
    if (nightly && manifest_read(&m, run, NULL, &e2) == YJ_OK && manifest_get(&m, "submit") &&
        strcmp(manifest_get(&m, "submit"), "no") != 0)
        nightly = 0;
    manifest_release(&m);
    free(submit);
    free(run);
    return nightly;
}

/* Removes the nightly run folders of every period of the service older than keep_days (by the
 * UTC time in the folder's name), each period under its own lock (a period whose lock another
 * run holds is left for later). Submitted runs, and folders not named by a time, are kept. */
static void
prune_nightly(const char *runs_root, const char *yot, const char *own_period, long keep_days)
{
    char *service_dir = path_join(runs_root, yot);
    struct dirent **periods = NULL;
    int np = keep_days > 0 ? scandir(service_dir, &periods, rundir_period_filter, alphasort) : 0;
    time_t cutoff = time(NULL) - (time_t)keep_days * 86400;
    int pruned = 0;

    for (int i = 0; i < np; i++) {
        char *pdir = path_join(service_dir, periods[i]->d_name);
        char *lock = runlock_path(runs_root, yot, periods[i]->d_name);
        int own = strcmp(periods[i]->d_name, own_period) == 0, fd = -1, inherited = 0;
        struct dirent **runs = NULL;
        struct yj_error e2;
        int nr = 0;

        if (own || runlock_take(lock, &fd, &inherited, &e2) == YJ_OK)
            nr = scandir(pdir, &runs, not_dot, alphasort);
        for (int k = 0; k < nr; k++) {
            char *rdir = path_join(pdir, runs[k]->d_name);
            time_t t = run_name_time(runs[k]->d_name);
            struct stat st;
            if (t >= 0 && t < cutoff && lstat(rdir, &st) == 0 && S_ISDIR(st.st_mode) &&
                is_nightly(rdir)) {
                nftw(rdir, remove_any, 16, FTW_DEPTH | FTW_PHYS);
                pruned++;
            }
            free(rdir);
            free(runs[k]);
        }
        free(runs);
        if (fd >= 0 && !inherited)
            close(fd);
        free(lock);
        free(pdir);
        free(periods[i]);
    }
    free(periods);
    free(service_dir);
    if (pruned)
        log_info("removed %d nightly run folder%s older than %ld days ([run] keep_days)", pruned,
                 pruned == 1 ? "" : "s", keep_days);
}

int
run_staged_removed(const char *run_dir)
{
    char *run = rundir_path(run_dir, RD_RUN_FILE);
    struct manifest m;
    struct yj_error e2;
    int removed;

    manifest_init(&m);
    removed = manifest_read(&m, run, NULL, &e2) == YJ_OK && manifest_get(&m, "staged_files") &&
              strcmp(manifest_get(&m, "staged_files"), "removed") == 0;
    manifest_release(&m);
    free(run);
    return removed;
}

/* Removes the staged files a run that succeeded left when it was killed between its RUN and
 * their removal (RUN says staged_files removed). */
static void
clean_staged(const char *period_dir)
{
    struct dirent **runs = NULL;
    int nr = scandir(period_dir, &runs, not_dot, alphasort), n = 0;

    for (int k = 0; k < nr; k++) {
        char *rdir = path_join(period_dir, runs[k]->d_name);
        if (run_staged_removed(rdir)) {
            int r = rundir_remove_staged(rdir);
            n += r > 0 ? r : 0;
        }
        free(rdir);
        free(runs[k]);
    }
    free(runs);
    if (n)
        log_info("removed %d staged file%s an earlier run of this period left behind", n,
                 n == 1 ? "" : "s");
}

/* Writes the RUN record of RUN_DIR now: at each stage's start (result running) and at the
 * end, sealed (seal.h): a "sealed.<path>" line for every sealed file there is, the seal, and
 * record_sha256 last. The final record's hashes also go to the system log. */
static int
write_run_file(struct manifest *m, const char *run_dir, const char *path, struct yj_error *err)
{
    int rc;

    if (seal_run_record(m, run_dir) != 0)
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not seal the run record '%s'", path);
    rc = manifest_write(m, path, err);
    if (rc == YJ_OK && strcmp(manifest_get(m, "result"), "running") != 0)
        seal_syslog("run %s: result %s seal %s record_sha256 %s", run_dir,
                    manifest_get(m, "result"), manifest_get(m, SEAL_KEY),
                    manifest_get(m, SEAL_RECORD_KEY));
    return rc;
}

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

    if (!docs || strcmp(docs[0], RUNDIR_RETURN_XML) == 0) {
        run_free_list(docs);
        return spawn_stage(bin_dir, argv, err);
    }
    while (argv[argc])
        argc++;
    a = xcalloc((size_t)argc + 1, sizeof(char *));
    for (size_t i = 0; docs[i] && !run_signal; i++) {
        struct yj_error e2;
        char *part_report = rundir_part_file(report_dir, RD_VALIDATE_REPORT, docs[i]);
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
    if (run_signal && rc == YJ_OK)
        rc =
            yj_error_set(err, 128 + (int)run_signal, "validation stopped: yj-run was stopped by %s",
                         signal_name((int)run_signal));
    free(a);
    run_free_list(docs);
    return rc;
}

int
run_period(const struct yj_config *cfg, const struct run_options *opt, FILE *out,
           struct run_outcome *outcome, struct yj_error *err)
{
    char *service_dir = NULL, *period_dir = NULL, *lock = NULL, *run_dir = NULL;
    char *staged = NULL, *ret = NULL, *xml = NULL, *report = NULL, *run_file = NULL;
    char *report_dir = NULL, *kpi_dir = NULL, **previous = NULL, *previous_list = NULL;
    char *ledger = NULL;
    char **argvs[STAGE_COUNT] = {NULL}, **provisional = NULL; /* each stage's argv */
    const char *result = "failed";
    struct manifest m;
    int lock_fd = -1, lock_inherited = 0, rc;

    run_signals_init();
    manifest_init(&m);
    if (outcome) {
        outcome->run_dir[0] = '\0';
        snprintf(outcome->result, sizeof(outcome->result), "failed");
    }
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
    if ((rc = mkdir_p(period_dir, RUNDIR_DIR_MODE, err)) != YJ_OK)
        goto done;
    lock = run_lock_path(cfg->runs_root, cfg->yot_ou_code, opt->period.label);
    if ((rc = runlock_take(lock, &lock_fd, &lock_inherited, err)) != YJ_OK)
        goto done;
    run_lock_fd = lock_fd;
    clean_tmp(period_dir);
    clean_staged(period_dir);
    prune_nightly(cfg->runs_root, cfg->yot_ou_code, opt->period.label, cfg->keep_days);
    if (run_signal) {
        rc = yj_error_set(err, 128 + (int)run_signal, "stopped by %s before the run began",
                          signal_name((int)run_signal));
        result = "interrupted";
        goto done;
    }
    if ((rc = rundir_make_stamped(period_dir, "", &run_dir, err)) != YJ_OK)
        goto done;
    fprintf(out, "%s\n", run_dir);
    fflush(out);
    if (outcome)
        snprintf(outcome->run_dir, sizeof(outcome->run_dir), "%s", run_dir);

    staged = rundir_path(run_dir, RD_STAGED_DIR);
    ret = rundir_path(run_dir, RD_RETURN_DIR);
    xml = rundir_path(run_dir, RD_RETURN_XML);
    report_dir = rundir_path(run_dir, RD_VALIDATE_DIR);
    kpi_dir = rundir_path(run_dir, RD_KPI_DIR);
    report = rundir_path(run_dir, RD_VALIDATE_REPORT);
    run_file = rundir_path(run_dir, RD_RUN_FILE);
    manifest_set(&m, "stage", "run");
    manifest_set(&m, "yjreturns_version", YJ_VERSION);
    manifest_set(&m, "period", opt->period.label);
    /* the moment itself once yj-extract has read it (from staged/MANIFEST) */
    manifest_set(&m, "as_of", "-");
    manifest_set(&m, "as_of_source", opt->as_of ? "given" : "snapshot");
    manifest_set(&m, "submit", opt->submit ? "yes" : "no");
    manifest_set(&m, "sign_off_date", opt->sign_off ? opt->sign_off : "-");
    previous = run_previous_submission(cfg->runs_root, cfg->yot_ou_code, opt->period.label);
    for (size_t i = 0, len = 0; previous && previous[i]; i++) {
        /* every part of it, comma separated */
        size_t more = strlen(previous[i]) + 2;
        previous_list = xrealloc(previous_list, len + more);
        len += (size_t)snprintf(previous_list + len, more, "%s%s", i ? "," : "", previous[i]);
    }
    manifest_set(&m, "previous_return", previous_list ? previous_list : "-");
    if (previous_list)
        log_info("deletions since the last submitted return: %s", previous_list);
    {
        char staged_sha[SHA256_HEX_LEN + 1] = "-"; /* of staged/MANIFEST, once extracted */
        struct stage_inputs in = {0};
        int invalid = 0;

        in.config = opt->config_path;
        in.period = opt->period.label;
        in.as_of = opt->as_of;
        in.sign_off = opt->sign_off;
        in.previous = previous;
        in.staged = staged;
        /* its SHA-256 is filled in when yj-extract has ended */
        in.in_sha256 = staged_sha;
        in.return_dir = ret;
        in.return_xml = xml;
        in.report = report;
        in.kpi_dir = kpi_dir;
        in.run_dir = run_dir;
        /* yj-submit records every attempt in the runs root's ledger */
        ledger = rundir_path(cfg->runs_root, RD_LEDGER);
        in.ledger = ledger;
        in.resubmit = opt->resubmit;
        in.allow_empty = opt->allow_empty;
        for (int k = STAGE_EXTRACT; k <= STAGE_SUBMIT; k++)
            argvs[k] = stage_argv((enum stage)k, &in);
        in.provisional = 1;
        provisional = stage_argv(STAGE_KPI, &in);
        int nstages = opt->submit ? 5 : 4;

        for (int i = 0; i < nstages; i++) {
            char key[64], val[64];
            double t0 = log_now();
            struct yj_error e2;

            if (run_signal) {
                rc = yj_error_set(err, 128 + (int)run_signal, "stopped by %s before %s began",
                                  signal_name((int)run_signal), argvs[i][0]);
                break;
            }
            if (i == 2 && (rc = mkdir_p(report_dir, RUNDIR_DIR_MODE, err)) != YJ_OK)
                break;
            /* RUN says which stage runs, from its start: a run killed outright leaves
             * "result running", never a record that looks complete */
            manifest_set(&m, "last_stage", argvs[i][0] + 3);
            manifest_set(&m, "result", "running");
            if (write_run_file(&m, run_dir, run_file, &e2) != YJ_OK)
                log_yj_error(&e2);
            if (i == 2)
                rc = validate_return(opt->bin_dir, argvs[STAGE_VALIDATE], report, xml, ret,
                                     report_dir, err);
            else if (i == 3 && invalid) {
                /* the KPIs of a return that failed validation: for the nightly worklist */
                rc = spawn_stage(opt->bin_dir, provisional, err);
            } else
                rc = spawn_stage(opt->bin_dir, argvs[i], err);
            snprintf(key, sizeof(key), "status.%s", argvs[i][0] + 3);
            snprintf(val, sizeof(val), "%d", rc);
            manifest_set(&m, key, val);
            snprintf(key, sizeof(key), "seconds.%s", argvs[i][0] + 3);
            snprintf(val, sizeof(val), "%.3f", log_now() - t0);
            manifest_set(&m, key, val);
            if (i == 0 && rc == YJ_OK) {
                /* the moment the warehouse was read as recorded at */
                char *sm = path_join(staged, RUNDIR_MANIFEST);
                struct manifest s;
                manifest_init(&s);
                if (manifest_read(&s, sm, staged_sha, &e2) == YJ_OK && manifest_get(&s, "as_of"))
                    manifest_set(&m, "as_of", manifest_get(&s, "as_of"));
                manifest_release(&s);
                free(sm);
            }
            if (run_signal)
                break;
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
    if (run_signal) {
        result = "interrupted";
        manifest_set(&m, "interrupted", signal_name((int)run_signal));
        if (rc == YJ_OK)
            rc = yj_error_set(err, 128 + (int)run_signal, "stopped by %s",
                              signal_name((int)run_signal));
    } else if (rc == YJ_OK)
        result = opt->submit ? "submitted" : "validated";
    /* the staged files hold every child's date of birth and PNC number; the return, the
     * reports and the KPIs are what a run that succeeded keeps. RUN says so first, then they
     * go: a crash in between leaves files the next run of the period removes, never a RUN
     * that expects files that are gone */
    manifest_set(&m, "staged_files", rc == YJ_OK && !cfg->keep_staged ? "removed" : "kept");
    manifest_set(&m, "result", result);
    {
        struct yj_error e2;
        if (write_run_file(&m, run_dir, run_file, &e2) != YJ_OK) {
            log_yj_error(&e2);
            if (rc == YJ_OK) {
                *err = e2;
                rc = e2.code;
            }
        } else if (rc == YJ_OK && !cfg->keep_staged && rundir_remove_staged(run_dir) < 0)
            log_warn("could not remove every staged file of '%s'", staged);
    }
done:
    if (outcome)
        snprintf(outcome->result, sizeof(outcome->result), "%s",
                 rc == YJ_OK || run_signal ? result : "failed");
    /* every stage has exited (each was waited for): only now is the lock let go */
    run_lock_fd = -1;
    if (lock_fd >= 0 && !lock_inherited)
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
    free(ledger);
    free(run_file);
    for (int i = 0; i < STAGE_COUNT; i++)
        free(argvs[i]);
    free(provisional);
    free(previous_list);
    run_free_list(previous);
    return rc;
}

int
run_stages(const struct yj_config *cfg, const struct run_options *opt, FILE *out,
           struct yj_error *err)
{
    return run_period(cfg, opt, out, NULL, err);
}

int
run_backfill(const struct yj_config *cfg, const struct run_options *opt, const char *from,
             const char *to, FILE *out, struct yj_error *err)
{
    struct yj_period first, last;
    struct run_outcome *rows;
    int n, done = 0, first_rc = YJ_OK, nfailed = 0, first_failed = 0;

    run_signals_init();
    if ((first_rc = period_parse(from, &first, err)) != YJ_OK ||
        (first_rc = period_parse(to, &last, err)) != YJ_OK)
        return first_rc;
    n = (last.year - first.year) * 4 + (last.quarter - first.quarter) + 1;
    if (n < 1 || n > RUN_MAX_BACKFILL) {
        yj_error_set(err, YJ_EX_USAGE, "--from %s --to %s: %s", first.label, last.label,
                     n < 1 ? "the first period is after the last" : "too many periods");
        yj_error_hint(err, "one backfill runs 1 to %d periods, oldest first", RUN_MAX_BACKFILL);
        return YJ_EX_USAGE;
    }
    rows = xcalloc((size_t)n, sizeof(*rows));
    for (int i = 0; i < n && !run_signal; i++) {
        struct run_options o = *opt;
        struct yj_error e2;
        char label[8];
        int rc;

        snprintf(label, sizeof(label), "%04dQ%d", first.year + (first.quarter - 1 + i) / 4,
                 (first.quarter - 1 + i) % 4 + 1);
        yj_error_init(&e2);
        if (period_parse(label, &o.period, &e2) != YJ_OK) {
            rc = e2.code;
            snprintf(rows[i].result, sizeof(rows[i].result), "failed");
        } else {
            log_info("period %d of %d: %s", i + 1, n, label);
            rc = run_period(cfg, &o, out, &rows[i], &e2);
        }
        if (rc != YJ_OK && !run_signal)
            log_yj_error(&e2);
        snprintf(rows[i].period, sizeof(rows[i].period), "%s", label);
        if (rc == YJ_EX_LOCKED)
            snprintf(rows[i].result, sizeof(rows[i].result), "locked");
        rows[i].status = rc;
        done = i + 1;
        if (run_signal) {
            first_rc = rc;
            *err = e2;
        } else if (rc != YJ_OK && nfailed++ == 0) {
            first_rc = rc;
            first_failed = i;
        }
    }
    log_info("backfill %s to %s: %d of %d period%s run, %d failed%s", first.label, last.label, done,
             n, n == 1 ? "" : "s", nfailed, run_signal ? ", stopped by a signal" : "");
    log_info("%-7s %6s  %-11s %s", "period", "status", "result", "run directory");
    for (int i = 0; i < done; i++)
        log_info("%-7s %6d  %-11s %s", rows[i].period, rows[i].status, rows[i].result,
                 rows[i].run_dir[0] ? rows[i].run_dir : "-");
    if (first_rc != YJ_OK && !run_signal) {
        yj_error_set(err, first_rc,
                     "backfill: %d of %d periods failed; the first, %s, with exit status %d",
                     nfailed, n, rows[first_failed].period, first_rc);
        yj_error_hint(err, "the table above lists each period's result and run directory");
    }
    free(rows);
    return first_rc;
}
