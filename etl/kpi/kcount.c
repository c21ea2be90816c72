/*
 * kcount.c - the KPI counting rules, one child at a time (see kcount.h and docs/kpi.md).
 *
 * For a child: every offence legal outcome linked to an intervention programme is a
 * candidate; the common filters (appeal, residence, counting legal outcome and disposal
 * type, age 10-17 at the start of the order, programme end from the first KPI day to the
 * as-of day) keep some; among those ending in the period, the most serious wins (lowest rank,
 * then latest outcome date, then lowest programme id, then lowest offence id). That order
 * fixes the type of order, the order's start and end and the "at start" day (custody: the day
 * before) that KPIs 1-5 and 7 test the child's records against. KPI 6 counts out-of-court
 * programmes, KPI 9 offences and KPI 10 victims, each with its own choice.
 */
#include "kcount.h"

#include "period.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

const struct kproblem_info kproblems[P_N] = {
    [P_NOT_LINKED] = {"programme_not_linked", 0, "interventionProgramme", "offenceProgrammeLink",
                      "link the programme to the offence and outcome it was made for"},
    [P_NO_RESIDENCE] = {"outcome_no_residence", 0, "offenceLegalOutcome",
                        "residenceOnLegalOutcomeDate",
                        "record where the child lived on the outcome date"},
    [P_UNKNOWN_CODE] = {"code_not_in_kpi_rules", 0, "", "",
                        "correct the code: the return failed validation"},
    [P_NO_ACCOMMODATION_END] = {"no_accommodation_at_end", 1, "residence",
                                "kpi1AccommodationSuitability",
                                "record the accommodation and its suitability current on the "
                                "order end date"},
    [P_ACCOMMODATION_NO_SUITABILITY] = {"accommodation_no_suitability", 1, "residence",
                                        "kpi1AccommodationSuitability",
                                        "record whether the accommodation is suitable"},
    [P_NO_ETE_END] = {"no_ete_at_end", 2, "eteStatus", "suitability",
                      "record the education, training or employment current on the order end "
                      "date"},
    [P_ETE_NO_SUITABILITY] = {"ete_no_suitability", 2, "eteStatus", "suitability",
                              "record whether the provision is suitable"},
    [P_ETE_NO_HOURS] = {"ete_no_hours", 2, "eteStatus", "hoursOffered",
                        "record the hours a week offered"},
    [P_NO_SEND] = {"no_send_aln_at_end", 3, "sendAln", "kpi3IdentifiedSendAln",
                   "record whether a SEND/ALN need is identified, current on the order end date"},
    [P_SEND_NO_PLAN] = {"send_aln_no_plan", 3, "sendAln", "kpi3SendFormalPlan",
                        "record whether a formal plan is in place"},
    [P_MH_NO_SCREENING] = {"no_mental_health_screening", 4, "mentalHealth", "kpi4DateScreened",
                           "record the mental health screening (or that none was needed)"},
    [P_MH_NO_TYPE] = {"mental_health_no_type", 4, "mentalHealth", "kpi4InterventionType",
                      "record the type of intervention offered or attended"},
    [P_SM_NO_SCREENING] = {"no_substance_misuse_screening", 5, "substanceMisuse",
                           "kpi5DateScreened",
                           "record the substance misuse screening (or that none was needed)"},
    [P_SM_NO_TYPE] = {"substance_misuse_no_type", 5, "substanceMisuse", "kpi5InterventionType",
                      "record the type of intervention offered or attended"},
    [P_OOCD_NO_COMPLETION] = {"oocd_no_completion", 6, "interventionProgramme",
                              "kpi6SuccessfullyCompleted",
                              "record whether the out-of-court programme was completed"},
    [P_OFFENCE_NO_GRAVITY] = {"offence_no_gravity", 9, "offence", "yjbSeriousnessScore",
                              "record the offence's gravity score"},
    [P_VICTIM_NO_CONSENT] = {"victim_no_consent", 10, "victimIntervention", "consentYjsContact",
                             "record whether the victim consents to contact"},
    [P_BOARD_SECTOR] = {"board_sector_not_in_kpi_rules", 8, "board_attendance", "sector_cd",
                        "record one of the sectors of kpi/board_sector.csv (or add the code "
                        "there)"},
};

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

/* ---- output lines ---- */

void
kcount_csv(FILE *f, const char *s)
{
    if (!s)
        s = "";
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else
        fputs(s, f);
}

static void
problem(struct kstate *st, enum kproblem p, const char *item, const char *item_id,
        const char *field)
{
    const struct kproblem_info *pi = &kproblems[p];
    FILE *f = st->kc->worklist;
    char kpi[8];

    if (!st->problems[p]) {
        st->problems[p] = 1;
        st->kc->problem_children[p]++;
    }
    st->kc->worklist_lines++;
    if (!f)
        return;
    snprintf(kpi, sizeof(kpi), "%d", pi->kpi);
    kcount_csv(f, st->c->ypid);
    fputc(',', f);
    fputs(pi->kpi ? kpi : "all", f);
    fputc(',', f);
    fputs(pi->code, f);
    fputc(',', f);
    kcount_csv(f, item ? item : pi->item);
    fputc(',', f);
    kcount_csv(f, item_id);
    fputc(',', f);
    kcount_csv(f, field ? field : pi->field);
    fputc(',', f);
    kcount_csv(f, pi->advice);
    fputc('\n', f);
}

