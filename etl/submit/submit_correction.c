/*
 * submit_correction.c - a correction shows what it corrects (docs/design.md "Corrections").
 *
 * Before a --resubmit sends other bytes for a period the receiver already has, the
 * record-level difference between the return received last (submit_number_submission() found
 * it in the ledger: its run folder's return/, which must still hold the bytes received) and
 * this one is written to RUN/submit/correction.csv by the rerun's writer (cldiff.h: the same
 * columns and format, mode 0600 because it quotes values), and counted on stderr and in every
 * receipt of the correction: children changed, added and removed, deletion notices, and the
 * differences per item and field, never a value. A correction in which no child's document
 * and no deletion notice differs (only the envelope: a new as-of moment) is refused (83); one
 * that cannot be compared (the corrected return is not on disk any more, or this run's staged
 * person file, which names the children by warehouse id, is gone) is refused too (66); both
 * go with --force-correction. Nothing here sends anything or appends to the ledger: a refused
 * correction leaves its diff and nothing else.
 */
#include "submit.h"
#include "submit_int.h"

#include "atomic.h"
#include "bundle.h"
#include "cldiff.h"
#include "items.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "rundir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

/* Why the corrected return cannot be compared with, into WHY (N bytes); 0 when it can: its
 * run folder's return/MANIFEST must list documents that are the bytes it lists and whose
 * SHA-256s make the return the ledger recorded as received. */
static int
corrected_gone(const struct session *s, char *why, size_t n)
{
    char *ret = rundir_path(s->corrects.run, RD_RETURN_DIR);
    char *mpath = rundir_path(s->corrects.run, RD_RETURN_MANIFEST);
    const char **shas = NULL;
    char hex[SHA256_HEX_LEN + 1];
    struct manifest m;
    struct yj_error e;
    size_t nd = 0;

    manifest_init(&m);
    why[0] = '\0';
    if (!rundir_is_dir(s->corrects.run))
        snprintf(why, n, "its run folder is not there any more (housekept or moved)");
    else if (manifest_read(&m, mpath, NULL, &e) != YJ_OK)
        snprintf(why, n, "%s", e.message);
    else {
        shas = xcalloc(m.nfiles + 1, sizeof(char *));
        for (size_t i = 0; i < m.nfiles && !why[0]; i++) {
            char *doc;
            unsigned long long bytes;
            if (!manifest_is_document(m.files[i].name))
                continue;
            doc = path_join(ret, m.files[i].name);
            if (sha256_file(doc, hex, &bytes) != 0)
                snprintf(why, n, "could not read '%s': %s", doc, strerror(errno));
            else if (strcmp(hex, m.files[i].sha256) != 0)
                snprintf(why, n, "'%s' is not the file '%s' lists", doc, mpath);
            shas[nd++] = m.files[i].sha256;
            free(doc);
        }
        if (!why[0]) {
            ledger_return_sha256(shas, nd, hex);
            if (nd == 0 || strcmp(hex, s->corrects.return_sha) != 0)
                snprintf(why, n, "'%s' holds another return than the one received", ret);
        }
    }
    free(shas);
    manifest_release(&m);
    free(mpath);
    free(ret);
    return why[0] != '\0';
}

/* The correction cannot be compared with what it corrects (WHY): refused (66) with HINT, or,
 * with --force-correction, said and sent without a diff. */
static int
cannot_compare(struct session *s, const char *why, const char *hint, struct yj_error *err)
{
    FILE *f;
    size_t len = 0;

    if (!s->opt->force_correction) {
        yj_error_set(err, YJ_EX_NOINPUT,
                     "%s %s: this correction cannot be compared with submission %lu (ledger "
                     "entry %llu, run %s), the return it corrects: nothing is sent",
                     s->cfg->yot_ou_code, s->period, s->corrects.seq, s->corrects.n,
                     s->corrects.run);
        yj_error_detail(err, "%s", why);
        yj_error_hint(err, "%s, or send it without the comparison with --force-correction", hint);
        return YJ_EX_NOINPUT;
    }
    log_warn("--force-correction: this correction is sent without a comparison with submission "
             "%lu (ledger entry %llu, run %s): %s",
             s->corrects.seq, s->corrects.n, s->corrects.run, why);
    f = open_memstream(&s->receipt_extra, &len);
    if (!f)
        return yj_error_errno(err, YJ_EX_SOFTWARE, errno, "could not make the receipt's lines");
    fprintf(f, "corrects submission %lu (ledger entry %llu, run %s)\n", s->corrects.seq,
            s->corrects.n, s->corrects.run);
    fprintf(f, "correction not compared (--force-correction): %s\n", why);
    fclose(f);
    return YJ_OK;
}

