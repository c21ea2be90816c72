/*
 * test_staged.c - the staged-file reader (etl/core/staged.c).
 *
 * Each test builds a staged file and its MANIFEST in a temporary folder, as yj-extract
 * would, and reads it back the way yj-transform does: manifest_read, then staged_reader.
 * Good files decode COPY text (NULL as a NULL pointer, backslash escapes) and parse
 * child_id numerically. A file that was changed, cut short, misordered or malformed must be
 * an I/O error (exit 74) naming the file and line, never a shorter return.
 */
#include "staged.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <string.h>

UT_SCRATCH_SUITE(staged);

#define HEADER "child_id\tname\tnote\n"

static const char good_rows[] = "1\tAnn\t\\N\n"
                                "2\tline\\none\tx\\ty\n"
                                "2\tback\\\\slash\tcr\\r\n"
                                "10\t\\N\t\n";

/* Writes DIR/name with header + rows, and a MANIFEST recording it (rows counted from the
 * data, sha256 and bytes of the whole file), then reads the manifest back into m. */
static void
stage(const char *name, const char *content, struct manifest *m)
{
    char *p = ut_path(dir, name), *mp = ut_path(dir, "MANIFEST");
    const char *data = strchr(content, '\n');
    char hex[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
    struct manifest w;
    struct yj_error err;

    ut_write(p, content);
    cr_assert_eq(sha256_file(p, hex, &bytes), 0);
    manifest_init(&w);
    manifest_set(&w, "stage", "extract");
    manifest_add_file(&w, name, data ? staged_count_rows(data + 1, strlen(data + 1)) : 0, bytes,
                      hex);
    yj_error_init(&err);
    cr_assert_eq(manifest_write(&w, mp, &err), YJ_OK, "%s", err.message);
    manifest_release(&w);
    manifest_init(m);
    cr_assert_eq(manifest_read(m, mp, NULL, &err), YJ_OK, "%s", err.message);
    free(p);
    free(mp);
}

/* Reads every row of name; returns the status of the first failure (or YJ_OK) with the
 * number of rows seen before it in *rows. */
static int
read_all(const char *name, const struct manifest *m, int *rows, struct yj_error *err)
{
    struct staged_reader r;
    int rc;

    *rows = 0;
    staged_reader_init(&r);
    yj_error_init(err);
    rc = staged_reader_open(&r, dir, name, m, err);
    while (rc == YJ_OK && r.have_row) {
        (*rows)++;
        rc = staged_reader_next(&r, err);
    }
    staged_reader_release(&r);
    return rc;
}

static void
rewrite(const char *name, const char *content)
{
    char *p = ut_path(dir, name);

    ut_write(p, content);
    free(p);
}

Test(staged, reads_every_row_decoding_nulls_and_escapes)
{
    struct manifest m;
    struct staged_reader r;
    struct yj_error err;
    int idx = -1;

    stage("person.tsv",
          HEADER "1\tAnn\t\\N\n"
                 "2\tline\\none\tx\\ty\n"
                 "2\tback\\\\slash\tcr\\r\n"
                 "10\t\\N\t\n",
          &m);
    staged_reader_init(&r);
    yj_error_init(&err);
    cr_assert_eq(staged_reader_open(&r, dir, "person.tsv", &m, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(r.ncols, 3);
    cr_assert_str_eq(r.colnames[0], "child_id");
    cr_assert_str_eq(r.colnames[2], "note");
    cr_assert_eq(staged_reader_column(&r, "note", &idx, &err), YJ_OK);
    cr_assert_eq(idx, 2);

    cr_assert(r.have_row);
    cr_assert_eq(r.child_id, 1);
    cr_assert_str_eq(r.fields[1], "Ann");
    cr_assert_null(r.fields[2], "\\N is SQL NULL");

    cr_assert_eq(staged_reader_next(&r, &err), YJ_OK, "%s", err.message);
    cr_assert(r.have_row);
    cr_assert_eq(r.child_id, 2);
    cr_assert_str_eq(r.fields[1], "line\none");
    cr_assert_str_eq(r.fields[2], "x\ty");

    cr_assert_eq(staged_reader_next(&r, &err), YJ_OK, "%s", err.message);
    cr_assert(r.have_row);
    cr_assert_eq(r.child_id, 2);
    cr_assert_str_eq(r.fields[1], "back\\slash");
    cr_assert_str_eq(r.fields[2], "cr\r");

    cr_assert_eq(staged_reader_next(&r, &err), YJ_OK, "%s", err.message);
    cr_assert(r.have_row);
    cr_assert_eq(r.child_id, 10, "child_id is a number: 10 comes after 2");
    cr_assert_null(r.fields[1]);
    cr_assert_not_null(r.fields[2], "an empty field is an empty string, not NULL");
    cr_assert_str_eq(r.fields[2], "");
    cr_assert_eq(r.lineno, 5);

    cr_assert_eq(staged_reader_next(&r, &err), YJ_OK, "%s", err.message);
    cr_assert_not(r.have_row, "the verified end of the file");
    cr_assert_eq(r.rows, 4);
    cr_assert_eq(staged_reader_next(&r, &err), YJ_OK, "next after the end stays at the end");
    cr_assert_not(r.have_row);
    staged_reader_release(&r);
    manifest_release(&m);
}

Test(staged, header_only_file_has_no_rows)
{
    struct manifest m;
    struct yj_error err;
    int rows;

    stage("programme_offence.tsv", "child_id\tprogramme_id\toffence_id\n", &m);
    cr_assert_eq(read_all("programme_offence.tsv", &m, &rows, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(rows, 0);
    manifest_release(&m);
}

Test(staged, unknown_column_is_an_error_naming_file_and_column)
{
    struct manifest m;
    struct staged_reader r;
    struct yj_error err;
    int idx = 7;

    stage("person.tsv", HEADER "1\ta\tb\n", &m);
    staged_reader_init(&r);
    yj_error_init(&err);
    cr_assert_eq(staged_reader_open(&r, dir, "person.tsv", &m, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(staged_reader_column(&r, "ypid", &idx, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "staged file 'person.tsv' has no column 'ypid'");
    cr_assert_eq(idx, 7);
    staged_reader_release(&r);
    manifest_release(&m);
}

Test(staged, a_changed_byte_fails_the_sha256_check)
{
    struct manifest m;
    struct yj_error err;
    int rows;

    stage("person.tsv", HEADER "1\tAnn\t\\N\n2\tBob\tx\n", &m);
    rewrite("person.tsv", HEADER "1\tAnn\t\\N\n2\tBoc\tx\n");
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message,
                     "staged file 'person.tsv' is corrupt: SHA-256 does not match the manifest");
    ut_assert_contains(err.detail, m.files[0].sha256);
    ut_assert_contains(err.hint, "yj-extract");
    cr_assert_eq(rows, 2, "the change is only found at the end");
    manifest_release(&m);
}

Test(staged, a_missing_last_row_fails_the_row_count_check)
{
    struct manifest m;
    struct yj_error err;
    int rows;

    stage("person.tsv", HEADER "1\tAnn\t\\N\n2\tBob\tx\n3\tCy\ty\n", &m);
    rewrite("person.tsv", HEADER "1\tAnn\t\\N\n2\tBob\tx\n");
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "staged file 'person.tsv' is corrupt: 2 rows, manifest says 3");
    manifest_release(&m);
}

Test(staged, a_row_cut_mid_line_is_a_truncated_row)
{
    struct manifest m;
    struct yj_error err;
    int rows;

    stage("person.tsv", HEADER "1\tAnn\t\\N\n2\tBob\tx\n", &m);
    rewrite("person.tsv", HEADER "1\tAnn\t\\N\n2\tBo");
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message,
                     "staged file 'person.tsv' line 3: truncated row (no end of line)");
    manifest_release(&m);
}

Test(staged, rows_out_of_child_order_are_refused_naming_the_line)
{
    struct manifest m;
    struct yj_error err;
    int rows;

    stage("offence.tsv", HEADER "3\ta\tb\n5\ta\tb\n4\ta\tb\n", &m);
    cr_assert_eq(read_all("offence.tsv", &m, &rows, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "staged file 'offence.tsv' line 4: rows are not ordered by "
                                  "child_id (4 after 5)");
    cr_assert_eq(rows, 2);
    manifest_release(&m);
}

Test(staged, wrong_field_count_is_refused_naming_the_line)
{
    struct manifest m;
    struct yj_error err;
    int rows;

    stage("person.tsv", HEADER "1\ta\tb\n2\ta\n", &m);
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "staged file 'person.tsv' line 3: 2 fields, header has 3");
    manifest_release(&m);
}

Test(staged, too_many_fields_are_refused_naming_the_line)
{
    struct manifest m;
    struct yj_error err;
    int rows;

    stage("person.tsv", HEADER "1\ta\tb\tc\n", &m);
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "staged file 'person.tsv' line 2: 4 fields, header has 3");
    manifest_release(&m);
}

Test(staged, bad_escape_in_a_row_names_the_line_and_column)
{
    struct manifest m;
    struct yj_error err;
    int rows;

    stage("person.tsv", HEADER "1\ta\\qb\tc\n", &m);
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "staged file 'person.tsv' line 2 field 'name': bad escape");
    manifest_release(&m);
}

Test(staged, null_or_non_numeric_child_id_is_refused)
{
    struct manifest m;
    struct yj_error err;
    int rows;

    stage("person.tsv", HEADER "\\N\ta\tb\n", &m);
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "staged file 'person.tsv' line 2: child_id is NULL");
    manifest_release(&m);

    stage("person.tsv", HEADER "12a\ta\tb\n", &m);
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "staged file 'person.tsv' line 2: child_id is not a number");
    manifest_release(&m);
}

Test(staged, a_negative_child_id_is_a_data_error_not_a_corrupt_file)
{
    struct manifest m;
    struct yj_error err;
    int rows;

    /* the file is as the warehouse holds it (a bigint key may be negative): re-extracting
     * cannot help, so it is 65 naming the file, line and column, never "not a number" (74) */
    stage("person.tsv", HEADER "-7\ta\tb\n", &m);
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_EX_DATAERR);
    cr_assert_str_eq(err.message, "staged file 'person.tsv' line 2: child_id is negative: a "
                                  "child's warehouse id is a whole number from 0");
    cr_assert_str_eq(err.hint, "correct the child's id in the warehouse, then run again");
    manifest_release(&m);
}

