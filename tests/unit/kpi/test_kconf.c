/*
 * test_kconf.c - the KPI counting rules of a bundle that are bad or disagree with the bundle
 * (etl/kpi/kconf.c, ksettings.c, ktemplates.c): each stops yj-kpi with exit 78 and one line
 * naming the file, the line and the value, before any output (no MANIFEST in the output
 * folder).
 *
 * Each test copies the project's mappings into a scratch folder (kret.h), changes one thing
 * and runs kpi_run() on a small valid return. A changed label is free text and is written as
 * given; a row key, a counted column or a template yj-kpi does not count is refused.
 */
#include "kret.h"
#include "kxml.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

TestSuite(kconf, .fini = kret_fini);

static const char one_child[] = CHILD(PERSON("YPK1901", "2009-01-01") OFFENCE(
    "1", HEARING_AGE("15") CATEGORY("OTHER") OUTCOME("2025-04-01", "REFERRAL_ORDER", "First-tier"))
                                          PROGRAMME("P1", "2025-04-01", "2025-05-01",
                                                    "REFERRAL_ORDER", "") LINK("1", "P1"));

/* Runs with the edited copy and checks the status, the whole message (the path of mappings
 * file NAME followed by REST) and that no MANIFEST was written. */
static void
expect_config_error(struct kret *k, const char *name, const char *rest)
{
    char *path = kret_map_path(k, name), expect[2048], *m;
    int rc;

    kret_return(k, one_child);
    rc = kret_run(k);
    cr_assert_eq(rc, YJ_EX_CONFIG, "status %d: %s", rc, k->err.message);
    snprintf(expect, sizeof(expect), "%s%s", path, rest);
    cr_assert_str_eq(k->err.message, expect);
    cr_assert_null(strchr(k->err.message, '\n'));
    m = ut_path(k->out, "MANIFEST");
    cr_assert_not(ut_exists(m), "'%s' written after a rules error", m);
    free(m);
    free(path);
}

#define LO "schema-11/kpi/legal_outcome.csv"

Test(kconf, duplicate_code)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, LO, "NOT_KNOWN,no,16,,\n", "NOT_KNOWN,no,16,,\nFINE,no,17,,\n");
    expect_config_error(&k, LO, " line 38: duplicate code 'FINE' (also line 33)");
    kret_release(&k);
}

Test(kconf, unknown_code)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, LO, "NOT_KNOWN,no,16,,\n", "NOT_KNOWN,no,16,,\nMADE_UP,no,17,,\n");
    expect_config_error(&k, LO,
                        " line 38: unknown code 'MADE_UP' (not a legalOutcome code of "
                        "legal_outcome.csv)");
    kret_release(&k);
}

Test(kconf, missing_code)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, LO, "NOT_KNOWN,no,16,,\n", "");
    expect_config_error(&k, LO,
                        ": missing code 'NOT_KNOWN' (a legalOutcome code of legal_outcome.csv)");
    kret_release(&k);
}

/* another table: residence.csv covers residenceOnLegalOutcomeDate */
Test(kconf, missing_code_of_residence)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, "schema-11/kpi/residence.csv", "OTHER,no\n", "");
    expect_config_error(&k, "schema-11/kpi/residence.csv",
                        ": missing code 'OTHER' (a residenceOnLegalOutcomeDate code of "
                        "residence.csv)");
    kret_release(&k);
}

Test(kconf, duplicate_rank)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, LO, "FINE,no,12,", "FINE,no,11,");
    expect_config_error(&k, LO,
                        " line 33: rank 11 of 'FINE' is also the rank of "
                        "'COMMUNITY_RESOLUTION' (line 32)");
    kret_release(&k);
}

Test(kconf, counting_outcome_needs_an_order)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, LO, "FINE,no,12,", "FINE,yes,12,");
    expect_config_error(&k, LO, " line 33: 'FINE' counts but has no order");
    kret_release(&k);
}

/* A counting outcome without a group: KPIs 6, 7 and 9 select by it. */
Test(kconf, counting_outcome_needs_a_group)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, LO, "OUTCOME_22,yes,10,ns,Diversion", "OUTCOME_22,yes,10,ns,");
    expect_config_error(&k, LO, " line 31: 'OUTCOME_22' counts but has no group");
    kret_release(&k);
}

#define TPL "schema-11/kpi/templates.conf"

/* templates.conf is the one list of rows: a code table's row column that names a row the
 * template lacks is refused in the table. */
