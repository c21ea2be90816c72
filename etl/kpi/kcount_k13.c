/*
 * kcount_k13.c - KPIs 1-3 for the child's order (kcount_int.h): accommodation, education,
 * training and employment (hours bands, part time) and SEND/ALN, each at the order's start
 * and end, with the worklist and case-level lines they make and the YJB's figures for them.
 */
#include "kcount_int.h"

#include "period.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* ---- KPI 1 accommodation ---- */

void
kc_kpi1(struct kstate *st, const struct order *ord)
{
    const struct kchild *c = st->c;
    int any_s = 0, bad_s = 0, any_e = 0, bad_e = 0, o = ord->o;
    const struct krecord *dec_s = NULL, *dec_e = NULL;
    char id[64];

    for (int i = 0; i < c->nresidences; i++) {
        const struct krecord *r = &c->residences[i];
        const struct krow *su, *ac;
        int ok, as, ae, g;

        kc_pos_id(id, sizeof(id), KF(st, RESIDENCE), r->pos);
        if (!r->suit) {
            if (kc_kept(ord, r))
                kc_problem(st, P_ACCOMMODATION_NO_SUITABILITY, NULL, id, NULL);
            continue;
        }
        if (!(su = kc_lookup(st, KT_SUITABILITY, r->suit, KF(st, RESIDENCE), id,
                             KF(st, RESIDENCE_SUITABILITY))))
            continue;
        if (!kc_kept(ord, r))
            continue;
        as = kc_at_start(ord, r);
        ae = kc_at_end(ord, r);
        if (!as && !ae)
            continue;
        ok = su->v[SU_SUITABLE];
        ac =
            kc_lookup(st, KT_ACCOMMODATION, r->code, KF(st, RESIDENCE), id, KF(st, RESIDENCE_TYPE));
        g = ac ? ac->v[AC_ROW] : -1;
        if (as) {
            any_s = 1;
            if (!ok && !bad_s) {
                bad_s = 1;
                dec_s = r;
            } else if (!dec_s)
                dec_s = r;
        }
        if (ae) {
            any_e = 1;
            if (!ok && !bad_e) {
                bad_e = 1;
                dec_e = r;
            } else if (!dec_e)
                dec_e = r;
        }
        if (g >= 0) {
            kc_mark(st, KT1_ACCOMMODATION, g, o * C1_PER_ORDER + C1_TOTAL);
            if (as)
                kc_mark(st, KT1_ACCOMMODATION, g,
                        o * C1_PER_ORDER + (ok ? C1_START_YES : C1_START_NO));
            if (ae)
                kc_mark(st, KT1_ACCOMMODATION, g, o * C1_PER_ORDER + (ok ? C1_END_YES : C1_END_NO));
        }
    }
    if (any_s)
        kc_case_line(st, 1, bad_s ? "unsuitable_start" : "suitable_start", o, NULL,
                     KF(st, RESIDENCE), kc_pos_id(id, sizeof(id), KF(st, RESIDENCE), dec_s->pos));
    if (any_e)
        kc_case_line(st, 1, bad_e ? "unsuitable_end" : "suitable_end", o, NULL, KF(st, RESIDENCE),
                     kc_pos_id(id, sizeof(id), KF(st, RESIDENCE), dec_e->pos));
    else
        kc_problem(st, P_NO_ACCOMMODATION_END, NULL, NULL, NULL);
    st->kc->den[H1][o]++;
    if (any_e && !bad_e)
        st->kc->num[H1][o]++;
    /* the YJB's views read the child-level flag (reading 8): a child whose kept records are
     * all at the start counts as suitable at the end */
    st->kc->yden[H1][o]++;
    if ((any_s || any_e) && !bad_e)
        st->kc->ynum[H1][o]++;
}

/* ---- KPI 2 ETE ---- */

static int
band(int hours)
{
    return hours < 1 ? -1 : hours <= 15 ? 0 : hours <= 24 ? 1 : 2;
}

static int
add_hours(int sum, int h)
{
    return h < 0 ? sum : (sum < 0 ? 0 : sum) + h;
}

