/*
 * board_trend_write.c - the trends' CSVs, trend_kpi.csv and trend_recording.csv
 * (board_trend.h; columns in docs/trends.md), and how many quarters hold figures.
 *
 * Each file is written whole under a temporary name, synced and renamed (atomic.h), so a
 * reader sees the old file or the new one. Values are exact as the archive holds them; a row
 * without figures has empty numbers and its mark says why.
 */
#include "board_trend.h"

#include "atomic.h"
#include "mem.h"
#include "rundir.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* Opens OUT_DIR's file of row ID for writing (atomically). */
static int
trend_open(struct atomic_file *af, const char *out_dir, enum rundir_id id, struct yj_error *err)
{
    char *path = path_join(out_dir, rundir_name(id));
    int rc = atomic_file_open(af, path, rundir_mode(id), err);

    free(path);
    return rc;
}

/* Commits AF unless a write failed. */
static int
trend_commit(struct atomic_file *af, struct yj_error *err)
{
    if (ferror(af->fp))
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not write '%s'", af->path);
    return atomic_file_commit(af, err);
}

/* A count, or nothing when it has no figure (< 0). */
static void
trend_count(FILE *f, long n)
{
    if (n >= 0)
        fprintf(f, "%ld", n);
}

static int
trend_write_kpi(const char *out_dir, const struct board_data *d, struct yj_error *err)
{
    struct atomic_file af;
    int rc;

    atomic_file_init(&af);
    if ((rc = trend_open(&af, out_dir, RD_REPORT_TREND_KPI, err)) != YJ_OK)
        goto out;
    fputs("period,mark,kpi,measure,numerator,denominator,rate,rate_unit\n", af.fp);
    for (size_t i = 0; i < d->ntrend_kpi; i++) {
        const struct board_trend_kpi *t = &d->trend_kpi[i];

        fprintf(af.fp, "%s,%s,%d,%s,", t->period, board_mark_name(t->mark), t->kpi, t->measure);
        trend_count(af.fp, t->numerator);
        fputc(',', af.fp);
        trend_count(af.fp, t->denominator);
        fputc(',', af.fp);
        if (!isnan(t->rate))
            fprintf(af.fp, "%.1f", t->rate); /* headline.csv's rates have one decimal */
        fprintf(af.fp, ",%s\n", t->unit);
    }
    rc = trend_commit(&af, err);
out:
    atomic_file_release(&af);
    return rc;
}

static int
trend_write_recording(const char *out_dir, const struct board_data *d, struct yj_error *err)
{
    struct atomic_file af;
    int rc;

    atomic_file_init(&af);
    if ((rc = trend_open(&af, out_dir, RD_REPORT_TREND_RECORDING, err)) != YJ_OK)
        goto out;
    fputs("period,mark,problem,children\n", af.fp);
    for (size_t i = 0; i < d->ntrend_recording; i++) {
        const struct board_trend_recording *t = &d->trend_recording[i];

        fprintf(af.fp, "%s,%s,%s,", t->period, board_mark_name(t->mark), t->problem);
        trend_count(af.fp, t->children);
        fputc('\n', af.fp);
    }
    rc = trend_commit(&af, err);
out:
    atomic_file_release(&af);
    return rc;
}

int
board_trend_write(const char *out_dir, const struct board_data *d, struct yj_error *err)
{
    int rc = trend_write_kpi(out_dir, d, err);

    return rc == YJ_OK ? trend_write_recording(out_dir, d, err) : rc;
}

size_t
board_trend_quarters_with_figures(const struct board_data *d)
{
    size_t n = 0;

    for (size_t i = 0; i < d->ntrend_kpi; i++) {
        const struct board_trend_kpi *t = &d->trend_kpi[i];
        int figures = t->mark != BOARD_MISSING && t->mark != BOARD_UNVERIFIED;

        /* rows are grouped by quarter: count each quarter at its first row */
        if (figures && (i == 0 || strcmp(d->trend_kpi[i - 1].period, t->period) != 0))
            n++;
    }
    return n;
}
