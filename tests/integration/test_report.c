/*
 * test_report.c - the board pack as yj-run makes it (its report stage, last, with [report]
 * pack = yes) and as yj-report makes it again on a run, against the harness's real
 * PostgreSQL: the files of RUN/report/ with the run-directory table's modes, the MANIFEST
 * that lists them, the same bytes twice, --verify of the pack and of a changed byte, the bad
 * inputs of issue 13 (a population's bad row or missing year and a browser not there: one exact
 * error line, the exit code in RUN's status.report, no report/MANIFEST; a bad [report] policy or
 * target: refused before any run), an A4 PDF, and no child's ypid in the page.
 *
 * Each test reads a database of its own, yj_report: the golden warehouse copied (as
 * test_history.c does) and a 10-17 population recorded at 2025-01-01, dropped at the end, so
 * no other test's warehouse changes. Every run is of 2024Q4 as recorded at AS_OF: the return,
 * and so every figure of the pack, is the same bytes on every run. The eight quarters of the
 * pack (2023Q1-2024Q4) divide by the populations of 2022 and 2023 (population_years_back 1).
 */
#include "forge.h"
#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DB "yj_report"
#define PERIOD "2024Q4"
#define AS_OF "2025-07-02T00:00:00Z"
/* every year the pack needs, every band (10-14: age 12; 15-17: ages 15 and 16) of every group
 * (A B M O W, most of them 0), recorded before AS_OF: 2022 holds 4,900 children, 2023 4,800 */
#define POPULATION                                                                                 \
    "(2022, 12, 'M', 'A', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2022, 12, 'M', 'B', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2022, 12, 'M', 'M', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2022, 12, 'M', 'O', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2022, 12, 'M', 'W', 4000, '2025-01-01 00:00:00+00'), "                                       \
    "(2022, 16, 'M', 'A', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2022, 16, 'M', 'B', 900, '2025-01-01 00:00:00+00'), "                                        \
    "(2022, 16, 'M', 'M', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2022, 16, 'M', 'O', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2022, 16, 'M', 'W', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2023, 12, 'M', 'A', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2023, 12, 'M', 'B', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2023, 12, 'M', 'M', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2023, 12, 'M', 'O', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2023, 12, 'M', 'W', 4100, '2025-01-01 00:00:00+00'), "                                       \
    "(2023, 16, 'M', 'A', 700, '2025-01-01 00:00:00+00'), "                                        \
    "(2023, 16, 'M', 'B', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2023, 16, 'M', 'M', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2023, 16, 'M', 'O', 0, '2025-01-01 00:00:00+00'), "                                          \
    "(2023, 16, 'M', 'W', 0, '2025-01-01 00:00:00+00')"

/* The files of report/ (rundir.c's RD_REPORT_* rows) in name order, with their modes. */
static const struct {
    const char *name;
    unsigned mode;
} pack_files[] = {
    {"MANIFEST", 0644},
    {"cases.csv", 0600},
    {"custody.csv", 0640},
    {"disproportionality.csv", 0640},
    {"fte.csv", 0640},
    {"offence_types.csv", 0640},
    {"pack.html", 0644},
    {"pack.pdf", 0644},
    {"reoffending.csv", 0640},
    {"trend_kpi.csv", 0640},
    {"trend_recording.csv", 0640},
};
#define NPACK (sizeof(pack_files) / sizeof(pack_files[0]))

/* A fresh yj_report (the golden warehouse) with the population rows VALUES, if any. */
static void
report_db(const char *values)
{
    char sql[2048];

    sql_exec_db("postgres", "DROP DATABASE IF EXISTS " DB);
    sql_exec_db("postgres", "CREATE DATABASE " DB " TEMPLATE yj_golden");
    if (values) {
        snprintf(sql, sizeof(sql), "INSERT INTO cms.population VALUES %s", values);
        sql_exec_db(DB, sql);
    }
}

static void
report_db_drop(void)
{
    sql_exec_db("postgres", "DROP DATABASE IF EXISTS " DB);
}

