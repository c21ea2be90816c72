/*
 * test_kpi.c - yj-kpi's counting, pinned to values worked out by hand (etl/kpi/, docs/kpi.md).
 *
 * Each test writes a small return folder (kret.h) of warehouse-shaped children (kxml.h), runs
 * kpi_run() with the project's mappings and compares whole output files, or whole template
 * rows and headline lines, with the figures worked out in the comments. The quarter is
 * 2025Q1 (2025-04-01 to 2025-06-30) and the as-of day 2025-07-02 unless a test says
 * otherwise.
 *
 * Template row macros lay out the cells of one row by type of order (ns, yjs, ycc, ro, yro,
 * cust) so a figure's column is visible; the rich case writes every template in full.
 */
#include "kret.h"
#include "kxml.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

TestSuite(kpi, .fini = kret_fini);

static int run_yj_kpi(const char *const *args);
static char *run_capturing_stderr(struct kret *k);

/* ---- template rows ---- */

#define Z3 "0,0,0"
#define Z5 "0,0,0,0,0"
#define Z6 "0,0,0,0,0,0"
/* KPI 1 cust: total, start_yes, start_no, release_yes (blank), release_no (blank), end_yes,
 * end_no; then the five blank noncust columns */
#define K1C0 "0,0,0,,,0,0"
#define K1(label, ns, yjs, ycc, ro, yro, cust)                                                     \
    KRET_ROW label "," ns "," yjs "," ycc "," ro "," yro "," cust ",,,,,\n"
/* KPI 2 cust: school_total, school_start, release (blank), school_end, above_total,
 * above_start, release (blank), above_end */
#define K2C0 "0,0,,0,0,0,,0"
#define K2(label, group, ns, yjs, ycc, ro, yro, cust)                                              \
    KRET_ROW label "," group "," ns "," yjs "," ycc "," ro "," yro "," cust "\n"
#define K2Z(label) K2(label, "", Z6, Z6, Z6, Z6, Z6, K2C0)
/* KPIs 4, 5, 7: total, start, end per type of order; T0 a row whose end is blank, N0 one
 * whose start is blank */
#define T0 "0,0,"
#define N0 "0,,0"
#define K4(label, ns, yjs, ycc, ro, yro, cust)                                                     \
    KRET_ROW label "," ns "," yjs "," ycc "," ro "," yro "," cust "\n"

/* ---- the rich case ---- */

/*
 * Four children, period 2025Q1, as of 2025-07-02.
 *
 * YPK0001 (born 2009-05-10): referral order. Offence 11 ROBBERY gravity 6, first hearing at
 *   15, outcome 2025-04-03 REFERRAL_ORDER (First-tier), programme P11 2025-04-03..2025-06-20.
 *   Order ro, start 04-03, end 06-20, at-start day 04-03 (programme_start). Age on 04-03: 15.
 *   School age at start and end (15 on 2024-08-31).
 *   KPI 1: residence[1] parents SUITABLE 2024-01-01..open: at start and end, suitable.
 *          residence[2] temporary UNSUITABLE 2025-05-01..2025-06-25: at end only (starts
 *          after 04-03, ends after 06-20). Start suitable, end unsuitable -> H1 ro 0/1.
 *          parents: ro_total 1, start_yes 1, end_yes 1; temporary: ro_total 1, end_no 1.
 *   KPI 2: ete[1] SCHOOL_FULL_TIME SUITABLE open, 25 h offered, 20 attended: start and end;
 *          ete[2] OTHER SUITABLE from 2025-05-10, 5 h offered, no attended: end only.
 *          start: offered 25 (full time, >= 25 school age, band 25+), attended 20 (16-24);
 *          end: offered 30 (full time, 25+), attended 20 (16-24). Suitable both.
 *          Rows (ro school total/start/end): children 1,1,1; suitable 1,1,1; full time 1,1,1;
 *          School (full-time) 1,1,1; Other 1,0,1; offered 25+ 1,1,1; attended 16-24 1,1,1.
 *   KPI 3: sendAln YES with plan YES, open: identified, plan, in suitable ETE (KPI 2 end).
 *   KPI 4: screened 2025-04-10, offered 04-15, attended from 04-20, GETTING_HELP: not in
 *          treatment at start (04-20 > 04-03); need (real screening); offered and attending
 *          help inside the order -> need_offered. KPI 5: no screening -> worklist.
 *   KPI 7: CHILD_IN_NEED 2025-01-01..2025-05-01 (not custody: ends after the programme
 *          start 04-03, starts before it): child in need 1,1,1. EARLY_HELP_PLAN from
 *          2025-05-05, open: early help referred (starts after the order start), and an
 *          early intervention plan during (1,0,1).
 *   KPI 9: offence 11 outcome 04-03 in the quarter, First-tier, age 15: serious violence,
 *          robbery age10to15; order ro.
 *   KPI 10: VI1 (victim VIC1) consent Yes, engaged Yes, view Yes, progress requested Yes,
 *          provided No, support requested Yes, provided Yes; VI2 (VIC2) consent "YES" (not the
 *          text Yes: no consent) engaged Yes. Both on offence 11 whose order ends in the
 *          quarter: victims 2, consent 1, engaged 1, view 1, progress requested 1, progress
 *          provided 0, support requested 1, support provided 1. H10 1/1.
 *
 * YPK0002 (born 2008-04-15): section 250. Offence 21 DRUGS gravity 5, outcome 2024-10-01
 *   SECTION_250 (Custody), programme P21 2024-10-01..2025-06-30 (the last day of the
 *   quarter). Age on 2024-10-01: 16. Order cust, at-start day 2024-09-30 (programme_start-1).
 *   Above school age at start and end (16 on 2024-08-31).
 *   KPI 1: residence[1] family SUITABLE 2024-03-01..2024-09-30: ends the day before the
 *          programme starts, so kept and at start for custody; residence[2] YOI SUITABLE from
 *          2024-10-01, open: at end only. family: cust 1,1,0; YOI: cust 1,0,0 end_yes 1.
 *          H1 cust 1/1.
 *   KPI 2: no ETE: children row cust above 1,1,1 only; worklist. KPI 3: no sendAln.
 *   KPI 4: screened 1900-01-01 (no date), attended from 2024-06-01, open, GETTING_ADVICE: in
 *          treatment at start (06-01 <= 09-30), so need, offered and attending advice, and
 *          treatment prior to the order; not prior to screening (no screening date).
 *   KPI 5: screened 2024-09-01, attended 2024-08-01..2025-01-01, TARGETED_INTERVENTION: in
 *          treatment at start, before the screening: prior to screening and to the order,
 *          need, offered and attending targeted.
 *   KPI 7: group Custody, reference outcome date - 1 = 2024-09-30. LOOKED_AFTER
 *          2024-01-01..2024-09-30: kept, at start: looked after 1,1,1. EARLY_HELP_PLAN from
 *          2024-02-01, open: already open before the order start (2024-10-01), and an early
 *          intervention plan at start and during: 1,1,1.
 *   KPI 9: the outcome date 2024-10-01 is not in the quarter: not counted.
 *
 * YPK0003 (born 2011-06-30): youth caution. Offence 31 VIOLENCE gravity 4, arrested at 13,
 *   outcome 2025-04-10 YOUTH_CAUTION (Pre-Court), programme P31 YOUTH_CAUTION
 *   2025-04-10..2025-06-10 completed true. Offence 32 CRIMINAL_DAMAGE gravity 2, outcome
 *   2025-04-12 COMMUNITY_RESOLUTION_WITH_YOT_INTERVENTION (Pre-Court), programme P32
 *   2025-04-12..2025-06-15 completed false. Rank 8 beats rank 9: order yjs, P31.
 *   No records at all: in every denominator, worklist lines for KPIs 1-5.
 *   KPI 6: P31 yc_yjs children and completed; P32 community_resolution children and not
 *          completed. H6 1/1 (a completed programme), H6A 1/2.
 *   KPI 9: offence 31 (yjs) is a counted offence, not serious violence (gravity 4); offence
 *          32's COMMUNITY_RESOLUTION_WITH_YOT_INTERVENTION is sent as Pre-Court, but its
 *          code's group is Diversion (legal_outcome.csv), not a caution or sentence: not a
 *          KPI 9 offence at all.
 *
 * YPK0004 (born 2008-01-20): offence 41 VIOLENCE gravity 8, first hearing at 17, outcome
 *   2025-05-20 YOUTH_REHABILITATION_ORDER (Community), programme P41 from 2025-05-20, open.
 *   Not in the cohort (the programme has not ended), but KPI 9 counts the offence by its
 *   outcome date: violence age16to17, order yro.
 *
 * Board (staged): CSC senior; EDU delegate, new partner; POL not attended; PRB senior and a
 * delegate (senior wins); HLT delegate; OTH senior, new partner; a 2024Q4 HLT senior row is
 * another quarter. Senior a, d (and other): H8 2/5 = 40.0. Population 2024 (the year before
 * financial year 2025) 30000; 2025's 99999 is not read. H9 2 / 30000 * 10000 = 0.67 -> 0.7.
 */
static const char rich_children[] = CHILD(
    PERSON("YPK0001",
           "2009-05-10") OFFENCE("11", HEARING_AGE("15") CATEGORY("ROBBERY") GRAVITY("6")
                                           OUTCOME("2025-04-03", "REFERRAL_ORDER", "First-tier"))
        PROGRAMME("P11", "2025-04-03", "2025-06-20", "REFERRAL_ORDER",
                  "") RESIDENCE("2024-01-01", OPEN, "LIVING_WITH_PARENT_S", "SUITABLE")
            RESIDENCE("2025-05-01", "2025-06-25", "TEMPORARY_ACCOMMODATION", "UNSUITABLE") ETE(
                "2024-09-01", OPEN, "SCHOOL_FULL_TIME", "SUITABLE", OFFERED("25") ATTENDED("20"))
                ETE("2025-05-10", OPEN, "OTHER", "SUITABLE",
                    OFFERED("5")) CARE("CHILD_IN_NEED", "2025-01-01", "2025-05-01")
                    CARE("EARLY_HELP_PLAN", "2025-05-05", OPEN) SEND("YES", PLAN("YES"),
                                                                     "2024-09-01", OPEN)
                        MH("2025-04-10", "2025-04-15", "2025-04-20", OPEN, MH_TYPE("GETTING_HELP"))
                            VICTIM("VI1", "VIC1",
                                   CONSENT("Yes") VIEW_PRIOR("Yes") ENGAGED_RJ("Yes")
                                       PROGRESS_REQ("Yes") PROGRESS_GIVEN("No") SUPPORT_REQ("Yes")
                                           SUPPORT_GIVEN("Yes"))
                                VICTIM("VI2", "VIC2", CONSENT("YES") ENGAGED_RJ("Yes"))
                                    LINK("11", "P11") VLINK("11", "VI1") VLINK("11", "VI2"))
    CHILD(PERSON("YPK0002", "2008-04-15")
              OFFENCE("21", HEARING_AGE("16") CATEGORY("DRUGS") GRAVITY("5")
                                OUTCOME("2024-10-01", "SECTION_250", "Custody"))
                  PROGRAMME("P21", "2024-10-01", "2025-06-30", "SECTION_250", "")
                      RESIDENCE("2024-03-01", "2024-09-30", "LIVING_WITH_FAMILY_NOT_PARENTS",
                                "SUITABLE") RESIDENCE("2024-10-01", OPEN, "YOI", "SUITABLE")
                          CARE("LOOKED_AFTER", "2024-01-01", "2024-09-30")
                              CARE("EARLY_HELP_PLAN", "2024-02-01", OPEN)
                                  MH(OPEN, OPEN, "2024-06-01", OPEN, MH_TYPE("GETTING_ADVICE"))
                                      SM("2024-09-01", OPEN, "2024-08-01", "2025-01-01",
                                         SM_TYPE("TARGETED_INTERVENTION")) LINK("21", "P21"))
        CHILD(PERSON("YPK0003", "2011-06-30") OFFENCE(
            "31", ARREST_AGE("13") HEARING_AGE("14") CATEGORY("VIOLENCE_AGAINST_THE_PERSON")
                      GRAVITY("4") OUTCOME("2025-04-10", "YOUTH_CAUTION", "Pre-Court"))
                  OFFENCE("32", ARREST_AGE("13") CATEGORY("CRIMINAL_DAMAGE") GRAVITY("2") OUTCOME(
                                    "2025-04-12", "COMMUNITY_RESOLUTION_WITH_YOT_INTERVENTION",
                                    "Pre-Court")) PROGRAMME("P31", "2025-04-10", "2025-06-10",
                                                            "YOUTH_CAUTION", COMPLETED("true"))
                      PROGRAMME("P32", "2025-04-12", "2025-06-15",
                                "COMMUNITY_RESOLUTION_WITH_YOT_INTERVENTION", COMPLETED("false"))
                          LINK("31", "P31") LINK("32", "P32"))
            CHILD(PERSON("YPK0004", "2008-01-20") OFFENCE(
                "41", HEARING_AGE("17") CATEGORY("VIOLENCE_AGAINST_THE_PERSON") GRAVITY("8")
                          OUTCOME("2025-05-20", "YOUTH_REHABILITATION_ORDER", "Community"))
                      PROGRAMME("P41", "2025-05-20", OPEN, "YOUTH_REHABILITATION_ORDER", "")
                          LINK("41", "P41"));

static const char rich_board[] = "2025Q1\tCSC\tt\tt\tf\n"
                                 "2025Q1\tEDU\tt\tf\tt\n"
                                 "2025Q1\tPOL\tf\tf\tf\n"
                                 "2025Q1\tPRB\tt\tt\tf\n"
                                 "2025Q1\tPRB\tt\tf\tf\n"
                                 "2025Q1\tHLT\tt\tf\tf\n"
                                 "2025Q1\tOTH\tt\tt\tt\n"
                                 "2024Q4\tHLT\tt\tt\tf\n";
static const char rich_population[] = "2024\t30000\n"
                                      "2025\t99999\n";

/* clang-format off */
static const char rich_kpi1[] =
    "return_status_id,reporting_date,yot_code,description,"
    "ns_total,ns_start_yes,ns_start_no,ns_end_yes,ns_end_no,"
    "yjs_total,yjs_start_yes,yjs_start_no,yjs_end_yes,yjs_end_no,"
    "ycc_total,ycc_start_yes,ycc_start_no,ycc_end_yes,ycc_end_no,"
    "ro_total,ro_start_yes,ro_start_no,ro_end_yes,ro_end_no,"
    "yro_total,yro_start_yes,yro_start_no,yro_end_yes,yro_end_no,"
    "cust_total,cust_start_yes,cust_start_no,cust_release_yes,cust_release_no,cust_end_yes,cust_end_no,"
    "noncust_total,noncust_start_yes,noncust_start_no,noncust_release_yes,noncust_release_no\n"
    K1("STC",                              Z5, Z5, Z5, Z5,          Z5, K1C0)
    K1("SCH",                              Z5, Z5, Z5, Z5,          Z5, K1C0)
    K1("YOI",                              Z5, Z5, Z5, Z5,          Z5, "1,0,0,,,1,0")
    K1("Living with parent(s)",            Z5, Z5, Z5, "1,1,0,1,0", Z5, K1C0)
    K1("Other",                            Z5, Z5, Z5, Z5,          Z5, K1C0)
    K1("Independent living",               Z5, Z5, Z5, Z5,          Z5, K1C0)
    K1("Residential unit",                 Z5, Z5, Z5, Z5,          Z5, K1C0)
    K1("Living with family (not parents)", Z5, Z5, Z5, Z5,          Z5, "1,1,0,,,0,0")
    K1("Temporary accomodation",           Z5, Z5, Z5, "1,0,0,0,1", Z5, K1C0)
    K1("Supported accommodation/supported lodgings", Z5, Z5, Z5, Z5, Z5, K1C0)
    K1("Foster Care",                      Z5, Z5, Z5, Z5,          Z5, K1C0)
    K1("Living with friends",              Z5, Z5, Z5, Z5,          Z5, K1C0);

#define S1 "1,1,1,0,0,0" /* school age: total, start, end */
static const char rich_kpi2[] =
    "return_status_id,reporting_date,yot_code,description,description_group,"
    "ns_school_total,ns_school_start,ns_school_end,ns_above_total,ns_above_start,ns_above_end,"
    "yjs_school_total,yjs_school_start,yjs_school_end,yjs_above_total,yjs_above_start,yjs_above_end,"
    "ycc_school_total,ycc_school_start,ycc_school_end,ycc_above_total,ycc_above_start,ycc_above_end,"
    "ro_school_total,ro_school_start,ro_school_end,ro_above_total,ro_above_start,ro_above_end,"
    "yro_school_total,yro_school_start,yro_school_end,yro_above_total,yro_above_start,yro_above_end,"
    "cust_school_total,cust_school_start,cust_school_release,cust_school_end,"
    "cust_above_total,cust_above_start,cust_above_release,cust_above_end\n"
    K2("Number of children with an order closing in the period", "", Z6, S1, Z6, S1, Z6, "0,0,,0,1,1,,1")
    K2("Number of children in suitable ETE with an order closing in the period", "", Z6, Z6, Z6, S1, Z6, K2C0)
    K2Z("Number of children not in ETE with an order closing in the period")
    K2Z("Number of children in part time ETE with an order closing in the period")
    K2("Number of children in full time ETE with an order closing in the period ", "", Z6, Z6, Z6, S1, Z6, K2C0)
    K2("School (full-time)", "", Z6, Z6, Z6, S1, Z6, K2C0)
    K2Z("School (part time)")
    K2Z("Electively home educated")
    K2Z("Alternative Provision PRU (part time)")
    K2Z("Alternative Provision PRU (full time)")
    K2Z("College")
    K2("Other", "", Z6, Z6, Z6, "1,0,1,0,0,0", Z6, K2C0)
    K2Z("Alternative Provision Other (part time)")
    K2Z("Alternative Provision Other (full time)")
    K2Z("Alternative provision")
    K2Z("Education re-engagement programme")
    K2Z("Traineeship")
    K2Z("Apprenticeship")
    K2Z("Supported Internship")
    K2Z("Mentoring circle")
    K2Z("Full-time employment")
    K2Z("Part-time employment")
    K2Z("Self-employment")
    K2Z("Voluntary work")
    K2Z("University")
    K2("1 - 15 hours",  "Hours offered per week",  Z6, Z6, Z6, Z6, Z6, K2C0)
    K2("16 - 24 hours", "Hours offered per week",  Z6, Z6, Z6, Z6, Z6, K2C0)
    K2("25 hours plus", "Hours offered per week",  Z6, Z6, Z6, S1, Z6, K2C0)
    K2("1 - 15 hours",  "Hours attended per week", Z6, Z6, Z6, Z6, Z6, K2C0)
    K2("16 - 24 hours", "Hours attended per week", Z6, Z6, Z6, S1, Z6, K2C0)
    K2("25 hours plus", "Hours attended per week", Z6, Z6, Z6, Z6, Z6, K2C0);

static const char rich_kpi3[] =
    "return_status_id,reporting_date,yot_code,description,ns,yjs,ycc,ro,yro,cust\n"
    KRET_ROW "Number of  children with an order ending in the period,0,1,0,1,0,1\n"
    KRET_ROW "Number with an identified SEND/ALN,0,0,0,1,0,0\n"
    KRET_ROW "Number of children who have a formal plan in place for the current academic year,0,0,0,1,0,0\n"
    KRET_ROW "Number of children with an identified SEND/ALN need in suitable ETE,0,0,0,1,0,0\n";

#define K345_HEAD                                                                                  \
    "return_status_id,reporting_date,yot_code,description,"                                        \
    "ns_total,ns_start,ns_end,yjs_total,yjs_start,yjs_end,ycc_total,ycc_start,ycc_end,"            \
    "ro_total,ro_start,ro_end,yro_total,yro_start,yro_end,cust_total,cust_start,cust_end\n"
#define A1 "1,1,1" /* all three */
#define N1 "1,,1"  /* total and end */
#define T1 "1,1,"  /* total and start */
static const char rich_kpi4[] =
    K345_HEAD
    K4("Number of  children with an order ending in the period", Z3, A1, Z3, A1, Z3, A1)
    K4("Number receiving treatment for mental health or emotional wellbeing prior to screening by YJS", T0, T0, T0, T0, T0, T0)
    K4("Number receiving treatment for mental health or emotional wellbeing prior to the start of the order", T0, T0, T0, T0, T0, T1)
    K4("Number of children with a screened OR identified need for an intervention to improve mental health or emotional wellbeing", N0, N0, N0, N1, N0, N1)
    K4("Getting Advice: Number of planned or offered interventions", N0, N0, N0, N0, N0, N1)
    K4("Getting Help: Number of planned or offered interventions", N0, N0, N0, N1, N0, N0)
    K4("Getting Additional Help: Number of planned or offered interventions", N0, N0, N0, N0, N0, N0)
    K4("Getting Risk Support: Number of planned or offered interventions", N0, N0, N0, N0, N0, N0)
    K4("Getting Advice: Number of children attending intervention", N0, N0, N0, N0, N0, N1)
    K4("Getting Help: Number of children attending intervention", N0, N0, N0, N1, N0, N0)
    K4("Getting Additional Help: Number of children attending intervention", N0, N0, N0, N0, N0, N0)
    K4("Getting Risk Support: Number of children attending intervention", N0, N0, N0, N0, N0, N0);

static const char rich_kpi5[] =
    K345_HEAD
    K4("Number of children with an order ending in the period", Z3, A1, Z3, A1, Z3, A1)
    K4("Number of children in existing treatment or support prior to screening by YJS", T0, T0, T0, T0, T0, T1)
    K4("Number of children in existing treatment or support prior to the start of the order", T0, T0, T0, T0, T0, T1)
    K4("Number of children with a screened OR identified need for intervention/treatment to address substance misuse ", N0, N0, N0, N0, N0, N1)
    K4("Number offered targeted intervention/treatment.", N0, N0, N0, N0, N0, N1)
    K4("Number offered specialist substance misuse treatment", N0, N0, N0, N0, N0, N0)
    K4("Number offered complex care treatment intervention", N0, N0, N0, N0, N0, N0)
    K4("Number attending targeted intervention/treatment.", N0, N0, N0, N0, N0, N1)
    K4("Number attending specialist substance misuse treatment ", N0, N0, N0, N0, N0, N0)
    K4("Number attending complex care treatment intervention", N0, N0, N0, N0, N0, N0);

static const char rich_kpi6[] =
    "return_status_id,reporting_date,yot_code,description,community_resolution,nfa_o22_yjs,"
    "nfa_o22_deferred_yjs,nfa_o20_21_yjs,yc_yjs,ycc\n"
    KRET_ROW "Number of  children with an order ending in the period,1,0,0,0,1,0\n"
    KRET_ROW "Number of children who completed intervention programmes in the quarter,0,0,0,0,1,0\n"
    KRET_ROW "Number of children who did not complete intervention programmes in the quarter,1,0,0,0,0,0\n";

static const char rich_kpi7[] =
    "return_status_id,reporting_date,yot_code,description,"
    "ws_total,ws_start,ws_end,yjs_total,yjs_start,yjs_end,ycc_total,ycc_start,ycc_end,"
    "ro_total,ro_start,ro_end,yro_total,yro_start,yro_end,cust_total,cust_start,cust_end\n"
    K4("Number of  children with an order ending in the period", Z3, A1, Z3, A1, Z3, A1)
    K4("Number of children who are a currently care experienced child (known in statute as a Looked After Child)", Z3, Z3, Z3, Z3, Z3, A1)
    K4("Number of children on a Child Protection Plan", Z3, Z3, Z3, Z3, Z3, Z3)
    K4("Number of children who are Children in Need/Children in Need of care and support (Wales)", Z3, Z3, Z3, A1, Z3, Z3)
    K4("Number of children on an Early Intervention plan", Z3, Z3, Z3, "1,0,1", Z3, A1)
    K4("Number of children who were already open to Early Help services prior to start of order", T0, T0, T0, T0, T0, T1)
    K4("Number of children referred to Early Help services", N0, N0, N0, N1, N0, N0);