static void
case_line(struct kstate *st, int kpi, const char *measure, int order, const char *unit_id,
          const char *item, const char *item_id)
{
    FILE *f = st->kc->cases;

    st->kc->case_lines++;
    if (!f)
        return;
    fprintf(f, "%d,%s,%s,", kpi, measure, order >= 0 ? korder_names[order] : "all");
    kcount_csv(f, st->c->ypid);
    fputc(',', f);
    kcount_csv(f, unit_id);
    fputc(',', f);
    kcount_csv(f, item);
    fputc(',', f);
    kcount_csv(f, item_id);
    fputc('\n', f);
}

static const char *
pos_id(char *buf, size_t size, const char *item, int pos)
{
    snprintf(buf, size, "%s[%d]", item, pos);
    return buf;
}

/* A code the KPI rules do not hold: only in a return that failed validation. */
static const struct krow *
lookup(struct kstate *st, enum ktable_id t, const char *code, const char *item, const char *item_id,
       const char *field)
{
    const struct krow *r = kconf_lookup(st->kc->k, t, code);
    int seen = 0;

    if (r || !code)
        return r;
    for (int i = 0; i < st->nunknown && !seen; i++)
        seen = st->unknown[i] == code;
    if (!seen) {
        if (st->nunknown < (int)(sizeof(st->unknown) / sizeof(st->unknown[0])))
            st->unknown[st->nunknown++] = code;
        st->kc->unknown_codes++;
        problem(st, P_UNKNOWN_CODE, item, item_id, field);
    }
    return r;
}

static void
mark(struct kstate *st, int t, int row, int col)
{
    struct kcount *kc = st->kc;

    if (kc->mark[t][row][col])
        return;
    kc->mark[t][row][col] = 1;
    if (kc->nmarked < KMAX_MARKED)
        kc->marked[kc->nmarked] = (unsigned short)((t * KMAX_ROWS + row) * KMAX_COLS + col);
    kc->nmarked++;
}

/* ---- candidates and the child's order ---- */

struct cand {
    const struct koffence *o;
    const struct koutcome *oc;
    const struct kprogramme *p;
    const struct krow *lo, *dt;
};

static int
real(long d)
{
    return d != DATE_NONE && d != KDATE_OPEN;
}

/* Ids compare as numbers when both are digits, else as text. */
static int
idcmp(const char *a, const char *b)
{
    size_t la, lb;
    if (!a || !b)
        return !a - !b;
    la = strlen(a);
    lb = strlen(b);
    if (la && lb && strspn(a, "0123456789") == la && strspn(b, "0123456789") == lb && la != lb)
        return la < lb ? -1 : 1;
    return strcmp(a, b);
}

/* < 0 when A is the more serious choice. */
static int
cand_cmp(const struct cand *a, const struct cand *b, int by_programme_end)
{
    int c;
    if (a->lo->v[LO_RANK] != b->lo->v[LO_RANK])
        return a->lo->v[LO_RANK] < b->lo->v[LO_RANK] ? -1 : 1;
    if (a->oc->date != b->oc->date)
        return a->oc->date > b->oc->date ? -1 : 1;
    if (by_programme_end && a->p->end != b->p->end)
        return a->p->end > b->p->end ? -1 : 1;
    if ((c = idcmp(a->p->id, b->p->id)) != 0)
        return c;
    return idcmp(a->o->id, b->o->id);
}

/* The group of the candidate's legal outcome code (legal_outcome.csv), never the
 * legalOutcomeGroup sent; NULL for a code without one. */
static const char *
cand_group(const struct cand *cd)
{
    int g = cd->lo->v[LO_GROUP];
    return g >= 0 ? kgroup_names[g] : NULL;
}

static char outcome_id_buf[256];

static const char *
outcome_id(const struct koffence *o, const struct koutcome *oc)
{
    snprintf(outcome_id_buf, sizeof(outcome_id_buf), "offence %s offenceLegalOutcome[%d]",
             o->id ? o->id : "?", oc->pos);
    return outcome_id_buf;
}

/* The filters every KPI applies to an outcome: appeal, residence, counting legal outcome. */
static const struct krow *
outcome_counts(struct kstate *st, const struct koffence *o, const struct koutcome *oc)
{
    const struct ksettings *s = &st->kc->k->s;
    const struct krow *r;

    if (oc->date == DATE_NONE)
        return NULL;
    if (!oc->appeal) {
        if (!s->absent_appeal_counts)
            return NULL;
    } else if (!(r = lookup(st, KT_APPEAL, oc->appeal, "offenceLegalOutcome", outcome_id(o, oc),
                            "outcomeAppealStatus")) ||
               !r->v[AP_COUNTS])
        return NULL;
    if (!oc->residence) {
        if (!s->absent_residence_counts)
            return NULL;
    } else if (!(r = lookup(st, KT_RESIDENCE, oc->residence, "offenceLegalOutcome",
                            outcome_id(o, oc), "residenceOnLegalOutcomeDate")) ||
               !r->v[RS_COUNTS])
        return NULL;
    r = lookup(st, KT_LEGAL_OUTCOME, oc->legal, "offenceLegalOutcome", outcome_id(o, oc),
               "legalOutcome");
    return r && r->v[LO_COUNT] ? r : NULL;
}

/* A counting programme that has ended, on or after the first KPI day and by the as-of day. */
static const struct krow *
programme_counts(struct kstate *st, const struct kprogramme *p)
{
    const struct kcount *kc = st->kc;
    const struct krow *dt;

    if (!real(p->end) || p->start == DATE_NONE || p->end < kc->k->s.first_programme_end ||
        p->end > kc->as_of)
        return NULL;
    dt = lookup(st, KT_DISPOSAL_TYPE, p->disposal, "interventionProgramme", p->id, "disposalType");
    return dt && dt->v[DT_COUNT] ? dt : NULL;
}