/* A config reading yj_report into the runs root ROOT with a pack (pdf as PDF), and the [report]
 * KEY set to VALUE (when KEY is not NULL): its line replaced, or added at the end of the file, in
 * its last section, [report]. *LINE (when not NULL) gets KEY's line number. */
static char *
report_conf(const char *root, const char *pdf, const char *key, const char *value, int *line)
{
    const char *golden = env_get("YJ_TEST_GOLDEN_CONNINFO");
    const char *at = strstr(golden, "dbname=yj_golden");
    char conn[1024], want[256], *conf, *text;
    FILE *f;

    cr_assert(at);
    snprintf(conn, sizeof(conn), "%.*sdbname=" DB "%s", (int)(at - golden), golden,
             at + strlen("dbname=yj_golden"));
    if (key && strcmp(key, "pack") != 0)
        conf = config_variant("report", "conninfo", conn, "runs_root", root, "pack", "yes", "pdf",
                              pdf, key, value, NULL);
    else
        conf = config_variant("report", "conninfo", conn, "runs_root", root, "pack",
                              key ? value : "yes", "pdf", pdf, NULL);
    if (!key)
        return conf;
    snprintf(want, sizeof(want), "%s = %s\n", key, value);
    text = read_file(conf, NULL);
    cr_assert(text);
    if (!strstr(text, want)) {
        cr_assert((f = fopen(conf, "a")) && fputs(want, f) >= 0 && fclose(f) == 0);
        free(text);
        text = read_file(conf, NULL);
        cr_assert(text);
    }
    if (line) {
        *line = 1;
        for (const char *p = text; p < strstr(text, want); p++)
            *line += *p == '\n';
    }
    free(text);
    return conf;
}

/* The nightly run of PERIOD as of AS_OF; asserts exit WANT; its run folder (malloc'd; NULL when
 * it printed none) and its stderr into *ERR (malloc'd) when ERR is not NULL. */
static char *
nightly(const char *conf, int want, char **err)
{
    const char *argv[] = {"yj-run", "--config", conf, "--period", PERIOD, "--as-of", AS_OF, NULL};
    struct cmd_result r = run_cmd(argv);
    char *run = NULL;

    cr_assert_eq(r.status, want, "yj-run exit %d, want %d: %s", r.status, want, r.err);
    if (r.out[0]) {
        r.out[strcspn(r.out, "\n")] = '\0';
        run = strdup(r.out);
    }
    if (err) {
        *err = r.err;
        r.err = NULL;
    }
    cmd_result_free(&r);
    return run;
}

/* STDERR's lines holding " PROG: error: ", each without its time, one after the other. */
static char *
error_lines(const char *stderr_text, const char *prog)
{
    char tag[64], *out = calloc(1, strlen(stderr_text) + 1);
    const char *line = stderr_text;

    cr_assert(out);
    snprintf(tag, sizeof(tag), " %s: error: ", prog);
    while (*line) {
        size_t n = strcspn(line, "\n");
        const char *hit = strstr(line, tag);
        if (hit && hit < line + n) {
            strncat(out, hit + 1, (size_t)(line + n - hit - 1));
            strcat(out, "\n");
        }
        line += n + (line[n] == '\n');
    }
    return out;
}

/* Asserts that STDERR holds exactly one error line of yj-report, WANT, and yj-run's own for its
 * STATUS. */
static void
assert_report_error(const char *stderr_text, const char *want, int status)
{
    char *got = error_lines(stderr_text, "yj-report"), *run = error_lines(stderr_text, "yj-run");
    char want_run[128];

    cr_assert_str_eq(got, want, "stderr:\n%s", stderr_text);
    snprintf(want_run, sizeof(want_run), "yj-run: error: yj-report failed with exit status %d\n",
             status);
    cr_assert_str_eq(run, want_run, "stderr:\n%s", stderr_text);
    free(got);
    free(run);
}

/* Asserts that RUN's record says status.report STATUS and that report/ holds no MANIFEST (nor
 * a PDF, nor a temporary file). */
