/*
 * test_failures.c - what users see when things go wrong: bad input, an unreachable
 * warehouse, missing or broken mappings, corrupt staged files, and submissions the receiver
 * or TLS refuses. Each asserts the exit code, the message, and that nothing that looks
 * complete is left behind.
 */
#include "forge.h"
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct cmd_result
run3(const char *a0, const char *a1, const char *a2, const char *a3, const char *a4, const char *a5,
     const char *a6)
{
    const char *argv[] = {a0, a1, a2, a3, a4, a5, a6, NULL};
    return run_cmd(argv);
}

static void
expect(struct cmd_result r, int status, const char *needle)
{
    cr_assert_eq(r.status, status, "exit %d, want %d; stderr:\n%s", r.status, status, r.err);
    if (needle)
        cr_assert(strstr(r.err, needle), "stderr lacks \"%s\":\n%s", needle, r.err);
    cmd_result_free(&r);
}

/* Runs yj-extract for a period into a new folder; returns the folder. */
static char *
extract_to(const char *conf, const char *period)
{
    char *dir = temp_dir("staged");
    expect(run3("yj-extract", "--config", conf, "--period", period, "--out", dir), 0, NULL);
    return dir;
}

Test(bad_input, malformed_periods_are_usage_errors_naming_the_text)
{
    const char *bad[] = {"2025Q5", "25Q1", "2025q1", "2025Q0", ""};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char want[64];
        snprintf(want, sizeof(want), "invalid period '%s'", bad[i]);
        expect(run3("yj-run", "--config", env_get("YJ_TEST_CONF"), "--period", bad[i], NULL, NULL),
               64, want);
    }
}

Test(bad_input, missing_config_is_a_config_error_naming_the_file)
{
    expect(run3("yj-run", "--config", "/nonexistent/yj.conf", "--period", "2025Q1", NULL, NULL), 78,
           "could not open config file '/nonexistent/yj.conf'");
}

Test(bad_input, unknown_config_key_names_file_and_line)
{
    char *conf = config_variant("badkey", NULL);
    FILE *f = fopen(conf, "a");

    fprintf(f, "[run]\nrunz_root = x\n");
    fclose(f);
    expect(run3("yj-run", "--config", conf, "--period", "2025Q1", NULL, NULL), 78,
           "unknown key 'runz_root' in [run]");
    free(conf);
}

Test(bad_input, password_in_conninfo_is_refused)
{
    char *conf = config_variant("pw", "conninfo", "host=/tmp dbname=yj password=secret", NULL);
    struct cmd_result r = run3("yj-run", "--config", conf, "--period", "2025Q1", NULL, NULL);

    cr_assert(!strstr(r.err, "secret"), "the password must not be echoed");
    expect(r, 78, "a password in conninfo is refused");
    free(conf);
}

Test(bad_input, unreachable_warehouse_is_unavailable_and_leaves_no_manifest)
{
    char *conf = config_variant("nodb", "conninfo", "host=/nonexistent port=1 dbname=yj", NULL);
    char *dir = temp_dir("nodb");

    expect(run3("yj-extract", "--config", conf, "--period", "2025Q1", "--out", dir), 69,
           "could not connect to the warehouse");
    cr_assert(!file_exists(path2(dir, "MANIFEST")));
    free(conf);
    free(dir);
}

Test(bad_input, future_as_of_is_refused)
{
    char *dir = temp_dir("future");
    const char *argv[] = {"yj-extract", "--config", env_get("YJ_TEST_CONF"),
                          "--period",   "2025Q1",   "--out",
                          dir,          "--as-of",  "2999-01-01",
                          NULL};

    expect(run_cmd(argv), 64, "is later than the snapshot");
    free(dir);
}

Test(bad_input, missing_mapping_file_is_no_input_naming_the_file)
{
    char *maps = temp_dir("maps");
    char *copy = path2(maps, "mappings");
    char *conf = config_variant("nomap", "mappings", copy, NULL);
    char *staged = extract_to(env_get("YJ_TEST_CONF"), "2025Q1");
    char *out = temp_dir("return");

    copy_tree(YJ_SOURCE_DIR "/mappings", copy);
    cr_assert_eq(unlink(path2(copy, "schema-11/plea.csv")), 0);
    expect(run3("yj-transform", "--config", conf, "--in", staged, "--out", out), 66,
           "could not open mapping");
    cr_assert(!file_exists(path2(out, "cld.xml")));
    cr_assert(!file_exists(path2(out, "MANIFEST")));
}

