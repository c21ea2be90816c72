/*
 * test_school_age.c - the bundle's one statutory school age rule (school_age.conf, read by
 * bundle_school_age() in etl/core/bundle.c) and date_school_age() over it (etl/core/period.c):
 * the project's bundle gives under 16 on the last 31 August; another rule in the file gives
 * other answers, so nothing is hard-coded; a bad file is one line naming file, line and key.
 */
#include "bundle.h"
#include "period.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <string.h>

static long
ymd(const char *text)
{
    long days = 0;
    cr_assert_eq(date_parse(text, &days), 0, "date_parse('%s') failed", text);
    return days;
}

Test(school_age, project_bundle_is_under_16_on_the_last_31_august)
{
    struct school_age sa;
    struct yj_error err;
    char sha[65];

    yj_error_init(&err);
    cr_assert_eq(bundle_school_age(YJ_SOURCE_DIR "/mappings/schema-11", &sa, sha, &err), YJ_OK,
                 "%s", err.message);
    cr_assert_eq(sa.leaving_age, 16);
    cr_assert_eq(sa.year_end_month, 8);
    cr_assert_eq(sa.year_end_day, 31);
    cr_assert_eq(strlen(sha), 64);
    /* born 2008-09-01: 15 on 2024-08-31, so of school age until the next 31 August */
    cr_assert(date_school_age(&sa, ymd("2008-09-01"), ymd("2025-08-30")));
    cr_assert_not(date_school_age(&sa, ymd("2008-09-01"), ymd("2025-08-31")));
    /* born 2008-08-31: 16 on 2024-08-31 */
    cr_assert_not(date_school_age(&sa, ymd("2008-08-31"), ymd("2025-04-01")));
    cr_assert(date_school_age(&sa, ymd("2008-08-31"), ymd("2024-08-30")));
}

Test(school_age, another_rule_in_the_file_moves_the_answer)
{
    char *dir = ut_mkdtemp(), *path = ut_path(dir, "school_age.conf");
    struct school_age sa;
    struct yj_error err;

    ut_write(path, "# a comment\n\nleaving_age = 18\nyear_end = 06-30\n");
    yj_error_init(&err);
    cr_assert_eq(bundle_school_age(dir, &sa, NULL, &err), YJ_OK, "%s", err.message);
    /* born 2007-07-01: 17 on 2025-06-30, under 18 */
    cr_assert(date_school_age(&sa, ymd("2007-07-01"), ymd("2025-07-01")));
    /* born 2007-06-30: 18 on 2025-06-30 */
    cr_assert_not(date_school_age(&sa, ymd("2007-06-30"), ymd("2025-07-01")));
    /* before 30 June the year end taken is 2024-06-30, when both were 16 or 17 */
    cr_assert(date_school_age(&sa, ymd("2007-06-30"), ymd("2025-06-29")));
    ut_rmtree(dir);
    free(path);
    free(dir);
}

static void
expect_bad(const char *text, int code, const char *rest)
{
    char *dir = ut_mkdtemp(), *path = ut_path(dir, "school_age.conf"), expect[1024];
    struct school_age sa;
    struct yj_error err;

    ut_write(path, text);
    yj_error_init(&err);
    cr_assert_eq(bundle_school_age(dir, &sa, NULL, &err), code, "'%s': %s", text, err.message);
    snprintf(expect, sizeof(expect), "%s%s", path, rest);
    cr_assert_str_eq(err.message, expect);
    ut_rmtree(dir);
    free(path);
    free(dir);
}

Test(school_age, a_bad_file_is_one_line_naming_file_line_and_key)
{
    expect_bad("leaving_age = 16\nyear_end = 8-31\n", YJ_EX_CONFIG,
               " line 2: year_end '8-31' is not MM-DD");
    expect_bad("leaving_age = 16\nyear_end = 13-01\n", YJ_EX_CONFIG,
               " line 2: year_end '13-01' is not MM-DD");
    expect_bad("leaving_age = 16\nyear_end = 08-31x\n", YJ_EX_CONFIG,
               " line 2: year_end '08-31x' is not MM-DD");
    expect_bad("leaving_age = 0\nyear_end = 08-31\n", YJ_EX_CONFIG,
               " line 1: leaving_age '0' is not a number 1-30");
    expect_bad("leaving_age = 16x\n", YJ_EX_CONFIG,
               " line 1: leaving_age '16x' is not a number 1-30");
    expect_bad("leaving_age = 16\nleaving_age = 17\n", YJ_EX_CONFIG,
               " line 2: key 'leaving_age' given twice");
    expect_bad("leaving_age = 16\nschool = yes\n", YJ_EX_CONFIG, " line 2: unknown key 'school'");
    expect_bad("leaving_age 16\n", YJ_EX_CONFIG, " line 1: expected KEY = VALUE");
    expect_bad("leaving_age = 16\n", YJ_EX_CONFIG, ": key 'year_end' is missing");
    expect_bad("year_end = 08-31\n", YJ_EX_CONFIG, ": key 'leaving_age' is missing");
    expect_bad("\xef\xbb\xbfleaving_age = 16\n", YJ_EX_CONFIG,
               " line 1: starts with a UTF-8 byte order mark (bytes EF BB BF)");
}

Test(school_age, a_missing_file_is_no_input)
{
    char *dir = ut_mkdtemp(), expect[1024];
    struct school_age sa;
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(bundle_school_age(dir, &sa, NULL, &err), YJ_EX_NOINPUT);
    snprintf(expect, sizeof(expect),
             "could not read school age rule '%s/school_age.conf': No such file or directory", dir);
    cr_assert_str_eq(err.message, expect);
    ut_rmtree(dir);
    free(dir);
}
