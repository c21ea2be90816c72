/*
 * test_history.c - yj-run --history, shown exactly (golden/history.txt and history.json), of
 * a runs root made by real runs against the harness: the golden warehouse copied into its own
 * database (yj_history), a nightly run of 2024Q4, a nightly run of 2025Q1 that fails
 * validation (child 10's offence has no date), that date recorded, the submission of 2025Q1,
 * a child changed (child 11's sex recorded), and the correction (--submit --resubmit), every
 * upload to the faulty receiver's /ok/ path. Each change is recorded at a fixed moment
 * (2025-07-03, 2025-07-05, written with the history triggers off, as the golden warehouse
 * itself is loaded) and each run reads the warehouse as recorded at a fixed moment (--as-of),
 * so every return, its SHA-256, bytes, counts and KPIs are the same bytes on every run.
 *
 * What must vary is normalised, and nothing else: the run folders' names (the UTC time each
 * run began) become "<run N>", N in the order the runs were made, and the ledger's times
 * (when each upload was answered) become "<time>". Paths are printed relative to the runs
 * root, so the test's folder needs no normalising. The envelope carries the program's
 * version, so a version change changes the SHA-256 and bytes here as it does
 * golden/cld-2025Q1.xml: review the difference, then copy the produced files (paths in the
 * failure message) over the golden ones.
 */
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GOLDEN_TEXT YJ_SOURCE_DIR "/tests/integration/golden/history.txt"
#define GOLDEN_JSON YJ_SOURCE_DIR "/tests/integration/golden/history.json"
#define SIGN_OFF "2025-07-10"
#define NRUNS 4

/* A change of one row of cms.TABLE recorded at the moment AT, as the history triggers would
 * have recorded it then: the old version into cms_history with sys_to AT. */
static void
record_change(const char *table, const char *set, const char *where, const char *at)
{
    char sql[2048];

    snprintf(sql, sizeof(sql),
             "SET session_replication_role = replica; "
             "INSERT INTO cms_history.%s SELECT t.*, '%s' FROM cms.%s t WHERE %s; "
             "UPDATE cms.%s SET %s, sys_from = '%s' WHERE %s",
             table, at, table, where, table, set, at, where);
    sql_exec_db("yj_history", sql);
}

/* One yj-run; its run folder's name (the last name of the line it prints) into RUNS. */
static void
yj_run(const char *conf, const char *period, const char *as_of, const char *submit, int want,
       char *runs[], int *nruns)
{
    const char *argv[] = {"yj-run", "--config", conf,         "--period", period, "--as-of",
                          as_of,    "--submit", "--sign-off", SIGN_OFF,   NULL,   NULL};
    struct cmd_result r;

    if (!submit)
        argv[7] = NULL;
    else if (*submit)
        argv[10] = submit;
    r = run_cmd(argv);
    cr_assert_eq(r.status, want, "%s %s exit %d: %s", period, as_of, r.status, r.err);
    cr_assert(r.out[0] && strchr(r.out, '\n'), "no run folder on stdout: %s", r.out);
    r.out[strcspn(r.out, "\n")] = '\0';
    runs[(*nruns)++] = strdup(strrchr(r.out, '/') + 1);
    cmd_result_free(&r);
}

/* TEXT with every run folder name RUNS[i] as "<run i+1>" (the longest names first, so that a
 * stamp is never replaced inside a longer one) and every ledger time "YYYY-MM-DDTHH:MM:SSZ"
 * as "<time>" (malloc'd). */
static char *
normalise(const char *text, char *runs[], int nruns)
{
    size_t cap = strlen(text) * 2 + 64, n = 0;
    char *out = malloc(cap);

    cr_assert(out);
    for (const char *p = text; *p;) {
        int best = -1;
        size_t blen = 0;
        for (int i = 0; i < nruns; i++) {
            size_t l = strlen(runs[i]);
            if (l > blen && strncmp(p, runs[i], l) == 0 &&
                !(p[l] == '-' && p[l + 1] >= '0' && p[l + 1] <= '9')) {
                best = i;
                blen = l;
            }
        }
        if (best >= 0) {
            n += (size_t)snprintf(out + n, cap - n, "<run %d>", best + 1);
            p += blen;
        } else if (strlen(p) >= 20 && p[4] == '-' && p[7] == '-' && p[10] == 'T' && p[13] == ':' &&
                   p[16] == ':' && p[19] == 'Z' && strspn(p, "0123456789") == 4) {
            n += (size_t)snprintf(out + n, cap - n, "<time>");
            p += 20;
        } else
            out[n++] = *p++;
        cr_assert(n < cap - 16);
    }
    out[n] = '\0';
    return out;
}

/* yj-run --history ARGS...; asserts exit 0 and a stderr of its begin and end lines only (each
 * after its UTC time); its stdout (malloc'd). */
