/*
 * test_pack.c - the board pack's page (etl/report/board_pack*.c) from the hand-built fixture
 * (pack_fixture.h): a self-contained page with no request in it, the same bytes every time,
 * the fixture's figures in its tables with every small count hidden (the rows worked by hand),
 * no hidden count recoverable from a total the page shows (the test does the subtraction), a
 * note instead of an empty chart, and the PDF step's errors with a stand-in browser (the real
 * one runs in tests/browser/pack.sh).
 */
#include "board_pack.h"

#include "../support.h"
#include "pack_fixture.h"

#include "../../../etl/report/board_pack_int.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

UT_SCRATCH_SUITE(pack);
static const struct board_policy standard = {5, 0, 1};

/* The page of D by policy P (the caller frees it). */
static char *
page(const struct board_data *d, const struct board_policy *p)
{
    struct yj_error err;
    char *path = ut_path(dir, "pack.html"), *html;

    yj_error_init(&err);
    cr_assert_eq(board_pack_html(dir, d, p, &err), YJ_OK, "%s", err.message);
    html = ut_read(path, NULL);
    free(path);
    return html;
}

/* The row of the table captioned CAPTION that starts with the cell FIRST, its cells' text
 * joined by '|' (tags dropped), into OUT. */
static void
row_of(const char *html, const char *caption, const char *first, char *out, size_t len)
{
    char cap[256], start[128];
    const char *t, *end, *r;
    size_t n = 0;

    snprintf(cap, sizeof(cap), "<caption>%s</caption>", caption);
    t = strstr(html, cap);
    cr_assert_not_null(t, "no table '%s'", caption);
    end = strstr(t, "</table>");
    snprintf(start, sizeof(start), "<tr><td class=\"l\">%s</td>", first);
    r = strstr(t, start);
    cr_assert(r && r < end, "no row '%s' in '%s'", first, caption);
    for (r += 4; strncmp(r, "</tr>", 5) != 0 && n + 1 < len; r++) {
        if (*r == '<') {
            if (strncmp(r, "</td><td", 8) == 0)
                out[n++] = '|';
            r = strchr(r, '>');
            continue;
        }
        out[n++] = *r;
    }
    out[n] = '\0';
}

#define assert_row(html, caption, first, want)                                                     \
    do {                                                                                           \
        char got_[1024];                                                                           \
        row_of(html, caption, first, got_, sizeof(got_));                                          \
        cr_assert_str_eq(got_, want);                                                              \
    } while (0)

Test(pack, the_page_is_self_contained_and_asks_for_nothing)
{
    struct board_data d;
    char *html, *path = ut_path(dir, "pack.html");
    struct stat st;

    fx_board(&d);
    html = page(&d, &standard);
    cr_assert_eq(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en-GB\">", 35), 0);
    ut_assert_contains(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                             "'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action "
                             "'none'\">");
    /* the only URL is the SVG namespace, which is a name, not a request */
    cr_assert_eq(ut_count(html, "http"),
                 ut_count(html, "http-equiv") + ut_count(html, "<svg xmlns"));
    cr_assert_eq(ut_count(html, " src="), 0);
    cr_assert_eq(ut_count(html, "href="), 0);
    cr_assert_eq(ut_count(html, "<script"), 0);
    cr_assert_eq(ut_count(html, "url("), 0);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0644);
    free(html);
    free(path);
    board_data_free(&d);
}

Test(pack, the_same_figures_give_the_same_bytes)
{
    struct board_data d;
    char *a, *b;

    fx_board(&d);
    a = page(&d, &standard);
    b = page(&d, &standard);
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
    board_data_free(&d);
}