/* The child 10-17 on the day the disposal type takes the age (disposal_type.csv age_at: the
 * outcome date for a DTO licence), or on the programme start whatever the disposal type when
 * AT_PROGRAMME_START (KPI 10, as the YJB's victims view takes it). */
static int
age_ok(struct kstate *st, const struct cand *cd, int at_programme_start)
{
    const struct ksettings *s = &st->kc->k->s;
    long on = at_programme_start || cd->dt->v[DT_AGE_AT] == 0 ? cd->p->start : cd->oc->date;
    int age;

    if (st->c->dob == DATE_NONE || on == DATE_NONE)
        return 0;
    age = date_age(st->c->dob, on);
    return age >= s->age_min && age <= s->age_max;
}

static int
in_period(const struct kcount *kc, long d)
{
    return d >= kc->period_start && d <= kc->period_end;
}

static int
in_list(char *const *l, const char *s)
{
    for (int i = 0; s && l && l[i]; i++)
        if (strcmp(l[i], s) == 0)
            return 1;
    return 0;
}

static const struct kprogramme *
find_programme(const struct kchild *c, const char *id)
{
    for (int i = 0; id && i < c->nprogrammes; i++)
        if (c->programmes[i].id && strcmp(c->programmes[i].id, id) == 0)
            return &c->programmes[i];
    return NULL;
}

static const struct koffence *
find_offence(const struct kchild *c, const char *id)
{
    for (int i = 0; id && i < c->noffences; i++)
        if (c->offences[i].id && strcmp(c->offences[i].id, id) == 0)
            return &c->offences[i];
    return NULL;
}

/* Which programme filters each_candidate applies on top of a counting disposal type. */
enum {
    CAND_ENDED = 1, /* ended, from the first KPI day to the as-of day (programme_counts) */
    CAND_AGE = 2,   /* the child 10-17 at the start of the order (age_ok) */
    CAND_COHORT = CAND_ENDED | CAND_AGE,
    CAND_AGE_AT_PROGRAMME_START = 4, /* with CAND_AGE: on the programme start, for every type */
};

/* Calls fn for every outcome x linked programme that passes the common filters (of the
 * offence ONLY when not NULL). */
static void
each_candidate(struct kstate *st, const struct koffence *only, int filters,
               void (*fn)(struct kstate *, const struct cand *, void *), void *arg)
{
    const struct kchild *c = st->c;

    for (int l = 0; l < c->noffence_programme; l++) {
        const struct klink *link = &c->offence_programme[l];
        struct cand cd;

        if (only) {
            if (!link->a || !only->id || strcmp(link->a, only->id) != 0)
                continue;
            cd.o = only;
        } else if (!(cd.o = find_offence(c, link->a)))
            continue;
        if (!(cd.p = find_programme(c, link->b)))
            continue;
        if (filters & CAND_ENDED)
            cd.dt = programme_counts(st, cd.p);
        else if ((cd.dt = lookup(st, KT_DISPOSAL_TYPE, cd.p->disposal, "interventionProgramme",
                                 cd.p->id, "disposalType")) != NULL &&
                 !cd.dt->v[DT_COUNT])
            cd.dt = NULL;
        if (!cd.dt)
            continue;
        for (int j = 0; j < cd.o->noutcomes; j++) {
            cd.oc = &cd.o->outcomes[j];
            if ((cd.lo = outcome_counts(st, cd.o, cd.oc)) != NULL &&
                (!(filters & CAND_AGE) ||
                 age_ok(st, &cd, (filters & CAND_AGE_AT_PROGRAMME_START) != 0)))
                fn(st, &cd, arg);
        }
    }
}

struct best {
    struct cand c;
    int have;
    int by_programme_end;
    int period_only; /* only programmes ending in the period */
};

static void
keep_best(struct kstate *st, const struct cand *cd, void *arg)
{
    struct best *b = arg;
    if (b->period_only && !in_period(st->kc, cd->p->end))
        return;
    if (!b->have || cand_cmp(cd, &b->c, b->by_programme_end) < 0) {
        b->c = *cd;
        b->have = 1;
    }
}

/* ---- the order's time points ---- */

struct order {
    int o; /* type of order */
    long start, end, ref, outcome_date;
    const struct cand *cd;
};

/* A record kept for KPIs 1 and 2: started by the order end and not ended before its start. */
static int
kept(const struct order *ord, const struct krecord *r)
{
    return r->start != DATE_NONE && r->end != DATE_NONE && r->start <= ord->end &&
           (r->end == KDATE_OPEN || r->end >= ord->ref);
}

static int
at_start(const struct order *ord, const struct krecord *r)
{
    return r->start <= ord->ref;
}

static int
at_end(const struct order *ord, const struct krecord *r)
{
    return r->end == KDATE_OPEN || r->end >= ord->end;
}

/* The order a chosen candidate makes: type, start, end, the "at start" day. */
static void
order_init(struct order *ord, const struct cand *cd)
{
    int dref = cd->dt->v[DT_START_REF];

    ord->o = cd->lo->v[LO_ORDER];
    ord->start = cd->p->start;
    ord->end = cd->p->end;
    ord->outcome_date = cd->oc->date;
    ord->ref = dref == REF_PROGRAMME_START      ? ord->start
               : dref == REF_PROGRAMME_START_M1 ? ord->start - 1
                                                : ord->outcome_date - 1;
    ord->cd = cd;
}

/* ---- the YJB's readings where they differ (docs/kpi.md) ---- */