/* The items of the bundle of this run's return (its MANIFEST's schema_version). */
static int
load_items(const struct session *s, struct items *it, struct yj_error *err)
{
    char *mpath = rundir_path(s->opt->run_dir, RD_RETURN_MANIFEST);
    struct manifest m;
    struct bundle b;
    int rc;

    manifest_init(&m);
    bundle_init(&b);
    if ((rc = config_require(s->cfg->mappings, "return", "mappings", s->cfg->path, err)) == YJ_OK &&
        (rc = manifest_read(&m, mpath, NULL, err)) == YJ_OK) {
        const char *version = manifest_get(&m, "schema_version");
        if (!version)
            rc = yj_error_set(err, YJ_EX_IOERR, "'%s' has no schema_version", mpath);
        else if ((rc = bundle_for_version(&b, s->cfg->mappings, version, err)) == YJ_OK)
            rc = items_load(it, b.dir, err);
    }
    bundle_release(&b);
    manifest_release(&m);
    free(mpath);
    return rc;
}

/* The counts of a diff that say what a correction changes. */
struct changes {
    unsigned long long changed, added, removed, deletions;
};

static struct changes
changes_of(const struct cld_diff *d)
{
    struct changes c = {d->children_differ, d->only_now, d->only_sent, 0};

    for (size_t k = 0; k < d->nstats; k++)
        if (strcmp(d->stats[k].key, "deletion") == 0)
            c.deletions += d->stats[k].n;
    return c;
}

/* The counts on stderr and, for every receipt of the correction, in s->receipt_extra. */
static int
summarise(struct session *s, const struct cld_diff *d, const char *diff_path, struct yj_error *err)
{
    struct changes c = changes_of(d);
    char counts[256];
    struct manifest keys;
    size_t len = 0;
    FILE *f;

    snprintf(counts, sizeof(counts),
             "%llu child%s changed, %llu added, %llu removed, %llu deletion notice%s differ%s",
             c.changed, c.changed == 1 ? "" : "ren", c.added, c.removed, c.deletions,
             c.deletions == 1 ? "" : "s", c.deletions == 1 ? "s" : "");
    log_info("correction of %s %s submission %lu (ledger entry %llu, run %s): %s; %llu "
             "difference%s, listed in %s (mode 0600)",
             s->cfg->yot_ou_code, s->period, s->corrects.seq, s->corrects.n, s->corrects.run,
             counts, d->lines, d->lines == 1 ? "" : "s", diff_path);
    for (size_t k = 0; k < d->nstats; k++)
        log_info("correction: %s: %lu", d->stats[k].key, d->stats[k].n);
    free(s->receipt_extra);
    s->receipt_extra = NULL;
    f = open_memstream(&s->receipt_extra, &len);
    if (!f)
        return yj_error_errno(err, YJ_EX_SOFTWARE, errno, "could not make the receipt's lines");
    fprintf(f, "corrects submission %lu (ledger entry %llu, run %s)\n", s->corrects.seq,
            s->corrects.n, s->corrects.run);
    fprintf(f, "correction %s: %s; %llu difference%s\n", rundir_entry(RD_SUBMIT_CORRECTION)->path,
            counts, d->lines, d->lines == 1 ? "" : "s");
    for (size_t k = 0; k < d->nstats; k++)
        fprintf(f, "correction_count %s %lu\n", d->stats[k].key, d->stats[k].n);
    /* the format of every format-key file of submit/: correction.csv's */
    manifest_init(&keys);
    rundir_format_keys(&keys, RD_SUBMIT_RECEIPT);
    for (size_t k = 0; k < keys.nkv; k++)
        fprintf(f, "%s %s\n", keys.kv[k].key, keys.kv[k].value);
    manifest_release(&keys);
    fclose(f);
    return YJ_OK;
}

