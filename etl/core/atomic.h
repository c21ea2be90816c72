/*
 * atomic.h - files that appear whole or not at all.
 *
 * atomic_file_open() writes to "<path>.tmp"; atomic_file_commit() flushes, fsyncs, renames
 * over <path> and fsyncs the folder; atomic_file_release() removes the temporary file if the
 * commit never happened. A crash therefore leaves the old file or the new one, never half a
 * file under the final name. The writer optionally hashes everything written (SHA-256) and
 * counts bytes, for manifests.
 */
#ifndef YJ_ATOMIC_H
#define YJ_ATOMIC_H

#include "error.h"
#include "sha256.h"

#include <stdio.h>

/* What the name of a file being written ends with until it is committed. */
#define ATOMIC_TMP_SUFFIX ".tmp"

/* 1 if NAME (a file name or path) is a file being written: it ends with ATOMIC_TMP_SUFFIX. */
int atomic_is_tmp(const char *name);

/* PATH's name while it is written: PATH with ATOMIC_TMP_SUFFIX (malloc'd). */
char *atomic_tmp_path(const char *path);

struct atomic_file {
    char *path;
    char *tmp_path;
    FILE *fp;
    int committed;
    struct sha256 hash;
    unsigned long long bytes;
};

void atomic_file_init(struct atomic_file *af);
/* mode is the file mode for the new file (0644, or 0600 for files that quote values). */
int atomic_file_open(struct atomic_file *af, const char *path, int mode, struct yj_error *err);
int atomic_file_write(struct atomic_file *af, const void *buf, size_t len, struct yj_error *err);
/* Writes LEN bytes over ones already written at OFFSET: a fixed-width value known only at the
 * end (yj-validate's report gives the SHA-256 of the return it reads while writing). The hash
 * of what was written (af->hash) does not see it: not for a file a manifest lists. */
int atomic_file_write_at(struct atomic_file *af, long offset, const void *buf, size_t len,
                         struct yj_error *err);
/* Flushes, fsyncs and closes the temporary file, which stays under its temporary name (for a
 * caller that renames several files together); atomic_file_commit() also renames it. */
int atomic_file_sync(struct atomic_file *af, struct yj_error *err);
int atomic_file_commit(struct atomic_file *af, struct yj_error *err);
void atomic_file_release(struct atomic_file *af);
/* Writes a whole small file atomically. */
int atomic_write_file(const char *path, const void *buf, size_t len, int mode,
                      struct yj_error *err);

/* fsync the folder holding path (after a rename into it). */
int fsync_parent_dir(const char *path, struct yj_error *err);
/* mkdir -p; existing folders are fine. */
int mkdir_p(const char *path, int mode, struct yj_error *err);
/* Returns a malloc'd "a/b". */
char *path_join(const char *a, const char *b);

#endif
