/*
 * test_school_age.c - yj-transform writes the return's isStatutorySchoolAge* fields by the
 * bundle's school_age.conf (the rule KPI 2 also splits by), not by a rule of its own: a copy
 * of the mappings with another leaving age gives another answer, and a bad file stops the
 * transform with one line naming it.
 */
#include "staging.h"

#include <criterion/criterion.h>
#include <string.h>

TestSuite(school_age, .init = stage_setup, .fini = stage_teardown);

/* Points the transform at a copy of the project's mappings whose school_age.conf is TEXT. */
static void
mappings_with_school_age(const char *text)
{
    char *maps = ut_path(dir, "mappings"), *conf = ut_path(maps, "schema-11/school_age.conf");

    ut_copy_tree(YJ_SOURCE_DIR "/mappings", maps);
    ut_write(conf, text);
    free(cfg.mappings);
    cfg.mappings = maps;
    free(conf);
}

/* A child born 2008-02-29 whose programme starts 2024-08-31: 16 on that 31 August. */
static int
run_child(void)
{
    struct transform_options opt = {.in_dir = staged, .out_dir = out};

    row("person", "child_id=7", "ypid=YPT0000007", "date_of_birth=2008-02-29", "sex_cd=F",
        "ethnicity_cd=WBRI", "gender_cd=G", "gender_same_flag=t", NULL);
    row("offence", "child_id=7", "offence_id=71", "offence_date=2024-02-28",
        "arrest_date=2024-02-29", "description=A", "plea_cd=G", "category_cd=ROB", "gravity=5",
        "knife_flag=f", NULL);
    row("outcome", "child_id=7", "offence_id=71", "outcome_id=711", "outcome_date=2024-05-01",
        "outcome_cd=YRO", "main_flag=t", "residence_cd=L", "term_months=12", NULL);
    row("programme", "child_id=7", "programme_id=701", "start_date=2024-08-31", "disposal_cd=YRO",
        "victim_flag=t", "completed_flag=t", NULL);
    row("programme_offence", "child_id=7", "programme_id=701", "offence_id=71", NULL);
    stage_write();
    return transform_run(&cfg, &opt, &err);
}

static void
assert_school_age_at_start(const char *value)
{
    char *path = ut_path(out, "cld.xml"), *xml = ut_read(path, NULL), want[160];

    snprintf(want, sizeof(want),
             "<isStatutorySchoolAgeAtProgrammeStart>%s</isStatutorySchoolAgeAtProgrammeStart>\n",
             value);
    cr_assert_not_null(strstr(xml, want), "no '%s' in:\n%s", want, xml);
    free(xml);
    free(path);
}

Test(school_age, the_project_rule_is_under_16_on_the_last_31_august)
{
    cr_assert_eq(run_child(), YJ_OK, "%s", err.message);
    assert_school_age_at_start("false");
}

Test(school_age, the_bundle_rule_is_read_not_assumed)
{
    mappings_with_school_age("leaving_age = 17\nyear_end = 08-31\n");
    cr_assert_eq(run_child(), YJ_OK, "%s", err.message);
    assert_school_age_at_start("true");
}

Test(school_age, the_year_end_is_read_too)
{
    /* the last 1 September on or before 2024-08-31 is 2023-09-01, when the child was 15 */
    mappings_with_school_age("leaving_age = 16\nyear_end = 09-01\n");
    cr_assert_eq(run_child(), YJ_OK, "%s", err.message);
    assert_school_age_at_start("true");
}

Test(school_age, a_bad_rule_stops_the_transform_naming_the_file)
{
    char expect[1024], *m;

    mappings_with_school_age("leaving_age = 16\n");
    cr_assert_eq(run_child(), YJ_EX_CONFIG);
    snprintf(expect, sizeof(expect), "%s/schema-11/school_age.conf: key 'year_end' is missing",
             cfg.mappings);
    cr_assert_str_eq(err.message, expect);
    m = ut_path(out, "cld.xml");
    cr_assert_not(ut_exists(m));
    free(m);
}
