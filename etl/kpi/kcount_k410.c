/*
 * kcount_k410.c - KPIs 4-7, 9 and 10 (kcount_int.h): mental health and substance misuse
 * (4, 5) and wider services (7) for the child's order; out-of-court programmes (6), serious
 * violence offences (9) and victims (10), each with its own choice of candidate. KPI 8 (the
 * board) is counted from its own rows in kcount.c.
 */
#include "kcount_int.h"

#include "period.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* ---- KPIs 4 and 5: mental health, substance misuse ---- */

void
kc_kpi45(struct kstate *st, const struct order *ord, int kpi)
{
    const struct kchild *c = st->c;
    const struct kscreen *sc = kpi == 4 ? c->mhs : c->sms;
    int n = kpi == 4 ? c->nmhs : c->nsms, o = ord->o;
    const struct kscreen_rows *rw = &st->kc->k->rows.k45[kpi == 4 ? 0 : 1];
    int t = kpi == 4 ? KT4_MH : KT5_SM, ntypes = rw->ntypes;
    enum khead h = kpi == 4 ? H4 : H5, ha = kpi == 4 ? H4A : H5A;
    const char *item = kpi == 4 ? KF(st, MH) : KF(st, SM);
    int any = 0, prior_s = 0, prior_o = 0, need = 0, num = 0;
    int offered[KTYPES_MAX] = {0}, attended[KTYPES_MAX] = {0};
    const struct kscreen *dec = NULL;
    char id[64];
    int base = o * C3_PER_ORDER;

    for (int i = 0; i < n; i++) {
        const struct kscreen *s = &sc[i];
        const struct krow *ty;
        int tr, nd, ti = -1, off = 0;

        if (s->screened == DATE_NONE || (s->screened != KDATE_OPEN && s->screened > ord->end))
            continue;
        any = 1;
        kc_pos_id(id, sizeof(id), item, s->pos);
        tr = kc_real(s->att_start) && s->att_start <= ord->ref &&
             (s->att_end == KDATE_OPEN || (s->att_end != DATE_NONE && s->att_end >= ord->ref));
        nd = s->screened != KDATE_OPEN || tr;
        if (s->type) {
            ty = kc_lookup(st, kpi == 4 ? KT_MH_TYPE : KT_SM_TYPE, s->type, item, id,
                           kpi == 4 ? KF(st, MH_TYPE) : KF(st, SM_TYPE));
            ti = ty && ty->v[0] < ntypes ? ty->v[0] : -1;
        } else if (kc_real(s->offered) || kc_real(s->att_start))
            kc_problem(st, kpi == 4 ? P_MH_NO_TYPE : P_SM_NO_TYPE, NULL, id, NULL);
        if (ti >= 0) {
            if (tr || (kc_real(s->offered) && s->offered >= ord->start && s->offered <= ord->end))
                offered[ti] = off = 1;
            if (tr ||
                (kc_real(s->att_start) && s->att_start >= ord->start && s->att_start <= ord->end))
                attended[ti] = 1;
        }
        if (tr) {
            prior_o = 1;
            if (kc_real(s->screened) && s->att_start < s->screened)
                prior_s = 1;
        }
        if (nd) {
            if (!need)
                dec = s;
            need = 1;
        }
        if (nd && (tr || off) && !num) {
            num = 1;
            dec = s;
        }
    }
    if (!any)
        kc_problem(st, kpi == 4 ? P_MH_NO_SCREENING : P_SM_NO_SCREENING, NULL, NULL, NULL);
    kc_mark(st, t, rw->children, base + C3_TOTAL);
    kc_mark(st, t, rw->children, base + C3_START);
    kc_mark(st, t, rw->children, base + C3_END);
#define AT_START(row)                                                                              \
    (kc_mark(st, t, (row), base + C3_TOTAL), kc_mark(st, t, (row), base + C3_START))
#define AT_END(row) (kc_mark(st, t, (row), base + C3_TOTAL), kc_mark(st, t, (row), base + C3_END))
    if (prior_s)
        AT_START(rw->prior_screening);
    if (prior_o)
        AT_START(rw->prior_order);
    if (need)
        AT_END(rw->need);
    for (int i = 0; i < ntypes; i++) {
        if (offered[i])
            AT_END(rw->offered[i]);
        if (attended[i])
            AT_END(rw->attending[i]);
    }
#undef AT_START
#undef AT_END
    st->kc->den[ha][o]++;
    if (need) {
        st->kc->num[ha][o]++;
        st->kc->den[h][o]++;
        kc_case_line(st, kpi, num ? "need_offered" : "need_not_offered", o, NULL, item,
                     kc_pos_id(id, sizeof(id), item, dec->pos));
    }
    if (num)
        st->kc->num[h][o]++;
}

