/*
 * board_pack_groups.c - the pack's comparisons of groups in the rolling year ending with the
 * return's quarter: each ethnicity group's share of first time entrants, of custody and of
 * the KPI cohort against its share of the 10-17 population (with the relative rate index),
 * the offence types behind custody and community orders, and the recording trend (children
 * per recording problem, by quarter). The groups of a disposal add up to a total row the page
 * shows; the known groups of a measure to the shares' base, which with "Not stated" adds up to
 * all groups; the population is published data and never suppressed. A share, difference or
 * index worked out from a hidden count is hidden too: every group's index when the White
 * group's count, which each one divides by, is hidden, every share when its base or total is.
 * The totals of first time entrants and of custody are linked counts (board_pack_int.h).
 */
#include "board_pack_int.h"

#include "mem.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static const struct {
    const char *measure, *cases, *title;
} measures[] = {
    {"fte", "fte", "Ethnicity of first time entrants against the 10-17 population"},
    {"custody", "custodial",
     "Ethnicity of children sentenced to custody against the 10-17 "
     "population"},
    {"kpi_cohort", "kpi_cohort", "Ethnicity of the KPI cohort against the 10-17 population"},
};

/* The cells of one measure's N rows ROW into T and CELL: a cell per row; CELL[N], the total
 * of all groups; CELL[N + 1], the total of the known groups (every group but "Not stated"),
 * which the shares divide by. With a "Not stated" row the two totals are two cells bound by
 * a sum of their own; without, one. The total of first time entrants is linked. */
static void
eth_cells(struct pack *pk, struct supp_table *t, const struct board_ethnicity **row, size_t n,
          const char *measure, size_t *cell)
{
    size_t *sum = xcalloc(n + 2, sizeof(*sum)), nsum = 0, ns = n;
    long known = 0, all = 0;
    unsigned all_flags =
        strcmp(measure, "fte") == 0 ? pk_link_flags(pk, PK_LINK_FTE, SUPP_TOTAL) : SUPP_TOTAL;

    for (size_t i = 0; i < n; i++) {
        cell[i] = supp_cell(t, row[i]->count, 0);
        all += row[i]->count;
        if (strcmp(row[i]->group, BOARD_NOT_STATED) == 0)
            ns = i;
        else {
            known += row[i]->count;
            sum[nsum++] = cell[i];
        }
    }
    if (ns == n) {
        cell[n] = cell[n + 1] = supp_cell(t, all, all_flags);
        sum[nsum++] = cell[n];
        supp_sum(t, sum, nsum);
    } else {
        sum[nsum++] = cell[n + 1] = supp_cell(t, known, SUPP_TOTAL);
        supp_sum(t, sum, nsum);
        sum[0] = cell[n + 1];
        sum[1] = cell[ns];
        sum[2] = cell[n] = supp_cell(t, all, all_flags);
        supp_sum(t, sum, 3);
    }
    supp_apply(t, pk->p);
    if (strcmp(measure, "fte") == 0)
        pk_link_note(pk, PK_LINK_FTE, t, cell[n]);
    free(sum);
}

