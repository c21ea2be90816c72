/*
 * test_run.c - yj-run as an unattended job: the lock covers the stages and outlives a killed
 * yj-run only as long as its stage does; SIGTERM stops the stage and says so in RUN (and,
 * sent to yj-run --rerun, in RERUN); a backfill goes on past a failed period and ends with a
 * table; --log-format json reaches every stage; staged data is removed after a run that
 * succeeds; old nightly runs and *.tmp left by killed runs are cleaned; a standalone yj-submit
 * takes the period's lock; a percent-encoded password in conninfo is refused. And a crash
 * test: yj-run --submit killed at many points, every time rerun, never uploads a return twice
 * and never leaves a run that looks complete.
 *
 * A stage is made to wait by a second session that holds an ACCESS EXCLUSIVE lock on
 * cms.young_person (yj-extract's first query reads it) while it sleeps.
 */
#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A config of the harness with its own runs root and any further key = value pairs. */
static char *
run_config(const char *tag, char **runs_root, const char *k1, const char *v1)
{
    char *root = temp_dir(tag);
    char *conf = config_variant(tag, "runs_root", root, k1, v1, NULL);

    *runs_root = root;
    return conf;
}

/* ---- a warehouse session that holds cms.young_person until released ---- */

static pid_t
block_warehouse(void)
{
    const char *argv[] = {"/usr/bin/psql",
                          "-X",
                          "-q",
                          "-d",
                          env_get("YJ_TEST_CONNINFO"),
                          "-c",
                          "BEGIN",
                          "-c",
                          "LOCK TABLE cms.young_person IN ACCESS EXCLUSIVE MODE",
                          "-c",
                          "SELECT pg_sleep(30) /* yj test_run blocker */",
                          NULL};
    pid_t pid = spawn_cmd(argv);

    for (int i = 0; i < 200; i++) {
        char *n = sql_exec("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = "
                           "l.relation WHERE c.relname = 'young_person' AND l.mode = "
                           "'AccessExclusiveLock' AND l.granted");
        int held = n && strcmp(n, "1") == 0;
        free(n);
        if (held)
            return pid;
        sleep_ms(50);
    }
    cr_assert_fail("the blocking session did not get its lock");
    return pid;
}

static void
release_warehouse(pid_t blocker)
{
    free(sql_exec("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid <> "
                  "pg_backend_pid() AND (query LIKE '%yj test_run blocker%' OR usename = "
                  "'yj_extract')"));
    kill(blocker, SIGTERM);
    while (waitpid(blocker, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* 1 if nobody holds the lock file's flock (taken and dropped again at once). */
static int
lock_free(const char *lock)
{
    int fd = open(lock, O_RDWR | O_CLOEXEC), free_now;

    if (fd < 0)
        return 1;
    free_now = flock(fd, LOCK_EX | LOCK_NB) == 0;
    close(fd);
    return free_now;
}

static char *
lock_of(const char *runs_root, const char *period)
{
    char *p = malloc(4096);
    snprintf(p, 4096, "%s/MEDWAY/%s.lock", runs_root, period);
    return p;
}

/* The first line of a file, without its newline (malloc'd), or NULL. */
static char *
first_line(const char *path)
{
    char *text = read_file(path, NULL), *line;

    if (!text || !*text) {
        free(text);
        return NULL;
    }
    line = strndup(text, strcspn(text, "\n"));
    free(text);
    return line;
}

Test(run, sigterm_stops_the_stage_records_interrupted_and_frees_the_lock_after_it)
{
    char *root, *conf = run_config("sigterm", &root, NULL, NULL);
    char *work = temp_dir("sigterm-out"), *out = path2(work, "out"), *err = path2(work, "err");
    char *lock = lock_of(root, "2024Q2"), *dir, *run, *text;
    const char *argv[] = {"yj-run", "--config", conf, "--period", "2024Q2", NULL};
    pid_t blocker = block_warehouse(), yjrun, stage;
    int status;

    yjrun = start_run(argv, out, err);
    stage = child_named(yjrun, "yj-extract");
    cr_assert(stage > 0, "no yj-extract under yj-run");
    sleep_ms(300);
    cr_assert(!lock_free(lock), "the lock must be held during the stage");
    {
        /* a second run of the same service and period meanwhile: 79 */
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 79, "exit %d: %s", r.status, r.err);
        cr_assert(strstr(r.err, "another run holds the lock"), "%s", r.err);
        cmd_result_free(&r);
    }
    cr_assert_eq(kill(yjrun, SIGTERM), 0);
    while (waitpid(yjrun, &status, 0) < 0 && errno == EINTR)
        ;
    /* the stage was stopped and waited for before yj-run ended, by the same signal */
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "yj-run status %#x", status);
    cr_assert(kill(stage, 0) != 0 && errno == ESRCH, "yj-extract %d still exists", (int)stage);
    cr_assert(lock_free(lock), "the lock must be free once yj-run has ended");
    dir = first_line(out);
    cr_assert(dir, "no run directory on stdout");
    run = read_file(path2(dir, "RUN"), NULL);
    cr_assert(run, "no RUN in %s", dir);
    cr_assert(strstr(run, "\nresult interrupted\n"), "%s", run);
    cr_assert(strstr(run, "\ninterrupted SIGTERM\n"), "%s", run);
    cr_assert(strstr(run, "\nstatus.extract 143\n"), "%s", run);
    cr_assert(strstr(run, "\nlast_stage extract\n"), "%s", run);
    cr_assert(!file_exists(path2(dir, "staged/MANIFEST")), "an interrupted extract looks complete");
    text = read_file(err, NULL);
    cr_assert(strstr(text, "yj-run: error: yj-extract stopped by SIGTERM"), "%s", text);
    release_warehouse(blocker);
    /* the period runs again at once */
    {
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
        cmd_result_free(&r);
    }
    free(text);
    free(run);
    free(dir);
    free(lock);
    free(out);
    free(err);
    free(work);
    free(conf);
    free(root);
}

/* The name the period's latest link points to (malloc'd), or NULL when there is no link. */
static char *
latest_of(const char *runs_root, const char *period)
{
    char link[4096], target[256];
    ssize_t n;

    snprintf(link, sizeof(link), "%s/MEDWAY/%s/latest", runs_root, period);
    n = readlink(link, target, sizeof(target) - 1);
    if (n <= 0)
        return NULL;
    target[n] = '\0';
    return strdup(target);
}

/* latest moves at the end of a run to the newest run that ended; a run refused for the lock
 * and a run stopped mid-way leave it where it was. */
Test(run, the_latest_link_names_the_newest_complete_run_never_a_killed_or_refused_one)
{
    char *root, *conf = run_config("latest", &root, NULL, NULL);
    char *work = temp_dir("latest-out"), *out = path2(work, "out"), *err = path2(work, "err");
    const char *argv[] = {"yj-run", "--config", conf, "--period", "2024Q2", NULL};
    char *first, *second, *now, *killed;
    pid_t blocker, yjrun, stage;
    int status;

    {
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
        first = strdup(strrchr(r.out, '/') + 1);
        first[strcspn(first, "\n")] = '\0';
        cmd_result_free(&r);
    }
    now = latest_of(root, "2024Q2");
    cr_assert(now, "no latest link after a run");
    cr_assert_str_eq(now, first);
    free(now);
    blocker = block_warehouse();
    yjrun = start_run(argv, out, err);
    stage = child_named(yjrun, "yj-extract");
    cr_assert(stage > 0, "no yj-extract under yj-run");
    {
        /* refused for the lock meanwhile: 79, and the link stays */
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 79, "exit %d: %s", r.status, r.err);
        cmd_result_free(&r);
        now = latest_of(root, "2024Q2");
        cr_assert_str_eq(now, first, "a run refused for the lock moved the link");
        free(now);
    }
    cr_assert_eq(kill(yjrun, SIGTERM), 0);
    while (waitpid(yjrun, &status, 0) < 0 && errno == EINTR)
        ;
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "yj-run status %#x", status);
    killed = first_line(out);
    cr_assert(killed, "no run directory on stdout");
    now = latest_of(root, "2024Q2");
    cr_assert_str_eq(now, first, "a run stopped mid-way (%s) moved the link", killed);
    free(now);
    release_warehouse(blocker);
    {
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
        second = strdup(strrchr(r.out, '/') + 1);
        second[strcspn(second, "\n")] = '\0';
        cmd_result_free(&r);
    }
    now = latest_of(root, "2024Q2");
    cr_assert_str_eq(now, second);
    cr_assert_str_neq(second, first);
    free(now);
    free(killed);
    free(second);
    free(first);
    free(out);
    free(err);
    free(work);
    free(conf);
    free(root);
}