/* ---- KPI 7 wider services ---- */

void
kc_kpi7(struct kstate *st, const struct order *ord)
{
    const struct kchild *c = st->c;
    int o = ord->o, base = o * C3_PER_ORDER, supported = 0, prior = 0, referred = 0;
    const struct koutcome *oc = ord->cd->oc;
    long ref = ord->cd->lo->v[LO_GROUP] == GRP_CUSTODY ? oc->date - 1 : ord->start;
    const struct krecord *dec = NULL;
    char id[64];

    for (int i = 0; i < c->ncares; i++) {
        const struct krecord *r = &c->cares[i];
        const struct krow *cs;
        int cat;

        if (!r->code || r->start == DATE_NONE || r->end == DATE_NONE || r->start > ord->end)
            continue;
        kc_pos_id(id, sizeof(id), KF(st, CARE), r->pos);
        if (!(cs = kc_lookup(st, KT_CARE_STATUS, r->code, KF(st, CARE), id, KF(st, CARE_STATUS))))
            continue;
        if (cs->v[CS_EARLY_HELP]) {
            if (r->start < ord->start)
                prior = 1;
            else
                referred = 1;
        }
        cat = cs->v[CS_CATEGORY];
        if (cat < 0 || !(r->end == KDATE_OPEN || r->end >= ref))
            continue;
        kc_mark(st, KT7_WS, cat, base + C3_TOTAL);
        kc_mark(st, KT7_WS, cat, base + C3_END);
        if (r->start <= ref)
            kc_mark(st, KT7_WS, cat, base + C3_START);
        if (!supported)
            dec = r;
        supported = 1;
    }
    kc_mark(st, KT7_WS, st->kc->k->rows.k7_children, base + C3_TOTAL);
    kc_mark(st, KT7_WS, st->kc->k->rows.k7_children, base + C3_START);
    kc_mark(st, KT7_WS, st->kc->k->rows.k7_children, base + C3_END);
    if (prior) {
        kc_mark(st, KT7_WS, st->kc->k->rows.k7_early_help_prior, base + C3_TOTAL);
        kc_mark(st, KT7_WS, st->kc->k->rows.k7_early_help_prior, base + C3_START);
    }
    if (referred) {
        kc_mark(st, KT7_WS, st->kc->k->rows.k7_early_help_referred, base + C3_TOTAL);
        kc_mark(st, KT7_WS, st->kc->k->rows.k7_early_help_referred, base + C3_END);
    }
    st->kc->den[H7][o]++;
    if (supported) {
        st->kc->num[H7][o]++;
        kc_case_line(st, 7, "supported_during", o, NULL, KF(st, CARE),
                     kc_pos_id(id, sizeof(id), KF(st, CARE), dec->pos));
    }
}

/* ---- KPI 6 out-of-court programmes ---- */

struct k6 {
    const struct kprogramme *seen[64];
    int nseen;
    int any, completed;
};

static void
kpi6_candidate(struct kstate *st, const struct cand *cd, void *arg)
{
    struct k6 *k6 = arg;
    int col = cd->dt->v[DT_OOCD];

    if (col < 0 || !kc_in_period(st->kc, cd->p->end) ||
        !kc_in_list(st->kc->k->s.kpi6_groups, kc_cand_group(cd)))
        return;
    for (int i = 0; i < k6->nseen; i++)
        if (k6->seen[i] == cd->p)
            return;
    if (k6->nseen < (int)(sizeof(k6->seen) / sizeof(k6->seen[0])))
        k6->seen[k6->nseen++] = cd->p;
    k6->any = 1;
    kc_mark(st, KT6_OOC, st->kc->k->rows.k6_children, col);
    st->kc->den[H6A][ORD_N]++;
    st->kc->yden[H6A][ORD_N] +=
        (unsigned long)kc_idset_add(&st->kc->ids, ID_PROGRAMME, ORD_N, cd->p->id);
    if (cd->p->completed == 1)
        st->kc->ynum[H6A][ORD_N] +=
            (unsigned long)kc_idset_add(&st->kc->ids, ID_PROGRAMME_COMPLETED, ORD_N, cd->p->id);
    if (cd->p->completed == 1) {
        kc_mark(st, KT6_OOC, st->kc->k->rows.k6_completed, col);
        k6->completed = 1;
        st->kc->num[H6A][ORD_N]++;
    } else if (cd->p->completed == 0)
        kc_mark(st, KT6_OOC, st->kc->k->rows.k6_not_completed, col);
    else
        kc_problem(st, P_OOCD_NO_COMPLETION, NULL, cd->p->id, NULL);
    kc_case_line(st, 6,
                 cd->p->completed == 1   ? "completed"
                 : cd->p->completed == 0 ? "not_completed"
                                         : "completion_not_recorded",
                 -1, cd->p->id, KF(st, PROGRAMME), cd->p->id);
}

