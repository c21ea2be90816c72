/*
 * cursor.c - the per-child merge of the staged files (see cursor.h).
 *
 * Rows are copied into the arena because the readers reuse their line buffers; the arena and
 * the row arrays are reused from child to child.
 */
#include "cursor.h"

#include "atomic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

void
child_cursor_init(struct child_cursor *c)
{
    memset(c, 0, sizeof(*c));
    arena_init(&c->arena);
    c->child = -1;
}

void
child_cursor_release(struct child_cursor *c)
{
    for (int i = 0; i < c->nsrc; i++) {
        staged_reader_release(&c->src[i].reader);
        free(c->src[i].rows);
        free(c->src[i].entity);
    }
    free(c->src);
    arena_release(&c->arena);
    child_cursor_init(c);
}

int
child_cursor_open(struct child_cursor *c, const char *dir, const char *const *entities, int n,
                  const struct manifest *m, struct yj_error *err)
{
    c->src = xcalloc((size_t)n, sizeof(*c->src));
    for (int i = 0; i < n; i++) {
        struct cursor_source *s = &c->src[i];
        char *file = xmalloc(strlen(entities[i]) + 5);
        int rc;

        snprintf(file, strlen(entities[i]) + 5, "%s.tsv", entities[i]);
        s->entity = xstrdup(entities[i]);
        staged_reader_init(&s->reader);
        c->nsrc++;
        rc = staged_reader_open(&s->reader, dir, file, m, err);
        free(file);
        if (rc != YJ_OK)
            return rc;
    }
    return YJ_OK;
}

int
child_cursor_column(const struct child_cursor *c, int source, const char *column)
{
    const struct staged_reader *r = &c->src[source].reader;

    for (int i = 0; i < r->ncols; i++)
        if (strcmp(r->colnames[i], column) == 0)
            return i;
    return -1;
}

static void
keep_row(struct child_cursor *c, struct cursor_source *s)
{
    struct staged_reader *r = &s->reader;
    char **f = arena_alloc(&c->arena, (size_t)r->ncols * sizeof(char *));

    for (int i = 0; i < r->ncols; i++)
        f[i] = r->fields[i] ? arena_strndup(&c->arena, r->fields[i], strlen(r->fields[i])) : NULL;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->rows = xrealloc(s->rows, s->cap * sizeof(*s->rows));
    }
    s->rows[s->n].f = f;
    s->rows[s->n].line = r->lineno;
    s->n++;
}

static int
not_in_driver(const struct child_cursor *c, const struct staged_reader *r, struct yj_error *err)
{
    return yj_error_set(err, YJ_EX_DATAERR, "staged file '%s' line %llu: child %lld is not in %s",
                        r->name, r->lineno, r->child_id, c->src[0].reader.name);
}

int
child_cursor_next(struct child_cursor *c, int *have, struct yj_error *err)
{
    struct staged_reader *d = &c->src[0].reader;
    int rc;

    *have = 0;
    arena_reset(&c->arena);
    for (int i = 0; i < c->nsrc; i++)
        c->src[i].n = 0;
    if (!d->have_row) {
        for (int i = 1; i < c->nsrc; i++)
            if (c->src[i].reader.have_row)
                return not_in_driver(c, &c->src[i].reader, err);
        return YJ_OK;
    }
    c->child = d->child_id;
    keep_row(c, &c->src[0]);
    if ((rc = staged_reader_next(d, err)) != YJ_OK)
        return rc;
    if (d->have_row && d->child_id == c->child)
        return yj_error_set(err, YJ_EX_IOERR,
                            "staged file '%s' line %llu: child %lld appears twice", d->name,
                            d->lineno, c->child);
    for (int i = 1; i < c->nsrc; i++) {
        struct staged_reader *r = &c->src[i].reader;
        if (r->have_row && r->child_id < c->child)
            return not_in_driver(c, r, err);
        while (r->have_row && r->child_id == c->child) {
            keep_row(c, &c->src[i]);
            if ((rc = staged_reader_next(r, err)) != YJ_OK)
                return rc;
        }
    }
    c->children++;
    *have = 1;
    return YJ_OK;
}
