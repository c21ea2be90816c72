/*
 * test_pipeline.c - the whole pipeline on real parts: the PostgreSQL warehouse and the nginx
 * HTTPS receiver that harness.sh started (see docs/design.md "Test environment").
 *
 * Each test uses its own return period where it writes runs or uploads, so tests do not
 * depend on each other's order; tests that change the warehouse change children in ways
 * other tests do not compare against.
 */
#include "support.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Runs yj-run and returns the run directory it printed (asserting it printed one line). */
static char *
yj_run(const char *conf, const char *period, const char *as_of, int submit, int want_status)
{
    const char *argv[12] = {"yj-run", "--config", conf, "--period", period};
    int n = 5;
    struct cmd_result r;
    char *dir = NULL;

    if (as_of) {
        argv[n++] = "--as-of";
        argv[n++] = as_of;
    }
    if (submit) {
        argv[n++] = "--submit";
        argv[n++] = "--sign-off";
        argv[n++] = sign_off_for(period);
    }
    argv[n] = NULL;
    r = run_cmd(argv);
    cr_assert_eq(r.status, want_status, "yj-run %s exit %d, want %d; stderr:\n%s", period, r.status,
                 want_status, r.err);
    if (r.out[0]) {
        size_t len = strlen(r.out);
        cr_assert(len > 1 && r.out[len - 1] == '\n' && strchr(r.out, '\n') == r.out + len - 1,
                  "stdout must be exactly one line, got: %s", r.out);
        dir = strndup(r.out, len - 1);
    }
    cmd_result_free(&r);
    return dir;
}

static char *
return_xml(const char *run_dir)
{
    return path2(run_dir, "return/cld.xml");
}

Test(pipeline, quarter_is_validated_submitted_and_received_byte_identical)
{
    char *dir = yj_run(env_get("YJ_TEST_CONF"), "2025Q1", NULL, 1, 0);
    char *xml = return_xml(dir);
    char *receipt_path = path2(dir, "submit/receipt");
    char *report_path = path2(dir, "validate/report.txt");
    char *receipt = read_file(receipt_path, NULL);
    char *report = read_file(report_path, NULL);
    char *url_line, upload[2048];

    cr_assert(receipt, "no receipt in %s", dir);
    cr_assert(report && strstr(report, "\nresult valid\n"), "report: %s", report);
    cr_assert(strstr(receipt, "\nhttp_status 201\n"), "receipt: %s", receipt);
    url_line = strstr(receipt, "\nurl ");
    cr_assert(url_line);
    /* the uploaded name is the last path segment of the url in the receipt */
    {
        char *end = strchr(url_line + 1, '\n');
        char *slash = url_line;
        for (char *p = url_line; p < end; p++)
            if (*p == '/')
                slash = p;
        snprintf(upload, sizeof(upload), "%s/%.*s", env_get("YJ_TEST_UPLOAD_DIR"),
                 (int)(end - slash - 1), slash + 1);
    }
    cr_assert(files_equal(xml, upload), "received file %s differs from %s", upload, xml);
    {
        /* the receipt's sha256 is the return's */
        char *m = read_file(path2(dir, "return/MANIFEST"), NULL);
        char *s = strstr(receipt, "\nsha256 ");
        cr_assert(m && s);
        cr_assert(strstr(m, strndup(s + 8, 64)), "receipt sha256 not in the return manifest");
    }
    {
        /* files that hold personal data are readable by their owner only; the staged files
         * of a run that succeeded are removed (test_run.c checks their mode when kept) */
        const char *private[] = {"return/cld.xml", "validate/report.txt"};
        cr_assert(!file_exists(path2(dir, "staged/person.tsv")), "staged data left in %s", dir);
        for (size_t i = 0; i < sizeof(private) / sizeof(private[0]); i++) {
            struct stat st;
            char *p = path2(dir, private[i]);
            cr_assert_eq(stat(p, &st), 0, "%s", p);
            cr_assert_eq(st.st_mode & 0777, 0600, "%s has mode %o", private[i],
                         (unsigned)(st.st_mode & 0777));
            free(p);
        }
    }
    free(receipt);
    free(report);
    free(report_path);
    free(receipt_path);
    free(xml);
    free(dir);
}

