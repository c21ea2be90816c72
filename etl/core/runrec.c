/*
 * runrec.c - the RUN and RERUN records (runrec.h): every key name they hold, written and read
 * here only.
 *
 * A record is a manifest underneath, in the order its fields were first set: the bytes a run
 * writes are those manifest_write gives for that order, and the seal (seal.c) adds its lines
 * last. A reader never fails on a field it does not find: it says "not recorded".
 */
#include "runrec.h"

#include "rundir.h"
#include "seal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* The keys, once. */
#define K_STAGE "stage"
#define K_VERSION "yjreturns_version"
#define K_PERIOD "period"
#define K_AS_OF "as_of"
#define K_AS_OF_SOURCE "as_of_source"
#define K_SUBMIT "submit"
#define K_SIGN_OFF "sign_off_date"
#define K_PREVIOUS "previous_return"
#define K_LAST_STAGE "last_stage"
#define K_RESULT "result"
#define K_STATUS "status."
#define K_SECONDS "seconds."
#define K_CPU "cpu."
#define K_INTERRUPTED "interrupted"
#define K_STAGED_FILES "staged_files"
#define K_RUN "run"
#define K_WITH_CURRENT "with_current_mappings"
#define K_DIFFERENCES "differences"

/* The words of a field whose value is not free text. */
#define NONE "-"
#define YES "yes"
#define NO "no"
#define REMOVED "removed"
#define KEPT "kept"

static const char *const result_names[] = {[RUNREC_NONE] = NONE,
                                           [RUNREC_RUNNING] = "running",
                                           [RUNREC_VALIDATED] = "validated",
                                           [RUNREC_SUBMITTED] = "submitted",
                                           [RUNREC_FAILED] = "failed",
                                           [RUNREC_INTERRUPTED] = "interrupted",
                                           [RUNREC_IDENTICAL] = "identical",
                                           [RUNREC_DIFFERS] = "differs",
                                           [RUNREC_OTHER] = "?"};

void
runrec_init(struct runrec *r)
{
    manifest_init(&r->m);
}

void
runrec_release(struct runrec *r)
{
    manifest_release(&r->m);
}

int
runrec_read(struct runrec *r, const char *path, struct yj_error *err)
{
    return manifest_read(&r->m, path, NULL, err);
}

int
runrec_write(const struct runrec *r, const char *path, struct yj_error *err)
{
    return manifest_write(&r->m, path, err);
}

int
runrec_write_sealed(struct runrec *r, const char *run_dir, const char *path, struct yj_error *err)
{
    int rc;

    if (seal_run_record(&r->m, run_dir) != 0)
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not seal the run record '%s'", path);
    rc = manifest_write(&r->m, path, err);
    if (rc == YJ_OK && runrec_result(r) != RUNREC_RUNNING)
        seal_syslog("run %s: result %s seal %s record_sha256 %s", run_dir,
                    manifest_get(&r->m, K_RESULT), manifest_get(&r->m, SEAL_KEY),
                    manifest_get(&r->m, SEAL_RECORD_KEY));
    return rc;
}

/* ---- writing ---- */

static void
set_stage_key(struct runrec *r, const char *prefix, enum stage s, const char *value)
{
    char key[64];

    snprintf(key, sizeof(key), "%s%s", prefix, stage_table[s].name);
    manifest_set(&r->m, key, value);
}

void
runrec_begin(struct runrec *r, int rerun)
{
    manifest_set(&r->m, K_STAGE, rerun ? "rerun" : "run");
    manifest_set(&r->m, K_VERSION, YJ_VERSION);
}

void
runrec_set_period(struct runrec *r, const char *label)
{
    manifest_set(&r->m, K_PERIOD, label);
}

void
runrec_set_as_of(struct runrec *r, const char *as_of)
{
    manifest_set(&r->m, K_AS_OF, as_of ? as_of : NONE);
}

void
runrec_set_as_of_given(struct runrec *r, int given)
{
    manifest_set(&r->m, K_AS_OF_SOURCE, given ? "given" : "snapshot");
}

void
runrec_set_submit(struct runrec *r, int submit)
{
    manifest_set(&r->m, K_SUBMIT, submit ? YES : NO);
}

void
runrec_set_sign_off(struct runrec *r, const char *date)
{
    manifest_set(&r->m, K_SIGN_OFF, date ? date : NONE);
}

void
runrec_set_previous(struct runrec *r, const char *list)
{
    manifest_set(&r->m, K_PREVIOUS, list ? list : NONE);
}

void
runrec_set_last_stage(struct runrec *r, enum stage s)
{
    manifest_set(&r->m, K_LAST_STAGE, stage_table[s].name);
}