static void
assert_report_failed(const char *run, int status)
{
    char *rec = read_file(path2(run, "RUN"), NULL), want[64];
    char *report = path2(run, "report");
    DIR *d;
    struct dirent *e;

    cr_assert(rec, "no RUN in %s", run);
    snprintf(want, sizeof(want), "\nstatus.report %d\n", status);
    cr_assert(strstr(rec, want), "%s", rec);
    cr_assert(strstr(rec, "\nresult failed\n"), "%s", rec);
    free(rec);
    cr_assert_not(file_exists(path2(report, "MANIFEST")));
    cr_assert_not(file_exists(path2(report, "pack.pdf")));
    if ((d = opendir(report))) {
        while ((e = readdir(d)))
            cr_assert_not(strstr(e->d_name, ".tmp"), "left behind: %s/%s", report, e->d_name);
        closedir(d);
    }
    free(report);
}

/* The value of KEY in a "key value" record (malloc'd). */
static char *
record_value(const char *path, const char *key)
{
    char *v = forge_get(path, key, NULL);

    cr_assert(v, "no %s in %s", key, path);
    return v;
}

/* The MANIFEST line of report/NAME as yj-report writes it: ROWS, the file's bytes and SHA-256. */
static void
file_line(char **acc, size_t *len, const char *report, const char *name, int rows)
{
    char *path = path2(report, name), *hex = forge_file_sha256(path), line[512];
    struct stat st;

    cr_assert_eq(stat(path, &st), 0, "%s", path);
    snprintf(line, sizeof(line), "file %s rows %d bytes %lld sha256 %s\n", name, rows,
             (long long)st.st_size, hex);
    *acc = realloc(*acc, *len + strlen(line) + 1);
    cr_assert(*acc);
    memcpy(*acc + *len, line, strlen(line) + 1);
    *len += strlen(line);
    free(hex);
    free(path);
}

/* Asserts that RUN/report holds exactly the pack's files (pack.pdf when PDF), each with its
 * mode, and a MANIFEST of exactly the facts, format keys and file lines wanted. */
