/*
 * test_rundir.c - the one description of a run directory (etl/core/rundir.c).
 *
 * The table is the contract: its rows are in enum order, every file that may quote a value
 * from the warehouse is 0600, the picture it prints is pinned whole, and the helpers that
 * name, filter, make and clean run folders do exactly what their row says.
 */
#include "rundir.h"

#include "manifest.h"

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
        RD_KPI_WORKLIST, RD_SUBMIT_ANSWER,      RD_RERUN_DIFF,      RD_REPORT_CASES};
    static const enum rundir_id pub[] = {
        RD_RUN_FILE,     RD_STAGED_MANIFEST, RD_RETURN_MANIFEST,  RD_KPI_MANIFEST,
        RD_KPI_TEMPLATE, RD_KPI_HEADLINE,    RD_KPI_WORKLIST_TXT, RD_KPI_RECORDING,
        RD_RERUN_FILE,   RD_REPORT_MANIFEST, RD_REPORT_HTML,      RD_REPORT_PDF};
    static const enum rundir_id grp[] = {
        RD_SUBMIT_RECEIPT,       RD_LEDGER,           RD_LEDGER_DIRTY,          RD_LOCK,
        RD_REPORT_FTE,           RD_REPORT_CUSTODY,   RD_REPORT_REOFFENDING,    RD_REPORT_ETHNICITY,
        RD_REPORT_OFFENCE_TYPES, RD_REPORT_TREND_KPI, RD_REPORT_TREND_RECORDING};

    for (size_t i = 0; i < sizeof(priv) / sizeof(priv[0]); i++)
        cr_assert_eq(rundir_mode(priv[i]), 0600, "%s", rundir_entry(priv[i])->path);
    for (size_t i = 0; i < sizeof(pub) / sizeof(pub[0]); i++)
        cr_assert_eq(rundir_mode(pub[i]), 0644, "%s", rundir_entry(pub[i])->path);
    for (size_t i = 0; i < sizeof(grp) / sizeof(grp[0]); i++)
        cr_assert_eq(rundir_mode(grp[i]), 0640, "%s", rundir_entry(grp[i])->path);
    cr_assert_eq(rundir_mode(RD_STAGED_DIR), 0750);
}