static const char rich_kpi8[] =
    "return_status_id,reporting_date,yot_code,description,"
    "senior_a_attended,senior_a_not,senior_b_attended,senior_b_not,senior_c_attended,senior_c_not,"
    "senior_d_attended,senior_d_not,senior_e_attended,senior_e_not,senior_other_attended,senior_other_not\n"
    /*                                            a    b    c    d    e    other */
    KRET_ROW "Senior partner,"                  "1,0,0,1,0,1,1,0,0,1,1,0\n"
    KRET_ROW "Delegated or non-senior partner," "0,1,1,0,0,1,0,1,1,0,0,1\n"
    KRET_ROW "If attended - was this a new partner?," "0,1,1,0,0,1,0,1,0,1,1,0\n";

static const char rich_kpi9[] =
    "return_status_id,reporting_date,yot_code,description,age10to15,age16to17\n"
    KRET_ROW "Offences with a gravity score of 5 or more for Drugs offences resulting in a caution or sentence in the quarter,0,0\n"
    KRET_ROW "Offences with a gravity score of 5 or more for Robbery offences resulting in a caution or sentence in the quarter,1,0\n"
    KRET_ROW "Offences with a gravity score of 5 or more for Violence Against the Person offences resulting in a caution or sentence in the quarter,0,1\n";

static const char rich_kpi10[] =
    "return_status_id,reporting_date,yot_code,description,total\n"
    KRET_ROW "Number of children with an order closing with an identified victim or victims of youth crime,1\n"
    KRET_ROW "Total number of victims ,2\n"
    KRET_ROW "Number of victims who consent to be contacted by the YJS,1\n"
    KRET_ROW "Number of victims engaged with on restorative justice opportunities,1\n"
    KRET_ROW "Number of victims asked their view prior to OOCD decision-making and planning for statutory court orders,1\n"
    KRET_ROW "Number of victims who requested information about the progress of the child's case,1\n"
    KRET_ROW "\"Of those, the number of victims provided with information about the progress of the child's case\",0\n"
    KRET_ROW "The number of victims who asked for additional support,1\n"
    KRET_ROW "\"Of those victims who asked for additional support, the number provided with information on appropriate support services\",1\n";

#define HL(kpi, measure, order, nn, n, dn, d, rate) \
    "2025Q1," kpi "," measure "," order "," nn "," n "," dn "," d "," rate ",percent\n"
#define H1N "kpi1_total_suitable_end", "kpi1_total_ypid"
/* headline.csv: the project's figures, then the YJB's (yjb_*) and provisional. The YJB's
 * equal the project's here but for KPI 3 by type of order: its long view swaps the ro and yro
 * denominators (ro 1 of 0, yro 0 of 1). New measures: part time at start and at end (YPK0001
 * is offered 25 then 30 hours, full time; the others have no ETE record: 0 for both readings)
 * and KPI 3's identified need in suitable ETE (YPK0001, ro: 1 of 1). */
static const char rich_headline[] =
    "period,kpi,measure,type_of_order,numerator_name,numerator,denominator_name,denominator,rate,rate_unit,yjb_numerator,yjb_denominator,yjb_rate,provisional\n"
    "2025Q1,1,accommodation,all,kpi1_total_suitable_end,1,kpi1_total_ypid,3,33.3,percent,1,3,33.3,no\n"
    "2025Q1,1,accommodation,ns,kpi1_total_suitable_end,0,kpi1_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,1,accommodation,yjs,kpi1_total_suitable_end,0,kpi1_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,1,accommodation,ycc,kpi1_total_suitable_end,0,kpi1_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,1,accommodation,ro,kpi1_total_suitable_end,0,kpi1_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,1,accommodation,yro,kpi1_total_suitable_end,0,kpi1_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,1,accommodation,cust,kpi1_total_suitable_end,1,kpi1_total_ypid,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,2,ete,all,kpi2_total_suitable_end,1,kpi2_total_ypid,3,33.3,percent,1,3,33.3,no\n"
    "2025Q1,2,ete,ns,kpi2_total_suitable_end,0,kpi2_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,2,ete,yjs,kpi2_total_suitable_end,0,kpi2_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,2,ete,ycc,kpi2_total_suitable_end,0,kpi2_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,2,ete,ro,kpi2_total_suitable_end,1,kpi2_total_ypid,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,2,ete,yro,kpi2_total_suitable_end,0,kpi2_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,2,ete,cust,kpi2_total_suitable_end,0,kpi2_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,2,ete_part_time_start,all,kpi2_part_time_start,0,kpi2_total_ypid,3,0.0,percent,0,3,0.0,no\n"
    "2025Q1,2,ete_part_time_start,ns,kpi2_part_time_start,0,kpi2_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,2,ete_part_time_start,yjs,kpi2_part_time_start,0,kpi2_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,2,ete_part_time_start,ycc,kpi2_part_time_start,0,kpi2_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,2,ete_part_time_start,ro,kpi2_part_time_start,0,kpi2_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,2,ete_part_time_start,yro,kpi2_part_time_start,0,kpi2_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,2,ete_part_time_start,cust,kpi2_part_time_start,0,kpi2_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,2,ete_part_time_end,all,kpi2_part_time_end,0,kpi2_total_ypid,3,0.0,percent,0,3,0.0,no\n"
    "2025Q1,2,ete_part_time_end,ns,kpi2_part_time_end,0,kpi2_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,2,ete_part_time_end,yjs,kpi2_part_time_end,0,kpi2_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,2,ete_part_time_end,ycc,kpi2_part_time_end,0,kpi2_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,2,ete_part_time_end,ro,kpi2_part_time_end,0,kpi2_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,2,ete_part_time_end,yro,kpi2_part_time_end,0,kpi2_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,2,ete_part_time_end,cust,kpi2_part_time_end,0,kpi2_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,3,send_aln,all,kpi3_sendaln_plan,1,kpi3_identified_sendaln,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,3,send_aln,ns,kpi3_sendaln_plan,0,kpi3_identified_sendaln,0,,percent,0,0,,no\n"
    "2025Q1,3,send_aln,yjs,kpi3_sendaln_plan,0,kpi3_identified_sendaln,0,,percent,0,0,,no\n"
    "2025Q1,3,send_aln,ycc,kpi3_sendaln_plan,0,kpi3_identified_sendaln,0,,percent,0,0,,no\n"
    "2025Q1,3,send_aln,ro,kpi3_sendaln_plan,1,kpi3_identified_sendaln,1,100.0,percent,1,0,,no\n"
    "2025Q1,3,send_aln,yro,kpi3_sendaln_plan,0,kpi3_identified_sendaln,0,,percent,0,1,0.0,no\n"
    "2025Q1,3,send_aln,cust,kpi3_sendaln_plan,0,kpi3_identified_sendaln,0,,percent,0,0,,no\n"
    "2025Q1,3,send_aln_suitable_ete,all,kpi3_identified_suitable_ete,1,kpi3_identified_sendaln,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,3,send_aln_suitable_ete,ns,kpi3_identified_suitable_ete,0,kpi3_identified_sendaln,0,,percent,0,0,,no\n"
    "2025Q1,3,send_aln_suitable_ete,yjs,kpi3_identified_suitable_ete,0,kpi3_identified_sendaln,0,,percent,0,0,,no\n"
    "2025Q1,3,send_aln_suitable_ete,ycc,kpi3_identified_suitable_ete,0,kpi3_identified_sendaln,0,,percent,0,0,,no\n"
    "2025Q1,3,send_aln_suitable_ete,ro,kpi3_identified_suitable_ete,1,kpi3_identified_sendaln,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,3,send_aln_suitable_ete,yro,kpi3_identified_suitable_ete,0,kpi3_identified_sendaln,0,,percent,0,0,,no\n"
    "2025Q1,3,send_aln_suitable_ete,cust,kpi3_identified_suitable_ete,0,kpi3_identified_sendaln,0,,percent,0,0,,no\n"
    "2025Q1,4,mental_health,all,kpi4_mh_ew_offered,2,kpi4_mh_ew_need,2,100.0,percent,2,2,100.0,no\n"
    "2025Q1,4,mental_health,ns,kpi4_mh_ew_offered,0,kpi4_mh_ew_need,0,,percent,0,0,,no\n"
    "2025Q1,4,mental_health,yjs,kpi4_mh_ew_offered,0,kpi4_mh_ew_need,0,,percent,0,0,,no\n"
    "2025Q1,4,mental_health,ycc,kpi4_mh_ew_offered,0,kpi4_mh_ew_need,0,,percent,0,0,,no\n"
    "2025Q1,4,mental_health,ro,kpi4_mh_ew_offered,1,kpi4_mh_ew_need,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,4,mental_health,yro,kpi4_mh_ew_offered,0,kpi4_mh_ew_need,0,,percent,0,0,,no\n"
    "2025Q1,4,mental_health,cust,kpi4_mh_ew_offered,1,kpi4_mh_ew_need,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,4,mental_health_need,all,kpi4_mh_ew_need,2,kpi4_total_ypid,3,66.7,percent,2,3,66.7,no\n"
    "2025Q1,4,mental_health_need,ns,kpi4_mh_ew_need,0,kpi4_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,4,mental_health_need,yjs,kpi4_mh_ew_need,0,kpi4_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,4,mental_health_need,ycc,kpi4_mh_ew_need,0,kpi4_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,4,mental_health_need,ro,kpi4_mh_ew_need,1,kpi4_total_ypid,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,4,mental_health_need,yro,kpi4_mh_ew_need,0,kpi4_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,4,mental_health_need,cust,kpi4_mh_ew_need,1,kpi4_total_ypid,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,5,substance_misuse,all,kpi5_sm_offered,1,kpi5_sm_need,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,5,substance_misuse,ns,kpi5_sm_offered,0,kpi5_sm_need,0,,percent,0,0,,no\n"
    "2025Q1,5,substance_misuse,yjs,kpi5_sm_offered,0,kpi5_sm_need,0,,percent,0,0,,no\n"
    "2025Q1,5,substance_misuse,ycc,kpi5_sm_offered,0,kpi5_sm_need,0,,percent,0,0,,no\n"
    "2025Q1,5,substance_misuse,ro,kpi5_sm_offered,0,kpi5_sm_need,0,,percent,0,0,,no\n"
    "2025Q1,5,substance_misuse,yro,kpi5_sm_offered,0,kpi5_sm_need,0,,percent,0,0,,no\n"
    "2025Q1,5,substance_misuse,cust,kpi5_sm_offered,1,kpi5_sm_need,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,5,substance_misuse_need,all,kpi5_sm_need,1,kpi5_total_ypid,3,33.3,percent,1,3,33.3,no\n"
    "2025Q1,5,substance_misuse_need,ns,kpi5_sm_need,0,kpi5_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,5,substance_misuse_need,yjs,kpi5_sm_need,0,kpi5_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,5,substance_misuse_need,ycc,kpi5_sm_need,0,kpi5_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,5,substance_misuse_need,ro,kpi5_sm_need,0,kpi5_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,5,substance_misuse_need,yro,kpi5_sm_need,0,kpi5_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,5,substance_misuse_need,cust,kpi5_sm_need,1,kpi5_total_ypid,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,6,out_of_court,all,kpi6_ypid_successful_oocd,1,kpi6_ypid_total_oocd,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,6,out_of_court_programmes,all,kpi6_successful_oocd,1,kpi6_total_oocd,2,50.0,percent,1,2,50.0,no\n"
    "2025Q1,7,wider_services,all,kpi7_supported_by_wider_services,2,kpi7_total_ypid,3,66.7,percent,2,3,66.7,no\n"
    "2025Q1,7,wider_services,ns,kpi7_supported_by_wider_services,0,kpi7_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,7,wider_services,yjs,kpi7_supported_by_wider_services,0,kpi7_total_ypid,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,7,wider_services,ycc,kpi7_supported_by_wider_services,0,kpi7_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,7,wider_services,ro,kpi7_supported_by_wider_services,1,kpi7_total_ypid,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,7,wider_services,yro,kpi7_supported_by_wider_services,0,kpi7_total_ypid,0,,percent,0,0,,no\n"
    "2025Q1,7,wider_services,cust,kpi7_supported_by_wider_services,1,kpi7_total_ypid,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,8,board_attendance,all,kpi8_total_senior_attended,2,board_sectors,5,40.0,percent,2,5,40.0,no\n"
    "2025Q1,9,serious_violence,all,kpi9_sv_offences,2,kpi9_10_17_population,30000,0.7,per_10000,2,30000,0.7,no\n"
    "2025Q1,9,serious_violence_share,all,kpi9_sv_offences,2,kpi9_offences,3,66.7,percent,2,3,66.7,no\n"
    "2025Q1,9,serious_violence_share,ns,kpi9_sv_offences,0,kpi9_offences,0,,percent,0,0,,no\n"
    "2025Q1,9,serious_violence_share,yjs,kpi9_sv_offences,0,kpi9_offences,1,0.0,percent,0,1,0.0,no\n"
    "2025Q1,9,serious_violence_share,ycc,kpi9_sv_offences,0,kpi9_offences,0,,percent,0,0,,no\n"
    "2025Q1,9,serious_violence_share,ro,kpi9_sv_offences,1,kpi9_offences,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,9,serious_violence_share,yro,kpi9_sv_offences,1,kpi9_offences,1,100.0,percent,1,1,100.0,no\n"
    "2025Q1,9,serious_violence_share,cust,kpi9_sv_offences,0,kpi9_offences,0,,percent,0,0,,no\n"
    "2025Q1,9,serious_violence_children,all,kpi9_ypid_sv,2,kpi9_ypid_offences,3,66.7,percent,2,3,66.7,no\n"
    "2025Q1,10,victims,all,kpi10_victim_engaged_rj,1,kpi10_victim_consent_contact,1,100.0,percent,1,1,100.0,no\n";

static const char rich_cases[] =
    "kpi,measure,type_of_order,ypid,unit_id,item,item_id\n"
    "0,order,ro,YPK0001,P11,interventionProgramme,P11\n"
    "1,suitable_start,ro,YPK0001,,residence,residence[1]\n"
    "1,unsuitable_end,ro,YPK0001,,residence,residence[2]\n"
    "2,suitable_end,ro,YPK0001,,eteStatus,eteStatus[1]\n"
    "2,suitable_start,ro,YPK0001,,eteStatus,eteStatus[1]\n"
    "3,formal_plan,ro,YPK0001,,sendAln,sendAln[1]\n"
    "4,need_offered,ro,YPK0001,,mentalHealth,mentalHealth[1]\n"
    "7,supported_during,ro,YPK0001,,careStatus,careStatus[1]\n"
    "9,serious_violence,ro,YPK0001,11,offenceLegalOutcome,offence 11 offenceLegalOutcome[1]\n"
    "10,consent_engaged_rj,all,YPK0001,VIC1,victimIntervention,VI1\n"
    "10,no_consent,all,YPK0001,VIC2,victimIntervention,VI2\n"
    "0,order,cust,YPK0002,P21,interventionProgramme,P21\n"
    "1,suitable_start,cust,YPK0002,,residence,residence[1]\n"
    "1,suitable_end,cust,YPK0002,,residence,residence[2]\n"
    "4,need_offered,cust,YPK0002,,mentalHealth,mentalHealth[1]\n"
    "5,need_offered,cust,YPK0002,,substanceMisuse,substanceMisuse[1]\n"
    "7,supported_during,cust,YPK0002,,careStatus,careStatus[1]\n"
    "0,order,yjs,YPK0003,P31,interventionProgramme,P31\n"
    "6,completed,all,YPK0003,P31,interventionProgramme,P31\n"
    "6,not_completed,all,YPK0003,P32,interventionProgramme,P32\n"
    "9,serious_violence,yro,YPK0004,41,offenceLegalOutcome,offence 41 offenceLegalOutcome[1]\n";

#define W_NO_ACC "1,no_accommodation_at_end,residence,,kpi1AccommodationSuitability,record the accommodation and its suitability current on the order end date\n"
#define W_NO_ETE "2,no_ete_at_end,eteStatus,,suitability,\"record the education, training or employment current on the order end date\"\n"
#define W_NO_SEND "3,no_send_aln_at_end,sendAln,,kpi3IdentifiedSendAln,\"record whether a SEND/ALN need is identified, current on the order end date\"\n"
#define W_NO_MH "4,no_mental_health_screening,mentalHealth,,kpi4DateScreened,record the mental health screening (or that none was needed)\n"
#define W_NO_SM "5,no_substance_misuse_screening,substanceMisuse,,kpi5DateScreened,record the substance misuse screening (or that none was needed)\n"
#define W_HEAD "ypid,kpi,problem,item,item_id,field,what_to_record\n"
static const char rich_worklist[] =
    W_HEAD
    "YPK0001," W_NO_SM
    "YPK0002," W_NO_ETE
    "YPK0002," W_NO_SEND
    "YPK0003," W_NO_ACC
    "YPK0003," W_NO_ETE
    "YPK0003," W_NO_SEND
    "YPK0003," W_NO_MH
    "YPK0003," W_NO_SM;

#define REC(problem, kpi, item, field, n) "2025Q1," KRET_AS_OF "," problem "," kpi "," item "," field "," n "\n"
static const char rich_recording[] =
    "period,as_of,problem,kpi,item,field,children\n"
    REC("programme_not_linked", "0", "interventionProgramme", "offenceProgrammeLink", "0")
    REC("outcome_no_residence", "0", "offenceLegalOutcome", "residenceOnLegalOutcomeDate", "0")
    REC("code_not_in_kpi_rules", "0", "", "", "0")
    REC("no_accommodation_at_end", "1", "residence", "kpi1AccommodationSuitability", "1")
    REC("accommodation_no_suitability", "1", "residence", "kpi1AccommodationSuitability", "0")
    REC("no_ete_at_end", "2", "eteStatus", "suitability", "2")
    REC("ete_no_suitability", "2", "eteStatus", "suitability", "0")
    REC("ete_no_hours", "2", "eteStatus", "hoursOffered", "0")
    REC("no_send_aln_at_end", "3", "sendAln", "kpi3IdentifiedSendAln", "2")
    REC("send_aln_no_plan", "3", "sendAln", "kpi3SendFormalPlan", "0")
    REC("no_mental_health_screening", "4", "mentalHealth", "kpi4DateScreened", "1")
    REC("mental_health_no_type", "4", "mentalHealth", "kpi4InterventionType", "0")
    REC("no_substance_misuse_screening", "5", "substanceMisuse", "kpi5DateScreened", "2")
    REC("substance_misuse_no_type", "5", "substanceMisuse", "kpi5InterventionType", "0")
    REC("oocd_no_completion", "6", "interventionProgramme", "kpi6SuccessfullyCompleted", "0")
    REC("offence_no_gravity", "9", "offence", "yjbSeriousnessScore", "0")
    REC("victim_no_consent", "10", "victimIntervention", "consentYjsContact", "0")
    REC("board_sector_not_in_kpi_rules", "8", "board_attendance", "sector_cd", "0");
/* clang-format on */

Test(kpi, rich_case_every_template_and_headline)
{
    struct kret k;

    kret_init(&k);
    kret_return(&k, rich_children);
    kret_staged(&k, rich_board, rich_population);
    kret_run_ok(&k);
    cr_assert_eq(k.res.children, 4);
    cr_assert_eq(k.res.cohort, 3);
    cr_assert_eq(k.res.worklist, 8);
    kret_assert_file(&k, "kpi1_accommodation_detail.csv", rich_kpi1);
    kret_assert_file(&k, "kpi2_ete.csv", rich_kpi2);
    kret_assert_file(&k, "kpi3_send_aln.csv", rich_kpi3);
    kret_assert_file(&k, "kpi4_mhew.csv", rich_kpi4);
    kret_assert_file(&k, "kpi5_substance_misuse.csv", rich_kpi5);
    kret_assert_file(&k, "kpi6_ooc.csv", rich_kpi6);
    kret_assert_file(&k, "kpi7_ws.csv", rich_kpi7);
    kret_assert_file(&k, "kpi8_mba.csv", rich_kpi8);
    kret_assert_file(&k, "kpi9_sv.csv", rich_kpi9);
    kret_assert_file(&k, "kpi10_victims.csv", rich_kpi10);
    kret_assert_file(&k, "headline.csv", rich_headline);
    kret_assert_file(&k, "cases.csv", rich_cases);
    kret_assert_file(&k, "worklist.csv", rich_worklist);
    kret_assert_file(&k, "recording.csv", rich_recording);
    kret_release(&k);
}

/* The reader beside the writer: the ten headlines of the file yj-kpi wrote, each KPI's first
 * measure for all types of order; a file without its MANIFEST, or with a header it does not
 * know, is not read. */
Test(kpi, the_headline_reader_gives_the_ten_headlines_the_writer_wrote)
{
    static const struct {
        const char *measure;
        unsigned long num, den;
        const char *rate, *unit;
    } want[KPI_HEADLINES] = {{"accommodation", 1, 3, "33.3", "percent"},
                             {"ete", 1, 3, "33.3", "percent"},
                             {"send_aln", 1, 1, "100.0", "percent"},
                             {"mental_health", 2, 2, "100.0", "percent"},
                             {"substance_misuse", 1, 1, "100.0", "percent"},
                             {"out_of_court", 1, 1, "100.0", "percent"},
                             {"wider_services", 2, 3, "66.7", "percent"},
                             {"board_attendance", 2, 5, "40.0", "percent"},
                             {"serious_violence", 2, 30000, "0.7", "per_10000"},
                             {"victims", 1, 1, "100.0", "percent"}};
    struct kpi_headline h[KPI_HEADLINES];
    struct kret k;
    char *path, *manifest, want_err[4096];
    size_t n;

    kret_init(&k);
    kret_return(&k, rich_children);
    kret_staged(&k, rich_board, rich_population);
    kret_run_ok(&k);
    path = ut_path(k.out, "headline.csv");
    cr_assert_eq(kpi_headline_read(path, h, &n, &k.err), YJ_OK, "%s", k.err.message);
    cr_assert_eq(n, KPI_HEADLINES);
    for (int i = 0; i < KPI_HEADLINES; i++) {
        cr_assert_eq(h[i].kpi, i + 1);
        cr_assert_str_eq(h[i].measure, want[i].measure);
        cr_assert(h[i].known);
        cr_assert_eq(h[i].numerator, want[i].num, "KPI %d", i + 1);
        cr_assert_eq(h[i].denominator, want[i].den, "KPI %d", i + 1);
        cr_assert_str_eq(h[i].rate, want[i].rate, "KPI %d", i + 1);
        cr_assert_str_eq(h[i].rate_unit, want[i].unit, "KPI %d", i + 1);
        cr_assert_not(h[i].provisional);
    }
    /* yj-kpi writes its MANIFEST last: without it the outputs are not whole */
    manifest = ut_path(k.out, "MANIFEST");
    cr_assert_eq(unlink(manifest), 0);
    cr_assert_neq(kpi_headline_read(path, h, &n, &k.err), YJ_OK);
    ut_write(manifest, "yjreturns-manifest 1\nformat.yjreturns-kpi-headline 1\n");
    cr_assert_eq(kpi_headline_read(path, h, &n, &k.err), YJ_OK, "%s", k.err.message);
    ut_write(manifest, "yjreturns-manifest 1\nformat.yjreturns-kpi-headline 2\n");
    cr_assert_eq(kpi_headline_read(path, h, &n, &k.err), YJ_EX_DATAERR);
    snprintf(want_err, sizeof(want_err),
             "'%s' line 2: format yjreturns-kpi-headline 2 is newer than this yjreturns reads "
             "(yjreturns-kpi-headline 1)",
             manifest);
    cr_assert_str_eq(k.err.message, want_err);
    ut_write(manifest, "yjreturns-manifest 1\n");
    ut_write(path, "period,kpi\n");
    cr_assert_eq(kpi_headline_read(path, h, &n, &k.err), YJ_EX_DATAERR);
    snprintf(want_err, sizeof(want_err), "'%s' line 1: not the header of a headline file", path);
    cr_assert_str_eq(k.err.message, want_err);
    /* an empty file is not a headline file with no figures */
    ut_write(path, "");
    cr_assert_eq(kpi_headline_read(path, h, &n, &k.err), YJ_EX_DATAERR);
    cr_assert_str_eq(k.err.message, want_err);
    cr_assert_eq(n, 0);
    free(manifest);
    free(path);
    kret_release(&k);
}

