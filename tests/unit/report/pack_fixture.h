/*
 * pack_fixture.h - a board_data of eight quarters built by hand, for the tests of the board
 * pack's page (tests/unit/report/test_pack.c) and of its rendering in a real browser
 * (tests/browser/pack.sh, through tests/browser/pack_fixture.c). Header-only: each test is
 * its own executable.
 *
 * The counts are chosen so that the suppression rules (threshold 5) each have a case: a
 * quarter hidden in a rolling year, a custodial count hidden in its split, a cohort whose
 * non-reoffenders are few, a lone small ethnicity group beside zeros, a lone small offence
 * type. Rates and shares are worked out from the counts as the indicators do. The caller
 * frees the tables with board_data_free().
 */
#ifndef YJ_PACK_FIXTURE_H
#define YJ_PACK_FIXTURE_H

#include "board.h"
#include "mem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FX_NQ 8
static const char *const fx_quarters[FX_NQ] = {"2023Q2", "2023Q3", "2023Q4", "2024Q1",
                                               "2024Q2", "2024Q3", "2024Q4", "2025Q1"};
static const long fx_fte[FX_NQ] = {12, 9, 3, 11, 10, 8, 14, 7};
static const long fx_court[FX_NQ] = {40, 35, 38, 42, 39, 41, 37, 44};
static const long fx_custodial[FX_NQ] = {6, 2, 5, 7, 3, 6, 8, 5};
static const enum board_mark fx_marks[FX_NQ] = {
    BOARD_SUBMITTED, BOARD_SUBMITTED,   BOARD_SUBMITTED,  BOARD_SUBMITTED,
    BOARD_SUBMITTED, BOARD_RESUBMITTED, BOARD_UNVERIFIED, BOARD_PROVISIONAL};
#define FX_POPULATION 17000L

static const char *const fx_kpi_measures[10] = {"accommodation",    "ete",
                                                "sen_aln",          "mental_health",
                                                "substance_misuse", "oocd",
                                                "wider_services",   "management_board",
                                                "victims",          "serious_violence"};

static const char *const fx_groups[5] = {"White", "Mixed", "Asian", "Black", "Other"};
static const long fx_group_population[5] = {13090, 1020, 1190, 1530, 170};
static const long fx_group_counts[3][5] = {{25, 6, 3, 7, 1},    /* fte */
                                           {12, 4, 0, 6, 0},    /* custody */
                                           {60, 14, 5, 19, 2}}; /* kpi_cohort */
static const char *const fx_group_measures[3] = {"fte", "custody", "kpi_cohort"};

static const char *const fx_categories[5] = {"Violence against the person", "Robbery",
                                             "Drug offences", "Theft & handling",
                                             "Motoring <offences>"};
static const long fx_offences[2][5] = {{8, 5, 3, 2, 0}, {30, 6, 12, 9, 4}};

static const char *const fx_problems[5] = {"ethnicity", "date_of_birth", "outcome_date", "postcode",
                                           "school"};

static void
fx_rolling(const long *q, size_t k, long *sum)
{
    *sum = 0;
    for (size_t i = k - 3; i <= k; i++)
        *sum += q[i];
}

static double
fx_pct(long a, long b)
{
    return b ? 100.0 * (double)a / (double)b : NAN;
}

/* The indicators of the fixture: first time entrants, custody, reoffending. */
static void
fx_indicators(struct board_data *d)
{
    static const long children[6] = {20, 18, 4, 22, 19, 9}, reoff[6] = {7, 6, 2, 8, 3, 6},
                      offences[6] = {15, 11, 3, 20, 4, 9};

    d->fte = xcalloc(2 * FX_NQ, sizeof(*d->fte));
    d->custody = xcalloc(2 * FX_NQ, sizeof(*d->custody));
    for (size_t k = 0; k < FX_NQ; k++) {
        struct board_fte *f = &d->fte[d->nfte++];
        struct board_custody *c = &d->custody[d->ncustody++];

        snprintf(f->period, sizeof(f->period), "%s", fx_quarters[k]);
        f->basis = BOARD_QUARTER, f->entrants = fx_fte[k], f->population_year = 2024;
        f->population = FX_POPULATION;
        f->rate_per_100000 = 1e5 * (double)f->entrants / FX_POPULATION;
        snprintf(c->period, sizeof(c->period), "%s", fx_quarters[k]);
        c->basis = BOARD_QUARTER, c->court_outcomes = fx_court[k];
        c->custodial = fx_custodial[k], c->share_pct = fx_pct(c->custodial, c->court_outcomes);
        c->population_year = 2024, c->population = FX_POPULATION;
        c->rate_per_1000 = 1e3 * (double)c->custodial / FX_POPULATION, c->target_pct = 10;
        if (k < 3)
            continue;
        f = &d->fte[d->nfte++];
        *f = d->fte[d->nfte - 2];
        f->basis = BOARD_ROLLING_YEAR;
        fx_rolling(fx_fte, k, &f->entrants);
        f->rate_per_100000 = 1e5 * (double)f->entrants / FX_POPULATION;
        c = &d->custody[d->ncustody++];
        *c = d->custody[d->ncustody - 2];
        c->basis = BOARD_ROLLING_YEAR;
        fx_rolling(fx_court, k, &c->court_outcomes);
        fx_rolling(fx_custodial, k, &c->custodial);
        c->share_pct = fx_pct(c->custodial, c->court_outcomes);
        c->rate_per_1000 = 1e3 * (double)c->custodial / FX_POPULATION;
    }
    d->reoffending = xcalloc(6, sizeof(*d->reoffending));
    for (size_t i = 0; i < 6; i++) {
        struct board_reoffending *r = &d->reoffending[d->nreoffending++];

        snprintf(r->cohort, sizeof(r->cohort), "%s",
                 i < 2 ? (i ? "2023Q1" : "2022Q4") : fx_quarters[i - 2]);
        r->final = i < 4, r->children = children[i], r->reoffenders = reoff[i];
        r->reoffences = offences[i], r->binary_pct = fx_pct(reoff[i], children[i]);
        r->per_reoffender = (double)offences[i] / (double)reoff[i];
        r->per_child = (double)offences[i] / (double)children[i];
    }
}

