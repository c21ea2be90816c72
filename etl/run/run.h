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
    const char *bin_dir;
};

/* Takes the lock, creates the run directory and prints it as one line on `out` as soon as it
 * exists, then runs extract, transform, validate and (with submit) submit. Returns YJ_OK or
 * the exit status of the first stage that failed. */
int run_stages(const struct yj_config *cfg, const struct run_options *opt, FILE *out,
               struct yj_error *err);

/* The return of the newest run that was submitted whole, of the newest period before
 * `period` that has one, in RUNS_ROOT/<yot>/: a NULL-terminated list of paths, its cld.xml or
 * every part in order (each with its receipt); NULL if none. Free with run_free_list(). Its
 * children that the warehouse no longer holds are notified as deletions. */
char **run_previous_submission(const char *runs_root, const char *yot, const char *period);

/* The return documents its transform MANIFEST lists in RETURN_DIR: "cld.xml", or the parts
 * "cld-part-0001.xml" ... in order; a NULL-terminated list, NULL if none or no manifest. */
char **run_return_documents(const char *return_dir);

/* DIR/BASE EXT for cld.xml, DIR/BASE-NNNN EXT for part cld-part-NNNN.xml (malloc'd):
 * run_part_file(v, doc, "report", ".txt") is report.txt or report-0001.txt. */
char *run_part_file(const char *dir, const char *document, const char *base, const char *ext);

void run_free_list(char **list);

/* Path of the lock file for a service and period (malloc'd). */
char *run_lock_path(const char *runs_root, const char *yot, const char *period);

#endif