static char *
history(const char *const argv[])
{
    struct cmd_result r = run_cmd(argv);
    char *out, *end;

    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    end = strchr(r.err, '\n');
    cr_assert(end && strstr(r.err, " yj-run: begin: history ") == strchr(r.err, ' '), "%s", r.err);
    cr_assert(strstr(end + 1, " yj-run: end: status 0, ") == strchr(end + 1, ' '), "%s", r.err);
    cr_assert(strchr(end + 1, '\n') && strchr(end + 1, '\n')[1] == '\0', "%s", r.err);
    out = r.out;
    r.out = NULL;
    cmd_result_free(&r);
    return out;
}

/* PRODUCED must be GOLDEN byte for byte; it is kept in DIR/NAME to be reviewed. */
static void
expect_golden(const char *produced, const char *golden, const char *dir, const char *name)
{
    char *keep = path2(dir, name), *want = read_file(golden, NULL);
    FILE *f = fopen(keep, "w");

    cr_assert(f && fputs(produced, f) >= 0 && fclose(f) == 0);
    cr_assert(want, "cannot read %s", golden);
    if (strcmp(want, produced) != 0)
        cr_assert_fail("--history differs from the golden file: diff -u %s %s", golden, keep);
    free(want);
    free(keep);
}

Test(history, a_runs_root_of_nightly_runs_a_submission_and_a_correction_is_shown_exactly)
{
    char *root = temp_dir("history-runs"), *tag = strrchr(root, '/') + 1, url[1024], *conf;
    char *runs[NRUNS], *text, *json, *norm, *part, *latest, *verify_out;
    int nruns = 0;

    sql_exec_db("postgres", "DROP DATABASE IF EXISTS yj_history");
    sql_exec_db("postgres", "CREATE DATABASE yj_history TEMPLATE yj_golden");
    snprintf(url, sizeof(url), "%s/ok/%s/", env_get("YJ_TEST_FAULT_URL"), tag);
    {
        char conn[1024];
        const char *golden = env_get("YJ_TEST_GOLDEN_CONNINFO");
        const char *at = strstr(golden, "dbname=yj_golden");
        cr_assert(at);
        snprintf(conn, sizeof(conn), "%.*sdbname=yj_history%s", (int)(at - golden), golden,
                 at + strlen("dbname=yj_golden"));
        conf = config_variant("history", "conninfo", conn, "url", url, "runs_root", root, NULL);
    }
    /* a 10-17 population, so that KPI 9 has a rate, shown "per 10,000": 2025Q1 counts against
     * 2024's (kpi.conf population_years_back = 1); 2024Q4's year, 2023, is missing: not known */
    sql_exec_db("yj_history", "INSERT INTO cms.population VALUES "
                              "(2024, 14, 'M', 'W', 12345, '2025-01-01 00:00:00+00'), "
                              "(2025, 14, 'M', 'W', 12345, '2025-01-01 00:00:00+00')");
    yj_run(conf, "2024Q4", "2025-07-02T00:00:00Z", NULL, 0, runs, &nruns);
    yj_run(conf, "2025Q1", "2025-07-02T00:00:00Z", NULL, 65, runs, &nruns);
    record_change("offence", "offence_date = '2025-04-02'", "offence_id = 1011",
                  "2025-07-03 00:00:00+00");
    yj_run(conf, "2025Q1", "2025-07-04T00:00:00Z", "", 0, runs, &nruns);
    record_change("young_person", "sex_cd = 'F'", "yp_id = 11", "2025-07-05 00:00:00+00");
    yj_run(conf, "2025Q1", "2025-07-06T00:00:00Z", "--resubmit", 0, runs, &nruns);

    {
        const char *argv[] = {"yj-run", "--history", root, NULL};
        text = history(argv);
    }
    norm = normalise(text, runs, nruns);
    expect_golden(norm, GOLDEN_TEXT, root, "history.txt");
    {
        /* the same from the configuration's [run] runs_root */
        const char *argv[] = {"yj-run", "--config", conf, "--history", NULL};
        char *again = history(argv);
        cr_assert_str_eq(again, text, "--config and RUNS_ROOT differ");
        free(again);
    }
    {
        const char *argv[] = {"yj-run", "--history", "--format", "json", root, NULL};
        char *n2;
        json = history(argv);
        n2 = normalise(json, runs, nruns);
        expect_golden(n2, GOLDEN_JSON, root, "history.json");
        free(n2);
    }
    {
        /* --period shows that period's block alone, the same lines */
        const char *argv[] = {"yj-run", "--history", "--period", "2024Q4", root, NULL};
        char *only = history(argv);
        part = strstr(text, "\nMEDWAY 2024Q4 ");
        cr_assert(part, "%s", text);
        cr_assert_str_eq(only, part + 1);
        free(only);
    }
    /* each period's latest link names its newest complete run: the correction, the nightly */
    {
        char link[4096], target[64];
        ssize_t n;
        snprintf(link, sizeof(link), "%s/MEDWAY/2025Q1/latest", root);
        n = readlink(link, target, sizeof(target) - 1);
        cr_assert(n > 0, "no link %s", link);
        target[n] = '\0';
        cr_assert_str_eq(target, runs[3]);
        snprintf(link, sizeof(link), "%s/MEDWAY/2024Q4/latest", root);
        n = readlink(link, target, sizeof(target) - 1);
        cr_assert(n > 0, "no link %s", link);
        target[n] = '\0';
        cr_assert_str_eq(target, runs[0]);
        latest = strdup(target);
    }
    {
        /* --rerun of a latest link reruns the run it names, into that run's folder */
        char rdir[4096], want[4096];
        const char *argv[] = {"yj-run", "--config", conf, "--rerun", rdir, NULL};
        struct cmd_result r;
        snprintf(rdir, sizeof(rdir), "%s/MEDWAY/2024Q4/latest", root);
        r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "%s", r.err);
        snprintf(want, sizeof(want), "%s/MEDWAY/2024Q4/%s/rerun-", root, runs[0]);
        cr_assert(strncmp(r.out, want, strlen(want)) == 0, "%s", r.out);
        cmd_result_free(&r);
    }
    {
        /* --verify of a runs root with latest links: each run once, nothing wrong */
        const char *argv[] = {"yj-run", "--verify", root, NULL};
        struct cmd_result r = run_cmd(argv);
        char want[4096];
        cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
        snprintf(want, sizeof(want),
                 "incomplete %s/MEDWAY/2025Q1/%s: RUN says result failed (status.validate 65)\n"
                 "verified 4 runs, 123 files, ledger checked: 0 problems, 1 incomplete\n",
                 root, runs[1]);
        cr_assert_str_eq(r.out, want);
        verify_out = r.out;
        r.out = NULL;
        cmd_result_free(&r);
    }
    {
        /* a latest that is not a link to a run folder's name is a problem naming it */
        char link[4096], want[8192];
        const char *argv[] = {"yj-run", "--verify", root, NULL};
        struct cmd_result r;
        snprintf(link, sizeof(link), "%s/MEDWAY/2024Q4/latest", root);
        cr_assert_eq(unlink(link), 0);
        cr_assert_eq(symlink("../2025Q1", link), 0);
        r = run_cmd(argv);
        cr_assert_eq(r.status, 74, "%s%s", r.out, r.err);
        snprintf(want, sizeof(want),
                 "problem %s: points at '../2025Q1', not a run folder of the period\n"
                 "incomplete %s/MEDWAY/2025Q1/%s: RUN says result failed (status.validate 65)\n"
                 "verified 4 runs, 123 files, ledger checked: 1 problem, 1 incomplete\n",
                 link, root, runs[1]);
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
    }
    free(verify_out);
    free(latest);
    free(json);
    free(norm);
    free(text);
    for (int i = 0; i < nruns; i++)
        free(runs[i]);
    free(conf);
    free(root);
}