/* One measure's rows of the ethnicity table and their cells. */
static void
ethnicity_measure(struct pack *pk, const char *measure, const char *cases, const char *title)
{
    const struct board_data *d = pk->d;
    const struct board_ethnicity **row = xcalloc(d->nethnicity + 1, sizeof(*row));
    size_t *cell = xcalloc(d->nethnicity + 3, sizeof(*cell)), n = 0, white = PK_NO_CELL;
    const char **x = xcalloc(d->nethnicity + 1, sizeof(*x));
    double *ys = xcalloc(d->nethnicity + 1, sizeof(double)),
           *yp = xcalloc(d->nethnicity + 1, sizeof(double));
    struct svg_series s[2] = {{"share of the children", ys}, {"share of the population", yp}};
    char id[64], summary[320];
    struct svg_chart c = {id, title, summary, "ethnicity group", "share (%)", x, 0, s, 2, "[c]"};
    struct supp_table t;
    int hbase;

    for (size_t i = 0; i < d->nethnicity; i++)
        if (strcmp(d->ethnicity[i].measure, measure) == 0)
            row[n++] = &d->ethnicity[i];
    if (n == 0)
        goto done;
    supp_table_init(&t);
    eth_cells(pk, &t, row, n, measure, cell);
    for (size_t i = 0; i < n; i++)
        if (row[i]->comparator)
            white = cell[i];
    hbase = supp_hidden(&t, cell[n + 1]);
    snprintf(id, sizeof(id), "eth-%s", measure);
    snprintf(summary, sizeof(summary),
             "Bar chart of each ethnicity group's share of the children against its share of "
             "the 10-17 population, %zu groups; the table beside it gives the counts, the "
             "difference and the relative rate index.",
             n);
    c.nx = n;
    for (size_t i = 0; i < n; i++) {
        x[i] = row[i]->group;
        ys[i] = supp_hidden(&t, cell[i]) || hbase
                    ? NAN
                    : pk_scaled(&t, row[i]->share_pct, cell[i], cell[n + 1]);
        yp[i] = row[i]->population_share_pct;
    }
    pk_figure_open(pk, id, title, cases);
    svg_bar_chart(pk->f, &c);
    fputs("<table><caption>", pk->f);
    pk_text(pk, title);
    fputs("</caption>\n<tr><th>Group</th><th>Children</th><th>Share %</th><th>Population "
          "10-17</th><th>Population share %</th><th>Difference (percentage points)</th>"
          "<th>Relative rate index (95% interval)</th></tr>\n",
          pk->f);
    for (size_t i = 0; i < n; i++) {
        const struct board_ethnicity *r = row[i];
        int h = supp_hidden(&t, cell[i]);
        int hr = h || (white != PK_NO_CELL && supp_hidden(&t, white));
        char a[32], b[32], e[32];

        pk_text_td(pk, r->group, 1);
        pk_count_td(pk, &t, cell[i]);
        double share = pk_scaled(&t, r->share_pct, cell[i], cell[n + 1]);
        int exact = pk->p->round_base <= 0; /* an interval would give the exact counts back */

        pk_rate_td(pk, share, 1, h || hbase);
        fprintf(pk->f, "<td>%ld</td>", r->population);
        pk_rate_td(pk, r->population_share_pct, 1, 0);
        pk_rate_td(pk, exact ? r->difference_pp : share - r->population_share_pct, 1, h || hbase);
        if (hr)
            fputs("<td>[c]</td>", pk->f);
        else
            fprintf(pk->f, "<td>%s (%s to %s)</td>",
                    pk_num(a, sizeof(a), pk_scaled(&t, r->rri, cell[i], white), 2),
                    pk_num(b, sizeof(b), exact ? r->rri_low : NAN, 2),
                    pk_num(e, sizeof(e), exact ? r->rri_high : NAN, 2));
        fputs("</tr>\n", pk->f);
    }
    if (cell[n + 1] != cell[n]) {
        fputs("<tr><td class=\"l\">Known groups (the shares' base)</td>", pk->f);
        pk_count_td(pk, &t, cell[n + 1]);
        fputs("<td></td><td></td><td></td><td></td><td></td></tr>\n", pk->f);
    }
    fputs("<tr><td class=\"l\">All groups</td>", pk->f);
    pk_count_td(pk, &t, cell[n]);
    fputs("<td></td><td></td><td></td><td></td><td></td></tr>\n</table>\n", pk->f);
    pk_figure_close(pk);
    supp_table_release(&t);
done:
    free(row), free(cell), free(x), free(ys), free(yp);
}

void
pack_ethnicity(struct pack *pk)
{
    fputs("<h2 id=\"ethnicity\">Ethnicity against the population</h2>\n<p class=\"note\">In "
          "the year ending with ",
          pk->f);
    pk_text(pk, pk->d->period);
    fputs(". The relative rate index is a group's rate per head of its 10-17 population over "
          "the White group's; above 1, the group is over-represented.</p>\n",
          pk->f);
    if (pk->d->nethnicity == 0)
        fputs("<p class=\"nochart\">No ethnicity figures.</p>\n", pk->f);
    for (size_t m = 0; m < sizeof(measures) / sizeof(measures[0]); m++)
        ethnicity_measure(pk, measures[m].measure, measures[m].cases, measures[m].title);
}

/* The offence categories of D, distinct, in their first order, into CAT; returns how many. */
static size_t
offence_categories(const struct board_data *d, const char **cat)
{
    size_t n = 0;

    for (size_t i = 0; i < d->noffence_types; i++) {
        size_t k = 0;

        while (k < n && strcmp(cat[k], d->offence_types[i].category) != 0)
            k++;
        if (k == n)
            cat[n++] = d->offence_types[i].category;
    }
    return n;
}

