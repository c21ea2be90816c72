/*
 * check.h - yj-run's preflight: `yj-run --check`, and what every run does first, before it
 * reads the warehouse or makes a run folder (check.c: the checks in order and their report;
 * check_items.c: the checks of the runs root and the submission).
 */
#ifndef YJ_CHECK_H
#define YJ_CHECK_H

#include "config.h"
#include "error.h"
#include "period.h"

#include <stdio.h>

struct check_options {
    const char *config_path;
    struct yj_period first, last; /* the period (both the same), or a backfill's range */
    int submit;                   /* the checks of a submission too */
    const char *sign_off;         /* --sign-off as given, or NULL */
    FILE *out; /* --check: one line per check and a summary here; NULL: a run's preflight,
                  which logs its warnings and errors and one info line */
};

/* Runs every check for O's mode; CFG is the loaded configuration, or NULL to load
 * O->config_path (--check: its failure is the config check's line). Returns YJ_OK when no
 * check failed (warnings pass), else the exit status of the first that failed. It prints
 * every line itself (O->out), or logs the warnings and errors and sets ERR to a summary
 * with that status (a run's preflight). */
int check_run(const struct check_options *o, const struct yj_config *cfg, struct yj_error *err);

/* A run's preflight (run.c), for one period: check_run() logging. */
int check_before_run(const struct yj_config *cfg, const char *config_path,
                     const struct yj_period *period, int submit, const char *sign_off,
                     struct yj_error *err);

/* ---- between check.c and check_items.c ---- */

enum check_level { CHECK_OK, CHECK_WARNING, CHECK_ERROR, CHECK_SKIP };

/* One check's outcome: its level, the line's text (an error's is err.message), and for an
 * error the exit status in err.code. */
struct check_result {
    enum check_level level;
    char text[1024];
    struct yj_error err;
};

void check_set(struct check_result *r, enum check_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An error from ERR: its status and message. */
void check_fail(struct check_result *r, const struct yj_error *err);

/* The submission's checks, the configuration's [submit] present. */
void check_sign_off(const struct check_options *o, struct check_result *r);
void check_cert(const struct yj_config *cfg, struct check_result *r);
void check_receiver(const struct yj_config *cfg, struct check_result *r);
void check_ledger(const struct yj_config *cfg, struct check_result *r);
/* Free space in [run] runs_root against the size of the service's newest run folder. */
void check_space(const struct yj_config *cfg, struct check_result *r);
/* The board pack ([report] pack = yes): the browser that prints its PDF can be run (78), or
 * pdf = no. */
void check_pack(const struct yj_config *cfg, struct check_result *r);
/* A duration in seconds as "36h", "2d 3h", "15m" (BUF of N bytes). */
const char *check_duration(double seconds, char *buf, size_t n);

#endif
