/*
 * housekeep.c - what a run does to its period's folders before it begins (housekeep.h):
 * removes the *.tmp files runs killed mid-write left, the staged files a run that succeeded
 * was killed before removing, and nightly run folders older than [run] keep_days.
 *
 * Invariant: it runs under the lock of the period (and takes the lock of each other period
 * before it prunes there), so no run it cleans up after is still writing. Submitted runs,
 * folders not named by a time, and the run a period's latest link names are never pruned.
 */
#define _GNU_SOURCE /* nftw */
#include "housekeep.h"

#include "atomic.h"
#include "latest.h"
#include "log.h"
#include "rundir.h"
#include "runlock.h"
#include "runrec.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

static int tmp_removed;

static int
remove_tmp(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type == FTW_F && S_ISREG(st->st_mode) && atomic_is_tmp(path) && unlink(path) == 0)
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
    struct runrec r;
    struct yj_error e2;
    struct stat st;
    int nightly = lstat(submit, &st) != 0 && errno == ENOENT;

    runrec_init(&r);
    if (nightly && runrec_read(&r, run, &e2) == YJ_OK && runrec_submit(&r))
        nightly = 0;
    runrec_release(&r);
    free(submit);
    free(run);
    return nightly;
}

/* Removes the nightly run folders of every period of the service older than keep_days (by the
 * UTC time in the folder's name), each period under its own lock (a period whose lock another
 * run holds is left for later). Submitted runs, folders not named by a time, and the period's
 * latest run (the target of its latest link) are kept. */
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

        char *latest = NULL;

        if (own || runlock_take(lock, &fd, &inherited, &e2) == YJ_OK) {
            nr = scandir(pdir, &runs, rundir_run_filter, alphasort);
            latest = latest_target(pdir); /* the run the period's latest link names stays */
        }
        for (int k = 0; k < nr; k++) {
            char *rdir = path_join(pdir, runs[k]->d_name);
            time_t t = run_name_time(runs[k]->d_name);
            struct stat st;
            if (t >= 0 && t < cutoff && (!latest || strcmp(latest, runs[k]->d_name) != 0) &&
                lstat(rdir, &st) == 0 && S_ISDIR(st.st_mode) && is_nightly(rdir)) {
                nftw(rdir, remove_any, 16, FTW_DEPTH | FTW_PHYS);
                pruned++;
            }
            free(rdir);
            free(runs[k]);
        }
        free(runs);
        free(latest);
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

/* 1 if RUN_DIR's RUN says its staged *.tsv files were removed ("staged_files removed": the
 * run succeeded without [run] keep_staged = yes); its staged MANIFEST still lists them. */
static int
staged_removed(const char *run_dir)
{
    char *run = rundir_path(run_dir, RD_RUN_FILE);
    struct runrec r;
    struct yj_error e2;
    int removed;

    runrec_init(&r);
    removed = runrec_read(&r, run, &e2) == YJ_OK && runrec_staged_removed(&r);
    runrec_release(&r);
    free(run);
    return removed;
}

/* Removes the staged files a run that succeeded left when it was killed between its RUN and
 * their removal (RUN says staged_files removed). */
static void
clean_staged(const char *period_dir)
{
    struct dirent **runs = NULL;
    int nr = scandir(period_dir, &runs, rundir_run_filter, alphasort), n = 0;

    for (int k = 0; k < nr; k++) {
        char *rdir = path_join(period_dir, runs[k]->d_name);
        if (staged_removed(rdir)) {
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

void
housekeep_period(const char *runs_root, const char *yot, const char *period, long keep_days)
{
    char *service_dir = path_join(runs_root, yot), *period_dir = path_join(service_dir, period);

    clean_tmp(period_dir);
    clean_staged(period_dir);
    prune_nightly(runs_root, yot, period, keep_days);
    free(period_dir);
    free(service_dir);
}
