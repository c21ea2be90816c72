/*
 * child.c - the child's core record: birth, sex, ethnicity, offences, outcomes, programmes.
 *
 * Drawn from the child's stream 0 only, in a fixed order (a new draw goes at the end or on a
 * stream of its own, or every warehouse changes). Distributions (docs/domain.md, "Synthetic
 * data"):
 *  - first contact uniform over 2019-04-01..2026-06-30; nothing dated after 2026-09-30 (the
 *    data cut: later programme ends are NULL, i.e. still open); first offence 0-60 days
 *    before first contact; age at first offence 10-17 (mode 15-16); later offences 20-300
 *    days apart and before the 18th birthday: every offence is at age 10-17.
 *  - sex M 80%, F 19.5%, U 0.5%. Ethnicity (offending population): White 60% (WBRI 52),
 *    Mixed 14%, Black 19%, Asian 1%, Other 4% (CHNE, OOTH), REFU 1%, NOBT 1%.
 *  - 1-4 offences (30/25/25/20%). Category: VAP 30, WPN 10, DRG 10, THF 10, CDM 8, VEH 6,
 *    ROB 5, PUB 5, MOT 5, BUR 4, BRC 3, SEX 2, ARS 1, OTH 1 (%); gravity 1-8 by category;
 *    knife flag on most weapon offences, some robbery and violence. 15% not arrested.
 *  - Main outcome: court more likely with gravity and with each later offence (about 38%
 *    court, 60% out of court overall; per 300 children about 8 court and 13 out-of-court
 *    main outcomes a quarter); out of court CR 28 CRY 22 O22 14 YC 20 YCC 16 (%);
 *    custody (DTO mostly, S250/S254/S259 rarely) about 9% of court outcomes, higher for
 *    gravity 5-8; court otherwise RO 45 YRO 22 CDIS 15 FINE 8 ADIS 3 OTH 4 UNK 3.
 *    25% of court outcomes have a second, non-main outcome (OTH/FINE/CDIS). 4% of court
 *    outcomes were appealed (CHG/SUC/UNS). 7% of children are other-area (residence O).
 *    Offences with an outcome after the data cut have none yet.
 *  - A programme per main outcome CRY O22 YC YCC RO YRO S250 S254 S259; DTO gives a
 *    custody (DTOC) then a licence (DTOL) programme. 15% also link the previous offence.
 *    80% of ended programmes completed. victim_flag 65% for offences with a victim.
 *  - Outcome term from its dates in one unit: months for RO (3-12) YRO (6-24) DTO (4-24)
 *    CDIS (6-36), years for S250 (1-5) S259; none for the rest.
 *  - --board-shares (the demo's warehouse; its own draws come from STREAM_SHARES and are made
 *    only with the option, so without it every warehouse keeps its bytes): the shares of the
 *    service's plans. 80% of children are diverted only (one offence, or two 200-700 days
 *    apart, each ending in CR CRY or O22), 14.5% entrants (one offence, a second 400-900
 *    days later for a quarter of them) and 5.5% prolific (5-8 offences 45-110 days apart,
 *    the escalation of court and custody capped at the third). An entrant's or prolific
 *    child's first out-of-court outcome is a caution (YC, YCC), and 5% more of the court
 *    outcomes are custodial. Ethnicity: White 59%, Mixed 14%, Black 19%, Asian 1%, Other 6%
 *    (OOTH 5), REFU 1%, NOBT 1%. Giving, at 2,000 children (scripts/lib/shares.sql): about
 *    47 first time entrants a year, custody 11% of about 50 court outcomes a year, a third
 *    of the children cautioned or convicted reoffending within 12 months, 3-4 times each.
 *  - --dirty: 2% of children are dirty. Each keeps the defect drawn for it here: a NULL
 *    offence date (with a description holding a tab and a backslash), an overlapping
 *    duplicate programme or accommodation episode, or (only with --unmapped, which makes
 *    yj-transform fail) ethnicity ZZZZ or an outcome XX9. The rules it also breaks: dirty.c.
 */
#include "child.h"

