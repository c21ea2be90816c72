/*
 * test_trend.c - the trends from the archive (etl/report/board_trend.c, board_trend_write.c).
 *
 * An archive is forged in a scratch runs root from one real run's kpi/ folder, the reviewed
 * golden output of yj-kpi (tests/integration/golden/kpi-2025Q1): copied into run folders of
 * eight quarters, its period label replaced, KPI 1's headline and one recording count set per
 * run so that every quarter's figures can be told apart, and its kpi/MANIFEST written by the
 * project's manifest writer (the files' real bytes and SHA-256). RUN records are written by
 * runrec, the ledger by ledger_append(): the files a real run leaves.
 *
 * The eight quarters 2023Q2..2025Q1 hold: nothing (missing); a submitted run and a newer
 * nightly one (the submitted one shows); two received submissions (resubmitted, the second
 * shows; an "already" entry of a later run changes nothing); a nightly run that ended
 * validated and a newer one that failed (provisional, the validated one); a submitted run
 * whose headline.csv was altered after its MANIFEST (unverified, one warning line); a failed
 * and a running run only (missing); a validated nightly run beside a submission of two parts
 * only one of which was received (provisional); the run being made now (this run). The whole
 * trend_kpi.csv and trend_recording.csv of that archive are compared with reviewed files in
 * tests/unit/report/trend-golden/.
 */
#include "board_trend.h"

#include "kpi.h"
#include "ledger.h"
#include "manifest.h"
#include "rundir.h"
#include "runrec.h"
#include "sha256.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GOLDEN_KPI YJ_SOURCE_DIR "/tests/integration/golden/kpi-2025Q1"
#define GOLDEN_TREND YJ_SOURCE_DIR "/tests/unit/report/trend-golden"
#define YOT "MEDWAY"

UT_SCRATCH_SUITE(trend);

/* Replaces every FROM in the malloc'd TEXT by TO (TEXT is freed; the result is malloc'd). */
static char *
replace_all(char *text, const char *from, const char *to)
{
    size_t nf = strlen(from), nt = strlen(to), n = 0, cap = strlen(text) * 2 + 64;
    char *out = malloc(cap);

    cr_assert_not_null(out);
    for (const char *p = text; *p;) {
        if (strncmp(p, from, nf) == 0) {
            cr_assert(n + nt < cap);
            memcpy(out + n, to, nt);
            n += nt;
            p += nf;
        } else
            out[n++] = *p++;
        cr_assert(n < cap);
    }
    out[n] = '\0';
    free(text);
    return out;
}

static void
mkdirs(const char *path)
{
    char buf[4096];

    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0750);
            *p = '/';
        }
    cr_assert(mkdir(buf, 0750) == 0 || errno == EEXIST, "mkdir %s", buf);
}