/* A copy of sql/extract/ in a new folder with the line OLD of person.sql replaced by NEW, and a
 * config that reads it. */
static char *
person_sql_variant(const char *tag, const char *old, const char *new_line)
{
    char *queries = temp_dir("sql");
    char *path = path2(queries, "person.sql");
    char *text, *at;
    FILE *f;

    copy_tree(YJ_SOURCE_DIR "/sql/extract/.", queries);
    text = read_file(path, NULL);
    at = text ? strstr(text, old) : NULL;
    f = fopen(path, "w");
    cr_assert(at && f);
    fwrite(text, 1, (size_t)(at - text), f);
    fputs(new_line, f);
    fputs(at + strlen(old), f);
    cr_assert_eq(fclose(f), 0);
    free(text);
    free(path);
    return config_variant(tag, "sql", queries, NULL);
}

Test(extract, a_failing_query_logs_its_sqlstate_never_the_servers_text)
{
    /* the server's message would quote the row value: invalid input syntax for type date:
     * "YP..." */
    char *conf =
        person_sql_variant("badsql", "       yp.ypid,\n", "       yp.ypid::date::text AS ypid,\n");
    char *out = temp_dir("staged");
    char *ypid = sql_exec("SELECT min(ypid) FROM cms.young_person");
    struct cmd_result r;

    r = run3("yj-extract", "--config", conf, "--period", "2025Q1", "--out", out);
    cr_assert(!strstr(r.err, ypid), "a row value reached stderr:\n%s", r.err);
    cr_assert(!strstr(r.err, "invalid input syntax"), "the server's text reached stderr:\n%s",
              r.err);
    expect(r, 70, "query 'person.sql' failed: SQLSTATE 22007");
    cr_assert(!file_exists(path2(out, "MANIFEST")));
}

Test(extract, a_connection_lost_mid_extract_is_unavailable_and_leaves_no_manifest)
{
    /* The server ends the session while person.sql streams its rows, as a restart or a DBA's
     * pg_terminate_backend would: the backend terminates itself (a role may signal its own
     * backends), so the loss falls inside the COPY, after the snapshot and the column checks. */
    char *conf = person_sql_variant(
        "lostconn", "       yp.ypid,\n",
        "       CASE WHEN pg_terminate_backend(pg_backend_pid()) THEN yp.ypid END AS ypid,\n");
    char *out = temp_dir("staged");
    struct cmd_result r;

    r = run3("yj-extract", "--config", conf, "--period", "2025Q1", "--out", out);
    expect(r, 69, "query 'person.sql' failed: SQLSTATE 57P01");
    cr_assert(!file_exists(path2(out, "MANIFEST")));
    cr_assert(!file_exists(path2(out, "person.tsv")), "a half staged file was left");
}

