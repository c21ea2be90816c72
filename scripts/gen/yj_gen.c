/*
 * yj_gen.c: synthetic data for the yjreturns reference warehouse (schema cms).
 *
 * Writes to stdout a psql script of `COPY cms.<table> (cols) FROM STDIN;` blocks, one per
 * table, for N synthetic children with ids 1..N (sql/warehouse/010_schema.sql). The output is a
 * pure function of --seed and --children (own splitmix64 generator, no clock, no rand()): each
 * child draws from its own stream seeded by (seed, child id, table), so the tables are written
 * one after another by regenerating each child's core record, and memory stays flat. Tables
 * and columns added later draw from streams of their own, so the older ones keep their rows.
 * Everything is made up: no names, no addresses (postcode districts only), ypid `YP` + 8
 * digits, PNC `YY/NNNNNNL`. Ids are derived, not sequenced: offence = child*10+k,
 * outcome = offence*10+j, programme/accommodation/ete/care_status = child*10+k,
 * victim = offence*10+v, assessment = programme*10+s, hearing = offence*10+h,
 * sentence_proposal = hearing*10+1, police_bail = offence*10+b, requirement = outcome*10+q,
 * parenting_intervention = programme*10+1, transfer = child*10+1 (IN) / +2 (OUT),
 * mh_screening/sm_screening = programme*10+1.
 *
 * Distributions (the figures of docs/domain.md, "Synthetic data"):
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
 *    CEX 4%; and for 8% of the programmes of children not in care (at most one each) an early
 *    help referral made 14-60 days into it. Accommodation for 90%: 1-3 episodes, 88% suitable
 *    (B&B, NFA, not known always not); at home: parents 73%, family 10.5%, friends 3%,
 *    independent 3%, other 2.5%, supported 2.5%, temporary 1.5%. The secure estate on top:
 *    from the first remand to youth detention accommodation to the sentence (released from
 *    court unless sentenced to custody), and in custody until release (half way through a
 *    DTO or section 250 sentence, two thirds through section 259, section 254 not before the
 *    cut): under 15s and girls SCH 65 STC 35, older boys YOI 70 SCH 18 STC 12 (%).
 *    ETE for 98%: 1-3 episodes; school age / above; NON 15% / 27%; 83% of the others
 *    suitable: about 35% of children not in suitable ETE at the end of an order. School age:
 *    school full time 48%, PRU 11%, other alternative provision 11%, school part time 8%,
 *    home educated 4%, re-engagement 2%, other 1.5%, mentoring 1%. Above: college 32%,
 *    apprenticeship 10%, full-time and part-time employment 7% each, re-engagement 6%, other
 *    5%, voluntary 1.5%, self-employed 1%, traineeship and supported internship 0.5% each,
 *    university 0.3%. Hours a week offered: part-time provisions 3 to the full-time threshold
 *    less one (24 school age, 15 above), school and alternative provision full time 25-32,
 *    college 16-24 (25-30 school age), employment, apprenticeship, traineeship 25-37;
 *    attended 30-100% of offered. SEND row for 75% (need in 40% of them, formal plan in 45%
 *    of those). Mental health screening at the start (0-21 days in) of 75% of orders (every
 *    programme but DTO custody), need 55%; substance misuse 60%, need 40%. Of the needs:
 *    already in treatment since before the order 15% (mental health) / 10% (substance
 *    misuse); of the rest 85% referred, 80% of those offered an intervention during the order
 *    (mental health advice 30 help 40 additional help 20 risk support 10, substance misuse
 *    targeted 55 specialist 30 complex care 15 (%)), 75% of offers attended. Victims for
 *    offences against a victim with a programme. Assessments at programme start (90%) and
 *    end (50%): wellbeing high/very high 25%, RoSH high/very high 17%.
 *  - Identity: gender as sex (B/G) 97%, NB 1%, O 0.5%, NS 1.5% (and whenever sex is U);
 *    gender_same_flag false for NB and a fifth of O. Nationality by ethnicity, UK about 90%;
 *    about 2% unaccompanied asylum-seeking children (UAS: older boys in care, AF SY ER AL);
 *    religion NS 40% NON 35%; language and immigration status follow nationality.
 *  - Outcome term from its dates in one unit: months for RO (3-12) YRO (6-24) DTO (4-24)
 *    CDIS (6-36), years for S250 (1-5) S259; none for the rest.
 *  - Hearings for every court case: 1-3 (45/38/17%; 3 after a not-guilty plea, at least 2
 *    when remanded or sent to the Crown Court), the last on the outcome date (remand NON), and
 *    those before the data cut for court cases not yet sentenced. Youth court mostly, adult
 *    magistrates 3%, Crown Court for S250/S254/S259 and some gravity 6-8 cases. About 8% of
 *    children in court remanded (RLA/RYDA), over 40% of those given custody; otherwise UB/CB.
 *    The sentencing hearing also deals with the other offences of the order it made
 *    (programme.hearing_id). A proposal at 70% of sentencing hearings, 70% as sentenced.
 *  - Police bail for about 30% of arrested offences (not when remanded), a tenth of them twice,
 *    from the arrest to before charge (first hearing) or the out-of-court outcome.
 *  - YRO requirements: 1-3 distinct (SUP most); UPW only at 16-17, 40-240 hours, all done
 *    once the order has ended. Parenting work for 12% of programmes (PO only with court
 *    orders). Transfers: IN for every child with originating_yot_person_id, up to 21 days
 *    before first contact; OUT for about 3%, 7-120 days after the last programme ended.
 *  - board_attendance: one meeting per financial quarter 2019Q1..2026Q2, 5 sectors, attended
 *    92%, senior 80% of attendances; a new partner in 8% of attendances, and in about a third
 *    of the quarters an OTH partner (e.g. a voluntary sector representative) as well, drawn
 *    from a stream of their own. population: 2019..2026, ages 10-17, about 33,000 a year;
 *    White 77 Mixed 6 Asian 6 Black 9 Other 2 (%), boys 51%.
 *  - --dirty: 2% of children are dirty. Each keeps the defect drawn for it from its core
 *    stream: a NULL offence date (with a description holding a tab and a backslash), an
 *    overlapping duplicate programme or accommodation episode, or (only with --unmapped,
 *    which makes yj-transform fail) ethnicity ZZZZ or an outcome XX9. Each also breaks
 *    business rules of rules.conf in one of the ways listed at DEF_* below, in turn (the
 *    n-th dirty child by id gets way n mod NDEF), with its numbers drawn from a stream of
 *    its own: so a --dirty return transforms, and yj-validate finds every rule a warehouse
 *    can break in it. --dirty also leaves the KPI recording gaps listed at GAP_* below on
 *    the first three programmes of every financial quarter that can take each (so every
 *    quarter's KPI worklist has every problem a warehouse can produce), and adds, after the
 *    others, one board_attendance row of 2024Q4 with the unknown sector code XXX (no child's
 *    return reads it; yj-kpi refuses it).
 *
 * Usage: yj-gen --seed S --children N [--dirty [--unmapped]] [--help]; exit 64 on a bad
 * command line, 74 when stdout cannot be written.
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
    /* kept for the court tables: before --dirty and also when the outcome is after the cut */
    int true_date, court, plan_code, plan_date;
};

