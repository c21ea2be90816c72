/*
 * test_indicators.c - the board pack's local national indicators (etl/report/board_ind*.c),
 * each on a small return built here, every figure worked by hand in the comments.
 *
 * The return is period 2025Q1 (2025-04-01..2025-06-30). With 2 quarters the tables hold
 * 2024Q4 (2025-01-01..2025-03-31) and 2025Q1; with 8, 2023Q2 to 2025Q1. The population
 * (staged/service/population_group.tsv) of 2022 and 2023 is 12,000 (White 9,500), of 2024
 * 12,500 (White 10,000); every year Black 1,200, Mixed 600, Asian 500, Other 200. A quarter's
 * rates divide by the population of the year before its financial year (2024Qn: 2023).
 */
#include "../kpi/kret.h"
#include "../kpi/kxml.h"

#include "board_ind_int.h"
#include "board_indicators.h"

#include <fcntl.h>
#include <math.h>
#include <unistd.h>

TestSuite(indicators, .fini = kret_fini);

#define PERSON_E(ypid, eth)                                                                        \
    "<person><ypid>" ypid "</ypid><dateOfBirth>2009-01-01</dateOfBirth><ethnicity>" eth            \
    "</ethnicity></person>\n"
#define COMMITTED(d) "<offenceDate>" d "</offenceDate>"
#define ENDS(d) "<outcomeEndDate>" d "</outcomeEndDate>"

#define POP_YEAR_OTHER(y, white_young, other_young, other_old)                                     \
    y "\t10-14\tW\t" white_young "\n" y "\t15-17\tW\t4000\n" y "\t10-14\tB\t700\n" y               \
      "\t15-17\tB\t500\n" y "\t10-14\tM\t400\n" y "\t15-17\tM\t200\n" y "\t10-14\tA\t300\n" y      \
      "\t15-17\tA\t200\n" y "\t10-14\tO\t" other_young "\n" y "\t15-17\tO\t" other_old "\n"
#define POP_YEAR(y, white_young) POP_YEAR_OTHER(y, white_young, "100", "100")
static const char population[] =
    POP_YEAR("2022", "5500") POP_YEAR("2023", "5500") POP_YEAR("2024", "6000");

/* staged/ holding service/population_group.tsv (ROWS under yj-extract's header) and a
 * MANIFEST listing it. */
static void
ind_staged(struct kret *k, const char *rows)
{
    static const char h[] = "year\tage_band\tethnicity_group\theadcount\n";
    struct manifest m;
    char *svc, *text;
    size_t n = strlen(h) + strlen(rows) + 1;

    k->staged = ut_path(k->dir, "staged");
    svc = ut_path(k->staged, "service");
    cr_assert_eq(mkdir(k->staged, 0755), 0);
    cr_assert_eq(mkdir(svc, 0755), 0);
    free(svc);
    manifest_init(&m);
    manifest_set(&m, "stage", "extract");
    manifest_set(&m, "period", KRET_PERIOD);
    text = malloc(n);
    snprintf(text, n, "%s%s", h, rows);
    kret_add(&m, k->staged, "service/population_group.tsv", text, kret_lines(rows));
    free(text);
    kret_write_manifest(&m, k->staged);
    manifest_release(&m);
}

static int
ind_run_at(struct kret *k, const char *period, unsigned quarters, struct board_data *d)
{
    struct board_sources s = {k->maps, period, k->ret, k->staged, k->out, quarters, 5.0};

    memset(d, 0, sizeof(*d));
    yj_error_init(&k->err);
    return board_indicators(&s, d, &k->err);
}

static int
ind_run(struct kret *k, unsigned quarters, struct board_data *d)
{
    return ind_run_at(k, KRET_PERIOD, quarters, d);
}

/* The return of CHILDREN and the population; runs and writes the CSVs, or fails the test. */
static void
ind_run_ok(struct kret *k, unsigned quarters, const char *children)
{
    struct board_data d;
    int rc;

    kret_return(k, children);
    ind_staged(k, population);
    rc = ind_run(k, quarters, &d);
    cr_assert_eq(rc, YJ_OK, "board_indicators: %d %s", rc, k->err.message);
    cr_assert_str_eq(d.period, "2025Q1");
    cr_assert_str_eq(d.yot, "MEDWAY");
    cr_assert_eq(board_indicators_write(k->out, &d, &k->err), YJ_OK, "%s", k->err.message);
    board_data_free(&d);
}

/* A: a caution in 2024Q4, then a referral order in 2025Q1: an entrant in 2024Q4 only.
 * B: a community resolution (Diversion in the bundle's table, though the return sends
 * Pre-Court) in 2024Q4, then a caution in 2025Q1: an entrant in 2025Q1.
 * C: a caution in 2023 (before the tables), then a referral order in 2025Q1: never. */