/* ---- focused cases ---- */

/* A child with one referral order: offence 1 (theft, gravity 3, first hearing at 15), outcome
 * on START (First-tier, lived locally, not appealed), programme P1 START..END. */
#define RO_CHILD(ypid, dob, start, end, records)                                                   \
    CHILD(PERSON(ypid, dob)                                                                        \
              OFFENCE("1", HEARING_AGE("15") CATEGORY("THEFT_AND_HANDLING_STOLEN_GOODS")           \
                               GRAVITY("3") OUTCOME(start, "REFERRAL_ORDER", "First-tier"))        \
                  PROGRAMME("P1", start, end, "REFERRAL_ORDER", "") LINK("1", "P1") records)

#define ORDER_LINE(order, ypid, prog)                                                              \
    "0,order," order "," ypid "," prog ",interventionProgramme," prog "\n"

/* The five worklist lines of a child in the cohort with no records at all. */
#define W5(ypid)                                                                                   \
    ypid "," W_NO_ACC ypid "," W_NO_ETE ypid "," W_NO_SEND ypid "," W_NO_MH ypid "," W_NO_SM

/*
 * The programme end against the quarter 2025-04-01..2025-06-30: 06-30 and 04-01 are in it;
 * 07-01 is after it (though before the as-of day 07-02, so kept for other quarters) and
 * 03-31 before it. Born 2009-01-01: 16 on every start.
 */
Test(kpi, programme_end_against_the_quarter)
{
    struct kret k;

    kret_init(&k);
    kret_return(&k, RO_CHILD("YPK0101", "2009-01-01", "2025-01-10", "2025-06-30", "")
                        RO_CHILD("YPK0102", "2009-01-01", "2025-01-10", "2025-07-01", "")
                            RO_CHILD("YPK0103", "2009-01-01", "2025-01-10", "2025-03-31", "")
                                RO_CHILD("YPK0104", "2009-01-01", "2025-01-10", "2025-04-01", ""));
    kret_run_ok(&k);
    cr_assert_eq(k.res.children, 4);
    cr_assert_eq(k.res.cohort, 2);
    kret_assert_file(&k, "cases.csv",
                     "kpi,measure,type_of_order,ypid,unit_id,item,item_id\n" ORDER_LINE(
                         "ro", "YPK0101", "P1") ORDER_LINE("ro", "YPK0104", "P1"));
    kret_assert_file(&k, "worklist.csv", W_HEAD W5("YPK0101") W5("YPK0104"));
    kret_assert_row(&k, "kpi3_send_aln", "Number of  children with an order ending in the period",
                    "0,0,0,2,0,0");
    /* clang-format off */
    kret_assert_file(&k, "worklist.txt",
        "KPI data-quality worklist: MEDWAY 2025Q1, as recorded at 2025-07-02T00:00:00.000000Z\n"
        "children in the return: 4; with an order ending in the period: 2\n"
        "worklist lines: 10 (worklist.csv names each child, record and field)\n"
        "\n"
        "problem                           kpi children  what to record\n"
        "programme_not_linked              all        0  link the programme to the offence and outcome it was made for\n"
        "outcome_no_residence              all        0  record where the child lived on the outcome date\n"
        "code_not_in_kpi_rules             all        0  correct the code: the return failed validation\n"
        "no_accommodation_at_end             1        2  record the accommodation and its suitability current on the order end date\n"
        "accommodation_no_suitability        1        0  record whether the accommodation is suitable\n"
        "no_ete_at_end                       2        2  record the education, training or employment current on the order end date\n"
        "ete_no_suitability                  2        0  record whether the provision is suitable\n"
        "ete_no_hours                        2        0  record the hours a week offered\n"
        "no_send_aln_at_end                  3        2  record whether a SEND/ALN need is identified, current on the order end date\n"
        "send_aln_no_plan                    3        0  record whether a formal plan is in place\n"
        "no_mental_health_screening          4        2  record the mental health screening (or that none was needed)\n"
        "mental_health_no_type               4        0  record the type of intervention offered or attended\n"
        "no_substance_misuse_screening       5        2  record the substance misuse screening (or that none was needed)\n"
        "substance_misuse_no_type            5        0  record the type of intervention offered or attended\n"
        "oocd_no_completion                  6        0  record whether the out-of-court programme was completed\n"
        "offence_no_gravity                  9        0  record the offence's gravity score\n"
        "victim_no_consent                  10        0  record whether the victim consents to contact\n"
        "board_sector_not_in_kpi_rules       8        0  record one of the sectors of kpi/board_sector.csv (or add the code there)\n"
        "\n"
        "headline figures as the YJB's case-level SQL computes them (headline.csv yjb_*; docs/kpi.md lists its readings):\n"
        "kpi measure                      order cell         project      yjb difference\n"
        /* 90 headline lines of 2 cells, less KPI 8 and the KPI 9 rate (no board, no
         * population); neither child has an ETE record, so even the YJB's part time at start
         * (below the threshold, 0 included, for a child with a kept record) is 0 */
        "0 of 176 headline cells differ\n");
    /* clang-format on */
    kret_release(&k);
}

/* A child whose robbery (gravity 6, first hearing at 15) had a referral order on DATE, its
 * programme P1 starting and ending that day. */
#define FIRST_DAY_CHILD(ypid, date)                                                                \
    CHILD(PERSON(ypid, "2008-01-01")                                                               \
              OFFENCE("1", HEARING_AGE("15") CATEGORY("ROBBERY") GRAVITY("6")                      \
                               OUTCOME(date, "REFERRAL_ORDER", "First-tier"))                      \
                  PROGRAMME("P1", date, date, "REFERRAL_ORDER", "") LINK("1", "P1"))

/*
 * The as-of day replaces "today": as of 2025-06-15 (any time that day) a programme ending on
 * 06-15 has ended, one ending on 06-16 has not.
 */
Test(kpi, programme_end_against_the_as_of_day)
{
    struct kret k;

    kret_init(&k);
    kret_return_at(&k, "2025Q1", "2025-06-15T23:59:59.999999Z",
                   RO_CHILD("YPK0111", "2009-01-01", "2025-01-10", "2025-06-15", "")
                       RO_CHILD("YPK0112", "2009-01-01", "2025-01-10", "2025-06-16", "")
                           FIRST_DAY_CHILD("YPK0113", "2025-06-15")
                               FIRST_DAY_CHILD("YPK0114", "2025-06-16"));
    kret_run_ok(&k);
    cr_assert_eq(k.res.cohort, 2);
    kret_assert_grep(&k, "cases.csv", ",order,",
                     ORDER_LINE("ro", "YPK0111", "P1") ORDER_LINE("ro", "YPK0113", "P1"));
    /* KPI 9 likewise: an outcome after the as-of day has not happened yet */
    kret_assert_grep(&k, "cases.csv", "^9,",
                     "9,serious_violence,ro,YPK0113,1,offenceLegalOutcome,offence 1 "
                     "offenceLegalOutcome[1]\n");
    kret_release(&k);
}

/*
 * first_programme_end = 2023-04-01: in 2022Q4 (2023-01-01..03-31) a programme ending
 * 2023-03-31 never counts, nor (KPI 9) an outcome dated 2023-03-31; in 2023Q1 a programme
 * ending 2023-04-01 does, and its offence (robbery, gravity 6, outcome 2023-04-01) is serious
 * violence.
 */
Test(kpi, first_kpi_day)
{
    struct kret k;

    kret_init(&k);
    kret_return_at(&k, "2022Q4", "2023-04-05T00:00:00.000000Z",
                   FIRST_DAY_CHILD("YPK0121", "2023-03-31"));
    kret_run_ok(&k);
    cr_assert_eq(k.res.cohort, 0);
    kret_assert_file(&k, "cases.csv", "kpi,measure,type_of_order,ypid,unit_id,item,item_id\n");
    kret_assert_headline(&k, "serious_violence_share", "all",
                         "2022Q4,9,serious_violence_share,all,kpi9_sv_offences,0,kpi9_offences,0,,"
                         "percent");
    kret_release(&k);

    kret_init(&k);
    kret_return_at(&k, "2023Q1", "2023-07-05T00:00:00.000000Z",
                   FIRST_DAY_CHILD("YPK0122", "2023-04-01"));
    kret_run_ok(&k);
    cr_assert_eq(k.res.cohort, 1);
    kret_assert_grep(&k, "cases.csv", "YPK0122",
                     ORDER_LINE("ro", "YPK0122", "P1") "9,serious_violence,ro,YPK0122,1,"
                                                       "offenceLegalOutcome,offence 1 "
                                                       "offenceLegalOutcome[1]\n");
    kret_release(&k);
}

/*
 * Which candidate is the order (all programmes end in the quarter, all born 2009-01-01):
 * YPK0201: RO (rank 6, outcome 2025-04-01, P1) against YRO (rank 5, outcome 2025-03-01, P2):
 *          the rank wins over the later outcome -> yro P2.
 * YPK0202: two ROs, outcomes 03-01 (P1) and 03-02 (P2): the later outcome -> P2.
 * YPK0203: two ROs on the same day, programmes "10" and "9": the lowest id as a number -> 9
 *          (as text "10" < "9").
 * YPK0204: section 250 (rank 2) ending 2025-07-01, after the quarter, and an RO ending in it:
 *          only orders ending in the quarter compete -> ro P2.
 * YPK0205: two ROs on the same day, programmes "B" and "A": text ids -> A.
 */
#define TWO_ORDERS(ypid, o1, d1, g1, p1, disp1, end1, o2, d2, g2, p2, disp2, end2)                 \
    CHILD(PERSON(ypid, "2009-01-01")                                                               \
              OFFENCE("1", HEARING_AGE("15") CATEGORY("OTHER") OUTCOME(d1, o1, g1))                \
                  OFFENCE("2", HEARING_AGE("15") CATEGORY("OTHER") OUTCOME(d2, o2, g2))            \
                      PROGRAMME(p1, d1, end1, disp1, "") PROGRAMME(p2, d2, end2, disp2, "")        \
                          LINK("1", p1) LINK("2", p2))
Test(kpi, most_serious_then_latest_then_lowest_programme)
{
    struct kret k;

    kret_init(&k);
    kret_return(
        &k,
        TWO_ORDERS("YPK0201", "REFERRAL_ORDER", "2025-04-01", "First-tier", "P1", "REFERRAL_ORDER",
                   "2025-06-01", "YOUTH_REHABILITATION_ORDER", "2025-03-01", "Community", "P2",
                   "YOUTH_REHABILITATION_ORDER", "2025-05-01")
            TWO_ORDERS("YPK0202", "REFERRAL_ORDER", "2025-03-01", "First-tier", "P1",
                       "REFERRAL_ORDER", "2025-06-01", "REFERRAL_ORDER", "2025-03-02", "First-tier",
                       "P2", "REFERRAL_ORDER", "2025-05-01")
                TWO_ORDERS("YPK0203", "REFERRAL_ORDER", "2025-03-01", "First-tier", "10",
                           "REFERRAL_ORDER", "2025-06-01", "REFERRAL_ORDER", "2025-03-01",
                           "First-tier", "9", "REFERRAL_ORDER", "2025-05-01")
                    TWO_ORDERS("YPK0204", "SECTION_250", "2025-01-01", "Custody", "P1",
                               "SECTION_250", "2025-07-01", "REFERRAL_ORDER", "2025-03-01",
                               "First-tier", "P2", "REFERRAL_ORDER", "2025-05-01")
                        TWO_ORDERS("YPK0205", "REFERRAL_ORDER", "2025-03-01", "First-tier", "B",
                                   "REFERRAL_ORDER", "2025-06-01", "REFERRAL_ORDER", "2025-03-01",
                                   "First-tier", "A", "REFERRAL_ORDER", "2025-05-01"));
    kret_run_ok(&k);
    kret_assert_grep(&k, "cases.csv", ",order,",
                     ORDER_LINE("yro", "YPK0201", "P2") ORDER_LINE("ro", "YPK0202", "P2")
                         ORDER_LINE("ro", "YPK0203", "9") ORDER_LINE("ro", "YPK0204", "P2")
                             ORDER_LINE("ro", "YPK0205", "A"));
    kret_release(&k);
}

/*
 * The outcome filters. Referral orders 2025-01-10..2025-05-01, born 2009-01-01.
 * YPK0301 CHANGED_ON_APPEAL, YPK0302 RESULT_OF_APPEAL_SUCCESSFUL: dropped.
 * YPK0303 RESULT_OF_APPEAL_UNSUCCESSFUL, YPK0304 no appeal status: count.
 * YPK0305 residence OTHER: dropped, silently. YPK0306 no residence: dropped, and on the
 * worklist. YPK0307: a programme ending in the quarter that no offence links to: worklist.
 * YPK0308: a FINE linked to the programme: the legal outcome does not count.
 * YPK0309: a DTO linked to its DTO_CUSTODY programme: the disposal type does not count.
 */
#define FILTER_CHILD(ypid, pre, legal, post, disposal, link)                                       \
    CHILD(PERSON(ypid, "2009-01-01")                                                               \
              OFFENCE("1", HEARING_AGE("15") CATEGORY("OTHER")                                     \
                               OUTCOME_X("2025-01-10", pre, legal, "First-tier", post))            \
                  PROGRAMME("P1", "2025-01-10", "2025-05-01", disposal, "") link)
Test(kpi, appeal_residence_and_counting_codes)
{
    struct kret k;

    kret_init(&k);
    kret_return(
        &k,
        FILTER_CHILD("YPK0301", APPEAL("CHANGED_ON_APPEAL"), "REFERRAL_ORDER", LIVED("LOCAL"),
                     "REFERRAL_ORDER", LINK("1", "P1"))
            FILTER_CHILD("YPK0302", APPEAL("RESULT_OF_APPEAL_SUCCESSFUL"), "REFERRAL_ORDER",
                         LIVED("LOCAL"), "REFERRAL_ORDER", LINK("1", "P1"))
                FILTER_CHILD("YPK0303", APPEAL("RESULT_OF_APPEAL_UNSUCCESSFUL"), "REFERRAL_ORDER",
                             LIVED("LOCAL"), "REFERRAL_ORDER", LINK("1", "P1"))
                    FILTER_CHILD("YPK0304", "", "REFERRAL_ORDER", LIVED("LOCAL"), "REFERRAL_ORDER",
                                 LINK("1", "P1")) FILTER_CHILD("YPK0305", "", "REFERRAL_ORDER",
                                                               LIVED("OTHER"), "REFERRAL_ORDER",
                                                               LINK("1", "P1"))
                        FILTER_CHILD("YPK0306", "", "REFERRAL_ORDER", "", "REFERRAL_ORDER",
                                     LINK("1", "P1"))
                            FILTER_CHILD("YPK0307", "", "REFERRAL_ORDER", LIVED("LOCAL"),
                                         "REFERRAL_ORDER", "")
                                FILTER_CHILD("YPK0308", "", "FINE", LIVED("LOCAL"),
                                             "REFERRAL_ORDER", LINK("1", "P1"))
                                    FILTER_CHILD("YPK0309", "", "DETENTION_AND_TRAINING_ORDER",
                                                 LIVED("LOCAL"), "DTO_CUSTODY", LINK("1", "P1")));
    kret_run_ok(&k);
    cr_assert_eq(k.res.cohort, 2);
    kret_assert_grep(&k, "cases.csv", ",order,",
                     ORDER_LINE("ro", "YPK0303", "P1") ORDER_LINE("ro", "YPK0304", "P1"));
    kret_assert_file(&k, "worklist.csv",
                     W_HEAD W5("YPK0303") W5("YPK0304") "YPK0306,all,outcome_no_residence,"
                                                        "offenceLegalOutcome,offence 1 "
                                                        "offenceLegalOutcome[1],"
                                                        "residenceOnLegalOutcomeDate,record "
                                                        "where the child lived on the outcome "
                                                        "date\n"
                                                        "YPK0307,all,programme_not_linked,"
                                                        "interventionProgramme,P1,"
                                                        "offenceProgrammeLink,link the programme "
                                                        "to the offence and outcome it was made "
                                                        "for\n");
    kret_assert_grep(&k, "recording.csv", "_no_residence,",
                     "2025Q1," KRET_AS_OF ",outcome_no_residence,0,offenceLegalOutcome,"
                     "residenceOnLegalOutcomeDate,1\n");
    kret_release(&k);
}

/*
 * Age at the start of the order: completed years on the programme start (on the outcome date
 * for a DTO licence), 10 to 17. Programmes start 2025-05-01 unless said.
 * YPK0401 born 2007-05-01: 18 that day -> dropped. YPK0402 born 2007-05-02: 17 -> counts.
 * YPK0403 born 2015-05-01: 10 that day -> counts. YPK0404 born 2015-05-02: 9 -> dropped.
 * YPK0405 born 2007-03-01, DTO outcome 2025-02-28 (17), licence from 2025-04-01 (18): the
 *         licence takes the age on the outcome date -> counts, cust.
 * YPK0406 the same with the DTO outcome on 2025-03-01 (18) -> dropped.
 * YPK0407 born 2007-03-01, section 250 outcome 2025-02-28 (17), programme from 2025-03-01
 *         (18): section 250 takes the age on the programme start -> dropped.
 */
#define AGE_CHILD(ypid, dob, date, legal, group, start, disposal)                                  \
    CHILD(PERSON(ypid, dob)                                                                        \
              OFFENCE("1", HEARING_AGE("15") CATEGORY("OTHER") OUTCOME(date, legal, group))        \
                  PROGRAMME("P1", start, "2025-06-01", disposal, "") LINK("1", "P1"))
Test(kpi, age_at_the_start_of_the_order)
{
    struct kret k;

    kret_init(&k);
    kret_return(&k, AGE_CHILD("YPK0401", "2007-05-01", "2025-05-01", "REFERRAL_ORDER", "First-tier",
                              "2025-05-01", "REFERRAL_ORDER")
                        AGE_CHILD("YPK0402", "2007-05-02", "2025-05-01", "REFERRAL_ORDER",
                                  "First-tier", "2025-05-01", "REFERRAL_ORDER")
                            AGE_CHILD("YPK0403", "2015-05-01", "2025-05-01", "REFERRAL_ORDER",
                                      "First-tier", "2025-05-01", "REFERRAL_ORDER")
                                AGE_CHILD("YPK0404", "2015-05-02", "2025-05-01", "REFERRAL_ORDER",
                                          "First-tier", "2025-05-01", "REFERRAL_ORDER")
                                    AGE_CHILD("YPK0405", "2007-03-01", "2025-02-28",
                                              "DETENTION_AND_TRAINING_ORDER", "Custody",
                                              "2025-04-01", "DTO_LICENCE")
                                        AGE_CHILD("YPK0406", "2007-03-01", "2025-03-01",
                                                  "DETENTION_AND_TRAINING_ORDER", "Custody",
                                                  "2025-04-01", "DTO_LICENCE")
                                            AGE_CHILD("YPK0407", "2007-03-01", "2025-02-28",
                                                      "SECTION_250", "Custody", "2025-03-01",
                                                      "SECTION_250"));
    kret_run_ok(&k);
    kret_assert_grep(&k, "cases.csv", ",order,",
                     ORDER_LINE("ro", "YPK0402", "P1") ORDER_LINE("ro", "YPK0403", "P1")
                         ORDER_LINE("cust", "YPK0405", "P1"));
    kret_release(&k);
}

/*
 * The "at start" day and kept records (KPI 1), all born 2009-01-01.
 * YPK0501 section 250, outcome 2025-01-10, programme 2025-01-15..2025-06-15: at-start day
 *   2025-01-14 (programme_start-1). residence[1] parents SUITABLE ..2025-01-14: kept, at
 *   start. residence[2] temporary UNSUITABLE ..2025-01-13: ends before the at-start day, not
 *   kept. residence[3] family SUITABLE from 2025-01-15, open: at end, not at start.
 *   -> suitable start (residence[1]), suitable end (residence[3]).
 * YPK0502 referral order, programme 2025-01-15..2025-06-15: at-start day 2025-01-15.
 *   residence[1] parents SUITABLE ..2025-01-14: not kept (that is custody's day).
 *   residence[2] temporary UNSUITABLE ..2025-01-15: kept, at start only. residence[3] family
 *   SUITABLE from 2025-01-15: at start and end. -> unsuitable start (residence[2]), suitable
 *   end (residence[3]).
 * YPK0503 DTO outcome 2024-12-01, licence programme 2025-03-01..2025-06-10: at-start day
 *   2024-11-30 (outcome_date-1). residence[1] parents SUITABLE ..2024-11-30: kept, at start.
 *   residence[2] temporary UNSUITABLE ..2024-11-29: not kept. residence[3] YOI SUITABLE from
 *   2024-12-01: at end only. -> suitable start [1], suitable end [3].
 * Template (cust from 0501 and 0503, ro from 0502):
 *   YOI cust 1,0,0,,,1,0; parents cust 2,2,0,,,0,0; family ro 1,1,0,1,0 and
 *   cust 1,0,0,,,1,0; temporary ro 1,0,1,0,0.
 */
#define AT_START_CHILD(ypid, legal, group, date, start, end, disposal, records)                    \
    CHILD(PERSON(ypid, "2009-01-01")                                                               \
              OFFENCE("1", HEARING_AGE("15") CATEGORY("OTHER") OUTCOME(date, legal, group))        \
                  PROGRAMME("P1", start, end, disposal, "") LINK("1", "P1") records)