static int
not_dot(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* A run folder ROOT/MEDWAY/PERIOD/STAMP (malloc'd) whose RUN says RESULT (submit: SUBMIT) and
 * whose kpi/ is the golden one for PERIOD, KPI 1's headline NUM of 8 at RATE and NO_ETE
 * children with the problem no_ete_at_end, listed in a kpi/MANIFEST. */
static char *
forge_run(const char *period, const char *stamp, enum runrec_result result, int submit, int num,
          const char *rate, int no_ete)
{
    char rel[256], *run_dir, *kdir, *mpath, *runf;
    struct dirent **ents = NULL;
    int n = scandir(GOLDEN_KPI, &ents, not_dot, alphasort);
    struct manifest m;
    struct runrec r;
    struct yj_error err;

    snprintf(rel, sizeof(rel), "%s/%s/%s", YOT, period, stamp);
    run_dir = ut_path(dir, rel);
    kdir = rundir_path(run_dir, RD_KPI_DIR);
    mkdirs(kdir);
    manifest_init(&m);
    manifest_set(&m, "stage", "kpi");
    manifest_set(&m, "period", period);
    manifest_set(&m, "yot_ou_code", YOT);
    rundir_format_keys(&m, RD_KPI_MANIFEST);
    cr_assert(n > 0);
    for (int i = 0; i < n; i++) {
        char *from = ut_path(GOLDEN_KPI, ents[i]->d_name), *to = ut_path(kdir, ents[i]->d_name);
        char *text = ut_read(from, NULL), new[256], hex[SHA256_HEX_LEN + 1];
        unsigned long long bytes, rows = 0;

        cr_assert_not_null(text, "%s", from);
        text = replace_all(text, "2025Q1", period);
        snprintf(new, sizeof(new), "kpi1_total_suitable_end,%d,kpi1_total_ypid,8,%s,", num, rate);
        text = replace_all(text, "kpi1_total_suitable_end,0,kpi1_total_ypid,1,0.0,", new);
        snprintf(new, sizeof(new), "no_ete_at_end,2,eteStatus,suitability,%d\n", no_ete);
        text = replace_all(text, "no_ete_at_end,2,eteStatus,suitability,1\n", new);
        ut_write(to, text);
        for (char *p = text; *p; p++)
            rows += *p == '\n';
        cr_assert_eq(sha256_file(to, hex, &bytes), 0);
        manifest_add_file(&m, ents[i]->d_name, rows ? rows - 1 : 0, bytes, hex);
        free(text);
        free(to);
        free(from);
        free(ents[i]);
    }
    free(ents);
    mpath = rundir_path(run_dir, RD_KPI_MANIFEST);
    yj_error_init(&err);
    cr_assert_eq(manifest_write(&m, mpath, &err), YJ_OK, "%s", err.message);
    manifest_release(&m);
    runrec_init(&r);
    runrec_begin(&r, 0);
    runrec_set_period(&r, period);
    runrec_set_submit(&r, submit);
    runrec_set_result(&r, result);
    runf = rundir_path(run_dir, RD_RUN_FILE);
    cr_assert_eq(runrec_write(&r, runf, &err), YJ_OK, "%s", err.message);
    runrec_release(&r);
    free(runf);
    free(mpath);
    free(kdir);
    return run_dir;
}

/* Appends to the runs root's ledger an upload of PERIOD's submission SEQ, part PART, from the
 * run folder RUN_DIR, answered RESULT (its send first, unless EVENT is "already"). */
static void
ledger_upload(const char *period, unsigned long seq, const char *part, const char *run_dir,
              const char *event, const char *result)
{
    static const char sha[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    char *path = rundir_path(dir, RD_LEDGER), id[64];
    struct ledger lg;
    struct ledger_entry e = {0};
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(ledger_open(&lg, path, 1, &err), YJ_OK, "%s", err.message);
    snprintf(id, sizeof(id), "%s-%s-20250701T000000.000000Z", YOT, period);
    e.service = YOT;
    e.period = (char *)period;
    e.seq = seq;
    e.source_return_id = id;
    e.return_sha256 = (char *)sha;
    e.part = (char *)part;
    e.sha256 = (char *)sha;
    e.bytes = 1234;
    e.run = (char *)run_dir;
    if (strcmp(event, "already") != 0) {
        e.event = "send";
        cr_assert_eq(ledger_append(&lg, &e, &err), YJ_OK, "%s", err.message);
    }
    e.event = (char *)event;
    e.http = strcmp(result, "received") == 0 ? 201 : 503;
    e.result = (char *)result;
    e.answer = strcmp(result, "received") == 0 ? "HTTP 201 Created" : "HTTP 503";
    cr_assert_eq(ledger_append(&lg, &e, &err), YJ_OK, "%s", err.message);
    ledger_close(&lg);
    free(path);
}

/* The eight quarters of the file's comment; the run being made now (2025Q1) is returned. */
static char *
forge_archive(void)
{
    char *r, *altered, *this_run, *other;

    /* 2023Q2: nothing */
    r = forge_run("2023Q3", "20231010T020000Z", RUNREC_SUBMITTED, 1, 2, "25.0", 5);
    ledger_upload("2023Q3", 1, "1/1", r, "answer", "received");
    free(r);
    free(forge_run("2023Q3", "20240105T020000Z", RUNREC_VALIDATED, 0, 7, "87.5", 9));
    r = forge_run("2023Q4", "20240110T020000Z", RUNREC_SUBMITTED, 1, 3, "37.5", 6);
    ledger_upload("2023Q4", 1, "1/1", r, "answer", "received");
    free(r);
    r = forge_run("2023Q4", "20240301T020000Z", RUNREC_SUBMITTED, 1, 4, "50.0", 4);
    ledger_upload("2023Q4", 2, "1/1", r, "answer", "received");
    free(r);
    other = ut_path(dir, YOT "/2023Q4/20240302T020000Z"); /* found them there: no folder */
    ledger_upload("2023Q4", 2, "1/1", other, "already", "received");
    free(other);
    free(forge_run("2024Q1", "20240402T020000Z", RUNREC_VALIDATED, 0, 5, "62.5", 3));
    r = forge_run("2024Q1", "20240403T020000Z", RUNREC_FAILED, 1, 1, "12.5", 8);
    ledger_upload("2024Q1", 1, "1/1", r, "answer", "rejected");
    free(r);
    r = forge_run("2024Q2", "20240710T020000Z", RUNREC_SUBMITTED, 1, 6, "75.0", 2);
    ledger_upload("2024Q2", 1, "1/1", r, "answer", "received");
    altered = rundir_path(r, RD_KPI_HEADLINE);
    {
        char *text = replace_all(ut_read(altered, NULL), "kpi1_total_ypid,8,75.0,",
                                 "kpi1_total_ypid,8,99.0,");
        ut_write(altered, text);
        free(text);
    }
    free(altered);
    free(r);
    free(forge_run("2024Q3", "20241005T020000Z", RUNREC_FAILED, 0, 1, "12.5", 1));
    free(forge_run("2024Q3", "20241006T020000Z", RUNREC_RUNNING, 0, 1, "12.5", 1));
    free(forge_run("2024Q4", "20250105T020000Z", RUNREC_VALIDATED, 0, 7, "87.5", 1));
    r = forge_run("2024Q4", "20250110T020000Z", RUNREC_FAILED, 1, 1, "12.5", 7);
    ledger_upload("2024Q4", 1, "1/2", r, "answer", "received");
    ledger_upload("2024Q4", 1, "2/2", r, "answer", "temporary");
    free(r);
    this_run = forge_run("2025Q1", "20250702T020000Z", RUNREC_RUNNING, 1, 8, "100.0", 0);
    return this_run;
}

/* Runs board_trend() with stderr in a file: its status, and what was written in *ERR_TEXT. */
static int
trend_capturing(const char *this_run, unsigned quarters, struct board_data *d, struct yj_error *err,
                char **err_text)
{
    char *path = ut_path(dir, "stderr.txt");
    int fd, saved, rc;

    fflush(stderr);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert(fd >= 0);
    saved = dup(2);
    cr_assert(saved >= 0 && dup2(fd, 2) >= 0);
    yj_error_init(err);
    rc = board_trend(dir, YOT, "2025Q1", quarters, this_run, d, err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    *err_text = ut_read(path, NULL);
    free(path);
    return rc;
}

/* The whole file OUT_DIR/<row ID's name> equals the reviewed file GOLDEN_TREND/<same name>. */
static void
assert_golden(const char *out_dir, enum rundir_id id)
{
    char *got_path = ut_path(out_dir, rundir_name(id));
    char *want_path = ut_path(GOLDEN_TREND, rundir_name(id));
    char *got = ut_read(got_path, NULL), *want = ut_read(want_path, NULL);
    struct stat st;

    cr_assert_not_null(got, "%s", got_path);
    if (!want || strcmp(got, want) != 0) {
        /* kept for review: the scratch folder goes with the test */
        char *kept = ut_path(getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
                             rundir_name(id));
        ut_write(kept, got);
        cr_assert_fail("%s differs from the reviewed %s: review %s, then copy it over", got_path,
                       want_path, kept);
    }
    cr_assert_eq(stat(got_path, &st), 0);
    cr_assert_eq(st.st_mode & 07777, (unsigned)rundir_mode(id), "%s mode %o", got_path,
                 st.st_mode & 07777);
    free(want);
    free(got);
    free(want_path);
    free(got_path);
}

/* The expected warning of the altered 2024Q2: the run folder, the file, its bytes and SHA-256
 * now and as its MANIFEST's line 12 lists them. */
static char *
altered_warning(void)
{
    char *run_dir = ut_path(dir, YOT "/2024Q2/20240710T020000Z");
    char *headline = rundir_path(run_dir, RD_KPI_HEADLINE), *mpath, *line, *out;
    char hex[SHA256_HEX_LEN + 1], listed[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
    struct manifest m;
    struct yj_error err;

    cr_assert_eq(sha256_file(headline, hex, &bytes), 0);
    mpath = rundir_path(run_dir, RD_KPI_MANIFEST);
    manifest_init(&m);
    cr_assert_eq(manifest_read(&m, mpath, NULL, &err), YJ_OK, "%s", err.message);
    snprintf(listed, sizeof(listed), "%s", manifest_find_file(&m, "headline.csv")->sha256);
    manifest_release(&m);
    line = ut_read(mpath, NULL);
    /* line 12 of the MANIFEST is headline.csv's */
    for (int i = 1; i < 12; i++)
        memmove(line, strchr(line, '\n') + 1, strlen(strchr(line, '\n') + 1) + 1);
    cr_assert(strncmp(line, "file headline.csv ", 18) == 0, "line 12: %s", line);
    out = malloc(4096);
    cr_assert_not_null(out);
    snprintf(out, 4096,
             "yj: warning: trend: 2024Q2 left out, marked unverified: run folder '%s': "
             "kpi/headline.csv: %llu bytes sha256 %s; kpi/MANIFEST line 12 says %llu bytes "
             "sha256 %s\n",
             run_dir, bytes, hex, bytes, listed);
    free(line);
    free(mpath);
    free(headline);
    free(run_dir);
    return out;
}

Test(trend, eight_quarters_of_the_archive_with_every_mark)
{
    struct board_data d = {0};
    struct yj_error err;
    char *this_run = forge_archive(), *text, *want = altered_warning();
    char *out = ut_path(dir, "report");

    cr_assert_eq(trend_capturing(this_run, 8, &d, &err, &text), YJ_OK, "%s", err.message);
    cr_assert_str_eq(text, want);
    cr_assert_eq(d.ntrend_kpi, 80);
    cr_assert_eq(board_trend_quarters_with_figures(&d), 5);
    mkdirs(out);
    yj_error_init(&err);
    cr_assert_eq(board_trend_write(out, &d, &err), YJ_OK, "%s", err.message);
    assert_golden(out, RD_REPORT_TREND_KPI);
    assert_golden(out, RD_REPORT_TREND_RECORDING);
    board_data_free(&d);
    free(out);
    free(want);
    free(text);
    free(this_run);
}

/* The mark of QUARTER's first KPI row in D. */
static enum board_mark
mark_of(const struct board_data *d, const char *quarter)
{
    for (size_t i = 0; i < d->ntrend_kpi; i++)
        if (strcmp(d->trend_kpi[i].period, quarter) == 0)
            return d->trend_kpi[i].mark;
    cr_assert_fail("no row of %s", quarter);
    return BOARD_MISSING;
}

/* The run being made now stands for its period until the ledger holds a received submission of
 * the period: then the submitted run does (this one when it is, resubmitted as the period's
 * second). */
Test(trend, this_run_is_provisional_until_the_ledger_holds_a_submission_of_its_period)
{
    struct board_data d = {0};
    struct yj_error err;
    char *older = forge_run("2025Q1", "20250701T020000Z", RUNREC_SUBMITTED, 1, 1, "12.5", 1);
    char *this_run = forge_run("2025Q1", "20250702T020000Z", RUNREC_RUNNING, 1, 8, "100.0", 0);
    char *text;

    /* without it, the archive's validated run */
    cr_assert_eq(trend_capturing(NULL, 1, &d, &err, &text), YJ_OK, "%s", err.message);
    cr_assert_eq(mark_of(&d, "2025Q1"), BOARD_PROVISIONAL);
    cr_assert_eq(d.trend_kpi[0].numerator, 1);
    free(text);
    /* this run alone: provisional, its own figures */
    cr_assert_eq(trend_capturing(this_run, 1, &d, &err, &text), YJ_OK, "%s", err.message);
    cr_assert_eq(mark_of(&d, "2025Q1"), BOARD_PROVISIONAL);
    cr_assert_eq(d.trend_kpi[0].numerator, 8);
    free(text);
    /* this run, before its upload, once another run's submission of the period was received
     * (a nightly run after the submission, or a run that finds its bytes already received):
     * the quarter shows what was sent, the older run's figures */
    ledger_upload("2025Q1", 1, "1/1", older, "answer", "received");
    cr_assert_eq(trend_capturing(this_run, 1, &d, &err, &text), YJ_OK, "%s", err.message);
    cr_assert_str_eq(text, "");
    cr_assert_eq(mark_of(&d, "2025Q1"), BOARD_SUBMITTED);
    cr_assert_eq(d.trend_kpi[0].numerator, 1);
    free(text);
    /* its upload received: the period's second submission */
    ledger_upload("2025Q1", 2, "1/1", this_run, "answer", "received");
    cr_assert_eq(trend_capturing(this_run, 1, &d, &err, &text), YJ_OK, "%s", err.message);
    cr_assert_eq(mark_of(&d, "2025Q1"), BOARD_RESUBMITTED);
    cr_assert_eq(d.trend_kpi[0].numerator, 8);
    free(text);
    /* and without it, the archive's: the ledger's last received submission, this run's */
    cr_assert_eq(trend_capturing(NULL, 1, &d, &err, &text), YJ_OK, "%s", err.message);
    cr_assert_eq(mark_of(&d, "2025Q1"), BOARD_RESUBMITTED);
    cr_assert_eq(d.trend_kpi[0].numerator, 8);
    cr_assert_eq(d.trend_kpi[0].rate, 100.0);
    free(text);
    board_data_free(&d);
    free(this_run);
    free(older);
}

/* A submitted run alone: submitted, its figures. */
Test(trend, one_received_submission_is_submitted)
{
    struct board_data d = {0};
    struct yj_error err;
    char *r = forge_run("2025Q1", "20250701T020000Z", RUNREC_SUBMITTED, 1, 3, "37.5", 1);
    char *text;

    ledger_upload("2025Q1", 1, "1/1", r, "answer", "received");
    cr_assert_eq(trend_capturing(NULL, 2, &d, &err, &text), YJ_OK, "%s", err.message);
    cr_assert_str_eq(text, "");
    cr_assert_eq(mark_of(&d, "2024Q4"), BOARD_MISSING);
    cr_assert_eq(mark_of(&d, "2025Q1"), BOARD_SUBMITTED);
    cr_assert_eq(d.trend_kpi[10].numerator, 3);
    cr_assert_eq(d.trend_kpi[10].denominator, 8);
    cr_assert_eq(d.trend_kpi[10].rate, 37.5);
    cr_assert_str_eq(d.trend_kpi[10].measure, "accommodation");
    cr_assert_eq(board_trend_quarters_with_figures(&d), 1);
    free(text);
    board_data_free(&d);
    free(r);
}

/* Fewer than two quarters with figures: none in an empty runs root (every row missing, KPI
 * names unknown, no recording problem known), one with a single run. */
Test(trend, fewer_than_two_quarters_with_figures)
{
    struct board_data d = {0};
    struct yj_error err;
    char *text, *out = ut_path(dir, "report"), *csv;

    cr_assert_eq(trend_capturing(NULL, 2, &d, &err, &text), YJ_OK, "%s", err.message);
    cr_assert_str_eq(text, "");
    free(text);
    cr_assert_eq(board_trend_quarters_with_figures(&d), 0);
    mkdirs(out);
    cr_assert_eq(board_trend_write(out, &d, &err), YJ_OK, "%s", err.message);
    csv = ut_path(out, rundir_name(RD_REPORT_TREND_RECORDING));
    text = ut_read(csv, NULL);
    cr_assert_str_eq(text, "period,mark,problem,children\n");
    free(text);
    free(csv);
    csv = ut_path(out, rundir_name(RD_REPORT_TREND_KPI));
    text = ut_read(csv, NULL);
    cr_assert_str_eq(text, "period,mark,kpi,measure,numerator,denominator,rate,rate_unit\n"
                           "2024Q4,missing,1,,,,,\n2024Q4,missing,2,,,,,\n2024Q4,missing,3,,,,,\n"
                           "2024Q4,missing,4,,,,,\n2024Q4,missing,5,,,,,\n2024Q4,missing,6,,,,,\n"
                           "2024Q4,missing,7,,,,,\n2024Q4,missing,8,,,,,\n2024Q4,missing,9,,,,,\n"
                           "2024Q4,missing,10,,,,,\n"
                           "2025Q1,missing,1,,,,,\n2025Q1,missing,2,,,,,\n2025Q1,missing,3,,,,,\n"
                           "2025Q1,missing,4,,,,,\n2025Q1,missing,5,,,,,\n2025Q1,missing,6,,,,,\n"
                           "2025Q1,missing,7,,,,,\n2025Q1,missing,8,,,,,\n2025Q1,missing,9,,,,,\n"
                           "2025Q1,missing,10,,,,,\n");
    free(text);
    free(csv);
    free(forge_run("2024Q4", "20250105T020000Z", RUNREC_VALIDATED, 0, 7, "87.5", 1));
    cr_assert_eq(trend_capturing(NULL, 2, &d, &err, &text), YJ_OK, "%s", err.message);
    cr_assert_eq(board_trend_quarters_with_figures(&d), 1);
    cr_assert_eq(mark_of(&d, "2024Q4"), BOARD_PROVISIONAL);
    cr_assert_eq(mark_of(&d, "2025Q1"), BOARD_MISSING);
    /* a missing quarter's rows name each KPI as the quarters with figures do */
    cr_assert_str_eq(d.trend_kpi[10].measure, "accommodation");
    cr_assert_eq(d.trend_kpi[10].numerator, -1);
    cr_assert(isnan(d.trend_kpi[10].rate));
    free(text);
    board_data_free(&d);
    free(out);
}

/* Two nightly runs (provisional), of 2024Q4 and of 2025Q1, the latter's kpi/ folder then
 * damaged by DAMAGE: the marks of 2025Q1's rows must be WANT_KPI and WANT_REC; the warning
 * board_trend() gives, with "RUN" standing for 2025Q1's run folder (malloc'd). */
static char *
damaged_warning(void (*damage)(const char *run_dir), enum board_mark want_kpi,
                enum board_mark want_rec)
{
    struct board_data d = {0};
    struct yj_error err;
    char *r = forge_run("2025Q1", "20250701T020000Z", RUNREC_VALIDATED, 0, 3, "37.5", 1);
    char *text, *out;
    size_t nr = strlen(r), i = 0;

    free(forge_run("2024Q4", "20250105T020000Z", RUNREC_VALIDATED, 0, 7, "87.5", 1));
    damage(r);
    cr_assert_eq(trend_capturing(NULL, 2, &d, &err, &text), YJ_OK, "%s", err.message);
    cr_assert_eq(mark_of(&d, "2024Q4"), BOARD_PROVISIONAL);
    cr_assert_eq(mark_of(&d, "2025Q1"), want_kpi, "KPI mark %d", mark_of(&d, "2025Q1"));
    while (i < d.ntrend_recording && strcmp(d.trend_recording[i].period, "2025Q1") != 0)
        i++;
    cr_assert(i < d.ntrend_recording);
    cr_assert_eq(d.trend_recording[i].mark, want_rec, "recording mark %d",
                 d.trend_recording[i].mark);
    cr_assert_eq(d.trend_recording[i].children, want_rec == BOARD_UNVERIFIED ? -1 : 0);
    cr_assert_eq(board_trend_quarters_with_figures(&d), want_kpi == BOARD_UNVERIFIED ? 1 : 2);
    /* the run folder as "RUN" */
    out = malloc(strlen(text) + 1);
    cr_assert_not_null(out);
    out[0] = '\0';
    for (const char *p = text; *p;) {
        if (strncmp(p, r, nr) == 0) {
            strcat(out, "RUN");
            p += nr;
        } else
            strncat(out, p++, 1);
    }
    board_data_free(&d);
    free(text);
    free(r);
    return out;
}

static void
remove_manifest(const char *run_dir)
{
    char *m = rundir_path(run_dir, RD_KPI_MANIFEST);
    cr_assert_eq(unlink(m), 0);
    free(m);
}

static void
remove_cases(const char *run_dir)
{
    char *m = rundir_path(run_dir, RD_KPI_CASES);
    cr_assert_eq(unlink(m), 0);
    free(m);
}

static void
unlist_recording(const char *run_dir)
{
    char *m = rundir_path(run_dir, RD_KPI_MANIFEST), *text = ut_read(m, NULL);
    char *at = strstr(text, "file recording.csv "), *nl = strchr(at, '\n');

    memmove(at, nl + 1, strlen(nl + 1) + 1);
    ut_write(m, text);
    free(text);
    free(m);
}

static void
newer_recording_format(const char *run_dir)
{
    char *m = rundir_path(run_dir, RD_KPI_MANIFEST);
    char *text = replace_all(ut_read(m, NULL), "format.yjreturns-kpi-recording 1",
                             "format.yjreturns-kpi-recording 2");
    ut_write(m, text);
    free(text);
    free(m);
}

Test(trend, a_run_without_its_kpi_manifest_is_unverified)
{
    char *w = damaged_warning(remove_manifest, BOARD_UNVERIFIED, BOARD_UNVERIFIED);
    cr_assert_str_eq(w, "yj: warning: trend: 2025Q1 left out, marked unverified: run folder "
                        "'RUN': kpi/MANIFEST: No such file or directory\n");
    free(w);
}

Test(trend, a_run_missing_a_listed_kpi_file_is_unverified)
{
    char *w = damaged_warning(remove_cases, BOARD_UNVERIFIED, BOARD_UNVERIFIED);
    cr_assert_str_eq(w, "yj: warning: trend: 2025Q1 left out, marked unverified: run folder "
                        "'RUN': kpi/cases.csv: No such file or directory; kpi/MANIFEST line 11 "
                        "lists it\n");
    free(w);
}

Test(trend, a_recording_file_not_listed_leaves_out_the_recording_only)
{
    char *w = damaged_warning(unlist_recording, BOARD_PROVISIONAL, BOARD_UNVERIFIED);
    cr_assert_str_eq(w, "yj: warning: trend: 2025Q1's recording problems left out, marked "
                        "unverified: run folder 'RUN': kpi/recording.csv: not listed in "
                        "kpi/MANIFEST\n");
    free(w);
}

/* The KPI files' reader refuses a MANIFEST that says any of them is of a newer format. */
Test(trend, a_kpi_manifest_of_a_newer_format_is_unverified)
{
    char *w = damaged_warning(newer_recording_format, BOARD_UNVERIFIED, BOARD_UNVERIFIED);
    cr_assert_str_eq(w, "yj: warning: trend: 2025Q1 left out, marked unverified: run folder "
                        "'RUN': 'RUN/kpi/MANIFEST' line 10: format "
                        "yjreturns-kpi-recording 2 is newer than this yjreturns reads "
                        "(yjreturns-kpi-recording 1)\n");
    free(w);
}

/* A ledger that does not verify: which quarters were submitted is not known, so no trend. */
Test(trend, a_ledger_that_does_not_verify_is_an_error)
{
    struct board_data d = {0};
    struct yj_error err;
    char *r = forge_run("2025Q1", "20250701T020000Z", RUNREC_SUBMITTED, 1, 3, "37.5", 1);
    char *ledger = rundir_path(dir, RD_LEDGER), *text, want[4096];

    ledger_upload("2025Q1", 1, "1/1", r, "answer", "received");
    text = replace_all(ut_read(ledger, NULL), "HTTP 201 Created", "HTTP 201 Createe");
    ut_write(ledger, text);
    free(text);
    cr_assert_eq(trend_capturing(NULL, 8, &d, &err, &text), YJ_EX_IOERR);
    snprintf(want, sizeof(want), "ledger '%s' line 2 does not match its hash: the line was changed",
             ledger);
    cr_assert_str_eq(err.message, want);
    cr_assert_str_eq(err.hint, "which quarters were submitted is not known: run yj-run --verify");
    cr_assert_eq(d.ntrend_kpi, 0);
    free(text);
    free(ledger);
    free(r);
}

Test(trend, a_bad_period_or_number_of_quarters_is_refused)
{
    struct board_data d = {0};
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(board_trend(dir, YOT, "2025Q5", 8, NULL, &d, &err), YJ_EX_USAGE);
    cr_assert_str_eq(err.message, "invalid period '2025Q5'");
    cr_assert_eq(board_trend(dir, YOT, "2025Q1", 0, NULL, &d, &err), YJ_EX_USAGE);
    cr_assert_str_eq(err.message, "a trend of 0 quarters: 1 to 400");
    cr_assert_eq(board_trend(dir, YOT, "2025Q1", 401, NULL, &d, &err), YJ_EX_USAGE);
    cr_assert_str_eq(err.message, "a trend of 401 quarters: 1 to 400");
    cr_assert_eq(d.ntrend_kpi, 0);
}

/* recording.csv with its third line cut short, listed again in the MANIFEST with its new bytes
 * and SHA-256 (by the project's manifest writer): it verifies, but its reader refuses it. */
static void
bad_recording_row(const char *run_dir)
{
    char *path = rundir_path(run_dir, RD_KPI_RECORDING), *mpath;
    char *text =
        replace_all(ut_read(path, NULL), ",outcome_no_residence,0,", ",outcome_no_residence,");
    char hex[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
    struct manifest m, m2;
    struct yj_error err;

    ut_write(path, text);
    free(text);
    cr_assert_eq(sha256_file(path, hex, &bytes), 0);
    mpath = rundir_path(run_dir, RD_KPI_MANIFEST);
    manifest_init(&m);
    manifest_init(&m2);
    cr_assert_eq(manifest_read(&m, mpath, NULL, &err), YJ_OK, "%s", err.message);
    for (size_t i = 0; i < m.nkv; i++)
        manifest_set(&m2, m.kv[i].key, m.kv[i].value);
    for (size_t i = 0; i < m.nfiles; i++) {
        const struct manifest_file *f = &m.files[i];
        int rec = strcmp(f->name, rundir_name(RD_KPI_RECORDING)) == 0;
        manifest_add_file(&m2, f->name, f->rows, rec ? bytes : f->bytes, rec ? hex : f->sha256);
    }
    cr_assert_eq(manifest_write(&m2, mpath, &err), YJ_OK, "%s", err.message);
    manifest_release(&m2);
    manifest_release(&m);
    free(mpath);
    free(path);
}

Test(trend, a_recording_row_its_reader_refuses_leaves_out_the_recording_only)
{
    char *w = damaged_warning(bad_recording_row, BOARD_PROVISIONAL, BOARD_UNVERIFIED);
    cr_assert_str_eq(w, "yj: warning: trend: 2025Q1's recording problems left out, marked "
                        "unverified: run folder 'RUN': 'RUN/kpi/recording.csv' line 3: not a "
                        "recording row\n");
    free(w);
}

/* The ledger says a run was received whose folder is not in the runs root (a runs root restored
 * without it): the quarter is unverified, and the warning names the folder the ledger gives. */
Test(trend, a_received_run_whose_folder_is_gone_is_unverified)
{
    struct board_data d = {0};
    struct yj_error err;
    char *gone = ut_path(dir, YOT "/2025Q1/20250701T020000Z"), *text, want[4096];

    free(forge_run("2025Q1", "20250702T020000Z", RUNREC_VALIDATED, 0, 3, "37.5", 1));
    ledger_upload("2025Q1", 1, "1/1", gone, "answer", "received");
    cr_assert_eq(trend_capturing(NULL, 1, &d, &err, &text), YJ_OK, "%s", err.message);
    snprintf(want, sizeof(want),
             "yj: warning: trend: 2025Q1 left out, marked unverified: run folder '%s': "
             "kpi/MANIFEST: No such file or directory\n",
             gone);
    cr_assert_str_eq(text, want);
    cr_assert_eq(mark_of(&d, "2025Q1"), BOARD_UNVERIFIED);
    cr_assert_eq(board_trend_quarters_with_figures(&d), 0);
    free(text);
    board_data_free(&d);
    free(gone);
}
