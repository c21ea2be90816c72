/*
 * latest.h - the period's `latest` link (RUNS_ROOT/<yot>/<period>/latest, row RD_LATEST of
 * etl/core/rundir.c): a relative symbolic link to the newest run folder of the period that is
 * complete, that is whose RUN records the run's end (result validated, submitted or failed).
 * A run that is still going, was killed outright (RUN says running) or stopped by a signal
 * (interrupted) is never its target.
 *
 * yj-run moves it at the end of every run, under the period's lock; readers (yj-run
 * --history, --verify, housekeeping) only follow it.
 */
#ifndef YJ_LATEST_H
#define YJ_LATEST_H

#include "error.h"

#include "runrec.h"

#include <dirent.h>

/* Orders two run folder names (stamps YYYYMMDDTHHMMSSZ[-n]) by time, then n (none is 1):
 * < 0 when A is older than B. */
int latest_stamp_cmp(const char *a, const char *b);
/* scandir() filter and order of a period's run folders: stamps, the newest first. */
int latest_stamp_filter(const struct dirent *d);
int latest_stamp_desc(const struct dirent **a, const struct dirent **b);
/* The result RUN_DIR's RUN records (RUNREC_NONE when it cannot be read). */
enum runrec_result latest_result(const char *run_dir);
/* 1 when RUN_DIR's RUN records the run's end (validated, submitted or failed). */
int latest_is_complete(const char *run_dir);
/* The name (malloc'd) of the newest complete run folder of PERIOD_DIR, or NULL. */
char *latest_find(const char *period_dir);
/* The name (malloc'd) of the newest run folder of PERIOD_DIR for which OK is 1, or NULL. */
char *latest_find_if(const char *period_dir, int (*ok)(const char *run_dir));
/* The name (malloc'd) the link PERIOD_DIR/latest points to, or NULL when there is no link. */
char *latest_target(const char *period_dir);
/* Points PERIOD_DIR/latest at latest_find(), if it names one and the link does not already:
 * a new link under a temporary name, renamed over the old one, the folder synced. */
int latest_update(const char *period_dir, struct yj_error *err);
/* PATH itself (malloc'd), or, when its last name is a period's latest link, the run folder the
 * link names (PERIOD_DIR/<stamp>): what a command given a run folder records. */
char *latest_resolve(const char *path);
/* latest_update() of the period folder RUN_DIR is in, at the end of a run; a failure is
 * logged as a warning (the run's own result stands). */
void latest_update_after(const char *run_dir);

#endif