static void
assert_pack(const char *run, int pdf)
{
    char *report = path2(run, "report"), *ret = path2(run, "return/MANIFEST");
    char *version = record_value(path2(run, "RUN"), "yjreturns_version");
    char *ret_sha = forge_file_sha256(ret), *want = NULL, *got, head[4096];
    size_t len, n = 0;
    struct dirent **ents;
    int ne;

    /* the folder and exactly its files, each with the table's mode */
    {
        struct stat st;
        cr_assert_eq(stat(report, &st), 0, "no %s", report);
        cr_assert_eq(st.st_mode & 07777, 0750, "report/ has mode %04o",
                     (unsigned)(st.st_mode & 07777));
    }
    ne = scandir(report, &ents, NULL, alphasort);
    cr_assert(ne > 0, "no %s", report);
    for (int i = 0; i < ne; i++) {
        struct stat st;
        char *p;
        if (ents[i]->d_name[0] == '.') {
            free(ents[i]);
            continue;
        }
        p = path2(report, ents[i]->d_name);
        while (n < NPACK && !pdf && strcmp(pack_files[n].name, "pack.pdf") == 0)
            n++;
        cr_assert(n < NPACK && strcmp(ents[i]->d_name, pack_files[n].name) == 0,
                  "report/%s is not the pack's file %s", ents[i]->d_name,
                  n < NPACK ? pack_files[n].name : "(none)");
        cr_assert_eq(lstat(p, &st), 0);
        cr_assert(S_ISREG(st.st_mode), "%s", p);
        cr_assert_eq(st.st_mode & 07777, pack_files[n].mode, "report/%s has mode %04o, want %04o",
                     ents[i]->d_name, (unsigned)(st.st_mode & 07777), pack_files[n].mode);
        n++;
        free(p);
        free(ents[i]);
    }
    free(ents);
    cr_assert_eq(n, NPACK, "report/ lacks %s", n < NPACK ? pack_files[n].name : "");

    /* the MANIFEST, whole: the golden return's rows are these on every run */
    snprintf(head, sizeof(head),
             "yjreturns-manifest 1\n"
             "stage report\n"
             "yjreturns_version %s\n"
             "period 2024Q4\n"
             "yot_ou_code MEDWAY\n"
             "as_of 2025-07-02T00:00:00.000000Z\n"
             "return_manifest_sha256 %s\n"
             "quarters 8\n"
             "trend_quarters_with_figures 1\n"
             "suppress_threshold 5\n"
             "suppress_round none\n"
             "suppress_secondary yes\n"
             "pdf %s\n"
             "format.yjreturns-report-fte 1\n"
             "format.yjreturns-report-custody 1\n"
             "format.yjreturns-report-reoffending 1\n"
             "format.yjreturns-report-ethnicity 1\n"
             "format.yjreturns-report-offences 1\n"
             "format.yjreturns-report-cases 1\n"
             "format.yjreturns-report-trend 1\n"
             "format.yjreturns-report-recording 1\n",
             version, ret_sha, pdf ? "yes" : "no");
    want = strdup(head);
    len = strlen(want);
    file_line(&want, &len, report, "fte.csv", 16);
    file_line(&want, &len, report, "custody.csv", 16);
    file_line(&want, &len, report, "reoffending.csv", 8);
    file_line(&want, &len, report, "disproportionality.csv", 18);
    file_line(&want, &len, report, "offence_types.csv", 28);
    file_line(&want, &len, report, "cases.csv", 21);
    file_line(&want, &len, report, "trend_kpi.csv", 80);
    file_line(&want, &len, report, "trend_recording.csv", 144);
    file_line(&want, &len, report, "pack.html", 0);
    if (pdf)
        file_line(&want, &len, report, "pack.pdf", 0);
    got = read_file(path2(report, "MANIFEST"), NULL);
    cr_assert(got, "no report/MANIFEST");
    cr_assert_str_eq(got, want, "report/MANIFEST:\n%s\nwant:\n%s", got, want);
    free(got);
    free(want);
    free(ret_sha);
    free(version);
    free(ret);
    free(report);
}

/* Asserts that yj-run --verify of ROOT exits STATUS and prints exactly WANT. */
static void
assert_verify(const char *root, int status, const char *want)
{
    const char *argv[] = {"yj-run", "--verify", root, NULL};
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, status, "exit %d: %s%s", r.status, r.out, r.err);
    cr_assert_str_eq(r.out, want);
    cmd_result_free(&r);
}

