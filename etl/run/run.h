/*
 * run.h - yj-run: run the stages, each as its own process, into a new run directory.
 */
#ifndef YJ_RUN_H
#define YJ_RUN_H

#include "config.h"
#include "error.h"
#include "period.h"

#include <stdio.h>

struct run_options {
    const char *config_path;
    struct yj_period period;
    const char *as_of;    /* NULL: the snapshot time */
    int submit;           /* 0: stop after validation (the nightly default) */
    const char *sign_off; /* YYYY-MM-DD, required with submit; NULL otherwise */
    const char *bin_dir;
};

/* Takes the lock, creates the run directory and prints it as one line on `out` as soon as it
 * exists, then runs extract, transform, validate and (with submit) submit. Returns YJ_OK or
 * the exit status of the first stage that failed. */
int run_stages(const struct yj_config *cfg, const struct run_options *opt, FILE *out,
               struct yj_error *err);

/* The return (cld.xml) of the newest run with a receipt, of the newest period before `period`
 * that has one, in RUNS_ROOT/<yot>/; NULL if none (malloc'd). Its children that the warehouse
 * no longer holds are notified as deletions. */
char *run_previous_submission(const char *runs_root, const char *yot, const char *period);

/* Path of the lock file for a service and period (malloc'd). */
char *run_lock_path(const char *runs_root, const char *yot, const char *period);

#endif
