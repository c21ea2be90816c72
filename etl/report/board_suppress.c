/*
 * board_suppress.c - primary and secondary small-number suppression, and rounding, of the
 * board pack's tables. See board_suppress.h for the rules; the invariant kept is that after
 * supp_apply() no hidden cell is a combination of known cells under the table's sums taken
 * together (solved by Gauss-Jordan elimination over the unknown cells).
 */
#include "board_suppress.h"

#include "mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

void
supp_table_init(struct supp_table *t)
{
    memset(t, 0, sizeof(*t));
}

void
supp_table_release(struct supp_table *t)
{
    free(t->n);
    free(t->flags);
    free(t->state);
    free(t->members);
    free(t->sum_end);
    supp_table_init(t);
}

size_t
supp_cell(struct supp_table *t, long n, unsigned flags)
{
    if (t->ncells == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->n = xrealloc(t->n, t->cap * sizeof(*t->n));
        t->flags = xrealloc(t->flags, t->cap * sizeof(*t->flags));
        t->state = xrealloc(t->state, t->cap * sizeof(*t->state));
    }
    t->n[t->ncells] = n;
    t->flags[t->ncells] = flags;
    t->state[t->ncells] = SUPP_SHOWN;
    return t->ncells++;
}

void
supp_sum(struct supp_table *t, const size_t *cells, size_t n)
{
    while (t->nmembers + n > t->members_cap) {
        t->members_cap = t->members_cap ? t->members_cap * 2 : 64;
        t->members = xrealloc(t->members, t->members_cap * sizeof(*t->members));
    }
    if (t->nsums == t->sums_cap) {
        t->sums_cap = t->sums_cap ? t->sums_cap * 2 : 16;
        t->sum_end = xrealloc(t->sum_end, t->sums_cap * sizeof(*t->sum_end));
    }
    memcpy(t->members + t->nmembers, cells, n * sizeof(*cells));
    t->nmembers += n;
    t->sum_end[t->nsums++] = t->nmembers;
}

int
supp_hidden(const struct supp_table *t, size_t i)
{
    return t->state[i] != SUPP_SHOWN;
}

/* Whether a reader cannot see cell I: hidden, or never printed. */
static int
unknown(const struct supp_table *t, size_t i)
{
    return supp_hidden(t, i) || (t->flags[i] & SUPP_VIRTUAL);
}

/* Whether cell A is a better second cell to hide than cell B: a part before a total, a
 * non-zero count before a zero, then the smaller count, then the earlier cell. */
static int
better(const struct supp_table *t, size_t a, size_t b)
{
    int ta = (t->flags[a] & SUPP_TOTAL) != 0, tb = (t->flags[b] & SUPP_TOTAL) != 0;
    int za = t->n[a] == 0, zb = t->n[b] == 0;

    if (ta != tb)
        return tb;
    if (za != zb)
        return zb;
    if (t->n[a] != t->n[b])
        return t->n[a] < t->n[b];
    return a < b;
}

/* Sum S [FROM, TO): if its one unknown cell is hidden, hides the best known cell. Returns
 * whether it hid one. */
static int
protect_sum(struct supp_table *t, size_t from, size_t to)
{
    size_t nunknown = 0, lone = 0, pick = (size_t)-1;

    for (size_t m = from; m < to; m++)
        if (unknown(t, t->members[m])) {
            nunknown++;
            lone = t->members[m];
        }
    if (nunknown != 1 || !supp_hidden(t, lone))
        return 0;
    for (size_t m = from; m < to; m++) {
        size_t c = t->members[m];

        if (!unknown(t, c) && (pick == (size_t)-1 || better(t, c, pick)))
            pick = c;
    }
    if (pick == (size_t)-1)
        return 0;
    t->state[pick] = SUPP_SECONDARY;
    return 1;
}

/* A coefficient of the elimination below this is zero: the equations' coefficients are 0, 1
 * and -1, and the tables have at most a few hundred cells. */
#define SUPP_EPS 1e-9

/* The equations of T as a dense matrix (a row per sum, a column per cell: 1 for a part, -1
 * for the total, the sum's last cell), into A (malloc'd). */
