/*
 * staged.h - staged files: the hand-over from yj-extract to yj-transform.
 *
 * A staged file is a header line of tab-separated column names followed by rows in
 * PostgreSQL's COPY text format (tab separated, \N for NULL, backslash escapes), ordered by
 * the first column, child_id. The reader streams one row at a time, checks the child order,
 * the column count and, at end of file, the row count and SHA-256 recorded in the manifest:
 * a truncated or altered file is an error, never a shorter return.
 *
 * A service file (staged/service/NAME.tsv, a service-level input of inputs.h) is the same
 * format without the child: no child_id column and no order check, but the same column
 * count, row count and SHA-256 checks.
 */
#ifndef YJ_STAGED_H
#define YJ_STAGED_H

#include "error.h"
#include "manifest.h"
#include "sha256.h"

#include <stdio.h>

#define STAGED_MAX_LINE (1 << 20)

struct staged_reader {
    char *path;
    char *name; /* e.g. "offence.tsv", for messages */
    FILE *fp;
    struct sha256 hash;
    const struct manifest_file *expect; /* borrowed from the caller's manifest */
    unsigned long long lineno;
    unsigned long long rows;
    int ncols;
    char **colnames; /* owned */
    char *line;      /* owned buffer holding the current row, decoded in place */
    size_t line_cap;
    char **fields; /* ncols pointers into line; NULL for SQL NULL */
    int eof;
    int have_row;
    int service;        /* a service file: no child_id */
    int verified;       /* set by the caller: the whole file's row count and SHA-256 were
                         * verified already (staged_reader_finish() of another reader), so rows
                         * are not hashed and the end is not checked again */
    long long child_id; /* 0 in a service file */
};

void staged_reader_init(struct staged_reader *r);
/* Opens DIR/NAME, which must be listed in the manifest, reads the header and the first row. */
int staged_reader_open(struct staged_reader *r, const char *dir, const char *name,
                       const struct manifest *m, struct yj_error *err);
/* Opens a service file DIR/NAME (NAME as the manifest lists it, e.g.
 * "service/board_attendance.tsv"): like staged_reader_open, but any first column, and rows
 * in any order. */
int staged_reader_open_service(struct staged_reader *r, const char *dir, const char *name,
                               const struct manifest *m, struct yj_error *err);
/* Index of a column by name, or an error naming the file and column. */
int staged_reader_column(const struct staged_reader *r, const char *col, int *index,
                         struct yj_error *err);
/* Moves to the next row: have_row becomes 0 at the verified end of the file. */
int staged_reader_next(struct staged_reader *r, struct yj_error *err);
/* Moves N rows on (N 0: stays), so that the row N after the current one is current. With FN
 * NULL the rows between are hashed and counted but not split, decoded or copied; else FN gets
 * column COL of each row left behind (the current one and those between), decoded, NULL for
 * SQL NULL, the other columns untouched. have_row becomes 0 at the verified end of the file, as
 * with staged_reader_next(). */
typedef void (*staged_column_fn)(void *ctx, const char *value);
int staged_reader_skip(struct staged_reader *r, unsigned long long n, int col, staged_column_fn fn,
                       void *ctx, struct yj_error *err);
/* Reads the rest of the file as staged_reader_skip() does and verifies its row count and
 * SHA-256 against the manifest (nothing to do once have_row is 0). */
int staged_reader_finish(struct staged_reader *r, struct yj_error *err);
void staged_reader_release(struct staged_reader *r);

/* Decodes COPY text escapes of one field in place. Returns -1 for a bad escape. */
int staged_unescape(char *s);

/* Counts rows (newlines) in COPY data written by yj-extract. */
unsigned long long staged_count_rows(const char *buf, size_t len);

#endif
