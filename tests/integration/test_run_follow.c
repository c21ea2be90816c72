/*
 * test_run_follow.c - yj-run validates each part of the return while yj-transform writes the
 * next (docs/design.md "Validating while the return is written"): yj-transform tells
 * yj-validate on the parts feed (--parts-fd, --follow-fd) that a part is whole, and yj-kpi
 * starts once yj-transform has ended well. A transform that fails, or a stop signal, leaves
 * the validation out: no report, no line on stderr, nothing in RUN, no process left.
 *
 * The overlap is shown without timing. yj-run runs on a bench (bench.h) whose yj-transform is
 * a stand-in: it runs the real yj-transform into a folder of its own, then plays its part on
 * the feed with the real bytes: part 1 as its temporary file, "parts N" and part 1's line
 * (its facts from the MANIFEST), and then waits for validate/report-0001.txt before it goes on
 * with the next parts. A yj-run that validated part 1 only after the transform ended would
 * leave it waiting until it gives up (60 s, exit 99).
 */
#include "bench.h"
#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PERIOD "2024Q2" /* 224 children in the harness warehouse: 3 parts of PER_PART */
#define PER_PART "100"
#define NPARTS 3

/* The stand-in's first part (after the bench's wait for "go"): it runs the real yj-transform
 * into $OWN, a folder of the bench (its --out, without --parts-fd), writes "parts N" and part 1 to
 * the feed, and waits for part 1's report. announce K copies part K to its temporary file in the
 * run's return folder, then writes its line (name, children, SHA-256 from the MANIFEST). */
static const char stand_in_head[] =
    "fd=; out=; i=0; n=$#\n"
    "while [ $i -lt $n ]; do\n"
    "    a=$1; shift; i=$((i + 1))\n"
    "    case $a in\n"
    "    --parts-fd) fd=$1; shift; i=$((i + 1)) ;;\n"
    "    --out) out=$1; shift; i=$((i + 1)); set -- \"$@\" --out \"$OWN\" ;;\n"
    "    *) set -- \"$@\" \"$a\" ;;\n"
    "    esac\n"
    "done\n"
    "[ -n \"$fd\" ] || { echo 'stand-in yj-transform: no --parts-fd' >&2; exit 98; }\n"
    "\"$REAL\" \"$@\" || exit 70\n"
    "m=$OWN/MANIFEST\n"
    "nparts=$(grep -c '^file cld-part-' \"$m\")\n"
    "case $(grep '^period_complete ' \"$m\") in\n"
    "*' yes') period=complete ;;\n"
    "*) period=in-progress ;;\n"
    "esac\n"
    "mkdir -p -m 0750 \"$out\"\n"
    "announce() {\n"
    "    name=$(printf 'cld-part-%04d.xml' \"$1\")\n"
    "    cp \"$OWN/$name\" \"$out/$name.tmp\"\n"
    "    set -- $(grep \"^file $name \" \"$m\") # file NAME rows R bytes B sha256 H\n"
    "    echo \"part $name $4 $8\" >&$fd\n"
    "}\n"
    "echo \"parts $nparts $period\" >&$fd\n"
    "announce 1\n"
    "report=${out%/*}/validate/report-0001.txt\n"
    "n=0\n"
    "while [ ! -e \"$report\" ]; do\n"
    "    n=$((n + 1)); [ $n -lt 3000 ] || exit 99 # no overlap: 60 s, no more\n"
    "    sleep 0.02\n"
    "done\n";

/* The rest as the real one does it: the next parts, each renamed into place, cld.zip, the
 * MANIFEST, "done". */
static const char stand_in_whole[] =
    "k=2\n"
    "while [ $k -le $nparts ]; do announce $k; k=$((k + 1)); done\n"
    "for f in \"$out\"/*.tmp; do mv \"$f\" \"${f%.tmp}\"; done\n"
    "[ ! -e \"$OWN/cld.zip\" ] || cp \"$OWN/cld.zip\" \"$out/cld.zip\"\n"
    "cp \"$m\" \"$out/MANIFEST\"\n"
    "echo done >&$fd\n";

/* Part 2 announced too, then a failure. */
static const char stand_in_fails[] = "announce 2\n"
                                     "echo 'stand-in yj-transform: failed after part 2' >&2\n"
                                     "exit 65\n";

