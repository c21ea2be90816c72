/*
 * board_ind_rate.c - the indicator tables from one pass's counters: counts per quarter and
 * rolling year, rates per the population of the population year, shares, the cohorts' rates
 * and whether each cohort is final, the ethnicity comparison with its relative rate index,
 * and the offence types. Counts stay exact; a rate whose denominator is 0 is NAN. A
 * population year a rate needs and the staged input lacks, or lacks a band or group of, is an
 * error naming the year, never a blank. A group counting more children than its population
 * gets its relative rate index without an interval, and one warning. See board_ind_int.h and
 * docs/indicators.md.
 */
#include "board_ind_int.h"

#include "log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static double
ratio(double num, double den, double scale)
{
    return den > 0 ? num / den * scale : NAN;
}

void
bind_rri(long count, long pop, long ref_count, long ref_pop, double *rri, double *low, double *high)
{
    double se;

    *rri = *low = *high = NAN;
    if (pop <= 0 || ref_pop <= 0 || ref_count <= 0)
        return;
    *rri = ((double)count / (double)pop) / ((double)ref_count / (double)ref_pop);
    if (count <= 0)
        return; /* no interval on the log scale */
    if (count > pop || ref_count > ref_pop)
        return; /* more children than people: no proportion, no interval */
    /* Katz: log(RRI) +- 1.96 * sqrt(1/a - 1/n1 + 1/c - 1/n2) */
    se = sqrt(1.0 / (double)count - 1.0 / (double)pop + 1.0 / (double)ref_count -
              1.0 / (double)ref_pop);
    *low = exp(log(*rri) - 1.96 * se);
    *high = exp(log(*rri) + 1.96 * se);
}

/* The population of the year the rates of bucket B divide by (group G), or an error. */
static int
population(const struct bind_run *r, const struct bind_pop *p, int b, int g, int *year, long *n,
           struct yj_error *err)
{
    char label[BOARD_PERIOD_LEN];
    int band, missing;

    *year = (r->n.first_q + b) / 4 - r->c.population_years_back;
    *n = bind_pop_get(p, &r->c, *year, g);
    if (*n >= 0 && bind_pop_complete(p, &r->c, *year, &band, &missing) == 0)
        return YJ_OK;
    bind_bucket_label(&r->n, b, label);
    if (*n < 0)
        yj_error_set(err, YJ_EX_DATAERR,
                     "staged file '%s' holds no population for %d, which the rates of %s need",
                     p->path, *year, label);
    else
        yj_error_set(err, YJ_EX_DATAERR,
                     "staged file '%s' holds no %s population of group %s for %d, which the rates "
                     "of %s need",
                     p->path, r->c.bands[band], r->c.group_names[missing], *year, label);
    yj_error_hint(err, "record the year's 10-17 population in the warehouse (cms.population) and "
                       "stage a new snapshot");
    return YJ_EX_DATAERR;
}

static long
sum4(const long *v, int b)
{
    return v[b] + v[b - 1] + v[b - 2] + v[b - 3];
}

static int
fte_custody(const struct bind_run *r, const struct bind_pop *p, struct board_data *d,
            struct yj_error *err)
{
    const struct bind_counts *n = &r->n;
    int rows = (int)r->src->quarters * 2, i = 0;

    d->fte = xcalloc((size_t)rows, sizeof(*d->fte));
    d->custody = xcalloc((size_t)rows, sizeof(*d->custody));
    for (int b = 3; b < n->nq; b++)
        for (int basis = 0; basis < 2; basis++, i++) {
            struct board_fte *f = &d->fte[i];
            struct board_custody *c = &d->custody[i];
            int rc = population(r, p, b, r->c.ngroups, &f->population_year, &f->population, err);
            if (rc != YJ_OK)
                return rc;
            bind_bucket_label(n, b, f->period);
            f->basis = basis ? BOARD_ROLLING_YEAR : BOARD_QUARTER;
            f->entrants = basis ? sum4(n->fte, b) : n->fte[b];
            f->rate_per_100000 =
                ratio((double)f->entrants, (double)f->population, (double)r->c.fte_rate_per);
            memcpy(c->period, f->period, sizeof(c->period));
            c->basis = f->basis;
            c->court_outcomes = basis ? sum4(n->court, b) : n->court[b];
            c->custodial = basis ? sum4(n->custodial, b) : n->custodial[b];
            c->share_pct = ratio((double)c->custodial, (double)c->court_outcomes, 100.0);
            c->population_year = f->population_year;
            c->population = f->population;
            c->rate_per_1000 =
                ratio((double)c->custodial, (double)c->population, (double)r->c.custody_rate_per);
            c->target_pct = r->src->custody_target_pct;
        }
    d->nfte = d->ncustody = (size_t)rows;
    return YJ_OK;
}

/* The last day of bucket B's quarter. */
static long
cohort_last_day(const struct bind_counts *n, int b)
{
    int q = n->first_q + b + 1; /* the next quarter: its first day less one */
    int y = q / 4, m = q % 4 * 3 + 4;

    return date_from_ymd(m > 12 ? y + 1 : y, m > 12 ? m - 12 : m, 1) - 1;
}