struct programme {
    int64_t id;
    int start, end, disposal, victim, completed;
    int n_off;
    int off_idx[2];
};

struct child {
    int64_t id;
    int dirty;    /* 0 clean, else the defect 1..5 */
    int defect;   /* dirty: the rules it breaks, DEF_* (0 clean) */
    int def_off;  /* the offence the defect touches (-1 none) */
    int def_n[4]; /* day offsets and numbers drawn for the defect, 1..30 */
    int dob, sex, eth, fc, in_care, other_area, transfer;
    int n_off, n_prog;
    struct offence off[MAX_OFF];
    struct programme prog[MAX_PROG];
    int gap[MAX_PROG]; /* --dirty: the KPI recording gap of each programme, GAP_* (0 none) */
};

enum { DIRTY_ETH = 1, DIRTY_OUTCOME, DIRTY_DATE, DIRTY_PROG, DIRTY_ACCOM };

static uint64_t opt_seed;
static int opt_children;
static int opt_dirty;
static int opt_unmapped;

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
        o->true_date = day;
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
        if (o->arrest != NODATE && o->arrest > m->date)
            o->arrest = m->date; /* an arrest comes before the outcome it led to */
        o->court = court;
        o->plan_code = code;
        o->plan_date = m->date;
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

/* ---------------------------------------------------------------- later additions
 * Everything below draws from streams of its own (tags 9..16), never from a stream an older
 * table uses, so adding it left the older tables' rows as they were. */

enum {
    STREAM_PERSON = 9,
    STREAM_COURT,
    STREAM_PROPOSAL,
    STREAM_BAIL,
    STREAM_REQ,
    STREAM_PARENTING,
    STREAM_TRANSFER,
    STREAM_DIRTY
};

/* --dirty: the ways a dirty child breaks the business rules of rules.conf (besides its
 * DIRTY_* defect; R001, an undated offence, comes from DIRTY_DATE). Every one is applied when
 * the rows are written, on top of the child's clean rows, so the other tables still follow
 * the true values. Extra rows get ids no clean row has (child*10+6..8, child*10+2,
 * child*100+2, offence or outcome*10+9) and are dated on or before the first contact (an
 * extra requirement sits under the child's first outcome), so that they are in every return
 * the child is in.
 *   DEF_DOB_PARENT     the date of birth is a parent's (24-30 years early): R003, and the
 *                      ages on offences, arrests, programme starts and outcomes: R002 R006
 *                      R004 R005
 *   DEF_BEFORE_BIRTH   an offence dated 20 years early, before the birth: R026 (and R002; its
 *                      negative ageOnOffenceDate also fails the schema)
 *   DEF_OFFENCE_ORDER  an offence arrested 1-5 days before its date (R012), its outcome
 *                      dated before both (R010 R011)
 *   DEF_RECORD_ENDS    an outcome (R013), a programme (R014, an extra one when the child has
 *                      none) and an extra police bail (R019) that end before they start
 *   DEF_EPISODE_ENDS   extra accommodation (R015), ETE (R016), care status (R017) and
 *                      SEND/ALN (R018) episodes that end before they start
 *   DEF_SCREENING      extra mental health and substance misuse screenings referred before
 *                      the screening (R022 R023), offered before the referral (R038 R039),
 *                      attendance ending before it starts (R020 R021)
 *   DEF_NUMBERS        an extra unpaid work requirement with more hours done than ordered
 *                      (R030), an ETE episode with more hours attended than offered (R031), a
 *                      parenting intervention with more sessions attended than planned (R032)
 *   DEF_MISSING        an offence with no gravity (R035), extra accommodation (R036) and ETE
 *                      (R037) episodes with no suitability
 *   DEF_DUP_YPID       the ypid of the child with the next lower id (R070)
 * The clean distributions already give sex unknown (R040), ethnicity not stated (R041) and
 * outcomes UNK/OTH (R042). A warehouse cannot break the other rules; test_dirty.c lists them:
 *   R024 R025  offences and programmes dated after the period end: the queries leave them out
 *   R050-R061  links: the queries emit a link only when both its ends are in the child's
 *              return (same child, same date filters as the items' own queries)
 *   R071-R073  offence, programme and hearing ids are primary keys, and cms_asof.<table>(t)
 *              gives one version of a row at any moment: no child has one of them twice */