Test(transform, unmapped_code_names_child_item_field_and_map_but_logs_no_value)
{
    char *maps = temp_dir("maps");
    char *copy = path2(maps, "mappings");
    char *conf = config_variant("unmapped", "mappings", copy, NULL);
    char *staged = extract_to(env_get("YJ_TEST_CONF"), "2025Q1");
    char *out = temp_dir("return");
    char *child, *line_no, want[1024], want_file[1200], *errors;
    struct stat st;
    struct cmd_result r;

    /* drop the mapping of one ethnicity code that a child in the return has */
    copy_tree(YJ_SOURCE_DIR "/mappings", copy);
    {
        char *path = path2(copy, "schema-11/ethnicity.csv");
        char *text = read_file(path, NULL);
        char *line = strstr(text, "\nBAFR,B2\n");
        FILE *f;
        cr_assert(line);
        memmove(line, line + 8, strlen(line + 8) + 1);
        f = fopen(path, "w");
        fputs(text, f);
        fclose(f);
        free(text);
        free(path);
    }
    child = sql_exec("SELECT min(yp_id) FROM cms.young_person WHERE ethnicity_cd = 'BAFR' "
                     "AND first_contact_date <= '2025-06-30'");
    cr_assert(child);
    /* person.tsv: the header, then one line per child in child order */
    line_no =
        sql_exec("SELECT count(*) + 1 FROM cms.young_person WHERE yp_id <= (SELECT min(yp_id) "
                 "FROM cms.young_person WHERE ethnicity_cd = 'BAFR' AND first_contact_date "
                 "<= '2025-06-30') AND first_contact_date <= '2025-06-30'");
    snprintf(want, sizeof(want),
             "person.tsv line %s: child %s person %s field ethnicity: local code in column "
             "'ethnicity_cd' has no mapping in '%s'",
             line_no, child, child, path2(copy, "schema-11/ethnicity.csv"));
    r = run3("yj-transform", "--config", conf, "--in", staged, "--out", out);
    cr_assert(!strstr(r.err, "BAFR"), "a code value reached stderr:\n%s", r.err);
    expect(r, 65, want);
    cr_assert(!file_exists(path2(out, "cld.xml")), "no return may be left behind");
    cr_assert(!file_exists(path2(out, "cld.xml.tmp")));
    cr_assert(!file_exists(path2(out, "MANIFEST")));
    errors = read_file(path2(out, "errors.txt"), NULL);
    snprintf(want_file, sizeof(want_file), "%s (value 'BAFR')\n", want);
    cr_assert(errors && strstr(errors, want_file),
              "errors.txt lists every unmapped code, with "
              "its value:\n%s",
              errors);
    cr_assert_eq(stat(path2(out, "errors.txt"), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600, "errors.txt quotes codes: mode 0600");
}

Test(transform, failed_run_removes_the_previous_return_and_manifest)
{
    char *maps = temp_dir("maps");
    char *copy = path2(maps, "mappings");
    char *conf = config_variant("unmapped2", "mappings", copy, NULL);
    char *staged = extract_to(env_get("YJ_TEST_CONF"), "2025Q1");
    char *out = temp_dir("return");

    expect(run3("yj-transform", "--config", env_get("YJ_TEST_CONF"), "--in", staged, "--out", out),
           0, NULL);
    cr_assert(file_exists(path2(out, "cld.xml")) && file_exists(path2(out, "MANIFEST")));
    /* the same folder, now with a map that lacks a code the children have */
    copy_tree(YJ_SOURCE_DIR "/mappings", copy);
    {
        FILE *f = fopen(path2(copy, "schema-11/sex.csv"), "w");
        fputs("local,yjb\n", f);
        fclose(f);
    }
    expect(run3("yj-transform", "--config", conf, "--in", staged, "--out", out), 65,
           "has no mapping in");
    cr_assert(!file_exists(path2(out, "cld.xml")), "the old return must not stay behind");
    cr_assert(!file_exists(path2(out, "MANIFEST")), "the old manifest must not stay behind");
}

Test(transform, corrupt_staged_file_is_an_io_error_and_leaves_no_return)
{
    char *staged = extract_to(env_get("YJ_TEST_CONF"), "2025Q1");
    char *out = temp_dir("return");
    char *path = path2(staged, "offence.tsv");
    size_t len;
    char *text = read_file(path, &len);
    FILE *f;

    /* change one digit in the last row: still well-formed, but not what was extracted */
    cr_assert(len > 10);
    for (size_t i = len - 2; i > 0; i--)
        if (text[i] >= '0' && text[i] <= '8') {
            text[i]++;
            break;
        }
    f = fopen(path, "wb");
    fwrite(text, 1, len, f);
    fclose(f);
    expect(run3("yj-transform", "--config", env_get("YJ_TEST_CONF"), "--in", staged, "--out", out),
           74, "staged file 'offence.tsv' is corrupt");
    cr_assert(!file_exists(path2(out, "cld.xml")));

    /* and a truncated file: the last row cut off */
    text[len / 2] = '\0';
    f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
    expect(run3("yj-transform", "--config", env_get("YJ_TEST_CONF"), "--in", staged, "--out", out),
           74, "offence.tsv");
    cr_assert(!file_exists(path2(out, "cld.xml")));
    free(text);
}

Test(validate, invalid_return_exits_65_with_line_and_path_in_the_report)
{
    char *dir = temp_dir("invalid");
    char *xml = path2(dir, "bad.xml");
    char *report = path2(dir, "report.txt");
    char *text;
    FILE *f = fopen(xml, "w");

    fputs("<?xml version=\"1.0\"?>\n"
          "<cldReturn xmlns=\"urn:yjreturns:cld:schema-11\" schemaVersion=\"11\">\n"
          "  <envelope>\n"
          "    <sourceReturnId>X</sourceReturnId>\n"
          "  </envelope>\n"
          "</cldReturn>\n",
          f);
    fclose(f);
    expect(
        run3("yj-validate", "--mappings", YJ_SOURCE_DIR "/mappings", "--report", report, xml, NULL),
        65, "is invalid");
    text = read_file(report, NULL);
    cr_assert(text && strstr(text, "line 5: /cldReturn/envelope: error:"), "report:\n%s", text);
    cr_assert(strstr(text, "\nresult invalid\n"));
    free(text);
}

Test(validate, doctype_and_entities_are_refused)
{
    char *dir = temp_dir("doctype");
    char *xml = path2(dir, "bad.xml");
    char *report = path2(dir, "report.txt");
    FILE *f = fopen(xml, "w");

    fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE cldReturn [<!ENTITY x SYSTEM "
          "\"file:///etc/passwd\">]>\n"
          "<cldReturn xmlns=\"urn:yjreturns:cld:schema-11\" schemaVersion=\"11\">&x;</cldReturn>\n",
          f);
    fclose(f);
    expect(
        run3("yj-validate", "--mappings", YJ_SOURCE_DIR "/mappings", "--report", report, xml, NULL),
        65, NULL);
    {
        char *text = read_file(report, NULL);
        /* the parser stops at the DOCTYPE: one finding, on its line, nothing read after it */
        cr_assert(text && strstr(text, "\n\nline 2: : error: a DOCTYPE is not allowed in a return\n"
                                       "\nchildren 0\nerrors 1\nqueries 0\nresult invalid\n"),
                  "report:\n%s", text);
        cr_assert(!strstr(text, "root:"), "no entity may be expanded");
        free(text);
    }
}

/* A validated run directory of its own period, for the submit tests. */
static char *
validated_run(const char *period)
{
    const char *argv[] = {"yj-run", "--config",   env_get("YJ_TEST_CONF"), "--period",
                          period,   "--sign-off", sign_off_for(period),    NULL};
    struct cmd_result r = run_cmd(argv);
    char *dir;

    cr_assert_eq(r.status, 0, "%s", r.err);
    dir = strndup(r.out, strcspn(r.out, "\n"));
    cmd_result_free(&r);
    return dir;
}

Test(submit, wrong_server_ca_fails_without_receipt)
{
    char *run = validated_run("2023Q1");
    char *conf = config_variant("wrongca", "ca_file", env_get("YJ_TEST_WRONG_CA"), NULL);

    expect(run3("yj-submit", "--config", conf, "--run-dir", run, NULL, NULL), 76, "upload to");
    cr_assert(!file_exists(path2(run, "submit/receipt")));
}

Test(submit, missing_client_certificate_fails_without_receipt)
{
    char *run = validated_run("2023Q2");
    char *missing = config_variant("nocert", "cert_file", "/nonexistent/client.pem", NULL);
    char *untrusted = config_variant("wrongcert", "cert_file", env_get("YJ_TEST_WRONG_CERT"),
                                     "key_file", env_get("YJ_TEST_WRONG_KEY"), NULL);
    char *none = config_variant("nocertkey", "cert_file", NULL, "key_file", NULL, NULL);

    expect(run3("yj-submit", "--config", missing, "--run-dir", run, NULL, NULL), 78,
           "could not use client certificate '/nonexistent/client.pem'");
    expect(run3("yj-submit", "--config", none, "--run-dir", run, NULL, NULL), 78,
           "missing [submit] cert_file");
    /* a certificate the receiver does not trust: refused by the server */
    expect(run3("yj-submit", "--config", untrusted, "--run-dir", run, NULL, NULL), 76,
           "client certificate refused");
    cr_assert(!file_exists(path2(run, "submit/receipt")));
}

Test(submit, plain_http_is_refused_before_connecting)
{
    char *run = validated_run("2023Q3");
    char *conf = config_variant("http", "url", "http://127.0.0.1:1/upload/", NULL);

    expect(run3("yj-submit", "--config", conf, "--run-dir", run, NULL, NULL), 78,
           "url must use https://");
    cr_assert(!file_exists(path2(run, "submit/receipt")));
}

Test(submit, a_return_that_was_not_validated_is_not_sent)
{
    char *run = validated_run("2023Q4");
    char *report = path2(run, "validate/report.txt");

    cr_assert_eq(unlink(report), 0);
    expect(run3("yj-submit", "--config", env_get("YJ_TEST_CONF"), "--run-dir", run, NULL, NULL), 65,
           "has no validation report");
    cr_assert(!file_exists(path2(run, "submit/receipt")));
}

Test(validate, business_rules_report_errors_and_queries_by_rule)
{
    char *dir = temp_dir("rules");
    char *xml = path2(dir, "rules.xml");
    char *report = path2(dir, "report.txt");
    char *text;
    FILE *f = fopen(xml, "w");

    /* schema-valid, but breaking business rules (worked out below) */
    fputs("<?xml version=\"1.0\"?>\n"
          "<cldReturn xmlns=\"urn:yjreturns:cld:schema-11\" schemaVersion=\"11\">\n"
          "<envelope><sourceReturnId>T-2025Q1</sourceReturnId><yotOuCode>T</yotOuCode>"
          "<returnStartDate>2025-04-01</returnStartDate><returnEndDate>2025-06-30</returnEndDate>"
          "<cmsSystem>t</cmsSystem><cmsExtractVersion>1</cmsExtractVersion>"
          "<schemaVersion>11</schemaVersion><extractVersion>t</extractVersion>"
          "<documentCount>1</documentCount></envelope>\n"
          "<child><person><ypid>YP1</ypid><currentYotId>T</currentYotId>"
          "<dateOfBirth>2010-05-01</dateOfBirth><dateOf18thBirthday>2028-05-01"
          "</dateOf18thBirthday><sex>1</sex><ethnicity>W1</ethnicity></person>\n"
          "<offence><offenceId>1</offenceId><yjbOffenceCategory>DRUGS</yjbOffenceCategory>"
          "</offence>\n"
          "<offence><offenceId>2</offenceId><offenceDate>2019-06-01</offenceDate>"
          "<yjbOffenceCategory>ROBBERY</yjbOffenceCategory>\n"
          "<offenceLegalOutcome><outcomeDate>2019-05-01</outcomeDate>"
          "<legalOutcome>YOUTH_CAUTION</legalOutcome><cmsLegalOutcome>YC</cmsLegalOutcome>"
          "<isSubstantive>true</isSubstantive>"
          "<isPreCourtDisposal>true</isPreCourtDisposal><isCourtDisposal>false</isCourtDisposal>"
          "<residenceOnLegalOutcomeDate>LOCAL</residenceOnLegalOutcomeDate>"
          "</offenceLegalOutcome></offence>\n"
          "<interventionProgramme><interventionProgrammeId>9</interventionProgrammeId>"
          "<startDate>2025-05-01</startDate>\n<endDate>2025-04-01</endDate>"
          "<disposalType>YOUTH_CAUTION</disposalType><cmsDisposalType>YC</cmsDisposalType>"
          "</interventionProgramme>\n"
          "</child>\n</cldReturn>\n",
          f);
    fclose(f);
    expect(
        run3("yj-validate", "--mappings", YJ_SOURCE_DIR "/mappings", "--report", report, xml, NULL),
        65, "3 errors, 4 queries");
    text = read_file(report, NULL);
    cr_assert(text, "no report");
    /* worked by hand: born 2010-05-01; offence 1 has no date (R001) and neither offence a
     * gravity (R035); offence 2 on 2019-06-01, age 9 (R002), its outcome on 2019-05-01 is a
     * month earlier (R010), age 9 (R005); programme 9 ends before it starts (R014). The
     * return is read alone (no --staged): children are named by ypid only. */
    cr_assert(strstr(text,
                     "\n\n"
                     "line 5: R001 error: child ypid YP1 offence 1 field offenceDate: offence has "
                     "no offence date\n"
                     "line 5: R035 query: child ypid YP1 offence 1 field yjbSeriousnessScore: "
                     "offence has no gravity score (KPI 9 cannot count it)\n"
                     "line 7: R005 query: child ypid YP1 offence 2 offenceLegalOutcome[1] field "
                     "outcomeDate: age on the outcome date is outside 10-18\n"
                     "line 7: R010 error: child ypid YP1 offence 2 offenceLegalOutcome[1] field "
                     "outcomeDate: outcome date is before the offence date\n"
                     "line 6: R002 query: child ypid YP1 offence 2 field offenceDate: age on the "
                     "offence date is outside 10-17\n"
                     "line 6: R035 query: child ypid YP1 offence 2 field yjbSeriousnessScore: "
                     "offence has no gravity score (KPI 9 cannot count it)\n"
                     "line 9: R014 error: child ypid YP1 interventionProgramme 9 field endDate: "
                     "programme end date is before its start date\n"
                     "\nchildren 1\nerrors 3\nqueries 4\nresult invalid\n"),
              "%s", text);
    free(text);
}

Test(run, submit_without_a_sign_off_date_is_a_usage_error)
{
    struct cmd_result r =
        run3("yj-run", "--config", env_get("YJ_TEST_CONF"), "--period", "2025Q2", "--submit", NULL);
    cr_assert_eq(r.out[0], '\0', "no run directory may be made: %s", r.out);
    expect(r, 64, "yj-run: --submit needs --sign-off DATE");
}

Test(submit, a_return_without_a_sign_off_date_is_not_sent)
{
    const char *argv[] = {"yj-run",   "--config", env_get("YJ_TEST_CONF"),
                          "--period", "2023Q3",   NULL};
    struct cmd_result r = run_cmd(argv);
    char *run;

    cr_assert_eq(r.status, 0, "%s", r.err);
    run = strndup(r.out, strcspn(r.out, "\n"));
    cmd_result_free(&r);
    expect(run3("yj-submit", "--config", env_get("YJ_TEST_CONF"), "--run-dir", run, NULL, NULL), 65,
           "has no sign-off date");
    cr_assert(!file_exists(path2(run, "submit/receipt")));
}

Test(submit, a_period_in_progress_runs_nightly_but_is_never_sent)
{
    /* 2026Q3 ends on 2026-12-31: read before then, it is still in progress */
    char *as_of = sql_exec("SELECT CASE WHEN now() < '2027-01-01' THEN 'in progress' END");
    const char *nightly[] = {"yj-run",   "--config", env_get("YJ_TEST_CONF"),
                             "--period", "2026Q3",   NULL};
    /* its sign-off can only be after its end, which is after today: refused before anything */
    const char *submit[] = {"yj-run",     "--config",   env_get("YJ_TEST_CONF"),
                            "--period",   "2026Q3",     "--submit",
                            "--sign-off", "2027-01-10", NULL};
    struct cmd_result r;
    char *run, *report;

    if (!as_of)
        cr_skip_test("this machine's clock is past 2026Q3");
    r = run_cmd(nightly);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    run = strndup(r.out, strcspn(r.out, "\n"));
    cmd_result_free(&r);
    report = read_file(path2(run, "validate/report.txt"), NULL);
    cr_assert(report && strstr(report, "\nperiod in progress: for data quality only, never "
                                       "submitted\n"),
              "%s", report);
    cr_assert(strstr(report, "\nresult valid\n"), "%s", report);
    cr_assert(!file_exists(path2(run, "submit/receipt")));
    r = run_cmd(submit);
    cr_assert_eq(r.status, 64, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "yj-run: error: --sign-off 2027-01-10 is in the future (today is "),
              "%s", r.err);
    cr_assert_str_empty(r.out);
    cmd_result_free(&r);
}