Test(pack, every_chart_has_a_text_alternative_a_table_and_a_case_list_key)
{
    struct board_data d;
    char *html;
    size_t nsvg;

    fx_board(&d);
    html = page(&d, &standard);
    nsvg = ut_count(html, "<svg ");
    /* ten KPIs, first time entrants, custody, reoffending, three ethnicity measures, offence
     * types, recording; KPI 10's rates are all hidden (numerators 2 to 4): a note instead */
    cr_assert_eq(nsvg, 17);
    cr_assert_eq(ut_count(html, "role=\"img\""), nsvg);
    cr_assert_eq(ut_count(html, "<title id=\""), nsvg);
    cr_assert_eq(ut_count(html, "<desc id=\""), nsvg);
    cr_assert_eq(ut_count(html, "<figure "), 18);
    for (const char *f = html; (f = strstr(f, "<figure ")) != NULL; f++) {
        const char *end = strstr(f, "</figure>"), *svg = strstr(f, "<svg "),
                   *note = strstr(f, "<p class=\"nochart\">"), *table = strstr(f, "<table>");
        const char *chart = svg && svg < end ? svg : note;

        cr_assert(chart && chart < end && table && table > chart && table < end,
                  "a figure without a chart (or a note) and a table after it: %.60s", f);
    }
    ut_assert_contains(html, "<p class=\"nochart\">KPI 10, serious_violence: rate by quarter: no "
                             "quarter with figures to show (fewer than two), so no chart is "
                             "drawn; the table gives what there is.</p>");
    ut_assert_contains(html, "<figure id=\"fig-fte\" data-cases=\"fte\">");
    ut_assert_contains(html, "<figure id=\"fig-custody\" data-cases=\"custodial\">");
    ut_assert_contains(html, "<code>court_outcome</code>");
    ut_assert_contains(html, "<figure id=\"fig-reoffending\" data-cases=\"reoffending_cohort\">");
    ut_assert_contains(html, "<code>reoffence</code>");
    ut_assert_contains(html, "<figure id=\"fig-offences\" data-cases=\"offence_type\">");
    /* a KPI's trend: each quarter's own KPI case list, not report/cases.csv */
    ut_assert_contains(html, "<figure id=\"fig-kpi1\" data-cases=\"kpi\">");
    ut_assert_contains(html, "The children and records behind it: each quarter's KPI case list "
                             "(kpi/cases.csv of the run the quarter comes from, kept by the "
                             "analyst, never published).");
    free(html);
    board_data_free(&d);
}