enum {
    DEF_NONE,
    DEF_DOB_PARENT,
    DEF_BEFORE_BIRTH,
    DEF_OFFENCE_ORDER,
    DEF_RECORD_ENDS,
    DEF_EPISODE_ENDS,
    DEF_SCREENING,
    DEF_NUMBERS,
    DEF_MISSING,
    DEF_DUP_YPID,
    NDEF
};

/* The rule-breaking defect of the dirty child that is the ORDINAL-th (from 0) by id. */
static void
gen_defect(struct child *c, int ordinal)
{
    struct rng r;
    int i;

    c->defect = 1 + ordinal % (NDEF - 1);
    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_DIRTY);
    for (i = 0; i < 4; i++)
        c->def_n[i] = rng_range(&r, 1, 30);
    /* the first dated offence with an outcome, else the first dated one */
    c->def_off = -1;
    for (i = 0; i < c->n_off; i++) {
        if (c->off[i].date == NODATE)
            continue;
        if (c->def_off < 0)
            c->def_off = i;
        if (c->off[i].n_out > 0) {
            c->def_off = i;
            break;
        }
    }
}

/* --dirty: the KPI recording gaps (docs/kpi.md, worklist problems). Each is left on one
 * programme, on top of its clean rows; a programme has at most one:
 *   GAP_NOT_LINKED      the programme has no programme_offence row (programme_not_linked)
 *   GAP_NO_RESIDENCE    its offence's main outcome has no residence_cd (outcome_no_residence;
 *                       the return then lacks a mandatory element and fails the schema)
 *   GAP_ACCOM_NO_SUIT   an extra accommodation episode over the programme, no suitability
 *   GAP_ETE_NO_SUIT     an extra ETE episode over the programme, no suitability
 *   GAP_ETE_NO_HOURS    an extra suitable ETE episode over the programme, no hours
 *   GAP_NO_ETE_END      the child's ETE episodes stop the day before the programme starts
 *                       (no_ete_at_end)
 *   GAP_SEND_NO_PLAN    an extra SEND/ALN record, need identified, formal plan not recorded
 *   GAP_MH_NO_TYPE      an extra mental health screening with an offer but no intervention
 *   GAP_SM_NO_TYPE      the same for substance misuse
 *   GAP_OOCD_NO_DONE    an out-of-court programme with no completed_flag
 *   GAP_NO_GRAVITY      its offence has no gravity (KPI 9 counts the offence in the quarter of
 *                       the outcome; only a programme starting in that quarter takes it, so
 *                       that the quarter's return holds it)
 *   GAP_NO_CONSENT      its offence's victims have no consent_flag (nor the flags after it)
 * In every financial quarter each gap goes to the first GAP_PER_QUARTER programmes (children
 * in id order) that end in it (GAP_NO_GRAVITY: whose outcome is dated in it) and can take it,
 * so that every quarter's KPI worklist has every problem a warehouse can produce. */
enum {
    GAP_NONE,
    GAP_NOT_LINKED,
    GAP_NO_RESIDENCE,
    GAP_ACCOM_NO_SUIT,
    GAP_ETE_NO_SUIT,
    GAP_ETE_NO_HOURS,
    GAP_NO_ETE_END,
    GAP_SEND_NO_PLAN,
    GAP_MH_NO_TYPE,
    GAP_SM_NO_TYPE,
    GAP_OOCD_NO_DONE,
    GAP_NO_GRAVITY,
    GAP_NO_CONSENT,
    NGAP
};
#define GAP_PER_QUARTER 3
#define NQUARTER 32 /* financial quarters 2019Q1..2026Q4 */

/* The financial quarter of day (0 = 2019Q1, April-June 2019); -1 outside 2019Q1..2026Q4. */
static int
fin_quarter(int day)
{
    int y, m, d, q;

    if (day == NODATE)
        return -1;
    civil_from_days(day, &y, &m, &d);
    q = ((y - 2019) * 12 + m - 4) / 3;
    return day < DATA_START || q >= NQUARTER ? -1 : q;
}

/* Whether programme I is the one row_victim writes the victims of its first offence for. */
static int
victims_of(const struct child *c, int i)
{
    int j;

    if (!c->prog[i].victim)
        return 0;
    for (j = 0; j < i; j++)
        if (c->prog[j].victim && c->prog[j].off_idx[0] == c->prog[i].off_idx[0])
            return 0;
    return 1;
}

/* Chooses the child's gaps; DONE counts the gaps given so far per quarter (children in id
 * order). No random draws: the choice follows the core record only. */
static void
gen_gaps(struct child *c, int done[NQUARTER][NGAP])
{
    int i, g;

    for (i = 0; i < c->n_prog; i++) {
        const struct programme *p = &c->prog[i];
        const struct offence *o = &c->off[p->off_idx[0]];
        int q_end = p->end == NODATE ? -1 : fin_quarter(p->end);
        int q_out = o->n_out > 0 && o->date != NODATE ? fin_quarter(o->out[0].date) : -1;

        if (p->disposal == D_DTOC) /* a DTO counts through its licence */
            continue;
        for (g = 1; g < NGAP; g++) {
            int q = g == GAP_NO_GRAVITY ? q_out : q_end;

            if (q < 0 || done[q][g] >= GAP_PER_QUARTER)
                continue;
            if (g == GAP_OOCD_NO_DONE && p->disposal > D_YCC)
                continue;
            if (g == GAP_NO_GRAVITY && fin_quarter(p->start) != q) /* in that quarter's return */
                continue;
            if (g == GAP_NO_CONSENT && !victims_of(c, i))
                continue;
            done[q][g]++;
            c->gap[i] = g;
            break;
        }
    }
}

/* Whether the child has a programme with gap G on offence K (K < 0: any offence). */
static int
has_gap(const struct child *c, int g, int k)
{
    int i;

    for (i = 0; i < c->n_prog; i++)
        if (c->gap[i] == g && (k < 0 || c->prog[i].off_idx[0] == k))
            return 1;
    return 0;
}

