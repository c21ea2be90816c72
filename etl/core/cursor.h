/*
 * cursor.h - a child at a time from the staged files: every item's rows of one child.
 *
 * Every staged file is ordered by child_id, so the cursor reads them in step: the first
 * source (person) drives, and each call to child_cursor_next() gathers the rows of every
 * source that belong to the next child into an arena that is reset per child. Memory is the
 * largest child's rows, not the number of children. Each staged file is checked against the
 * manifest to its end (row count, SHA-256) by the reader; a row whose child is not in the
 * first source is an error naming the file and line. Transform, validation and later stages
 * read the return's data through this one path.
 */
#ifndef YJ_CURSOR_H
#define YJ_CURSOR_H

#include "error.h"
#include "manifest.h"
#include "mem.h"
#include "staged.h"

/* One staged row: its fields (NULL for SQL NULL) in the file's column order. */
struct cursor_row {
    char **f;
    unsigned long long line; /* line in the staged file, for messages */
};

struct cursor_source {
    char *entity; /* "offence" (file offence.tsv) */
    struct staged_reader reader;
    struct cursor_row *rows; /* the current child's rows */
    size_t n, cap;
};

struct child_cursor {
    struct cursor_source *src; /* src[0] drives: exactly one row per child */
    int nsrc;
    struct arena arena;
    long long child; /* the current child's id */
    unsigned long long children;
};

void child_cursor_init(struct child_cursor *c);
/* Opens DIR/<entity>.tsv for each entity (the first one drives), checked against M. */
int child_cursor_open(struct child_cursor *c, const char *dir, const char *const *entities, int n,
                      const struct manifest *m, struct yj_error *err);
/* Index of an entity's column, or -1. */
int child_cursor_column(const struct child_cursor *c, int source, const char *column);
/* Gathers the next child's rows. *have is 0 once every file is read to its verified end. */
int child_cursor_next(struct child_cursor *c, int *have, struct yj_error *err);
void child_cursor_release(struct child_cursor *c);

#endif
