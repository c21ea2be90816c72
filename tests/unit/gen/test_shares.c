/*
 * test_shares.c - yj-gen --board-shares gives the shares of the service's plans (the demo's
 * warehouse: --seed 1 --children 2000).
 *
 * Reads the generator's COPY blocks of young_person, offence and outcome and counts what
 * scripts/lib/shares.sql counts in the loaded warehouse (the same definitions: outcomes
 * changed on appeal or of residence O left out, financial years): custody as a share of court
 * outcomes, first time entrants a year, the ethnicity of the children with an outcome, and
 * reoffending. Each figure is pinned, and held to the range of docs/domain.md ("Synthetic
 * data"), so that a change of the generator that leaves the range is seen as such.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_RUN "--seed 1 --children 2000 --board-shares"
#define NCHILD 2000
#define MAXOFF 8
#define FY0 2019 /* financial years 2019..2026 */
#define NFY 8

struct kid {
    char dob[11];
    int eth; /* eth: 'W' 'M' 'A' 'B' 'O', or 0 not stated */
    int n_off;
    long off_id[MAXOFF];
    int off_date[MAXOFF], off_proven[MAXOFF]; /* proven: first outcome date, 0 none */
    int first_counted;                        /* first counted outcome (FTE), 0 none */
    int index[NFY];                           /* first counted outcome of each year, 0 none */
    int any_out[NFY];                         /* an outcome in the year */
};

static struct kid kids[NCHILD + 1];

/* days since 1970-01-01 of "YYYY-MM-DD"; 0 for \N */
static int
day_of(const char *s)
{
    int y, m, d;

    if (sscanf(s, "%d-%d-%d", &y, &m, &d) != 3)
        return 0;
    y -= m <= 2;
    {
        int era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
        int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

        return era * 146097 + doe - 719468;
    }
}

static int
month_of(const char *s)
{
    int y, m;

    return sscanf(s, "%d-%d", &y, &m) == 2 ? m : 0;
}

static int
fy_of(const char *s)
{
    int y, m;

    return sscanf(s, "%d-%d", &y, &m) == 2 ? y - (m < 4) : 0;
}

/* whole years of age on DAY of a child born on DOB, both "YYYY-MM-DD" */
static int
age_on(const char *dob, const char *day)
{
    int y0, m0, d0, y1, m1, d1;

    if (sscanf(dob, "%d-%d-%d", &y0, &m0, &d0) != 3 || sscanf(day, "%d-%d-%d", &y1, &m1, &d1) != 3)
        return -1;
    return y1 - y0 - (m1 < m0 || (m1 == m0 && d1 < d0));
}

static int
split(char *line, char **f, int max)
{
    int n = 0;

    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

static int
in(const char *code, const char *const *set)
{
    for (; *set; set++)
        if (!strcmp(code, *set))
            return 1;
    return 0;
}

static const char *const counted[] = {"YC",  "YCC", "RO",   "FINE", "CDIS", "ADIS",
                                      "YRO", "DTO", "S250", "S254", "S259", NULL};
static const char *const court[] = {"RO",  "FINE", "CDIS", "ADIS", "YRO",
                                    "DTO", "S250", "S254", "S259", NULL};
static const char *const custody[] = {"DTO", "S250", "S254", "S259", NULL};

static int court_n[NFY], custody_n[NFY];
static int court_q[NFY * 4]; /* court outcomes per financial quarter, 2019Q1.. */

static void
read_warehouse(void)
{
    char cmd[256], line[4096], table[64] = "";
    FILE *p;

    snprintf(cmd, sizeof(cmd), "%s/yj-gen %s", YJ_BIN_DIR, GEN_RUN);
    p = popen(cmd, "r");
    cr_assert_not_null(p, "could not run %s", cmd);
    while (fgets(line, sizeof(line), p)) {
        char *f[16];
        int n;

        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, "COPY cms.", 9)) {
            sscanf(line + 9, "%63[a-z_]", table);
            continue;
        }
        if (!strcmp(line, "\\.")) {
            table[0] = '\0';
            continue;
        }
        n = split(line, f, 16);
        if (!strcmp(table, "young_person") && n >= 6) {
            struct kid *k = &kids[(int)strtol(f[0], NULL, 10)];
            const char *e = f[5];

            snprintf(k->dob, sizeof(k->dob), "%s", f[3]);
            k->eth = !strcmp(e, "CHNE") || !strcmp(e, "OOTH")   ? 'O'
                     : !strcmp(e, "REFU") || !strcmp(e, "NOBT") ? 0
                                                                : e[0];
        } else if (!strcmp(table, "offence") && n >= 3) {
            struct kid *k = &kids[(int)strtol(f[1], NULL, 10)];

            cr_assert_lt(k->n_off, MAXOFF);
            k->off_id[k->n_off] = strtol(f[0], NULL, 10);
            k->off_date[k->n_off++] = day_of(f[2]);
        } else if (!strcmp(table, "outcome") && n >= 9) {
            struct kid *k = &kids[(int)strtol(f[2], NULL, 10)];
            int d = day_of(f[3]), fy = fy_of(f[3]) - FY0;

            for (int i = 0; i < k->n_off; i++)
                if (k->off_id[i] == strtol(f[1], NULL, 10) && d &&
                    (!k->off_proven[i] || d < k->off_proven[i]))
                    k->off_proven[i] = d;
            if (!d || strcmp(f[7], "\\N") || strcmp(f[8], "L") || fy < 0 || fy >= NFY)
                continue;
            k->any_out[fy] = 1;
            if (in(f[5], court)) {
                court_n[fy]++;
                court_q[fy * 4 + (month_of(f[3]) + 8) % 12 / 3]++;
                custody_n[fy] += in(f[5], custody);
            }
            if (!in(f[5], counted))
                continue;
            if (!k->index[fy] || d < k->index[fy])
                k->index[fy] = d;
            if (age_on(k->dob, f[3]) >= 10 && age_on(k->dob, f[3]) <= 17 &&
                (!k->first_counted || d < k->first_counted))
                k->first_counted = d;
        }
    }
    cr_assert_eq(pclose(p), 0, "yj-gen %s failed", GEN_RUN);
}

