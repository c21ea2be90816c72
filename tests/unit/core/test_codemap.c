/*
 * test_codemap.c - code-list maps from local codes to YJB codes (etl/core/codemap.c).
 *
 * A map decides what the YJB is told about a child, so a code is found exactly or not at
 * all (NULL, never a guess), and a broken map file is refused with an error naming the file
 * and what is wrong with it. The real maps of the schema-11 bundle must load, and must cover
 * every local code sql/warehouse/010_schema.sql lists for the reference case system.
 */
#include "codemap.h"

#include "sha256.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <glob.h>
#include <string.h>

static char *dir;
static char *path;

static void
setup(void)
{
    dir = ut_mkdtemp();
    path = ut_path(dir, "legal_outcome.csv");
}

static void
teardown(void)
{
    ut_rmtree(dir);
    free(path);
    free(dir);
}

TestSuite(codemap, .init = setup, .fini = teardown);

static const char three_columns[] = "# legal outcome: local code to legalOutcome and group\n"
                                    "\n"
                                    "local,yjb,group\n"
                                    "# pre-court first\n"
                                    "YC, YOUTH_CAUTION ,Pre-Court\n"
                                    "CR,COMMUNITY_RESOLUTION,Pre-Court\n"
                                    "RO,REFERRAL_ORDER,First-tier\n"
                                    "UNK,UNKNOWN,\n";

/* Loads text as the map and expects a data error with exactly msg_tail after
 * "mapping '<path>'". */
static void
assert_refused(const char *text, const char *msg_tail)
{
    struct codemap map;
    struct yj_error err;
    char expected[2048];

    ut_write(path, text);
    codemap_init(&map);
    yj_error_init(&err);
    cr_assert_eq(codemap_load(&map, path, &err), YJ_EX_DATAERR, "accepted:\n%s", text);
    snprintf(expected, sizeof(expected), "mapping '%s'%s", path, msg_tail);
    cr_assert_str_eq(err.message, expected);
    codemap_release(&map);
}