Test(history, an_empty_runs_root_has_no_runs_and_a_missing_one_exits_66)
{
    char *root = temp_dir("history-empty"), *missing = path2(root, "none");
    {
        const char *argv[] = {"yj-run", "--history", root, NULL};
        char *out = history(argv);
        cr_assert_str_eq(out, "no runs\n");
        free(out);
    }
    {
        const char *argv[] = {"yj-run", "--history", "--period", "2025Q1", root, NULL};
        char *out = history(argv);
        cr_assert_str_eq(out, "no runs of 2025Q1\n");
        free(out);
    }
    {
        const char *argv[] = {"yj-run", "--history", "--format", "json", root, NULL};
        char *out = history(argv);
        cr_assert_str_eq(out, "{\"format\": \"yjreturns-history 1\",\n  \"periods\": []}\n");
        free(out);
    }
    {
        const char *argv[] = {"yj-run", "--history", missing, NULL};
        struct cmd_result r = run_cmd(argv);
        char want[4096];
        const char *sp = strchr(r.err, ' ');
        cr_assert_eq(r.status, 66, "%s", r.err);
        cr_assert_str_eq(r.out, "");
        snprintf(want, sizeof(want),
                 " yj-run: error: runs root '%s' is not a folder: No such file or directory\n",
                 missing);
        cr_assert(sp, "%s", r.err);
        cr_assert_str_eq(sp, want);
        cmd_result_free(&r);
    }
    {
        /* as --verify says of it */
        const char *argv[] = {"yj-run", "--verify", missing, NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 66, "%s", r.err);
        cmd_result_free(&r);
    }
    {
        const char *bad[][8] = {
            {"yj-run", "--history", "--format", "xml", root, NULL},
            {"yj-run", "--history", "--period", "2025Q5", root, NULL},
            {"yj-run", "--history", "--submit", root, NULL},
            {"yj-run", "--history", "--check", root, NULL},
            {"yj-run", "--history", NULL},
            {"yj-run", "--verify", "--format", "json", root, NULL},
            {"yj-run", "--config", "/dev/null", "--period", "2025Q1", "--format", "json", NULL},
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            struct cmd_result r = run_cmd(bad[i]);
            cr_assert_eq(r.status, 64, "%s %s: exit %d: %s", bad[i][2], bad[i][3] ? bad[i][3] : "",
                         r.status, r.err);
            cr_assert_str_eq(r.out, "");
            cmd_result_free(&r);
        }
    }
    free(missing);
    free(root);
}