Test(kpi, at_start_day_by_disposal_type)
{
    struct kret k;

    kret_init(&k);
    kret_return(
        &k,
        AT_START_CHILD(
            "YPK0501", "SECTION_250", "Custody", "2025-01-10", "2025-01-15", "2025-06-15",
            "SECTION_250",
            RESIDENCE("2024-06-01", "2025-01-14", "LIVING_WITH_PARENT_S", "SUITABLE")
                RESIDENCE("2024-06-01", "2025-01-13", "TEMPORARY_ACCOMMODATION", "UNSUITABLE")
                    RESIDENCE("2025-01-15", OPEN, "LIVING_WITH_FAMILY_NOT_PARENTS", "SUITABLE"))
            AT_START_CHILD(
                "YPK0502", "REFERRAL_ORDER", "First-tier", "2025-01-15", "2025-01-15", "2025-06-15",
                "REFERRAL_ORDER",
                RESIDENCE("2024-06-01", "2025-01-14", "LIVING_WITH_PARENT_S", "SUITABLE")
                    RESIDENCE("2024-06-01", "2025-01-15", "TEMPORARY_ACCOMMODATION", "UNSUITABLE")
                        RESIDENCE("2025-01-15", OPEN, "LIVING_WITH_FAMILY_NOT_PARENTS", "SUITABLE"))
                AT_START_CHILD(
                    "YPK0503", "DETENTION_AND_TRAINING_ORDER", "Custody", "2024-12-01",
                    "2025-03-01", "2025-06-10", "DTO_LICENCE",
                    RESIDENCE("2024-01-01", "2024-11-30", "LIVING_WITH_PARENT_S", "SUITABLE")
                        RESIDENCE("2024-01-01", "2024-11-29", "TEMPORARY_ACCOMMODATION",
                                  "UNSUITABLE") RESIDENCE("2024-12-01", OPEN, "YOI", "SUITABLE")));
    kret_run_ok(&k);
    kret_assert_grep(&k, "cases.csv", "^1,",
                     "1,suitable_start,cust,YPK0501,,residence,residence[1]\n"
                     "1,suitable_end,cust,YPK0501,,residence,residence[3]\n"
                     "1,unsuitable_start,ro,YPK0502,,residence,residence[2]\n"
                     "1,suitable_end,ro,YPK0502,,residence,residence[3]\n"
                     "1,suitable_start,cust,YPK0503,,residence,residence[1]\n"
                     "1,suitable_end,cust,YPK0503,,residence,residence[3]\n");
    kret_assert_row(&k, "kpi1_accommodation_detail", "YOI",
                    Z5 "," Z5 "," Z5 "," Z5 "," Z5 ",1,0,0,,,1,0,,,,,");
    kret_assert_row(&k, "kpi1_accommodation_detail", "Living with parent(s)",
                    Z5 "," Z5 "," Z5 "," Z5 "," Z5 ",2,2,0,,,0,0,,,,,");
    kret_assert_row(&k, "kpi1_accommodation_detail", "Living with family (not parents)",
                    Z5 "," Z5 "," Z5 ",1,1,0,1,0," Z5 ",1,0,0,,,1,0,,,,,");
    kret_assert_row(&k, "kpi1_accommodation_detail", "Temporary accomodation",
                    Z5 "," Z5 "," Z5 ",1,0,1,0,0," Z5 "," K1C0 ",,,,,");
    /* H1: all three suitable at the end */
    kret_assert_headline(&k, "accommodation", "all",
                         "2025Q1,1,accommodation,all,kpi1_total_suitable_end,3,kpi1_total_ypid,3,"
                         "100.0,percent");
    kret_release(&k);
}

/*
 * Open and missing ends. YPK0601, referral order 2025-04-01..2025-06-01:
 *   residence[1] UNSUITABLE with no kpi1EndDate: not read (not open);
 *   residence[2] no start date, open, UNSUITABLE: not read;
 *   residence[3] SUITABLE open (1900-01-01): at start and end;
 *   residence[4] no suitability, open: not counted, on the worklist.
 *   -> suitable at start and end, both decided by residence[3].
 * YPK0602: programme with no endDate: no order. YPK0603: programme end 1900-01-01 (open): no
 *   order.
 */
Test(kpi, open_end_against_missing_end)
{
    struct kret k;

    kret_init(&k);
    kret_return(
        &k,
        RO_CHILD(
            "YPK0601", "2009-01-01", "2025-04-01", "2025-06-01",
            RESIDENCE_X(
                "2025-01-01", "", "LIVING_WITH_PARENT_S",
                "<kpi1AccommodationSuitability>UNSUITABLE</"
                "kpi1AccommodationSuitability>") "<residence><kpi1EndDate>1900-01-01</"
                                                 "kpi1EndDate><kpi1AccommodationType>"
                                                 "LIVING_WITH_PARENT_S</"
                                                 "kpi1AccommodationType><"
                                                 "kpi1AccommodationSuitability>"
                                                 "UNSUITABLE</kpi1AccommodationSuitability></"
                                                 "residence>\n" RESIDENCE("2025-01-01", OPEN,
                                                                          "LIVING_WITH_PARENT_S",
                                                                          "SUITABLE")
                                                     RESIDENCE_X(
                                                         "2025-01-01",
                                                         "<kpi1EndDate>1900-01-01</kpi1EndDate>",
                                                         "FOSTER_CARE_LA", ""))
            CHILD(PERSON("YPK0602", "2009-01-01")
                      OFFENCE("1", HEARING_AGE("15") CATEGORY("OTHER")
                                       OUTCOME("2025-04-01", "REFERRAL_ORDER", "First-tier"))
                          PROGRAMME_X("P1", "2025-04-01", "", "REFERRAL_ORDER", "") LINK("1", "P1"))
                RO_CHILD("YPK0603", "2009-01-01", "2025-04-01", OPEN, ""));
    kret_run_ok(&k);
    cr_assert_eq(k.res.cohort, 1);
    kret_assert_file(
        &k, "cases.csv",
        "kpi,measure,type_of_order,ypid,unit_id,item,item_id\n" ORDER_LINE(
            "ro", "YPK0601", "P1") "1,suitable_start,ro,YPK0601,,residence,residence[3]\n"
                                   "1,suitable_end,ro,YPK0601,,residence,residence[3]\n");
    kret_assert_grep(&k, "worklist.csv", "^YPK0601,1,",
                     "YPK0601,1,accommodation_no_suitability,residence,residence[4],"
                     "kpi1AccommodationSuitability,record whether the accommodation is "
                     "suitable\n");
    kret_assert_row(&k, "kpi1_accommodation_detail", "Living with parent(s)",
                    Z5 "," Z5 "," Z5 ",1,1,0,1,0," Z5 "," K1C0 ",,,,,");
    kret_assert_row(&k, "kpi1_accommodation_detail", "Foster Care",
                    Z5 "," Z5 "," Z5 "," Z5 "," Z5 "," K1C0 ",,,,,");
    kret_release(&k);
}

/*
 * KPI 2 hours at each band edge. Referral orders 2025-04-01..2025-06-01; one open SUITABLE
 * record each, present at start and end. School age: born 2011-01-01 (13 on 2024-08-31),
 * SCHOOL_FULL_TIME; above: born 2008-06-01 (16 on 2024-08-31, 16 on the start), COLLEGE.
 * Hours attended 3 where hours are offered (band 1-15), none where 0 are offered.
 *   school 0 h: no band, neither part nor full time; 1, 15: part time, 1-15; 16, 24: part
 *   time (< 25), 16-24; 25: full time, 25+.
 *   above 0 h: nothing; 15: part time (< 16), 1-15; 16: full time, 16-24.
 *   YPK0709 school NONE UNSUITABLE, no hours: not in ETE, not suitable, no hours problem.
 *   YPK0710 school SCHOOL_FULL_TIME SUITABLE without hoursOffered: worklist ete_no_hours;
 *   its eteStatus[2] OTHER without suitability is not read (worklist ete_no_suitability).
 * ro cells (school total, start, end, above total, start, end):
 *   children 8,8,8,3,3,3; suitable 7,7,7,3,3,3; not in ETE 1,1,1,0,0,0;
 *   part time 4,4,4,1,1,1; full time 1,1,1,1,1,1; School (full-time) 7,7,7,0,0,0;
 *   College 0,0,0,3,3,3; Other 0; offered 1-15 2,2,2,1,1,1; 16-24 2,2,2,1,1,1;
 *   25+ 1,1,1,0,0,0; attended 1-15 5,5,5,2,2,2, other attended bands 0.
 * H2 ro: 10 suitable at the end of 11 = 90.9.
 */
#define ETE_CHILD(ypid, dob, records) RO_CHILD(ypid, dob, "2025-04-01", "2025-06-01", records)
#define HOURS(ypid, dob, prov, off, att)                                                           \
    ETE_CHILD(ypid, dob, ETE("2024-09-01", OPEN, prov, "SUITABLE", off att))
#define SCHOOL "2011-01-01"
#define ABOVE "2008-06-01"
Test(kpi, ete_hours_bands_and_full_time)
{
    struct kret k;

    kret_init(&k);
    kret_return(
        &k,
        HOURS("YPK0700", SCHOOL, "SCHOOL_FULL_TIME", OFFERED("0"),
              "") HOURS("YPK0701", SCHOOL, "SCHOOL_FULL_TIME", OFFERED("1"), ATTENDED("3"))
            HOURS("YPK0702", SCHOOL, "SCHOOL_FULL_TIME", OFFERED("15"), ATTENDED("3")) HOURS(
                "YPK0703", SCHOOL, "SCHOOL_FULL_TIME", OFFERED("16"), ATTENDED("3"))
                HOURS("YPK0704", SCHOOL, "SCHOOL_FULL_TIME", OFFERED("24"), ATTENDED("3")) HOURS(
                    "YPK0705", SCHOOL, "SCHOOL_FULL_TIME", OFFERED("25"),
                    ATTENDED("3")) HOURS("YPK0706", ABOVE, "COLLEGE", OFFERED("0"), "")
                    HOURS("YPK0707", ABOVE, "COLLEGE", OFFERED("15"), ATTENDED("3"))
                        HOURS("YPK0708", ABOVE, "COLLEGE", OFFERED("16"), ATTENDED("3")) ETE_CHILD(
                            "YPK0709", SCHOOL, ETE("2024-09-01", OPEN, "NONE", "UNSUITABLE", ""))
                            ETE_CHILD("YPK0710", SCHOOL,
                                      ETE("2024-09-01", OPEN, "SCHOOL_FULL_TIME", "SUITABLE", "")
                                          ETE_X("2024-09-01", OPEN, "OTHER", "", OFFERED("30"))));
    kret_run_ok(&k);
#define ROW2(label, ro)                                                                            \
    kret_assert_row(&k, "kpi2_ete", label, "," Z6 "," Z6 "," Z6 "," ro "," Z6 "," K2C0)
    ROW2("Number of children with an order closing in the period", "8,8,8,3,3,3");
    ROW2("Number of children in suitable ETE with an order closing in the period", "7,7,7,3,3,3");
    ROW2("Number of children not in ETE with an order closing in the period", "1,1,1,0,0,0");
    ROW2("Number of children in part time ETE with an order closing in the period", "4,4,4,1,1,1");
    ROW2("Number of children in full time ETE with an order closing in the period ", "1,1,1,1,1,1");
    ROW2("School (full-time)", "7,7,7,0,0,0");
    ROW2("College", "0,0,0,3,3,3");
    ROW2("Other", Z6);
#undef ROW2
#define ROW2(label, ro)                                                                            \
    kret_assert_row(&k, "kpi2_ete", label, Z6 "," Z6 "," Z6 "," ro "," Z6 "," K2C0)
    ROW2("1 - 15 hours,Hours offered per week", "2,2,2,1,1,1");
    ROW2("16 - 24 hours,Hours offered per week", "2,2,2,1,1,1");
    ROW2("25 hours plus,Hours offered per week", "1,1,1,0,0,0");
    ROW2("1 - 15 hours,Hours attended per week", "5,5,5,2,2,2");
    ROW2("16 - 24 hours,Hours attended per week", Z6);
    ROW2("25 hours plus,Hours attended per week", Z6);
#undef ROW2
    kret_assert_grep(&k, "worklist.csv", ",2,",
                     "YPK0710,2,ete_no_hours,eteStatus,eteStatus[1],hoursOffered,record the "
                     "hours a week offered\n"
                     "YPK0710,2,ete_no_suitability,eteStatus,eteStatus[2],suitability,record "
                     "whether the provision is suitable\n");
    kret_assert_headline(&k, "ete", "ro",
                         "2025Q1,2,ete,ro,kpi2_total_suitable_end,10,kpi2_total_ypid,11,90.9,"
                         "percent");
    kret_release(&k);
}

/*
 * School age at the 31 August edge, quarter 2025Q2 (2025-07-01..09-30) as of 2025-10-02.
 * Referral orders from 2025-04-01 (school age at start: the last 31 August is 2024-08-31),
 * one open SUITABLE record of 20 hours offered (part time at school age, full time above).
 * YPK0711 born 2009-08-31, order ends 2025-08-31: that day is itself a 31 August, on which
 *   the child is 16: above school age at the end. Start school/part, end above/full; the
 *   total columns follow the end: children school_start 1, above_total 1, above_end 1;
 *   part time school_start 1, above_total 1; full time above_total 1, above_end 1.
 * YPK0712 born 2009-08-31, order ends 2025-08-30: the last 31 August is 2024-08-31 (15):
 *   school age at both: children and part time 1,1,1 school.
 * YPK0713 born 2009-09-01, order ends 2025-08-31: 15 on 2025-08-31: school age at both.
 * YPK0714 born 2008-08-15, DTO outcome 2024-08-30, licence 2024-09-02..2025-08-30: school age
 *   at start is taken on the outcome date (15 on 2023-08-31: school age; on the programme
 *   start it would be 16 on 2024-08-31), above at the end (16 on 2024-08-31); the record
 *   from 2024-08-01 covers the at-start day 2024-08-29 (outcome_date-1): cust children
 *   school_start 1, above_total 1, above_end 1; part time school_start, above_total; full time
 *   above_total, above_end.
 */
#define SCHOOL_AGE_CHILD(ypid, dob, end)                                                           \
    RO_CHILD(ypid, dob, "2025-04-01", end,                                                         \
             ETE("2024-09-01", OPEN, "SCHOOL_FULL_TIME", "SUITABLE", OFFERED("20")))
Test(kpi, school_age_on_the_31_august_edge)
{
    struct kret k;

    kret_init(&k);
    kret_return_at(
        &k, "2025Q2", "2025-10-02T00:00:00.000000Z",
        SCHOOL_AGE_CHILD("YPK0711", "2009-08-31",
                         "2025-08-31") SCHOOL_AGE_CHILD("YPK0712", "2009-08-31", "2025-08-30")
            SCHOOL_AGE_CHILD("YPK0713", "2009-09-01", "2025-08-31") CHILD(
                PERSON("YPK0714", "2008-08-15") OFFENCE(
                    "1", HEARING_AGE("15") CATEGORY("OTHER")
                             OUTCOME("2024-08-30", "DETENTION_AND_TRAINING_ORDER", "Custody"))
                    PROGRAMME("P1", "2024-09-02", "2025-08-30", "DTO_LICENCE", "") LINK("1", "P1")
                        ETE("2024-08-01", OPEN, "SCHOOL_FULL_TIME", "SUITABLE", OFFERED("20"))));
    kret_run_ok(&k);
    cr_assert_eq(k.res.cohort, 4);
#define ROW2(label, ro, cust)                                                                      \
    kret_assert_row(&k, "kpi2_ete", label, "," Z6 "," Z6 "," Z6 "," ro "," Z6 "," cust)
    ROW2("Number of children with an order closing in the period", "2,3,2,1,0,1", "0,1,,0,1,0,,1");
    ROW2("Number of children in part time ETE with an order closing in the period", "2,3,2,1,0,0",
         "0,1,,0,1,0,,0");
    ROW2("Number of children in full time ETE with an order closing in the period ", "0,0,0,1,0,1",
         "0,0,,0,1,0,,1");
#undef ROW2
    kret_release(&k);
}

/*
 * KPI 3, referral orders 2025-04-01..2025-06-01; sendAln records from 2024-09-01.
 * YPK0801 YES/plan YES open, ETE SUITABLE: identified, plan, in suitable ETE.
 * YPK0802 YES/plan NO: identified only. YPK0803 NO/plan YES: not identified.
 * YPK0804 YES without a plan field: identified; worklist send_aln_no_plan.
 * YPK0805 "Yes" (not the return's YES) / plan YES: not identified.
 * YPK0806 YES/YES ending 2025-05-31, before the order end: not current; worklist no SEND.
 * YPK0807 YES/YES ending 2025-06-01, the order end: current; ETE UNSUITABLE: identified,
 *         plan, not in suitable ETE.
 * YPK0808 sendAln[1] YES/NO and sendAln[2] YES/YES: plan, decided by sendAln[2].
 * ro: children 8, identified 5 (0801, 0802, 0804, 0807, 0808), plan 3 (0801, 0807, 0808),
 * identified in suitable ETE 1. H3 3/5 = 60.0.
 */
#define SEND_CHILD(ypid, records) RO_CHILD(ypid, "2010-01-01", "2025-04-01", "2025-06-01", records)
Test(kpi, send_aln_identified_plan_and_suitable_ete)
{
    struct kret k;

    kret_init(&k);
    kret_return(
        &k,
        SEND_CHILD("YPK0801", SEND("YES", PLAN("YES"), "2024-09-01", OPEN)
                                  ETE("2024-09-01", OPEN, "SCHOOL_FULL_TIME", "SUITABLE", ""))
            SEND_CHILD("YPK0802", SEND("YES", PLAN("NO"), "2024-09-01", OPEN)) SEND_CHILD(
                "YPK0803", SEND("NO", PLAN("YES"), "2024-09-01",
                                OPEN)) SEND_CHILD("YPK0804", SEND("YES", "", "2024-09-01", OPEN))
                SEND_CHILD("YPK0805", SEND("Yes", PLAN("YES"), "2024-09-01", OPEN)) SEND_CHILD(
                    "YPK0806", SEND("YES", PLAN("YES"), "2024-09-01", "2025-05-31"))
                    SEND_CHILD("YPK0807",
                               SEND("YES", PLAN("YES"), "2024-09-01", "2025-06-01")
                                   ETE("2024-09-01", OPEN, "SCHOOL_FULL_TIME", "UNSUITABLE", ""))
                        SEND_CHILD("YPK0808", SEND("YES", PLAN("NO"), "2024-09-01", OPEN)
                                                  SEND("YES", PLAN("YES"), "2024-09-01", OPEN)));
    kret_run_ok(&k);
    kret_assert_file(
        &k, "kpi3_send_aln.csv",
        "return_status_id,reporting_date,yot_code,description,ns,yjs,ycc,ro,yro,cust\n" KRET_ROW
        "Number of  children with an order ending in the period,0,0,0,8,0,0\n" KRET_ROW
        "Number with an identified SEND/ALN,0,0,0,5,0,0\n" KRET_ROW
        "Number of children who have a formal plan in place for the current academic "
        "year,0,0,0,3,0,0\n" KRET_ROW
        "Number of children with an identified SEND/ALN need in suitable ETE,0,0,0,1,0,0\n");
    kret_assert_grep(&k, "cases.csv", "^3,",
                     "3,formal_plan,ro,YPK0801,,sendAln,sendAln[1]\n"
                     "3,identified_no_plan,ro,YPK0802,,sendAln,sendAln[1]\n"
                     "3,identified_no_plan,ro,YPK0804,,sendAln,sendAln[1]\n"
                     "3,formal_plan,ro,YPK0807,,sendAln,sendAln[1]\n"
                     "3,formal_plan,ro,YPK0808,,sendAln,sendAln[2]\n");
    kret_assert_grep(&k, "worklist.csv", ",3,",
                     "YPK0804,3,send_aln_no_plan,sendAln,sendAln[1],kpi3SendFormalPlan,record "
                     "whether a formal plan is in place\n"
                     "YPK0806," W_NO_SEND);
    kret_assert_headline(&k, "send_aln", "all",
                         "2025Q1,3,send_aln,all,kpi3_sendaln_plan,3,kpi3_identified_sendaln,5,"
                         "60.0,percent");
    kret_release(&k);
}

/*
 * KPI 4 (and a little of KPI 5). Referral orders 2025-04-01..2025-06-01 (at-start day
 * 2025-04-01), born 2010-01-01. mentalHealth (screened, offered, attended start, end, type):
 * YPK0901 03-01, -, 02-01, open, HELP: in treatment at start (02-01 <= 04-01, open), before
 *         the screening: prior to screening and order; need; offered and attending help
 *         through the treatment. substanceMisuse 04-02, 04-03, 04-04, SPECIALIST: need,
 *         offered and attending specialist.
 * YPK0902 01-01, -, 02-01..03-31, HELP: the treatment ended before the at-start day: not in
 *         treatment; need (a screening date); no offer. substanceMisuse 04-02, -, 04-03, no
 *         type: need, worklist substance_misuse_no_type.
 * YPK0903 1900-01-01, 04-10, -, ADVICE: no screening date and no treatment: no need; the
 *         offer still fills the offered-advice row.
 * YPK0904 screened 06-02, after the order end: not read; worklist no screening.
 * YPK0905 06-01 (the end), offered 06-01, attended from 06-02, RISK_SUPPORT: need, offered,
 *         not attending (after the end).
 * YPK0906 05-01, offered 03-31 (before the start), attended from 04-02, ADDITIONAL_HELP: need,
 *         not offered, attending additional help; not in treatment (04-02 > 04-01).
 * YPK0907 04-05, offered 04-06, no type: need, not offered; worklist mental_health_no_type.
 * YPK0908 04-05, offered 04-06, NO_INTERVENTION: need, not offered, no problem.
 * YPK0909 04-10, -, 01-01..04-01 (ends on the at-start day), ADVICE: in treatment at start,
 *         before the screening; need, offered and attending advice.
 * YPK0910 04-01, offered 04-01 (the start), attended from 06-01 (the end), RISK_SUPPORT: need,
 *         offered, attending.
 * ro: children 10; prior screening 2 (0901, 0909), prior order 2; need 8; offered advice 2
 * (0903, 0909), help 1, additional help 0, risk support 2 (0905, 0910); attending advice 1,
 * help 1, additional help 1 (0906), risk support 1 (0910). H4 4/8 = 50.0 (0901, 0905, 0909,
 * 0910); H4A 8/10 = 80.0. KPI 5: need 2 (0901, 0902), offered and attending specialist 1;
 * H5 1/2 = 50.0.
 */