Test(report, a_nightly_run_with_a_pack_writes_every_file_with_its_mode_and_manifest)
{
    char *root = temp_dir("report-runs"), *conf = report_conf(root, "no", NULL, NULL, NULL), *run,
         *rec;

    /* and a row recorded after the run's as-of moment, which it must not read: 2022's
     * population is 4,900 in fte.csv below, not 54,900 */
    report_db(POPULATION ", (2022, 13, 'F', 'M', 50000, '2025-08-01 00:00:00+00')");
    run = nightly(conf, 0, NULL);
    cr_assert(run);
    assert_pack(run, 0);
    rec = read_file(path2(run, "RUN"), NULL);
    cr_assert(rec);
    cr_assert(strstr(rec, "\nlast_stage report\nresult validated\n"), "%s", rec);
    cr_assert(strstr(rec, "\nstatus.report 0\n"), "%s", rec);
    free(rec);
    {
        /* the figures of the golden return, exactly: every quarter's entrants against the
         * population of the year before its financial year */
        char *fte = read_file(path2(run, "report/fte.csv"), NULL);
        cr_assert(fte);
        cr_assert_str_eq(fte,
                         "period,basis,entrants,population_year,population,rate_per_100000\n"
                         "2023Q1,quarter,0,2022,4900,0.0000\n"
                         "2023Q1,rolling_year,0,2022,4900,0.0000\n"
                         "2023Q2,quarter,0,2022,4900,0.0000\n"
                         "2023Q2,rolling_year,0,2022,4900,0.0000\n"
                         "2023Q3,quarter,0,2022,4900,0.0000\n"
                         "2023Q3,rolling_year,0,2022,4900,0.0000\n"
                         "2023Q4,quarter,1,2022,4900,20.4082\n"
                         "2023Q4,rolling_year,1,2022,4900,20.4082\n"
                         "2024Q1,quarter,1,2023,4800,20.8333\n"
                         "2024Q1,rolling_year,2,2023,4800,41.6667\n"
                         "2024Q2,quarter,1,2023,4800,20.8333\n"
                         "2024Q2,rolling_year,3,2023,4800,62.5000\n"
                         "2024Q3,quarter,1,2023,4800,20.8333\n"
                         "2024Q3,rolling_year,4,2023,4800,83.3333\n"
                         "2024Q4,quarter,0,2023,4800,0.0000\n"
                         "2024Q4,rolling_year,3,2023,4800,62.5000\n",
                         "fte.csv:\n%s", fte);
        free(fte);
    }
    {
        /* one quarter of the archive (this run): the KPI charts are notes, not empty charts;
         * KPI 1's 1 of 2 is hidden (under 5), so it has no quarter at all */
        char *page = read_file(path2(run, "report/pack.html"), NULL);
        cr_assert(page);
        cr_assert(strstr(page, "<p class=\"nochart\">KPI 9, serious_violence: rate by quarter: "
                               "only one quarter with figures to show (fewer than two), so no "
                               "chart is drawn; the table gives what there is.</p>\n"));
        cr_assert(strstr(page, "<p class=\"nochart\">KPI 1, accommodation: rate by quarter: no "
                               "quarter with figures to show (fewer than two), so no chart is "
                               "drawn; the table gives what there is.</p>\n"));
        free(page);
    }
    assert_verify(root, 0, "verified 1 run, 34 files, ledger absent: 0 problems, 0 incomplete\n");
    free(run);
    free(conf);
    free(root);
    report_db_drop();
}

Test(report, yj_report_again_on_the_run_writes_the_same_bytes)
{
    static const char *const names[] = {
        "MANIFEST",      "cases.csv",          "custody.csv", "disproportionality.csv",
        "fte.csv",       "offence_types.csv",  "pack.html",   "reoffending.csv",
        "trend_kpi.csv", "trend_recording.csv"};
    char *root = temp_dir("report-again"), *conf = report_conf(root, "no", NULL, NULL, NULL), *run;
    char *keep = temp_dir("report-first");

    report_db(POPULATION);
    run = nightly(conf, 0, NULL);
    cr_assert(run);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        copy_tree(path2(path2(run, "report"), names[i]), path2(keep, names[i]));
    {
        const char *argv[] = {"yj-report", "--config", conf, "--run-dir", run, "--no-pdf", NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "yj-report exit %d: %s", r.status, r.err);
        char *got = error_lines(r.err, "yj-report");
        cr_assert_str_eq(got, "", "%s", r.err);
        free(got);
        cmd_result_free(&r);
    }
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        cr_assert(files_equal(path2(keep, names[i]), path2(path2(run, "report"), names[i])),
                  "report/%s differs from the first run's (kept in %s)", names[i], keep);
    assert_pack(run, 0);
    assert_verify(root, 0, "verified 1 run, 34 files, ledger absent: 0 problems, 0 incomplete\n");
    {
        /* yj-report again, failing: the complete pack's MANIFEST goes first, so the folder no
         * longer looks complete */
        char *bad = report_conf(root, "yes", "browser", "/nonexistent", NULL);
        const char *argv[] = {"yj-report", "--config", bad, "--run-dir", run, NULL};
        struct cmd_result r = run_cmd(argv);
        char *got = error_lines(r.err, "yj-report");
        cr_assert_eq(r.status, 78, "yj-report exit %d: %s", r.status, r.err);
        cr_assert_str_eq(got,
                         "yj-report: error: could not run the browser '/nonexistent' that prints "
                         "the board pack: No such file or directory\n",
                         "%s", r.err);
        cr_assert_not(file_exists(path2(run, "report/MANIFEST")));
        cr_assert_not(file_exists(path2(run, "report/pack.pdf")));
        free(got);
        free(bad);
        cmd_result_free(&r);
    }
    free(run);
    free(keep);
    free(conf);
    free(root);
    report_db_drop();
}

