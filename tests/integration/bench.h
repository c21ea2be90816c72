/*
 * bench.h - a bench for yj-run with a stand-in stage: yj-run starts its stages from its own
 * folder, so a test runs a copy of it in a bin folder of its own, the real stages linked in
 * but one, a shell script of the test's (the stand-in). Every returned string is malloc'd and
 * owned by the caller.
 */
#ifndef YJ_TEST_BENCH_H
#define YJ_TEST_BENCH_H

#include <sys/types.h>

struct bench {
    char *work; /* the bench's folder: everything below is in it */
    char *root; /* the runs root of its config */
    char *conf; /* a config variant whose runs root is ROOT */
    char *bin;  /* the bin folder: a copy of yj-run, the stages and the stand-in */
    char *go;   /* the file the stand-in waits for */
    char *out;  /* yj-run's stdout */
    char *err;  /* yj-run's stderr */
};

/* A bin folder whose STAGE ("yj-transform", "yj-validate", "yj-kpi") is the stand-in: a
 * script that waits for the bench's "go" file (bench_go), says "stand-in STAGE: went on" on
 * stderr, and ends with THEN, a shell command in which "$REAL" is the real STAGE and "$WORK"
 * the bench's folder. THEN NULL:
 * STAGE is missing. A test that fails before it makes the file leaves no process behind for
 * long: the stand-in gives up after 60 s (exit 99), and yj-run ends with it. */
struct bench bench_make_for(const char *tag, const char *stage, const char *then);
void bench_free(struct bench *b);
/* Starts the bench's yj-run of PERIOD, as recorded at AS_OF unless NULL; returns its pid. */
pid_t bench_start(const struct bench *b, const char *period, const char *as_of);
/* Lets the stand-in go on. */
void bench_go(const struct bench *b);
/* The run folder yj-run printed. */
char *bench_run_dir(const struct bench *b);
/* The pid of a process (but the test's own) whose command line names the bench's folder,
 * waiting up to MS milliseconds for there to be none; 0 once there is none. */
pid_t bench_process_left(const struct bench *b, long ms);

/* Waits for PID; its raw wait status. */
int wait_status(pid_t pid);
/* The value of KEY in RUN_DIR's RUN (a number), or -1 when it has no such line. */
double run_value(const char *run_dir, const char *key);
/* 1 when RUN_DIR's RUN has the whole line LINE. */
int run_has(const char *run_dir, const char *line);

#endif
