/*
 * calendar.c - civil dates from and to day numbers (Howard Hinnant's algorithms), ages and
 * financial quarters for yj-gen. No time zones: a day is a date.
 */
#include "calendar.h"

#include "banned.h"

int
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

void
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

int
add_years(int day, int years)
{
    int y, m, d;

    civil_from_days(day, &y, &m, &d);
    if (m == 2 && d == 29)
        d = 28;
    return days_from_civil(y + years, m, d);
}

int
age_on(int dob, int day)
{
    int y0, m0, d0, y, m, d;

    civil_from_days(dob, &y0, &m0, &d0);
    civil_from_days(day, &y, &m, &d);
    return y - y0 - (m < m0 || (m == m0 && d < d0));
}

int
months_between(int d0, int d1)
{
    return (int)(((int64_t)(d1 - d0) * 10000 + 152187) / 304375);
}

int
school_age(int dob, int day)
{
    /* statutory school age ends on the last Friday of June of the year the child turns 16;
     * 30 June is close enough here */
    int y, m, d;

    civil_from_days(add_years(dob, 16), &y, &m, &d);
    return day <= days_from_civil(y, 6, 30);
}

int
fin_quarter(int day)
{
    int y, m, d, q;

    if (day == NODATE)
        return -1;
    civil_from_days(day, &y, &m, &d);
    q = ((y - 2019) * 12 + m - 4) / 3;
    return day < DATA_START || q >= NQUARTER ? -1 : q;
}

int
cut(int day)
{
    return day != NODATE && day > DATA_END ? NODATE : day;
}

int
clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}
