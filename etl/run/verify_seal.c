/*
 * verify_seal.c - yj-run --verify's checks of a run's RUN record (see verify.h and
 * docs/design.md "Run seal"): its record_sha256, its sealed lines against their files, its
 * seal, the files it leaves unsealed, the manifests' input hashes, and what RUN says of a run
 * that did not succeed. It reads; verify.c walks the runs root and counts.
 */
#include "verify.h"

#include "atomic.h"
#include "mem.h"
#include "rundir.h"
#include "seal.h"
#include "sha256.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* 1 for a path in the run's submit/ folder. */
static int
in_submit(const char *rel)
{
    const char *dir = rundir_entry(RD_SUBMIT_DIR)->path;
    size_t n = strlen(dir);
    return strncmp(rel, dir, n) == 0 && rel[n] == '/';
}

/* 1 for submit/answer-NNNNNN: the name the kept answers' format gives, whatever its number. */
static int
is_kept_answer(const char *rel)
{
    char prefix[64];
    size_t n;

    snprintf(prefix, sizeof(prefix), RUNDIR_ANSWER_FORMAT, 0ULL);
    n = strcspn(prefix, "0123456789");
    return in_submit(rel) &&
           strncmp(rel + strlen(rundir_entry(RD_SUBMIT_DIR)->path) + 1, prefix, n) == 0;
}

/* The manifest MPATH's KEY names the SHA-256 of the manifest OF (the one it read): the
 * staged MANIFEST by the return MANIFEST's input_manifest_sha256, the return MANIFEST by the
 * KPI MANIFEST's return_manifest_sha256. */
