/*
 * manifest.h - the MANIFEST each stage writes last into its folder of the run directory.
 *
 * A manifest is text: a "yjreturns-manifest 1" line, then "key value" lines and
 * "file NAME rows N bytes N sha256 HEX" lines, in the order they were added (so the same
 * inputs give the same bytes). Keys and values contain no spaces or newlines. The next stage
 * reads it, checks every file it uses against it, and records the manifest's own SHA-256.
 */
#ifndef YJ_MANIFEST_H
#define YJ_MANIFEST_H

#include "error.h"
#include "sha256.h"

#include <stddef.h>

struct manifest_file {
    char *name;
    unsigned long long rows;
    unsigned long long bytes;
    char sha256[SHA256_HEX_LEN + 1];
};

struct manifest_kv {
    char *key;
    char *value;
};

struct manifest {
    struct manifest_kv *kv;
    size_t nkv;
    struct manifest_file *files;
    size_t nfiles;
};

void manifest_init(struct manifest *m);
/* Copies key and value; an existing key is replaced in place. */
void manifest_set(struct manifest *m, const char *key, const char *value);
const char *manifest_get(const struct manifest *m, const char *key);
void manifest_add_file(struct manifest *m, const char *name, unsigned long long rows,
                       unsigned long long bytes, const char *sha256);
const struct manifest_file *manifest_find_file(const struct manifest *m, const char *name);
int manifest_write(const struct manifest *m, const char *path, struct yj_error *err);
/* Reads and checks the format; errors name the file and line. If sha256_out is not NULL it
 * receives the manifest file's own hash. */
int manifest_read(struct manifest *m, const char *path, char *sha256_out, struct yj_error *err);
/* Refuses a "format.<name> <version>" line of M (read from PATH) whose format the run-directory
 * table knows in an older version only (rundir_format_key_check()): asked by the reader of
 * the files it describes, before it reads one. */
int manifest_check_formats(const struct manifest *m, const char *path, struct yj_error *err);
void manifest_release(struct manifest *m);
/* The digits "0003" of a return part's name "cld-part-0003.xml" (their length in *len), or
 * NULL for any other name: how stages tell the parts of a split return among its files. */
const char *manifest_part_digits(const char *name, size_t *len);
/* DIR/BASE EXT for the document cld.xml, DIR/BASE-NNNN EXT for the part cld-part-NNNN.xml
 * (malloc'd): the file a stage keeps for each document, e.g. ("validate", doc, "report",
 * ".txt") is validate/report.txt or validate/report-0001.txt. */
/* 1 when NAME is a return document: cld.xml or a part cld-part-NNNN.xml (not cld.zip). */
int manifest_is_document(const char *name);
char *manifest_part_file(const char *dir, const char *document, const char *base, const char *ext);

/* The line number (from 1) of the first line "KEY ..." of the manifest-format file PATH (a
 * file's line is "file NAME ..."), or 0: how a finding names the line it is about. */
unsigned long manifest_key_line(const char *path, const char *key);

#endif
