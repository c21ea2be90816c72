/*
 * staged.c - the staged-file reader. Memory is one line buffer (at most STAGED_MAX_LINE)
 * and the field pointers: it does not grow with the number of rows.
 */
#define _POSIX_C_SOURCE 200809L
#include "staged.h"

#include "atomic.h"
#include "mem.h"
#include "rundir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

void
staged_reader_init(struct staged_reader *r)
{
    memset(r, 0, sizeof(*r));
}

void
staged_reader_release(struct staged_reader *r)
{
    if (r->fp)
        fclose(r->fp);
    sha256_release(&r->hash);
    for (int i = 0; i < r->ncols; i++)
        free(r->colnames[i]);
    free(r->colnames);
    free(r->fields);
    free(r->line);
    free(r->path);
    free(r->name);
    staged_reader_init(r);
}

unsigned long long
staged_count_rows(const char *buf, size_t len)
{
    unsigned long long n = 0;
    const char *p = buf, *end = buf + len;

    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

int
staged_unescape(char *s)
{
    char *out = s;

    for (; *s; s++) {
        if (*s != '\\') {
            *out++ = *s;
            continue;
        }
        s++;
        switch (*s) {
        case 't':
            *out++ = '\t';
            break;
        case 'n':
            *out++ = '\n';
            break;
        case 'r':
            *out++ = '\r';
            break;
        case 'b':
            *out++ = '\b';
            break;
        case 'f':
            *out++ = '\f';
            break;
        case 'v':
            *out++ = '\v';
            break;
        case '\\':
            *out++ = '\\';
            break;
        default:
            return -1;
        }
    }
    *out = '\0';
    return 0;
}

/* Reads one line into r->line without its newline. Returns 1, 0 at EOF, or an error code. */
static int
read_line(struct staged_reader *r, size_t *len_out, struct yj_error *err)
{
    size_t len = 0;
    int c;

    for (;;) {
        c = getc_unlocked(r->fp);
        if (c == EOF)
            break;
        if (len + 1 >= r->line_cap) {
            if (r->line_cap >= STAGED_MAX_LINE)
                return yj_error_set(err, YJ_EX_IOERR,
                                    "staged file '%s' line %llu: line longer "
                                    "than %d bytes",
                                    r->name, r->lineno + 1, STAGED_MAX_LINE);
            r->line_cap = r->line_cap ? r->line_cap * 2 : 4096;
            r->line = xrealloc(r->line, r->line_cap);
        }
        r->line[len++] = (char)c;
        if (c == '\n')
            break;
    }
    if (ferror(r->fp))
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not read staged file '%s'", r->name);
    if (len == 0)
        return 0;
    r->lineno++;
    if (!r->verified)
        sha256_update(&r->hash, r->line, len);
    if (r->line[len - 1] != '\n')
        return yj_error_set(err, YJ_EX_IOERR,
                            "staged file '%s' line %llu: truncated row (no end "
                            "of line)",
                            r->name, r->lineno);
    r->line[--len] = '\0';
    *len_out = len;
    return 1;
}

/* Splits r->line at tabs into r->fields; returns the number of fields found. */
static int
split_fields(struct staged_reader *r, int max)
{
    char *p = r->line;
    int n = 0;

    for (;;) {
        char *tab = strchr(p, '\t');
        if (n < max)
            r->fields[n] = p;
        n++;
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

static int
verify_end(struct staged_reader *r, struct yj_error *err)
{
    char hex[SHA256_HEX_LEN + 1];

    if (r->verified)
        return YJ_OK;
    sha256_final_hex(&r->hash, hex);
    if (r->rows != r->expect->rows) {
        yj_error_set(err, YJ_EX_IOERR,
                     "staged file '%s' is corrupt: %llu rows, manifest says "
                     "%llu",
                     r->name, r->rows, r->expect->rows);
        yj_error_hint(err, "run yj-extract again; staged files must not be edited");
        return YJ_EX_IOERR;
    }
    if (strcmp(hex, r->expect->sha256) != 0) {
        yj_error_set(err, YJ_EX_IOERR,
                     "staged file '%s' is corrupt: SHA-256 does not match the "
                     "manifest",
                     r->name);
        yj_error_detail(err, "file %s, manifest %s", hex, r->expect->sha256);
        yj_error_hint(err, "run yj-extract again; staged files must not be edited");
        return YJ_EX_IOERR;
    }
    return YJ_OK;
}

int
staged_reader_next(struct staged_reader *r, struct yj_error *err)
{
    size_t len;
    int rc, n;
    long long prev = r->child_id;
    char *end;

    r->have_row = 0;
    if (r->eof)
        return YJ_OK;
    rc = read_line(r, &len, err);
    if (rc == 0) {
        r->eof = 1;
        return verify_end(r, err);
    }
    if (rc != 1)
        return rc;
    r->rows++;
    n = split_fields(r, r->ncols);
    if (n != r->ncols)
        return yj_error_set(err, YJ_EX_IOERR,
                            "staged file '%s' line %llu: %d fields, header has "
                            "%d",
                            r->name, r->lineno, n, r->ncols);
    for (int i = 0; i < n; i++) {
        if (strcmp(r->fields[i], "\\N") == 0)
            r->fields[i] = NULL;
        else if (strchr(r->fields[i], '\\') && staged_unescape(r->fields[i]) != 0)
            return yj_error_set(err, YJ_EX_IOERR,
                                "staged file '%s' line %llu field '%s': bad "
                                "escape",
                                r->name, r->lineno, r->colnames[i]);
    }
    if (r->service) {
        r->have_row = 1;
        return YJ_OK;
    }
    if (!r->fields[0])
        return yj_error_set(err, YJ_EX_IOERR, "staged file '%s' line %llu: child_id is NULL",
                            r->name, r->lineno);
    errno = 0;
    r->child_id = strtoll(r->fields[0], &end, 10);
    if (errno || *end || end == r->fields[0])
        return yj_error_set(err, YJ_EX_IOERR,
                            "staged file '%s' line %llu: child_id is not a "
                            "number",
                            r->name, r->lineno);
    if (r->child_id < 0) {
        /* the file is as the warehouse holds it: the id itself is wrong, not the file */
        yj_error_set(err, YJ_EX_DATAERR,
                     "staged file '%s' line %llu: child_id is negative: a child's warehouse id "
                     "is a whole number from 0",
                     r->name, r->lineno);
        yj_error_hint(err, "correct the child's id in the warehouse, then run again");
        return YJ_EX_DATAERR;
    }
    if (r->rows > 1 && r->child_id < prev)
        return yj_error_set(err, YJ_EX_IOERR,
                            "staged file '%s' line %llu: rows are not ordered by "
                            "child_id (%lld after %lld)",
                            r->name, r->lineno, r->child_id, prev);
    r->have_row = 1;
    return YJ_OK;
}

/* Reads up to N whole lines past the current row without keeping them (hashed in chunks,
 * counted); fewer at the end of the file. */
static int
skip_lines(struct staged_reader *r, unsigned long long n, struct yj_error *err)
{
    char chunk[1 << 14];
    size_t len = 0;
    unsigned long long done = 0;
    int c, partial = 0; /* bytes read of a line not ended yet */

    while (done < n && (c = getc_unlocked(r->fp)) != EOF) {
        chunk[len++] = (char)c;
        if (len == sizeof(chunk)) {
            if (!r->verified)
                sha256_update(&r->hash, chunk, len);
            len = 0;
        }
        partial = c != '\n';
        done += !partial;
    }
    if (!r->verified)
        sha256_update(&r->hash, chunk, len);
    r->lineno += done;
    r->rows += done;
    if (ferror(r->fp))
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not read staged file '%s'", r->name);
    if (partial)
        return yj_error_set(err, YJ_EX_IOERR,
                            "staged file '%s' line %llu: truncated row (no end of line)", r->name,
                            r->lineno + 1);
    return YJ_OK;
}

/* The next line's column COL to FN (staged_reader_skip). 1, 0 at the end, or an error. */
static int
skip_one_column(struct staged_reader *r, int col, staged_column_fn fn, void *ctx,
                struct yj_error *err)
{
    size_t len;
    char *p, *tab;
    int rc = read_line(r, &len, err);

    if (rc != 1)
        return rc;
    r->rows++;
    p = r->line;
    for (int i = 0; i < col && p; i++)
        p = (p = strchr(p, '\t')) ? p + 1 : NULL;
    if (!p)
        return yj_error_set(err, YJ_EX_IOERR,
                            "staged file '%s' line %llu: fewer fields than the "
                            "header has",
                            r->name, r->lineno);
    if ((tab = strchr(p, '\t')) != NULL)
        *tab = '\0';
    if (strcmp(p, "\\N") == 0)
        p = NULL;
    else if (strchr(p, '\\') && staged_unescape(p) != 0)
        return yj_error_set(err, YJ_EX_IOERR, "staged file '%s' line %llu field '%s': bad escape",
                            r->name, r->lineno, r->colnames[col]);
    fn(ctx, p);
    return 1;
}

int
staged_reader_skip(struct staged_reader *r, unsigned long long n, int col, staged_column_fn fn,
                   void *ctx, struct yj_error *err)
{
    unsigned long long done;
    int rc;

    if (n == 0 || !r->have_row)
        return YJ_OK;
    if (!fn) {
        if ((rc = skip_lines(r, n - 1, err)) != YJ_OK)
            return rc;
        return staged_reader_next(r, err);
    }
    fn(ctx, r->fields[col]);
    for (done = 1; done < n; done++)
        if ((rc = skip_one_column(r, col, fn, ctx, err)) != 1)
            return rc == 0 ? staged_reader_next(r, err) : rc; /* at the end: verified */
    return staged_reader_next(r, err);
}

int
staged_reader_finish(struct staged_reader *r, struct yj_error *err)
{
    /* every line left: the count can never be reached */
    return staged_reader_skip(r, ~0ULL, 0, NULL, NULL, err);
}

static int
reader_open(struct staged_reader *r, const char *dir, const char *name, const struct manifest *m,
            int service, struct yj_error *err)
{
    size_t len;
    int rc, n;

    r->name = xstrdup(name);
    r->path = path_join(dir, name);
    r->service = service;
    r->expect = manifest_find_file(m, name);
    {
        /* a staged format newer than this reader's is refused before a line is read */
        char *mpath = path_join(dir, RUNDIR_MANIFEST);
        rc = manifest_check_formats(m, mpath, err);
        free(mpath);
        if (rc != YJ_OK)
            return rc;
    }
    if (!r->expect)
        return yj_error_set(err, YJ_EX_IOERR,
                            "staged file '%s' is not listed in the manifest of "
                            "'%s'",
                            name, dir);
    r->fp = fopen(r->path, "rb");
    if (!r->fp)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not open staged file '%s'", r->path);
    setvbuf(r->fp, NULL, _IOFBF, 1 << 18);
    sha256_init(&r->hash);
    rc = read_line(r, &len, err);
    if (rc == 0)
        return yj_error_set(err, YJ_EX_IOERR, "staged file '%s' is empty: no header line", name);
    if (rc != 1)
        return rc;
    r->ncols = 1;
    for (char *p = r->line; *p; p++)
        r->ncols += *p == '\t';
    r->fields = xcalloc((size_t)r->ncols, sizeof(char *));
    r->colnames = xcalloc((size_t)r->ncols, sizeof(char *));
    n = split_fields(r, r->ncols);
    for (int i = 0; i < n; i++)
        r->colnames[i] = xstrdup(r->fields[i]);
    if (!service && strcmp(r->colnames[0], "child_id") != 0)
        return yj_error_set(err, YJ_EX_IOERR,
                            "staged file '%s' line 1: first column is '%s', "
                            "expected 'child_id'",
                            name, r->colnames[0]);
    return staged_reader_next(r, err);
}

int
staged_reader_open(struct staged_reader *r, const char *dir, const char *name,
                   const struct manifest *m, struct yj_error *err)
{
    return reader_open(r, dir, name, m, 0, err);
}

int
staged_reader_open_service(struct staged_reader *r, const char *dir, const char *name,
                           const struct manifest *m, struct yj_error *err)
{
    return reader_open(r, dir, name, m, 1, err);
}

int
staged_reader_column(const struct staged_reader *r, const char *col, int *index,
                     struct yj_error *err)
{
    for (int i = 0; i < r->ncols; i++)
        if (strcmp(r->colnames[i], col) == 0) {
            *index = i;
            return YJ_OK;
        }
    return yj_error_set(err, YJ_EX_IOERR, "staged file '%s' has no column '%s'", r->name, col);
}
