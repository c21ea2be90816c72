/*
 * test_config.c - the INI configuration (etl/core/config.c).
 *
 * The config decides where children's data is read from and sent to, so the tests hold it to
 * docs/design.md: relative paths resolve against the config file's folder, anything unknown
 * or repeated is a configuration error (exit 78) naming the file and line, and a password in
 * the conninfo is refused. Each test writes its config into a temporary folder.
 */
#include "config.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *dir;
static char *path;

static void
setup(void)
{
    dir = ut_mkdtemp();
    path = ut_path(dir, "yj.conf");
}

static void
teardown(void)
{
    ut_rmtree(dir);
    free(path);
    free(dir);
}

TestSuite(config, .init = setup, .fini = teardown);

static const char full_config[] = "# yjreturns configuration\n"
                                  "[service]\n"
                                  "yot_ou_code = MEDWAY          # the service's YJB code\n"
                                  "cms_system  = yjreturns-reference-warehouse\n"
                                  "\n"
                                  "; libpq finds the password in PGPASSFILE\n"
                                  "[warehouse]\n"
                                  "conninfo = host=/run/pg port=5432 dbname=yj user=yj_extract\n"
                                  "\n"
                                  "[return]\n"
                                  "mappings = ../mappings        # bundles\n"
                                  "sql      = /opt/yj/sql/extract ; absolute\n"
                                  "\n"
                                  "[submit]\n"
                                  "url       = https://127.0.0.1:8443/upload/#frag\n"
                                  "ca_file   = receiver/ca.pem\n"
                                  "cert_file = receiver/client.pem\n"
                                  "key_file  = receiver/client.key   # must be mode 0600\n"
                                  "\n"
                                  "[ run ]\n"
                                  "runs_root=runs\n";

/* Loads text and expects YJ_EX_CONFIG with exactly msg_tail after "config file '<path>' ". */
static void
assert_refused(const char *text, const char *msg_tail)
{
    struct yj_config cfg;
    struct yj_error err;
    char expected[2048];

    ut_write(path, text);
    config_init(&cfg);
    yj_error_init(&err);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_EX_CONFIG, "accepted:\n%s", text);
    cr_assert_eq(err.code, YJ_EX_CONFIG);
    snprintf(expected, sizeof(expected), "config file '%s' %s", path, msg_tail);
    cr_assert_str_eq(err.message, expected);
    config_release(&cfg);
}

static char *
in_dir(const char *rel)
{
    return ut_path(dir, rel);
}

Test(config, full_valid_config_loads_with_paths_resolved_against_its_folder)
{
    struct yj_config cfg;
    struct yj_error err;
    char *want;

    ut_write(path, full_config);
    config_init(&cfg);
    yj_error_init(&err);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_OK, "%s", err.message);
    cr_assert_str_eq(cfg.path, path);
    cr_assert_str_eq(cfg.yot_ou_code, "MEDWAY");
    cr_assert_str_eq(cfg.cms_system, "yjreturns-reference-warehouse");
    cr_assert_str_eq(cfg.conninfo, "host=/run/pg port=5432 dbname=yj user=yj_extract");
    want = in_dir("../mappings");
    cr_assert_str_eq(cfg.mappings, want);
    free(want);
    cr_assert_str_eq(cfg.sql, "/opt/yj/sql/extract", "absolute paths stay as they are");
    cr_assert_str_eq(cfg.submit_url, "https://127.0.0.1:8443/upload/#frag",
                     "a '#' not preceded by a space is part of the value");
    want = in_dir("receiver/ca.pem");
    cr_assert_str_eq(cfg.ca_file, want);
    free(want);
    want = in_dir("receiver/client.pem");
    cr_assert_str_eq(cfg.cert_file, want);
    free(want);
    want = in_dir("receiver/client.key");
    cr_assert_str_eq(cfg.key_file, want);
    free(want);
    want = in_dir("runs");
    cr_assert_str_eq(cfg.runs_root, want);
    free(want);
    config_release(&cfg);
    cr_assert_null(cfg.path, "release leaves the struct empty");
}

