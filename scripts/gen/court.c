/*
 * court.c - court cases (court.h) and the hearing, hearing_offence and sentence_proposal
 * tables.
 *
 * Hearings for every court case: 1-3 (45/38/17%; 3 after a not-guilty plea, at least 2 when
 * remanded or sent to the Crown Court), the last on the outcome date (remand NON), and those
 * before the data cut for court cases not yet sentenced. Youth court mostly, adult
 * magistrates 3%, Crown Court for S250/S254/S259 and some gravity 6-8 cases. About 8% of
 * children in court remanded (RLA/RYDA), over 40% of those given custody; otherwise UB/CB.
 * The sentencing hearing also deals with the other offences of the order it made
 * (programme.hearing_id). A proposal at 70% of sentencing hearings, 70% as sentenced.
 */
#include "court.h"

#include "calendar.h"
#include "codes.h"
#include "copyout.h"
#include "rows.h"

#include <string.h>

#include "banned.h"

/* [type][other area][4] */
static const char *const court_names[NCT][2][4] = {
    {{"Medway Youth Court", "Maidstone Youth Court", "Canterbury Youth Court",
      "Margate Youth Court"},
     {"Bromley Youth Court", "Croydon Youth Court", "Stratford Youth Court",
      "Highbury Corner Youth Court"}},
    {{"Medway Magistrates' Court", "Maidstone Magistrates' Court", "Canterbury Magistrates' Court",
      "Margate Magistrates' Court"},
     {"Bromley Magistrates' Court", "Croydon Magistrates' Court", "Stratford Magistrates' Court",
      "Highbury Corner Magistrates' Court"}},
    {{"Maidstone Crown Court", "Canterbury Crown Court", "", ""},
     {"Woolwich Crown Court", "Croydon Crown Court", "Inner London Crown Court",
      "Snaresbrook Crown Court"}},
};
/* weights of the local courts of each type */
static const int court_local_w[NCT][4] = {{75, 12, 8, 5}, {75, 12, 8, 5}, {70, 30, 0, 0}};

void
gen_court(const struct child *c, struct court_case *cc)
{
    static const int nh_w[] = {45, 38, 17};
    struct rng r;
    int k, j;

    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_COURT);
    memset(cc, 0, sizeof(*cc) * MAX_OFF);
    for (k = 0; k < c->n_off; k++) {
        const struct offence *o = &c->off[k];
        struct court_case *x = &cc[k];
        int sent = o->plan_date, from, crown, mc, other, yc_name, name, prev, day;
        int cust = is_custody(o->plan_code);

        if (!o->court)
            continue;
        from = o->arrest != NODATE ? o->arrest : o->true_date;
        x->remanded = rng_chance(&r, cust ? 400 : o->gravity >= 5 ? 40 : 10);
        crown = o->plan_code == S250 || o->plan_code == S254 || o->plan_code == S259 ||
                (o->gravity >= 6 && o->plan_code != RO && rng_chance(&r, 250));
        mc = !crown && rng_chance(&r, 30);                  /* charged together with an adult */
        x->planned = o->plea == 1 ? 3 : 1 + PICK(&r, nh_w); /* not guilty: a trial */
        if ((x->remanded || crown) && x->planned < 2)
            x->planned = 2;
        other = o->n_out > 0 ? o->out[0].residence_other : c->other_area;
        yc_name = other ? rng_below(&r, 4) : rng_pick(&r, court_local_w[CT_YC], 4);
        name = other ? rng_below(&r, 4) : rng_pick(&r, court_local_w[CT_CC], 4);
        prev = from;
        for (j = 0; j < x->planned; j++) {
            struct hearing *h = &x->h[j];
            int left = sent - prev;

            if (j == x->planned - 1)
                day = sent;
            else if (j == 0 && x->remanded)
                day = from + rng_range(&r, 0, 2); /* charged and kept in police detention */
            else if (j == 0)
                day = from + rng_range(&r, 1, left / x->planned > 1 ? left / x->planned : 1);
            else
                day = prev + rng_range(&r, 1, left - 1 > 1 ? left - 1 : 1);
            prev = day;
            h->id = o->id * 10 + j + 1;
            h->date = day;
            h->other = other;
            if (mc) {
                h->type = CT_MC;
                h->name = yc_name;
            } else if (crown && j > 0) { /* sent to the Crown Court after the first hearing */
                h->type = CT_CC;
                h->name = name;
            } else {
                h->type = CT_YC;
                h->name = yc_name;
            }
            if (j == x->planned - 1)
                h->remand = REM_NON;
            else if (x->remanded && (j == 0 || rng_chance(&r, 850)))
                h->remand = rng_chance(&r, cust ? 750 : 400) ? REM_RYDA : REM_RLA;
            else
                h->remand = rng_chance(&r, 450) ? REM_UB : REM_CB;
            if (x->remanded && j > 0 && x->h[j - 1].remand >= REM_RLA && h->remand >= REM_RLA)
                h->remand = x->h[j - 1].remand; /* the same remand continues */
            if (day <= DATA_END)
                x->n = j + 1;
        }
    }
}

