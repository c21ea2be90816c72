/*
 * board_pack_int.h - what the files of the board pack's page share: the page being written
 * (an in-memory stream, committed whole by board_pack_html) and the helpers every section
 * uses for numbers, quarters, figures and suppressed cells. Not for use outside
 * etl/report/board_pack*.c.
 */
#ifndef YJ_BOARD_PACK_INT_H
#define YJ_BOARD_PACK_INT_H

#include <stdio.h>

#include "board_pack.h"
#include "board_suppress.h"
#include "board_svg.h"

/* A count printed in two tables, each suppressed on its own: hidden in one, it is hidden in
 * the other (PK_LINK_* bits of struct pack's link masks). */
#define PK_LINK_FTE 1u     /* the rolling year's entrants = the fte ethnicity table's total */
#define PK_LINK_CUSTODY 2u /* the rolling year's custodial sentences = offence types' custody */

struct pack {
    FILE *f; /* the page, an open_memstream() owned by board_pack_html */
    const struct board_data *d;
    const struct board_policy *p;
    unsigned hide;   /* PK_LINK_* counts to hide from the start (hidden in a pass before) */
    unsigned hidden; /* PK_LINK_* counts hidden in this pass */
};

/* The flags of linked count LINK's cell (FLAGS and SUPP_HIDE when it is to be hidden). */
unsigned pk_link_flags(const struct pack *pk, unsigned link, unsigned flags);
/* Notes whether linked count LINK, cell I of T, came out hidden. */
void pk_link_note(struct pack *pk, unsigned link, const struct supp_table *t, size_t i);

/* Writes S escaped. */
void pk_text(struct pack *pk, const char *s);
/* V with DECIMALS decimals into BUF, "-" when it is NAN. Returns BUF. */
const char *pk_num(char *buf, size_t len, double v, int decimals);
/* A text cell: S escaped, aligned left; opens the row first when ROW. */
void pk_text_td(struct pack *pk, const char *s, int row);
/* Cell I of T as printed ([c] or the count): a <td>. */
void pk_count_td(struct pack *pk, const struct supp_table *t, size_t i);
/* A figure derived from counts: "[c]" when HIDDEN, else V with DECIMALS decimals, in a <td>. */
void pk_rate_td(struct pack *pk, double v, int decimals, int hidden);
/* V, a figure in proportion to cell NUM of T over cell DEN of T (either PK_NO_CELL: a count
 * the page does not round, such as a population), as the printed counts give it: with
 * rounding on, worked out again from the rounded counts (NAN when the rounded DEN is 0);
 * else V. */
#define PK_NO_CELL ((size_t)-1)
double pk_scaled(const struct supp_table *t, double v, size_t num, size_t den);
/* The chart's value of cell I of T: NAN when hidden or PK_NO_CELL, else the published
 * (rounded) count. */
double pk_count_value(const struct supp_table *t, size_t i);
/* The mark of PERIOD in the archive's trend (-1: the trend does not hold it). */
int pk_mark(const struct pack *pk, const char *period);
/* PERIOD as the axes show it: with a second line "(r)", "(p)", "(u)" or "(m)" for a quarter
 * resubmitted, provisional, unverified or missing. Returns BUF. */
const char *pk_quarter_label(const struct pack *pk, const char *period, char *buf, size_t len);
/* The mark of PERIOD in words for a table cell ("" for none). */
const char *pk_mark_word(const struct pack *pk, const char *period);
/* The distinct periods of N rows of SIZE bytes (the period a char[BOARD_PERIOD_LEN] at OFFSET
 * of each), in order (period names sort as quarters do), into *OUT (malloc'd, the caller
 * frees it). Returns how many. */
size_t pk_periods(const void *rows, size_t n, size_t size, size_t offset,
                  char (**out)[BOARD_PERIOD_LEN]);
/* The index of PERIOD in Q (NQ of them), or NQ. */
size_t pk_period_index(char (*q)[BOARD_PERIOD_LEN], size_t nq, const char *period);
/* The case list of a KPI's trend: each quarter's own kpi/cases.csv, not a figure of
 * report/cases.csv. */
#define PK_CASES_KPI "kpi"
/* Opens a <figure> with its heading, and names its case list CASES (NULL: none): a figure of
 * report/cases.csv, or PK_CASES_KPI. */
void pk_figure_open(struct pack *pk, const char *id, const char *title, const char *cases);
void pk_figure_close(struct pack *pk);
/* Draws C as a line chart, or says why not when fewer than two categories have a value. */
void pk_line_or_note(struct pack *pk, const struct svg_chart *c);

/* The time headless Chromium has to print the pack. */
#define BOARD_PDF_SECONDS 120.0
/* board_pack_pdf() with a time limit of SECONDS. */
int board_pack_pdf_within(const char *out_dir, const char *browser, double seconds,
                          struct yj_error *err);

/* The sections, in the page's order (board_pack_kpi.c, board_pack_justice.c, board_pack_groups.c).
 */
void pack_kpi(struct pack *pk);
void pack_fte(struct pack *pk);
void pack_custody(struct pack *pk);
void pack_reoffending(struct pack *pk);
void pack_ethnicity(struct pack *pk);
void pack_offences(struct pack *pk);
void pack_recording(struct pack *pk);

#endif