Test(staged, first_column_must_be_child_id)
{
    struct manifest m;
    struct yj_error err;
    int rows;

    stage("person.tsv", "ypid\tchild_id\nY1\t1\n", &m);
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_EX_IOERR);
    cr_assert_str_eq(
        err.message,
        "staged file 'person.tsv' line 1: first column is 'ypid', expected 'child_id'");
    manifest_release(&m);
}

Test(staged, file_not_in_the_manifest_is_refused)
{
    struct manifest m;
    struct yj_error err;
    char expected[2048];
    int rows;

    stage("person.tsv", HEADER "1\ta\tb\n", &m);
    rewrite("outcome.tsv", HEADER "1\ta\tb\n");
    cr_assert_eq(read_all("outcome.tsv", &m, &rows, &err), YJ_EX_IOERR);
    snprintf(expected, sizeof(expected),
             "staged file 'outcome.tsv' is not listed in the manifest of '%s'", dir);
    cr_assert_str_eq(err.message, expected);
    manifest_release(&m);
}

Test(staged, missing_file_listed_in_the_manifest_is_no_input)
{
    struct manifest m;
    struct yj_error err;
    char expected[2048];
    char *p = ut_path(dir, "person.tsv");
    int rows;

    stage("person.tsv", HEADER "1\ta\tb\n", &m);
    cr_assert_eq(unlink(p), 0);
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_EX_NOINPUT);
    snprintf(expected, sizeof(expected),
             "could not open staged file '%s': No such file or directory", p);
    cr_assert_str_eq(err.message, expected);
    free(p);
    manifest_release(&m);
}

