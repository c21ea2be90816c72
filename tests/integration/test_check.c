/*
 * test_check.c - yj-run's preflight against the real warehouse and receiver: `--check` prints
 * one line per check and a summary and exits with the status of the first check that failed;
 * a run refused by its preflight exits with that status and leaves nothing in the runs root.
 * Each failing check is broken alone: the configuration, the bundle, the warehouse, a right
 * of the role (REVOKE), the receiver's view of the client certificate, the certificate's
 * expiry (certificates made here by openssl, signed by the harness CA), the sign-off, the
 * ledger and the warehouse's freshness. The output of a preflight that passes is pinned whole,
 * with its variable parts (paths, the port, free space, the certificate's dates) normalised.
 */
#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* S with the text between AFTER and the next UNTIL replaced by WITH, on every line. */
static char *
replace_between(char *s, const char *after, const char *until, const char *with)
{
    char *at = strstr(s, after), *end, *out;
    size_t n;

    if (!at || !(end = strstr(at + strlen(after), until)))
        return s;
    at += strlen(after);
    n = (size_t)(at - s) + strlen(with) + strlen(end) + 1;
    out = malloc(n);
    cr_assert(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - s), s, with, end);
    free(s);
    return out;
}

/* The free space the space check prints, "N bytes" or "N.N KB" ... "N.N TB", the one part of
 * its line that normalised() hides: checked for its form. */
static void
assert_free_space_text(const char *out)
{
    const char *at = strstr(out, "space: "), *end;
    char text[64];
    regex_t re;

    if (!at)
        return;
    at += strlen("space: ");
    end = strstr(at, " free in");
    cr_assert(end && end - at < (long)sizeof(text), "no free space in: %s", out);
    snprintf(text, sizeof(text), "%.*s", (int)(end - at), at);
    cr_assert_eq(regcomp(&re, "^([0-9]+ bytes|[0-9]+\\.[0-9] (KB|MB|GB|TB))$", REG_EXTENDED), 0);
    cr_assert_eq(regexec(&re, text, 0, NULL, 0), 0, "free space '%s' is not N.N KB/MB/GB/TB", text);
    regfree(&re);
}

/* The preflight's stdout with its variable parts named. */
static char *
normalised(const char *out, const char *conf, const char *runs)
{
    char *s = strdup(out);

    assert_free_space_text(out);

    s = replace_all(s, conf, "CONF");
    s = replace_all(s, runs, "RUNS");
    s = replace_all(s, env_get("YJ_TEST_URL"), "URL");
    s = replace_between(s, "space: ", " free in", "FREE");
    s = replace_between(s, "ok      cert: client certificate expires in ", ")", "DAYS (DATE");
    return s;
}

/* yj-run with ARGV (after the program), and --check. */
static struct cmd_result
yj_run(const char *const *args, int check)
{
    const char *argv[16] = {"yj-run"};
    int n = 1;

    for (; *args; args++)
        argv[n++] = *args;
    if (check)
        argv[n++] = "--check";
    argv[n] = NULL;
    return run_cmd(argv);
}