/* Returns 1 when the child is in suitable ETE at the order end (KPI 3 reads it). */
int
kc_kpi2(struct kstate *st, const struct order *ord)
{
    const struct kchild *c = st->c;
    const struct kcount *kc = st->kc;
    const struct ksettings *s = &kc->k->s;
    const struct krowids *rw = &kc->k->rows;
    long age_day = ord->cd->dt->v[DT_AGE_AT] == 0 ? ord->start : ord->outcome_date;
    int school[2], any[2] = {0, 0}, bad[2] = {0, 0}, none[2] = {0, 0};
    int off[2] = {-1, -1}, att[2] = {-1, -1}, o = ord->o;
    unsigned char prov[2][KMAX_ROWS] = {{0}};
    const struct krecord *dec[2] = {NULL, NULL};
    char id[64];

    school[0] = c->dob != DATE_NONE && date_school_age(&kc->k->school_age, c->dob, age_day);
    school[1] = c->dob != DATE_NONE && date_school_age(&kc->k->school_age, c->dob, ord->end);
    for (int i = 0; i < c->netes; i++) {
        const struct krecord *r = &c->etes[i];
        const struct krow *su, *pv;
        int tp[2];

        kc_pos_id(id, sizeof(id), KF(st, ETE), r->pos);
        if (!r->suit) {
            if (kc_kept(ord, r))
                kc_problem(st, P_ETE_NO_SUITABILITY, NULL, id, NULL);
            continue;
        }
        if (!(su = kc_lookup(st, KT_SUITABILITY, r->suit, KF(st, ETE), id,
                             KF(st, ETE_SUITABILITY))) ||
            !kc_kept(ord, r))
            continue;
        tp[0] = kc_at_start(ord, r);
        tp[1] = kc_at_end(ord, r);
        if (!(pv = kc_lookup(st, KT_PROVISION, r->code, KF(st, ETE), id, KF(st, ETE_PROVISION))))
            continue;
        for (int t = 0; t < 2; t++) {
            if (!tp[t])
                continue;
            any[t] = 1;
            if (!su->v[SU_SUITABLE] && !bad[t]) {
                bad[t] = 1;
                dec[t] = r;
            } else if (!dec[t])
                dec[t] = r;
            if (!pv->v[PV_IN_ETE])
                none[t] = 1;
            if (pv->v[PV_ROW] >= 0)
                prov[t][pv->v[PV_ROW]] = 1;
            off[t] = add_hours(off[t], r->hours_offered);
            att[t] = add_hours(att[t], r->hours_attended);
        }
        if (tp[1] && pv->v[PV_IN_ETE] && r->hours_offered < 0)
            kc_problem(st, P_ETE_NO_HOURS, NULL, id, NULL);
    }
    {
        /* column of type of order o, school age group at time t, and total/start/end */
        int grp_s = school[0] ? 0 : 3, grp_e = school[1] ? 0 : 3;
        int base = o * C2_PER_ORDER;
        int suit[2] = {any[0] && !bad[0], any[1] && !bad[1]};
        int part[2], full[2], ypart_start;

        for (int t = 0; t < 2; t++) {
            int ft = school[t] ? s->full_time_hours_school : s->full_time_hours_above;
            part[t] = off[t] >= 1 && off[t] < ft;
            full[t] = off[t] >= ft;
        }
        /* the YJB's part time at start: hours offered below the threshold, 0 included, for a
         * child with any kept record (the child-level sum is 0 without records at start) */
        ypart_start = (any[0] || any[1]) &&
                      (off[0] < 0 ? 0 : off[0]) <
                          (school[0] ? s->full_time_hours_school : s->full_time_hours_above);
#define ROW2(row, at_s, at_e)                                                                      \
    do {                                                                                           \
        if (at_s)                                                                                  \
            kc_mark(st, KT2_ETE, (row), base + grp_s + 1);                                         \
        if (at_e)                                                                                  \
            kc_mark(st, KT2_ETE, (row), base + grp_e + 2);                                         \
        if ((at_s) || (at_e))                                                                      \
            kc_mark(st, KT2_ETE, (row), base + grp_e);                                             \
    } while (0)
        ROW2(rw->k2_children, 1, 1);
        ROW2(rw->k2_suitable, suit[0], suit[1]);
        ROW2(rw->k2_not_in_ete, none[0], none[1]);
        ROW2(rw->k2_part_time, part[0], part[1]);
        ROW2(rw->k2_full_time, full[0], full[1]);
        /* the provision rows (ete_provision.csv row): never a row counted by name */
        for (int g = 0; g < kc->k->templates[KT2_ETE].nrows; g++)
            ROW2(g, prov[0][g], prov[1][g]);
        for (int b = 0; b < KHOURS_BANDS; b++) {
            ROW2(rw->k2_offered[b], band(off[0]) == b, band(off[1]) == b);
            ROW2(rw->k2_attended[b], band(att[0]) == b, band(att[1]) == b);
        }
#undef ROW2
        if (any[1])
            kc_case_line(st, 2, bad[1] ? "unsuitable_end" : "suitable_end", o, NULL, KF(st, ETE),
                         kc_pos_id(id, sizeof(id), KF(st, ETE), dec[1]->pos));
        else
            kc_problem(st, P_NO_ETE_END, NULL, NULL, NULL);
        if (any[0])
            kc_case_line(st, 2, bad[0] ? "unsuitable_start" : "suitable_start", o, NULL,
                         KF(st, ETE), kc_pos_id(id, sizeof(id), KF(st, ETE), dec[0]->pos));
        st->kc->den[H2][o]++;
        if (suit[1])
            st->kc->num[H2][o]++;
        st->kc->den[H2PS][o]++;
        st->kc->num[H2PS][o] += (unsigned long)part[0];
        st->kc->den[H2PE][o]++;
        st->kc->num[H2PE][o] += (unsigned long)part[1];
        st->kc->yden[H2][o]++;
        st->kc->ynum[H2][o] += (unsigned long)((any[0] || any[1]) && !bad[1]);
        st->kc->yden[H2PS][o]++;
        st->kc->ynum[H2PS][o] += (unsigned long)ypart_start;
        st->kc->yden[H2PE][o]++;
        st->kc->ynum[H2PE][o] += (unsigned long)part[1];
        return suit[1];
    }
}

