/*
 * test_rundir.c - the one description of a run directory (etl/core/rundir.c).
 *
 * The table is the contract: its rows are in enum order, every file that may quote a value
 * from the warehouse is 0600, the picture it prints is pinned whole, and the helpers that
 * name, filter, make and clean run folders do exactly what their row says.
 */
#include "rundir.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>

Test(rundir, rows_are_in_enum_order_and_every_row_is_described)
{
    for (int i = 0; i < RD_COUNT; i++) {
        const struct rundir_entry *e = rundir_entry((enum rundir_id)i);
        cr_assert_not_null(e);
        cr_assert_eq((int)e->id, i, "row %d holds id %d", i, (int)e->id);
        cr_assert(e->path && *e->path && e->writer && *e->writer && e->what && *e->what, "row %d",
                  i);
        cr_assert_eq(e->is_dir, e->mode == RUNDIR_DIR_MODE, "row %s", e->path);
    }
    cr_assert_null(rundir_entry(RD_COUNT));
    cr_assert_null(rundir_entry((enum rundir_id) - 1));
}

Test(rundir, files_that_quote_warehouse_values_are_private)
{
    static const enum rundir_id priv[] = {
        RD_STAGED_TSV,   RD_STAGED_SERVICE_TSV, RD_RETURN_XML,      RD_RETURN_PART,
        RD_RETURN_ZIP,   RD_RETURN_ERRORS,      RD_VALIDATE_REPORT, RD_KPI_CASES,
        RD_KPI_WORKLIST, RD_SUBMIT_ANSWER,      RD_RERUN_DIFF};
    static const enum rundir_id pub[] = {
        RD_RUN_FILE,     RD_STAGED_MANIFEST,  RD_RETURN_MANIFEST, RD_KPI_MANIFEST, RD_KPI_TEMPLATE,
        RD_KPI_HEADLINE, RD_KPI_WORKLIST_TXT, RD_KPI_RECORDING,   RD_RERUN_FILE};
    static const enum rundir_id grp[] = {RD_SUBMIT_RECEIPT, RD_LEDGER, RD_LEDGER_DIRTY, RD_LOCK};

    for (size_t i = 0; i < sizeof(priv) / sizeof(priv[0]); i++)
        cr_assert_eq(rundir_mode(priv[i]), 0600, "%s", rundir_entry(priv[i])->path);
    for (size_t i = 0; i < sizeof(pub) / sizeof(pub[0]); i++)
        cr_assert_eq(rundir_mode(pub[i]), 0644, "%s", rundir_entry(pub[i])->path);
    for (size_t i = 0; i < sizeof(grp) / sizeof(grp[0]); i++)
        cr_assert_eq(rundir_mode(grp[i]), 0640, "%s", rundir_entry(grp[i])->path);
    cr_assert_eq(rundir_mode(RD_STAGED_DIR), 0750);
}

Test(rundir, paths_and_names)
{
    char *p = rundir_path("/runs/MEDWAY/2025Q1/20250701T000000Z", RD_RETURN_MANIFEST);
    cr_assert_str_eq(p, "/runs/MEDWAY/2025Q1/20250701T000000Z/return/MANIFEST");
    free(p);
    p = rundir_path("/runs", RD_LEDGER);
    cr_assert_str_eq(p, "/runs/ledger");
    free(p);
    p = rundir_period_dir("/runs", "MEDWAY", "2025Q1");
    cr_assert_str_eq(p, "/runs/MEDWAY/2025Q1");
    free(p);
    cr_assert_str_eq(rundir_name(RD_RETURN_MANIFEST), "MANIFEST");
    cr_assert_str_eq(rundir_name(RD_RETURN_XML), "cld.xml");
    cr_assert_str_eq(rundir_name(RD_RUN_FILE), "RUN");
    cr_assert_str_eq(rundir_name(RD_RERUN_FILE), "RERUN");
    cr_assert_str_eq(rundir_name(RD_LEDGER), "ledger");
}

