/*
 * test_report.c - the verdict of a validation report (etl/core/report.c): a report of this
 * version, one written before reports had a format line (version 0), one of a newer version
 * (refused in one line), and one that cannot be read.
 */
#include "report.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define BODY                                                                                       \
    "file /runs/x/return/cld.xml\nsha256 " SHA "\nschema s.xsd sha256 -\nrules r.conf sha256 -\n"  \
    "\nchildren 12\nresult valid\n"

UT_SCRATCH_SUITE(report);

static int
verdict_of(const char *text, int *same, int *valid, long long *children, struct yj_error *err)
{
    char *path = ut_path(dir, "report.txt");
    int rc;

    ut_write(path, text);
    yj_error_init(err);
    rc = report_verdict(path, SHA, same, valid, children, err);
    free(path);
    return rc;
}

Test(report, reads_a_report_of_this_version_and_one_written_before_the_format_line)
{
    static const char *const texts[] = {"yjreturns-report 1\n" BODY,
                                        "yjreturns validation report\n" BODY};
    struct yj_error err;
    int same, valid;
    long long children;

    for (size_t i = 0; i < 2; i++) {
        cr_assert_eq(verdict_of(texts[i], &same, &valid, &children, &err), 0, "%zu", i);
        cr_assert_eq(same, 1);
        cr_assert_eq(valid, 1);
        cr_assert_eq(children, 12);
    }
}

Test(report, refuses_a_newer_version_in_one_line)
{
    struct yj_error err;
    int same, valid;
    long long children;
    char want[1024], *path = ut_path(dir, "report.txt");

    cr_assert_eq(verdict_of("yjreturns-report 2\n" BODY, &same, &valid, &children, &err), 1);
    snprintf(want, sizeof(want),
             "'%s' line 1: format yjreturns-report 2 is newer than this yjreturns reads "
             "(yjreturns-report 1)",
             path);
    cr_assert_str_eq(err.message, want);
    cr_assert_eq(err.code, YJ_EX_DATAERR);
    cr_assert_eq(same, 0);
    cr_assert_eq(valid, 0, "a report this program cannot read never says valid");
    cr_assert_eq(children, -1);
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(report_verdict(path, SHA, &same, &valid, &children, &err), -1);
    cr_assert_eq(errno, ENOENT);
    free(path);
}

Test(report, its_summary_gives_children_errors_and_queries_or_not_recorded)
{
    char *path = ut_path(dir, "report.txt");
    struct report_summary s;
    struct yj_error err;

    ut_write(path, "yjreturns-report 1\nline 9: R041 query: child 3 ypid X person field "
                   "ethnicity: ethnicity not stated\n\nchildren 12\nerrors 1\nqueries 8\nresult "
                   "invalid\n");
    yj_error_init(&err);
    cr_assert_eq(report_read_summary(path, &s, &err), 0);
    cr_assert_eq(s.valid, 0);
    cr_assert_eq(s.children, 12);
    cr_assert_eq(s.errors, 1);
    cr_assert_eq(s.queries, 8);
    /* a report written before it counted queries: not recorded, not 0 */
    ut_write(path, "yjreturns-report 1\n" BODY);
    cr_assert_eq(report_read_summary(path, &s, &err), 0);
    cr_assert_eq(s.valid, 1);
    cr_assert_eq(s.children, 12);
    cr_assert_eq(s.errors, -1);
    cr_assert_eq(s.queries, -1);
    free(path);
}
