/*
 * kcount_yjb.c - the YJB's case-level readings where they differ from the project's
 * (docs/kpi.md): the set of distinct ids the YJB's SQL counts with COUNT(DISTINCT ...) over
 * the whole return (KPIs 6, 9, 10), KPI 2's suitability at the order end and KPI 3's "in
 * suitable ETE" in any quarter, as the YJB's views read them. The figures go to ynum/yden.
 */
#include "kcount_int.h"

#include "period.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* ---- the YJB's readings where they differ (docs/kpi.md) ---- */

/* Adds (TAG, ORDER, ID) to the set: 1 when it was not there yet, 0 when it was or ID is NULL. */
int
kc_idset_add(struct kidset *s, int tag, int order, const char *id)
{
    unsigned long long h = 1469598103934665603ULL;
    size_t i;

    if (!id)
        return 0;
    h = (h ^ (unsigned long long)(tag * 16 + order)) * 1099511628211ULL;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    if (h == 0)
        h = 1;
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        unsigned long long *slot = xcalloc(cap, sizeof(*slot));
        for (size_t j = 0; j < s->cap; j++)
            if (s->slot[j]) {
                size_t k = (size_t)(s->slot[j] & (cap - 1));
                while (slot[k])
                    k = (k + 1) & (cap - 1);
                slot[k] = s->slot[j];
            }
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    for (i = (size_t)(h & (s->cap - 1)); s->slot[i]; i = (i + 1) & (s->cap - 1))
        if (s->slot[i] == h)
            return 0;
    s->slot[i] = h;
    s->n++;
    return 1;
}

/* KPI 2's suitability at the end of ORD as the YJB's views read it: the child has a kept ETE
 * record (at start or at end) and none at the end is unsuitable. No side effects. */
static int
ete_suitable_end_yjb(const struct kstate *st, const struct order *ord)
{
    const struct kchild *c = st->c;
    const struct kconf *k = st->kc->k;
    int any = 0, bad = 0;

    for (int i = 0; i < c->netes; i++) {
        const struct krecord *r = &c->etes[i];
        const struct krow *su;
        int as, ae;

        if (!r->suit || !(su = kconf_lookup(k, KT_SUITABILITY, r->suit)) || !kc_kept(ord, r) ||
            !kconf_lookup(k, KT_PROVISION, r->code))
            continue;
        as = kc_at_start(ord, r);
        ae = kc_at_end(ord, r);
        if (!as && !ae)
            continue;
        any = 1;
        if (ae && !su->v[SU_SUITABLE])
            bad = 1;
    }
    return any && !bad;
}

/* The financial quarter of a day, as one number. */
static int
quarter_key(long day)
{
    int y, m, d;

    date_to_ymd(day, &y, &m, &d);
    return m >= 4 ? y * 4 + (m - 4) / 3 : (y - 1) * 4 + 3;
}

#define KMAX_QUARTERS 64

struct quarters {
    int key[KMAX_QUARTERS];
    struct best b[KMAX_QUARTERS];
    int n;
};

static void
keep_best_per_quarter(struct kstate *st, const struct cand *cd, void *arg)
{
    struct quarters *q = arg;
    int key = quarter_key(cd->p->end), i;

    for (i = 0; i < q->n && q->key[i] != key; i++)
        ;
    if (i == q->n) {
        if (q->n == KMAX_QUARTERS)
            return;
        q->key[q->n] = key;
        memset(&q->b[q->n], 0, sizeof(q->b[0]));
        q->n++;
    }
    kc_keep_best(st, cd, &q->b[i]);
}

/* KPI 3's "in suitable ETE" as the YJB's view joins it: on the child's document only, so the
 * child's KPI 2 row of any quarter (its order ending then, by the as-of day) that is suitable
 * at the end counts, not only this quarter's. */
int
kc_ete_suitable_any_quarter(struct kstate *st)
{
    struct quarters q = {0}; /* on the stack: this runs once per child */
    int any = 0;

    kc_each_candidate(st, NULL, CAND_COHORT, keep_best_per_quarter, &q);
    for (int i = 0; i < q.n && !any; i++) {
        struct order ord;
        kc_order_init(&ord, &q.b[i].c);
        any = ete_suitable_end_yjb(st, &ord);
    }
    return any;
}
