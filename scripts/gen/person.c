/*
 * person.c - the young_person table: ids, ypid and PNC, date of birth, sex and ethnicity from
 * the core record, and the child's identity from a stream of its own (STREAM_PERSON).
 *
 * Identity: gender as sex (B/G) 97%, NB 1%, O 0.5%, NS 1.5% (and whenever sex is U);
 * gender_same_flag false for NB and a fifth of O. Nationality by ethnicity, UK about 90%;
 * about 2% unaccompanied asylum-seeking children (UAS: older boys in care, AF SY ER AL);
 * religion NS 40% NON 35%; language and immigration status follow nationality. Everything is
 * made up: no names, no addresses, ypid `YP` + 8 digits, PNC `YY/NNNNNNL`.
 */
#include "calendar.h"
#include "child.h"
#include "codes.h"
#include "copyout.h"
#include "dirty.h"
#include "rows.h"

#include <stdio.h>

#include "banned.h"

/* nationality weights per ethnicity (eth_codes order), children not seeking asylum alone */
static const int nat_w[NETH][NNAT] = {
    /* UK   IE   PL   RO   LT   AF   ER   SY   AL   OT   NK */
    {997, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1},         /* WBRI */
    {400, 600, 0, 0, 0, 0, 0, 0, 0, 0, 0},       /* WIRI */
    {800, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0},       /* WIRT */
    {350, 0, 100, 450, 50, 0, 0, 0, 0, 50, 0},   /* WROM */
    {300, 0, 280, 180, 140, 0, 0, 0, 40, 60, 0}, /* WOTH */
    {990, 3, 0, 0, 0, 0, 0, 0, 0, 5, 2},         /* MWBC */
    {990, 3, 0, 0, 0, 0, 0, 0, 0, 5, 2},         /* MWBA */
    {990, 3, 0, 0, 0, 0, 0, 0, 0, 5, 2},         /* MWAS */
    {990, 3, 0, 0, 0, 0, 0, 0, 0, 5, 2},         /* MOTH */
    {900, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0},       /* AIND */
    {900, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0},       /* APKN */
    {900, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0},       /* ABAN */
    {500, 0, 0, 0, 0, 200, 0, 0, 0, 300, 0},     /* AOTH */
    {980, 0, 0, 0, 0, 0, 0, 0, 0, 15, 5},        /* BCRB */
    {880, 0, 0, 0, 0, 0, 25, 0, 0, 85, 10},      /* BAFR */
    {900, 0, 0, 0, 0, 0, 20, 0, 0, 70, 10},      /* BOTH */
    {700, 0, 0, 0, 0, 0, 0, 0, 0, 300, 0},       /* CHNE */
    {650, 0, 0, 0, 0, 80, 0, 60, 0, 190, 20},    /* OOTH */
    {950, 0, 0, 0, 0, 0, 0, 0, 0, 25, 25},       /* REFU */
    {600, 0, 0, 0, 0, 0, 0, 0, 0, 0, 400},       /* NOBT */
};
/* unaccompanied asylum-seeking children: nationality by ethnicity (0 = never) */
static const int uasc_nat[NETH] = {[ETH_WOTH] = NAT_AL,
                                   [ETH_AOTH] = NAT_AF,
                                   [ETH_BAFR] = NAT_ER,
                                   [ETH_BOTH] = NAT_ER,
                                   [ETH_OOTH] = NAT_AF};

static const int rel_base_w[NREL] = {365, 150, 45, 3, 3, 2, 2, 20, 410};
static const int rel_pak_w[NREL] = {100, 0, 600, 0, 0, 0, 0, 0, 300};
static const int rel_ind_w[NREL] = {50, 20, 100, 280, 250, 0, 0, 0, 300};
static const int rel_mus_w[NREL] = {20, 0, 830, 0, 0, 0, 0, 0, 150};
static const int rel_er_w[NREL] = {0, 700, 200, 0, 0, 0, 0, 0, 100};
static const int rel_al_w[NREL] = {150, 100, 600, 0, 0, 0, 0, 0, 150};
static const int rel_eu_w[NREL] = {100, 600, 0, 0, 0, 0, 0, 0, 300};

/* preferred language weights per nationality */
static const int lang_w[NNAT][NLANG] = {
    /* ENG  POL  RON  LIT  PUS  TIR  ARA  SQI  OTH */
    {990, 2, 2, 1, 0, 0, 0, 0, 5},     /* UK */
    {1000, 0, 0, 0, 0, 0, 0, 0, 0},    /* IE */
    {350, 650, 0, 0, 0, 0, 0, 0, 0},   /* PL */
    {300, 0, 650, 0, 0, 0, 0, 0, 50},  /* RO */
    {350, 0, 0, 650, 0, 0, 0, 0, 0},   /* LT */
    {0, 0, 0, 0, 800, 0, 0, 0, 200},   /* AF (OTH: Dari) */
    {0, 0, 0, 0, 0, 850, 50, 0, 100},  /* ER */
    {0, 0, 0, 0, 0, 0, 950, 0, 50},    /* SY */
    {50, 0, 0, 0, 0, 0, 0, 950, 0},    /* AL */
    {400, 0, 0, 0, 0, 0, 150, 0, 450}, /* OT */
    {600, 0, 0, 0, 0, 0, 0, 0, 400},   /* NK */
};

static const int imm_eu_w[NIMM] = {0, 600, 350, 0, 0, 0, 0, 50};
static const int imm_asy_w[NIMM] = {0, 150, 0, 350, 0, 350, 100, 50}; /* with their family */
static const int imm_ot_w[NIMM] = {0, 350, 100, 100, 0, 100, 250, 100};
static const int imm_nk_w[NIMM] = {0, 0, 0, 0, 0, 0, 200, 800};