/* Whether a programme before the I-th has gap G. */
static int
has_gap_before(const struct child *c, int g, int i)
{
    while (--i >= 0)
        if (c->gap[i] == g)
            return 1;
    return 0;
}

/* whole years of age on day */
static int
age_on(int dob, int day)
{
    int y0, m0, d0, y, m, d;

    civil_from_days(dob, &y0, &m0, &d0);
    civil_from_days(day, &y, &m, &d);
    return y - y0 - (m < m0 || (m == m0 && d < d0));
}

/* the child's identity: gender, nationality, religion, language, immigration status */

enum {
    NAT_UK,
    NAT_IE,
    NAT_PL,
    NAT_RO,
    NAT_LT,
    NAT_AF,
    NAT_ER,
    NAT_SY,
    NAT_AL,
    NAT_OT,
    NAT_NK,
    NNAT
};
static const char *const nat_codes[NNAT] = {"UK", "IE", "PL", "RO", "LT", "AF",
                                            "ER", "SY", "AL", "OT", "NK"};
/* nationality weights per ethnicity (eth_codes order), children not seeking asylum alone */
static const int nat_w[][NNAT] = {
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
static const int uasc_nat[] = {0, 0, 0,      0, NAT_AL, 0,      0, 0,      0, 0,
                               0, 0, NAT_AF, 0, NAT_ER, NAT_ER, 0, NAT_AF, 0, 0};
_Static_assert(sizeof(nat_w) / sizeof(nat_w[0]) == sizeof(eth_codes) / sizeof(eth_codes[0]) &&
                   sizeof(uasc_nat) / sizeof(uasc_nat[0]) ==
                       sizeof(eth_codes) / sizeof(eth_codes[0]),
               "one row per ethnicity code");

enum { REL_NON, REL_CHR, REL_MUS, REL_HIN, REL_SIK, REL_JEW, REL_BUD, REL_OTH, REL_NS, NREL };
static const char *const rel_codes[NREL] = {"NON", "CHR", "MUS", "HIN", "SIK",
                                            "JEW", "BUD", "OTH", "NS"};
static const int rel_base_w[NREL] = {365, 150, 45, 3, 3, 2, 2, 20, 410};
static const int rel_pak_w[NREL] = {100, 0, 600, 0, 0, 0, 0, 0, 300};
static const int rel_ind_w[NREL] = {50, 20, 100, 280, 250, 0, 0, 0, 300};
static const int rel_mus_w[NREL] = {20, 0, 830, 0, 0, 0, 0, 0, 150};
static const int rel_er_w[NREL] = {0, 700, 200, 0, 0, 0, 0, 0, 100};
static const int rel_al_w[NREL] = {150, 100, 600, 0, 0, 0, 0, 0, 150};
static const int rel_eu_w[NREL] = {100, 600, 0, 0, 0, 0, 0, 0, 300};

enum {
    LANG_ENG,
    LANG_POL,
    LANG_RON,
    LANG_LIT,
    LANG_PUS,
    LANG_TIR,
    LANG_ARA,
    LANG_SQI,
    LANG_OTH,
    NLANG
};
static const char *const lang_codes[NLANG] = {"ENG", "POL", "RON", "LIT", "PUS",
                                              "TIR", "ARA", "SQI", "OTH"};
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

enum { IMM_NA, IMM_SET, IMM_PRE, IMM_ASY, IMM_UAS, IMM_REF, IMM_OTH, IMM_UNK, NIMM };
static const char *const imm_codes[NIMM] = {"NA", "SET", "PRE", "ASY", "UAS", "REF", "OTH", "UNK"};
static const int imm_eu_w[NIMM] = {0, 600, 350, 0, 0, 0, 0, 50};
static const int imm_asy_w[NIMM] = {0, 150, 0, 350, 0, 350, 100, 50}; /* with their family */
static const int imm_ot_w[NIMM] = {0, 350, 100, 100, 0, 100, 250, 100};
static const int imm_nk_w[NIMM] = {0, 0, 0, 0, 0, 0, 200, 800};

struct identity {
    const char *gender;
    int gender_same; /* -1 NULL */
    int nat, rel, lang, imm;
};

static void
gen_identity(const struct child *c, struct identity *p)
{
    static const int gender_w[] = {970, 10, 5, 15}; /* as sex, NB, O, NS */
    struct rng r;
    int g, uasc;

    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_PERSON);
    g = PICK(&r, gender_w);
    if (c->sex == 2) /* sex not known: gender not stated either */
        g = 3;
    p->gender = g == 0 ? (c->sex == 0 ? "B" : "G") : g == 1 ? "NB" : g == 2 ? "O" : "NS";
    p->gender_same = g == 0 ? 1 : g == 1 ? 0 : g == 2 ? !rng_chance(&r, 200) : -1;

    /* older boys in care of some backgrounds: often seeking asylum alone */
    uasc = c->in_care && c->sex == 0 && age_on(c->dob, c->fc) >= 14 && uasc_nat[c->eth] != 0 &&
           rng_chance(&r, 600);
    if (uasc) {
        p->nat = uasc_nat[c->eth];
        if (p->nat == NAT_AF && rng_chance(&r, 350))
            p->nat = NAT_SY;
        p->imm = IMM_UAS;
    } else {
        p->nat = rng_pick(&r, nat_w[c->eth], NNAT);
        switch (p->nat) {
        case NAT_UK:
        case NAT_IE:
            p->imm = IMM_NA;
            break;
        case NAT_PL:
        case NAT_RO:
        case NAT_LT:
            p->imm = PICK(&r, imm_eu_w);
            break;
        case NAT_AF:
        case NAT_ER:
        case NAT_SY:
        case NAT_AL:
            p->imm = PICK(&r, imm_asy_w);
            break;
        case NAT_OT:
            p->imm = PICK(&r, imm_ot_w);
            break;
        default:
            p->imm = PICK(&r, imm_nk_w);
            break;
        }
    }
    switch (p->nat) {
    case NAT_AF:
    case NAT_SY:
        p->rel = PICK(&r, rel_mus_w);
        break;
    case NAT_ER:
        p->rel = PICK(&r, rel_er_w);
        break;
    case NAT_AL:
        p->rel = PICK(&r, rel_al_w);
        break;
    case NAT_IE:
    case NAT_PL:
    case NAT_RO:
    case NAT_LT:
        p->rel = PICK(&r, rel_eu_w);
        break;
    default:
        p->rel = !strcmp(eth_codes[c->eth], "APKN") || !strcmp(eth_codes[c->eth], "ABAN")
                     ? PICK(&r, rel_pak_w)
                 : !strcmp(eth_codes[c->eth], "AIND") ? PICK(&r, rel_ind_w)
                                                      : PICK(&r, rel_base_w);
        break;
    }
    p->lang = rng_pick(&r, lang_w[p->nat], NLANG);
}

