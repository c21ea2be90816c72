/*
 * period.h - return periods (YYYYQn, financial-year quarters) and civil dates.
 *
 * Dates are held as days since 1970-01-01 (proleptic Gregorian), so comparisons and
 * differences are plain integer arithmetic. 2025Q1 is 2025-04-01..2025-06-30 and 2025Q4 is
 * 2026-01-01..2026-03-31 (the project's reading of the YJB's labels).
 */
#ifndef YJ_PERIOD_H
#define YJ_PERIOD_H

#include "error.h"

struct yj_period {
    int year;    /* financial year that starts in April of this year */
    int quarter; /* 1..4 */
    long start;  /* days since epoch, first day */
    long end;    /* days since epoch, last day (inclusive) */
    char label[8];
};

/* Parses "2025Q1". Returns YJ_OK or YJ_EX_USAGE with a message naming the text. */
int period_parse(const char *text, struct yj_period *out, struct yj_error *err);

/* --sign-off TEXT for period P, TODAY being the date now (days since 1970-01-01, UTC): a date
 * (YYYY-MM-DD) after the period's end and not after today, in *out; else YJ_EX_USAGE with a
 * message naming the text. yj-run checks it before it makes a run folder, yj-transform again. */
int period_sign_off(const char *text, const struct yj_period *p, long today, long *out,
                    struct yj_error *err);
/* Today (UTC), in days since 1970-01-01. */
long date_today(void);

/* What yj-run --period takes for the quarter of today (UTC): the nightly timer's period. */
#define PERIOD_CURRENT "current"
/* The period that holds the date DAY (days since 1970-01-01): 2025-04-01 is in 2025Q1,
 * 2026-03-31 in 2025Q4. */
void period_of_date(long day, struct yj_period *out);

/* A date field that holds no date (SQL NULL, an absent element): below any real date. */
#define DATE_NONE (-1000000L)

long date_from_ymd(int y, int m, int d);
void date_to_ymd(long days, int *y, int *m, int *d);
/* Parses exactly "YYYY-MM-DD" (a valid date); returns 0 or -1. */
int date_parse(const char *s, long *out);
/* Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
void date_format(long days, char *buf);
/* Completed years of age on `on` for someone born on `dob`. */
int date_age(long dob, long on);
/* The day someone born on dob turns `years` (29 February becomes 1 March). */
long date_add_years(long dob, int years);
/* The statutory school age rule of a schema bundle (its school_age.conf, read by
 * bundle_school_age()): one rule for the return's isStatutorySchoolAge* fields and KPI 2. */
struct school_age {
    int leaving_age;                  /* 16 */
    int year_end_month, year_end_day; /* 8, 31 */
};
/* Statutory school age on `on` by rule SA: under sa->leaving_age on the last year end
 * (month-day) on or before `on`. */
int date_school_age(const struct school_age *sa, long dob, long on);

#endif
