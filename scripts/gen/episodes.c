/*
 * episodes.c - the accommodation, ete, care_status and send_aln tables: the episodes the KPIs
 * on accommodation (1), ETE (2), SEND/ALN (3) and early help count.
 *
 * 25% in care (LAC episode, foster/residential accommodation); CPP 6%, CIN 12%, EHP 18%, CEX
 * 4%; and for 8% of the programmes of children not in care (at most one each) an early help
 * referral made 14-60 days into it. Accommodation for 90%: 1-3 episodes, 88% suitable (B&B,
 * NFA, not known always not); at home: parents 73%, family 10.5%, friends 3%, independent 3%,
 * other 2.5%, supported 2.5%, temporary 1.5%. The secure estate on top: from the first remand
 * to youth detention accommodation to the sentence (released from court unless sentenced to
 * custody), and in custody until release (half way through a DTO or section 250 sentence,
 * two thirds through section 259, section 254 not before the cut): under 15s and girls SCH
 * 65 STC 35, older boys YOI 70 SCH 18 STC 12 (%). ETE for 98%: 1-3 episodes; school age /
 * above; NON 15% / 27%; 83% of the others suitable: about 35% of children not in suitable
 * ETE at the end of an order. School age: school full time 48%, PRU 11%, other alternative
 * provision 11%, school part time 8%, home educated 4%, re-engagement 2%, other 1.5%,
 * mentoring 1%. Above: college 32%, apprenticeship 10%, full-time and part-time employment 7%
 * each, re-engagement 6%, other 5%, voluntary 1.5%, self-employed 1%, traineeship and
 * supported internship 0.5% each, university 0.3%. Hours a week offered: part-time
 * provisions 3 to the full-time threshold less one (24 school age, 15 above), school and
 * alternative provision full time 25-32, college 16-24 (25-30 school age), employment,
 * apprenticeship, traineeship 25-37; attended 30-100% of offered. SEND row for 75% (need in
 * 40% of them, formal plan in 45% of those).
 */
#include "calendar.h"
#include "child.h"
#include "codes.h"
#include "copyout.h"
#include "court.h"
#include "dirty.h"
#include "rows.h"

#include <string.h>

#include "banned.h"

static void
episode_row(int64_t id, int64_t yp, int start, int end, const char *a, const char *b)
{
    end = cut(end);
    out_u64((uint64_t)id);
    out_tab();
    out_u64((uint64_t)yp);
    out_tab();
    out_date(start);
    out_tab();
    out_date(end);
    out_tab();
    out_str(a);
    out_tab();
    out_opt_str(b);
}

#define MAX_EPISODE 5 /* clean accommodation ids child*10+1..5; +6..9 are --dirty's */

struct episode {
    int start, end; /* end NODATE: open */
    const char *type, *suit;
};

/* Cuts [A, B] (B NODATE: open) out of the N episodes of E (in date order, not overlapping)
 * and puts a secure-estate episode of TYPE there; returns the new count (at most
 * MAX_EPISODE: later episodes are left out). */
