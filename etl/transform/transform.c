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
 * value. The old MANIFEST and return files are removed first, so a failed run never leaves a
 * folder that looks complete.
 *
 * Parts and zip: with [return] children_per_part = N and more than N children, the return is
 * written as parts cld-part-0001.xml ..., each a whole document whose envelope counts its own
 * children and says which part of how many it is; the number of children is the staged
 * person file's manifest row count, so every part's envelope is known before it is written
 * and the children still stream through. Deletion notices go in the last part. Every file is
 * written as name.tmp and synced; cld.zip (the email fallback, when [return] email_zip = yes)
 * is built from them; only then,
 * after every staged file has been read to its end and matched its manifest, is each renamed
 * into place, and the MANIFEST listing them all is written last. A failure removes them all.
 */
#include "transform.h"

#include "atomic.h"
#include "rundir.h"
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

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "banned.h"

#define MAX_ERRORS_ON_STDERR 10

/* The zip's fixed settings: deflate at level 6 and every entry dated 1980-01-01 00:00, the
 * first moment a zip can hold (MS-DOS date: (year - 1980) << 9 | month << 5 | day). */
#define ZIP_LEVEL 6
#define ZIP_DOS_TIME 0
#define ZIP_DOS_DATE ((0 << 9) | (1 << 5) | 1)

/* One file of the return (a part, cld.xml or cld.zip): written as name.tmp and synced, renamed
 * into place only once every file is complete. */
struct part {
    char *path;     /* the final name */
    char *tmp_path; /* the synced temporary file, until renamed */
    int renamed;
    unsigned long long documents; /* children its envelope counts */
    unsigned long long children;  /* children written */
    unsigned long long bytes;
    char sha256[SHA256_HEX_LEN + 1];
};

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
        char *path = path_join(t->out_dir, RUNDIR_RETURN_ERRORS);
        int rc = atomic_file_open(&t->errors_file, path, rundir_mode(RD_RETURN_ERRORS), &e2);
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

/* The envelope; a part of a split return (count > 1) also says which part it is. */
static void
write_envelope(struct tx *t, const struct manifest *m, const struct yj_period *p, long sign_off,
               unsigned long long children, unsigned number, unsigned count)
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
    if (count > 1) {
        xmlout_elem_long(&t->xml, "partNumber", (long)number);
        xmlout_elem_long(&t->xml, "partCount", (long)count);
    }
    xmlout_close(&t->xml);
}

/* Starts part NUMBER of COUNT: its temporary file and its envelope. */
static int
part_open(struct tx *t, struct atomic_file *af, const struct part *p, const struct manifest *m,
          const struct yj_period *period, long sign_off, unsigned number, unsigned count)
{
    int rc;

    if ((rc = atomic_file_open(af, p->path, rundir_mode(RD_RETURN_PART), t->err)) != YJ_OK)
        return rc;
    xmlout_init(&t->xml, af, t->err);
    write_envelope(t, m, period, sign_off, p->documents, number, count);
    return YJ_OK;
}

/* Ends the current part: closes the root element, syncs and closes the temporary file and
 * takes it over from the writer, so that it is renamed with the other files or removed. */
static int
part_close(struct tx *t, struct atomic_file *af, struct part *p)
{
    FILE *fp = af->fp;
    int rc;

    xmlout_close(&t->xml);
    rc = xmlout_flush(&t->xml);
    xmlout_release(&t->xml);
    if (rc != YJ_OK)
        return rc;
    af->fp = NULL;
    if (fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
        int e = errno;
        fclose(fp);
        return yj_error_errno(t->err, YJ_EX_IOERR, e, "could not write '%s'", af->tmp_path);
    }
    if (fclose(fp) != 0)
        return yj_error_errno(t->err, YJ_EX_IOERR, errno, "could not close '%s'", af->tmp_path);
    sha256_final_hex(&af->hash, p->sha256);
    p->bytes = af->bytes;
    p->tmp_path = af->tmp_path;
    af->tmp_path = NULL;
    atomic_file_release(af);
    return YJ_OK;
}