#define MH_CHILD(ypid, records) RO_CHILD(ypid, "2010-01-01", "2025-04-01", "2025-06-01", records)
Test(kpi, mental_health_and_substance_misuse)
{
    struct kret k;

    kret_init(&k);
    kret_return(
        &k,
        MH_CHILD("YPK0901", MH("2025-03-01", OPEN, "2025-02-01", OPEN, MH_TYPE("GETTING_HELP"))
                                SM("2025-04-02", "2025-04-03", "2025-04-04", OPEN,
                                   SM_TYPE("SPECIALIST_SUBSTANCE_MISUSE_TREATMENT")))
            MH_CHILD("YPK0902",
                     MH("2025-01-01", OPEN, "2025-02-01", "2025-03-31", MH_TYPE("GETTING_HELP"))
                         SM("2025-04-02", OPEN, "2025-04-03", OPEN, ""))
                MH_CHILD("YPK0903", MH(OPEN, "2025-04-10", OPEN, OPEN, MH_TYPE("GETTING_ADVICE")))
                    MH_CHILD("YPK0904",
                             MH("2025-06-02", "2025-06-02", OPEN, OPEN, MH_TYPE("GETTING_HELP")))
                        MH_CHILD("YPK0905", MH("2025-06-01", "2025-06-01", "2025-06-02", OPEN,
                                               MH_TYPE("GETTING_RISK_SUPPORT")))
                            MH_CHILD("YPK0906", MH("2025-05-01", "2025-03-31", "2025-04-02", OPEN,
                                                   MH_TYPE("GETTING_ADDITIONAL_HELP")))
                                MH_CHILD("YPK0907", MH("2025-04-05", "2025-04-06", OPEN, OPEN, ""))
                                    MH_CHILD("YPK0908", MH("2025-04-05", "2025-04-06", OPEN, OPEN,
                                                           MH_TYPE("NO_INTERVENTION")))
                                        MH_CHILD("YPK0909",
                                                 MH("2025-04-10", OPEN, "2025-01-01", "2025-04-01",
                                                    MH_TYPE("GETTING_ADVICE")))
                                            MH_CHILD("YPK0910",
                                                     MH("2025-04-01", "2025-04-01", "2025-06-01",
                                                        OPEN, MH_TYPE("GETTING_RISK_SUPPORT"))));
    kret_run_ok(&k);
    /* clang-format off */
    kret_assert_file(&k, "kpi4_mhew.csv",
        K345_HEAD
        K4("Number of  children with an order ending in the period", Z3, Z3, Z3, "10,10,10", Z3, Z3)
        K4("Number receiving treatment for mental health or emotional wellbeing prior to screening by YJS", T0, T0, T0, "2,2,", T0, T0)
        K4("Number receiving treatment for mental health or emotional wellbeing prior to the start of the order", T0, T0, T0, "2,2,", T0, T0)
        K4("Number of children with a screened OR identified need for an intervention to improve mental health or emotional wellbeing", N0, N0, N0, "8,,8", N0, N0)
        K4("Getting Advice: Number of planned or offered interventions", N0, N0, N0, "2,,2", N0, N0)
        K4("Getting Help: Number of planned or offered interventions", N0, N0, N0, "1,,1", N0, N0)
        K4("Getting Additional Help: Number of planned or offered interventions", N0, N0, N0, N0, N0, N0)
        K4("Getting Risk Support: Number of planned or offered interventions", N0, N0, N0, "2,,2", N0, N0)
        K4("Getting Advice: Number of children attending intervention", N0, N0, N0, "1,,1", N0, N0)
        K4("Getting Help: Number of children attending intervention", N0, N0, N0, "1,,1", N0, N0)
        K4("Getting Additional Help: Number of children attending intervention", N0, N0, N0, "1,,1", N0, N0)
        K4("Getting Risk Support: Number of children attending intervention", N0, N0, N0, "1,,1", N0, N0));
    /* clang-format on */
    kret_assert_grep(&k, "cases.csv", "^4,",
                     "4,need_offered,ro,YPK0901,,mentalHealth,mentalHealth[1]\n"
                     "4,need_not_offered,ro,YPK0902,,mentalHealth,mentalHealth[1]\n"
                     "4,need_offered,ro,YPK0905,,mentalHealth,mentalHealth[1]\n"
                     "4,need_not_offered,ro,YPK0906,,mentalHealth,mentalHealth[1]\n"
                     "4,need_not_offered,ro,YPK0907,,mentalHealth,mentalHealth[1]\n"
                     "4,need_not_offered,ro,YPK0908,,mentalHealth,mentalHealth[1]\n"
                     "4,need_offered,ro,YPK0909,,mentalHealth,mentalHealth[1]\n"
                     "4,need_offered,ro,YPK0910,,mentalHealth,mentalHealth[1]\n");
    kret_assert_grep(&k, "worklist.csv", ",4,",
                     "YPK0904," W_NO_MH "YPK0907,4,mental_health_no_type,mentalHealth,"
                     "mentalHealth[1],kpi4InterventionType,record the type "
                     "of intervention offered or attended\n");
    kret_assert_grep(&k, "worklist.csv", ",substance_misuse_no_type,",
                     "YPK0902,5,substance_misuse_no_type,substanceMisuse,substanceMisuse[1],"
                     "kpi5InterventionType,record the type of intervention offered or "
                     "attended\n");
    kret_assert_headline(&k, "mental_health", "ro",
                         "2025Q1,4,mental_health,ro,kpi4_mh_ew_offered,4,kpi4_mh_ew_need,8,50.0,"
                         "percent");
    kret_assert_headline(&k, "mental_health_need", "ro",
                         "2025Q1,4,mental_health_need,ro,kpi4_mh_ew_need,8,kpi4_total_ypid,10,"
                         "80.0,percent");
    kret_assert_headline(&k, "substance_misuse", "all",
                         "2025Q1,5,substance_misuse,all,kpi5_sm_offered,1,kpi5_sm_need,2,50.0,"
                         "percent");
    kret_assert_row(&k, "kpi5_substance_misuse",
                    "Number of children with a screened OR identified need for "
                    "intervention/treatment to address substance misuse ",
                    N0 "," N0 "," N0 ",2,,2," N0 "," N0);
    kret_assert_row(&k, "kpi5_substance_misuse",
                    "Number offered specialist substance misuse treatment",
                    N0 "," N0 "," N0 ",1,,1," N0 "," N0);
    kret_assert_row(&k, "kpi5_substance_misuse",
                    "Number attending specialist substance misuse treatment ",
                    N0 "," N0 "," N0 ",1,,1," N0 "," N0);
    kret_release(&k);
}

/*
 * KPI 6 counts out-of-court programmes ending in the quarter, once each. Born 2011-01-01.
 * YPK1001: P1 YOUTH_CONDITIONAL_CAUTION completed true (ycc), P2 YOUTH_CAUTION completed
 *          false (yc_yjs). YPK1002: P3 OUTCOME_22 with no completion: nfa_o22_yjs children,
 *          neither completed nor not, worklist. YPK1003: COMMUNITY_RESOLUTION without YOT
 *          intervention: not in KPI 6. YPK1004: youth caution ending 2025-07-01: not in the
 *          quarter. YPK1005: youth caution, sent group Diversion, completed "1": counts.
 *          YPK1006: youth caution sent with group First-tier: the group is the code's
 *          (Pre-Court, legal_outcome.csv), never the sent one, so it counts, completed.
 *          YPK1007: one youth caution programme linked to two offences: counted once.
 * Template: children CR 0, o22 1, yc 4 (1001, 1005, 1006, 1007), ycc 1; completed yc 3
 * (1005, 1006, 1007), ycc 1; not completed yc 1. H6 4 of 5 children (1002 has none
 * completed); H6A 4 of 6 programmes.
 */
#define OOC_CHILD(ypid, legal, group, disposal, end, extra)                                        \
    CHILD(PERSON(ypid, "2011-01-01")                                                               \
              OFFENCE("1", ARREST_AGE("14") CATEGORY("OTHER") OUTCOME("2025-04-01", legal, group)) \
                  PROGRAMME("P1", "2025-04-01", end, disposal, extra) LINK("1", "P1"))
Test(kpi, out_of_court_programmes)
{
    struct kret k;

    kret_init(&k);
    kret_return(
        &k,
        CHILD(PERSON("YPK1001", "2011-01-01")
                  OFFENCE("1", ARREST_AGE("14") CATEGORY("OTHER")
                                   OUTCOME("2025-04-01", "YOUTH_CONDITIONAL_CAUTION", "Pre-Court"))
                      OFFENCE("2", ARREST_AGE("14") CATEGORY("OTHER")
                                       OUTCOME("2025-04-02", "YOUTH_CAUTION", "Pre-Court"))
                          PROGRAMME("P1", "2025-04-01", "2025-05-01", "YOUTH_CONDITIONAL_CAUTION",
                                    COMPLETED("true"))
                              PROGRAMME("P2", "2025-04-02", "2025-05-02", "YOUTH_CAUTION",
                                        COMPLETED("false")) LINK("1", "P1") LINK("2", "P2"))
            CHILD(PERSON("YPK1002", "2011-01-01")
                      OFFENCE("1", ARREST_AGE("14") CATEGORY("OTHER")
                                       OUTCOME("2025-04-03", "OUTCOME_22", "Pre-Court"))
                          PROGRAMME("P3", "2025-04-03", "2025-05-03", "OUTCOME_22", "")
                              LINK("1", "P3")) OOC_CHILD("YPK1003", "COMMUNITY_RESOLUTION",
                                                         "Pre-Court", "COMMUNITY_RESOLUTION",
                                                         "2025-05-01", COMPLETED("true"))
                OOC_CHILD("YPK1004", "YOUTH_CAUTION", "Pre-Court", "YOUTH_CAUTION", "2025-07-01",
                          COMPLETED("true"))
                    OOC_CHILD("YPK1005", "YOUTH_CAUTION", "Diversion", "YOUTH_CAUTION",
                              "2025-05-01", COMPLETED("1"))
                        OOC_CHILD("YPK1006", "YOUTH_CAUTION", "First-tier", "YOUTH_CAUTION",
                                  "2025-05-01", COMPLETED("true"))
                            CHILD(PERSON("YPK1007", "2011-01-01") OFFENCE(
                                "1", ARREST_AGE("14") CATEGORY("OTHER")
                                         OUTCOME("2025-04-01", "YOUTH_CAUTION", "Pre-Court"))
                                      OFFENCE("2", ARREST_AGE("14") CATEGORY("OTHER") OUTCOME(
                                                       "2025-04-01", "YOUTH_CAUTION", "Pre-Court"))
                                          PROGRAMME("P1", "2025-04-01", "2025-05-01",
                                                    "YOUTH_CAUTION", COMPLETED("true"))
                                              LINK("1", "P1") LINK("2", "P1")));
    kret_run_ok(&k);
    kret_assert_file(&k, "kpi6_ooc.csv",
                     "return_status_id,reporting_date,yot_code,description,community_resolution,"
                     "nfa_o22_yjs,nfa_o22_deferred_yjs,nfa_o20_21_yjs,yc_yjs,ycc\n" KRET_ROW
                     "Number of  children with an order ending in the period,0,1,0,0,4,1\n" KRET_ROW
                     "Number of children who completed intervention programmes in the "
                     "quarter,0,0,0,0,3,1\n" KRET_ROW
                     "Number of children who did not complete intervention programmes in the "
                     "quarter,0,0,0,0,1,0\n");
    kret_assert_grep(&k, "cases.csv", "^6,",
                     "6,completed,all,YPK1001,P1,interventionProgramme,P1\n"
                     "6,not_completed,all,YPK1001,P2,interventionProgramme,P2\n"
                     "6,completion_not_recorded,all,YPK1002,P3,interventionProgramme,P3\n"
                     "6,completed,all,YPK1005,P1,interventionProgramme,P1\n"
                     "6,completed,all,YPK1006,P1,interventionProgramme,P1\n"
                     "6,completed,all,YPK1007,P1,interventionProgramme,P1\n");
    kret_assert_grep(&k, "worklist.csv", ",6,",
                     "YPK1002,6,oocd_no_completion,interventionProgramme,P3,"
                     "kpi6SuccessfullyCompleted,record whether the out-of-court programme was "
                     "completed\n");
    kret_assert_grep(&k, "headline.csv", "^2025Q1,6,",
                     "2025Q1,6,out_of_court,all,kpi6_ypid_successful_oocd,4,kpi6_ypid_total_oocd,"
                     "5,80.0,percent\n"
                     "2025Q1,6,out_of_court_programmes,all,kpi6_successful_oocd,4,kpi6_total_"
                     "oocd,6,66.7,percent\n");
    kret_release(&k);
}

/*
 * KPI 7. Born 2009-01-01; programmes 2024-10-01..2025-06-01.
 * YPK1101 section 250, outcome 2024-09-20 (group Custody): reference 2024-09-19 (outcome
 *   date - 1, not KPI 1's programme start - 1 = 2024-09-30). careStatus[1] LOOKED_AFTER
 *   ..2024-09-19: kept, at start. [2] CHILD_PROTECTION_PLAN ..2024-09-18: not kept. [3]
 *   CHILD_IN_NEED 2024-09-20..2024-12-01: during, not at start. [4] EARLY_HELP_PLAN from
 *   2024-09-30, open: before the order start (10-01): already open; early intervention plan
 *   during, not at start (09-30 > 09-19). A residence ending 2024-09-25 is not kept for KPI 1
 *   (at-start day 2024-09-30).
 * YPK1102 referral order, outcome 2024-09-20 (First-tier): reference the programme start
 *   2024-10-01. [1] LOOKED_AFTER ..2024-09-30: not kept. [2] CHILD_PROTECTION_PLAN
 *   ..2024-10-01: kept, at start. [3] EARLY_HELP_PLAN from 2024-10-01: the order start is not
 *   before it: referred; early intervention plan at start and during.
 * YPK1103 referral order 2025-04-01..2025-06-01: CARE_EXPERIENCED (no category), and an
 *   EARLY_HELP_PLAN from 2025-06-02, after the order end: not read. Not supported.
 * H7 2/3; ro 1/2; cust 1/1.
 */
Test(kpi, wider_services_reference_and_early_help)
{
    struct kret k;

    kret_init(&k);
    kret_return(&k, AT_START_CHILD("YPK1101", "SECTION_250", "Custody", "2024-09-20", "2024-10-01",
                                   "2025-06-01", "SECTION_250",
                                   CARE("LOOKED_AFTER", "2024-01-01", "2024-09-19")
                                       CARE("CHILD_PROTECTION_PLAN", "2024-01-01", "2024-09-18")
                                           CARE("CHILD_IN_NEED", "2024-09-20", "2024-12-01")
                                               CARE("EARLY_HELP_PLAN", "2024-09-30", OPEN)
                                                   RESIDENCE("2024-01-01", "2024-09-25",
                                                             "LIVING_WITH_PARENT_S", "SUITABLE"))
                        AT_START_CHILD("YPK1102", "REFERRAL_ORDER", "First-tier", "2024-09-20",
                                       "2024-10-01", "2025-06-01", "REFERRAL_ORDER",
                                       CARE("LOOKED_AFTER", "2024-01-01", "2024-09-30")
                                           CARE("CHILD_PROTECTION_PLAN", "2024-01-01", "2024-10-01")
                                               CARE("EARLY_HELP_PLAN", "2024-10-01", OPEN))
                            AT_START_CHILD("YPK1103", "REFERRAL_ORDER", "First-tier", "2025-04-01",
                                           "2025-04-01", "2025-06-01", "REFERRAL_ORDER",
                                           CARE("CARE_EXPERIENCED", "2024-01-01", OPEN)
                                               CARE("EARLY_HELP_PLAN", "2025-06-02", OPEN)));
    kret_run_ok(&k);
    /* clang-format off */
    kret_assert_file(&k, "kpi7_ws.csv",
        "return_status_id,reporting_date,yot_code,description,"
        "ws_total,ws_start,ws_end,yjs_total,yjs_start,yjs_end,ycc_total,ycc_start,ycc_end,"
        "ro_total,ro_start,ro_end,yro_total,yro_start,yro_end,cust_total,cust_start,cust_end\n"
        K4("Number of  children with an order ending in the period", Z3, Z3, Z3, "2,2,2", Z3, A1)
        K4("Number of children who are a currently care experienced child (known in statute as a Looked After Child)", Z3, Z3, Z3, Z3, Z3, A1)
        K4("Number of children on a Child Protection Plan", Z3, Z3, Z3, A1, Z3, Z3)
        K4("Number of children who are Children in Need/Children in Need of care and support (Wales)", Z3, Z3, Z3, Z3, Z3, "1,0,1")
        K4("Number of children on an Early Intervention plan", Z3, Z3, Z3, A1, Z3, "1,0,1")
        K4("Number of children who were already open to Early Help services prior to start of order", T0, T0, T0, T0, T0, T1)
        K4("Number of children referred to Early Help services", N0, N0, N0, N1, N0, N0));
    /* clang-format on */
    kret_assert_grep(&k, "cases.csv", "^7,",
                     "7,supported_during,cust,YPK1101,,careStatus,careStatus[1]\n"
                     "7,supported_during,ro,YPK1102,,careStatus,careStatus[2]\n");
    kret_assert_grep(&k, "cases.csv", "^1,", "");
    kret_assert_grep(&k, "headline.csv", ",wider_services,",
                     "2025Q1,7,wider_services,all,kpi7_supported_by_wider_services,2,kpi7_total_"
                     "ypid,3,66.7,percent\n"
                     "2025Q1,7,wider_services,ns,kpi7_supported_by_wider_services,0,kpi7_total_"
                     "ypid,0,,percent\n"
                     "2025Q1,7,wider_services,yjs,kpi7_supported_by_wider_services,0,kpi7_total_"
                     "ypid,0,,percent\n"
                     "2025Q1,7,wider_services,ycc,kpi7_supported_by_wider_services,0,kpi7_total_"
                     "ypid,0,,percent\n"
                     "2025Q1,7,wider_services,ro,kpi7_supported_by_wider_services,1,kpi7_total_"
                     "ypid,2,50.0,percent\n"
                     "2025Q1,7,wider_services,yro,kpi7_supported_by_wider_services,0,kpi7_total_"
                     "ypid,0,,percent\n"
                     "2025Q1,7,wider_services,cust,kpi7_supported_by_wider_services,1,kpi7_total_"
                     "ypid,1,100.0,percent\n");
    kret_release(&k);
}

/*
 * KPI 9 counts offences by the date of their best outcome. Population 2024 = 200000 (2023
 * and 2025 are distractors).
 * YPK1301 (born 2009-01-01): four offences, referral order outcomes 2025-04-10, all linked to
 *   P1 (2025-04-10..2025-09-30: ends after the quarter and the as-of day; KPI 9 does not
 *   care). 1 VIOLENCE gravity 4: counted, not serious violence. 2 VIOLENCE gravity 5, first
 *   hearing at 15: violence age10to15. 3 DRUGS gravity 8, hearing at 16: drugs age16to17.
 *   4 ROBBERY without gravity: counted, not serious violence, worklist.
 * YPK1302 (born 2007-06-01), Pre-Court: 1 ROBBERY 6, youth caution 2025-05-01, arrested at
 *   17, first hearing at 18: the arrest age counts: robbery age16to17 (yjs). 2 ROBBERY 6,
 *   youth conditional caution 2025-05-02, no arrest age, 15 on the offence date, hearing at
 *   18: robbery age10to15 (ycc).
 * YPK1303: VIOLENCE 7, referral order 2025-05-01, arrested at 17 but 18 at the first
 *   hearing: a court outcome takes the hearing age: not counted.
 * YPK1304: outcomes 2025-03-31 and (another offence) 2025-07-01: neither in the quarter.
 * YPK1305: VIOLENCE 6, group Diversion: not a caution or sentence: not counted.
 * YPK1306 (born 2008-06-01): 1 VIOLENCE 5, hearing 16, outcomes RO 2025-04-05 and YRO
 *   2025-06-20: the YRO (rank 5) is best, in the quarter: violence age16to17, yro.
 *   2 VIOLENCE 5: YRO 2025-03-01 and RO 2025-05-01: the YRO is best and not in the quarter:
 *   not counted. 3 ROBBERY 6, RO 2025-05-01 changed on appeal: not counted. 4 DRUGS 6, RO
 *   2025-05-01 not linked to any programme: not counted.
 * drugs 0,1; robbery 1,1; violence 1,1. H9 5 / 200000 * 10000 = 0.25 -> 0.3 (half up).
 * H9A 5/7 (ro 2/4, yjs 1/1, ycc 1/1, yro 1/1); H9B 3/3.
 */
#define SV(id, cat, gravity, ages, date, legal, group)                                             \
    OFFENCE(id, ages CATEGORY(cat) gravity OUTCOME(date, legal, group))
Test(kpi, serious_violence_offences)
{
    struct kret k;

    kret_init(&k);
    kret_return(
        &k,
        CHILD(PERSON("YPK1301", "2009-01-01") SV(
            "1", "VIOLENCE_AGAINST_THE_PERSON", GRAVITY("4"), HEARING_AGE("15"), "2025-04-10",
            "REFERRAL_ORDER", "First-tier") SV("2", "VIOLENCE_AGAINST_THE_PERSON", GRAVITY("5"),
                                               HEARING_AGE("15"), "2025-04-10", "REFERRAL_ORDER",
                                               "First-tier")
                  SV("3", "DRUGS", GRAVITY("8"), HEARING_AGE("16"), "2025-04-10", "REFERRAL_ORDER",
                     "First-tier") SV("4", "ROBBERY", "", HEARING_AGE("15"), "2025-04-10",
                                      "REFERRAL_ORDER", "First-tier")
                      PROGRAMME("P1", "2025-04-10", "2025-09-30", "REFERRAL_ORDER", "")
                          LINK("1", "P1") LINK("2", "P1") LINK("3", "P1") LINK("4", "P1"))
            CHILD(PERSON("YPK1302", "2007-06-01")
                      SV("1", "ROBBERY", GRAVITY("6"), ARREST_AGE("17") HEARING_AGE("18"),
                         "2025-05-01", "YOUTH_CAUTION", "Pre-Court")
                          SV("2", "ROBBERY", GRAVITY("6"), OFFENCE_AGE("15") HEARING_AGE("18"),
                             "2025-05-02", "YOUTH_CONDITIONAL_CAUTION", "Pre-Court")
                              PROGRAMME("P1", "2025-05-01", "2025-08-01", "YOUTH_CAUTION", "")
                                  PROGRAMME("P2", "2025-05-02", "2025-08-01",
                                            "YOUTH_CONDITIONAL_CAUTION", "") LINK("1", "P1")
                                      LINK("2", "P2"))
                CHILD(PERSON("YPK1303", "2007-01-01")
                          SV("1", "VIOLENCE_AGAINST_THE_PERSON", GRAVITY("7"),
                             ARREST_AGE("17") HEARING_AGE("18"), "2025-05-01", "REFERRAL_ORDER",
                             "First-tier") PROGRAMME("P1", "2025-05-01", "2025-09-01",
                                                     "REFERRAL_ORDER", "") LINK("1", "P1"))
                    CHILD(PERSON("YPK1304", "2009-01-01") SV(
                        "1", "VIOLENCE_AGAINST_THE_PERSON", GRAVITY("7"), HEARING_AGE("15"),
                        "2025-03-31", "REFERRAL_ORDER", "First-tier")
                              SV("2", "VIOLENCE_AGAINST_THE_PERSON", GRAVITY("7"),
                                 HEARING_AGE("15"), "2025-07-01", "REFERRAL_ORDER", "First-tier")
                                  PROGRAMME("P1", "2025-03-31", "2025-09-01", "REFERRAL_ORDER", "")
                                      PROGRAMME("P2", "2025-07-01", "2025-09-01", "REFERRAL_ORDER",
                                                "") LINK("1", "P1") LINK("2", "P2"))
                        CHILD(PERSON("YPK1305", "2011-01-01") SV(
                            "1", "VIOLENCE_AGAINST_THE_PERSON", GRAVITY("6"), ARREST_AGE("14"),
                            "2025-05-01", "COMMUNITY_RESOLUTION_WITH_YOT_INTERVENTION", "Diversion")
                                  PROGRAMME("P1", "2025-05-01", "2025-09-01",
                                            "COMMUNITY_RESOLUTION_WITH_YOT_INTERVENTION", "")
                                      LINK("1", "P1"))
                            CHILD(PERSON("YPK1306", "2008-06-01") OFFENCE(
                                "1", HEARING_AGE("16") CATEGORY("VIOLENCE_AGAINST_THE_PERSON")
                                         GRAVITY("5")
                                             OUTCOME("2025-04-05", "REFERRAL_ORDER", "First-tier")
                                                 OUTCOME("2025-06-20", "YOUTH_REHABILITATION_ORDER",
                                                         "Community"))
                                      OFFENCE("2",
                                              HEARING_AGE("16") CATEGORY(
                                                  "VIOLENCE_AGAINST_THE_PERSON") GRAVITY("5")
                                                  OUTCOME("2025-03-01",
                                                          "YOUTH_REHABILITATION_ORDER", "Community")
                                                      OUTCOME("2025-05-01", "REFERRAL_ORDER",
                                                              "First-tier"))
                                          OFFENCE("3",
                                                  HEARING_AGE("16") CATEGORY("ROBBERY") GRAVITY("6")
                                                      OUTCOME_X("2025-05-01",
                                                                APPEAL("CHANGED_ON_APPEAL"),
                                                                "REFERRAL_ORDER", "First-tier",
                                                                LIVED("LOCAL")))
                                              SV("4", "DRUGS", GRAVITY("6"), HEARING_AGE("16"),
                                                 "2025-05-01", "REFERRAL_ORDER", "First-tier")
                                                  PROGRAMME("P1", "2025-04-05", OPEN,
                                                            "YOUTH_REHABILITATION_ORDER", "")
                                                      LINK("1", "P1") LINK("2", "P1")
                                                          LINK("3", "P1")));
    kret_staged(&k, NULL, "2023\t7\n2024\t200000\n2025\t1\n");
    kret_run_ok(&k);
    kret_assert_file(
        &k, "kpi9_sv.csv",
        "return_status_id,reporting_date,yot_code,description,age10to15,age16to17\n" KRET_ROW
        "Offences with a gravity score of 5 or more for Drugs offences "
        "resulting in a caution or sentence in the quarter,0,1\n" KRET_ROW
        "Offences with a gravity score of 5 or more for Robbery offences resulting "
        "in a caution or sentence in the quarter,1,1\n" KRET_ROW
        "Offences with a gravity score of 5 or more for Violence Against the Person "
        "offences resulting in a caution or sentence in the quarter,1,1\n");
    kret_assert_grep(
        &k, "headline.csv", "^2025Q1,9,",
        "2025Q1,9,serious_violence,all,kpi9_sv_offences,5,kpi9_10_17_population,200000,0.3,"
        "per_10000\n"
        "2025Q1,9,serious_violence_share,all,kpi9_sv_offences,5,kpi9_offences,7,71.4,percent\n"
        "2025Q1,9,serious_violence_share,ns,kpi9_sv_offences,0,kpi9_offences,0,,percent\n"
        "2025Q1,9,serious_violence_share,yjs,kpi9_sv_offences,1,kpi9_offences,1,100.0,percent\n"
        "2025Q1,9,serious_violence_share,ycc,kpi9_sv_offences,1,kpi9_offences,1,100.0,percent\n"
        "2025Q1,9,serious_violence_share,ro,kpi9_sv_offences,2,kpi9_offences,4,50.0,percent\n"
        "2025Q1,9,serious_violence_share,yro,kpi9_sv_offences,1,kpi9_offences,1,100.0,percent\n"
        "2025Q1,9,serious_violence_share,cust,kpi9_sv_offences,0,kpi9_offences,0,,percent\n"
        "2025Q1,9,serious_violence_children,all,kpi9_ypid_sv,3,kpi9_ypid_offences,3,100.0,"
        "percent\n");
    kret_assert_grep(&k, "cases.csv", "^9,",
                     "9,serious_violence,ro,YPK1301,2,offenceLegalOutcome,offence 2 "
                     "offenceLegalOutcome[1]\n"
                     "9,serious_violence,ro,YPK1301,3,offenceLegalOutcome,offence 3 "
                     "offenceLegalOutcome[1]\n"
                     "9,serious_violence,yjs,YPK1302,1,offenceLegalOutcome,offence 1 "
                     "offenceLegalOutcome[1]\n"
                     "9,serious_violence,ycc,YPK1302,2,offenceLegalOutcome,offence 2 "
                     "offenceLegalOutcome[1]\n"
                     "9,serious_violence,yro,YPK1306,1,offenceLegalOutcome,offence 1 "
                     "offenceLegalOutcome[2]\n");
    kret_assert_grep(&k, "worklist.csv", ",9,",
                     "YPK1301,9,offence_no_gravity,offence,4,yjbSeriousnessScore,record the "
                     "offence's gravity score\n");
    kret_release(&k);
}

