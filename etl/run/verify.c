/*
 * verify.c - yj-run --verify [--receiver] RUNS_ROOT (see audit.h, docs/design.md "Auditing"
 * and "Run seal").
 *
 * Reads, never writes, never locks. Every file of a run is covered by a hash something else
 * names: data files by their stage's MANIFEST, the staged MANIFEST by the return MANIFEST's
 * input_manifest_sha256, the manifests, reports, receipts and kept answers by RUN's sealed
 * lines, RUN's lines by its record_sha256; the seal by every ledger entry of the run's
 * uploads, the ledger by its chain, and (with --receiver) every name the ledger says was
 * received by the receiver itself. Findings name paths, lines, sizes and hashes, never a row
 * value. This file walks the runs root, the stage folders, reports, receipts and the ledger;
 * verify_seal.c checks each RUN record.
 */
#include "audit.h"
#include "verify.h"

#include "atomic.h"
#include "error.h"
#include "https.h"
#include "latest.h"
#include "ledger.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "receipt.h"
#include "report.h"
#include "rundir.h"
#include "seal.h"
#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

void
verify_finding(struct verify *v, int problem, const char *fmt, ...)
{
    va_list ap;

    fputs(problem ? "problem " : "incomplete ", v->out);
    va_start(ap, fmt);
    vfprintf(v->out, fmt, ap);
    va_end(ap);
    fputc('\n', v->out);
    if (problem)
        v->problems++;
    else
        v->incomplete++;
}

/* The line number (from 1) of the manifest line "file NAME ...", or 0. */
static unsigned long
manifest_file_line(const char *mpath, const char *name)
{
    char key[1024];

    snprintf(key, sizeof(key), "file %s", name);
    return manifest_key_line(mpath, key);
}

/* Reports every regular file under DIR (recursively; PREFIX is its name relative to the
 * stage folder) that the manifest M does not list. */
static void
unlisted_files(struct verify *v, const char *dir, const char *prefix, const struct manifest *m,
               const char *mpath)
{
    struct dirent **ents = NULL;
    int n = scandir(dir, &ents, rundir_not_dot, alphasort);

    for (int i = 0; i < n; i++) {
        char *path = path_join(dir, ents[i]->d_name);
        char *rel = prefix ? path_join(prefix, ents[i]->d_name) : xstrdup(ents[i]->d_name);
        struct stat st;

        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            unlisted_files(v, path, rel, m, mpath);
        else if (strcmp(rel, RUNDIR_MANIFEST) != 0 && !manifest_find_file(m, rel))
            verify_finding(v, 1, "%s: not listed in %s", path, mpath);
        free(rel);
        free(path);
        free(ents[i]);
    }
    free(ents);
}

/* Checks the stage folder DIR against its MANIFEST. MUST: the stage ran (its folder exists
 * or the RUN file says it succeeded). FAILED: the run failed, so a folder without a MANIFEST
 * is incomplete rather than wrong. */
static void
verify_stage(struct verify *v, const char *dir, int must, int failed, int tsv_removed)
{
    char *mpath = path_join(dir, RUNDIR_MANIFEST);
    struct manifest m;
    struct yj_error e;

    manifest_init(&m);
    if (access(mpath, F_OK) != 0) {
        if (must || rundir_is_dir(dir)) {
            if (failed)
                verify_finding(v, 0, "%s: no MANIFEST (the run did not finish)", dir);
            else
                verify_finding(v, 1, "%s: no MANIFEST", dir);
        }
        free(mpath);
        return;
    }
    if (manifest_read(&m, mpath, NULL, &e) != YJ_OK) {
        verify_finding(v, 1, "%s", e.message);
        manifest_release(&m);
        free(mpath);
        return;
    }
    for (size_t i = 0; i < m.nfiles; i++) {
        const struct manifest_file *f = &m.files[i];
        char *path = path_join(dir, f->name);
        char hex[SHA256_HEX_LEN + 1];
        unsigned long long bytes = 0;
        size_t len = strlen(f->name);

        if (tsv_removed && len > 4 && strcmp(f->name + len - 4, ".tsv") == 0 &&
            access(path, F_OK) != 0 && errno == ENOENT) {
            free(path); /* removed once the run succeeded: only the MANIFEST stays */
            continue;
        }
        v->files++;
        if (sha256_file(path, hex, &bytes) != 0)
            verify_finding(v, 1, "%s: %s; %s line %lu lists it", path, strerror(errno), mpath,
                           manifest_file_line(mpath, f->name));
        else if (bytes != f->bytes || strcmp(hex, f->sha256) != 0)
            verify_finding(v, 1, "%s: %llu bytes sha256 %s; %s line %lu says %llu bytes sha256 %s",
                           path, bytes, hex, mpath, manifest_file_line(mpath, f->name), f->bytes,
                           f->sha256);
        free(path);
    }
    unlisted_files(v, dir, NULL, &m, mpath);
    manifest_release(&m);
    free(mpath);
}

