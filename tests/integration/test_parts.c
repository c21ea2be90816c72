/*
 * test_parts.c - a return split into parts ([return] children_per_part) through the whole
 * pipeline: the real warehouse and HTTPS receiver that harness.sh started.
 *
 * The harness config has no children_per_part, and config_variant() only replaces keys, so
 * part_config() inserts the key into the [return] section of a variant (config_insert). Each
 * test runs in its own runs root, so that no other test's submission becomes its "previous
 * return".
 */
#include "forge.h"
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PER_PART "100"

/* A config variant with its own runs root and children_per_part under [return] ([run]
 * keep_staged = KEEP unless NULL). */
static char *
part_config_kept(const char *tag, const char *per_part, const char *keep)
{
    char *runs = temp_dir("parts-runs");
    char *conf = keep ? config_variant(tag, "runs_root", runs, "keep_staged", keep, NULL)
                      : config_variant(tag, "runs_root", runs, NULL);
    char lines[128];

    snprintf(lines, sizeof(lines), "children_per_part = %s\nemail_zip = yes\n", per_part);
    config_insert(conf, "[return]", lines);
    free(runs);
    return conf;
}

static char *
part_config(const char *tag, const char *per_part)
{
    return part_config_kept(tag, per_part, NULL);
}

/* Runs yj-run, signed off on 15 April after the period (2025-04-15 for 2024Q4); returns the
 * run directory it printed. */
static char *
yj_run_as_of(const char *conf, const char *period, int submit, int want_status, const char *as_of)
{
    char *sign_off = sign_off_for(period);
    const char *argv[] = {"yj-run", "--config", conf, "--period", period, "--sign-off",
                          sign_off, NULL,       NULL, NULL,       NULL};
    struct cmd_result r;
    char *dir;
    int k = 7;

    if (submit)
        argv[k++] = "--submit";
    if (as_of) {
        argv[k++] = "--as-of";
        argv[k++] = as_of;
    }
    r = run_cmd(argv);
    cr_assert_eq(r.status, want_status, "yj-run %s exit %d, want %d; stderr:\n%s", period, r.status,
                 want_status, r.err);
    dir = strndup(r.out, strcspn(r.out, "\n"));
    cr_assert(dir[0], "yj-run printed no run directory");
    cmd_result_free(&r);
    free(sign_off);
    return dir;
}

static char *
yj_run(const char *conf, const char *period, int submit, int want_status)
{
    return yj_run_as_of(conf, period, submit, want_status, NULL);
}

/* The moment the harness loaded the warehouse (one transaction: every row it wrote has that
 * sys_from, the earliest of any row, current or history): a run as recorded then does not
 * see what other tests changed since, whichever ran first (malloc'd). */
static char *
harness_loaded_at(void)
{
    char *at = sql_exec("SELECT to_char(min(s) AT TIME ZONE 'UTC', "
                        "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM "
                        "(SELECT sys_from AS s FROM cms.young_person UNION ALL "
                        "SELECT sys_from FROM cms_history.young_person) AS x");
    cr_assert(at && *at, "the warehouse has no young person");
    return at;
}

/* The "file NAME ... sha256 HEX" lines of return/MANIFEST naming parts: names[] and sha[]
 * (malloc'd); returns how many. */
static int
manifest_parts(const char *run_dir, char *names[], char *sha[], int max)
{
    char *mpath = path2(run_dir, "return/MANIFEST");
    char *m = read_file(mpath, NULL);
    int n = 0;

    cr_assert(m, "no return/MANIFEST in %s", run_dir);
    for (char *line = strstr(m, "\nfile cld-part-"); line;
         line = strstr(line + 1, "\nfile cld-part-")) {
        char name[64], hex[65];
        cr_assert(sscanf(line, "\nfile %63s rows %*s bytes %*s sha256 %64s", name, hex) == 2);
        cr_assert(n < max);
        names[n] = strdup(name);
        sha[n] = strdup(hex);
        n++;
    }
    free(m);
    free(mpath);
    return n;
}

/* "0002" of "cld-part-0002.xml". */
static char *
digits(const char *part)
{
    return strndup(part + strlen("cld-part-"), 4);
}