Test(kconf, table_row_not_in_template)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, TPL, "row stc \"STC\"", "row castle \"STC\"");
    expect_config_error(&k, "schema-11/kpi/accommodation_type.csv", " line 18: unknown row 'stc'");
    kret_release(&k);
}

/* A row the counting rules fill by name may not be filled by a table too. */
Test(kconf, table_row_counted_by_name)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, "schema-11/kpi/ete_provision.csv", "COLLEGE,college,", "COLLEGE,children,");
    expect_config_error(&k, "schema-11/kpi/ete_provision.csv", " line 12: unknown row 'children'");
    kret_release(&k);
}

/* A row yj-kpi counts by name is resolved at load: its key missing is one line naming the
 * file and the key. */
Test(kconf, template_missing_named_row)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, TPL, "row identified \"Number with an identified SEND/ALN\"\n", "");
    expect_config_error(&k, TPL, ": template kpi3_send_aln lacks row 'identified'");
    kret_release(&k);
}

/* The same for KPI 4's rows of each intervention type of mh_intervention.csv. */
Test(kconf, template_missing_row_of_a_type)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, TPL, "row attending_risk_support ", "row attending_risk ");
    expect_config_error(&k, TPL, ": template kpi4_mhew lacks row 'attending_risk_support'");
    kret_release(&k);
}

/* Blank cells are templates.conf's: a suffix no counted column ends in is refused. */
Test(kconf, template_blank_suffix_of_no_column)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, TPL, "prior to start of order\" blank end",
              "prior to start of order\" blank stop");
    expect_config_error(&k, TPL,
                        " line 138: row 'early_help_prior': no counted column of kpi7_ws ends in "
                        "'_stop'");
    kret_release(&k);
}

Test(kconf, template_blank_needs_a_suffix)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, TPL, "prior to start of order\" blank end", "prior to start of order\" blank");
    expect_config_error(&k, TPL, " line 138: row 'early_help_prior': blank needs a column suffix");
    kret_release(&k);
}

Test(kconf, template_duplicate_row)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, TPL, "row sch \"SCH\"\n", "row sch \"SCH\"\nrow stc \"STC\"\n");
    expect_config_error(&k, TPL, " line 30: row 'stc' given twice (also line 28)");
    kret_release(&k);
}

Test(kconf, template_missing_counted_column)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, TPL, "columns ns_total ns_start_yes ns_start_no ns_end_yes ns_end_no\n",
              "columns ns_total ns_start_yes ns_start_no ns_end_yes\n");
    expect_config_error(&k, TPL,
                        " line 17: template kpi1_accommodation_detail lacks counted column "
                        "'ns_end_no'");
    kret_release(&k);
}

Test(kconf, template_unknown_column)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, TPL, "columns return_status_id reporting_date yot_code description age10to15",
              "columns return_status_id reporting_date yot_code description age10to14");
    expect_config_error(&k, TPL,
                        " line 149: template kpi9_sv: column 'age10to14' is neither counted "
                        "nor blank");
    kret_release(&k);
}

Test(kconf, template_given_twice)
{
    struct kret k;
    char *path;

    kret_init(&k);
    kret_copy_mappings(&k);
    path = kret_map_path(&k, TPL);
    {
        char *s = ut_read(path, NULL), *t = malloc(strlen(s) + 64);
        strcpy(t, s);
        strcat(t, "template kpi9_sv\n");
        ut_write(path, t);
        free(t);
        free(s);
    }
    free(path);
    expect_config_error(&k, TPL, " line 166: template 'kpi9_sv' given twice (also line 149)");
    kret_release(&k);
}

Test(kconf, template_missing)
{
    struct kret k;
    char *path;

    kret_init(&k);
    kret_copy_mappings(&k);
    path = kret_map_path(&k, TPL);
    {
        /* cut everything from "template kpi10_victims" */
        char *s = ut_read(path, NULL), *at = strstr(s, "template kpi10_victims");
        cr_assert_not_null(at);
        *at = '\0';
        ut_write(path, s);
        free(s);
    }
    free(path);
    expect_config_error(&k, TPL, ": template 'kpi10_victims' is missing");
    kret_release(&k);
}

