/*
 * board_ind_int.h - private to the board pack's indicators (board_ind*.c): the rules of the
 * bundle, the population, and the counters one pass over the return fills.
 *
 * Who owns what:
 *   board_ind_conf.c   report/indicators.conf and report/ethnicity_group.csv (struct bind_conf);
 *   board_ind_pop.c    the staged population input (struct bind_pop);
 *   board_ind_child.c  one child into the counters and cases.csv;
 *   board_ind.c        board_indicators(): the pass over the return, then the tables;
 *   board_ind_rate.c   the tables from the counters: rates, shares, the relative rate index;
 *   board_ind_write.c  board_indicators_write(): the five CSVs.
 */
#ifndef YJ_BOARD_IND_INT_H
#define YJ_BOARD_IND_INT_H

#include "board_indicators.h"

#include "kchild.h"
#include "kconf.h"
#include "kcount.h"
#include "mem.h"
#include "period.h"

#include <stdio.h>

#define BIND_DIR "report"
#define BIND_CONF_FILE "indicators.conf"
#define BIND_GROUP_FILE "ethnicity_group.csv"
#define BIND_MAX_GROUPS 8 /* ethnicity groups of the population */
#define BIND_MAX_BANDS 4  /* age bands of the population */
#define BIND_MAX_YEARS 64 /* population years held */

/* The rules (report/indicators.conf, report/ethnicity_group.csv). Groups are enum kgroup. */
struct bind_conf {
    char *path, *groups_path; /* for messages */
    char sha256[65], groups_sha256[65];
    unsigned fte_groups, court_groups, index_groups, offence_type_groups; /* bit per kgroup */
    int custody_group, release_group;
    int age_min, age_max;
    int cohort_months, reoffence_days, proven_extra_days;
    char *population_input;
    int population_years_back;
    char *bands[BIND_MAX_BANDS];
    int nbands;
    char *pop_codes[BIND_MAX_GROUPS];   /* the population input's ethnicity_group values */
    char *group_names[BIND_MAX_GROUPS]; /* the pack's group of each */
    int ngroups;
    int comparator; /* index into group_names */
    long fte_rate_per, custody_rate_per;
    /* ethnicity_group.csv, sorted by code: a YJB ethnicity code's group, -1 not stated */
    char **eth_codes;
    int *eth_group;
    size_t neth;
};

void bind_conf_init(struct bind_conf *c);
/* Loads BUNDLE_DIR/report/indicators.conf and ethnicity_group.csv, checking the second against
 * the codes of BUNDLE_DIR/ethnicity.csv. YJ_EX_CONFIG (NOINPUT when missing) naming file, line
 * and value. */
int bind_conf_load(struct bind_conf *c, const char *bundle_dir, struct yj_error *err);
/* The group of a YJB ethnicity code: an index into group_names, or ngroups (not stated, or a
 * code the table does not hold). */
int bind_conf_group(const struct bind_conf *c, const char *code);
void bind_conf_release(struct bind_conf *c);

/* The 10-17 population by year and group (bands summed). */
struct bind_pop {
    char *path; /* the staged file, for messages */
    int years[BIND_MAX_YEARS];
    long count[BIND_MAX_YEARS][BIND_MAX_GROUPS];
    /* the line of each year x band x group row, 0 while none was read */
    unsigned long line[BIND_MAX_YEARS][BIND_MAX_BANDS][BIND_MAX_GROUPS];
    int nyears;
};

/* Reads STAGED/service/<population_input>.tsv (checked against the staged MANIFEST and its
 * header against the bundle's kpi/inputs.conf) into P. A staged folder without the input is
 * YJ_EX_NOINPUT; a row with a bad year, band, group or count, or a year x band x group row
 * given twice, YJ_EX_DATAERR naming file, line and value. */
int bind_pop_read(struct bind_pop *p, const struct bind_conf *c, const char *staged,
                  const char *bundle_dir, struct yj_error *err);
/* The population of YEAR: group G (G == ngroups: all groups). -1 when the year is missing. */
long bind_pop_get(const struct bind_pop *p, const struct bind_conf *c, int year, int g);
/* 0 when YEAR (which P holds) has a row of every band and group; else -1 and the first band
 * and group (indices into c->bands, c->group_names) it lacks. */
int bind_pop_complete(const struct bind_pop *p, const struct bind_conf *c, int year, int *band,
                      int *g);
void bind_pop_release(struct bind_pop *p);

/* The counters of one pass. Quarter buckets run from the first quarter of the tables less
 * three (the rolling years of the first rows) to the period: bucket nq - 1 is the period. */
struct bind_counts {
    int nq;      /* buckets: quarters + 3 */
    int first_q; /* year * 4 + quarter - 1 of bucket 0 */
    long fte[BOARD_MAX_QUARTERS + 3];
    long court[BOARD_MAX_QUARTERS + 3], custodial[BOARD_MAX_QUARTERS + 3];
    /* reoffending cohorts: the last `quarters` buckets */
    long cohort_children[BOARD_MAX_QUARTERS + 3], reoffenders[BOARD_MAX_QUARTERS + 3],
        reoffences[BOARD_MAX_QUARTERS + 3];
    /* the rolling year ending with the period, per group (index ngroups: not stated) */
    long fte_group[BIND_MAX_GROUPS + 1], custody_group[BIND_MAX_GROUPS + 1],
        kpi_group[BIND_MAX_GROUPS + 1];
    /* offence types: [disposal][category], category ncat: not known */
    long *offence_type; /* ndisposals * (ncat + 1) */
    int ndisposals, ncat;
    int disposals[GRP_N]; /* enum kgroup, in kgroup order */
};

/* One pass: the rules, the counters, cases.csv. */
struct bind_run {
    const struct board_sources *src;
    struct bind_conf c;
    struct kconf k;
    struct kcount *kc; /* yj-kpi's counting rules: which children are in the KPI cohort */
    struct bind_counts n;
    struct yj_period period;
    long as_of_day; /* the day of the return MANIFEST's as_of */
    FILE *cases;    /* cases.csv being written */
    unsigned long case_lines;
};

/* Bucket of day D, or -1 outside the buckets. */
int bind_bucket(const struct bind_counts *n, long d);
/* The label (YYYYQn) of bucket B into BUF. */
void bind_bucket_label(const struct bind_counts *n, int b, char buf[BOARD_PERIOD_LEN]);
/* Counts one child (board_ind_child.c). */
void bind_child(struct bind_run *r, const struct kchild *c);

/* The tables of D from R's counters and P (board_ind_rate.c): YJ_EX_DATAERR naming the year
 * when a population year a rate needs is missing. */
int bind_tables(const struct bind_run *r, const struct bind_pop *p, struct board_data *d,
                struct yj_error *err);
/* The relative rate index of COUNT of POP against REF_COUNT of REF_POP, and its 95% interval
 * (the Katz log interval, docs/indicators.md); NAN where it cannot be computed, and no
 * interval when a count is larger than its population. */
void bind_rri(long count, long pop, long ref_count, long ref_pop, double *rri, double *low,
              double *high);

/* V as a whole number from MIN to MAX into *OUT: 0, or -1 for NULL, an empty text, trailing
 * characters or a number out of range (*OUT untouched). */
int bind_parse_long(const char *v, long min, long max, long *out);

#endif