/* The rerun starts its stages as the run does (etl/core/spawner.c): SIGTERM reaches the
 * running stage, which is waited for; RERUN says so; yj-run ends by the same signal. */
Test(run, sigterm_to_a_rerun_stops_its_stage_records_interrupted_and_ends_by_it)
{
    char *root, *conf = run_config("rerun-sigterm", &root, NULL, NULL);
    char *work = temp_dir("rerun-sigterm-out"), *out = path2(work, "out"),
         *err = path2(work, "err");
    const char *argv[] = {"yj-run", "--config", conf, "--period", "2024Q2", NULL};
    struct cmd_result r = run_cmd(argv);
    char *run_dir, *dir, *rec, *text, *want, tail[256];
    pid_t blocker, yjrun, stage;
    int status;

    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    run_dir = strndup(r.out, strcspn(r.out, "\n"));
    {
        const char *rerun[] = {"yj-run", "--config", conf, "--rerun", run_dir, NULL};
        blocker = block_warehouse();
        yjrun = start_run(rerun, out, err);
    }
    stage = child_named(yjrun, "yj-extract");
    cr_assert(stage > 0, "no yj-extract under yj-run --rerun");
    sleep_ms(300);
    cr_assert_eq(kill(yjrun, SIGTERM), 0);
    while (waitpid(yjrun, &status, 0) < 0 && errno == EINTR)
        ;
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "yj-run status %#x", status);
    cr_assert(kill(stage, 0) != 0 && errno == ESRCH, "yj-extract %d still exists", (int)stage);
    release_warehouse(blocker);
    dir = first_line(out);
    cr_assert(dir, "no rerun folder on stdout");
    rec = read_file(path2(dir, "RERUN"), NULL);
    cr_assert(rec, "no RERUN in %s", dir);
    snprintf(tail, sizeof(tail),
             "\nwith_current_mappings no\nformat.yjreturns-diff 1\nstatus.extract 143\n"
             "interrupted SIGTERM\nresult interrupted\n");
    want = strstr(rec, "\nwith_current_mappings ");
    cr_assert(want && strcmp(want, tail) == 0, "%s", rec);
    text = read_file(err, NULL);
    cr_assert(strstr(text, "yj-run: error: yj-extract stopped by SIGTERM: yj-run was stopped\n"),
              "%s", text);
    free(text);
    free(rec);
    free(dir);
    free(run_dir);
    cmd_result_free(&r);
    free(out);
    free(err);
    free(work);
    free(conf);
    free(root);
}

Test(run, sigkill_leaves_no_stage_behind_and_the_orphan_holds_the_lock_until_it_ends)
{
    char *root, *conf = run_config("sigkill", &root, NULL, NULL);
    char *work = temp_dir("sigkill-out"), *out = path2(work, "out"), *err = path2(work, "err");
    char *lock = lock_of(root, "2024Q3"), *dir, *run;
    const char *argv[] = {"yj-run", "--config", conf, "--period", "2024Q3", NULL};
    pid_t blocker = block_warehouse(), yjrun, stage;

    yjrun = start_run(argv, out, err);
    stage = child_named(yjrun, "yj-extract");
    cr_assert(stage > 0, "no yj-extract under yj-run");
    sleep_ms(300);
    /* the stage is held stopped, so that the signal its parent's death sends it waits */
    cr_assert_eq(kill(stage, SIGSTOP), 0);
    for (int i = 0; i < 500 && state_of(stage) != 'T'; i++)
        sleep_ms(10);
    cr_assert_eq(state_of(stage), 'T', "yj-extract did not stop");
    cr_assert_eq(kill(yjrun, SIGKILL), 0);
    while (waitpid(yjrun, NULL, 0) < 0 && errno == EINTR)
        ;
    cr_assert(alive(stage), "the stopped stage should still be there");
    cr_assert(!lock_free(lock), "the orphaned stage holds the inherited lock while it lives");
    cr_assert_eq(kill(stage, SIGCONT), 0);
    /* PR_SET_PDEATHSIG: the kernel sent it SIGTERM when yj-run died */
    cr_assert(wait_gone(stage, 10000), "yj-extract %d outlived yj-run", (int)stage);
    cr_assert(lock_free(lock), "the lock is free once the stage has ended");
    dir = first_line(out);
    cr_assert(dir);
    run = read_file(path2(dir, "RUN"), NULL);
    /* a run killed outright says it was running, never that it finished */
    cr_assert(run && strstr(run, "\nresult running\n"), "%s", run ? run : "(no RUN)");
    release_warehouse(blocker);
    free(run);
    free(dir);
    free(lock);
    free(out);
    free(err);
    free(work);
    free(conf);
    free(root);
}

