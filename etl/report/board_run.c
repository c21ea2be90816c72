/*
 * board_run.c - yj-report's run: the indicators from the run's return, the trends from the
 * archive, the page and its PDF, then the report MANIFEST. See board_run.h.
 */
#include "board_run.h"

#include "atomic.h"
#include "board.h"
#include "board_indicators.h"
#include "board_pack.h"
#include "board_trend.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "rundir.h"
#include "sha256.h"
#include "staged.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

/* The files of report/ the MANIFEST lists, in the order it lists them (the PDF when written). */
static const enum rundir_id listed[] = {
    RD_REPORT_FTE,           RD_REPORT_CUSTODY, RD_REPORT_REOFFENDING, RD_REPORT_ETHNICITY,
    RD_REPORT_OFFENCE_TYPES, RD_REPORT_CASES,   RD_REPORT_TREND_KPI,   RD_REPORT_TREND_RECORDING,
    RD_REPORT_HTML,          RD_REPORT_PDF,
};

/* The lines of a file after its header (a CSV's rows), 0 for a file that is not text. */
static unsigned long long
data_lines(const char *path, int is_csv)
{
    unsigned long long lines = 0;
    char buf[65536];
    size_t n;
    FILE *f;

    if (!is_csv || !(f = fopen(path, "rb")))
        return 0;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        lines += staged_count_rows(buf, n);
    fclose(f);
    return lines > 0 ? lines - 1 : 0;
}

