/*
 * test_exit_codes.c - the exit codes are described once: the README's table is the contract,
 * and enum yj_status (error.h) and the --help text (yj_exit_codes_help) must hold the same
 * codes, no more, no fewer. And every code in the table has a test that drives a real
 * executable to it: the table below names one per code, and each named test must exist and
 * mention its code.
 */
#include "error.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define README YJ_SOURCE_DIR "/README.md"

/* Sets seen[code] for every "| NN |" row of the README's "## Exit codes" table. */
static int
readme_codes(int seen[256])
{
    FILE *f = fopen(README, "r");
    char line[4096];
    int in = 0, n = 0;

    cr_assert(f, "cannot open %s", README);
    while (fgets(line, sizeof(line), f)) {
        int code;
        if (strncmp(line, "## ", 3) == 0)
            in = strncmp(line, "## Exit codes", 13) == 0;
        else if (in && sscanf(line, "| %d |", &code) == 1 && code >= 0 && code < 256) {
            cr_assert(!seen[code], "README lists exit code %d twice", code);
            seen[code] = 1;
            n++;
        }
    }
    fclose(f);
    return n;
}

Test(exit_codes, readme_table_and_help_text_list_the_same_codes)
{
    int readme[256] = {0}, help[256] = {0};
    const char *p = yj_exit_codes_help;
    int n = readme_codes(readme);

    cr_assert_gt(n, 10, "the README's exit-code table was not found");
    while ((p = strchr(p, '\n')) != NULL) {
        int code;
        p++;
        if (sscanf(p, " %d ", &code) == 1)
            help[code] = 1;
    }
    for (int c = 0; c < 256; c++)
        cr_assert_eq(readme[c], help[c], "exit code %d is %s the README but %s the --help text", c,
                     readme[c] ? "in" : "not in", help[c] ? "in" : "not in");
}

Test(exit_codes, every_named_status_is_in_the_readme)
{
    static const int named[] = {
        YJ_OK,          YJ_EX_USAGE,      YJ_EX_DATAERR, YJ_EX_NOINPUT,  YJ_EX_UNAVAILABLE,
        YJ_EX_SOFTWARE, YJ_EX_CANTCREAT,  YJ_EX_IOERR,   YJ_EX_TEMPFAIL, YJ_EX_PROTOCOL,
        YJ_EX_NOPERM,   YJ_EX_CONFIG,     YJ_EX_LOCKED,  YJ_EX_REJECTED, YJ_EX_RESUBMIT,
        YJ_EX_EMPTY,    YJ_EX_CORRECTION,
    };
    int readme[256] = {0};
    int n = readme_codes(readme);

    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        cr_assert(readme[named[i]], "status %d of error.h is not in the README", named[i]);
    cr_assert_eq((size_t)n, sizeof(named) / sizeof(named[0]),
                 "the README lists %d codes, error.h names %zu", n,
                 sizeof(named) / sizeof(named[0]));
}

/* For every README code, a test (file under tests/, its Test(...) line) that runs a real
 * executable and pins that exit status. */
static const struct {
    int code;
    const char *file, *test;
} pinned[] = {
    {0, "integration/test_pipeline.c",
     "Test(pipeline, quarter_is_validated_submitted_and_received_byte_identical)"},
    {64, "integration/test_failures.c",
     "Test(bad_input, malformed_periods_are_usage_errors_naming_the_text)"},
    {65, "integration/test_failures.c",
     "Test(validate, invalid_return_exits_65_with_line_and_path_in_the_report)"},
    {66, "integration/test_failures.c",
     "Test(bad_input, missing_mapping_file_is_no_input_naming_the_file)"},
    {69, "integration/test_failures.c",
     "Test(bad_input, unreachable_warehouse_is_unavailable_and_leaves_no_manifest)"},
    {69, "integration/test_failures.c",
     "Test(extract, a_connection_lost_mid_extract_is_unavailable_and_leaves_no_manifest)"},
    {70, "integration/test_failures.c",
     "Test(extract, a_failing_query_logs_its_sqlstate_never_the_servers_text)"},
    {73, "integration/test_failures.c",
     "Test(bad_input, an_output_folder_that_cannot_be_created_is_73_naming_it)"},
    {74, "integration/test_failures.c",
     "Test(transform, corrupt_staged_file_is_an_io_error_and_leaves_no_return)"},
    {75, "integration/test_submit.c",
     "Test(submit, a_hung_answer_ends_at_the_deadline_and_the_next_run_finds_the_upload)"},
    {76, "integration/test_submit.c",
     "Test(submit, a_client_certificate_refused_in_the_handshake_is_a_tls_failure)"},
    {77, "integration/test_failures.c",
     "Test(submit, a_client_key_readable_by_others_is_refused_before_connecting)"},
    {78, "integration/test_failures.c",
     "Test(bad_input, missing_config_is_a_config_error_naming_the_file)"},
    {79, "integration/test_pipeline.c",
     "Test(pipeline, second_run_while_the_lock_is_held_exits_with_the_lock_code)"},
    {80, "integration/test_submit.c",
     "Test(submit, a_4xx_is_never_retried_and_its_answer_is_kept_private)"},
    {81, "integration/test_submit.c",
     "Test(submit, the_refusal_of_a_correction_has_its_own_exit_code_and_message)"},
    {82, "integration/test_submit.c",
     "Test(submit, an_empty_return_is_not_sent_without_allow_empty)"},
    {83, "integration/test_submit.c",
     "Test(correction, a_second_resubmit_of_unchanged_data_is_refused_unless_forced)"},
};

/* 1 if CODE appears as a number of its own in TEXT[0..len). */
static int
mentions(const char *text, size_t len, int code)
{
    char want[8];
    size_t n = (size_t)snprintf(want, sizeof(want), "%d", code);

    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(text + i, want, n) == 0 && (i == 0 || !isalnum((unsigned char)text[i - 1])) &&
            (i + n == len || !isalnum((unsigned char)text[i + n])))
            return 1;
    return 0;
}

Test(exit_codes, every_code_in_the_readme_has_a_test_that_pins_it)
{
    int readme[256] = {0}, tested[256] = {0};

    readme_codes(readme);
    for (size_t i = 0; i < sizeof(pinned) / sizeof(pinned[0]); i++) {
        char path[512], *text, *at, *end;
        long size;
        FILE *f;

        cr_assert(readme[pinned[i].code], "exit code %d has a test but is not in the README",
                  pinned[i].code);
        snprintf(path, sizeof(path), "%s/tests/%s", YJ_SOURCE_DIR, pinned[i].file);
        f = fopen(path, "r");
        cr_assert(f, "cannot open %s", path);
        cr_assert_eq(fseek(f, 0, SEEK_END), 0);
        size = ftell(f);
        rewind(f);
        text = calloc(1, (size_t)size + 1);
        cr_assert(text && fread(text, 1, (size_t)size, f) == (size_t)size);
        fclose(f);
        at = strstr(text, pinned[i].test);
        cr_assert(at, "%s has no %s", pinned[i].file, pinned[i].test);
        at += strlen(pinned[i].test);
        end = strstr(at, "\nTest(");
        if (!end)
            end = text + size;
        cr_assert(mentions(at, (size_t)(end - at), pinned[i].code), "%s does not mention %d",
                  pinned[i].test, pinned[i].code);
        tested[pinned[i].code] = 1;
        free(text);
    }
    for (int c = 0; c < 256; c++)
        cr_assert(!readme[c] || tested[c], "exit code %d of the README has no test", c);
}
