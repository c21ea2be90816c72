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
    if ((rc = bundle_for_period(&t.bundle, cfg->mappings, &period, err)) != YJ_OK ||
        (rc = bundle_school_age(t.bundle.dir, &t.bundle.school_age, NULL, err)) != YJ_OK)
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
    if ((rc = tx_part_open(&t, &af, &files[0], &in, &period, sign_off, 1, nparts)) != YJ_OK)
        goto done;

    for (;;) {
        if ((rc = child_cursor_next(&t.cur, &have, err)) != YJ_OK)
            goto done;
        if (!have)
            break;
        /* child k (counted from 1) goes in part (k - 1) / per_part; a surplus child (the
         * cursor then fails on the row count) stays in the last */
        if (cur + 1 < nparts && (t.cur.children - 1) / per_part > cur) {
            if ((rc = tx_part_close(&t, &af, &files[cur])) != YJ_OK ||
                (rc = tx_part_open(&t, &af, &files[cur + 1], &in, &period, sign_off, cur + 2,
                                   nparts)) != YJ_OK)
                goto done;
            cur++;
        }
        tx_write_child(&t);
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
    if ((rc = tx_part_close(&t, &af, &files[cur])) != YJ_OK ||
        (cfg->email_zip && (rc = tx_write_zip(&files[nparts], files, nparts, err)) != YJ_OK) ||
        (rc = tx_commit_files(files, nparts + (cfg->email_zip ? 1 : 0), err)) != YJ_OK)
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
    tx_release_files(files, files ? nparts + 1 : 0, rc != YJ_OK);
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