/* A label is the YJB's free text: written byte for byte as the file gives it. */
Test(kconf, template_label_is_written_as_given)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, TPL, "row stc \"STC\"", "row stc \"Secure  training, centre \"");
    kret_return(&k, one_child);
    kret_run_ok(&k);
    /* spaces kept; the comma makes the CSV cell quoted */
    kret_assert_row(&k, "kpi1_accommodation_detail", "\"Secure  training, centre \"",
                    "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,,,0,0,,,,,");
    kret_release(&k);
}

#define CONF "schema-11/kpi/kpi.conf"

Test(kconf, settings_missing_key)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, CONF, "sv_rate_per = 10000\n", "");
    expect_config_error(&k, CONF, ": key 'sv_rate_per' is missing");
    kret_release(&k);
}

Test(kconf, settings_unknown_key)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, CONF, "sv_rate_per = 10000\n", "sv_rate_per = 10000\ncolour = blue\n");
    expect_config_error(&k, CONF, " line 25: unknown key 'colour'");
    kret_release(&k);
}

Test(kconf, settings_bad_number)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, CONF, "board_sectors = 5\n", "board_sectors = 6\n");
    expect_config_error(&k, CONF, " line 26: board_sectors '6' is not a number 1-5");
    kret_release(&k);
}

Test(kconf, board_sector_duplicate_code)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, "schema-11/kpi/board_sector.csv", "OTH,other\n", "OTH,other\nCSC,b\n");
    expect_config_error(&k, "schema-11/kpi/board_sector.csv",
                        " line 12: duplicate sector_cd 'CSC'");
    kret_release(&k);
}

/* The settings are read, not assumed: with send_yes = Yes the return's YES is not a SEND/ALN
 * need; with age_max = 16 a child of 16 at the start (start 2025-04-01; born 2008-09-01)
 * still counts while one of 17 (born 2008-01-01) does not; year_end = 09-01 in the bundle's
 * school_age.conf (the rule the return's isStatutorySchoolAge* fields share) moves the
 * school-age day. */
Test(kconf, settings_are_read)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, CONF, "send_yes = YES\n", "send_yes = Yes\n");
    kret_edit(&k, CONF, "age_max = 17\n", "age_max = 16\n");
    kret_edit(&k, "schema-11/school_age.conf", "year_end = 08-31\n", "year_end = 09-01\n");
    kret_return(
        &k, CHILD(PERSON("YPK1902", "2009-01-01")
                      OFFENCE("1", HEARING_AGE("15") CATEGORY("OTHER")
                                       OUTCOME("2025-04-01", "REFERRAL_ORDER", "First-tier"))
                          PROGRAMME("P1", "2025-04-01", "2025-05-01", "REFERRAL_ORDER", "")
                              LINK("1", "P1") SEND("YES", PLAN("YES"), "2024-01-01", OPEN)
                                  SEND("Yes", PLAN("Yes"), "2024-01-01", OPEN))
                CHILD(PERSON("YPK1903", "2008-01-01")
                          OFFENCE("1", HEARING_AGE("15") CATEGORY("OTHER")
                                           OUTCOME("2025-04-01", "REFERRAL_ORDER", "First-tier"))
                              PROGRAMME("P1", "2025-04-01", "2025-05-01", "REFERRAL_ORDER", "")
                                  LINK("1", "P1"))
                    CHILD(PERSON("YPK1904", "2008-09-01")
                              OFFENCE("1", HEARING_AGE("15") CATEGORY("OTHER") OUTCOME(
                                               "2025-04-01", "REFERRAL_ORDER", "First-tier"))
                                  PROGRAMME("P1", "2025-04-01", "2025-05-01", "REFERRAL_ORDER", "")
                                      LINK("1", "P1")));
    kret_run_ok(&k);
    cr_assert_eq(k.res.cohort, 2);
    kret_assert_grep(&k, "cases.csv", "^3,", "3,formal_plan,ro,YPK1902,,sendAln,sendAln[2]\n");
    /* YPK1902 is 15 on 2024-09-01: school age; YPK1904 turned 16 that day: above (with the
     * 31 August of the real bundle both would be school age) */
    kret_assert_row(&k, "kpi2_ete", "Number of children with an order closing in the period",
                    ",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,1,0,0,0,0,0,0,0,0,,0,0,0,,0");
    kret_release(&k);
}

/* docs/kpi.md: "On any failure the old MANIFEST is already gone, so no folder looks
 * complete" - also when the rules are bad and nothing was read. */
