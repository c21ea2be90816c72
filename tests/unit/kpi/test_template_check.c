/*
 * test_template_check.c - yj-kpi --check-template: a YJB template file against the bundle's
 * labels, byte for byte.
 */
#include "kpi.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAPPINGS YJ_SOURCE_DIR "/mappings"
#define GOLDEN YJ_SOURCE_DIR "/tests/integration/golden/kpi-2025Q1/"
#define TEMPLATES YJ_SOURCE_DIR "/mappings/schema-11/kpi/templates.conf"

static char dir[] = "/tmp/yj-tplcheck-XXXXXX";

static void
setup(void)
{
    cr_assert(mkdtemp(dir));
}

static void
teardown(void)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Copies GOLDEN/src to dir/dst, replacing the first FROM by TO (when FROM is not NULL). */
static char *
variant(const char *src, const char *dst, const char *from, const char *to)
{
    static char path[512];
    char in[512], buf[65536];
    FILE *f;
    size_t n;
    char *at;

    snprintf(in, sizeof(in), "%s%s", GOLDEN, src);
    f = fopen(in, "rb");
    cr_assert(f, "%s", in);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    snprintf(path, sizeof(path), "%s/%s", dir, dst);
    f = fopen(path, "wb");
    cr_assert(f);
    if (from && (at = strstr(buf, from)) != NULL) {
        fwrite(buf, 1, (size_t)(at - buf), f);
        fputs(to, f);
        fputs(at + strlen(from), f);
    } else {
        cr_assert(!from, "'%s' not in %s", from, src);
        fputs(buf, f);
    }
    fclose(f);
    return path;
}

static int
check(const char *path, struct yj_error *err)
{
    yj_error_init(err);
    return kpi_check_template(MAPPINGS, "2025Q1", path, err);
}

TestSuite(template_check, .init = setup, .fini = teardown);

Test(template_check, every_produced_template_agrees_with_the_bundle)
{
    static const char *const files[] = {"kpi1_accommodation_detail.csv",
                                        "kpi2_ete.csv",
                                        "kpi3_send_aln.csv",
                                        "kpi4_mhew.csv",
                                        "kpi5_substance_misuse.csv",
                                        "kpi6_ooc.csv",
                                        "kpi7_ws.csv",
                                        "kpi8_mba.csv",
                                        "kpi9_sv.csv",
                                        "kpi10_victims.csv",
                                        NULL};
    struct yj_error err;

    for (int i = 0; files[i]; i++) {
        char name[128];
        /* the YJB's own file names end in _v1 */
        snprintf(name, sizeof(name), "%.*s_v1.csv", (int)strlen(files[i]) - 4, files[i]);
        cr_assert_eq(check(variant(files[i], name, NULL, NULL), &err), 0, "%s: %s", files[i],
                     err.message);
    }
}

Test(template_check, a_label_that_lost_its_double_space_is_named_with_both_lines)
{
    struct yj_error err;
    char *p = variant("kpi3_send_aln.csv", "kpi3_send_aln.csv", "Number of  children",
                      "Number of children");
    char want[1024];

    cr_assert_eq(check(p, &err), 78);
    snprintf(want, sizeof(want),
             "%s line 2: description 'Number of children with an order ending in the period' "
             "differs from the bundle's 'Number of  children with an order ending in the "
             "period' (%s line 85)",
             p, TEMPLATES);
    cr_assert_str_eq(err.message, want);
}

Test(template_check, a_lost_trailing_space_differs)
{
    struct yj_error err;
    char *p = variant("kpi10_victims.csv", "kpi10_victims.csv", "Total number of victims ,",
                      "Total number of victims,");

    cr_assert_eq(check(p, &err), 78);
    cr_assert(strstr(err.message, " line 3: description 'Total number of victims' differs"), "%s",
              err.message);
}

Test(template_check, a_hours_group_is_compared_too)
{
    struct yj_error err;
    char *p = variant("kpi2_ete.csv", "kpi2_ete.csv", "Hours attended per week",
                      "Hours attended per month");

    cr_assert_eq(check(p, &err), 78);
    cr_assert(strstr(err.message, " line 30: description '1 - 15 hours' differs"), "%s",
              err.message);
}