#include "calendar.h"
#include "codes.h"

#include <string.h>

#include "banned.h"

static const int sex_w[NSEX] = {800, 195, 5};
static const int eth_w[NETH] = {520, 10, 10, 10, 50,  70, 30, 20, 20, 3,
                                3,   2,  2,  50, 110, 30, 5,  35, 10, 10};
static const int cat_w[NCAT] = {30, 5, 10, 4, 10, 6, 10, 1, 8, 5, 3, 2, 5, 1};
/* gravity 1..8 weights per category */
static const int grav_w[NCAT][8] = {
    [VAP] = {0, 10, 45, 10, 25, 8, 2, 0},  [ROB] = {0, 0, 0, 0, 10, 80, 10, 0},
    [DRG] = {0, 35, 15, 0, 10, 30, 10, 0}, [BUR] = {0, 0, 0, 40, 40, 20, 0, 0},
    [THF] = {0, 60, 35, 5, 0, 0, 0, 0},    [VEH] = {0, 0, 55, 35, 10, 0, 0, 0},
    [WPN] = {0, 0, 30, 35, 30, 5, 0, 0},   [ARS] = {0, 0, 0, 30, 40, 20, 10, 0},
    [CDM] = {0, 70, 25, 5, 0, 0, 0, 0},    [MOT] = {0, 50, 30, 15, 5, 0, 0, 0},
    [BRC] = {0, 30, 60, 10, 0, 0, 0, 0},   [SEX] = {0, 0, 0, 0, 30, 30, 30, 10},
    [PUB] = {0, 50, 40, 10, 0, 0, 0, 0},   [OTH_CAT] = {30, 40, 30, 0, 0, 0, 0, 0},
};
const char *const postcodes[NPOSTCODE] = {"ME1", "ME2",  "ME3",  "ME4",  "ME5", "ME7",
                                          "ME8", "ME14", "DA11", "SE18", "CT1"};
static const int postcode_w[NPOSTCODE] = {14, 16, 6, 18, 14, 16, 10, 2, 2, 1, 1};
static const int plea_court_w[NPLEA] = {72, 14, 8, 6};
static const int plea_oocd_w[NPLEA] = {15, 0, 0, 85};
static const int oocd_codes[] = {CR, CRY, O22, YC, YCC};
static const int oocd_w[] = {28, 22, 14, 20, 16};
static const int court_codes[] = {RO, YRO, CDIS, FINE, ADIS, OTH_OUT, UNK};
static const int court_w[] = {45, 22, 15, 8, 3, 4, 3};
static const int cust_codes[] = {DTO, S250, S254, S259};
static const int cust_w[] = {85, 12, 2, 1};
static const int second_codes[] = {OTH_OUT, FINE, CDIS};
static const int second_w[] = {60, 30, 10};
static const int appeal_w[NAPPEAL] = {35, 30, 35};
/* --board-shares: the children's kinds (per 1000), the ethnicity of the cohort and the chance
 * in 1000 that a court outcome not already custodial is made custodial */
#define BOARD_DIVERTED_PM 800
#define BOARD_ENTRANT_PM 145
#define BOARD_PROLIFIC_PM 55
#define BOARD_MORE_CUSTODY_PM 50
static const int eth_board_w[NETH] = {510, 10, 10, 10, 50,  70, 30, 20, 20, 3,
                                      3,   2,  2,  50, 110, 30, 10, 50, 10, 10};

/* The programme a main outcome starts, and the chance in 1000 that it is completed (0: the
 * outcome starts none). A DTO's is its custody; its licence (DTOL) follows. */
static const struct {
    int disposal, completed_pm;
} programme_of[NOUT] = {
    [CRY] = {D_CRY, 850},   [O22] = {D_O22, 850},   [YC] = {D_YC, 850},    [YCC] = {D_YCC, 800},
    [RO] = {D_RO, 800},     [YRO] = {D_YRO, 700},   [DTO] = {D_DTOC, 950}, [S250] = {D_S250, 900},
    [S254] = {D_S254, 900}, [S259] = {D_S259, 900},
};

