/*
 * test_beside.c - yj-run computes the KPIs while the return is validated (docs/design.md
 * "Stages side by side"): yj-kpi starts with yj-validate, reads the return, and writes
 * nothing until yj-run tells it the verdict; then it is recorded and its lines follow
 * yj-validate's, as when the two ran one after the other. A validation that fails other than
 * "invalid", or a stop signal, leaves the KPIs out as a stage the run never reached. RUN
 * records every stage's wall and CPU seconds and the whole run's.
 *
 * Each test runs yj-run on a bench (bench.h) whose yj-validate is a stand-in: it waits for
 * the test's "go" file, says so on stderr, then runs the real yj-validate or exits with a
 * status of the test's choosing.
 */
#include "bench.h"
#include "support.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PERIOD "2024Q2"
#define WAIT_MS 600 /* how long the stand-in yj-validate is held */

/* The bench whose yj-validate is the stand-in. */
static struct bench
bench_make(const char *tag, const char *then)
{
    return bench_make_for(tag, "yj-validate", then);
}

Test(beside, the_kpis_are_counted_while_the_return_is_validated_and_written_after_its_verdict,
     .timeout = 300)
{
    struct bench b = bench_make("beside-valid", "exec \"$REAL\" \"$@\"");
    pid_t yjrun = bench_start(&b, PERIOD, NULL), validate, kpi;
    char *run, *kpi_manifest, *err, *went, *kpi_line;
    int status;
    double cpu_sum = 0;

    validate = child_named(yjrun, "yj-validate");
    kpi = child_named(yjrun, "yj-kpi");
    cr_assert(validate > 0, "no yj-validate under yj-run");
    cr_assert(kpi > 0, "yj-kpi did not start beside yj-validate");
    sleep_ms(WAIT_MS);
    run = bench_run_dir(&b);
    kpi_manifest = path2(run, "kpi/MANIFEST");
    /* held by the stand-in, the validation has no verdict yet: yj-kpi has read the return
     * and waits, having written nothing */
    cr_assert(alive(kpi), "yj-kpi ended before the verdict");
    cr_assert(!file_exists(kpi_manifest), "yj-kpi wrote before the verdict");
    cr_assert(run_has(run, "last_stage validate"));
    cr_assert(run_has(run, "result running"));
    bench_go(&b);
    status = wait_status(yjrun);
    err = read_file(b.err, NULL);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "yj-run status %#x:\n%s", status, err);

    cr_assert(run_has(run, "status.validate 0"));
    cr_assert(run_has(run, "status.kpi 0"));
    cr_assert(run_has(run, "last_stage kpi"));
    cr_assert(run_has(run, "result validated"));
    {
        char *m = read_file(kpi_manifest, NULL);
        cr_assert(m && strstr(m, "\nprovisional no\n"), "%s", m ? m : "no kpi/MANIFEST");
        free(m);
    }
    /* both were held as long as the stand-in: the KPIs ran beside the validation */
    cr_assert_geq(run_value(run, "seconds.validate"), WAIT_MS / 1000.0);
    cr_assert_geq(run_value(run, "seconds.kpi"), WAIT_MS / 1000.0);
    /* every stage's CPU, and the whole run's: at least theirs together */
    {
        static const char *const stages[] = {"extract", "transform", "validate", "kpi"};
        for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
            char key[64];
            double v;
            snprintf(key, sizeof(key), "cpu.%s", stages[i]);
            v = run_value(run, key);
            cr_assert_geq(v, 0, "RUN has no %s", key);
            cpu_sum += v;
        }
    }
    cr_assert_gt(run_value(run, "cpu.kpi"), 0, "yj-kpi read the return: its CPU is not 0");
    cr_assert_geq(run_value(run, "cpu.run") + 0.01, cpu_sum);
    /* yj-validate starts beside yj-transform, and its seconds count from then: the two
     * together take the longer of them */
    {
        double t = run_value(run, "seconds.transform"), v = run_value(run, "seconds.validate");
        cr_assert_geq(run_value(run, "seconds.run") + 0.01,
                      run_value(run, "seconds.extract") + (t > v ? t : v));
    }
    /* the KPIs' lines come after the validation's, as when the two ran one after the other */
    went = strstr(err, "stand-in yj-validate: went on");
    kpi_line = strstr(err, "yj-kpi");
    cr_assert(went && kpi_line && kpi_line > went, "yj-kpi's lines before yj-validate's:\n%s", err);
    /* RUN written at every stage's start and at the end, each time without a word */
    cr_assert(!strstr(err, ": error: "), "a run that succeeded reports an error:\n%s", err);
    free(err);
    free(kpi_manifest);
    free(run);
    bench_free(&b);
}