void
verify_input_hash(struct verify *v, const char *run_dir, const char *mrel, const char *key,
                  const char *ofrel)
{
    char *mpath = path_join(run_dir, mrel), *of = path_join(run_dir, ofrel);
    char hex[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
    struct manifest m;
    struct yj_error e;
    const char *want;

    manifest_init(&m);
    if (manifest_read(&m, mpath, NULL, &e) == YJ_OK && (want = manifest_get(&m, key)) != NULL &&
        sha256_file(of, hex, &bytes) == 0 && strcmp(hex, want) != 0)
        verify_finding(v, 1, "%s: sha256 %s; %s line %lu says %s %s", of, hex, mpath,
                       manifest_key_line(mpath, key), key, want);
    manifest_release(&m);
    free(mpath);
    free(of);
}

/* RUN's seal (seal.h): its record_sha256 over its other lines, every "sealed.<path>" line
 * against the file, the seal against the sealed lines, and every file the seal covers (and
 * every file of submit/, and report/MANIFEST) that RUN does not seal. An unsealed file is
 * incomplete, not a problem, while RUN says running (the next write seals it), in submit/ when
 * the run was not submitted (a later yj-submit of the run wrote it; its ledger entries cover
 * it), and for report/MANIFEST (a later yj-report of a run made without a pack wrote it). */
void
verify_seal(struct verify *v, const char *run_dir, const char *run_file, const struct runrec *rr)
{
    const struct manifest *rm = runrec_lines(rr);
    enum runrec_result result = runrec_result(rr);
    char hex[SHA256_HEX_LEN + 1];
    const char *have;
    size_t plen = strlen(SEAL_PREFIX);
    int running = result == RUNREC_RUNNING;
    char **files;

    v->files++; /* RUN */
    {
        int any = runrec_seal(rr) || runrec_record_sha256(rr);
        for (size_t i = 0; i < rm->nkv && !any; i++)
            any = strncmp(rm->kv[i].key, SEAL_PREFIX, plen) == 0;
        if (!any) {
            /* one line, not one per file: the whole record is unsealed */
            verify_finding(v, 1,
                           "%s: no seal lines (a run made before yjreturns sealed its runs, or its "
                           "seal lines were removed)",
                           run_file);
            return;
        }
    }
    seal_record_sha256(rm, hex);
    if (!(have = runrec_record_sha256(rr)))
        verify_finding(v, 1, "%s: no %s line: RUN is not sealed", run_file, SEAL_RECORD_KEY);
    else if (strcmp(have, hex) != 0)
        verify_finding(
            v, 1, "%s line %lu: %s %s, but its other lines give %s: a line of RUN was changed",
            run_file, manifest_key_line(run_file, SEAL_RECORD_KEY), SEAL_RECORD_KEY, have, hex);
    for (size_t i = 0; i < rm->nkv; i++) {
        const char *key = rm->kv[i].key, *rel = key + plen;
        char *path;
        unsigned long long bytes;

        if (strncmp(key, SEAL_PREFIX, plen) != 0)
            continue;
        path = path_join(run_dir, rel);
        if (strstr(rel, "..") || rel[0] == '/')
            verify_finding(v, 1, "%s line %lu: '%s' is not a file of the run", run_file,
                           manifest_key_line(run_file, key), rel);
        else if (sha256_file(path, hex, &bytes) != 0)
            verify_finding(v, 1, "%s: %s; %s line %lu seals it", path, strerror(errno), run_file,
                           manifest_key_line(run_file, key));
        else if (strcmp(hex, rm->kv[i].value) != 0)
            verify_finding(v, 1, "%s: sha256 %s; %s line %lu says %s", path, hex, run_file,
                           manifest_key_line(run_file, key), rm->kv[i].value);
        if (strstr(rel, RUNDIR_MANIFEST) || is_kept_answer(rel))
            v->files++; /* the receipts and reports are counted where they are read */
        free(path);
    }
    seal_of_record(rm, hex);
    if (!(have = runrec_seal(rr)))
        verify_finding(v, 1, "%s: no %s line: the run's manifests and reports are not sealed",
                       run_file, SEAL_KEY);
    else if (strcmp(have, hex) != 0)
        verify_finding(v, 1, "%s line %lu: %s %s, but its sealed lines give %s", run_file,
                       manifest_key_line(run_file, SEAL_KEY), SEAL_KEY, have, hex);
    files = seal_files(run_dir, 1);
    for (size_t i = 0; files[i]; i++) {
        if (!runrec_sealed(rr, files[i])) {
            char *path = path_join(run_dir, files[i]);
            const char *why = running ? "the run is still going"
                              : in_submit(files[i]) && result != RUNREC_SUBMITTED
                                  ? "written by a yj-submit after the run ended"
                              : strcmp(files[i], rundir_entry(RD_REPORT_MANIFEST)->path) == 0
                                  ? "written by a yj-report after the run ended"
                                  : NULL;
            if (why)
                verify_finding(v, 0, "%s: not sealed in %s (%s)", path, run_file, why);
            else
                verify_finding(v, 1, "%s: not sealed in %s", path, run_file);
            free(path);
        }
        free(files[i]);
    }
    free(files);
}

/* RUN says the run did not succeed: it is listed, with the stage that failed. */
void
verify_run_outcome(struct verify *v, const char *run_dir, const struct runrec *rr)
{
    enum runrec_result result = runrec_result(rr);

    if (result == RUNREC_INTERRUPTED) {
        const char *sig = runrec_interrupted(rr);
        verify_finding(v, 0, "%s: RUN says result interrupted (%s)", run_dir,
                       sig ? sig : "a signal");
    } else if (result == RUNREC_FAILED) {
        int failed = -1, st = 0;
        for (int s = STAGE_EXTRACT; s <= STAGE_REPORT && failed < 0; s++)
            if (runrec_status(rr, (enum stage)s, &st) && st != 0)
                failed = s;
        if (failed >= 0) {
            char key[64];
            runrec_status_key((enum stage)failed, key, sizeof(key));
            verify_finding(v, 0, "%s: RUN says result failed (%s %d)", run_dir, key, st);
        } else
            verify_finding(v, 0, "%s: RUN says result failed", run_dir);
    }
}