/*
 * KPI 9 takes the outcome group from the legalOutcome code (legal_outcome.csv group), never
 * from the legalOutcomeGroup sent. Schema 11 sends Pre-Court for OUTCOME_22; the YJB groups it
 * as Diversion, which kpi9_groups leaves out. One child (born 2010-01-01), offence 1
 * VIOLENCE_AGAINST_THE_PERSON gravity 5, arrested at 15, outcome 2025-05-01 OUTCOME_22 sent
 * as Pre-Court, programme P1 OUTCOME_22 2025-05-01..2025-06-01 completed.
 *   KPI 9: offences 0, serious violence 0 (it was 1 when the sent group was read): every
 *          template cell 0; H9 0 of 20000; H9A 0 of 0; H9B 0 of 0 children.
 *   KPI 6 still counts the programme (Diversion is in kpi6_groups): nfa_o22_yjs 1 of 1.
 */
Test(kpi, outcome_22_sent_as_pre_court_is_not_serious_violence)
{
    struct kret k;

    kret_init(&k);
    kret_return(&k, CHILD(PERSON("YPK1307", "2010-01-01")
                              SV("1", "VIOLENCE_AGAINST_THE_PERSON", GRAVITY("5"), ARREST_AGE("15"),
                                 "2025-05-01", "OUTCOME_22", "Pre-Court")
                                  PROGRAMME("P1", "2025-05-01", "2025-06-01", "OUTCOME_22",
                                            COMPLETED("true")) LINK("1", "P1")));
    kret_staged(&k, NULL, "2024\t20000\n");
    kret_run_ok(&k);
    kret_assert_file(
        &k, "kpi9_sv.csv",
        "return_status_id,reporting_date,yot_code,description,age10to15,age16to17\n" KRET_ROW
        "Offences with a gravity score of 5 or more for Drugs offences "
        "resulting in a caution or sentence in the quarter,0,0\n" KRET_ROW
        "Offences with a gravity score of 5 or more for Robbery offences resulting "
        "in a caution or sentence in the quarter,0,0\n" KRET_ROW
        "Offences with a gravity score of 5 or more for Violence Against the Person "
        "offences resulting in a caution or sentence in the quarter,0,0\n");
    kret_assert_headline(&k, "serious_violence", "all",
                         "2025Q1,9,serious_violence,all,kpi9_sv_offences,0,kpi9_10_17_population,"
                         "20000,0.0,per_10000");
    kret_assert_headline(&k, "serious_violence_share", "all",
                         "2025Q1,9,serious_violence_share,all,kpi9_sv_offences,0,kpi9_offences,0,,"
                         "percent");
    kret_assert_headline(&k, "serious_violence_children", "all",
                         "2025Q1,9,serious_violence_children,all,kpi9_ypid_sv,0,kpi9_ypid_"
                         "offences,0,,percent");
    kret_assert_grep(&k, "cases.csv", "^9,", "");
    kret_assert_row(&k, "kpi6_ooc", "Number of  children with an order ending in the period",
                    "0,1,0,0,0,0");
    kret_release(&k);
}

/*
 * KPI 10. Born 2009-01-01.
 * YPK1401: offence 1 -> P1 RO ending 2025-05-01 (in the quarter); offence 2 -> P2 RO ending
 *   2025-07-01 (after it). Victims (id, victim id, flags, offence):
 *   VI1 VIC1 every flag Yes, offence 1: counted, every measure.
 *   VI2 VIC1 again, every flag Yes, offence 1: the same victim: not counted again.
 *   VI3 VIC3 consent Yes, engaged "YES", view "yes", progress provided Yes: consent and
 *       progress provided only.
 *   VI4 VIC4 consent No, every other flag Yes: a victim, nothing else.
 *   VI5 VIC5 no consent, engaged Yes: a victim, nothing else; worklist.
 *   VI6 VIC6 no consent, offence 2: not counted (its order ends after the quarter), no
 *       worklist line.
 *   VI7 VIC7 consent, engaged, offence 2: not counted; VI8 VIC7 consent, engaged, offence 1:
 *       counted (VIC7 counts once, through VI8).
 * YPK1402: offence 1 linked to P1 (RO ending 05-01) and P2 (RO ending 07-01), one outcome:
 *   the child's order is P1 (lowest id), but a victim's offence is placed by the latest
 *   programme end: P2, after the quarter: VI1 (VIC21) not counted.
 * YPK1403: VI1 VIC1 consent Yes, engaged No: counted (victim ids are per child).
 * children 2; victims 6 (VIC1, 3, 4, 5, 7; VIC1 of 1403); consent 4; engaged 2 (VIC1, VIC7);
 * view prior 1; progress requested 1; provided 2 (VIC1, VIC3); support requested 1; provided
 * 1. H10 2/4 = 50.0.
 */
#define ALL_YES                                                                                    \
    CONSENT("Yes")                                                                                 \
    VIEW_PRIOR("Yes")                                                                              \
    ENGAGED_RJ("Yes")                                                                              \
    PROGRESS_REQ("Yes") PROGRESS_GIVEN("Yes") SUPPORT_REQ("Yes") SUPPORT_GIVEN("Yes")
#define RO_OFFENCE(id)                                                                             \
    OFFENCE(id, HEARING_AGE("15") CATEGORY("OTHER")                                                \
                    OUTCOME("2025-04-01", "REFERRAL_ORDER", "First-tier"))
Test(kpi, victims)
{
    struct kret k;

    kret_init(&k);
    kret_return(
        &k,
        CHILD(PERSON("YPK1401", "2009-01-01") RO_OFFENCE("1") RO_OFFENCE("2") PROGRAMME(
            "P1", "2025-04-01", "2025-05-01", "REFERRAL_ORDER",
            "") PROGRAMME("P2", "2025-04-01", "2025-07-01", "REFERRAL_ORDER",
                          "") VICTIM("VI1", "VIC1", ALL_YES) VICTIM("VI2", "VIC1", ALL_YES)
                  VICTIM("VI3", "VIC3",
                         CONSENT("Yes") ENGAGED_RJ("YES") VIEW_PRIOR("yes") PROGRESS_GIVEN("Yes"))
                      VICTIM("VI4", "VIC4",
                             CONSENT("No") VIEW_PRIOR("Yes") ENGAGED_RJ("Yes") PROGRESS_REQ("Yes")
                                 PROGRESS_GIVEN("Yes") SUPPORT_REQ("Yes") SUPPORT_GIVEN("Yes"))
                          VICTIM("VI5", "VIC5", ENGAGED_RJ("Yes")) VICTIM("VI6", "VIC6", "")
                              VICTIM("VI7", "VIC7", CONSENT("Yes") ENGAGED_RJ("Yes")) VICTIM(
                                  "VI8", "VIC7", CONSENT("Yes") ENGAGED_RJ("Yes")) LINK("1", "P1")
                                  LINK("2", "P2") VLINK("1", "VI1") VLINK("1", "VI2")
                                      VLINK("1", "VI3") VLINK("1", "VI4") VLINK("1", "VI5")
                                          VLINK("2", "VI6") VLINK("2", "VI7") VLINK("1", "VI8"))
            CHILD(PERSON("YPK1402", "2009-01-01") RO_OFFENCE("1")
                      PROGRAMME("P1", "2025-04-01", "2025-05-01", "REFERRAL_ORDER", "")
                          PROGRAMME("P2", "2025-04-01", "2025-07-01", "REFERRAL_ORDER", "")
                              VICTIM("VI1", "VIC21", ALL_YES) LINK("1", "P1") LINK("1", "P2")
                                  VLINK("1", "VI1"))
                CHILD(PERSON("YPK1403", "2009-01-01") RO_OFFENCE("1")
                          PROGRAMME("P1", "2025-04-01", "2025-05-01", "REFERRAL_ORDER", "")
                              VICTIM("VI1", "VIC1", CONSENT("Yes") ENGAGED_RJ("No")) LINK("1", "P1")
                                  VLINK("1", "VI1")));
    kret_run_ok(&k);
    kret_assert_grep(&k, "cases.csv", ",order,",
                     ORDER_LINE("ro", "YPK1401", "P1") ORDER_LINE("ro", "YPK1402", "P1")
                         ORDER_LINE("ro", "YPK1403", "P1"));
    /* clang-format off */
    kret_assert_file(&k, "kpi10_victims.csv",
        "return_status_id,reporting_date,yot_code,description,total\n"
        KRET_ROW "Number of children with an order closing with an identified victim or victims of youth crime,2\n"
        KRET_ROW "Total number of victims ,6\n"
        KRET_ROW "Number of victims who consent to be contacted by the YJS,4\n"
        KRET_ROW "Number of victims engaged with on restorative justice opportunities,2\n"
        KRET_ROW "Number of victims asked their view prior to OOCD decision-making and planning for statutory court orders,1\n"
        KRET_ROW "Number of victims who requested information about the progress of the child's case,1\n"
        KRET_ROW "\"Of those, the number of victims provided with information about the progress of the child's case\",2\n"
        KRET_ROW "The number of victims who asked for additional support,1\n"
        KRET_ROW "\"Of those victims who asked for additional support, the number provided with information on appropriate support services\",1\n");
    /* clang-format on */
    kret_assert_grep(&k, "cases.csv", "^10,",
                     "10,consent_engaged_rj,all,YPK1401,VIC1,victimIntervention,VI1\n"
                     "10,consent_not_engaged_rj,all,YPK1401,VIC3,victimIntervention,VI3\n"
                     "10,no_consent,all,YPK1401,VIC4,victimIntervention,VI4\n"
                     "10,no_consent,all,YPK1401,VIC5,victimIntervention,VI5\n"
                     "10,consent_engaged_rj,all,YPK1401,VIC7,victimIntervention,VI8\n"
                     "10,consent_not_engaged_rj,all,YPK1403,VIC1,victimIntervention,VI1\n");
    kret_assert_grep(&k, "worklist.csv", ",10,",
                     "YPK1401,10,victim_no_consent,victimIntervention,VI5,consentYjsContact,"
                     "record whether the victim consents to contact\n");
    kret_assert_headline(&k, "victims", "all",
                         "2025Q1,10,victims,all,kpi10_victim_engaged_rj,2,kpi10_victim_consent_"
                         "contact,4,50.0,percent");
    kret_release(&k);
}

/* ---- KPI 8 and the staged service inputs ---- */

static const char kpi8_head[] =
    "return_status_id,reporting_date,yot_code,description,senior_a_attended,senior_a_not,"
    "senior_b_attended,senior_b_not,senior_c_attended,senior_c_not,senior_d_attended,"
    "senior_d_not,senior_e_attended,senior_e_not,senior_other_attended,senior_other_not\n";

/*
 * Without board rows for the quarter (only a 2024Q4 row) KPI 8 is not known: every cell of
 * the template and the headline figures are blank, not 0. Without a population for 2024
 * (only 2025) the KPI 9 rate is blank too.
 */
/*
 * KPI 10 takes the child's age on the programme start for every disposal type, a DTO licence
 * included, as the YJB's victims view does (f_ageAtInterventionStart(dob, programme start));
 * the cohort (KPIs 1-5, 7) takes a DTO licence's age on its outcome date, the day custody
 * began. Both children: offence 1 DETENTION_AND_TRAINING_ORDER on 2025-01-10, licence
 * programme P1 DTO_LICENCE 2025-05-15..2025-06-20 (in the quarter), victim VI1 consent Yes,
 * engaged Yes, linked to offence 1.
 *   YPK1404 born 2007-05-10: 17 on 2025-01-10 (cohort: yes, cust); 18 on 2025-05-15 (the
 *           licence start): its victim is not in KPI 10.
 *   YPK1405 born 2007-08-01: 17 on both days: cohort and KPI 10.
 * Cohort: 2 (H1 cust denominator 2). KPI 10: children 1, victims 1, consent 1, engaged 1:
 * H10 1 of 1 (with the outcome date's age both victims counted: 2 of 2).
 */
#define DTO_CHILD(ypid, dob)                                                                       \
    CHILD(PERSON(ypid, dob)                                                                        \
              OFFENCE("1", HEARING_AGE("17") CATEGORY("OTHER")                                     \
                               OUTCOME("2025-01-10", "DETENTION_AND_TRAINING_ORDER", "Custody"))   \
                  PROGRAMME("P1", "2025-05-15", "2025-06-20", "DTO_LICENCE", "")                   \
                      VICTIM("VI1", "VIC1", CONSENT("Yes") ENGAGED_RJ("Yes")) LINK("1", "P1")      \
                          VLINK("1", "VI1"))
Test(kpi, victims_age_on_the_licence_start)
{
    struct kret k;

    kret_init(&k);
    kret_return(&k, DTO_CHILD("YPK1404", "2007-05-10") DTO_CHILD("YPK1405", "2007-08-01"));
    kret_run_ok(&k);
    cr_assert_eq(k.res.cohort, 2);
    kret_assert_grep(&k, "cases.csv", ",order,",
                     ORDER_LINE("cust", "YPK1404", "P1") ORDER_LINE("cust", "YPK1405", "P1"));
    kret_assert_headline(&k, "accommodation", "cust",
                         "2025Q1,1,accommodation,cust,kpi1_total_suitable_end,0,kpi1_total_ypid,2,"
                         "0.0,percent");
    kret_assert_row(&k, "kpi10_victims",
                    "Number of children with an order closing with an identified victim or "
                    "victims of youth crime",
                    "1");
    kret_assert_row(&k, "kpi10_victims", "Total number of victims ", "1");
    kret_assert_grep(&k, "cases.csv", "^10,",
                     "10,consent_engaged_rj,all,YPK1405,VIC1,victimIntervention,VI1\n");
    kret_assert_headline(&k, "victims", "all",
                         "2025Q1,10,victims,all,kpi10_victim_engaged_rj,1,kpi10_victim_consent_"
                         "contact,1,100.0,percent");
    kret_release(&k);
}

Test(kpi, board_and_population_unknown_are_blank)
{
    struct kret k;
    char *m;

    kret_init(&k);
    kret_return(&k, RO_CHILD("YPK1501", "2009-01-01", "2025-04-01", "2025-05-01", ""));
    kret_staged(&k, "2024Q4\tCSC\tt\tt\tf\n", "2025\t30000\n");
    kret_run_ok(&k);
    {
        char expect[1024];
        snprintf(expect, sizeof(expect),
                 "%s" KRET_ROW "Senior partner,,,,,,,,,,,,\n" KRET_ROW
                 "Delegated or non-senior partner,,,,,,,,,,,,\n" KRET_ROW
                 "If attended - was this a new partner?,,,,,,,,,,,,\n",
                 kpi8_head);
        kret_assert_file(&k, "kpi8_mba.csv", expect);
    }
    kret_assert_grep(&k, "headline.csv", ",board_attendance,",
                     "2025Q1,8,board_attendance,all,kpi8_total_senior_attended,,board_sectors,,,"
                     "percent\n");
    kret_assert_grep(&k, "headline.csv", ",serious_violence,",
                     "2025Q1,9,serious_violence,all,kpi9_sv_offences,,kpi9_10_17_population,,,"
                     "per_10000\n");
    m = kret_read(&k, "MANIFEST");
    ut_assert_contains(m, "\nboard_attendance no\n");
    ut_assert_contains(m, "\npopulation -\n");
    ut_assert_contains(m, "\nprovisional no\n");
    free(m);
    kret_release(&k);

    /* no staged folder at all: the same */
    kret_init(&k);
    kret_return(&k, RO_CHILD("YPK1501", "2009-01-01", "2025-04-01", "2025-05-01", ""));
    kret_run_ok(&k);
    kret_assert_row(&k, "kpi8_mba", "Senior partner", ",,,,,,,,,,,");
    kret_assert_grep(&k, "headline.csv", ",board_attendance,",
                     "2025Q1,8,board_attendance,all,kpi8_total_senior_attended,,board_sectors,,,"
                     "percent\n");
    kret_release(&k);
}

/*
 * A board row of the quarter that attended with neither a senior nor a new partner is a
 * delegate; one that did not attend marks nothing. Only EDU (b) attended, by a delegate:
 * senior b not 1; delegated b attended 1; new partner b not 1; H8 0/5 = 0.0.
 */
Test(kpi, board_delegate_only)
{
    struct kret k;
    char expect[1024];

    kret_init(&k);
    kret_return(&k, RO_CHILD("YPK1502", "2009-01-01", "2025-04-01", "2025-05-01", ""));
    kret_staged(&k, "2025Q1\tEDU\tt\tf\tf\n2025Q1\tCSC\tf\tt\tt\n", "2024\t30000\n");
    kret_run_ok(&k);
    snprintf(expect, sizeof(expect),
             "%s" KRET_ROW "Senior partner,0,1,0,1,0,1,0,1,0,1,0,1\n" KRET_ROW
             "Delegated or non-senior partner,0,1,1,0,0,1,0,1,0,1,0,1\n" KRET_ROW
             "If attended - was this a new partner?,0,1,0,1,0,1,0,1,0,1,0,1\n",
             kpi8_head);
    kret_assert_file(&k, "kpi8_mba.csv", expect);
    kret_assert_grep(&k, "headline.csv", ",board_attendance,",
                     "2025Q1,8,board_attendance,all,kpi8_total_senior_attended,0,board_sectors,5,"
                     "0.0,percent\n");
    /* no serious-violence offence (theft): the rate is 0 of a known population */
    kret_assert_grep(&k, "headline.csv", ",serious_violence,",
                     "2025Q1,9,serious_violence,all,kpi9_sv_offences,0,kpi9_10_17_population,"
                     "30000,0.0,per_10000\n");
    kret_release(&k);
}

/*
 * A board row of the quarter whose sector code board_sector.csv does not hold no longer stops
 * yj-kpi (it was 65, no KPIs and no worklist): everything is computed, the row is on the
 * worklist (named by staged file and line, never by its code) and KPI 8 and the folder are
 * provisional. Rows: line 2 CSC (a) senior; line 3 XYZ (not in the rules) senior; line 4 a
 * 2024Q4 row with another unknown code, another quarter: not read. H8 counts sector a only:
 * 1 of 5 = 20.0, provisional; the other headlines are not provisional. MANIFEST: provisional
 * yes, 1 row. The child (a referral order ending in the quarter) is counted as ever.
 */
Test(kpi, board_unknown_sector_is_on_the_worklist)
{
    struct kret k;
    char expect[2048], *text, *m;

    kret_init(&k);
    kret_return(&k, RO_CHILD("YPK1503", "2009-01-01", "2025-04-01", "2025-05-01", ""));
    kret_staged(&k, "2025Q1\tCSC\tt\tt\tf\n2025Q1\tXYZ\tt\tt\tf\n2024Q4\tQQQ\tt\tt\tf\n",
                "2024\t30000\n");
    text = run_capturing_stderr(&k);
    snprintf(expect, sizeof(expect),
             "yj: warning: staged file '%s/service/board_attendance.tsv' line 3: sector_cd is not "
             "in %s/schema-11/kpi/board_sector.csv: the row is on the worklist; KPI 8 and the KPI "
             "folder are provisional\n",
             k.staged, k.maps);
    ut_assert_contains(text, expect);
    cr_assert_null(strstr(text, "XYZ"), "%s", text);
    free(text);
    cr_assert_eq(k.res.cohort, 1);
    cr_assert_eq(k.res.provisional, 1);
    kret_assert_grep(&k, "worklist.csv", ",8,",
                     ",8,board_sector_not_in_kpi_rules,board_attendance,service/board_attendance."
                     "tsv line 3,sector_cd,record one of the sectors of kpi/board_sector.csv (or "
                     "add the code there)\n");
    kret_assert_headline(&k, "board_attendance", "all",
                         "2025Q1,8,board_attendance,all,kpi8_total_senior_attended,1,board_sectors,"
                         "5,20.0,percent");
    kret_assert_yjb(&k, "board_attendance", "all", "1,5,20.0,yes");
    kret_assert_yjb(&k, "accommodation", "all", "0,1,0.0,no");
    kret_assert_row(&k, "kpi8_mba", "Senior partner", "1,0,0,1,0,1,0,1,0,1,0,1");
    m = kret_read(&k, "MANIFEST");
    ut_assert_contains(m, "\nprovisional yes\n");
    ut_assert_contains(m, "\nboard_rows_sector_not_in_rules 1\n");
    free(m);
    m = kret_read(&k, "worklist.txt");
    cr_assert(strncmp(m,
                      "KPI data-quality worklist: MEDWAY 2025Q1, as recorded at " KRET_AS_OF
                      " (KPI 8 PROVISIONAL: a board attendance sector not in the KPI rules)\n",
                      strlen("KPI data-quality worklist: MEDWAY 2025Q1, as recorded at " KRET_AS_OF
                             " (KPI 8 PROVISIONAL: a board attendance sector not in the KPI "
                             "rules)\n")) == 0,
              "%s", m);
    ut_assert_contains(m, "\nboard_sector_not_in_kpi_rules       8        1  ");
    cr_assert_null(strstr(m, "XYZ"), "%s", m);
    free(m);
    m = kret_read(&k, "worklist.csv");
    cr_assert_null(strstr(m, "XYZ"), "%s", m);
    free(m);
    kret_release(&k);
}

