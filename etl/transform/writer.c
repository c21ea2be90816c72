/*
 * writer.c - the generic child/item writer of yj-transform: one child's rows of every staged
 * file, as items.conf describes them, into elements of the return (no code per item), with
 * every data problem (an unmapped code, a NULL id, an orphan row, text that is not UTF-8)
 * recorded on stderr and in errors.txt while the run goes on. Its entry is tx_write_child();
 * the driver is transform.c, the parts and zip parts.c.
 */
#include "transform_int.h"

#include "atomic.h"
#include "rundir.h"
#include "bundle.h"
#include "codemap.h"
#include "cursor.h"
#include "items.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "period.h"
#include "xmlout.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define MAX_ERRORS_ON_STDERR 10

/* Where a data problem is: "offence.tsv line 12: child 17 offence 171 field plea". */
static void
where(struct tx *t, char *buf, size_t size, int item, const struct cursor_row *r, const char *field)
{
    const struct item *im = &t->items.items[item];
    const char *id = im->id.index >= 0 ? r->f[im->id.index] : NULL;

    snprintf(buf, size, "%s line %llu: child %lld %s%s%s%s%s", t->cur.src[t->src[item]].reader.name,
             r->line, t->cur.child, im->element, id ? " " : "", id ? id : "",
             field ? " field " : "", field ? field : "");
}

/* Records a data problem: the first few to stderr, every one (with the value) to errors.txt.
 * `value` is the row value involved, or NULL; it never reaches stderr. */