/* The rows worked by hand from pack_fixture.h (threshold 5, secondary suppression). */
Test(pack, tables_hold_the_figures_with_small_counts_hidden)
{
    struct board_data d;
    char *html;

    fx_board(&d);
    html = page(&d, &standard);
    /* quarters 12 9 3 11 10 8 14 7: the 3 is small; each rolling year on its own hides the 9,
     * 8 and 10, but the years taken together would still give them back (R4 - R3 + Q0 is the
     * 10), so every quarter is hidden and the five years stay */
    assert_row(html, "First time entrants by quarter", "2023Q2", "2023Q2|[c]|-|-");
    assert_row(html, "First time entrants by quarter", "2023Q3", "2023Q3|[c]|-|-");
    assert_row(html, "First time entrants by quarter", "2023Q4", "2023Q4|[c]|-|-");
    assert_row(html, "First time entrants by quarter", "2024Q1", "2024Q1|[c]|35|205.9");
    assert_row(html, "First time entrants by quarter", "2024Q2", "2024Q2|[c]|33|194.1");
    assert_row(html, "First time entrants by quarter", "2024Q3", "2024Q3|[c]|32|188.2");
    assert_row(html, "First time entrants by quarter", "2024Q4", "2024Q4|[c]|43|252.9");
    assert_row(html, "First time entrants by quarter", "2025Q1", "2025Q1|[c]|39|229.4");
    /* custodial 6 2 5 7 3 6 8 5 of 40 35 38 42 39 41 37 44 */
    assert_row(html,
               "Custody by quarter (court outcomes: case list figure "
               "<code>court_outcome</code>)",
               "2023Q3", "2023Q3|35|[c]|[c]|-|-|-|-|10.00");
    assert_row(html,
               "Custody by quarter (court outcomes: case list figure "
               "<code>court_outcome</code>)",
               "2024Q1", "2024Q1|42|7|16.7|155|20|12.9|1.18|10.00");
    /* 9 children, 6 reoffenders: the 3 who did not are few, so the 6 is hidden */
    assert_row(html,
               "Reoffending by cohort (reoffences: case list figure "
               "<code>reoffence</code>)",
               "2024Q1", "2024Q1|not final|9|[c]|9|[c]|[c]|1.00");
    assert_row(html,
               "Reoffending by cohort (reoffences: case list figure "
               "<code>reoffence</code>)",
               "2023Q2", "2023Q2|final|[c]|[c]|[c]|[c]|[c]|[c]");
    assert_row(html,
               "Reoffending by cohort (reoffences: case list figure "
               "<code>reoffence</code>)",
               "2022Q4", "2022Q4|final|20|7|15|35.0|2.14|0.75");
    /* custody by ethnicity 12 4 0 6 0: the 4, then the 6 */
    assert_row(html, "Ethnicity of children sentenced to custody against the 10-17 population",
               "White", "White|12|54.5|13090|77.0|-22.5|1.00 (0.45 to 2.23)");
    assert_row(html, "Ethnicity of children sentenced to custody against the 10-17 population",
               "Mixed", "Mixed|[c]|[c]|1020|6.0|[c]|[c]");
    assert_row(html, "Ethnicity of children sentenced to custody against the 10-17 population",
               "Asian", "Asian|0|0.0|1190|7.0|-7.0|0.00 (- to -)");
    assert_row(html, "Ethnicity of children sentenced to custody against the 10-17 population",
               "Black", "Black|[c]|[c]|1530|9.0|[c]|[c]");
    assert_row(html, "Ethnicity of children sentenced to custody against the 10-17 population",
               "All groups", "All groups|22|||||");
    /* community orders 30 6 12 9 4: the 4, then the 6 */
    assert_row(html, "Offence types, in the rolling year", "Motoring &lt;offences&gt;",
               "Motoring &lt;offences&gt;|0|0.0|[c]|[c]");
    assert_row(html, "Offence types, in the rolling year", "Robbery", "Robbery|5|27.8|[c]|[c]");
    assert_row(html, "Offence types, in the rolling year", "All offence types",
               "All offence types|18||61|");
    /* KPI 10's numerators are 2, 3, 4: hidden, and so is every rate and change from them */
    assert_row(html, "KPI 10 by quarter", "2023Q2", "2023Q2|submitted|[c]|40|[c]");
    assert_row(html, "KPI 10 by quarter", "2024Q4", "2024Q4|unverified|-|-|-");
    assert_row(html, "The ten KPI headlines", "10",
               "10|serious_violence|2025Q1|[c]|%|[c]|provisional");
    assert_row(html, "The ten KPI headlines", "1", "1|accommodation|2025Q1|21.3|%|-|provisional");
    free(html);
    board_data_free(&d);
}

/* Every cell of a table without a class is a count, a rate or a mark; no whole number in one
 * may be from 1 to 4. */
Test(pack, no_count_under_the_threshold_survives_in_the_page)
{
    struct board_data d;
    char *html;
    size_t cells = 0;

    fx_board(&d);
    html = page(&d, &standard);
    for (const char *p = html; (p = strstr(p, "<td>")) != NULL; p += 4) {
        const char *v = p + 4, *end = strstr(v, "</td>");
        size_t nd = strspn(v, "0123456789");

        cells++;
        if (nd > 0 && v + nd == end)
            cr_assert(!(strtol(v, NULL, 10) > 0 && strtol(v, NULL, 10) < 5),
                      "a count under 5 in the page: %.40s", p);
    }
    cr_assert_gt(cells, 300);
    free(html);
    board_data_free(&d);
}

/* Which of CELLS (texts) are "[c]"; returns how many. */
static int
hidden_of(char *row, int from, int to, long *shown_sum)
{
    int col = 0, hidden = 0;

    *shown_sum = 0;
    for (char *c = strtok(row, "|"); c; c = strtok(NULL, "|"), col++)
        if (col >= from && col <= to) {
            if (strcmp(c, "[c]") == 0)
                hidden++;
            else
                *shown_sum += strtol(c, NULL, 10);
        }
    return hidden;
}

