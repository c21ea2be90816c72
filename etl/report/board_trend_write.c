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

/* A count, or nothing when it has no figure (< 0). */
static void
trend_count(FILE *f, long n)
{
    if (n >= 0)
        fprintf(f, "%ld", n);
}

static void
trend_kpi_rows(FILE *f, const struct board_data *d)
{
    fputs("period,mark,kpi,measure,numerator,denominator,rate,rate_unit\n", f);
    for (size_t i = 0; i < d->ntrend_kpi; i++) {
        const struct board_trend_kpi *t = &d->trend_kpi[i];

        fprintf(f, "%s,%s,%d,%s,", t->period, board_mark_name(t->mark), t->kpi, t->measure);
        trend_count(f, t->numerator);
        fputc(',', f);
        trend_count(f, t->denominator);
        fputc(',', f);
        if (!isnan(t->rate))
            fprintf(f, "%.1f", t->rate); /* headline.csv's rates have one decimal */
        fprintf(f, ",%s\n", t->unit);
    }
}

static void
trend_recording_rows(FILE *f, const struct board_data *d)
{
    fputs("period,mark,problem,children\n", f);
    for (size_t i = 0; i < d->ntrend_recording; i++) {
        const struct board_trend_recording *t = &d->trend_recording[i];

        fprintf(f, "%s,%s,%s,", t->period, board_mark_name(t->mark), t->problem);
        trend_count(f, t->children);
        fputc('\n', f);
    }
}

int
board_trend_write(const char *out_dir, const struct board_data *d, struct yj_error *err)
{
    int rc = board_write_csv(out_dir, RD_REPORT_TREND_KPI, trend_kpi_rows, d, err);

    return rc == YJ_OK
               ? board_write_csv(out_dir, RD_REPORT_TREND_RECORDING, trend_recording_rows, d, err)
               : rc;
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