static int
is_receipt(const struct dirent *d)
{
    const char *base = rundir_name(RD_SUBMIT_RECEIPT);
    size_t n = strlen(base);

    return strcmp(d->d_name, base) == 0 ||
           (strncmp(d->d_name, base, n) == 0 && d->d_name[n] == '-' && strlen(d->d_name) == n + 5 &&
            strspn(d->d_name + n + 1, "0123456789") == 4);
}

/* 1 if the ledger holds a "send" of SHA. Asked only of a receipt whose SHA-256 no entry
 * records as received: the next yj-submit asks the receiver for these bytes. */
static int
sent_unresolved(const struct verify *v, const char *sha)
{
    for (size_t k = 0; k < v->nle; k++)
        if (strcmp(v->le[k].sha256, sha) == 0 && strcmp(v->le[k].event, "send") == 0)
            return 1;
    return 0;
}

/* Checks each receipt of SUBMIT_DIR: its payload (the return file it names) has the bytes and
 * SHA-256 it records, and the ledger records that SHA-256 as received. A receipt whose
 * ledger entry is not written yet is incomplete, not a problem, while RUNNING (RUN says
 * result running: the upload may be under way) or while the ledger holds its send unresolved
 * (yj-submit stopped between the receipt and the entry; the next one records it). */
static void
verify_receipts(struct verify *v, const char *run_dir, int running)
{
    char *submit = rundir_path(run_dir, RD_SUBMIT_DIR);
    struct dirent **ents = NULL;
    int n = scandir(submit, &ents, is_receipt, alphasort);

    for (int i = 0; i < n; i++) {
        char *path = path_join(submit, ents[i]->d_name);
        struct receipt r;
        struct yj_error err;
        int rc;

        v->files++;
        yj_error_init(&err);
        if ((rc = receipt_read(path, &r, &err)) != YJ_OK && r.version == 0) {
            verify_finding(v, 1, "%s: %s", path, strerror(errno));
        } else if (rc != YJ_OK) {
            verify_finding(v, 1, "%s", err.message);
        } else if (!r.well_formed) {
            verify_finding(v, 1,
                           "%s: not a receipt (a file, sha256 or bytes line missing or malformed)",
                           path);
        } else {
            char *payload = path_join(run_dir, r.file);
            char hex[SHA256_HEX_LEN + 1];
            unsigned long long got = 0;
            int in_ledger = 0;

            if (sha256_file(payload, hex, &got) != 0)
                verify_finding(v, 1, "%s: %s; receipt %s line %lu names it", payload,
                               strerror(errno), path, r.file_line);
            else if (got != r.bytes || strcmp(hex, r.sha256) != 0)
                verify_finding(v, 1,
                               "%s: %llu bytes sha256 %s; receipt %s line %lu says %llu bytes "
                               "sha256 %s",
                               payload, got, hex, path,
                               got != r.bytes ? r.bytes_line : r.sha256_line, r.bytes, r.sha256);
            for (size_t k = 0; k < v->nle && !in_ledger; k++)
                in_ledger = strcmp(v->le[k].result, "received") == 0 &&
                            strcmp(v->le[k].sha256, r.sha256) == 0;
            if (!in_ledger && v->ledger_ok && (running || sent_unresolved(v, r.sha256)))
                verify_finding(
                    v, 0,
                    "%s line %lu: sha256 %s has no received entry in %s yet (%s; the next "
                    "yj-submit of the period records it)",
                    path, r.sha256_line, r.sha256, v->ledger,
                    running ? "RUN says the run is still going"
                            : "yj-submit stopped between the receipt and its ledger entry");
            else if (!in_ledger && (v->ledger_ok || !v->have_ledger))
                verify_finding(v, 1, "%s line %lu: sha256 %s has no received entry in %s", path,
                               r.sha256_line, r.sha256,
                               v->have_ledger ? v->ledger : "the ledger (missing)");
            free(payload);
        }
        free(path);
        free(ents[i]);
    }
    free(ents);
    free(submit);
}

