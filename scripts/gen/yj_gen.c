/*
 * yj_gen.c: synthetic data for the yjreturns reference warehouse (schema cms).
 *
 * Writes to stdout a psql script of `COPY cms.<table> (cols) FROM STDIN;` blocks, one per
 * table, for N synthetic children with ids 1..N (sql/warehouse/010_schema.sql). The output is a
 * pure function of --seed and --children (own splitmix64 generator, no clock, no rand()): each
 * child draws from its own stream seeded by (seed, child id, table), so the tables are written
 * one after another by regenerating each child's core record, and memory stays flat.
 * Everything is made up: no names, no addresses (postcode districts only), ypid `YP` + 8
 * digits, PNC `YY/NNNNNNL`. Ids are derived, not sequenced: offence = child*10+k,
 * outcome = offence*10+j, programme/accommodation/ete/care_status = child*10+k,
 * victim = offence*10+v, assessment = programme*10+s.
 *
 * Distributions (figures from docs of a real service, shared/domain/context.md):
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
 *  - 25% in care (LAC episode, foster/residential accommodation); CPP 6%, CIN 12%, EHP 18%,
 *    CEX 4%. Accommodation for 90%: 1-3 episodes, 88% suitable (B&B, NFA always not).
 *    ETE for 90%: 1-3 episodes; school age / above; NON 15% / 30%; about 35% unsuitable.
 *    SEND row for 75% (need in 40% of them, formal plan in 45% of those). MH screening
 *    60% (need 55%); SM screening 45% (need 35%). Victims for offences against a victim
 *    with a programme. Assessments at programme start (90%) and end (50%): wellbeing
 *    high/very high 25%, RoSH high/very high 17%.
 *  - board_attendance: one meeting per financial quarter 2019Q1..2026Q2, 5 sectors, attended
 *    92%, senior 80% of attendances. population: 2019..2026, ages 10-17, about 33,000 a year;
 *    White 77 Mixed 6 Asian 6 Black 9 Other 2 (%), boys 51%.
 *  - --dirty: 2% of children get one defect: ethnicity ZZZZ, an outcome XX9, a NULL
 *    offence date (with a description holding a tab and a backslash), an overlapping
 *    duplicate programme, or an overlapping accommodation episode.
 *
 * Usage: yj-gen --seed S --children N [--dirty] [--help]; exit 64 on a bad command line,
 * 74 when stdout cannot be written.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 64
#define EXIT_IOERR 74
#define MIN_CHILDREN 10
#define MAX_CHILDREN 1000000

/* ---------------------------------------------------------------- random numbers */

struct rng {
    uint64_t s;
};

static uint64_t
mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t
rng_next(struct rng *r)
{
    r->s += 0x9E3779B97F4A7C15ULL;
    return mix64(r->s);
}

static void
rng_init(struct rng *r, uint64_t seed, uint64_t id, uint64_t tag)
{
    r->s = mix64(seed ^ mix64(id * 0xD1B54A32D192ED03ULL + tag * 0x8CB92BA72F3D8DD7ULL));
}