static void data_error(struct tx *t, int item, const struct cursor_row *r, const char *field,
                       const char *value, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
data_error(struct tx *t, int item, const struct cursor_row *r, const char *field, const char *value,
           const char *fmt, ...)
{
    char at[512], msg[1024], line[2048];
    struct yj_error e2;
    va_list ap;
    int n;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    where(t, at, sizeof(at), item, r, field);
    t->data_errors++;
    if (t->data_errors <= MAX_ERRORS_ON_STDERR)
        log_error("%s: %s", at, msg);
    if (!t->errors_file.path) {
        char *path = path_join(t->out_dir, RUNDIR_RETURN_ERRORS);
        int rc = atomic_file_open(&t->errors_file, path, rundir_mode(RD_RETURN_ERRORS), &e2);
        free(path);
        if (rc != YJ_OK) {
            log_yj_error(&e2);
            return;
        }
        /* its format line first (etl/core/rundir.c) */
        n = snprintf(line, sizeof(line), "%s\n", rundir_entry(RD_RETURN_ERRORS)->format);
        atomic_file_write(&t->errors_file, line, (size_t)n, &e2);
    }
    n = snprintf(line, sizeof(line), "%s: %s%s%s%s\n", at, msg, value ? " (value '" : "",
                 value ? value : "", value ? "')" : "");
    if (t->errors_file.fp && n > 0)
        atomic_file_write(&t->errors_file, line, strlen(line), &e2);
}

static const char *
ref_value(const struct tx *t, const struct item_ref *ref, const struct cursor_row *r)
{
    return ref->person ? t->person->f[ref->index] : r->f[ref->index];
}

/* A staged date that does not parse is a corrupt file, not a data problem. */
static long
ref_date(struct tx *t, int item, const struct item_ref *ref, const struct cursor_row *r)
{
    const char *v = ref_value(t, ref, r);
    long d;

    if (!v)
        return DATE_NONE;
    if (date_parse(v, &d) != 0) {
        if (t->io_status == YJ_OK) {
            const struct cursor_row *row = ref->person ? t->person : r;
            int src = ref->person ? 0 : t->src[item];
            t->io_status =
                yj_error_set(t->err, YJ_EX_IOERR,
                             "staged file '%s' line %llu: child %lld column '%s': not "
                             "a date",
                             t->cur.src[src].reader.name, row->line, t->cur.child, ref->column);
        }
        return DATE_NONE;
    }
    return d;
}

static void
write_field(struct tx *t, int item, const struct item_field *fd, const struct cursor_row *r)
{
    char buf[32];
    const char *v = NULL;

    if (fd->when.column && !r->f[fd->when.index])
        return;
    switch (fd->fn) {
    case FN_NONE:
        v = ref_value(t, &fd->args[0], r);
        if (v && fd->map) {
            const char *const *m = codemap_lookup(fd->map, v);
            if (!m) {
                if (t->miss_row != r || t->miss_map != fd->map)
                    data_error(t, item, r, fd->element, v,
                               "local code in column '%s' has no mapping in '%s'",
                               fd->args[0].column, fd->map->path);
                t->miss_row = r;
                t->miss_map = fd->map;
                return;
            }
            v = m[fd->map_index][0] ? m[fd->map_index] : NULL;
            if (!v)
                return;
        } else if (v && fd->kind == KIND_DATE) {
            long d = ref_date(t, item, &fd->args[0], r);
            if (d == DATE_NONE)
                return;
            date_format(d, buf);
            v = buf;
        } else if (v && fd->kind == KIND_BOOL) {
            v = strcmp(v, "t") == 0 ? "true" : "false";
        } else if (v && !xmlout_text_ok(v)) {
            data_error(t, item, r, fd->element, NULL,
                       "column '%s' is not valid UTF-8 text or holds control characters",
                       fd->args[0].column);
            return;
        }
        break;
    case FN_AGE:
    case FN_SCHOOL: {
        long dob = ref_date(t, item, &fd->args[0], r);
        long on = ref_date(t, item, &fd->args[1], r);
        if (dob == DATE_NONE || on == DATE_NONE)
            break;
        if (fd->fn == FN_AGE) {
            snprintf(buf, sizeof(buf), "%d", date_age(dob, on));
            v = buf;
        } else {
            v = date_school_age(&t->bundle.school_age, dob, on) ? "true" : "false";
        }
        break;
    }
    case FN_YEARS: {
        long d = ref_date(t, item, &fd->args[0], r);
        if (d == DATE_NONE)
            break;
        date_format(date_add_years(d, (int)fd->number), buf);
        v = buf;
        break;
    }
    case FN_SERVICE:
        v = t->cfg->yot_ou_code;
        break;
    default: /* the envelope's values (parts.c): items.c allows none in an item */
        break;
    }
    if (!v)
        v = fd->null_value;
    xmlout_elem(&t->xml, fd->element, v);
}

static void write_items(struct tx *t, int parent, const char *parent_id);

static void
write_row(struct tx *t, int item, const struct cursor_row *r)
{
    const struct item *im = &t->items.items[item];
    const char *id = im->id.index >= 0 ? r->f[im->id.index] : NULL;

    if (im->id.index >= 0 && !id) {
        data_error(t, item, r, NULL, NULL, "id column '%s' is NULL", im->id.column);
        return;
    }
    xmlout_open(&t->xml, im->element, NULL);
    for (int f = 0; f < im->nfields; f++)
        write_field(t, item, &im->fields[f], r);
    write_items(t, item, id);
    xmlout_close(&t->xml);
}

/* Writes the items under PARENT (-1: under <child>); nested rows match on their join column. */
static void
write_items(struct tx *t, int parent, const char *parent_id)
{
    for (int i = 0; i < t->items.nitems; i++) {
        const struct item *im = &t->items.items[i];
        const struct cursor_source *s = &t->cur.src[t->src[i]];

        if (im->parent_idx != parent || i == t->items.person)
            continue;
        for (size_t k = 0; k < s->n; k++) {
            const struct cursor_row *r = &s->rows[k];
            if (im->when.index >= 0 && !r->f[im->when.index]) {
                t->used[i][k] = 1; /* left out on purpose, not an orphan */
                continue;
            }
            if (parent >= 0) {
                const char *j = r->f[im->join.index];
                if (!j || t->used[i][k] || strcmp(j, parent_id) != 0)
                    continue;
            }
            t->used[i][k] = 1;
            write_row(t, i, r);
        }
    }
}

void
tx_write_child(struct tx *t)
{
    xmlout_open(&t->xml, "child", NULL);
    t->person = &t->cur.src[0].rows[0];
    t->miss_row = NULL;
    for (int i = 0; i < t->items.nitems; i++) {
        size_t n = t->cur.src[t->src[i]].n;
        t->used[i] = arena_alloc(&t->cur.arena, n ? n : 1);
        memset(t->used[i], 0, n ? n : 1);
    }
    t->used[t->items.person][0] = 1;
    write_row(t, t->items.person, t->person);
    write_items(t, -1, NULL);
    /* a nested row whose parent the child does not have, or whose join is NULL */
    for (int i = 0; i < t->items.nitems; i++) {
        const struct item *im = &t->items.items[i];
        const struct cursor_source *s = &t->cur.src[t->src[i]];
        if (im->parent_idx < 0)
            continue;
        for (size_t k = 0; k < s->n; k++)
            if (!t->used[i][k]) {
                const char *j = s->rows[k].f[im->join.index];
                data_error(t, i, &s->rows[k], NULL, j,
                           j ? "column '%s' names no %s of the child"
                             : "column '%s' is NULL: no %s to put it under",
                           im->join.column, t->items.items[im->parent_idx].element);
            }
    }
    xmlout_close(&t->xml);
}
