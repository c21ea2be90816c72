/*
 * test_cldiff.c - the record-level difference of two returns (etl/core/cldiff.c).
 *
 * Two return folders are made from the reviewed golden return (12 children, warehouse ids
 * 101..112 in a staged person file): the same bytes give only the header; a field changed, a
 * child removed and a deletion notice added each give exactly their lines; a side that is not
 * a return of the bundle, or whose child count differs from its MANIFEST, is refused with one
 * line and 65, and no diff file is left.
 */
#include "cldiff.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <string.h>

static char *dir, *sent, *now, *staged, *diff_path;
static char *golden;
static struct items it;

/* TEXT with FROM replaced by TO (first occurrence), malloc'd. */
static char *
replaced(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    size_t n;
    char *out;

    cr_assert_not_null(at, "'%s' not in the text", from);
    n = strlen(text) - strlen(from) + strlen(to) + 1;
    out = malloc(n);
    snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}

/* Makes folder DIR holding NAME = TEXT and a MANIFEST listing it with ROWS rows. */
static void
folder(const char *d, const char *name, const char *text, unsigned long long rows,
       const char *stage)
{
    char *p = ut_path(d, name), *mp = ut_path(d, "MANIFEST"), hex[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
    struct manifest m;
    struct yj_error err;

    mkdir(d, 0750);
    ut_write(p, text);
    cr_assert_eq(sha256_file(p, hex, &bytes), 0);
    manifest_init(&m);
    manifest_set(&m, "stage", stage);
    manifest_set(&m, "schema_version", "11");
    manifest_add_file(&m, name, rows, bytes, hex);
    cr_assert_eq(manifest_write(&m, mp, &err), YJ_OK);
    manifest_release(&m);
    free(p);
    free(mp);
}

static void
setup(void)
{
    struct yj_error err;
    char person[1024];
    size_t n = 0;

    dir = ut_mkdtemp();
    sent = ut_path(dir, "sent");
    now = ut_path(dir, "now");
    staged = ut_path(dir, "staged");
    diff_path = ut_path(dir, "diff.csv");
    golden = ut_read(YJ_SOURCE_DIR "/tests/integration/golden/cld-2025Q1.xml", NULL);
    cr_assert_not_null(golden);
    n += (size_t)snprintf(person + n, sizeof(person) - n, "child_id\typid\n");
    for (int i = 1; i <= 12; i++)
        n += (size_t)snprintf(person + n, sizeof(person) - n, "%d\tYPG%07d\n", 100 + i, i);
    folder(staged, "person.tsv", person, 12, "extract");
    items_init(&it);
    cr_assert_eq(items_load(&it, YJ_SOURCE_DIR "/mappings/schema-11", &err), YJ_OK, "%s",
                 err.message);
}

static void
teardown(void)
{
    items_release(&it);
    ut_rmtree(dir);
    free(dir);
    free(sent);
    free(now);
    free(staged);
    free(diff_path);
    free(golden);
}

/* Diffs SENT against NOW; returns the status, *csv the diff file (NULL if none). */
static int
run_diff(struct cld_diff *d, char **csv, struct yj_error *err)
{
    int rc;

    yj_error_init(err);
    cld_diff_init(d);
    rc = cld_diff_write(d, &it, sent, now, staged, "11", diff_path, err);
    *csv = ut_read(diff_path, NULL);
    return rc;
}

TestSuite(cldiff, .init = setup, .fini = teardown);

Test(cldiff, the_same_return_gives_only_the_header)
{
    struct cld_diff d;
    struct yj_error err;
    char *csv;

    folder(sent, "cld.xml", golden, 12, "transform");
    folder(now, "cld.xml", golden, 12, "transform");
    cr_assert_eq(run_diff(&d, &csv, &err), YJ_OK, "%s", err.message);
    cr_assert_str_eq(csv, "child,ypid,item,item_id,field,sent,now\n");
    cr_assert_eq(d.lines, 0);
    cr_assert_eq(d.children, 12);
    cr_assert_eq(d.children_differ, 0);
    cld_diff_release(&d);
    free(csv);
}

Test(cldiff, a_changed_field_a_missing_child_and_a_deletion_each_give_their_line)
{
    char *a = replaced(golden, "<sex>1</sex>", "<sex>2</sex>"), *b, *c;
    const char *second = strstr(strstr(a, "  <child>") + 1, "  <child>");
    const char *third = strstr(second + 1, "  <child>");
    struct cld_diff d;
    struct yj_error err;
    char *csv;
    size_t n = strlen(a) + 1;

    /* now: the first child's sex changed, the second child gone, one deletion notice */
    b = malloc(n);
    snprintf(b, n, "%.*s%s", (int)(second - a), a, third);
    c = replaced(b, "</cldReturn>",
                 "  <deletion>\n    <ypid>YPG0000099</ypid>\n  </deletion>\n"
                 "</cldReturn>");
    folder(sent, "cld.xml", golden, 12, "transform");
    folder(now, "cld.xml", c, 11, "transform");
    cr_assert_eq(run_diff(&d, &csv, &err), YJ_OK, "%s", err.message);
    cr_assert_str_eq(csv, "child,ypid,item,item_id,field,sent,now\n"
                          "101,YPG0000001,person,person,sex,1,2\n"
                          "-,YPG0000002,child,-,-,present,\n"
                          "-,YPG0000099,deletion,-,-,,present\n");
    cr_assert_eq(d.lines, 3);
    cr_assert_eq(d.children, 11);
    cr_assert_eq(d.children_differ, 1);
    cr_assert_eq(d.only_sent, 1);
    cr_assert_eq(d.only_now, 0);
    cr_assert_eq(d.nstats, 3);
    cr_assert_str_eq(d.stats[0].key, "person.sex");
    cr_assert_str_eq(d.stats[1].key, "child");
    cr_assert_str_eq(d.stats[2].key, "deletion");
    cld_diff_release(&d);
    free(csv);
    free(a);
    free(b);
    free(c);
}

Test(cldiff, refuses_a_side_that_is_not_a_return_of_the_bundle)
{
    char *other = replaced(golden, "urn:yjreturns:cld:schema-11\"", "urn:example:other\"");
    struct cld_diff d;
    struct yj_error err;
    char *csv, *want, *p = ut_path(sent, "cld.xml");
    size_t n = strlen(p) + 200;

    folder(sent, "cld.xml", other, 12, "transform");
    folder(now, "cld.xml", golden, 12, "transform");
    cr_assert_eq(run_diff(&d, &csv, &err), YJ_EX_DATAERR, "%s", err.message);
    want = malloc(n);
    snprintf(want, n,
             "return file '%s': the root element is not in the namespace "
             "urn:yjreturns:cld:schema-11: not a return of schema 11",
             p);
    cr_assert_str_eq(err.message, want);
    cr_assert_null(csv, "a refused diff leaves no diff file");
    cld_diff_release(&d);
    free(want);
    free(other);
    free(p);
}

Test(cldiff, refuses_a_side_whose_children_differ_from_its_manifest)
{
    struct cld_diff d;
    struct yj_error err;
    char *csv, *want, *p = ut_path(now, "cld.xml");
    size_t n = strlen(p) + 200;

    folder(sent, "cld.xml", golden, 12, "transform");
    folder(now, "cld.xml", golden, 13, "transform");
    cr_assert_eq(run_diff(&d, &csv, &err), YJ_EX_DATAERR, "%s", err.message);
    want = malloc(n);
    snprintf(want, n, "return file '%s' holds 12 children; its MANIFEST lists 13", p);
    cr_assert_str_eq(err.message, want);
    cr_assert_null(csv);
    cld_diff_release(&d);
    free(want);
    free(p);
}
