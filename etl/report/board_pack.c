/*
 * board_pack.c - the board pack's page: its head (style, Content-Security-Policy), its
 * opening notes (the service, the quarter, the suppression policy, the quarters' marks), the
 * sections in order, and the helpers the sections share (board_pack_int.h). The page is
 * written to memory and committed whole (tmp + fsync + rename): a failure leaves no page
 * that looks complete. Numbers are printed with fixed precision; the "C" locale is assumed,
 * as no executable of the project calls setlocale().
 */
#include "board_pack_int.h"

#include "atomic.h"
#include "mem.h"
#include "rundir.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

void
pk_text(struct pack *pk, const char *s)
{
    svg_escape(pk->f, s);
}

const char *
pk_num(char *buf, size_t len, double v, int decimals)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.*f", decimals, v);
    return buf;
}

void
pk_text_td(struct pack *pk, const char *s, int row)
{
    fputs(row ? "<tr><td class=\"l\">" : "<td class=\"l\">", pk->f);
    pk_text(pk, s);
    fputs("</td>", pk->f);
}

void
pk_count_td(struct pack *pk, const struct supp_table *t, size_t i)
{
    char buf[32];

    fprintf(pk->f, "<td>%s</td>", supp_text(t, i, buf, sizeof(buf)));
}

void
pk_rate_td(struct pack *pk, double v, int decimals, int hidden)
{
    char buf[48];

    fprintf(pk->f, "<td>%s</td>", hidden ? "[c]" : pk_num(buf, sizeof(buf), v, decimals));
}

double
pk_count_value(const struct supp_table *t, size_t i)
{
    return i == PK_NO_CELL || supp_hidden(t, i) ? NAN : (double)supp_round(t->n[i], t->round_base);
}

size_t
pk_periods(const void *rows, size_t n, size_t size, size_t offset, char (**out)[BOARD_PERIOD_LEN])
{
    char(*q)[BOARD_PERIOD_LEN] = xcalloc(n + 1, sizeof(*q));
    size_t nq = 0;

    for (size_t i = 0; i < n; i++) {
        const char *period = (const char *)rows + i * size + offset;
        size_t at = 0;

        while (at < nq && strcmp(q[at], period) < 0)
            at++;
        if (at < nq && strcmp(q[at], period) == 0)
            continue;
        memmove(q + at + 1, q + at, (nq - at) * sizeof(*q));
        snprintf(q[at], BOARD_PERIOD_LEN, "%s", period);
        nq++;
    }
    *out = q;
    return nq;
}

size_t
pk_period_index(char (*q)[BOARD_PERIOD_LEN], size_t nq, const char *period)
{
    size_t i = 0;

    while (i < nq && strcmp(q[i], period) != 0)
        i++;
    return i;
}

int
pk_mark(const struct pack *pk, const char *period)
{
    const struct board_data *d = pk->d;

    for (size_t i = 0; i < d->ntrend_kpi; i++)
        if (strcmp(d->trend_kpi[i].period, period) == 0)
            return (int)d->trend_kpi[i].mark;
    for (size_t i = 0; i < d->ntrend_recording; i++)
        if (strcmp(d->trend_recording[i].period, period) == 0)
            return (int)d->trend_recording[i].mark;
    return -1;
}

const char *
pk_quarter_label(const struct pack *pk, const char *period, char *buf, size_t len)
{
    static const char *const tags[] = {"", "\n(r)", "\n(p)", "\n(u)", "\n(m)"};
    int m = pk_mark(pk, period);

    snprintf(buf, len, "%s%s", period, m < 0 ? "" : tags[m]);
    return buf;
}

const char *
pk_mark_word(const struct pack *pk, const char *period)
{
    int m = pk_mark(pk, period);

    return m < 0 ? "" : board_mark_name((enum board_mark)m);
}

void
pk_figure_open(struct pack *pk, const char *id, const char *title, const char *cases)
{
    fprintf(pk->f, "<figure id=\"fig-%s\"", id);
    if (cases)
        fprintf(pk->f, " data-cases=\"%s\"", cases);
    fputs(">\n<figcaption><h3>", pk->f);
    pk_text(pk, title);
    fputs("</h3>", pk->f);
    if (cases && strcmp(cases, PK_CASES_KPI) == 0)
        fputs("<p class=\"cases\">The children and records behind it: each quarter's KPI case "
              "list (kpi/cases.csv of the run the quarter comes from, kept by the analyst, never "
              "published).</p>",
              pk->f);
    else if (cases)
        fprintf(pk->f,
                "<p class=\"cases\">The children and records behind it: figure "
                "<code>%s</code> of the case list (report/cases.csv, kept by the analyst, "
                "never published).</p>",
                cases);
    fputs("</figcaption>\n<div class=\"pair\">\n", pk->f);
}

void
pk_figure_close(struct pack *pk)
{
    fputs("</div>\n</figure>\n", pk->f);
}

void
pk_line_or_note(struct pack *pk, const struct svg_chart *c)
{
    size_t with = 0;

    for (size_t i = 0; i < c->nx; i++) {
        int any = 0;

        for (size_t s = 0; s < c->nseries; s++)
            any |= !isnan(c->series[s].y[i]);
        with += any;
    }
    if (with >= 2) {
        svg_line_chart(pk->f, c);
        return;
    }
    fputs("<p class=\"nochart\">", pk->f);
    pk_text(pk, c->title);
    fprintf(pk->f,
            ": %s quarter with figures to show (fewer than two), so no chart is drawn; the "
            "table gives what there is.</p>\n",
            with == 0 ? "no" : "only one");
}