void
pack_offences(struct pack *pk)
{
    static const char *const disposal[2] = {"Custody", "Community"};
    const struct board_data *d = pk->d;
    const char **cat = xcalloc(d->noffence_types + 1, sizeof(*cat));
    size_t nc = offence_categories(d, cat);
    const struct board_offence_type **row = xcalloc(2 * nc + 2, sizeof(*row));
    size_t *cell = xcalloc(2 * nc + 2, sizeof(*cell)), *sum = xcalloc(nc + 1, sizeof(*sum));
    double *y[2] = {xcalloc(nc + 1, sizeof(double)), xcalloc(nc + 1, sizeof(double))};
    struct svg_series s[2] = {{"custody", y[0]}, {"community orders", y[1]}};
    struct svg_chart c = {"offences",
                          "Offence types leading to custody and to community orders",
                          "Bar chart of each offence type's share of the outcomes leading to "
                          "custody and of those leading to community orders; the table beside "
                          "it gives the counts.",
                          "offence type",
                          "share of the outcomes (%)",
                          cat,
                          nc,
                          s,
                          2,
                          "[c]"};
    struct supp_table t;

    supp_table_init(&t);
    for (size_t i = 0; i < d->noffence_types; i++)
        for (size_t k = 0; k < nc; k++)
            for (int g = 0; g < 2; g++)
                if (strcmp(d->offence_types[i].category, cat[k]) == 0 &&
                    strcmp(d->offence_types[i].disposal, disposal[g]) == 0)
                    row[g * nc + k] = &d->offence_types[i];
    for (int g = 0; g < 2; g++) {
        long total = 0;

        for (size_t k = 0; k < nc; k++) {
            const struct board_offence_type *r = row[g * nc + k];

            sum[k] = cell[g * nc + k] = supp_cell(&t, r ? r->count : 0, 0);
            total += r ? r->count : 0;
        }
        sum[nc] = cell[2 * nc + (size_t)g] =
            supp_cell(&t, total, g ? SUPP_TOTAL : pk_link_flags(pk, PK_LINK_CUSTODY, SUPP_TOTAL));
        supp_sum(&t, sum, nc + 1);
    }
    supp_apply(&t, pk->p);
    pk_link_note(pk, PK_LINK_CUSTODY, &t, cell[2 * nc]);
    for (int g = 0; g < 2; g++)
        for (size_t k = 0; k < nc; k++) {
            const struct board_offence_type *r = row[g * nc + k];

            y[g][k] =
                !r ? 0
                : supp_hidden(&t, cell[g * nc + k]) || supp_hidden(&t, cell[2 * nc + (size_t)g])
                    ? NAN
                    : pk_scaled(&t, r->share_pct, cell[g * nc + k], cell[2 * nc + (size_t)g]);
        }
    fputs("<h2 id=\"offences\">Offence types</h2>\n", pk->f);
    if (nc == 0)
        fputs("<p class=\"nochart\">No offence types to show.</p>\n", pk->f);
    else {
        pk_figure_open(pk, "offences", c.title, "offence_type");
        svg_bar_chart(pk->f, &c);
        fputs("<table><caption>Offence types, in the rolling year</caption>\n<tr><th>Offence "
              "type</th><th>Custody</th><th>Custody %</th><th>Community orders</th>"
              "<th>Community orders %</th></tr>\n",
              pk->f);
        for (size_t k = 0; k < nc; k++) {
            pk_text_td(pk, cat[k], 1);
            for (int g = 0; g < 2; g++) {
                const struct board_offence_type *r = row[g * nc + k];

                pk_count_td(pk, &t, cell[g * nc + k]);
                pk_rate_td(
                    pk,
                    r ? pk_scaled(&t, r->share_pct, cell[g * nc + k], cell[2 * nc + (size_t)g])
                      : NAN,
                    1,
                    supp_hidden(&t, cell[g * nc + k]) || supp_hidden(&t, cell[2 * nc + (size_t)g]));
            }
            fputs("</tr>\n", pk->f);
        }
        fputs("<tr><td class=\"l\">All offence types</td>", pk->f);
        pk_count_td(pk, &t, cell[2 * nc]);
        fputs("<td></td>", pk->f);
        pk_count_td(pk, &t, cell[2 * nc + 1]);
        fputs("<td></td></tr>\n</table>\n", pk->f);
        pk_figure_close(pk);
    }
    supp_table_release(&t);
    free(cat), free(row), free(cell), free(sum), free(y[0]), free(y[1]);
}

/* The four problems of the recording trend with most children in its last quarter (ties: in
 * their first order), into PICK; returns how many. */