/* ---- KPI 3 SEND/ALN ---- */

void
kc_kpi3(struct kstate *st, const struct order *ord, int suitable_ete_end)
{
    const struct kchild *c = st->c;
    const char *yes = st->kc->k->s.send_yes;
    int any = 0, ident = 0, plan = 0, o = ord->o;
    const struct krecord *dec = NULL;
    char id[64];

    for (int i = 0; i < c->nsends; i++) {
        const struct krecord *r = &c->sends[i];
        if (!r->code || r->start == DATE_NONE || r->end == DATE_NONE || r->start > ord->end ||
            !(r->end == KDATE_OPEN || r->end >= ord->end))
            continue;
        any = 1;
        if (strcmp(r->code, yes) != 0)
            continue;
        if (!ident)
            dec = r;
        ident = 1;
        if (!r->suit)
            kc_problem(st, P_SEND_NO_PLAN, NULL, kc_pos_id(id, sizeof(id), KF(st, SEND), r->pos),
                       NULL);
        else if (strcmp(r->suit, yes) == 0 && !plan) {
            plan = 1;
            dec = r;
        }
    }
    if (!any)
        kc_problem(st, P_NO_SEND, NULL, NULL, NULL);
    kc_mark(st, KT3_SEND, st->kc->k->rows.k3_children, o);
    if (ident) {
        kc_mark(st, KT3_SEND, st->kc->k->rows.k3_identified, o);
        st->kc->den[H3][o]++;
        kc_case_line(st, 3, plan ? "formal_plan" : "identified_no_plan", o, NULL, KF(st, SEND),
                     kc_pos_id(id, sizeof(id), KF(st, SEND), dec->pos));
    }
    if (plan) {
        kc_mark(st, KT3_SEND, st->kc->k->rows.k3_plan, o);
        st->kc->num[H3][o]++;
    }
    if (ident && suitable_ete_end)
        kc_mark(st, KT3_SEND, st->kc->k->rows.k3_identified_suitable, o);
    if (ident) {
        st->kc->den[H3S][o]++;
        st->kc->num[H3S][o] += (unsigned long)(suitable_ete_end != 0);
        st->kc->yden[H3S][o]++;
        st->kc->ynum[H3S][o] += (unsigned long)kc_ete_suitable_any_quarter(st);
    }
}