Test(kconf, rules_error_removes_an_old_manifest)
{
    struct kret k;
    char *old;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, CONF, "sv_rate_per = 10000\n", "");
    cr_assert_eq(mkdir(k.out, 0755), 0);
    old = ut_path(k.out, "MANIFEST");
    ut_write(old, "yjreturns-manifest 1\nstage kpi\n");
    free(old);
    expect_config_error(&k, CONF, ": key 'sv_rate_per' is missing");
    kret_release(&k);
}

/* One change to one rules file and the whole one-line message that must follow it (after the
 * file's path). */
struct bad_rule {
    const char *file, *old, *new_text, *rest;
};

static void
run_bad_rules(const struct bad_rule *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct kret k;

        kret_init(&k);
        kret_copy_mappings(&k);
        kret_edit(&k, cases[i].file, cases[i].old, cases[i].new_text);
        expect_config_error(&k, cases[i].file, cases[i].rest);
        kret_release(&k);
    }
}

#define DT "schema-11/kpi/disposal_type.csv"
#define BS "schema-11/kpi/board_sector.csv"

Test(kconf, bad_code_tables)
{
    static const struct bad_rule cases[] = {
        {LO, "legalOutcome,count,rank,order,group\n", "legalOutcome,count,ranking,order,group\n",
         " line 21: header column 'ranking' should be 'rank'"},
        {LO, "legalOutcome,count,rank,order,group\n", "legalOutcome,counts,rank,order,group\n",
         " line 21: header column 'counts' should be 'count'"},
        {LO, "legalOutcome,count,rank,order,group\n", "outcome,count,rank,order,group\n",
         " line 21: header column 'outcome' should be 'legalOutcome'"},
        {LO, "legalOutcome,count,rank,order,group\n", "legalOutcome,count,rank,order,grp\n",
         " line 21: header column 'grp' should be 'group'"},
        {LO, "legalOutcome,count,rank,order,group\n", "legalOutcome,count,rank,order\n",
         " line 21: 4 columns, expected 5"},
        {LO, "FINE,no,12,", "FINE,no,12", " line 33: 4 columns, expected 5"},
        {LO, "FINE,no,12,", "FINE,no,12,,", " line 33: 6 columns, expected 5"},
        {LO, "FINE,no,12,", "FINE,no,12,,,,,", " line 33: 9 columns, expected 5"},
        {BS, "CSC,a\n", "CSC,a,,,,\n", " line 6: expected 2 columns"},
        {LO, "FINE,no,12,", "FINE,maybe,12,", " line 33: count 'maybe' is not yes or no"},
        {LO, "FINE,no,12,", "FINE,no,x12,", " line 33: rank 'x12' is not a whole number"},
        {LO, "FINE,no,12,", "FINE,no,-12,", " line 33: rank '-12' is not a whole number"},
        {LO, "REFERRAL_ORDER,yes,6,ro,", "REFERRAL_ORDER,yes,6,rx,",
         " line 27: unknown order 'rx'"},
        /* the group is a word of the YJB's: the case of the sent field does not pass */
        {LO, "OUTCOME_22,yes,10,ns,Diversion", "OUTCOME_22,yes,10,ns,diversion",
         " line 31: unknown group 'diversion'"},
        {LO, "NOT_KNOWN,no,16,,\n", "NOT_KNOWN,no,16,,\n,no,17,,\n",
         " line 38: empty legalOutcome"},
        {LO, "FINE,no,12,", "FINE,no,12,ro", " line 33: 'FINE' does not count but has an order"},
        {DT, "SECTION_250,yes,programme_start-1,", "SECTION_250,yes,programme_start-2,",
         " line 23: unknown start_ref 'programme_start-2'"},
        {DT, "DTO_LICENCE,yes,outcome_date-1,outcome_date,", "DTO_LICENCE,yes,outcome_date-1,,",
         " line 22: unknown age_at ''"},
        {BS, "sector_cd,sector\n", "sector_code,sector\n",
         " line 5: header must be sector_cd,sector"},
        {BS, "CSC,a\n", "CSC,f\n", " line 6: unknown sector 'f'"},
        {BS, "CSC,a\n", "CSC,a,x\n", " line 6: expected 2 columns"},
        {BS, "HLT,e\n", "HLT,other\n", ": no local code for sector 'e'"},
    };
    run_bad_rules(cases, sizeof(cases) / sizeof(cases[0]));
}

