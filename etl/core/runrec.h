/*
 * runrec.h - the run's record: RUN, which yj-run writes into each run directory, and RERUN,
 * which yj-run --rerun writes into each rerun folder (docs/design.md "The RUN record"). One
 * module writes and reads both, with typed fields; their key names live in runrec.c only.
 *
 * The record is a manifest ("key value" lines) kept in the order its fields were first set,
 * so that a field set again keeps its line: RUN is rewritten as each stage starts and once
 * at the end, and its seal (seal.h) hashes the lines in file order. Readers take any record:
 * a field that is missing (a run made by an older yjreturns, a run killed early) reads as
 * "not recorded".
 */
#ifndef YJ_RUNREC_H
#define YJ_RUNREC_H

#include "error.h"
#include "manifest.h"
#include "rundir.h"
#include "stages.h"

#include <stddef.h>

/* A record's result line. */
enum runrec_result {
    RUNREC_NONE,        /* no result line */
    RUNREC_RUNNING,     /* RUN: a stage is running, or the run was killed outright */
    RUNREC_VALIDATED,   /* RUN: every stage succeeded, not submitted */
    RUNREC_SUBMITTED,   /* RUN: ... and submitted */
    RUNREC_FAILED,      /* RUN or RERUN: a stage or a check failed */
    RUNREC_INTERRUPTED, /* RUN or RERUN: stopped by a signal (runrec_interrupted names it) */
    RUNREC_IDENTICAL,   /* RERUN: the rerun's return is the run's, byte for byte */
    RUNREC_DIFFERS,     /* RERUN: it differs (runrec_set_differences) */
    RUNREC_OTHER        /* a word this version does not know */
};

struct runrec {
    struct manifest m; /* the lines, in file order; read it only through runrec_* */
};

void runrec_init(struct runrec *r);
void runrec_release(struct runrec *r);

/* Reads PATH (a RUN or RERUN file); errors name the file and line. */
int runrec_read(struct runrec *r, const char *path, struct yj_error *err);

/* Writes R to PATH (atomically). */
int runrec_write(const struct runrec *r, const char *path, struct yj_error *err);

/* Seals R for RUN_DIR (seal_run_record) and writes it to PATH; once the result is not
 * "running", the result, seal and record_sha256 also go to the system log. */
int runrec_write_sealed(struct runrec *r, const char *run_dir, const char *path,
                        struct yj_error *err);

/* ---- writing: each setter sets one line (added at the end the first time) ---- */

/* The first lines: "stage run" (RUN) or "stage rerun" (RERUN), and yjreturns_version. */
void runrec_begin(struct runrec *r, int rerun);
void runrec_set_period(struct runrec *r, const char *label);
/* The as-of moment, or NULL: "-" until yj-extract has read it. */
void runrec_set_as_of(struct runrec *r, const char *as_of);
/* Whether the as-of moment was given (--as-of) or is the snapshot's. */
void runrec_set_as_of_given(struct runrec *r, int given);
void runrec_set_submit(struct runrec *r, int submit);
/* The sign-off date, or NULL ("-"). */
void runrec_set_sign_off(struct runrec *r, const char *date);
/* The previous submitted return's files, comma separated, or NULL ("-"). */
void runrec_set_previous(struct runrec *r, const char *list);
void runrec_set_last_stage(struct runrec *r, enum stage s);
void runrec_set_result(struct runrec *r, enum runrec_result result);
void runrec_set_status(struct runrec *r, enum stage s, int status);
/* Stage S's wall seconds and CPU seconds (user + system, its workers' included); for
 * STAGE_RUN, the whole run's ("seconds.run", "cpu.run": yj-run's and every stage's CPU, not the
 * warehouse server's). */
void runrec_set_seconds(struct runrec *r, enum stage s, double seconds);
void runrec_set_cpu(struct runrec *r, enum stage s, double seconds);
/* The stop signal, by name ("SIGTERM"). */
void runrec_set_interrupted(struct runrec *r, const char *signal);
/* Whether the staged *.tsv files were removed ("removed") or kept. */
void runrec_set_staged_removed(struct runrec *r, int removed);
/* RERUN: the run directory rerun, whether changed mappings were used, how many differences. */
void runrec_set_run(struct runrec *r, const char *run_dir);
void runrec_set_with_current_mappings(struct runrec *r, int with);
/* The format.<file> lines for the files of the record's folder whose format it carries
 * (rundir_format_keys): diff.csv's, in a RERUN. */
void runrec_set_format_keys(struct runrec *r, enum rundir_id id);
void runrec_set_differences(struct runrec *r, unsigned long long n);

/* ---- reading ---- */

enum runrec_result runrec_result(const struct runrec *r);
/* "running", "validated", ...; "-" for RUNREC_NONE, "?" for RUNREC_OTHER. */
const char *runrec_result_name(enum runrec_result result);
/* 1 and *status when R records stage S's exit status (a number), else 0. */
int runrec_status(const struct runrec *r, enum stage s, int *status);
/* The key of stage S's status line, "status.<name>", into OUT. */
void runrec_status_key(enum stage s, char *out, size_t len);
/* 1 if R says the run was to submit ("submit" other than "no"). */
int runrec_submit(const struct runrec *r);
/* 1 if R says its staged *.tsv files were removed. */
int runrec_staged_removed(const struct runrec *r);
/* The signal R says stopped the run ("SIGTERM"), or NULL. */
const char *runrec_interrupted(const struct runrec *r);
/* The as-of moment as recorded, or NULL when not recorded ("-" before yj-extract read it, or
 * no line). */
const char *runrec_as_of(const struct runrec *r);
/* The previous return's files as recorded (comma separated), or NULL when none ("-"). */
const char *runrec_previous(const struct runrec *r);
/* The seal line (seal.h), or NULL. */
const char *runrec_seal(const struct runrec *r);
/* The record_sha256 line, or NULL. */
const char *runrec_record_sha256(const struct runrec *r);
/* The SHA-256 R seals the file REL (relative to the run folder) with, or NULL. */
const char *runrec_sealed(const struct runrec *r, const char *rel);
/* The lines, for the seal's checks (seal.h) and line numbers: borrowed. */
const struct manifest *runrec_lines(const struct runrec *r);

#endif
