/*
 * test_service_inputs.c - the service-level inputs yj-extract stages beside the children:
 * staged/service/board_attendance.tsv and staged/service/population.tsv, from the queries of
 * sql/service/ checked against the bundle's kpi/inputs.conf (docs/design.md "Service-level
 * inputs").
 *
 * Exact contents and as-of reads use databases of their own in the harness's cluster (a
 * fresh warehouse: the files of sql/warehouse/ and a few hand-inserted rows), dropped at the end,
 * so no other test's warehouse changes. Wrong queries and an older bundle use the main warehouse
 * with copies of the query folders or the mappings.
 */
#include "support.h"

#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BOARD_HEADER "quarter\tsector_cd\tattended_flag\tsenior_flag\tnew_partner_flag\n"
#define INPUTS_CONF YJ_SOURCE_DIR "/mappings/schema-11/kpi/inputs.conf"

/* CONNINFO with "dbname=FROM" replaced by "dbname=DB" (malloc'd). */
static char *
with_db(const char *conninfo, const char *db)
{
    const char *p = strstr(conninfo, "dbname=");
    size_t n;
    char *out;

    cr_assert(p, "no dbname in conninfo");
    n = strlen(conninfo) + strlen(db) + 1;
    out = malloc(n);
    cr_assert(out);
    snprintf(out, n, "%.*sdbname=%s%s", (int)(p - conninfo), conninfo, db,
             p + 7 + strcspn(p + 7, " "));
    return out;
}

/* Runs psql as the superuser on database DB with -c SQL or -f FILE; asserts success. */
static void
psql_db(const char *db, const char *opt, const char *arg)
{
    char *conn = with_db(env_get("YJ_TEST_CONNINFO"), db);
    const char *argv[] = {"/usr/bin/psql",   "-X", "-q", "-t", "-A", "-v",
                          "ON_ERROR_STOP=1", "-d", conn, opt,  arg,  NULL};
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, 0, "psql %s on %s failed: %s", opt, db, r.err);
    cmd_result_free(&r);
    free(conn);
}

/* A fresh, empty warehouse DB (every file of sql/warehouse/ applied); returns a config reading it
 * as yj_extract. */