/* The ids the YJB's SQL counts with COUNT(DISTINCT ...) over the whole return. */
enum {
    ID_PROGRAMME,
    ID_PROGRAMME_COMPLETED,
    ID_OFFENCE,
    ID_SV_OFFENCE,
    ID_VICTIM_CONSENT,
    ID_VICTIM_ENGAGED
};

/* Adds (TAG, ORDER, ID) to the set: 1 when it was not there yet, 0 when it was or ID is NULL. */
static int
idset_add(struct kidset *s, int tag, int order, const char *id)
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

        if (!r->suit || !(su = kconf_lookup(k, KT_SUITABILITY, r->suit)) || !kept(ord, r) ||
            !kconf_lookup(k, KT_PROVISION, r->code))
            continue;
        as = at_start(ord, r);
        ae = at_end(ord, r);
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
    keep_best(st, cd, &q->b[i]);
}

/* KPI 3's "in suitable ETE" as the YJB's view joins it: on the child's document only, so the
 * child's KPI 2 row of any quarter (its order ending then, by the as-of day) that is suitable
 * at the end counts, not only this quarter's. */
static int
ete_suitable_any_quarter(struct kstate *st)
{
    struct quarters *q = xcalloc(1, sizeof(*q));
    int any = 0;

    each_candidate(st, NULL, CAND_COHORT, keep_best_per_quarter, q);
    for (int i = 0; i < q->n && !any; i++) {
        struct order ord;
        order_init(&ord, &q->b[i].c);
        any = ete_suitable_end_yjb(st, &ord);
    }
    free(q);
    return any;
}

/* ---- KPI 1 accommodation ---- */

static void
kpi1(struct kstate *st, const struct order *ord)
{
    const struct kchild *c = st->c;
    int any_s = 0, bad_s = 0, any_e = 0, bad_e = 0, o = ord->o;
    const struct krecord *dec_s = NULL, *dec_e = NULL;
    char id[64];

    for (int i = 0; i < c->nresidences; i++) {
        const struct krecord *r = &c->residences[i];
        const struct krow *su, *ac;
        int ok, as, ae, g;

        pos_id(id, sizeof(id), "residence", r->pos);
        if (!r->suit) {
            if (kept(ord, r))
                problem(st, P_ACCOMMODATION_NO_SUITABILITY, NULL, id, NULL);
            continue;
        }
        if (!(su = lookup(st, KT_SUITABILITY, r->suit, "residence", id,
                          "kpi1AccommodationSuitability")))
            continue;
        if (!kept(ord, r))
            continue;
        as = at_start(ord, r);
        ae = at_end(ord, r);
        if (!as && !ae)
            continue;
        ok = su->v[SU_SUITABLE];
        ac = lookup(st, KT_ACCOMMODATION, r->code, "residence", id, "kpi1AccommodationType");
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
            mark(st, KT1_ACCOMMODATION, g, o * C1_PER_ORDER + C1_TOTAL);
            if (as)
                mark(st, KT1_ACCOMMODATION, g,
                     o * C1_PER_ORDER + (ok ? C1_START_YES : C1_START_NO));
            if (ae)
                mark(st, KT1_ACCOMMODATION, g, o * C1_PER_ORDER + (ok ? C1_END_YES : C1_END_NO));
        }
    }
    if (any_s)
        case_line(st, 1, bad_s ? "unsuitable_start" : "suitable_start", o, NULL, "residence",
                  pos_id(id, sizeof(id), "residence", dec_s->pos));
    if (any_e)
        case_line(st, 1, bad_e ? "unsuitable_end" : "suitable_end", o, NULL, "residence",
                  pos_id(id, sizeof(id), "residence", dec_e->pos));
    else
        problem(st, P_NO_ACCOMMODATION_END, NULL, NULL, NULL);
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
static int
kpi2(struct kstate *st, const struct order *ord)
{
    const struct kchild *c = st->c;
    const struct kcount *kc = st->kc;
    const struct ksettings *s = &kc->k->s;
    long age_day = ord->cd->dt->v[DT_AGE_AT] == 0 ? ord->start : ord->outcome_date;
    int school[2], any[2] = {0, 0}, bad[2] = {0, 0}, none[2] = {0, 0};
    int off[2] = {-1, -1}, att[2] = {-1, -1}, o = ord->o;
    unsigned char prov[2][R2_N] = {{0}};
    const struct krecord *dec[2] = {NULL, NULL};
    char id[64];

    school[0] = c->dob != DATE_NONE && kconf_school_age(kc->k, c->dob, age_day);
    school[1] = c->dob != DATE_NONE && kconf_school_age(kc->k, c->dob, ord->end);
    for (int i = 0; i < c->netes; i++) {
        const struct krecord *r = &c->etes[i];
        const struct krow *su, *pv;
        int tp[2];

        pos_id(id, sizeof(id), "eteStatus", r->pos);
        if (!r->suit) {
            if (kept(ord, r))
                problem(st, P_ETE_NO_SUITABILITY, NULL, id, NULL);
            continue;
        }
        if (!(su = lookup(st, KT_SUITABILITY, r->suit, "eteStatus", id, "suitability")) ||
            !kept(ord, r))
            continue;
        tp[0] = at_start(ord, r);
        tp[1] = at_end(ord, r);
        if (!(pv = lookup(st, KT_PROVISION, r->code, "eteStatus", id, "provisionType")))
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
            problem(st, P_ETE_NO_HOURS, NULL, id, NULL);
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
            mark(st, KT2_ETE, (row), base + grp_s + 1);                                            \
        if (at_e)                                                                                  \
            mark(st, KT2_ETE, (row), base + grp_e + 2);                                            \
        if ((at_s) || (at_e))                                                                      \
            mark(st, KT2_ETE, (row), base + grp_e);                                                \
    } while (0)
        ROW2(R2_CHILDREN, 1, 1);
        ROW2(R2_SUITABLE, suit[0], suit[1]);
        ROW2(R2_NOT_IN_ETE, none[0], none[1]);
        ROW2(R2_PART_TIME, part[0], part[1]);
        ROW2(R2_FULL_TIME, full[0], full[1]);
        for (int g = R2_PROVISION0; g < R2_OFFERED_1_15; g++)
            ROW2(g, prov[0][g], prov[1][g]);
        for (int b = 0; b < 3; b++) {
            ROW2(R2_OFFERED_1_15 + b, band(off[0]) == b, band(off[1]) == b);
            ROW2(R2_ATTENDED_1_15 + b, band(att[0]) == b, band(att[1]) == b);
        }
#undef ROW2
        if (any[1])
            case_line(st, 2, bad[1] ? "unsuitable_end" : "suitable_end", o, NULL, "eteStatus",
                      pos_id(id, sizeof(id), "eteStatus", dec[1]->pos));
        else
            problem(st, P_NO_ETE_END, NULL, NULL, NULL);
        if (any[0])
            case_line(st, 2, bad[0] ? "unsuitable_start" : "suitable_start", o, NULL, "eteStatus",
                      pos_id(id, sizeof(id), "eteStatus", dec[0]->pos));
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

static void
kpi3(struct kstate *st, const struct order *ord, int suitable_ete_end)
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
            problem(st, P_SEND_NO_PLAN, NULL, pos_id(id, sizeof(id), "sendAln", r->pos), NULL);
        else if (strcmp(r->suit, yes) == 0 && !plan) {
            plan = 1;
            dec = r;
        }
    }
    if (!any)
        problem(st, P_NO_SEND, NULL, NULL, NULL);
    mark(st, KT3_SEND, R3_CHILDREN, o);
    if (ident) {
        mark(st, KT3_SEND, R3_IDENTIFIED, o);
        st->kc->den[H3][o]++;
        case_line(st, 3, plan ? "formal_plan" : "identified_no_plan", o, NULL, "sendAln",
                  pos_id(id, sizeof(id), "sendAln", dec->pos));
    }
    if (plan) {
        mark(st, KT3_SEND, R3_PLAN, o);
        st->kc->num[H3][o]++;
    }
    if (ident && suitable_ete_end)
        mark(st, KT3_SEND, R3_IDENTIFIED_SUITABLE, o);
    if (ident) {
        st->kc->den[H3S][o]++;
        st->kc->num[H3S][o] += (unsigned long)(suitable_ete_end != 0);
        st->kc->yden[H3S][o]++;
        st->kc->ynum[H3S][o] += (unsigned long)ete_suitable_any_quarter(st);
    }
}