Test(indicators, a_first_outcome_counts_as_a_first_time_entrant_once_and_never_again)
{
    struct kret k;

    kret_init(&k);
    ind_run_ok(
        &k, 2,
        CHILD(PERSON_E("YPK0001", "W1") OFFENCE(
            "A1", ARREST_AGE("14") OUTCOME("2025-01-15", "YOUTH_CAUTION", "Pre-Court"))
                  OFFENCE("A2",
                          HEARING_AGE("14") OUTCOME("2025-05-01", "REFERRAL_ORDER", "First-tier")))
            CHILD(PERSON_E("YPK0002", "B1") OFFENCE(
                "B1", ARREST_AGE("15") OUTCOME("2025-02-01", "COMMUNITY_RESOLUTION", "Pre-Court"))
                      OFFENCE("B2",
                              ARREST_AGE("15") OUTCOME("2025-04-20", "YOUTH_CAUTION", "Pre-Court")))
                CHILD(PERSON_E("YPK0003", "W1") OFFENCE(
                    "C1", ARREST_AGE("13") OUTCOME("2023-06-01", "YOUTH_CAUTION", "Pre-Court"))
                          OFFENCE("C2", HEARING_AGE("15") OUTCOME("2025-05-10", "REFERRAL_ORDER",
                                                                  "First-tier"))));
    /* 2024Q4: 1 of 12,000 (2023) = 8.3333 per 100,000; 2025Q1: 1, and 2 in the rolling year,
     * of 12,500 (2024) = 8 and 16 */
    kret_assert_file(&k, "fte.csv",
                     "period,basis,entrants,population_year,population,rate_per_100000\n"
                     "2024Q4,quarter,1,2023,12000,8.3333\n"
                     "2024Q4,rolling_year,1,2023,12000,8.3333\n"
                     "2025Q1,quarter,1,2024,12500,8.0000\n"
                     "2025Q1,rolling_year,2,2024,12500,16.0000\n");
    kret_assert_grep(&k, "cases.csv", "^fte,",
                     "fte,quarter,2024Q4,White,YPK0001,offenceLegalOutcome,offence A1 "
                     "offenceLegalOutcome[1]\n"
                     "fte,quarter,2025Q1,Black,YPK0002,offenceLegalOutcome,offence B2 "
                     "offenceLegalOutcome[1]\n");
    /* the rolling year: White 1 and Black 1 of 2 (50% each) against 80% and 9.6% of the
     * population; Black's RRI (1/1,200) / (1/10,000) = 8.3333, log SE
     * sqrt(1 - 1/1200 + 1 - 1/10000) = 1.41388, 8.3333 * exp(-+1.96 * 1.41388) = 0.5216 and
     * 133.1499; no one of the other groups: RRI 0, no interval on the log scale */
    kret_assert_grep(&k, "disproportionality.csv", "^2025Q1,fte,",
                     "2025Q1,fte,White,1,10000,50.0000,80.0000,-30.0000,1.0000,,\n"
                     "2025Q1,fte,Mixed,0,600,0.0000,4.8000,-4.8000,0.0000,,\n"
                     "2025Q1,fte,Asian,0,500,0.0000,4.0000,-4.0000,0.0000,,\n"
                     "2025Q1,fte,Black,1,1200,50.0000,9.6000,40.4000,8.3333,0.5216,133.1499\n"
                     "2025Q1,fte,Other,0,200,0.0000,1.6000,-1.6000,0.0000,,\n"
                     "2025Q1,fte,Not stated,0,0,,,,,,\n");
    kret_release(&k);
}

/* D: a first outcome with residence OTHER hides the child (the YJB's SQL tests the residence
 * after choosing the first outcome), though a local referral order follows.
 * E: a first outcome changed on appeal is not an outcome: the YRO after it is the first. */
Test(indicators, an_outcome_changed_on_appeal_or_of_residence_other_is_no_first_entry)
{
    struct kret k;

    kret_init(&k);
    ind_run_ok(
        &k, 2,
        CHILD(PERSON_E("YPK0004", "W1")
                  OFFENCE("D1", ARREST_AGE("15") OUTCOME_X("2025-04-10", "", "YOUTH_CAUTION",
                                                           "Pre-Court", LIVED("OTHER")))
                      OFFENCE("D2", HEARING_AGE("15")
                                        OUTCOME("2025-05-01", "REFERRAL_ORDER", "First-tier")))
            CHILD(PERSON_E("YPK0005", "W2") OFFENCE(
                "E1", HEARING_AGE("15") OUTCOME_X("2025-04-05", APPEAL("CHANGED_ON_APPEAL"),
                                                  "REFERRAL_ORDER", "First-tier", LIVED("LOCAL")))
                      OFFENCE("E2", HEARING_AGE("15") OUTCOME(
                                        "2025-05-20", "YOUTH_REHABILITATION_ORDER", "Community"))));
    kret_assert_grep(&k, "fte.csv", "^2025Q1,quarter,", "2025Q1,quarter,1,2024,12500,8.0000\n");
    kret_assert_grep(&k, "cases.csv", "^fte,",
                     "fte,quarter,2025Q1,White,YPK0005,offenceLegalOutcome,offence E2 "
                     "offenceLegalOutcome[1]\n");
    kret_release(&k);
}

