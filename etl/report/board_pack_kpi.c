/*
 * board_pack_kpi.c - the pack's first section: the ten KPI headlines of the latest quarter
 * with the change on the quarter before, and each one's trend over the archive's quarters (a
 * line chart and its table). The headline of a KPI is its first measure in the trend
 * (d->trend_kpi, as the archive's headline.csv files hold them). A numerator or denominator
 * under the threshold is hidden, with the complement of the split (denominator less
 * numerator) protected as well, and so is every rate and change worked out from a hidden
 * count. Quarters whose run is unverified or missing carry no figures.
 */
#include "board_pack_int.h"

#include "mem.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define NKPI 10

/* One headline's figures, per quarter of the trend. */
struct kpi_line {
    const struct board_trend_kpi *first; /* its first row: kpi, measure, unit */
    const struct board_trend_kpi **row;  /* per quarter, NULL when none */
    size_t *num, *den;                   /* cells of the suppression table */
};

static int
has_figures(const struct board_trend_kpi *r)
{
    return r && r->mark != BOARD_UNVERIFIED && r->mark != BOARD_MISSING;
}

/* The headline's rate in quarter Q: NAN when none, hidden when a count behind it is. */
static double
kpi_rate(const struct kpi_line *l, const struct supp_table *t, size_t q, int *hidden)
{
    *hidden = 0;
    if (!has_figures(l->row[q]))
        return NAN;
    *hidden = supp_hidden(t, l->num[q]) || supp_hidden(t, l->den[q]);
    return pk_scaled(t, l->row[q]->rate, l->num[q], l->den[q]);
}

static const char *
unit_text(const char *unit)
{
    return strcmp(unit, "percent") == 0 ? "%" : unit;
}

/* The headline table: one row per KPI, its latest quarter against the one before. */
static void
kpi_headlines(struct pack *pk, struct kpi_line *l, size_t nl, const struct supp_table *t, size_t nq)
{
    char a[48];

    fputs("<table id=\"headlines\"><caption>The ten KPI headlines</caption>\n<tr><th>KPI</th>"
          "<th>Measure</th><th>Quarter</th><th>Rate</th><th>Unit</th><th>Change on last "
          "quarter</th><th>Quarter's run</th></tr>\n",
          pk->f);
    for (size_t k = 0; k < nl; k++) {
        int h1 = 0, h0 = 0;
        double now = nq ? kpi_rate(&l[k], t, nq - 1, &h1) : NAN;
        double before = nq > 1 ? kpi_rate(&l[k], t, nq - 2, &h0) : NAN;

        fprintf(pk->f, "<tr><td class=\"l\">%d</td><td class=\"l\">", l[k].first->kpi);
        pk_text(pk, l[k].first->measure);
        fputs("</td><td class=\"l\">", pk->f);
        if (nq)
            pk_text(pk, l[k].row[nq - 1] ? l[k].row[nq - 1]->period : "-");
        fputs("</td>", pk->f);
        pk_rate_td(pk, now, 1, h1);
        fputs("<td class=\"l\">", pk->f);
        pk_text(pk, unit_text(l[k].first->unit));
        fputs("</td>", pk->f);
        if (h1 || h0)
            fputs("<td>[c]</td>", pk->f);
        else if (isnan(now) || isnan(before))
            fputs("<td>-</td>", pk->f);
        else {
            pk_num(a, sizeof(a), now - before, 1);
            fprintf(pk->f, "<td>%s%s</td>", a[0] == '-' ? "" : "+", a);
        }
        fputs("<td class=\"l\">", pk->f);
        if (nq && l[k].row[nq - 1])
            pk_text(pk, board_mark_name(l[k].row[nq - 1]->mark));
        fputs("</td></tr>\n", pk->f);
    }
    fputs("</table>\n", pk->f);
}