static int
add_secure(struct episode *e, int n, int a, int b, const char *type)
{
    struct episode out[2 * MAX_EPISODE + 1];
    int i, j, k = 0;

    for (i = 0; i < n; i++) {
        const struct episode *x = &e[i];

        if (x->start < a) { /* the part before */
            out[k] = *x;
            if (x->end == NODATE || x->end >= a)
                out[k].end = a - 1;
            k++;
        }
        if (b != NODATE && (x->end == NODATE || x->end > b)) { /* the part after */
            out[k] = *x;
            if (x->start <= b)
                out[k].start = b + 1;
            k++;
        }
    }
    out[k].start = a;
    out[k].end = b;
    out[k].type = type;
    out[k].suit = suit_codes[SUIT_S];
    k++;
    for (i = 1; i < k; i++) /* date order */
        for (j = i; j > 0 && out[j].start < out[j - 1].start; j--) {
            struct episode t = out[j];

            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    if (k > MAX_EPISODE)
        k = MAX_EPISODE;
    memcpy(e, out, sizeof(*e) * (size_t)k);
    return k;
}

/* The secure estate: a child remanded to youth detention accommodation is there from the
 * first such remand until sentenced, and a child sentenced to custody until released (half
 * way through a DTO or section 250 sentence, two thirds through section 259, not before the
 * data cut for section 254). Under 15s and girls go to an SCH or STC, older boys mostly to a
 * YOI. Draws the types from R. */
static int
secure_episodes(const struct child *c, struct rng *r, struct episode *e, int n)
{
    static const int young[] = {ACC_SCH, ACC_STC}, young_w[] = {65, 35};
    static const int older[] = {ACC_YOI, ACC_SCH, ACC_STC}, older_w[] = {70, 18, 12};
    struct court_case cc[MAX_OFF];
    int k, j;

    gen_court(c, cc);
    for (k = 0; k < c->n_off; k++) {
        const struct offence *o = &c->off[k];
        const struct court_case *x = &cc[k];
        int a = NODATE, b = NODATE, cust = o->n_out > 0 && is_custody(o->out[0].code);
        int type;

        for (j = 0; j < x->n; j++)
            if (x->h[j].remand == REM_RYDA) {
                a = x->h[j].date;
                break;
            }
        if (cust) {
            const struct outcome *m = &o->out[0];

            if (a == NODATE)
                a = m->date;
            b = m->end == NODATE || m->code == S254 ? NODATE
                : m->code == S259                   ? m->date + (m->end - m->date) * 2 / 3
                                                    : m->date + (m->end - m->date) / 2;
        } else if (a != NODATE) {
            b = x->n == x->planned ? x->h[x->planned - 1].date : NODATE; /* released */
        } else {
            continue;
        }
        if (a > DATA_END)
            continue;
        if (b != NODATE && b > DATA_END)
            b = NODATE;
        type = age_on(c->dob, a) < 15 || c->sex == SEX_F ? young[PICK(r, young_w)]
                                                         : older[PICK(r, older_w)];
        n = add_secure(e, n, a, b, accom_codes[type]);
    }
    return n;
}

static void
accommodation_rows(const struct child *c)
{
    static const int home[] = {ACC_PAR, ACC_FAM, ACC_FRI, ACC_IND, ACC_SUP, ACC_TMP, ACC_BAH,
                               ACC_HOS, ACC_TRV, ACC_BNB, ACC_NFA, ACC_UNK, ACC_OTH};
    static const int home_w[] = {730, 105, 30, 30, 25, 15, 5, 3, 5, 5, 5, 17, 25};
    static const int care[] = {ACC_FCL, ACC_FCP, ACC_RUL, ACC_RUP,
                               ACC_RUS, ACC_SUP, ACC_FAM, ACC_BNB};
    static const int care_w[] = {30, 25, 15, 15, 2, 8, 4, 1};
    static const int suit_w[NSUIT] = {88, 8, 4};
    struct episode e[MAX_EPISODE];
    struct rng r;
    int n = 0, i, start, end, last = child_last_day(c), episodes = 0;

    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_ACCOMMODATION);
    if (rng_chance(&r, 900)) {
        episodes = 1 + rng_below(&r, 3);
        start = c->fc - rng_range(&r, 0, 400);
    }
    for (i = 0; i < episodes; i++) {
        int type = c->in_care ? care[PICK(&r, care_w)] : home[PICK(&r, home_w)];
        int s = PICK(&r, suit_w);

        if (type == ACC_BNB || type == ACC_NFA || type == ACC_UNK) /* never suitable */
            s = SUIT_U;
        end = i == episodes - 1 ? NODATE : start + rng_range(&r, 30, 500);
        if (end != NODATE && end >= last)
            end = NODATE;
        if (start > DATA_END)
            break;
        e[n].start = start;
        e[n].end = end;
        e[n].type = accom_codes[type];
        e[n].suit = suit_codes[s];
        n++;
        if (end == NODATE)
            break;
        start = end + 1;
    }
    n = secure_episodes(c, &r, e, n);
    for (i = 0; i < n; i++) {
        episode_row(c->id * 10 + i + 1, c->id, e[i].start, e[i].end, e[i].type, e[i].suit);
        out_nl();
    }
    if (c->dirty == DIRTY_ACCOM) { /* overlaps the first episode */
        episode_row(c->id * 10 + 9, c->id, c->fc, c->fc + 90, accom_codes[ACC_PAR],
                    suit_codes[SUIT_S]);
        out_nl();
    }
}