/* Part 2 announced too, then a wait for the stop signal (4 minutes at most). */
static const char stand_in_waits[] = "announce 2\n"
                                     "n=0\n"
                                     "while [ $n -lt 2400 ]; do n=$((n + 1)); sleep 0.1; done\n"
                                     "exit 99\n";

/* A bench whose yj-transform is the stand-in ending with TAIL, its config in parts of
 * PER_PART (and the zip); the stand-in goes on at once. */
static struct bench
follow_bench(const char *tag, const char *tail)
{
    size_t n = sizeof(stand_in_head) + strlen(tail) + 32;
    char *then = malloc(n);
    struct bench b;

    cr_assert(then);
    snprintf(then, n, "OWN=$WORK/own\n%s%s", stand_in_head, tail);
    b = bench_make_for(tag, "yj-transform", then);
    free(then);
    config_insert(b.conf, "[return]", "children_per_part = " PER_PART "\nemail_zip = yes\n");
    bench_go(&b);
    return b;
}

/* A moment just before now: two runs as recorded then read the same warehouse. */
static char *
as_of_just_before(void)
{
    return sql_exec("SELECT to_char(now() - interval '1 second', "
                    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
}

/* The names in DIR, sorted, one a line (malloc'd); "(none)" when DIR does not exist. */
static char *
listing(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    char *out;
    size_t len = 1;

    if (n < 0)
        return strdup("(none)");
    for (int i = 0; i < n; i++)
        len += strlen(names[i]->d_name) + 1;
    out = calloc(1, len);
    cr_assert(out);
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
            strcat(out, names[i]->d_name);
            strcat(out, "\n");
        }
        free(names[i]);
    }
    free(names);
    return out;
}

/* FILE of RUN_DIR as two runs of the same warehouse as of the same moment write it (malloc'd):
 * the run folder's path as "RUN", and without the SHA-256 of the MANIFEST before (which holds
 * the time of the run's own snapshot). */
static char *
run_independent(const char *run_dir, const char *file)
{
    static const char *const snapshot_dependent[] = {"input_manifest_sha256 ",
                                                     "return_manifest_sha256 "};
    char *path = path2(run_dir, file), *text = read_file(path, NULL), *out, *o;

    cr_assert(text, "no %s", path);
    out = o = malloc(strlen(text) + 1);
    cr_assert(out);
    for (const char *in = text; *in;) {
        size_t n = strcspn(in, "\n") + (in[strcspn(in, "\n")] == '\n');
        int drop = 0;
        for (size_t k = 0; k < sizeof(snapshot_dependent) / sizeof(snapshot_dependent[0]); k++)
            drop |= strncmp(in, snapshot_dependent[k], strlen(snapshot_dependent[k])) == 0;
        for (size_t i = 0; !drop && i < n;) {
            if (strncmp(in + i, run_dir, strlen(run_dir)) == 0) {
                memcpy(o, "RUN", 3);
                o += 3;
                i += strlen(run_dir);
            } else
                *o++ = in[i++];
        }
        in += n;
    }
    *o = '\0';
    free(text);
    free(path);
    return out;
}

/* RUN_DIR's return/, validate/ and kpi/ hold the files of REF_DIR's, with the same bytes. */
static void
assert_outputs_as(const char *run_dir, const char *ref_dir)
{
    static const char *const folders[] = {"return", "validate", "kpi"};

    for (size_t f = 0; f < sizeof(folders) / sizeof(folders[0]); f++) {
        char *dir = path2(run_dir, folders[f]), *ref = path2(ref_dir, folders[f]);
        char *names = listing(dir), *ref_names = listing(ref);

        cr_assert_str_eq(names, ref_names, "%s/ holds other files than a run of the real stages",
                         folders[f]);
        for (char *name = strtok(names, "\n"); name; name = strtok(NULL, "\n")) {
            char rel[256], *a, *b;
            snprintf(rel, sizeof(rel), "%s/%s", folders[f], name);
            a = run_independent(run_dir, rel);
            b = run_independent(ref_dir, rel);
            cr_assert_str_eq(a, b, "%s differs from a run of the real stages (%s/%s)", rel, ref_dir,
                             rel);
            free(a);
            free(b);
        }
        free(ref_names);
        free(names);
        free(ref);
        free(dir);
    }
}

/* The program of a log line of stderr ("yj-validate" of "<time> yj-validate: ..."), in PROG;
 * 0 for a line without one (a DETAIL: or HINT: under an error). */
