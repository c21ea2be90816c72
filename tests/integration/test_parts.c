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
#include <sys/stat.h>
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

/* ---- the parts of a return checked in one call of yj-validate, on one or two jobs ---- */

/* TEXT without each line's leading UTC time and with " in N.NN s" at a line's end as " in - s"
 * (malloc'd): what does not depend on when or how fast a run went. */
static char *
untimed(const char *text)
{
    size_t len = strlen(text);
    char *out = malloc(len + 1), *o = out;

    cr_assert(out);
    for (const char *in = text; *in;) {
        size_t n = strcspn(in, "\n");
        const char *end = in + n, *tail;
        if (n > 21 && in[4] == '-' && in[10] == 'T' && in[19] == 'Z' && in[20] == ' ')
            in += 21;
        tail = end;
        if (end - in > 4 && memcmp(end - 2, " s", 2) == 0) {
            const char *p = end - 2;
            while (p > in && (p[-1] == '.' || (p[-1] >= '0' && p[-1] <= '9')))
                p--;
            if (p - in >= 3 && memcmp(p - 3, "in ", 3) == 0)
                tail = p;
        }
        memcpy(o, in, (size_t)(tail - in));
        o += tail - in;
        if (tail != end) {
            memcpy(o, "- s", 3);
            o += 3;
        }
        if (*end == '\n')
            *o++ = '\n';
        in = end + (*end == '\n');
    }
    *o = '\0';
    return out;
}

/* TEXT with every WHAT as WITH (malloc'd; TEXT freed). */
static char *
replace_all(char *text, const char *what, const char *with)
{
    size_t nw = strlen(what), nr = strlen(with), n = 0;
    char *out, *o;

    for (char *at = strstr(text, what); at; at = strstr(at + nw, what))
        n++;
    out = o = malloc(strlen(text) + n * nr + 1);
    cr_assert(out);
    for (char *in = text, *at; *in; in = at + nw) {
        at = strstr(in, what);
        if (!at) {
            memcpy(o, in, strlen(in) + 1);
            o += strlen(in);
            break;
        }
        memcpy(o, in, (size_t)(at - in));
        o += at - in;
        memcpy(o, with, nr);
        o += nr;
    }
    *o = '\0';
    free(text);
    return out;
}

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
