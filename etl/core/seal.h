/*
 * seal.h - the run seal: one hash that names every file of a run a later stage or an auditor
 * relies on (docs/design.md "Run seal").
 *
 * RUN records, once each stage has written them, the SHA-256 of every sealed file of its run
 * folder as a line "sealed.<path> <hex>": staged/MANIFEST, return/MANIFEST,
 * validate/report*.txt, kpi/MANIFEST (the pre-submission files), then every file of submit/
 * (receipts, kept answers). `seal` is the SHA-256 of the text "yjreturns-seal 1\n" followed by
 * "<hex> <path>\n" for each pre-submission file, in that order: yj-submit computes the same
 * value from the folder and writes it into every ledger entry of the upload, so the ledger's
 * chain names the run's manifests and reports. `record_sha256`, RUN's last line, is the
 * SHA-256 of RUN's other "key value" lines (each followed by '\n', in file order): it covers
 * RUN's own fields and the submit/ lines, written after the upload.
 */
#ifndef YJ_SEAL_H
#define YJ_SEAL_H

#include "manifest.h"
#include "sha256.h"

/* The RUN key prefix of a sealed file's line, and RUN's own hash. */
#define SEAL_PREFIX "sealed."
#define SEAL_KEY "seal"
#define SEAL_RECORD_KEY "record_sha256"

/* The files of RUN_DIR the seal covers that are there now, relative to RUN_DIR, in seal
 * order: staged/MANIFEST, return/MANIFEST, validate/report*.txt (name order), kpi/MANIFEST;
 * with SUBMIT also report/MANIFEST (which seal_covers() leaves out: the pack is written after
 * the upload) and every file of submit/ but a "<name>.tmp" left by a stopped write (name
 * order). NULL-terminated, malloc'd (free each,
 * then the list); never NULL. */
char **seal_files(const char *run_dir, int submit);

/* 1 if PATH (relative to the run folder) is a pre-submission file: one the seal covers. */
int seal_covers(const char *path);

/* The seal of RUN_DIR as its files are now (pre-submission files only); 0, or -1 with errno
 * when one cannot be read. */
int seal_compute(const char *run_dir, char out[SHA256_HEX_LEN + 1]);

/* Sets in M (a RUN record) a "sealed.<path>" line for every file seal_files(RUN_DIR, 1)
 * lists, "seal", and last "record_sha256"; -1 with errno when a file cannot be read (M then
 * keeps what it had). */
int seal_run_record(struct manifest *m, const char *run_dir);

/* The seal its "sealed.<path>" lines give, from the pre-submission ones, in M's order. */
void seal_of_record(const struct manifest *m, char out[SHA256_HEX_LEN + 1]);

/* The SHA-256 of M's "key value" lines but record_sha256's. */
void seal_record_sha256(const struct manifest *m, char out[SHA256_HEX_LEN + 1]);

/* Writes one line to the system log (syslog(3), LOG_USER, notice): where the runs root's
 * owner cannot rewrite it. Never a row value. */
void seal_syslog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