/* cld.zip, the email fallback: every file of the return, in order, in a zip that depends on
 * their bytes only. Each entry is deflated at a fixed level, dated 1980-01-01 00:00 and marked
 * a Unix file of mode 0600; libzip writes no extra field with times or owners. libzip writes
 * a file of its own beside ZIP->tmp_path and renames it over, keeping that file's mode, so
 * the temporary name is created with mode 0600 first. */
static int
write_zip(struct part *zip, const struct part *parts, unsigned n, struct yj_error *err)
{
    zip_t *za = NULL;
    int fd, zerr, rc = YJ_OK;

    fd = open(zip->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, rundir_mode(RD_RETURN_ZIP));
    if (fd < 0)
        return yj_error_errno(err, errno == EACCES ? YJ_EX_NOPERM : YJ_EX_CANTCREAT, errno,
                              "could not create '%s'", zip->tmp_path);
    fchmod(fd, (mode_t)rundir_mode(RD_RETURN_ZIP));
    close(fd);
    za = zip_open(zip->tmp_path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        rc = yj_error_set(err, YJ_EX_CANTCREAT, "could not create '%s': %s", zip->tmp_path,
                          zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    for (unsigned i = 0; i < n; i++) {
        const char *name = strrchr(parts[i].path, '/') + 1; /* path_join put one there */
        zip_source_t *src = zip_source_file(za, parts[i].tmp_path, 0, 0);
        zip_int64_t idx = src ? zip_file_add(za, name, src, ZIP_FL_ENC_GUESS) : -1;

        if (idx < 0) {
            if (src)
                zip_source_free(src);
            rc = yj_error_set(err, YJ_EX_IOERR, "could not add '%s' to '%s': %s", parts[i].tmp_path,
                              zip->tmp_path, zip_strerror(za));
            goto done;
        }
        if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, ZIP_LEVEL) != 0 ||
            zip_file_set_dostime(za, (zip_uint64_t)idx, ZIP_DOS_TIME, ZIP_DOS_DATE, 0) != 0 ||
            zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                             (zip_uint32_t)(S_IFREG | rundir_mode(RD_RETURN_PART))
                                                 << 16) != 0) {
            rc = yj_error_set(err, YJ_EX_SOFTWARE, "could not set up '%s' in '%s': %s", name,
                              zip->tmp_path, zip_strerror(za));
            goto done;
        }
    }
    if (zip_close(za) != 0) {
        rc = yj_error_set(err, YJ_EX_IOERR, "could not write '%s': %s", zip->tmp_path,
                          zip_strerror(za));
        goto done;
    }
    za = NULL;
    fd = open(zip->tmp_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not write '%s'", zip->tmp_path);
        if (fd >= 0)
            close(fd);
        goto done;
    }
    close(fd);
    if (sha256_file(zip->tmp_path, zip->sha256, &zip->bytes) != 0)
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", zip->tmp_path);
done:
    if (za)
        zip_discard(za);
    return rc;
}

/* Renames every file of the return into place, then syncs the folder. */
static int
commit_files(struct part *files, unsigned n, struct yj_error *err)
{
    for (unsigned i = 0; i < n; i++) {
        if (rename(files[i].tmp_path, files[i].path) != 0)
            return yj_error_errno(err, YJ_EX_IOERR, errno, "could not rename '%s' to '%s'",
                                  files[i].tmp_path, files[i].path);
        files[i].renamed = 1;
    }
    return n ? fsync_parent_dir(files[0].path, err) : YJ_OK;
}