/* uniform in [0, n) for n < 2^32 */
static int
rng_below(struct rng *r, int n)
{
    return (int)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* uniform in [lo, hi] */
static int
rng_range(struct rng *r, int lo, int hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

/* true with probability permille/1000 */
static int
rng_chance(struct rng *r, int permille)
{
    return rng_below(r, 1000) < permille;
}

/* index drawn with the given weights */
static int
rng_pick(struct rng *r, const int *w, int n)
{
    int total = 0, i, x;

    for (i = 0; i < n; i++)
        total += w[i];
    x = rng_below(r, total);
    for (i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

#define PICK(r, w) rng_pick((r), (w), (int)(sizeof(w) / sizeof((w)[0])))

/* ---------------------------------------------------------------- output */

static char obuf[1 << 20];
static size_t olen;

static void
out_flush(void)
{
    if (olen > 0 && fwrite(obuf, 1, olen, stdout) != olen) {
        fprintf(stderr, "yj-gen: could not write to stdout: %s\n", strerror(errno));
        exit(EXIT_IOERR);
    }
    olen = 0;
}

static void
out_mem(const char *s, size_t n)
{
    if (olen + n > sizeof(obuf))
        out_flush();
    memcpy(obuf + olen, s, n);
    olen += n;
}

static void
out_str(const char *s)
{
    out_mem(s, strlen(s));
}

static void
out_chr(char c)
{
    if (olen + 1 > sizeof(obuf))
        out_flush();
    obuf[olen++] = c;
}

static void
out_u64(uint64_t v)
{
    char tmp[24];
    int i = (int)sizeof(tmp);

    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    out_mem(tmp + i, sizeof(tmp) - (size_t)i);
}

static void
out_null(void)
{
    out_mem("\\N", 2);
}

static void
out_tab(void)
{
    out_chr('\t');
}

static void
out_nl(void)
{
    out_chr('\n');
}

static void
out_bool(int b)
{
    out_chr(b ? 't' : 'f');
}

/* tri-state: -1 NULL */
static void
out_bool3(int b)
{
    if (b < 0)
        out_null();
    else
        out_bool(b);
}

static void
out_opt_str(const char *s)
{
    if (s == NULL)
        out_null();
    else
        out_str(s);
}

/* ---------------------------------------------------------------- dates (days since 1970) */

#define NODATE INT32_MIN

static int
days_from_civil(int y, int m, int d)
{
    int era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void
civil_from_days(int z, int *y, int *m, int *d)
{
    int era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static int
add_years(int day, int years)
{
    int y, m, d;

    civil_from_days(day, &y, &m, &d);
    if (m == 2 && d == 29)
        d = 28;
    return days_from_civil(y + years, m, d);
}

static void
out_date(int day)
{
    int y, m, d;
    char s[10];

    if (day == NODATE) {
        out_null();
        return;
    }
    civil_from_days(day, &y, &m, &d);
    s[0] = (char)('0' + y / 1000);
    s[1] = (char)('0' + y / 100 % 10);
    s[2] = (char)('0' + y / 10 % 10);
    s[3] = (char)('0' + y % 10);
    s[4] = '-';
    s[5] = (char)('0' + m / 10);
    s[6] = (char)('0' + m % 10);
    s[7] = '-';
    s[8] = (char)('0' + d / 10);
    s[9] = (char)('0' + d % 10);
    out_mem(s, sizeof(s));
}

/* ---------------------------------------------------------------- code lists */

static const char *const sex_codes[] = {"M", "F", "U"};
static const int sex_w[] = {800, 195, 5};

static const char *const eth_codes[] = {"WBRI", "WIRI", "WIRT", "WROM", "WOTH", "MWBC", "MWBA",
                                        "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB",
                                        "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"};
static const int eth_w[] = {520, 10, 10, 10, 50,  70, 30, 20, 20, 3,
                            3,   2,  2,  50, 110, 30, 5,  35, 10, 10};

enum { VAP, ROB, DRG, BUR, THF, VEH, WPN, ARS, CDM, MOT, BRC, SEX, PUB, OTH_CAT, NCAT };
static const char *const cat_codes[NCAT] = {"VAP", "ROB", "DRG", "BUR", "THF", "VEH", "WPN",
                                            "ARS", "CDM", "MOT", "BRC", "SEX", "PUB", "OTH"};
static const int cat_w[NCAT] = {30, 5, 10, 4, 10, 6, 10, 1, 8, 5, 3, 2, 5, 1};
/* gravity 1..8 weights per category */
static const int grav_w[NCAT][8] = {
    {0, 10, 45, 10, 25, 8, 2, 0},  /* VAP */
    {0, 0, 0, 0, 10, 80, 10, 0},   /* ROB */
    {0, 35, 15, 0, 10, 30, 10, 0}, /* DRG */
    {0, 0, 0, 40, 40, 20, 0, 0},   /* BUR */
    {0, 60, 35, 5, 0, 0, 0, 0},    /* THF */
    {0, 0, 55, 35, 10, 0, 0, 0},   /* VEH */
    {0, 0, 30, 35, 30, 5, 0, 0},   /* WPN */
    {0, 0, 0, 30, 40, 20, 10, 0},  /* ARS */
    {0, 70, 25, 5, 0, 0, 0, 0},    /* CDM */
    {0, 50, 30, 15, 5, 0, 0, 0},   /* MOT */
    {0, 30, 60, 10, 0, 0, 0, 0},   /* BRC */
    {0, 0, 0, 0, 30, 30, 30, 10},  /* SEX */
    {0, 50, 40, 10, 0, 0, 0, 0},   /* PUB */
    {30, 40, 30, 0, 0, 0, 0, 0},   /* OTH */
};
/* two made-up descriptions and CJS-style codes per category */
static const char *const cat_desc[NCAT][2] = {
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

static const char *const postcodes[] = {"ME1", "ME2",  "ME3",  "ME4",  "ME5", "ME7",
                                        "ME8", "ME14", "DA11", "SE18", "CT1"};
static const int postcode_w[] = {14, 16, 6, 18, 14, 16, 10, 2, 2, 1, 1};

static const char *const plea_codes[] = {"G", "NG", "NP", "NA"};
static const int plea_court_w[] = {72, 14, 8, 6};
static const int plea_oocd_w[] = {15, 0, 0, 85};

enum {
    CR,
    CRY,
    O22,
    YC,
    YCC,
    RO,
    YRO,
    DTO,
    S250,
    S254,
    S259,
    FINE,
    CDIS,
    ADIS,
    UNK,
    OTH_OUT,
    XX9,
    NOUT
};
static const char *const out_codes[NOUT] = {"CR",   "CRY",  "O22",  "YC",   "YCC",  "RO",
                                            "YRO",  "DTO",  "S250", "S254", "S259", "FINE",
                                            "CDIS", "ADIS", "UNK",  "OTH",  "XX9"};
static const int oocd_codes[] = {CR, CRY, O22, YC, YCC};
static const int oocd_w[] = {28, 22, 14, 20, 16};
static const int court_codes[] = {RO, YRO, CDIS, FINE, ADIS, OTH_OUT, UNK};
static const int court_w[] = {45, 22, 15, 8, 3, 4, 3};
static const int cust_codes[] = {DTO, S250, S254, S259};
static const int cust_w[] = {85, 12, 2, 1};
static const int second_codes[] = {OTH_OUT, FINE, CDIS};
static const int second_w[] = {60, 30, 10};
static const char *const appeal_codes[] = {"CHG", "SUC", "UNS"};
static const int appeal_w[] = {35, 30, 35};

enum { D_CR, D_CRY, D_O22, D_YC, D_YCC, D_RO, D_YRO, D_DTOC, D_DTOL, D_S250, D_S254, D_S259 };
static const char *const disp_codes[] = {"CR",  "CRY",  "O22",  "YC",   "YCC",  "RO",
                                         "YRO", "DTOC", "DTOL", "S250", "S254", "S259"};

static const char *const transfer_from[] = {"LAMBTH", "SOUTHWK", "GREENWH", "LEWSHM",
                                            "CROYDN", "BEXLEY",  "KENT",    "NEWHAM"};

/* ---------------------------------------------------------------- the child's core record */

#define DATA_START 17987 /* 2019-04-01 */
#define FC_END 20634     /* 2026-06-30 */
#define DATA_END 20726   /* 2026-09-30: the data cut */
#define MAX_OFF 4
#define MAX_PROG 9

struct outcome {
    int64_t id;
    int date, end, code, main, appeal, residence_other;
};

struct offence {
    int64_t id;
    int date, arrest, cat, gravity, desc, postcode, plea, knife, weird_desc;
    int n_out;
    struct outcome out[2];
};

struct programme {
    int64_t id;
    int start, end, disposal, victim, completed;
    int n_off;
    int off_idx[2];
};

struct child {
    int64_t id;
    int dirty; /* 0 clean, else the defect 1..5 */
    int dob, sex, eth, fc, in_care, other_area, transfer;
    int n_off, n_prog;
    struct offence off[MAX_OFF];
    struct programme prog[MAX_PROG];
};

enum { DIRTY_ETH = 1, DIRTY_OUTCOME, DIRTY_DATE, DIRTY_PROG, DIRTY_ACCOM };

static uint64_t opt_seed;
static int opt_children;
static int opt_dirty;

static int
victim_category(int cat)
{
    return cat == VAP || cat == ROB || cat == BUR || cat == THF || cat == VEH || cat == ARS ||
           cat == CDM || cat == SEX;
}

static int
outcome_end(struct rng *r, int code, int date)
{
    switch (code) {
    case CRY:
    case O22:
    case YC:
        return date + rng_range(r, 56, 112);
    case YCC:
        return date + rng_range(r, 84, 112);
    case RO:
        return date + rng_range(r, 90, 365);
    case YRO:
        return date + rng_range(r, 180, 730);
    case DTO:
        return date + rng_range(r, 120, 730);
    case S250:
        return date + rng_range(r, 365, 1825);
    case S259:
        return date + rng_range(r, 730, 1825);
    case CDIS:
        return date + rng_range(r, 180, 1095);
    default:
        return NODATE;
    }
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

static void
gen_core(struct child *c, int64_t id)
{
    static const int age_w[] = {2, 4, 7, 11, 16, 20, 21, 19}; /* age 10..17 */
    static const int noff_w[] = {30, 25, 25, 20};
    static const int court_pm[9] = {0, 100, 100, 200, 350, 550, 700, 900, 900};
    static const int cust_pm[9] = {0, 5, 5, 5, 20, 60, 110, 280, 280};
    struct rng r;
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
    c->eth = PICK(&r, eth_w);
    c->in_care = rng_chance(&r, 250);
    c->other_area = rng_chance(&r, 70);
    c->transfer = rng_chance(&r, 100) ? 1 + rng_below(&r, 8) : 0;

    n = 1 + PICK(&r, noff_w);
    day = first_off;
    for (k = 0; k < n; k++) {
        struct offence *o = &c->off[k];
        struct outcome *m;
        int court, code;

        if (k > 0)
            day += rng_range(&r, 20, 300);
        if (day >= adult || day > DATA_END - 20)
            break;
        c->n_off++;
        o->id = id * 10 + k + 1;
        o->date = day;
        o->cat = PICK(&r, cat_w);
        o->gravity = 1 + rng_pick(&r, grav_w[o->cat], 8);
        o->desc = rng_below(&r, 2);
        o->postcode = PICK(&r, postcode_w);
        o->arrest = rng_chance(&r, 850) ? day + rng_range(&r, 0, 14) : NODATE;
        o->knife = o->cat == WPN   ? rng_chance(&r, 700)
                   : o->cat == ROB ? rng_chance(&r, 200)
                   : o->cat == VAP ? rng_chance(&r, 80)
                                   : 0;

        court = rng_chance(&r, court_pm[o->gravity] + 100 * k);
        if (court)
            code = rng_chance(&r, cust_pm[o->gravity] + 20 * k) ? cust_codes[PICK(&r, cust_w)]
                                                                : court_codes[PICK(&r, court_w)];
        else
            code = oocd_codes[PICK(&r, oocd_w)];
        o->plea = court ? PICK(&r, plea_court_w) : PICK(&r, plea_oocd_w);

        m = &o->out[0];
        m->date = day + (court ? rng_range(&r, 28, 200) : rng_range(&r, 7, 75));
        if (m->date > DATA_END)
            continue; /* no outcome yet */
        o->n_out = 1;
        m->id = o->id * 10 + 1;
        m->code = code;
        m->end = outcome_end(&r, code, m->date);
        m->main = 1;
        m->appeal = court && rng_chance(&r, 40) ? PICK(&r, appeal_w) : -1;
        m->residence_other = rng_chance(&r, 20) ? !c->other_area : c->other_area;
        if (court && rng_chance(&r, 250)) {
            struct outcome *s = &o->out[1];

            o->n_out = 2;
            s->id = o->id * 10 + 2;
            s->code = second_codes[PICK(&r, second_w)];
            s->date = m->date;
            s->end = outcome_end(&r, s->code, s->date);
            s->main = 0;
            s->appeal = -1;
            s->residence_other = m->residence_other;
        }

        switch (code) {
        case CRY:
            add_programme(c, &r, D_CRY, m->date, m->end, k, 850);
            break;
        case O22:
            add_programme(c, &r, D_O22, m->date, m->end, k, 850);
            break;
        case YC:
            add_programme(c, &r, D_YC, m->date, m->end, k, 850);
            break;
        case YCC:
            add_programme(c, &r, D_YCC, m->date, m->end, k, 800);
            break;
        case RO:
            add_programme(c, &r, D_RO, m->date, m->end, k, 800);
            break;
        case YRO:
            add_programme(c, &r, D_YRO, m->date, m->end, k, 700);
            break;
        case S250:
            add_programme(c, &r, D_S250, m->date, m->end, k, 900);
            break;
        case S254:
            add_programme(c, &r, D_S254, m->date, NODATE, k, 900);
            break;
        case S259:
            add_programme(c, &r, D_S259, m->date, m->end, k, 900);
            break;
        case DTO: {
            int half = m->date + (m->end - m->date) / 2;

            add_programme(c, &r, D_DTOC, m->date, half, k, 950);
            add_programme(c, &r, D_DTOL, half + 1, m->end, k, 800);
            break;
        }
        default:
            break;
        }
    }

    switch (c->dirty) {
    case DIRTY_ETH:
        break; /* applied when written */
    case DIRTY_OUTCOME:
        if (c->off[0].n_out > 0)
            c->off[0].out[0].code = XX9;
        break;
    case DIRTY_DATE:
        c->off[c->n_off - 1].date = NODATE;
        c->off[c->n_off - 1].weird_desc = 1;
        break;
    case DIRTY_PROG:
        if (c->n_prog > 0) {
            struct programme p0 = c->prog[0];

            add_programme(c, &r, p0.disposal, p0.start + 10,
                          p0.end == NODATE ? NODATE : p0.end + 30, p0.off_idx[0], 500);
        }
        break;
    default:
        break;
    }
}

/* last day anything about this child is recorded on (open episodes end NULL) */
static int
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

/* ---------------------------------------------------------------- tables */

static void
copy_begin(const char *table, const char *cols)
{
    out_str("COPY cms.");
    out_str(table);
    out_str(" (");
    out_str(cols);
    out_str(") FROM STDIN;\n");
}

static void
copy_end(void)
{
    out_str("\\.\n");
}

static void
row_young_person(const struct child *c)
{
    static const char letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";
    uint64_t scr = ((uint64_t)c->id * 2654435761ULL + 12345) % 100000000ULL;
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
    out_date(c->dob);
    out_tab();
    out_str(sex_codes[c->sex]);
    out_tab();
    out_str(c->dirty == DIRTY_ETH ? "ZZZZ" : eth_codes[c->eth]);
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
    out_nl();
}

static void
row_offence(const struct child *c)
{
    int i;

    for (i = 0; i < c->n_off; i++) {
        const struct offence *o = &c->off[i];

        out_u64((uint64_t)o->id);
        out_tab();
        out_u64((uint64_t)c->id);
        out_tab();
        out_date(o->date);
        out_tab();
        out_date(o->arrest);
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
        out_u64((uint64_t)o->gravity);
        out_tab();
        out_bool(o->knife);
        out_nl();
    }
}

static void
row_outcome(const struct child *c)
{
    int i, j;

    for (i = 0; i < c->n_off; i++)
        for (j = 0; j < c->off[i].n_out; j++) {
            const struct outcome *m = &c->off[i].out[j];

            out_u64((uint64_t)m->id);
            out_tab();
            out_u64((uint64_t)c->off[i].id);
            out_tab();
            out_u64((uint64_t)c->id);
            out_tab();
            out_date(m->date);
            out_tab();
            out_date(m->end);
            out_tab();
            out_str(out_codes[m->code]);
            out_tab();
            out_bool(m->main);
            out_tab();
            out_opt_str(m->appeal < 0 ? NULL : appeal_codes[m->appeal]);
            out_tab();
            out_str(m->residence_other ? "O" : "L");
            out_nl();
        }
}

static void
row_programme(const struct child *c)
{
    int i;

    for (i = 0; i < c->n_prog; i++) {
        const struct programme *p = &c->prog[i];

        out_u64((uint64_t)p->id);
        out_tab();
        out_u64((uint64_t)c->id);
        out_tab();
        out_date(p->start);
        out_tab();
        out_date(p->end);
        out_tab();
        out_str(disp_codes[p->disposal]);
        out_tab();
        out_bool(p->victim);
        out_tab();
        out_bool3(p->completed);
        out_nl();
    }
}

static void
row_programme_offence(const struct child *c)
{
    int i, j;

    for (i = 0; i < c->n_prog; i++)
        for (j = 0; j < c->prog[i].n_off; j++) {
            out_u64((uint64_t)c->prog[i].id);
            out_tab();
            out_u64((uint64_t)c->off[c->prog[i].off_idx[j]].id);
            out_tab();
            out_u64((uint64_t)c->id);
            out_nl();
        }
}

/* an end after the data cut is not known yet */
static int
cut(int day)
{
    return day != NODATE && day > DATA_END ? NODATE : day;
}

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
    out_str(b);
}

static void
row_accommodation(const struct child *c)
{
    static const char *const home[] = {"PAR", "FAM", "FRI", "IND", "SUP", "TMP", "BAH",
                                       "HOS", "TRV", "BNB", "NFA", "UNK", "OTH"};
    static const int home_w[] = {780, 100, 15, 10, 25, 15, 5, 3, 5, 5, 5, 17, 15};
    static const char *const care[] = {"FCL", "FCP", "RUL", "RUP", "RUS", "SUP", "FAM", "BNB"};
    static const int care_w[] = {30, 25, 15, 15, 2, 8, 4, 1};
    static const char *const suit[] = {"S", "U", "K"};
    static const int suit_w[] = {88, 8, 4};
    struct rng r;
    int n, i, start, end, last = child_last_day(c);

    rng_init(&r, opt_seed, (uint64_t)c->id, 1);
    if (!rng_chance(&r, 900))
        return;
    n = 1 + rng_below(&r, 3);
    start = c->fc - rng_range(&r, 0, 400);
    for (i = 0; i < n; i++) {
        const char *type = c->in_care ? care[PICK(&r, care_w)] : home[PICK(&r, home_w)];
        const char *s = suit[PICK(&r, suit_w)];

        if (!strcmp(type, "BNB") || !strcmp(type, "NFA") || !strcmp(type, "UNK"))
            s = "U";
        end = i == n - 1 ? NODATE : start + rng_range(&r, 30, 500);
        if (end != NODATE && end >= last)
            end = NODATE;
        if (start > DATA_END)
            break;
        episode_row(c->id * 10 + i + 1, c->id, start, end, type, s);
        out_nl();
        if (end == NODATE)
            break;
        start = end + 1;
    }
    if (c->dirty == DIRTY_ACCOM) { /* overlaps the first episode */
        episode_row(c->id * 10 + 9, c->id, c->fc, c->fc + 90, "PAR", "S");
        out_nl();
    }
}

static int
school_age(const struct child *c, int day)
{
    /* statutory school age ends on the last Friday of June of the year the child turns 16;
     * 30 June is close enough here */
    int y, m, d;

    civil_from_days(add_years(c->dob, 16), &y, &m, &d);
    return day <= days_from_civil(y, 6, 30);
}

static void
row_ete(const struct child *c)
{
    static const char *const sch[] = {"SFT", "SPT", "EHE", "PRF", "PRP", "AOF",
                                      "AOP", "ALT", "REP", "MEN", "NON"};
    static const int sch_w[] = {50, 8, 4, 7, 4, 4, 3, 2, 2, 1, 15};
    static const char *const abv[] = {"COL", "UNI", "REP", "TRS", "APP", "SIN",
                                      "FTE", "PTE", "SEL", "VOL", "OTH", "NON"};
    static const int abv_w[] = {35, 1, 6, 5, 8, 1, 4, 6, 1, 1, 2, 30};
    static const char *const suit[] = {"S", "U", "K"};
    static const int suit_w[] = {80, 15, 5};
    struct rng r;
    int n, i, start, end, last = child_last_day(c);

    rng_init(&r, opt_seed, (uint64_t)c->id, 2);
    if (!rng_chance(&r, 900))
        return;
    n = 1 + rng_below(&r, 3);
    start = c->fc - rng_range(&r, 0, 300);
    for (i = 0; i < n && start <= DATA_END; i++) {
        int school = school_age(c, start);
        const char *prov = school ? sch[PICK(&r, sch_w)] : abv[PICK(&r, abv_w)];
        const char *s = suit[PICK(&r, suit_w)];
        int full = school ? 25 : 16, offered, attended;

        if (!strcmp(prov, "NON")) {
            s = "U";
            offered = 0;
        } else if (prov[1] == 'P' || !strcmp(prov, "PTE") || !strcmp(prov, "VOL") ||
                   !strcmp(prov, "MEN")) {
            offered = rng_range(&r, 3, full - 1);
        } else {
            offered = rng_range(&r, full, full + 7);
        }
        attended = offered * rng_range(&r, 30, 100) / 100;
        end = i == n - 1 ? NODATE : start + rng_range(&r, 60, 400);
        if (end != NODATE && end >= last)
            end = NODATE;
        episode_row(c->id * 10 + i + 1, c->id, start, end, prov, s);
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

static void
row_care_status(const struct child *c)
{
    struct rng r;
    int k = 0, adult = add_years(c->dob, 18), start;

    rng_init(&r, opt_seed, (uint64_t)c->id, 3);
    if (c->in_care) {
        start = c->fc - rng_range(&r, -90, 1500);
        if (start < c->dob + 365)
            start = c->dob + 365;
        if (start > adult - 30)
            start = adult - 30 - rng_range(&r, 0, 700);
        care_row(c->id * 10 + ++k, c->id, "LAC", start, adult <= DATA_END ? adult - 1 : NODATE);
    } else if (rng_chance(&r, 53)) {
        start = c->fc - rng_range(&r, 400, 1500);
        care_row(c->id * 10 + ++k, c->id, "CEX", start, NODATE);
    }
    if (rng_chance(&r, 60)) {
        start = c->fc + rng_range(&r, -200, 200);
        care_row(c->id * 10 + ++k, c->id, "CPP", start,
                 rng_chance(&r, 600) ? start + rng_range(&r, 90, 500) : NODATE);
    }
    if (rng_chance(&r, 120)) {
        start = c->fc + rng_range(&r, -200, 200);
        care_row(c->id * 10 + ++k, c->id, "CIN", start,
                 rng_chance(&r, 600) ? start + rng_range(&r, 90, 500) : NODATE);
    }
    if (rng_chance(&r, 180)) {
        start = c->fc + rng_range(&r, -365, 120);
        care_row(c->id * 10 + ++k, c->id, "EHP", start,
                 rng_chance(&r, 700) ? start + rng_range(&r, 60, 365) : NODATE);
    }
}

static void
row_send_aln(const struct child *c)
{
    struct rng r;
    int need, plan, start;

    rng_init(&r, opt_seed, (uint64_t)c->id, 4);
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
    out_opt_str(plan ? (rng_chance(&r, 700) ? "EHC" : "SSP") : NULL);
    out_tab();
    out_date(start);
    out_tab();
    out_null();
    out_nl();
}

static void
screening_row(const struct child *c, int tag, int pm_screen, int pm_need, const char *const *codes,
              const int *w, int ncodes)
{
    struct rng r;
    int screened, need, referred = NODATE, offered = NODATE, att_s = NODATE, att_e = NODATE;
    const char *code = NULL;

    rng_init(&r, opt_seed, (uint64_t)c->id, (uint64_t)tag);
    if (!rng_chance(&r, pm_screen))
        return;
    screened = c->fc + rng_range(&r, 0, 60);
    need = rng_chance(&r, pm_need);
    if (need && rng_chance(&r, 60)) { /* already in treatment before screening */
        att_s = screened - rng_range(&r, 30, 200);
        referred = offered = att_s - rng_range(&r, 7, 30);
        code = codes[rng_pick(&r, w, ncodes - 1)];
    } else if (need && rng_chance(&r, 850)) {
        referred = screened + rng_range(&r, 0, 21);
        if (rng_chance(&r, 800)) {
            offered = referred + rng_range(&r, 7, 42);
            code = codes[rng_pick(&r, w, ncodes - 1)];
            if (rng_chance(&r, 750))
                att_s = offered + rng_range(&r, 0, 21);
        } else {
            code = codes[ncodes - 1]; /* no intervention */
        }
    }
    if (att_s != NODATE && rng_chance(&r, 600))
        att_e = att_s + rng_range(&r, 30, 240);
    if (screened > DATA_END)
        return;
    out_u64((uint64_t)(c->id * 10 + 1));
    out_tab();
    out_u64((uint64_t)c->id);
    out_tab();
    out_date(screened);
    out_tab();
    out_bool(need);
    out_tab();
    out_date(referred);
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

static void
row_mh_screening(const struct child *c)
{
    static const char *const codes[] = {"ADV", "HLP", "AHP", "RSK", "NON"};
    static const int w[] = {30, 40, 20, 10};

    screening_row(c, 5, 600, 550, codes, w, 5);
}

static void
row_sm_screening(const struct child *c)
{
    static const char *const codes[] = {"TGT", "SPC", "CCX", "NON"};
    static const int w[] = {60, 30, 10};

    screening_row(c, 6, 450, 350, codes, w, 4);
}

static void
row_victim(const struct child *c)
{
    static const char *const types[] = {"IND", "BUS", "ORG"};
    static const int type_w[] = {80, 15, 5};
    struct rng r;
    int i, j, v, done[MAX_OFF] = {0};

    rng_init(&r, opt_seed, (uint64_t)c->id, 7);
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

            out_u64((uint64_t)(o->id * 10 + j + 1));
            out_tab();
            out_u64((uint64_t)c->id);
            out_tab();
            out_u64((uint64_t)o->id);
            out_tab();
            out_str(types[PICK(&r, type_w)]);
            out_tab();
            out_date(cut(p->start + rng_range(&r, 0, 28)));
            out_tab();
            out_bool(consent);
            out_tab();
            out_bool3(consent ? rng_chance(&r, 850) : -1);
            out_tab();
            out_bool3(consent ? rng_chance(&r, 400) : -1);
            out_tab();
            out_bool(preq);
            out_tab();
            out_bool3(preq ? rng_chance(&r, 900) : -1);
            out_tab();
            out_bool(sreq);
            out_tab();
            out_bool3(sreq ? rng_chance(&r, 850) : -1);
            out_nl();
        }
    }
}

static void
assessment_row(struct rng *r, const struct child *c, const struct programme *p, int s,
               const char *stage, int day, int base_wb, int base_rosh)
{
    static const char *const lik[] = {"L", "M", "H"};
    static const int lik_w[] = {40, 40, 20};
    static const char *const lv[] = {"L", "M", "H", "V"};
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
    out_str(stage);
    out_tab();
    out_str(lik[PICK(r, lik_w)]);
    out_tab();
    out_str(lv[rosh]);
    out_tab();
    out_str(lv[wb]);
    out_tab();
    out_u64((uint64_t)rng_range(r, 5, 95));
    out_nl();
}

static void
row_assessment(const struct child *c)
{
    static const int wb_w[] = {40, 35, 20, 5};
    static const int rosh_w[] = {48, 34, 15, 3};
    struct rng r;
    int i, wb, rosh;

    rng_init(&r, opt_seed, (uint64_t)c->id, 8);
    wb = PICK(&r, wb_w);
    rosh = PICK(&r, rosh_w);
    for (i = 0; i < c->n_prog; i++) {
        const struct programme *p = &c->prog[i];

        if (rng_chance(&r, 900))
            assessment_row(&r, c, p, 1, "STA", p->start - rng_range(&r, 0, 20), wb, rosh);
        if (p->end != NODATE && rng_chance(&r, 500))
            assessment_row(&r, c, p, 2, "END", p->end - rng_range(&r, 0, 14), wb, rosh);
    }
}

static void
write_board_attendance(void)
{
    static const char *const sectors[] = {"CSC", "EDU", "POL", "PRB", "HLT"};
    static const int senior_pm[] = {900, 750, 850, 800, 650};
    struct rng r;
    int fy, q, s;
    int64_t id = 0;
    char quarter[16];

    rng_init(&r, opt_seed, 0, 100);
    copy_begin("board_attendance",
               "board_attendance_id, quarter, meeting_date, sector_cd, attended_flag, "
               "senior_flag");
    for (fy = 2019; fy <= 2026; fy++)
        for (q = 1; q <= 4; q++) {
            int qm = 4 + 3 * (q - 1), qy = fy;
            int meeting;

            if (qm > 12) {
                qm -= 12;
                qy++;
            }
            meeting = days_from_civil(qy, qm, 1) + 30 + rng_below(&r, 30);
            if (meeting > DATA_END)
                break;
            snprintf(quarter, sizeof(quarter), "%dQ%d", fy, q);
            for (s = 0; s < 5; s++) {
                int attended = rng_chance(&r, 920);

                out_u64((uint64_t)++id);
                out_tab();
                out_str(quarter);
                out_tab();
                out_date(meeting);
                out_tab();
                out_str(sectors[s]);
                out_tab();
                out_bool(attended);
                out_tab();
                out_bool(attended && rng_chance(&r, senior_pm[s]));
                out_nl();
            }
        }
    copy_end();
}

static void
write_population(void)
{
    static const char *const groups[] = {"W", "M", "A", "B", "O"};
    static const int group_pm[] = {770, 60, 60, 90, 20};
    struct rng r;
    int year, age, sex, g;

    rng_init(&r, opt_seed, 0, 101);
    copy_begin("population", "year, age, sex_cd, ethnicity_group_cd, headcount");
    for (year = 2019; year <= 2026; year++)
        for (age = 10; age <= 17; age++)
            for (sex = 0; sex < 2; sex++)
                for (g = 0; g < 5; g++) {
                    /* about 4,125 a year of age; slowly growing younger cohorts */
                    int base = 4000 + (17 - age) * 30 + (year - 2019) * 15;
                    int n = base * (sex == 0 ? 513 : 487) / 1000 * group_pm[g] / 1000;

                    n += rng_range(&r, -n / 50, n / 50);
                    out_u64((uint64_t)year);
                    out_tab();
                    out_u64((uint64_t)age);
                    out_tab();
                    out_str(sex == 0 ? "M" : "F");
                    out_tab();
                    out_str(groups[g]);
                    out_tab();
                    out_u64((uint64_t)n);
                    out_nl();
                }
    copy_end();
}

struct table {
    const char *name;
    const char *cols;
    void (*row)(const struct child *c);
};

static const struct table tables[] = {
    {"young_person",
     "yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date, "
     "originating_yot_person_id",
     row_young_person},
    {"offence",
     "offence_id, yp_id, offence_date, arrest_date, description, postcode_district, cjs_code, "
     "plea_cd, category_cd, gravity, knife_flag",
     row_offence},
    {"outcome",
     "outcome_id, offence_id, yp_id, outcome_date, outcome_end_date, outcome_cd, main_flag, "
     "appeal_cd, residence_cd",
     row_outcome},
    {"programme",
     "programme_id, yp_id, start_date, end_date, disposal_cd, victim_flag, completed_flag",
     row_programme},
    {"programme_offence", "programme_id, offence_id, yp_id", row_programme_offence},
    {"accommodation",
     "accommodation_id, yp_id, start_date, end_date, accom_type_cd, suitability_cd",
     row_accommodation},
    {"ete",
     "ete_id, yp_id, start_date, end_date, provision_cd, suitability_cd, hours_offered, "
     "hours_attended",
     row_ete},
    {"care_status", "care_status_id, yp_id, status_cd, start_date, end_date", row_care_status},
    {"send_aln",
     "send_aln_id, yp_id, identified_flag, formal_plan_flag, plan_cd, start_date, end_date",
     row_send_aln},
    {"mh_screening",
     "mh_screening_id, yp_id, screened_date, need_flag, referred_date, offered_date, "
     "attended_start_date, attended_end_date, intervention_cd",
     row_mh_screening},
    {"sm_screening",
     "sm_screening_id, yp_id, screened_date, need_flag, referred_date, offered_date, "
     "attended_start_date, attended_end_date, intervention_cd",
     row_sm_screening},
    {"victim",
     "victim_id, yp_id, offence_id, victim_type_cd, contact_date, consent_flag, "
     "view_asked_flag, rj_engaged_flag, progress_requested_flag, progress_provided_flag, "
     "support_requested_flag, support_provided_flag",
     row_victim},
    {"assessment",
     "assessment_id, yp_id, programme_id, assessment_date, stage_cd, likelihood_cd, rosh_cd, "
     "wellbeing_cd, yogrs",
     row_assessment},
};

/* ---------------------------------------------------------------- command line */

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: yj-gen --seed S --children N [--dirty]\n"
            "Write a psql script of COPY blocks filling the cms warehouse with N synthetic\n"
            "children (ids 1..N, N from %d to %d), deterministic for a given seed.\n"
            "  --seed S       unsigned 64-bit seed\n"
            "  --children N   number of children\n"
            "  --dirty        give about 2%% of children a defect (unmapped code, missing\n"
            "                 offence date, overlapping programme or accommodation)\n"
            "  --help         show this help\n"
            "Exit codes: 0 ok, 64 bad command line, 74 cannot write stdout.\n"
            "Example: yj-gen --seed 42 --children 300 | psql -v ON_ERROR_STOP=1 -1 -q\n",
            MIN_CHILDREN, MAX_CHILDREN);
}

static int
parse_u64(const char *s, uint64_t *v)
{
    char *end;
    unsigned long long x;

    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    x = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *v = (uint64_t)x;
    return 0;
}

int
main(int argc, char **argv)
{
    int i, have_seed = 0, have_children = 0;
    size_t t;
    int64_t id;
    struct child *c;

    for (i = 1; i < argc; i++) {
        uint64_t v;

        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--dirty")) {
            opt_dirty = 1;
        } else if (!strcmp(argv[i], "--seed")) {
            if (parse_u64(i + 1 < argc ? argv[++i] : NULL, &v) != 0) {
                fprintf(stderr, "yj-gen: --seed needs an unsigned integer\n");
                return EXIT_USAGE;
            }
            opt_seed = v;
            have_seed = 1;
        } else if (!strcmp(argv[i], "--children")) {
            if (parse_u64(i + 1 < argc ? argv[++i] : NULL, &v) != 0 || v < MIN_CHILDREN ||
                v > MAX_CHILDREN) {
                fprintf(stderr, "yj-gen: --children needs an integer from %d to %d\n", MIN_CHILDREN,
                        MAX_CHILDREN);
                return EXIT_USAGE;
            }
            opt_children = (int)v;
            have_children = 1;
        } else {
            fprintf(stderr, "yj-gen: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!have_seed || !have_children) {
        fprintf(stderr, "yj-gen: --seed and --children are required\n");
        usage(stderr);
        return EXIT_USAGE;
    }

    c = malloc(sizeof(*c));
    if (c == NULL) {
        fprintf(stderr, "yj-gen: out of memory\n");
        return EXIT_IOERR;
    }
    out_str("-- yj-gen synthetic warehouse data: seed ");
    out_u64(opt_seed);
    out_str(", children ");
    out_u64((uint64_t)opt_children);
    out_str(opt_dirty ? ", dirty\n" : "\n");
    out_str("SET client_min_messages = warning;\n");
    for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
        copy_begin(tables[t].name, tables[t].cols);
        for (id = 1; id <= opt_children; id++) {
            gen_core(c, id);
            tables[t].row(c);
        }
        copy_end();
    }
    write_board_attendance();
    write_population();
    out_flush();
    free(c);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "yj-gen: could not write to stdout: %s\n", strerror(errno));
        return EXIT_IOERR;
    }
    return 0;
}