void
kc_kpi6(struct kstate *st)
{
    struct k6 k6;
    memset(&k6, 0, sizeof(k6));
    kc_each_candidate(st, NULL, CAND_COHORT, kpi6_candidate, &k6);
    if (k6.any) {
        st->kc->den[H6][ORD_N]++;
        if (k6.completed)
            st->kc->num[H6][ORD_N]++;
    }
}

/* ---- KPI 9 serious violence ---- */

/* KPI 9's age: on arrest (else on the offence) for a pre-court outcome (the group of its
 * legal outcome code), else at the first hearing. */
static int
offence_age(const struct koffence *o, const struct krow *lo)
{
    if (lo->v[LO_GROUP] == GRP_PRE_COURT)
        return o->age_arrest >= 0 ? o->age_arrest : o->age_offence;
    return o->age_first_hearing;
}

static void
kpi9_candidate(struct kstate *st, const struct cand *cd, void *arg)
{
    struct best *b = arg;
    const struct ksettings *s = &st->kc->k->s;
    int age = offence_age(cd->o, cd->lo);

    if (!kc_in_list(s->kpi9_groups, kc_cand_group(cd)) || cd->oc->date < s->first_programme_end ||
        cd->oc->date > st->kc->as_of || age < s->age_min || age > s->age_max)
        return;
    kc_keep_best(st, cd, b);
}

void
kc_kpi9(struct kstate *st)
{
    const struct kchild *c = st->c;
    const struct ksettings *s = &st->kc->k->s;
    int any = 0, sv_child = 0;

    for (int i = 0; i < c->noffences; i++) {
        const struct koffence *o = &c->offences[i];
        struct best b;
        const struct krow *cat;
        int age, row, sv;

        memset(&b, 0, sizeof(b));
        /* no programme end or programme age: KPI 9 dates by outcome, ages by the offence */
        kc_each_candidate(st, o, 0, kpi9_candidate, &b);
        if (!b.have || !kc_in_period(st->kc, b.c.oc->date))
            continue;
        any = 1;
        st->kc->den[H9A][b.c.lo->v[LO_ORDER]]++;
        for (int k = 0; k < 2; k++) {
            int ord = k ? ORD_N : b.c.lo->v[LO_ORDER];
            st->kc->yden[H9A][ord] +=
                (unsigned long)kc_idset_add(&st->kc->ids, ID_OFFENCE, ord, o->id);
        }
        age = offence_age(o, b.c.lo);
        cat = kc_lookup(st, KT_OFFENCE_CATEGORY, o->category, KF(st, OFFENCE), o->id,
                        KF(st, OFFENCE_CATEGORY));
        row = cat ? cat->v[OC_ROW] : -1;
        if (o->score < 0)
            kc_problem(st, P_OFFENCE_NO_GRAVITY, NULL, o->id, NULL);
        sv = row >= 0 && o->score >= s->sv_gravity_min && o->score <= s->sv_gravity_max;
        if (!sv)
            continue;
        sv_child = 1;
        st->kc->cell[KT9_SV][row][age <= s->sv_first_band_max_age ? 0 : 1]++;
        st->kc->num[H9][b.c.lo->v[LO_ORDER]]++;
        st->kc->num[H9A][b.c.lo->v[LO_ORDER]]++;
        for (int k = 0; k < 2; k++) {
            int ord = k ? ORD_N : b.c.lo->v[LO_ORDER];
            st->kc->ynum[H9A][ord] +=
                (unsigned long)kc_idset_add(&st->kc->ids, ID_SV_OFFENCE, ord, o->id);
        }
        kc_case_line(st, 9, "serious_violence", b.c.lo->v[LO_ORDER], o->id, KF(st, OUTCOME),
                     kc_outcome_id(st, o, b.c.oc));
    }
    if (any) {
        st->kc->den[H9B][ORD_N]++;
        if (sv_child)
            st->kc->num[H9B][ORD_N]++;
    }
}