/* Each document of the return (cld.xml or each part its MANIFEST lists) against its
 * validation report: a report there must be the report of the bytes the MANIFEST lists (which
 * verify_stage checks against the return), and when RUN says validation passed (VALIDATED),
 * each document must have one that says "result valid". */
static void
verify_reports(struct verify *v, const char *run_dir, int validated)
{
    char *vdir = rundir_path(run_dir, RD_VALIDATE_DIR);
    char *mpath = rundir_path(run_dir, RD_RETURN_MANIFEST);
    struct manifest m;
    struct yj_error e;

    manifest_init(&m);
    if (manifest_read(&m, mpath, NULL, &e) == YJ_OK) {
        for (size_t i = 0; i < m.nfiles; i++) {
            const struct manifest_file *f = &m.files[i];
            int same, valid, rc;
            char *report;

            if (!manifest_is_document(f->name))
                continue;
            report = rundir_part_file(vdir, RD_VALIDATE_REPORT, f->name);
            if ((rc = report_verdict(report, f->sha256, &same, &valid, NULL, &e)) > 0) {
                v->files++;
                verify_finding(v, 1, "%s", e.message);
            } else if (rc != 0) {
                if (validated)
                    verify_finding(v, 1, "%s: %s; RUN says %s passed validation", report,
                                   strerror(errno), f->name);
            } else {
                v->files++;
                if (!same)
                    verify_finding(v, 1, "%s: not the report of %s (sha256 %s, %s line %lu)",
                                   report, f->name, f->sha256, mpath,
                                   manifest_file_line(mpath, f->name));
                else if (validated && !valid)
                    verify_finding(v, 1,
                                   "%s: does not say \"result valid\"; RUN says %s passed "
                                   "validation",
                                   report, f->name);
            }
            free(report);
        }
    }
    manifest_release(&m);
    free(mpath);
    free(vdir);
}

/* One run directory: the RUN file, each stage's MANIFEST, the receipts, and the reruns in
 * it (rerun-<UTC time>/ folders: their staged and return folders). */
static void
verify_run(struct verify *v, const char *run_dir)
{
    char *run_file = rundir_path(run_dir, RD_RUN_FILE);
    struct runrec rr;
    struct yj_error e;
    enum runrec_result result = RUNREC_NONE; /* also when RUN is missing or unreadable */
    static const struct {
        enum rundir_id dir;
        enum stage stage;
    } stages[] = {{RD_STAGED_DIR, STAGE_EXTRACT},
                  {RD_RETURN_DIR, STAGE_TRANSFORM},
                  {RD_KPI_DIR, STAGE_KPI},
                  {RD_REPORT_DIR, STAGE_REPORT}};
    int failed, st;

    v->runs++;
    runrec_init(&rr);
    if (access(run_file, F_OK) != 0)
        verify_finding(v, 0, "%s: no RUN file (a run in progress, or one that was stopped)",
                       run_dir);
    else if (runrec_read(&rr, run_file, &e) != YJ_OK)
        verify_finding(v, 1, "%s", e.message);
    else {
        result = runrec_result(&rr);
        if (result == RUNREC_NONE)
            verify_finding(v, 1, "%s: no result line", run_file);
        else if (result == RUNREC_RUNNING)
            verify_finding(v, 0,
                           "%s: RUN says result running: the run is still going, or it was killed "
                           "(SIGKILL, a crash, a power cut) before it could record its end",
                           run_dir);
        else
            verify_run_outcome(v, run_dir, &rr);
        verify_seal(v, run_dir, run_file, &rr);
    }
    verify_input_hash(v, run_dir, rundir_entry(RD_RETURN_MANIFEST)->path, "input_manifest_sha256",
                      rundir_entry(RD_STAGED_MANIFEST)->path);
    verify_input_hash(v, run_dir, rundir_entry(RD_KPI_MANIFEST)->path, "return_manifest_sha256",
                      rundir_entry(RD_RETURN_MANIFEST)->path);
    verify_input_hash(v, run_dir, rundir_entry(RD_REPORT_MANIFEST)->path, "return_manifest_sha256",
                      rundir_entry(RD_RETURN_MANIFEST)->path);
    /* a run that did not succeed (failed, interrupted) or has no RUN file yet may lack a
     * MANIFEST: that is what an unfinished stage leaves */
    failed = result != RUNREC_VALIDATED && result != RUNREC_SUBMITTED;
    for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
        char *dir = rundir_path(run_dir, stages[i].dir);
        int ok = result != RUNREC_NONE && runrec_status(&rr, stages[i].stage, &st) && st == 0;
        verify_stage(v, dir, ok, failed,
                     i == 0 && result != RUNREC_NONE && runrec_staged_removed(&rr));
        free(dir);
    }
    verify_reports(v, run_dir,
                   result != RUNREC_NONE && runrec_status(&rr, STAGE_VALIDATE, &st) && st == 0);
    verify_receipts(v, run_dir, result == RUNREC_NONE || result == RUNREC_RUNNING);
    {
        struct dirent **ents = NULL;
        int n = scandir(run_dir, &ents, rundir_not_dot, alphasort);
        for (int i = 0; i < n; i++) {
            if (strncmp(ents[i]->d_name, RUNDIR_RERUN_PREFIX, strlen(RUNDIR_RERUN_PREFIX)) == 0) {
                char *rdir = path_join(run_dir, ents[i]->d_name);
                char *staged = rundir_path(rdir, RD_STAGED_DIR),
                     *ret = rundir_path(rdir, RD_RETURN_DIR);
                if (rundir_is_dir(rdir)) {
                    char *rec = path_join(rdir, rundir_name(RD_RERUN_FILE));
                    struct runrec m;
                    int removed;
                    runrec_init(&m);
                    removed = runrec_read(&m, rec, &e) == YJ_OK && runrec_staged_removed(&m);
                    verify_stage(v, staged, 0, 1, removed);
                    verify_stage(v, ret, 0, 1, 0);
                    runrec_release(&m);
                    free(rec);
                }
                free(staged);
                free(ret);
                free(rdir);
            }
            free(ents[i]);
        }
        free(ents);
    }
    runrec_release(&rr);
    free(run_file);
}

