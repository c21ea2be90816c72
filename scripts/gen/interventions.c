/*
 * interventions.c - the mh_screening, sm_screening, victim, assessment,
 * parenting_intervention and transfer tables: what the YJS does during an order.
 *
 * Mental health screening at the start (0-21 days in) of 75% of orders (every programme but
 * DTO custody), need 55%; substance misuse 60%, need 40%. Of the needs: already in treatment
 * since before the order 15% (mental health) / 10% (substance misuse); of the rest 85%
 * referred, 80% of those offered an intervention during the order (mental health advice 30
 * help 40 additional help 20 risk support 10, substance misuse targeted 55 specialist 30
 * complex care 15 (%)), 75% of offers attended. Victims for offences against a victim with a
 * programme. Assessments at programme start (90%) and end (50%): wellbeing high/very high
 * 25%, RoSH high/very high 17%. Parenting work for 12% of programmes (PO only with court
 * orders). Transfers: IN for every child with originating_yot_person_id, up to 21 days
 * before first contact; OUT for about 3%, 7-120 days after the last programme ended.
 */
#include "calendar.h"
#include "child.h"
#include "codes.h"
#include "copyout.h"
#include "dirty.h"
#include "rows.h"

#include "banned.h"

/* One screening row: id, child, screened, need, referred, offered, attended start and end
 * (NODATE: NULL; after the data cut: NULL), intervention code (NULL: none). */
static void
screening_out(int64_t id, const struct child *c, int screened, int need, int referred, int offered,
              int att_s, int att_e, const char *code)
{
    out_u64((uint64_t)id);
    out_tab();
    out_u64((uint64_t)c->id);
    out_tab();
    out_date(screened);
    out_tab();
    out_bool(need);
    out_tab();
    out_date(cut(referred));
    out_tab();
    out_date(cut(offered));
    out_tab();
    out_date(cut(att_s));
    out_tab();
    out_date(cut(att_e));
    out_tab();
    out_opt_str(code);
    out_nl();
}

/* A day D days after FROM, kept before END (NODATE: no end) when there is room. */
static int
within(int from, int d, int end)
{
    if (end != NODATE && from + d >= end)
        d = end > from ? (end - from) / 2 : 0;
    return from + d;
}

/* The screenings of the child: one at the start of each order (programme; a DTO at its
 * licence, custody screens its own way) with probability PM_SCREEN, id programme*10+1. A
 * need in PM_NEED of them: already in treatment (PM_PRIOR of the needs: attending since
 * before the order and the screening), else referred (85%), offered an intervention of
 * weights W during the order (80% of referrals; the last code is "no intervention") and
 * attending it (75% of offers); 60% of attendances have ended by the data cut. GAP: --dirty's
 * extra screening of a programme with that gap, id programme*10+2, offered with no type. */
static void
screening_rows(const struct child *c, int tag, int pm_screen, int pm_need, int pm_prior,
               const char *const *codes, const int *w, int ncodes, int gap)
{
    struct rng r;
    int i;

    rng_init(&r, opt_seed, (uint64_t)c->id, (uint64_t)tag);
    for (i = 0; i < c->n_prog; i++) {
        const struct programme *p = &c->prog[i];
        int screened, need, referred = NODATE, offered = NODATE, att_s = NODATE, att_e = NODATE;
        const char *code = NULL;

        if (c->gap[i] == gap) {
            screened = within(p->start, 3, p->end);
            screening_out(p->id * 10 + 2, c, screened, 1, screened, within(screened, 7, p->end),
                          NODATE, NODATE, NULL);
        }
        if (p->disposal == D_DTOC || !rng_chance(&r, pm_screen))
            continue;
        screened = within(p->start, rng_range(&r, 0, 21), p->end);
        need = rng_chance(&r, pm_need);
        if (need && rng_chance(&r, pm_prior)) { /* already in treatment */
            att_s = p->start - rng_range(&r, 30, 200);
            referred = offered = att_s - rng_range(&r, 7, 30);
            code = codes[rng_pick(&r, w, ncodes - 1)];
            if (rng_chance(&r, 600))
                att_e = screened + rng_range(&r, 30, 240);
        } else if (need && rng_chance(&r, 850)) {
            referred = within(screened, rng_range(&r, 0, 14), p->end);
            if (rng_chance(&r, 800)) {
                offered = within(referred, rng_range(&r, 7, 42), p->end);
                code = codes[rng_pick(&r, w, ncodes - 1)];
                if (rng_chance(&r, 750)) {
                    att_s = within(offered, rng_range(&r, 0, 21), p->end);
                    if (rng_chance(&r, 600))
                        att_e = att_s + rng_range(&r, 30, 240);
                }
            } else {
                code = codes[ncodes - 1]; /* no intervention */
            }
        }
        if (screened > DATA_END)
            continue;
        screening_out(p->id * 10 + 1, c, screened, need, referred, offered, att_s, att_e, code);
    }
}

