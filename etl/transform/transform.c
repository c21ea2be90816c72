/*
 * transform.c - the staged files, child by child, into the return XML, as items.conf says.
 *
 * The item descriptions of the schema bundle chosen for the period (items.h) say which
 * staged files to read and what to write; the per-child cursor (cursor.h) gives each child's
 * rows of every file, in an arena reset per child, so memory depends on the largest child,
 * not on the number of children. One generic writer turns any item's rows into elements:
 * there is no code per item. A data problem (a local code with no mapping, a NULL id, a row
 * whose parent is not in the child's document, text that is not valid UTF-8) is recorded and
 * the run goes on to find every one, then fails and leaves no return: stderr names the
 * staged file and line, child, item, id and field, never a value; errors.txt (0600) adds the
 * value. The old MANIFEST and cld.xml are removed first, so a failed run never leaves a
 * folder that looks complete; the new cld.xml is renamed into place only after every staged
 * file has been read to its end and matched its manifest.
 */
#include "transform.h"

#include "atomic.h"
#include "bundle.h"
#include "cli.h"
#include "codemap.h"
#include "cursor.h"
#include "deletions.h"
#include "items.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "period.h"
#include "xmlout.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ERRORS_ON_STDERR 10

struct tx {
    const struct yj_config *cfg;
    struct bundle bundle;
    struct items items;
    struct child_cursor cur;
    struct deletions deleted; /* children of the previous submitted return */
    int *src;                 /* item index -> cursor source index */
    struct xmlout xml;
    struct atomic_file errors_file;
    char *out_dir;
    unsigned long long data_errors;
    struct cursor_row *person; /* the current child's person row */
    char **used;               /* per item: which of its source's rows were written */
    const void *miss_row;      /* the last unmapped lookup, so one code is reported once */
    const struct codemap *miss_map;
    struct yj_error *err; /* where I/O errors go */
    int io_status;
};

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
        char *path = path_join(t->out_dir, "errors.txt");
        int rc = atomic_file_open(&t->errors_file, path, 0600, &e2);
        free(path);
        if (rc != YJ_OK) {
            log_yj_error(&e2);
            return;
        }
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
            v = date_school_age(dob, on) ? "true" : "false";
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

static void
write_child(struct tx *t)
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

/* Opens one cursor source per staged entity (person first) and binds every column. */
static int
open_inputs(struct tx *t, const char *in_dir, const struct manifest *m)
{
    const char **ents = xcalloc((size_t)t->items.nitems, sizeof(char *));
    int n = 0, rc;

    ents[n++] = t->items.items[t->items.person].staged;
    t->src = xcalloc((size_t)t->items.nitems, sizeof(int));
    for (int i = 0; i < t->items.nitems; i++) {
        int k;
        for (k = 0; k < n; k++)
            if (strcmp(ents[k], t->items.items[i].staged) == 0)
                break;
        if (k == n)
            ents[n++] = t->items.items[i].staged;
        t->src[i] = k;
    }
    rc = child_cursor_open(&t->cur, in_dir, ents, n, m, t->err);
    free(ents);
    if (rc != YJ_OK)
        return rc;
    for (int i = 0; i < t->items.nitems; i++) {
        struct item *im = &t->items.items[i];
        struct item_ref *refs[3 + 1 + ITEMS_MAX_ARGS];
        for (int f = -1; f < im->nfields; f++) {
            int nr = 0;
            if (f < 0) {
                refs[nr++] = &im->id;
                refs[nr++] = &im->join;
                refs[nr++] = &im->when;
            } else {
                refs[nr++] = &im->fields[f].when;
                for (int a = 0; a < im->fields[f].nargs; a++)
                    refs[nr++] = &im->fields[f].args[a];
            }
            for (int k = 0; k < nr; k++) {
                int src = refs[k]->person ? 0 : t->src[i];
                if (!refs[k]->column)
                    continue;
                refs[k]->index = child_cursor_column(&t->cur, src, refs[k]->column);
                if (refs[k]->index < 0)
                    return yj_error_set(t->err, YJ_EX_IOERR,
                                        "staged file '%s' has no column '%s', which %s line %d "
                                        "(item '%s'%s%s) reads",
                                        t->cur.src[src].reader.name, refs[k]->column, t->items.path,
                                        f < 0 ? im->line : im->fields[f].line, im->element,
                                        f < 0 ? "" : " field ", f < 0 ? "" : im->fields[f].element);
            }
        }
    }
    t->used = xcalloc((size_t)t->items.nitems, sizeof(char *));
    return YJ_OK;
}

