/*
 * bench.c - a bench for yj-run with a stand-in stage (bench.h). The bin folder holds a copy of
 * yj-run (it starts the stages from its own folder), symbolic links to the real stages, and
 * the stand-in script; the config is a variant of the harness's with a runs root of its own.
 */
#include "bench.h"
#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct bench
bench_make_for(const char *tag, const char *stage, const char *then)
{
    static const char *const stages[] = {"yj-extract", "yj-transform", "yj-validate",
                                         "yj-kpi",     "yj-submit",    "yj-report"};
    struct bench b;
    char *script, *real_run = path2(YJ_BIN_DIR, "yj-run");
    char *run_copy, *text;
    FILE *f;

    b.work = temp_dir(tag);
    b.root = path2(b.work, "runs");
    b.bin = path2(b.work, "bin");
    b.go = path2(b.work, "go");
    b.out = path2(b.work, "out");
    b.err = path2(b.work, "err");
    cr_assert_eq(mkdir(b.root, 0700), 0);
    cr_assert_eq(mkdir(b.bin, 0700), 0);
    b.conf = config_variant(tag, "runs_root", b.root, NULL);
    run_copy = path2(b.bin, "yj-run");
    {
        const char *cp[] = {"/bin/cp", real_run, run_copy, NULL};
        struct cmd_result r = run_cmd(cp);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cmd_result_free(&r);
    }
    for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
        char *from = path2(YJ_BIN_DIR, stages[i]), *to = path2(b.bin, stages[i]);
        if (strcmp(stages[i], stage) != 0)
            cr_assert_eq(symlink(from, to), 0);
        free(from);
        free(to);
    }
    script = path2(b.bin, stage);
    text = path2(YJ_BIN_DIR, stage);
    if (!then) {
        free(text);
        free(script);
        free(run_copy);
        free(real_run);
        return b;
    }
    f = fopen(script, "w");
    cr_assert(f);
    fprintf(f,
            "#!/bin/sh\nREAL='%s'\nWORK='%s'\nn=0\n"
            "while [ ! -e '%s' ]; do\n"
            "    n=$((n + 1)); [ $n -lt 3000 ] || exit 99 # a test that failed: 60 s, no more\n"
            "    sleep 0.02\n"
            "done\n"
            "echo 'stand-in %s: went on' >&2\n%s\n",
            text, b.work, b.go, stage, then);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(chmod(script, 0755), 0);
    free(text);
    free(script);
    free(run_copy);
    free(real_run);
    return b;
}

void
bench_free(struct bench *b)
{
    free(b->work);
    free(b->root);
    free(b->conf);
    free(b->bin);
    free(b->go);
    free(b->out);
    free(b->err);
}

pid_t
bench_start(const struct bench *b, const char *period, const char *as_of)
{
    char *prog = path2(b->bin, "yj-run");
    const char *argv[] = {prog, "--config", b->conf, "--period", period, "--as-of", as_of, NULL};
    pid_t pid;

    if (!as_of)
        argv[5] = NULL;
    pid = start_run(argv, b->out, b->err);
    free(prog);
    return pid;
}

void
bench_go(const struct bench *b)
{
    FILE *f = fopen(b->go, "w");

    cr_assert(f);
    fclose(f);
}

int
wait_status(pid_t pid)
{
    int status;

    while (waitpid(pid, &status, 0) < 0)
        cr_assert_eq(errno, EINTR);
    return status;
}

char *
bench_run_dir(const struct bench *b)
{
    char *out = read_file(b->out, NULL);

    cr_assert(out && *out && strchr(out, '\n'), "no run folder on stdout");
    out[strcspn(out, "\n")] = '\0';
    return out;
}

/* A process but this one whose command line has NEEDLE (its words joined by spaces), or 0. */
static pid_t
process_naming(const char *needle)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    pid_t found = 0;

    cr_assert(d);
    while (!found && (e = readdir(d)) != NULL) {
        char path[300], *cmd;
        size_t len;
        if (strspn(e->d_name, "0123456789") != strlen(e->d_name) ||
            strtol(e->d_name, NULL, 10) == (long)getpid())
            continue;
        snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
        if (!(cmd = read_file(path, &len)))
            continue;
        for (size_t i = 0; i + 1 < len; i++)
            if (cmd[i] == '\0')
                cmd[i] = ' ';
        if (strstr(cmd, needle) && state_of((pid_t)strtol(e->d_name, NULL, 10)) != 'Z')
            found = (pid_t)strtol(e->d_name, NULL, 10);
        free(cmd);
    }
    closedir(d);
    return found;
}

pid_t
bench_process_left(const struct bench *b, long ms)
{
    pid_t left;

    for (long t = 0; (left = process_naming(b->work)) != 0 && t < ms; t += 20)
        sleep_ms(20);
    return left;
}

double
run_value(const char *run_dir, const char *key)
{
    char *path = path2(run_dir, "RUN"), *text = read_file(path, NULL), needle[128], *at;
    double v = -1;

    cr_assert(text, "no %s", path);
    snprintf(needle, sizeof(needle), "\n%s ", key);
    if ((at = strstr(text, needle)) != NULL)
        v = strtod(at + strlen(needle), NULL);
    free(text);
    free(path);
    return v;
}

int
run_has(const char *run_dir, const char *line)
{
    char *path = path2(run_dir, "RUN"), *text = read_file(path, NULL), needle[256];
    int has;

    cr_assert(text, "no %s", path);
    snprintf(needle, sizeof(needle), "\n%s\n", line);
    has = strstr(text, needle) != NULL;
    free(text);
    free(path);
    return has;
}
