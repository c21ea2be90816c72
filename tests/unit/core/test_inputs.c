/*
 * test_inputs.c - the service-level inputs: the kpi/inputs.conf loader (etl/core/inputs.c)
 * and the staged reader on a service file (staged_reader_open_service).
 *
 * inputs.conf names each input and the exact columns of its query; a bad line or a name
 * given twice is a configuration error (78) naming the file and line. A service file
 * (staged/service/NAME.tsv) has no child_id and no order, but is checked against its
 * manifest row count and SHA-256 like any staged file: a changed file is 74.
 */
#include "inputs.h"
#include "staged.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <string.h>

UT_SCRATCH_SUITE(inputs);

/* Writes DIR/kpi/inputs.conf. */
static char *
write_conf(const char *text)
{
    char *kpi = ut_path(dir, "kpi"), *p;

    mkdir(kpi, 0755);
    p = ut_path(kpi, "inputs.conf");
    ut_write(p, text);
    free(kpi);
    return p;
}

/* Loads DIR's inputs.conf (required); returns the status, err filled. */
static int
load_text(const char *text, struct inputs *in, struct yj_error *err)
{
    free(write_conf(text));
    inputs_init(in);
    yj_error_init(err);
    return inputs_load(in, dir, 1, err);
}

Test(inputs, a_good_file_gives_each_input_its_columns_in_order)
{
    struct inputs in;
    struct yj_error err;
    const struct service_input *si;
    char *name;

    cr_assert_eq(load_text("# a comment\n"
                           "\n"
                           "board_attendance  quarter sector_cd attended_flag\r\n"
                           "   # an indented comment\n"
                           "\tpopulation\tyear  headcount\n",
                           &in, &err),
                 YJ_OK, "%s", err.message);
    cr_assert(in.present);
    cr_assert_eq(in.ninputs, 2);
    ut_assert_contains(in.path, "/kpi/inputs.conf");
    cr_assert_eq(strlen(in.sha256), SHA256_HEX_LEN);
    si = inputs_find(&in, "board_attendance");
    cr_assert_not_null(si);
    cr_assert_eq(si->line, 3);
    cr_assert_eq(si->ncolumns, 3);
    cr_assert_str_eq(si->columns[0], "quarter");
    cr_assert_str_eq(si->columns[2], "attended_flag");
    si = inputs_find(&in, "population");
    cr_assert_not_null(si);
    cr_assert_eq(si->line, 5);
    cr_assert_eq(si->ncolumns, 2);
    cr_assert_str_eq(si->columns[1], "headcount");
    cr_assert_null(inputs_find(&in, "missing"));
    name = inputs_staged_name("population");
    cr_assert_str_eq(name, "service/population.tsv");
    free(name);
    inputs_release(&in);
}

Test(inputs, the_real_bundle_lists_board_attendance_population_and_population_group)
{
    struct inputs in;
    struct yj_error err;
    const struct service_input *ba, *pop, *grp;
    const char *ba_cols[] = {"quarter", "sector_cd", "attended_flag", "senior_flag",
                             "new_partner_flag"};

    inputs_init(&in);
    yj_error_init(&err);
    cr_assert_eq(inputs_load(&in, YJ_SOURCE_DIR "/mappings/schema-11", 1, &err), YJ_OK, "%s",
                 err.message);
    cr_assert_eq(in.ninputs, 3);
    ba = inputs_find(&in, "board_attendance");
    pop = inputs_find(&in, "population");
    grp = inputs_find(&in, "population_group"); /* the board pack's (docs/indicators.md) */
    cr_assert(ba && pop && grp);
    cr_assert_eq(inputs_check_columns(&in, ba, "query", ba_cols, 5, YJ_EX_CONFIG, &err), YJ_OK,
                 "%s", err.message);
    cr_assert_eq(pop->ncolumns, 2);
    cr_assert_str_eq(pop->columns[0], "year");
    cr_assert_str_eq(pop->columns[1], "headcount");
    cr_assert_eq(grp->ncolumns, 4);
    cr_assert_str_eq(grp->columns[0], "year");
    cr_assert_str_eq(grp->columns[1], "age_band");
    cr_assert_str_eq(grp->columns[2], "ethnicity_group");
    cr_assert_str_eq(grp->columns[3], "headcount");
    inputs_release(&in);
}

Test(inputs, a_name_given_twice_is_refused_naming_both_lines)
{
    struct inputs in;
    struct yj_error err;

    cr_assert_eq(load_text("# inputs\n"
                           "population year headcount\n"
                           "board_attendance quarter\n"
                           "population year\n",
                           &in, &err),
                 YJ_EX_CONFIG);
    ut_assert_contains(err.message, "/kpi/inputs.conf line 4: input 'population' is already "
                                    "given on line 2");
    inputs_release(&in);
}