/* 1 if a receipt in SUBMIT_DIR records the payload SHA-256 SHA. */
static int
has_receipt_for(const char *submit_dir, const char *sha)
{
    struct dirent **ents = NULL;
    int n = scandir(submit_dir, &ents, is_receipt, alphasort), found = 0;

    for (int i = 0; i < n; i++) {
        char *path = path_join(submit_dir, ents[i]->d_name);
        found |= !found && receipt_is_of(path, sha);
        free(path);
        free(ents[i]);
    }
    free(ents);
    return found;
}

/* The run folder a ledger entry names, found by its last three parts SERVICE/PERIOD/RUN
 * under RUNS_ROOT (so a runs root that was moved or copied is checked itself, not the place
 * it came from); malloc'd, NULL if it is not there. */
static char *
entry_run_dir(const char *runs_root, const struct ledger_entry *e)
{
    const char *p = e->run + strlen(e->run);
    int slashes = 0;

    while (p > e->run && slashes < 3)
        if (*--p == '/' && ++slashes == 3) {
            char *here = path_join(runs_root, p + 1);
            if (rundir_is_dir(here))
                return here;
            free(here);
        }
    return NULL;
}

/* Every upload the ledger records as received (an answer, or a check that found it at the
 * receiver) must have its receipt in the run folder the entry names: the evidence of what
 * was sent stays in the runs root. ("already" entries send nothing and keep the first
 * receipt.) Every entry that carries a seal must name the seal of that run folder's
 * manifests and reports as they are now. */
static void
verify_ledger_runs(struct verify *v, const char *runs_root)
{
    char *cached_dir = NULL, cached[SHA256_HEX_LEN + 1] = ""; /* the last run folder's seal */
    int cached_rc = 0;

    for (size_t i = 0; i < v->nle; i++) {
        const struct ledger_entry *e = &v->le[i];
        int received = strcmp(e->result, "received") == 0 && strcmp(e->event, "already") != 0;
        int sealed = strcmp(e->seal, "-") != 0;
        char *dir, *submit;

        if (!received && !sealed)
            continue;
        if (!(dir = entry_run_dir(runs_root, e))) {
            if (received)
                verify_finding(
                    v, 1,
                    "%s line %llu: part %s of %s %s was received, but its run folder '%s' is "
                    "not in the runs root",
                    v->ledger, e->n, e->part, e->service, e->period, e->run);
            continue;
        }
        if (sealed) {
            /* a run's entries follow one another: its seal is computed once */
            if (!cached_dir || strcmp(cached_dir, dir) != 0) {
                free(cached_dir);
                cached_dir = xstrdup(dir);
                cached_rc = seal_compute(dir, cached) != 0 ? errno : 0;
            }
            if (cached_rc)
                verify_finding(v, 1, "%s line %llu: seal %s; the files of %s cannot be read: %s",
                               v->ledger, e->n, e->seal, dir, strerror(cached_rc));
            else if (strcmp(cached, e->seal) != 0)
                verify_finding(v, 1,
                               "%s line %llu: seal %s, but the manifests and reports of %s give %s",
                               v->ledger, e->n, e->seal, dir, cached);
        }
        submit = rundir_path(dir, RD_SUBMIT_DIR);
        if (received && !has_receipt_for(submit, e->sha256))
            verify_finding(v, 1, "%s line %llu: sha256 %s received, but %s has no receipt for it",
                           v->ledger, e->n, e->sha256, submit);
        free(submit);
        free(dir);
    }
    free(cached_dir);
}