const char *const transfer_from[8] = {"LAMBTH", "SOUTHWK", "GREENWH", "LEWSHM",
                                      "CROYDN", "BEXLEY",  "KENT",    "NEWHAM"};

static int
victim_category(int cat)
{
    return cat == VAP || cat == ROB || cat == BUR || cat == THF || cat == VEH || cat == ARS ||
           cat == CDM || cat == SEX;
}

int
is_custody(int code)
{
    return code == DTO || code == S250 || code == S254 || code == S259;
}

/* The days from an outcome to its end, by code: uniform in [lo, hi]; {0, 0}: no end. */
static const struct {
    int lo, hi;
} outcome_days[NOUT] = {
    [CRY] = {56, 112},    [O22] = {56, 112},    [YC] = {56, 112},   [YCC] = {84, 112},
    [RO] = {90, 365},     [YRO] = {180, 730},   [DTO] = {120, 730}, [S250] = {365, 1825},
    [S259] = {730, 1825}, [CDIS] = {180, 1095},
};

static int
outcome_end(struct rng *r, int code, int date)
{
    if (outcome_days[code].hi == 0)
        return NODATE;
    return date + rng_range(r, outcome_days[code].lo, outcome_days[code].hi);
}

static void
add_programme(struct child *c, struct rng *r, int disp, int start, int end, int off_idx,
              int completed_pm)
{
    struct programme *p;

    if (c->n_prog >= MAX_PROG || start > DATA_END) /* not started by the data cut */
        return;
    p = &c->prog[c->n_prog];
    p->id = c->id * 10 + c->n_prog + 1;
    c->n_prog++;
    p->disposal = disp;
    p->start = start;
    p->end = end;
    if (end == NODATE || end > DATA_END) {
        p->end = NODATE;
        p->completed = -1;
    } else {
        p->completed = rng_chance(r, completed_pm);
    }
    p->victim = victim_category(c->off[off_idx].cat) ? rng_chance(r, 650) : 0;
    p->n_off = 1;
    p->off_idx[0] = off_idx;
    if (off_idx > 0 && rng_chance(r, 150)) {
        p->off_idx[1] = off_idx - 1;
        p->n_off = 2;
    }
}

/* --board-shares: the kind of child (KIND_*), from its shares stream */
static int
board_kind(struct rng *s)
{
    static const int kind_w[] = {[KIND_DIVERTED] = BOARD_DIVERTED_PM,
                                 [KIND_ENTRANT] = BOARD_ENTRANT_PM,
                                 [KIND_PROLIFIC] = BOARD_PROLIFIC_PM};

    return PICK(s, kind_w);
}

/* --board-shares: how many offences a child of C's kind commits (N: the number drawn without
 * the option, 1-4), and the days from one to the next */
static int
board_offences(const struct child *c, struct rng *s, int n)
{
    switch (c->kind) {
    case KIND_DIVERTED:
        return n == 4 ? 2 : 1;
    case KIND_ENTRANT:
        return 1 + rng_chance(s, 250);
    default:
        return 5 + rng_below(s, MAX_OFF - 4);
    }
}

static int
board_gap(const struct child *c, struct rng *s)
{
    switch (c->kind) {
    case KIND_DIVERTED:
        return rng_range(s, 200, 700);
    case KIND_ENTRANT:
        return rng_range(s, 400, 900);
    default:
        return rng_range(s, 45, 110);
    }
}

/* --board-shares: the main outcome by the child's kind: a diverted child's is a diversion, an
 * entrant's or prolific child's first out-of-court outcome a caution (so that each enters the
 * system once), and some more court outcomes are custodial */
static void
board_outcome(const struct child *c, struct rng *s, int k, int *court, int *code)
{
    static const int div_codes[] = {CR, CRY, O22};
    static const int div_w[] = {28, 22, 14};
    static const int caution_codes[] = {YC, YCC};
    static const int caution_w[] = {20, 16};

    if (c->kind == KIND_DIVERTED) {
        *court = 0;
        *code = div_codes[PICK(s, div_w)];
    } else if (!*court && k == 0) {
        *code = caution_codes[PICK(s, caution_w)];
    } else if (*court && !is_custody(*code) && rng_chance(s, BOARD_MORE_CUSTODY_PM)) {
        *code = cust_codes[PICK(s, cust_w)];
    }
}