/* A reader's subtraction: a total the page shows less the parts it shows; if one part is
 * hidden, that is its value. Tried on every rolling year of four quarters, every ethnicity
 * measure and both disposals of the offence types. */
Test(pack, no_hidden_count_comes_back_from_a_total)
{
    static const char *const tables[] = {
        "Ethnicity of first time entrants against the 10-17 population",
        "Ethnicity of children sentenced to custody against the 10-17 population",
        "Ethnicity of the KPI cohort against the 10-17 population"};
    static const char *const groups[] = {"White", "Mixed", "Asian", "Black", "Other"};
    struct board_data d;
    char *html, row[1024];

    fx_board(&d);
    html = page(&d, &standard);
    for (size_t k = 3; k < FX_NQ; k++) {
        int hidden = 0;
        long sum = 0, part, year;

        for (size_t i = k - 3; i <= k; i++) {
            row_of(html, "First time entrants by quarter", fx_quarters[i], row, sizeof(row));
            hidden += hidden_of(row, 1, 1, &part);
            sum += part;
        }
        row_of(html, "First time entrants by quarter", fx_quarters[k], row, sizeof(row));
        hidden_of(row, 2, 2, &year);
        cr_assert_neq(hidden, 1, "the year to %s gives back %ld", fx_quarters[k], year - sum);
    }
    for (size_t t = 0; t < 3; t++) {
        int hidden = 0;
        long sum = 0, part, total;

        for (size_t g = 0; g < 5; g++) {
            row_of(html, tables[t], groups[g], row, sizeof(row));
            hidden += hidden_of(row, 1, 1, &part);
            sum += part;
        }
        row_of(html, tables[t], "All groups", row, sizeof(row));
        hidden_of(row, 1, 1, &total);
        cr_assert_neq(hidden, 1, "%s gives back %ld", tables[t], total - sum);
    }
    for (int col = 1; col <= 3; col += 2) {
        int hidden = 0;
        long sum = 0, part, total;

        for (size_t k = 0; k < 5; k++) {
            char cat[64];

            snprintf(cat, sizeof(cat), "%s",
                     k == 3   ? "Theft &amp; handling"
                     : k == 4 ? "Motoring &lt;offences&gt;"
                              : fx_categories[k]);
            row_of(html, "Offence types, in the rolling year", cat, row, sizeof(row));
            hidden += hidden_of(row, col, col, &part);
            sum += part;
        }
        row_of(html, "Offence types, in the rolling year", "All offence types", row, sizeof(row));
        hidden_of(row, col, col, &total);
        cr_assert_neq(hidden, 1, "offence column %d gives back %ld", col, total - sum);
    }
    free(html);
    board_data_free(&d);
}

/* One quarter in every table: the page says so and draws no empty chart. */
Test(pack, fewer_than_two_quarters_get_a_note_not_a_chart)
{
    struct board_data d;
    char *html;

    fx_board(&d);
    d.nfte = 1, d.ncustody = 1, d.ntrend_kpi = 10, d.ntrend_recording = 5;
    d.nreoffending = 1;
    html = page(&d, &standard);
    ut_assert_contains(html, "<p class=\"nochart\">First time entrants by quarter: only one "
                             "quarter with figures to show (fewer than two), so no chart is "
                             "drawn; the table gives what there is.</p>");
    ut_assert_contains(html, "<p class=\"nochart\">KPI 2, ete: rate by quarter: only "
                             "one quarter with figures to show");
    cr_assert_null(strstr(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
                                "id=\"fte\""));
    cr_assert_null(strstr(html, "id=\"kpi1\""));
    cr_assert_null(strstr(html, "id=\"custody\" role"));
    cr_assert_null(strstr(html, "id=\"recording\" role"));
    /* the bar charts of one rolling year stay */
    ut_assert_contains(html, "id=\"offences\" role=\"img\"");
    free(html);
    board_data_free(&d);
}

