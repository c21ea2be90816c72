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
 *
 * This file owns the driver, transform_run(): it opens the inputs and the previous return's
 * deletions, removes the old outputs, streams the children into the parts and commits them
 * with the MANIFEST. The child/item writer is writer.c; the parts' envelopes, their
 * temporary files and cld.zip are parts.c (shared private declarations: transform_int.h).
 */
#include "transform.h"
#include "transform_int.h"

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
#include "partfeed.h"
#include "period.h"
#include "xmlout.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

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

/* The driver's state for one run, beside the writer's (struct tx). */
struct txrun {
    struct tx t;
    const struct transform_options *opt;
    struct manifest in; /* the staged MANIFEST */
    char in_sha[SHA256_HEX_LEN + 1];
    char *in_manifest;
    struct yj_period period;
    long sign_off;      /* DATE_NONE when not given */
    char *previous_sha; /* the previous return's parts' SHA-256s, or NULL */
    int ypid_col;       /* the person file's ypid column, with --previous; else -1 */
    struct atomic_file af;
    struct part *files; /* the parts (or cld.xml), then cld.zip */
    unsigned nparts, cur;
    unsigned long long expected, per_part, ndeleted;
    double t0;                               /* when the run began */
    char school_age_sha[SHA256_HEX_LEN + 1]; /* the bundle's school_age.conf, for the MANIFEST */
    int feed; /* --parts-fd: the socket the parts feed goes to, or -1 */
};

/* Reads the staged MANIFEST: yj-extract's, of the period asked for. */
static int
read_staged_manifest(struct txrun *r, struct yj_error *err)
{
    const char *stage;
    int rc;

    if ((rc = manifest_read(&r->in, r->in_manifest, r->in_sha, err)) != YJ_OK)
        return rc;
    stage = manifest_get(&r->in, "stage");
    if (!stage || strcmp(stage, "extract") != 0 || !manifest_get(&r->in, "period"))
        return yj_error_set(err, YJ_EX_IOERR, "manifest '%s' is not an extract manifest",
                            r->in_manifest);
    return staged_manifest_matches(&r->in, r->in_manifest, r->in_sha, r->opt, &r->period, err);
}

/* --sign-off: a date after the period's end, not after today (period_sign_off). */
static int
parse_sign_off(struct txrun *r, struct yj_error *err)
{
    const char *text = r->opt->sign_off;

    if (!text)
        return YJ_OK;
    return period_sign_off(text, &r->period, date_today(), &r->sign_off, err);
}

/* The period's bundle, its items checked against its XSD, the staged files bound to them and
 * the previous return's children (--previous). */
static int
load_bundle_and_inputs(struct txrun *r, struct yj_error *err)
{
    struct tx *t = &r->t;
    char *xsd;
    int rc;

    if ((rc = bundle_for_period(&t->bundle, t->cfg->mappings, &r->period, err)) != YJ_OK ||
        (rc = bundle_school_age(t->bundle.dir, &t->bundle.school_age, r->school_age_sha, err)) !=
            YJ_OK ||
        (rc = items_load(&t->items, t->bundle.dir, err)) != YJ_OK)
        return rc;
    xsd = path_join(t->bundle.dir, "cld.xsd");
    rc = items_check_xsd(&t->items, xsd, err);
    free(xsd);
    if (rc != YJ_OK || (rc = open_inputs(t, r->opt->in_dir, &r->in)) != YJ_OK)
        return rc;
    if (!r->opt->previous || !r->opt->previous[0])
        return YJ_OK;
    if ((rc = load_previous(t, r->opt, &r->previous_sha)) != YJ_OK)
        return rc;
    r->ypid_col = child_cursor_column(&t->cur, 0, "ypid");
    if (r->ypid_col < 0)
        return yj_error_set(err, YJ_EX_IOERR, "staged file '%s' has no column 'ypid'",
                            t->cur.src[0].reader.name);
    return YJ_OK;
}

/* How many parts (the person file's manifest row count against [return] children_per_part),
 * their names and the children each envelope counts; then cld.zip's. */