Test(codemap, loads_a_three_column_map_with_comments)
{
    struct codemap map;
    struct yj_error err;
    char want[SHA256_HEX_LEN + 1];
    unsigned long long bytes;

    ut_write(path, three_columns);
    codemap_init(&map);
    yj_error_init(&err);
    cr_assert_eq(codemap_load(&map, path, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(map.ncols, 3);
    cr_assert_eq(map.nrows, 4);
    cr_assert_str_eq(map.name, "legal_outcome.csv");
    cr_assert_str_eq(map.path, path);
    cr_assert_eq(sha256_file(path, want, &bytes), 0);
    cr_assert_str_eq(map.sha256, want);
    codemap_release(&map);
}

Test(codemap, lookup_returns_the_yjb_code_and_further_columns)
{
    struct codemap map;
    struct yj_error err;
    const char *const *v;

    ut_write(path, three_columns);
    codemap_init(&map);
    yj_error_init(&err);
    cr_assert_eq(codemap_load(&map, path, &err), YJ_OK, "%s", err.message);
    v = codemap_lookup(&map, "RO");
    cr_assert_not_null(v);
    cr_assert_str_eq(v[0], "REFERRAL_ORDER");
    cr_assert_str_eq(v[1], "First-tier");
    v = codemap_lookup(&map, "YC");
    cr_assert_not_null(v);
    cr_assert_str_eq(v[0], "YOUTH_CAUTION", "cells are trimmed");
    v = codemap_lookup(&map, "UNK");
    cr_assert_not_null(v);
    cr_assert_str_eq(v[1], "", "an empty group is kept as empty");
    for (const char *const *c = (const char *const[]){"CR", "YC", "RO", "UNK", NULL}; *c; c++)
        cr_assert_not_null(codemap_lookup(&map, *c), "'%s' not found", *c);
    codemap_release(&map);
}

Test(codemap, lookup_misses_return_null)
{
    struct codemap map;
    struct yj_error err;

    ut_write(path, three_columns);
    codemap_init(&map);
    yj_error_init(&err);
    cr_assert_eq(codemap_load(&map, path, &err), YJ_OK, "%s", err.message);
    cr_assert_null(codemap_lookup(&map, "XX9"));
    cr_assert_null(codemap_lookup(&map, "ro"), "codes are case-sensitive");
    cr_assert_null(codemap_lookup(&map, "R"), "no prefix matches");
    cr_assert_null(codemap_lookup(&map, "ROX"));
    cr_assert_null(codemap_lookup(&map, ""));
    cr_assert_null(codemap_lookup(&map, "local"), "the header is not a row");
    cr_assert_null(codemap_lookup(&map, "A"), "before the first code");
    cr_assert_null(codemap_lookup(&map, "ZZZ"), "after the last code");
    codemap_release(&map);
}

Test(codemap, column_indexes_values_by_header_name)
{
    struct codemap map;
    struct yj_error err;

    ut_write(path, three_columns);
    codemap_init(&map);
    yj_error_init(&err);
    cr_assert_eq(codemap_load(&map, path, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(codemap_column(&map, "yjb"), 0);
    cr_assert_eq(codemap_column(&map, "group"), 1);
    cr_assert_eq(codemap_column(&map, "local"), -1, "local is the key, not a value");
    cr_assert_eq(codemap_column(&map, "seriousness"), -1);
    codemap_release(&map);
}

Test(codemap, duplicate_local_code_is_refused_naming_the_code_and_both_lines)
{
    assert_refused("local,yjb\nG,GUILTY\nNG,NOT_GUILTY\nG,NOT_APPLICABLE\n",
                   " line 4: local code 'G' is already mapped on line 2");
}

Test(codemap, missing_file_is_no_input_naming_the_path)
{
    struct codemap map;
    struct yj_error err;
    char *missing = ut_path(dir, "sex.csv");
    char expected[2048];

    codemap_init(&map);
    yj_error_init(&err);
    cr_assert_eq(codemap_load(&map, missing, &err), YJ_EX_NOINPUT);
    snprintf(expected, sizeof(expected), "could not open mapping '%s': No such file or directory",
             missing);
    cr_assert_str_eq(err.message, expected);
    codemap_release(&map);
    free(missing);
}

Test(codemap, header_not_starting_with_local_yjb_is_refused_naming_the_line)
{
    assert_refused("# sex\ncode,yjb\nM,1\n", " line 2: header must start with 'local,yjb'");
}

Test(codemap, header_with_one_column_is_refused)
{
    assert_refused("local\nM\n", " line 1: header must start with 'local,yjb'");
}

Test(codemap, row_with_too_few_columns_is_refused_naming_the_line)
{
    assert_refused("# c\nlocal,yjb,group\nCR,COMMUNITY_RESOLUTION,Pre-Court\nRO,REFERRAL_ORDER\n",
                   " line 4: expected 3 columns with local and yjb codes");
}

Test(codemap, row_with_too_many_columns_is_refused_naming_the_line)
{
    assert_refused("local,yjb\nM,1\nF,2,extra\n",
                   " line 3: expected 2 columns with local and yjb codes");
}

Test(codemap, row_with_an_empty_yjb_code_is_refused_naming_the_line)
{
    assert_refused("local,yjb\nM,1\nF,\n", " line 3: expected 2 columns with local and yjb codes");
}

Test(codemap, quotes_are_refused_naming_the_line)
{
    assert_refused("local,yjb\n\"M\",1\n", " line 2: quotes are not allowed");
}

Test(codemap, file_with_only_comments_has_no_header)
{
    assert_refused("# nothing here\n\n", ": no header line");
}

Test(codemap, every_real_schema_11_map_loads)
{
    glob_t g;
    struct yj_error err;

    cr_assert_eq(glob(YJ_SOURCE_DIR "/mappings/schema-11/*.csv", 0, NULL, &g), 0,
                 "no maps under " YJ_SOURCE_DIR "/mappings/schema-11");
    cr_assert_geq(g.gl_pathc, 8, "only %zu maps", g.gl_pathc);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        struct codemap map;
        codemap_init(&map);
        yj_error_init(&err);
        cr_assert_eq(codemap_load(&map, g.gl_pathv[i], &err), YJ_OK, "%s", err.message);
        cr_assert_gt(map.nrows, 0, "'%s' has no rows", g.gl_pathv[i]);
        cr_assert_eq(codemap_column(&map, "yjb"), 0);
        codemap_release(&map);
    }
    globfree(&g);
}

/* Every local code the warehouse's comments list for these columns (sql/warehouse/010_schema.sql)
 * must be mapped by the bundle the pipeline ships. */
static void
assert_all_mapped(const char *file, const char *const *codes)
{
    struct codemap map;
    struct yj_error err;
    char p[1024];

    snprintf(p, sizeof(p), "%s/mappings/schema-11/%s", YJ_SOURCE_DIR, file);
    codemap_init(&map);
    yj_error_init(&err);
    cr_assert_eq(codemap_load(&map, p, &err), YJ_OK, "%s", err.message);
    for (; *codes; codes++) {
        const char *const *v = codemap_lookup(&map, *codes);
        cr_assert_not_null(v, "%s does not map '%s'", file, *codes);
        cr_assert_neq(v[0][0], '\0');
    }
    codemap_release(&map);
}

Test(codemap, real_maps_cover_every_documented_local_code)
{
    assert_all_mapped("sex.csv", (const char *const[]){"M", "F", "U", NULL});
    assert_all_mapped("ethnicity.csv",
                      (const char *const[]){"WBRI", "WIRI", "WIRT", "WROM", "WOTH", "MWBC", "MWBA",
                                            "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB",
                                            "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT", NULL});
    assert_all_mapped("offence_category.csv",
                      (const char *const[]){"VAP", "ROB", "DRG", "BUR", "THF", "VEH", "WPN", "ARS",
                                            "CDM", "MOT", "BRC", "SEX", "PUB", "OTH", NULL});
    assert_all_mapped("plea.csv", (const char *const[]){"G", "NG", "NP", "NA", NULL});
    assert_all_mapped("legal_outcome.csv",
                      (const char *const[]){"CR", "CRY", "O22", "YC", "YCC", "RO", "YRO", "DTO",
                                            "S250", "S254", "S259", "FINE", "CDIS", "ADIS", "UNK",
                                            "OTH", NULL});
    assert_all_mapped("appeal_status.csv", (const char *const[]){"CHG", "SUC", "UNS", NULL});
    assert_all_mapped("residence.csv", (const char *const[]){"L", "O", NULL});
    assert_all_mapped("disposal_type.csv",
                      (const char *const[]){"CR", "CRY", "O22", "YC", "YCC", "RO", "YRO", "DTOC",
                                            "DTOL", "S250", "S254", "S259", NULL});
}

Test(codemap, a_map_excel_saved_with_a_byte_order_mark_and_crlf_loads)
{
    struct codemap map;
    struct yj_error err;

    /* Excel's "CSV UTF-8": a BOM before the header, CRLF line ends */
    ut_write(path, "\xEF\xBB\xBFlocal,yjb,group\r\nYC,YOUTH_CAUTION,Pre-Court\r\n");
    codemap_init(&map);
    yj_error_init(&err);
    cr_assert_eq(codemap_load(&map, path, &err), YJ_OK, "%s", err.message);
    cr_assert_str_eq(map.colnames[0], "local");
    cr_assert_eq(map.nrows, 1);
    cr_assert_str_eq(map.rows[0].values[1], "Pre-Court");
    codemap_release(&map);
}

Test(codemap, a_nul_byte_is_named_not_a_line_too_long)
{
    static const char text[] = "local,yjb\nYC,YOUTH\0CAUTION\n";
    struct codemap map;
    struct yj_error err;
    char want[2048];

    ut_write_bytes(path, text, sizeof(text) - 1);
    codemap_init(&map);
    yj_error_init(&err);
    cr_assert_eq(codemap_load(&map, path, &err), YJ_EX_DATAERR);
    snprintf(want, sizeof(want), "mapping '%s' line 2: holds a NUL byte: not a text file", path);
    cr_assert_str_eq(err.message, want);
    codemap_release(&map);
}