/* The return's name: service, period and the moment the warehouse was read, so that a rerun
 * as recorded at the same moment gives the same bytes ("MEDWAY-2025Q1-20250701T000000.000000Z"). */
static void
source_return_id(const char *yot, const struct yj_period *p, const char *as_of, char *buf,
                 size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "%s-%s-", yot, p->label);

    for (; as_of && *as_of && n + 1 < size; as_of++)
        if (*as_of != '-' && *as_of != ':')
            buf[n++] = *as_of;
    buf[n < size ? n : size - 1] = '\0';
}

static void
write_envelope(struct tx *t, const struct manifest *m, const struct yj_period *p, long sign_off,
               unsigned long long children)
{
    char root[512], id[160];

    /* schemaLocation names the XSD beside the file, for validators that need a hint */
    snprintf(root, sizeof(root),
             "xmlns=\"urn:yjreturns:cld:schema-%s\" "
             "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
             "xsi:schemaLocation=\"urn:yjreturns:cld:schema-%s cld.xsd\" schemaVersion=\"%s\"",
             t->bundle.schema_version, t->bundle.schema_version, t->bundle.schema_version);
    source_return_id(t->cfg->yot_ou_code, p, manifest_get(m, "as_of"), id, sizeof(id));
    xmlout_raw(&t->xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xmlout_open(&t->xml, "cldReturn", root);
    xmlout_open(&t->xml, "envelope", NULL);
    xmlout_elem(&t->xml, "sourceReturnId", id);
    xmlout_elem(&t->xml, "yotOuCode", t->cfg->yot_ou_code);
    xmlout_elem_date(&t->xml, "returnStartDate", p->start);
    xmlout_elem_date(&t->xml, "returnEndDate", p->end);
    if (sign_off != DATE_NONE)
        xmlout_elem_date(&t->xml, "signOffDate", sign_off);
    xmlout_elem(&t->xml, "cmsSystem",
                t->cfg->cms_system ? t->cfg->cms_system : "yjreturns-reference-warehouse");
    xmlout_elem(&t->xml, "cmsExtractVersion", manifest_get(m, "yjreturns_version"));
    xmlout_elem(&t->xml, "schemaVersion", t->bundle.schema_version);
    xmlout_elem(&t->xml, "extractVersion", "yjreturns " YJ_VERSION);
    xmlout_elem_long(&t->xml, "documentCount", (long)children);
    xmlout_close(&t->xml);
}

/* Whether the period had ended when the warehouse was read (its as-of moment): a return of a
 * period still in progress is for the nightly data-quality run, never for submission. */
static int
period_complete(const struct manifest *in, const struct yj_period *p)
{
    const char *as_of = manifest_get(in, "as_of");
    char day[11];
    long d;

    if (!as_of || strlen(as_of) < 10)
        return 0;
    memcpy(day, as_of, 10);
    day[10] = '\0';
    return date_parse(day, &d) == 0 && d > p->end;
}

/* Removes what a previous run left, MANIFEST first: a failed run leaves nothing that looks
 * complete. */
static int
remove_old_outputs(const char *out_dir, struct yj_error *err)
{
    static const char *const names[] = {"MANIFEST", TRANSFORM_RETURN_FILE, "errors.txt"};

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char *p = path_join(out_dir, names[i]);
        int e = unlink(p) != 0 && errno != ENOENT ? errno : 0;
        if (e) {
            yj_error_errno(err, YJ_EX_CANTCREAT, e, "could not remove old '%s'", p);
            free(p);
            return YJ_EX_CANTCREAT;
        }
        free(p);
    }
    return YJ_OK;
}