/* A stand-in browser: a shell script of BODY, made executable; returns its path. */
static char *
fake_browser(const char *body)
{
    char *path = ut_path(dir, "chromium");

    ut_write(path, body);
    cr_assert_eq(chmod(path, 0755), 0);
    return path;
}

static void
assert_no_pdf(void)
{
    char *pdf = ut_path(dir, "pack.pdf"), *tmp = ut_path(dir, "pack.pdf.tmp");

    cr_assert_neq(access(pdf, F_OK), 0, "a pack.pdf was left");
    cr_assert_neq(access(tmp, F_OK), 0, "a pack.pdf.tmp was left");
    free(pdf);
    free(tmp);
}

Test(pack, a_missing_browser_names_its_path_and_the_key)
{
    struct yj_error err;
    struct board_data d;

    fx_board(&d);
    free(page(&d, &standard));
    yj_error_init(&err);
    cr_assert_eq(board_pack_pdf(dir, "/nonexistent/chromium", &err), YJ_EX_CONFIG);
    cr_assert_str_eq(err.message, "could not run the browser '/nonexistent/chromium' that prints "
                                  "the board pack: No such file or directory");
    cr_assert_str_eq(err.hint, "install chromium, name another headless Chromium in [report] "
                               "browser, or set [report] pdf = no");
    assert_no_pdf();
    board_data_free(&d);
}

