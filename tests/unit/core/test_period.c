/*
 * test_period.c - return periods and civil dates (etl/core/period.c).
 *
 * A period label decides which four months of children go to the YJB, so the quarter
 * boundaries of docs/design.md are pinned here, and every malformed label must be a usage
 * error (exit 64) whose message quotes what the user typed. Dates are checked by round trip
 * over two centuries and around birthdays, 29 February included.
 */
#include "period.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <string.h>

static void
assert_date(long days, const char *expected)
{
    char buf[11];

    date_format(days, buf);
    cr_assert_str_eq(buf, expected);
}

static long
ymd(const char *text)
{
    long days = 0;

    cr_assert_eq(date_parse(text, &days), 0, "date_parse('%s') failed", text);
    return days;
}

static void
assert_period_rejected(const char *text)
{
    struct yj_period p;
    struct yj_error err;
    char expected[64];

    yj_error_init(&err);
    memset(&p, 0, sizeof(p));
    cr_assert_eq(period_parse(text, &p, &err), YJ_EX_USAGE, "'%s' was accepted", text);
    cr_assert_eq(err.code, YJ_EX_USAGE);
    snprintf(expected, sizeof(expected), "invalid period '%s'", text);
    cr_assert_str_eq(err.message, expected);
    ut_assert_contains(err.hint, "YYYYQn");
}