int
transform_run(const struct yj_config *cfg, const struct transform_options *opt,
              struct yj_error *err)
{
    struct tx t;
    struct manifest in, out;
    struct yj_period period;
    struct atomic_file af;
    char in_sha[SHA256_HEX_LEN + 1], hex[SHA256_HEX_LEN + 1];
    char *in_manifest = path_join(opt->in_dir, "MANIFEST");
    char *out_manifest = path_join(opt->out_dir, "MANIFEST");
    char *xml_path = path_join(opt->out_dir, TRANSFORM_RETURN_FILE);
    char *xsd = NULL;
    unsigned long long expected;
    double t0 = log_now(), last_progress = t0;
    long sign_off = DATE_NONE;
    int rc, have, ypid_col = -1;
    unsigned long long ndeleted = 0;

    memset(&t, 0, sizeof(t));
    t.cfg = cfg;
    t.err = err;
    t.out_dir = xstrdup(opt->out_dir);
    bundle_init(&t.bundle);
    items_init(&t.items);
    child_cursor_init(&t.cur);
    deletions_init(&t.deleted);
    atomic_file_init(&t.errors_file);
    atomic_file_init(&af);
    manifest_init(&in);
    manifest_init(&out);

    if ((rc = config_require(cfg->yot_ou_code, "service", "yot_ou_code", cfg->path, err)) ||
        (rc = config_require(cfg->mappings, "return", "mappings", cfg->path, err)))
        goto done;
    if ((rc = mkdir_p(opt->out_dir, 0750, err)) != YJ_OK ||
        (rc = remove_old_outputs(opt->out_dir, err)) != YJ_OK)
        goto done;
    rc = manifest_read(&in, in_manifest, in_sha, err);
    if (rc != YJ_OK)
        goto done;
    if (!manifest_get(&in, "stage") || strcmp(manifest_get(&in, "stage"), "extract") != 0 ||
        !manifest_get(&in, "period")) {
        rc =
            yj_error_set(err, YJ_EX_IOERR, "manifest '%s' is not an extract manifest", in_manifest);
        goto done;
    }
    if ((rc = period_parse(manifest_get(&in, "period"), &period, err)) != YJ_OK)
        goto done;
    if (opt->sign_off) {
        if (date_parse(opt->sign_off, &sign_off) != 0) {
            rc = yj_error_set(err, YJ_EX_USAGE, "--sign-off '%s' is not a date (YYYY-MM-DD)",
                              opt->sign_off);
            goto done;
        }
        if (sign_off <= period.end) {
            rc = yj_error_set(err, YJ_EX_USAGE,
                              "--sign-off %s is not after the end of period %s: a return is "
                              "signed off once its quarter has ended",
                              opt->sign_off, period.label);
            goto done;
        }
    }
    if ((rc = bundle_for_period(&t.bundle, cfg->mappings, &period, err)) != YJ_OK)
        goto done;
    if ((rc = items_load(&t.items, t.bundle.dir, err)) != YJ_OK)
        goto done;
    xsd = path_join(t.bundle.dir, "cld.xsd");
    if ((rc = items_check_xsd(&t.items, xsd, err)) != YJ_OK)
        goto done;
    if ((rc = open_inputs(&t, opt->in_dir, &in)) != YJ_OK)
        goto done;
    if (opt->previous) {
        if ((rc = deletions_load(&t.deleted, opt->previous, err)) != YJ_OK)
            goto done;
        ypid_col = child_cursor_column(&t.cur, 0, "ypid");
        if (ypid_col < 0) {
            rc = yj_error_set(err, YJ_EX_IOERR, "staged file '%s' has no column 'ypid'",
                              t.cur.src[0].reader.name);
            goto done;
        }
    }
    expected = t.cur.src[0].reader.expect->rows;
    if ((rc = atomic_file_open(&af, xml_path, 0600, err)) != YJ_OK)
        goto done;
    log_info("transform: period %s, bundle %s, %d items, %llu children", period.label,
             t.bundle.name, t.items.nitems, expected);
    xmlout_init(&t.xml, &af, err);
    write_envelope(&t, &in, &period, sign_off, expected);

