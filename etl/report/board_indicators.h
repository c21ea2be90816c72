/*
 * board_indicators.h - the board pack's local national indicators: first time entrants, use
 * of custody, reoffending, disproportionality and offence types, computed from one return's
 * whole-history documents (one per child) and the staged 10-17 population, by the rules of the
 * return period's bundle (report/indicators.conf, report/ethnicity_group.csv).
 *
 * docs/indicators.md states every definition, where it follows the YJB's SQL and where it is
 * the project's own reading, and the columns of each CSV written here.
 */
#ifndef YJ_BOARD_INDICATORS_H
#define YJ_BOARD_INDICATORS_H

#include "board.h"
#include "error.h"

struct board_sources {
    const char *mappings;      /* folder of schema-N bundles ([return] mappings) */
    const char *period;        /* YYYYQn: the return's period; its bundle is the period's bundle */
    const char *return_dir;    /* RUN/return: MANIFEST, cld.xml or parts (read with the return
                                  reader, checked against the MANIFEST) */
    const char *staged;        /* RUN/staged: service/<input>.tsv, the population by year, age
                                  band and ethnicity group */
    const char *out_dir;       /* RUN/report: cases.csv is written here, atomically */
    unsigned quarters;         /* quarters of the indicator tables, ending with period (>= 2;
                                  default 8 by the caller) */
    double custody_target_pct; /* copied into board_custody.target_pct; NAN: none */
};

/* Most quarters an indicator table may hold (struct board_sources quarters). */
#define BOARD_MAX_QUARTERS 64

/* Fills d->fte, custody, reoffending, ethnicity, offence_types (and d->yot, period, as_of) from
 * one streaming pass over the return, and writes out_dir/cases.csv (RD_REPORT_CASES, mode
 * 0600): the children and records behind every figure. D's tables are allocated here and freed
 * by board_data_free(); on an error D holds no indicator table and no cases.csv is left.
 * Exit codes as the project's (YJ_EX_*): YJ_EX_USAGE for quarters out of 2..BOARD_MAX_QUARTERS
 * or a period the return's MANIFEST does not name; YJ_EX_CONFIG naming file and line for a bad
 * rules file of the bundle; YJ_EX_NOINPUT / YJ_EX_IOERR for a missing or altered return or
 * staged file; YJ_EX_DATAERR for a return that is not well-formed or not a return of the
 * bundle, a population row with a bad year, band, group or count (naming file, line and value),
 * and a population year the rates need that the staged input lacks (naming the year). */
int board_indicators(const struct board_sources *src, struct board_data *d, struct yj_error *err);

/* Writes fte.csv, custody.csv, reoffending.csv, disproportionality.csv, offence_types.csv
 * (RD_REPORT_* rows: names and modes from rundir) into out_dir, each atomically, exact values,
 * in the fixed column order docs/indicators.md documents. */
int board_indicators_write(const char *out_dir, const struct board_data *d, struct yj_error *err);

#endif