Test(validate, document_count_that_does_not_match_the_children_is_an_error)
{
    char *dir = temp_dir("count");
    char *xml = path2(dir, "count.xml");
    char *report = path2(dir, "report.txt");
    char *text;
    FILE *f = fopen(xml, "w");

    fputs("<?xml version=\"1.0\"?>\n"
          "<cldReturn xmlns=\"urn:yjreturns:cld:schema-11\" schemaVersion=\"11\">\n"
          "<envelope><sourceReturnId>T-2025Q1</sourceReturnId><yotOuCode>T</yotOuCode>"
          "<returnStartDate>2025-04-01</returnStartDate><returnEndDate>2025-06-30</returnEndDate>"
          "<cmsSystem>t</cmsSystem><cmsExtractVersion>1</cmsExtractVersion>"
          "<schemaVersion>11</schemaVersion><extractVersion>t</extractVersion>\n"
          "<documentCount>2</documentCount></envelope>\n"
          "<child><person><ypid>YP1</ypid><currentYotId>T</currentYotId>"
          "<dateOfBirth>2010-05-01</dateOfBirth><dateOf18thBirthday>2028-05-01"
          "</dateOf18thBirthday><sex>1</sex><ethnicity>W1</ethnicity></person></child>\n"
          "</cldReturn>\n",
          f);
    fclose(f);
    expect(
        run3("yj-validate", "--mappings", YJ_SOURCE_DIR "/mappings", "--report", report, xml, NULL),
        65, "1 error, 0 queries");
    text = read_file(report, NULL);
    cr_assert(text && strstr(text, "line 4: : error: envelope documentCount is 2 but the return "
                                   "holds 1 child document\n"),
              "report:\n%s", text);
    free(text);
}