/* Lists OUT_DIR's file of row ID in M, with its rows, bytes and SHA-256. */
static int
list_file(struct manifest *m, const char *out_dir, enum rundir_id id, struct yj_error *err)
{
    const char *name = rundir_name(id), *dot = strrchr(name, '.');
    char *path = path_join(out_dir, name);
    char hex[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
    int rc = YJ_OK;

    if (sha256_file(path, hex, &bytes) != 0)
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read back '%s'", path);
    else
        manifest_add_file(m, name, data_lines(path, dot && strcmp(dot, ".csv") == 0), bytes, hex);
    free(path);
    return rc;
}

/* The report MANIFEST's facts: the run, the policy, the counts; then every file. */
static int
write_manifest(const struct report_settings *s, const struct board_data *d, const char *return_sha,
               const char *out_dir, int pdf, struct yj_error *err)
{
    struct manifest m;
    char num[32], *path = path_join(out_dir, RUNDIR_MANIFEST);
    int rc = YJ_OK;

    manifest_init(&m);
    manifest_set(&m, "stage", "report");
    manifest_set(&m, "yjreturns_version", YJ_VERSION);
    manifest_set(&m, "period", d->period);
    manifest_set(&m, "yot_ou_code", d->yot[0] ? d->yot : "-");
    manifest_set(&m, "as_of", d->as_of[0] ? d->as_of : "-");
    manifest_set(&m, "return_manifest_sha256", return_sha);
    snprintf(num, sizeof(num), "%u", s->quarters);
    manifest_set(&m, "quarters", num);
    snprintf(num, sizeof(num), "%zu", board_trend_quarters_with_figures(d));
    manifest_set(&m, "trend_quarters_with_figures", num);
    snprintf(num, sizeof(num), "%ld", s->policy.threshold);
    manifest_set(&m, "suppress_threshold", num);
    snprintf(num, sizeof(num), "%ld", s->policy.round_base);
    manifest_set(&m, "suppress_round", s->policy.round_base > 0 ? num : "none");
    manifest_set(&m, "suppress_secondary", s->policy.secondary ? "yes" : "no");
    manifest_set(&m, "pdf", pdf ? "yes" : "no");
    rundir_format_keys(&m, RD_REPORT_MANIFEST);
    for (size_t i = 0; i < sizeof(listed) / sizeof(listed[0]) && rc == YJ_OK; i++)
        if (listed[i] != RD_REPORT_PDF || pdf)
            rc = list_file(&m, out_dir, listed[i], err);
    if (rc == YJ_OK)
        rc = manifest_write(&m, path, err);
    manifest_release(&m);
    free(path);
    return rc;
}

/* The return MANIFEST's period and as-of moment into D, its SHA-256 into SHA. */
static int
read_return_manifest(const char *return_dir, struct board_data *d, char sha[SHA256_HEX_LEN + 1],
                     struct yj_error *err)
{
    char *path = path_join(return_dir, RUNDIR_MANIFEST);
    struct manifest m;
    const char *v;
    int rc;

    manifest_init(&m);
    rc = manifest_read(&m, path, sha, err);
    if (rc != YJ_OK)
        yj_error_hint(err, "yj-report reads a run whose return yj-transform wrote");
    else if (!(v = manifest_get(&m, "period")) || strlen(v) >= sizeof(d->period))
        rc = yj_error_set(err, YJ_EX_IOERR, "'%s' names no valid period", path);
    else {
        snprintf(d->period, sizeof(d->period), "%s", v);
        v = manifest_get(&m, "as_of");
        snprintf(d->as_of, sizeof(d->as_of), "%s", v ? v : "");
    }
    manifest_release(&m);
    free(path);
    return rc;
}

int
report_run(const struct report_settings *s, const struct report_paths *p, struct report_result *res,
           struct yj_error *err)
{
    struct board_data d;
    struct board_sources src;
    char return_sha[SHA256_HEX_LEN + 1];
    char *ret = rundir_path(p->run_dir, RD_RETURN_DIR),
         *staged = rundir_path(p->run_dir, RD_STAGED_DIR);
    char *out = rundir_path(p->run_dir, RD_REPORT_DIR), *manifest = path_join(out, RUNDIR_MANIFEST);
    int rc;

    memset(&d, 0, sizeof(d));
    memset(res, 0, sizeof(*res));
    snprintf(d.yot, sizeof(d.yot), "%s", p->yot);
    /* first of all: whatever fails below, the folder no longer looks complete */
    if (unlink(manifest) != 0 && errno != ENOENT && errno != ENOTDIR) {
        rc = yj_error_errno(err, YJ_EX_CANTCREAT, errno, "could not remove old '%s'", manifest);
        goto out;
    }
    if ((rc = read_return_manifest(ret, &d, return_sha, err)) != YJ_OK ||
        (rc = mkdir_p(out, RUNDIR_DIR_MODE, err)) != YJ_OK)
        goto out;
    src = (struct board_sources){.mappings = p->mappings,
                                 .period = d.period,
                                 .return_dir = ret,
                                 .staged = staged,
                                 .out_dir = out,
                                 .quarters = s->quarters,
                                 .custody_target_pct = s->custody_target_pct};
    log_info("indicators: reading the return of %s", d.period);
    if ((rc = board_indicators(&src, &d, err)) != YJ_OK ||
        (rc = board_indicators_write(out, &d, err)) != YJ_OK)
        goto out;
    log_info("trends: reading %u quarters of the archive '%s'", s->quarters, p->runs_root);
    if ((rc = board_trend(p->runs_root, p->yot, d.period, s->quarters, p->run_dir, &d, err)) !=
            YJ_OK ||
        (rc = board_trend_write(out, &d, err)) != YJ_OK)
        goto out;
    res->trend_quarters = board_trend_quarters_with_figures(&d);
    if ((rc = board_pack_html(out, &d, &s->policy, err)) != YJ_OK)
        goto out;
    if (s->pdf) {
        log_info("printing the pack to PDF with '%s'", s->browser);
        if ((rc = board_pack_pdf(out, s->browser, err)) != YJ_OK)
            goto out;
    }
    if ((rc = write_manifest(s, &d, return_sha, out, s->pdf, err)) != YJ_OK)
        goto out;
    res->pdf = s->pdf;
    snprintf(res->period, sizeof(res->period), "%s", d.period);
out:
    board_data_free(&d);
    free(ret);
    free(staged);
    free(out);
    free(manifest);
    return rc;
}

void
report_settings_of(const struct yj_config *cfg, int no_pdf, struct report_settings *s)
{
    memset(s, 0, sizeof(*s));
    s->quarters = (unsigned)cfg->quarters;
    s->policy.threshold = cfg->suppress_threshold;
    s->policy.round_base = cfg->suppress_round;
    s->policy.secondary = cfg->suppress_secondary;
    s->custody_target_pct = cfg->custody_target_pct;
    s->browser = cfg->browser ? cfg->browser : CONFIG_DEFAULT_BROWSER;
    s->pdf = cfg->pdf && !no_pdf;
}