Test(config, inline_comments_after_values_are_stripped)
{
    struct yj_config cfg;
    struct yj_error err;

    ut_write(path, "[service]\n"
                   "yot_ou_code = MEDWAY # hash comment\n"
                   "cms_system = cms\t; semicolon comment after a tab\n");
    config_init(&cfg);
    yj_error_init(&err);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_OK, "%s", err.message);
    cr_assert_str_eq(cfg.yot_ou_code, "MEDWAY");
    cr_assert_str_eq(cfg.cms_system, "cms");
    config_release(&cfg);
}

Test(config, keys_left_out_stay_null_and_require_names_them)
{
    struct yj_config cfg;
    struct yj_error err;

    ut_write(path, "[service]\nyot_ou_code = MEDWAY\n");
    config_init(&cfg);
    yj_error_init(&err);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_OK, "%s", err.message);
    cr_assert_null(cfg.conninfo);
    cr_assert_eq(config_require(cfg.yot_ou_code, "service", "yot_ou_code", path, &err), YJ_OK);
    cr_assert_eq(config_require(cfg.conninfo, "warehouse", "conninfo", path, &err), YJ_EX_CONFIG);
    char expected[2048];
    snprintf(expected, sizeof(expected), "config file '%s': missing [warehouse] conninfo", path);
    cr_assert_str_eq(err.message, expected);
    cr_assert_eq(config_require("", "warehouse", "conninfo", path, &err), YJ_EX_CONFIG,
                 "an empty value counts as missing");
    config_release(&cfg);
}

Test(config, unknown_key_is_refused_naming_file_and_line)
{
    assert_refused("[service]\nyot_ou_code = MEDWAY\ncolour = blue\n",
                   "line 3: unknown key 'colour' in [service]");
}

Test(config, known_key_in_the_wrong_section_is_refused)
{
    assert_refused("[warehouse]\nyot_ou_code = MEDWAY\n",
                   "line 2: unknown key 'yot_ou_code' in [warehouse]");
}

Test(config, key_before_any_section_is_refused)
{
    assert_refused("# top\nyot_ou_code = MEDWAY\n",
                   "line 2: unknown key 'yot_ou_code' in no section");
}

Test(config, unknown_section_with_a_key_is_refused_naming_file_and_line)
{
    assert_refused("[service]\nyot_ou_code = MEDWAY\n\n[colours]\nconninfo = x\n",
                   "line 4: unknown section '[colours]'");
}

/* docs/design.md: "Unknown sections or keys are errors". Disabled until config.c checks
 * section names when it reads the header line (reported to the lead). */
Test(config, empty_unknown_section_is_refused_at_its_header)
{
    assert_refused("[service]\nyot_ou_code = MEDWAY\n[colours]\n",
                   "line 3: unknown section '[colours]'");
}

Test(config, malformed_section_header_is_refused)
{
    assert_refused("[service\nyot_ou_code = MEDWAY\n", "line 1: malformed section header");
}

Test(config, line_without_equals_is_refused)
{
    assert_refused("[service]\nyot_ou_code MEDWAY\n", "line 2: expected key = value");
}

Test(config, duplicate_key_is_refused_naming_its_second_line)
{
    assert_refused("[service]\ncms_system = a\nyot_ou_code = MEDWAY\ncms_system = b\n",
                   "line 4: duplicate key 'cms_system'");
}

Test(config, duplicate_key_in_a_repeated_section_is_refused)
{
    assert_refused("[run]\nruns_root = a\n[service]\nyot_ou_code = X\n[run]\nruns_root = b\n",
                   "line 6: duplicate key 'runs_root'");
}

Test(config, conninfo_with_password_is_refused_with_a_hint)
{
    struct yj_config cfg;
    struct yj_error err;
    char expected[2048];

    ut_write(path, "[warehouse]\nconninfo = host=/run/pg password=secret dbname=yj\n");
    config_init(&cfg);
    yj_error_init(&err);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_EX_CONFIG);
    snprintf(expected, sizeof(expected),
             "config file '%s' line 2: a password in conninfo is refused", path);
    cr_assert_str_eq(err.message, expected);
    ut_assert_contains(err.hint, "PGPASSFILE");
    cr_assert_null(strstr(err.message, "secret"), "the password is not repeated");
    config_release(&cfg);
}