static char *
fresh_warehouse(const char *db)
{
    char sql[256];
    glob_t g;
    char *conninfo, *conf;

    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", db);
    free(sql_exec(sql));
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
    free(sql_exec(sql));
    cr_assert_eq(glob(YJ_SOURCE_DIR "/sql/warehouse/*.sql", 0, NULL, &g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++)
        psql_db(db, "-f", g.gl_pathv[i]);
    globfree(&g);
    conninfo = with_db(env_get("YJ_TEST_GOLDEN_CONNINFO"), db);
    conf = config_variant(db, "conninfo", conninfo, NULL);
    free(conninfo);
    return conf;
}

static void
drop_warehouse(const char *db)
{
    char sql[256];

    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", db);
    free(sql_exec(sql));
}

/* Runs yj-extract for PERIOD (as of AS_OF unless NULL) into a new folder's staged/; returns
 * the result and sets *staged to that folder. */
static struct cmd_result
extract(const char *conf, const char *period, const char *as_of, char **staged)
{
    char *dir = temp_dir("service");
    const char *argv[] = {"yj-extract", "--config", conf,      "--period", period,
                          "--out",      NULL,       "--as-of", as_of,      NULL};
    struct cmd_result r;

    *staged = path2(dir, "staged");
    argv[6] = *staged;
    if (!as_of)
        argv[7] = NULL;
    r = run_cmd(argv);
    free(dir);
    return r;
}

static char *
extract_ok(const char *conf, const char *period, const char *as_of)
{
    char *staged;
    struct cmd_result r = extract(conf, period, as_of, &staged);

    cr_assert_eq(r.status, 0, "yj-extract exit %d; stderr:\n%s", r.status, r.err);
    cmd_result_free(&r);
    return staged;
}

/* Asserts that STAGED/NAME holds exactly WANT. */
static void
assert_staged(const char *staged, const char *name, const char *want)
{
    char *p = path2(staged, name);
    char *got = read_file(p, NULL);

    cr_assert(got, "no %s", p);
    cr_assert_str_eq(got, want, "%s:\n%s\nwant:\n%s", name, got, want);
    free(got);
    free(p);
}

static void
insert_rows(const char *db)
{
    psql_db(db, "-c",
            "INSERT INTO cms.board_attendance (board_attendance_id, quarter, meeting_date, "
            "sector_cd, attended_flag, senior_flag, new_partner_flag) VALUES "
            "(1, '2025Q1', '2025-05-10', 'POL', true, true, false),"
            "(2, '2025Q1', '2025-05-10', 'CSC', true, false, true),"
            "(3, '2025Q1', '2025-04-20', 'POL', false, false, NULL),"
            "(4, '2025Q2', '2025-08-01', 'CSC', true, true, false),"
            "(5, '2024Q4', '2025-02-01', 'EDU', true, true, false),"
            "(7, '2025Q1', '2025-05-10', 'POL', true, false, false),"
            "(8, '2025Q1', '2025-05-10', 'OTH', true, false, true)");
    psql_db(db, "-c",
            "INSERT INTO cms.population (year, age, sex_cd, ethnicity_group_cd, headcount) VALUES "
            "(2024, 9, 'M', 'W', 1000), (2024, 10, 'M', 'W', 100), (2024, 10, 'F', 'W', 200),"
            "(2024, 17, 'M', 'B', 300), (2024, 18, 'M', 'B', 5000), (2023, 12, 'F', 'A', 50)");
}

/* 2025Q1 only, ordered by sector, meeting date, then id (1 before 7); NULL is \N. */
#define BOARD_2025Q1                                                                               \
    BOARD_HEADER "2025Q1\tCSC\tt\tf\tt\n"                                                          \
                 "2025Q1\tOTH\tt\tf\tt\n"                                                          \
                 "2025Q1\tPOL\tf\tf\t\\N\n"                                                        \
                 "2025Q1\tPOL\tt\tt\tf\n"                                                          \
                 "2025Q1\tPOL\tt\tf\tf\n"
/* ages 10-17 only, one total per year */
#define POPULATION "year\theadcount\n2023\t50\n2024\t600\n"
/* the board pack's: ages 10-17 by band (10-14, 15-17) and ethnicity group, summed over sex */
#define POPULATION_GROUP                                                                           \
    "year\tage_band\tethnicity_group\theadcount\n"                                                 \
    "2023\t10-14\tA\t50\n"                                                                         \
    "2024\t10-14\tW\t300\n"                                                                        \
    "2024\t15-17\tB\t300\n"

Test(service_inputs, staged_files_hold_the_quarter_and_the_yearly_totals)
{
    char *conf = fresh_warehouse("yj_service_rows");
    char *staged, *manifest, *p;
    struct stat st;

    insert_rows("yj_service_rows");
    staged = extract_ok(conf, "2025Q1", NULL);
    assert_staged(staged, "service/board_attendance.tsv", BOARD_2025Q1);
    assert_staged(staged, "service/population.tsv", POPULATION);
    assert_staged(staged, "service/population_group.tsv", POPULATION_GROUP);
    free(staged);
    /* the quarter is the period's: 2025Q2 sees only its own row */
    staged = extract_ok(conf, "2025Q2", NULL);
    assert_staged(staged, "service/board_attendance.tsv", BOARD_HEADER "2025Q2\tCSC\tt\tt\tf\n");
    assert_staged(staged, "service/population.tsv", POPULATION);

    manifest = read_file((p = path2(staged, "MANIFEST")), NULL);
    free(p);
    cr_assert(manifest);
    cr_assert(strstr(manifest, "\nfile service/board_attendance.tsv rows 1 bytes "), "%s",
              manifest);
    cr_assert(strstr(manifest, "\nfile service/population.tsv rows 2 bytes "), "%s", manifest);
    cr_assert(strstr(manifest, "\ninputs_sha256 "), "%s", manifest);
    cr_assert(strstr(manifest, "\nservice_query_sha256.board_attendance "), "%s", manifest);
    cr_assert(strstr(manifest, "\nservice_query_sha256.population "), "%s", manifest);
    cr_assert(strstr(manifest, "\nfile person.tsv rows 0 "), "%s", manifest);
    /* service files are listed after every per-child file */
    cr_assert(strstr(manifest, "\nfile victim.tsv ") <
                  strstr(manifest, "\nfile service/board_attendance.tsv "),
              "%s", manifest);
    free(manifest);
    {
        const char *files[] = {"service/board_attendance.tsv", "service/population.tsv"};
        for (size_t i = 0; i < 2; i++) {
            p = path2(staged, files[i]);
            cr_assert_eq(stat(p, &st), 0, "%s", p);
            cr_assert_eq(st.st_mode & 0777, 0600, "%s has mode %o", files[i],
                         (unsigned)(st.st_mode & 0777));
            free(p);
        }
    }
    free(staged);
    free(conf);
    drop_warehouse("yj_service_rows");
}

Test(service_inputs, as_of_a_moment_before_a_change_reads_the_rows_recorded_then)
{
    char *conf = fresh_warehouse("yj_service_asof");
    char *as_of, *staged;

    insert_rows("yj_service_asof");
    as_of = sql_exec("SELECT clock_timestamp()::text");
    cr_assert(as_of);
    /* every change below commits after as_of */
    psql_db("yj_service_asof", "-c",
            "UPDATE cms.board_attendance SET senior_flag = false, new_partner_flag = true "
            "WHERE board_attendance_id = 1");
    psql_db("yj_service_asof", "-c", "DELETE FROM cms.board_attendance WHERE sector_cd = 'OTH'");
    psql_db("yj_service_asof", "-c",
            "INSERT INTO cms.board_attendance (board_attendance_id, quarter, meeting_date, "
            "sector_cd, attended_flag, senior_flag, new_partner_flag) VALUES "
            "(9, '2025Q1', '2025-05-10', 'HLT', true, true, false)");
    psql_db("yj_service_asof", "-c",
            "UPDATE cms.population SET headcount = 150 WHERE year = 2023 AND age = 12");
    psql_db("yj_service_asof", "-c",
            "INSERT INTO cms.population (year, age, sex_cd, ethnicity_group_cd, headcount) "
            "VALUES (2025, 11, 'F', 'O', 7)");

    staged = extract_ok(conf, "2025Q1", as_of);
    assert_staged(staged, "service/board_attendance.tsv", BOARD_2025Q1);
    assert_staged(staged, "service/population.tsv", POPULATION);
    free(staged);

    staged = extract_ok(conf, "2025Q1", NULL);
    assert_staged(staged, "service/board_attendance.tsv",
                  BOARD_HEADER "2025Q1\tCSC\tt\tf\tt\n"
                               "2025Q1\tHLT\tt\tt\tf\n"
                               "2025Q1\tPOL\tf\tf\t\\N\n"
                               "2025Q1\tPOL\tt\tf\tt\n"
                               "2025Q1\tPOL\tt\tf\tf\n");
    assert_staged(staged, "service/population.tsv",
                  "year\theadcount\n2023\t150\n2024\t600\n2025\t7\n");
    free(staged);
    free(as_of);
    free(conf);
    drop_warehouse("yj_service_asof");
}

/* A copy of sql/extract and sql/service in a new folder, and a config reading it; *svc gets
 * the copy's service folder. */
static char *
query_copy(const char *tag, char **svc)
{
    char *dir = temp_dir(tag);
    char *ext = path2(dir, "extract");
    char *conf;

    copy_tree(YJ_SOURCE_DIR "/sql/extract", ext);
    *svc = path2(dir, "service");
    copy_tree(YJ_SOURCE_DIR "/sql/service", *svc);
    conf = config_variant(tag, "sql", ext, NULL);
    free(ext);
    free(dir);
    return conf;
}

/* "INPUTS_CONF' line N", N being the line of input NAME in the real inputs.conf
 * (malloc'd). */
static char *
conf_line(const char *name)
{
    char *text = read_file(INPUTS_CONF, NULL), *out;
    int line = 1;
    size_t n = strlen(name);

    cr_assert(text);
    for (const char *p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "", line++)
        if (strncmp(p, name, n) == 0 && (p[n] == ' ' || p[n] == '\t'))
            break;
    out = malloc(strlen(INPUTS_CONF) + 32);
    cr_assert(out);
    sprintf(out, "%s' line %d", INPUTS_CONF, line);
    free(text);
    return out;
}

static void
write_text(const char *dir, const char *name, const char *text)
{
    char *p = path2(dir, name);
    FILE *f = fopen(p, "w");

    cr_assert(f, "cannot write %s", p);
    fputs(text, f);
    fclose(f);
    free(p);
}

/* yj-extract on the main warehouse with CONF must exit 78 with every WANT in stderr, and
 * leave no MANIFEST. */
static void
expect_config_error(const char *conf, const char *const *want)
{
    char *staged, *m;
    struct cmd_result r = extract(conf, "2025Q1", NULL, &staged);

    cr_assert_eq(r.status, 78, "exit %d; stderr:\n%s", r.status, r.err);
    for (; *want; want++)
        cr_assert(strstr(r.err, *want), "expected '%s' in:\n%s", *want, r.err);
    m = path2(staged, "MANIFEST");
    cr_assert(!file_exists(m), "a failed extract must leave no MANIFEST");
    free(m);
    free(staged);
    cmd_result_free(&r);
}

Test(service_inputs, a_query_with_columns_other_than_its_line_is_a_config_error)
{
    char *svc, *conf = query_copy("service-cols", &svc);
    char *pop = path2(svc, "population.sql"), *ba = path2(svc, "board_attendance.sql");
    char *pop_line = conf_line("population"), *ba_line = conf_line("board_attendance");

    /* reordered */
    write_text(svc, "population.sql",
               "SELECT sum(p.headcount)::bigint AS headcount, p.year\n"
               "  FROM cms_asof.population(current_setting('yj.as_of')::timestamptz) AS p\n"
               " GROUP BY p.year ORDER BY p.year\n");
    {
        const char *want[] = {pop, "column 1 is 'headcount'", pop_line, "lists 'year' there", NULL};
        expect_config_error(conf, want);
    }
    /* a column too few */
    write_text(svc, "population.sql",
               "SELECT p.year FROM cms_asof.population(current_setting('yj.as_of')::timestamptz)"
               " AS p GROUP BY p.year ORDER BY p.year\n");
    {
        const char *want[] = {pop, "has no column 'headcount' (column 2)", pop_line, NULL};
        expect_config_error(conf, want);
    }
    /* a column too many (the query file keeps its trailing semicolon: yj-extract drops it) */
    copy_tree(YJ_SOURCE_DIR "/sql/service/population.sql", pop);
    write_text(svc, "board_attendance.sql",
               "SELECT ba.quarter, ba.sector_cd, ba.attended_flag, ba.senior_flag, "
               "ba.new_partner_flag, ba.meeting_date\n"
               "  FROM cms_asof.board_attendance(current_setting('yj.as_of')::timestamptz) AS ba\n"
               " WHERE ba.quarter = current_setting('yj.period');\n");
    {
        const char *want[] = {ba, "column 6 'meeting_date' is not listed by", ba_line, NULL};
        expect_config_error(conf, want);
    }
    free(pop_line);
    free(ba_line);
    free(pop);
    free(ba);
    free(svc);
    free(conf);
}

Test(service_inputs, a_query_without_a_line_or_a_line_without_a_query_is_a_config_error)
{
    char *svc, *conf = query_copy("service-files", &svc);
    char *extra = path2(svc, "caseload.sql"), *pop = path2(svc, "population.sql");
    char *pop_line = conf_line("population"), *missing;

    write_text(svc, "caseload.sql", "SELECT 1 AS n");
    {
        const char *want[] = {extra, "has no line in '" INPUTS_CONF "'", NULL};
        expect_config_error(conf, want);
    }
    cr_assert_eq(unlink(extra), 0);
    cr_assert_eq(unlink(pop), 0);
    missing = malloc(strlen(pop_line) + 64);
    cr_assert(missing);
    sprintf(missing, "%s: input 'population' has no query '", pop_line);
    {
        const char *want[] = {missing, pop, NULL};
        expect_config_error(conf, want);
    }
    free(missing);
    free(pop_line);
    free(extra);
    free(pop);
    free(svc);
    free(conf);
}

Test(service_inputs, a_bundle_without_inputs_conf_stages_no_service_files)
{
    char *dir = temp_dir("service-old-bundle");
    char *maps = path2(dir, "mappings");
    char *conf, *inputs, *staged, *svc, *manifest, *p;

    copy_tree(YJ_SOURCE_DIR "/mappings", maps);
    inputs = path2(maps, "schema-11/kpi/inputs.conf");
    cr_assert_eq(unlink(inputs), 0);
    conf = config_variant("service-old-bundle", "mappings", maps, NULL);
    staged = extract_ok(conf, "2025Q1", NULL);
    svc = path2(staged, "service");
    cr_assert(!file_exists(svc), "no service folder without inputs.conf");
    manifest = read_file((p = path2(staged, "MANIFEST")), NULL);
    cr_assert(manifest && !strstr(manifest, "service"), "%s", manifest);
    free(p);
    free(manifest);
    free(svc);
    free(staged);
    free(conf);
    free(inputs);
    free(maps);
    free(dir);
}

Test(service_inputs, a_query_folder_without_service_beside_it_stages_no_service_files)
{
    char *dir = temp_dir("service-no-folder");
    char *ext = path2(dir, "queries");
    char *conf, *staged, *svc, *manifest, *p;
    struct cmd_result r;

    copy_tree(YJ_SOURCE_DIR "/sql/extract", ext);
    conf = config_variant("service-no-folder", "sql", ext, NULL);
    r = extract(conf, "2025Q1", NULL, &staged);
    cr_assert_eq(r.status, 0, "yj-extract exit %d; stderr:\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "no service query folder '"), "stderr:\n%s", r.err);
    cmd_result_free(&r);
    svc = path2(staged, "service");
    cr_assert(!file_exists(svc), "no service folder without service queries");
    manifest = read_file((p = path2(staged, "MANIFEST")), NULL);
    cr_assert(manifest && !strstr(manifest, "service"), "%s", manifest);
    free(p);
    free(manifest);
    free(svc);
    free(staged);
    free(conf);
    free(ext);
    free(dir);
}

Test(service_inputs, the_generated_warehouse_stages_its_board_and_population)
{
    char *staged = extract_ok(env_get("YJ_TEST_CONF"), "2025Q1", NULL);
    char *board = read_file(path2(staged, "service/board_attendance.tsv"), NULL);
    char *pop = read_file(path2(staged, "service/population.tsv"), NULL);
    int lines = 0;

    cr_assert(board && pop);
    cr_assert(strncmp(board, BOARD_HEADER, strlen(BOARD_HEADER)) == 0, "%s", board);
    for (const char *q = board + strlen(BOARD_HEADER); (q = strchr(q, '\n')) != NULL; q++)
        lines++;
    cr_assert(lines >= 5, "one row per sector at least:\n%s", board);
    cr_assert(!strstr(board, "2025Q2") && !strstr(board, "2024Q4"), "%s", board);
    /* yj-gen: 2019..2026, one total per year */
    cr_assert(strncmp(pop, "year\theadcount\n2019\t", 20) == 0, "%s", pop);
    cr_assert(strstr(pop, "\n2026\t") && !strstr(pop, "\n2027\t"), "%s", pop);
    free(board);
    free(pop);
    free(staged);
}

Test(service_inputs, yj_transform_ignores_the_service_files_and_the_golden_return_is_unchanged)
{
    char *conf =
        config_variant("service-golden", "conninfo", env_get("YJ_TEST_GOLDEN_CONNINFO"), NULL);
    char *staged = extract_ok(conf, "2025Q1", "2025-07-02T00:00:00Z");
    char *ret = path2(staged, "../return"), *xml = path2(ret, "cld.xml");

    assert_staged(staged, "service/board_attendance.tsv", BOARD_HEADER);
    assert_staged(staged, "service/population.tsv", "year\theadcount\n");
    {
        const char *argv[] = {"yj-transform", "--config", conf,         "--in",       staged,
                              "--out",        ret,        "--sign-off", "2025-07-10", NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "yj-transform exit %d; stderr:\n%s", r.status, r.err);
        cmd_result_free(&r);
    }
    cr_assert(files_equal(xml, YJ_SOURCE_DIR "/tests/integration/golden/cld-2025Q1.xml"),
              "%s differs from the golden return", xml);
    free(xml);
    free(ret);
    free(staged);
    free(conf);
}