/* Removes what a failed run wrote (renamed or not); frees the names. */
static void
release_files(struct part *files, unsigned n, int failed)
{
    for (unsigned i = 0; files && i < n; i++) {
        if (files[i].tmp_path && !files[i].renamed)
            unlink(files[i].tmp_path);
        if (failed && files[i].renamed)
            unlink(files[i].path);
        free(files[i].path);
        free(files[i].tmp_path);
    }
    free(files);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the ypids of FROM (another part of the previous return) to INTO; FROM is emptied. */
static void
merge_previous(struct deletions *into, struct deletions *from)
{
    into->ypids = xrealloc(into->ypids, (into->n + from->n + 1) * sizeof(char *));
    if (from->n)
        memcpy(into->ypids + into->n, from->ypids, from->n * sizeof(char *));
    into->n += from->n;
    from->n = 0;
    qsort(into->ypids, into->n, sizeof(char *), cmp_str);
    free(into->seen);
    into->seen = xcalloc(into->n ? into->n : 1, 1);
}

/* The previous return's ypids, from every part of it; *sha256s gets each part's SHA-256,
 * comma separated (malloc'd). */
static int
load_previous(struct tx *t, const struct transform_options *opt, char **sha256s)
{
    size_t len;
    int rc;

    if ((rc = deletions_load(&t->deleted, opt->previous[0], t->err)) != YJ_OK)
        return rc;
    len = strlen(t->deleted.sha256);
    *sha256s = xstrdup(t->deleted.sha256);
    for (int i = 1; opt->previous[i]; i++) {
        struct deletions more;
        deletions_init(&more);
        rc = deletions_load(&more, opt->previous[i], t->err);
        if (rc == YJ_OK) {
            *sha256s = xrealloc(*sha256s, len + 1 + SHA256_HEX_LEN + 1);
            (*sha256s)[len++] = ',';
            memcpy(*sha256s + len, more.sha256, SHA256_HEX_LEN + 1);
            len += SHA256_HEX_LEN;
            merge_previous(&t->deleted, &more);
        }
        deletions_release(&more);
        if (rc != YJ_OK)
            return rc;
    }
    return YJ_OK;
}

/* The staged MANIFEST is the one yj-extract wrote for the period asked for: its SHA-256 is the
 * one recorded when yj-extract ended (opt->in_sha256, which yj-run passes), its period the one
 * requested (opt->period), and its period_start and period_end that period's own days, so a
 * "period" line edited alone is seen even when nothing else is known. Any of these failing means
 * the staged folder is not what yj-extract left there: 74, as for a staged file edited. */
static int
staged_manifest_matches(const struct manifest *in, const char *path, const char *sha,
                        const struct transform_options *opt, struct yj_period *period,
                        struct yj_error *err)
{
    const char *start = manifest_get(in, "period_start"), *end = manifest_get(in, "period_end");
    char want_start[16], want_end[16];
    int rc;

    if (opt->in_sha256 && strcmp(opt->in_sha256, sha) != 0) {
        yj_error_set(err, YJ_EX_IOERR,
                     "staged manifest '%s' is not the one yj-extract wrote: its SHA-256 differs "
                     "from the one recorded",
                     path);
        yj_error_detail(err, "file %s, recorded %s", sha, opt->in_sha256);
        yj_error_hint(err, "run yj-extract again; staged files must not be edited");
        return YJ_EX_IOERR;
    }
    if ((rc = period_parse(manifest_get(in, "period"), period, err)) != YJ_OK) {
        char msg[YJ_ERROR_MSG_MAX];
        snprintf(msg, sizeof(msg), "%s", err->message);
        return yj_error_set(err, YJ_EX_IOERR, "staged manifest '%s': %s", path, msg);
    }
    if (opt->period && strcmp(opt->period, period->label) != 0) {
        yj_error_set(err, YJ_EX_IOERR,
                     "staged manifest '%s' is of period %s, not the period %s asked for (--period)",
                     path, period->label, opt->period);
        yj_error_hint(err, "run yj-extract for period %s", opt->period);
        return YJ_EX_IOERR;
    }
    date_format(period->start, want_start);
    date_format(period->end, want_end);
    if (!start || !end || strcmp(start, want_start) != 0 || strcmp(end, want_end) != 0) {
        yj_error_set(err, YJ_EX_IOERR,
                     "staged manifest '%s' is corrupt: its period_start and period_end are not "
                     "those of its period %s",
                     path, period->label);
        yj_error_hint(err, "run yj-extract again; staged files must not be edited");
        return YJ_EX_IOERR;
    }
    return YJ_OK;
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

static int
remove_old(const char *out_dir, const char *name, struct yj_error *err)
{
    char *p = path_join(out_dir, name);
    int e = unlink(p) != 0 && errno != ENOENT ? errno : 0;

    if (e)
        yj_error_errno(err, YJ_EX_CANTCREAT, e, "could not remove old '%s'", p);
    free(p);
    return e ? YJ_EX_CANTCREAT : YJ_OK;
}

/* Removes what a previous run left, MANIFEST first: a failed run leaves nothing that looks
 * complete. Old parts are every cld-part-*.xml. */
static int
remove_old_outputs(const char *out_dir, struct yj_error *err)
{
    static const char *const names[] = {RUNDIR_MANIFEST, RUNDIR_RETURN_XML, RUNDIR_RETURN_ZIP,
                                        RUNDIR_RETURN_ERRORS};
    size_t np = strlen(RUNDIR_PART_PREFIX);
    struct dirent *e;
    DIR *d;
    int rc = YJ_OK;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if ((rc = remove_old(out_dir, names[i], err)) != YJ_OK)
            return rc;
    d = opendir(out_dir);
    if (!d)
        return yj_error_errno(err, YJ_EX_CANTCREAT, errno, "could not read folder '%s'", out_dir);
    while (rc == YJ_OK && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > np + 4 && strncmp(e->d_name, RUNDIR_PART_PREFIX, np) == 0 &&
            strcmp(e->d_name + n - 4, ".xml") == 0)
            rc = remove_old(out_dir, e->d_name, err);
    }
    closedir(d);
    return rc;
}

int
transform_run(const struct yj_config *cfg, const struct transform_options *opt,
              struct yj_error *err)
{
    struct tx t;
    struct manifest in, out;
    struct yj_period period;
    struct atomic_file af;
    char in_sha[SHA256_HEX_LEN + 1];
    char *in_manifest = path_join(opt->in_dir, RUNDIR_MANIFEST);
    char *out_manifest = path_join(opt->out_dir, RUNDIR_MANIFEST);
    char *xsd = NULL, *previous_sha = NULL;
    struct part *files = NULL; /* the parts (or cld.xml), then cld.zip */
    unsigned nparts = 1, cur = 0;
    unsigned long long expected, per_part = cfg->children_per_part, bytes = 0;
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
    if ((rc = mkdir_p(opt->out_dir, RUNDIR_DIR_MODE, err)) != YJ_OK ||
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
    if ((rc = staged_manifest_matches(&in, in_manifest, in_sha, opt, &period, err)) != YJ_OK)
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
    if (opt->previous && opt->previous[0]) {
        if ((rc = load_previous(&t, opt, &previous_sha)) != YJ_OK)
            goto done;
        ypid_col = child_cursor_column(&t.cur, 0, "ypid");
        if (ypid_col < 0) {
            rc = yj_error_set(err, YJ_EX_IOERR, "staged file '%s' has no column 'ypid'",
                              t.cur.src[0].reader.name);
            goto done;
        }
    }
    expected = t.cur.src[0].reader.expect->rows;
    if (per_part && expected > per_part) {
        unsigned long long n = (expected + per_part - 1) / per_part;
        if (n > RUNDIR_MAX_PARTS) {
            rc = yj_error_set(err, YJ_EX_CONFIG,
                              "config file '%s': [return] children_per_part = %llu splits %llu "
                              "children into %llu parts, more than %d",
                              cfg->path, per_part, expected, n, RUNDIR_MAX_PARTS);
            yj_error_hint(err, "raise children_per_part to at least %llu",
                          (expected + RUNDIR_MAX_PARTS - 1) / RUNDIR_MAX_PARTS);
            goto done;
        }
        nparts = (unsigned)n;
    }
    files = xcalloc((size_t)nparts + 1, sizeof(*files));
    for (unsigned i = 0; i < nparts; i++) {
        char name[32];
        unsigned long long left = expected - (unsigned long long)i * per_part;
        if (nparts > 1)
            snprintf(name, sizeof(name), RUNDIR_PART_FORMAT, i + 1);
        files[i].path = path_join(opt->out_dir, nparts > 1 ? name : RUNDIR_RETURN_XML);
        files[i].documents = nparts > 1 && left > per_part ? per_part : left;
    }
    files[nparts].path = path_join(opt->out_dir, RUNDIR_RETURN_ZIP);
    files[nparts].tmp_path = path_join(opt->out_dir, RUNDIR_RETURN_ZIP ".tmp");
    if (nparts > 1)
        log_info("transform: period %s, bundle %s, %d items, %llu children in %u parts of %llu",
                 period.label, t.bundle.name, t.items.nitems, expected, nparts, per_part);
    else
        log_info("transform: period %s, bundle %s, %d items, %llu children", period.label,
                 t.bundle.name, t.items.nitems, expected);
    if ((rc = part_open(&t, &af, &files[0], &in, &period, sign_off, 1, nparts)) != YJ_OK)
        goto done;

    for (;;) {
        if ((rc = child_cursor_next(&t.cur, &have, err)) != YJ_OK)
            goto done;
        if (!have)
            break;
        /* child k (counted from 1) goes in part (k - 1) / per_part; a surplus child (the
         * cursor then fails on the row count) stays in the last */
        if (cur + 1 < nparts && (t.cur.children - 1) / per_part > cur) {
            if ((rc = part_close(&t, &af, &files[cur])) != YJ_OK ||
                (rc = part_open(&t, &af, &files[cur + 1], &in, &period, sign_off, cur + 2,
                                nparts)) != YJ_OK)
                goto done;
            cur++;
        }
        write_child(&t);
        files[cur].children++;
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
    if (cur + 1 != nparts) {
        rc = yj_error_set(err, YJ_EX_IOERR,
                          "staged file '%s' holds %llu children, its manifest says %llu",
                          t.cur.src[0].reader.name, t.cur.children, expected);
        goto done;
    }
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
    if ((rc = part_close(&t, &af, &files[cur])) != YJ_OK ||
        (cfg->email_zip && (rc = write_zip(&files[nparts], files, nparts, err)) != YJ_OK) ||
        (rc = commit_files(files, nparts + (cfg->email_zip ? 1 : 0), err)) != YJ_OK)
        goto done;

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
    manifest_set(&out, "previous_return_sha256", previous_sha ? previous_sha : "-");
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
    for (unsigned i = 0; i < nparts + (cfg->email_zip ? 1u : 0u); i++) {
        manifest_add_file(&out, strrchr(files[i].path, '/') + 1,
                          i < nparts ? files[i].children : t.cur.children, files[i].bytes,
                          files[i].sha256);
        bytes += i < nparts ? files[i].bytes : 0;
    }
    if ((rc = manifest_write(&out, out_manifest, err)) != YJ_OK)
        goto done;
    if (ndeleted)
        log_info("%llu child%s of the previous return notified as deleted", ndeleted,
                 ndeleted == 1 ? "" : "ren");
    log_info("transform done: %llu children, %llu bytes in %.2f s (arena high water %zu bytes)",
             t.cur.children, bytes, log_now() - t0, t.cur.arena.high_water);
    if (nparts > 1 || cfg->email_zip)
        log_info("%u part%s%s%s", nparts, nparts == 1 ? "" : "s", cfg->email_zip ? " and " : "",
                 cfg->email_zip ? RUNDIR_RETURN_ZIP : "");
done:
    xmlout_release(&t.xml);
    atomic_file_release(&af);
    release_files(files, files ? nparts + 1 : 0, rc != YJ_OK);
    free(previous_sha);
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
    return rc;
}