Test(bad_input, a_period_before_the_first_bundle_is_refused)
{
    struct cmd_result r = run3("yj-extract", "--config", env_get("YJ_TEST_CONF"), "--period",
                               "2022Q4", "--out", temp_dir("early"));
    char want[1024];

    /* mappings/bundles.conf starts at 2023Q1: no schema describes 2022Q4 */
    snprintf(want, sizeof(want),
             "no mapping bundle in '%s/mappings/bundles.conf' covers period 2022Q4", YJ_SOURCE_DIR);
    expect(r, 78, want);
}

Test(bad_input, a_stage_without_its_required_options_is_a_usage_error)
{
    expect(run3("yj-transform", "--config", env_get("YJ_TEST_CONF"), "--out", temp_dir("noin"),
                NULL, NULL),
           64, "yj-transform: --config, --in and --out are required (see --help)");
}

Test(bad_input, an_as_of_that_is_not_a_moment_is_a_usage_error)
{
    const char *bad[] = {"-infinity", "infinity"};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char want[128];
        char *out = temp_dir("infinite");
        snprintf(want, sizeof(want), "--as-of '%s' is not a moment", bad[i]);
        expect(run3("yj-extract", "--config", env_get("YJ_TEST_CONF"), "--period", "2025Q1",
                    "--out", out),
               0, NULL);
        {
            const char *argv[] = {"yj-extract", "--config", env_get("YJ_TEST_CONF"),
                                  "--period",   "2025Q1",   "--as-of",
                                  bad[i],       "--out",    out,
                                  NULL};
            expect(run_cmd(argv), 64, want);
            cr_assert(!file_exists(path2(out, "MANIFEST")), "no staged folder may look complete");
        }
    }
}