static int
plan_parts(struct txrun *r, struct yj_error *err)
{
    const struct yj_config *cfg = r->t.cfg;
    unsigned long long per_part = r->per_part, expected = r->expected;

    if (per_part && expected > per_part) {
        unsigned long long n = (expected + per_part - 1) / per_part;
        if (n > RUNDIR_MAX_PARTS) {
            yj_error_set(err, YJ_EX_CONFIG,
                         "config file '%s': [return] children_per_part = %llu splits %llu "
                         "children into %llu parts, more than %d",
                         cfg->path, per_part, expected, n, RUNDIR_MAX_PARTS);
            yj_error_hint(err, "raise children_per_part to at least %llu",
                          (expected + RUNDIR_MAX_PARTS - 1) / RUNDIR_MAX_PARTS);
            return YJ_EX_CONFIG;
        }
        r->nparts = (unsigned)n;
    }
    r->files = xcalloc((size_t)r->nparts + 1, sizeof(*r->files));
    for (unsigned i = 0; i < r->nparts; i++) {
        char name[32];
        unsigned long long left = expected - (unsigned long long)i * per_part;
        if (r->nparts > 1)
            snprintf(name, sizeof(name), RUNDIR_PART_FORMAT, i + 1);
        r->files[i].path = path_join(r->opt->out_dir, r->nparts > 1 ? name : RUNDIR_RETURN_XML);
        r->files[i].documents = r->nparts > 1 && left > per_part ? per_part : left;
    }
    partfeed_write_parts(r->feed, r->nparts, period_complete(&r->in, &r->period));
    r->files[r->nparts].path = path_join(r->opt->out_dir, RUNDIR_RETURN_ZIP);
    r->files[r->nparts].tmp_path = path_join(r->opt->out_dir, RUNDIR_RETURN_ZIP ATOMIC_TMP_SUFFIX);
    if (r->nparts > 1)
        log_info("transform: period %s, bundle %s, %d items, %llu children in %u parts of %llu",
                 r->period.label, r->t.bundle.name, r->t.items.nitems, expected, r->nparts,
                 per_part);
    else
        log_info("transform: period %s, bundle %s, %d items, %llu children", r->period.label,
                 r->t.bundle.name, r->t.items.nitems, expected);
    return YJ_OK;
}

/* Ends part K of the return, and tells the parts feed it is whole. */
static int
close_part(struct txrun *r, unsigned k)
{
    struct part *p = &r->files[k];
    int rc = tx_part_close(&r->t, &r->af, p);

    if (rc == YJ_OK)
        partfeed_write_part(r->feed, strrchr(p->path, '/') + 1, p->children, p->sha256);
    return rc;
}

/* Streams every child into the parts, opening the next part when one is full; then the
 * deletion notices, in the last part. */
static int
write_children(struct txrun *r, struct yj_error *err)
{
    struct tx *t = &r->t;
    double last_progress = r->t0;
    int rc, have;

    if ((rc = tx_part_open(t, &r->af, &r->files[0], &r->in, &r->period, r->sign_off, 1,
                           r->nparts)) != YJ_OK)
        return rc;
    for (;;) {
        if ((rc = child_cursor_next(&t->cur, &have, err)) != YJ_OK)
            return rc;
        if (!have)
            break;
        /* child k (counted from 1) goes in part (k - 1) / per_part; a surplus child (the
         * cursor then fails on the row count) stays in the last */
        if (r->cur + 1 < r->nparts && (t->cur.children - 1) / r->per_part > r->cur) {
            if ((rc = close_part(r, r->cur)) != YJ_OK ||
                (rc = tx_part_open(t, &r->af, &r->files[r->cur + 1], &r->in, &r->period,
                                   r->sign_off, r->cur + 2, r->nparts)) != YJ_OK)
                return rc;
            r->cur++;
        }
        tx_write_child(t);
        r->files[r->cur].children++;
        if (r->ypid_col >= 0 && t->cur.src[0].rows[0].f[r->ypid_col])
            deletions_mark(&t->deleted, t->cur.src[0].rows[0].f[r->ypid_col]);
        if (t->io_status != YJ_OK || t->xml.status != YJ_OK)
            return t->io_status != YJ_OK ? t->io_status : t->xml.status;
        if (t->cur.children % 10000 == 0 && log_now() - last_progress >= 5.0) {
            last_progress = log_now();
            log_info("progress: %llu of %llu children (%.0f%%)", t->cur.children, r->expected,
                     100.0 * (double)t->cur.children / (double)(r->expected ? r->expected : 1));
        }
    }
    for (size_t i = 0; i < t->deleted.n; i++)
        if (!t->deleted.seen[i]) {
            xmlout_open(&t->xml, "deletion", NULL);
            xmlout_elem(&t->xml, "ypid", t->deleted.ypids[i]);
            xmlout_close(&t->xml);
            r->ndeleted++;
        }
    if (r->cur + 1 != r->nparts)
        return yj_error_set(err, YJ_EX_IOERR,
                            "staged file '%s' holds %llu children, its manifest says %llu",
                            t->cur.src[0].reader.name, t->cur.children, r->expected);
    return xmlout_flush(&t->xml);
}