Test(rundir, the_latest_link_is_a_row_of_the_runs_root_and_no_run_of_the_walkers)
{
    const struct rundir_entry *e = rundir_entry(RD_LATEST);
    struct dirent d;

    cr_assert_eq(e->base, RUNDIR_IN_ROOT);
    cr_assert_str_eq(e->path, "<yot>/<period>/latest");
    cr_assert_str_eq(rundir_name(RD_LATEST), "latest");
    cr_assert_eq(rundir_find(RUNDIR_IN_ROOT, "MEDWAY/2025Q1/latest"), e);
    memset(&d, 0, sizeof(d));
    snprintf(d.d_name, sizeof(d.d_name), "latest");
    cr_assert_not(rundir_run_filter(&d));
    snprintf(d.d_name, sizeof(d.d_name), ".hidden");
    cr_assert_not(rundir_run_filter(&d));
    snprintf(d.d_name, sizeof(d.d_name), "20250701T000000Z");
    cr_assert(rundir_run_filter(&d));
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

    cr_assert_eq(rundir_remove_staged(dir), 1);
    for (size_t i = 0; i < 4; i++) {
        p = ut_path(staged, names[i]);
        cr_assert_eq(ut_exists(p), i != 0, "%s", names[i]);
        free(p);
    }
    /* the service inputs hold no child's data: kept for yj-kpi and yj-report run again */
    p = ut_path(service, "population.tsv");
    cr_assert(ut_exists(p));
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

Test(rundir, every_file_has_a_format_and_says_where_it_carries_it)
{
    static const struct {
        enum rundir_id id;
        enum rundir_carry carry;
        const char *format;
    } want[] = {
        {RD_RUN_FILE, RUNDIR_FMT_LINE, "yjreturns-manifest 1"},
        {RD_STAGED_MANIFEST, RUNDIR_FMT_LINE, "yjreturns-manifest 1"},
        {RD_STAGED_TSV, RUNDIR_FMT_KEY, "yjreturns-staged 1"},
        {RD_STAGED_SERVICE_TSV, RUNDIR_FMT_KEY, "yjreturns-staged 1"},
        {RD_RETURN_MANIFEST, RUNDIR_FMT_LINE, "yjreturns-manifest 1"},
        {RD_RETURN_XML, RUNDIR_FMT_ROOT, "cldReturn schema-N"},
        {RD_RETURN_PART, RUNDIR_FMT_ROOT, "cldReturn schema-N"},
        {RD_RETURN_ZIP, RUNDIR_FMT_NONE, "zip"},
        {RD_RETURN_ERRORS, RUNDIR_FMT_LINE, "yjreturns-errors 1"},
        {RD_VALIDATE_REPORT, RUNDIR_FMT_LINE, "yjreturns-report 1"},
        {RD_KPI_MANIFEST, RUNDIR_FMT_LINE, "yjreturns-manifest 1"},
        {RD_KPI_TEMPLATE, RUNDIR_FMT_KEY, "yjb-kpi-template 1"},
        {RD_KPI_HEADLINE, RUNDIR_FMT_KEY, "yjreturns-kpi-headline 1"},
        {RD_KPI_CASES, RUNDIR_FMT_KEY, "yjreturns-kpi-cases 1"},
        {RD_KPI_WORKLIST, RUNDIR_FMT_KEY, "yjreturns-kpi-worklist 1"},
        {RD_KPI_WORKLIST_TXT, RUNDIR_FMT_KEY, "yjreturns-kpi-summary 1"},
        {RD_KPI_RECORDING, RUNDIR_FMT_KEY, "yjreturns-kpi-recording 1"},
        {RD_SUBMIT_RECEIPT, RUNDIR_FMT_LINE, "yjreturns-receipt 1"},
        {RD_SUBMIT_ANSWER, RUNDIR_FMT_LINE, "yjreturns-answer 1"},
        {RD_SUBMIT_CORRECTION, RUNDIR_FMT_KEY, "yjreturns-diff 1"},
        {RD_REPORT_MANIFEST, RUNDIR_FMT_LINE, "yjreturns-manifest 1"},
        {RD_REPORT_FTE, RUNDIR_FMT_KEY, "yjreturns-report-fte 1"},
        {RD_REPORT_CUSTODY, RUNDIR_FMT_KEY, "yjreturns-report-custody 1"},
        {RD_REPORT_REOFFENDING, RUNDIR_FMT_KEY, "yjreturns-report-reoffending 1"},
        {RD_REPORT_ETHNICITY, RUNDIR_FMT_KEY, "yjreturns-report-ethnicity 1"},
        {RD_REPORT_OFFENCE_TYPES, RUNDIR_FMT_KEY, "yjreturns-report-offences 1"},
        {RD_REPORT_CASES, RUNDIR_FMT_KEY, "yjreturns-report-cases 1"},
        {RD_REPORT_TREND_KPI, RUNDIR_FMT_KEY, "yjreturns-report-trend 1"},
        {RD_REPORT_TREND_RECORDING, RUNDIR_FMT_KEY, "yjreturns-report-recording 1"},
        {RD_REPORT_HTML, RUNDIR_FMT_NONE, "html"},
        {RD_REPORT_PDF, RUNDIR_FMT_NONE, "pdf"},
        {RD_RERUN_FILE, RUNDIR_FMT_LINE, "yjreturns-manifest 1"},
        {RD_RERUN_DIFF, RUNDIR_FMT_KEY, "yjreturns-diff 1"},
        {RD_LEDGER, RUNDIR_FMT_NONE, "yjreturns-ledger 1"},
        {RD_LEDGER_DIRTY, RUNDIR_FMT_NONE, "-"},
        {RD_LOCK, RUNDIR_FMT_NONE, "-"},
        {RD_LATEST, RUNDIR_FMT_NONE, "-"},
    };
    size_t files = 0;
    char name[64];
    unsigned long v;

    for (int i = 0; i < RD_COUNT; i++) {
        const struct rundir_entry *e = rundir_entry((enum rundir_id)i);
        if (e->is_dir) {
            cr_assert_null(e->format, "folder %s", e->path);
            cr_assert_eq(e->carry, RUNDIR_FMT_NONE);
        } else
            files++;
    }
    cr_assert_eq(files, sizeof(want) / sizeof(want[0]), "a file row without its expected format");
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const struct rundir_entry *e = rundir_entry(want[i].id);
        cr_assert_str_eq(e->format, want[i].format, "%s", e->path);
        cr_assert_eq(e->carry, want[i].carry, "%s", e->path);
    }
    rundir_format_of(RD_SUBMIT_RECEIPT, name, sizeof(name), &v);
    cr_assert_str_eq(name, "yjreturns-receipt");
    cr_assert_eq(v, 1);
    rundir_format_of(RD_RETURN_XML, name, sizeof(name), &v);
    cr_assert_str_eq(name, "cldReturn");
    cr_assert_eq(v, 0);
    rundir_format_of(RD_KPI_DIR, name, sizeof(name), &v);
    cr_assert_str_eq(name, "-");
    cr_assert_eq(v, 0);
}