/* ---- KPIs 4 and 5: mental health, substance misuse ---- */

static void
kpi45(struct kstate *st, const struct order *ord, int kpi)
{
    const struct kchild *c = st->c;
    const struct kscreen *sc = kpi == 4 ? c->mhs : c->sms;
    int n = kpi == 4 ? c->nmhs : c->nsms, o = ord->o;
    int t = kpi == 4 ? KT4_MH : KT5_SM, ntypes = kpi == 4 ? 4 : 3;
    int r_children = 0, r_prior_s = 1, r_prior_o = 2, r_need = 3, r_off0 = 4,
        r_att0 = 4 + ntypes; /* the same layout in both templates */
    enum khead h = kpi == 4 ? H4 : H5, ha = kpi == 4 ? H4A : H5A;
    const char *item = kpi == 4 ? "mentalHealth" : "substanceMisuse";
    int any = 0, prior_s = 0, prior_o = 0, need = 0, num = 0, offered[4] = {0}, attended[4] = {0};
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
        pos_id(id, sizeof(id), item, s->pos);
        tr = real(s->att_start) && s->att_start <= ord->ref &&
             (s->att_end == KDATE_OPEN || (s->att_end != DATE_NONE && s->att_end >= ord->ref));
        nd = s->screened != KDATE_OPEN || tr;
        if (s->type) {
            ty = lookup(st, kpi == 4 ? KT_MH_TYPE : KT_SM_TYPE, s->type, item, id,
                        kpi == 4 ? "kpi4InterventionType" : "kpi5InterventionType");
            ti = ty && ty->v[0] < ntypes ? ty->v[0] : -1;
        } else if (real(s->offered) || real(s->att_start))
            problem(st, kpi == 4 ? P_MH_NO_TYPE : P_SM_NO_TYPE, NULL, id, NULL);
        if (ti >= 0) {
            if (tr || (real(s->offered) && s->offered >= ord->start && s->offered <= ord->end))
                offered[ti] = off = 1;
            if (tr ||
                (real(s->att_start) && s->att_start >= ord->start && s->att_start <= ord->end))
                attended[ti] = 1;
        }
        if (tr) {
            prior_o = 1;
            if (real(s->screened) && s->att_start < s->screened)
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
        problem(st, kpi == 4 ? P_MH_NO_SCREENING : P_SM_NO_SCREENING, NULL, NULL, NULL);
    mark(st, t, r_children, base + C3_TOTAL);
    mark(st, t, r_children, base + C3_START);
    mark(st, t, r_children, base + C3_END);
#define AT_START(row) (mark(st, t, (row), base + C3_TOTAL), mark(st, t, (row), base + C3_START))
#define AT_END(row) (mark(st, t, (row), base + C3_TOTAL), mark(st, t, (row), base + C3_END))
    if (prior_s)
        AT_START(r_prior_s);
    if (prior_o)
        AT_START(r_prior_o);
    if (need)
        AT_END(r_need);
    for (int i = 0; i < ntypes; i++) {
        if (offered[i])
            AT_END(r_off0 + i);
        if (attended[i])
            AT_END(r_att0 + i);
    }
#undef AT_START
#undef AT_END
    st->kc->den[ha][o]++;
    if (need) {
        st->kc->num[ha][o]++;
        st->kc->den[h][o]++;
        case_line(st, kpi, num ? "need_offered" : "need_not_offered", o, NULL, item,
                  pos_id(id, sizeof(id), item, dec->pos));
    }
    if (num)
        st->kc->num[h][o]++;
}

/* ---- KPI 7 wider services ---- */

static void
kpi7(struct kstate *st, const struct order *ord)
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
        pos_id(id, sizeof(id), "careStatus", r->pos);
        if (!(cs = lookup(st, KT_CARE_STATUS, r->code, "careStatus", id, "status")))
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
        mark(st, KT7_WS, cat, base + C3_TOTAL);
        mark(st, KT7_WS, cat, base + C3_END);
        if (r->start <= ref)
            mark(st, KT7_WS, cat, base + C3_START);
        if (!supported)
            dec = r;
        supported = 1;
    }
    mark(st, KT7_WS, R7_CHILDREN, base + C3_TOTAL);
    mark(st, KT7_WS, R7_CHILDREN, base + C3_START);
    mark(st, KT7_WS, R7_CHILDREN, base + C3_END);
    if (prior) {
        mark(st, KT7_WS, R7_EARLY_HELP_PRIOR, base + C3_TOTAL);
        mark(st, KT7_WS, R7_EARLY_HELP_PRIOR, base + C3_START);
    }
    if (referred) {
        mark(st, KT7_WS, R7_EARLY_HELP_REFERRED, base + C3_TOTAL);
        mark(st, KT7_WS, R7_EARLY_HELP_REFERRED, base + C3_END);
    }
    st->kc->den[H7][o]++;
    if (supported) {
        st->kc->num[H7][o]++;
        case_line(st, 7, "supported_during", o, NULL, "careStatus",
                  pos_id(id, sizeof(id), "careStatus", dec->pos));
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

    if (col < 0 || !in_period(st->kc, cd->p->end) ||
        !in_list(st->kc->k->s.kpi6_groups, cand_group(cd)))
        return;
    for (int i = 0; i < k6->nseen; i++)
        if (k6->seen[i] == cd->p)
            return;
    if (k6->nseen < (int)(sizeof(k6->seen) / sizeof(k6->seen[0])))
        k6->seen[k6->nseen++] = cd->p;
    k6->any = 1;
    mark(st, KT6_OOC, R6_CHILDREN, col);
    st->kc->den[H6A][ORD_N]++;
    st->kc->yden[H6A][ORD_N] +=
        (unsigned long)idset_add(&st->kc->ids, ID_PROGRAMME, ORD_N, cd->p->id);
    if (cd->p->completed == 1)
        st->kc->ynum[H6A][ORD_N] +=
            (unsigned long)idset_add(&st->kc->ids, ID_PROGRAMME_COMPLETED, ORD_N, cd->p->id);
    if (cd->p->completed == 1) {
        mark(st, KT6_OOC, R6_COMPLETED, col);
        k6->completed = 1;
        st->kc->num[H6A][ORD_N]++;
    } else if (cd->p->completed == 0)
        mark(st, KT6_OOC, R6_NOT_COMPLETED, col);
    else
        problem(st, P_OOCD_NO_COMPLETION, NULL, cd->p->id, NULL);
    case_line(st, 6,
              cd->p->completed == 1   ? "completed"
              : cd->p->completed == 0 ? "not_completed"
                                      : "completion_not_recorded",
              -1, cd->p->id, "interventionProgramme", cd->p->id);
}