Test(run, a_backfill_backwards_or_longer_than_400_periods_is_refused_before_any_run)
{
    char *root, *conf = run_config("backfill-range", &root, NULL, NULL);
    static const struct {
        const char *from, *to, *why;
    } cases[] = {
        {"2025Q1", "2024Q4", "--from 2025Q1 --to 2024Q4: the first period is after the last"},
        {"1990Q1", "2090Q1", "--from 1990Q1 --to 2090Q1: too many periods"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *argv[] = {"yj-run",      "--config", conf,        "--from",
                              cases[i].from, "--to",     cases[i].to, NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 64, "exit %d: %s", r.status, r.err);
        cr_assert(strstr(r.err, cases[i].why), "%s", r.err);
        cr_assert_str_eq(r.out, "");
        cmd_result_free(&r);
    }
    cr_assert_eq(count_files(root), 0, "a refused backfill made files");
    free(conf);
    free(root);
}

Test(run, backfill_runs_every_period_goes_on_past_a_failure_and_ends_with_a_table)
{
    char *root, *conf = run_config("backfill", &root, NULL, NULL);
    /* 2022Q4 is before the first bundle (2023Q1): its preflight refuses it, 78 and no run
     * folder; the next two run */
    const char *argv[] = {"yj-run", "--config", conf, "--from", "2022Q4", "--to", "2023Q2", NULL};
    struct cmd_result r = run_cmd(argv);
    const char *periods[] = {"2022Q4", "2023Q1", "2023Q2"};
    char *line = r.out;

    cr_assert_eq(r.status, 78, "the first failure's status; exit %d: %s", r.status, r.err);
    for (int i = 0; i < 3; i++) {
        char want[256];
        size_t n = strcspn(line, "\n");
        if (i > 0) {
            cr_assert(n > 0 && line[n] == '\n', "stdout line %d missing: %s", i, r.out);
            snprintf(want, sizeof(want), "%s/MEDWAY/%s/", root, periods[i]);
            cr_assert(strncmp(line, want, strlen(want)) == 0, "line %d: %.*s", i, (int)n, line);
            line += n + 1;
        }
        snprintf(want, sizeof(want), "yj-run: period %d of 3: %s\n", i + 1, periods[i]);
        cr_assert(strstr(r.err, want), "no progress line '%s':\n%s", want, r.err);
    }
    cr_assert_str_empty(line, "stdout holds only the run directories: %s", r.out);
    cr_assert(strstr(r.err, "yj-run: period  status  result      run directory\n"), "%s", r.err);
    cr_assert(strstr(r.err, "yj-run: 2022Q4      78  failed      -\n"), "%s", r.err);
    cr_assert(strstr(r.err, "yj-run: 2023Q1       0  validated   "), "%s", r.err);
    cr_assert(strstr(r.err, "yj-run: 2023Q2       0  validated   "), "%s", r.err);
    cr_assert(strstr(r.err, "backfill: 1 of 3 periods failed; the first, 2022Q4, with exit "
                            "status 78"),
              "%s", r.err);
    cmd_result_free(&r);
    {
        /* all succeeded: 0; a range the wrong way round: 64 */
        const char *ok[] = {"yj-run", "--config", conf, "--from", "2023Q1", "--to", "2023Q1", NULL};
        const char *bad[] = {"yj-run", "--config", conf,     "--from",
                             "2023Q2", "--to",     "2023Q1", NULL};
        const char *both[] = {"yj-run", "--config", conf,   "--period", "2023Q1",
                              "--from", "2023Q1",   "--to", "2023Q1",   NULL};
        r = run_cmd(ok);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cmd_result_free(&r);
        r = run_cmd(bad);
        cr_assert_eq(r.status, 64, "%s", r.err);
        cmd_result_free(&r);
        r = run_cmd(both);
        cr_assert_eq(r.status, 64, "%s", r.err);
        cmd_result_free(&r);
    }
    free(conf);
    free(root);
}

Test(run, log_format_json_reaches_every_stage_and_every_line_has_a_utc_time)
{
    char *root, *conf = run_config("json", &root, NULL, NULL);
    const char *argv[] = {"yj-run", "--config",     conf,   "--period",
                          "2024Q1", "--log-format", "json", NULL};
    const char *programs[] = {"yj-run", "yj-extract", "yj-transform", "yj-validate", "yj-kpi"};
    struct cmd_result r = run_cmd(argv);
    int lines = 0;

    cr_assert_eq(r.status, 0, "%s", r.err);
    for (char *line = strtok(r.err, "\n"); line; line = strtok(NULL, "\n")) {
        int y, mo, d, h, mi, s, ms, n = 0;
        size_t len = strlen(line);
        cr_assert(len > 2 && line[0] == '{' && line[len - 1] == '}', "not JSON: %s", line);
        cr_assert(sscanf(line, "{\"ts\":\"%4d-%2d-%2dT%2d:%2d:%2d.%3dZ\",%n", &y, &mo, &d, &h, &mi,
                         &s, &ms, &n) == 7 &&
                      n == 33,
                  "no UTC ts first: %s", line);
        cr_assert(strstr(line, ",\"level\":\"") && strstr(line, ",\"message\":\""), "%s", line);
        lines++;
    }
    cr_assert_gt(lines, 10);
    cmd_result_free(&r);
    r = run_cmd(argv);
    for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
        char want[64];
        snprintf(want, sizeof(want), "\"program\":\"%s\"", programs[i]);
        cr_assert(strstr(r.err, want), "%s logged no JSON line:\n%s", programs[i], r.err);
    }
    cmd_result_free(&r);
    {
        /* text lines: the UTC time first, then the line as it always was */
        const char *text[] = {"yj-run", "--config", conf, "--period", "2024Q1", NULL};
        int y, mo, d, h, mi, s, n = 0;
        r = run_cmd(text);
        cr_assert(sscanf(r.err, "%4d-%2d-%2dT%2d:%2d:%2dZ yj-run: begin: %n", &y, &mo, &d, &h, &mi,
                         &s, &n) == 6 &&
                      n == 36,
                  "%s", r.err);
        cr_assert(strstr(r.err, "Z yj-extract: begin: "), "%s", r.err);
        cmd_result_free(&r);
    }
    free(conf);
    free(root);
}

/* --period current: the financial quarter of today (UTC), resolved once by yj-run; the run
 * folder, RUN and every stage name that quarter, never the word. */