/* ---- KPI 10 victims ---- */

static int
is_yes(const char *v, const char *yes)
{
    return v && strcmp(v, yes) == 0;
}

void
kc_kpi10(struct kstate *st)
{
    const struct kchild *c = st->c;
    const char *yes = st->kc->k->s.victim_yes;
    int any = 0;
    /* which victims are counted: a victim id counts once, through its first counted record */
    unsigned char *done = c->nvictims > 0 ? xcalloc((size_t)c->nvictims, 1) : NULL;

    for (int i = 0; i < c->nvictims; i++) {
        const struct kvictim *v = &c->victims[i];
        int counted = 0, dup = 0, consent;

        for (int l = 0; l < c->noffence_victim && !counted; l++) {
            const struct koffence *o;
            struct best b;
            if (!v->id || !c->offence_victim[l].b || strcmp(c->offence_victim[l].b, v->id) != 0 ||
                !(o = kc_find_offence(c, c->offence_victim[l].a)))
                continue;
            memset(&b, 0, sizeof(b));
            b.by_programme_end = 1;
            /* the YJB's victims view takes the age on the programme start, for a DTO licence
             * too (f_ageAtInterventionStart(dob, programme start)): a child 17 when custody
             * began and 18 at the licence start is in the cohort, its victims are not */
            kc_each_candidate(st, o, CAND_COHORT | CAND_AGE_AT_PROGRAMME_START, kc_keep_best, &b);
            counted = b.have && kc_in_period(st->kc, b.c.p->end);
        }
        if (!counted)
            continue;
        /* the YJB counts DISTINCT victimID over the return: a victim id with consent on any of
         * its counted records, of any child */
        if (is_yes(v->consent, yes)) {
            st->kc->yden[H10][ORD_N] +=
                (unsigned long)kc_idset_add(&st->kc->ids, ID_VICTIM_CONSENT, ORD_N, v->victim_id);
            if (is_yes(v->engaged_rj, yes))
                st->kc->ynum[H10][ORD_N] += (unsigned long)kc_idset_add(
                    &st->kc->ids, ID_VICTIM_ENGAGED, ORD_N, v->victim_id);
        }
        /* a victim of several interventions of this child counts once: an earlier record of
         * the same victim that is not counted (its order ends in another quarter) does not
         * stand in for this one */
        for (int j = 0; j < i && !dup; j++)
            dup = done[j] && c->victims[j].victim_id && v->victim_id &&
                  strcmp(c->victims[j].victim_id, v->victim_id) == 0;
        if (dup)
            continue;
        done[i] = 1;
        any = 1;
        consent = is_yes(v->consent, yes);
        if (!v->consent)
            kc_problem(st, P_VICTIM_NO_CONSENT, NULL, v->id, NULL);
        st->kc->cell[KT10_VICTIMS][st->kc->k->rows.k10_victims][0]++;
        if (consent) {
            st->kc->cell[KT10_VICTIMS][st->kc->k->rows.k10_consent][0]++;
            st->kc->den[H10][ORD_N]++;
        }
        if (consent && is_yes(v->engaged_rj, yes)) {
            st->kc->cell[KT10_VICTIMS][st->kc->k->rows.k10_engaged_rj][0]++;
            st->kc->num[H10][ORD_N]++;
        }
        if (consent && is_yes(v->view_prior, yes))
            st->kc->cell[KT10_VICTIMS][st->kc->k->rows.k10_view_prior][0]++;
        if (consent && is_yes(v->progress_request, yes))
            st->kc->cell[KT10_VICTIMS][st->kc->k->rows.k10_progress_requested][0]++;
        if (consent && is_yes(v->progress_provided, yes))
            st->kc->cell[KT10_VICTIMS][st->kc->k->rows.k10_progress_provided][0]++;
        if (consent && is_yes(v->support_request, yes))
            st->kc->cell[KT10_VICTIMS][st->kc->k->rows.k10_support_requested][0]++;
        if (consent && is_yes(v->support_provided, yes))
            st->kc->cell[KT10_VICTIMS][st->kc->k->rows.k10_support_provided][0]++;
        kc_case_line(st, 10,
                     consent && is_yes(v->engaged_rj, yes) ? "consent_engaged_rj"
                     : consent                             ? "consent_not_engaged_rj"
                                                           : "no_consent",
                     -1, v->victim_id, KF(st, VICTIM), v->id);
    }
    free(done);
    if (any)
        kc_mark(st, KT10_VICTIMS, st->kc->k->rows.k10_children, 0);
}