Test(beside, an_invalid_return_makes_the_kpis_written_beside_it_provisional, .timeout = 300)
{
    struct bench b = bench_make("beside-invalid", "exit 65");
    pid_t yjrun = bench_start(&b, PERIOD, NULL);
    char *run, *m, *headline, *err;
    int status;

    cr_assert(child_named(yjrun, "yj-kpi") > 0, "yj-kpi did not start beside yj-validate");
    bench_go(&b);
    status = wait_status(yjrun);
    err = read_file(b.err, NULL);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 65, "yj-run status %#x:\n%s", status,
              err);
    run = bench_run_dir(&b);
    cr_assert(run_has(run, "status.validate 65"));
    cr_assert(run_has(run, "status.kpi 0"));
    cr_assert(run_has(run, "result failed"));
    m = read_file(path2(run, "kpi/MANIFEST"), NULL);
    cr_assert(m && strstr(m, "\nprovisional yes\n"), "%s", m ? m : "no kpi/MANIFEST");
    headline = read_file(path2(run, "kpi/headline.csv"), NULL);
    cr_assert(headline && !strstr(headline, ",no\n"), "a figure is not provisional:\n%s",
              headline ? headline : "no headline.csv");
    cr_assert(strstr(err, "yj-validate failed with exit status 65"), "%s", err);
    free(headline);
    free(m);
    free(err);
    free(run);
    bench_free(&b);
}

Test(beside, a_validation_that_fails_otherwise_leaves_the_kpis_out_unwritten_and_unrecorded,
     .timeout = 300)
{
    struct bench b = bench_make("beside-fails", "exit 70");
    pid_t yjrun = bench_start(&b, PERIOD, NULL), kpi;
    char *run, *kpi_dir, *err;
    int status;

    kpi = child_named(yjrun, "yj-kpi");
    cr_assert(kpi > 0, "yj-kpi did not start beside yj-validate");
    sleep_ms(WAIT_MS);
    bench_go(&b);
    status = wait_status(yjrun);
    err = read_file(b.err, NULL);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 70, "yj-run status %#x:\n%s", status,
              err);
    cr_assert(!alive(kpi), "yj-kpi outlived the run");
    run = bench_run_dir(&b);
    kpi_dir = path2(run, "kpi");
    cr_assert(run_has(run, "status.validate 70"));
    cr_assert_eq(run_value(run, "status.kpi"), -1, "the KPIs left out are recorded");
    cr_assert_eq(run_value(run, "cpu.kpi"), -1, "the KPIs left out are recorded");
    cr_assert(run_has(run, "last_stage validate"));
    cr_assert(!file_exists(kpi_dir), "yj-kpi left its folder");
    cr_assert(!strstr(err, "yj-kpi"), "the KPIs left out say something:\n%s", err);
    cr_assert(strstr(err, "yj-validate failed with exit status 70"), "%s", err);
    free(err);
    free(kpi_dir);
    free(run);
    bench_free(&b);
}

Test(beside, sigterm_stops_both_stages_and_leaves_the_kpis_unwritten, .timeout = 300)
{
    struct bench b = bench_make("beside-sigterm", "exec \"$REAL\" \"$@\"");
    pid_t yjrun = bench_start(&b, PERIOD, NULL), validate, kpi;
    char *run;
    int status;

    validate = child_named(yjrun, "yj-validate");
    kpi = child_named(yjrun, "yj-kpi");
    cr_assert(validate > 0 && kpi > 0, "yj-validate and yj-kpi do not run side by side");
    sleep_ms(WAIT_MS);
    cr_assert_eq(kill(yjrun, SIGTERM), 0);
    status = wait_status(yjrun);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "yj-run status %#x", status);
    cr_assert(!alive(validate) && !alive(kpi), "a stage outlived yj-run");
    run = bench_run_dir(&b);
    cr_assert(run_has(run, "result interrupted"));
    cr_assert(run_has(run, "status.validate 143"));
    cr_assert_eq(run_value(run, "status.kpi"), -1, "the KPIs stopped beside it are recorded");
    {
        char *k = path2(run, "kpi");
        cr_assert(!file_exists(k), "the KPIs stopped beside the validation left their folder");
        free(k);
    }
    free(run);
    bench_free(&b);
}