Test(kconf, bad_settings)
{
    static const struct bad_rule cases[] = {
        {CONF, "first_programme_end = 2023-04-01", "first_programme_end = 2023-13-01",
         " line 6: first_programme_end '2023-13-01' is not a date"},
        {CONF, "# Statutory school age, which splits", "school_leaving_age = 16\n#",
         " line 10: unknown key 'school_leaving_age'"},
        {"schema-11/school_age.conf", "year_end = 08-31", "year_end = 8-31",
         " line 9: year_end '8-31' is not MM-DD"},
        {CONF, "age_min = 10", "age_min = 18", ": a minimum is above its maximum"},
        {CONF, "sv_gravity_min = 5", "sv_gravity_min = 9",
         " line 20: sv_gravity_min '9' is not a number 1-8"},
        {CONF, "sv_gravity_max = 8", "sv_gravity_max = 4", ": a minimum is above its maximum"},
        {CONF, "age_max = 17", "age_max = 17x", " line 9: age_max '17x' is not a number 0-30"},
        {CONF, "sv_rate_per = 10000", "sv_rate_per = 0",
         " line 24: sv_rate_per '0' is not a number 1-1000000"},
        {CONF, "absent_appeal_counts = yes", "absent_appeal_counts = Yes",
         " line 28: absent_appeal_counts 'Yes' is not yes or no"},
        {CONF, "victim_yes = Yes", "victim_yes =", " line 32: victim_yes is empty"},
        {CONF, "kpi6_groups = Diversion,Pre-Court",
         "kpi6_groups = ", " line 37: kpi6_groups is empty"},
        {CONF, "kpi9_groups = Pre-Court,First-tier,Community,Custody",
         "kpi9_groups = Pre-Court,First-Tier,Community,Custody",
         " line 38: kpi9_groups: unknown group 'First-Tier' (one of Diversion, Pre-Court, "
         "First-tier, Community, Custody)"},
        {CONF, "age_max = 17\n", "age_max = 17\nage_max = 16\n",
         " line 10: key 'age_max' given twice"},
        {CONF, "age_max = 17\n", "age_max = 17\nage_max\n", " line 10: expected KEY = VALUE"},
    };
    run_bad_rules(cases, sizeof(cases) / sizeof(cases[0]));
}

Test(kconf, bad_templates)
{
    static const struct bad_rule cases[] = {
        {TPL, "template kpi1_accommodation_detail\n",
         "row stc \"STC\"\ntemplate kpi1_accommodation_detail\n",
         " line 17: 'row' before any template"},
        {TPL, "template kpi1_accommodation_detail\n", "template kpi1_accommodation\n",
         " line 17: unknown template 'kpi1_accommodation'"},
        {TPL, "row stc \"STC\"", "rows stc \"STC\"", " line 28: unknown word 'rows'"},
        {TPL, "row stc \"STC\"", "row stc STC", " line 28: row 'stc' needs a \"label\""},
        {TPL, "row stc \"STC\"", "row stc \"STC", " line 28: row 'stc' needs a \"label\""},
        {TPL, "row stc \"STC\"", "row stc \"STC\" x", " line 28: unexpected text after label"},
        {TPL, "blank cust_release_yes cust_release_no", "blank cust_release_yes cust_released",
         " line 26: blank column 'cust_released' is not a column of kpi1_accommodation_detail"},
        {TPL, "columns ns_total ns_start_yes ns_start_no ns_end_yes ns_end_no\n",
         "columns ns_total ns_start_yes ns_start_no ns_end_yes ns_end_no ns_total\n",
         " line 17: template kpi1_accommodation_detail: column 'ns_total' given twice"},
        {TPL,
         "template kpi3_send_aln\ncolumns return_status_id reporting_date yot_code description",
         "template kpi3_send_aln\ncolumns return_status_id reporting_date yot_code",
         " line 83: template kpi3_send_aln lacks column 'description'"},
        {TPL, "template kpi9_sv\ncolumns return_status_id ", "template kpi9_sv\ncolumns ",
         " line 149: template kpi9_sv lacks column 'return_status_id'"},
    };
    run_bad_rules(cases, sizeof(cases) / sizeof(cases[0]));
}

/* Line ends: a rules file whose last line has no newline, or whose lines end in CRLF, loads
 * as the same rules; a line longer than the reader's buffer is refused, naming its line. */
