/*
 * period.c - period labels and date arithmetic (Howard Hinnant's days-from-civil algorithm).
 */
#include "period.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "banned.h"

long
date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void
date_to_ymd(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static int
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int
date_parse(const char *s, long *out)
{
    int y, m, d;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return -1;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *out = date_from_ymd(y, m, d);
    return 0;
}

void
date_format(long days, char *buf)
{
    int y, m, d;

    date_to_ymd(days, &y, &m, &d);
    y = y < 0 ? 0 : y % 10000;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
}

int
date_age(long dob, long on)
{
    int by, bm, bd, y, m, d;

    date_to_ymd(dob, &by, &bm, &bd);
    date_to_ymd(on, &y, &m, &d);
    int age = y - by;
    if (m < bm || (m == bm && d < bd))
        age--;
    return age;
}

long
date_add_years(long dob, int years)
{
    int y, m, d;

    date_to_ymd(dob, &y, &m, &d);
    y += years;
    if (m == 2 && d == 29 && !is_leap(y)) {
        m = 3;
        d = 1;
    }
    return date_from_ymd(y, m, d);
}

int
period_parse(const char *text, struct yj_period *out, struct yj_error *err)
{
    int year, quarter;

    if (!text || strlen(text) != 6 || !isdigit((unsigned char)text[0]) ||
        !isdigit((unsigned char)text[1]) || !isdigit((unsigned char)text[2]) ||
        !isdigit((unsigned char)text[3]) || text[4] != 'Q' || text[5] < '1' || text[5] > '4') {
        yj_error_set(err, YJ_EX_USAGE, "invalid period '%s'", text ? text : "");
        yj_error_hint(err, "a period is YYYYQn with n from 1 to 4, e.g. 2025Q1 "
                           "(April-June 2025)");
        return YJ_EX_USAGE;
    }
    year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
    quarter = text[5] - '0';
    if (year < 1990 || year > 2999) {
        yj_error_set(err, YJ_EX_USAGE, "invalid period '%s': year out of range", text);
        return YJ_EX_USAGE;
    }
    out->year = year;
    out->quarter = quarter;
    if (quarter == 4) {
        out->start = date_from_ymd(year + 1, 1, 1);
        out->end = date_from_ymd(year + 1, 3, 31);
    } else {
        int m = 4 + (quarter - 1) * 3;
        out->start = date_from_ymd(year, m, 1);
        out->end = date_from_ymd(year, m + 2, days_in_month(year, m + 2));
    }
    memcpy(out->label, text, 7);
    return YJ_OK;
}

int
period_sign_off(const char *text, const struct yj_period *p, long today, long *out,
                struct yj_error *err)
{
    int y, m, d;

    if (date_parse(text, out) != 0)
        return yj_error_set(err, YJ_EX_USAGE, "--sign-off '%s' is not a date (YYYY-MM-DD)", text);
    if (*out <= p->end)
        return yj_error_set(err, YJ_EX_USAGE,
                            "--sign-off %s is not after the end of period %s: a return is "
                            "signed off once its quarter has ended",
                            text, p->label);
    if (*out > today) {
        date_to_ymd(today, &y, &m, &d);
        return yj_error_set(err, YJ_EX_USAGE,
                            "--sign-off %s is in the future (today is %04d-%02d-%02d, UTC): a "
                            "return is signed off on or before the day it is sent",
                            text, y, m, d);
    }
    return YJ_OK;
}

long
date_today(void)
{
    return (long)(time(NULL) / 86400);
}

void
period_of_date(long day, struct yj_period *out)
{
    struct yj_error err;
    char label[16];
    int y, m, d;

    date_to_ymd(day, &y, &m, &d);
    if (m >= 4)
        snprintf(label, sizeof(label), "%04dQ%d", y, (m - 4) / 3 + 1);
    else
        snprintf(label, sizeof(label), "%04dQ4", y - 1);
    yj_error_init(&err);
    memset(out, 0, sizeof(*out));
    (void)period_parse(label, out, &err); /* a clock past 2999 gives an empty label */
}

int
date_school_age(const struct school_age *sa, long dob, long on)
{
    int y, m, d, em = sa->year_end_month, ed = sa->year_end_day;

    date_to_ymd(on, &y, &m, &d);
    if (m < em || (m == em && d < ed))
        y--;
    return date_age(dob, date_from_ymd(y, em, ed)) < sa->leaving_age;
}
