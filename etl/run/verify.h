/*
 * verify.h - what the parts of yj-run --verify share (etl/run/verify.c walks the runs root and
 * the ledger, etl/run/verify_seal.c checks a run's RUN record). Not a public interface: the
 * command is audit_verify() in audit.h.
 */
#ifndef YJ_VERIFY_H
#define YJ_VERIFY_H

#include "ledger.h"
#include "manifest.h"
#include "runrec.h"

#include <stdio.h>

struct verify {
    FILE *out;
    const char *runs_root;
    unsigned long runs, files, problems, incomplete;
    struct ledger_entry *le; /* the ledger's complete lines */
    size_t nle;
    int have_ledger, ledger_ok; /* ledger_ok: it verified (else its entries are not read) */
    char *ledger;
};

/* Prints one finding to v->out, "problem " (PROBLEM) or "incomplete ", and counts it. */
void verify_finding(struct verify *v, int problem, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The manifest MREL of RUN_DIR names, by its KEY, the SHA-256 of the manifest OFREL. */
void verify_input_hash(struct verify *v, const char *run_dir, const char *mrel, const char *key,
                       const char *ofrel);

/* RUN's seal: RUN_FILE's record RR. */
void verify_seal(struct verify *v, const char *run_dir, const char *run_file,
                 const struct runrec *rr);

/* RUN says the run failed or was interrupted: one "incomplete" line naming why. */
void verify_run_outcome(struct verify *v, const char *run_dir, const struct runrec *rr);

#endif