static const char style[] =
    "body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;background:#fff;margin:24px;"
    "line-height:1.4}\n"
    "h1{font-size:28px}h2{font-size:22px;border-top:4px solid #12436D;padding-top:8px;"
    "margin-top:32px}h3{font-size:17px;margin:0 0 4px}\n"
    "figure{margin:16px 0;break-inside:avoid}.pair{display:flex;flex-wrap:wrap;gap:16px;"
    "align-items:flex-start}\n"
    "table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #505a5f;"
    "padding:2px 6px;text-align:right}th{background:#f3f2f1;text-align:left}\n"
    "td.l{text-align:left;white-space:nowrap}.cases,.note{font-size:13px;color:#505a5f}\n"
    ".nochart{border:2px dashed #505a5f;padding:8px;max-width:640px}\n"
    "@page{size:A4;margin:12mm}@media print{body{margin:0}.pair{display:block}"
    "svg{max-width:100%;height:auto}"
    "h2{break-after:avoid}}\n";

/* The head of the page, its title and its opening notes. */
static void
pack_head(struct pack *pk)
{
    const struct board_data *d = pk->d;
    FILE *f = pk->f;

    fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    fputs("Board pack: ", f);
    pk_text(pk, d->yot);
    fputs(" ", f);
    pk_text(pk, d->period);
    fprintf(
        f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>Youth justice board pack: ", style);
    pk_text(pk, d->yot);
    fputs(", ", f);
    pk_text(pk, d->period);
    fputs("</h1>\n<p>From the return of ", f);
    pk_text(pk, d->period);
    fputs(" as recorded at ", f);
    pk_text(pk, d->as_of);
    fputs(", and the archive of the returns of earlier quarters.</p>\n<p class=\"note\">", f);
    if (pk->p->threshold > 0)
        fprintf(f, "Counts from 1 to %ld are not published: they show as [c]",
                pk->p->threshold - 1);
    else
        fputs("Every count is published", f);
    if (pk->p->threshold > 0 && pk->p->secondary)
        fputs(", and so do other counts wherever the totals, alone or together, would give a "
              "hidden one back",
              f);
    fputs(". ", f);
    if (pk->p->round_base > 0)
        fprintf(f,
                "Published counts are rounded to the nearest %ld; rates, shares and indices "
                "are worked out from the rounded counts, and no interval is given. ",
                pk->p->round_base);
    fputs("A rate worked out from a hidden count shows as [c]; one that cannot be worked out "
          "(nothing to divide by) as -. Quarters on the charts' axes: (r) resubmitted, "
          "(p) provisional (never submitted), (u) unverified (left out: its KPI manifest does "
          "not verify), (m) missing from the archive.</p>\n",
          f);
}

/* What rounding does to cell I of T: its rounded count over its count (1 for a zero). */
static double
rounding_factor(const struct supp_table *t, size_t i)
{
    if (i == PK_NO_CELL || t->n[i] == 0)
        return 1.0;
    return (double)supp_round(t->n[i], t->round_base) / (double)t->n[i];
}

double
pk_scaled(const struct supp_table *t, double v, size_t num, size_t den)
{
    double fd;

    if (t->round_base <= 0 || isnan(v))
        return v;
    fd = rounding_factor(t, den);
    return fd == 0.0 ? NAN : v * rounding_factor(t, num) / fd;
}

unsigned
pk_link_flags(const struct pack *pk, unsigned link, unsigned flags)
{
    return pk->hide & link ? flags | SUPP_HIDE : flags;
}

void
pk_link_note(struct pack *pk, unsigned link, const struct supp_table *t, size_t i)
{
    if (supp_hidden(t, i))
        pk->hidden |= link;
}

/* One pass over the page into *BUF, *LEN. */
static int
pack_page(struct pack *pk, char **buf, size_t *len, struct yj_error *err)
{
    pk->hidden = 0;
    pk->f = open_memstream(buf, len);
    if (!pk->f)
        return yj_error_set(err, YJ_EX_SOFTWARE, "could not start the board pack in memory");
    pack_head(pk);
    pack_kpi(pk);
    pack_fte(pk);
    pack_custody(pk);
    pack_reoffending(pk);
    pack_ethnicity(pk);
    pack_offences(pk);
    pack_recording(pk);
    fputs("</body>\n</html>\n", pk->f);
    if (fclose(pk->f) != 0) {
        free(*buf);
        *buf = NULL;
        return yj_error_set(err, YJ_EX_SOFTWARE, "could not write the board pack in memory");
    }
    return YJ_OK;
}

int
board_pack_html(const char *out_dir, const struct board_data *d, const struct board_policy *p,
                struct yj_error *err)
{
    struct pack pk = {NULL, d, p, 0, 0};
    char *buf = NULL, *path = NULL;
    size_t len = 0;
    int rc;

    /* a linked count hidden in one table is hidden in both on the next pass; a hidden count
     * stays hidden, so the passes end once no new one is (at most one per PK_LINK_* bit) */
    for (;;) {
        if ((rc = pack_page(&pk, &buf, &len, err)) != YJ_OK)
            return rc;
        if ((pk.hidden | pk.hide) == pk.hide)
            break;
        pk.hide |= pk.hidden;
        free(buf);
        buf = NULL;
    }
    path = path_join(out_dir, rundir_name(RD_REPORT_HTML));
    rc = atomic_write_file(path, buf, len, rundir_mode(RD_REPORT_HTML), err);
    free(path);
    free(buf);
    return rc;
}