/*
 * headline.csv's second set of figures, as the YJB's case-level SQL computes them (docs/kpi.md
 * "The YJB's case-level figures"), and their differences in the worklist summary. 2025Q1, as of
 * 2025-07-02; every child born 2011-01-01 (school age throughout, 14 at every start). Referral
 * orders 2025-04-01..2025-06-01 for YPK2401-2403 (offence "1" theft, outcome 04-01, P1).
 *   YPK2401 ETE COLLEGE SUITABLE open, 0 hours offered: part time at start? ours no (1 to 24
 *           hours), the YJB's yes (below 25, 0 included). Suitable at end: both.
 *   YPK2402 ETE COLLEGE SUITABLE from 2025-05-01, 30 hours (end only): part time at start?
 *           ours no (no record then), the YJB's yes (child-level sum 0 < 25). Suitable at end:
 *           both.
 *   YPK2403 ETE COLLEGE SUITABLE 2024-09-01..2025-04-15, 10 hours, and residence parents
 *           SUITABLE over the same days (start only): part time at start both; suitable at
 *           the end (KPI 1 and 2): ours no (no record then), the YJB's yes (the child-level flag).
 *   YPK2404, YPK2405: offence "7" ROBBERY gravity 6 (first hearing at 15), referral order
 *           04-10, P7 04-10..06-10; victim VIC1 consents and engaged. The same ids for two
 *           children: ours counts each child's, the YJB's COUNT(DISTINCT id) once.
 *   YPK2406, YPK2407: offence "8" youth caution 04-01 (arrested at 14), programme P9 youth
 *           caution 04-01..05-01 completed.
 *   YPK2408: offence "1" referral order 2025-01-01, P1 2025-01-01..2025-03-15 (2024Q4);
 *           offence "2" referral order 2025-04-01, P2 04-01..06-01 (this quarter's order);
 *           ETE COLLEGE SUITABLE 2024-09-01..2025-03-20 (suitable at P1's end, not kept for
 *           P2); sendAln YES, plan NO, open. KPI 3 in suitable ETE: ours no (this quarter's
 *           KPI 2), the YJB's yes (its join finds the 2024Q4 row).
 * Cohort: ro 6 (2401-2405, 2408), yjs 2 (2406, 2407).
 *   KPI 1 ro num: ours 0, YJB 1 (2403). KPI 2 ro num: ours 2 (2401, 2402), YJB 3 (+2403).
 *   Part time at start ro: ours 1 (2403), YJB 3 (2401, 2402, 2403); at end 0 both (2401 has 0
 *   hours, 2402 30).
 *   KPI 3 ro: 0 of 1 both, but the YJB's long view swaps ro and yro denominators: ro 0 of 0,
 *   yro 0 of 1. In suitable ETE ro: ours 0 of 1, YJB 1 of 1.
 *   KPI 6 programmes: ours 2 of 2, YJB 1 of 1 (P9 once). Children 2 of 2 both.
 *   KPI 9 offences in the quarter: ours ro 6 (1 x3, 7 x2, 2), yjs 2 (8 x2), all 8; YJB ro 3
 *   (1, 7, 2), yjs 1, all 4 (1, 7, 8, 2). Serious violence: ours 2 (ro), YJB 1; the rate
 *   per 10,000 of 10000: ours 2.0, YJB 1.0. Children 2 of 8 both.
 *   KPI 10: ours 2 of 2 (VIC1 per child), YJB 1 of 1.
 * Cells: 90 headline lines of 2, less KPI 8 (no board rows): 178; 20 differ.
 */
#define YC_CHILD(ypid)                                                                             \
    CHILD(PERSON(ypid, "2011-01-01") OFFENCE("8", ARREST_AGE("14") CATEGORY("OTHER") OUTCOME(      \
                                                      "2025-04-01", "YOUTH_CAUTION", "Pre-Court")) \
              PROGRAMME("P9", "2025-04-01", "2025-05-01", "YOUTH_CAUTION", COMPLETED("true"))      \
                  LINK("8", "P9"))
#define ROBBERY_CHILD(ypid)                                                                        \
    CHILD(PERSON(ypid, "2011-01-01")                                                               \
              OFFENCE("7", HEARING_AGE("15") CATEGORY("ROBBERY") GRAVITY("6")                      \
                               OUTCOME("2025-04-10", "REFERRAL_ORDER", "First-tier"))              \
                  PROGRAMME("P7", "2025-04-10", "2025-06-10", "REFERRAL_ORDER", "")                \
                      VICTIM("VI1", "VIC1", CONSENT("Yes") ENGAGED_RJ("Yes")) LINK("7", "P7")      \
                          VLINK("7", "VI1"))
Test(kpi, yjb_case_level_figures_and_their_differences)
{
    struct kret k;
    char *w;

    kret_init(&k);
    kret_return(
        &k,
        ETE_CHILD("YPK2401", SCHOOL, ETE("2024-09-01", OPEN, "COLLEGE", "SUITABLE", OFFERED("0")))
            ETE_CHILD("YPK2402", SCHOOL,
                      ETE("2025-05-01", OPEN, "COLLEGE", "SUITABLE", OFFERED("30")))
                ETE_CHILD("YPK2403", SCHOOL,
                          ETE("2024-09-01", "2025-04-15", "COLLEGE", "SUITABLE", OFFERED("10"))
                              RESIDENCE("2024-09-01", "2025-04-15", "LIVING_WITH_PARENT_S",
                                        "SUITABLE")) ROBBERY_CHILD("YPK2404")
                    ROBBERY_CHILD("YPK2405") YC_CHILD("YPK2406") YC_CHILD("YPK2407") CHILD(
                        PERSON("YPK2408", "2011-01-01") OFFENCE(
                            "1", HEARING_AGE("14") CATEGORY("OTHER")
                                     OUTCOME("2025-01-01", "REFERRAL_ORDER", "First-tier"))
                            OFFENCE("2", HEARING_AGE("14") CATEGORY("OTHER")
                                             OUTCOME("2025-04-01", "REFERRAL_ORDER", "First-tier"))
                                PROGRAMME("P1", "2025-01-01", "2025-03-15", "REFERRAL_ORDER", "")
                                    PROGRAMME("P2", "2025-04-01", "2025-06-01", "REFERRAL_ORDER",
                                              "") ETE("2024-09-01", "2025-03-20", "COLLEGE",
                                                      "SUITABLE", OFFERED("25"))
                                        SEND("YES", PLAN("NO"), "2024-09-01", OPEN) LINK("1", "P1")
                                            LINK("2", "P2")));
    kret_staged(&k, NULL, "2024\t10000\n");
    kret_run_ok(&k);
    cr_assert_eq(k.res.cohort, 8);
    /* the project's figures and, beside them, the YJB's */
    kret_assert_headline(&k, "accommodation", "ro",
                         "2025Q1,1,accommodation,ro,kpi1_total_suitable_end,0,kpi1_total_ypid,6,"
                         "0.0,percent");
    kret_assert_yjb(&k, "accommodation", "ro", "1,6,16.7,no");
    kret_assert_yjb(&k, "ete", "ro", "3,6,50.0,no");
    kret_assert_headline(&k, "ete_part_time_start", "ro",
                         "2025Q1,2,ete_part_time_start,ro,kpi2_part_time_start,1,kpi2_total_ypid,"
                         "6,16.7,percent");
    kret_assert_yjb(&k, "ete_part_time_start", "ro", "3,6,50.0,no");
    kret_assert_yjb(&k, "ete_part_time_end", "ro", "0,6,0.0,no");
    kret_assert_headline(&k, "send_aln", "ro",
                         "2025Q1,3,send_aln,ro,kpi3_sendaln_plan,0,kpi3_identified_sendaln,1,0.0,"
                         "percent");
    kret_assert_yjb(&k, "send_aln", "ro", "0,0,,no");
    kret_assert_yjb(&k, "send_aln", "yro", "0,1,0.0,no");
    kret_assert_yjb(&k, "send_aln", "all", "0,1,0.0,no");
    kret_assert_headline(&k, "send_aln_suitable_ete", "ro",
                         "2025Q1,3,send_aln_suitable_ete,ro,kpi3_identified_suitable_ete,0,kpi3_"
                         "identified_sendaln,1,0.0,percent");
    kret_assert_yjb(&k, "send_aln_suitable_ete", "ro", "1,1,100.0,no");
    kret_assert_yjb(&k, "out_of_court_programmes", "all", "1,1,100.0,no");
    kret_assert_yjb(&k, "out_of_court", "all", "2,2,100.0,no");
    kret_assert_headline(&k, "serious_violence", "all",
                         "2025Q1,9,serious_violence,all,kpi9_sv_offences,2,kpi9_10_17_population,"
                         "10000,2.0,per_10000");
    kret_assert_yjb(&k, "serious_violence", "all", "1,10000,1.0,no");
    kret_assert_yjb(&k, "serious_violence_share", "all", "1,4,25.0,no");
    kret_assert_yjb(&k, "serious_violence_share", "ro", "1,3,33.3,no");
    kret_assert_yjb(&k, "serious_violence_share", "yjs", "0,1,0.0,no");
    kret_assert_yjb(&k, "serious_violence_children", "all", "2,8,25.0,no");
    kret_assert_yjb(&k, "victims", "all", "1,1,100.0,no");
    kret_assert_yjb(&k, "board_attendance", "all", ",,,no");
    w = kret_read(&k, "worklist.txt");
    /* clang-format off */
    ut_assert_contains(w,
        "\nheadline figures as the YJB's case-level SQL computes them (headline.csv yjb_*; docs/kpi.md lists its readings):\n"
        "kpi measure                      order cell         project      yjb difference\n"
        "  1 accommodation                all   numerator          0        1         +1\n"
        "  1 accommodation                ro    numerator          0        1         +1\n"
        "  2 ete                          all   numerator          2        3         +1\n"
        "  2 ete                          ro    numerator          2        3         +1\n"
        "  2 ete_part_time_start          all   numerator          1        3         +2\n"
        "  2 ete_part_time_start          ro    numerator          1        3         +2\n"
        "  3 send_aln                     ro    denominator        1        0         -1\n"
        "  3 send_aln                     yro   denominator        0        1         +1\n"
        "  3 send_aln_suitable_ete        all   numerator          0        1         +1\n"
        "  3 send_aln_suitable_ete        ro    numerator          0        1         +1\n"
        "  6 out_of_court_programmes      all   numerator          2        1         -1\n"
        "  6 out_of_court_programmes      all   denominator        2        1         -1\n"
        "  9 serious_violence             all   numerator          2        1         -1\n"
        "  9 serious_violence_share       all   numerator          2        1         -1\n"
        "  9 serious_violence_share       all   denominator        8        4         -4\n"
        "  9 serious_violence_share       yjs   denominator        2        1         -1\n"
        "  9 serious_violence_share       ro    numerator          2        1         -1\n"
        "  9 serious_violence_share       ro    denominator        6        3         -3\n"
        " 10 victims                      all   numerator          2        1         -1\n"
        " 10 victims                      all   denominator        2        1         -1\n"
        "20 of 178 headline cells differ\n");
    /* clang-format on */
    {
        static const char last[] = "20 of 178 headline cells differ\n";
        size_t n = strlen(w);
        cr_assert(n >= strlen(last) && strcmp(w + n - strlen(last), last) == 0,
                  "the differences end the summary:\n%s", w);
    }
    free(w);
    kret_release(&k);
}

/* ---- a return that is not what its MANIFEST says ---- */

static void
assert_no_manifest(const struct kret *k)
{
    char *m = ut_path(k->out, "MANIFEST");
    cr_assert_not(ut_exists(m), "'%s' exists after a failure", m);
    free(m);
}

/* One byte of cld.xml changed after the MANIFEST was written: 74; an old MANIFEST of the
 * output folder is gone. */
Test(kpi, altered_return_is_an_io_error)
{
    struct kret k;
    char *path, *xml, expect[1024];
    size_t len = 0;

    kret_init(&k);
    kret_return(&k, RO_CHILD("YPK1601", "2009-01-01", "2025-04-01", "2025-05-01", ""));
    path = ut_path(k.ret, "cld.xml");
    xml = ut_read(path, &len);
    cr_assert_not_null(strstr(xml, "YPK1601"));
    strstr(xml, "YPK1601")[6] = '2';
    ut_write_bytes(path, xml, len);
    cr_assert_eq(mkdir(k.out, 0755), 0);
    {
        char *old = ut_path(k.out, "MANIFEST");
        ut_write(old, "yjreturns-manifest 1\nstage kpi\n");
        free(old);
    }
    cr_assert_eq(kret_run(&k), YJ_EX_IOERR, "%s", k.err.message);
    snprintf(expect, sizeof(expect),
             "return file '%s' does not match its MANIFEST (SHA-256 or size)", path);
    cr_assert_str_eq(k.err.message, expect);
    assert_no_manifest(&k);
    free(xml);
    free(path);
    kret_release(&k);
}

/* cld.xml whose <child> is not closed: 65, naming the file and line. */
Test(kpi, malformed_return_is_a_data_error)
{
    struct kret k;
    char *path, prefix[1024];

    kret_init(&k);
    kret_return_text(&k, KRET_PERIOD, KRET_AS_OF,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<cldReturn xmlns=\"" KRET_NS "\" schemaVersion=\"11\">\n"
                     "  <envelope><yotOuCode>MEDWAY</yotOuCode></envelope>\n"
                     "  <child><person><ypid>YPK1701</ypid></person>\n"
                     "</cldReturn>\n");
    cr_assert_eq(kret_run(&k), YJ_EX_DATAERR, "%s", k.err.message);
    path = ut_path(k.ret, "cld.xml");
    snprintf(prefix, sizeof(prefix), "return file '%s' line 5: not well-formed: ", path);
    cr_assert(strncmp(k.err.message, prefix, strlen(prefix)) == 0, "%s", k.err.message);
    cr_assert_null(strchr(k.err.message, '\n'), "%s", k.err.message);
    assert_no_manifest(&k);
    free(path);
    kret_release(&k);
}

/* cld.xml cut short inside a child's field, and one with a NUL byte in a child: 65, the
 * whole message naming the file and the line, as before the children were streamed; no
 * MANIFEST. */
Test(kpi, return_cut_short_or_with_a_nul_byte_is_a_data_error)
{
    static const char xml[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<cldReturn xmlns=\"" KRET_NS "\" schemaVersion=\"11\">\n"
                              "  <envelope><yotOuCode>MEDWAY</yotOuCode></envelope>\n"
                              "  <child><person><ypid>YPK1702</ypid></person></child>\n"
                              "  <child><person><ypid>YPK1703</ypid>\n"
                              "    <dateOfBirth>2009-01-01</dateOfBirth></person></child>\n"
                              "</cldReturn>\n";
    const char *cut = strstr(xml, "2009-01-01");
    struct kret k;
    struct manifest m;
    char *path, *text, expect[1024];

    kret_init(&k);
    text = strndup(xml, (size_t)(cut - xml) + 4);
    kret_return_text(&k, KRET_PERIOD, KRET_AS_OF, text);
    free(text);
    cr_assert_eq(kret_run(&k), YJ_EX_DATAERR, "%s", k.err.message);
    path = ut_path(k.ret, "cld.xml");
    snprintf(expect, sizeof(expect),
             "return file '%s' line 6: not well-formed: Extra content at the end of the document",
             path);
    cr_assert_str_eq(k.err.message, expect);
    assert_no_manifest(&k);

    /* the newline after YPK1703 becomes a NUL byte (the MANIFEST lists the bytes as written) */
    text = strdup(xml);
    strstr(text, "YPK1703")[7] = '\0';
    manifest_init(&m);
    manifest_set(&m, "stage", "transform");
    manifest_set(&m, "period", KRET_PERIOD);
    manifest_set(&m, "as_of", KRET_AS_OF);
    manifest_set(&m, "schema_version", "11");
    ut_write_bytes(path, text, sizeof(xml) - 1);
    {
        char hex[SHA256_HEX_LEN + 1];
        unsigned long long bytes;
        cr_assert_eq(sha256_file(path, hex, &bytes), 0);
        manifest_add_file(&m, "cld.xml", 2, bytes, hex);
    }
    kret_write_manifest(&m, k.ret);
    manifest_release(&m);
    free(text);
    cr_assert_eq(kret_run(&k), YJ_EX_DATAERR, "%s", k.err.message);
    snprintf(expect, sizeof(expect),
             "return file '%s' line 5: not well-formed: Char 0x0 out of allowed range", path);
    cr_assert_str_eq(k.err.message, expect);
    assert_no_manifest(&k);
    free(path);
    kret_release(&k);
}

/* The service code is the text of the envelope's yotOuCode: a CDATA section or a comment inside
 * it is part of it, or nothing, as in every field (the tree reading took only the first node:
 * "ME"); an empty yotOuCode before it is passed over. */
Test(kpi, service_code_is_the_whole_text_of_its_element)
{
    struct kret k;
    struct manifest m;
    struct yj_error err;
    char *path;

    kret_init(&k);
    kret_return_text(&k, KRET_PERIOD, KRET_AS_OF,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<cldReturn xmlns=\"" KRET_NS "\" schemaVersion=\"11\">\n"
                     "  <envelope><yotOuCode/><yotOuCode><![CDATA[ME]]>DW<!-- c -->AY</yotOuCode>"
                     "</envelope>\n"
                     "  <child><person><ypid>YPK1704</ypid></person></child>\n"
                     "</cldReturn>\n");
    kret_run_ok(&k);
    manifest_init(&m);
    yj_error_init(&err);
    path = ut_path(k.out, "MANIFEST");
    cr_assert_eq(manifest_read(&m, path, NULL, &err), YJ_OK, "%s", err.message);
    cr_assert_str_eq(manifest_get(&m, "yot_ou_code"), "MEDWAY");
    manifest_release(&m);
    free(path);
    kret_release(&k);
}

/*
 * A well-formed document that is not a return used to read as "0 children", exit 0: its root
 * element or namespace must be the return's (cldReturn in urn:yjreturns:cld:schema-11, the
 * MANIFEST's schema version): 65, one line naming the file (the return reader's,
 * etl/core/cldreader.c); no MANIFEST.
 */
Test(kpi, document_of_another_shape_is_a_data_error)
{
    static const char *const docs[] = {
        /* another root element, the return's namespace */
        "<?xml version=\"1.0\"?>\n<report xmlns=\"" KRET_NS "\"><child/></report>\n",
        /* the return's root element in another namespace */
        "<?xml version=\"1.0\"?>\n<cldReturn xmlns=\"urn:example:other\"></cldReturn>\n",
        /* no namespace at all */
        "<?xml version=\"1.0\"?>\n<cldReturn></cldReturn>\n",
        /* schema 12's namespace for a return whose MANIFEST says 11 */
        "<?xml version=\"1.0\"?>\n<cldReturn xmlns=\"urn:yjreturns:cld:schema-12\"/>\n",
    };

    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        struct kret k;
        char *path, expect[1024];

        kret_init(&k);
        kret_return_text(&k, KRET_PERIOD, KRET_AS_OF, docs[i]);
        cr_assert_eq(kret_run(&k), YJ_EX_DATAERR, "document %zu: %s", i, k.err.message);
        path = ut_path(k.ret, "cld.xml");
        if (i == 0)
            snprintf(expect, sizeof(expect),
                     "return file '%s': the root element is not cldReturn: not a return", path);
        else
            snprintf(expect, sizeof(expect),
                     "return file '%s': the root element is not in the namespace "
                     "urn:yjreturns:cld:schema-11: not a return of schema 11",
                     path);
        cr_assert_str_eq(k.err.message, expect, "document %zu: %s", i, k.err.message);
        assert_no_manifest(&k);
        free(path);
        kret_release(&k);
    }
}

/*
 * The children read must be the children the MANIFEST lists for the file (yj-transform's
 * rows): a MANIFEST saying 2 for a file of 1 child (its bytes and hash right) is 65, one line
 * with both counts; no MANIFEST.
 */
Test(kpi, children_differing_from_the_manifest_is_a_data_error)
{
    struct kret k;
    struct manifest m;
    char *xml, *path, expect[1024];

    kret_init(&k);
    xml = kret_xml(RO_CHILD("YPK1702", "2009-01-01", "2025-04-01", "2025-05-01", ""));
    manifest_init(&m);
    manifest_set(&m, "stage", "transform");
    manifest_set(&m, "period", KRET_PERIOD);
    manifest_set(&m, "as_of", KRET_AS_OF);
    manifest_set(&m, "schema_version", "11");
    kret_add(&m, k.ret, "cld.xml", xml, 2);
    kret_write_manifest(&m, k.ret);
    manifest_release(&m);
    cr_assert_eq(kret_run(&k), YJ_EX_DATAERR, "%s", k.err.message);
    path = ut_path(k.ret, "cld.xml");
    snprintf(expect, sizeof(expect), "return file '%s' holds 1 child; its MANIFEST lists 2", path);
    cr_assert_str_eq(k.err.message, expect);
    assert_no_manifest(&k);
    free(path);
    free(xml);
    kret_release(&k);
}

/*
 * --out equal to --return, or a folder inside it, is refused before anything is removed:
 * 64, one line; the return's MANIFEST and cld.xml are still there, byte for byte. (It used to
 * remove the return's MANIFEST as "the old KPI MANIFEST".) Given as written, through a "."
 * component, and a folder below the return that does not exist yet.
 */
Test(kpi, out_in_the_return_folder_is_refused)
{
    struct kret k;
    char *mpath, *before, *after, *dot, *below;

    kret_init(&k);
    kret_return(&k, RO_CHILD("YPK1703", "2009-01-01", "2025-04-01", "2025-05-01", ""));
    mpath = ut_path(k.ret, "MANIFEST");
    before = ut_read(mpath, NULL);
    dot = ut_path(k.dir, "./return/.");
    below = ut_path(k.ret, "kpi");
    {
        const char *outs[] = {k.ret, dot, below};
        for (size_t i = 0; i < 3; i++) {
            char expect[2048];
            free(k.out);
            k.out = strdup(outs[i]);
            cr_assert_eq(kret_run(&k), YJ_EX_USAGE, "%s: %s", outs[i], k.err.message);
            snprintf(expect, sizeof(expect),
                     "--out '%s' is the return folder '%s' or inside it: the KPI outputs would "
                     "replace the return's files",
                     outs[i], k.ret);
            cr_assert_str_eq(k.err.message, expect);
            after = ut_read(mpath, NULL);
            cr_assert_not_null(after, "the return's MANIFEST was removed");
            cr_assert_str_eq(after, before);
            free(after);
        }
    }
    cr_assert_not(ut_exists(below), "'%s' was created", below);
    /* the executable: exit 64, the one line on stderr */
    {
        const char *const args[] = {"--mappings", k.maps, "--return", k.ret, "--out", k.ret, NULL};
        cr_assert_eq(run_yj_kpi(args), 64);
        after = ut_read(mpath, NULL);
        cr_assert_not_null(after);
        cr_assert_str_eq(after, before);
        free(after);
    }
    /* a sibling folder whose name starts with the return's is not inside it */
    free(k.out);
    k.out = ut_path(k.dir, "return-kpi");
    kret_run_ok(&k);
    free(below);
    free(dot);
    free(before);
    free(mpath);
    kret_release(&k);
}

/*
 * A code the KPI rules do not hold (only in a return that failed validation) is a worklist
 * line naming the record and field, not a crash or a silent count: residence[1] of
 * accommodation type CASTLE (suitable, current at the end) still makes the child suitable,
 * with no template row.
 */
Test(kpi, unknown_code_is_on_the_worklist)
{
    struct kret k;

    kret_init(&k);
    kret_return(&k, RO_CHILD("YPK1801", "2009-01-01", "2025-04-01", "2025-05-01",
                             RESIDENCE("2025-01-01", OPEN, "CASTLE", "SUITABLE")));
    kret_run_ok(&k);
    kret_assert_grep(&k, "worklist.csv", ",all,",
                     "YPK1801,all,code_not_in_kpi_rules,residence,residence[1],"
                     "kpi1AccommodationType,correct the code: the return failed validation\n");
    kret_assert_grep(&k, "cases.csv", "^1,",
                     "1,suitable_start,ro,YPK1801,,residence,residence[1]\n"
                     "1,suitable_end,ro,YPK1801,,residence,residence[1]\n");
    kret_release(&k);
}

