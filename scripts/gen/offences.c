/*
 * offences.c - the offence, outcome, programme, programme_offence, police_bail and
 * requirement tables, from the core record (child.c) with --dirty's faults on top.
 *
 * Police bail for about 30% of arrested offences (not when remanded), a tenth of them twice,
 * from the arrest to before charge (first hearing) or the out-of-court outcome. YRO
 * requirements: 1-3 distinct (SUP most); UPW only at 16-17, 40-240 hours, all done once the
 * order has ended.
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

/* two made-up descriptions and CJS-style codes per category */
static const char *const cat_desc[NCAT][2] = {
    /* cat_codes order */
    {"Assault by beating", "Assault occasioning actual bodily harm"},
    {"Robbery of personal property", "Attempted robbery"},
    {"Possession of a controlled drug of class B", "Possession with intent to supply class A"},
    {"Burglary of a dwelling", "Burglary of a non-dwelling"},
    {"Theft from a shop", "Theft of a pedal cycle"},
    {"Taking a motor vehicle without consent", "Aggravated vehicle taking"},
    {"Possession of a bladed article in a public place", "Possession of an offensive weapon"},
    {"Arson", "Arson reckless as to whether life endangered"},
    {"Criminal damage to property", "Criminal damage to a vehicle"},
    {"Driving without insurance", "Driving otherwise than in accordance with a licence"},
    {"Breach of a youth rehabilitation order", "Breach of a referral order"},
    {"Sexual assault", "Sexual communication with a child"},
    {"Using threatening behaviour", "Affray"},
    {"Failing to surrender to bail", "Wasting police time"},
};
static const char *const cat_cjs[NCAT][2] = {
    {"CJ88116", "OF61016"}, {"TH68001", "TH68002"}, {"MD71230", "MD71111"}, {"TH68010", "TH68011"},
    {"TH68023", "TH68037"}, {"TH68040", "TH68043"}, {"CJ88130", "PC53001"}, {"CD71001", "CD71003"},
    {"CD71036", "CD71038"}, {"RT88007", "RT88191"}, {"CJ03510", "PC00620"}, {"SX03001", "SX03034"},
    {"PU86004", "PU86013"}, {"BA76004", "CJ67002"},
};

void
row_offence(const struct child *c)
{
    int i;

    for (i = 0; i < c->n_off; i++) {
        const struct offence *o = &c->off[i];
        int date = o->date, arrest = o->arrest, mine = i == c->def_off;

        if (mine && c->defect == DEF_BEFORE_BIRTH)
            date = add_years(o->date, -20);
        else if (mine && c->defect == DEF_OFFENCE_ORDER)
            arrest = o->date - 1 - c->def_n[0] % 5;
        out_u64((uint64_t)o->id);
        out_tab();
        out_u64((uint64_t)c->id);
        out_tab();
        out_date(date);
        out_tab();
        out_date(arrest);
        out_tab();
        if (o->weird_desc)
            out_str("Damage to a bus shelter \\\\ graffiti\\tward 3");
        else
            out_str(cat_desc[o->cat][o->desc]);
        out_tab();
        out_str(postcodes[o->postcode]);
        out_tab();
        out_str(cat_cjs[o->cat][o->desc]);
        out_tab();
        out_str(plea_codes[o->plea]);
        out_tab();
        out_str(cat_codes[o->cat]);
        out_tab();
        if ((mine && c->defect == DEF_MISSING) || has_gap(c, GAP_NO_GRAVITY, i))
            out_null();
        else
            out_u64((uint64_t)o->gravity);
        out_tab();
        out_bool(o->knife);
        out_nl();
    }
}

