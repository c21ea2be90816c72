/*
 * forge.h - what someone who can write a runs root can do to it, for the tests of yj-run
 * --verify: edit a file, re-hash it in its manifest, re-seal RUN, re-chain the ledger. Each
 * hash is computed here from the documented formats (docs/design.md "Run seal" and
 * "Submission ledger") with sha256sum, never with the product's own code, so the tests pin
 * the definitions. Every returned string is malloc'd and owned by the caller; every helper
 * aborts the test when a file cannot be read or written.
 */
#ifndef YJ_TEST_FORGE_H
#define YJ_TEST_FORGE_H

/* 64 hex digits: the SHA-256 of a file, of a text. */
char *forge_file_sha256(const char *path);
char *forge_text_sha256(const char *text);
/* Writes TEXT as the whole file PATH. */
void forge_write(const char *path, const char *text);
/* Replaces the first FROM in the file with TO. */
void forge_replace(const char *path, const char *from, const char *to);
/* The value of "KEY value" in a manifest-format file (RUN, a MANIFEST), NULL if none; its
 * line number (from 1) in *line when LINE is not NULL. */
char *forge_get(const char *path, const char *key, int *line);
/* Sets KEY to VALUE in a manifest-format file in place; VALUE NULL removes the line. */
void forge_set(const char *path, const char *key, const char *value);
/* The line of the file that starts with PREFIX (without its newline), NULL if none; its number
 * in *line. */
char *forge_line(const char *path, const char *prefix, int *line);
/* Re-hashes "file NAME ..." of the manifest MPATH: bytes and sha256 of the file beside it. */
void forge_rehash_file(const char *mpath, const char *name);
/* The seal of RUN_DIR's manifests and reports as they are now. */
char *forge_seal_of_folder(const char *run_dir);
/* The seal RUN's sealed lines give, and the record_sha256 its other lines give. */
char *forge_seal_of_record(const char *run_dir);
char *forge_record_of(const char *run_dir);
/* Re-seals RUN: every "sealed.PATH" line set to PATH's hash now, then seal and record_sha256. */
void forge_reseal(const char *run_dir);
/* Replaces every FROM in the ledger by TO, then recomputes every line's prev and hash. */
void forge_ledger(const char *ledger, const char *from, const char *to);

#endif
