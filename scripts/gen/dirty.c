/*
 * dirty.c - chooses --dirty's faults for a child (see dirty.h for the list): the defect of
 * the n-th dirty child by id is way n mod NDEF, with its numbers drawn from a stream of its
 * own; the gaps follow the core record only. The rows they leave are written by the table
 * writers, on top of the child's clean rows.
 */
#include "dirty.h"

#include "codes.h"

#include "banned.h"

void
gen_defect(struct child *c, int ordinal)
{
    struct rng r;
    int i;

    c->defect = 1 + ordinal % (NDEF - 1);
    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_DIRTY);
    for (i = 0; i < 4; i++)
        c->def_n[i] = rng_range(&r, 1, 30);
    /* the first dated offence with an outcome, else the first dated one */
    c->def_off = -1;
    for (i = 0; i < c->n_off; i++) {
        if (c->off[i].date == NODATE)
            continue;
        if (c->def_off < 0)
            c->def_off = i;
        if (c->off[i].n_out > 0) {
            c->def_off = i;
            break;
        }
    }
}

/* Whether programme I is the one row_victim writes the victims of its first offence for. */
static int
victims_of(const struct child *c, int i)
{
    int j;

    if (!c->prog[i].victim)
        return 0;
    for (j = 0; j < i; j++)
        if (c->prog[j].victim && c->prog[j].off_idx[0] == c->prog[i].off_idx[0])
            return 0;
    return 1;
}

void
gen_gaps(struct child *c, int done[NQUARTER][NGAP])
{
    int i, g;

    for (i = 0; i < c->n_prog; i++) {
        const struct programme *p = &c->prog[i];
        const struct offence *o = &c->off[p->off_idx[0]];
        int q_end = p->end == NODATE ? -1 : fin_quarter(p->end);
        int q_out = o->n_out > 0 && o->date != NODATE ? fin_quarter(o->out[0].date) : -1;

        if (p->disposal == D_DTOC) /* a DTO counts through its licence */
            continue;
        for (g = 1; g < NGAP; g++) {
            int q = g == GAP_NO_GRAVITY ? q_out : q_end;

            if (q < 0 || done[q][g] >= GAP_PER_QUARTER)
                continue;
            if (g == GAP_OOCD_NO_DONE && p->disposal > D_YCC)
                continue;
            if (g == GAP_NO_GRAVITY && fin_quarter(p->start) != q) /* in that quarter's return */
                continue;
            if (g == GAP_NO_CONSENT && !victims_of(c, i))
                continue;
            done[q][g]++;
            c->gap[i] = g;
            break;
        }
    }
}

int
has_gap(const struct child *c, int g, int k)
{
    int i;

    for (i = 0; i < c->n_prog; i++)
        if (c->gap[i] == g && (k < 0 || c->prog[i].off_idx[0] == k))
            return 1;
    return 0;
}

int
has_gap_before(const struct child *c, int g, int i)
{
    while (--i >= 0)
        if (c->gap[i] == g)
            return 1;
    return 0;
}