Test(config, conninfo_password_with_spaces_or_first_is_refused)
{
    assert_refused("[warehouse]\nconninfo = host=/run/pg password = secret\n",
                   "line 2: a password in conninfo is refused");
    assert_refused("[warehouse]\nconninfo = password=secret host=/run/pg\n",
                   "line 2: a password in conninfo is refused");
}

Test(config, conninfo_uri_with_password_is_refused)
{
    assert_refused("[warehouse]\nconninfo = postgresql://yj:secret@localhost/yj\n",
                   "line 2: a password in conninfo is refused");
}

/* libpq URIs also take parameters after '?'. Disabled until conninfo_has_password looks
 * for "password=" after '?' and '&' too (reported to the lead). */
Test(config, conninfo_uri_password_parameter_is_refused)
{
    assert_refused("[warehouse]\nconninfo = postgresql://yj@localhost/yj?password=secret\n",
                   "line 2: a password in conninfo is refused");
}

Test(config, conninfo_merely_mentioning_password_in_a_value_is_accepted)
{
    struct yj_config cfg;
    struct yj_error err;

    ut_write(path, "[warehouse]\nconninfo = host=/run/pg dbname=password user=passwordless\n");
    config_init(&cfg);
    yj_error_init(&err);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_OK, "%s", err.message);
    cr_assert_str_eq(cfg.conninfo, "host=/run/pg dbname=password user=passwordless");
    config_release(&cfg);
}

Test(config, missing_file_is_a_config_error_naming_the_path)
{
    struct yj_config cfg;
    struct yj_error err;
    char expected[2048];

    config_init(&cfg);
    yj_error_init(&err);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_EX_CONFIG);
    snprintf(expected, sizeof(expected),
             "could not open config file '%s': No such file or directory", path);
    cr_assert_str_eq(err.message, expected);
    config_release(&cfg);
}

/* ---- bytes a text editor hides: named, never read as something else (78) ---- */

Test(config, a_nul_byte_is_named_not_a_line_too_long)
{
    static const char text[] = "[service]\nyot_ou_code = MED\0WAY\n";
    struct yj_config cfg;
    struct yj_error err;
    char want[1024];

    ut_write_bytes(path, text, sizeof(text) - 1);
    config_init(&cfg);
    yj_error_init(&err);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_EX_CONFIG);
    snprintf(want, sizeof(want), "config file '%s' line 2: holds a NUL byte: not a text file",
             path);
    cr_assert_str_eq(err.message, want);
    cr_assert_str_eq(err.hint, "save it again as plain text");
    config_release(&cfg);
}

Test(config, a_byte_order_mark_is_named)
{
    assert_refused("\xEF\xBB\xBF[service]\nyot_ou_code = MEDWAY\n",
                   "line 1: starts with a UTF-8 byte order mark (bytes EF BB BF)");
}

Test(config, a_folder_is_a_config_error_not_an_io_error)
{
    struct yj_config cfg;
    struct yj_error err;
    char want[1024];

    config_init(&cfg);
    yj_error_init(&err);
    cr_assert_eq(config_load(&cfg, dir, &err), YJ_EX_CONFIG);
    snprintf(want, sizeof(want), "could not open config file '%s': Is a directory", dir);
    cr_assert_str_eq(err.message, want);
    config_release(&cfg);
}

/* Every key with a typed value (a number or yes/no) lands in its own field, its text kept. */
Test(config, numbers_and_yes_no_keys_land_in_their_typed_fields)
{
    struct yj_config cfg;
    struct yj_error err;

    ut_write(path, "[return]\nchildren_per_part = 250\nemail_zip = yes\n"
                   "[submit]\ndeadline = 12.5\nbackoff = 0.25\n"
                   "[run]\nkeep_staged = yes\nkeep_days = 7\n");
    config_init(&cfg);
    yj_error_init(&err);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(cfg.children_per_part, 250UL);
    cr_assert_str_eq(cfg.children_per_part_text, "250");
    cr_assert_eq(cfg.email_zip, 1);
    cr_assert_str_eq(cfg.email_zip_text, "yes");
    cr_assert_eq(cfg.submit_deadline, 12.5);
    cr_assert_eq(cfg.submit_backoff, 0.25);
    cr_assert_eq(cfg.keep_staged, 1);
    cr_assert_eq(cfg.keep_days, 7L);
    config_release(&cfg);

    /* left out: the defaults; "no" is 0 in each yes/no field */
    ut_write(path, "[return]\nemail_zip = no\n[run]\nkeep_staged = no\n");
    config_init(&cfg);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(cfg.children_per_part, 0UL);
    cr_assert_eq(cfg.email_zip, 0);
    cr_assert_eq(cfg.keep_staged, 0);
    cr_assert_eq(cfg.keep_days, CONFIG_DEFAULT_KEEP_DAYS);
    cr_assert_eq(cfg.submit_deadline, 0.0);
    cr_assert_eq(cfg.submit_backoff, 0.0);
    config_release(&cfg);
}