Test(run, period_current_is_the_quarter_of_today)
{
    char *root, *conf = run_config("today", &root, NULL, NULL);
    const char *argv[] = {"yj-run", "--config", conf, "--period", "current", NULL};
    time_t now = time(NULL);
    struct tm tm;
    char label[24], want[256], *rec, *dir;
    struct cmd_result r;

    gmtime_r(&now, &tm);
    /* April to December: quarters 1 to 3 of this year; January to March: 4 of the last */
    if (tm.tm_mon >= 3)
        snprintf(label, sizeof(label), "%04dQ%d", tm.tm_year + 1900, tm.tm_mon / 3);
    else
        snprintf(label, sizeof(label), "%04dQ4", tm.tm_year + 1899);
    r = run_cmd(argv);
    snprintf(want, sizeof(want), "%s/MEDWAY/%s/", root, label);
    cr_assert(strncmp(r.out, want, strlen(want)) == 0, "run folder %s is not under %s\n%s", r.out,
              want, r.err);
    dir = strndup(r.out, strcspn(r.out, "\n"));
    rec = read_file(path2(dir, "RUN"), NULL);
    snprintf(want, sizeof(want), "\nperiod %s\n", label);
    cr_assert(rec && strstr(rec, want), "RUN does not say %s:\n%s", want, rec);
    cr_assert(!strstr(r.err, "period=current"), "a stage was given the word:\n%s", r.err);
    snprintf(want, sizeof(want), "period=%s ", label);
    cr_assert(strstr(r.err, want), "yj-run's begin line does not name %s:\n%s", label, r.err);
    free(rec);
    free(dir);
    cmd_result_free(&r);
    free(conf);
    free(root);
}

static void
assert_mode(const char *dir, const char *name, unsigned mode)
{
    struct stat st;
    char *p = path2(dir, name);

    cr_assert_eq(stat(p, &st), 0, "%s missing", p);
    cr_assert_eq(st.st_mode & 0777, mode, "%s has mode %o, want %o", p, st.st_mode & 0777, mode);
    free(p);
}

Test(run, a_run_that_succeeds_removes_the_staged_data_unless_keep_staged)
{
    char *root, *conf = run_config("staged", &root, NULL, NULL);
    char *root2, *keep = run_config("keep-staged", &root2, "keep_staged", "yes");
    const char *argv[] = {"yj-run", "--config", conf, "--period", "2024Q1", NULL};
    struct cmd_result r = run_cmd(argv);
    char *dir, *run, *staged;

    cr_assert_eq(r.status, 0, "%s", r.err);
    dir = strndup(r.out, strcspn(r.out, "\n"));
    staged = path2(dir, "staged");
    cr_assert(file_exists(path2(staged, "MANIFEST")), "the staged MANIFEST stays");
    cr_assert(!file_exists(path2(staged, "person.tsv")), "person.tsv holds dates of birth");
    cr_assert(!file_exists(path2(staged, "offence.tsv")));
    /* the service inputs hold no child's data: kept, for yj-kpi and yj-report run again */
    cr_assert(file_exists(path2(staged, "service/population.tsv")));
    run = read_file(path2(dir, "RUN"), NULL);
    cr_assert(strstr(run, "\nstaged_files removed\n"), "%s", run);
    /* RUN names the moment the warehouse was read as recorded at, as the extract did */
    {
        char *m = read_file(path2(staged, "MANIFEST"), NULL), *a = strstr(m, "\nas_of "), want[128];
        cr_assert(a);
        snprintf(want, sizeof(want), "\nas_of %.*s\n", (int)strcspn(a + 7, "\n"), a + 7);
        cr_assert(strstr(run, want), "RUN lacks '%s':\n%s", want + 1, run);
        free(m);
    }
    /* what stays and holds personal data is the owner's alone */
    assert_mode(dir, "return/cld.xml", 0600);
    assert_mode(dir, "validate/report.txt", 0600);
    assert_mode(dir, "kpi/cases.csv", 0600);
    assert_mode(dir, "kpi/worklist.csv", 0600);
    cr_assert(!strstr(r.err, "could not remove"), "%s", r.err);
    cmd_result_free(&r);
    {
        /* a run killed between its RUN and the removal leaves them (here put back by hand,
         * with a file that is not staged data): the next run of the period removes the
         * children's data, and keeps the service input as a run that succeeded does */
        const char *back[] = {"person.tsv", "service/population.tsv", "notes.txt"};
        for (size_t i = 0; i < 3; i++) {
            FILE *f = fopen(path2(staged, back[i]), "w");
            cr_assert(f, "%s", back[i]);
            fputs("x\n", f);
            cr_assert_eq(fclose(f), 0);
        }
        r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert(strstr(r.err, "removed 1 staged file an earlier run of this period left behind"),
                  "%s", r.err);
        cr_assert(!file_exists(path2(staged, "person.tsv")));
        cr_assert(file_exists(path2(staged, "service/population.tsv")));
        cr_assert(file_exists(path2(staged, "notes.txt")), "only staged data files go");
        cr_assert(file_exists(path2(staged, "MANIFEST")));
        cmd_result_free(&r);
    }
    free(run);
    free(staged);
    free(dir);

    argv[2] = keep;
    r = run_cmd(argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    dir = strndup(r.out, strcspn(r.out, "\n"));
    run = read_file(path2(dir, "RUN"), NULL);
    cr_assert(strstr(run, "\nstaged_files kept\n"), "%s", run);
    assert_mode(dir, "staged/person.tsv", 0600);
    assert_mode(dir, "staged/offence.tsv", 0600);
    assert_mode(dir, "staged/hearing.tsv", 0600);
    cmd_result_free(&r);
    free(run);
    free(dir);
    free(conf);
    free(keep);
    free(root);
    free(root2);
}

static char *
make_run_folder(const char *root, const char *period, const char *name, const char *submit)
{
    char path[4096], *dir;
    FILE *f;

    snprintf(path, sizeof(path), "%s/MEDWAY/%s/%s/staged", root, period, name);
    {
        const char *mk[] = {"/bin/mkdir", "-p", path, NULL};
        struct cmd_result r = run_cmd(mk);
        cr_assert_eq(r.status, 0);
        cmd_result_free(&r);
    }
    snprintf(path, sizeof(path), "%s/MEDWAY/%s/%s", root, period, name);
    dir = strdup(path);
    snprintf(path, sizeof(path), "%s/RUN", dir);
    f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "yjreturns-manifest 1\nstage run\nperiod %s\nsubmit %s\nresult %s\n", period, submit,
            strcmp(submit, "yes") == 0 ? "submitted" : "validated");
    fclose(f);
    snprintf(path, sizeof(path), "%s/staged/person.tsv", dir);
    f = fopen(path, "w");
    cr_assert(f);
    fclose(f);
    if (strcmp(submit, "yes") == 0) {
        snprintf(path, sizeof(path), "%s/submit", dir);
        mkdir(path, 0750);
        snprintf(path, sizeof(path), "%s/submit/receipt", dir);
        f = fopen(path, "w");
        cr_assert(f);
        fclose(f);
    }
    return dir;
}