static int
program_of(const char *line, char *prog, size_t n)
{
    const char *sp = strchr(line, ' '), *colon;

    if (!sp || sp - line != 20 || line[19] != 'Z' || !(colon = strchr(sp + 1, ':')))
        return 0;
    snprintf(prog, n, "%.*s", (int)(colon - sp - 1), sp + 1);
    return 1;
}

/* ERR has lines of yj-transform, then of yj-validate, then of yj-kpi, none out of that
 * order. */
static void
assert_stage_order(const char *err)
{
    static const char *const order[] = {"yj-transform", "yj-validate", "yj-kpi"};
    int seen[3] = {0, 0, 0}, last = -1;
    unsigned long lineno = 0;

    for (const char *line = err; *line;
         line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != 0)) {
        char prog[64];
        lineno++;
        if (!program_of(line, prog, sizeof(prog)))
            continue;
        for (int k = 0; k < 3; k++) {
            if (strcmp(prog, order[k]) != 0)
                continue;
            cr_assert_geq(k, last, "stderr line %lu, of %s, comes after a line of %s:\n%s", lineno,
                          order[k], order[last], err);
            last = k;
            seen[k]++;
        }
    }
    for (int k = 0; k < 3; k++)
        cr_assert_gt(seen[k], 0, "stderr has no line of %s:\n%s", order[k], err);
}

Test(run_follow, part_1_is_validated_while_the_transform_still_writes_the_others, .timeout = 300)
{
    struct bench b = follow_bench("follow-overlap", stand_in_whole);
    char *as_of = as_of_just_before(), *run, *ref, *err;
    int status;

    {
        /* the same warehouse as of the same moment, with the real stages */
        const char *argv[] = {"yj-run", "--config", b.conf, "--period",
                              PERIOD,   "--as-of",  as_of,  NULL};
        struct cmd_result r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "the real stages: exit %d\n%s", r.status, r.err);
        ref = strndup(r.out, strcspn(r.out, "\n"));
        cmd_result_free(&r);
    }
    status = wait_status(bench_start(&b, PERIOD, as_of));
    err = read_file(b.err, NULL);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "yj-run status %#x:\n%s", status, err);
    run = bench_run_dir(&b);
    cr_assert(strstr(err, "stand-in yj-transform: went on"), "%s", err);
    cr_assert(run_has(run, "status.transform 0"));
    cr_assert(run_has(run, "status.validate 0"));
    cr_assert(run_has(run, "status.kpi 0"));
    cr_assert(run_has(run, "result validated"));
    {
        char *ret = path2(run, "return"), *names = listing(ret);
        cr_assert_str_eq(names,
                         "MANIFEST\ncld-part-0001.xml\ncld-part-0002.xml\ncld-part-0003.xml\n"
                         "cld.zip\n",
                         "not a return of %d parts", NPARTS);
        free(names);
        free(ret);
    }
    assert_outputs_as(run, ref);
    assert_stage_order(err);
    cr_assert(!strstr(err, ": error: "), "a run that succeeded reports an error:\n%s", err);
    free(err);
    free(run);
    free(ref);
    free(as_of);
    bench_free(&b);
}

/* The path of part 1's report in RUN_DIR, once it exists (60 s at most). */
static void
wait_report_0001(const char *run_dir)
{
    char *report = path2(run_dir, "validate/report-0001.txt");
    int n = 0;

    while (!file_exists(report) && n++ < 3000)
        sleep_ms(20);
    cr_assert(file_exists(report), "part 1 was not validated while the transform ran");
    free(report);
}

/* RUN_DIR has no validate/ and no kpi/ folder, and RUN says neither stage ran. */
static void
assert_left_out(const char *run_dir)
{
    char *validate = path2(run_dir, "validate"), *kpi = path2(run_dir, "kpi");

    cr_assert_eq(count_files(validate), 0, "a report is left in %s", validate);
    cr_assert(!file_exists(validate), "the validation left out leaves its folder");
    cr_assert(!file_exists(kpi), "the KPIs never started, yet their folder is there");
    cr_assert_eq(run_value(run_dir, "status.validate"), -1, "the validation left out is recorded");
    cr_assert_eq(run_value(run_dir, "seconds.validate"), -1);
    cr_assert_eq(run_value(run_dir, "status.kpi"), -1, "the KPIs left out are recorded");
    cr_assert(run_has(run_dir, "last_stage transform"));
    free(kpi);
    free(validate);
}

