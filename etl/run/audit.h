/*
 * audit.h - yj-run's two auditor commands (docs/design.md "Auditing").
 *
 * yj-run --verify [RUNS_ROOT] checks, without changing anything, that every run directory
 * under a runs root still holds what its manifests say (every listed file's size and SHA-256,
 * and no file a manifest that lists all of its folder leaves out), that every receipt's
 * payload is the return file it names, bytes and SHA-256, with a "received" entry in the
 * ledger, that the ledger's chain holds (ledger_verify), and that RUN's seal names the
 * manifests, reports and receipts as they are, as does every ledger entry of the run's
 * uploads; --receiver also asks the receiver for every name the ledger says it received. One
 * line on stdout per finding (paths, hashes and line numbers only), then a summary; exit 0
 * only when everything holds, 74 otherwise.
 *
 * yj-run --rerun RUN_DIR reproduces a past run from its manifests, into
 * RUN_DIR/rerun-<UTC time>/: the same as-of moment, period, sign-off date and previous
 * return, with the SQL and mapping files the manifests name by hash (a file that changed is
 * refused, 78, unless --with-current-mappings allows changed mapping files), runs yj-extract
 * and yj-transform, and compares the new return with the one of the run byte for byte:
 * identical is 0; otherwise every difference goes into RERUN/diff.csv (mode 0600: it quotes
 * values), counts per item and field to stderr, and the exit status is 65.
 */
#ifndef YJ_AUDIT_H
#define YJ_AUDIT_H

#include "config.h"

#include <stdio.h>

struct audit_options {
    int verify;                /* --verify [RUNS_ROOT] */
    int receiver;              /* with --verify: ask the receiver ([submit]) for every name */
    const char *rerun_dir;     /* --rerun RUN_DIR */
    int with_current_mappings; /* with --rerun: mapping files that changed are used */
    const char *config_path;   /* --config; optional for --verify RUNS_ROOT */
    const char *bin_dir;       /* the stages live here */
    int run_options;           /* a normal run's option was given too: a usage error */
};

/* A rerun's folder, record and diff file are rows of etl/core/rundir.h (RD_RERUN_*). */

/* Runs --verify or --rerun; ARGS are the NARGS operands left on the command line (RUNS_ROOT
 * for --verify). Findings and the rerun folder go to OUT; logs to stderr. Returns the exit
 * status. */
int audit_main(const struct audit_options *o, int nargs, char **args, FILE *out);

/* Checks every run under RUNS_ROOT and its ledger (etl/run/verify.c); with RECEIVER (a
 * configuration with [submit]), also asks the receiver for every name the ledger says it
 * received. Prints findings and a summary to OUT. Returns YJ_OK, YJ_EX_IOERR if something
 * does not verify, YJ_EX_NOINPUT if RUNS_ROOT is missing, a run folder or holds no runs,
 * YJ_EX_UNAVAILABLE if the receiver gave no answer. */
int audit_verify(const char *runs_root, const struct yj_config *receiver, FILE *out);

#endif