/* Data errors were found: errors.txt is kept, and the run fails with no return. */
static int
fail_on_data_errors(struct txrun *r, struct yj_error *err)
{
    struct tx *t = &r->t;
    struct yj_error e2;

    if (!t->data_errors)
        return YJ_OK;
    if (t->errors_file.fp && atomic_file_commit(&t->errors_file, &e2) != YJ_OK)
        log_yj_error(&e2);
    yj_error_set(err, YJ_EX_DATAERR, "%llu data error%s in the warehouse: no return written",
                 t->data_errors, t->data_errors == 1 ? "" : "s");
    yj_error_detail(err, "every error is listed, with its value, in '%s/errors.txt' (mode 0600)",
                    r->opt->out_dir);
    yj_error_hint(err, "add the missing codes to the mapping files or correct the records, "
                       "then run again");
    return YJ_EX_DATAERR;
}

/* The return's MANIFEST, written last: what it was made from, and each file. Returns the
 * bytes of the documents through *bytes. */
static int
write_manifest(struct txrun *r, unsigned long long *bytes, struct yj_error *err)
{
    const struct transform_options *opt = r->opt;
    struct tx *t = &r->t;
    unsigned nfiles = r->nparts + (t->cfg->email_zip ? 1u : 0u);
    struct manifest out;
    char *path = path_join(opt->out_dir, RUNDIR_MANIFEST), n[32];
    int rc;

    manifest_init(&out);
    manifest_set(&out, "stage", "transform");
    manifest_set(&out, "yjreturns_version", YJ_VERSION);
    manifest_set(&out, "period", r->period.label);
    manifest_set(&out, "bundle", t->bundle.name);
    manifest_set(&out, "schema_version", t->bundle.schema_version);
    manifest_set(&out, "as_of",
                 manifest_get(&r->in, "as_of") ? manifest_get(&r->in, "as_of") : "-");
    manifest_set(&out, "sign_off_date", opt->sign_off ? opt->sign_off : "-");
    manifest_set(&out, "period_complete", period_complete(&r->in, &r->period) ? "yes" : "no");
    manifest_set(&out, "input_manifest_sha256", r->in_sha);
    manifest_set(&out, "items_sha256", t->items.sha256);
    manifest_set(&out, "previous_return_sha256", r->previous_sha ? r->previous_sha : "-");
    snprintf(n, sizeof(n), "%llu", r->ndeleted);
    manifest_set(&out, "deletions", n);
    for (int i = 0; i < t->items.nmaps; i++) {
        char key[300];
        snprintf(key, sizeof(key), "map_sha256.%s", t->items.maps[i].name);
        manifest_set(&out, key, t->items.maps[i].sha256);
    }
    /* the school-age rule is a mapping file too: a rerun refuses it changed, like a map */
    manifest_set(&out, "map_sha256." SCHOOL_AGE_FILE, r->school_age_sha);
    *bytes = 0;
    for (unsigned i = 0; i < nfiles; i++) {
        const struct part *f = &r->files[i];
        manifest_add_file(&out, strrchr(f->path, '/') + 1,
                          i < r->nparts ? f->children : t->cur.children, f->bytes, f->sha256);
        *bytes += i < r->nparts ? f->bytes : 0;
    }
    rc = manifest_write(&out, path, err);
    manifest_release(&out);
    free(path);
    return rc;
}

