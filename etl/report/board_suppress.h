/*
 * board_suppress.h - small-number suppression of the board pack's tables: which published
 * count is shown, rounded, and which is hidden as "[c]".
 *
 * A table is a list of cells (exact counts) and of sums: sets of cells bound by one equation
 * (parts that add up to a total, a split and its complement). Primary suppression hides every
 * count with 0 < n < threshold. Secondary suppression then looks at each sum: a cell a reader
 * cannot see is "unknown" (hidden, or a complement the pack never prints); when a sum has
 * exactly one unknown and that cell is hidden, subtraction would give it back, so the smallest
 * known count of the sum is hidden too (a part before a total, a non-zero before a zero),
 * until no sum gives a hidden cell back. Then all the sums are solved together (a reader may
 * add and subtract several): while some hidden cell is a combination of known cells alone,
 * the best known cell (same order) of that combination is hidden too. Rounding (a base such as 5)
 * then applies to what is shown. The exact counts stay with the caller; the CSVs and case lists
 * never pass here.
 */
#ifndef YJ_BOARD_SUPPRESS_H
#define YJ_BOARD_SUPPRESS_H

#include <stddef.h>

#include "board_pack.h"

/* A cell's flags, given when it is added. */
#define SUPP_TOTAL 1u   /* a total: hidden by secondary suppression only when no part can be */
#define SUPP_VIRTUAL 2u /* never printed (the complement of a split): always unknown */
#define SUPP_HIDE 4u    /* hidden whatever its count (the same count hidden in another table) */

/* A cell's state after supp_apply(). */
enum supp_state { SUPP_SHOWN, SUPP_PRIMARY, SUPP_SECONDARY };

struct supp_table {
    long *n; /* the cells' exact counts */
    unsigned *flags;
    enum supp_state *state;
    size_t ncells, cap;
    size_t *members; /* every sum's cells, one after another */
    size_t nmembers, members_cap;
    size_t *sum_end; /* sum i is members[sum_end[i-1] (0 for i = 0) .. sum_end[i]) */
    size_t nsums, sums_cap;
    long round_base; /* from the policy, for supp_shown() */
};

void supp_table_init(struct supp_table *t);
void supp_table_release(struct supp_table *t);
/* Adds a cell of exact count N; returns its index. */
size_t supp_cell(struct supp_table *t, long n, unsigned flags);
/* Adds a sum over the N cells CELLS (borrowed): the last is the total of the others. */
void supp_sum(struct supp_table *t, const size_t *cells, size_t n);
/* Decides every cell's state by policy P. */
void supp_apply(struct supp_table *t, const struct board_policy *p);
/* Whether cell I is hidden. */
int supp_hidden(const struct supp_table *t, size_t i);
/* Cell I as the pack prints it: "[c]" when hidden, else its count (rounded to the policy's
 * base), into BUF. Returns BUF. */
const char *supp_text(const struct supp_table *t, size_t i, char *buf, size_t len);
/* N rounded to the nearest multiple of BASE (halves up); N itself when BASE is 0. */
long supp_round(long n, long base);

#endif