/* A run whose yj-kpi is the stand-in THEN (NULL: missing) while the return is valid: it ends
 * STATUS with yj-kpi recorded as the stage that failed, and stderr says NEEDLE. */
static void
expect_kpi_failure(const char *tag, const char *then, int status_want, const char *needle)
{
    struct bench b = bench_make_for(tag, "yj-kpi", then);
    pid_t yjrun;
    char *run, *err, line[64];
    int status;

    bench_go(&b); /* a stand-in yj-kpi fails at once, long before the validation ends */
    yjrun = bench_start(&b, PERIOD, NULL);
    status = wait_status(yjrun);
    err = read_file(b.err, NULL);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == status_want, "yj-run status %#x:\n%s",
              status, err);
    run = bench_run_dir(&b);
    snprintf(line, sizeof(line), "status.kpi %d", status_want);
    cr_assert(run_has(run, "status.validate 0"));
    cr_assert(run_has(run, line), "RUN lacks %s", line);
    cr_assert(run_has(run, "last_stage kpi"));
    cr_assert(run_has(run, "result failed"));
    cr_assert(strstr(err, needle), "%s", err);
    free(err);
    free(run);
    bench_free(&b);
}

Test(beside, kpis_that_fail_before_the_verdict_fail_the_run_once_the_return_is_valid,
     .timeout = 300)
{
    expect_kpi_failure("beside-kpi-fails", "exit 66", 66, "yj-kpi failed with exit status 66");
}

Test(beside, kpis_that_cannot_be_started_fail_the_run_once_the_return_is_valid, .timeout = 300)
{
    expect_kpi_failure("beside-kpi-missing", NULL, 70, "could not start '");
}

Test(beside, each_run_of_a_backfill_records_its_own_cpu_not_the_runs_before_it, .timeout = 300)
{
    char *root = temp_dir("beside-backfill-runs");
    char *conf = config_variant("beside-backfill", "runs_root", root, NULL);
    const char *argv[] = {"yj-run", "--config", conf, "--from", "2024Q1", "--to", "2024Q2", NULL};
    struct cmd_result r = run_cmd(argv);
    static const char *const stages[] = {"cpu.extract", "cpu.transform", "cpu.validate", "cpu.kpi"};
    double stages_cpu[2] = {0, 0}, run_cpu[2];

    cr_assert_eq(r.status, 0, "%s", r.err);
    for (int p = 0; p < 2; p++) {
        char dir[4200], *latest, *target;
        snprintf(dir, sizeof(dir), "%s/MEDWAY/%s", root, p ? "2024Q2" : "2024Q1");
        latest = path2(dir, "latest");
        target = realpath(latest, NULL);
        cr_assert(target, "no latest run of %s", dir);
        for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
            stages_cpu[p] += run_value(target, stages[i]);
        run_cpu[p] = run_value(target, "cpu.run");
        cr_assert_geq(run_cpu[p] + 0.01, stages_cpu[p]);
        free(target);
        free(latest);
    }
    /* beyond its stages, the second run's CPU is yj-run's own, not the first run's */
    cr_assert_lt(run_cpu[1] - stages_cpu[1], 0.8 * stages_cpu[0],
                 "the second run's cpu.run %.3f counts the first run's %.3f", run_cpu[1],
                 run_cpu[0]);
    cmd_result_free(&r);
    free(conf);
    free(root);
}

/* yj-kpi --verdict-fd 0 on the return of RUN_DIR into OUT, its stdin from `printf FEED`. */
static struct cmd_result
kpi_fed(const char *run_dir, const char *out, const char *feed, const char *fd)
{
    char *kpi = path2(YJ_BIN_DIR, "yj-kpi"), *ret = path2(run_dir, "return"), script[8192];
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    struct cmd_result r;

    snprintf(script, sizeof(script),
             "printf '%s' | '%s' --config '%s' --return '%s' --out '%s' --verdict-fd %s", feed, kpi,
             env_get("YJ_TEST_CONF"), ret, out, fd);
    r = run_cmd(argv);
    free(ret);
    free(kpi);
    return r;
}

