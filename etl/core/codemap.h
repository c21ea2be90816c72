/*
 * codemap.h - code-list maps from the case system's local codes to YJB codes.
 *
 * A map is a CSV file under a schema bundle in mappings/: '#' comment lines, then a header
 * naming the columns ("local,yjb" and optionally more, e.g. "group"), then one row per local
 * code. Values contain no commas or quotes (codes, not prose). A duplicate local code is an
 * error naming the line. Lookup is a binary search; a miss returns NULL and the caller
 * reports the child, field, code and map file: a code is never guessed or dropped.
 */
#ifndef YJ_CODEMAP_H
#define YJ_CODEMAP_H

#include "error.h"

#include <stddef.h>

struct codemap_row {
    char *local;
    int line;      /* line in the file, for messages */
    char **values; /* ncols - 1 values: the yjb code, then any further columns */
};

struct codemap {
    char *path;
    char *name; /* file name without folder, for messages */
    int ncols;
    char **colnames;
    struct codemap_row *rows;
    size_t nrows;
    char sha256[65];
};

void codemap_init(struct codemap *map);
int codemap_load(struct codemap *map, const char *path, struct yj_error *err);
/* Returns the values of a local code (values[0] is the YJB code), or NULL if unmapped. */
const char *const *codemap_lookup(const struct codemap *map, const char *local);
/* Index into values of a named column ("yjb" is 0), or -1. */
int codemap_column(const struct codemap *map, const char *name);
void codemap_release(struct codemap *map);

#endif