Test(bad_input, an_output_folder_that_cannot_be_created_is_73_naming_it)
{
    /* a regular file where a folder of the path should be: ENOTDIR even for root */
    char *dir = temp_dir("notdir");
    char *file = path2(dir, "file");
    char *out = path2(file, "staged");
    char *runs = path2(file, "runs");
    char *conf = config_variant("cantcreat", "runs_root", runs, NULL);
    FILE *f = fopen(file, "w");

    cr_assert(f);
    cr_assert_eq(fclose(f), 0);
    expect(
        run3("yj-extract", "--config", env_get("YJ_TEST_CONF"), "--period", "2025Q1", "--out", out),
        73, file);
    cr_assert(!file_exists(out));
    expect(run3("yj-run", "--config", conf, "--period", "2025Q1", NULL, NULL), 73, file);
    cr_assert(!file_exists(runs));
}

Test(submit, a_client_key_readable_by_others_is_refused_before_connecting)
{
    char *run = validated_run("2024Q2");
    char *dir = temp_dir("key");
    char *key = path2(dir, "client.key");
    char *text = read_file(env_get("YJ_TEST_KEY"), NULL);
    char *conf = config_variant("keymode", "key_file", key, NULL);
    FILE *f = fopen(key, "w");

    cr_assert(text && f);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(chmod(key, 0644), 0);
    expect(run3("yj-submit", "--config", conf, "--run-dir", run, NULL, NULL), 77,
           "is readable by others (mode 0644)");
    cr_assert(!file_exists(path2(run, "submit/receipt")));
}