void
row_outcome(const struct child *c)
{
    int i, j, u, unit, term;

    for (i = 0; i < c->n_off; i++)
        for (j = 0; j < c->off[i].n_out; j++) {
            const struct outcome *m = &c->off[i].out[j];
            int date = m->date, end = m->end, mine = i == c->def_off && j == 0;

            if (mine && c->defect == DEF_OFFENCE_ORDER) /* before the arrest written above */
                date = c->off[i].date - 1 - c->def_n[0] % 5 - c->def_n[1];
            else if (mine && c->defect == DEF_RECORD_ENDS)
                end = m->date - c->def_n[1];
            out_u64((uint64_t)m->id);
            out_tab();
            out_u64((uint64_t)c->off[i].id);
            out_tab();
            out_u64((uint64_t)c->id);
            out_tab();
            out_date(date);
            out_tab();
            out_date(end);
            out_tab();
            out_str(out_codes[m->code]);
            out_tab();
            out_bool(m->main);
            out_tab();
            out_opt_str(m->appeal < 0 ? NULL : appeal_codes[m->appeal]);
            out_tab();
            if (j == 0 && has_gap(c, GAP_NO_RESIDENCE, i))
                out_null();
            else
                out_str(residence_codes[m->residence_other]);
            unit = outcome_term(m, &term);
            for (u = TERM_DAYS; u <= TERM_YEARS; u++) {
                out_tab();
                if (u == unit)
                    out_u64((uint64_t)term);
                else
                    out_null();
            }
            out_nl();
        }
}

void
row_programme(const struct child *c)
{
    struct court_case cc[MAX_OFF];
    int i;

    gen_court(c, cc);
    for (i = 0; i < c->n_prog; i++) {
        const struct programme *p = &c->prog[i];
        int64_t hearing = programme_hearing(cc, p);

        out_u64((uint64_t)p->id);
        out_tab();
        out_u64((uint64_t)c->id);
        out_tab();
        out_date(p->start);
        out_tab();
        out_date(i == 0 && c->defect == DEF_RECORD_ENDS ? p->start - c->def_n[2] : p->end);
        out_tab();
        out_str(disp_codes[p->disposal]);
        out_tab();
        out_bool(p->victim);
        out_tab();
        out_bool3(c->gap[i] == GAP_OOCD_NO_DONE ? -1 : p->completed);
        out_tab();
        if (hearing == 0)
            out_null();
        else
            out_u64((uint64_t)hearing);
        out_nl();
    }
    if (c->n_prog == 0 && c->defect == DEF_RECORD_ENDS) { /* an out-of-court programme */
        int start = c->fc - c->def_n[0];

        out_u64((uint64_t)(c->id * 10 + 1));
        out_tab();
        out_u64((uint64_t)c->id);
        out_tab();
        out_date(start);
        out_tab();
        out_date(start - c->def_n[2]);
        out_tab();
        out_str(disp_codes[D_YC]);
        out_tab();
        out_bool(0);
        out_str("\t\\N\t\\N\n");
    }
}

void
row_programme_offence(const struct child *c)
{
    int i, j;

    for (i = 0; i < c->n_prog; i++)
        for (j = 0; j < c->prog[i].n_off && c->gap[i] != GAP_NOT_LINKED; j++) {
            out_u64((uint64_t)c->prog[i].id);
            out_tab();
            out_u64((uint64_t)c->off[c->prog[i].off_idx[j]].id);
            out_tab();
            out_u64((uint64_t)c->id);
            out_nl();
        }
}

static void
bail_row(const struct child *c, const struct offence *o, int b, const char *code, int start,
         int end)
{
    out_u64((uint64_t)(o->id * 10 + b));
    out_tab();
    out_u64((uint64_t)c->id);
    out_tab();
    out_u64((uint64_t)o->id);
    out_tab();
    out_str(code);
    out_tab();
    out_date(start);
    out_tab();
    out_date(cut(end));
    out_nl();
}