Test(parts, every_part_is_validated_uploaded_and_received_byte_identical, .timeout = 600)
{
    char *conf = part_config("parts", PER_PART);
    char *dir = yj_run(conf, "2024Q4", 1, 0);
    char *names[64], *sha[64];
    int n = manifest_parts(dir, names, sha, 64);

    cr_assert(n >= 2, "the harness warehouse must give at least two parts of " PER_PART);
    cr_assert(!file_exists(path2(dir, "return/cld.xml")), "a split return has no cld.xml");
    cr_assert(!file_exists(path2(dir, "validate/report.txt")));
    cr_assert(!file_exists(path2(dir, "submit/receipt")));
    for (int i = 0; i < n; i++) {
        char want_name[32], rel[64], want[128], upload[2048];
        char *d = digits(names[i]);
        char *part = path2(dir, (snprintf(rel, sizeof(rel), "return/%s", names[i]), rel));
        char *report = read_file(
            path2(dir, (snprintf(rel, sizeof(rel), "validate/report-%s.txt", d), rel)), NULL);
        char *receipt =
            read_file(path2(dir, (snprintf(rel, sizeof(rel), "submit/receipt-%s", d), rel)), NULL);
        char *url;

        snprintf(want_name, sizeof(want_name), "cld-part-%04d.xml", i + 1);
        cr_assert_str_eq(names[i], want_name, "parts listed in order");
        cr_assert(report, "no validation report for %s", names[i]);
        snprintf(want, sizeof(want), "\nsha256 %s\n", sha[i]);
        cr_assert(strstr(report, want), "report-%s is not of %s:\n%s", d, names[i], report);
        cr_assert(strstr(report, "\nresult valid\n"), "report-%s:\n%s", d, report);
        cr_assert(receipt, "no receipt for %s", names[i]);
        cr_assert(strstr(receipt, "\nhttp_status 201\n"), "receipt-%s:\n%s", d, receipt);
        cr_assert(strstr(receipt, want), "receipt-%s is not of %s:\n%s", d, names[i], receipt);
        snprintf(want, sizeof(want), "\nfile return/%s\npart %d of %d\n", names[i], i + 1, n);
        cr_assert(strstr(receipt, want), "receipt-%s:\n%s", d, receipt);
        /* the uploaded name is the last path segment of the url in the receipt */
        url = strstr(receipt, "\nurl ");
        cr_assert(url);
        {
            char *line = strndup(url + 1, strcspn(url + 1, "\n"));
            cr_assert(!strstr(strstr(line, "://") + 3, "//"), "a doubled slash: %s", line);
            free(line);
        }
        {
            char *end = strchr(url + 1, '\n'), *slash = url;
            for (char *p = url; p < end; p++)
                if (*p == '/')
                    slash = p;
            snprintf(upload, sizeof(upload), "%s/%.*s", env_get("YJ_TEST_UPLOAD_DIR"),
                     (int)(end - slash - 1), slash + 1);
        }
        cr_assert(files_equal(part, upload), "received %s differs from %s", upload, part);
        free(d);
        free(part);
        free(report);
        free(receipt);
    }
    {
        char *run = read_file(path2(dir, "RUN"), NULL);
        cr_assert(run && strstr(run, "\nresult submitted\n"), "RUN:\n%s", run);
        free(run);
    }
    {
        /* --verify holds each part to its receipt-NNNN and report-NNNN.txt, and each received
         * part of the ledger to its receipt: the runs root is the run's grandparent's parent */
        char *root =
            strndup(dir, strlen(dir) - strlen("/MEDWAY/2024Q4/") - strlen(strrchr(dir, '/') + 1));
        const char *argv[] = {"yj-run", "--verify", root, NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "exit %d; stdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
        cr_assert(strstr(r.out, "ledger checked: 0 problems, 0 incomplete\n"), "%s", r.out);
        cmd_result_free(&r);
        free(root);
    }
    {
        /* the email fallback holds every part */
        const char *argv[] = {"/usr/bin/unzip", "-t", path2(dir, "return/cld.zip"), NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "unzip -t: %s%s", r.out, r.err);
        for (int i = 0; i < n; i++)
            cr_assert(strstr(r.out, names[i]), "cld.zip lacks %s:\n%s", names[i], r.out);
        cmd_result_free(&r);
    }
    {
        /* the next quarter reads every part of this one for its deletions */
        char *next = yj_run(conf, "2025Q1", 0, 0);
        char *run = read_file(path2(next, "RUN"), NULL), want[2048];
        snprintf(want, sizeof(want), "\nprevious_return %s/return/cld-part-0001.xml,", dir);
        cr_assert(run && strstr(run, want), "RUN:\n%s", run);
        snprintf(want, sizeof(want), "%s/return/%s\n", dir, names[n - 1]);
        cr_assert(strstr(run, want), "RUN:\n%s", run);
        free(run);
        free(next);
    }
    for (int i = 0; i < n; i++) {
        free(names[i]);
        free(sha[i]);
    }
    free(dir);
    free(conf);
}

Test(parts, a_part_without_a_passing_report_stops_the_whole_submission, .timeout = 600)
{
    char *conf = part_config("parts-unvalidated", PER_PART);
    char *dir = yj_run(conf, "2024Q4", 0, 0);
    char *names[64], *sha[64];
    int n = manifest_parts(dir, names, sha, 64);
    char *report = path2(dir, "validate/report-0002.txt");
    char *text = read_file(report, NULL), *at;
    FILE *f;

    cr_assert(n >= 2 && text);
    /* part 2's report now says it failed: nothing may be sent, not even part 1 */
    at = strstr(text, "\nresult valid\n");
    cr_assert(at, "%s", text);
    f = fopen(report, "w");
    cr_assert(f);
    fprintf(f, "%.*s\nresult invalid\n", (int)(at - text), text);
    fclose(f);
    {
        const char *argv[] = {"yj-submit", "--config", conf, "--run-dir", dir, NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 65, "exit %d: %s", r.status, r.err);
        cr_assert(strstr(r.err, "cld-part-0002.xml' has not passed validation"), "%s", r.err);
        cmd_result_free(&r);
    }
    cr_assert(!file_exists(path2(dir, "submit/receipt-0001")), "part 1 must not be sent");
    /* and without the report at all */
    cr_assert_eq(unlink(report), 0);
    {
        const char *argv[] = {"yj-submit", "--config", conf, "--run-dir", dir, NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 65, "exit %d: %s", r.status, r.err);
        cr_assert(strstr(r.err, "has no validation report"), "%s", r.err);
        cr_assert(strstr(r.err, "report-0002.txt"), "%s", r.err);
        cmd_result_free(&r);
    }
    cr_assert(!file_exists(path2(dir, "submit/receipt-0001")));
    for (int i = 0; i < n; i++) {
        free(names[i]);
        free(sha[i]);
    }
    free(text);
    free(report);
    free(dir);
    free(conf);
}

Test(parts, a_part_that_cannot_be_sent_says_how_many_of_the_parts_were_received, .timeout = 600)
{
    char *conf = part_config("parts-count", PER_PART);
    char *dir = yj_run(conf, "2024Q4", 0, 0);
    char *m = read_file(path2(dir, "return/MANIFEST"), NULL), *text, *at, half[32];
    long children = 0;
    FILE *f;

    /* the children of the return, then a return of exactly two parts (the detail's wording
     * differs from one part only) */
    cr_assert(m);
    for (char *line = strstr(m, "\nfile cld-part-"); line;
         line = strstr(line + 1, "\nfile cld-part-")) {
        long rows;
        cr_assert(sscanf(line, "\nfile %*s rows %ld", &rows) == 1);
        children += rows;
    }
    cr_assert_gt(children, 2);
    snprintf(half, sizeof(half), "%ld", (children + 1) / 2);
    free(conf);
    conf = part_config("parts-two", half);
    /* a receiver nobody listens at (69, not retried), and one second in any case */
    text = read_file(conf, NULL);
    cr_assert(text && (at = strstr(text, "[submit]\n")) != NULL);
    at += strlen("[submit]\n");
    f = fopen(conf, "w");
    cr_assert(f);
    fprintf(f, "%.*sdeadline = 1\nbackoff = 0.1\n%s", (int)(at - text), text, at);
    cr_assert_eq(fclose(f), 0);
    free(text);
    text = read_file(conf, NULL);
    at = strstr(text, "\nurl = ");
    cr_assert(at);
    at++;
    f = fopen(conf, "w");
    cr_assert(f);
    fprintf(f, "%.*surl = https://127.0.0.1:1/upload/%s", (int)(at - text), text, strchr(at, '\n'));
    cr_assert_eq(fclose(f), 0);
    free(dir);
    dir = yj_run(conf, "2024Q4", 0, 0);
    {
        const char *argv[] = {"yj-submit", "--config", conf, "--run-dir", dir, NULL};
        struct cmd_result r = run_cmd(argv);
        char want[512];
        cr_assert_eq(r.status, 69, "exit %d: %s", r.status, r.err);
        snprintf(want, sizeof(want),
                 "part 1 of 2 ('%s/return/cld-part-0001.xml'): the return is not submitted until "
                 "every part has its receipt; 0 of 2 were received",
                 dir);
        cr_assert(strstr(r.err, want), "stderr lacks \"%s\":\n%s", want, r.err);
        cmd_result_free(&r);
    }
    cr_assert(!file_exists(path2(dir, "submit/receipt-0001")));
    free(text);
    free(m);
    free(dir);
    free(conf);
}

/* ---- the parts of a return checked in one call of yj-validate, on one or two jobs ---- */

/* TEXT without its first and last lines (malloc'd). */
static char *
inner_lines(const char *text)
{
    const char *a = strchr(text, '\n');
    size_t n;

    cr_assert(a, "no lines: %s", text);
    a++;
    n = strlen(a);
    cr_assert(n > 0 && a[n - 1] == '\n');
    n--;
    while (n > 0 && a[n - 1] != '\n')
        n--;
    return strndup(a, n);
}

/* The return of a run in parts copied to a folder of its own: DIR/return, its NAMES. */
struct copied {
    char *conf, *dir, *ret;
    char *names[64];
    int n;
};

static void
copied_return(struct copied *c, const char *tag)
{
    char *sha[64], *run;

    c->conf = part_config(tag, PER_PART);
    run = yj_run(c->conf, "2024Q4", 0, 0);
    c->n = manifest_parts(run, c->names, sha, 64);
    cr_assert(c->n >= 3, "the harness warehouse must give at least three parts of " PER_PART);
    c->dir = temp_dir(tag);
    c->ret = path2(c->dir, "return");
    copy_tree(path2(run, "return"), c->ret);
    for (int i = 0; i < c->n; i++)
        free(sha[i]);
    free(run);
}

/* yj-validate over parts FIRST..LAST-1 of C into REPORT (--jobs JOBS unless NULL). */
static struct cmd_result
validate_parts(const struct copied *c, int first, int last, const char *report, const char *jobs)
{
    const char *argv[80] = {"yj-validate", "--config", c->conf, "--report", report};
    int k = 5;

    if (jobs) {
        argv[k++] = "--jobs";
        argv[k++] = jobs;
    }
    for (int i = first; i < last; i++)
        argv[k++] = path2(c->ret, c->names[i]);
    argv[k] = NULL;
    return run_cmd(argv);
}

/* One call per part into ONE/report-NNNN.txt; then every part in one call on one and on two
 * jobs into J1/ and J2/: the same reports byte for byte, the same lines on stderr (each part's,
 * in part order, between the call's begin and end), and WANT, the status of the first part
 * that failed. */
static void
assert_parts_as_one_call_each(const struct copied *c, const char *tag, int want)
{
    char name[64], *one, *stderr_one = strdup(""), *first = NULL;
    int status = 0;

    snprintf(name, sizeof(name), "%s-one", tag);
    one = path2(c->dir, name);

    mkdir(one, 0700);
    for (int i = 0; i < c->n; i++) {
        char *d = digits(c->names[i]), *report, *err;
        struct cmd_result r;
        snprintf(name, sizeof(name), "report-%s.txt", d);
        report = path2(one, name);
        r = validate_parts(c, i, i + 1, report, NULL);
        if (r.status && !status) {
            status = r.status;
            first = path2(c->ret, c->names[i]);
        }
        err = replace_all(untimed(r.err), one, "REPORTS");
        stderr_one = realloc(stderr_one, strlen(stderr_one) + strlen(err) + 1);
        memcpy(stderr_one + strlen(stderr_one), err, strlen(err) + 1);
        free(err);
        cmd_result_free(&r);
        free(report);
        free(d);
    }
    cr_assert_eq(status, want, "one call per part: first failing status %d, want %d", status, want);
    for (int j = 1; j <= 2; j++) {
        char jobs[8], *folder, *report, *err, *inner, end[1024];
        struct cmd_result r;
        snprintf(jobs, sizeof(jobs), "%d", j);
        snprintf(name, sizeof(name), "%s-j%d", tag, j);
        folder = path2(c->dir, name);
        mkdir(folder, 0700);
        report = path2(folder, "report.txt");
        r = validate_parts(c, 0, c->n, report, jobs);
        cr_assert_eq(r.status, want, "--jobs %d: exit %d, want %d:\n%s", j, r.status, want, r.err);
        err = replace_all(untimed(r.err), folder, "REPORTS");
        inner = inner_lines(err);
        cr_assert_str_eq(inner, stderr_one, "--jobs %d: stderr is not the parts' own:\n%s", j, err);
        snprintf(end, sizeof(end),
                 "yj-validate: end: status %d, %d parts checked, %d failed%s%s%s in - s\n", want,
                 c->n, want ? 1 : 0, want ? " (first: '" : "", want ? first : "", want ? "')" : "");
        cr_assert(strlen(err) >= strlen(end) && strcmp(err + strlen(err) - strlen(end), end) == 0,
                  "--jobs %d: stderr does not end in \"%s\":\n%s", j, end, err);
        for (int i = 0; i < c->n; i++) {
            char *d = digits(c->names[i]), *a, *b;
            snprintf(name, sizeof(name), "report-%s.txt", d);
            a = path2(one, name);
            b = path2(folder, name);
            cr_assert_eq(file_exists(a), file_exists(b), "%s", b);
            cr_assert(!file_exists(a) || files_equal(a, b), "--jobs %d: %s differs from %s", j, b,
                      a);
            free(a);
            free(b);
            free(d);
        }
        free(inner);
        free(err);
        cmd_result_free(&r);
        free(report);
        free(folder);
    }
    free(first);
    free(stderr_one);
    free(one);
}

/* Part 2 with BYTES[0..LEN) instead of its own. */
static void
replace_part_2(const struct copied *c, const char *bytes, size_t len)
{
    char *part = path2(c->ret, c->names[1]);
    FILE *f = fopen(part, "wb");

    cr_assert(f);
    cr_assert_eq(fwrite(bytes, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
    free(part);
}

Test(parts, parts_checked_together_on_one_or_two_jobs_are_reported_as_one_call_each, .timeout = 600)
{
    struct copied c;
    char *part, *text, *at, *report;

    copied_return(&c, "parts-jobs");
    assert_parts_as_one_call_each(&c, "valid", 0);
    /* a rule finding in part 2: an offence dated after the end of the return period */
    part = path2(c.ret, c.names[1]);
    text = read_file(part, NULL);
    cr_assert(text && (at = strstr(text, "<offenceDate>")) != NULL, "part 2 has no offence");
    memcpy(at + strlen("<offenceDate>"), "2099-01-01", 10);
    replace_part_2(&c, text, strlen(text));
    assert_parts_as_one_call_each(&c, "rule", 65);
    report = read_file(path2(c.dir, "rule-j2/report-0002.txt"), NULL);
    cr_assert(report && strstr(report, " R024 error: "), "no R024 finding:\n%s", report);
    cr_assert(strstr(report, "\nresult invalid\n"), "%s", report);
    free(report);
    report = read_file(path2(c.dir, "rule-j2/report-0001.txt"), NULL);
    cr_assert(report && strstr(report, "\nresult valid\n"), "%s", report);
    free(report);
    free(text);
    free(part);
}

Test(parts, a_bad_part_among_good_ones_fails_with_the_message_and_status_it_has_alone,
     .timeout = 600)
{
    static const struct {
        const char *tag;
        const char *bytes;
        size_t len;
    } bad[] = {
        {"not-xml", "this is not XML\n", 16},
        {"nul", "<?xml version=\"1.0\"?>\n<cldReturn\0 schemaVersion=\"11\"/>\n", 55},
        {"empty", "", 0},
    };
    struct copied c;

    copied_return(&c, "parts-bad");
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        replace_part_2(&c, bad[i].bytes, bad[i].len);
        assert_parts_as_one_call_each(&c, bad[i].tag, 65);
    }
}

/* ---- the staged person file in step with each part, and unique_in_return across parts ---- */

/* The findings and counts of part 2's report of the harness's parts run (100 a part): every
 * child named by its warehouse id, as in one cld.xml. */
static const char part_2_findings[] =
    "line 184: R042 query: child 119 ypid YP77867904 offence 1191 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 377: R004 query: child 120 ypid YP32303665 interventionProgramme 1202 field startDate: "
    "age at the programme start is outside 10-17\n"
    "line 1256: R041 query: child 124 ypid YP50046709 person field ethnicity: ethnicity not "
    "stated\n"
    "line 1300: R004 query: child 124 ypid YP50046709 interventionProgramme 1241 field startDate: "
    "age at the programme start is outside 10-17\n"
    "line 1632: R022 query: child 126 ypid YP58918231 mentalHealth[1] field kpi4DateReferred: "
    "referred for mental health before the screening\n"
    "line 2222: R042 query: child 130 ypid YP76661275 offence 1301 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 2897: R042 query: child 132 ypid YP85532797 offence 1323 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 3202: R041 query: child 133 ypid YP39968558 person field ethnicity: ethnicity not "
    "stated\n"
    "line 3390: R004 query: child 133 ypid YP39968558 interventionProgramme 1334 field startDate: "
    "age at the programme start is outside 10-17\n"
    "line 3770: R042 query: child 136 ypid YP03275841 offence 1361 offenceLegalOutcome[1] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 4294: R041 query: child 138 ypid YP12147363 person field ethnicity: ethnicity not "
    "stated\n"
    "line 4489: R042 query: child 139 ypid YP66583124 offence 1391 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 4568: R023 query: child 139 ypid YP66583124 substanceMisuse[1] field kpi5DateReferred: "
    "referred for substance misuse before the screening\n"
    "line 5214: R042 query: child 144 ypid YP38761929 offence 1443 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 5255: R042 query: child 144 ypid YP38761929 offence 1444 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 6051: R042 query: child 147 ypid YP02069212 offence 1474 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 6193: R023 query: child 147 ypid YP02069212 substanceMisuse[2] field kpi5DateReferred: "
    "referred for substance misuse before the screening\n"
    "line 7646: R006 query: child 159 ypid YP55298344 offence 1592 field arrestDate: age on the "
    "arrest date is outside 10-17\n"
    "line 7724: R004 query: child 159 ypid YP55298344 interventionProgramme 1592 field startDate: "
    "age at the programme start is outside 10-17\n"
    "line 7737: R004 query: child 159 ypid YP55298344 interventionProgramme 1593 field startDate: "
    "age at the programme start is outside 10-17\n"
    "line 7777: R022 query: child 159 ypid YP55298344 mentalHealth[2] field kpi4DateReferred: "
    "referred for mental health before the screening\n"
    "line 8093: R042 query: child 161 ypid YP64169866 offence 1612 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 9067: R042 query: child 165 ypid YP81912910 offence 1652 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 9286: R042 query: child 166 ypid YP36348671 offence 1661 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 10350: R042 query: child 174 ypid YP71834759 offence 1741 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 11803: R006 query: child 189 ypid YP88371174 offence 1891 field arrestDate: age on the "
    "arrest date is outside 10-17\n"
    "line 11827: R004 query: child 189 ypid YP88371174 interventionProgramme 1891 field startDate: "
    "age at the programme start is outside 10-17\n"
    "line 12133: R042 query: child 192 ypid YP51678457 offence 1921 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 12629: R042 query: child 198 ypid YP78293023 offence 1983 offenceLegalOutcome[1] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 13306: R023 query: child 202 ypid YP96036067 substanceMisuse[2] field kpi5DateReferred: "
    "referred for substance misuse before the screening\n"
    "line 13521: R042 query: child 203 ypid YP50471828 offence 2033 offenceLegalOutcome[1] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 13964: R041 query: child 206 ypid YP13779111 person field ethnicity: ethnicity not "
    "stated\n"
    "line 14866: R042 query: child 212 ypid YP40393677 offence 2121 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 15164: R022 query: child 214 ypid YP49265199 mentalHealth[1] field kpi4DateReferred: "
    "referred for mental health before the screening\n"
    "line 15690: R042 query: child 217 ypid YP12572482 offence 2172 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 15763: R004 query: child 217 ypid YP12572482 interventionProgramme 2172 field startDate: "
    "age at the programme start is outside 10-17\n"
    "line 16511: R004 query: child 220 ypid YP75879765 interventionProgramme 2202 field startDate: "
    "age at the programme start is outside 10-17\n"
    "line 17730: R042 query: child 229 ypid YP65801614 offence 2291 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 17790: R042 query: child 229 ypid YP65801614 offence 2293 offenceLegalOutcome[1] field "
    "legalOutcome: legal outcome not known or other\n"
    "line 20629: R042 query: child 242 ypid YP73466507 offence 2424 offenceLegalOutcome[2] field "
    "legalOutcome: legal outcome not known or other\n"
    "\n"
    "children 100\n"
    "errors 0\n"
    "queries 40\n"
    "result valid\n";

Test(parts, a_run_in_parts_names_every_child_with_a_finding_by_warehouse_id, .timeout = 600)
{
    char *conf = part_config_kept("parts-names", PER_PART, "yes");
    char *loaded = harness_loaded_at();
    char *dir = yj_run_as_of(conf, "2024Q4", 0, 0, loaded);
    char *names[64], *sha[64], *want, *report;
    char *xsd = forge_file_sha256(YJ_SOURCE_DIR "/mappings/schema-11/cld.xsd");
    char *rules = forge_file_sha256(YJ_SOURCE_DIR "/mappings/schema-11/rules.conf");
    int n = manifest_parts(dir, names, sha, 64);
    size_t len;

    cr_assert(n >= 3, "the harness warehouse must give at least three parts of " PER_PART);
    for (int i = 0; i < n; i++) {
        char rel[64], *d = digits(names[i]);
        char *text = read_file(
            path2(dir, (snprintf(rel, sizeof(rel), "validate/report-%s.txt", d), rel)), NULL);
        cr_assert(text && strstr(text, ": child "), "report-%s has no finding:\n%s", d, text);
        cr_assert(!strstr(text, ": child ypid "), "report-%s names a child by ypid only:\n%s", d,
                  text);
        free(text);
        free(d);
    }
    len = strlen(dir) + strlen(part_2_findings) + 1024;
    want = malloc(len);
    cr_assert(want);
    snprintf(want, len,
             "yjreturns-report 1\nfile %s/return/cld-part-0002.xml\nsha256 %s\n"
             "schema %s/mappings/schema-11/cld.xsd sha256 %s\n"
             "rules %s/mappings/schema-11/rules.conf sha256 %s\n\n%s",
             dir, sha[1], YJ_SOURCE_DIR, xsd, YJ_SOURCE_DIR, rules, part_2_findings);
    report = read_file(path2(dir, "validate/report-0002.txt"), NULL);
    cr_assert_str_eq(report, want);
    for (int i = 0; i < n; i++) {
        free(names[i]);
        free(sha[i]);
    }
    free(report);
    free(want);
    free(xsd);
    free(rules);
    free(loaded);
    free(dir);
    free(conf);
}

/* yj-validate --staged STAGED over every part of C into REPORT, on JOBS. */
static struct cmd_result
validate_staged(const struct copied *c, const char *staged, const char *report, const char *jobs)
{
    const char *argv[80] = {"yj-validate", "--config", c->conf,  "--report", report,
                            "--staged",    staged,     "--jobs", jobs};
    int k = 9;

    for (int i = 0; i < c->n; i++)
        argv[k++] = path2(c->ret, c->names[i]);
    argv[k] = NULL;
    return run_cmd(argv);
}

/* Part NUMBER (from 1) of C as TEXT, and its MANIFEST line's bytes and sha256 to match. */
static void
rewrite_part(const struct copied *c, int number, const char *text)
{
    char *part = path2(c->ret, c->names[number - 1]), *mpath = path2(c->ret, "MANIFEST");
    char *m, *line, *hex, want[128];
    FILE *f = fopen(part, "wb");

    cr_assert(f);
    cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    cr_assert_eq(fclose(f), 0);
    hex = forge_file_sha256(part);
    m = read_file(mpath, NULL);
    snprintf(want, sizeof(want), "\nfile %s rows ", c->names[number - 1]);
    cr_assert(m && (line = strstr(m, want)) != NULL);
    line += strlen(want);
    line += strspn(line, "0123456789");
    f = fopen(mpath, "w");
    cr_assert(f);
    fprintf(f, "%.*s bytes %zu sha256 %s%s", (int)(line - m), m, strlen(text), hex,
            strchr(line, '\n'));
    cr_assert_eq(fclose(f), 0);
    free(m);
    free(hex);
    free(mpath);
    free(part);
}

/* The Nth (from 1) ypid of TEXT, malloc'd; its line in *LINE. */
static char *
nth_ypid(const char *text, int nth, int *line)
{
    const char *at = text;

    for (int i = 0; i < nth; i++) {
        at = strstr(at + (i > 0), "<ypid>");
        cr_assert(at, "fewer than %d ypids", nth);
    }
    *line = 1;
    for (const char *p = text; p < at; p++)
        *line += *p == '\n';
    at += strlen("<ypid>");
    return strndup(at, strcspn(at, "<"));
}

Test(parts, a_ypid_of_part_1_repeated_in_part_3_is_found_in_part_3_on_one_or_two_jobs,
     .timeout = 600)
{
    struct copied c;
    char *run, *staged, *sha[64], *p1, *p3, *y1, *y3, *text, *at, want[512];
    int line1, line3;

    c.conf = part_config_kept("parts-repeat", PER_PART, "yes");
    run = yj_run(c.conf, "2024Q4", 0, 0);
    staged = path2(run, "staged");
    c.n = manifest_parts(run, c.names, sha, 64);
    cr_assert(c.n >= 3);
    c.dir = temp_dir("parts-repeat");
    c.ret = path2(c.dir, "return");
    copy_tree(path2(run, "return"), c.ret);
    /* the second child of part 3 gets the ypid of the fifth child of part 1 */
    p1 = read_file(path2(c.ret, c.names[0]), NULL);
    p3 = read_file(path2(c.ret, c.names[2]), NULL);
    cr_assert(p1 && p3);
    y1 = nth_ypid(p1, 5, &line1);
    y3 = nth_ypid(p3, 2, &line3);
    cr_assert_eq(strlen(y1), strlen(y3));
    at = strstr(p3, y3);
    memcpy(at, y1, strlen(y1));
    rewrite_part(&c, 3, p3);
    snprintf(want, sizeof(want),
             "\nline %d: R070 error: child ypid %s person field ypid: the same ypid is on another "
             "child of the return\n",
             line3, y1);
    for (int j = 1; j <= 2; j++) {
        char jobs[8], name[64], *folder, *report, *r1, *r3;
        struct cmd_result r;
        snprintf(jobs, sizeof(jobs), "%d", j);
        snprintf(name, sizeof(name), "repeat-j%d", j);
        folder = path2(c.dir, name);
        mkdir(folder, 0700);
        report = path2(folder, "report.txt");
        r = validate_staged(&c, staged, report, jobs);
        cr_assert_eq(r.status, 65, "--jobs %d: exit %d:\n%s", j, r.status, r.err);
        text = untimed(r.err);
        cr_assert(strstr(text, "\nyj-validate: error: R070 error: 1 finding: the same ypid is on "
                               "another child of the return\n"),
                  "%s", text);
        free(text);
        r3 = read_file(path2(folder, "report-0003.txt"), NULL);
        cr_assert(r3 && strstr(r3, want), "--jobs %d: report-0003 lacks%s:\n%s", j, want, r3);
        cr_assert(strstr(r3, "\nerrors 1\n") && strstr(r3, "\nresult invalid\n"), "%s", r3);
        r1 = read_file(path2(folder, "report-0001.txt"), NULL);
        cr_assert(r1 && strstr(r1, "\nresult valid\n") && !strstr(r1, "R070"), "%s", r1);
        free(r1);
        r1 = read_file(path2(folder, "report-0002.txt"), NULL);
        cr_assert(r1 && strstr(r1, "\nresult valid\n") && !strstr(r1, "R070"), "%s", r1);
        free(r1);
        if (j == 2)
            cr_assert(files_equal(path2(c.dir, "repeat-j1/report-0003.txt"),
                                  path2(folder, "report-0003.txt")));
        free(r3);
        cmd_result_free(&r);
        free(report);
        free(folder);
    }
    /* part 3's MANIFEST count one short: refused, no report */
    at = read_file(path2(c.ret, "MANIFEST"), NULL);
    {
        char key[64], *rows, *mpath = path2(c.ret, "MANIFEST"), *report;
        unsigned long n = 0, all = 0;
        const char *argv[] = {"yj-validate", "--config", c.conf, "--report", NULL, "--staged",
                              staged,        "--jobs",   "2",    NULL,       NULL};
        struct cmd_result r;
        FILE *f;
        snprintf(key, sizeof(key), "\nfile %s rows ", c.names[2]);
        cr_assert((rows = strstr(at, key)) != NULL);
        rows += strlen(key);
        n = strtoul(rows, NULL, 10);
        for (char *l = strstr(at, "\nfile cld-part-"); l; l = strstr(l + 1, "\nfile cld-part-"))
            all += strtoul(strstr(l, " rows ") + 6, NULL, 10);
        f = fopen(mpath, "w");
        cr_assert(f);
        fprintf(f, "%.*s%lu%s", (int)(rows - at), at, n - 1, rows + strspn(rows, "0123456789"));
        cr_assert_eq(fclose(f), 0);
        report = path2(c.dir, "short/report.txt");
        mkdir(path2(c.dir, "short"), 0700);
        argv[4] = report;
        argv[9] = path2(c.ret, c.names[1]);
        r = run_cmd(argv);
        cr_assert_eq(r.status, 65, "exit %d:\n%s", r.status, r.err);
        text = untimed(r.err);
        snprintf(want, sizeof(want),
                 "\nyj-validate: error: return manifest '%s': its parts hold %lu children, the "
                 "staged person.tsv %lu rows\n",
                 mpath, all - 1, all);
        cr_assert(strstr(text, want), "stderr lacks%s:\n%s", want, text);
        cr_assert(!file_exists(report));
        free(text);
        cmd_result_free(&r);
        free(report);
        free(mpath);
    }
    /* the MANIFEST as it was, and part 1 changed without it: refused, no report */
    {
        char *mpath = path2(c.ret, "MANIFEST"), *report = path2(c.dir, "other/report.txt");
        const char *argv[] = {"yj-validate", "--config", c.conf, "--report", report,
                              "--staged",    staged,     NULL,   NULL};
        struct cmd_result r;
        char *t = strdup(p1);
        FILE *f = fopen(mpath, "w");
        cr_assert(f);
        fputs(at, f);
        cr_assert_eq(fclose(f), 0);
        mkdir(path2(c.dir, "other"), 0700);
        argv[7] = path2(c.ret, c.names[0]);
        t[strstr(t, "<ypid>") - t + strlen("<ypid>") + 2] ^= 1; /* a digit of the first ypid */
        f = fopen(argv[7], "wb");
        cr_assert(f);
        fputs(t, f);
        cr_assert_eq(fclose(f), 0);
        free(t);
        r = run_cmd(argv);
        cr_assert_eq(r.status, 65, "exit %d:\n%s", r.status, r.err);
        text = untimed(r.err);
        snprintf(want, sizeof(want),
                 "\nyj-validate: error: part '%s' is not the one return manifest '%s' lists: its "
                 "SHA-256 differs\n",
                 argv[7], mpath);
        cr_assert(strstr(text, want), "stderr lacks%s:\n%s", want, text);
        cr_assert(!file_exists(report));
        free(text);
        cmd_result_free(&r);
        free(report);
        free(mpath);
    }
    /* the staged person file changed: every part says so, as one call for it does */
    {
        char *tsv = path2(staged, "person.tsv"), *report = path2(c.dir, "corrupt/report.txt");
        char *rows = read_file(tsv, NULL), *last;
        const char *gone = "yj-validate: error: staged file 'person.tsv' is corrupt: SHA-256 does "
                           "not match the manifest\n";
        struct cmd_result r;
        int said = 0;
        FILE *f;
        cr_assert(rows && strlen(rows) > 2);
        last = strrchr(rows, '\n');
        while (last > rows && last[-1] != '\n')
            last--;
        last = strstr(last, "\tYP"); /* a digit of the last row's ypid */
        cr_assert(last, "%s", rows);
        last[3] ^= 1;
        f = fopen(tsv, "w");
        cr_assert(f);
        fputs(rows, f);
        cr_assert_eq(fclose(f), 0);
        mkdir(path2(c.dir, "corrupt"), 0700);
        c.ret = path2(c.dir, "written");
        copy_tree(path2(run, "return"), c.ret); /* the return as written */
        r = validate_staged(&c, staged, report, "2");
        text = untimed(r.err);
        for (char *p = strstr(text, gone); p; p = strstr(p + 1, gone))
            said++;
        cr_assert_eq(said, c.n, "%d parts, %d say the person file changed:\n%s", c.n, said, text);
        free(text);
        cmd_result_free(&r);
        free(rows);
        free(report);
        free(tsv);
    }
    free(at);
    free(y1);
    free(y3);
    free(p1);
    free(p3);
    free(staged);
    free(run);
}