Test(run, old_nightly_runs_are_pruned_by_the_time_in_their_name_and_tmp_files_cleaned)
{
    char *root, *conf = run_config("prune", &root, "keep_days", "30");
    char recent_name[32], *old_nightly, *old_other_period, *old_submitted, *not_a_time, *recent;
    char *tmp1, *tmp2, *tmp_other;
    time_t t = time(NULL) - 2 * 86400;
    struct tm tm;
    FILE *f;

    gmtime_r(&t, &tm);
    strftime(recent_name, sizeof(recent_name), "%Y%m%dT%H%M%SZ", &tm);
    /* every folder is new on disk: only its name says how old the run is */
    old_nightly = make_run_folder(root, "2024Q1", "20200101T000000Z", "no");
    old_other_period = make_run_folder(root, "2023Q4", "20200103T000000Z-2", "no");
    old_submitted = make_run_folder(root, "2024Q1", "20200102T000000Z", "yes");
    not_a_time = make_run_folder(root, "2024Q1", "kept-by-hand", "no");
    recent = make_run_folder(root, "2024Q1", recent_name, "no");
    /* what killed runs left half written */
    tmp1 = path2(recent, "staged/person.tsv.tmp");
    tmp2 = path2(old_submitted, "RUN.tmp");
    tmp_other = path2(old_other_period, "staged/offence.tsv.tmp");
    cr_assert((f = fopen(tmp1, "w")) && fclose(f) == 0);
    cr_assert((f = fopen(tmp2, "w")) && fclose(f) == 0);
    cr_assert((f = fopen(tmp_other, "w")) && fclose(f) == 0);
    {
        const char *argv[] = {"yj-run", "--config", conf, "--period", "2024Q1", NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert(strstr(r.err, "yj-run: removed 2 unfinished files (*.tmp) of earlier runs of "
                                "this period"),
                  "%s", r.err);
        cr_assert(strstr(r.err, "yj-run: removed 2 nightly run folders older than 30 days"), "%s",
                  r.err);
        cmd_result_free(&r);
    }
    cr_assert(!file_exists(old_nightly), "an old nightly run stays");
    cr_assert(!file_exists(old_other_period), "an old nightly run of another period stays");
    cr_assert(file_exists(path2(old_submitted, "submit/receipt")), "a submitted run was pruned");
    cr_assert(file_exists(path2(not_a_time, "RUN")), "a folder not named by a time was pruned");
    cr_assert(file_exists(path2(recent, "RUN")), "a recent run was pruned");
    cr_assert(!file_exists(tmp1) && !file_exists(tmp2), "*.tmp of the period stay");
    {
        /* keep_days = 0 keeps every run */
        char *conf0 = config_variant("prune0", "runs_root", root, "keep_days", "0", NULL);
        char *old = make_run_folder(root, "2024Q1", "20200104T000000Z", "no");
        const char *argv[] = {"yj-run", "--config", conf0, "--period", "2024Q1", NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert(file_exists(path2(old, "RUN")), "keep_days = 0 pruned a run");
        cmd_result_free(&r);
        free(old);
        free(conf0);
    }
    {
        /* a bad keep_days or keep_staged: 78 */
        const char *bad[][2] = {{"keep_days", "-1"},
                                {"keep_days", "30d"},
                                {"keep_days", "36501"},
                                {"keep_staged", "maybe"}};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            char *c = config_variant("badkeep", bad[i][0], bad[i][1], NULL);
            const char *argv[] = {"yj-run", "--config", c, "--period", "2024Q1", NULL};
            struct cmd_result r = run_cmd(argv);
            cr_assert_eq(r.status, 78, "%s = %s: exit %d: %s", bad[i][0], bad[i][1], r.status,
                         r.err);
            cmd_result_free(&r);
            free(c);
        }
    }
    free(tmp1);
    free(tmp2);
    free(tmp_other);
    free(old_nightly);
    free(old_other_period);
    free(old_submitted);
    free(not_a_time);
    free(recent);
    free(conf);
    free(root);
}

/* Housekeeping never removes the run a period's latest link names, however old. */
Test(run, pruning_keeps_the_run_the_latest_link_names)
{
    char *root, *conf = run_config("prune-latest", &root, "keep_days", "30");
    char *old_latest = make_run_folder(root, "2023Q3", "20200101T000000Z-2", "no");
    char *old_other = make_run_folder(root, "2023Q3", "20200101T000000Z", "no");
    char link[4096];

    snprintf(link, sizeof(link), "%s/MEDWAY/2023Q3/latest", root);
    cr_assert_eq(symlink("20200101T000000Z-2", link), 0);
    {
        const char *argv[] = {"yj-run", "--config", conf, "--period", "2024Q1", NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert(strstr(r.err, "yj-run: removed 1 nightly run folder older than 30 days"), "%s",
                  r.err);
        cmd_result_free(&r);
    }
    cr_assert(file_exists(path2(old_latest, "RUN")), "the latest link's run was pruned");
    cr_assert(!file_exists(old_other), "an old nightly run stays");
    free(old_other);
    free(old_latest);
    free(conf);
    free(root);
}

Test(run, a_standalone_yj_submit_takes_the_lock_of_the_service_and_period)
{
    char *root, *conf = run_config("submitlock", &root, NULL, NULL);
    char *sign_off = sign_off_for("2024Q4");
    const char *argv[] = {"yj-run", "--config",   conf,     "--period",
                          "2024Q4", "--sign-off", sign_off, NULL};
    struct cmd_result r = run_cmd(argv);
    char *dir, *lock = lock_of(root, "2024Q4");
    int fd;

    cr_assert_eq(r.status, 0, "%s", r.err);
    dir = strndup(r.out, strcspn(r.out, "\n"));
    cmd_result_free(&r);
    fd = open(lock, O_RDWR | O_CLOEXEC);
    cr_assert(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0);
    {
        const char *submit[] = {"yj-submit", "--config", conf, "--run-dir", dir, NULL};
        r = run_cmd(submit);
        cr_assert_eq(r.status, 79, "exit %d: %s", r.status, r.err);
        cr_assert(strstr(r.err, "another run holds the lock"), "%s", r.err);
        cr_assert(!file_exists(path2(dir, "submit/receipt")));
        cmd_result_free(&r);
        /* a YJ_RUN_LOCK_FD that is not the lock does not let it past */
        setenv("YJ_RUN_LOCK_FD", "0", 1);
        r = run_cmd(submit);
        unsetenv("YJ_RUN_LOCK_FD");
        cr_assert_eq(r.status, 79, "exit %d: %s", r.status, r.err);
        cmd_result_free(&r);
        close(fd);
        r = run_cmd(submit);
        cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
        cr_assert(file_exists(path2(dir, "submit/receipt")));
        cmd_result_free(&r);
    }
    free(lock);
    free(dir);
    free(sign_off);
    free(conf);
    free(root);
}

/* A sign-off in the future, or before the period ends, is refused by yj-run before it makes a
 * run folder: nothing is read, nothing is left behind. */
Test(run, a_sign_off_in_the_future_is_refused_before_any_run_folder)
{
    const char *cases[][2] = {
        {"2099-01-01", "yj-run: error: --sign-off 2099-01-01 is in the future (today is "},
        {"2024-06-30", "yj-run: error: --sign-off 2024-06-30 is not after the end of period "
                       "2024Q1: a return is signed off once its quarter has ended\n"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *root, *conf = run_config("signoff", &root, NULL, NULL);
        const char *argv[] = {"yj-run",   "--config",   conf,        "--period", "2024Q1",
                              "--submit", "--sign-off", cases[i][0], NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 64, "%s: exit %d: %s", cases[i][0], r.status, r.err);
        cr_assert(strstr(r.err, cases[i][1]), "%s:\n%s", cases[i][0], r.err);
        cr_assert_str_empty(r.out);
        cr_assert_eq(count_files(root), 0, "%s left %d entries in the runs root", cases[i][0],
                     count_files(root));
        cmd_result_free(&r);
        free(conf);
        free(root);
    }
}

Test(run, a_password_in_conninfo_is_refused_also_percent_encoded_or_in_a_uri)
{
    const char *bad[] = {
        "host=/nowhere pass%77ord=s3cret dbname=yj",
        "host=/nowhere PASSWORD=s3cret dbname=yj",
        "host=/nowhere password = s3cret",
        "host=/nowhere sslpassword=s3cret",
        "postgresql://yj@localhost/yj?pass%77ord=s3cret",
        "postgresql://yj@localhost/yj?sslmode=disable&password=s3cret",
        "postgresql://yj:s3cret@localhost/yj",
        "postgres://yj:s3cret@localhost:5432,otherhost/yj",
        "postgresql://yj@localhost/yj?%70assword=s3cret",
    };
    const char *good[] = {
        "postgresql://yj_extract@127.0.0.1:1/yj?sslmode=disable&connect_timeout=2",
        "host=127.0.0.1 port=1 dbname=yj user=yj_extract passfile=/nowhere connect_timeout=2",
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *conf = config_variant("pw", "conninfo", bad[i], NULL);
        const char *argv[] = {"yj-run", "--config", conf, "--period", "2024Q1", NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 78, "'%s': exit %d: %s", bad[i], r.status, r.err);
        cr_assert(strstr(r.err, "a password in conninfo is refused"), "%s", r.err);
        cr_assert(!strstr(r.err, "s3cret"), "the password reached stderr: %s", r.err);
        cr_assert_str_empty(r.out);
        cmd_result_free(&r);
        free(conf);
    }
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        char *root, *conf = run_config("nopw", &root, "conninfo", good[i]);
        const char *argv[] = {"yj-run", "--config", conf, "--period", "2024Q1", NULL};
        struct cmd_result r = run_cmd(argv);
        /* accepted, then the warehouse cannot be reached on port 1 */
        cr_assert_eq(r.status, 69, "'%s': exit %d: %s", good[i], r.status, r.err);
        cmd_result_free(&r);
        free(conf);
        free(root);
    }
}

/* ---- the crash test ---- */

struct crash {
    char *runs, *tag, *conf, *fault;
    int points, sigkills, sigterms, returns, stage_hits[7]; /* [6]: the run had ended */
};

static const char *const crash_stages[] = {"none",     "extract", "transform",
                                           "validate", "kpi",     "submit"};

static char *
crash_conf(const char *runs, const char *fault, const char *tag)
{
    char url[1024], *conf, *text, *at;
    FILE *f;

    snprintf(url, sizeof(url), "%s/%s/%s/", env_get("YJ_TEST_FAULT_URL"), fault, tag);
    conf = config_variant(tag, "url", url, "runs_root", runs, NULL);
    text = read_file(conf, NULL);
    at = strstr(text, "[submit]\n");
    cr_assert(at);
    at += strlen("[submit]\n");
    f = fopen(conf, "w");
    cr_assert(f);
    fprintf(f, "%.*sdeadline = 30\nbackoff = 0.1\n%s", (int)(at - text), text, at);
    cr_assert_eq(fclose(f), 0);
    free(text);
    return conf;
}

/* The as-of moment N hundredths of a second before BASE: after the warehouse was loaded, and
 * each another return (its name holds the moment). */
static void
moment(time_t base, int n, char *buf, size_t len)
{
    time_t t = base - 1 - n / 100;
    struct tm tm;
    size_t k;

    gmtime_r(&t, &tm);
    k = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    cr_assert(k > 0 && k + 5 <= len);
    buf[k] = '.';
    buf[k + 1] = (char)('0' + (99 - n % 100) / 10);
    buf[k + 2] = (char)('0' + (99 - n % 100) % 10);
    buf[k + 3] = 'Z';
    buf[k + 4] = '\0';
}

/* Runs yj-run --submit as of AS_OF to the end, again while the lock is still held by what a
 * killed run left (79); returns its exit status. (Each return is a correction that differs
 * only in its as-of moment: --force-correction, here and in run_and_kill.) */
static int
run_to_the_end(struct crash *c, const char *as_of)
{
    char *sign_off = sign_off_for("2024Q1");
    const char *argv[] = {"yj-run",     "--config", c->conf,      "--period",
                          "2024Q1",     "--as-of",  as_of,        "--submit",
                          "--sign-off", sign_off,   "--resubmit", "--force-correction",
                          NULL};
    int status = -1;

    for (int tries = 0; tries < 100; tries++) {
        struct cmd_result r = run_cmd(argv);
        status = r.status;
        if (status != 79) {
            cr_assert_eq(status, 0, "rerun as of %s: exit %d:\n%s", as_of, status, r.err);
            cmd_result_free(&r);
            break;
        }
        cmd_result_free(&r);
        sleep_ms(100);
    }
    free(sign_off);
    return status;
}

/* yj-run --submit as of AS_OF, killed by SIG once WAIT_MS have passed, or once its RUN says
 * stage AT_STAGE has begun (AT_STAGE not NULL), or (WAIT_MS < 0) once the receiver has
 * stored a new upload; returns the run directory or NULL. */
static char *
run_and_kill(struct crash *c, const char *as_of, long wait_ms, const char *at_stage, int sig,
             int stored_before)
{
    char *work = temp_dir("crash-out"), *out = path2(work, "out"), *err = path2(work, "err");
    char *sign_off = sign_off_for("2024Q1"), *dir;
    const char *argv[] = {"yj-run",     "--config", c->conf,      "--period",
                          "2024Q1",     "--as-of",  as_of,        "--submit",
                          "--sign-off", sign_off,   "--resubmit", "--force-correction",
                          NULL};
    pid_t pid = start_run(argv, out, err);

    if (at_stage) {
        char want[64], *run_path = NULL;
        snprintf(want, sizeof(want), "\nlast_stage %s\n", at_stage);
        for (int i = 0; i < 20000; i++) {
            char *d = run_path ? NULL : first_line(out), *run;
            if (d) {
                run_path = path2(d, "RUN");
                free(d);
            }
            run = run_path ? read_file(run_path, NULL) : NULL;
            if ((run && strstr(run, want)) || waitpid(pid, NULL, WNOHANG) == pid) {
                free(run);
                break;
            }
            free(run);
            sleep_ms(1);
        }
        free(run_path);
    } else if (wait_ms >= 0)
        sleep_ms(wait_ms);
    else {
        char *fdir = path2(env_get("YJ_TEST_FAULT_DIR"), c->fault), *tdir = path2(fdir, c->tag);
        for (int i = 0; i < 600 && count_files(tdir) == stored_before; i++)
            sleep_ms(20);
        cr_assert_gt(count_files(tdir), stored_before, "the upload never reached the receiver");
        free(tdir);
        free(fdir);
    }
    kill(pid, sig);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    c->points++;
    if (sig == SIGKILL)
        c->sigkills++;
    else
        c->sigterms++;
    dir = first_line(out);
    {
        char *run = dir ? read_file(path2(dir, "RUN"), NULL) : NULL, *at;
        int k = 0;
        if (run && (at = strstr(run, "\nlast_stage ")) != NULL)
            for (k = 5; k > 0; k--)
                if (strncmp(at + 12, crash_stages[k], strlen(crash_stages[k])) == 0)
                    break;
        if (run && strstr(run, "\nresult submitted\n"))
            k = 6;
        c->stage_hits[k]++;
        free(run);
    }
    free(sign_off);
    free(out);
    free(err);
    free(work);
    return dir;
}

/* SHA-256 (hex) of BYTES, by sha256sum. */
static void
sha256_hex(const char *bytes, size_t len, char hex[65])
{
    char *dir = temp_dir("sha"), *p = path2(dir, "in");
    FILE *f = fopen(p, "wb");
    const char *argv[] = {"/usr/bin/sha256sum", p, NULL};
    struct cmd_result r;

    cr_assert(f && fwrite(bytes, 1, len, f) == len && fclose(f) == 0);
    r = run_cmd(argv);
    cr_assert_eq(r.status, 0);
    snprintf(hex, 65, "%.64s", r.out);
    cmd_result_free(&r);
    unlink(p);
    rmdir(dir);
    free(p);
    free(dir);
}

/* Checks the ledger's hash chain line by line; returns its number of lines. */
static int
verify_ledger(const char *path, int *repairs)
{
    char *text = read_file(path, NULL), prev[65];
    int n = 0;

    cr_assert(text, "no ledger");
    memset(prev, '0', 64);
    prev[64] = '\0';
    *repairs = 0;
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n'), *h, *pv, hex[65], want[32];
        cr_assert(nl, "the ledger ends in a torn line: %s", line);
        *nl = '\0';
        n++;
        snprintf(want, sizeof(want), "n=%d ", n);
        cr_assert(strncmp(line, want, strlen(want)) == 0, "line %d: %s", n, line);
        h = strstr(line, " hash=");
        pv = strstr(line, " prev=");
        cr_assert(h && pv && pv < h, "line %d: %s", n, line);
        cr_assert(strncmp(pv + 6, prev, 64) == 0, "line %d does not chain", n);
        sha256_hex(line, (size_t)(h - line), hex);
        cr_assert(strncmp(h + 6, hex, 64) == 0 && strlen(h + 6) == 64,
                  "line %d does not match its hash", n);
        memcpy(prev, hex, 65);
        *repairs += strstr(line, " event=repair ") != NULL;
        line = nl + 1;
    }
    free(text);
    return n;
}

/* Every file a stage MANIFEST lists is there with its size; staged files may be gone when RUN
 * says they were removed. */
static void
check_manifests(const char *dir, int staged_removed)
{
    const char *stages[] = {"staged", "return", "kpi"};

    for (size_t i = 0; i < 3; i++) {
        char *sdir = path2(dir, stages[i]), *mpath = path2(sdir, "MANIFEST");
        char *m = read_file(mpath, NULL);
        for (char *at = m; at && (at = strstr(at, "\nfile ")) != NULL; at++) {
            char name[512], *p;
            unsigned long long rows, bytes;
            struct stat st;
            cr_assert(sscanf(at, "\nfile %511s rows %llu bytes %llu", name, &rows, &bytes) == 3);
            p = path2(sdir, name);
            if (!(staged_removed && i == 0)) {
                cr_assert_eq(stat(p, &st), 0, "%s lists %s, which is missing", mpath, name);
                cr_assert_eq((unsigned long long)st.st_size, bytes, "%s: %s has %lld bytes", mpath,
                             name, (long long)st.st_size);
            }
            free(p);
        }
        free(m);
        free(mpath);
        free(sdir);
    }
}

/* 1 if a line of LEDGER holds RUN_FIELD (" run=DIR seal=") and records an "already" (nothing
 * sent: the receiver had these bytes). */
static int
ledger_has_already(const char *ledger, const char *run_field)
{
    for (const char *p = strstr(ledger, run_field); p; p = strstr(p + 1, run_field)) {
        const char *nl = strchr(p, '\n'), *a = strstr(p, " result=received answer=already");
        if (a && (!nl || a < nl))
            return 1;
    }
    return 0;
}

/* A run folder looks complete only if it is: RUN says validated or submitted only when every
 * stage's MANIFEST and (submitted) every receipt is there; any MANIFEST lists what is there. */
static int
check_run_folder(const char *dir, const char *ledger)
{
    char *run = read_file(path2(dir, "RUN"), NULL);
    int complete =
        run && (strstr(run, "\nresult submitted\n") || strstr(run, "\nresult validated\n"));

    if (complete) {
        char already[4200];
        /* submitted: its receipt, or the ledger's "already" for this run (the receiver had
         * these bytes from an earlier run, whose receipt is kept) */
        snprintf(already, sizeof(already), " run=%s seal=", dir);
        cr_assert(strstr(run, "\nresult submitted\n"), "a --submit run said validated: %s", dir);
        cr_assert(
            file_exists(path2(dir, "staged/MANIFEST")) &&
                file_exists(path2(dir, "return/MANIFEST")) &&
                file_exists(path2(dir, "kpi/MANIFEST")) &&
                file_exists(path2(dir, "validate/report.txt")) &&
                (file_exists(path2(dir, "submit/receipt")) || ledger_has_already(ledger, already)),
            "%s says submitted but is not complete", dir);
    } else if (run)
        cr_assert(strstr(run, "\nresult running\n") || strstr(run, "\nresult interrupted\n"),
                  "%s: a killed run's RUN:\n%s", dir, run);
    check_manifests(dir, run && strstr(run, "\nstaged_files removed\n"));
    free(run);
    return complete;
}

/* PUT requests for PREFIX in the faulty receiver's access log answered STATUS. */
static int
puts_answered(const char *prefix, const char *status)
{
    char *logs = path2(env_get("YJ_TEST_FAULT_DIR"), "../logs/access.log");
    char *text = read_file(logs, NULL), want[512];
    int n = 0;

    snprintf(want, sizeof(want), "\"PUT %s", prefix);
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n'), *at;
        if (nl)
            *nl = '\0';
        /* the back's lines (HTTP/1.0, the mirror that stores) are not the client's PUTs */
        if ((at = strstr(line, want)) != NULL && !strstr(line, " HTTP/1.0\" ") &&
            (at = strstr(at, "\" ")) != NULL && strncmp(at + 2, status, 3) == 0)
            n++;
        line = nl ? nl + 1 : line + strlen(line);
    }
    free(text);
    free(logs);
    return n;
}