Test(config, a_bad_number_or_yes_no_is_refused_naming_key_line_and_range)
{
    assert_refused("[return]\nchildren_per_part = 0\n",
                   "line 2: [return] children_per_part must be a whole number from 1 to 10000000, "
                   "not '0'");
    assert_refused("[return]\n\nchildren_per_part = 12x\n",
                   "line 3: [return] children_per_part must be a whole number from 1 to 10000000, "
                   "not '12x'");
    assert_refused("[run]\nkeep_staged = true\n",
                   "line 2: [run] keep_staged must be yes or no, not 'true'");
    assert_refused("[return]\nemail_zip = YES\n",
                   "line 2: [return] email_zip must be yes or no, not 'YES'");
    assert_refused("[run]\nkeep_days = 36501\n",
                   "line 2: [run] keep_days must be a whole number of days from 0 to 36500, not "
                   "'36501'");
    assert_refused("[submit]\ndeadline = 0\n",
                   "line 2: [submit] deadline must be a number of seconds from 0.001 to 86400, not "
                   "'0'");
    assert_refused("[submit]\nbackoff = -1\n",
                   "line 2: [submit] backoff must be a number of seconds from 0.001 to 86400, not "
                   "'-1'");
    assert_refused("[service]\nyot_ou_code = MED WAY\n",
                   "line 2: [service] yot_ou_code may hold only letters, digits, '_' and '-' (1 to "
                   "32 of them)");
}

/* [warehouse] max_age, the preflight's freshness limit: a whole number and a unit. */
Test(config, max_age_is_a_duration_in_seconds_minutes_hours_or_days)
{
    const char *ok[][2] = {
        {"90s", "90"}, {"15m", "900"}, {"36h", "129600"}, {"2d", "172800"}, {"3650d", "315360000"}};
    const char *bad[] = {"36", "h", "0h", "1.5d", "36hours", "2w", "-1d", "3651d", "1000000000s"};
    struct yj_config cfg;
    struct yj_error err;
    char text[128], tail[256];

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        snprintf(text, sizeof(text), "[warehouse]\nmax_age = %s\n", ok[i][0]);
        ut_write(path, text);
        config_init(&cfg);
        yj_error_init(&err);
        cr_assert_eq(config_load(&cfg, path, &err), YJ_OK, "%s: %s", ok[i][0], err.message);
        cr_assert_eq(cfg.max_age, strtod(ok[i][1], NULL), "%s", ok[i][0]);
        cr_assert_str_eq(cfg.max_age_text, ok[i][0]);
        config_release(&cfg);
    }
    ut_write(path, "[warehouse]\nconninfo = dbname=yj\n");
    config_init(&cfg);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(cfg.max_age, 0.0, "left out: not checked");
    config_release(&cfg);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), "[warehouse]\nmax_age = %s\n", bad[i]);
        snprintf(tail, sizeof(tail),
                 "line 2: [warehouse] max_age must be a whole number and a unit, s, m, h or d "
                 "(36h, 2d), from 1s to 3650d, not '%s'",
                 bad[i]);
        assert_refused(text, tail);
    }
}