static void
kpi6(struct kstate *st)
{
    struct k6 k6;
    memset(&k6, 0, sizeof(k6));
    each_candidate(st, NULL, CAND_COHORT, kpi6_candidate, &k6);
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

    if (!in_list(s->kpi9_groups, cand_group(cd)) || cd->oc->date < s->first_programme_end ||
        cd->oc->date > st->kc->as_of || age < s->age_min || age > s->age_max)
        return;
    keep_best(st, cd, b);
}

static void
kpi9(struct kstate *st)
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
        each_candidate(st, o, 0, kpi9_candidate, &b);
        if (!b.have || !in_period(st->kc, b.c.oc->date))
            continue;
        any = 1;
        st->kc->den[H9A][b.c.lo->v[LO_ORDER]]++;
        for (int k = 0; k < 2; k++) {
            int ord = k ? ORD_N : b.c.lo->v[LO_ORDER];
            st->kc->yden[H9A][ord] +=
                (unsigned long)idset_add(&st->kc->ids, ID_OFFENCE, ord, o->id);
        }
        age = offence_age(o, b.c.lo);
        cat = lookup(st, KT_OFFENCE_CATEGORY, o->category, "offence", o->id, "yjbOffenceCategory");
        row = cat ? cat->v[OC_ROW] : -1;
        if (o->score < 0)
            problem(st, P_OFFENCE_NO_GRAVITY, NULL, o->id, NULL);
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
                (unsigned long)idset_add(&st->kc->ids, ID_SV_OFFENCE, ord, o->id);
        }
        case_line(st, 9, "serious_violence", b.c.lo->v[LO_ORDER], o->id, "offenceLegalOutcome",
                  outcome_id(o, b.c.oc));
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

