/*
 * test_exit_codes.c - the exit codes are described once: the README's table is the contract,
 * and enum yj_status (error.h) and the --help text (yj_exit_codes_help) must hold the same
 * codes, no more, no fewer.
 */
#include "error.h"

#include <criterion/criterion.h>
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
        YJ_OK,          YJ_EX_USAGE,     YJ_EX_DATAERR, YJ_EX_NOINPUT,  YJ_EX_UNAVAILABLE,
        YJ_EX_SOFTWARE, YJ_EX_CANTCREAT, YJ_EX_IOERR,   YJ_EX_TEMPFAIL, YJ_EX_PROTOCOL,
        YJ_EX_NOPERM,   YJ_EX_CONFIG,    YJ_EX_LOCKED,  YJ_EX_REJECTED, YJ_EX_RESUBMIT,
        YJ_EX_EMPTY,
    };
    int readme[256] = {0};
    int n = readme_codes(readme);

    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        cr_assert(readme[named[i]], "status %d of error.h is not in the README", named[i]);
    cr_assert_eq((size_t)n, sizeof(named) / sizeof(named[0]),
                 "the README lists %d codes, error.h names %zu", n,
                 sizeof(named) / sizeof(named[0]));
}
