/*
 * board_pack_justice.c - the pack's local national indicators by quarter: first time
 * entrants, use of custody (the plans' custody table, against the target) and reoffending by
 * cohort. Each section builds one suppression table: a rolling year is the total of its four
 * quarters when the page shows all four; custodial sentences are a split of court outcomes
 * (the rest, never printed, is its complement), and so are reoffenders of a cohort's
 * children. A rate or share worked out from a hidden count is hidden too. These figures are
 * all computed from the one return's whole history, so their quarters carry no archive mark.
 */
#include "board_pack_int.h"

#include "mem.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* Whether quarters K-3..K of Q are four consecutive quarters with a cell each in CELL. */
static int
four_quarters(char (*q)[BOARD_PERIOD_LEN], size_t k, const size_t *cell)
{
    if (k < 3 || board_quarter_index(q[k - 3]) < 0 ||
        board_quarter_index(q[k]) - board_quarter_index(q[k - 3]) != 3)
        return 0;
    for (size_t i = k - 3; i <= k; i++)
        if (cell[i] == PK_NO_CELL)
            return 0;
    return 1;
}

/* A rolling year's cell ROLL[K] as the total of its four quarters' cells QC. */
static void
sum_year(struct supp_table *t, char (*q)[BOARD_PERIOD_LEN], size_t k, const size_t *qc,
         const size_t *roll)
{
    size_t sum[5];

    if (roll[k] == PK_NO_CELL || !four_quarters(q, k, qc))
        return;
    for (size_t i = 0; i < 4; i++)
        sum[i] = qc[k - 3 + i];
    sum[4] = roll[k];
    supp_sum(t, sum, 5);
}

static size_t *
no_cells(size_t n)
{
    size_t *c = xmalloc((n + 1) * sizeof(*c));

    for (size_t i = 0; i <= n; i++)
        c[i] = PK_NO_CELL;
    return c;
}

static void
td_cell(struct pack *pk, const struct supp_table *t, size_t cell)
{
    if (cell == PK_NO_CELL)
        fputs("<td>-</td>", pk->f);
    else
        pk_count_td(pk, t, cell);
}

static int
hidden(const struct supp_table *t, size_t cell)
{
    return cell != PK_NO_CELL && supp_hidden(t, cell);
}