Test(pack, the_pdf_is_printed_from_the_page_with_a_private_profile_and_kept_whole)
{
    struct yj_error err;
    struct board_data d;
    char *browser, *args, *pdf = ut_path(dir, "pack.pdf"), *body, *log = ut_path(dir, "args");
    char script[2048], want[1024], *profile;
    struct stat st;

    snprintf(script, sizeof(script),
             "#!/bin/sh\nfor a; do echo \"$a\"; done > '%s'\n"
             "for a; do case $a in --print-to-pdf=*) printf '%%%%PDF-1.4 fake' > \"${a#*=}\";; "
             "--user-data-dir=*) test -d \"${a#*=}\" || exit 9;; esac; done\n",
             log);
    browser = fake_browser(script);
    fx_board(&d);
    free(page(&d, &standard));
    yj_error_init(&err);
    cr_assert_eq(board_pack_pdf(dir, browser, &err), YJ_OK, "%s", err.message);
    body = ut_read(pdf, NULL);
    cr_assert_str_eq(body, "%PDF-1.4 fake");
    cr_assert_eq(stat(pdf, &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0644);
    args = ut_read(log, NULL);
    snprintf(want, sizeof(want), "--print-to-pdf=%s/pack.pdf.tmp\nfile://%s/pack.html\n", dir, dir);
    ut_assert_contains(args, want);
    ut_assert_contains(args, "--headless\n");
    ut_assert_contains(args, "--host-resolver-rules=MAP * ~NOTFOUND\n");
    if (geteuid() == 0)
        ut_assert_contains(args, "--no-sandbox\n");
    /* the temporary profile is gone */
    profile = strstr(args, "--user-data-dir=");
    cr_assert_not_null(profile);
    profile += strlen("--user-data-dir=");
    *strchr(profile, '\n') = '\0';
    cr_assert_neq(access(profile, F_OK), 0, "the profile '%s' was left", profile);
    free(browser), free(args), free(pdf), free(body), free(log);
    board_data_free(&d);
}

/* Chromium writes the moment it printed into the PDF: the same page must give the same bytes
 * on every run, so both dates are set to one fixed moment (the page says the return's). */
Test(pack, the_pdf_carries_no_moment_of_printing)
{
    struct yj_error err;
    struct board_data d;
    char *browser, *pdf = ut_path(dir, "pack.pdf"), *body;

    browser = fake_browser("#!/bin/sh\nfor a; do case $a in --print-to-pdf=*) printf "
                           "'%%PDF-1.4 <</CreationDate (D:20261206123239+00'\\''00'\\'') "
                           "/ModDate (D:20261206123240+00'\\''00'\\'')>>' > \"${a#*=}\";; "
                           "esac; done\n");
    fx_board(&d);
    free(page(&d, &standard));
    yj_error_init(&err);
    cr_assert_eq(board_pack_pdf(dir, browser, &err), YJ_OK, "%s", err.message);
    body = ut_read(pdf, NULL);
    cr_assert_str_eq(body, "%PDF-1.4 <</CreationDate (D:19700101000000+00'00') "
                           "/ModDate (D:19700101000000+00'00')>>");
    free(browser), free(pdf), free(body);
    board_data_free(&d);
}

Test(pack, a_failing_or_silent_browser_leaves_no_pdf)
{
    struct yj_error err;
    struct board_data d;
    char *browser, msg[512];

    fx_board(&d);
    free(page(&d, &standard));
    browser = fake_browser("#!/bin/sh\nexit 3\n");
    yj_error_init(&err);
    cr_assert_eq(board_pack_pdf(dir, browser, &err), YJ_EX_SOFTWARE);
    snprintf(msg, sizeof(msg), "the browser '%s' failed to print the board pack (exit status 3)",
             browser);
    cr_assert_str_eq(err.message, msg);
    assert_no_pdf();
    free(browser);
    browser = fake_browser("#!/bin/sh\nexit 0\n");
    cr_assert_eq(board_pack_pdf(dir, browser, &err), YJ_EX_SOFTWARE);
    snprintf(msg, sizeof(msg),
             "the browser wrote no board pack PDF '%s/pack.pdf.tmp': No such "
             "file or directory",
             dir);
    cr_assert_str_eq(err.message, msg);
    assert_no_pdf();
    free(browser);
    board_data_free(&d);
}

Test(pack, a_browser_past_its_time_is_stopped_and_leaves_no_pdf)
{
    struct yj_error err;
    struct board_data d;
    char *browser, msg[512];

    fx_board(&d);
    free(page(&d, &standard));
    browser = fake_browser("#!/bin/sh\nfor a; do case $a in --print-to-pdf=*) "
                           "echo '%PDF' > \"${a#*=}\";; esac; done\nsleep 30\n");
    yj_error_init(&err);
    cr_assert_eq(board_pack_pdf_within(dir, browser, 0.5, &err), YJ_EX_TEMPFAIL);
    snprintf(msg, sizeof(msg), "the browser '%s' did not print the board pack within 0 seconds",
             browser);
    cr_assert_str_eq(err.message, msg);
    assert_no_pdf();
    free(browser);
    board_data_free(&d);
}

/* With figures in the quarter before: KPI 1 from 11/46 (23.9%) to 10/47 (21.3%), KPI 2 from
 * 12/46 (26.1%) to 13/47 (27.7%). */
Test(pack, the_change_on_last_quarter_is_the_difference_of_the_rates)
{
    struct board_data d;
    char *html;

    fx_board(&d);
    for (size_t i = 0; i < d.ntrend_kpi; i++) {
        struct board_trend_kpi *t = &d.trend_kpi[i];

        if (strcmp(t->period, "2024Q4") != 0)
            continue;
        t->mark = BOARD_SUBMITTED, t->denominator = 46, t->numerator = 10 + t->kpi;
        t->rate = 100.0 * (double)t->numerator / 46;
    }
    html = page(&d, &standard);
    assert_row(html, "The ten KPI headlines", "1",
               "1|accommodation|2025Q1|21.3|%|-2.6|provisional");
    assert_row(html, "The ten KPI headlines", "2", "2|ete|2025Q1|27.7|%|+1.6|provisional");
    assert_row(html, "KPI 1 by quarter", "2024Q4", "2024Q4|submitted|11|46|23.9");
    free(html);
    board_data_free(&d);
}

#define FTE_ETHNICITY "Ethnicity of first time entrants against the 10-17 population"
#define OFFENCES "Offence types, in the rolling year"
#define FTE "First time entrants by quarter"
#define CUSTODY "Custody by quarter (court outcomes: case list figure <code>court_outcome</code>)"

/* The first time entrants' ethnicity rows of D (its first five) set to the counts N of White,
 * Mixed, Asian, Black and Other, and a "Not stated" row of N[5] after the last row; shares of
 * the known groups' total, as board_indicators() gives them; no interval. */
static void
fte_groups(struct board_data *d, const long *n)
{
    long known = n[0] + n[1] + n[2] + n[3] + n[4];
    struct board_ethnicity *e;

    for (size_t g = 0; g < 5; g++) {
        e = &d->ethnicity[g];
        e->count = n[g];
        e->share_pct = 100.0 * (double)n[g] / (double)known;
        e->difference_pp = e->share_pct - e->population_share_pct;
        e->rri = ((double)n[g] / (double)e->population) /
                 ((double)n[0] / (double)d->ethnicity[0].population);
        e->rri_low = e->rri_high = NAN;
    }
    d->ethnicity = xrealloc(d->ethnicity, (d->nethnicity + 1) * sizeof(*d->ethnicity));
    e = &d->ethnicity[d->nethnicity++];
    memset(e, 0, sizeof(*e));
    snprintf(e->measure, sizeof(e->measure), "fte");
    snprintf(e->group, sizeof(e->group), "%s", BOARD_NOT_STATED);
    e->count = n[5];
    e->share_pct = e->population_share_pct = e->difference_pp = NAN;
    e->rri = e->rri_low = e->rri_high = NAN;
}

/* The reviewer's table: White 40, Mixed 6, Asian 0, Black 6, Other 0, Not stated 2. The
 * shares divide by the known groups' 52; shown beside the 54 of all groups they would give
 * back the 2 (54 - 40 / 0.769) and then the 6. The 52 is a total row of its own, hidden
 * with the 2 (52 + [c] = 54), so are the Mixed 6 (46 + [c] = [c]) and every share. */
Test(pack, the_shares_base_is_a_row_hidden_with_not_stated_and_so_is_every_share)
{
    static const long n[6] = {40, 6, 0, 6, 0, 2};
    struct board_data d;
    char *html;

    fx_board(&d);
    fte_groups(&d, n);
    html = page(&d, &standard);
    assert_row(html, FTE_ETHNICITY, "White", "White|40|[c]|13090|77.0|[c]|1.00 (- to -)");
    assert_row(html, FTE_ETHNICITY, "Mixed", "Mixed|[c]|[c]|1020|6.0|[c]|[c]");
    assert_row(html, FTE_ETHNICITY, "Asian", "Asian|0|[c]|1190|7.0|[c]|0.00 (- to -)");
    assert_row(html, FTE_ETHNICITY, "Black", "Black|6|[c]|1530|9.0|[c]|1.28 (- to -)");
    assert_row(html, FTE_ETHNICITY, "Not stated", "Not stated|[c]|[c]|0|-|[c]|[c]");
    assert_row(html, FTE_ETHNICITY, "Known groups (the shares' base)",
               "Known groups (the shares' base)|[c]|||||");
    assert_row(html, FTE_ETHNICITY, "All groups", "All groups|54|||||");
    free(html);
    board_data_free(&d);
}

/* With a "Not stated" count of 0 or one of 5 or more, nothing is hidden: the shares stay. */
Test(pack, a_shown_not_stated_count_leaves_the_shares)
{
    static const long n[6] = {40, 6, 0, 6, 0, 7};
    struct board_data d;
    char *html;

    fx_board(&d);
    fte_groups(&d, n);
    html = page(&d, &standard);
    assert_row(html, FTE_ETHNICITY, "White", "White|40|76.9|13090|77.0|-0.1|1.00 (- to -)");
    assert_row(html, FTE_ETHNICITY, "Not stated", "Not stated|7|-|0|-|-|- (- to -)");
    assert_row(html, FTE_ETHNICITY, "Known groups (the shares' base)",
               "Known groups (the shares' base)|52|||||");
    assert_row(html, FTE_ETHNICITY, "All groups", "All groups|59|||||");
    free(html);
    board_data_free(&d);
}

/* The offence types' custody total is the rolling year's custodial count: hidden in the
 * offence table (a total of 2), the year's 22 is hidden in the custody table too, which then
 * protects it there: R7 = R6 - Q3 + Q7 would give it back, so the quarter's 5 goes. The other way
 * round for first time entrants: the ethnicity table's total of 3 hides the rolling year of 2025Q1
 * in the entrants' table. */
Test(pack, a_count_in_two_tables_hidden_in_one_is_hidden_in_both)
{
    static const long n[6] = {3, 0, 0, 0, 0, 0};
    struct board_data d;
    char *html;

    fx_board(&d);
    for (size_t i = 0; i < d.noffence_types; i++)
        if (strcmp(d.offence_types[i].disposal, "Custody") == 0)
            d.offence_types[i].count = i == 0 ? 2 : 0;
    html = page(&d, &standard);
    assert_row(html, OFFENCES, "All offence types", "All offence types|[c]||61|");
    /* a share of a hidden total would give it back: hidden too, even a zero's */
    assert_row(html, OFFENCES, "Drug offences", "Drug offences|0|[c]|12|19.7");
    assert_row(html, CUSTODY, "2025Q1", "2025Q1|44|[c]|[c]|161|[c]|[c]|[c]|10.00");
    assert_row(html, FTE, "2025Q1", "2025Q1|[c]|39|229.4");
    free(html);
    board_data_free(&d);

    fx_board(&d);
    fte_groups(&d, n);
    html = page(&d, &standard);
    assert_row(html, FTE_ETHNICITY, "All groups", "All groups|[c]|||||");
    assert_row(html, FTE, "2025Q1", "2025Q1|7|[c]|[c]");
    free(html);
    board_data_free(&d);
}

/* Rounding to 5: the counts print rounded, and every rate, share and index is worked out
 * from the rounded counts as printed, never from the exact ones (43 entrants print as 45,
 * so the rate is 45 per 17,000, not 43); intervals are left out. */
Test(pack, rounding_rounds_the_counts_and_the_figures_worked_from_them)
{
    const struct board_policy rounded = {5, 5, 1};
    static const long n[6] = {40, 6, 0, 6, 0, 7};
    struct board_data d;
    char *html;

    fx_board(&d);
    fte_groups(&d, n);
    html = page(&d, &rounded);
    assert_row(html, "First time entrants by quarter", "2024Q1", "2024Q1|[c]|35|205.9");
    assert_row(html, "First time entrants by quarter", "2024Q4", "2024Q4|[c]|45|264.7");
    /* the reviewer's: White 40 of the known 52 would be 76.9%; printed as 40 of 50 */
    assert_row(html, FTE_ETHNICITY, "White", "White|40|80.0|13090|77.0|3.0|1.00 (- to -)");
    assert_row(html, FTE_ETHNICITY, "Black", "Black|5|10.0|1530|9.0|1.0|1.07 (- to -)");
    assert_row(html, FTE_ETHNICITY, "Not stated", "Not stated|5|-|0|-|-|- (- to -)");
    assert_row(html, FTE_ETHNICITY, "Known groups (the shares' base)",
               "Known groups (the shares' base)|50|||||");
    assert_row(html, FTE_ETHNICITY, "All groups", "All groups|60|||||");
    /* custody 2024Q1: 7 of 42 print as 5 of 40, 12.5%; the year's 20 of 155 as 20 of 155 */
    assert_row(html, CUSTODY, "2024Q1", "2024Q1|40|5|12.5|155|20|12.9|1.18|10.00");
    ut_assert_contains(html, "Published counts are rounded to the nearest 5; rates, shares and "
                             "indices are worked out from the rounded counts, and no interval is "
                             "given.");
    free(html);
    board_data_free(&d);
}