/* A nightly run of a warehouse whose population rows are VALUES: yj-report stops it with 65 and
 * one line naming the staged population file, then REST; RUN says status.report 65 and no
 * report/MANIFEST is left. */
static void
assert_population_refused(const char *tag, const char *values, const char *rest)
{
    char *root = temp_dir(tag), *conf = report_conf(root, "no", NULL, NULL, NULL), *run, *err;
    char want[2048];

    report_db(values);
    run = nightly(conf, 65, &err);
    cr_assert(run, "no run folder: %s", err);
    snprintf(want, sizeof(want),
             "yj-report: error: staged file '%s/staged/service/population_group.tsv'%s\n", run,
             rest);
    assert_report_error(err, want, 65);
    assert_report_failed(run, 65);
    free(err);
    free(run);
    free(conf);
    free(root);
    report_db_drop();
}

Test(report, a_population_without_a_year_the_rates_need_stops_the_pack)
{
    /* 2022 is missing: the rates of 2023Q1-2023Q4 divide by it */
    assert_population_refused("report-noyear",
                              "(2023, 12, 'M', 'W', 4100, '2025-01-01 00:00:00+00')",
                              " holds no population for 2022, which the rates of 2023Q1 need");
}

Test(report, a_negative_population_count_stops_the_pack_naming_file_line_and_value)
{
    /* 2021 sorts first: its 10-14 W on the staged file's line 2 (the header is line 1), its
     * 15-17 O on line 3; the year's total (yj-kpi's population.tsv) is 97, not negative */
    assert_population_refused("report-negative",
                              POPULATION ", (2021, 12, 'M', 'W', 100, '2025-01-01 00:00:00+00'), "
                                         "(2021, 16, 'M', 'O', -3, '2025-01-01 00:00:00+00')",
                              " line 3: headcount '-3' is not a whole number from 0");
}

Test(report, a_population_group_the_bundle_does_not_know_stops_the_pack)
{
    /* Z is no group of indicators.conf's population_groups; 2024 sorts last, after the
     * header and 2022's and 2023's ten rows each: line 22 */
    assert_population_refused(
        "report-group", POPULATION ", (2024, 11, 'F', 'Z', 20, '2025-01-01 00:00:00+00')",
        " line 22: ethnicity_group 'Z' is not one of indicators.conf's population_groups");
}

/* yj-run with [report] KEY = VALUE refuses at once: exit 78, the error line WANT (after the
 * config file's name and KEY's line), and no run folder. */
static void
assert_config_refused(const char *key, const char *value, const char *want)
{
    char *root = temp_dir("report-config"), *conf, *err, *got, full[2048];
    int line;

    conf = report_conf(root, "no", key, value, &line);
    cr_assert_null(nightly(conf, 78, &err));
    snprintf(full, sizeof(full), "yj-run: error: config file '%s' line %d: %s\n", conf, line, want);
    got = error_lines(err, "yj-run");
    cr_assert_str_eq(got, full, "stderr:\n%s", err);
    cr_assert_eq(count_files(root), 0, "a run was made in %s", root);
    free(got);
    free(err);
    free(conf);
    free(root);
}

Test(report, a_bad_suppression_policy_or_target_is_refused_before_any_run)
{
    assert_config_refused("suppress_threshold", "-1",
                          "[report] suppress_threshold must be a whole number from 0 to 1000, not "
                          "'-1'");
    assert_config_refused("suppress_round", "0",
                          "[report] suppress_round must be none or a whole number from 1 to 1000, "
                          "not '0'");
    assert_config_refused("custody_target_pct", "120",
                          "[report] custody_target_pct must be a percentage from 0 to 100 with at "
                          "most two decimals (8, 12.5), not '120'");
    assert_config_refused("custody_target_pct", "abc",
                          "[report] custody_target_pct must be a percentage from 0 to 100 with at "
                          "most two decimals (8, 12.5), not 'abc'");
}