void
pack_fte(struct pack *pk)
{
    const struct board_data *d = pk->d;
    char(*q)[BOARD_PERIOD_LEN] = NULL;
    size_t nq =
        pk_periods(d->fte, d->nfte, sizeof(*d->fte), offsetof(struct board_fte, period), &q);
    size_t *qc = no_cells(nq), *rc = no_cells(nq);
    const struct board_fte **rr = xcalloc(nq + 1, sizeof(*rr));
    const char **x = xcalloc(nq + 1, sizeof(*x));
    double *yq = xcalloc(nq + 1, sizeof(double)), *yr = xcalloc(nq + 1, sizeof(double));
    struct svg_series s[2] = {{"quarter", yq}, {"rolling year", yr}};
    struct svg_chart c = {"fte",
                          "First time entrants by quarter",
                          "Line chart of the children who entered the youth justice system for "
                          "the first time, in each quarter and in the year ending with it; the "
                          "table beside it gives the same figures and the rate.",
                          "quarter",
                          "children (first time entrants)",
                          x,
                          nq,
                          s,
                          2,
                          NULL};
    struct supp_table t;
    size_t cur; /* the return's own quarter among Q */

    supp_table_init(&t);
    cur = pk_period_index(q, nq, d->period);
    for (size_t i = 0; i < d->nfte; i++) {
        size_t k = pk_period_index(q, nq, d->fte[i].period);

        if (d->fte[i].basis == BOARD_QUARTER)
            qc[k] = supp_cell(&t, d->fte[i].entrants, 0);
        else {
            rc[k] = supp_cell(&t, d->fte[i].entrants,
                              k == cur ? pk_link_flags(pk, PK_LINK_FTE, SUPP_TOTAL) : SUPP_TOTAL);
            rr[k] = &d->fte[i];
        }
    }
    for (size_t k = 0; k < nq; k++)
        sum_year(&t, q, k, qc, rc);
    supp_apply(&t, pk->p);
    if (cur < nq && rc[cur] != PK_NO_CELL)
        pk_link_note(pk, PK_LINK_FTE, &t, rc[cur]);
    for (size_t k = 0; k < nq; k++) {
        x[k] = q[k];
        yq[k] = pk_count_value(&t, qc[k]);
        yr[k] = pk_count_value(&t, rc[k]);
    }
    fputs("<h2 id=\"fte\">First time entrants</h2>\n<p class=\"note\">A local estimate from the "
          "return: the official figure comes from the Police National Computer and runs "
          "higher.</p>\n",
          pk->f);
    pk_figure_open(pk, "fte", c.title, "fte");
    pk_line_or_note(pk, &c);
    fputs("<table><caption>First time entrants by quarter</caption>\n<tr><th>Quarter</th>"
          "<th>Entrants in the quarter</th><th>Entrants in the rolling year</th>"
          "<th>Rolling year per 100,000 aged 10-17</th></tr>\n",
          pk->f);
    for (size_t k = 0; k < nq; k++) {
        pk_text_td(pk, q[k], 1);
        td_cell(pk, &t, qc[k]);
        td_cell(pk, &t, rc[k]);
        pk_rate_td(pk, rr[k] ? pk_scaled(&t, rr[k]->rate_per_100000, rc[k], PK_NO_CELL) : NAN, 1,
                   hidden(&t, rc[k]));
        fputs("</tr>\n", pk->f);
    }
    fputs("</table>\n", pk->f);
    pk_figure_close(pk);
    supp_table_release(&t);
    free(q), free(qc), free(rc), free(rr), free(x), free(yq), free(yr);
}

/* One custody row's cells: custodial (FLAGS), its complement, court outcomes (a split). */
static void
custody_cells(struct supp_table *t, const struct board_custody *r, unsigned flags, size_t *cust,
              size_t *court)
{
    size_t sum[3];

    sum[0] = *cust = supp_cell(t, r->custodial, flags);
    sum[1] = supp_cell(t, r->court_outcomes - r->custodial, SUPP_VIRTUAL);
    sum[2] = *court = supp_cell(t, r->court_outcomes, SUPP_TOTAL);
    supp_sum(t, sum, 3);
}

/* The custody table's row of quarter K. */
static void
custody_row(struct pack *pk, const struct supp_table *t, const char *period,
            const struct board_custody *qr, const struct board_custody *rr, const size_t *cells)
{
    pk_text_td(pk, period, 1);
    td_cell(pk, t, cells[1]);
    td_cell(pk, t, cells[0]);
    pk_rate_td(pk, qr ? pk_scaled(t, qr->share_pct, cells[0], cells[1]) : NAN, 1,
               hidden(t, cells[0]) || hidden(t, cells[1]));
    td_cell(pk, t, cells[3]);
    td_cell(pk, t, cells[2]);
    pk_rate_td(pk, rr ? pk_scaled(t, rr->share_pct, cells[2], cells[3]) : NAN, 1,
               hidden(t, cells[2]) || hidden(t, cells[3]));
    pk_rate_td(pk, rr ? pk_scaled(t, rr->rate_per_1000, cells[2], PK_NO_CELL) : NAN, 2,
               hidden(t, cells[2]));
    pk_rate_td(pk, rr ? rr->target_pct : qr ? qr->target_pct : NAN, 2, 0);
    fputs("</tr>\n", pk->f);
}

