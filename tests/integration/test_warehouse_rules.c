/*
 * test_warehouse_rules.c - the return's rules as the warehouse defines them once
 * (sql/warehouse/025_return.sql, docs/design.md "Warehouse"), read by the queries of
 * sql/extract/: which rows of a table are in the return, a link kept only to a row of the
 * return, a row under an offence kept only with it, the screening of one kind, the defaults
 * that read yj-extract's settings, and every query planned as one inlined query.
 *
 * Each test inserts its own rows (ids from 990000001, far above the harness's children) into
 * the harness warehouse inside a transaction it rolls back, so no other test sees them.
 */
#include "support.h"

#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Two children in the return (first contact before 2025Q1 ends) and one offence each. */
#define CHILDREN                                                                                   \
    "INSERT INTO cms.young_person (yp_id, ypid, first_contact_date) VALUES"                        \
    " (990000001, 'YP99000001', '2025-01-01'), (990000002, 'YP99000002', '2025-01-01');"           \
    "INSERT INTO cms.offence (offence_id, yp_id, offence_date) VALUES"                             \
    " (990000101, 990000001, '2025-05-01'), (990000102, 990000002, '2025-05-01'),"                 \
    " (990000103, 990000001, '2025-08-01');"

/* Runs psql as the superuser with each of SQL as its own -c in one session (so a BEGIN holds
 * for the commands after it), tuples only, unaligned; asserts success; returns stdout. */
static char *
psql_session(const char *const sql[], size_t n)
{
    const char *argv[32] = {"/usr/bin/psql",
                            "-X",
                            "-q",
                            "-t",
                            "-A",
                            "-v",
                            "ON_ERROR_STOP=1",
                            "-d",
                            env_get("YJ_TEST_CONNINFO")};
    size_t k = 9;
    struct cmd_result r;
    char *out;

    cr_assert(k + 2 * n < sizeof(argv) / sizeof(argv[0]));
    for (size_t i = 0; i < n; i++) {
        argv[k++] = "-c";
        argv[k++] = sql[i];
    }
    argv[k] = NULL;
    r = run_cmd(argv);
    cr_assert_eq(r.status, 0, "psql failed: %s", r.err);
    out = r.out;
    r.out = NULL;
    cmd_result_free(&r);
    return out;
}

/* Inserts CHILDREN and ROWS in a transaction, prints QUERY's rows, rolls back. */
static char *
with_rows(const char *rows, const char *query)
{
    const char *sql[] = {"BEGIN", CHILDREN, rows, query, "ROLLBACK"};

    return psql_session(sql, sizeof(sql) / sizeof(sql[0]));
}

Test(warehouse, a_link_names_only_a_row_of_the_same_child_in_the_period)
{
    /* programmes: 11 of child 1 in the period, 12 of child 1 after it, 13 of child 2 */
    char *out = with_rows(
        "INSERT INTO cms.programme (programme_id, yp_id, start_date) VALUES"
        " (990000011, 990000001, '2025-05-01'), (990000012, 990000001, '2025-08-01'),"
        " (990000013, 990000002, '2025-05-01');"
        "INSERT INTO cms.assessment (assessment_id, yp_id, programme_id, assessment_date) VALUES"
        " (990000021, 990000001, 990000011, '2025-05-10'),"
        " (990000022, 990000001, 990000012, '2025-05-10'),"
        " (990000023, 990000001, 990000013, '2025-05-10'),"
        " (990000024, 990000001, 990000011, '2025-07-01');",
        "SELECT a.assessment_id, a.programme_id"
        "  FROM cms_asof.assessment_in_return(now(), '2025-06-30') AS a"
        " WHERE a.yp_id = 990000001 ORDER BY 1");

    cr_assert_str_eq(out, "990000021|990000011\n990000022|\n990000023|\n");
    free(out);
}

Test(warehouse, a_row_under_an_offence_is_kept_only_with_its_offence_of_the_same_child)
{
    /* victims: 31 of offence 101 (child 1), 32 of offence 102 but recorded under child 1, 33 of
     * offence 103 (after the period), 34 of offence 101 contacted after the period */
    char *out =
        with_rows("INSERT INTO cms.victim (victim_id, yp_id, offence_id, contact_date) VALUES"
                  " (990000031, 990000001, 990000101, '2025-05-02'),"
                  " (990000032, 990000001, 990000102, '2025-05-02'),"
                  " (990000033, 990000001, 990000103, '2025-05-02'),"
                  " (990000034, 990000001, 990000101, '2025-07-02');",
                  "SELECT v.victim_id, v.offence_id"
                  "  FROM cms_asof.victim_in_return(now(), '2025-06-30') AS v"
                  " WHERE v.victim_id >= 990000000 ORDER BY 1");

    cr_assert_str_eq(out, "990000031|990000101\n");
    free(out);
}

Test(warehouse, a_screening_is_of_the_kind_asked_for_and_the_defaults_read_the_settings)
{
    /* the same id in both tables; yj.as_of and yj.period_end set as yj-extract sets them */
    char *out = with_rows(
        "INSERT INTO cms.mh_screening (mh_screening_id, yp_id, screened_date, intervention_cd)"
        " VALUES (990000041, 990000001, '2025-05-03', 'MH'),"
        " (990000042, 990000001, '2025-07-03', 'MH');"
        "INSERT INTO cms.sm_screening (sm_screening_id, yp_id, screened_date, intervention_cd)"
        " VALUES (990000041, 990000001, '2025-05-04', 'SM');"
        "SELECT set_config('yj.as_of', now()::text, true),"
        " set_config('yj.period_end', '2025-06-30', true);",
        "SELECT s.*, k.kind FROM (VALUES ('mh'), ('sm')) AS k (kind),"
        " cms_asof.screening_in_return(k.kind) AS s"
        " WHERE s.yp_id = 990000001 ORDER BY k.kind");

    /* the set_config line, then one screening of each kind */
    cr_assert(strstr(out, "|2025-06-30\n990000001|990000041|2025-05-03|||||MH|mh\n"
                          "990000001|990000041|2025-05-04|||||SM|sm\n"),
              "%s", out);
    free(out);
}

Test(warehouse, every_extract_query_is_planned_with_the_functions_inlined)
{
    glob_t g;

    cr_assert_eq(glob(YJ_SOURCE_DIR "/sql/extract/*.sql", 0, NULL, &g), 0);
    cr_assert_eq(g.gl_pathc, 20);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char *query = read_file(g.gl_pathv[i], NULL);
        char *explain = malloc(strlen(query) + 32);
        const char *sql[] = {"SELECT set_config('yj.as_of', now()::text, false),"
                             " set_config('yj.period_end', '2025-06-30', false)",
                             explain};
        char *plan;

        cr_assert(query && explain);
        snprintf(explain, strlen(query) + 32, "EXPLAIN (COSTS OFF) %s", query);
        plan = psql_session(sql, 2);
        /* a function left as a Function Scan would be run whole, its result materialized:
         * STRICT, a SET clause or a sub-select argument stops the planner inlining it */
        cr_assert(!strstr(plan, "Function Scan"), "%s:\n%s", g.gl_pathv[i], plan);
        free(plan);
        free(explain);
        free(query);
    }
    globfree(&g);
}
