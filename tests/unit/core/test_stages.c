/*
 * test_stages.c - the table of stages yj-run walks (etl/core/stages.c stage_table): each row
 * in enum order, its name the executable's without "yj-", and what yj-run does with it (which
 * stages a nightly run runs, which runs per document, which failure means "invalid", which
 * has a provisional form, which runs beside the one before it). A row changed by mistake changes a
 * run; these pin them.
 */
#include "stages.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

Test(stages, each_row_is_in_enum_order_and_named_as_its_executable)
{
    static const char *const names[STAGE_COUNT] = {"extract", "transform", "validate", "kpi",
                                                   "submit",  "report",    "run"};

    for (int s = 0; s < STAGE_COUNT; s++) {
        char program[64];
        cr_assert_eq(stage_table[s].id, (enum stage)s);
        cr_assert_str_eq(stage_table[s].name, names[s]);
        snprintf(program, sizeof(program), "yj-%s", stage_table[s].name);
        cr_assert_str_eq(stage_table[s].cli->program, program);
    }
}

Test(stages, what_yj_run_does_with_each_stage)
{
    static const struct {
        unsigned flags;
        enum stage_failure failure;
        int provisional;
    } want[STAGE_COUNT] = {
        {STAGE_IN_RUN | STAGE_RECORDS_AS_OF, STAGE_FAILURE_STOPS, 0},
        {STAGE_IN_RUN, STAGE_FAILURE_STOPS, 0},
        {STAGE_IN_RUN | STAGE_FOLLOWS_PREVIOUS, STAGE_FAILURE_INVALID, 0},
        {STAGE_IN_RUN | STAGE_BESIDE_PREVIOUS, STAGE_FAILURE_STOPS, 1},
        {STAGE_IN_RUN | STAGE_ONLY_SUBMIT, STAGE_FAILURE_STOPS, 0},
        {STAGE_IN_RUN | STAGE_ONLY_PACK, STAGE_FAILURE_STOPS, 0},
        {0, STAGE_FAILURE_STOPS, 0},
    };

    for (int s = 0; s < STAGE_COUNT; s++) {
        cr_assert_eq(stage_table[s].flags, want[s].flags, "%s", stage_table[s].name);
        cr_assert_eq(stage_table[s].failure, want[s].failure, "%s", stage_table[s].name);
        cr_assert_eq(stage_table[s].provisional, want[s].provisional, "%s", stage_table[s].name);
    }
}

Test(stages, a_provisional_stage_is_given_provisional_and_only_then)
{
    struct stage_inputs in = {0};

    in.config = "yj.conf";
    in.return_dir = "return";
    in.kpi_dir = "kpi";
    for (int s = 0; s < STAGE_COUNT; s++) {
        char **argv;
        int found = 0;

        if (!stage_table[s].provisional)
            continue;
        for (int p = 0; p < 2; p++) {
            in.provisional = p;
            argv = stage_argv((enum stage)s, &in);
            found = 0;
            for (int i = 0; argv[i]; i++)
                found |= strcmp(argv[i], "--provisional") == 0;
            cr_assert_eq(found, p, "%s", stage_table[s].name);
            free(argv);
        }
    }
}

Test(stages, a_stage_beside_the_previous_one_is_given_the_verdict_descriptor)
{
    struct stage_inputs in = {0};

    in.config = "yj.conf";
    in.return_dir = "return";
    in.kpi_dir = "kpi";
    in.verdict_fd = "7";
    for (int s = 0; s < STAGE_COUNT; s++) {
        char **argv = stage_argv((enum stage)s, &in);
        int found = 0;

        for (int i = 0; argv && argv[i]; i++)
            found |= strcmp(argv[i], "--verdict-fd") == 0 && argv[i + 1] &&
                     strcmp(argv[i + 1], "7") == 0;
        cr_assert_eq(found, (stage_table[s].flags & STAGE_BESIDE_PREVIOUS) != 0, "%s",
                     stage_table[s].name);
        free(argv);
    }
}
