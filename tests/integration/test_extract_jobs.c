/*
 * test_extract_jobs.c - yj-extract --jobs N against the real warehouse: every staged file and
 * the MANIFEST the same bytes as a serial read (but for the snapshot's own time), also when an
 * update commits while the workers wait, and when a change commits after the leader exported
 * its snapshot and before any worker's first statement (only the import of the leader's
 * snapshot keeps it out); a worker's lost connection failing the read as 69 with no MANIFEST.
 * A holder session (psql in the background, application_name yj-test-holder) takes the lock
 * that keeps the workers waiting, or holds the change until the workers are starting.
 */
#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* yj-extract of 2025Q1 with CONF into DIR, as recorded at AS_OF (when not NULL); must succeed. */
static void
extract_read(const char *conf, const char *dir, const char *jobs, const char *as_of)
{
    const char *argv[] = {"yj-extract", "--config", conf,     "--period", "2025Q1",
                          "--out",      dir,        "--jobs", jobs,       as_of ? "--as-of" : NULL,
                          as_of,        NULL};
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, 0, "--jobs %s: exit %d; stderr:\n%s", jobs, r.status, r.err);
    cmd_result_free(&r);
}

static void
extract_jobs_to(const char *dir, const char *jobs, const char *as_of)
{
    extract_read(env_get("YJ_TEST_CONF"), dir, jobs, as_of);
}

/* Every staged file of A (staged/ and staged/service/) has the same bytes in B, and B has no
 * other (SAME); or every one is in B with other bytes (!SAME). */
static void
compare_staged(const char *a, const char *b, int same)
{
    const char *sub[] = {"", "service"};
    int files = 0;

    for (size_t s = 0; s < 2; s++) {
        char *da = s ? path2(a, sub[s]) : strdup(a), *db = s ? path2(b, sub[s]) : strdup(b);
        DIR *d = opendir(da);
        struct dirent *e;

        cr_assert(d, "no folder %s", da);
        while ((e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            char *fa, *fb;
            if (n < 5 || strcmp(e->d_name + n - 4, ".tsv") != 0)
                continue;
            fa = path2(da, e->d_name);
            fb = path2(db, e->d_name);
            if (same)
                cr_assert(files_equal(fa, fb), "%s and %s differ", fa, fb);
            else
                cr_assert(file_exists(fb) && !files_equal(fa, fb), "%s and %s are the same", fa,
                          fb);
            free(fa);
            free(fb);
            files++;
        }
        closedir(d);
        if (same)
            cr_assert_eq(count_files(da), count_files(db), "%s and %s hold other files", da, db);
        free(da);
        free(db);
    }
    cr_assert_gt(files, 0, "no staged file in %s", a);
}

/* compare_staged(A, B, 1), and the MANIFESTs are the same but for the lines of SKIP
 * (NULL-terminated). */
static void
assert_same_read(const char *a, const char *b, const char *const skip[])
{
    char *ma, *mb, *la, *lb, *sa, *sb;

    compare_staged(a, b, 1);
    ma = read_file(sa = path2(a, "MANIFEST"), NULL);
    mb = read_file(sb = path2(b, "MANIFEST"), NULL);
    cr_assert(ma && mb, "a MANIFEST is missing");
    for (la = strtok(ma, "\n"), lb = NULL; la; la = strtok(NULL, "\n")) {
        int skipped = 0;
        for (size_t k = 0; skip[k]; k++)
            skipped |= strncmp(la, skip[k], strlen(skip[k])) == 0;
        if (skipped)
            continue;
        lb = strstr(mb, la);
        cr_assert(lb && (lb == mb || lb[-1] == '\n') && (lb[strlen(la)] == '\n'),
                  "%s line '%s' is not in %s", sa, la, sb);
    }
    cr_assert_eq(strlen(ma) > 0, 1);
    free(ma);
    free(mb);
    free(sa);
    free(sb);
}

static int
run_manifest_lines(const char *dir)
{
    char *m = path2(dir, "MANIFEST");
    char *text = read_file(m, NULL);
    int n = 0;

    cr_assert(text, "no %s", m);
    for (char *p = text; *p; p++)
        n += *p == '\n';
    free(text);
    free(m);
    return n;
}

Test(extract_jobs, one_two_and_eight_jobs_stage_the_same_bytes)
{
    const char *as_of = "2025-07-01T00:00:00Z";
    const char *skip[] = {"snapshot_time ", NULL};
    char *one = temp_dir("jobs1"), *two = temp_dir("jobs2"), *eight = temp_dir("jobs8");

    extract_jobs_to(one, "1", as_of);
    extract_jobs_to(two, "2", as_of);
    extract_jobs_to(eight, "8", as_of);
    assert_same_read(one, two, skip);
    assert_same_read(one, eight, skip);
    cr_assert_eq(run_manifest_lines(one), run_manifest_lines(two));
    cr_assert_eq(run_manifest_lines(one), run_manifest_lines(eight));
    free(one);
    free(two);
    free(eight);
}

Test(extract_jobs, jobs_outside_one_to_64_are_a_usage_error)
{
    const char *bad[] = {"0", "65", "two", "2x", ""};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *dir = temp_dir("badjobs"), want[128];
        const char *argv[] = {"yj-extract", "--config", env_get("YJ_TEST_CONF"),
                              "--period",   "2025Q1",   "--out",
                              dir,          "--jobs",   bad[i],
                              NULL};
        struct cmd_result r = run_cmd(argv);

        snprintf(want, sizeof(want),
                 "yj-extract: error: --jobs '%s' is not a number from 1 to 64\n", bad[i]);
        cr_assert_eq(r.status, 64, "--jobs '%s': exit %d; stderr:\n%s", bad[i], r.status, r.err);
        cr_assert(strstr(r.err, want), "stderr lacks \"%s\":\n%s", want, r.err);
        cr_assert(!file_exists(path2(dir, "MANIFEST")));
        cmd_result_free(&r);
        free(dir);
    }
}

