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
 *
 * This file owns the machinery every KPI shares: the worklist problems and their lines, the
 * case-level lines, cell marking, the candidates and the child's order with its time points;
 * and the public functions of kcount.h (the child, KPI 8's board, the finish). The KPIs are
 * in kcount_k13.c (1-3) and kcount_k410.c (4-7, 9, 10), the YJB's own readings in
 * kcount_yjb.c; kcount_int.h holds what they share.
 */
#include "kcount_int.h"

#include "period.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

const struct kproblem_info kproblems[P_N] = {
    [P_NOT_LINKED] = {"programme_not_linked", 0, KF_PROGRAMME, KF_OFFENCE_PROGRAMME,
                      "link the programme to the offence and outcome it was made for"},
    [P_NO_RESIDENCE] = {"outcome_no_residence", 0, KF_OUTCOME, KF_OUTCOME_RESIDENCE,
                        "record where the child lived on the outcome date"},
    [P_UNKNOWN_CODE] = {"code_not_in_kpi_rules", 0, -1, -1,
                        "correct the code: the return failed validation"},
    [P_NO_ACCOMMODATION_END] = {"no_accommodation_at_end", 1, KF_RESIDENCE,
                                KF_RESIDENCE_SUITABILITY,
                                "record the accommodation and its suitability current on the "
                                "order end date"},
    [P_ACCOMMODATION_NO_SUITABILITY] = {"accommodation_no_suitability", 1, KF_RESIDENCE,
                                        KF_RESIDENCE_SUITABILITY,
                                        "record whether the accommodation is suitable"},
    [P_NO_ETE_END] = {"no_ete_at_end", 2, KF_ETE, KF_ETE_SUITABILITY,
                      "record the education, training or employment current on the order end "
                      "date"},
    [P_ETE_NO_SUITABILITY] = {"ete_no_suitability", 2, KF_ETE, KF_ETE_SUITABILITY,
                              "record whether the provision is suitable"},
    [P_ETE_NO_HOURS] = {"ete_no_hours", 2, KF_ETE, KF_ETE_HOURS_OFFERED,
                        "record the hours a week offered"},
    [P_NO_SEND] = {"no_send_aln_at_end", 3, KF_SEND, KF_SEND_IDENTIFIED,
                   "record whether a SEND/ALN need is identified, current on the order end date"},
    [P_SEND_NO_PLAN] = {"send_aln_no_plan", 3, KF_SEND, KF_SEND_PLAN,
                        "record whether a formal plan is in place"},
    [P_MH_NO_SCREENING] = {"no_mental_health_screening", 4, KF_MH, KF_MH_SCREENED,
                           "record the mental health screening (or that none was needed)"},
    [P_MH_NO_TYPE] = {"mental_health_no_type", 4, KF_MH, KF_MH_TYPE,
                      "record the type of intervention offered or attended"},
    [P_SM_NO_SCREENING] = {"no_substance_misuse_screening", 5, KF_SM, KF_SM_SCREENED,
                           "record the substance misuse screening (or that none was needed)"},
    [P_SM_NO_TYPE] = {"substance_misuse_no_type", 5, KF_SM, KF_SM_TYPE,
                      "record the type of intervention offered or attended"},
    [P_OOCD_NO_COMPLETION] = {"oocd_no_completion", 6, KF_PROGRAMME, KF_PROGRAMME_COMPLETED,
                              "record whether the out-of-court programme was completed"},
    [P_OFFENCE_NO_GRAVITY] = {"offence_no_gravity", 9, KF_OFFENCE, KF_OFFENCE_SCORE,
                              "record the offence's gravity score"},
    [P_VICTIM_NO_CONSENT] = {"victim_no_consent", 10, KF_VICTIM, KF_VICTIM_CONSENT,
                             "record whether the victim consents to contact"},
    [P_BOARD_SECTOR] = {"board_sector_not_in_kpi_rules", 8, -1, -1,
                        "record one of the sectors of kpi/board_sector.csv (or add the code "
                        "there)"},
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

void
kc_problem(struct kstate *st, enum kproblem p, const char *item, const char *item_id,
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
    kcount_csv(f, item ? item : kproblem_item(st->kc->k, p));
    fputc(',', f);
    kcount_csv(f, item_id);
    fputc(',', f);
    kcount_csv(f, field ? field : kproblem_field(st->kc->k, p));
    fputc(',', f);
    kcount_csv(f, pi->advice);
    fputc('\n', f);
}

void
kc_case_line(struct kstate *st, int kpi, const char *measure, int order, const char *unit_id,
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

const char *
kc_pos_id(char *buf, size_t size, const char *item, int pos)
{
    snprintf(buf, size, "%s[%d]", item, pos);
    return buf;
}

/* A code the KPI rules do not hold: only in a return that failed validation. */
const struct krow *
kc_lookup(struct kstate *st, enum ktable_id t, const char *code, const char *item,
          const char *item_id, const char *field)
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
        kc_problem(st, P_UNKNOWN_CODE, item, item_id, field);
    }
    return r;
}

void
kc_mark(struct kstate *st, int t, int row, int col)
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

int
kc_real(long d)
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
const char *
kc_cand_group(const struct cand *cd)
{
    int g = cd->lo->v[LO_GROUP];
    return g >= 0 ? kgroup_names[g] : NULL;
}

static char outcome_id_buf[256];

const char *
kc_outcome_id(const struct kstate *st, const struct koffence *o, const struct koutcome *oc)
{
    snprintf(outcome_id_buf, sizeof(outcome_id_buf), "%s %s %s[%d]", KF(st, OFFENCE),
             o->id ? o->id : "?", KF(st, OUTCOME), oc->pos);
    return outcome_id_buf;
}

const char *
kproblem_item(const struct kconf *k, int p)
{
    if (p == P_BOARD_SECTOR)
        return KPROBLEM_BOARD_INPUT;
    return kproblems[p].item >= 0 ? k->fields[kproblems[p].item] : "";
}

const char *
kproblem_field(const struct kconf *k, int p)
{
    if (p == P_BOARD_SECTOR)
        return KPROBLEM_BOARD_COLUMN;
    return kproblems[p].field >= 0 ? k->fields[kproblems[p].field] : "";
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
    } else if (!(r = kc_lookup(st, KT_APPEAL, oc->appeal, KF(st, OUTCOME), kc_outcome_id(st, o, oc),
                               KF(st, OUTCOME_APPEAL))) ||
               !r->v[AP_COUNTS])
        return NULL;
    if (!oc->residence) {
        if (!s->absent_residence_counts)
            return NULL;
    } else if (!(r = kc_lookup(st, KT_RESIDENCE, oc->residence, KF(st, OUTCOME),
                               kc_outcome_id(st, o, oc), KF(st, OUTCOME_RESIDENCE))) ||
               !r->v[RS_COUNTS])
        return NULL;
    r = kc_lookup(st, KT_LEGAL_OUTCOME, oc->legal, KF(st, OUTCOME), kc_outcome_id(st, o, oc),
                  KF(st, OUTCOME_LEGAL));
    return r && r->v[LO_COUNT] ? r : NULL;
}