Test(rundir, period_names)
{
    static const char *const good[] = {"2025Q1", "1999Q4", "2026Q2"};
    static const char *const bad[] = {"2025Q0", "2025Q5", "2025q1", "205Q1", "2025Q1x",
                                      "20251Q", "",       "x025Q1", "2025Q", "2025-Q1"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        cr_assert(rundir_is_period_name(good[i]), "%s", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_not(rundir_is_period_name(bad[i]), "%s", bad[i]);
}

Test(rundir, stamps)
{
    static const char *const good[] = {"20250701T000000Z", "20250701T235959Z-2",
                                       "20250701T000000Z-999"};
    static const char *const bad[] = {
        "20250701T000000",   "20250701 000000Z",       "2025070T000000Z",
        "20250701T000000Z-", "20250701T000000Z-0",     "20250701T000000Z-2x",
        "20250701T000000ZZ", "rerun-20250701T000000Z", ""};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        cr_assert(rundir_is_stamp(good[i]), "%s", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_not(rundir_is_stamp(bad[i]), "%s", bad[i]);
}

Test(rundir, stamped_folders_are_new_each_time_and_0750)
{
    char *dir = ut_mkdtemp(), *a = NULL, *b = NULL;
    struct yj_error err;
    struct stat st;
    mode_t old = umask(0);

    cr_assert_eq(rundir_make_stamped(dir, "", &a, &err), YJ_OK);
    cr_assert_eq(rundir_make_stamped(dir, "rerun-", &b, &err), YJ_OK);
    umask(old);
    cr_assert(rundir_is_stamp(strrchr(a, '/') + 1), "%s", a);
    cr_assert(strncmp(strrchr(b, '/') + 1, "rerun-", 6) == 0 &&
                  rundir_is_stamp(strrchr(b, '/') + 1 + 6),
              "%s", b);
    cr_assert_eq(stat(a, &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0750);
    free(a);
    free(b);
    ut_rmtree(dir);
    free(dir);
}

Test(rundir, remove_staged_removes_only_the_data_files)
{
    char *dir = ut_mkdtemp(), *staged = rundir_path(dir, RD_STAGED_DIR);
    char *service = rundir_path(dir, RD_STAGED_SERVICE_DIR), *p;
    static const char *const names[] = {"person.tsv", "MANIFEST", "notes.tsv.tmp", "x.tsvx"};

    cr_assert_eq(mkdir(staged, 0750), 0);
    cr_assert_eq(mkdir(service, 0750), 0);
    for (size_t i = 0; i < 4; i++) {
        p = ut_path(staged, names[i]);
        ut_write(p, "x");
        free(p);
    }
    p = ut_path(service, "population.tsv");
    ut_write(p, "x");
    free(p);

    cr_assert_eq(rundir_remove_staged(dir), 2);
    for (size_t i = 0; i < 4; i++) {
        p = ut_path(staged, names[i]);
        cr_assert_eq(ut_exists(p), i != 0, "%s", names[i]);
        free(p);
    }
    p = ut_path(service, "population.tsv");
    cr_assert_not(ut_exists(p));
    free(p);
    cr_assert_eq(rundir_remove_staged(dir), 0);
    free(staged);
    free(service);
    ut_rmtree(dir);
    free(dir);
}

/* The README's picture of a run directory is the fenced block after the marker line; it must
 * be exactly what rundir_describe() prints. */
Test(rundir, the_readme_picture_is_the_table)
{
    char *buf = NULL, *readme = ut_read(YJ_SOURCE_DIR "/README.md", NULL), *at, *end;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    static const char marker[] = "<!-- rundir_describe() -->\n```\n";

    cr_assert_not_null(readme);
    at = strstr(readme, marker);
    cr_assert_not_null(at, "README.md has no '<!-- rundir_describe() -->' block");
    at += strlen(marker);
    end = strstr(at, "```\n");
    cr_assert_not_null(end);
    *end = '\0';
    cr_assert_not_null(f);
    rundir_describe(f);
    fclose(f);
    cr_assert_str_eq(at, buf, "README.md's run directory picture differs from rundir_describe()");
    free(buf);
    free(readme);
}

static int
collect_period(const char *period_dir, void *arg)
{
    char *list = arg, *slash = strrchr(period_dir, '/');
    size_t n = strlen(list);

    /* "<yot>/<period>," */
    while (slash > period_dir && slash[-1] != '/')
        slash--;
    snprintf(list + n, 512 - n, "%s,", slash);
    return strstr(list, "STOP") ? 7 : 0;
}

Test(rundir, each_period_visits_period_folders_in_name_order)
{
    char *dir = ut_mkdtemp(), list[512] = "", *p;
    static const char *const dirs[] = {"MEDWAY",        "MEDWAY/2025Q2", "MEDWAY/2025Q1",
                                       "MEDWAY/others", "KENT",          "KENT/2024Q4"};

    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        p = ut_path(dir, dirs[i]);
        cr_assert_eq(mkdir(p, 0750), 0);
        free(p);
    }
    p = ut_path(dir, "MEDWAY/2025Q3"); /* a file named like a period */
    ut_write(p, "x");
    free(p);
    p = ut_path(dir, "ledger");
    ut_write(p, "x");
    free(p);
    cr_assert_eq(rundir_each_period(dir, collect_period, list), 0);
    cr_assert_str_eq(list, "KENT/2024Q4,MEDWAY/2025Q1,MEDWAY/2025Q2,");
    /* a callback's non-zero stops the walk and is returned */
    snprintf(list, sizeof(list), "STOP:");
    cr_assert_eq(rundir_each_period(dir, collect_period, list), 7);
    cr_assert_str_eq(list, "STOP:KENT/2024Q4,");
    ut_rmtree(dir);
    free(dir);
}