static void
txrun_init(struct txrun *r, const struct yj_config *cfg, const struct transform_options *opt,
           struct yj_error *err)
{
    memset(r, 0, sizeof(*r));
    r->t.cfg = cfg;
    r->t.err = err;
    r->t.out_dir = xstrdup(opt->out_dir);
    bundle_init(&r->t.bundle);
    items_init(&r->t.items);
    child_cursor_init(&r->t.cur);
    deletions_init(&r->t.deleted);
    atomic_file_init(&r->t.errors_file);
    r->opt = opt;
    manifest_init(&r->in);
    r->in_manifest = path_join(opt->in_dir, RUNDIR_MANIFEST);
    r->sign_off = DATE_NONE;
    r->ypid_col = -1;
    atomic_file_init(&r->af);
    r->nparts = 1;
    r->per_part = cfg->children_per_part;
    r->t0 = log_now();
    r->feed = -1;
}

/* Frees the run; a failed run (FAILED) leaves none of the return's files. */
static void
txrun_release(struct txrun *r, int failed)
{
    xmlout_release(&r->t.xml);
    atomic_file_release(&r->af);
    tx_release_files(r->files, r->files ? r->nparts + 1 : 0, failed);
    free(r->previous_sha);
    atomic_file_release(&r->t.errors_file);
    child_cursor_release(&r->t.cur);
    deletions_release(&r->t.deleted);
    items_release(&r->t.items);
    bundle_release(&r->t.bundle);
    manifest_release(&r->in);
    free(r->t.src);
    free(r->t.used);
    free(r->t.out_dir);
    free(r->in_manifest);
}

int
transform_run(const struct yj_config *cfg, const struct transform_options *opt,
              struct yj_error *err)
{
    struct txrun r;
    unsigned long long bytes = 0;
    int rc;

    txrun_init(&r, cfg, opt, err);
    if (opt->parts_fd && (rc = cli_descriptor("parts-fd", opt->parts_fd, 1, &r.feed, err)) != YJ_OK)
        goto done;
    if ((rc = config_require(cfg->yot_ou_code, "service", "yot_ou_code", cfg->path, err)) ||
        (rc = config_require(cfg->mappings, "return", "mappings", cfg->path, err)))
        goto done;
    if ((rc = mkdir_p(opt->out_dir, RUNDIR_DIR_MODE, err)) != YJ_OK ||
        (rc = remove_old_outputs(opt->out_dir, err)) != YJ_OK ||
        (rc = read_staged_manifest(&r, err)) != YJ_OK || (rc = parse_sign_off(&r, err)) != YJ_OK ||
        (rc = load_bundle_and_inputs(&r, err)) != YJ_OK)
        goto done;
    r.expected = r.t.cur.src[0].reader.expect->rows;
    if ((rc = plan_parts(&r, err)) != YJ_OK || (rc = write_children(&r, err)) != YJ_OK ||
        (rc = fail_on_data_errors(&r, err)) != YJ_OK)
        goto done;
    if ((rc = close_part(&r, r.cur)) != YJ_OK ||
        (cfg->email_zip &&
         (rc = tx_write_zip(&r.files[r.nparts], r.files, r.nparts, err)) != YJ_OK) ||
        (rc = tx_commit_files(r.files, r.nparts + (cfg->email_zip ? 1 : 0), err)) != YJ_OK ||
        (rc = write_manifest(&r, &bytes, err)) != YJ_OK)
        goto done;
    partfeed_write_done(r.feed);
    if (r.ndeleted)
        log_info("%llu child%s of the previous return notified as deleted", r.ndeleted,
                 r.ndeleted == 1 ? "" : "ren");
    log_info("transform done: %llu children, %llu bytes in %.2f s (arena high water %zu bytes)",
             r.t.cur.children, bytes, log_now() - r.t0, r.t.cur.arena.high_water);
    if (r.nparts > 1 || cfg->email_zip)
        log_info("%u part%s%s%s", r.nparts, r.nparts == 1 ? "" : "s", cfg->email_zip ? " and " : "",
                 cfg->email_zip ? RUNDIR_RETURN_ZIP : "");
done:
    txrun_release(&r, rc != YJ_OK);
    return rc;
}
