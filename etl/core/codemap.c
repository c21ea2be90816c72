/*
 * codemap.c - loading and searching code maps. The whole map is held in memory; maps are
 * code lists of at most a few hundred rows.
 */
#define _POSIX_C_SOURCE 200809L
#include "codemap.h"

#include "mem.h"
#include "textline.h"
#include "sha256.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

void
codemap_init(struct codemap *map)
{
    memset(map, 0, sizeof(*map));
}

void
codemap_release(struct codemap *map)
{
    for (size_t i = 0; i < map->nrows; i++) {
        free(map->rows[i].local);
        for (int c = 0; c < map->ncols - 1; c++)
            free(map->rows[i].values[c]);
        free(map->rows[i].values);
    }
    for (int c = 0; c < map->ncols; c++)
        free(map->colnames[c]);
    free(map->colnames);
    free(map->rows);
    free(map->path);
    free(map->name);
    codemap_init(map);
}

static int
row_cmp(const void *a, const void *b)
{
    return strcmp(((const struct codemap_row *)a)->local, ((const struct codemap_row *)b)->local);
}

/* Splits a CSV line into at most max trimmed cells; returns the count found. */
static int
split_csv(char *line, char **cells, int max)
{
    int n = 0;
    char *p = line;

    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (n < max)
            cells[n] = str_trim(p);
        n++;
        if (!comma)
            return n;
        p = comma + 1;
    }
}

int
codemap_load(struct codemap *map, const char *path, struct yj_error *err)
{
    FILE *f;
    char line[1024];
    char *cells[16];
    int lineno = 0, rc = YJ_OK, got;
    size_t cap = 0;
    unsigned long long bytes;
    const char *slash = strrchr(path, '/');

    map->path = xstrdup(path);
    map->name = xstrdup(slash ? slash + 1 : path);
    f = fopen(path, "r");
    if (!f)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not open mapping '%s'", path);
    while ((got = textline_read(f, line, sizeof(line), lineno + 1, 1)) != TEXTLINE_EOF) {
        char *s;
        int n;

        lineno++;
        if (got == TEXTLINE_ERROR)
            break;
        if (got != TEXTLINE_OK) {
            rc = yj_error_set(err, YJ_EX_DATAERR, "mapping '%s' line %d: %s", path, lineno,
                              textline_problem(got));
            if (textline_hint(got))
                yj_error_hint(err, "%s", textline_hint(got));
            goto done;
        }
        s = str_trim(line);
        if (*s == '\0' || *s == '#')
            continue;
        if (strchr(s, '"')) {
            rc = yj_error_set(err, YJ_EX_DATAERR, "mapping '%s' line %d: quotes are not allowed",
                              path, lineno);
            goto done;
        }
        n = split_csv(s, cells, 16);
        if (!map->colnames) {
            if (n < 2 || n > 16 || strcmp(cells[0], "local") != 0 || strcmp(cells[1], "yjb") != 0) {
                rc = yj_error_set(err, YJ_EX_DATAERR,
                                  "mapping '%s' line %d: header must start "
                                  "with 'local,yjb'",
                                  path, lineno);
                goto done;
            }
            map->ncols = n;
            map->colnames = xcalloc((size_t)n, sizeof(char *));
            for (int c = 0; c < n; c++)
                map->colnames[c] = xstrdup(cells[c]);
            continue;
        }
        if (n != map->ncols || cells[0][0] == '\0' || cells[1][0] == '\0') {
            rc = yj_error_set(err, YJ_EX_DATAERR,
                              "mapping '%s' line %d: expected %d columns with "
                              "local and yjb codes",
                              path, lineno, map->ncols);
            goto done;
        }
        if (map->nrows == cap) {
            cap = cap ? cap * 2 : 32;
            map->rows = xrealloc(map->rows, cap * sizeof(*map->rows));
        }
        struct codemap_row *row = &map->rows[map->nrows++];
        row->local = xstrdup(cells[0]);
        row->line = lineno;
        row->values = xcalloc((size_t)n - 1, sizeof(char *));
        for (int c = 1; c < n; c++)
            row->values[c - 1] = xstrdup(cells[c]);
    }
    if (got == TEXTLINE_ERROR) {
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read mapping '%s'", path);
        goto done;
    }
    if (!map->colnames) {
        rc = yj_error_set(err, YJ_EX_DATAERR, "mapping '%s': no header line", path);
        goto done;
    }
    if (map->nrows > 1) /* qsort(NULL, 0, ...) is undefined: a header-only map has no rows */
        qsort(map->rows, map->nrows, sizeof(*map->rows), row_cmp);
    for (size_t i = 1; i < map->nrows; i++)
        if (strcmp(map->rows[i - 1].local, map->rows[i].local) == 0) {
            int a = map->rows[i - 1].line, b = map->rows[i].line;
            rc = yj_error_set(err, YJ_EX_DATAERR,
                              "mapping '%s' line %d: local code '%s' is already mapped on line %d",
                              path, a > b ? a : b, map->rows[i].local, a < b ? a : b);
            goto done;
        }
    if (sha256_file(path, map->sha256, &bytes) != 0)
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read mapping '%s'", path);
done:
    fclose(f);
    return rc;
}

const char *const *
codemap_lookup(const struct codemap *map, const char *local)
{
    size_t lo = 0, hi = map->nrows;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(local, map->rows[mid].local);
        if (c == 0)
            return (const char *const *)map->rows[mid].values;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

int
codemap_column(const struct codemap *map, const char *name)
{
    for (int c = 1; c < map->ncols; c++)
        if (strcmp(map->colnames[c], name) == 0)
            return c - 1;
    return -1;
}