/* A correction that changes no child's document and no deletion notice: refused (83) unless
 * --force-correction. */
static int
no_change(struct session *s, const struct cld_diff *d, const char *diff_path, struct yj_error *err)
{
    char keys[512] = "";
    size_t len = 0;

    for (size_t k = 0; k < d->nstats && len + 2 < sizeof(keys); k++)
        len += (size_t)snprintf(keys + len, sizeof(keys) - len, "%s%s", k ? ", " : "",
                                d->stats[k].key);
    if (s->opt->force_correction) {
        log_warn("--force-correction: this correction changes no child's document of "
                 "submission %lu; it is sent as asked",
                 s->corrects.seq);
        return YJ_OK;
    }
    yj_error_set(err, YJ_EX_CORRECTION,
                 "%s %s: this return changes no child's document of submission %lu (ledger "
                 "entry %llu, run %s), only its envelope: it is not sent as a correction",
                 s->cfg->yot_ou_code, s->period, s->corrects.seq, s->corrects.n, s->corrects.run);
    yj_error_detail(err, "%llu difference%s (%s), listed in '%s'", d->lines,
                    d->lines == 1 ? "" : "s", len ? keys : "none a field shows", diff_path);
    yj_error_hint(err, "a run of unchanged data restates the return as of a new moment; if the "
                       "receiver must have it anyway, add --force-correction (yj-run --submit "
                       "--resubmit --force-correction)");
    return YJ_EX_CORRECTION;
}

int
submit_correction(struct session *s, struct yj_error *err)
{
    char *staged = rundir_path(s->opt->run_dir, RD_STAGED_DIR);
    char *ids = cld_diff_ids_file(staged);
    char *new_ret = rundir_path(s->opt->run_dir, RD_RETURN_DIR);
    char *old_ret = rundir_path(s->corrects.run, RD_RETURN_DIR);
    char *submit_dir = rundir_path(s->opt->run_dir, RD_SUBMIT_DIR);
    char *diff_path = rundir_path(s->opt->run_dir, RD_SUBMIT_CORRECTION);
    char why[2 * PATH_MAX];
    struct items it;
    struct cld_diff d;
    int rc;

    items_init(&it);
    cld_diff_init(&d);
    if (corrected_gone(s, why, sizeof(why))) {
        rc = cannot_compare(s, why,
                            "restore that run folder (or the runs root it was moved from) to "
                            "see what the correction changes",
                            err);
        goto done;
    }
    if (access(ids, R_OK) != 0) {
        snprintf(why, sizeof(why),
                 "this run's staged file '%s', which names the children by warehouse id, is "
                 "gone (a run that succeeded removes its staged files): %s",
                 ids, strerror(errno));
        rc = cannot_compare(s, why,
                            "send the correction from a new run (yj-run --submit --resubmit), "
                            "which compares before its staged files go",
                            err);
        goto done;
    }
    if ((rc = load_items(s, &it, err)) != YJ_OK ||
        (rc = mkdir_p(submit_dir, RUNDIR_DIR_MODE, err)) != YJ_OK ||
        (rc = cld_diff_write(&d, &it, old_ret, new_ret, staged, NULL, diff_path, err)) != YJ_OK ||
        (rc = summarise(s, &d, diff_path, err)) != YJ_OK)
        goto done;
    {
        struct changes c = changes_of(&d);
        if (c.changed + c.added + c.removed + c.deletions == 0)
            rc = no_change(s, &d, diff_path, err);
    }
done:
    cld_diff_release(&d);
    items_release(&it);
    free(staged);
    free(ids);
    free(new_ret);
    free(old_ret);
    free(submit_dir);
    free(diff_path);
    return rc;
}