/* F: a DTO (custody) linked to its custody and licence programmes, and a referral order the
 * same day: 2 court outcomes, 1 custodial, counted once. G: a YRO (court, not custodial).
 * H: a custodial sentence at 18 on the first hearing: not a child's. 2025Q1: 3 court
 * outcomes, 1 custodial = 33.3333%, 1 per 12,500 = 0.08 per 1,000, target 5%. */
Test(indicators, a_custodial_outcome_counts_once)
{
    struct kret k;

    kret_init(&k);
    ind_run_ok(&k, 2,
               CHILD(PERSON_E("YPK0006", "B2") OFFENCE(
                   "F1", HEARING_AGE("16") CATEGORY("ROBBERY")
                             OUTCOME("2025-05-01", "DETENTION_AND_TRAINING_ORDER", "Custody"))
                         OFFENCE("F2", HEARING_AGE("16") CATEGORY("THEFT_AND_HANDLING_STOLEN_GOODS")
                                           OUTCOME("2025-05-01", "REFERRAL_ORDER", "First-tier"))
                             PROGRAMME("P1", "2025-05-01", "2025-08-01", "DTO_CUSTODY", "")
                                 PROGRAMME("P2", "2025-08-01", "2025-11-01", "DTO_LICENCE", "")
                                     LINK("F1", "P1") LINK("F1", "P2"))
                   CHILD(PERSON_E("YPK0007", "W1") OFFENCE(
                       "G1", HEARING_AGE("17") CATEGORY("ROBBERY")
                                 OUTCOME("2025-06-01", "YOUTH_REHABILITATION_ORDER", "Community")))
                       CHILD(PERSON_E("YPK0008", "W1")
                                 OFFENCE("H1", HEARING_AGE("18") CATEGORY("ROBBERY") OUTCOME(
                                                   "2025-05-02", "SECTION_250", "Custody"))));
    kret_assert_file(&k, "custody.csv",
                     "period,basis,court_outcomes,custodial,share_pct,population_year,population,"
                     "rate_per_1000,target_pct\n"
                     "2024Q4,quarter,0,0,,2023,12000,0.0000,5.0000\n"
                     "2024Q4,rolling_year,0,0,,2023,12000,0.0000,5.0000\n"
                     "2025Q1,quarter,3,1,33.3333,2024,12500,0.0800,5.0000\n"
                     "2025Q1,rolling_year,3,1,33.3333,2024,12500,0.0800,5.0000\n");
    kret_assert_grep(&k, "cases.csv", "^custodial,",
                     "custodial,quarter,2025Q1,Black,YPK0006,offenceLegalOutcome,offence F1 "
                     "offenceLegalOutcome[1]\n");
    /* each disposal's robberies: all of its outcomes */
    kret_assert_grep(&k, "offence_types.csv", "ROBBERY",
                     "2025Q1,Community,ROBBERY,1,100.0000\n"
                     "2025Q1,Custody,ROBBERY,1,100.0000\n");
    /* no White child in custody: no rate to compare with */
    kret_assert_grep(&k, "disproportionality.csv", "^2025Q1,custody,Black,",
                     "2025Q1,custody,Black,1,1200,100.0000,9.6000,90.4000,,,\n");
    kret_release(&k);
}

/* 8 quarters: cohorts 2023Q2 to 2025Q1. G and H: cautioned 2023-07-10 (cohort 2023Q2).
 * G's offence of 2024-07-09 (day 365; 2024 is a leap year) counts, that of 2024-07-10 (day
 * 366) does not. H's offence proven 2025-01-08 (day 548 = 365 + 183) counts, that proven
 * 2025-01-09 (day 549) does not. J: a DTO of 2023-05-01 (2023Q1), released 2023-08-15: in
 * cohort 2023Q2 by the release. 2023Q2: 3 children, 2 reoffenders, 2 reoffences = 66.6667%,
 * 1 per reoffender, 0.6667 per child. G's referral orders (2024-09-01) put G in 2024Q2 and
 * H's cautions (2025-01-08) H in 2024Q4, with nothing after. I: cautioned 2025-04-15,
 * reoffends 2025-05-01 (2025Q1). Final: the cohort's last day + 365 + 183 days on or before
 * 2025-06-30 (the period's end; the as-of day 2025-07-02 is later): 2023Q2 (ends 2023-09-30,
 * + 548 = 2025-03-31) is, 2023Q3 (ends 2023-12-31, + 548 = 2025-07-01) is not. */