void
runrec_set_result(struct runrec *r, enum runrec_result result)
{
    manifest_set(&r->m, K_RESULT, result_names[result]);
}

void
runrec_set_status(struct runrec *r, enum stage s, int status)
{
    char val[32];

    snprintf(val, sizeof(val), "%d", status);
    set_stage_key(r, K_STATUS, s, val);
}

/* A "<prefix><stage> seconds" line, three decimals. */
static void
set_stage_seconds(struct runrec *r, const char *prefix, enum stage s, double seconds)
{
    char val[64];

    snprintf(val, sizeof(val), "%.3f", seconds);
    set_stage_key(r, prefix, s, val);
}

void
runrec_set_seconds(struct runrec *r, enum stage s, double seconds)
{
    set_stage_seconds(r, K_SECONDS, s, seconds);
}

void
runrec_set_cpu(struct runrec *r, enum stage s, double seconds)
{
    set_stage_seconds(r, K_CPU, s, seconds);
}

void
runrec_set_interrupted(struct runrec *r, const char *signal)
{
    manifest_set(&r->m, K_INTERRUPTED, signal);
}

void
runrec_set_staged_removed(struct runrec *r, int removed)
{
    manifest_set(&r->m, K_STAGED_FILES, removed ? REMOVED : KEPT);
}

void
runrec_set_run(struct runrec *r, const char *run_dir)
{
    manifest_set(&r->m, K_RUN, run_dir);
}

void
runrec_set_with_current_mappings(struct runrec *r, int with)
{
    manifest_set(&r->m, K_WITH_CURRENT, with ? YES : NO);
}

void
runrec_set_format_keys(struct runrec *r, enum rundir_id id)
{
    rundir_format_keys(&r->m, id);
}

void
runrec_set_differences(struct runrec *r, unsigned long long n)
{
    char val[32];

    snprintf(val, sizeof(val), "%llu", n);
    manifest_set(&r->m, K_DIFFERENCES, val);
}

/* ---- reading ---- */

enum runrec_result
runrec_result(const struct runrec *r)
{
    const char *v = manifest_get(&r->m, K_RESULT);

    if (!v)
        return RUNREC_NONE;
    for (int i = RUNREC_RUNNING; i < RUNREC_OTHER; i++)
        if (strcmp(v, result_names[i]) == 0)
            return (enum runrec_result)i;
    return RUNREC_OTHER;
}

const char *
runrec_result_name(enum runrec_result result)
{
    return result_names[result];
}

void
runrec_status_key(enum stage s, char *out, size_t len)
{
    snprintf(out, len, "%s%s", K_STATUS, stage_table[s].name);
}

int
runrec_status(const struct runrec *r, enum stage s, int *status)
{
    char key[64], *end;
    const char *v;
    long n;

    runrec_status_key(s, key, sizeof(key));
    if (!(v = manifest_get(&r->m, key)) || !*v)
        return 0;
    errno = 0;
    n = strtol(v, &end, 10);
    if (*end || errno || n < 0 || n > 255)
        return 0;
    *status = (int)n;
    return 1;
}

int
runrec_submit(const struct runrec *r)
{
    const char *v = manifest_get(&r->m, K_SUBMIT);

    return v && strcmp(v, NO) != 0;
}

int
runrec_staged_removed(const struct runrec *r)
{
    const char *v = manifest_get(&r->m, K_STAGED_FILES);

    return v && strcmp(v, REMOVED) == 0;
}

const char *
runrec_interrupted(const struct runrec *r)
{
    return manifest_get(&r->m, K_INTERRUPTED);
}

const char *
runrec_as_of(const struct runrec *r)
{
    const char *v = manifest_get(&r->m, K_AS_OF);

    return v && *v && strcmp(v, NONE) != 0 ? v : NULL;
}

const char *
runrec_previous(const struct runrec *r)
{
    const char *v = manifest_get(&r->m, K_PREVIOUS);

    return v && strcmp(v, NONE) != 0 ? v : NULL;
}

const char *
runrec_seal(const struct runrec *r)
{
    return manifest_get(&r->m, SEAL_KEY);
}

const char *
runrec_record_sha256(const struct runrec *r)
{
    return manifest_get(&r->m, SEAL_RECORD_KEY);
}

const char *
runrec_sealed(const struct runrec *r, const char *rel)
{
    char key[4200];

    snprintf(key, sizeof(key), "%s%s", SEAL_PREFIX, rel);
    return manifest_get(&r->m, key);
}

const struct manifest *
runrec_lines(const struct runrec *r)
{
    return &r->m;
}