/* Starts the holder: psql running SQL in one transaction, as yj-test-holder. */
static pid_t
holder_start(const char *sql)
{
    char conn[1200];

    snprintf(conn, sizeof(conn), "%s application_name=yj-test-holder", env_get("YJ_TEST_CONNINFO"));
    {
        const char *argv[] = {
            "/usr/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conn, "-c", sql, NULL};
        return spawn_cmd(argv);
    }
}

/* Waits (up to 60 s) until the query SQL, a count, gives a value other than 0. */
static void
wait_for(const char *sql, const char *what)
{
    for (int i = 0; i < 600; i++) {
        char *v = sql_exec(sql);
        int done = v && strcmp(v, "0") != 0;
        free(v);
        if (done)
            return;
        usleep(100 * 1000);
    }
    cr_assert_fail("waited 60 s for %s", what);
}

static int
wait_exit(pid_t pid)
{
    int st;

    cr_assert_eq(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#define HOLDER_HAS_LOCK                                                                            \
    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "                    \
    "WHERE a.application_name = 'yj-test-holder' AND l.mode = 'AccessExclusiveLock' "              \
    "AND l.granted AND l.relation = 'cms.young_person'::regclass"

Test(extract_jobs, an_update_committed_while_the_workers_wait_is_not_read)
{
    /* The holder's transaction updates a child and locks the children's table before the read
     * begins, and commits while every worker waits for that lock: its update is stamped before
     * the read's as-of moment, so only the snapshot keeps it out of the staged files. */
    char *before = temp_dir("upd_before"), *during = temp_dir("upd_during");
    char *after = temp_dir("upd_after"), sql[512], *child, *pb, *pa;
    const char *skip[] = {"snapshot_time ", "as_of ", NULL};
    pid_t holder;

    child = sql_exec("SELECT min(yp_id) FROM cms.young_person "
                     "WHERE first_contact_date <= '2025-06-30' AND ethnicity_cd = 'WBRI'");
    cr_assert(child, "no child to update");
    extract_jobs_to(before, "1", NULL);
    snprintf(sql, sizeof(sql),
             "BEGIN; UPDATE cms.young_person SET ethnicity_cd = 'WIRI' WHERE yp_id = %s; "
             "LOCK TABLE cms.young_person IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(3); COMMIT;",
             child);
    holder = holder_start(sql);
    wait_for(HOLDER_HAS_LOCK, "the holder's lock");
    extract_jobs_to(during, "2", NULL);
    cr_assert_eq(wait_exit(holder), 0, "the holder failed");
    extract_jobs_to(after, "1", NULL);
    assert_same_read(before, during, skip);
    pb = path2(before, "person.tsv");
    pa = path2(after, "person.tsv");
    cr_assert(!files_equal(pb, pa), "the update must show in a read after it");
    snprintf(sql, sizeof(sql), "UPDATE cms.young_person SET ethnicity_cd = 'WBRI' WHERE yp_id = %s",
             child);
    free(sql_exec(sql));
    free(pb);
    free(pa);
    free(child);
    free(before);
    free(during);
    free(after);
}

/* The test's own copy of the warehouse, changed while a read runs, dropped when it ends. */
#define SNAP_DB "yj_snap"

static void
snap_db_drop(void)
{
    sql_exec_db("postgres", "DROP DATABASE IF EXISTS " SNAP_DB " WITH (FORCE)");
}

/* A config reading SNAP_DB as yj_extract; its connections sleep DELAY seconds after they
 * authenticate (post_auth_delay, a setting of the connection's start: a role's or database's
 * SET of it is refused at connection) before they run any statement, when DELAY is given. */
static char *
snap_conf(const char *delay)
{
    const char *golden = env_get("YJ_TEST_GOLDEN_CONNINFO");
    const char *at = strstr(golden, "dbname=yj_golden");
    char conn[1024];

    cr_assert(at);
    snprintf(conn, sizeof(conn), "%.*sdbname=" SNAP_DB "%s%s%s%s", (int)(at - golden), golden,
             at + strlen("dbname=yj_golden"), delay ? " options='-c post_auth_delay=" : "",
             delay ? delay : "", delay ? "'" : "");
    return config_variant(delay ? "snapdelay" : "snap", "conninfo", conn, NULL);
}

/* The backends of SNAP_DB still starting (in their post_auth_delay): they hold the lock on
 * their database that a connection's start takes, and are not yet in pg_stat_activity, which
 * lists a backend once started, before it reads its first statement. */
#define SNAP_STARTING                                                                              \
    "(SELECT count(DISTINCT l.pid) FROM pg_locks l WHERE l.locktype = 'object' "                   \
    "AND l.classid = 'pg_database'::regclass AND l.objid = (SELECT oid FROM pg_database "          \
    "WHERE datname = current_database()) AND l.pid NOT IN (SELECT pid FROM pg_stat_activity "      \
    "WHERE pid IS NOT NULL))"
#define SNAP_EXPORTED                                                                              \
    "(SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "                   \
    "AND application_name = 'yj-extract' AND state = 'idle in transaction' "                       \
    "AND query = 'SELECT pg_export_snapshot()')"

/* The change: in one transaction begun before the read begins (so that the read's as-of
 * moment, its leader's transaction time, is later than the change's stamp), children leave the
 * return (an UPDATE whose rows every query of sql/extract/ reads), a new child comes in (an
 * INSERT), a board meeting's attendance is deleted and a population count updated (the service
 * queries'); committed once the leader has exported its snapshot and both workers are still
 * starting; then it prints how many still are. */
#define SNAP_CHANGE                                                                                \
    "BEGIN; "                                                                                      \
    "UPDATE cms.young_person SET first_contact_date = '2025-07-15' WHERE yp_id % 10 = 0; "         \
    "INSERT INTO cms.young_person (yp_id, first_contact_date) VALUES (999001, '2025-05-01'); "     \
    "DELETE FROM cms.board_attendance WHERE board_attendance_id = (SELECT "                        \
    "min(board_attendance_id) FROM cms.board_attendance WHERE quarter = '2025Q1'); "               \
    "UPDATE cms.population SET headcount = headcount + 1 WHERE (year, age, sex_cd, "               \
    "ethnicity_group_cd) = (SELECT year, age, sex_cd, ethnicity_group_cd FROM cms.population "     \
    "WHERE age = 14 ORDER BY 1, 2, 3, 4 LIMIT 1); "                                                \
    "DO $$ BEGIN FOR i IN 1..1200 LOOP PERFORM pg_stat_clear_snapshot(); "                         \
    "IF " SNAP_EXPORTED " = 1 AND " SNAP_STARTING " = 2 THEN RETURN; END IF; "                     \
    "PERFORM pg_sleep(0.05); END LOOP; "                                                           \
    "RAISE EXCEPTION 'waited 60 s for the export and the workers'' start'; END $$; "               \
    "COMMIT; "                                                                                     \
    "SELECT " SNAP_STARTING

Test(extract_jobs, a_change_committed_after_the_export_before_the_workers_begin_is_not_read,
     .fini = snap_db_drop)
{
    /* A worker that began a transaction of its own instead of importing the leader's snapshot
     * would see the change: it is committed before any worker's first statement, and stamped
     * before the read's as-of moment. Every staged file holds some of the change, so whichever
     * worker reads a query, it shows there. */
    char *before = temp_dir("snap_before"), *during = temp_dir("snap_during");
    char *after = temp_dir("snap_after"), *logs = temp_dir("snap_logs"), *text;
    char *conf = snap_conf(NULL), *delayed = snap_conf("3"), holder_conn[1200];
    char *holder_out = path2(logs, "holder.out"), *holder_err = path2(logs, "holder.err");
    char *extract_out = path2(logs, "extract.out"), *extract_err = path2(logs, "extract.err");
    const char *skip[] = {"snapshot_time ", "as_of ", NULL};
    const char *super = env_get("YJ_TEST_CONNINFO"), *at = strstr(super, "dbname=yj ");
    pid_t holder, extract;
    int st;

    snap_db_drop();
    sql_exec_db("postgres", "CREATE DATABASE " SNAP_DB " TEMPLATE yj");
    extract_read(conf, before, "1", NULL);
    cr_assert(at);
    snprintf(holder_conn, sizeof(holder_conn),
             "%.*sdbname=" SNAP_DB " %s application_name=yj-test-holder", (int)(at - super), super,
             at + strlen("dbname=yj "));
    {
        const char *argv[] = {"/usr/bin/psql",   "-X", "-q",        "-t", "-A",        "-v",
                              "ON_ERROR_STOP=1", "-d", holder_conn, "-c", SNAP_CHANGE, NULL};
        holder = start_run(argv, holder_out, holder_err);
    }
    wait_for("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'yj-test-holder' "
             "AND backend_xid IS NOT NULL",
             "the holder's change");
    {
        const char *argv[] = {"yj-extract", "--config", delayed,  "--period", "2025Q1",
                              "--out",      during,     "--jobs", "2",        NULL};
        extract = start_run(argv, extract_out, extract_err);
    }
    st = wait_exit(holder);
    text = read_file(holder_err, NULL);
    cr_assert_eq(st, 0, "the holder failed:\n%s", text ? text : "");
    free(text);
    text = read_file(holder_out, NULL);
    cr_assert_str_eq(text ? text : "", "2\n",
                     "both workers must still be starting when the change commits");
    free(text);
    st = wait_exit(extract);
    text = read_file(extract_err, NULL);
    cr_assert_eq(st, 0, "--jobs 2: exit %d; stderr:\n%s", st, text ? text : "");
    free(text);
    extract_read(conf, after, "1", NULL);
    assert_same_read(before, during, skip);
    compare_staged(before, after, 0);
    free(holder_out);
    free(holder_err);
    free(extract_out);
    free(extract_err);
    free(conf);
    free(delayed);
    free(before);
    free(during);
    free(after);
    free(logs);
}

Test(extract_jobs, a_worker_whose_backend_is_terminated_fails_the_read_as_unavailable)
{
    char *out = temp_dir("lostworker"), *log = path2(out, "stderr"), *dir = path2(out, "staged");
    char cmd[2048], *err, *line, *end;
    pid_t holder, extract;
    int errors = 0;

    holder = holder_start("BEGIN; LOCK TABLE cms.young_person IN ACCESS EXCLUSIVE MODE; "
                          "SELECT pg_sleep(30); COMMIT;");
    wait_for(HOLDER_HAS_LOCK, "the holder's lock");
    snprintf(cmd, sizeof(cmd),
             "exec '%s/yj-extract' --config '%s' --period 2025Q1 --out '%s' "
             "--jobs 2 2>'%s'",
             YJ_BIN_DIR, env_get("YJ_TEST_CONF"), dir, log);
    {
        const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
        extract = spawn_cmd(argv);
    }
    wait_for("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'yj-extract worker 1' "
             "AND wait_event_type = 'Lock'",
             "worker 1 waiting for the lock");
    free(sql_exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                  "WHERE application_name = 'yj-extract worker 1'"));
    cr_assert_eq(wait_exit(extract), 69);
    free(sql_exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                  "WHERE application_name = 'yj-test-holder'"));
    wait_exit(holder);
    err = read_file(log, NULL);
    cr_assert(err);
    /* one error line: the terminated worker's, in the COPY that waits for the lock (a query's
     * functions are planned, and their tables locked, when it runs); the other worker was
     * cancelled quietly */
    for (line = err; (end = strchr(line, '\n')) != NULL; line = end + 1) {
        *end = '\0';
        if (!strstr(line, "yj-extract: error: "))
            continue;
        errors++;
        cr_assert(strstr(line, "' failed: FATAL:  terminating connection due to administrator "
                               "command") &&
                      strlen(strstr(line, "' failed: FATAL:")) ==
                          strlen("' failed: FATAL:  terminating connection due to administrator "
                                 "command"),
                  "unexpected error line: %s", line);
        cr_assert(strstr(line, "yj-extract: error: query '"), "unexpected error line: %s", line);
    }
    cr_assert_eq(errors, 1, "want one error line:\n%s", err);
    cr_assert(!file_exists(path2(dir, "MANIFEST")), "a MANIFEST was written");
    cr_assert(!file_exists(path2(dir, "person.tsv")), "the children were staged");
    free(err);
    free(log);
    free(dir);
    free(out);
}

/* The harness config with "work_mem = VALUE" in [warehouse]. */
static char *
work_mem_config(const char *value)
{
    char *dir = temp_dir("workmem"), *path = path2(dir, "yj.conf");
    char *base = read_file(env_get("YJ_TEST_CONF"), NULL), *at;
    FILE *f = fopen(path, "w");

    cr_assert(base && f);
    at = strstr(base, "[warehouse]\n");
    cr_assert(at, "no [warehouse] in the harness config");
    at += strlen("[warehouse]\n");
    fprintf(f, "%.*swork_mem = %s\n%s", (int)(at - base), base, value, at);
    cr_assert_eq(fclose(f), 0);
    free(base);
    free(dir);
    return path;
}

Test(extract_jobs, a_work_mem_the_server_refuses_is_a_config_error)
{
    char *conf = work_mem_config("lots"), *dir = temp_dir("badwm"), want[1024];
    const char *argv[] = {"yj-extract", "--config", conf,     "--period", "2025Q1",
                          "--out",      dir,        "--jobs", "2",        NULL};
    struct cmd_result r = run_cmd(argv);

    snprintf(want, sizeof(want),
             "yj-extract: error: [warehouse] work_mem 'lots' in '%s' was refused: SQLSTATE "
             "22023\nHINT: give a size PostgreSQL accepts for work_mem, e.g. 64MB\n",
             conf);
    cr_assert_eq(r.status, 78, "exit %d; stderr:\n%s", r.status, r.err);
    cr_assert(strstr(r.err, want), "stderr lacks \"%s\":\n%s", want, r.err);
    cr_assert(!file_exists(path2(dir, "MANIFEST")));
    cmd_result_free(&r);
    free(conf);
    free(dir);
}

Test(extract_jobs, a_work_mem_the_server_accepts_lets_the_read_run)
{
    char *conf = work_mem_config("96MB"), *dir = temp_dir("goodwm");
    const char *argv[] = {"yj-extract", "--config", conf,     "--period", "2025Q1",
                          "--out",      dir,        "--jobs", "1",        NULL};
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, 0, "exit %d; stderr:\n%s", r.status, r.err);
    cr_assert(file_exists(path2(dir, "MANIFEST")));
    cmd_result_free(&r);
    free(conf);
    free(dir);
}