Test(indicators, reoffending_windows_and_open_cohorts)
{
    struct kret k;

    kret_init(&k);
    ind_run_ok(
        &k, 8,
        CHILD(PERSON_E("YPK0010", "W1")
                  OFFENCE("G1", ARREST_AGE("15") COMMITTED("2023-06-01")
                                    OUTCOME("2023-07-10", "YOUTH_CAUTION", "Pre-Court"))
                      OFFENCE("G2", HEARING_AGE("16") COMMITTED("2024-07-09")
                                        OUTCOME("2024-09-01", "REFERRAL_ORDER", "First-tier"))
                          OFFENCE("G3", HEARING_AGE("16") COMMITTED("2024-07-10")
                                            OUTCOME("2024-09-01", "REFERRAL_ORDER", "First-tier")))
            CHILD(PERSON_E("YPK0011", "W1")
                      OFFENCE("H1", ARREST_AGE("15") COMMITTED("2023-06-20")
                                        OUTCOME("2023-07-10", "YOUTH_CAUTION", "Pre-Court"))
                          OFFENCE("H2", ARREST_AGE("15") COMMITTED("2023-12-01")
                                            OUTCOME("2025-01-09", "YOUTH_CAUTION", "Pre-Court"))
                              OFFENCE("H3", ARREST_AGE("15") COMMITTED("2024-01-10") OUTCOME(
                                                "2025-01-08", "YOUTH_CAUTION", "Pre-Court")))
                CHILD(PERSON_E("YPK0012", "B1")
                          OFFENCE("I1", ARREST_AGE("14") COMMITTED("2025-04-01")
                                            OUTCOME("2025-04-15", "YOUTH_CAUTION", "Pre-Court"))
                              OFFENCE("I2", ARREST_AGE("14") COMMITTED("2025-05-01")
                                                OUTCOME("2025-06-01", "YOUTH_CONDITIONAL_CAUTION",
                                                        "Pre-Court")))
                    CHILD(PERSON_E("YPK0013", "W1")
                              OFFENCE("J1", HEARING_AGE("16") COMMITTED("2023-03-01") OUTCOME_X(
                                                "2023-05-01", "", "DETENTION_AND_TRAINING_ORDER",
                                                "Custody", LIVED("LOCAL") ENDS("2023-08-15")))));
    kret_assert_file(&k, "reoffending.csv",
                     "cohort,final,children,reoffenders,reoffences,binary_pct,per_reoffender,"
                     "per_child\n"
                     "2023Q2,yes,3,2,2,66.6667,1.0000,0.6667\n"
                     "2023Q3,no,0,0,0,,,\n"
                     "2023Q4,no,0,0,0,,,\n"
                     "2024Q1,no,0,0,0,,,\n"
                     "2024Q2,no,1,0,0,0.0000,,0.0000\n"
                     "2024Q3,no,0,0,0,,,\n"
                     "2024Q4,no,1,0,0,0.0000,,0.0000\n"
                     "2025Q1,no,1,1,1,100.0000,1.0000,1.0000\n");
    kret_assert_grep(&k, "cases.csv", "^reoffence,",
                     "reoffence,cohort,2023Q2,White,YPK0010,offence,G2\n"
                     "reoffence,cohort,2023Q2,White,YPK0011,offence,H3\n"
                     "reoffence,cohort,2025Q1,Black,YPK0012,offence,I2\n");
    /* the cohorts of each child: its first index event of the quarter; J's by its release */
    kret_assert_grep(
        &k, "cases.csv", "^reoffending_cohort,",
        "reoffending_cohort,cohort,2023Q2,White,YPK0010,offenceLegalOutcome,offence G1 "
        "offenceLegalOutcome[1]\n"
        "reoffending_cohort,cohort,2024Q2,White,YPK0010,offenceLegalOutcome,offence G2 "
        "offenceLegalOutcome[1]\n"
        "reoffending_cohort,cohort,2023Q2,White,YPK0011,offenceLegalOutcome,offence H1 "
        "offenceLegalOutcome[1]\n"
        "reoffending_cohort,cohort,2024Q4,White,YPK0011,offenceLegalOutcome,offence H3 "
        "offenceLegalOutcome[1]\n"
        "reoffending_cohort,cohort,2025Q1,Black,YPK0012,offenceLegalOutcome,offence I1 "
        "offenceLegalOutcome[1]\n"
        "reoffending_cohort,cohort,2023Q2,White,YPK0013,offenceLegalOutcome,offence J1 "
        "offenceLegalOutcome[1]\n");
    kret_release(&k);
}