Test(staged, empty_file_has_no_header)
{
    struct manifest m;
    struct yj_error err;
    int rows;

    stage("person.tsv", "", &m);
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "staged file 'person.tsv' is empty: no header line");
    manifest_release(&m);
}

Test(staged, unescape_decodes_copy_escapes_in_place)
{
    char s[] = "a\\tb\\nc\\rd\\\\e\\bf\\fg\\vh";

    cr_assert_eq(staged_unescape(s), 0);
    cr_assert_str_eq(s, "a\tb\nc\rd\\e\bf\fg\vh");
}

Test(staged, unescape_leaves_plain_text_alone)
{
    char s[] = "plain text, no escapes";

    cr_assert_eq(staged_unescape(s), 0);
    cr_assert_str_eq(s, "plain text, no escapes");
}

Test(staged, unescape_rejects_an_unknown_escape)
{
    char s[] = "a\\qb";

    cr_assert_eq(staged_unescape(s), -1);
}

Test(staged, unescape_rejects_a_trailing_backslash)
{
    char s[] = "abc\\";

    cr_assert_eq(staged_unescape(s), -1);
}

Test(staged, count_rows_counts_newlines)
{
    cr_assert_eq(staged_count_rows(good_rows, strlen(good_rows)), 4);
    cr_assert_eq(staged_count_rows("", 0), 0);
    cr_assert_eq(staged_count_rows("1\ta\n2\tb", 8), 1, "an unterminated row is not counted");
}

