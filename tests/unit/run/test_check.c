/*
 * test_check.c - the preflight's pieces that need no warehouse or receiver (etl/run/check.h):
 * how a duration reads in the freshness line.
 */
#include "check.h"

#include <criterion/criterion.h>

/* Each case worked out by hand: 86400 s a day, 3600 s an hour, 60 s a minute, rounded to the
 * nearest second; the two largest units that are not zero, days and hours or hours and
 * minutes, never minutes beside days. */
Test(check_duration, reads_as_the_two_largest_units)
{
    static const struct {
        double seconds;
        const char *want;
    } cases[] = {
        {0, "0s"},
        {0.4, "0s"},
        {59.5, "1m"},
        {59, "59s"},
        {60, "1m"},
        {119, "1m"},
        {3599, "59m"},
        {3600, "1h"},
        {3660, "1h 1m"},
        {5400, "1h 30m"},
        {7199, "1h 59m"},
        {86399, "23h 59m"},
        {86400, "1d"},
        {86400 + 59 * 60, "1d"},
        {90000, "1d 1h"},
        {2 * 86400 + 23 * 3600 + 59 * 60, "2d 23h"},
        {36 * 3600, "1d 12h"},
    };
    char buf[32];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        cr_assert_str_eq(check_duration(cases[i].seconds, buf, sizeof(buf)), cases[i].want,
                         "%.1f s", cases[i].seconds);
}