/* DEF_SCREENING: an extra screening, id child*10+2, every date in the wrong order */
static void
screening_defect_row(const struct child *c, const char *code)
{
    int screened = c->fc - c->def_n[0], referred = screened - c->def_n[1];

    if (c->defect != DEF_SCREENING)
        return;
    out_u64((uint64_t)(c->id * 10 + 2));
    out_tab();
    out_u64((uint64_t)c->id);
    out_tab();
    out_date(screened);
    out_tab();
    out_bool(1);
    out_tab();
    out_date(referred);
    out_tab();
    out_date(referred - c->def_n[2]);
    out_tab();
    out_date(screened);
    out_tab();
    out_date(screened - c->def_n[3]);
    out_tab();
    out_str(code);
    out_nl();
}

void
row_mh_screening(const struct child *c)
{
    static const int w[NMH - 1] = {30, 40, 20, 10};

    screening_rows(c, STREAM_MH, 750, 550, 150, mh_codes, w, NMH, GAP_MH_NO_TYPE);
    screening_defect_row(c, mh_codes[MH_HLP]);
}

void
row_sm_screening(const struct child *c)
{
    static const int w[NSM - 1] = {55, 30, 15};

    screening_rows(c, STREAM_SM, 600, 400, 100, sm_codes, w, NSM, GAP_SM_NO_TYPE);
    screening_defect_row(c, sm_codes[SM_TGT]);
}

void
row_victim(const struct child *c)
{
    static const int type_w[NVICTIM] = {80, 15, 5};
    struct rng r;
    int i, j, v, done[MAX_OFF] = {0};

    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_VICTIM);
    for (i = 0; i < c->n_prog; i++) {
        const struct programme *p = &c->prog[i];
        const struct offence *o = &c->off[p->off_idx[0]];

        if (!p->victim || done[p->off_idx[0]])
            continue;
        done[p->off_idx[0]] = 1;
        v = rng_chance(&r, 150) ? 2 : 1;
        for (j = 0; j < v; j++) {
            int consent = rng_chance(&r, 550);
            int preq = consent && rng_chance(&r, 300);
            int sreq = consent && rng_chance(&r, 200);
            int view, rj, pprov, sprov;

            out_u64((uint64_t)(o->id * 10 + j + 1));
            out_tab();
            out_u64((uint64_t)c->id);
            out_tab();
            out_u64((uint64_t)o->id);
            out_tab();
            out_str(victim_codes[PICK(&r, type_w)]);
            out_tab();
            out_date(cut(p->start + rng_range(&r, 0, 28)));
            /* one draw per statement: the order of evaluating arguments is unspecified */
            view = consent ? rng_chance(&r, 850) : -1;
            rj = consent ? rng_chance(&r, 400) : -1;
            pprov = preq ? rng_chance(&r, 900) : -1;
            sprov = sreq ? rng_chance(&r, 850) : -1;
            if (c->gap[i] == GAP_NO_CONSENT) { /* --dirty: consent not recorded, nor the rest */
                out_str("\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n");
                continue;
            }
            out_tab();
            out_bool(consent);
            out_tab();
            out_bool3(view);
            out_tab();
            out_bool3(rj);
            out_tab();
            out_bool(preq);
            out_tab();
            out_bool3(pprov);
            out_tab();
            out_bool(sreq);
            out_tab();
            out_bool3(sprov);
            out_nl();
        }
    }
}

static void
assessment_row(struct rng *r, const struct child *c, const struct programme *p, int s, int stage,
               int day, int base_wb, int base_rosh)
{
    static const int lik_w[] = {40, 40, 20}; /* never V */
    int wb = base_wb, rosh = base_rosh;

    if (wb > 0 && rng_chance(r, 100)) /* a little movement between stages */
        wb--;
    if (rosh > 0 && rng_chance(r, 100))
        rosh--;
    out_u64((uint64_t)(p->id * 10 + s));
    out_tab();
    out_u64((uint64_t)c->id);
    out_tab();
    out_u64((uint64_t)p->id);
    out_tab();
    out_date(day);
    out_tab();
    out_str(stage_codes[stage]);
    out_tab();
    out_str(risk_codes[PICK(r, lik_w)]);
    out_tab();
    out_str(risk_codes[rosh]);
    out_tab();
    out_str(risk_codes[wb]);
    out_tab();
    out_u64((uint64_t)rng_range(r, 5, 95));
    out_nl();
}