Test(period, first_quarter_is_april_to_june)
{
    struct yj_period p;
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(period_parse("2025Q1", &p, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(p.year, 2025);
    cr_assert_eq(p.quarter, 1);
    assert_date(p.start, "2025-04-01");
    assert_date(p.end, "2025-06-30");
    cr_assert_str_eq(p.label, "2025Q1");
}

Test(period, second_and_third_quarters_follow_on)
{
    struct yj_period p;
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(period_parse("2025Q2", &p, &err), YJ_OK, "%s", err.message);
    assert_date(p.start, "2025-07-01");
    assert_date(p.end, "2025-09-30");
    cr_assert_eq(period_parse("2025Q3", &p, &err), YJ_OK, "%s", err.message);
    assert_date(p.start, "2025-10-01");
    assert_date(p.end, "2025-12-31");
}

Test(period, fourth_quarter_is_january_to_march_of_the_next_year)
{
    struct yj_period p;
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(period_parse("2025Q4", &p, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(p.year, 2025);
    cr_assert_eq(p.quarter, 4);
    assert_date(p.start, "2026-01-01");
    assert_date(p.end, "2026-03-31");
    cr_assert_str_eq(p.label, "2025Q4");
}

Test(period, fourth_quarter_of_2024_ends_on_31_march_2025)
{
    struct yj_period p;
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(period_parse("2024Q4", &p, &err), YJ_OK, "%s", err.message);
    assert_date(p.start, "2025-01-01");
    assert_date(p.end, "2025-03-31");
}

Test(period, quarters_of_a_year_are_contiguous)
{
    struct yj_period q[4];
    struct yj_error err;
    const char *labels[] = {"2023Q1", "2023Q2", "2023Q3", "2023Q4"};

    yj_error_init(&err);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(period_parse(labels[i], &q[i], &err), YJ_OK, "%s", err.message);
    for (int i = 1; i < 4; i++)
        cr_assert_eq(q[i].start, q[i - 1].end + 1, "gap before %s", labels[i]);
    cr_assert_eq(q[3].end - q[0].start + 1, 366, "FY2023 spans February 2024 (leap)");
}

Test(period, rejects_quarter_five)
{
    assert_period_rejected("2025Q5");
}

Test(period, rejects_quarter_zero)
{
    assert_period_rejected("2025Q0");
}

Test(period, rejects_two_digit_year)
{
    assert_period_rejected("25Q1");
}

Test(period, rejects_lower_case_q)
{
    assert_period_rejected("2025q1");
}

Test(period, rejects_empty_text)
{
    assert_period_rejected("");
}

Test(period, rejects_trailing_characters)
{
    assert_period_rejected("2025Q1x");
}

Test(period, rejects_null_as_usage_error)
{
    struct yj_period p;
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(period_parse(NULL, &p, &err), YJ_EX_USAGE);
    cr_assert_str_eq(err.message, "invalid period ''");
}

Test(period, rejects_year_outside_range_naming_the_text)
{
    struct yj_period p;
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(period_parse("1989Q1", &p, &err), YJ_EX_USAGE);
    cr_assert_str_eq(err.message, "invalid period '1989Q1': year out of range");
}

Test(date, epoch_is_day_zero)
{
    cr_assert_eq(date_from_ymd(1970, 1, 1), 0);
    cr_assert_eq(date_from_ymd(2000, 3, 1), 11017);
    cr_assert_eq(date_from_ymd(1969, 12, 31), -1);
}

Test(date, parse_and_format_round_trip_every_day_of_two_centuries)
{
    long first = date_from_ymd(1900, 1, 1), last = date_from_ymd(2100, 12, 31);
    char buf[11];

    for (long d = first; d <= last; d++) {
        long back = -99999;
        date_format(d, buf);
        cr_assert_eq(date_parse(buf, &back), 0, "'%s' did not parse", buf);
        cr_assert_eq(back, d, "'%s' parsed to %ld, not %ld", buf, back, d);
        if (d > first) {
            char prev[11];
            date_format(d - 1, prev);
            cr_assert(strcmp(prev, buf) < 0, "%s does not sort before %s", prev, buf);
        }
    }
}

Test(date, parses_leap_days_of_leap_years)
{
    assert_date(ymd("2024-02-29"), "2024-02-29");
    assert_date(ymd("2000-02-29"), "2000-02-29");
    cr_assert_eq(ymd("2024-03-01") - ymd("2024-02-28"), 2);
}

Test(date, rejects_impossible_and_malformed_dates)
{
    const char *bad[] = {"2025-02-29", "2025-13-01", "2025-1-01",  "1900-02-29", "2025-00-10",
                         "2025-04-31", "2025-04-00", "2025/04/01", "",           "2025-04-01x",
                         "20250401",   "2025-04-1a", " 025-04-01"};
    long out = 12345;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_assert_eq(date_parse(bad[i], &out), -1, "'%s' was accepted", bad[i]);
        cr_assert_eq(out, 12345, "'%s' changed the output on failure", bad[i]);
    }
}

Test(date, age_changes_on_the_birthday_not_before)
{
    long dob = ymd("2010-06-15");

    cr_assert_eq(date_age(dob, ymd("2025-06-14")), 14);
    cr_assert_eq(date_age(dob, ymd("2025-06-15")), 15);
    cr_assert_eq(date_age(dob, ymd("2025-06-16")), 15);
    cr_assert_eq(date_age(dob, ymd("2026-06-14")), 15);
    cr_assert_eq(date_age(dob, dob), 0);
}

Test(date, age_of_a_leap_day_child_changes_on_1_march_in_common_years)
{
    long dob = ymd("2008-02-29");

    cr_assert_eq(date_age(dob, ymd("2025-02-28")), 16);
    cr_assert_eq(date_age(dob, ymd("2025-03-01")), 17);
    cr_assert_eq(date_age(dob, ymd("2024-02-28")), 15);
    cr_assert_eq(date_age(dob, ymd("2024-02-29")), 16);
}

Test(date, add_years_moves_29_february_to_1_march_in_common_years)
{
    long dob = ymd("2008-02-29");

    assert_date(date_add_years(dob, 17), "2025-03-01");
    assert_date(date_add_years(dob, 16), "2024-02-29");
    assert_date(date_add_years(dob, 92), "2100-03-01");
    assert_date(date_add_years(ymd("2010-06-15"), 18), "2028-06-15");
    assert_date(date_add_years(ymd("2009-02-28"), 1), "2010-02-28");
}

Test(date, age_and_add_years_agree_for_every_birthday_of_a_leap_cycle)
{
    long first = ymd("2004-01-01"), last = ymd("2007-12-31");

    for (long dob = first; dob <= last; dob++)
        for (int years = 10; years <= 18; years++) {
            long birthday = date_add_years(dob, years);
            char buf[11];
            date_format(dob, buf);
            cr_assert_eq(date_age(dob, birthday), years, "born %s, age %d", buf, years);
            cr_assert_eq(date_age(dob, birthday - 1), years - 1, "born %s, eve of %d", buf, years);
        }
}

/* yj-run --period current: the quarter holding a date, at every boundary of the year */
Test(period, the_period_of_a_date_is_the_quarter_that_holds_it)
{
    static const struct {
        int y, m, d;
        const char *label;
    } cases[] = {
        {2025, 3, 31, "2024Q4"},  {2025, 4, 1, "2025Q1"},  {2025, 6, 30, "2025Q1"},
        {2025, 7, 1, "2025Q2"},   {2025, 9, 30, "2025Q2"}, {2025, 10, 1, "2025Q3"},
        {2025, 12, 31, "2025Q3"}, {2026, 1, 1, "2025Q4"},  {2024, 2, 29, "2023Q4"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct yj_period p;
        long day = date_from_ymd(cases[i].y, cases[i].m, cases[i].d);

        period_of_date(day, &p);
        cr_assert_str_eq(p.label, cases[i].label, "%04d-%02d-%02d is in %s, not %s", cases[i].y,
                         cases[i].m, cases[i].d, cases[i].label, p.label);
        cr_assert(p.start <= day && day <= p.end, "%s does not hold its date", p.label);
    }
}
