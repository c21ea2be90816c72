/*
 * test_runrec.c - the RUN and RERUN records (etl/core/runrec.c): the exact lines a run and a
 * rerun write, in the order their fields were first set (a field set again keeps its line),
 * and the typed readers, which say "not recorded" for a field that is missing or not what
 * this version writes.
 */
#include "runrec.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

static char *dir;
static char *path;

static void
setup(void)
{
    dir = ut_mkdtemp();
    path = ut_path(dir, "record");
}

static void
teardown(void)
{
    ut_rmtree(dir);
    free(path);
    free(dir);
}

TestSuite(runrec, .init = setup, .fini = teardown);

static char *
written(const struct runrec *r)
{
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(runrec_write(r, path, &err), YJ_OK, "%s", err.message);
    return ut_read(path, NULL);
}

Test(runrec, a_run_writes_its_lines_in_the_order_first_set)
{
    struct runrec r;
    char *text;

    runrec_init(&r);
    runrec_begin(&r, 0);
    runrec_set_period(&r, "2025Q1");
    runrec_set_as_of(&r, NULL);
    runrec_set_as_of_given(&r, 0);
    runrec_set_submit(&r, 1);
    runrec_set_sign_off(&r, "2025-07-10");
    runrec_set_previous(&r, NULL);
    runrec_set_last_stage(&r, STAGE_EXTRACT);
    runrec_set_result(&r, RUNREC_RUNNING);
    runrec_set_status(&r, STAGE_EXTRACT, 0);
    runrec_set_seconds(&r, STAGE_EXTRACT, 1.23456);
    runrec_set_as_of(&r, "2025-07-01T00:00:00.000000Z"); /* keeps its line */
    runrec_set_last_stage(&r, STAGE_VALIDATE);
    runrec_set_status(&r, STAGE_VALIDATE, 65);
    runrec_set_seconds(&r, STAGE_VALIDATE, 0.5);
    runrec_set_interrupted(&r, "SIGTERM");
    runrec_set_staged_removed(&r, 0);
    runrec_set_result(&r, RUNREC_INTERRUPTED);
    text = written(&r);
    cr_assert_str_eq(text, "yjreturns-manifest 1\n"
                           "stage run\n"
                           "yjreturns_version " YJ_VERSION "\n"
                           "period 2025Q1\n"
                           "as_of 2025-07-01T00:00:00.000000Z\n"
                           "as_of_source snapshot\n"
                           "submit yes\n"
                           "sign_off_date 2025-07-10\n"
                           "previous_return -\n"
                           "last_stage validate\n"
                           "result interrupted\n"
                           "status.extract 0\n"
                           "seconds.extract 1.235\n"
                           "status.validate 65\n"
                           "seconds.validate 0.500\n"
                           "interrupted SIGTERM\n"
                           "staged_files kept\n");
    free(text);
    runrec_release(&r);
}

Test(runrec, a_rerun_writes_its_own_lines)
{
    struct runrec r;
    char *text;

    runrec_init(&r);
    runrec_begin(&r, 1);
    runrec_set_run(&r, "/runs/MEDWAY/2025Q1/20250701T023000Z");
    runrec_set_period(&r, "2025Q1");
    runrec_set_as_of(&r, "2025-07-01T00:00:00.000000Z");
    runrec_set_sign_off(&r, "-");
    runrec_set_with_current_mappings(&r, 1);
    runrec_set_status(&r, STAGE_EXTRACT, 0);
    runrec_set_status(&r, STAGE_TRANSFORM, 0);
    runrec_set_differences(&r, 12345678901ULL);
    runrec_set_staged_removed(&r, 1);
    runrec_set_result(&r, RUNREC_DIFFERS);
    text = written(&r);
    cr_assert_str_eq(text, "yjreturns-manifest 1\n"
                           "stage rerun\n"
                           "yjreturns_version " YJ_VERSION "\n"
                           "run /runs/MEDWAY/2025Q1/20250701T023000Z\n"
                           "period 2025Q1\n"
                           "as_of 2025-07-01T00:00:00.000000Z\n"
                           "sign_off_date -\n"
                           "with_current_mappings yes\n"
                           "status.extract 0\n"
                           "status.transform 0\n"
                           "differences 12345678901\n"
                           "staged_files removed\n"
                           "result differs\n");
    free(text);
    runrec_release(&r);
}

static void
read_text(struct runrec *r, const char *text)
{
    struct yj_error err;

    ut_write(path, text);
    runrec_init(r);
    yj_error_init(&err);
    cr_assert_eq(runrec_read(r, path, &err), YJ_OK, "%s", err.message);
}

