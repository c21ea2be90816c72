/*
 * board.h - the figures of the board pack, as yj-report holds them between computing and
 * writing: the local national indicators (first time entrants, use of custody, reoffending,
 * disproportionality, offence types), computed from one return's whole-history documents,
 * and the trends read from the archive of runs.
 *
 * Each table is an array the module that fills it owns (board_data_free() frees them all).
 * Counts are exact here and in the CSVs; only the pack (board_pack.c) suppresses small
 * numbers. A rate or share that cannot be computed (a zero denominator) is NAN, written as an
 * empty CSV field and shown as "-" in the pack.
 */
#ifndef YJ_BOARD_H
#define YJ_BOARD_H

#include "error.h"
#include "rundir.h"

#include <stddef.h>
#include <stdio.h>

#define BOARD_PERIOD_LEN 8 /* "YYYYQn" and its NUL */
#define BOARD_NAME_LEN 48  /* a group, category, measure or problem name and its NUL */

/* Whether a row covers one quarter or the twelve months ending with that quarter. */
enum board_basis { BOARD_QUARTER, BOARD_ROLLING_YEAR };

/* First time entrants of one quarter, or of the rolling year ending with it. */
struct board_fte {
    char period[BOARD_PERIOD_LEN];
    enum board_basis basis;
    long entrants;
    int population_year; /* the population year the rate divides by */
    long population;     /* 10-17 in that year */
    double rate_per_100000;
};

/* Use of custody of one quarter, or of the rolling year ending with it. */
struct board_custody {
    char period[BOARD_PERIOD_LEN];
    enum board_basis basis;
    long court_outcomes; /* outcomes of group First-tier, Community or Custody */
    long custodial;      /* of which group Custody */
    double share_pct;    /* custodial / court_outcomes * 100 */
    int population_year;
    long population;
    double rate_per_1000;
    double target_pct; /* [report] custody_target_pct, NAN when not set */
};

/* One 3-month reoffending cohort: the quarter of the children's index events. */
struct board_reoffending {
    char cohort[BOARD_PERIOD_LEN];
    int final; /* 0: the cohort's follow-up (12 + 6 months) had not ended at the return's end */
    long children, reoffenders, reoffences;
    double binary_pct, per_reoffender, per_child;
};

/* The group of a child whose ethnicity maps to no group of the bundle: a row of its own in
 * the ethnicity tables, outside the known groups the shares divide by. */
#define BOARD_NOT_STATED "Not stated"

/* One ethnicity group of one measure ("fte", "custody", "kpi_cohort") in the rolling year
 * ending with the return's period. */
struct board_ethnicity {
    char measure[BOARD_NAME_LEN];
    char group[BOARD_NAME_LEN]; /* the bundle's group name: White, Mixed, Asian, Black, Other */
    long count, population;
    double share_pct, population_share_pct, difference_pp;
    double rri, rri_low, rri_high; /* against the White group; 95% interval */
    int comparator; /* 1 for the group the index is against (the rules' comparator_group) */
};

/* How many outcomes of one offence category led to custody or to a community order, in the
 * rolling year ending with the return's period. */
struct board_offence_type {
    char disposal[BOARD_NAME_LEN]; /* the outcome group: Custody or Community */
    char category[BOARD_NAME_LEN]; /* yjbOffenceCategory */
    long count;
    double share_pct; /* of the disposal's outcomes */
};

/* Where a quarter of a trend comes from. */
enum board_mark {
    BOARD_SUBMITTED,   /* the run that was submitted, once */
    BOARD_RESUBMITTED, /* the latest of several submissions (a correction) */
    BOARD_PROVISIONAL, /* never submitted: the latest nightly run */
    BOARD_UNVERIFIED,  /* a run whose KPI MANIFEST does not verify: left out, marked */
    BOARD_MISSING,     /* no run of the quarter in the archive */
};

/* One KPI headline figure of one quarter, as the archive holds it. */
struct board_trend_kpi {
    char period[BOARD_PERIOD_LEN];
    enum board_mark mark;
    int kpi; /* 1..10 */
    char measure[BOARD_NAME_LEN];
    long numerator, denominator;
    double rate;
    char unit[BOARD_NAME_LEN]; /* headline.csv's rate_unit */
};

/* One recording problem's children in one quarter (kpi/recording.csv of that quarter's run). */
struct board_trend_recording {
    char period[BOARD_PERIOD_LEN];
    enum board_mark mark;
    char problem[BOARD_NAME_LEN];
    long children;
};

struct board_data {
    char yot[BOARD_NAME_LEN];
    char period[BOARD_PERIOD_LEN]; /* the return's period: the pack's latest quarter */
    char as_of[40];
    struct board_fte *fte;
    size_t nfte;
    struct board_custody *custody;
    size_t ncustody;
    struct board_reoffending *reoffending;
    size_t nreoffending;
    struct board_ethnicity *ethnicity;
    size_t nethnicity;
    struct board_offence_type *offence_types;
    size_t noffence_types;
    struct board_trend_kpi *trend_kpi;
    size_t ntrend_kpi;
    struct board_trend_recording *trend_recording;
    size_t ntrend_recording;
};

/* The word a mark is written as in the CSVs and the pack: submitted, resubmitted, provisional,
 * unverified, missing. */
const char *board_mark_name(enum board_mark m);
/* "quarter" or "rolling_year". */
const char *board_basis_name(enum board_basis b);

/* A quarter as a number, 4 * year + quarter - 1 (2025Q1: 8100), and back: the label of
 * IDX (YYYYQn) into BUF; board_quarter_index gives -1 for a text that is not YYYYQn. */
long board_quarter_index(const char *period);
void board_quarter_label(long idx, char buf[BOARD_PERIOD_LEN]);

/* Writes the rows of a CSV of D (its header line first) to F. */
typedef void (*board_rows_fn)(FILE *f, const struct board_data *d);
/* Writes OUT_DIR's file of row ID (its name and mode from rundir) atomically with FN. */
int board_write_csv(const char *out_dir, enum rundir_id id, board_rows_fn fn,
                    const struct board_data *d, struct yj_error *err);

/* Frees every table of D (not D itself) and zeroes it. */
void board_data_free(struct board_data *d);

#endif
