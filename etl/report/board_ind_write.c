/*
 * board_ind_write.c - board_indicators_write(): the indicator tables as five CSV files
 * (fte.csv, custody.csv, reoffending.csv, disproportionality.csv, offence_types.csv), names and
 * modes from the run-directory table, each written atomically. Counts are exact; rates,
 * shares and the relative rate index have four decimal places, and one that cannot be computed
 * is an empty field. docs/indicators.md documents the columns, in this order.
 */
#include "board_ind_int.h"

#include "atomic.h"
#include "rundir.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* A number as a CSV field: four decimals, or nothing for NAN. */
static void
num(FILE *f, double v)
{
    fputc(',', f);
    if (!isnan(v))
        fprintf(f, "%.4f", v);
}

static void
fte_rows(FILE *f, const struct board_data *d)
{
    fputs("period,basis,entrants,population_year,population,rate_per_100000\n", f);
    for (size_t i = 0; i < d->nfte; i++) {
        const struct board_fte *r = &d->fte[i];
        fprintf(f, "%s,%s,%ld,%d,%ld", r->period, board_basis_name(r->basis), r->entrants,
                r->population_year, r->population);
        num(f, r->rate_per_100000);
        fputc('\n', f);
    }
}

static void
custody_rows(FILE *f, const struct board_data *d)
{
    fputs("period,basis,court_outcomes,custodial,share_pct,population_year,population,"
          "rate_per_1000,target_pct\n",
          f);
    for (size_t i = 0; i < d->ncustody; i++) {
        const struct board_custody *r = &d->custody[i];
        fprintf(f, "%s,%s,%ld,%ld", r->period, board_basis_name(r->basis), r->court_outcomes,
                r->custodial);
        num(f, r->share_pct);
        fprintf(f, ",%d,%ld", r->population_year, r->population);
        num(f, r->rate_per_1000);
        num(f, r->target_pct);
        fputc('\n', f);
    }
}

static void
reoffending_rows(FILE *f, const struct board_data *d)
{
    fputs("cohort,final,children,reoffenders,reoffences,binary_pct,per_reoffender,per_child\n", f);
    for (size_t i = 0; i < d->nreoffending; i++) {
        const struct board_reoffending *r = &d->reoffending[i];
        fprintf(f, "%s,%s,%ld,%ld,%ld", r->cohort, r->final ? "yes" : "no", r->children,
                r->reoffenders, r->reoffences);
        num(f, r->binary_pct);
        num(f, r->per_reoffender);
        num(f, r->per_child);
        fputc('\n', f);
    }
}

static void
ethnicity_rows(FILE *f, const struct board_data *d)
{
    fputs("period,measure,group,count,population,share_pct,population_share_pct,difference_pp,"
          "rri,rri_low,rri_high\n",
          f);
    for (size_t i = 0; i < d->nethnicity; i++) {
        const struct board_ethnicity *r = &d->ethnicity[i];
        fprintf(f, "%s,%s,", d->period, r->measure);
        kcount_csv(f, r->group);
        fprintf(f, ",%ld,%ld", r->count, r->population);
        num(f, r->share_pct);
        num(f, r->population_share_pct);
        num(f, r->difference_pp);
        num(f, r->rri);
        num(f, r->rri_low);
        num(f, r->rri_high);
        fputc('\n', f);
    }
}

static void
offence_type_rows(FILE *f, const struct board_data *d)
{
    fputs("period,disposal,category,count,share_pct\n", f);
    for (size_t i = 0; i < d->noffence_types; i++) {
        const struct board_offence_type *r = &d->offence_types[i];
        fprintf(f, "%s,", d->period);
        kcount_csv(f, r->disposal);
        fputc(',', f);
        kcount_csv(f, r->category);
        fprintf(f, ",%ld", r->count);
        num(f, r->share_pct);
        fputc('\n', f);
    }
}

int
board_indicators_write(const char *out_dir, const struct board_data *d, struct yj_error *err)
{
    static const struct {
        enum rundir_id id;
        board_rows_fn fn;
    } files[] = {{RD_REPORT_FTE, fte_rows},
                 {RD_REPORT_CUSTODY, custody_rows},
                 {RD_REPORT_REOFFENDING, reoffending_rows},
                 {RD_REPORT_ETHNICITY, ethnicity_rows},
                 {RD_REPORT_OFFENCE_TYPES, offence_type_rows}};
    int rc;

    if ((rc = mkdir_p(out_dir, RUNDIR_DIR_MODE, err)) != YJ_OK)
        return rc;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        if ((rc = board_write_csv(out_dir, files[i].id, files[i].fn, d, err)) != YJ_OK)
            return rc;
    return YJ_OK;
}