/* --receiver: a HEAD of every content-addressed name the ledger says was received
 * ([submit] url + SERVICE-PERIOD-SHA256.xml), once each. The receiver must hold it with the
 * ledger's length: a ledger whose hashes were recomputed after an edit names bytes the
 * receiver never got. Returns YJ_OK, or YJ_EX_UNAVAILABLE when the receiver gave no answer
 * (the rest is not asked). */
static int
verify_receiver(struct verify *v, const struct yj_config *cfg)
{
    double deadline = cfg->submit_deadline > 0 ? cfg->submit_deadline : 300;
    double t0 = log_now();
    unsigned long asked = 0;

    for (size_t i = 0; i < v->nle; i++) {
        const struct ledger_entry *e = &v->le[i];
        const char *base = cfg->submit_url;
        struct https_answer a;
        int seen = 0;
        char *url;

        if (strcmp(e->result, "received") != 0)
            continue;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(v->le[k].result, "received") == 0 &&
                   strcmp(v->le[k].sha256, e->sha256) == 0 &&
                   strcmp(v->le[k].service, e->service) == 0 &&
                   strcmp(v->le[k].period, e->period) == 0;
        if (seen)
            continue;
        url = https_upload_url(base, e->service, e->period, e->sha256);
        https_head(cfg, url, deadline - (log_now() - t0) > 1 ? deadline - (log_now() - t0) : 1, &a);
        asked++;
        if (!a.ok) {
            log_error("could not ask the receiver for '%s': %s", url, a.error);
            free(url);
            return YJ_EX_UNAVAILABLE;
        }
        if (a.http == 200 && (a.length < 0 || (unsigned long long)a.length == e->bytes))
            ;
        else if (a.http == 200)
            verify_finding(
                v, 1, "%s line %llu: the receiver holds %lld bytes under %s, the ledger says %llu",
                v->ledger, e->n, a.length, url, e->bytes);
        else
            verify_finding(
                v, 1,
                "%s line %llu: the receiver does not hold %s (HTTP %ld): the ledger says it "
                "received these bytes",
                v->ledger, e->n, url, a.http);
        free(url);
    }
    log_info("verify: asked the receiver for %lu name%s", asked, asked == 1 ? "" : "s");
    return YJ_OK;
}

/* The period's latest link, if there is one: a symbolic link whose target is a run folder's
 * name (a stamp), relative. The run it names is checked as every run is (a run whose RUN was
 * edited, or a folder removed, is a finding of its own). */
static void
verify_latest(struct verify *v, const char *period_dir)
{
    char *link = path_join(period_dir, rundir_name(RD_LATEST)), *target = latest_target(period_dir);
    struct stat st;

    if (lstat(link, &st) != 0)
        ;
    else if (!target)
        verify_finding(v, 1, "%s: not a symbolic link", link);
    else if (!rundir_is_stamp(target))
        verify_finding(v, 1, "%s: points at '%s', not a run folder of the period", link, target);
    free(target);
    free(link);
}

/* rundir_each_period() callbacks: there is a period folder; verify each run folder of one. */
static int
any_period(const char *period_dir, void *arg)
{
    (void)period_dir;
    (void)arg;
    return 1;
}

static int
verify_period(const char *period_dir, void *arg)
{
    struct dirent **runs = NULL;
    int nr = scandir(period_dir, &runs, rundir_run_filter, alphasort);

    verify_latest(arg, period_dir);
    for (int j = 0; j < nr; j++) {
        char *rdir = path_join(period_dir, runs[j]->d_name);
        if (rundir_is_dir(rdir))
            verify_run(arg, rdir);
        free(rdir);
        free(runs[j]);
    }
    free(runs);
    return 0;
}