Test(kconf, line_ends_and_long_lines)
{
    struct kret k;
    char *path, *s, *crlf, *p, *q, *longline;

    /* kpi.conf without its last newline, legal_outcome.csv in CRLF */
    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, CONF, "Pre-Court,First-tier,Community,Custody\n",
              "Pre-Court,First-tier,Community,Custody");
    path = kret_map_path(&k, LO);
    s = ut_read(path, NULL);
    crlf = malloc(2 * strlen(s) + 1);
    for (p = s, q = crlf; *p; p++) {
        if (*p == '\n')
            *q++ = '\r';
        *q++ = *p;
    }
    *q = '\0';
    ut_write(path, crlf);
    free(crlf);
    free(s);
    free(path);
    kret_return(&k, one_child);
    kret_run_ok(&k);
    kret_assert_grep(&k, "cases.csv", ",order,",
                     "0,order,ro,YPK1901,P1,interventionProgramme,P1\n");
    kret_release(&k);

    /* a comment line of 5000 characters in kpi.conf, line 3 */
    kret_init(&k);
    kret_copy_mappings(&k);
    longline = malloc(5003);
    memset(longline, 'x', 5001);
    longline[0] = '#';
    longline[5001] = '\n';
    longline[5002] = '\0';
    {
        char *with = malloc(5003 + 200);
        snprintf(with, 5003 + 200, "%s%s",
                 "# depend on, each named in docs/kpi.md. KEY = VALUE, one per line; every key is "
                 "required and\n",
                 longline);
        kret_edit(&k, CONF,
                  "# depend on, each named in docs/kpi.md. KEY = VALUE, one per line; every key is "
                  "required and\n",
                  with);
        free(with);
    }
    free(longline);
    expect_config_error(&k, CONF, " line 3: line too long");
    kret_release(&k);
}

/* A byte order mark: refused in the bundle's .conf files (hand-written, like the
 * configuration), skipped in its .csv tables (which Excel may save); a NUL byte is named. */
Test(kconf, byte_order_marks_and_nul_bytes)
{
    static const struct bad_rule cases[] = {
        {TPL, "# The YJB's ten KPI summary templates",
         "\xEF\xBB\xBF# The YJB's ten KPI summary templates",
         " line 1: starts with a UTF-8 byte order mark (bytes EF BB BF)"},
        {CONF, "# KPI counting settings of schema bundle 11",
         "\xEF\xBB\xBF# KPI counting settings of schema bundle 11",
         " line 1: starts with a UTF-8 byte order mark (bytes EF BB BF)"},
    };
    struct kret k;
    char *path, *s, *nul;
    size_t n;

    run_bad_rules(cases, sizeof(cases) / sizeof(cases[0]));

    /* legal_outcome.csv saved by Excel with a BOM: the same rules */
    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, LO, "# KPI counting of each legalOutcome code",
              "\xEF\xBB\xBF# KPI counting of each legalOutcome code");
    kret_return(&k, one_child);
    kret_run_ok(&k);
    kret_assert_grep(&k, "cases.csv", ",order,",
                     "0,order,ro,YPK1901,P1,interventionProgramme,P1\n");
    kret_release(&k);

    /* a NUL byte on kpi.conf's line 6 */
    kret_init(&k);
    kret_copy_mappings(&k);
    path = kret_map_path(&k, CONF);
    s = ut_read(path, &n);
    nul = strstr(s, "first_programme_end");
    nul[5] = '\0';
    ut_write_bytes(path, s, n);
    free(s);
    free(path);
    expect_config_error(&k, CONF, " line 6: holds a NUL byte: not a text file");
    kret_release(&k);
}

/* ---- kpi/fields.conf: the items and fields the KPIs read, checked against items.conf ---- */

#define FIELDS "schema-11/kpi/fields.conf"
#define ITEMS "schema-11/items.conf"

/* The whole stderr of the yj-kpi executable run over K's return and mappings, each log line's
 * UTC time replaced by "TS" and the end line's seconds by "N"; *STATUS its exit status. */
