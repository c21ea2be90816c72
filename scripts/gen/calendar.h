/*
 * calendar.h - days since 1970-01-01 (proleptic Gregorian), the generator's dates.
 *
 * A day is an int; NODATE is NULL (no date, or an open end). The data window is fixed, not
 * read from the clock: first contacts from DATA_START to FC_END, and nothing dated after
 * DATA_END (the data cut), so the output never depends on the day it is made.
 */
#ifndef YJ_GEN_CALENDAR_H
#define YJ_GEN_CALENDAR_H

#include <stdint.h>

#define NODATE INT32_MIN
#define DATA_START 17987 /* 2019-04-01 */
#define FC_END 20634     /* 2026-06-30 */
#define DATA_END 20726   /* 2026-09-30: the data cut */
#define NQUARTER 32      /* financial quarters 2019Q1..2026Q4 */

int days_from_civil(int y, int m, int d);
void civil_from_days(int z, int *y, int *m, int *d);
/* the same day YEARS later (29 February: the 28th) */
int add_years(int day, int years);
/* whole years of age on day */
int age_on(int dob, int day);
/* whole months (of 30.4375 days) from d0 to d1, rounded */
int months_between(int d0, int d1);
/* whether DAY is of statutory school age for a child born on DOB (see the .c) */
int school_age(int dob, int day);
/* The financial quarter of day (0 = 2019Q1, April-June 2019); -1 outside 2019Q1..2026Q4. */
int fin_quarter(int day);
/* an end after the data cut is not known yet: NODATE */
int cut(int day);
int clamp(int v, int lo, int hi);

#endif