/* immigration status weights by nationality (NULL: NA, drawing nothing) */
static const int *const imm_w_of[NNAT] = {
    [NAT_PL] = imm_eu_w,  [NAT_RO] = imm_eu_w,  [NAT_LT] = imm_eu_w,
    [NAT_AF] = imm_asy_w, [NAT_ER] = imm_asy_w, [NAT_SY] = imm_asy_w,
    [NAT_AL] = imm_asy_w, [NAT_OT] = imm_ot_w,  [NAT_NK] = imm_nk_w,
};
/* religion weights by nationality (NULL: by ethnicity) */
static const int *const rel_w_of[NNAT] = {
    [NAT_AF] = rel_mus_w, [NAT_SY] = rel_mus_w, [NAT_ER] = rel_er_w, [NAT_AL] = rel_al_w,
    [NAT_IE] = rel_eu_w,  [NAT_PL] = rel_eu_w,  [NAT_RO] = rel_eu_w, [NAT_LT] = rel_eu_w,
};

struct identity {
    int gender;      /* GENDER_* */
    int gender_same; /* -1 NULL */
    int nat, rel, lang, imm;
};

static void
gen_identity(const struct child *c, struct identity *p)
{
    static const int gender_w[] = {970, 10, 5, 15}; /* as sex, NB, O, NS */
    const int *w;
    struct rng r;
    int g, uasc;

    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_PERSON);
    g = PICK(&r, gender_w);
    if (c->sex == SEX_U) /* sex not known: gender not stated either */
        g = 3;
    p->gender = g == 0   ? (c->sex == SEX_M ? GENDER_B : GENDER_G)
                : g == 1 ? GENDER_NB
                : g == 2 ? GENDER_O
                         : GENDER_NS;
    p->gender_same = g == 0 ? 1 : g == 1 ? 0 : g == 2 ? !rng_chance(&r, 200) : -1;

    /* older boys in care of some backgrounds: often seeking asylum alone */
    uasc = c->in_care && c->sex == SEX_M && age_on(c->dob, c->fc) >= 14 && uasc_nat[c->eth] != 0 &&
           rng_chance(&r, 600);
    if (uasc) {
        p->nat = uasc_nat[c->eth];
        if (p->nat == NAT_AF && rng_chance(&r, 350))
            p->nat = NAT_SY;
        p->imm = IMM_UAS;
    } else {
        p->nat = rng_pick(&r, nat_w[c->eth], NNAT);
        p->imm = imm_w_of[p->nat] ? rng_pick(&r, imm_w_of[p->nat], NIMM) : IMM_NA;
    }
    w = rel_w_of[p->nat];
    if (w == NULL) /* by ethnicity */
        w = c->eth == ETH_APKN || c->eth == ETH_ABAN ? rel_pak_w
            : c->eth == ETH_AIND                     ? rel_ind_w
                                                     : rel_base_w;
    p->rel = rng_pick(&r, w, NREL);
    p->lang = rng_pick(&r, lang_w[p->nat], NLANG);
}

void
row_young_person(const struct child *c)
{
    static const char letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";
    /* DEF_DUP_YPID: the ypid of the child with the next lower id (the next higher for 1) */
    uint64_t yid = c->defect != DEF_DUP_YPID ? (uint64_t)c->id
                   : c->id > 1               ? (uint64_t)c->id - 1
                                             : 2;
    uint64_t scr = (yid * 2654435761ULL + 12345) % 100000000ULL;
    struct identity who;
    char buf[32];
    int i, arrest = NODATE;

    out_u64((uint64_t)c->id);
    out_tab();
    snprintf(buf, sizeof(buf), "YP%08llu", (unsigned long long)scr);
    out_str(buf);
    out_tab();
    for (i = 0; i < c->n_off; i++)
        if (c->off[i].arrest != NODATE) {
            arrest = c->off[i].arrest;
            break;
        }
    if (arrest == NODATE) {
        out_null();
    } else {
        int y, m, d;
        uint64_t num = ((uint64_t)c->id * 40503ULL + 77777) % 1000000ULL;

        civil_from_days(arrest, &y, &m, &d);
        snprintf(buf, sizeof(buf), "%02d/%06llu%c", y % 100, (unsigned long long)num,
                 letters[num % 23]);
        out_str(buf);
    }
    out_tab();
    out_date(c->defect == DEF_DOB_PARENT ? add_years(c->dob, -(24 + c->def_n[0] % 7)) : c->dob);
    out_tab();
    out_str(sex_codes[c->sex]);
    out_tab();
    out_str(eth_codes[c->dirty == DIRTY_ETH && opt_unmapped ? ETH_UNMAPPED : c->eth]);
    out_tab();
    out_date(c->fc);
    out_tab();
    if (c->transfer) {
        snprintf(buf, sizeof(buf), "%s-%06llu", transfer_from[c->transfer - 1],
                 (unsigned long long)(((uint64_t)c->id * 7919ULL) % 1000000ULL));
        out_str(buf);
    } else {
        out_null();
    }
    gen_identity(c, &who);
    out_tab();
    out_str(gender_codes[who.gender]);
    out_tab();
    out_bool3(who.gender_same);
    out_tab();
    out_str(nat_codes[who.nat]);
    out_tab();
    out_str(rel_codes[who.rel]);
    out_tab();
    out_str(lang_codes[who.lang]);
    out_tab();
    out_str(imm_codes[who.imm]);
    out_nl();
}