/* A counting programme that has ended, on or after the first KPI day and by the as-of day. */
static const struct krow *
programme_counts(struct kstate *st, const struct kprogramme *p)
{
    const struct kcount *kc = st->kc;
    const struct krow *dt;

    if (!kc_real(p->end) || p->start == DATE_NONE || p->end < kc->k->s.first_programme_end ||
        p->end > kc->as_of)
        return NULL;
    dt = kc_lookup(st, KT_DISPOSAL_TYPE, p->disposal, KF(st, PROGRAMME), p->id,
                   KF(st, PROGRAMME_DISPOSAL));
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

int
kc_in_period(const struct kcount *kc, long d)
{
    return d >= kc->period_start && d <= kc->period_end;
}

int
kc_in_list(char *const *l, const char *s)
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

const struct koffence *
kc_find_offence(const struct kchild *c, const char *id)
{
    for (int i = 0; id && i < c->noffences; i++)
        if (c->offences[i].id && strcmp(c->offences[i].id, id) == 0)
            return &c->offences[i];
    return NULL;
}

/* Calls fn for every outcome x linked programme that passes the common filters (of the
 * offence ONLY when not NULL). */
void
kc_each_candidate(struct kstate *st, const struct koffence *only, int filters,
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
        } else if (!(cd.o = kc_find_offence(c, link->a)))
            continue;
        if (!(cd.p = find_programme(c, link->b)))
            continue;
        if (filters & CAND_ENDED)
            cd.dt = programme_counts(st, cd.p);
        else if ((cd.dt = kc_lookup(st, KT_DISPOSAL_TYPE, cd.p->disposal, KF(st, PROGRAMME),
                                    cd.p->id, KF(st, PROGRAMME_DISPOSAL))) != NULL &&
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

void
kc_keep_best(struct kstate *st, const struct cand *cd, void *arg)
{
    struct best *b = arg;
    if (b->period_only && !kc_in_period(st->kc, cd->p->end))
        return;
    if (!b->have || cand_cmp(cd, &b->c, b->by_programme_end) < 0) {
        b->c = *cd;
        b->have = 1;
    }
}

/* ---- the order's time points ---- */

/* A record kept for KPIs 1 and 2: started by the order end and not ended before its start. */
int
kc_kept(const struct order *ord, const struct krecord *r)
{
    return r->start != DATE_NONE && r->end != DATE_NONE && r->start <= ord->end &&
           (r->end == KDATE_OPEN || r->end >= ord->ref);
}

int
kc_at_start(const struct order *ord, const struct krecord *r)
{
    return r->start <= ord->ref;
}

int
kc_at_end(const struct order *ord, const struct krecord *r)
{
    return r->end == KDATE_OPEN || r->end >= ord->end;
}

/* The order a chosen candidate makes: type, start, end, the "at start" day. */
void
kc_order_init(struct order *ord, const struct cand *cd)
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
        if (!kc_real(p->end) || !kc_in_period(st->kc, p->end) || p->end > st->kc->as_of)
            continue;
        dt = kconf_lookup(st->kc->k, KT_DISPOSAL_TYPE, p->disposal);
        if (!dt || !dt->v[DT_COUNT])
            continue;
        for (int l = 0; l < c->noffence_programme && !linked; l++)
            linked =
                c->offence_programme[l].b && p->id && strcmp(c->offence_programme[l].b, p->id) == 0;
        if (!linked) {
            kc_problem(st, P_NOT_LINKED, NULL, p->id, NULL);
            continue;
        }
        for (int l = 0; l < c->noffence_programme; l++) {
            const struct koffence *o;
            int again = 0;
            if (!c->offence_programme[l].b || !p->id ||
                strcmp(c->offence_programme[l].b, p->id) != 0 ||
                !(o = kc_find_offence(c, c->offence_programme[l].a)))
                continue;
            for (int d = 0; d < nseen && !again; d++)
                again = seen[d] == o;
            if (again)
                continue;
            if (nseen < (int)(sizeof(seen) / sizeof(seen[0])))
                seen[nseen++] = o;
            for (int j = 0; j < o->noutcomes; j++)
                if (!o->outcomes[j].residence && !st->kc->k->s.absent_residence_counts)
                    kc_problem(st, P_NO_RESIDENCE, NULL, kc_outcome_id(st, o, &o->outcomes[j]),
                               NULL);
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
    kc_each_candidate(&st, NULL, CAND_COHORT, kc_keep_best, &b);
    if (b.have) {
        struct order ord;
        int suit;

        kc_order_init(&ord, &b.c);
        kc->cohort++;
        kc_case_line(&st, 0, "order", ord.o, b.c.p->id, KF(&st, PROGRAMME), b.c.p->id);
        kc_kpi1(&st, &ord);
        suit = kc_kpi2(&st, &ord);
        kc_kpi3(&st, &ord, suit);
        kc_kpi45(&st, &ord, 4);
        kc_kpi45(&st, &ord, 5);
        kc_kpi7(&st, &ord);
    }
    kc_kpi6(&st);
    kc_kpi9(&st);
    kc_kpi10(&st);
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
    fprintf(kc->worklist, ",%d,%s,%s,", pi->kpi, pi->code, KPROBLEM_BOARD_INPUT);
    kcount_csv(kc->worklist, where);
    fprintf(kc->worklist, ",%s,", KPROBLEM_BOARD_COLUMN);
    kcount_csv(kc->worklist, pi->advice);
    fputc('\n', kc->worklist);
}

void
kcount_finish(struct kcount *kc, long population)
{
    const struct krowids *rw = &kc->k->rows;

    for (int s = 0; s < SECTOR_N; s++) {
        int senior = kc->board_senior[s], delegate = !senior && kc->board_delegate[s];
        kc->cell[KT8_MBA][rw->k8_senior][s * 2 + (senior ? 0 : 1)] = 1;
        kc->cell[KT8_MBA][rw->k8_delegated][s * 2 + (delegate ? 0 : 1)] = 1;
        kc->cell[KT8_MBA][rw->k8_new_partner][s * 2 + (kc->board_new[s] ? 0 : 1)] = 1;
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