Test(inputs, bad_lines_are_refused_naming_file_and_line)
{
    static const struct {
        const char *text;
        const char *want;
    } cases[] = {
        {"# only a name\npopulation\n", "line 2: input 'population' has no columns"},
        {"population year Headcount\n", "line 1: 'Headcount' is not a valid column"},
        {"board-attendance quarter\n", "line 1: 'board-attendance' is not a valid input name"},
        {"population year # a trailing comment\n", "line 1: '#' is not a valid column"},
        {"\n\npopulation year year\n", "line 3: input 'population' lists column 'year' twice"},
        {"1population year\n", "line 1: '1population' is not a valid input name"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct inputs in;
        struct yj_error err;

        cr_assert_eq(load_text(cases[i].text, &in, &err), YJ_EX_CONFIG, "case %zu", i);
        ut_assert_contains(err.message, "/kpi/inputs.conf ");
        ut_assert_contains(err.message, cases[i].want);
        cr_assert_eq(in.ninputs, 0, "case %zu: a refused line adds nothing", i);
        inputs_release(&in);
    }
}

Test(inputs, a_missing_file_is_no_inputs_unless_required)
{
    struct inputs in;
    struct yj_error err;

    inputs_init(&in);
    yj_error_init(&err);
    cr_assert_eq(inputs_load(&in, dir, 0, &err), YJ_OK, "%s", err.message);
    cr_assert_not(in.present);
    cr_assert_eq(in.ninputs, 0);
    inputs_release(&in);

    inputs_init(&in);
    cr_assert_eq(inputs_load(&in, dir, 1, &err), YJ_EX_NOINPUT);
    ut_assert_contains(err.message, "could not open service inputs '");
    ut_assert_contains(err.message, "kpi/inputs.conf'");
    inputs_release(&in);
}

Test(inputs, columns_must_be_exactly_the_line_in_order)
{
    struct inputs in;
    struct yj_error err;
    const struct service_input *si;
    static const struct {
        const char *cols[4];
        int n;
        const char *want;
    } cases[] = {
        {{"year"}, 1, "query 'q.sql' has no column 'headcount' (column 2), which '"},
        {{"year", "headcount", "age"}, 3, "query 'q.sql' column 3 'age' is not listed by '"},
        {{"headcount", "year"}, 2, "query 'q.sql' column 1 is 'headcount', but '"},
        {{"year", "sex_cd"}, 2, "query 'q.sql' has no column 'headcount' (column 2)"},
        {{"year", "headcount", "year"}, 3, "query 'q.sql' column 3 'year' is selected twice"},
    };

    cr_assert_eq(load_text("\npopulation year headcount\n", &in, &err), YJ_OK, "%s", err.message);
    si = inputs_find(&in, "population");
    {
        const char *ok[] = {"year", "headcount"};
        cr_assert_eq(inputs_check_columns(&in, si, "query 'q.sql'", ok, 2, YJ_EX_CONFIG, &err),
                     YJ_OK);
    }
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        yj_error_init(&err);
        cr_assert_eq(inputs_check_columns(&in, si, "query 'q.sql'", cases[i].cols, cases[i].n,
                                          YJ_EX_CONFIG, &err),
                     YJ_EX_CONFIG, "case %zu", i);
        ut_assert_contains(err.message, cases[i].want);
        ut_assert_contains(err.message, "/kpi/inputs.conf' line 2");
        ut_assert_contains(err.hint, "in its order");
    }
    /* the code is the caller's: a staged file's header that disagrees is corrupt (74) */
    {
        const char *header[] = {"year"};
        cr_assert_eq(inputs_check_columns(&in, si, "staged file 'service/population.tsv'", header,
                                          1, YJ_EX_IOERR, &err),
                     YJ_EX_IOERR);
    }
    inputs_release(&in);
}

/* ---------------------------------------------------------------- service staged files */

#define SERVICE_FILE "service/board_attendance.tsv"
#define SERVICE_TEXT                                                                               \
    "quarter\tsector_cd\tattended_flag\n"                                                          \
    "2025Q1\tPOL\tt\n"                                                                             \
    "2025Q1\tCSC\t\\N\n"                                                                           \
    "2025Q1\tOTH\tf\n"

/* Writes DIR/service/board_attendance.tsv with TEXT and a MANIFEST listing it as ROWS rows
 * with the SHA-256 of MANIFEST_TEXT (the text the manifest was made from), read into m. */