void
row_accommodation(const struct child *c)
{
    int start = c->fc - c->def_n[0], i;

    accommodation_rows(c);
    if (c->defect == DEF_EPISODE_ENDS) {
        episode_row(c->id * 10 + 8, c->id, start, start - c->def_n[1], accom_codes[ACC_PAR],
                    suit_codes[SUIT_S]);
        out_nl();
    } else if (c->defect == DEF_MISSING) {
        episode_row(c->id * 10 + 7, c->id, start, start + 30 + c->def_n[1], accom_codes[ACC_PAR],
                    NULL);
        out_nl();
    }
    for (i = 0; i < c->n_prog; i++)
        if (c->gap[i] == GAP_ACCOM_NO_SUIT) {
            episode_row(c->id * 10 + 6, c->id, c->prog[i].start, c->prog[i].end,
                        accom_codes[ACC_TMP], NULL);
            out_nl();
            break;
        }
}

/* Hours a week offered by an ETE provision: part-time provisions below the full-time
 * threshold (25 school age, 16 above), full-time school and alternative provision 25-32,
 * college 16-24, employment, apprenticeships and traineeships 25-37. */
enum { HOURS_NONE, HOURS_PART, HOURS_FULL, HOURS_COLLEGE, HOURS_WORK };
static const int ete_hours[NETE] = {
    [ETE_SFT] = HOURS_FULL,    [ETE_SPT] = HOURS_PART,    [ETE_EHE] = HOURS_PART,
    [ETE_PRF] = HOURS_FULL,    [ETE_PRP] = HOURS_PART,    [ETE_AOF] = HOURS_FULL,
    [ETE_AOP] = HOURS_PART,    [ETE_ALT] = HOURS_FULL,    [ETE_COL] = HOURS_COLLEGE,
    [ETE_UNI] = HOURS_COLLEGE, [ETE_REP] = HOURS_PART,    [ETE_TRS] = HOURS_WORK,
    [ETE_APP] = HOURS_WORK,    [ETE_SIN] = HOURS_PART,    [ETE_MEN] = HOURS_PART,
    [ETE_FTE] = HOURS_WORK,    [ETE_PTE] = HOURS_PART,    [ETE_SEL] = HOURS_WORK,
    [ETE_VOL] = HOURS_PART,    [ETE_OTH] = HOURS_COLLEGE, [ETE_NON] = HOURS_NONE,
};

static int
ete_offered(struct rng *r, int prov, int school)
{
    int full = school ? 25 : 16;

    switch (ete_hours[prov]) {
    case HOURS_NONE:
        return 0;
    case HOURS_PART:
        return rng_range(r, 3, full - 1);
    case HOURS_COLLEGE:
        return rng_range(r, school ? 25 : 16, school ? 30 : 24);
    case HOURS_WORK:
        return rng_range(r, 25, 37);
    default:
        return rng_range(r, full, full + 7);
    }
}