Test(beside, yj_kpi_writes_only_after_a_whole_verdict_line, .timeout = 300)
{
    char *root = temp_dir("beside-kpi-runs"), *work = temp_dir("beside-kpi");
    char *conf = config_variant("beside-kpi", "runs_root", root, NULL);
    const char *argv[] = {"yj-run", "--config", conf, "--period", PERIOD, NULL};
    struct cmd_result r = run_cmd(argv);
    static const char *const no_verdict[] = {"", "valid", "VALID\\n", "valid \\n", "yes\\n"};
    char *run, *out = path2(work, "kpi"), *m;

    cr_assert_eq(r.status, 0, "%s", r.err);
    run = strndup(r.out, strcspn(r.out, "\n"));
    cmd_result_free(&r);
    for (size_t i = 0; i < sizeof(no_verdict) / sizeof(no_verdict[0]); i++) {
        r = kpi_fed(run, out, no_verdict[i], "0");
        cr_assert_eq(r.status, 75, "verdict '%s': exit %d\n%s", no_verdict[i], r.status, r.err);
        cr_assert(strstr(r.err, "no verdict of the validation on descriptor 0: the run is "
                                "ending, nothing written"),
                  "%s", r.err);
        cr_assert(!file_exists(out), "verdict '%s': the output folder is left", no_verdict[i]);
        cmd_result_free(&r);
    }
    for (int valid = 0; valid < 2; valid++) {
        r = kpi_fed(run, out, valid ? "valid\\n" : "invalid\\n", "0");
        cr_assert_eq(r.status, 0, "%s", r.err);
        m = read_file(path2(out, "MANIFEST"), NULL);
        cr_assert(m && strstr(m, valid ? "\nprovisional no\n" : "\nprovisional yes\n"), "%s",
                  m ? m : "no MANIFEST");
        free(m);
        cmd_result_free(&r);
    }
    r = kpi_fed(run, out, "valid\\n", "x3");
    cr_assert_eq(r.status, 64, "%s", r.err);
    cr_assert(strstr(r.err, "--verdict-fd 'x3' is not a file descriptor"), "%s", r.err);
    cmd_result_free(&r);
    free(out);
    free(run);
    free(conf);
    free(work);
    free(root);
}

/* A period of a backfill that fails before its run has its socket pairs (here: its lock is
 * held) closes no descriptor of yj-run's: the next period's stages still have yj-run's stdin.
 * (Each run once closed descriptor 0 twice in that case, so the next period's lock file took
 * its place and every stage of that period had it as its stdin.) */
Test(beside, a_period_that_fails_before_its_run_leaves_yj_run_stdin_to_the_next, .timeout = 300)
{
    struct bench b =
        bench_make_for("beside-stdin", "yj-extract",
                       "readlink /proc/$$/fd/0 > \"$WORK/stdin\"; exec \"$REAL\" \"$@\"");
    char *period_dir = path2(b.root, "MEDWAY"), *lock, *yj_run = path2(b.bin, "yj-run");
    char *seen_path = path2(b.work, "stdin"), *seen, script[8192];
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    struct cmd_result r;
    int fd;

    cr_assert_eq(mkdir(period_dir, 0700), 0);
    lock = path2(period_dir, "2024Q1.lock");
    fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    cr_assert(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0);
    bench_go(&b);
    snprintf(script, sizeof(script), "exec '%s' --config '%s' --from 2024Q1 --to 2024Q2 </dev/null",
             yj_run, b.conf);
    r = run_cmd(argv);
    cr_assert_eq(r.status, 79, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "yj-run: 2024Q1      79  locked      -\n"), "%s", r.err);
    seen = read_file(seen_path, NULL);
    cr_assert_str_eq(seen, "/dev/null\n");
    close(fd);
    cmd_result_free(&r);
    free(seen);
    free(seen_path);
    free(yj_run);
    free(lock);
    free(period_dir);
    bench_free(&b);
}