/* Replaces the first FROM by TO in the file PATH. */
static void
replace_in_file(const char *path, const char *from, const char *to)
{
    char *text = read_file(path, NULL), *at = text ? strstr(text, from) : NULL;
    FILE *f;

    cr_assert(at, "'%s' not in %s", from, path);
    f = fopen(path, "wb");
    cr_assert(f);
    fwrite(text, 1, (size_t)(at - text), f);
    fputs(to, f);
    fputs(at + strlen(from), f);
    cr_assert_eq(fclose(f), 0);
    free(text);
}

Test(bad_input, a_period_edited_in_the_staged_manifest_is_refused_naming_the_manifest)
{
    char *staged = extract_to(env_get("YJ_TEST_CONF"), "2025Q1");
    char *out = temp_dir("return");
    char *manifest = path2(staged, "MANIFEST");
    char want[2048];

    /* before: a 2025Q2 return built from 2025Q1 data, exit 0 */
    replace_in_file(manifest, "\nperiod 2025Q1\n", "\nperiod 2025Q2\n");
    snprintf(want, sizeof(want),
             "yj-transform: error: staged manifest '%s' is corrupt: its period_start and "
             "period_end are not those of its period 2025Q2\n",
             manifest);
    expect(run3("yj-transform", "--config", env_get("YJ_TEST_CONF"), "--in", staged, "--out", out),
           74, want);
    cr_assert(!file_exists(path2(out, "cld.xml")));
    cr_assert(!file_exists(path2(out, "MANIFEST")), "nothing may look complete");
    /* the period asked for (yj-run passes its own) must be the manifest's */
    replace_in_file(manifest, "\nperiod 2025Q2\n", "\nperiod 2025Q1\n");
    {
        const char *argv[] = {"yj-transform",
                              "--config",
                              env_get("YJ_TEST_CONF"),
                              "--in",
                              staged,
                              "--out",
                              out,
                              "--period",
                              "2025Q2",
                              NULL};
        snprintf(want, sizeof(want),
                 "yj-transform: error: staged manifest '%s' is of period 2025Q1, not the period "
                 "2025Q2 asked for (--period)\n",
                 manifest);
        expect(run_cmd(argv), 74, want);
    }
    cr_assert(!file_exists(path2(out, "MANIFEST")));
}