/* the term of an outcome in its natural unit; 0 when it has none */
enum { TERM_NONE, TERM_DAYS, TERM_WEEKS, TERM_MONTHS, TERM_YEARS };

static int
clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* whole months (of 30.4375 days) from d0 to d1, rounded */
static int
months_between(int d0, int d1)
{
    return (int)(((int64_t)(d1 - d0) * 10000 + 152187) / 304375);
}

static int
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

/* court hearings of the child's court cases */

enum { CT_YC, CT_MC, CT_CC };
static const char *const court_type_codes[] = {"YC", "MC", "CC"};
/* [type][other area][4] */
static const char *const court_names[3][2][4] = {
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
static const int court_local_w[3][4] = {{75, 12, 8, 5}, {75, 12, 8, 5}, {70, 30, 0, 0}};

enum { REM_UB, REM_CB, REM_RLA, REM_RYDA, REM_NON };
static const char *const remand_codes[] = {"UB", "CB", "RLA", "RYDA", "NON"};

#define MAX_HEAR 3

struct hearing {
    int64_t id;
    int date, type, name, other, remand;
};

struct court_case {
    int n;        /* hearings dated by the data cut */
    int planned;  /* hearings the case has or will have; the last sentences */
    int remanded; /* remanded at the first hearing */
    struct hearing h[MAX_HEAR];
};

static int
is_custody(int code)
{
    return code == DTO || code == S250 || code == S254 || code == S259;
}

/* the court case of every court-disposed offence (n = 0 for out-of-court ones) */
static void
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

/* the hearing that imposed the court order a programme carries out; 0 if none */
static int64_t
programme_hearing(const struct court_case *cc, const struct programme *p)
{
    const struct court_case *x = &cc[p->off_idx[0]];

    if (p->disposal < D_RO || x->n == 0 || x->n < x->planned)
        return 0;
    return x->h[x->planned - 1].id;
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
    out_str(c->dirty == DIRTY_ETH && opt_unmapped ? "ZZZZ" : eth_codes[c->eth]);
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
    out_str(who.gender);
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

static void
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

static void
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
                out_str(m->residence_other ? "O" : "L");
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

static void
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
        out_str("\tYC\tf\t\\N\t\\N\n");
    }
}

static void
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
    out[k].suit = "S";
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
    static const char *const young[] = {"SCH", "STC"};
    static const int young_w[] = {65, 35};
    static const char *const older[] = {"YOI", "SCH", "STC"};
    static const int older_w[] = {70, 18, 12};
    struct court_case cc[MAX_OFF];
    int k, j;

    gen_court(c, cc);
    for (k = 0; k < c->n_off; k++) {
        const struct offence *o = &c->off[k];
        const struct court_case *x = &cc[k];
        int a = NODATE, b = NODATE, cust = o->n_out > 0 && is_custody(o->out[0].code);
        const char *type;

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
        type = age_on(c->dob, a) < 15 || c->sex == 1 ? young[PICK(r, young_w)]
                                                     : older[PICK(r, older_w)];
        n = add_secure(e, n, a, b, type);
    }
    return n;
}

static void
accommodation_rows(const struct child *c)
{
    static const char *const home[] = {"PAR", "FAM", "FRI", "IND", "SUP", "TMP", "BAH",
                                       "HOS", "TRV", "BNB", "NFA", "UNK", "OTH"};
    static const int home_w[] = {730, 105, 30, 30, 25, 15, 5, 3, 5, 5, 5, 17, 25};
    static const char *const care[] = {"FCL", "FCP", "RUL", "RUP", "RUS", "SUP", "FAM", "BNB"};
    static const int care_w[] = {30, 25, 15, 15, 2, 8, 4, 1};
    static const char *const suit[] = {"S", "U", "K"};
    static const int suit_w[] = {88, 8, 4};
    struct episode e[MAX_EPISODE];
    struct rng r;
    int n = 0, i, start, end, last = child_last_day(c), episodes = 0;

    rng_init(&r, opt_seed, (uint64_t)c->id, 1);
    if (rng_chance(&r, 900)) {
        episodes = 1 + rng_below(&r, 3);
        start = c->fc - rng_range(&r, 0, 400);
    }
    for (i = 0; i < episodes; i++) {
        const char *type = c->in_care ? care[PICK(&r, care_w)] : home[PICK(&r, home_w)];
        const char *s = suit[PICK(&r, suit_w)];

        if (!strcmp(type, "BNB") || !strcmp(type, "NFA") || !strcmp(type, "UNK"))
            s = "U";
        end = i == episodes - 1 ? NODATE : start + rng_range(&r, 30, 500);
        if (end != NODATE && end >= last)
            end = NODATE;
        if (start > DATA_END)
            break;
        e[n].start = start;
        e[n].end = end;
        e[n].type = type;
        e[n].suit = s;
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
        episode_row(c->id * 10 + 9, c->id, c->fc, c->fc + 90, "PAR", "S");
        out_nl();
    }
}