/* the financial year of a day since 1970-01-01 (April to March) */
static int
fy_of_day(int z)
{
    int era, doe, yoe, y, doy, mp, m;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    return y - (m < 4);
}

Test(gen_shares, board_shares_give_the_plans_figures)
{
    static const int want_court[] = {21, 53, 54, 47, 63, 50, 40};
    static const int want_custody[] = {2, 8, 3, 7, 10, 3, 3};
    static const int want_fte[] = {48, 32, 57, 43, 49, 50, 33};
    static const int want_cohort[] = {48, 51, 74, 62, 73, 68};
    static const int want_reoffenders[] = {18, 22, 25, 25, 20, 17};
    static const int want_reoffences[] = {82, 80, 85, 85, 56, 61};
    int fte[NFY] = {0}, court_all = 0, custody_all = 0, fte_all = 0;
    int eth[128] = {0}, stated = 0;

    read_warehouse();
    for (int fy = 0; fy < 7; fy++) {
        cr_expect_eq(court_n[fy], want_court[fy], "%d: %d court outcomes", FY0 + fy, court_n[fy]);
        cr_expect_eq(custody_n[fy], want_custody[fy], "%d: %d custodial", FY0 + fy, custody_n[fy]);
        court_all += court_n[fy];
        custody_all += custody_n[fy];
    }
    /* court outcomes in every quarter of the demo's history, 2023Q2..2025Q1, and before */
    for (int q = 1; q < 7 * 4; q++)
        cr_expect_gt(court_q[q], 0, "no court outcome in %dQ%d", FY0 + q / 4, q % 4 + 1);
    /* custody 10-15% of court outcomes (by year it varies: 50 court outcomes a year) */
    cr_expect(custody_all * 100 >= court_all * 10 && custody_all * 100 <= court_all * 15,
              "custody %d of %d court outcomes", custody_all, court_all);

    for (int i = 1; i <= NCHILD; i++)
        if (kids[i].first_counted) {
            int fy = fy_of_day(kids[i].first_counted) - FY0;

            if (fy >= 0 && fy < NFY)
                fte[fy]++;
        }
    for (int fy = 0; fy < 7; fy++)
        cr_expect_eq(fte[fy], want_fte[fy], "%d: %d first time entrants", FY0 + fy, fte[fy]);
    /* about 40 a year per 1,700 children: 47 for 2,000 (whole years 2020..2024) */
    for (int fy = 1; fy < 6; fy++)
        fte_all += fte[fy];
    cr_expect(fte_all >= 5 * 40 && fte_all <= 5 * 55, "%d first time entrants in 5 years", fte_all);

    /* the ethnicity of the children with an outcome in 2024 (population: W77 M6 A6 B9 O2) */
    for (int i = 1; i <= NCHILD; i++)
        if (kids[i].any_out[2024 - FY0] && kids[i].eth) {
            eth[kids[i].eth]++;
            stated++;
        }
    cr_expect_eq(stated, 288);
    cr_expect_eq(eth['W'], 172);
    cr_expect_eq(eth['B'], 53);
    cr_expect_eq(eth['M'], 39);
    cr_expect_eq(eth['A'], 6);
    cr_expect_eq(eth['O'], 18);
    cr_expect(eth['W'] * 100 >= stated * 55 && eth['W'] * 100 <= stated * 65, "White %d of %d",
              eth['W'], stated);
    cr_expect(eth['B'] * 100 >= stated * 15 && eth['B'] * 100 <= stated * 23, "Black %d of %d",
              eth['B'], stated);
    cr_expect(eth['M'] * 100 >= stated * 10 && eth['M'] * 100 <= stated * 18, "Mixed %d of %d",
              eth['M'], stated);

    /* reoffending: a further offence within 12 months of each year's first caution or
     * conviction, proven within 18 months; 25-40% reoffend (over the years), 3-4 times */
    {
        int cohort_all = 0, re_all = 0, n_all = 0;

        for (int fy = 0; fy < 6; fy++) {
            int cohort = 0, re = 0, n = 0;

            for (int i = 1; i <= NCHILD; i++) {
                struct kid *k = &kids[i];
                int d = k->index[fy], m = 0;

                if (!d)
                    continue;
                cohort++;
                for (int o = 0; o < k->n_off; o++)
                    m += k->off_date[o] > d && k->off_date[o] <= d + 365 && k->off_proven[o] &&
                         k->off_proven[o] <= d + 365 + 182;
                re += m > 0;
                n += m;
            }
            cr_expect_eq(cohort, want_cohort[fy], "%d: cohort %d", FY0 + fy, cohort);
            cr_expect_eq(re, want_reoffenders[fy], "%d: %d reoffenders", FY0 + fy, re);
            cr_expect_eq(n, want_reoffences[fy], "%d: %d reoffences", FY0 + fy, n);
            cohort_all += cohort;
            re_all += re;
            n_all += n;
        }
        cr_expect(re_all * 100 >= cohort_all * 25 && re_all * 100 <= cohort_all * 40,
                  "%d reoffenders of %d", re_all, cohort_all);
        cr_expect(n_all >= re_all * 3 && n_all <= re_all * 4, "%d reoffences by %d reoffenders",
                  n_all, re_all);
    }
}