static void
stage_service(const char *text, const char *manifest_text, long long rows_delta, struct manifest *m)
{
    char *sub = ut_path(dir, "service"), *p = ut_path(dir, SERVICE_FILE);
    char *mp = ut_path(dir, "MANIFEST");
    const char *data = strchr(manifest_text, '\n') + 1;
    char hex[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
    struct manifest w;
    struct yj_error err;

    mkdir(sub, 0755);
    ut_write(p, manifest_text);
    cr_assert_eq(sha256_file(p, hex, &bytes), 0);
    ut_write(p, text);
    manifest_init(&w);
    manifest_set(&w, "stage", "extract");
    manifest_add_file(
        &w, SERVICE_FILE,
        (unsigned long long)((long long)staged_count_rows(data, strlen(data)) + rows_delta), bytes,
        hex);
    yj_error_init(&err);
    cr_assert_eq(manifest_write(&w, mp, &err), YJ_OK, "%s", err.message);
    manifest_release(&w);
    manifest_init(m);
    cr_assert_eq(manifest_read(m, mp, NULL, &err), YJ_OK, "%s", err.message);
    free(sub);
    free(p);
    free(mp);
}

/* Reads every row of the service file; returns the first failure's status. */
static int
read_service(const struct manifest *m, int *rows, struct yj_error *err)
{
    struct staged_reader r;
    int rc;

    *rows = 0;
    staged_reader_init(&r);
    yj_error_init(err);
    rc = staged_reader_open_service(&r, dir, SERVICE_FILE, m, err);
    while (rc == YJ_OK && r.have_row) {
        (*rows)++;
        rc = staged_reader_next(&r, err);
    }
    staged_reader_release(&r);
    return rc;
}

Test(inputs, a_service_file_is_read_without_child_id_or_order)
{
    struct manifest m;
    struct staged_reader r;
    struct yj_error err;
    int idx = -1;

    stage_service(SERVICE_TEXT, SERVICE_TEXT, 0, &m);
    staged_reader_init(&r);
    yj_error_init(&err);
    cr_assert_eq(staged_reader_open_service(&r, dir, SERVICE_FILE, &m, &err), YJ_OK, "%s",
                 err.message);
    cr_assert_eq(r.ncols, 3);
    cr_assert_str_eq(r.colnames[0], "quarter");
    cr_assert_eq(staged_reader_column(&r, "sector_cd", &idx, &err), YJ_OK);
    cr_assert_eq(idx, 1);
    {
        struct inputs in;
        const char *const *cols = (const char *const *)r.colnames;
        cr_assert_eq(load_text("board_attendance quarter sector_cd attended_flag\n", &in, &err),
                     YJ_OK, "%s", err.message);
        cr_assert_eq(inputs_check_columns(&in, inputs_find(&in, "board_attendance"), "staged", cols,
                                          r.ncols, YJ_EX_IOERR, &err),
                     YJ_OK, "%s", err.message);
        inputs_release(&in);
    }
    cr_assert(r.have_row);
    cr_assert_str_eq(r.fields[1], "POL");
    cr_assert_eq(staged_reader_next(&r, &err), YJ_OK, "%s", err.message);
    cr_assert(r.have_row);
    cr_assert_str_eq(r.fields[1], "CSC");
    cr_assert_null(r.fields[2], "\\N is SQL NULL");
    cr_assert_eq(staged_reader_next(&r, &err), YJ_OK, "%s", err.message);
    cr_assert_str_eq(r.fields[1], "OTH");
    cr_assert_eq(staged_reader_next(&r, &err), YJ_OK, "%s", err.message);
    cr_assert_not(r.have_row, "the verified end of the file");
    cr_assert_eq(r.rows, 3);
    staged_reader_release(&r);

    /* the per-child reader refuses the same file: its first column is not child_id */
    staged_reader_init(&r);
    cr_assert_eq(staged_reader_open(&r, dir, SERVICE_FILE, &m, &err), YJ_EX_IOERR);
    ut_assert_contains(err.message, "expected 'child_id'");
    staged_reader_release(&r);
    manifest_release(&m);
}

Test(inputs, a_service_file_with_the_wrong_row_count_is_refused)
{
    struct manifest m;
    struct yj_error err;
    int rows;

    stage_service(SERVICE_TEXT, SERVICE_TEXT, 1, &m);
    cr_assert_eq(read_service(&m, &rows, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "staged file '" SERVICE_FILE "' is corrupt: 3 rows, manifest "
                                  "says 4");
    manifest_release(&m);
}

Test(inputs, a_service_file_with_a_changed_byte_is_refused)
{
    struct manifest m;
    struct yj_error err;
    int rows;
    char *changed = strdup(SERVICE_TEXT);

    *strstr(changed, "OTH") = 'E'; /* ETH */
    stage_service(changed, SERVICE_TEXT, 0, &m);
    cr_assert_eq(read_service(&m, &rows, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "staged file '" SERVICE_FILE "' is corrupt: SHA-256 does not "
                                  "match the manifest");
    cr_assert_eq(rows, 3, "the change is only found at the end");
    free(changed);
    manifest_release(&m);
}

Test(inputs, a_service_file_not_in_the_manifest_is_refused)
{
    struct manifest m;
    struct yj_error err;
    struct staged_reader r;

    stage_service(SERVICE_TEXT, SERVICE_TEXT, 0, &m);
    staged_reader_init(&r);
    yj_error_init(&err);
    cr_assert_eq(staged_reader_open_service(&r, dir, "service/population.tsv", &m, &err),
                 YJ_EX_IOERR);
    ut_assert_contains(err.message, "'service/population.tsv' is not listed in the manifest");
    staged_reader_release(&r);
    manifest_release(&m);
}