static void
row_accommodation(const struct child *c)
{
    int start = c->fc - c->def_n[0], i;

    accommodation_rows(c);
    if (c->defect == DEF_EPISODE_ENDS) {
        episode_row(c->id * 10 + 8, c->id, start, start - c->def_n[1], "PAR", "S");
        out_nl();
    } else if (c->defect == DEF_MISSING) {
        episode_row(c->id * 10 + 7, c->id, start, start + 30 + c->def_n[1], "PAR", NULL);
        out_nl();
    }
    for (i = 0; i < c->n_prog; i++)
        if (c->gap[i] == GAP_ACCOM_NO_SUIT) {
            episode_row(c->id * 10 + 6, c->id, c->prog[i].start, c->prog[i].end, "TMP", NULL);
            out_nl();
            break;
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

/* Hours a week offered by an ETE provision: part-time provisions below the full-time
 * threshold (25 school age, 16 above), full-time school and alternative provision 25-32,
 * college 16-24, employment, apprenticeships and traineeships 25-37. */
static int
ete_offered(struct rng *r, const char *prov, int school)
{
    int full = school ? 25 : 16;

    if (!strcmp(prov, "NON"))
        return 0;
    if (!strcmp(prov, "SPT") || !strcmp(prov, "PRP") || !strcmp(prov, "AOP") ||
        !strcmp(prov, "PTE") || !strcmp(prov, "VOL") || !strcmp(prov, "MEN") ||
        !strcmp(prov, "EHE") || !strcmp(prov, "REP") || !strcmp(prov, "SIN"))
        return rng_range(r, 3, full - 1);
    if (!strcmp(prov, "COL") || !strcmp(prov, "UNI") || !strcmp(prov, "OTH"))
        return rng_range(r, school ? 25 : 16, school ? 30 : 24);
    if (!strcmp(prov, "FTE") || !strcmp(prov, "APP") || !strcmp(prov, "TRS") ||
        !strcmp(prov, "SEL"))
        return rng_range(r, 25, 37);
    return rng_range(r, full, full + 7);
}

static void
ete_rows(const struct child *c)
{
    static const char *const sch[] = {"SFT", "SPT", "EHE", "PRF", "PRP", "AOF",
                                      "AOP", "ALT", "REP", "MEN", "OTH", "NON"};
    static const int sch_w[] = {480, 80, 40, 70, 40, 40, 30, 40, 20, 10, 15, 150};
    static const char *const abv[] = {"COL", "UNI", "REP", "TRS", "APP", "SIN",
                                      "FTE", "PTE", "SEL", "VOL", "OTH", "NON"};
    static const int abv_w[] = {320, 3, 60, 5, 100, 5, 70, 70, 10, 15, 50, 270};
    static const char *const suit[] = {"S", "U", "K"};
    static const int suit_w[] = {83, 12, 5};
    struct rng r;
    int n, i, start, end, last = child_last_day(c), stop = NODATE;

    for (i = 0; i < c->n_prog && stop == NODATE; i++)
        if (c->gap[i] == GAP_NO_ETE_END)
            stop = c->prog[i].start;
    rng_init(&r, opt_seed, (uint64_t)c->id, 2);
    if (!rng_chance(&r, 980))
        return;
    n = 1 + rng_below(&r, 3);
    start = c->fc - rng_range(&r, 0, 300);
    for (i = 0; i < n && start <= DATA_END; i++) {
        int school = school_age(c, start);
        const char *prov = school ? sch[PICK(&r, sch_w)] : abv[PICK(&r, abv_w)];
        const char *s = suit[PICK(&r, suit_w)];
        int offered = ete_offered(&r, prov, school), attended;

        if (!strcmp(prov, "NON"))
            s = "U";
        attended = offered * rng_range(&r, 30, 100) / 100;
        end = i == n - 1 ? NODATE : start + rng_range(&r, 60, 400);
        if (end != NODATE && end >= last)
            end = NODATE;
        if (stop != NODATE && start >= stop)
            break;
        if (stop != NODATE && (end == NODATE || end >= stop))
            end = stop - 1; /* --dirty: nothing recorded from STOP on */
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

/* an extra ETE episode of a dirty child: id child*10+K, from START, suitability SUIT, hours
 * OFFERED and ATTENDED (-1: not recorded) */
static void
ete_defect_row(const struct child *c, int k, int start, int end, const char *suit, int offered,
               int attended)
{
    episode_row(c->id * 10 + k, c->id, start, end, school_age(c, start) ? "SFT" : "COL", suit);
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

static void
row_ete(const struct child *c)
{
    int start = c->fc - c->def_n[0], offered = 10 + c->def_n[2] % 10, i;

    ete_rows(c);
    if (c->defect == DEF_EPISODE_ENDS)
        ete_defect_row(c, 8, start, start - c->def_n[1], "S", 25, 20);
    else if (c->defect == DEF_NUMBERS)
        ete_defect_row(c, 7, start, start + 60 + c->def_n[1], "S", offered,
                       offered + 1 + c->def_n[3] % 8);
    else if (c->defect == DEF_MISSING)
        ete_defect_row(c, 6, start, start + 30 + c->def_n[2], NULL, 25, 20);
    for (i = 0; i < c->n_prog; i++) /* the first programme with each gap */
        if (c->gap[i] == GAP_ETE_NO_SUIT && !has_gap_before(c, GAP_ETE_NO_SUIT, i))
            ete_defect_row(c, 5, c->prog[i].start, c->prog[i].end, NULL, 25, 20);
        else if (c->gap[i] == GAP_ETE_NO_HOURS && !has_gap_before(c, GAP_ETE_NO_HOURS, i))
            ete_defect_row(c, 4, c->prog[i].start, c->prog[i].end, "S", -1, -1);
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
    int k = 0, adult = add_years(c->dob, 18), start, i;

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
    /* an early help referral the YJS makes during an order (not for children in care) */
    for (i = 0; i < c->n_prog && !c->in_care; i++) {
        const struct programme *p = &c->prog[i];

        if (p->disposal == D_DTOC || !rng_chance(&r, 80))
            continue;
        start = p->start + rng_range(&r, 14, 60);
        if (p->end != NODATE && start > p->end)
            start = p->start + (p->end - p->start) / 2;
        care_row(c->id * 10 + ++k, c->id, "EHP", start,
                 rng_chance(&r, 600) ? start + rng_range(&r, 90, 365) : NODATE);
        break;
    }
    if (c->defect == DEF_EPISODE_ENDS)
        care_row(c->id * 10 + 8, c->id, "CIN", c->fc - c->def_n[0],
                 c->fc - c->def_n[0] - c->def_n[1]);
}

static void
send_aln_rows(const struct child *c)
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
row_send_aln(const struct child *c)
{
    int start = c->fc - c->def_n[0];

    send_aln_rows(c);
    if (has_gap(c, GAP_SEND_NO_PLAN, -1)) { /* identified, the plan not recorded */
        out_u64((uint64_t)(c->id * 10 + 3));
        out_tab();
        out_u64((uint64_t)c->id);
        out_str("\tt\t\\N\t\\N\t");
        out_date(c->fc - 200);
        out_str("\t\\N\n");
    }
    if (c->defect != DEF_EPISODE_ENDS)
        return;
    out_u64((uint64_t)(c->id * 10 + 2));
    out_tab();
    out_u64((uint64_t)c->id);
    out_str("\tt\tf\t\\N\t");
    out_date(start);
    out_tab();
    out_date(start - c->def_n[1]);
    out_nl();
}

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
    out_str("\tt\t");
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

static void
row_mh_screening(const struct child *c)
{
    static const char *const codes[] = {"ADV", "HLP", "AHP", "RSK", "NON"};
    static const int w[] = {30, 40, 20, 10};

    screening_rows(c, 5, 750, 550, 150, codes, w, 5, GAP_MH_NO_TYPE);
    screening_defect_row(c, "HLP");
}

static void
row_sm_screening(const struct child *c)
{
    static const char *const codes[] = {"TGT", "SPC", "CCX", "NON"};
    static const int w[] = {55, 30, 15};

    screening_rows(c, 6, 600, 400, 100, codes, w, 4, GAP_SM_NO_TYPE);
    screening_defect_row(c, "TGT");
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
            int view, rj, pprov, sprov;

            out_u64((uint64_t)(o->id * 10 + j + 1));
            out_tab();
            out_u64((uint64_t)c->id);
            out_tab();
            out_u64((uint64_t)o->id);
            out_tab();
            out_str(types[PICK(&r, type_w)]);
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

static void
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

static void
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

static void
row_police_bail(const struct child *c)
{
    static const char *const codes[] = {"PB", "PBC", "RUI"};
    static const int bail_one_w[] = {25, 35, 40};
    static const int bail_first_w[] = {40, 60, 0};
    static const int bail_second_w[] = {0, 50, 50};
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
            bail_row(c, o, 1, codes[code], start, end);
            continue;
        }
        mid = start + rng_range(&r, 1, (limit - start) / 2);
        code = PICK(&r, bail_first_w);
        bail_row(c, o, 1, codes[code], start, mid);
        if (mid + 1 > DATA_END)
            continue;
        code = PICK(&r, bail_second_w);
        end = rng_range(&r, mid + 1, limit - 1);
        bail_row(c, o, 2, codes[code], mid + 1, end);
    }
    if (c->defect == DEF_RECORD_ENDS && c->def_off >= 0) {
        const struct offence *o = &c->off[c->def_off];

        bail_row(c, o, 9, "RUI", o->date, o->date - c->def_n[3]);
    }
}

static void
row_requirement(const struct child *c)
{
    enum { SUP, UPW, CUR, ACT, PRG, EXC, ISS, ATC, MHT, DRT, EDU, NREQ };
    static const char *const codes[NREQ] = {"SUP", "UPW", "CUR", "ACT", "PRG", "EXC",
                                            "ISS", "ATC", "MHT", "DRT", "EDU"};
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
                w[UPW] = 0;
            n = 1 + PICK(&r, n_w);
            for (q = 1; q <= n; q++) {
                int code = rng_pick(&r, w, NREQ), term = months, hours = 0, done = 0;

                w[code] = 0; /* each requirement once */
                switch (code) {
                case SUP:
                    break;
                case UPW:
                case CUR:
                    term = rng_range(&r, months < 4 ? months : 4, months < 12 ? months : 12);
                    break;
                case ISS:
                    term = months < 6 ? months : 6;
                    break;
                default:
                    term = rng_range(&r, 3, months);
                    break;
                }
                if (code == UPW) {
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
                out_str(codes[code]);
                out_tab();
                out_u64((uint64_t)term);
                out_tab();
                if (code == UPW) {
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
        out_str("\tUPW\t6\t");
        out_u64((uint64_t)hours);
        out_tab();
        out_u64((uint64_t)(hours + c->def_n[1]));
        out_nl();
    }
}

static void
row_parenting_intervention(const struct child *c)
{
    static const char *const types[] = {"PO", "PC", "VOL"};
    static const int par_court_w[] = {30, 20, 50};
    static const int par_oocd_w[] = {0, 40, 60};
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
        out_str(types[type]);
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
        out_str("\t\\N\tVOL\t");
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

static void
row_transfer(const struct child *c)
{
    struct rng r;
    int i, j, last = NODATE, open = 0, day;

    rng_init(&r, opt_seed, (uint64_t)c->id, STREAM_TRANSFER);
    if (c->transfer) /* originating_yot_person_id is set */
        transfer_row(c->id * 10 + 1, c->id, c->fc - rng_range(&r, 0, 21), "IN",
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
            c->id * 10 + 2, c->id, day, "OUT",
            transfer_from[rng_below(&r, (int)(sizeof(transfer_from) / sizeof(*transfer_from)))]);
}

/* One board_attendance row. */
static void
board_row(int64_t id, const char *quarter, int meeting, const char *sector, int attended,
          int senior, int new_partner)
{
    out_u64((uint64_t)id);
    out_tab();
    out_str(quarter);
    out_tab();
    out_date(meeting);
    out_tab();
    out_str(sector);
    out_tab();
    out_bool(attended);
    out_tab();
    out_bool(senior);
    out_tab();
    out_bool(new_partner);
    out_nl();
}

/* The board: stream 100 draws what it always drew (meeting days, attended, senior); the later
 * new_partner_flag and OTH rows draw from stream 102 only, so the older columns keep their
 * values. */
static void
write_board_attendance(void)
{
    static const char *const sectors[] = {"CSC", "EDU", "POL", "PRB", "HLT"};
    static const int senior_pm[] = {900, 750, 850, 800, 650};
    struct rng r, rn;
    int fy, q, s, dirty_meeting = NODATE;
    int64_t id = 0;
    char quarter[16];

    rng_init(&r, opt_seed, 0, 100);
    rng_init(&rn, opt_seed, 0, 102);
    copy_begin("board_attendance",
               "board_attendance_id, quarter, meeting_date, sector_cd, attended_flag, "
               "senior_flag, new_partner_flag");
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
            if (fy == 2024 && q == 4)
                dirty_meeting = meeting;
            for (s = 0; s < 5; s++) {
                int attended = rng_chance(&r, 920);
                int senior = attended && rng_chance(&r, senior_pm[s]);

                board_row(++id, quarter, meeting, sectors[s], attended, senior,
                          attended && rng_chance(&rn, 75));
            }
            /* another partner, e.g. a voluntary sector representative, now and then */
            if (rng_chance(&rn, 330))
                board_row(++id, quarter, meeting, "OTH", 1, rng_chance(&rn, 500),
                          rng_chance(&rn, 200));
        }
    if (opt_dirty && dirty_meeting != NODATE)
        board_row(++id, "2024Q4", dirty_meeting, "XXX", 1, 0, 0);
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
     "originating_yot_person_id, gender_cd, gender_same_flag, nationality_cd, religion_cd, "
     "language_cd, immigration_cd",
     row_young_person},
    {"offence",
     "offence_id, yp_id, offence_date, arrest_date, description, postcode_district, cjs_code, "
     "plea_cd, category_cd, gravity, knife_flag",
     row_offence},
    {"outcome",
     "outcome_id, offence_id, yp_id, outcome_date, outcome_end_date, outcome_cd, main_flag, "
     "appeal_cd, residence_cd, term_days, term_weeks, term_months, term_years",
     row_outcome},
    {"programme",
     "programme_id, yp_id, start_date, end_date, disposal_cd, victim_flag, completed_flag, "
     "hearing_id",
     row_programme},
    {"programme_offence", "programme_id, offence_id, yp_id", row_programme_offence},
    {"hearing", "hearing_id, yp_id, hearing_date, court_type_cd, court_name, remand_cd",
     row_hearing},
    {"hearing_offence", "hearing_id, offence_id, yp_id", row_hearing_offence},
    {"sentence_proposal", "proposal_id, hearing_id, yp_id, proposal_cd", row_sentence_proposal},
    {"police_bail", "police_bail_id, yp_id, offence_id, bail_cd, start_date, end_date",
     row_police_bail},
    {"requirement",
     "requirement_id, outcome_id, yp_id, requirement_cd, term_months, upw_hours_mandated, "
     "upw_hours_completed",
     row_requirement},
    {"parenting_intervention",
     "parenting_id, yp_id, programme_id, type_cd, start_date, sessions_planned, "
     "sessions_attended",
     row_parenting_intervention},
    {"transfer", "transfer_id, yp_id, transfer_date, direction_cd, other_service", row_transfer},
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
            "usage: yj-gen --seed S --children N [--dirty [--unmapped]]\n"
            "Write a psql script of COPY blocks filling the cms warehouse with N synthetic\n"
            "children (ids 1..N, N from %d to %d), deterministic for a given seed.\n"
            "  --seed S       unsigned 64-bit seed\n"
            "  --children N   number of children\n"
            "  --dirty        give about 2%% of children defects: a missing offence date,\n"
            "                 an overlapping programme or accommodation, and records that\n"
            "                 break the business rules of rules.conf (the return still\n"
            "                 transforms; yj-validate reports them), and one 2024Q4 board\n"
            "                 attendance row of the unknown sector XXX\n"
            "  --unmapped     with --dirty: also unmapped local codes (ethnicity ZZZZ,\n"
            "                 outcome XX9), which make yj-transform fail\n"
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
    static int gaps_done[NQUARTER][NGAP]; /* --dirty: gaps given so far, per quarter */
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
        } else if (!strcmp(argv[i], "--unmapped")) {
            opt_unmapped = 1;
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
    if (opt_unmapped && !opt_dirty) {
        fprintf(stderr, "yj-gen: --unmapped needs --dirty\n");
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
    out_str(opt_unmapped ? ", dirty, unmapped\n" : opt_dirty ? ", dirty\n" : "\n");
    out_str("SET client_min_messages = warning;\n");
    for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
        int ndirty = 0; /* dirty children so far, in id order */

        memset(gaps_done, 0, sizeof(gaps_done));
        copy_begin(tables[t].name, tables[t].cols);
        for (id = 1; id <= opt_children; id++) {
            gen_core(c, id);
            if (c->dirty)
                gen_defect(c, ndirty++);
            if (opt_dirty)
                gen_gaps(c, gaps_done);
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