Test(run, crash_test_killed_anywhere_reruns_never_upload_twice_nor_leave_a_run_looking_complete,
     .timeout = 800)
{
    struct crash c = {0};
    char as_of[32], prefix[256], *dir, *fdir, *tdir;
    time_t base = time(NULL);
    double t0, full;
    int n = 0, folders = 0, complete = 0, lines, repairs;
    struct timespec ts;

    c.runs = temp_dir("crash-runs");
    c.tag = strdup(strrchr(c.runs, '/') + 1);
    c.fault = "ok";
    c.conf = crash_conf(c.runs, "ok", c.tag);
    /* one whole run first, to spread the kills over its length */
    moment(base, n++, as_of, sizeof(as_of));
    clock_gettime(CLOCK_MONOTONIC, &ts);
    t0 = (double)ts.tv_sec + ts.tv_nsec / 1e9;
    run_to_the_end(&c, as_of);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    full = (double)ts.tv_sec + ts.tv_nsec / 1e9 - t0;
    c.returns++;
    /* 24 points from the start to past the end, SIGKILL and SIGTERM in turn; each a new
     * return (another as-of moment, a correction), rerun to the end after the kill */
    for (int i = 0; i < 24; i++) {
        long wait_ms = (long)(full * 1000.0 * 1.1 * i / 23.0);
        moment(base, n++, as_of, sizeof(as_of));
        free(run_and_kill(&c, as_of, wait_ms, NULL, i % 2 ? SIGTERM : SIGKILL, 0));
        run_to_the_end(&c, as_of);
        c.returns++;
    }
    /* at each stage's start, as RUN records it */
    for (int i = 0; i < 10; i++) {
        moment(base, n++, as_of, sizeof(as_of));
        free(run_and_kill(&c, as_of, 0, crash_stages[1 + i / 2], i % 2 ? SIGTERM : SIGKILL, 0));
        run_to_the_end(&c, as_of);
        c.returns++;
    }
    /* the window between the receiver storing the return and the receipt, exactly: a
     * receiver that stores, then never answers */
    {
        char *hang_tag = strdup(c.tag), *ok_conf = c.conf;
        int stored = 0;
        c.fault = "hang";
        c.conf = crash_conf(c.runs, "hang", c.tag);
        for (int i = 0; i < 2; i++) {
            moment(base, n++, as_of, sizeof(as_of));
            free(run_and_kill(&c, as_of, -1, NULL, i ? SIGTERM : SIGKILL, stored));
            stored++;
            run_to_the_end(&c, as_of);
        }
        fdir = path2(env_get("YJ_TEST_FAULT_DIR"), "hang");
        tdir = path2(fdir, hang_tag);
        cr_assert_eq(count_files(tdir), 2, "the hanging receiver holds %d", count_files(tdir));
        snprintf(prefix, sizeof(prefix), "/hang/%s/", hang_tag);
        cr_assert_eq(puts_answered(prefix, "201") + puts_answered(prefix, "499") +
                         puts_answered(prefix, "409"),
                     2, "each return was sent once");
        free(tdir);
        free(fdir);
        free(c.conf);
        c.conf = ok_conf;
        c.fault = "ok";
        free(hang_tag);
    }
    /* never two uploads of one return: one stored file and one 201 per return, never a 409 */
    fdir = path2(env_get("YJ_TEST_FAULT_DIR"), "ok");
    tdir = path2(fdir, c.tag);
    snprintf(prefix, sizeof(prefix), "/ok/%s/", c.tag);
    cr_assert_eq(count_files(tdir), c.returns, "%d returns, %d stored", c.returns,
                 count_files(tdir));
    cr_assert_eq(puts_answered(prefix, "201"), c.returns);
    cr_assert_eq(puts_answered(prefix, "409"), 0, "bytes the receiver had were sent again");
    /* never a folder that looks complete when it is not */
    {
        char pdir[4096];
        struct dirent **runs = NULL;
        int nr;
        snprintf(pdir, sizeof(pdir), "%s/MEDWAY/2024Q1", c.runs);
        char *ledger_path = path2(c.runs, "ledger"), *ledger = read_file(ledger_path, NULL);
        cr_assert(ledger);
        nr = scandir(pdir, &runs, NULL, alphasort);
        for (int k = 0; k < nr; k++) {
            if (runs[k]->d_name[0] != '.') {
                dir = path2(pdir, runs[k]->d_name);
                folders++;
                complete += check_run_folder(dir, ledger);
                free(dir);
            }
            free(runs[k]);
        }
        free(runs);
        free(ledger);
        free(ledger_path);
    }
    /* the ledger intact: every line chains */
    {
        char *ledger = path2(c.runs, "ledger");
        lines = verify_ledger(ledger, &repairs);
        free(ledger);
    }
    /* and yj-run --verify finds no problem: whatever a kill left is incomplete, or whole */
    {
        const char *argv[] = {"yj-run", "--verify", c.runs, NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "yj-run --verify of the crash runs root: exit %d\n%s\n%s",
                     r.status, r.out, r.err);
        cr_assert(!strstr(r.out, "problem "), "%s", r.out);
        cmd_result_free(&r);
    }
    fprintf(stderr,
            "crash test: %d kill points (%d SIGKILL, %d SIGTERM; one run takes %.2f s), stage "
            "running when killed: none %d, extract %d, transform %d, validate %d, kpi %d, "
            "submit %d, after the end %d; %d returns, %d uploads stored at /ok/ (%d PUT 201, 0 PUT "
            "409) and 2 at "
            "/hang/ (each sent once); %d run folders, %d complete, none looking complete when "
            "not; ledger %d lines, chain verified, %d torn-line repairs\n",
            c.points, c.sigkills, c.sigterms, full, c.stage_hits[0], c.stage_hits[1],
            c.stage_hits[2], c.stage_hits[3], c.stage_hits[4], c.stage_hits[5], c.stage_hits[6],
            c.returns + 2, count_files(tdir), puts_answered(prefix, "201"), folders, complete,
            lines, repairs);
    cr_assert_geq(c.points, 20);
    for (int k = 1; k <= 5; k++)
        cr_assert_gt(c.stage_hits[k], 0, "no kill while %s ran", crash_stages[k]);
    free(tdir);
    free(fdir);
    free(c.conf);
    free(c.tag);
    free(c.runs);
}