Test(pipeline, two_runs_as_of_the_same_moment_give_identical_files)
{
    /* the warehouse was loaded before the test began: "now" minus a second sees all of it */
    char *as_of = sql_exec("SELECT to_char(now() - interval '1 second', "
                           "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') ");
    /* the staged files are kept to be compared */
    char *conf = config_variant("keep-staged", "keep_staged", "yes", NULL);
    char *a = yj_run(conf, "2024Q2", as_of, 0, 0);
    char *b = yj_run(conf, "2024Q2", as_of, 0, 0);
    const char *files[] = {"return/cld.xml",
                           "staged/person.tsv",
                           "staged/offence.tsv",
                           "staged/outcome.tsv",
                           "staged/hearing.tsv",
                           "staged/programme.tsv",
                           "staged/programme_offence.tsv"};

    cr_assert_str_neq(a, b, "each run needs its own directory");
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        cr_assert(files_equal(path2(a, files[i]), path2(b, files[i])), "%s differs", files[i]);
    free(a);
    free(b);
    free(conf);
}

Test(pipeline, the_return_is_named_by_service_period_and_as_of_moment)
{
    char *dir = yj_run(env_get("YJ_TEST_CONF"), "2024Q3", "2026-01-02 03:04:05.678+00", 0, 0);
    char *xml = read_file(return_xml(dir), NULL);

    cr_assert(xml);
    cr_assert(strstr(xml, "<sourceReturnId>MEDWAY-2024Q3-20260102T040506.678000Z"
                          "</sourceReturnId>") ||
                  strstr(xml, "<sourceReturnId>MEDWAY-2024Q3-20260102T030405.678000Z"
                              "</sourceReturnId>"),
              "%.600s", xml);
    cr_assert(!strstr(xml, "<signOffDate>"), "no sign-off without --sign-off");
    free(xml);
    free(dir);
}

/* Reads the as_of line of a staged manifest. */
static char *
manifest_value(const char *run_dir, const char *file, const char *key)
{
    char *m = read_file(path2(run_dir, file), NULL);
    char needle[128], *p;

    cr_assert(m);
    snprintf(needle, sizeof(needle), "\n%s ", key);
    p = strstr(m, needle);
    cr_assert(p, "%s has no %s", file, key);
    p = strndup(p + strlen(needle), strcspn(p + strlen(needle), "\n"));
    free(m);
    return p;
}

Test(pipeline, as_of_a_moment_before_an_update_gives_the_earlier_return)
{
    const char *conf = env_get("YJ_TEST_CONF");
    char *before = yj_run(conf, "2024Q3", NULL, 0, 0);
    char *as_of = manifest_value(before, "staged/MANIFEST", "as_of");
    char *child = sql_exec("SELECT min(yp_id) FROM cms.young_person "
                           "WHERE first_contact_date <= '2024-12-31' AND ethnicity_cd = 'WBRI'");
    char sql[512], *after, *audit;

    cr_assert(child, "no child to update");
    snprintf(sql, sizeof(sql), "UPDATE cms.young_person SET ethnicity_cd = 'WIRI' WHERE yp_id = %s",
             child);
    free(sql_exec(sql));
    after = yj_run(conf, "2024Q3", NULL, 0, 0);
    cr_assert(!files_equal(return_xml(before), return_xml(after)),
              "the update must show in a run as of now");
    audit = yj_run(conf, "2024Q3", as_of, 0, 0);
    cr_assert(files_equal(return_xml(before), return_xml(audit)),
              "a run as of %s must give the return produced then", as_of);
    /* a deleted child is gone now and still there as of before */
    snprintf(sql, sizeof(sql), "DELETE FROM cms.young_person WHERE yp_id = %s", child);
    free(sql_exec(sql));
    free(audit);
    audit = yj_run(conf, "2024Q3", as_of, 0, 0);
    cr_assert(files_equal(return_xml(before), return_xml(audit)),
              "a deleted child must still be read as of before the delete");
    free(before);
    free(after);
    free(audit);
    free(as_of);
    free(child);
}

Test(pipeline, second_run_while_the_lock_is_held_exits_with_the_lock_code)
{
    char lock[2048];
    int fd;
    struct cmd_result r;
    const char *argv[] = {"yj-run",   "--config", env_get("YJ_TEST_CONF"),
                          "--period", "2025Q3",   NULL};

    snprintf(lock, sizeof(lock), "%s/MEDWAY", env_get("YJ_TEST_RUNS_ROOT"));
    mkdir(env_get("YJ_TEST_RUNS_ROOT"), 0755);
    mkdir(lock, 0755);
    snprintf(lock, sizeof(lock), "%s/MEDWAY/2025Q3.lock", env_get("YJ_TEST_RUNS_ROOT"));
    fd = open(lock, O_RDWR | O_CREAT, 0640);
    cr_assert(fd >= 0);
    cr_assert_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
    r = run_cmd(argv);
    cr_assert_eq(r.status, 79, "exit %d, stderr: %s", r.status, r.err);
    cr_assert_str_empty(r.out);
    cr_assert(strstr(r.err, "another run holds the lock"), "stderr: %s", r.err);
    cmd_result_free(&r);
    close(fd);
    /* released: the same run now goes through */
    free(yj_run(env_get("YJ_TEST_CONF"), "2025Q3", NULL, 0, 0));
}