int64_t
programme_hearing(const struct court_case *cc, const struct programme *p)
{
    const struct court_case *x = &cc[p->off_idx[0]];

    if (p->disposal < D_RO || x->n == 0 || x->n < x->planned)
        return 0;
    return x->h[x->planned - 1].id;
}

void
row_hearing(const struct child *c)
{
    struct court_case cc[MAX_OFF];
    int k, j;

    gen_court(c, cc);
    for (k = 0; k < c->n_off; k++)
        for (j = 0; j < cc[k].n; j++) {
            const struct hearing *h = &cc[k].h[j];

            out_u64((uint64_t)h->id);
            out_tab();
            out_u64((uint64_t)c->id);
            out_tab();
            out_date(h->date);
            out_tab();
            out_str(court_type_codes[h->type]);
            out_tab();
            out_str(court_names[h->type][h->other][h->name]);
            out_tab();
            out_str(remand_codes[h->remand]);
            out_nl();
        }
}

void
row_hearing_offence(const struct child *c)
{
    struct court_case cc[MAX_OFF];
    int k, j, i, also;

    gen_court(c, cc);
    for (k = 0; k < c->n_off; k++) {
        also = 0; /* offences an order made at the sentencing hearing also covers */
        for (i = 0; i < c->n_prog; i++)
            if (c->prog[i].disposal >= D_RO && c->prog[i].off_idx[0] == k && c->prog[i].n_off > 1)
                also |= 1 << c->prog[i].off_idx[1];
        for (j = 0; j < cc[k].n; j++)
            for (i = 0; i < c->n_off; i++) {
                if (i != k && !(j == cc[k].planned - 1 && (also & (1 << i))))
                    continue;
                out_u64((uint64_t)cc[k].h[j].id);
                out_tab();
                out_u64((uint64_t)c->off[i].id);
                out_tab();
                out_u64((uint64_t)c->id);
                out_nl();
            }
    }
}

/* what the pre-sentence report proposed, given what the court then did */
static int
proposal_code(struct rng *r, int code)
{
    static const int ro[] = {YRO, CDIS, FINE}, ro_w[] = {60, 25, 15};
    static const int yro[] = {RO, DTO, CDIS}, yro_w[] = {55, 25, 20};
    static const int dto[] = {YRO, S250, OTH_OUT}, dto_w[] = {85, 5, 10};
    static const int fine[] = {CDIS, RO, ADIS}, fine_w[] = {60, 40, 0};
    static const int cdis[] = {FINE, RO, ADIS}, cdis_w[] = {40, 40, 20};
    static const int adis[] = {CDIS, FINE, RO}, adis_w[] = {80, 20, 0};
    static const int s250[] = {DTO, YRO, OTH_OUT}, s250_w[] = {60, 40, 0};
    static const int life[] = {S250, OTH_OUT, DTO}, life_w[] = {80, 20, 0};
    static const int oth[] = {RO, YRO, OTH_OUT}, oth_w[] = {50, 30, 20};
    int listed = code == RO || code == YRO || code == DTO || code == FINE || code == CDIS ||
                 code == ADIS || code == S250 || code == OTH_OUT;
    const int *alt, *w;

    if (listed && rng_chance(r, 700))
        return code;
    switch (code) {
    case RO:
        alt = ro;
        w = ro_w;
        break;
    case YRO:
        alt = yro;
        w = yro_w;
        break;
    case DTO:
        alt = dto;
        w = dto_w;
        break;
    case FINE:
        alt = fine;
        w = fine_w;
        break;
    case CDIS:
        alt = cdis;
        w = cdis_w;
        break;
    case ADIS:
        alt = adis;
        w = adis_w;
        break;
    case S250:
        alt = s250;
        w = s250_w;
        break;
    case S254:
    case S259:
        alt = life;
        w = life_w;
        break;
    default:
        alt = oth;
        w = oth_w;
        break;
    }
    return alt[rng_pick(r, w, 3)];
}

void
row_sentence_proposal(const struct child *c)
{
    struct court_case cc[MAX_OFF];
    struct rng r;
    int k;

    gen_court(c, cc);
    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_PROPOSAL);
    for (k = 0; k < c->n_off; k++) {
        const struct hearing *h;
        int code;

        if (cc[k].n == 0 || cc[k].n < cc[k].planned || !rng_chance(&r, 700))
            continue;
        h = &cc[k].h[cc[k].planned - 1];
        code = proposal_code(&r, c->off[k].plan_code);
        out_u64((uint64_t)(h->id * 10 + 1));
        out_tab();
        out_u64((uint64_t)h->id);
        out_tab();
        out_u64((uint64_t)c->id);
        out_tab();
        out_str(out_codes[code]);
        out_nl();
    }
}
