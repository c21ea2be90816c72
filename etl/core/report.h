/*
 * report.h - the verdict of a validation report, read by what trusts it: yj-submit before an
 * upload and yj-run --verify. yj-validate writes the report: a line "sha256 <hex>" naming the
 * file it checked, a line "children N" (the child documents it read, which a valid return's
 * envelope documentCount equals), lines "errors N" and "queries N" (its findings of each
 * severity), and a last line "result valid" or "result invalid". Its
 * first line is its format, "yjreturns-report 1" (etl/core/rundir.c); a report written before
 * reports had one starts "yjreturns validation report" and is read as version 0.
 */
#ifndef YJ_REPORT_H
#define YJ_REPORT_H

#include "error.h"

#define REPORT_VALID "valid"
#define REPORT_INVALID "invalid"

/* Reads the report at PATH: *same is 1 when it is for the file of SHA-256 SHA (64 hex), *valid
 * when it says "result valid", *children its children count (-1 when it has none; CHILDREN
 * may be NULL). Returns 0; -1 with errno when it cannot be read; 1 with ERR set (one line naming
 * the file and line 1) when it is of a newer format than this program reads. */
int report_verdict(const char *path, const char *sha, int *same, int *valid, long long *children,
                   struct yj_error *err);

/* What a report's summary lines say; -1 for a count it does not hold. */
struct report_summary {
    int valid; /* "result valid" */
    long long children, errors, queries;
};

/* Reads the summary of the report at PATH into S; returns as report_verdict(). */
int report_read_summary(const char *path, struct report_summary *s, struct yj_error *err);

#endif