void
pack_custody(struct pack *pk)
{
    const struct board_data *d = pk->d;
    char(*q)[BOARD_PERIOD_LEN] = NULL;
    size_t nq = pk_periods(d->custody, d->ncustody, sizeof(*d->custody),
                           offsetof(struct board_custody, period), &q);
    size_t *qcust = no_cells(nq), *qcourt = no_cells(nq), *rcust = no_cells(nq),
           *rcourt = no_cells(nq);
    const struct board_custody **qr = xcalloc(nq + 1, sizeof(*qr)),
                               **rr = xcalloc(nq + 1, sizeof(*rr));
    const char **x = xcalloc(nq + 1, sizeof(*x));
    double *ys = xcalloc(nq + 1, sizeof(double)), *yt = xcalloc(nq + 1, sizeof(double));
    struct svg_series s[2] = {{"rolling year", ys}, {"target", yt}};
    struct svg_chart c = {"custody",
                          "Use of custody: custodial sentences as a share of court outcomes",
                          "Line chart of custodial sentences as a percentage of court outcomes "
                          "in the year ending with each quarter, against the local target; the "
                          "table beside it gives the counts by quarter.",
                          "quarter",
                          "custodial sentences (% of court outcomes)",
                          x,
                          nq,
                          s,
                          2,
                          NULL};
    struct supp_table t;
    size_t cur; /* the return's own quarter among Q */

    supp_table_init(&t);
    cur = pk_period_index(q, nq, d->period);
    for (size_t i = 0; i < d->ncustody; i++) {
        size_t k = pk_period_index(q, nq, d->custody[i].period);

        if (d->custody[i].basis == BOARD_QUARTER) {
            qr[k] = &d->custody[i];
            custody_cells(&t, qr[k], 0, &qcust[k], &qcourt[k]);
        } else {
            rr[k] = &d->custody[i];
            custody_cells(&t, rr[k], k == cur ? pk_link_flags(pk, PK_LINK_CUSTODY, 0) : 0,
                          &rcust[k], &rcourt[k]);
        }
    }
    for (size_t k = 0; k < nq; k++) {
        sum_year(&t, q, k, qcust, rcust);
        sum_year(&t, q, k, qcourt, rcourt);
    }
    supp_apply(&t, pk->p);
    if (cur < nq && rcust[cur] != PK_NO_CELL)
        pk_link_note(pk, PK_LINK_CUSTODY, &t, rcust[cur]);
    for (size_t k = 0; k < nq; k++) {
        x[k] = q[k];
        ys[k] = rr[k] && !hidden(&t, rcust[k]) && !hidden(&t, rcourt[k])
                    ? pk_scaled(&t, rr[k]->share_pct, rcust[k], rcourt[k])
                    : NAN;
        yt[k] = rr[k] ? rr[k]->target_pct : NAN;
    }
    fputs("<h2 id=\"custody\">Use of custody</h2>\n", pk->f);
    pk_figure_open(pk, "custody", c.title, "custodial");
    pk_line_or_note(pk, &c);
    fputs("<table><caption>Custody by quarter (court outcomes: case list figure "
          "<code>court_outcome</code>)</caption>\n<tr><th>Quarter</th>"
          "<th>Court outcomes</th><th>Custodial sentences</th><th>Custody %</th>"
          "<th>Rolling year: court outcomes</th><th>Rolling year: custodial sentences</th>"
          "<th>Rolling year: custody %</th><th>Rolling year: custody per 1,000 aged 10-17</th>"
          "<th>Target %</th></tr>\n",
          pk->f);
    for (size_t k = 0; k < nq; k++) {
        size_t cells[4] = {qcust[k], qcourt[k], rcust[k], rcourt[k]};

        custody_row(pk, &t, q[k], qr[k], rr[k], cells);
    }
    fputs("</table>\n", pk->f);
    pk_figure_close(pk);
    supp_table_release(&t);
    free(q), free(qcust), free(qcourt), free(rcust), free(rcourt), free(qr), free(rr);
    free(x), free(ys), free(yt);
}