/* Ethnicity and offence types of the rolling year. */
static void
fx_groups_of(struct board_data *d)
{
    d->ethnicity = xcalloc(15, sizeof(*d->ethnicity));
    for (size_t m = 0; m < 3; m++) {
        long total = 0;
        double white = (double)fx_group_counts[m][0] / (double)fx_group_population[0];

        for (size_t g = 0; g < 5; g++)
            total += fx_group_counts[m][g];
        for (size_t g = 0; g < 5; g++) {
            struct board_ethnicity *e = &d->ethnicity[d->nethnicity++];
            long a = fx_group_counts[m][g], pa = fx_group_population[g];
            double se =
                a ? sqrt(1.0 / (double)a - 1.0 / (double)pa + 1.0 / (double)fx_group_counts[m][0] -
                         1.0 / (double)fx_group_population[0])
                  : NAN;

            snprintf(e->measure, sizeof(e->measure), "%s", fx_group_measures[m]);
            snprintf(e->group, sizeof(e->group), "%s", fx_groups[g]);
            e->comparator = g == 0; /* White */
            e->count = a, e->population = pa;
            e->share_pct = fx_pct(a, total);
            e->population_share_pct = fx_pct(pa, FX_POPULATION);
            e->difference_pp = e->share_pct - e->population_share_pct;
            e->rri = ((double)a / (double)pa) / white;
            e->rri_low = e->rri * exp(-1.96 * se), e->rri_high = e->rri * exp(1.96 * se);
        }
    }
    d->offence_types = xcalloc(10, sizeof(*d->offence_types));
    for (size_t g = 0; g < 2; g++) {
        long total = 0;

        for (size_t k = 0; k < 5; k++)
            total += fx_offences[g][k];
        for (size_t k = 0; k < 5; k++) {
            struct board_offence_type *o = &d->offence_types[d->noffence_types++];

            snprintf(o->disposal, sizeof(o->disposal), "%s", g ? "Community" : "Custody");
            snprintf(o->category, sizeof(o->category), "%s", fx_categories[k]);
            o->count = fx_offences[g][k], o->share_pct = fx_pct(o->count, total);
        }
    }
}

/* The archive's trends: ten KPIs and five recording problems per quarter. */
static void
fx_trends(struct board_data *d)
{
    d->trend_kpi = xcalloc(10 * FX_NQ, sizeof(*d->trend_kpi));
    d->trend_recording = xcalloc(5 * FX_NQ, sizeof(*d->trend_recording));
    for (size_t k = 0; k < FX_NQ; k++) {
        for (int kpi = 1; kpi <= 10; kpi++) {
            struct board_trend_kpi *t = &d->trend_kpi[d->ntrend_kpi++];

            snprintf(t->period, sizeof(t->period), "%s", fx_quarters[k]);
            snprintf(t->measure, sizeof(t->measure), "%s", fx_kpi_measures[kpi - 1]);
            snprintf(t->unit, sizeof(t->unit), "percent");
            t->mark = fx_marks[k], t->kpi = kpi;
            if (t->mark == BOARD_UNVERIFIED) {
                t->rate = NAN;
                continue;
            }
            t->denominator = 40 + (long)k;
            t->numerator = kpi == 10 ? (long)(k % 3) + 2 : (long)(kpi * 3 + (int)k) % 40;
            t->rate = fx_pct(t->numerator, t->denominator);
        }
        for (size_t p = 0; p < 5; p++) {
            struct board_trend_recording *r = &d->trend_recording[d->ntrend_recording++];

            snprintf(r->period, sizeof(r->period), "%s", fx_quarters[k]);
            snprintf(r->problem, sizeof(r->problem), "%s", fx_problems[p]);
            r->mark = fx_marks[k];
            r->children = r->mark == BOARD_UNVERIFIED ? 0 : (long)(30 - 3 * k - 5 * p);
            if (r->children < 0)
                r->children = 0;
        }
    }
}

/* The whole fixture into D (zeroed first). */
static void
fx_board(struct board_data *d)
{
    memset(d, 0, sizeof(*d));
    snprintf(d->yot, sizeof(d->yot), "MEDWAY");
    snprintf(d->period, sizeof(d->period), "2025Q1");
    snprintf(d->as_of, sizeof(d->as_of), "2025-07-01T00:00:00Z");
    fx_indicators(d);
    fx_groups_of(d);
    fx_trends(d);
}

#endif