Test(bad_input, a_negative_warehouse_id_is_a_data_error_naming_file_and_line)
{
    char *staged = extract_to(env_get("YJ_TEST_CONF"), "2025Q1");
    char *out = temp_dir("return");
    char *person = path2(staged, "person.tsv"), *manifest = path2(staged, "MANIFEST");
    char *text = read_file(person, NULL), *row, *old_sha = forge_file_sha256(person), *new_sha;
    char old_line[256], new_line[256];
    size_t len;
    FILE *f;

    /* the first child's id made negative, as a warehouse could hold it (a bigint key); the
     * manifest made to match, so only the id is wrong */
    cr_assert(text && (row = strchr(text, '\n')));
    row++;
    f = fopen(person, "wb");
    cr_assert(f);
    fwrite(text, 1, (size_t)(row - text), f);
    fputc('-', f);
    fputs(row, f);
    cr_assert_eq(fclose(f), 0);
    len = strlen(text);
    new_sha = forge_file_sha256(person);
    {
        char *m = read_file(manifest, NULL), *at = strstr(m, "file person.tsv rows "), *end;
        cr_assert(at && (end = strchr(at, '\n')));
        snprintf(old_line, sizeof(old_line), "%.*s", (int)(end - at), at);
        free(m);
    }
    {
        char rows[32];
        cr_assert_eq(sscanf(old_line, "file person.tsv rows %31s", rows), 1);
        snprintf(new_line, sizeof(new_line), "file person.tsv rows %s bytes %zu sha256 %s", rows,
                 len + 1, new_sha);
    }
    cr_assert(strstr(old_line, old_sha), "%s", old_line);
    replace_in_file(manifest, old_line, new_line);
    /* before: "child_id is not a number", 74, as if the file were corrupt */
    expect(run3("yj-transform", "--config", env_get("YJ_TEST_CONF"), "--in", staged, "--out", out),
           65,
           "yj-transform: error: staged file 'person.tsv' line 2: child_id is negative: a "
           "child's warehouse id is a whole number from 0\nHINT: correct the child's id in the "
           "warehouse, then run again\n");
    cr_assert(!file_exists(path2(out, "MANIFEST")), "nothing may look complete");
    free(text);
    free(old_sha);
    free(new_sha);
}
