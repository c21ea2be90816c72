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
    int resubmit;         /* passed to yj-submit: other bytes for a period already submitted */
    int allow_empty;      /* passed to yj-submit: a return with no children may be sent */
    int force_correction; /* passed to yj-submit: a correction that changes no child is sent */
    const char *bin_dir;
};

/* Takes the lock, creates the run directory and prints it as one line on `out` as soon as it
 * exists, then runs extract, transform, validate and (with submit) submit. Returns YJ_OK or
 * the exit status of the first stage that failed; 128 + n when stopped by signal n (then
 * call spawner_end_if_interrupted()). */
int run_stages(const struct yj_config *cfg, const struct run_options *opt, FILE *out,
               struct yj_error *err);

/* What one run of a period came to, for the backfill's table. */
struct run_outcome {
    char period[8];
    int status;         /* the exit status */
    char result[16];    /* RUN's result: validated, submitted, failed, interrupted; or locked */
    char run_dir[4096]; /* "" when no run directory was made */
};

/* run_stages(), filling OUTCOME (which may be NULL). */
int run_period(const struct yj_config *cfg, const struct run_options *opt, FILE *out,
               struct run_outcome *outcome, struct yj_error *err);

/* The most periods one backfill runs. */
#define RUN_MAX_BACKFILL 400

/* Runs every period from FROM to TO (YYYYQn, oldest first) with OPT (its period ignored),
 * going on past a period that fails; logs "period i of n" before each and a table of
 * periods, exit statuses, results and run directories at the end (stderr); prints each run
 * directory on OUT as run_stages() does. Returns YJ_OK when every period succeeded, else the
 * exit status of the first that failed (64 for a bad range); stops at a signal. */
int run_backfill(const struct yj_config *cfg, const struct run_options *opt, const char *from,
                 const char *to, FILE *out, struct yj_error *err);

/* The return of the newest run that was submitted whole, of the newest period before
 * `period` that has one, in RUNS_ROOT/<yot>/: a NULL-terminated list of paths, its cld.xml or
 * every part in order (each with its receipt); NULL if none. Free with run_free_list(). Its
 * children that the warehouse no longer holds are notified as deletions. */
char **run_previous_submission(const char *runs_root, const char *yot, const char *period);

/* The return documents its transform MANIFEST lists in RETURN_DIR: "cld.xml", or the parts
 * "cld-part-0001.xml" ... in order; a NULL-terminated list, NULL if none or no manifest. */
char **run_return_documents(const char *return_dir);

void run_free_list(char **list);

/* Path of the lock file for a service and period (malloc'd). */
char *run_lock_path(const char *runs_root, const char *yot, const char *period);

#endif