/* Refuses, before anything is checked, a RUNS_ROOT that is a run folder (it holds RUN or a
 * stage folder) or a folder holding neither runs nor a ledger: "verified 0 runs" would pass
 * it. Returns YJ_OK or YJ_EX_NOINPUT (logged). */
static int
check_runs_root(const char *runs_root)
{
    static const enum rundir_id run_parts[] = {RD_RUN_FILE, RD_STAGED_DIR, RD_RETURN_DIR,
                                               RD_SUBMIT_DIR};
    int found;

    for (size_t i = 0; i < sizeof(run_parts) / sizeof(run_parts[0]); i++) {
        char *p = rundir_path(runs_root, run_parts[i]);
        int there = access(p, F_OK) == 0;
        free(p);
        if (there) {
            log_error("'%s' is a run directory, not a runs root: give the folder that holds "
                      "<yot_ou_code>/<period>/<run>/ and the ledger",
                      runs_root);
            return YJ_EX_NOINPUT;
        }
    }
    {
        char *ledger = rundir_path(runs_root, RD_LEDGER);
        found = access(ledger, F_OK) == 0;
        free(ledger);
    }
    if (!found)
        found = rundir_each_period(runs_root, any_period, NULL);
    if (!found) {
        log_error("runs root '%s' holds no <yot_ou_code>/<period>/ folder and no ledger: nothing "
                  "to verify",
                  runs_root);
        return YJ_EX_NOINPUT;
    }
    return YJ_OK;
}

int
audit_verify(const char *runs_root, const struct yj_config *receiver, FILE *out)
{
    struct verify v = {.out = out, .runs_root = runs_root};
    int rc = YJ_OK;
    double t0 = log_now();

    if (!rundir_is_dir(runs_root)) {
        log_error("runs root '%s' is not a folder: %s", runs_root,
                  strerror(errno ? errno : ENOTDIR));
        return YJ_EX_NOINPUT;
    }
    if ((rc = check_runs_root(runs_root)) != YJ_OK)
        return rc;
    log_info("verify: runs root %s", runs_root);
    v.ledger = rundir_path(runs_root, RD_LEDGER);
    v.have_ledger = access(v.ledger, F_OK) == 0;
    if (v.have_ledger) {
        struct ledger_check lc;
        struct yj_error e;
        yj_error_init(&e);
        v.files++;
        if (ledger_read(v.ledger, &lc, &v.le, &v.nle, &e) != YJ_OK) {
            verify_finding(&v, 1, "%s", e.message); /* and its entries are not compared */
        } else {
            /* the ledger has been read back whole and its chain holds: a write to it that was
             * not known to be durable (a failed fsync left ledger.dirty) now counts as read
             * back, and appends may go on. The one thing --verify ever writes. */
            int was_dirty = 0;
            v.ledger_ok = 1;
            yj_error_init(&e);
            if (ledger_mark_durable(v.ledger, &was_dirty, &e) != YJ_OK)
                verify_finding(&v, 1, "%s", e.message);
            else if (was_dirty)
                log_info("ledger %s: a write to it was not known to be on disk; read back whole "
                         "and synced: submissions may append to it again",
                         v.ledger);
            if (lc.torn_bytes)
                verify_finding(&v, 0,
                               "%s: a torn last line of %zu bytes after entry %llu (a crash while "
                               "appending; the next yj-submit moves it aside)",
                               v.ledger, lc.torn_bytes, lc.entries);
        }
    }
    rundir_each_period(runs_root, verify_period, &v);
    verify_ledger_runs(&v, runs_root);
    if (receiver && v.ledger_ok)
        rc = verify_receiver(&v, receiver);
    fprintf(out, "verified %lu run%s, %lu file%s, ledger %s: %lu problem%s, %lu incomplete\n",
            v.runs, v.runs == 1 ? "" : "s", v.files, v.files == 1 ? "" : "s",
            !v.have_ledger                       ? "absent"
            : receiver && v.ledger_ok && rc == 0 ? "checked, and at the receiver"
                                                 : "checked",
            v.problems, v.problems == 1 ? "" : "s", v.incomplete);
    fflush(out);
    log_info("verify done: %lu runs, %lu files, %lu problems, %lu incomplete in %.2f s", v.runs,
             v.files, v.problems, v.incomplete, log_now() - t0);
    ledger_entries_free(v.le, v.nle);
    free(v.ledger);
    return v.problems ? YJ_EX_IOERR : rc;
}