/* Offence K on DAY: what happened and the main outcome planned for it (court or not, the
 * code, the date), whether or not that outcome is before the data cut. */
static void
draw_offence(struct child *c, struct rng *r, struct rng *s, int k, int day)
{
    static const int court_pm[9] = {0, 100, 100, 200, 350, 550, 700, 900, 900};
    static const int cust_pm[9] = {0, 5, 5, 5, 20, 60, 110, 280, 280};
    struct offence *o = &c->off[k];
    int court, code, date, later = s != NULL && k > 2 ? 2 : k; /* escalation, capped */

    o->id = c->id * 10 + k + 1;
    o->date = day;
    o->true_date = day;
    o->cat = PICK(r, cat_w);
    o->gravity = 1 + rng_pick(r, grav_w[o->cat], 8);
    o->desc = rng_below(r, 2);
    o->postcode = PICK(r, postcode_w);
    o->arrest = rng_chance(r, 850) ? day + rng_range(r, 0, 14) : NODATE;
    o->knife = o->cat == WPN   ? rng_chance(r, 700)
               : o->cat == ROB ? rng_chance(r, 200)
               : o->cat == VAP ? rng_chance(r, 80)
                               : 0;

    court = rng_chance(r, court_pm[o->gravity] + 100 * later);
    if (court)
        code = rng_chance(r, cust_pm[o->gravity] + 20 * later) ? cust_codes[PICK(r, cust_w)]
                                                               : court_codes[PICK(r, court_w)];
    else
        code = oocd_codes[PICK(r, oocd_w)];
    if (s != NULL)
        board_outcome(c, s, k, &court, &code);
    o->plea = court ? PICK(r, plea_court_w) : PICK(r, plea_oocd_w);

    date = day + (court ? rng_range(r, 28, 200) : rng_range(r, 7, 75));
    o->out[0].date = date;
    if (o->arrest != NODATE && o->arrest > date)
        o->arrest = date; /* an arrest comes before the outcome it led to */
    o->court = court;
    o->plan_code = code;
    o->plan_date = date;
}

/* The outcomes of offence K, dated by the data cut, and the programmes they start. */
static void
draw_outcomes(struct child *c, struct rng *r, int k)
{
    struct offence *o = &c->off[k];
    struct outcome *m = &o->out[0];
    int code = o->plan_code;

    o->n_out = 1;
    m->id = o->id * 10 + 1;
    m->code = code;
    m->end = outcome_end(r, code, m->date);
    m->main = 1;
    m->appeal = o->court && rng_chance(r, 40) ? PICK(r, appeal_w) : -1;
    m->residence_other = rng_chance(r, 20) ? !c->other_area : c->other_area;
    if (o->court && rng_chance(r, 250)) {
        struct outcome *s = &o->out[1];

        o->n_out = 2;
        s->id = o->id * 10 + 2;
        s->code = second_codes[PICK(r, second_w)];
        s->date = m->date;
        s->end = outcome_end(r, s->code, s->date);
        s->main = 0;
        s->appeal = -1;
        s->residence_other = m->residence_other;
    }

    if (programme_of[code].completed_pm == 0)
        return;
    if (code == DTO) {
        int half = m->date + (m->end - m->date) / 2;

        add_programme(c, r, D_DTOC, m->date, half, k, programme_of[code].completed_pm);
        add_programme(c, r, D_DTOL, half + 1, m->end, k, 800);
    } else {
        add_programme(c, r, programme_of[code].disposal, m->date, code == S254 ? NODATE : m->end, k,
                      programme_of[code].completed_pm);
    }
}

