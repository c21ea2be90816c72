/*
 * test_options.c - the stages' option tables (etl/core/stages.c) are the one description of
 * every command line: each option of a table is in its executable's --help (the real
 * executables of the same build), the argv yj-run builds for each stage (stage_argv) parses
 * with that stage's own table and back into the same argv, and the required-options message
 * is made from the table in each executable's wording.
 */
#include "error.h"
#include "stages.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The whole of a file open for reading and writing, from its start (malloc'd). */
static char *
contents(FILE *f)
{
    long n;
    char *text;

    cr_assert(fflush(f) == 0 && fseek(f, 0, SEEK_END) == 0);
    n = ftell(f);
    rewind(f);
    text = calloc((size_t)n + 1, 1);
    cr_assert(text && fread(text, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    return text;
}

/* The whole stdout of BIN_DIR/PROGRAM --help; it must exit 0. */
static char *
help_of(const char *program)
{
    char prog[512];
    FILE *out = tmpfile();
    int status;
    pid_t pid;

    cr_assert(out);
    snprintf(prog, sizeof(prog), "%s/%s", YJ_BIN_DIR, program);
    pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        dup2(fileno(out), STDOUT_FILENO);
        execl(prog, prog, "--help", (char *)NULL);
        _exit(127);
    }
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s --help failed", program);
    return contents(out);
}

Test(options, every_option_of_each_table_is_in_its_help)
{
    for (int s = 0; s < STAGE_COUNT; s++) {
        const struct cli_spec *spec = stage_table[s].cli;
        char *help = help_of(spec->program);
        char want[128];

        cr_assert(spec->noptions > 3, "%s: no options but the common ones", spec->program);
        snprintf(want, sizeof(want), "Usage: %s", spec->program);
        cr_assert(strncmp(help, want, strlen(want)) == 0, "%s --help:\n%s", spec->program, help);
        for (int i = 0; i < spec->noptions; i++) {
            const struct cli_option *o = &spec->options[i];
            snprintf(want, sizeof(want), "\n  --%s%s%s ", o->name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
            cr_assert(strstr(help, want), "%s --help has no line for --%s:\n%s", spec->program,
                      o->name, help);
            cr_assert(strstr(help, o->help), "%s --help lacks the help of --%s", spec->program,
                      o->name);
        }
        free(help);
    }
}

/* Every argument struct, zeroed, for cli_parse. */
union any_args {
    struct extract_options extract;
    struct transform_options transform;
    struct validate_options validate;
    struct kpi_options kpi;
    struct submit_options submit;
    struct run_args run;
};

static int
count(char **argv)
{
    int n = 0;
    while (argv[n])
        n++;
    return n;
}

/* stage_argv(s, in) parses with stage s's own table, without a word on stderr, and the args
 * it parses into give back the same argv. */
static void
assert_parses(enum stage s, const struct stage_inputs *in)
{
    const struct cli_spec *spec = stage_table[s].cli;
    char **argv = stage_argv(s, in), **again, *copy[64];
    union any_args args;
    int argc = count(argv), rc;

    cr_assert(argc < 64);
    cr_assert_str_eq(argv[0], spec->program);
    memcpy(copy, argv, sizeof(char *) * ((size_t)argc + 1)); /* getopt_long permutes argv */
    memset(&args, 0, sizeof(args));
    rc = cli_parse(spec, argc, copy, &args);
    cr_assert_eq(rc, YJ_OK, "%s: the argv yj-run builds does not parse (%d)", spec->program, rc);
    again = cli_argv(spec, &args);
    cr_assert_eq(count(again), argc, "%s", spec->program);
    for (int i = 0; i < argc; i++)
        cr_assert_str_eq(again[i], argv[i], "%s: word %d", spec->program, i);
    cli_free(spec, &args);
    free(again);
    free(argv);
}

static char previous1[] = "/runs/Y1/2025Q1/20250701T000000Z/return/cld-part-0001.xml",
            previous2[] = "/runs/Y1/2025Q1/20250701T000000Z/return/cld-part-0002.xml";
static char *previous[] = {previous1, previous2, NULL};

static struct stage_inputs
full_run(void)
{
    struct stage_inputs in = {0};

    in.config = "/etc/yj.conf";
    in.period = "2025Q1";
    in.as_of = "2025-07-01T00:00:00Z";
    in.sign_off = "2025-07-10";
    in.previous = previous;
    in.staged = "/runs/r/staged";
    in.in_sha256 = "-";
    in.return_dir = "/runs/r/return";
    in.return_xml = "/runs/r/return/cld.xml";
    in.report = "/runs/r/validate/report.txt";
    in.kpi_dir = "/runs/r/kpi";
    in.run_dir = "/runs/r";
    in.ledger = "/runs/ledger";
    in.resubmit = 1;
    in.allow_empty = 1;
    return in;
}

Test(options, the_argv_yj_run_builds_for_each_stage_parses_with_its_table)
{
    struct stage_inputs in = full_run(), least = full_run();

    for (int s = STAGE_EXTRACT; s <= STAGE_SUBMIT; s++)
        assert_parses((enum stage)s, &in);
    in.provisional = 1;
    assert_parses(STAGE_KPI, &in);
    /* a nightly run: no as-of, sign-off, previous return or submit options */
    least.as_of = least.sign_off = NULL;
    least.previous = NULL;
    least.resubmit = least.allow_empty = 0;
    for (int s = STAGE_EXTRACT; s <= STAGE_SUBMIT; s++)
        assert_parses((enum stage)s, &least);
}

/* stage_argv(s, in) as one line is want. */
static void
assert_words(enum stage s, const struct stage_inputs *in, const char *want)
{
    char **argv = stage_argv(s, in), line[1024] = "";

    for (int i = 0; argv[i]; i++) {
        size_t len = strlen(line);
        snprintf(line + len, sizeof(line) - len, "%s%s", i ? " " : "", argv[i]);
    }
    cr_assert_str_eq(line, want);
    free(argv);
}

Test(options, each_stage_gets_the_words_it_always_got)
{
    static const struct {
        enum stage stage;
        const char *want;
    } runs[] = {
        {STAGE_EXTRACT, "yj-extract --config /etc/yj.conf --period 2025Q1 --as-of "
                        "2025-07-01T00:00:00Z --out /runs/r/staged"},
        {STAGE_TRANSFORM,
         "yj-transform --config /etc/yj.conf --in /runs/r/staged --out /runs/r/return --sign-off "
         "2025-07-10 --previous /runs/Y1/2025Q1/20250701T000000Z/return/cld-part-0001.xml "
         "--previous /runs/Y1/2025Q1/20250701T000000Z/return/cld-part-0002.xml --period 2025Q1 "
         "--in-sha256 -"},
        {STAGE_VALIDATE, "yj-validate --config /etc/yj.conf --report /runs/r/validate/report.txt "
                         "--staged /runs/r/staged /runs/r/return/cld.xml"},
        {STAGE_KPI, "yj-kpi --config /etc/yj.conf --return /runs/r/return --staged "
                    "/runs/r/staged --out /runs/r/kpi"},
        {STAGE_SUBMIT, "yj-submit --config /etc/yj.conf --run-dir /runs/r --ledger /runs/ledger "
                       "--resubmit --allow-empty"},
    };
    struct stage_inputs in = full_run();

    for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++)
        assert_words(runs[i].stage, &in, runs[i].want);
    in.provisional = 1;
    assert_words(STAGE_KPI, &in,
                 "yj-kpi --config /etc/yj.conf --return /runs/r/return --staged /runs/r/staged "
                 "--out /runs/r/kpi --provisional");
    /* a rerun: the staged MANIFEST is not checked, so no --period and --in-sha256 */
    in.in_sha256 = NULL;
    in.previous = NULL;
    in.sign_off = NULL;
    assert_words(STAGE_TRANSFORM, &in,
                 "yj-transform --config /etc/yj.conf --in /runs/r/staged --out /runs/r/return");
    cr_assert_null(stage_argv(STAGE_RUN, &in));
    /* yj-run --submit --resubmit --force-correction passes the force on */
    in.force_correction = 1;
    assert_words(STAGE_SUBMIT, &in,
                 "yj-submit --config /etc/yj.conf --run-dir /runs/r --ledger /runs/ledger "
                 "--resubmit --allow-empty --force-correction");
}

/* What cli_require writes to stderr for args (and its status). */
static char *
required_message(const struct cli_spec *spec, const void *args, int *rc)
{
    FILE *err = tmpfile();
    int saved = dup(STDERR_FILENO);

    cr_assert(err && saved >= 0);
    fflush(stderr);
    dup2(fileno(err), STDERR_FILENO);
    *rc = cli_require(spec, args);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    return contents(err);
}

static void
assert_required(const struct cli_spec *spec, const void *args, const char *want)
{
    int rc;
    char *got = required_message(spec, args, &rc);

    cr_assert_str_eq(got, want);
    cr_assert_eq(rc, *want ? YJ_EX_USAGE : YJ_OK, "%s: status %d", spec->program, rc);
    free(got);
}

Test(options, the_required_message_is_made_from_the_table)
{
    struct extract_options e = {0};
    struct transform_options t = {0};
    struct validate_options v = {0};
    struct kpi_options k = {0};
    struct submit_options s = {0};
    struct run_args r = {0};

    assert_required(&extract_cli, &e,
                    "yj-extract: --config, --period and --out are required (see --help)\n");
    e.config = "c", e.period_label = "2025Q1", e.out_dir = "o";
    assert_required(&extract_cli, &e, "");
    t.config = "c", t.in_dir = "i";
    assert_required(&transform_cli, &t,
                    "yj-transform: --config, --in and --out are required (see --help)\n");
    v.report = "r";
    assert_required(&validate_cli, &v,
                    "yj-validate: --report and one of --config or --mappings are required\n");
    v.config = "c", v.mappings = "m"; /* both: one of them */
    assert_required(&validate_cli, &v,
                    "yj-validate: --report and one of --config or --mappings are required\n");
    v.config = NULL;
    assert_required(&validate_cli, &v, "");
    k.return_dir = "r", k.out_dir = "o";
    assert_required(&kpi_cli, &k,
                    "yj-kpi: --return, --out and one of --config or --mappings are required\n");
    k.check_template = "kpi2_ete_v1.csv"; /* another mode: --return and --out not needed */
    k.mappings = "m";
    assert_required(&kpi_cli, &k,
                    "yj-kpi: --check-template needs --period and one of --config or --mappings\n");
    k.period = "2025Q1";
    assert_required(&kpi_cli, &k, "");
    k.config = "c";
    assert_required(&kpi_cli, &k,
                    "yj-kpi: --check-template needs --period and one of --config or --mappings\n");
    s.run_dir = "r";
    assert_required(&submit_cli, &s,
                    "yj-submit: --config and --run-dir are required (see --help)\n");
    r.config = "c";
    assert_required(&run_cli, &r, "yj-run: --config and --period are required (see --help)\n");
    r.from = "2024Q1"; /* --from stands in for --period */
    assert_required(&run_cli, &r, "");
    r.from = NULL, r.to = "2024Q4";
    assert_required(&run_cli, &r, "");
    r.config = NULL;
    assert_required(&run_cli, &r, "yj-run: --config and --period are required (see --help)\n");
}

Test(options, parse_fills_the_struct_by_type_and_refuses_what_the_table_refuses)
{
    char *ok[] = {"yj-transform",  "--config", "c", "--previous", "p1", "--in", "i",
                  "--previous=p2", "--out",    "o", NULL};
    char *extra[] = {"yj-submit", "--config", "c", "--run-dir", "r", "leftover", NULL};
    char *none[] = {"yj-validate", "--config", "c", "--report", "r", NULL};
    struct transform_options t = {0};
    struct submit_options s = {0};
    struct validate_options v = {0};

    cr_assert_eq(cli_parse(&transform_cli, 10, ok, &t), YJ_OK);
    cr_assert_str_eq(t.config, "c");
    cr_assert_str_eq(t.in_dir, "i");
    cr_assert_str_eq(t.out_dir, "o");
    cr_assert(t.previous && t.previous[2] == NULL);
    cr_assert_str_eq(t.previous[0], "p1");
    cr_assert_str_eq(t.previous[1], "p2");
    cli_free(&transform_cli, &t);
    cr_assert_null(t.previous);
    cr_assert_eq(cli_parse(&submit_cli, 6, extra, &s), YJ_EX_USAGE);
    cr_assert_eq(cli_parse(&validate_cli, 5, none, &v), YJ_EX_USAGE);
}
