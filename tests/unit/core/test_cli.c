/*
 * test_cli.c - the command line every executable shares (etl/core/cli.c), driven through the
 * real executables of the same build: what matters is what a user sees, the exit status and
 * the whole stderr. "-h" is --help; a long option is taken only when spelled out in full (a
 * prefix such as --subm would otherwise be --submit); and the configuration named by --config
 * is refused with one line and exit 78 when it is a folder, holds a NUL byte or starts with a
 * UTF-8 byte order mark. cli_descriptor, called directly: a descriptor option takes an open
 * descriptor (a socket where one is needed) and names the option and the text when it cannot.
 */
#include "cli.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const programs[] = {"yj-extract", "yj-transform", "yj-validate",
                                       "yj-kpi",     "yj-submit",    "yj-run"};

UT_SCRATCH_SUITE(cli);

struct run {
    int status;
    char *out, *err; /* whole stdout and stderr, each log line without its UTC time */
};

static void
strip_times(char *text)
{
    char *in, *out;

    for (in = out = text; *in;) {
        size_t n = strcspn(in, "\n");
        if (n > 21 && in[4] == '-' && in[10] == 'T' && in[19] == 'Z' && in[20] == ' ')
            in += 21, n -= 21;
        memmove(out, in, n + (in[n] == '\n'));
        out += n + (in[n] == '\n');
        in += n + (in[n] == '\n');
    }
    *out = '\0';
}

/* Runs BIN_DIR/PROGRAM with the arguments (NULL-terminated) in the test folder. */
static struct run
run(const char *program, const char *const *args)
{
    const char *argv[16];
    char prog[512], *out_path = ut_path(dir, "stdout.txt"), *err_path = ut_path(dir, "stderr.txt");
    struct run r;
    int status, n = 1;
    pid_t pid;

    snprintf(prog, sizeof(prog), "%s/%s", YJ_BIN_DIR, program);
    argv[0] = prog;
    for (; args[n - 1] && n < 15; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (o < 0 || e < 0 || chdir(dir) != 0)
            _exit(126);
        dup2(o, STDOUT_FILENO);
        dup2(e, STDERR_FILENO);
        execv(prog, (char *const *)argv);
        _exit(127);
    }
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = ut_read(out_path, NULL);
    r.err = ut_read(err_path, NULL);
    cr_assert(r.out && r.err);
    strip_times(r.err);
    free(out_path);
    free(err_path);
    return r;
}

static void
run_free(struct run *r)
{
    free(r->out);
    free(r->err);
}

Test(cli, dash_h_is_help_in_every_executable)
{
    for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
        const char *h[] = {"-h", NULL}, *help[] = {"--help", NULL};
        struct run a = run(programs[i], h), b = run(programs[i], help);

        cr_assert_eq(a.status, 0, "%s -h: exit %d, stderr:\n%s", programs[i], a.status, a.err);
        cr_assert_str_eq(a.err, "", "%s -h", programs[i]);
        cr_assert_eq(b.status, 0);
        cr_assert_str_eq(a.out, b.out, "%s: -h and --help differ", programs[i]);
        ut_assert_contains(a.out, "Usage: ");
        run_free(&a);
        run_free(&b);
    }
}

Test(cli, a_prefix_of_a_long_option_is_refused_in_every_executable)
{
    for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
        const char *args[] = {"--hel", NULL};
        char want[1024];
        struct run r = run(programs[i], args);

        snprintf(want, sizeof(want), "%s/%s: unrecognized option '--hel'\n", YJ_BIN_DIR,
                 programs[i]);
        cr_assert_eq(r.status, 64, "%s --hel: exit %d", programs[i], r.status);
        cr_assert_str_eq(r.err, want);
        cr_assert_str_eq(r.out, "", "%s --hel printed the help", programs[i]);
        run_free(&r);
    }
}

Test(cli, subm_is_not_taken_as_submit)
{
    /* before, yj-run took --subm for --submit (and --s was ambiguous) */
    const char *subm[] = {"--config", "yj.conf", "--period", "2025Q1", "--subm", NULL};
    const char *with_value[] = {"--config=yj.conf", "--perio=2025Q1", NULL};
    struct run r = run("yj-run", subm);

    cr_assert_eq(r.status, 64);
    cr_assert_str_eq(r.err, YJ_BIN_DIR "/yj-run: unrecognized option '--subm'\n");
    cr_assert_str_eq(r.out, "");
    run_free(&r);
    r = run("yj-run", with_value);
    cr_assert_eq(r.status, 64);
    cr_assert_str_eq(r.err, YJ_BIN_DIR "/yj-run: unrecognized option '--perio'\n");
    run_free(&r);
}

Test(cli, an_option_spelled_out_still_takes_a_value_that_looks_like_a_prefix)
{
    /* "--subm" here is the value of --config, as getopt reads it: no option check applies */
    const char *args[] = {"--config", "--subm", "--period", "2025Q1", NULL};
    struct run r = run("yj-run", args);

    cr_assert_eq(r.status, 78, "stderr:\n%s", r.err);
    cr_assert_str_eq(r.err, "yj-run: error: could not open config file '--subm': No such file or "
                            "directory\n");
    run_free(&r);
}