void
row_assessment(const struct child *c)
{
    static const int wb_w[NRISK] = {40, 35, 20, 5};
    static const int rosh_w[NRISK] = {48, 34, 15, 3};
    struct rng r;
    int i, wb, rosh;

    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_ASSESSMENT);
    wb = PICK(&r, wb_w);
    rosh = PICK(&r, rosh_w);
    for (i = 0; i < c->n_prog; i++) {
        const struct programme *p = &c->prog[i];

        if (rng_chance(&r, 900))
            assessment_row(&r, c, p, 1, STAGE_STA, p->start - rng_range(&r, 0, 20), wb, rosh);
        if (p->end != NODATE && rng_chance(&r, 500))
            assessment_row(&r, c, p, 2, STAGE_END, p->end - rng_range(&r, 0, 14), wb, rosh);
    }
}

void
row_parenting_intervention(const struct child *c)
{
    static const int par_court_w[NPARENTING] = {30, 20, 50};
    static const int par_oocd_w[NPARENTING] = {0, 40, 60};
    struct rng r;
    int i;

    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_PARENTING);
    for (i = 0; i < c->n_prog; i++) {
        const struct programme *p = &c->prog[i];
        int type, start, planned, held, attended;

        if (!rng_chance(&r, 120))
            continue;
        type = p->disposal >= D_RO ? PICK(&r, par_court_w) : PICK(&r, par_oocd_w);
        start = p->start + rng_range(&r, 0, 42);
        planned = rng_range(&r, 6, 14); /* weekly sessions */
        held = (DATA_END - start) / 7 + 1;
        held = clamp(held, 0, planned);
        attended = held * rng_range(&r, 40, 100) / 100;
        if (held == planned && rng_chance(&r, 250))
            attended = planned;
        if (start > DATA_END)
            continue;
        out_u64((uint64_t)(p->id * 10 + 1));
        out_tab();
        out_u64((uint64_t)c->id);
        out_tab();
        out_u64((uint64_t)p->id);
        out_tab();
        out_str(parenting_codes[type]);
        out_tab();
        out_date(start);
        out_tab();
        out_u64((uint64_t)planned);
        out_tab();
        out_u64((uint64_t)attended);
        out_nl();
    }
    if (c->defect == DEF_NUMBERS) { /* voluntary, with no programme; id child*100+2 */
        int planned = 6 + c->def_n[1] % 8;

        out_u64((uint64_t)(c->id * 100 + 2));
        out_tab();
        out_u64((uint64_t)c->id);
        out_str("\t\\N\t");
        out_str(parenting_codes[PARENTING_VOL]);
        out_tab();
        out_date(c->fc - c->def_n[0]);
        out_tab();
        out_u64((uint64_t)planned);
        out_tab();
        out_u64((uint64_t)(planned + 1 + c->def_n[2] % 3));
        out_nl();
    }
}

static void
transfer_row(int64_t id, int64_t yp, int day, const char *dir, const char *service)
{
    out_u64((uint64_t)id);
    out_tab();
    out_u64((uint64_t)yp);
    out_tab();
    out_date(day);
    out_tab();
    out_str(dir);
    out_tab();
    out_str(service);
    out_nl();
}

void
row_transfer(const struct child *c)
{
    struct rng r;
    int i, j, last = NODATE, open = 0, day;

    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_TRANSFER);
    if (c->transfer) /* originating_yot_person_id is set */
        transfer_row(c->id * 10 + 1, c->id, c->fc - rng_range(&r, 0, 21), direction_codes[DIR_IN],
                     transfer_from[c->transfer - 1]);
    for (i = 0; i < c->n_prog; i++)
        if (c->prog[i].end == NODATE)
            open = 1;
        else if (c->prog[i].end > last)
            last = c->prog[i].end;
    for (i = 0; i < c->n_off; i++)
        for (j = 0; j < c->off[i].n_out; j++)
            if (c->off[i].out[j].date > last)
                last = c->off[i].out[j].date;
    if (last == NODATE)
        last = c->fc;
    if (!rng_chance(&r, 36) || open)
        return;
    day = last + rng_range(&r, 7, 120);
    if (day <= DATA_END)
        transfer_row(
            c->id * 10 + 2, c->id, day, direction_codes[DIR_OUT],
            transfer_from[rng_below(&r, (int)(sizeof(transfer_from) / sizeof(*transfer_from)))]);
}
