/*
 * spawner.h - the one way yj-run starts a stage: a child process, waited for, that stops
 * when yj-run is told to stop and never outlives it for long. The run (etl/run/run.c) and the
 * rerun (etl/run/rerun.c) both start their stages here, so both behave alike.
 *
 * (Named spawner, not spawn: <spawn.h> is the C library's posix_spawn header.)
 *
 * A stage runs as bin_dir/argv[0] (fork and exec) with its stdout sent to stderr, so that
 * yj-run's stdout keeps only the lines it prints itself, and with --log-format json when
 * yj-run logs JSON. It inherits the period's lock when one is set (spawner_set_lock_fd:
 * RUNLOCK_ENV names the descriptor), and asks the kernel for SIGTERM when yj-run dies
 * (PR_SET_PDEATHSIG), even by SIGKILL. SIGTERM, SIGINT or SIGHUP to yj-run is passed on to
 * every running stage (a second one kills them); yj-run waits for them and ends by the same
 * signal once it has recorded what happened (spawner_end_if_interrupted). Up to
 * SPAWNER_MAX_CHILDREN stages run at once (spawner_start, spawner_wait): yj-run counts the KPIs
 * while the return is validated.
 */
#ifndef YJ_SPAWNER_H
#define YJ_SPAWNER_H

#include "error.h"

/* Installs the handlers for SIGTERM, SIGINT and SIGHUP (not for one ignored when yj-run
 * started): every running stage is sent the signal (a second one: SIGKILL) and waited for.
 * Calling it again does nothing. */
void spawner_signals_init(void);

/* The stop signal received, 0 if none. */
int spawner_interrupted(void);

/* "SIGTERM", "SIGINT", "SIGHUP", or "signal" for another. */
const char *spawner_signal_name(int sig);

/* If a stop signal was received: ends the process by that signal, default action restored
 * (the parent sees it killed by the signal; a shell reports 128 + n). Else returns. */
void spawner_end_if_interrupted(void);

/* The open lock file the stages inherit from now on; -1: none. */
void spawner_set_lock_fd(int fd);

/* How a stage is started beyond the above: a descriptor it inherits open (PASS_FD, at the
 * same number; -1: none), and where its stderr and stdout go (STDERR_FD; -1: yj-run's). */
struct spawner_how {
    int pass_fd;
    int stderr_fd;
};

/* What a stage cost once waited for: wall seconds from its start, and CPU seconds (user +
 * system) of it and of every process it waited for (its workers). */
struct spawner_usage {
    double seconds, cpu;
};

/* A stage started and not yet waited for. */
struct spawner_child {
    long pid;
    int slot;      /* its place in the table the stop handler reads */
    double t0;     /* when it was started (log_now) */
    char *program; /* argv[0] */
};

/* The most stages that run at once. */
#define SPAWNER_MAX_CHILDREN 4

/* Starts BIN_DIR/ARGV[0] with ARGV as above (HOW may be NULL) into CH: YJ_OK once it runs (its
 * exec succeeded); 70 if it could not be started; 128 + the signal when yj-run was told to
 * stop before. A stop signal from now on reaches it with every other started stage. */
int spawner_start(const char *bin_dir, char *const argv[], const struct spawner_how *how,
                  struct spawner_child *ch, struct yj_error *err);

/* Waits for CH and returns its exit status as spawner_run does; USE (may be NULL) gets what it
 * cost. CH is released whatever the result. */
int spawner_wait(struct spawner_child *ch, struct spawner_usage *use, struct yj_error *err);

/* Sends CH, started and not yet waited for, SIGTERM (then SIGCONT): a stage yj-run no longer
 * needs stops. */
void spawner_stop(const struct spawner_child *ch);

/* The CPU seconds (user + system) of this process and of every child it has waited for, so
 * far. */
double spawner_cpu_so_far(void);

/* spawner_start, then spawner_wait: the stage's exit status (YJ_OK, or the stage's status with
 * ERR set to "<stage> failed with exit status N"); 70 if it could not be started or died of a
 * signal yj-run did not pass on; 128 + the signal when yj-run was told to stop (before or while
 * it ran). */
int spawner_run(const char *bin_dir, char *const argv[], struct spawner_usage *use,
                struct yj_error *err);

#endif