/* One KPI's trend: its chart and its table. */
static void
kpi_trend(struct pack *pk, const struct kpi_line *l, const struct supp_table *t,
          char (*q)[BOARD_PERIOD_LEN], size_t nq)
{
    char id[32], title[160], summary[320], unit[80];
    const char **x = xcalloc(nq + 1, sizeof(*x));
    char(*labels)[32] = xcalloc(nq + 1, sizeof(*labels));
    double *y = xcalloc(nq + 1, sizeof(*y));
    struct svg_series s = {l->first->measure, y};
    struct svg_chart c = {id, title, summary, "quarter", unit, x, nq, &s, 1, NULL};

    snprintf(id, sizeof(id), "kpi%d", l->first->kpi);
    snprintf(title, sizeof(title), "KPI %d, %s: rate by quarter", l->first->kpi, l->first->measure);
    snprintf(unit, sizeof(unit), "rate (%s)", unit_text(l->first->unit));
    snprintf(summary, sizeof(summary),
             "Line chart of the rate of KPI %d (%s) in each of %zu quarters; the table beside "
             "it gives the same figures.",
             l->first->kpi, l->first->measure, nq);
    for (size_t i = 0; i < nq; i++) {
        int hidden;

        x[i] = pk_quarter_label(pk, q[i], labels[i], sizeof(labels[i]));
        y[i] = kpi_rate(l, t, i, &hidden);
        if (hidden)
            y[i] = NAN;
    }
    pk_figure_open(pk, id, title, PK_CASES_KPI);
    pk_line_or_note(pk, &c);
    fprintf(pk->f,
            "<table><caption>KPI %d by quarter</caption>\n<tr><th>Quarter</th>"
            "<th>Run</th><th>Numerator</th><th>Denominator</th><th>Rate</th></tr>\n",
            l->first->kpi);
    for (size_t i = 0; i < nq; i++) {
        int hidden;
        double r = kpi_rate(l, t, i, &hidden);

        pk_text_td(pk, q[i], 1);
        pk_text_td(pk, pk_mark_word(pk, q[i]), 0);
        if (has_figures(l->row[i])) {
            pk_count_td(pk, t, l->num[i]);
            pk_count_td(pk, t, l->den[i]);
        } else
            fputs("<td>-</td><td>-</td>", pk->f);
        pk_rate_td(pk, r, 1, hidden);
        fputs("</tr>\n", pk->f);
    }
    fputs("</table>\n", pk->f);
    pk_figure_close(pk);
    free(x);
    free(labels);
    free(y);
}

/* Finds each KPI's headline rows and adds their counts to T. Returns how many KPIs. */
static size_t
kpi_lines(const struct board_data *d, struct kpi_line *l, struct supp_table *t,
          char (*q)[BOARD_PERIOD_LEN], size_t nq)
{
    size_t nl = 0;

    for (int kpi = 1; kpi <= NKPI; kpi++) {
        const struct board_trend_kpi *first = NULL;

        for (size_t i = 0; i < d->ntrend_kpi && !first; i++)
            if (d->trend_kpi[i].kpi == kpi)
                first = &d->trend_kpi[i];
        if (!first)
            continue;
        l[nl].first = first;
        l[nl].row = xcalloc(nq + 1, sizeof(*l[nl].row));
        l[nl].num = xcalloc(nq + 1, sizeof(size_t));
        l[nl].den = xcalloc(nq + 1, sizeof(size_t));
        for (size_t i = 0; i < d->ntrend_kpi; i++) {
            const struct board_trend_kpi *r = &d->trend_kpi[i];

            if (r->kpi != kpi || strcmp(r->measure, first->measure) != 0)
                continue;
            size_t k = pk_period_index(q, nq, r->period);
            if (k < nq && !l[nl].row[k])
                l[nl].row[k] = r;
        }
        for (size_t k = 0; k < nq; k++) {
            const struct board_trend_kpi *r = l[nl].row[k];
            size_t sum[3];

            if (!has_figures(r))
                continue;
            sum[0] = l[nl].num[k] = supp_cell(t, r->numerator, 0);
            sum[1] = supp_cell(t, r->denominator - r->numerator, SUPP_VIRTUAL);
            sum[2] = l[nl].den[k] = supp_cell(t, r->denominator, SUPP_TOTAL);
            supp_sum(t, sum, 3);
        }
        nl++;
    }
    return nl;
}

void
pack_kpi(struct pack *pk)
{
    struct kpi_line l[NKPI];
    struct supp_table t;
    char(*q)[BOARD_PERIOD_LEN] = NULL;
    size_t nq = pk_periods(pk->d->trend_kpi, pk->d->ntrend_kpi, sizeof(*pk->d->trend_kpi),
                           offsetof(struct board_trend_kpi, period), &q);
    size_t nl;

    supp_table_init(&t);
    memset(l, 0, sizeof(l));
    nl = kpi_lines(pk->d, l, &t, q, nq);
    supp_apply(&t, pk->p);
    fputs("<h2 id=\"kpi\">The ten key performance indicators</h2>\n", pk->f);
    if (nl == 0)
        fputs("<p class=\"nochart\">The archive holds no KPI headlines.</p>\n", pk->f);
    else
        kpi_headlines(pk, l, nl, &t, nq);
    for (size_t k = 0; k < nl; k++)
        kpi_trend(pk, &l[k], &t, q, nq);
    for (size_t k = 0; k < nl; k++) {
        free(l[k].row);
        free(l[k].num);
        free(l[k].den);
    }
    supp_table_release(&t);
    free(q);
}