Test(rundir, find_gives_the_row_of_a_path)
{
    static const struct {
        enum rundir_base base;
        const char *path;
        int id; /* -1: none */
    } cases[] = {
        {RUNDIR_IN_RUN, "RUN", RD_RUN_FILE},
        {RUNDIR_IN_RUN, "staged", RD_STAGED_DIR},
        {RUNDIR_IN_RUN, "staged/person.tsv", RD_STAGED_TSV},
        {RUNDIR_IN_RUN, "staged/service/population.tsv", RD_STAGED_SERVICE_TSV},
        {RUNDIR_IN_RUN, "staged/MANIFEST", RD_STAGED_MANIFEST},
        {RUNDIR_IN_RUN, "return/cld-part-0012.xml", RD_RETURN_PART},
        {RUNDIR_IN_RUN, "return/cld-part-12.xml", -1},
        {RUNDIR_IN_RUN, "validate/report.txt", RD_VALIDATE_REPORT},
        {RUNDIR_IN_RUN, "validate/report-0003.txt", RD_VALIDATE_REPORT},
        {RUNDIR_IN_RUN, "validate/report-03.txt", -1},
        {RUNDIR_IN_RUN, "kpi/headline.csv", RD_KPI_HEADLINE},
        {RUNDIR_IN_RUN, "kpi/kpi2_ete.csv", RD_KPI_TEMPLATE},
        {RUNDIR_IN_RUN, "kpi/worklist.txt", RD_KPI_WORKLIST_TXT},
        {RUNDIR_IN_RUN, "submit/receipt-0002", RD_SUBMIT_RECEIPT},
        {RUNDIR_IN_RUN, "submit/answer-000017", RD_SUBMIT_ANSWER},
        {RUNDIR_IN_RUN, "submit/answer-17", -1},
        {RUNDIR_IN_RUN, "submit/correction.csv", RD_SUBMIT_CORRECTION},
        {RUNDIR_IN_RUN, "report/pack.html", RD_REPORT_HTML},
        {RUNDIR_IN_RUN, "report/cases.csv", RD_REPORT_CASES},
        {RUNDIR_IN_RUN, "rerun-20250701T000000Z/RERUN", RD_RERUN_FILE},
        {RUNDIR_IN_RUN, "rerun-20250701T000000Z/diff.csv", RD_RERUN_DIFF},
        {RUNDIR_IN_RUN, "return/other.txt", -1},
        {RUNDIR_IN_RUN, "ledger", -1},
        {RUNDIR_IN_ROOT, "ledger", RD_LEDGER},
        {RUNDIR_IN_ROOT, "MEDWAY/2025Q1.lock", RD_LOCK},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct rundir_entry *e = rundir_find(cases[i].base, cases[i].path);
        if (cases[i].id < 0)
            cr_assert_null(e, "%s matched %s", cases[i].path, e ? e->path : "");
        else {
            cr_assert_not_null(e, "%s", cases[i].path);
            cr_assert_eq((int)e->id, cases[i].id, "%s matched %s", cases[i].path, e->path);
        }
    }
}