Test(report, a_browser_that_is_not_there_stops_the_pack_naming_its_path)
{
    char *root = temp_dir("report-browser"), *err;
    char *conf = report_conf(root, "yes", "browser", "/nonexistent", NULL);
    struct dirent **ents = NULL;
    int n;

    /* yj-run's preflight checks the browser before it reads anything: no run folder */
    report_db(POPULATION);
    cr_assert_null(nightly(conf, 78, &err));
    cr_assert(strstr(err, "yj-run: error: preflight: pack: could not run the browser "
                          "'/nonexistent' that prints the board pack: No such file or directory\n"),
              "%s", err);
    n = scandir(root, &ents, NULL, NULL);
    for (int i = 0; i < n; i++)
        free(ents[i]);
    free(ents);
    cr_assert_leq(n, 2, "a refused run left something in %s", root);
    free(err);
    free(conf);
    free(root);
    report_db_drop();
}

Test(report, a_changed_byte_of_the_page_is_a_problem_naming_its_manifest_line)
{
    char *root = temp_dir("report-tamper"), *conf = report_conf(root, "no", NULL, NULL, NULL), *run;
    char *page, *old, *now, want[4096];
    struct stat st;
    FILE *f;

    report_db(POPULATION);
    run = nightly(conf, 0, NULL);
    cr_assert(run);
    page = path2(run, "report/pack.html");
    old = forge_file_sha256(page);
    cr_assert_eq(stat(page, &st), 0);
    cr_assert((f = fopen(page, "r+")));
    cr_assert_eq(fseek(f, 100, SEEK_SET), 0);
    cr_assert_eq(fputc('X', f), 'X');
    cr_assert_eq(fclose(f), 0);
    now = forge_file_sha256(page);
    cr_assert_str_neq(old, now);
    /* pack.html is the MANIFEST's line 30 (13 facts, 8 formats, 8 files before it) */
    snprintf(want, sizeof(want),
             "problem %s: %lld bytes sha256 %s; %s/report/MANIFEST line 30 says %lld bytes sha256 "
             "%s\n"
             "verified 1 run, 34 files, ledger absent: 1 problem, 0 incomplete\n",
             page, (long long)st.st_size, now, run, (long long)st.st_size, old);
    assert_verify(root, 74, want);
    free(page);
    free(old);
    free(now);
    free(run);
    free(conf);
    free(root);
    report_db_drop();
}

Test(report, a_page_and_its_manifest_line_changed_together_are_a_problem_naming_run)
{
    char *root = temp_dir("report-forge"), *conf = report_conf(root, "no", NULL, NULL, NULL), *run;
    char *page, *manifest, *text, *line, *sealed, *now, want[4096], *at;
    struct stat st;
    FILE *f;
    int n = 0;

    report_db(POPULATION);
    run = nightly(conf, 0, NULL);
    cr_assert(run);
    page = path2(run, "report/pack.html");
    manifest = path2(run, "report/MANIFEST");
    /* RUN seals the pack's MANIFEST, as it seals each stage's */
    free(forge_line(path2(run, "RUN"), "sealed.report/MANIFEST ", &n));
    cr_assert(n > 0, "RUN seals no report/MANIFEST");
    sealed = forge_file_sha256(manifest);
    /* a byte of the page, and its MANIFEST line made to match: the page is consistent with
     * its MANIFEST, which RUN no longer names */
    cr_assert((f = fopen(page, "r+")));
    cr_assert_eq(fseek(f, 100, SEEK_SET), 0);
    cr_assert_eq(fputc('X', f), 'X');
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(stat(page, &st), 0);
    now = forge_file_sha256(page);
    text = read_file(manifest, NULL);
    cr_assert(text && (at = strstr(text, "\nfile pack.html ")));
    line = strndup(text, (size_t)(at + 1 - text));
    cr_assert((f = fopen(manifest, "w")));
    fprintf(f, "%sfile pack.html rows 0 bytes %lld sha256 %s%s", line, (long long)st.st_size, now,
            strchr(at + 1, '\n'));
    cr_assert_eq(fclose(f), 0);
    free(now);
    now = forge_file_sha256(manifest);
    snprintf(want, sizeof(want),
             "problem %s: sha256 %s; %s/RUN line %d says %s\n"
             "verified 1 run, 34 files, ledger absent: 1 problem, 0 incomplete\n",
             manifest, now, run, n, sealed);
    assert_verify(root, 74, want);
    free(line);
    free(text);
    free(now);
    free(sealed);
    free(manifest);
    free(page);
    free(run);
    free(conf);
    free(root);
    report_db_drop();
}