/* The reviewer's example: L cautioned 2023-12-31 (cohort 2023Q3), offends 2024-12-30 (day
 * 365), proven 2025-07-01 (day 548): a reoffence, which the 2025Q1 return (ends 2025-06-30)
 * could not yet hold, so 2023Q3 is not final in it: 2023-12-31 + 548 = 2025-07-01. 2023Q2
 * (ends 2023-09-30, + 548 = 2025-03-31) is. */
Test(indicators, a_cohort_whose_proof_window_runs_past_the_period_is_not_final)
{
    struct kret k;

    kret_init(&k);
    ind_run_ok(&k, 8,
               CHILD(PERSON_E("YPK0030", "W1")
                         OFFENCE("L1", ARREST_AGE("14") COMMITTED("2023-12-01")
                                           OUTCOME("2023-12-31", "YOUTH_CAUTION", "Pre-Court"))
                             OFFENCE("L2", ARREST_AGE("15") COMMITTED("2024-12-30") OUTCOME(
                                               "2025-07-01", "YOUTH_CAUTION", "Pre-Court"))));
    kret_assert_grep(&k, "reoffending.csv", "^2023Q",
                     "2023Q2,yes,0,0,0,,,\n"
                     "2023Q3,no,1,1,1,100.0000,1.0000,1.0000\n"
                     "2023Q4,no,0,0,0,,,\n");
    kret_release(&k);
}

/* The return of PERIOD as of AS_OF (no child), 8 quarters, the population of 2021 to 2024:
 * reoffending.csv's rows (after its header) are ROWS. */
static void
expect_final(const char *period, const char *as_of, const char *rows)
{
    struct kret k;
    struct board_data d;
    int rc;

    kret_init(&k);
    kret_return_at(&k, period, as_of, "");
    ind_staged(&k, POP_YEAR("2021", "5500") POP_YEAR("2022", "5500") POP_YEAR("2023", "5500")
                       POP_YEAR("2024", "6000"));
    rc = ind_run_at(&k, period, 8, &d);
    cr_assert_eq(rc, YJ_OK, "board_indicators: %d %s", rc, k.err.message);
    cr_assert_eq(board_indicators_write(k.out, &d, &k.err), YJ_OK, "%s", k.err.message);
    board_data_free(&d);
    {
        char want[1024];
        snprintf(want, sizeof(want), "%s%s",
                 "cohort,final,children,reoffenders,reoffences,binary_pct,per_reoffender,"
                 "per_child\n",
                 rows);
        kret_assert_file(&k, "reoffending.csv", want);
    }
    kret_release(&k);
}

/* Final on the day the windows close, not the day before. 2024Q4 return (ends 2025-03-31) as
 * of 2025-04-02: 2023Q2 ends 2023-09-30, + 548 = 2025-03-31, the period's last day: final;
 * 2023Q3 (+ 548 = 2025-07-01) is not. A nightly 2024Q3 return (ends 2024-12-31) as of
 * 2024-12-29: 2023Q1 ends 2023-06-30, + 548 = 2024-12-29, the as-of day: final; 2023Q2 is
 * not. */
Test(indicators, a_cohort_is_final_on_the_day_its_windows_close)
{
    expect_final("2024Q4", "2025-04-02T02:00:00.000000Z",
                 "2023Q1,yes,0,0,0,,,\n"
                 "2023Q2,yes,0,0,0,,,\n"
                 "2023Q3,no,0,0,0,,,\n"
                 "2023Q4,no,0,0,0,,,\n"
                 "2024Q1,no,0,0,0,,,\n"
                 "2024Q2,no,0,0,0,,,\n"
                 "2024Q3,no,0,0,0,,,\n"
                 "2024Q4,no,0,0,0,,,\n");
    expect_final("2024Q3", "2024-12-29T02:00:00.000000Z",
                 "2022Q4,yes,0,0,0,,,\n"
                 "2023Q1,yes,0,0,0,,,\n"
                 "2023Q2,no,0,0,0,,,\n"
                 "2023Q3,no,0,0,0,,,\n"
                 "2023Q4,no,0,0,0,,,\n"
                 "2024Q1,no,0,0,0,,,\n"
                 "2024Q2,no,0,0,0,,,\n"
                 "2024Q3,no,0,0,0,,,\n");
}

/* A nightly run takes the current quarter as its period: the 2024Q3 return as of 2024-12-28,
 * three days before the period ends. 2023Q1's windows close on 2024-12-29 (+ 548), after the
 * as-of day: not final, though they close before the period's end. 2022Q4 (ends 2023-03-31,
 * + 548 = 2024-09-29) is. */
Test(indicators, a_nightly_run_leaves_open_a_cohort_whose_windows_close_after_its_as_of_day)
{
    expect_final("2024Q3", "2024-12-28T23:59:59.000000Z",
                 "2022Q4,yes,0,0,0,,,\n"
                 "2023Q1,no,0,0,0,,,\n"
                 "2023Q2,no,0,0,0,,,\n"
                 "2023Q3,no,0,0,0,,,\n"
                 "2023Q4,no,0,0,0,,,\n"
                 "2024Q1,no,0,0,0,,,\n"
                 "2024Q2,no,0,0,0,,,\n"
                 "2024Q3,no,0,0,0,,,\n");
}