Test(rundir, format_keys_are_those_of_the_records_folder)
{
    struct manifest m;
    char *out = NULL;
    size_t len = 0;
    FILE *f;

    manifest_init(&m);
    rundir_format_keys(&m, RD_KPI_MANIFEST);
    f = open_memstream(&out, &len);
    for (size_t i = 0; i < m.nkv; i++)
        fprintf(f, "%s %s\n", m.kv[i].key, m.kv[i].value);
    fclose(f);
    cr_assert_str_eq(out, "format.yjb-kpi-template 1\n"
                          "format.yjreturns-kpi-headline 1\n"
                          "format.yjreturns-kpi-cases 1\n"
                          "format.yjreturns-kpi-worklist 1\n"
                          "format.yjreturns-kpi-summary 1\n"
                          "format.yjreturns-kpi-recording 1\n");
    free(out);
    manifest_release(&m);
    rundir_format_keys(&m, RD_STAGED_MANIFEST);
    cr_assert_eq(m.nkv, 1);
    cr_assert_str_eq(manifest_get(&m, "format.yjreturns-staged"), "1");
    manifest_release(&m);
    rundir_format_keys(&m, RD_RERUN_FILE);
    cr_assert_eq(m.nkv, 1);
    cr_assert_str_eq(manifest_get(&m, "format.yjreturns-diff"), "1");
    manifest_release(&m);
    /* a correction's receipts carry its diff's format */
    rundir_format_keys(&m, RD_SUBMIT_RECEIPT);
    cr_assert_eq(m.nkv, 1);
    cr_assert_str_eq(manifest_get(&m, "format.yjreturns-diff"), "1");
    manifest_release(&m);
    rundir_format_keys(&m, RD_RETURN_MANIFEST);
    cr_assert_eq(m.nkv, 0);
    manifest_release(&m);
}

Test(rundir, a_format_version_newer_than_known_is_refused_in_one_line)
{
    struct yj_error err;
    unsigned long v = 99;

    yj_error_init(&err);
    cr_assert_eq(rundir_format_version("/r/x", 1, "yjreturns-report", "1", 1, &v, &err), YJ_OK);
    cr_assert_eq(v, 1);
    cr_assert_eq(rundir_format_version("/r/x", 4, "yjreturns-report", "2", 1, &v, &err),
                 YJ_EX_DATAERR);
    cr_assert_str_eq(err.message, "'/r/x' line 4: format yjreturns-report 2 is newer than this "
                                  "yjreturns reads (yjreturns-report 1)");
    cr_assert_eq(err.detail[0], '\0');
    cr_assert_eq(v, 1, "the version is left as it was");
    static const char *const bad[] = {"", "0", "01", "1.0", "one", "12345678901", "1 "};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_assert_eq(rundir_format_version("/r/x", 1, "yjreturns-report", bad[i], 1, &v, &err),
                     YJ_EX_DATAERR, "'%s'", bad[i]);
        cr_assert_str_eq(err.message,
                         "'/r/x' line 1: 'yjreturns-report' is not followed by a version number");
    }
    cr_assert_eq(rundir_format_key_check("/r/M", 3, "format.yjreturns-kpi-cases", "2", &err),
                 YJ_EX_DATAERR);
    cr_assert_str_eq(err.message, "'/r/M' line 3: format yjreturns-kpi-cases 2 is newer than "
                                  "this yjreturns reads (yjreturns-kpi-cases 1)");
    cr_assert_eq(rundir_format_key_check("/r/M", 3, "format.yjreturns-kpi-cases", "1", &err),
                 YJ_OK);
    cr_assert_eq(rundir_format_key_check("/r/M", 3, "format.unknown", "9", &err), YJ_OK);
    cr_assert_eq(rundir_format_key_check("/r/M", 3, "formats.yjreturns-kpi-cases", "9", &err),
                 YJ_OK);
    cr_assert_eq(rundir_format_key_check("/r/M", 3, "format.yjreturns-receipt", "9", &err), YJ_OK,
                 "a first-line format is not a key");
}
