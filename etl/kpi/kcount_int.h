/*
 * kcount_int.h - private to the counting rules (kcount*.c): the child's state, the candidates,
 * the order and the helpers the files share. Not for callers: they use kcount.h.
 *
 * Who owns what:
 *   kcount.c       the worklist and case-level lines, cell marking, the candidates and the
 *                  child's order with its time points; the child, the board (KPI 8), the
 *                  finish and the blank cells (the public functions of kcount.h);
 *   kcount_k13.c   KPIs 1-3: accommodation, ETE, SEND/ALN;
 *   kcount_k410.c  KPIs 4-7, 9 and 10: mental health, substance misuse, out-of-court
 *                  programmes, wider services, serious violence, victims;
 *   kcount_yjb.c   the YJB's case-level readings where they differ (docs/kpi.md): the
 *                  distinct-id set and KPI 2 and 3's suitability as the YJB's views read it.
 */
#ifndef YJ_KCOUNT_INT_H
#define YJ_KCOUNT_INT_H

#include "kcount.h"

/* One child's state while it is counted. */
struct kstate {
    struct kcount *kc;
    const struct kchild *c;
    unsigned char problems[P_N];
    /* unknown codes already on the worklist: the child's own field strings, so the same field
     * looked at again (for the order, KPI 6, 9, each victim) is not a second line */
    const char *unknown[32];
    int nunknown;
};

struct cand {
    const struct koffence *o;
    const struct koutcome *oc;
    const struct kprogramme *p;
    const struct krow *lo, *dt;
};

/* Which programme filters each_candidate applies on top of a counting disposal type. */
enum {
    CAND_ENDED = 1, /* ended, from the first KPI day to the as-of day (programme_counts) */
    CAND_AGE = 2,   /* the child 10-17 at the start of the order (age_ok) */
    CAND_COHORT = CAND_ENDED | CAND_AGE,
    CAND_AGE_AT_PROGRAMME_START = 4, /* with CAND_AGE: on the programme start, for every type */
};

struct best {
    struct cand c;
    int have;
    int by_programme_end;
    int period_only; /* only programmes ending in the period */
};

struct order {
    int o; /* type of order */
    long start, end, ref, outcome_date;
    const struct cand *cd;
};

/* The ids the YJB's SQL counts with COUNT(DISTINCT ...) over the whole return. */
enum {
    ID_PROGRAMME,
    ID_PROGRAMME_COMPLETED,
    ID_OFFENCE,
    ID_SV_OFFENCE,
    ID_VICTIM_CONSENT,
    ID_VICTIM_ENGAGED
};
/* ---- kcount.c ---- */

/* A worklist line for P (ITEM, FIELD NULL: the problem's own), once-per-child counted. */
void kc_problem(struct kstate *st, enum kproblem p, const char *item, const char *item_id,
                const char *field);
/* A case-level line (ORDER < 0: "all"). */
void kc_case_line(struct kstate *st, int kpi, const char *measure, int order, const char *unit_id,
                  const char *item, const char *item_id);
/* "ITEM[POS]" into BUF. */
const char *kc_pos_id(char *buf, size_t size, const char *item, int pos);
/* The rules' row for CODE, or NULL (and a worklist line, once per field). */
const struct krow *kc_lookup(struct kstate *st, enum ktable_id t, const char *code,
                             const char *item, const char *item_id, const char *field);
/* Marks a cell for this child: counted once when the child is flushed. */
void kc_mark(struct kstate *st, int t, int row, int col);
/* 1 for a day that is neither missing nor open. */
int kc_real(long d);
const char *kc_cand_group(const struct cand *cd);
/* "offence ID offenceLegalOutcome[POS]", in a static buffer. */
const char *kc_outcome_id(const struct kstate *st, const struct koffence *o,
                          const struct koutcome *oc);
/* The element name of item or field KEY (KF_KEY) of the return, by the bundle's fields.conf. */
#define KF(st, key) ((const char *)(st)->kc->k->fields[KF_##key])
int kc_in_period(const struct kcount *kc, long d);
int kc_in_list(char *const *l, const char *s);
const struct koffence *kc_find_offence(const struct kchild *c, const char *id);
void kc_each_candidate(struct kstate *st, const struct koffence *only, int filters,
                       void (*fn)(struct kstate *, const struct cand *, void *), void *arg);
/* each_candidate's fn keeping the most serious candidate in the struct best ARG. */
void kc_keep_best(struct kstate *st, const struct cand *cd, void *arg);
int kc_kept(const struct order *ord, const struct krecord *r);
int kc_at_start(const struct order *ord, const struct krecord *r);
int kc_at_end(const struct order *ord, const struct krecord *r);
void kc_order_init(struct order *ord, const struct cand *cd);

/* ---- kcount_k13.c ---- */

void kc_kpi1(struct kstate *st, const struct order *ord);
/* Returns 1 when the child is in suitable ETE at the order end (KPI 3 reads it). */
int kc_kpi2(struct kstate *st, const struct order *ord);
void kc_kpi3(struct kstate *st, const struct order *ord, int suitable_ete_end);

/* ---- kcount_k410.c ---- */

/* KPI is 4 or 5. */
void kc_kpi45(struct kstate *st, const struct order *ord, int kpi);
void kc_kpi7(struct kstate *st, const struct order *ord);
void kc_kpi6(struct kstate *st);
void kc_kpi9(struct kstate *st);
void kc_kpi10(struct kstate *st);

/* ---- kcount_yjb.c ---- */

int kc_idset_add(struct kidset *s, int tag, int order, const char *id);
int kc_ete_suitable_any_quarter(struct kstate *st);

#endif