/*
 * An unknown disposal type on a programme ending in the quarter (a return that failed
 * validation): the programme never counts, and the code is one worklist line, although the
 * programme is looked at for the order, KPI 6, KPI 9 and each linked victim.
 */
Test(kpi, unknown_code_is_one_worklist_line)
{
    struct kret k;

    kret_init(&k);
    kret_return(&k, CHILD(PERSON("YPK1802", "2009-01-01")
                              OFFENCE("1", HEARING_AGE("15") CATEGORY("OTHER")
                                               OUTCOME("2025-04-01", "YOUTH_CAUTION", "Pre-Court"))
                                  PROGRAMME("P1", "2025-04-01", "2025-05-01", "CAUTION_PLUS", "")
                                      LINK("1", "P1") VICTIM("VI1", "VIC1", CONSENT("Yes"))
                                          VICTIM("VI2", "VIC2", CONSENT("Yes")) VLINK("1", "VI1")
                                              VLINK("1", "VI2")));
    kret_run_ok(&k);
    cr_assert_eq(k.res.cohort, 0);
    kret_assert_file(&k, "worklist.csv",
                     W_HEAD "YPK1802,all,code_not_in_kpi_rules,interventionProgramme,P1,"
                            "disposalType,correct the code: the return failed validation\n");
    kret_release(&k);
}

/*
 * An outcome without residence whose offence is linked to two programmes ending in the
 * quarter is one worklist line, not one per programme; the other outcome of the offence has
 * a residence and is not on it.
 */
Test(kpi, outcome_without_residence_is_one_worklist_line)
{
    struct kret k;

    kret_init(&k);
    kret_return(&k, CHILD(PERSON("YPK1803", "2009-01-01") OFFENCE(
                        "1", HEARING_AGE("15") CATEGORY("OTHER")
                                 OUTCOME("2025-03-01", "REFERRAL_ORDER", "First-tier") OUTCOME_X(
                                     "2025-04-01", "", "REFERRAL_ORDER", "First-tier", ""))
                              PROGRAMME("P1", "2025-04-01", "2025-05-01", "REFERRAL_ORDER", "")
                                  PROGRAMME("P2", "2025-04-01", "2025-05-02", "REFERRAL_ORDER", "")
                                      LINK("1", "P1") LINK("1", "P2")));
    kret_run_ok(&k);
    /* the first outcome (2025-03-01, lived locally) still makes the order: P1, lowest id */
    kret_assert_grep(&k, "cases.csv", ",order,", ORDER_LINE("ro", "YPK1803", "P1"));
    kret_assert_grep(&k, "worklist.csv", ",all,",
                     "YPK1803,all,outcome_no_residence,offenceLegalOutcome,offence 1 "
                     "offenceLegalOutcome[2],residenceOnLegalOutcomeDate,record where the child "
                     "lived on the outcome date\n");
    kret_release(&k);
}

/* The KPI MANIFEST of the rich case: keys, the rules' and the return manifest's SHA-256,
 * and every output with its real SHA-256 and size; modes 0644 / 0600 (personal data). */
Test(kpi, manifest_lists_every_output)
{
    static const char *const outputs[] = {"kpi1_accommodation_detail.csv",
                                          "kpi2_ete.csv",
                                          "kpi3_send_aln.csv",
                                          "kpi4_mhew.csv",
                                          "kpi5_substance_misuse.csv",
                                          "kpi6_ooc.csv",
                                          "kpi7_ws.csv",
                                          "kpi8_mba.csv",
                                          "kpi9_sv.csv",
                                          "kpi10_victims.csv",
                                          "headline.csv",
                                          "cases.csv",
                                          "worklist.csv",
                                          "worklist.txt",
                                          "recording.csv"};
    struct kret k;
    struct manifest m;
    struct yj_error err;
    char *path, hex[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
    struct stat st;

    kret_init(&k);
    kret_return(&k, rich_children);
    kret_staged(&k, rich_board, rich_population);
    kret_run_ok(&k);
    manifest_init(&m);
    yj_error_init(&err);
    path = ut_path(k.out, "MANIFEST");
    cr_assert_eq(manifest_read(&m, path, NULL, &err), YJ_OK, "%s", err.message);
    free(path);
    cr_assert_str_eq(manifest_get(&m, "stage"), "kpi");
    cr_assert_str_eq(manifest_get(&m, "period"), "2025Q1");
    cr_assert_str_eq(manifest_get(&m, "yot_ou_code"), "MEDWAY");
    cr_assert_str_eq(manifest_get(&m, "as_of"), KRET_AS_OF);
    cr_assert_str_eq(manifest_get(&m, "bundle"), "schema-11");
    cr_assert_str_eq(manifest_get(&m, "provisional"), "no");
    cr_assert_str_eq(manifest_get(&m, "board_attendance"), "yes");
    cr_assert_str_eq(manifest_get(&m, "population"), "30000");
    cr_assert_str_eq(manifest_get(&m, "children"), "4");
    cr_assert_str_eq(manifest_get(&m, "cohort"), "3");
    path = ut_path(k.ret, "MANIFEST");
    cr_assert_eq(sha256_file(path, hex, &bytes), 0);
    cr_assert_str_eq(manifest_get(&m, "return_manifest_sha256"), hex);
    free(path);
    cr_assert_eq(
        sha256_file(YJ_SOURCE_DIR "/mappings/schema-11/kpi/legal_outcome.csv", hex, &bytes), 0);
    cr_assert_str_eq(manifest_get(&m, "rules_kpi/legal_outcome.csv_sha256"), hex);
    cr_assert_eq(sha256_file(YJ_SOURCE_DIR "/mappings/schema-11/kpi/templates.conf", hex, &bytes),
                 0);
    cr_assert_str_eq(manifest_get(&m, "rules_kpi/templates.conf_sha256"), hex);
    cr_assert_eq(m.nfiles, sizeof(outputs) / sizeof(outputs[0]));
    for (size_t i = 0; i < m.nfiles; i++) {
        cr_assert_str_eq(m.files[i].name, outputs[i]);
        path = ut_path(k.out, outputs[i]);
        cr_assert_eq(sha256_file(path, hex, &bytes), 0);
        cr_assert_str_eq(m.files[i].sha256, hex, "%s", outputs[i]);
        cr_assert_eq(m.files[i].bytes, bytes, "%s", outputs[i]);
        cr_assert_eq(stat(path, &st), 0);
        cr_assert_eq(st.st_mode & 0777,
                     strcmp(outputs[i], "cases.csv") == 0 || strcmp(outputs[i], "worklist.csv") == 0
                         ? 0600u
                         : 0644u,
                     "%s mode %o", outputs[i], st.st_mode & 0777);
        free(path);
    }
    /* rows: the templates' rows; cases and worklist lines without their headers */
    cr_assert_eq(m.files[0].rows, 12);
    cr_assert_eq(m.files[1].rows, 31);
    cr_assert_eq(m.files[11].rows, 21);
    cr_assert_eq(m.files[12].rows, 8);
    manifest_release(&m);
    kret_release(&k);
}

/* A return that failed validation: the figures are computed, and marked provisional in the
 * MANIFEST and the worklist summary. */
Test(kpi, provisional_run_is_marked)
{
    struct kret k;
    char *m, *w;

    kret_init(&k);
    k.provisional = 1;
    kret_return(&k, RO_CHILD("YPK2001", "2009-01-01", "2025-04-01", "2025-05-01", ""));
    kret_run_ok(&k);
    cr_assert_eq(k.res.provisional, 1);
    cr_assert_eq(k.res.cohort, 1);
    m = kret_read(&k, "MANIFEST");
    ut_assert_contains(m, "\nprovisional yes\n");
    w = kret_read(&k, "worklist.txt");
    cr_assert(strncmp(w,
                      "KPI data-quality worklist: MEDWAY 2025Q1, as recorded at " KRET_AS_OF
                      " (PROVISIONAL: the return failed validation)\n",
                      strlen("KPI data-quality worklist: MEDWAY 2025Q1, as recorded at " KRET_AS_OF
                             " (PROVISIONAL: the return failed validation)\n")) == 0,
              "%s", w);
    free(w);
    free(m);
    kret_release(&k);
}

/*
 * kchild reads an element's text even when a comment splits it into several nodes, and a
 * number that is not one is absent: ypid "YPK<!-- -->2101", end date "2025-05<!-- -->-01",
 * gravity "5x" (absent: worklist offence_no_gravity). A child without a date of birth has no
 * age: YPK2102 is not in the cohort.
 */
Test(kpi, split_text_and_bad_numbers)
{
    struct kret k;

    kret_init(&k);
    kret_return(&k, CHILD("<person><ypid>YPK<!-- a comment -->2101</ypid><dateOfBirth>2009-01-01</"
                          "dateOfBirth></person>\n" OFFENCE(
                              "1", HEARING_AGE("15") CATEGORY("ROBBERY") GRAVITY("5x")
                                       OUTCOME("2025-04-01", "REFERRAL_ORDER", "First-tier"))
                              PROGRAMME("P1", "2025-04-01", "2025-05<!-- -->-01", "REFERRAL_ORDER",
                                        "") LINK("1", "P1"))
                        CHILD("<person><ypid>YPK2102</ypid></person>\n" OFFENCE(
                            "1", HEARING_AGE("15") CATEGORY("OTHER") GRAVITY("3")
                                     OUTCOME("2025-04-01", "REFERRAL_ORDER", "First-tier"))
                                  PROGRAMME("P1", "2025-04-01", "2025-05-01", "REFERRAL_ORDER", "")
                                      LINK("1", "P1")));
    kret_run_ok(&k);
    kret_assert_grep(&k, "cases.csv", ",order,", ORDER_LINE("ro", "YPK2101", "P1"));
    kret_assert_grep(&k, "worklist.csv", ",9,",
                     "YPK2101,9,offence_no_gravity,offence,1,yjbSeriousnessScore,record the "
                     "offence's gravity score\n");
    kret_release(&k);
}

/* ---- what a user sees: the run's summary on stderr, and the yj-kpi executable ---- */

/* Runs K with stderr in a file and returns what was written. */
static char *
run_capturing_stderr(struct kret *k)
{
    char *path = ut_path(k->dir, "stderr.txt"), *text;
    int fd, saved, rc;

    fflush(stderr);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert(fd >= 0);
    saved = dup(2);
    cr_assert(saved >= 0);
    cr_assert(dup2(fd, 2) >= 0);
    rc = kret_run(k);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    cr_assert_eq(rc, YJ_OK, "%s", k->err.message);
    text = ut_read(path, NULL);
    free(path);
    return text;
}

/* The rich case's summary: one line per KPI, the headline of all orders. */
Test(kpi, run_summary_on_stderr)
{
    struct kret k;
    char *text;

    kret_init(&k);
    kret_return(&k, rich_children);
    kret_staged(&k, rich_board, rich_population);
    text = run_capturing_stderr(&k);
    cr_assert_str_eq(text,
                     "yj: KPI 1 accommodation: 1 of 3 = 33.3%\n"
                     "yj: KPI 2 ete: 1 of 3 = 33.3%\n"
                     "yj: KPI 3 send_aln: 1 of 1 = 100.0%\n"
                     "yj: KPI 4 mental_health: 2 of 2 = 100.0%\n"
                     "yj: KPI 5 substance_misuse: 1 of 1 = 100.0%\n"
                     "yj: KPI 6 out_of_court: 1 of 1 = 100.0%\n"
                     "yj: KPI 7 wider_services: 2 of 3 = 66.7%\n"
                     "yj: KPI 8 board_attendance: 2 of 5 = 40.0%\n"
                     "yj: KPI 9 serious_violence: 2 of 30000 = 0.7 per population base\n"
                     "yj: KPI 10 victims: 1 of 1 = 100.0%\n",
                     "%s", text);
    free(text);
    kret_release(&k);

    /* without board rows or a population: two warnings and "not known" */
    kret_init(&k);
    kret_return(&k, RO_CHILD("YPK2201", "2009-01-01", "2025-04-01", "2025-05-01", ""));
    text = run_capturing_stderr(&k);
    ut_assert_contains(text,
                       "yj: warning: no board attendance recorded for 2025Q1: KPI 8 is left blank\n"
                       "yj: warning: no 10-17 population for 2024: the KPI 9 rate is left blank\n");
    ut_assert_contains(text, "yj: KPI 8 board_attendance: not known (no board attendance for the "
                             "quarter)\n"
                             "yj: KPI 9 serious_violence: not known (no population for the "
                             "year)\n");
    free(text);
    kret_release(&k);
}

/* Runs the yj-kpi executable of this build with ARGS (NULL-terminated); its exit status. */
static int
run_yj_kpi(const char *const *args)
{
    const char *argv[16];
    pid_t pid;
    int n = 0, status;

    argv[n++] = YJ_BIN_DIR "/yj-kpi";
    for (; *args && n < 15; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int dn = open("/dev/null", O_WRONLY);
        dup2(dn, 1);
        dup2(dn, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* The executable: a full run is 0 and writes the same templates as kpi_run(); a missing
 * required option is 64; bad counting rules 78. */
Test(kpi, executable_exit_codes)
{
    struct kret k;

    kret_init(&k);
    kret_return(&k, rich_children);
    kret_staged(&k, rich_board, rich_population);
    {
        const char *const args[] = {"--mappings", k.maps,  "--return", k.ret, "--staged",
                                    k.staged,     "--out", k.out,      NULL};
        cr_assert_eq(run_yj_kpi(args), 0);
    }
    kret_assert_file(&k, "kpi1_accommodation_detail.csv", rich_kpi1);
    kret_assert_file(&k, "headline.csv", rich_headline);
    {
        char *m = kret_read(&k, "MANIFEST");
        ut_assert_contains(m, "\nprovisional no\n");
        free(m);
    }
    {
        const char *const args[] = {"--mappings", k.maps, "--return",      k.ret,
                                    "--out",      k.out,  "--provisional", NULL};
        char *m;
        cr_assert_eq(run_yj_kpi(args), 0);
        m = kret_read(&k, "MANIFEST");
        ut_assert_contains(m, "\nprovisional yes\n");
        free(m);
    }
    {
        const char *const args[] = {"--mappings", k.maps, "--return", k.ret, NULL};
        cr_assert_eq(run_yj_kpi(args), 64);
    }
    {
        const char *const args[] = {"--mappings", k.maps, "--out", k.out, NULL};
        cr_assert_eq(run_yj_kpi(args), 64);
    }
    {
        const char *const args[] = {"--return", k.ret, "--out", k.out, NULL};
        cr_assert_eq(run_yj_kpi(args), 64);
    }
    kret_copy_mappings(&k);
    kret_edit(&k, "schema-11/kpi/kpi.conf", "sv_rate_per = 10000\n", "");
    {
        const char *const args[] = {"--mappings", k.maps, "--return", k.ret, "--out", k.out, NULL};
        cr_assert_eq(run_yj_kpi(args), 78);
    }
    kret_release(&k);
}

/*
 * Reading 8: row-level flags. A child with records at one time point only counts at that
 * point only. Referral orders 2025-04-01..2025-06-01 (at-start day 04-01), born 2011-01-01
 * (school age throughout).
 * YPK2301: ETE SUITABLE from 2025-05-01, open: at the end only: suitable end, not start.
 * YPK2302: ETE SUITABLE 2024-09-01..2025-04-15: at the start only: suitable start; no ETE at
 *          the end (worklist) and not suitable at the end.
 * YPK2303: residence (parents) SUITABLE 2024-01-01..2025-04-15: suitable at start only; no
 *          accommodation at the end (worklist).
 * YPK2304: ETE[1] SUITABLE from 2024-09-01, open (both points), ETE[2] UNSUITABLE from
 *          2025-05-01 (end only): suitable at start, unsuitable at end (decided by ETE[2]).
 * KPI 2 suitable (ro school total, start, end): 3,2,1; College 3,2,2; H2 1/4 = 25.0. KPI 1
 * parents ro 1,1,0,0,0; H1 0/4.
 */
Test(kpi, flags_at_one_time_point_only)
{
    struct kret k;

    kret_init(&k);
    kret_return(
        &k,
        ETE_CHILD("YPK2301", SCHOOL, ETE("2025-05-01", OPEN, "COLLEGE", "SUITABLE", ""))
            ETE_CHILD("YPK2302", SCHOOL, ETE("2024-09-01", "2025-04-15", "COLLEGE", "SUITABLE", ""))
                ETE_CHILD("YPK2303", SCHOOL,
                          RESIDENCE("2024-01-01", "2025-04-15", "LIVING_WITH_PARENT_S", "SUITABLE"))
                    ETE_CHILD("YPK2304", SCHOOL,
                              ETE("2024-09-01", OPEN, "COLLEGE", "SUITABLE", "")
                                  ETE("2025-05-01", OPEN, "COLLEGE", "UNSUITABLE", "")));
    kret_run_ok(&k);
    kret_assert_row(&k, "kpi2_ete",
                    "Number of children in suitable ETE with an order closing in the period",
                    "," Z6 "," Z6 "," Z6 ",3,2,1,0,0,0," Z6 "," K2C0);
    kret_assert_row(&k, "kpi2_ete", "College", "," Z6 "," Z6 "," Z6 ",3,2,2,0,0,0," Z6 "," K2C0);
    kret_assert_row(&k, "kpi1_accommodation_detail", "Living with parent(s)",
                    Z5 "," Z5 "," Z5 ",1,1,0,0,0," Z5 "," K1C0 ",,,,,");
    kret_assert_grep(&k, "cases.csv", "^1,",
                     "1,suitable_start,ro,YPK2303,,residence,residence[1]\n");
    kret_assert_grep(&k, "cases.csv", "^2,",
                     "2,suitable_end,ro,YPK2301,,eteStatus,eteStatus[1]\n"
                     "2,suitable_start,ro,YPK2302,,eteStatus,eteStatus[1]\n"
                     "2,unsuitable_end,ro,YPK2304,,eteStatus,eteStatus[2]\n"
                     "2,suitable_start,ro,YPK2304,,eteStatus,eteStatus[1]\n");
    kret_assert_grep(&k, "worklist.csv", ",no_",
                     "YPK2301," W_NO_ACC "YPK2301," W_NO_SEND "YPK2301," W_NO_MH "YPK2301," W_NO_SM
                     "YPK2302," W_NO_ACC "YPK2302," W_NO_ETE "YPK2302," W_NO_SEND "YPK2302," W_NO_MH
                     "YPK2302," W_NO_SM "YPK2303," W_NO_ACC "YPK2303," W_NO_ETE "YPK2303," W_NO_SEND
                     "YPK2303," W_NO_MH "YPK2303," W_NO_SM "YPK2304," W_NO_ACC "YPK2304," W_NO_SEND
                     "YPK2304," W_NO_MH "YPK2304," W_NO_SM);
    kret_assert_headline(
        &k, "ete", "ro",
        "2025Q1,2,ete,ro,kpi2_total_suitable_end,1,kpi2_total_ypid,4,25.0,percent");
    kret_assert_headline(
        &k, "accommodation", "ro",
        "2025Q1,1,accommodation,ro,kpi1_total_suitable_end,0,kpi1_total_ypid,4,0.0,"
        "percent");
    kret_release(&k);
}

/* A population figure that is not a whole number from 0 (a negative headcount, a year with
 * text) stops yj-kpi with one line naming the staged file, line and column, never a value;
 * a NULL is no figure (blank), as before. */
Test(kpi, population_that_is_not_a_count_is_refused)
{
    static const char *const rows[] = {"2024\t-5\n", "2024x\t30000\n", "2024\t\n"};
    static const char *const col[] = {"headcount", "year", "headcount"};

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct kret k;
        char expect[512];

        kret_init(&k);
        kret_return(&k, RO_CHILD("YPK1502", "2009-01-01", "2025-04-01", "2025-05-01", ""));
        kret_staged(&k, "2024Q4\tCSC\tt\tt\tf\n", rows[i]);
        cr_assert_eq(kret_run(&k), YJ_EX_DATAERR, "row %zu: %s", i, k.err.message);
        snprintf(expect, sizeof(expect),
                 "staged file '%s/service/population.tsv' line 2: %s is not a whole number from 0",
                 k.staged, col[i]);
        cr_assert_str_eq(k.err.message, expect, "row %zu: %s", i, k.err.message);
        kret_release(&k);
    }
}

/* The differences between the project's figures and the YJB's name the order of each cell,
 * "all" only for the whole cohort: one child on a no-sanction order (Outcome 22 with a
 * programme, order ns) in ETE with 0 hours offered at the start is part time at the start as
 * the YJB's SQL counts (below 25, 0 included), not as the project counts (1 to 24 hours):
 * project 0, YJB 1, in ns and in all. */
Test(kpi, yjb_differences_name_the_order_ns)
{
    struct kret k;
    char *w;

    kret_init(&k);
    kret_return(&k, CHILD(PERSON("YPK2501", SCHOOL)
                              OFFENCE("1", HEARING_AGE("14") CATEGORY("OTHER")
                                               OUTCOME("2025-04-01", "OUTCOME_22", "Diversion"))
                                  PROGRAMME("P1", "2025-04-01", "2025-06-01", "OUTCOME_22", "")
                                      LINK("1", "P1") ETE("2024-09-01", OPEN, "COLLEGE", "SUITABLE",
                                                          OFFERED("0"))));
    kret_run_ok(&k);
    w = kret_read(&k, "worklist.txt");
    ut_assert_contains(w, "\n  2 ete_part_time_start          all   numerator          0        1"
                          "         +1\n"
                          "  2 ete_part_time_start          ns    numerator          0        1"
                          "         +1\n");
    free(w);
    kret_release(&k);
}

/* An intervention type the bundle's tables do not hold is a worklist problem naming the field
 * of its own KPI: kpi4InterventionType for a mental health screening, kpi5InterventionType for
 * a substance misuse one. */
Test(kpi, an_unknown_intervention_type_names_its_kpis_field)
{
    struct kret k;
    char *w;

    kret_init(&k);
    kret_return(
        &k, MH_CHILD("YPK2601",
                     MH("2025-04-10", "2025-04-15", "2025-04-20", OPEN, MH_TYPE("NO_SUCH"))
                         SM("2025-04-10", "2025-04-15", "2025-04-20", OPEN, SM_TYPE("NO_SUCH"))));
    kret_run_ok(&k);
    w = kret_read(&k, "worklist.csv");
    ut_assert_contains(w, "\nYPK2601,all,code_not_in_kpi_rules,mentalHealth,mentalHealth[1],"
                          "kpi4InterventionType,correct the code: the return failed validation\n"
                          "YPK2601,all,code_not_in_kpi_rules,substanceMisuse,substanceMisuse[1],"
                          "kpi5InterventionType,correct the code: the return failed validation\n");
    free(w);
    kret_release(&k);
}

/* KPI 2's "not in ETE" row counts the start and the end apart: a school-age child on a
 * referral order 2025-04-01..06-01 with no provision (NONE) until 04-20, then full-time school
 * (suitable) from 04-21, is not in ETE at the start only: total 1, start 1, end 0. */
Test(kpi, not_in_ete_at_the_start_only)
{
    struct kret k;

    kret_init(&k);
    kret_return(
        &k, ETE_CHILD("YPK2701", SCHOOL,
                      ETE("2024-09-01", "2025-04-20", "NONE", "UNSUITABLE", "")
                          ETE("2025-04-21", OPEN, "SCHOOL_FULL_TIME", "SUITABLE", OFFERED("25"))));
    kret_run_ok(&k);
    kret_assert_row(&k, "kpi2_ete",
                    "Number of children not in ETE with an order closing in the period",
                    "," Z6 "," Z6 "," Z6 ",1,1,0,0,0,0," Z6 "," K2C0);
    kret_release(&k);
}