Test(pipeline, return_also_passes_independent_validators)
{
    char *dir = yj_run(env_get("YJ_TEST_CONF"), "2024Q1", NULL, 0, 0);
    char *xml = return_xml(dir);
    char *check = temp_dir("independent");
    char *copy = path2(check, "cld.xml");
    char *xsd = path2(check, "cld.xsd");
    struct cmd_result r;

    /* the return names its schema as "cld.xsd" beside it, for validators that need a hint */
    copy_tree(xml, copy);
    copy_tree(YJ_SOURCE_DIR "/mappings/schema-11/cld.xsd", xsd);
    {
        const char *argv[] = {
            "/usr/bin/xmllint", "--noout", "--stream", "--schema", xsd, copy, NULL};
        r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "xmllint: %s", r.err);
        cr_assert(strstr(r.err, "validates"), "xmllint: %s", r.err);
        cmd_result_free(&r);
    }
    {
        const char *argv[] = {"/usr/bin/SAX2Count", "-v=always", "-f", copy, NULL};
        r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "SAX2Count: %s%s", r.out, r.err);
        cr_assert(!strstr(r.out, "Error") && !strstr(r.err, "Error"), "SAX2Count: %s%s", r.out,
                  r.err);
        cr_assert(strstr(r.out, "elems"), "SAX2Count counted nothing: %s", r.out);
        cmd_result_free(&r);
    }
    free(xml);
    free(dir);
}

/* Occurrences of needle in hay. */
static int
count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

Test(pipeline, a_child_deleted_after_a_submission_is_notified_once_in_the_next_return)
{
    char *runs = temp_dir("runs");
    char *conf = config_variant("deletions", "runs_root", runs, NULL);
    char *child = sql_exec("SELECT max(yp_id) FROM cms.young_person WHERE first_contact_date <= "
                           "'2025-06-30' AND ethnicity_cd <> 'BAFR'");
    char sql[256], want_doc[128], want_del[160];
    char *ypid, *q1, *q2, *q3, *xml, *run;

    snprintf(sql, sizeof(sql), "SELECT ypid FROM cms.young_person WHERE yp_id = %s", child);
    ypid = sql_exec(sql);
    snprintf(want_doc, sizeof(want_doc), "      <ypid>%s</ypid>\n", ypid);
    snprintf(want_del, sizeof(want_del), "  <deletion>\n    <ypid>%s</ypid>\n  </deletion>\n",
             ypid);

    q1 = yj_run(conf, "2025Q1", NULL, 1, 0);
    xml = read_file(return_xml(q1), NULL);
    cr_assert_eq(count_of(xml, want_doc), 1, "2025Q1 must hold the child's document");
    cr_assert_eq(count_of(xml, "<deletion>"), 0);
    free(xml);

    snprintf(sql, sizeof(sql), "DELETE FROM cms.young_person WHERE yp_id = %s", child);
    sql_exec(sql);
    q2 = yj_run(conf, "2025Q2", NULL, 1, 0);
    xml = read_file(return_xml(q2), NULL);
    cr_assert_eq(count_of(xml, want_doc), 0, "the deleted child has no document in 2025Q2");
    cr_assert_eq(count_of(xml, want_del), 1, "2025Q2 notifies the deletion:\n%s",
                 strstr(xml, "</child>\n  <deletion>") ? strstr(xml, "<deletion>") : "none");
    cr_assert_eq(count_of(xml, "<deletion>"), 1, "only the deleted child is notified");
    free(xml);
    run = read_file(path2(q2, "RUN"), NULL);
    cr_assert(strstr(run, return_xml(q1)), "RUN names the previous return:\n%s", run);
    free(run);

    q3 = yj_run(conf, "2025Q3", NULL, 1, 0);
    xml = read_file(return_xml(q3), NULL);
    cr_assert_eq(count_of(xml, ypid), 0, "2025Q3 neither holds nor notifies the child again");
    cr_assert_eq(count_of(xml, "<deletion>"), 0);
    free(xml);
}