static void
kpi10(struct kstate *st)
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
                !(o = find_offence(c, c->offence_victim[l].a)))
                continue;
            memset(&b, 0, sizeof(b));
            b.by_programme_end = 1;
            /* the YJB's victims view takes the age on the programme start, for a DTO licence
             * too (f_ageAtInterventionStart(dob, programme start)): a child 17 when custody
             * began and 18 at the licence start is in the cohort, its victims are not */
            each_candidate(st, o, CAND_COHORT | CAND_AGE_AT_PROGRAMME_START, keep_best, &b);
            counted = b.have && in_period(st->kc, b.c.p->end);
        }
        if (!counted)
            continue;
        /* the YJB counts DISTINCT victimID over the return: a victim id with consent on any of
         * its counted records, of any child */
        if (is_yes(v->consent, yes)) {
            st->kc->yden[H10][ORD_N] +=
                (unsigned long)idset_add(&st->kc->ids, ID_VICTIM_CONSENT, ORD_N, v->victim_id);
            if (is_yes(v->engaged_rj, yes))
                st->kc->ynum[H10][ORD_N] +=
                    (unsigned long)idset_add(&st->kc->ids, ID_VICTIM_ENGAGED, ORD_N, v->victim_id);
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
            problem(st, P_VICTIM_NO_CONSENT, NULL, v->id, NULL);
        st->kc->cell[KT10_VICTIMS][R10_VICTIMS][0]++;
        if (consent) {
            st->kc->cell[KT10_VICTIMS][R10_CONSENT][0]++;
            st->kc->den[H10][ORD_N]++;
        }
        if (consent && is_yes(v->engaged_rj, yes)) {
            st->kc->cell[KT10_VICTIMS][R10_ENGAGED_RJ][0]++;
            st->kc->num[H10][ORD_N]++;
        }
        if (consent && is_yes(v->view_prior, yes))
            st->kc->cell[KT10_VICTIMS][R10_VIEW_PRIOR][0]++;
        if (consent && is_yes(v->progress_request, yes))
            st->kc->cell[KT10_VICTIMS][R10_PROGRESS_REQUESTED][0]++;
        if (consent && is_yes(v->progress_provided, yes))
            st->kc->cell[KT10_VICTIMS][R10_PROGRESS_PROVIDED][0]++;
        if (consent && is_yes(v->support_request, yes))
            st->kc->cell[KT10_VICTIMS][R10_SUPPORT_REQUESTED][0]++;
        if (consent && is_yes(v->support_provided, yes))
            st->kc->cell[KT10_VICTIMS][R10_SUPPORT_PROVIDED][0]++;
        case_line(st, 10,
                  consent && is_yes(v->engaged_rj, yes) ? "consent_engaged_rj"
                  : consent                             ? "consent_not_engaged_rj"
                                                        : "no_consent",
                  -1, v->victim_id, "victimIntervention", v->id);
    }
    free(done);
    if (any)
        mark(st, KT10_VICTIMS, R10_CHILDREN, 0);
}

/* ---- the child ---- */

/* Programmes ending in the period that no offence links to, and linked outcomes with no
 * residence: both keep a child out of every KPI without a word. */
static void
check_links(struct kstate *st)
{
    const struct kchild *c = st->c;
    const struct koffence *seen[64]; /* offences whose outcomes are checked: one line each */
    int nseen = 0;

    for (int i = 0; i < c->nprogrammes; i++) {
        const struct kprogramme *p = &c->programmes[i];
        int linked = 0;
        const struct krow *dt;
        if (!real(p->end) || !in_period(st->kc, p->end) || p->end > st->kc->as_of)
            continue;
        dt = kconf_lookup(st->kc->k, KT_DISPOSAL_TYPE, p->disposal);
        if (!dt || !dt->v[DT_COUNT])
            continue;
        for (int l = 0; l < c->noffence_programme && !linked; l++)
            linked =
                c->offence_programme[l].b && p->id && strcmp(c->offence_programme[l].b, p->id) == 0;
        if (!linked) {
            problem(st, P_NOT_LINKED, NULL, p->id, NULL);
            continue;
        }
        for (int l = 0; l < c->noffence_programme; l++) {
            const struct koffence *o;
            int again = 0;
            if (!c->offence_programme[l].b || !p->id ||
                strcmp(c->offence_programme[l].b, p->id) != 0 ||
                !(o = find_offence(c, c->offence_programme[l].a)))
                continue;
            for (int d = 0; d < nseen && !again; d++)
                again = seen[d] == o;
            if (again)
                continue;
            if (nseen < (int)(sizeof(seen) / sizeof(seen[0])))
                seen[nseen++] = o;
            for (int j = 0; j < o->noutcomes; j++)
                if (!o->outcomes[j].residence && !st->kc->k->s.absent_residence_counts)
                    problem(st, P_NO_RESIDENCE, NULL, outcome_id(o, &o->outcomes[j]), NULL);
        }
    }
}

void
kcount_init(struct kcount *kc, const struct kconf *k, long period_start, long period_end,
            long as_of)
{
    memset(kc, 0, sizeof(*kc));
    kc->k = k;
    kc->period_start = period_start;
    kc->period_end = period_end;
    kc->as_of = as_of;
}

/* Adds this child's marked cells, once each, and clears them: through the list of cells
 * marked, or by a full scan when the list overflowed. */