static char *
run_yj_kpi_stderr(struct kret *k, int *status)
{
    char *errpath = ut_path(k->dir, "stderr"), *text, *out, *o;
    pid_t pid;
    int st;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600),
            dn = open("/dev/null", O_WRONLY);
        dup2(dn, 1);
        dup2(fd, 2);
        execl(YJ_BIN_DIR "/yj-kpi", "yj-kpi", "--mappings", k->maps, "--return", k->ret, "--out",
              k->out, (char *)NULL);
        _exit(127);
    }
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFEXITED(st));
    *status = WEXITSTATUS(st);
    text = ut_read(errpath, NULL);
    out = o = malloc(strlen(text) + 1);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n'), *end = nl ? nl + 1 : p + strlen(p), *sec;
        if (end - p > 21 && p[4] == '-' && p[10] == 'T' && p[19] == 'Z' && p[20] == ' ') {
            memcpy(o, "TS", 2);
            o += 2;
            p += 20;
        }
        sec = strstr(p, " lines in ");
        if (sec && sec < end) {
            sec += strlen(" lines in ");
            memcpy(o, p, (size_t)(sec - p));
            o += sec - p;
            *o++ = 'N';
            p = sec + strspn(sec, "0123456789.");
        }
        memcpy(o, p, (size_t)(end - p));
        o += end - p;
        p = end;
    }
    *o = '\0';
    free(text);
    free(errpath);
    return out;
}

/* Renaming an element in items.conf without renaming it in fields.conf stops yj-kpi at load:
 * one error line naming fields.conf, its line, the key and the element, exit 78, and no
 * MANIFEST (before, the KPIs read the renamed field as absent in every record). */
Test(kconf, field_renamed_in_items_is_refused_at_load)
{
    struct kret k;
    char *path, *got, expect[4096], *m;
    int status;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, ITEMS, "    kpi1AccommodationType ", "    kpi1AccomType ");
    kret_return(&k, one_child);
    got = run_yj_kpi_stderr(&k, &status);
    path = kret_map_path(&k, FIELDS);
    snprintf(expect, sizeof(expect),
             "TS yj-kpi: begin: return=%s out=%s\n"
             "TS yj-kpi: error: %s line 40: residence.type: items.conf has no field "
             "kpi1AccommodationType of item residence\n"
             "TS yj-kpi: end: status 78, 0 children, 0 with an order ending in the period, 0 "
             "worklist lines in N s\n",
             k.ret, k.out, path);
    cr_assert_str_eq(got, expect);
    cr_assert_eq(status, 78);
    m = ut_path(k.out, "MANIFEST");
    cr_assert_not(ut_exists(m));
    free(m);
    free(got);
    free(path);
    kret_release(&k);
}

/* The same for an item. */
Test(kconf, item_renamed_in_items_is_refused_at_load)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, ITEMS, "item sendAln ", "item sendAlnNeed ");
    expect_config_error(&k, FIELDS, " line 56: send: items.conf has no item sendAln");
    kret_release(&k);
}

/* fields.conf is where the KPIs take element names from: renamed in both files, yj-kpi reads
 * the renamed element (a child with an unsuitable accommodation at the end). */
Test(kconf, field_renamed_in_both_is_read)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, ITEMS, "    kpi1AccommodationSuitability ", "    kpi1Suitz09 ");
    kret_edit(&k, FIELDS, "residence.suitability        kpi1AccommodationSuitability",
              "residence.suitability        kpi1Suitz09");
    kret_return(
        &k, CHILD(PERSON("YPK1905", "2009-01-01")
                      OFFENCE("1", HEARING_AGE("15") CATEGORY("OTHER")
                                       OUTCOME("2025-04-01", "REFERRAL_ORDER", "First-tier"))
                          PROGRAMME("P1", "2025-04-01", "2025-05-01", "REFERRAL_ORDER", "")
                              LINK("1", "P1")
                                  RESIDENCE_X("2024-01-01", "<kpi1EndDate>1900-01-01</kpi1EndDate>",
                                              "STC", "<kpi1Suitz09>UNSUITABLE</kpi1Suitz09>")));
    kret_run_ok(&k);
    kret_assert_grep(&k, "cases.csv", "^1,",
                     "1,unsuitable_start,ro,YPK1905,,residence,residence[1]\n"
                     "1,unsuitable_end,ro,YPK1905,,residence,residence[1]\n");
    kret_release(&k);
}