    for (;;) {
        if ((rc = child_cursor_next(&t.cur, &have, err)) != YJ_OK)
            goto done;
        if (!have)
            break;
        write_child(&t);
        if (ypid_col >= 0 && t.cur.src[0].rows[0].f[ypid_col])
            deletions_mark(&t.deleted, t.cur.src[0].rows[0].f[ypid_col]);
        if (t.io_status != YJ_OK || t.xml.status != YJ_OK) {
            rc = t.io_status != YJ_OK ? t.io_status : t.xml.status;
            goto done;
        }
        if (t.cur.children % 10000 == 0 && log_now() - last_progress >= 5.0) {
            last_progress = log_now();
            log_info("progress: %llu of %llu children (%.0f%%)", t.cur.children, expected,
                     100.0 * (double)t.cur.children / (double)(expected ? expected : 1));
        }
    }
    for (size_t i = 0; i < t.deleted.n; i++)
        if (!t.deleted.seen[i]) {
            xmlout_open(&t.xml, "deletion", NULL);
            xmlout_elem(&t.xml, "ypid", t.deleted.ypids[i]);
            xmlout_close(&t.xml);
            ndeleted++;
        }
    xmlout_close(&t.xml);
    if ((rc = xmlout_flush(&t.xml)) != YJ_OK)
        goto done;
    if (t.data_errors) {
        struct yj_error e2;
        if (t.errors_file.fp && atomic_file_commit(&t.errors_file, &e2) != YJ_OK)
            log_yj_error(&e2);
        rc = yj_error_set(err, YJ_EX_DATAERR,
                          "%llu data error%s in the warehouse: no return "
                          "written",
                          t.data_errors, t.data_errors == 1 ? "" : "s");
        yj_error_detail(err,
                        "every error is listed, with its value, in '%s/errors.txt' (mode 0600)",
                        opt->out_dir);
        yj_error_hint(err, "add the missing codes to the mapping files or correct the records, "
                           "then run again");
        goto done;
    }
    if ((rc = atomic_file_commit(&af, err)) != YJ_OK)
        goto done;
    sha256_final_hex(&af.hash, hex);

    manifest_set(&out, "stage", "transform");
    manifest_set(&out, "yjreturns_version", YJ_VERSION);
    manifest_set(&out, "period", period.label);
    manifest_set(&out, "bundle", t.bundle.name);
    manifest_set(&out, "schema_version", t.bundle.schema_version);
    manifest_set(&out, "as_of", manifest_get(&in, "as_of") ? manifest_get(&in, "as_of") : "-");
    manifest_set(&out, "sign_off_date", opt->sign_off ? opt->sign_off : "-");
    manifest_set(&out, "period_complete", period_complete(&in, &period) ? "yes" : "no");
    manifest_set(&out, "input_manifest_sha256", in_sha);
    manifest_set(&out, "items_sha256", t.items.sha256);
    manifest_set(&out, "previous_return_sha256", opt->previous ? t.deleted.sha256 : "-");
    {
        char n[32];
        snprintf(n, sizeof(n), "%llu", ndeleted);
        manifest_set(&out, "deletions", n);
    }
    for (int i = 0; i < t.items.nmaps; i++) {
        char key[300];
        snprintf(key, sizeof(key), "map_sha256.%s", t.items.maps[i].name);
        manifest_set(&out, key, t.items.maps[i].sha256);
    }
    manifest_add_file(&out, TRANSFORM_RETURN_FILE, t.cur.children, af.bytes, hex);
    if ((rc = manifest_write(&out, out_manifest, err)) != YJ_OK)
        goto done;
    if (ndeleted)
        log_info("%llu child%s of the previous return notified as deleted", ndeleted,
                 ndeleted == 1 ? "" : "ren");
    log_info("transform done: %llu children, %llu bytes in %.2f s (arena high water %zu bytes)",
             t.cur.children, af.bytes, log_now() - t0, t.cur.arena.high_water);
done:
    xmlout_release(&t.xml);
    atomic_file_release(&af);
    atomic_file_release(&t.errors_file);
    child_cursor_release(&t.cur);
    deletions_release(&t.deleted);
    items_release(&t.items);
    bundle_release(&t.bundle);
    manifest_release(&in);
    manifest_release(&out);
    free(t.src);
    free(t.used);
    free(t.out_dir);
    free(xsd);
    free(in_manifest);
    free(out_manifest);
    free(xml_path);
    return rc;
}