Test(staged, a_staged_format_newer_than_the_reader_is_refused_before_a_row)
{
    struct manifest m;
    struct yj_error err;
    char *mp = ut_path(dir, "MANIFEST"), want[1024];
    int rows;

    stage("person.tsv", "child_id\tname\tnote\n1\tAnn\t\\N\n", &m);
    /* yj-extract writes its version; one written before had none: both are read */
    manifest_set(&m, "format.yjreturns-staged", "1");
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(rows, 1);
    manifest_release(&m);
    stage("person.tsv", "child_id\tname\tnote\n1\tAnn\t\\N\n", &m);
    manifest_release(&m);
    {
        /* the MANIFEST as a newer yj-extract would write it */
        char *text = ut_read(mp, NULL), *out = NULL;
        size_t n = strlen(text) + 64;
        out = malloc(n);
        snprintf(out, n, "yjreturns-manifest 1\nformat.yjreturns-staged 2\n%s",
                 text + strlen("yjreturns-manifest 1\n"));
        ut_write(mp, out);
        free(out);
        free(text);
    }
    manifest_init(&m);
    cr_assert_eq(manifest_read(&m, mp, NULL, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(read_all("person.tsv", &m, &rows, &err), YJ_EX_DATAERR);
    cr_assert_eq(rows, 0);
    snprintf(want, sizeof(want),
             "'%s' line 2: format yjreturns-staged 2 is newer than this yjreturns reads "
             "(yjreturns-staged 1)",
             mp);
    cr_assert_str_eq(err.message, want);
    manifest_release(&m);
    free(mp);
}

/* Collects what staged_reader_skip hands over: "Ann,-,line\none," for Ann, NULL, ... */
static void
collect(void *ctx, const char *value)
{
    char *buf = ctx;
    size_t n = strlen(buf);

    snprintf(buf + n, 256 - n, "%s,", value ? value : "-");
}

Test(staged, skipping_rows_lands_on_the_row_after_them_and_hands_over_one_column)
{
    struct manifest m;
    struct staged_reader r;
    struct yj_error err;
    char seen[256] = "";

    stage("person.tsv", HEADER "1\tAnn\t\\N\n2\tline\\none\tx\n3\t\\N\ty\n4\tDee\tz\n", &m);
    staged_reader_init(&r);
    cr_assert_eq(staged_reader_open(&r, dir, "person.tsv", &m, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(staged_reader_skip(&r, 0, 1, collect, seen, &err), YJ_OK);
    cr_assert_eq(r.child_id, 1, "0 rows: stays");
    cr_assert_eq(staged_reader_skip(&r, 3, 1, collect, seen, &err), YJ_OK, "%s", err.message);
    cr_assert_str_eq(seen, "Ann,line\none,-,");
    cr_assert(r.have_row);
    cr_assert_eq(r.child_id, 4);
    cr_assert_str_eq(r.fields[1], "Dee");
    cr_assert_eq(r.lineno, 5);
    cr_assert_eq(staged_reader_next(&r, &err), YJ_OK, "%s", err.message);
    cr_assert(!r.have_row, "the end, verified");
    staged_reader_release(&r);

    /* without a column: the same row, nothing handed over; past the end: verified */
    staged_reader_init(&r);
    cr_assert_eq(staged_reader_open(&r, dir, "person.tsv", &m, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(staged_reader_skip(&r, 2, 0, NULL, NULL, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(r.child_id, 3);
    cr_assert_null(r.fields[1]);
    cr_assert_eq(staged_reader_skip(&r, 5, 0, NULL, NULL, &err), YJ_OK, "%s", err.message);
    cr_assert(!r.have_row);
    staged_reader_release(&r);
    manifest_release(&m);
}

Test(staged, a_changed_row_skipped_or_finished_over_still_fails_the_checks)
{
    struct manifest m;
    struct staged_reader r;
    struct yj_error err;
    char seen[256] = "";

    stage("person.tsv", HEADER "1\tAnn\t\\N\n2\tBob\tx\n3\tCy\ty\n", &m);
    rewrite("person.tsv", HEADER "1\tAnn\t\\N\n2\tBoc\tx\n3\tCy\ty\n");
    staged_reader_init(&r);
    cr_assert_eq(staged_reader_open(&r, dir, "person.tsv", &m, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(staged_reader_skip(&r, 2, 0, NULL, NULL, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(staged_reader_finish(&r, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message,
                     "staged file 'person.tsv' is corrupt: SHA-256 does not match the manifest");
    staged_reader_release(&r);

    rewrite("person.tsv", HEADER "1\tAnn\t\\N\n2\tBob\tx\n");
    staged_reader_init(&r);
    cr_assert_eq(staged_reader_open(&r, dir, "person.tsv", &m, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(staged_reader_skip(&r, 4, 1, collect, seen, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "staged file 'person.tsv' is corrupt: 2 rows, manifest says 3");
    staged_reader_release(&r);

    rewrite("person.tsv", HEADER "1\tAnn\t\\N\n2\tBob\tx\n3\tCy");
    staged_reader_init(&r);
    cr_assert_eq(staged_reader_open(&r, dir, "person.tsv", &m, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(staged_reader_finish(&r, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message,
                     "staged file 'person.tsv' line 4: truncated row (no end of line)");
    staged_reader_release(&r);
    manifest_release(&m);
}