Test(kconf, bad_fields)
{
    static const struct bad_rule cases[] = {
        {FIELDS, "residence.type ", "residence.kind ", " line 40: unknown key 'residence.kind'"},
        {FIELDS, "residence.type               kpi1AccommodationType\n",
         "residence.type               kpi1AccommodationType\nresidence.type x\n",
         " line 41: key 'residence.type' given twice (also line 40)"},
        {FIELDS, "residence.type               kpi1AccommodationType",
         "residence.type               kpi1-type", " line 40: expected 'residence.type ELEMENT'"},
        {FIELDS, "residence.type               kpi1AccommodationType", "residence.type",
         " line 40: expected 'residence.type ELEMENT'"},
        {FIELDS, "residence.type               kpi1AccommodationType",
         "residence.type  kpi1AccommodationType more",
         " line 40: expected 'residence.type ELEMENT'"},
        {FIELDS, "residence.type               kpi1AccommodationType\n", "",
         ": key 'residence.type' is missing"},
        {FIELDS, "residence.type               kpi1AccommodationType",
         "residence.type               provisionType",
         " line 40: residence.type: items.conf has no field provisionType of item residence"},
    };
    run_bad_rules(cases, sizeof(cases) / sizeof(cases[0]));
}

/* Blank cells are decided once, by templates.conf: the KPI 4 need row writes its _start cells
 * empty ("blank start"); without the mark it writes them as counted (0 here). */
#define K4_NEED                                                                                    \
    "Number of children with a screened OR identified need for an intervention to improve "        \
    "mental health or emotional wellbeing"

Test(kconf, blank_cells_are_the_templates)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_return(&k, one_child);
    kret_run_ok(&k);
    kret_assert_row(&k, "kpi4_mhew", K4_NEED, "0,,0,0,,0,0,,0,0,,0,0,,0,0,,0");
    kret_release(&k);

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, TPL, K4_NEED "\" blank start", K4_NEED "\"");
    kret_return(&k, one_child);
    kret_run_ok(&k);
    kret_assert_row(&k, "kpi4_mhew", K4_NEED, "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0");
    kret_release(&k);
}

/* A blank mark on a template's first row blanks that row too (KPI 4's children row). */
Test(kconf, blank_mark_on_the_first_row)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, TPL,
              "row children \"Number of  children with an order ending in the period\"\n"
              "row treatment_prior_screening \"Number receiving",
              "row children \"Number of  children with an order ending in the period\" blank end\n"
              "row treatment_prior_screening \"Number receiving");
    kret_return(&k, one_child);
    kret_run_ok(&k);
    kret_assert_row(&k, "kpi4_mhew", "Number of  children with an order ending in the period",
                    "0,0,,0,0,,0,0,,1,1,,0,0,,0,0,");
    kret_release(&k);
}

/* A row key is its template's and its tables' to choose (lower-case letters, digits, '_'):
 * renamed in both templates.conf and offence_category.csv, KPI 9 counts under it as before
 * (an offence with gravity 5 in the robbery category, 15 at the hearing). */
#define ROBBERY_LABEL                                                                              \
    "Offences with a gravity score of 5 or more for Robbery offences resulting in a caution or "   \
    "sentence in the quarter"

Test(kconf, row_key_renamed_in_template_and_table)
{
    struct kret k;

    kret_init(&k);
    kret_copy_mappings(&k);
    kret_edit(&k, TPL, "row robbery \"", "row z0_robbery \"");
    kret_edit(&k, "schema-11/kpi/offence_category.csv", "ROBBERY,robbery\n",
              "ROBBERY,z0_robbery\n");
    kret_return(&k, CHILD(PERSON("YPK1906", "2008-01-01") OFFENCE(
                        "1", HEARING_AGE("15") CATEGORY("ROBBERY") GRAVITY("6")
                                 OUTCOME("2025-04-01", "REFERRAL_ORDER", "First-tier"))
                              PROGRAMME("P1", "2025-04-01", "2025-05-01", "REFERRAL_ORDER", "")
                                  LINK("1", "P1")));
    kret_run_ok(&k);
    kret_assert_row(&k, "kpi9_sv", ROBBERY_LABEL, "1,0");
    kret_release(&k);
}

Test(kconf, bad_row_keys)
{
    static const struct bad_rule cases[] = {
        {TPL, "row stc \"STC\"", "row st-c \"STC\"",
         " line 28: row key 'st-c' of kpi1_accommodation_detail is not lower-case letters, "
         "digits and '_'"},
        {TPL, "row stc \"STC\"", "row Stc \"STC\"",
         " line 28: row key 'Stc' of kpi1_accommodation_detail is not lower-case letters, "
         "digits and '_'"},
        {TPL, "row stc \"STC\"", "row stc \"STC\" blank end-",
         " line 28: row 'stc': blank needs a column suffix"},
    };
    run_bad_rules(cases, sizeof(cases) / sizeof(cases[0]));
}