Test(runrec, the_readers_give_typed_fields)
{
    struct runrec r;
    int st = -1;

    read_text(&r, "yjreturns-manifest 1\nstage run\nas_of 2025-07-01T00:00:00.000000Z\n"
                  "submit yes\nprevious_return /a.xml,/b.xml\n"
                  "result submitted\nstatus.extract 0\nstatus.validate 65\ninterrupted SIGHUP\n"
                  "staged_files removed\nseal abc\nsealed.staged/MANIFEST def\n"
                  "record_sha256 123\n");
    cr_assert_eq(runrec_result(&r), RUNREC_SUBMITTED);
    cr_assert_str_eq(runrec_result_name(runrec_result(&r)), "submitted");
    cr_assert(runrec_status(&r, STAGE_EXTRACT, &st));
    cr_assert_eq(st, 0);
    cr_assert(runrec_status(&r, STAGE_VALIDATE, &st));
    cr_assert_eq(st, 65);
    cr_assert_not(runrec_status(&r, STAGE_KPI, &st), "no status.kpi line");
    cr_assert(runrec_submit(&r));
    cr_assert(runrec_staged_removed(&r));
    cr_assert_str_eq(runrec_interrupted(&r), "SIGHUP");
    cr_assert_str_eq(runrec_previous(&r), "/a.xml,/b.xml");
    cr_assert_str_eq(runrec_as_of(&r), "2025-07-01T00:00:00.000000Z");
    cr_assert_str_eq(runrec_seal(&r), "abc");
    cr_assert_str_eq(runrec_sealed(&r, "staged/MANIFEST"), "def");
    cr_assert_null(runrec_sealed(&r, "return/MANIFEST"));
    cr_assert_str_eq(runrec_record_sha256(&r), "123");
    runrec_release(&r);
}

Test(runrec, a_missing_or_unknown_field_reads_as_not_recorded)
{
    struct runrec r;
    int st = -1;

    read_text(&r, "yjreturns-manifest 1\nstage run\n");
    cr_assert_null(runrec_as_of(&r));
    cr_assert_eq(runrec_result(&r), RUNREC_NONE);
    cr_assert_str_eq(runrec_result_name(RUNREC_NONE), "-");
    cr_assert_not(runrec_status(&r, STAGE_EXTRACT, &st));
    cr_assert_not(runrec_submit(&r), "no submit line: not a submission");
    cr_assert_not(runrec_staged_removed(&r));
    cr_assert_null(runrec_interrupted(&r));
    cr_assert_null(runrec_previous(&r));
    cr_assert_null(runrec_seal(&r));
    cr_assert_null(runrec_record_sha256(&r));
    runrec_release(&r);

    read_text(&r, "yjreturns-manifest 1\nresult finished\nsubmit no\nprevious_return -\n"
                  "staged_files kept\nstatus.extract 7x\nstatus.transform -1\n");
    cr_assert_eq(runrec_result(&r), RUNREC_OTHER);
    cr_assert_str_eq(runrec_result_name(RUNREC_OTHER), "?");
    cr_assert_not(runrec_submit(&r));
    cr_assert_null(runrec_previous(&r));
    cr_assert_not(runrec_staged_removed(&r));
    cr_assert_not(runrec_status(&r, STAGE_EXTRACT, &st), "not a number");
    cr_assert_not(runrec_status(&r, STAGE_TRANSFORM, &st), "not an exit status");
    cr_assert_eq(st, -1, "untouched");
    runrec_release(&r);
}

Test(runrec, every_result_reads_back_as_written)
{
    for (int i = RUNREC_RUNNING; i < RUNREC_OTHER; i++) {
        struct runrec r, back;
        struct yj_error err;

        runrec_init(&r);
        runrec_set_result(&r, (enum runrec_result)i);
        free(written(&r));
        runrec_init(&back);
        yj_error_init(&err);
        cr_assert_eq(runrec_read(&back, path, &err), YJ_OK, "%s", err.message);
        cr_assert_eq(runrec_result(&back), i, "%s", runrec_result_name((enum runrec_result)i));
        runrec_release(&back);
        runrec_release(&r);
    }
}

Test(runrec, a_sealed_write_ends_with_the_seal_and_the_record_hash)
{
    struct runrec r;
    struct yj_error err;
    char *text, *tail;

    runrec_init(&r);
    runrec_begin(&r, 0);
    runrec_set_result(&r, RUNREC_RUNNING);
    yj_error_init(&err);
    cr_assert_eq(runrec_write_sealed(&r, dir, path, &err), YJ_OK, "%s", err.message);
    runrec_set_status(&r, STAGE_EXTRACT, 0); /* after the seal lines: they move to the end */
    cr_assert_eq(runrec_write_sealed(&r, dir, path, &err), YJ_OK, "%s", err.message);
    text = ut_read(path, NULL);
    tail = strstr(text, "status.extract 0\nseal ");
    cr_assert(tail, "%s", text);
    cr_assert(strstr(tail, "\nrecord_sha256 "), "%s", text);
    cr_assert_eq(text[strlen(text) - 1], '\n');
    free(text);
    runrec_release(&r);
}