static void
reoffending(const struct bind_run *r, struct board_data *d)
{
    const struct bind_counts *n = &r->n;
    int first = n->nq - (int)r->src->quarters, i = 0;
    /* the last day whose offences and outcomes the return holds for sure */
    long known = r->period.end < r->as_of_day ? r->period.end : r->as_of_day;

    d->reoffending = xcalloc(r->src->quarters, sizeof(*d->reoffending));
    for (int b = first; b < n->nq; b++, i++) {
        struct board_reoffending *c = &d->reoffending[i];
        bind_bucket_label(n, b, c->cohort);
        /* final once its last child's windows (reoffence, then proof) have closed by the
         * period's end and the as-of day: no later return can change it */
        c->final = cohort_last_day(n, b) + r->c.reoffence_days + r->c.proven_extra_days <= known;
        c->children = n->cohort_children[b];
        c->reoffenders = n->reoffenders[b];
        c->reoffences = n->reoffences[b];
        c->binary_pct = ratio((double)c->reoffenders, (double)c->children, 100.0);
        c->per_reoffender = ratio((double)c->reoffences, (double)c->reoffenders, 1.0);
        c->per_child = ratio((double)c->reoffences, (double)c->children, 1.0);
    }
    d->nreoffending = r->src->quarters;
}

/* The rows of one measure: each group, then "Not stated" (a count only). */
static int
ethnicity_measure(const struct bind_run *r, const struct bind_pop *p, const char *measure,
                  const long *counts, struct board_ethnicity *rows, struct yj_error *err)
{
    const struct bind_conf *c = &r->c;
    long pops[BIND_MAX_GROUPS], known = 0, pop_total;
    int year, rc;

    if ((rc = population(r, p, r->n.nq - 1, c->ngroups, &year, &pop_total, err)) != YJ_OK)
        return rc;
    for (int g = 0; g < c->ngroups; g++) {
        pops[g] = bind_pop_get(p, c, year, g);
        known += counts[g];
    }
    for (int g = 0; g < c->ngroups; g++)
        if (counts[g] > pops[g])
            log_warn("disproportionality: the %s count of group %s is larger than its %d "
                     "population in staged file '%s': %s relative rate index is %s",
                     measure, c->group_names[g], year, p->path,
                     g == c->comparator ? "every group's" : "its",
                     pops[g] > 0 ? "written without an interval" : "not computed");
    for (int g = 0; g <= c->ngroups; g++) {
        struct board_ethnicity *e = &rows[g];
        snprintf(e->measure, sizeof(e->measure), "%s", measure);
        snprintf(e->group, sizeof(e->group), "%s",
                 g < c->ngroups ? c->group_names[g] : BOARD_NOT_STATED);
        e->count = counts[g];
        e->comparator = g == c->comparator;
        if (g == c->ngroups) {
            e->population = 0;
            e->share_pct = e->population_share_pct = e->difference_pp = NAN;
            e->rri = e->rri_low = e->rri_high = NAN;
            continue;
        }
        e->population = pops[g];
        e->share_pct = ratio((double)e->count, (double)known, 100.0);
        e->population_share_pct = ratio((double)pops[g], (double)pop_total, 100.0);
        e->difference_pp = e->share_pct - e->population_share_pct;
        bind_rri(e->count, pops[g], counts[c->comparator], pops[c->comparator], &e->rri,
                 &e->rri_low, &e->rri_high);
        if (g == c->comparator)
            e->rri_low = e->rri_high = NAN; /* the comparator against itself: 1, no interval */
    }
    return YJ_OK;
}

static int
ethnicity(const struct bind_run *r, const struct bind_pop *p, struct board_data *d,
          struct yj_error *err)
{
    const char *measures[] = {"fte", "custody", "kpi_cohort"};
    const long *counts[] = {r->n.fte_group, r->n.custody_group, r->n.kpi_group};
    size_t per = (size_t)r->c.ngroups + 1;
    int rc = YJ_OK;

    d->ethnicity = xcalloc(per * 3, sizeof(*d->ethnicity));
    for (size_t m = 0; m < 3 && rc == YJ_OK; m++)
        rc = ethnicity_measure(r, p, measures[m], counts[m], d->ethnicity + m * per, err);
    d->nethnicity = per * 3;
    return rc;
}

/* Every category of each disposal (the bundle's kpi/offence_category.csv order), and
 * NOT_KNOWN when some outcome had no category the bundle knows. */
static void
offence_types(const struct bind_run *r, struct board_data *d)
{
    const struct bind_counts *n = &r->n;
    size_t k = 0;

    d->offence_types =
        xcalloc((size_t)n->ndisposals * (size_t)(n->ncat + 1), sizeof(*d->offence_types));
    for (int dp = 0; dp < n->ndisposals; dp++) {
        const long *row = n->offence_type + dp * (n->ncat + 1);
        long total = 0;
        for (int c = 0; c <= n->ncat; c++)
            total += row[c];
        for (int c = 0; c <= n->ncat; c++) {
            struct board_offence_type *t = &d->offence_types[k];
            if (c == n->ncat && row[c] == 0)
                continue;
            snprintf(t->disposal, sizeof(t->disposal), "%s", kgroup_names[n->disposals[dp]]);
            snprintf(t->category, sizeof(t->category), "%s",
                     c < n->ncat ? r->k.tables[KT_OFFENCE_CATEGORY].rows[c].code : "NOT_KNOWN");
            t->count = row[c];
            t->share_pct = ratio((double)row[c], (double)total, 100.0);
            k++;
        }
    }
    d->noffence_types = k;
}

int
bind_tables(const struct bind_run *r, const struct bind_pop *p, struct board_data *d,
            struct yj_error *err)
{
    int rc;

    if ((rc = fte_custody(r, p, d, err)) != YJ_OK || (rc = ethnicity(r, p, d, err)) != YJ_OK)
        return rc;
    reoffending(r, d);
    offence_types(r, d);
    return YJ_OK;
}