/* K: a referral order ending in the period, linked to its outcome: yj-kpi's rules put K in
 * the KPI cohort (kcount_child), and nothing else decides it. */
Test(indicators, the_kpi_cohort_is_the_one_yj_kpi_counts)
{
    struct kret k;

    kret_init(&k);
    ind_run_ok(&k, 2,
               CHILD(PERSON_E("YPK0014", "M1") OFFENCE(
                   "K1", HEARING_AGE("15") OUTCOME("2025-04-03", "REFERRAL_ORDER", "First-tier"))
                         PROGRAMME("P11", "2025-04-03", "2025-06-20", "REFERRAL_ORDER", "")
                             LINK("K1", "P11")));
    kret_assert_grep(&k, "cases.csv", "^kpi_cohort,",
                     "kpi_cohort,quarter,2025Q1,Mixed,YPK0014,person,YPK0014\n");
    kret_assert_grep(&k, "disproportionality.csv", "^2025Q1,kpi_cohort,Mixed,",
                     "2025Q1,kpi_cohort,Mixed,1,600,100.0000,4.8000,95.2000,,,\n");
    kret_release(&k);
}

/* Black 12 of 1,200 against White 30 of 10,000: RRI (12/1200) / (30/10000) = 3.3333; Katz's
 * log interval: SE = sqrt(1/12 - 1/1200 + 1/30 - 1/10000) = 0.340196, so
 * 3.3333 * exp(-+1.96 * 0.340196) = 1.7112 and 6.4932. */
Test(indicators, relative_rate_index_and_its_interval_for_a_worked_example)
{
    double rri, low, high;

    bind_rri(12, 1200, 30, 10000, &rri, &low, &high);
    cr_assert(fabs(rri - 10.0 / 3.0) < 1e-9, "rri %.6f", rri);
    cr_assert(fabs(low - 1.711189) < 1e-6, "low %.6f", low);
    cr_assert(fabs(high - 6.493210) < 1e-6, "high %.6f", high);
    /* more children than people (a wrong population): the RRI, no interval */
    bind_rri(3, 2, 30, 10000, &rri, &low, &high);
    cr_assert(fabs(rri - 500.0) < 1e-9 && isnan(low) && isnan(high), "rri %.6f", rri);
    bind_rri(12, 1200, 5, 4, &rri, &low, &high);
    cr_assert(fabs(rri - 0.008) < 1e-12 && isnan(low) && isnan(high), "rri %.6f", rri);
    /* no comparator children: nothing to compare with */
    bind_rri(12, 1200, 0, 10000, &rri, &low, &high);
    cr_assert(isnan(rri) && isnan(low) && isnan(high));
}

Test(indicators, a_missing_population_year_is_refused_naming_the_year)
{
    struct kret k;
    struct board_data d;
    char *cases, *expect;

    kret_init(&k);
    kret_return(&k,
                CHILD(PERSON_E("YPK0001", "W1") OFFENCE(
                    "A1", ARREST_AGE("14") OUTCOME("2025-01-15", "YOUTH_CAUTION", "Pre-Court"))));
    ind_staged(&k, POP_YEAR("2024", "6000")); /* 2024Q4's rates need 2023 */
    cases = ut_path(k.out, "cases.csv");
    cr_assert_eq(mkdir(k.out, 0750), 0);
    ut_write(cases, "a case list of an earlier run\n");
    cr_assert_eq(ind_run(&k, 2, &d), YJ_EX_DATAERR);
    expect = ut_path(k.staged, "service/population_group.tsv");
    {
        char want[1024];
        snprintf(want, sizeof(want),
                 "staged file '%s' holds no population for 2023, which the rates of 2024Q4 need",
                 expect);
        cr_assert_str_eq(k.err.message, want);
    }
    cr_assert_null(d.fte);
    cr_assert_neq(access(cases, F_OK), 0, "a failed run leaves no cases.csv, not even an old one");
    free(cases);
    free(expect);
    kret_release(&k);
}

/* One population row refused: file, line and value. */
static void
expect_population_error(const char *rows, const char *tail)
{
    struct kret k;
    struct board_data d;
    char *path, want[1024];

    kret_init(&k);
    kret_return(&k, "");
    ind_staged(&k, rows);
    cr_assert_eq(ind_run(&k, 2, &d), YJ_EX_DATAERR, "%s", k.err.message);
    path = ut_path(k.staged, "service/population_group.tsv");
    snprintf(want, sizeof(want), "staged file '%s' %s", path, tail);
    cr_assert_str_eq(k.err.message, want);
    free(path);
    kret_release(&k);
}