static double *
supp_matrix(const struct supp_table *t)
{
    double *a = xcalloc(t->nsums * t->ncells + 1, sizeof(*a));

    for (size_t s = 0; s < t->nsums; s++) {
        size_t from = s ? t->sum_end[s - 1] : 0, to = t->sum_end[s];

        for (size_t m = from; m < to; m++)
            a[s * t->ncells + t->members[m]] += m + 1 == to ? -1.0 : 1.0;
    }
    return a;
}

/* Gauss-Jordan elimination of A (ROWS x T->ncells) over the unknown cells' columns: each
 * unknown cell's pivot row into PIVOT (ROWS when it has none, i.e. the cell is free). */
static void
supp_eliminate(const struct supp_table *t, double *a, size_t rows, size_t *pivot)
{
    size_t nc = t->ncells, r = 0;

    for (size_t j = 0; j < nc; j++) {
        size_t best = rows;

        pivot[j] = rows;
        if (!unknown(t, j))
            continue;
        for (size_t i = r; i < rows; i++)
            if (fabs(a[i * nc + j]) > SUPP_EPS &&
                (best == rows || fabs(a[i * nc + j]) > fabs(a[best * nc + j])))
                best = i;
        if (best == rows)
            continue;
        double pv = a[best * nc + j];

        for (size_t k = 0; k < nc; k++) {
            double x = a[r * nc + k];

            a[r * nc + k] = a[best * nc + k];
            a[best * nc + k] = x;
        }
        for (size_t k = 0; k < nc; k++)
            a[r * nc + k] /= pv;
        for (size_t i = 0; i < rows; i++) {
            double f = a[i * nc + j];

            if (i == r || fabs(f) <= SUPP_EPS)
                continue;
            for (size_t k = 0; k < nc; k++)
                a[i * nc + k] -= f * a[r * nc + k];
        }
        pivot[j] = r++;
    }
}

/* Whether the pivot row R of A names no unknown cell but J, i.e. cell J is a combination of
 * known cells alone. */
static int
supp_determined(const struct supp_table *t, const double *a, size_t r, size_t j)
{
    for (size_t k = 0; k < t->ncells; k++)
        if (k != j && unknown(t, k) && fabs(a[r * t->ncells + k]) > SUPP_EPS)
            return 0;
    return 1;
}

/* Solves all of T's sums together: when a hidden cell is a combination of known cells, hides
 * the best known cell of that combination. Returns whether it hid one. */
static int
protect_jointly(struct supp_table *t)
{
    double *a = supp_matrix(t);
    size_t *pivot = xcalloc(t->ncells + 1, sizeof(*pivot)), pick = (size_t)-1;

    supp_eliminate(t, a, t->nsums, pivot);
    for (size_t j = 0; j < t->ncells && pick == (size_t)-1; j++) {
        size_t r = pivot[j];

        if (r == t->nsums || !supp_hidden(t, j) || !supp_determined(t, a, r, j))
            continue;
        for (size_t k = 0; k < t->ncells; k++)
            if (!unknown(t, k) && fabs(a[r * t->ncells + k]) > SUPP_EPS &&
                (pick == (size_t)-1 || better(t, k, pick)))
                pick = k;
    }
    if (pick != (size_t)-1)
        t->state[pick] = SUPP_SECONDARY;
    free(a);
    free(pivot);
    return pick != (size_t)-1;
}

void
supp_apply(struct supp_table *t, const struct board_policy *p)
{
    int changed = 1;

    t->round_base = p->round_base;
    for (size_t i = 0; i < t->ncells; i++)
        t->state[i] = (t->flags[i] & SUPP_HIDE) || (t->n[i] > 0 && t->n[i] < p->threshold)
                          ? SUPP_PRIMARY
                          : SUPP_SHOWN;
    /* each pass hides at least one more cell or ends: at most ncells passes */
    while (p->secondary && changed) {
        changed = 0;
        for (size_t s = 0; s < t->nsums; s++)
            changed |= protect_sum(t, s ? t->sum_end[s - 1] : 0, t->sum_end[s]);
    }
    /* then the sums together; each call hides one more cell or ends */
    while (p->secondary && protect_jointly(t))
        ;
}

long
supp_round(long n, long base)
{
    if (base <= 0)
        return n;
    return (n + base / 2) / base * base;
}

const char *
supp_text(const struct supp_table *t, size_t i, char *buf, size_t len)
{
    if (supp_hidden(t, i))
        snprintf(buf, len, "[c]");
    else
        snprintf(buf, len, "%ld", supp_round(t->n[i], t->round_base));
    return buf;
}