static void
ete_rows(const struct child *c)
{
    static const int sch[] = {ETE_SFT, ETE_SPT, ETE_EHE, ETE_PRF, ETE_PRP, ETE_AOF,
                              ETE_AOP, ETE_ALT, ETE_REP, ETE_MEN, ETE_OTH, ETE_NON};
    static const int sch_w[] = {480, 80, 40, 70, 40, 40, 30, 40, 20, 10, 15, 150};
    static const int abv[] = {ETE_COL, ETE_UNI, ETE_REP, ETE_TRS, ETE_APP, ETE_SIN,
                              ETE_FTE, ETE_PTE, ETE_SEL, ETE_VOL, ETE_OTH, ETE_NON};
    static const int abv_w[] = {320, 3, 60, 5, 100, 5, 70, 70, 10, 15, 50, 270};
    static const int suit_w[NSUIT] = {83, 12, 5};
    struct rng r;
    int n, i, start, end, last = child_last_day(c), stop = NODATE;

    for (i = 0; i < c->n_prog && stop == NODATE; i++)
        if (c->gap[i] == GAP_NO_ETE_END)
            stop = c->prog[i].start;
    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_ETE);
    if (!rng_chance(&r, 980))
        return;
    n = 1 + rng_below(&r, 3);
    start = c->fc - rng_range(&r, 0, 300);
    for (i = 0; i < n && start <= DATA_END; i++) {
        int school = school_age(c->dob, start);
        int prov = school ? sch[PICK(&r, sch_w)] : abv[PICK(&r, abv_w)];
        int s = PICK(&r, suit_w);
        int offered = ete_offered(&r, prov, school), attended;

        if (prov == ETE_NON)
            s = SUIT_U;
        attended = offered * rng_range(&r, 30, 100) / 100;
        end = i == n - 1 ? NODATE : start + rng_range(&r, 60, 400);
        if (end != NODATE && end >= last)
            end = NODATE;
        if (stop != NODATE && start >= stop)
            break;
        if (stop != NODATE && (end == NODATE || end >= stop))
            end = stop - 1; /* --dirty: nothing recorded from STOP on */
        episode_row(c->id * 10 + i + 1, c->id, start, end, ete_codes[prov], suit_codes[s]);
        out_tab();
        out_u64((uint64_t)offered);
        out_tab();
        out_u64((uint64_t)attended);
        out_nl();
        if (end == NODATE)
            break;
        start = end + 1;
    }
}

/* an extra ETE episode of a dirty child: id child*10+K, from START, suitability SUIT, hours
 * OFFERED and ATTENDED (-1: not recorded) */
static void
ete_defect_row(const struct child *c, int k, int start, int end, const char *suit, int offered,
               int attended)
{
    episode_row(c->id * 10 + k, c->id, start, end,
                ete_codes[school_age(c->dob, start) ? ETE_SFT : ETE_COL], suit);
    out_tab();
    if (offered < 0) /* not recorded */
        out_str("\\N\t\\N");
    else {
        out_u64((uint64_t)offered);
        out_tab();
        out_u64((uint64_t)attended);
    }
    out_nl();
}

void
row_ete(const struct child *c)
{
    int start = c->fc - c->def_n[0], offered = 10 + c->def_n[2] % 10, i;

    ete_rows(c);
    if (c->defect == DEF_EPISODE_ENDS)
        ete_defect_row(c, 8, start, start - c->def_n[1], suit_codes[SUIT_S], 25, 20);
    else if (c->defect == DEF_NUMBERS)
        ete_defect_row(c, 7, start, start + 60 + c->def_n[1], suit_codes[SUIT_S], offered,
                       offered + 1 + c->def_n[3] % 8);
    else if (c->defect == DEF_MISSING)
        ete_defect_row(c, 6, start, start + 30 + c->def_n[2], NULL, 25, 20);
    for (i = 0; i < c->n_prog; i++) /* the first programme with each gap */
        if (c->gap[i] == GAP_ETE_NO_SUIT && !has_gap_before(c, GAP_ETE_NO_SUIT, i))
            ete_defect_row(c, 5, c->prog[i].start, c->prog[i].end, NULL, 25, 20);
        else if (c->gap[i] == GAP_ETE_NO_HOURS && !has_gap_before(c, GAP_ETE_NO_HOURS, i))
            ete_defect_row(c, 4, c->prog[i].start, c->prog[i].end, suit_codes[SUIT_S], -1, -1);
}

static void
care_row(int64_t id, int64_t yp, const char *status, int start, int end)
{
    if (start > DATA_END)
        return;
    end = cut(end);
    out_u64((uint64_t)id);
    out_tab();
    out_u64((uint64_t)yp);
    out_tab();
    out_str(status);
    out_tab();
    out_date(start);
    out_tab();
    out_date(end);
    out_nl();
}

