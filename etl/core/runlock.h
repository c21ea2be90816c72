/*
 * runlock.h - the lock of one service and period: RUNS_ROOT/<yot>/<period>.lock.
 *
 * yj-run holds it for a whole run, its stages included, and a standalone yj-submit takes the
 * same lock, so that a run and a hand-started upload of the same period never overlap. The
 * lock is an exclusive, non-blocking flock(). yj-run's stages inherit the open lock file
 * (its descriptor number in the environment variable YJ_RUN_LOCK_FD): a stage that takes the
 * lock first tries that descriptor, and flock() on it succeeds because it is the very open
 * file that holds the lock. A descriptor that is not the lock file of this service and
 * period is ignored, so the variable can never let anyone past a lock someone else holds.
 */
#ifndef YJ_RUNLOCK_H
#define YJ_RUNLOCK_H

#include "error.h"

/* The environment variable that names the inherited lock descriptor. */
#define RUNLOCK_ENV "YJ_RUN_LOCK_FD"

/* RUNS_ROOT/<yot>/<period>.lock (malloc'd). */
char *runlock_path(const char *runs_root, const char *yot, const char *period);

/* Takes the lock of PATH (its folder must exist): *fd_out gets an open descriptor (close-on-
 * exec) holding it until it and every copy of it are closed. With RUNLOCK_ENV naming an open
 * descriptor of the same file, that one is used (and *inherited set to 1: the caller must
 * not close it). YJ_EX_LOCKED when another process holds it. */
int runlock_take(const char *path, int *fd_out, int *inherited, struct yj_error *err);

#endif
