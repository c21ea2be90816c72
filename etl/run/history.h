/*
 * history.h - yj-run --history [RUNS_ROOT] [--period P] [--format json]: what a person reads
 * in the morning (docs/operations.md "History").
 *
 * For every period folder of the runs root (services in name order, the newest period
 * first): the period's latest run (its stamp, nightly or submission, RUN's result and as-of
 * moment), what its validation reports counted (children, errors, queries), the ten KPI
 * headlines of its kpi/headline.csv, and every submission the ledger records for the period
 * (sequence, part, time, result, HTTP status, bytes, SHA-256, the receiver's answer and the
 * receipt), the newest first. Reads only; the output depends on nothing but the runs root.
 */
#ifndef YJ_HISTORY_H
#define YJ_HISTORY_H

#include "stages.h"

#include <stdio.h>

/* The format of --history --format json, its "format" key. */
#define HISTORY_FORMAT "yjreturns-history 1"

/* Runs --history with A's options (--config, --period, --format, the operand RUNS_ROOT),
 * printing to OUT. Returns the exit status: 0; 64 for a bad command line; 66 when RUNS_ROOT
 * is not a folder; 74 when the ledger does not verify (the runs are printed all the same);
 * 78 for a configuration that cannot be read or has no [run] runs_root. */
int history_main(const struct run_args *a, FILE *out);

#endif