void
row_care_status(const struct child *c)
{
    struct rng r;
    int k = 0, adult = add_years(c->dob, 18), start, i;

    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_CARE);
    if (c->in_care) {
        start = c->fc - rng_range(&r, -90, 1500);
        if (start < c->dob + 365)
            start = c->dob + 365;
        if (start > adult - 30)
            start = adult - 30 - rng_range(&r, 0, 700);
        care_row(c->id * 10 + ++k, c->id, care_codes[CARE_LAC], start,
                 adult <= DATA_END ? adult - 1 : NODATE);
    } else if (rng_chance(&r, 53)) {
        start = c->fc - rng_range(&r, 400, 1500);
        care_row(c->id * 10 + ++k, c->id, care_codes[CARE_CEX], start, NODATE);
    }
    if (rng_chance(&r, 60)) {
        start = c->fc + rng_range(&r, -200, 200);
        care_row(c->id * 10 + ++k, c->id, care_codes[CARE_CPP], start,
                 rng_chance(&r, 600) ? start + rng_range(&r, 90, 500) : NODATE);
    }
    if (rng_chance(&r, 120)) {
        start = c->fc + rng_range(&r, -200, 200);
        care_row(c->id * 10 + ++k, c->id, care_codes[CARE_CIN], start,
                 rng_chance(&r, 600) ? start + rng_range(&r, 90, 500) : NODATE);
    }
    if (rng_chance(&r, 180)) {
        start = c->fc + rng_range(&r, -365, 120);
        care_row(c->id * 10 + ++k, c->id, care_codes[CARE_EHP], start,
                 rng_chance(&r, 700) ? start + rng_range(&r, 60, 365) : NODATE);
    }
    /* an early help referral the YJS makes during an order (not for children in care) */
    for (i = 0; i < c->n_prog && !c->in_care; i++) {
        const struct programme *p = &c->prog[i];

        if (p->disposal == D_DTOC || !rng_chance(&r, 80))
            continue;
        start = p->start + rng_range(&r, 14, 60);
        if (p->end != NODATE && start > p->end)
            start = p->start + (p->end - p->start) / 2;
        care_row(c->id * 10 + ++k, c->id, care_codes[CARE_EHP], start,
                 rng_chance(&r, 600) ? start + rng_range(&r, 90, 365) : NODATE);
        break;
    }
    if (c->defect == DEF_EPISODE_ENDS)
        care_row(c->id * 10 + 8, c->id, care_codes[CARE_CIN], c->fc - c->def_n[0],
                 c->fc - c->def_n[0] - c->def_n[1]);
}

static void
send_aln_rows(const struct child *c)
{
    struct rng r;
    int need, plan, start;

    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_SEND);
    if (!rng_chance(&r, 750))
        return;
    need = rng_chance(&r, 400);
    plan = need && rng_chance(&r, 450);
    start = c->fc - rng_range(&r, 0, 1200);
    out_u64((uint64_t)(c->id * 10 + 1));
    out_tab();
    out_u64((uint64_t)c->id);
    out_tab();
    out_bool(need);
    out_tab();
    out_bool(plan);
    out_tab();
    out_opt_str(plan ? plan_codes[rng_chance(&r, 700) ? PLAN_EHC : PLAN_SSP] : NULL);
    out_tab();
    out_date(start);
    out_tab();
    out_null();
    out_nl();
}

void
row_send_aln(const struct child *c)
{
    int start = c->fc - c->def_n[0];

    send_aln_rows(c);
    if (has_gap(c, GAP_SEND_NO_PLAN, -1)) { /* identified, the plan not recorded */
        out_u64((uint64_t)(c->id * 10 + 3));
        out_tab();
        out_u64((uint64_t)c->id);
        out_tab();
        out_bool(1);
        out_str("\t\\N\t\\N\t");
        out_date(c->fc - 200);
        out_str("\t\\N\n");
    }
    if (c->defect != DEF_EPISODE_ENDS)
        return;
    out_u64((uint64_t)(c->id * 10 + 2));
    out_tab();
    out_u64((uint64_t)c->id);
    out_tab();
    out_bool(1);
    out_tab();
    out_bool(0);
    out_str("\t\\N\t");
    out_date(start);
    out_tab();
    out_date(start - c->def_n[1]);
    out_nl();
}