/* the child's DIRTY_* defect, on its clean record */
static void
apply_dirty(struct child *c, struct rng *r)
{
    switch (c->dirty) {
    case DIRTY_ETH:
        break; /* applied when written, with --unmapped */
    case DIRTY_OUTCOME:
        if (opt_unmapped && c->off[0].n_out > 0)
            c->off[0].out[0].code = XX9;
        break;
    case DIRTY_DATE:
        c->off[c->n_off - 1].date = NODATE;
        c->off[c->n_off - 1].weird_desc = 1;
        break;
    case DIRTY_PROG:
        if (c->n_prog > 0) {
            struct programme p0 = c->prog[0];

            add_programme(c, r, p0.disposal, p0.start + 10, p0.end == NODATE ? NODATE : p0.end + 30,
                          p0.off_idx[0], 500);
        }
        break;
    default:
        break;
    }
}

void
gen_core(struct child *c, int64_t id)
{
    static const int age_w[] = {2, 4, 7, 11, 16, 20, 21, 19}; /* age 10..17 */
    static const int noff_w[] = {30, 25, 25, 20};
    struct rng r, s = {0}; /* s: --board-shares only */
    int first_off, age, adult, n, k, day;

    memset(c, 0, sizeof(*c));
    rng_init(&r, opt_seed, (uint64_t)id, 0);
    c->id = id;
    c->dirty = rng_range(&r, 1, 5); /* both drawn always: --dirty changes nothing else */
    if (!rng_chance(&r, 20) || !opt_dirty)
        c->dirty = 0;
    c->fc = rng_range(&r, DATA_START, FC_END);
    first_off = c->fc - rng_range(&r, 0, 60);
    age = 10 + PICK(&r, age_w);
    c->dob = add_years(first_off, -age) - rng_range(&r, 0, 364);
    if (add_years(c->dob, age) > first_off) /* keep the age at first offence exact */
        c->dob = add_years(first_off, -age) - 1;
    adult = add_years(c->dob, 18);
    c->sex = PICK(&r, sex_w);
    c->eth = opt_board ? PICK(&r, eth_board_w) : PICK(&r, eth_w);
    c->in_care = rng_chance(&r, 250);
    c->other_area = rng_chance(&r, 70);
    c->transfer = rng_chance(&r, 100) ? 1 + rng_below(&r, 8) : 0;

    n = 1 + PICK(&r, noff_w);
    if (opt_board) {
        rng_init(&s, opt_seed, (uint64_t)id, STREAM_SHARES);
        c->kind = board_kind(&s);
        n = board_offences(c, &s, n);
    }
    day = first_off;
    for (k = 0; k < n; k++) {
        if (k > 0)
            day += opt_board ? board_gap(c, &s) : rng_range(&r, 20, 300);
        if (day >= adult || day > DATA_END - 20)
            break;
        c->n_off++;
        draw_offence(c, &r, opt_board ? &s : NULL, k, day);
        if (c->off[k].out[0].date > DATA_END)
            continue; /* no outcome yet */
        draw_outcomes(c, &r, k);
    }
    apply_dirty(c, &r);
}

int
child_last_day(const struct child *c)
{
    int last = c->fc + 365, i;

    for (i = 0; i < c->n_prog; i++)
        if (c->prog[i].end == NODATE)
            return DATA_END + 1;
        else if (c->prog[i].end > last)
            last = c->prog[i].end;
    return last;
}

int
outcome_term(const struct outcome *m, int *value)
{
    int days = m->end == NODATE ? -1 : m->end - m->date;

    if (days < 0)
        return TERM_NONE;
    switch (m->code) {
    case RO:
        *value = clamp(months_between(m->date, m->end), 3, 12);
        return TERM_MONTHS;
    case YRO:
        *value = clamp(months_between(m->date, m->end), 6, 36);
        return TERM_MONTHS;
    case DTO:
        *value = clamp(months_between(m->date, m->end), 4, 24);
        return TERM_MONTHS;
    case CDIS:
        *value = clamp(months_between(m->date, m->end), 6, 36);
        return TERM_MONTHS;
    case S250:
    case S259:
        *value = clamp((days * 100 + 18262) / 36525, 1, 6);
        return TERM_YEARS;
    default:
        return TERM_NONE;
    }
}