/* The number of entries of a folder (0 when missing). */
static int
entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    while (d && (e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

/* `--check` exits STATUS and prints each of LINES (NULL-terminated) as a whole line; then the
 * same run without --check exits STATUS too, logs the first line's text as "preflight: ...",
 * and leaves RUNS as it found it (KEEP entries). */
static void
expect_refused(const char *const *args, const char *conf, const char *runs, int status,
               const char *const *lines, int keep)
{
    struct cmd_result r = yj_run(args, 1);
    char *out = normalised(r.out, conf, runs), want[2048];
    int first = 1;

    cr_assert_eq(r.status, status, "--check: exit %d, want %d\n%s%s", r.status, status, r.out,
                 r.err);
    for (; *lines; lines++) {
        snprintf(want, sizeof(want), "\n%s\n", *lines);
        cr_assert(strstr(out, want) || strncmp(out, want + 1, strlen(want) - 1) == 0,
                  "--check lacks the line\n%s\nin\n%s", *lines, out);
        if (first && strncmp(*lines, "error   ", 8) == 0) {
            /* the run's own preflight: the same error, logged */
            const char *colon = strchr(*lines + 8, ':');
            char logged[2048];
            struct cmd_result run = yj_run(args, 0);
            char *err = normalised(run.err, conf, runs);

            snprintf(logged, sizeof(logged), "yj-run: error: preflight: %.*s%s",
                     (int)(colon - (*lines + 8)), *lines + 8, colon);
            cr_assert_eq(run.status, status, "run: exit %d, want %d\n%s", run.status, status,
                         run.err);
            cr_assert(strstr(err, logged), "the run's stderr lacks\n%s\nin\n%s", logged, err);
            cr_assert_eq(run.out[0], '\0', "a refused run printed a run folder: %s", run.out);
            cr_assert_eq(entries(runs), keep, "a refused run left something in '%s'", runs);
            free(err);
            cmd_result_free(&run);
            first = 0;
        }
    }
    free(out);
    cmd_result_free(&r);
}

/* A harness config with its own runs root (*RUNS), and K1 = V1 ... (NULL V: key removed). */
static char *
conf_for(const char *tag, char **runs, const char *k1, const char *v1, const char *k2,
         const char *v2)
{
    *runs = temp_dir(tag);
    return config_variant(tag, "runs_root", *runs, k1 ? k1 : "none", v1, k2 ? k2 : "none", v2,
                          NULL);
}

Test(check, a_nightly_preflight_that_passes_prints_every_check_and_writes_nothing)
{
    char *runs, *conf = conf_for("check-pass", &runs, NULL, NULL, NULL, NULL);
    const char *args[] = {"--config", conf, "--period", "2025Q1", NULL};
    struct cmd_result r = yj_run(args, 1);
    char *out = normalised(r.out, conf, runs);

    cr_assert_eq(r.status, 0, "exit %d\n%s%s", r.status, r.out, r.err);
    cr_assert_str_eq(r.err, "");
    cr_assert_str_eq(
        out,
        "ok      config: CONF (service, warehouse, return, run)\n"
        "ok      bundle: schema-11 for 2025Q1 (school_age.conf, items.conf, rules.conf, cld.xsd; "
        "23 queries)\n"
        "ok      warehouse: connected as role 'yj_extract', in a read-only snapshot\n"
        "ok      rights: role 'yj_extract' may run every query (EXPLAIN of each, as PostgreSQL "
        "plans it)\n"
        "ok      freshness: not checked (no [warehouse] max_age)\n"
        "ok      space: FREE free in 'RUNS' (writable); no earlier run to size the next\n"
        "passed: 6 checks, 0 warnings\n");
    cr_assert_eq(entries(runs), 0, "--check wrote into the runs root");
    free(out);
    cmd_result_free(&r);
}

Test(check, a_submission_preflight_that_passes_asks_the_receiver_without_uploading)
{
    char *runs, *conf = conf_for("check-submit", &runs, NULL, NULL, NULL, NULL);
    char *sign_off = sign_off_for("2025Q1"), want[512];
    const char *args[] = {"--config", conf,         "--period", "2025Q1",
                          "--submit", "--sign-off", sign_off,   NULL};
    int stored = count_files(env_get("YJ_TEST_UPLOAD_DIR"));
    struct cmd_result r = yj_run(args, 1);
    char *out = normalised(r.out, conf, runs);

    cr_assert_eq(r.status, 0, "exit %d\n%s%s", r.status, r.out, r.err);
    snprintf(want, sizeof(want), "ok      sign-off: %s: after 2025Q1 ends, not in the future\n",
             sign_off);
    out = replace_all(out, want,
                      "ok      sign-off: SIGN_OFF: after 2025Q1 ends, not in the "
                      "future\n");
    cr_assert_str_eq(
        out,
        "ok      config: CONF (service, warehouse, return, submit, run)\n"
        "ok      bundle: schema-11 for 2025Q1 (school_age.conf, items.conf, rules.conf, cld.xsd; "
        "23 queries)\n"
        "ok      warehouse: connected as role 'yj_extract', in a read-only snapshot\n"
        "ok      rights: role 'yj_extract' may run every query (EXPLAIN of each, as PostgreSQL "
        "plans it)\n"
        "ok      freshness: not checked (no [warehouse] max_age)\n"
        "ok      sign-off: SIGN_OFF: after 2025Q1 ends, not in the future\n"
        "ok      cert: client certificate expires in DAYS (DATE)\n"
        "ok      receiver: 'URL' answered a HEAD with HTTP 403: client certificate accepted\n"
        "ok      ledger: no ledger yet ('RUNS/ledger'): nothing submitted from this runs root\n"
        "ok      space: FREE free in 'RUNS' (writable); no earlier run to size the next\n"
        "passed: 10 checks, 0 warnings\n");
    cr_assert_eq(count_files(env_get("YJ_TEST_UPLOAD_DIR")), stored, "--check uploaded");
    cr_assert_eq(entries(runs), 0, "--check wrote into the runs root");
    free(out);
    free(sign_off);
    cmd_result_free(&r);
}

Test(check, a_submission_without_a_submit_section_is_refused_before_the_warehouse_is_read)
{
    char *runs = temp_dir("check-nosubmit");
    char *conf = config_variant("check-nosubmit", "runs_root", runs, "url", NULL, "ca_file", NULL,
                                "cert_file", NULL, "key_file", NULL, NULL);
    char *sign_off = sign_off_for("2025Q1");
    const char *args[] = {"--config", conf,         "--period", "2025Q1",
                          "--submit", "--sign-off", sign_off,   NULL};
    const char *lines[] = {"error   config: config file 'CONF': missing [submit] url",
                           "skip    cert: no [submit] cert_file or key_file",
                           "skip    receiver: no [submit] url, ca_file, cert_file or key_file",
                           "failed: 1 of 10 checks, 0 warnings, 2 not run: exit 78 (config)", NULL};

    expect_refused(args, conf, runs, 78, lines, 0);
    free(sign_off);
}

Test(check, a_period_no_bundle_covers_is_refused_naming_bundles_conf)
{
    char *runs, *conf = conf_for("check-bundle", &runs, NULL, NULL, NULL, NULL);
    const char *args[] = {"--config", conf, "--period", "2022Q4", NULL};
    char line[1024];
    const char *lines[] = {line, "skip    warehouse: the bundle or its queries failed",
                           "skip    rights: the warehouse was not reached",
                           "failed: 1 of 6 checks, 0 warnings, 3 not run: exit 78 (bundle)", NULL};

    snprintf(line, sizeof(line),
             "error   bundle: no mapping bundle in '%s/mappings/bundles.conf' covers period 2022Q4",
             YJ_SOURCE_DIR);
    expect_refused(args, conf, runs, 78, lines, 0);
}

Test(check, an_unreachable_warehouse_is_69_and_its_checks_are_not_run)
{
    char *nowhere = temp_dir("check-nosocket"), conninfo[1024], line[2048];
    char *runs, *conf;
    const char *lines[] = {line, "skip    rights: the warehouse was not reached",
                           "skip    freshness: the warehouse was not reached",
                           "failed: 1 of 6 checks, 0 warnings, 2 not run: exit 69 (warehouse)",
                           NULL};
    const char *args[] = {"--config", NULL, "--period", "2025Q1", NULL};

    snprintf(conninfo, sizeof(conninfo), "host=%s port=5432 dbname=yj user=yj_extract", nowhere);
    conf = conf_for("check-nowarehouse", &runs, "conninfo", conninfo, NULL, NULL);
    args[1] = conf;
    snprintf(line, sizeof(line),
             "error   warehouse: could not connect to the warehouse: connection to server on "
             "socket \"%s/.s.PGSQL.5432\" failed: No such file or directory",
             nowhere);
    expect_refused(args, conf, runs, 69, lines, 0);
}

Test(check, a_role_without_select_on_a_history_table_is_77_naming_the_query)
{
    char *runs, *conf, conninfo[1024];
    const char *super = env_get("YJ_TEST_CONNINFO");
    const char *user = strstr(super, "user=");
    const char *args[] = {"--config", NULL, "--period", "2025Q1", NULL};
    const char *lines[] = {
        "ok      warehouse: connected as role 'yj_check_limited', in a read-only snapshot",
        "error   rights: role 'yj_check_limited' may not run query 'hearing_offence.sql': "
        "SQLSTATE 42501",
        "failed: 1 of 6 checks, 0 warnings, 0 not run: exit 77 (rights)", NULL};

    /* a role of its own with yj_extract's grants (030_roles.sql) but one */
    free(sql_exec("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                  "'yj_check_limited') THEN CREATE ROLE yj_check_limited LOGIN; END IF; END $$"));
    free(sql_exec("GRANT USAGE ON SCHEMA cms, cms_history, cms_asof TO yj_check_limited"));
    free(sql_exec("GRANT SELECT ON ALL TABLES IN SCHEMA cms, cms_history TO yj_check_limited"));
    free(sql_exec("REVOKE SELECT ON cms_history.offence FROM yj_check_limited"));
    cr_assert(user);
    snprintf(conninfo, sizeof(conninfo), "%.*suser=yj_check_limited", (int)(user - super), super);
    conf = conf_for("check-rights", &runs, "conninfo", conninfo, NULL, NULL);
    args[1] = conf;
    expect_refused(args, conf, runs, 77, lines, 0);
}

Test(check, a_receiver_that_refuses_the_client_certificate_is_76)
{
    char *runs,
        *conf = conf_for("check-wrongcert", &runs, "cert_file", env_get("YJ_TEST_WRONG_CERT"),
                         "key_file", env_get("YJ_TEST_WRONG_KEY"));
    char *sign_off = sign_off_for("2025Q1");
    const char *args[] = {"--config", conf,         "--period", "2025Q1",
                          "--submit", "--sign-off", sign_off,   NULL};
    const char *lines[] = {"error   receiver: 'URL' answered a HEAD with HTTP 400 Bad Request: "
                           "client certificate refused",
                           "failed: 1 of 10 checks, 0 warnings, 0 not run: exit 76 (receiver)",
                           NULL};

    expect_refused(args, conf, runs, 76, lines, 0);
    free(sign_off);
}

Test(check, a_receiver_that_aborts_the_handshake_on_the_client_certificate_is_76)
{
    char *runs, *conf;
    char *sign_off = sign_off_for("2025Q1"), line[1024];
    const char *args[] = {"--config", NULL,         "--period", "2025Q1",
                          "--submit", "--sign-off", sign_off,   NULL};
    const char *lines[] = {line, NULL};
    char cert[1024];

    /* cert_file and key_file replaced: the strict receiver's url, a certificate of another CA */
    snprintf(cert, sizeof(cert), "%s", env_get("YJ_TEST_WRONG_CERT"));
    runs = temp_dir("check-strict");
    conf = config_variant("check-strict", "runs_root", runs, "url", env_get("YJ_TEST_STRICT_URL"),
                          "cert_file", cert, "key_file", env_get("YJ_TEST_WRONG_KEY"), NULL);
    args[1] = conf;
    snprintf(line, sizeof(line),
             "error   receiver: '%s': TLS alert from the receiver: client certificate refused",
             env_get("YJ_TEST_STRICT_URL"));
    expect_refused(args, conf, runs, 76, lines, 0);
    free(sign_off);
}

/* Runs ARGV, which must succeed. */
static void
run_ok(const char *const argv[])
{
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, 0, "%s: %s", argv[0], r.err);
    cmd_result_free(&r);
}

/* A client certificate of the harness CA valid DAYS days from now (negative: expired), and
 * its key (mode 0600), in a new folder; *KEY gets the key's path. */
static char *
make_cert(const char *tag, const char *days, char **key)
{
    char *dir = temp_dir(tag), *ca_dir = strdup(env_get("YJ_TEST_CA"));
    char *k = path2(dir, "client.key"), *csr = path2(dir, "client.csr");
    char *pem = path2(dir, "client.pem"), *ca_key;

    *strrchr(ca_dir, '/') = '\0';
    ca_key = path2(ca_dir, "ca.key");
    {
        const char *argv[] = {"/usr/bin/openssl",
                              "genpkey",
                              "-algorithm",
                              "EC",
                              "-pkeyopt",
                              "ec_paramgen_curve:P-256",
                              "-out",
                              k,
                              NULL};
        run_ok(argv);
    }
    cr_assert_eq(chmod(k, 0600), 0);
    {
        const char *argv[] = {"/usr/bin/openssl",
                              "req",
                              "-new",
                              "-key",
                              k,
                              "-subj",
                              "/O=yjreturns test/CN=client",
                              "-out",
                              csr,
                              NULL};
        run_ok(argv);
    }
    {
        const char *argv[] = {"/usr/bin/openssl",
                              "x509",
                              "-req",
                              "-in",
                              csr,
                              "-CA",
                              env_get("YJ_TEST_CA"),
                              "-CAkey",
                              ca_key,
                              "-CAcreateserial",
                              "-days",
                              days,
                              "-sha256",
                              "-out",
                              pem,
                              NULL};
        run_ok(argv);
    }
    *key = k;
    free(csr);
    free(ca_key);
    free(ca_dir);
    free(dir);
    return pem;
}

/* YYYY-MM-DD, DAYS from today (UTC). */
static void
day_from_today(int days, char out[16])
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

Test(check, a_client_certificate_expiring_in_ten_days_warns_and_passes)
{
    char *key, *cert = make_cert("check-cert10", "10", &key), date[16], line[256];
    char *runs, *conf = conf_for("check-cert10", &runs, "cert_file", cert, "key_file", key);
    char *sign_off = sign_off_for("2025Q1");
    const char *args[] = {"--config", conf,         "--period", "2025Q1",
                          "--submit", "--sign-off", sign_off,   NULL};
    struct cmd_result r = yj_run(args, 1);

    day_from_today(10, date);
    snprintf(line, sizeof(line), "\nwarning cert: client certificate expires in 10 days (%s)\n",
             date);
    cr_assert_eq(r.status, 0, "exit %d\n%s%s", r.status, r.out, r.err);
    cr_assert(strstr(r.out, line), "no line%sin\n%s", line, r.out);
    cr_assert(strstr(r.out, "\nok      receiver: "), "%s", r.out);
    cr_assert(strstr(r.out, "\npassed: 10 checks, 1 warning\n"), "%s", r.out);
    free(sign_off);
    cmd_result_free(&r);
}

Test(check, an_expired_client_certificate_is_refused_76)
{
    char *key, *cert = make_cert("check-expired", "-1", &key), date[16], line[1024];
    char *runs, *conf = conf_for("check-expired", &runs, "cert_file", cert, "key_file", key);
    char *sign_off = sign_off_for("2025Q1");
    const char *args[] = {"--config", conf,         "--period", "2025Q1",
                          "--submit", "--sign-off", sign_off,   NULL};
    const char *lines[] = {line, "failed: 2 of 10 checks, 0 warnings, 0 not run: exit 76 (cert)",
                           NULL};

    day_from_today(-1, date);
    snprintf(line, sizeof(line), "error   cert: client certificate '%s' expired on %s", cert, date);
    expect_refused(args, conf, runs, 76, lines, 0);
    free(sign_off);
}

Test(check, a_sign_off_in_the_future_is_64)
{
    char *runs, *conf = conf_for("check-signoff", &runs, NULL, NULL, NULL, NULL);
    const char *args[] = {"--config", conf,         "--period",   "2025Q1",
                          "--submit", "--sign-off", "2099-01-01", NULL};
    struct cmd_result r = yj_run(args, 1), run;

    cr_assert_eq(r.status, 64, "exit %d\n%s%s", r.status, r.out, r.err);
    cr_assert(strstr(r.out, "\nerror   sign-off: --sign-off 2099-01-01 is in the future"), "%s",
              r.out);
    cr_assert(strstr(r.out, "\nfailed: 1 of 10 checks, 0 warnings, 0 not run: exit 64 "
                            "(sign-off)\n"),
              "%s", r.out);
    run = yj_run(args, 0);
    cr_assert_eq(run.status, 64, "%s", run.err);
    cr_assert_eq(entries(runs), 0);
    cmd_result_free(&run);
    cmd_result_free(&r);
}

Test(check, a_ledger_that_does_not_verify_is_74)
{
    char *runs, *conf = conf_for("check-ledger", &runs, NULL, NULL, NULL, NULL);
    char *ledger = path2(runs, "ledger"), *sign_off = sign_off_for("2025Q1");
    const char *args[] = {"--config", conf,         "--period", "2025Q1",
                          "--submit", "--sign-off", sign_off,   NULL};
    const char *lines[] = {"error   ledger: ledger 'RUNS/ledger' line 1 is not a ledger entry",
                           "failed: 1 of 10 checks, 0 warnings, 0 not run: exit 74 (ledger)", NULL};
    FILE *f = fopen(ledger, "w");

    cr_assert(f);
    fputs("this is not a ledger line\n", f);
    fclose(f);
    expect_refused(args, conf, runs, 74, lines, 1);
    free(ledger);
    free(sign_off);
}

Test(check, a_stale_warehouse_warns_a_nightly_run_and_refuses_a_submission)
{
    char conninfo[1024];
    char *runs, *conf, *sign_off = sign_off_for("2025Q1");
    const char *nightly[] = {"--config", NULL, "--period", "2025Q1", NULL};
    const char *submit[] = {"--config", NULL,         "--period", "2025Q1",
                            "--submit", "--sign-off", sign_off,   NULL};
    struct cmd_result r;
    char *line;

    /* yj_golden: loaded when the harness started, changed by no test since */
    snprintf(conninfo, sizeof(conninfo), "%s\nmax_age = 1s", env_get("YJ_TEST_GOLDEN_CONNINFO"));
    conf = conf_for("check-stale", &runs, "conninfo", conninfo, NULL, NULL);
    nightly[1] = submit[1] = conf;
    sleep(2);
    r = yj_run(nightly, 1);
    cr_assert_eq(r.status, 0, "exit %d\n%s%s", r.status, r.out, r.err);
    line = strstr(r.out, "\nwarning freshness: newest recorded change ");
    cr_assert(line, "%s", r.out);
    cr_assert(strstr(line, " ago: older than [warehouse] max_age 1s\n"), "%s", r.out);
    cr_assert(strstr(r.out, "\npassed: 6 checks, 1 warning\n"), "%s", r.out);
    cmd_result_free(&r);

    r = yj_run(submit, 1);
    cr_assert_eq(r.status, 75, "exit %d\n%s%s", r.status, r.out, r.err);
    cr_assert(strstr(r.out, "\nerror   freshness: newest recorded change "), "%s", r.out);
    cr_assert(strstr(r.out, "\nfailed: 1 of 10 checks, 0 warnings, 0 not run: exit 75 "
                            "(freshness)\n"),
              "%s", r.out);
    cmd_result_free(&r);
    r = yj_run(submit, 0);
    cr_assert_eq(r.status, 75, "exit %d\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "yj-run: error: preflight: freshness: newest recorded change "), "%s",
              r.err);
    cr_assert_eq(entries(runs), 0);
    cmd_result_free(&r);
    free(sign_off);
}

Test(check, a_fresh_warehouse_within_max_age_is_ok)
{
    char conninfo[1024];
    char *runs, *conf;
    const char *args[] = {"--config", NULL, "--period", "2025Q1", NULL};
    struct cmd_result r;

    snprintf(conninfo, sizeof(conninfo), "%s\nmax_age = 3650d", env_get("YJ_TEST_GOLDEN_CONNINFO"));
    conf = conf_for("check-fresh", &runs, "conninfo", conninfo, NULL, NULL);
    args[1] = conf;
    r = yj_run(args, 1);
    cr_assert_eq(r.status, 0, "exit %d\n%s%s", r.status, r.out, r.err);
    cr_assert(strstr(r.out, "\nok      freshness: newest recorded change "), "%s", r.out);
    cr_assert(strstr(r.out, " ago ([warehouse] max_age 3650d)\n"), "%s", r.out);
    cmd_result_free(&r);
}

Test(check, a_board_pack_whose_browser_cannot_be_run_is_refused_before_the_warehouse_is_read)
{
    char *runs = temp_dir("check-pack");
    /* the harness's runs make no pack; this one would, printed by a browser that is not there */
    char *conf = config_variant("check-pack", "runs_root", runs, "pack", "yes", "pdf",
                                "yes\nbrowser = /nonexistent/chromium", NULL);
    const char *args[] = {"--config", conf, "--period", "2025Q1", NULL};
    const char *lines[] = {"error   pack: could not run the browser '/nonexistent/chromium' that "
                           "prints the board pack: No such file or directory",
                           "failed: 1 of 7 checks, 0 warnings, 0 not run: exit 78 (pack)", NULL};

    expect_refused(args, conf, runs, 78, lines, 0);
}

Test(check, a_board_pack_without_its_pdf_needs_no_browser)
{
    char *runs = temp_dir("check-pack-nopdf");
    char *conf = config_variant("check-pack-nopdf", "runs_root", runs, "pack", "yes", "pdf",
                                "no\nbrowser = /nonexistent/chromium", NULL);
    const char *args[] = {"--config", conf, "--period", "2025Q1", NULL};
    struct cmd_result r = yj_run(args, 1);

    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "\nok      pack: the board pack without its PDF ([report] pdf = no)\n"
                            "passed: 7 checks, 0 warnings\n"),
              "%s", r.out);
    cmd_result_free(&r);
}