void
row_police_bail(const struct child *c)
{
    static const int bail_one_w[NBAIL] = {25, 35, 40};
    static const int bail_first_w[NBAIL] = {40, 60, 0};
    static const int bail_second_w[NBAIL] = {0, 50, 50};
    struct court_case cc[MAX_OFF];
    struct rng r;
    int k;

    gen_court(c, cc);
    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_BAIL);
    for (k = 0; k < c->n_off; k++) {
        const struct offence *o = &c->off[k];
        int start = o->arrest, limit, mid, code, end;

        if (start == NODATE || !rng_chance(&r, 330))
            continue;
        if (o->court && cc[k].remanded)
            continue; /* charged and kept in custody */
        /* bail ends at charge, before the first hearing, or before the out-of-court outcome */
        limit = o->court ? cc[k].h[0].date : o->plan_date;
        if (limit - start < 3)
            continue;
        /* one draw per statement: the order of evaluating arguments is unspecified */
        if (!rng_chance(&r, 100)) {
            code = PICK(&r, bail_one_w);
            end = start + rng_range(&r, (limit - start) / 2, limit - start - 1);
            bail_row(c, o, 1, bail_codes[code], start, end);
            continue;
        }
        mid = start + rng_range(&r, 1, (limit - start) / 2);
        code = PICK(&r, bail_first_w);
        bail_row(c, o, 1, bail_codes[code], start, mid);
        if (mid + 1 > DATA_END)
            continue;
        code = PICK(&r, bail_second_w);
        end = rng_range(&r, mid + 1, limit - 1);
        bail_row(c, o, 2, bail_codes[code], mid + 1, end);
    }
    if (c->defect == DEF_RECORD_ENDS && c->def_off >= 0) {
        const struct offence *o = &c->off[c->def_off];

        bail_row(c, o, 9, bail_codes[BAIL_RUI], o->date, o->date - c->def_n[3]);
    }
}

void
row_requirement(const struct child *c)
{
    static const int req_w[NREQ] = {700, 250, 300, 250, 150, 60, 60, 80, 50, 60, 100};
    static const int n_w[] = {45, 35, 20};
    struct rng r;
    int i, j;

    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_REQ);
    for (i = 0; i < c->n_off; i++)
        for (j = 0; j < c->off[i].n_out; j++) {
            const struct outcome *m = &c->off[i].out[j];
            int w[NREQ], n, q, months, age, older;

            if (m->code != YRO || outcome_term(m, &months) != TERM_MONTHS)
                continue;
            age = age_on(c->dob, m->date);
            older = age >= 16 && age <= 17; /* unpaid work only at 16-17 */
            memcpy(w, req_w, sizeof(w));
            if (!older)
                w[REQ_UPW] = 0;
            n = 1 + PICK(&r, n_w);
            for (q = 1; q <= n; q++) {
                int code = rng_pick(&r, w, NREQ), term = months, hours = 0, done = 0;

                w[code] = 0; /* each requirement once */
                switch (code) {
                case REQ_SUP:
                    break;
                case REQ_UPW:
                case REQ_CUR:
                    term = rng_range(&r, months < 4 ? months : 4, months < 12 ? months : 12);
                    break;
                case REQ_ISS:
                    term = months < 6 ? months : 6;
                    break;
                default:
                    term = rng_range(&r, 3, months);
                    break;
                }
                if (code == REQ_UPW) {
                    hours = 10 * rng_range(&r, 4, 24);
                    if (m->end <= DATA_END) /* the order has ended */
                        done = hours;
                    else
                        done = (int)((int64_t)hours * (DATA_END - m->date) / (m->end - m->date) *
                                     rng_range(&r, 50, 110) / 100);
                    done = clamp(done, 0, hours);
                }
                out_u64((uint64_t)(m->id * 10 + q));
                out_tab();
                out_u64((uint64_t)m->id);
                out_tab();
                out_u64((uint64_t)c->id);
                out_tab();
                out_str(req_codes[code]);
                out_tab();
                out_u64((uint64_t)term);
                out_tab();
                if (code == REQ_UPW) {
                    out_u64((uint64_t)hours);
                    out_tab();
                    out_u64((uint64_t)done);
                } else {
                    out_null();
                    out_tab();
                    out_null();
                }
                out_nl();
            }
        }
    if (c->defect == DEF_NUMBERS && c->def_off >= 0 && c->off[c->def_off].n_out > 0) {
        const struct outcome *m = &c->off[c->def_off].out[0];
        int hours = 10 * (4 + c->def_n[0] % 10);

        out_u64((uint64_t)(m->id * 10 + 9));
        out_tab();
        out_u64((uint64_t)m->id);
        out_tab();
        out_u64((uint64_t)c->id);
        out_tab();
        out_str(req_codes[REQ_UPW]);
        out_str("\t6\t");
        out_u64((uint64_t)hours);
        out_tab();
        out_u64((uint64_t)(hours + c->def_n[1]));
        out_nl();
    }
}