/* [report]: the board pack's suppression policy, custody target, trend length, browser, PDF. */
Test(config, report_keys_land_in_their_typed_fields_with_their_defaults)
{
    struct yj_config cfg;
    struct yj_error err;
    char *browser = in_dir("bin/chromium");

    ut_write(path, "[report]\nsuppress_threshold = 10\nsuppress_round = 5\n"
                   "suppress_secondary = no\ncustody_target_pct = 12.25\nquarters = 40\n"
                   "browser = bin/chromium\npdf = no\n");
    config_init(&cfg);
    yj_error_init(&err);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(cfg.suppress_threshold, 10L);
    cr_assert_eq(cfg.suppress_round, 5L);
    cr_assert_eq(cfg.suppress_secondary, 0);
    cr_assert_eq(cfg.custody_target_pct, 12.25);
    cr_assert_eq(cfg.quarters, 40L);
    cr_assert_str_eq(cfg.browser, browser);
    cr_assert_eq(cfg.pdf, 0);
    config_release(&cfg);

    /* left out: threshold 5, no rounding, secondary suppression, no target, 8 quarters, the
     * default browser, a PDF */
    ut_write(path, "[report]\n");
    config_init(&cfg);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(cfg.suppress_threshold, 5L);
    cr_assert_eq(cfg.suppress_round, 0L);
    cr_assert_eq(cfg.suppress_secondary, 1);
    cr_assert(isnan(cfg.custody_target_pct));
    cr_assert_eq(cfg.quarters, 8L);
    cr_assert_null(cfg.browser);
    cr_assert_str_eq(CONFIG_DEFAULT_BROWSER, "/usr/bin/chromium");
    cr_assert_eq(cfg.pdf, 1);
    config_release(&cfg);

    /* none is no rounding; 0 is no suppression; 100 and 0 are percentages */
    ut_write(path, "[report]\nsuppress_round = none\nsuppress_threshold = 0\n"
                   "custody_target_pct = 100\n");
    config_init(&cfg);
    cr_assert_eq(config_load(&cfg, path, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(cfg.suppress_round, 0L);
    cr_assert_eq(cfg.suppress_threshold, 0L);
    cr_assert_eq(cfg.custody_target_pct, 100.0);
    config_release(&cfg);
    free(browser);
}

Test(config, a_bad_report_key_is_refused_naming_line_and_value)
{
    const char *threshold[] = {"-1", "five", "1001", "2.5", ""};
    const char *round[] = {"0", "-5", "1001", "5x", "None"};
    const char *target[] = {"100.01", "-1", "8%", "12.345", "1e1", "8.", ".5", "ten", "1000"};
    const char *quarters[] = {"1", "41", "0", "8q"};
    char text[128], tail[512];

    for (size_t i = 0; i < sizeof(threshold) / sizeof(threshold[0]); i++) {
        snprintf(text, sizeof(text), "[report]\nsuppress_threshold = %s\n", threshold[i]);
        snprintf(tail, sizeof(tail),
                 "line 2: [report] suppress_threshold must be a whole number from 0 to 1000, "
                 "not '%s'",
                 threshold[i]);
        assert_refused(text, tail);
    }
    for (size_t i = 0; i < sizeof(round) / sizeof(round[0]); i++) {
        snprintf(text, sizeof(text), "[report]\n\nsuppress_round = %s\n", round[i]);
        snprintf(tail, sizeof(tail),
                 "line 3: [report] suppress_round must be none or a whole number from 1 to "
                 "1000, not '%s'",
                 round[i]);
        assert_refused(text, tail);
    }
    for (size_t i = 0; i < sizeof(target) / sizeof(target[0]); i++) {
        snprintf(text, sizeof(text), "[report]\ncustody_target_pct = %s\n", target[i]);
        snprintf(tail, sizeof(tail),
                 "line 2: [report] custody_target_pct must be a percentage from 0 to 100 with "
                 "at most two decimals (8, 12.5), not '%s'",
                 target[i]);
        assert_refused(text, tail);
    }
    for (size_t i = 0; i < sizeof(quarters) / sizeof(quarters[0]); i++) {
        snprintf(text, sizeof(text), "[report]\nquarters = %s\n", quarters[i]);
        snprintf(tail, sizeof(tail),
                 "line 2: [report] quarters must be a whole number from 2 to 40, not '%s'",
                 quarters[i]);
        assert_refused(text, tail);
    }
    assert_refused("[report]\nsuppress_secondary = 1\n",
                   "line 2: [report] suppress_secondary must be yes or no, not '1'");
    assert_refused("[report]\npdf = true\n", "line 2: [report] pdf must be yes or no, not 'true'");
}