Test(indicators, a_bad_population_row_is_refused_naming_file_line_and_value)
{
    expect_population_error("2023\t10-14\tW\t-5\n",
                            "line 2: headcount '-5' is not a whole number from 0");
    expect_population_error("2023\t10-14\tW\t12\n2023\t15-17\tW\tmany\n",
                            "line 3: headcount 'many' is not a whole number from 0");
    expect_population_error("2023\t10-14\tZ\t12\n",
                            "line 2: ethnicity_group 'Z' is not one of indicators.conf's "
                            "population_groups");
    expect_population_error("2023\t10-17\tW\t12\n", "line 2: age_band '10-17' is not one of "
                                                    "indicators.conf's population_age_bands");
}

/* A year x band x group row given twice would be added twice: refused, naming both lines. */
Test(indicators, a_population_row_given_twice_is_refused_naming_file_line_and_value)
{
    expect_population_error("2023\t10-14\tW\t5500\n2023\t15-17\tW\t4000\n2023\t10-14\tW\t5500\n",
                            "line 4: year 2023, age_band '10-14', ethnicity_group 'W' given twice "
                            "(also line 2)");
}

/* Every year a rate needs holds every band of every group: a missing row would read as 0 (a
 * group missing, its relative rate index blank; White missing, every one). 2 quarters:
 * 2024Q4 needs 2023, 2025Q1 needs 2024. */
Test(indicators, a_population_year_without_a_band_or_group_is_refused_naming_what_is_missing)
{
    /* 2023 without Black's 15-17 row */
    expect_population_error(
        "2023\t10-14\tW\t5500\n2023\t15-17\tW\t4000\n2023\t10-14\tB\t700\n"
        "2023\t10-14\tM\t400\n2023\t15-17\tM\t200\n2023\t10-14\tA\t300\n"
        "2023\t15-17\tA\t200\n2023\t10-14\tO\t100\n2023\t15-17\tO\t100\n" POP_YEAR("2024", "6000"),
        "holds no 15-17 population of group Black for 2023, which the rates of "
        "2024Q4 need");
    /* 2024 without White (the comparator) */
    expect_population_error(POP_YEAR("2023", "5500") "2024\t10-14\tB\t700\n2024\t15-17\tB\t500\n"
                                                     "2024\t10-14\tM\t400\n2024\t15-17\tM\t200\n"
                                                     "2024\t10-14\tA\t300\n2024\t15-17\tA\t200\n"
                                                     "2024\t10-14\tO\t100\n2024\t15-17\tO\t100\n",
                            "holds no 10-14 population of group White for 2024, which the rates of "
                            "2025Q1 need");
}

/* Runs the indicators of CHILDREN on the population ROWS with stderr in a file: the run must
 * succeed; what it wrote on stderr into *ERR_TEXT. */
static void
ind_run_capturing(struct kret *k, const char *children, const char *rows, char **err_text)
{
    struct board_data d;
    char *path = ut_path(k->dir, "stderr.txt");
    int fd, saved, rc;

    kret_return(k, children);
    ind_staged(k, rows);
    fflush(stderr);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert(fd >= 0);
    saved = dup(2);
    cr_assert(saved >= 0 && dup2(fd, 2) >= 0);
    rc = ind_run(k, 2, &d);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    cr_assert_eq(rc, YJ_OK, "board_indicators: %d %s", rc, k->err.message);
    cr_assert_eq(board_indicators_write(k->out, &d, &k->err), YJ_OK, "%s", k->err.message);
    board_data_free(&d);
    *err_text = ut_read(path, NULL);
    free(path);
}

/* More children of a group than its population (the population is wrong): Katz's interval
 * would take the root of a negative number. The RRI is written, its interval blank, and one
 * warning names the measure and the group. 2024's Other population is 1 (0 + 1); M and N
 * (Other) and P (White) enter in 2025Q1. Other: 2 of 1; 2 of the 3 known = 66.6667%; 1 of
 * 12,301 = 0.0081%; 66.6585 points; RRI (2/1) / (1/10,000) = 20,000. White: 1 of 10,000,
 * 33.3333% against 81.2942%, -47.9609 points. */