Test(report, a_pack_made_later_of_a_run_without_one_is_unsealed_not_a_problem)
{
    char *root = temp_dir("report-later"), *run, *want;
    char *conf = report_conf(root, "no", "pack", "no", NULL);
    size_t n;

    report_db(POPULATION);
    run = nightly(conf, 0, NULL);
    cr_assert(run);
    cr_assert_not(file_exists(path2(run, "report")));
    {
        const char *argv[] = {"yj-report", "--config", conf, "--run-dir", run, "--no-pdf", NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "yj-report exit %d: %s", r.status, r.err);
        cmd_result_free(&r);
    }
    n = 2 * strlen(run) + 256;
    want = malloc(n);
    cr_assert(want);
    snprintf(want, n,
             "incomplete %s/report/MANIFEST: not sealed in %s/RUN (written by a yj-report after "
             "the run ended)\n"
             "verified 1 run, 33 files, ledger absent: 0 problems, 1 incomplete\n",
             run, run);
    assert_verify(root, 0, want);
    free(want);
    free(run);
    free(conf);
    free(root);
    report_db_drop();
}

Test(report, the_page_holds_no_ypid_of_the_cases_behind_it)
{
    char *root = temp_dir("report-ypid"), *conf = report_conf(root, "no", NULL, NULL, NULL), *run;
    char *cases, *page, *line, *save;
    int nypid = 0;

    report_db(POPULATION);
    run = nightly(conf, 0, NULL);
    cr_assert(run);
    cases = read_file(path2(run, "report/cases.csv"), NULL);
    page = read_file(path2(run, "report/pack.html"), NULL);
    cr_assert(cases && page);
    cr_assert(strncmp(cases, "figure,basis,period,group,ypid,item,item_id\n", 44) == 0, "%s",
              cases);
    for (line = strtok_r(cases + 44, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *p = line;
        for (int c = 0; c < 4; c++) {
            p = strchr(p, ',');
            cr_assert(p, "short line: %s", line);
            p++;
        }
        p[strcspn(p, ",")] = '\0';
        cr_assert(strlen(p) > 0, "no ypid: %s", line);
        cr_assert_null(strstr(page, p), "pack.html holds the ypid %s", p);
        nypid++;
    }
    cr_assert_eq(nypid, 21);
    free(cases);
    free(page);
    free(run);
    free(conf);
    free(root);
    report_db_drop();
}

Test(report, a_pack_printed_by_chromium_is_an_a4_pdf_the_manifest_lists, .timeout = 300)
{
    char *root = temp_dir("report-pdf"), *conf = report_conf(root, "yes", NULL, NULL, NULL), *run;

    report_db(POPULATION);
    run = nightly(conf, 0, NULL);
    cr_assert(run);
    assert_pack(run, 1);
    {
        const char *argv[] = {"/usr/bin/pdfinfo", path2(run, "report/pack.pdf"), NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "%s", r.err);
        /* Chromium's A4 is 594.96 x 841.92 pts, which pdfinfo names A4 within its tolerance */
        cr_assert(strstr(r.out, "\nPage size:       594.96 x 841.92 pts (A4)\n"), "%s", r.out);
        cmd_result_free(&r);
    }
    assert_verify(root, 0, "verified 1 run, 35 files, ledger absent: 0 problems, 0 incomplete\n");
    free(run);
    free(conf);
    free(root);
    report_db_drop();
}
