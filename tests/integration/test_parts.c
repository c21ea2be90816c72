/*
 * test_parts.c - a return split into parts ([return] children_per_part) through the whole
 * pipeline: the real warehouse and HTTPS receiver that harness.sh started.
 *
 * The harness config has no children_per_part, and config_variant() only replaces keys, so
 * part_config() writes the key into the [return] section of a variant itself. Each test runs
 * in its own runs root, so that no other test's submission becomes its "previous return".
 */
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PER_PART "100"

/* A config variant with its own runs root and children_per_part under [return]. */
static char *
part_config(const char *tag, const char *per_part)
{
    char *runs = temp_dir("parts-runs");
    char *conf = config_variant(tag, "runs_root", runs, NULL);
    char *text = read_file(conf, NULL), *at;
    FILE *f;

    cr_assert(text);
    at = strstr(text, "[return]\n");
    cr_assert(at, "the harness config has no [return] section");
    at += strlen("[return]\n");
    f = fopen(conf, "w");
    cr_assert(f);
    fprintf(f, "%.*schildren_per_part = %s\nemail_zip = yes\n%s", (int)(at - text), text, per_part,
            at);
    cr_assert_eq(fclose(f), 0);
    free(text);
    free(runs);
    return conf;
}

/* Runs yj-run, signed off on 15 April after the period (2025-04-15 for 2024Q4); returns the
 * run directory it printed. */
static char *
yj_run(const char *conf, const char *period, int submit, int want_status)
{
    char *sign_off = sign_off_for(period);
    const char *argv[] = {"yj-run",     "--config", conf, "--period", period,
                          "--sign-off", sign_off,   NULL, NULL};
    struct cmd_result r;
    char *dir;

    if (submit)
        argv[7] = "--submit";
    r = run_cmd(argv);
    cr_assert_eq(r.status, want_status, "yj-run %s exit %d, want %d; stderr:\n%s", period, r.status,
                 want_status, r.err);
    dir = strndup(r.out, strcspn(r.out, "\n"));
    cr_assert(dir[0], "yj-run printed no run directory");
    cmd_result_free(&r);
    free(sign_off);
    return dir;
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