/* The reoffending table's row of cohort R, its cells C: children, reoffenders, reoffences. */
static void
reoffending_row(struct pack *pk, const struct supp_table *t, const struct board_reoffending *r,
                const size_t *c)
{
    int hc = supp_hidden(t, c[0]), hr = supp_hidden(t, c[1]), ho = supp_hidden(t, c[2]);

    pk_text_td(pk, r->cohort, 1);
    pk_text_td(pk, r->final ? "final" : "not final", 0);
    pk_count_td(pk, t, c[0]);
    pk_count_td(pk, t, c[1]);
    pk_count_td(pk, t, c[2]);
    pk_rate_td(pk, pk_scaled(t, r->binary_pct, c[1], c[0]), 1, hc || hr);
    pk_rate_td(pk, pk_scaled(t, r->per_reoffender, c[2], c[1]), 2, hr || ho);
    pk_rate_td(pk, pk_scaled(t, r->per_child, c[2], c[0]), 2, hc || ho);
    fputs("</tr>\n", pk->f);
}

void
pack_reoffending(struct pack *pk)
{
    const struct board_data *d = pk->d;
    size_t n = d->nreoffending;
    size_t(*cells)[3] = xcalloc(n + 1, sizeof(*cells));
    const char **x = xcalloc(n + 1, sizeof(*x));
    double *yf = xcalloc(n + 1, sizeof(double)), *yo = xcalloc(n + 1, sizeof(double));
    struct svg_series s[2] = {{"final cohorts", yf}, {"not final (still open)", yo}};
    struct svg_chart c = {"reoffending",
                          "Reoffending by cohort: children who reoffended",
                          "Line chart of the percentage of each 3-month cohort of children "
                          "cautioned, convicted or released from custody who reoffended within "
                          "a year; cohorts still open are drawn apart as not final. The table "
                          "beside it gives the counts and the frequency.",
                          "cohort (quarter of the caution, conviction or release)",
                          "children who reoffended (% of the cohort)",
                          x,
                          n,
                          s,
                          2,
                          NULL};
    struct supp_table t;

    supp_table_init(&t);
    for (size_t i = 0; i < n; i++) {
        const struct board_reoffending *r = &d->reoffending[i];
        size_t sum[3];

        sum[2] = cells[i][0] = supp_cell(&t, r->children, SUPP_TOTAL);
        sum[0] = cells[i][1] = supp_cell(&t, r->reoffenders, 0);
        sum[1] = supp_cell(&t, r->children - r->reoffenders, SUPP_VIRTUAL);
        cells[i][2] = supp_cell(&t, r->reoffences, 0);
        supp_sum(&t, sum, 3);
    }
    supp_apply(&t, pk->p);
    for (size_t i = 0; i < n; i++) {
        const struct board_reoffending *r = &d->reoffending[i];
        double v = supp_hidden(&t, cells[i][0]) || supp_hidden(&t, cells[i][1])
                       ? NAN
                       : pk_scaled(&t, r->binary_pct, cells[i][1], cells[i][0]);

        x[i] = r->cohort;
        yf[i] = r->final ? v : NAN;
        yo[i] = r->final ? NAN : v;
    }
    fputs("<h2 id=\"reoffending\">Reoffending</h2>\n", pk->f);
    pk_figure_open(pk, "reoffending", c.title, "reoffending_cohort");
    pk_line_or_note(pk, &c);
    fputs("<table><caption>Reoffending by cohort (reoffences: case list figure "
          "<code>reoffence</code>)</caption>\n<tr><th>Cohort</th><th>Final</th>"
          "<th>Children</th><th>Reoffenders</th><th>Reoffences</th><th>Reoffended %</th>"
          "<th>Reoffences per reoffender</th><th>Reoffences per child</th></tr>\n",
          pk->f);
    for (size_t i = 0; i < n; i++)
        reoffending_row(pk, &t, &d->reoffending[i], cells[i]);
    fputs("</table>\n", pk->f);
    pk_figure_close(pk);
    supp_table_release(&t);
    free(cells), free(x), free(yf), free(yo);
}