Test(indicators, a_group_counting_more_children_than_its_population_has_no_interval_and_a_warning)
{
    struct kret k;
    char *err_text, *path, want[1024];

    kret_init(&k);
    ind_run_capturing(
        &k,
        CHILD(PERSON_E("YPK0040", "O1") OFFENCE(
            "M1", ARREST_AGE("14") OUTCOME("2025-04-15", "YOUTH_CAUTION", "Pre-Court")))
            CHILD(PERSON_E("YPK0041", "O9") OFFENCE(
                "N1", ARREST_AGE("14") OUTCOME("2025-05-15", "YOUTH_CAUTION", "Pre-Court")))
                CHILD(PERSON_E("YPK0042", "W1") OFFENCE(
                    "P1", ARREST_AGE("14") OUTCOME("2025-06-15", "YOUTH_CAUTION", "Pre-Court"))),
        POP_YEAR("2023", "5500") POP_YEAR_OTHER("2024", "6000", "0", "1"), &err_text);
    kret_assert_grep(&k, "disproportionality.csv", "^2025Q1,fte,",
                     "2025Q1,fte,White,1,10000,33.3333,81.2942,-47.9609,1.0000,,\n"
                     "2025Q1,fte,Mixed,0,600,0.0000,4.8777,-4.8777,0.0000,,\n"
                     "2025Q1,fte,Asian,0,500,0.0000,4.0647,-4.0647,0.0000,,\n"
                     "2025Q1,fte,Black,0,1200,0.0000,9.7553,-9.7553,0.0000,,\n"
                     "2025Q1,fte,Other,2,1,66.6667,0.0081,66.6585,20000.0000,,\n"
                     "2025Q1,fte,Not stated,0,0,,,,,,\n");
    path = ut_path(k.staged, "service/population_group.tsv");
    snprintf(want, sizeof(want),
             "yj: warning: disproportionality: the fte count of group Other is larger than its "
             "2024 population in staged file '%s': its relative rate index is written without an "
             "interval\n",
             path);
    cr_assert_str_eq(err_text, want);
    free(path);
    free(err_text);
    kret_release(&k);
}

/* A group whose population is 0 (rows of 0) but counts a child: no RRI at all, and the
 * warning says so. Q (Other) and R (White) enter in 2025Q1: Other 1 of the 2 known = 50%, 0
 * of 12,300 = 0%, 50 points. */
Test(indicators, a_group_of_population_0_counting_a_child_has_no_rri_and_a_warning)
{
    struct kret k;
    char *err_text, *path, want[1024];

    kret_init(&k);
    ind_run_capturing(
        &k,
        CHILD(PERSON_E("YPK0043", "O1") OFFENCE(
            "Q1", ARREST_AGE("14") OUTCOME("2025-04-15", "YOUTH_CAUTION", "Pre-Court")))
            CHILD(PERSON_E("YPK0044", "W1") OFFENCE(
                "R1", ARREST_AGE("14") OUTCOME("2025-06-15", "YOUTH_CAUTION", "Pre-Court"))),
        POP_YEAR("2023", "5500") POP_YEAR_OTHER("2024", "6000", "0", "0"), &err_text);
    kret_assert_grep(&k, "disproportionality.csv", "^2025Q1,fte,Other,",
                     "2025Q1,fte,Other,1,0,50.0000,0.0000,50.0000,,,\n");
    path = ut_path(k.staged, "service/population_group.tsv");
    snprintf(want, sizeof(want),
             "yj: warning: disproportionality: the fte count of group Other is larger than its "
             "2024 population in staged file '%s': its relative rate index is not computed\n",
             path);
    cr_assert_str_eq(err_text, want);
    free(path);
    free(err_text);
    kret_release(&k);
}

/* One rules file edited: the run refused with exit 78 and the message. */
static void
expect_rules_error(const char *file, const char *old, const char *new_text, const char *tail)
{
    struct kret k;
    struct board_data d;
    char *path, want[1024];

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, file, old, new_text);
    kret_return(&k, "");
    ind_staged(&k, population);
    cr_assert_eq(ind_run(&k, 2, &d), YJ_EX_CONFIG, "%s", k.err.message);
    path = kret_map_path(&k, file);
    snprintf(want, sizeof(want), "%s%s", path, tail);
    cr_assert_str_eq(k.err.message, want);
    free(path);
    kret_release(&k);
}

Test(indicators, a_bad_ethnicity_group_line_is_refused_naming_file_and_line)
{
    expect_rules_error("schema-11/report/ethnicity_group.csv", "B2,Black", "B2,Purple",
                       " line 19: group 'Purple' is not one of indicators.conf's population_groups "
                       "(or empty: not stated)");
    expect_rules_error("schema-11/report/ethnicity_group.csv", "B2,Black", "B1,Black",
                       " line 19: code 'B1' given twice (also line 18)");
    expect_rules_error("schema-11/report/ethnicity_group.csv", "B2,Black", "X9,Black",
                       " line 19: 'X9' is not a code of the bundle's ethnicity.csv");
    expect_rules_error("schema-11/report/ethnicity_group.csv", "B2,Black\n", "",
                       ": code 'B2' of the bundle's ethnicity.csv is missing");
    expect_rules_error("schema-11/report/indicators.conf", "custody_rate_per = 1000",
                       "custody_rate_per = 0",
                       " line 43: custody_rate_per: '0' is not a valid value");
}