Test(extract_jobs, sigterm_stops_the_workers_and_the_read_dies_of_it_leaving_no_manifest)
{
    char *out = temp_dir("sigterm"), *dir = path2(out, "staged"), cmd[2048];
    const char *find[] = {"/usr/bin/find", dir, "-name", "*.tmp", NULL};
    struct cmd_result left;
    pid_t holder, extract;

    holder = holder_start("BEGIN; LOCK TABLE cms.young_person IN ACCESS EXCLUSIVE MODE; "
                          "SELECT pg_sleep(30); COMMIT;");
    wait_for(HOLDER_HAS_LOCK, "the holder's lock");
    snprintf(cmd, sizeof(cmd),
             "exec '%s/yj-extract' --config '%s' --period 2025Q1 --out '%s' --jobs 2", YJ_BIN_DIR,
             env_get("YJ_TEST_CONF"), dir);
    {
        const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
        extract = spawn_cmd(argv);
    }
    wait_for("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE "
             "'yj-extract worker %' AND wait_event_type = 'Lock'",
             "a worker waiting for the lock");
    cr_assert_eq(kill(extract, SIGTERM), 0);
    cr_assert_eq(wait_exit(extract), 128 + SIGTERM);
    free(sql_exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                  "WHERE application_name = 'yj-test-holder'"));
    wait_exit(holder);
    cr_assert(!file_exists(path2(dir, "MANIFEST")), "a MANIFEST was written");
    left = run_cmd(find);
    cr_assert_eq(left.status, 0);
    cr_assert_str_eq(left.out, "", "a worker's file was left half written:\n%s", left.out);
    cmd_result_free(&left);
    wait_for("SELECT CASE WHEN count(*) = 0 THEN 1 ELSE 0 END FROM pg_stat_activity "
             "WHERE application_name LIKE 'yj-extract%'",
             "the read's backends to end");
    free(dir);
    free(out);
}