Test(run_follow, a_transform_that_fails_after_two_parts_leaves_the_validation_out, .timeout = 300)
{
    struct bench b = follow_bench("follow-fails", stand_in_fails);
    pid_t yjrun = bench_start(&b, PERIOD, NULL), validate;
    char *run, *err, *text, *from;
    int status;

    validate = child_named(yjrun, "yj-validate");
    cr_assert(validate > 0, "yj-validate did not start beside yj-transform");
    status = wait_status(yjrun);
    err = read_file(b.err, NULL);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 65, "yj-run status %#x:\n%s", status,
              err);
    cr_assert(!alive(validate), "yj-validate outlived the run");
    /* its workers too (they end with it), and the stand-in's */
    cr_assert_eq(bench_process_left(&b, 2000), 0, "a stage process outlived the run");
    run = bench_run_dir(&b);
    cr_assert(run_has(run, "status.transform 65"));
    cr_assert(run_has(run, "result failed"));
    assert_left_out(run);
    /* from the stand-in's line on, yj-run's own: nothing of the validation or the KPIs */
    text = untimed(err);
    from = strstr(text, "stand-in yj-transform: failed after part 2\n");
    cr_assert(from, "%s", err);
    cr_assert_str_eq(from, "stand-in yj-transform: failed after part 2\n"
                           "yj-run: error: yj-transform failed with exit status 65\n"
                           "yj-run: end: status 65 in - s\n");
    cr_assert(!strstr(err, "yj-validate") && !strstr(err, "yj-kpi"),
              "a stage left out says something:\n%s", err);
    free(text);
    free(err);
    free(run);
    bench_free(&b);
}

Test(run_follow, sigterm_while_the_transform_runs_stops_the_validation_that_follows_it,
     .timeout = 300)
{
    struct bench b = follow_bench("follow-sigterm", stand_in_waits);
    pid_t yjrun = bench_start(&b, PERIOD, NULL), transform, validate;
    char *run, *err, *text;
    const char *tail;
    int status;

    transform = child_named(yjrun, "yj-transform");
    validate = child_named(yjrun, "yj-validate");
    cr_assert(transform > 0 && validate > 0, "yj-transform and yj-validate do not run together");
    run = bench_run_dir(&b);
    wait_report_0001(run);
    cr_assert_eq(kill(yjrun, SIGTERM), 0);
    status = wait_status(yjrun);
    err = read_file(b.err, NULL);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "yj-run status %#x:\n%s", status,
              err);
    cr_assert(!alive(transform) && !alive(validate), "a stage outlived yj-run");
    cr_assert_eq(bench_process_left(&b, 2000), 0, "a stage process outlived the run");
    cr_assert(run_has(run, "status.transform 143"));
    cr_assert(run_has(run, "result interrupted"));
    assert_left_out(run);
    cr_assert(!strstr(err, "yj-validate") && !strstr(err, "yj-kpi"),
              "a stage left out says something:\n%s", err);
    /* the real yj-transform's end (the stand-in ran it first), then yj-run's own */
    text = untimed(err);
    tail = "yj-transform: end: status 0 in - s\n"
           "yj-run: error: yj-transform stopped by SIGTERM: yj-run was stopped\n"
           "yj-run: end: status 143 in - s\n";
    cr_assert(strlen(text) > strlen(tail) && !strcmp(text + strlen(text) - strlen(tail), tail),
              "stderr does not end in\n%s:\n%s", tail, err);
    free(text);
    free(err);
    free(run);
    bench_free(&b);
}

Test(run_follow, a_real_run_in_parts_shows_each_stage_s_lines_after_the_one_before, .timeout = 300)
{
    char *root = temp_dir("follow-real-runs");
    char *conf = config_variant("follow-real", "runs_root", root, NULL);
    const char *argv[] = {"yj-run", "--config", conf, "--period", PERIOD, NULL};
    struct cmd_result r;
    char want[64];

    config_insert(conf, "[return]", "children_per_part = " PER_PART "\n");
    r = run_cmd(argv);
    cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
    snprintf(want, sizeof(want), " yj-validate: begin: %d parts, ", NPARTS);
    cr_assert(strstr(r.err, want), "not a return of %d parts:\n%s", NPARTS, r.err);
    assert_stage_order(r.err);
    cmd_result_free(&r);
    free(conf);
    free(root);
}