Test(cli, a_config_that_is_a_folder_is_a_config_error)
{
    const char *args[] = {"--config", ".", "--period", "2025Q1", "--out", "staged", NULL};
    struct run r = run("yj-extract", args);
    char *staged = ut_path(dir, "staged");

    cr_assert_eq(r.status, 78, "stderr:\n%s", r.err);
    cr_assert_str_eq(r.err, "yj-extract: error: could not open config file '.': Is a directory\n");
    cr_assert_not(ut_exists(staged));
    run_free(&r);
    free(staged);
}

Test(cli, a_config_holding_a_nul_byte_is_named)
{
    static const char text[] = "[service]\nyot_ou_code = MED\0WAY\n";
    char *conf = ut_path(dir, "yj.conf");
    const char *args[] = {"--config", "yj.conf", "--period", "2025Q1", NULL};
    struct run r;

    ut_write_bytes(conf, text, sizeof(text) - 1);
    r = run("yj-run", args);
    cr_assert_eq(r.status, 78, "stderr:\n%s", r.err);
    cr_assert_str_eq(r.err, "yj-run: error: config file 'yj.conf' line 2: holds a NUL byte: not "
                            "a text file\nHINT: save it again as plain text\n");
    run_free(&r);
    free(conf);
}

Test(cli, a_config_starting_with_a_byte_order_mark_is_named)
{
    char *conf = ut_path(dir, "yj.conf");
    const char *args[] = {"--config", "yj.conf", "--period", "2025Q1", NULL};
    struct run r;

    ut_write(conf, "\xEF\xBB\xBF# yjreturns\n[service]\nyot_ou_code = MEDWAY\n");
    r = run("yj-run", args);
    cr_assert_eq(r.status, 78, "stderr:\n%s", r.err);
    cr_assert_str_eq(r.err, "yj-run: error: config file 'yj.conf' line 1: starts with a UTF-8 "
                            "byte order mark (bytes EF BB BF)\nHINT: save it as UTF-8 without a "
                            "byte order mark (\"UTF-8\", not \"UTF-8 with BOM\")\n");
    run_free(&r);
    free(conf);
}

/* cli_descriptor's status for TEXT: 64 with exactly MESSAGE, *fd untouched. */
static void
assert_not_a_descriptor(const char *option, const char *text, int socket, const char *message)
{
    struct yj_error err;
    int fd = -7;

    yj_error_init(&err);
    cr_assert_eq(cli_descriptor(option, text, socket, &fd, &err), YJ_EX_USAGE, "'%s'", text);
    cr_assert_str_eq(err.message, message);
    cr_assert_eq(fd, -7, "'%s' set the descriptor", text);
}

Test(cli, a_descriptor_that_is_not_a_number_from_0_to_65535_is_refused)
{
    assert_not_a_descriptor("parts-fd", "x3", 1, "--parts-fd 'x3' is not a file descriptor");
    assert_not_a_descriptor("parts-fd", "3x", 1, "--parts-fd '3x' is not a file descriptor");
    assert_not_a_descriptor("follow-fd", "-1", 1, "--follow-fd '-1' is not a file descriptor");
    assert_not_a_descriptor("follow-fd", "65536", 1,
                            "--follow-fd '65536' is not a file descriptor");
    assert_not_a_descriptor("verdict-fd", "", 0, "--verdict-fd '' is not a file descriptor");
    assert_not_a_descriptor("verdict-fd", " 1", 0, "--verdict-fd ' 1' is not a file descriptor");
    assert_not_a_descriptor("verdict-fd", "+1", 0, "--verdict-fd '+1' is not a file descriptor");
    assert_not_a_descriptor("verdict-fd", "99999999999999999999", 0,
                            "--verdict-fd '99999999999999999999' is not a file descriptor");
}

Test(cli, a_closed_descriptor_is_refused)
{
    int p[2];
    char text[16], want[128];

    cr_assert_eq(pipe(p), 0);
    close(p[0]);
    close(p[1]);
    snprintf(text, sizeof(text), "%d", p[0]);
    snprintf(want, sizeof(want), "--parts-fd %d is not an open file descriptor", p[0]);
    assert_not_a_descriptor("parts-fd", text, 1, want);
    snprintf(want, sizeof(want), "--verdict-fd %d is not an open file descriptor", p[0]);
    assert_not_a_descriptor("verdict-fd", text, 0, want);
    assert_not_a_descriptor("verdict-fd", "65535", 0,
                            "--verdict-fd 65535 is not an open file descriptor");
}

Test(cli, a_pipe_is_refused_where_a_socket_is_needed_and_taken_where_not)
{
    int p[2], fd = -1;
    char text[16], want[128];
    struct yj_error err;

    cr_assert_eq(pipe(p), 0);
    snprintf(text, sizeof(text), "%d", p[1]);
    snprintf(want, sizeof(want), "--follow-fd %d is not a socket", p[1]);
    assert_not_a_descriptor("follow-fd", text, 1, want);
    yj_error_init(&err);
    cr_assert_eq(cli_descriptor("verdict-fd", text, 0, &fd, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(fd, p[1]);
    close(p[0]);
    close(p[1]);
}

Test(cli, a_socket_is_taken_as_the_descriptor_it_names)
{
    int sv[2], fd = -1;
    char text[16];
    struct yj_error err;

    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    snprintf(text, sizeof(text), "%d", sv[1]);
    yj_error_init(&err);
    cr_assert_eq(cli_descriptor("parts-fd", text, 1, &fd, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(fd, sv[1]);
    fd = -1;
    cr_assert_eq(cli_descriptor("verdict-fd", text, 0, &fd, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(fd, sv[1]);
    close(sv[0]);
    close(sv[1]);
}