static void
flush_marks(struct kcount *kc)
{
    if (kc->nmarked > KMAX_MARKED) {
        for (int t = 0; t < KTPL_N; t++)
            for (int r = 0; r < KMAX_ROWS; r++)
                for (int col = 0; col < KMAX_COLS; col++)
                    if (kc->mark[t][r][col]) {
                        kc->cell[t][r][col]++;
                        kc->mark[t][r][col] = 0;
                    }
    } else
        for (size_t i = 0; i < kc->nmarked; i++) {
            int m = kc->marked[i], col = m % KMAX_COLS, r = m / KMAX_COLS % KMAX_ROWS,
                t = m / (KMAX_COLS * KMAX_ROWS);
            kc->cell[t][r][col]++;
            kc->mark[t][r][col] = 0;
        }
    kc->nmarked = 0;
}

void
kcount_child(struct kcount *kc, const struct kchild *c)
{
    struct kstate st;
    struct best b;

    memset(&st, 0, sizeof(st));
    st.kc = kc;
    st.c = c;
    check_links(&st);
    memset(&b, 0, sizeof(b));
    b.period_only = 1;
    each_candidate(&st, NULL, CAND_COHORT, keep_best, &b);
    if (b.have) {
        struct order ord;
        int suit;

        order_init(&ord, &b.c);
        kc->cohort++;
        case_line(&st, 0, "order", ord.o, b.c.p->id, "interventionProgramme", b.c.p->id);
        kpi1(&st, &ord);
        suit = kpi2(&st, &ord);
        kpi3(&st, &ord, suit);
        kpi45(&st, &ord, 4);
        kpi45(&st, &ord, 5);
        kpi7(&st, &ord);
    }
    kpi6(&st);
    kpi9(&st);
    kpi10(&st);
    flush_marks(kc);
}

void
kcount_board(struct kcount *kc, int sector, int attended, int senior, int new_partner)
{
    kc->board_rows++;
    if (!attended)
        return;
    if (senior)
        kc->board_senior[sector] = 1;
    else
        kc->board_delegate[sector] = 1;
    if (new_partner)
        kc->board_new[sector] = 1;
}

void
kcount_board_unknown(struct kcount *kc, const char *where)
{
    const struct kproblem_info *pi = &kproblems[P_BOARD_SECTOR];

    kc->board_rows++;
    kc->board_unknown++;
    kc->problem_children[P_BOARD_SECTOR]++;
    kc->worklist_lines++;
    if (!kc->worklist)
        return;
    fprintf(kc->worklist, ",%d,%s,%s,", pi->kpi, pi->code, pi->item);
    kcount_csv(kc->worklist, where);
    fprintf(kc->worklist, ",%s,", pi->field);
    kcount_csv(kc->worklist, pi->advice);
    fputc('\n', kc->worklist);
}

void
kcount_finish(struct kcount *kc, long population)
{
    for (int s = 0; s < SECTOR_N; s++) {
        int senior = kc->board_senior[s], delegate = !senior && kc->board_delegate[s];
        kc->cell[KT8_MBA][R8_SENIOR][s * 2 + (senior ? 0 : 1)] = 1;
        kc->cell[KT8_MBA][R8_DELEGATED][s * 2 + (delegate ? 0 : 1)] = 1;
        kc->cell[KT8_MBA][R8_NEW_PARTNER][s * 2 + (kc->board_new[s] ? 0 : 1)] = 1;
        if (s < SECTOR_OTHER && senior)
            kc->num[H8][ORD_N]++;
    }
    kc->den[H8][ORD_N] = (unsigned long)kc->k->s.board_sectors;
    for (int h = 0; h < H_N; h++)
        for (int o = 0; o < ORD_N; o++)
            if (h != H6 && h != H6A && h != H8 && h != H9B && h != H10) {
                kc->num[h][ORD_N] += kc->num[h][o];
                kc->den[h][ORD_N] += kc->den[h][o];
            }
    /* the rate's denominator is the population, for all orders together */
    memset(kc->den[H9], 0, sizeof(kc->den[H9]));
    kc->den[H9][ORD_N] = population > 0 ? (unsigned long)population : 0;

    /* the YJB's figures: its own where its readings differ, the project's elsewhere */
    for (int h = 0; h < H_N; h++) {
        int own = h == H1 || h == H2 || h == H2PS || h == H2PE || h == H3S;
        int ids = h == H6A || h == H9A || h == H10; /* distinct ids, "all" counted directly */
        if (own)
            for (int o = 0; o < ORD_N; o++) {
                kc->ynum[h][ORD_N] += kc->ynum[h][o];
                kc->yden[h][ORD_N] += kc->yden[h][o];
            }
        else if (!ids) {
            memcpy(kc->ynum[h], kc->num[h], sizeof(kc->ynum[h]));
            memcpy(kc->yden[h], kc->den[h], sizeof(kc->yden[h]));
        }
    }
    kc->ynum[H9][ORD_N] = kc->ynum[H9A][ORD_N];
    /* a defect of the YJB's KPI 3 long view: the ro and yro denominators are swapped */
    {
        unsigned long d = kc->yden[H3][ORD_RO];
        kc->yden[H3][ORD_RO] = kc->yden[H3][ORD_YRO];
        kc->yden[H3][ORD_YRO] = d;
    }
}

void
kcount_release(struct kcount *kc)
{
    free(kc->ids.slot);
    kc->ids.slot = NULL;
    kc->ids.cap = kc->ids.n = 0;
}

int
kcount_cell_blank(int t, int row, int col)
{
    int time = col % C3_PER_ORDER;

    if (t == KT4_MH || t == KT5_SM) {
        int treatment = row == 1 || row == 2;
        if (row == 0)
            return 0;
        return treatment ? time == C3_END : time == C3_START;
    }
    if (t == KT7_WS) {
        if (row == R7_EARLY_HELP_PRIOR)
            return time == C3_END;
        if (row == R7_EARLY_HELP_REFERRED)
            return time == C3_START;
    }
    return 0;
}