static size_t
recording_pick(const struct board_data *d, const char **prob, size_t np, const char *last,
               size_t *pick)
{
    long *n = xcalloc(np + 1, sizeof(*n));
    size_t npick = 0;

    for (size_t i = 0; i < d->ntrend_recording; i++)
        for (size_t k = 0; k < np; k++)
            if (strcmp(d->trend_recording[i].problem, prob[k]) == 0 &&
                strcmp(d->trend_recording[i].period, last) == 0)
                n[k] = d->trend_recording[i].children;
    while (npick < SVG_NCOLOURS && npick < np) {
        size_t best = (size_t)-1;

        for (size_t k = 0; k < np; k++)
            if (n[k] >= 0 && (best == (size_t)-1 || n[k] > n[best]))
                best = k;
        pick[npick++] = best;
        n[best] = -1;
    }
    free(n);
    return npick;
}

void
pack_recording(struct pack *pk)
{
    const struct board_data *d = pk->d;
    char(*q)[BOARD_PERIOD_LEN] = NULL;
    size_t nq = pk_periods(d->trend_recording, d->ntrend_recording, sizeof(*d->trend_recording),
                           offsetof(struct board_trend_recording, period), &q);
    const char **prob = xcalloc(d->ntrend_recording + 1, sizeof(*prob));
    size_t np = 0, pick[SVG_NCOLOURS], npick;
    size_t *cell = xcalloc((nq + 1) * (d->ntrend_recording + 1), sizeof(*cell));
    char(*labels)[32] = xcalloc(nq + 1, sizeof(*labels));
    const char **x = xcalloc(nq + 1, sizeof(*x));
    double *y = xcalloc(SVG_NCOLOURS * (nq + 1), sizeof(double));
    struct svg_series s[SVG_NCOLOURS];
    struct svg_chart c = {"recording",
                          "Recording problems by quarter",
                          "Line chart of the children with each of the most frequent recording "
                          "problems in the return, by quarter; fewer is better. The table "
                          "beside it gives every problem.",
                          "quarter",
                          "children with the problem",
                          x,
                          nq,
                          s,
                          0,
                          NULL};
    struct supp_table t;

    for (size_t i = 0; i < d->ntrend_recording; i++) {
        size_t k = 0;

        while (k < np && strcmp(prob[k], d->trend_recording[i].problem) != 0)
            k++;
        if (k == np)
            prob[np++] = d->trend_recording[i].problem;
    }
    supp_table_init(&t);
    for (size_t i = 0; i < (nq + 1) * (d->ntrend_recording + 1); i++)
        cell[i] = PK_NO_CELL;
    for (size_t i = 0; i < d->ntrend_recording; i++) {
        const struct board_trend_recording *r = &d->trend_recording[i];
        size_t k = 0, qi = pk_period_index(q, nq, r->period);

        while (strcmp(prob[k], r->problem) != 0)
            k++;
        if (r->mark != BOARD_UNVERIFIED && r->mark != BOARD_MISSING)
            cell[k * nq + qi] = supp_cell(&t, r->children, 0);
    }
    supp_apply(&t, pk->p);
    npick = nq ? recording_pick(d, prob, np, q[nq - 1], pick) : 0;
    for (size_t i = 0; i < nq; i++)
        x[i] = pk_quarter_label(pk, q[i], labels[i], sizeof(labels[i]));
    for (size_t j = 0; j < npick; j++) {
        s[j].label = prob[pick[j]];
        s[j].y = y + j * (nq + 1);
        for (size_t i = 0; i < nq; i++) {
            size_t ce = cell[pick[j] * nq + i];

            y[j * (nq + 1) + i] = pk_count_value(&t, ce);
        }
    }
    c.nseries = npick;
    fputs("<h2 id=\"recording\">Recording</h2>\n", pk->f);
    pk_figure_open(pk, "recording", c.title, NULL);
    fputs("<p class=\"cases\">The children behind it: each quarter's worklist "
          "(worklist.csv of its run's KPIs).</p>\n",
          pk->f);
    pk_line_or_note(pk, &c);
    fputs("<table><caption>Children with each recording problem, by quarter</caption>\n"
          "<tr><th>Problem</th>",
          pk->f);
    for (size_t i = 0; i < nq; i++) {
        fputs("<th>", pk->f);
        pk_text(pk, labels[i]);
        fputs("</th>", pk->f);
    }
    fputs("</tr>\n", pk->f);
    for (size_t k = 0; k < np; k++) {
        pk_text_td(pk, prob[k], 1);
        for (size_t i = 0; i < nq; i++)
            if (cell[k * nq + i] == PK_NO_CELL)
                fputs("<td>-</td>", pk->f);
            else
                pk_count_td(pk, &t, cell[k * nq + i]);
        fputs("</tr>\n", pk->f);
    }
    fputs("</table>\n", pk->f);
    pk_figure_close(pk);
    supp_table_release(&t);
    free(q), free(prob), free(cell), free(labels), free(x), free(y);
}