Test(template_check, a_renamed_column_is_named_with_its_position)
{
    struct yj_error err;
    char *p = variant("kpi9_sv.csv", "kpi9_sv.csv", "age16to17", "age16to18");
    char want[1024];

    cr_assert_eq(check(p, &err), 78);
    snprintf(want, sizeof(want),
             "%s line 1: column 6 is 'age16to18', the bundle's is 'age16to17' (%s line 149)", p,
             TEMPLATES);
    cr_assert_str_eq(err.message, want);
}

Test(template_check, an_extra_or_a_missing_row_is_refused)
{
    struct yj_error err;
    char *p = variant("kpi6_ooc.csv", "kpi6_ooc.csv", NULL, NULL);
    FILE *f = fopen(p, "a");

    fputs(",2025-04-01,MEDWAY,A new row,0,0,0,0,0,0\n", f);
    fclose(f);
    cr_assert_eq(check(p, &err), 78);
    cr_assert(
        strstr(err.message, " line 5: a row the bundle's kpi6_ooc does not have: 'A new row'"),
        "%s", err.message);

    p = variant("kpi8_mba.csv", "kpi8_mba.csv", "\n,2025-04-01,MEDWAY,If attended", "\nX");
    /* cut the file before its last row */
    {
        FILE *g = fopen(p, "r+");
        char buf[4096];
        size_t n = fread(buf, 1, sizeof(buf), g);
        char *x = memchr(buf, 'X', n);
        fclose(g);
        cr_assert(truncate(p, (off_t)(x - buf)) == 0);
    }
    cr_assert_eq(check(p, &err), 78);
    cr_assert(strstr(err.message, ": ends before the bundle's row 'If attended - was this a new "
                                  "partner?'"),
              "%s", err.message);
}

Test(template_check, a_file_that_is_no_template_is_refused)
{
    struct yj_error err;
    char *p = variant("kpi9_sv.csv", "kpi11_budget.csv", NULL, NULL);

    cr_assert_eq(check(p, &err), 78);
    cr_assert(strstr(err.message, "'kpi11_budget' is not a template of"), "%s", err.message);
}

/* Excel's "CSV UTF-8" starts the file with a byte order mark: skipped, the file agrees. */
Test(template_check, an_excel_byte_order_mark_is_skipped)
{
    struct yj_error err;
    char *p = variant("kpi2_ete.csv", "kpi2_ete_v1.csv", NULL, NULL);

    /* the golden file, with the BOM written in front */
    {
        char text[65536];
        FILE *f = fopen(p, "rb");
        size_t n = fread(text, 1, sizeof(text), f);
        fclose(f);
        f = fopen(p, "wb");
        fputs("\xEF\xBB\xBF", f);
        fwrite(text, 1, n, f);
        fclose(f);
    }
    cr_assert_eq(check(p, &err), 0, "%s", err.message);
}

/* A NUL byte is named with its line, never read as a short or long line. */
Test(template_check, a_nul_byte_is_named_with_its_line)
{
    struct yj_error err;
    char *p = variant("kpi2_ete.csv", "kpi2_ete_v1.csv", NULL, NULL), want[1024];
    char text[65536], *second;
    FILE *f = fopen(p, "rb");
    size_t n = fread(text, 1, sizeof(text), f);

    fclose(f);
    second = memchr(text, '\n', n) + 1;
    second[3] = '\0';
    f = fopen(p, "wb");
    fwrite(text, 1, n, f);
    fclose(f);
    cr_assert_eq(check(p, &err), 78);
    snprintf(want, sizeof(want), "%s line 2: holds a NUL byte: not a text file", p);
    cr_assert_str_eq(err.message, want);
}

/* The template is found by its file name: "kpi2_ete_v1.csv", "kpi2_ete.csv", or without the
 * extension ("kpi2_ete_v1", as a download may be saved); a longer name is not cut. */
Test(template_check, the_template_is_named_by_its_file_with_or_without_csv)
{
    struct yj_error err;
    char want[1024];
    char *p;

    cr_assert_eq(check(variant("kpi2_ete.csv", "kpi2_ete_v1", NULL, NULL), &err), 0, "%s",
                 err.message);
    cr_assert_eq(check(variant("kpi2_ete.csv", "kpi2_ete", NULL, NULL), &err), 0, "%s",
                 err.message);
    p = variant("kpi2_ete.csv", "kpi2_ete_v1.txt", NULL, NULL);
    cr_assert_eq(check(p, &err), 78);
    snprintf(want, sizeof(want), "'%s': 'kpi2_ete_v1.txt' is not a template of %s", p, TEMPLATES);
    cr_assert_str_eq(err.message, want);
}
