/*
 * test_follow.c - yj-validate --follow-fd: a return validated while yj-transform still writes
 * it, as the parts feed (etl/core/partfeed.h) announces each document.
 *
 * The return is made by the real yj-extract and yj-transform from the harness's warehouse (3
 * parts of about 83 children, or one cld.xml); this test then plays the yj-transform that is
 * still writing it: it hides the parts (NAME.tmp) and the MANIFEST, starts yj-validate on one
 * end of a socket pair and writes the feed on the other, putting each file in place as
 * yj-transform would. What a user sees is then compared with an ordinary call of yj-validate
 * over the finished return: the same reports byte for byte and the same stderr once times are
 * masked; a feed that ends early, lies about a part or is malformed, or a follower sent
 * SIGTERM, leaves no report.
 */
#include "support.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PERIOD "2024Q4"
#define NPARTS 3
#define WAIT_MS 60000 /* the longest a step may take on a loaded machine */

/* A return made for a test, in DIR: the staged folder, the return folder and its documents as
 * the return MANIFEST lists them. */
struct made {
    char *dir, *conf, *staged, *ret, *xml; /* xml: RET/cld.xml, the follower's operand */
    int n;
    char names[NPARTS][32];
    unsigned long rows[NPARTS];
    char sha[NPARTS][65];
    const char *period; /* "complete" or "in-progress", as the MANIFEST says */
};

static void
expect_ok(const char *const argv[])
{
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, 0, "%s exit %d; stderr:\n%s", argv[0], r.status, r.err);
    cmd_result_free(&r);
}

/* The harness config with children_per_part = PER under [return], in DIR (malloc'd). */
static char *
config_per_part(const char *dir, unsigned long per)
{
    char *text = read_file(env_get("YJ_TEST_CONF"), NULL), *at, *conf = path2(dir, "yj.conf");
    FILE *f;

    cr_assert(text && (at = strstr(text, "[return]\n")) != NULL);
    at += strlen("[return]\n");
    f = fopen(conf, "w");
    cr_assert(f);
    fprintf(f, "%.*schildren_per_part = %lu\n%s", (int)(at - text), text, per, at);
    cr_assert_eq(fclose(f), 0);
    free(text);
    return conf;
}

/* A return of PERIOD from the harness's warehouse: NPARTS parts when PARTS, else cld.xml. */
static void
make_return(struct made *m, const char *tag, int parts)
{
    char *manifest, *line;

    memset(m, 0, sizeof(*m));
    m->dir = temp_dir(tag);
    m->staged = path2(m->dir, "staged");
    m->ret = path2(m->dir, "return");
    m->xml = path2(m->ret, "cld.xml");
    {
        const char *argv[] = {"yj-extract", "--config", env_get("YJ_TEST_CONF"),
                              "--period",   PERIOD,     "--out",
                              m->staged,    NULL};
        expect_ok(argv);
    }
    if (parts) { /* children_per_part: NPARTS parts of the staged children */
        char *staged = read_file(path2(m->staged, "MANIFEST"), NULL);
        unsigned long persons, per;
        cr_assert(staged && (line = strstr(staged, "\nfile person.tsv rows ")) != NULL);
        persons = strtoul(line + strlen("\nfile person.tsv rows "), NULL, 10);
        per = (persons + NPARTS - 1) / NPARTS;
        cr_assert(persons > per * (NPARTS - 1), "%lu children do not make %d parts", persons,
                  NPARTS);
        m->conf = config_per_part(m->dir, per);
        free(staged);
    } else
        m->conf = strdup(env_get("YJ_TEST_CONF"));
    {
        const char *argv[] = {"yj-transform", "--config", m->conf, "--in",
                              m->staged,      "--out",    m->ret,  NULL};
        expect_ok(argv);
    }
    manifest = read_file(path2(m->ret, "MANIFEST"), NULL);
    cr_assert(manifest);
    for (line = strstr(manifest, "\nfile "); line; line = strstr(line + 1, "\nfile ")) {
        cr_assert(m->n < NPARTS);
        cr_assert_eq(sscanf(line, "\nfile %31s rows %lu bytes %*s sha256 %64s", m->names[m->n],
                            &m->rows[m->n], m->sha[m->n]),
                     3);
        m->n++;
    }
    cr_assert_eq(m->n, parts ? NPARTS : 1, "%d documents", m->n);
    m->period = strstr(manifest, "\nperiod_complete no\n") ? "in-progress" : "complete";
    cr_assert(strstr(manifest, "\nperiod_complete yes\n") ||
              strstr(manifest, "\nperiod_complete no\n"));
    free(manifest);
}

/* ---- stderr compared: times masked, report folders named alike ---- */

/* STDERR untimed, with FOLDER (the reports' folder) as REPORTS (malloc'd). */
static char *
masked(const char *stderr_text, const char *folder)
{
    return replace_all(untimed(stderr_text), folder, "REPORTS");
}

/* The lines of TEXT after its first, up to and with the Kth line after it that starts with
 * "yj-validate: end: " (malloc'd): the lines of the first K parts of a call over parts. */
static char *
first_parts(const char *text, int k)
{
    const char *a = strchr(text, '\n'), *p;

    cr_assert(a, "no lines: %s", text);
    p = ++a;
    for (int i = 0; i < k; i++) {
        p = strstr(p, "\nyj-validate: end: ");
        cr_assert(p, "fewer than %d parts in:\n%s", k, text);
        p = strchr(p + 1, '\n');
        cr_assert(p);
    }
    return strndup(a, (size_t)(p + 1 - a));
}

/* ---- the ordinary call, and the follower ---- */

/* yj-validate over the finished return of M, its reports in M->dir/FOLDER (made here). */
static struct cmd_result
ordinary(const struct made *m, const char *folder, char **path)
{
    const char *argv[16] = {"yj-validate", "--config", m->conf, "--staged",
                            m->staged,     "--jobs",   "2",     "--report"};
    int k = 8;

    *path = path2(m->dir, folder);
    cr_assert_eq(mkdir(*path, 0700), 0);
    argv[k++] = path2(*path, "report.txt");
    for (int i = 0; i < m->n; i++)
        argv[k++] = path2(m->ret, m->names[i]);
    argv[k] = NULL;
    return run_cmd(argv);
}

/* A yj-validate --follow-fd running: the test's end of the feed, where its stdout and stderr
 * go, and how it names the feed. */
struct follower {
    pid_t pid;
    int fd;
    char *folder, *out, *err;
    char what[32]; /* "--follow-fd N" */
};

/* Starts yj-validate --follow-fd on M's return, its reports in M->dir/FOLDER (made here). */
static void
follow_start(struct follower *fo, const struct made *m, const char *folder)
{
    int sv[2];
    char fd[16], *prog = path2(YJ_BIN_DIR, "yj-validate"), *report;

    fo->folder = path2(m->dir, folder);
    cr_assert_eq(mkdir(fo->folder, 0700), 0);
    report = path2(fo->folder, "report.txt");
    fo->out = path2(m->dir, "follower.out");
    fo->err = path2(m->dir, "follower.err");
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    snprintf(fd, sizeof(fd), "%d", sv[1]);
    snprintf(fo->what, sizeof(fo->what), "--follow-fd %d", sv[1]);
    fo->pid = fork();
    cr_assert(fo->pid >= 0);
    if (fo->pid == 0) {
        const char *argv[] = {
            "yj-validate", "--config", m->conf,       "--staged", m->staged, "--jobs", "2",
            "--report",    report,     "--follow-fd", fd,         m->xml,    NULL};
        int o = open(fo->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(fo->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int null = open("/dev/null", O_RDONLY);
        if (o < 0 || e < 0 || null < 0 || fcntl(sv[1], F_SETFD, 0) != 0)
            _exit(126);
        dup2(null, 0);
        dup2(o, 1);
        dup2(e, 2);
        execv(prog, (char *const *)argv);
        _exit(127);
    }
    close(sv[1]);
    fo->fd = sv[0];
    free(report);
    free(prog);
}

/* Writes TEXT to the feed, whole. */
static void
feed(struct follower *fo, const char *text)
{
    size_t n = strlen(text);

    cr_assert_eq(send(fo->fd, text, n, MSG_NOSIGNAL), (ssize_t)n, "the follower has gone");
}

/* The feed's line for document I of M, with SHA instead of its own unless NULL. */
static void
feed_part(struct follower *fo, const struct made *m, int i, const char *sha)
{
    char line[256];

    snprintf(line, sizeof(line), "part %s %lu %s\n", m->names[i], m->rows[i],
             sha ? sha : m->sha[i]);
    feed(fo, line);
}

static void
feed_parts_line(struct follower *fo, const struct made *m, const char *period)
{
    char line[64];

    snprintf(line, sizeof(line), "parts %d %s\n", m->n, period ? period : m->period);
    feed(fo, line);
}

/* Closes the feed and waits for the follower: its status, stdout and stderr. */
static struct cmd_result
follow_end(struct follower *fo)
{
    struct cmd_result r;
    int st;

    if (fo->fd >= 0)
        close(fo->fd);
    fo->fd = -1;
    cr_assert_eq(waitpid(fo->pid, &st, 0), fo->pid);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.out = read_file(fo->out, NULL);
    r.err = read_file(fo->err, NULL);
    cr_assert(r.out && r.err);
    return r;
}

/* Waits until the follower's stderr holds K lines "yj-validate: end: " (its parts' ends). */
static void
wait_parts_shown(const struct follower *fo, int k)
{
    for (long ms = 0; ms < WAIT_MS; ms += 20) {
        char *text = read_file(fo->err, NULL);
        int n = 0;
        for (char *p = text; p && (p = strstr(p, "yj-validate: end: ")) != NULL; p++)
            n++;
        free(text);
        if (n >= k)
            return;
        cr_assert_eq(waitpid(fo->pid, NULL, WNOHANG), 0, "the follower ended");
        sleep_ms(20);
    }
    cr_assert_fail("the follower did not show %d parts in %d ms", k, WAIT_MS);
}

/* Waits until PATH exists, the follower still running. */
static void
wait_file(const struct follower *fo, const char *path)
{
    for (long ms = 0; ms < WAIT_MS && !file_exists(path); ms += 20) {
        cr_assert_eq(waitpid(fo->pid, NULL, WNOHANG), 0, "the follower ended:\n%s",
                     read_file(fo->err, NULL));
        sleep_ms(20);
    }
    cr_assert(file_exists(path), "no '%s' after %d ms", path, WAIT_MS);
}

/* The names in FOLDER, sorted, one a line ("" when empty; malloc'd). */
static char *
listing(const char *folder)
{
    char *out;
    const char *argv[] = {"/bin/ls", "-A", folder, NULL};
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, 0, "%s", r.err);
    out = r.out;
    free(r.err);
    return out;
}

static void
rename_ok(const char *from, const char *to)
{
    cr_assert_eq(rename(from, to), 0, "rename '%s' '%s'", from, to);
}

/* "NAME.tmp" of document I of M (malloc'd). */
static char *
tmp_of(const struct made *m, int i)
{
    char name[48];

    snprintf(name, sizeof(name), "%s.tmp", m->names[i]);
    return path2(m->ret, name);
}

/* SHA with its first hex digit changed: well formed, and another (malloc'd). */
static char *
other_sha(const char *sha)
{
    char *s = strdup(sha);

    s[0] = s[0] == '0' ? '1' : '0';
    return s;
}

/* ---- a return in parts ---- */

Test(follow, a_return_followed_while_written_gives_the_reports_and_stderr_of_an_ordinary_call,
     .timeout = 600)
{
    struct made m;
    struct follower fo;
    struct cmd_result a, b;
    char *a_dir, *aside, *ea, *eb;

    make_return(&m, "follow-parts", 1);
    a = ordinary(&m, "A", &a_dir);
    cr_assert_eq(a.status, 0, "the ordinary call: exit %d:\n%s", a.status, a.err);

    /* yj-transform still writing: every part a NAME.tmp, no MANIFEST yet */
    for (int i = 0; i < m.n; i++)
        rename_ok(path2(m.ret, m.names[i]), tmp_of(&m, i));
    aside = path2(m.dir, "MANIFEST.aside");
    rename_ok(path2(m.ret, "MANIFEST"), aside);
    follow_start(&fo, &m, "B");
    feed_parts_line(&fo, &m, NULL);
    rename_ok(tmp_of(&m, 0), path2(m.ret, m.names[0])); /* part 1 renamed before its line */
    feed_part(&fo, &m, 0, NULL);
    feed_part(&fo, &m, 1, NULL);
    feed_part(&fo, &m, 2, NULL);
    /* parts 2 and 3 are validated while they are still NAME.tmp */
    wait_file(&fo, path2(fo.folder, "report-0002.txt"));
    wait_file(&fo, path2(fo.folder, "report-0003.txt"));
    cr_assert_not(file_exists(path2(m.ret, m.names[1])));
    cr_assert_not(file_exists(path2(m.ret, m.names[2])));
    rename_ok(tmp_of(&m, 1), path2(m.ret, m.names[1]));
    rename_ok(tmp_of(&m, 2), path2(m.ret, m.names[2]));
    rename_ok(aside, path2(m.ret, "MANIFEST"));
    feed(&fo, "done\n");
    b = follow_end(&fo);

    cr_assert_eq(b.status, 0, "the follower: exit %d:\n%s", b.status, b.err);
    cr_assert_str_eq(b.out, "");
    ea = masked(a.err, a_dir);
    eb = masked(b.err, fo.folder);
    cr_assert_str_eq(eb, ea);
    cr_assert_str_eq(listing(fo.folder), "report-0001.txt\nreport-0002.txt\nreport-0003.txt\n");
    for (int i = 1; i <= NPARTS; i++) {
        char name[32];
        snprintf(name, sizeof(name), "report-%04d.txt", i);
        cr_assert(files_equal(path2(a_dir, name), path2(fo.folder, name)), "%s differs", name);
    }
    free(ea);
    free(eb);
    cmd_result_free(&a);
    cmd_result_free(&b);
}

Test(follow, a_feed_that_ends_before_done_is_75_and_keeps_no_report, .timeout = 600)
{
    struct made m;
    struct follower fo;
    struct cmd_result a, b;
    char *a_dir, *got, *parts, want[8192], error[512];
    const char *begin =
        "yj-validate: begin: 3 parts, 2 at once, reports after REPORTS/report.txt\n";

    make_return(&m, "follow-ended", 1);
    a = ordinary(&m, "A", &a_dir);
    cr_assert_eq(a.status, 0, "the ordinary call: exit %d:\n%s", a.status, a.err);
    follow_start(&fo, &m, "B");
    snprintf(error, sizeof(error),
             "yj-validate: error: the parts feed (%s) ended before the return was whole: "
             "yj-transform failed or was stopped; no report is kept\n",
             fo.what);

    /* parts 1 and 2 validated and shown, their reports written; then the feed ends */
    feed_parts_line(&fo, &m, NULL);
    feed_part(&fo, &m, 0, NULL);
    feed_part(&fo, &m, 1, NULL);
    wait_parts_shown(&fo, 2);
    cr_assert(file_exists(path2(fo.folder, "report-0001.txt")));
    cr_assert(file_exists(path2(fo.folder, "report-0002.txt")));
    b = follow_end(&fo);
    cr_assert_eq(b.status, 75, "exit %d:\n%s", b.status, b.err);
    cr_assert_str_eq(b.out, "");
    parts = first_parts(masked(a.err, a_dir), 2);
    snprintf(want, sizeof(want),
             "%s%syj-validate: end: status 75, 2 parts checked, 0 failed in - s\n%s", begin, parts,
             error);
    got = masked(b.err, fo.folder);
    cr_assert_str_eq(got, want);
    cr_assert_str_eq(listing(fo.folder), "", "a report was kept");
    free(got);
    free(parts);
    cmd_result_free(&b);

    /* ended at once, while the workers of parts 1 and 2 have just started */
    follow_start(&fo, &m, "C");
    snprintf(error, sizeof(error),
             "yj-validate: error: the parts feed (%s) ended before the return was whole: "
             "yj-transform failed or was stopped; no report is kept\n",
             fo.what);
    {
        char text[512];
        snprintf(text, sizeof(text), "parts 3 %s\npart %s %lu %s\npart %s %lu %s\n", m.period,
                 m.names[0], m.rows[0], m.sha[0], m.names[1], m.rows[1], m.sha[1]);
        feed(&fo, text);
    }
    b = follow_end(&fo);
    cr_assert_eq(b.status, 75, "exit %d:\n%s", b.status, b.err);
    got = masked(b.err, fo.folder);
    cr_assert(strlen(got) > strlen(error) && !strcmp(got + strlen(got) - strlen(error), error),
              "stderr does not end in %s:\n%s", error, got);
    cr_assert(!strncmp(got, begin, strlen(begin)), "stderr does not begin with %s:\n%s", begin,
              got);
    cr_assert_str_eq(listing(fo.folder), "", "a report was kept");
    free(got);
    cmd_result_free(&a);
    cmd_result_free(&b);
}

Test(follow, a_feed_whose_part_2_sha256_is_not_the_manifests_is_65_and_keeps_no_report,
     .timeout = 600)
{
    struct made m;
    struct follower fo;
    struct cmd_result b;
    char *wrong, *got, *mpath, *part2, want[2048];

    make_return(&m, "follow-sha", 1);
    wrong = other_sha(m.sha[1]);
    follow_start(&fo, &m, "B");
    feed_parts_line(&fo, &m, NULL);
    feed_part(&fo, &m, 0, NULL);
    feed_part(&fo, &m, 1, wrong);
    feed_part(&fo, &m, 2, NULL);
    feed(&fo, "done\n");
    b = follow_end(&fo);
    cr_assert_eq(b.status, 65, "exit %d:\n%s", b.status, b.err);
    cr_assert_str_eq(b.out, "");
    mpath = path2(m.ret, "MANIFEST");
    part2 = path2(m.ret, m.names[1]);
    snprintf(want, sizeof(want),
             "yj-validate: end: status 65, 3 parts checked, 1 failed (first: '%s') in - s\n"
             "yj-validate: error: return manifest '%s' and the parts feed (%s) differ on part "
             "'%s': its SHA-256\n",
             part2, mpath, fo.what, part2);
    got = masked(b.err, fo.folder);
    cr_assert(strlen(got) > strlen(want) && !strcmp(got + strlen(got) - strlen(want), want),
              "stderr does not end in\n%s:\n%s", want, got);
    /* part 2's worker found it first, in its own lines */
    snprintf(want, sizeof(want),
             "\nyj-validate: error: part '%s' is not the one the parts feed announced: its "
             "SHA-256 differs\n",
             part2);
    cr_assert(strstr(got, want), "stderr lacks%s:\n%s", want, got);
    cr_assert_str_eq(listing(fo.folder), "", "a report was kept");
    free(got);
    free(wrong);
    free(mpath);
    free(part2);
    cmd_result_free(&b);
}

Test(follow, a_feed_that_says_the_period_had_not_ended_when_it_had_is_65_and_keeps_no_report,
     .timeout = 600)
{
    struct made m;
    struct follower fo;
    struct cmd_result b;
    char *got, *mpath, *part1, want[2048];

    make_return(&m, "follow-period", 1);
    cr_assert_str_eq(m.period, "complete", "the harness's period " PERIOD " has ended");
    follow_start(&fo, &m, "B");
    feed_parts_line(&fo, &m, "in-progress");
    for (int i = 0; i < m.n; i++)
        feed_part(&fo, &m, i, NULL);
    feed(&fo, "done\n");
    b = follow_end(&fo);
    cr_assert_eq(b.status, 65, "exit %d:\n%s", b.status, b.err);
    mpath = path2(m.ret, "MANIFEST");
    part1 = path2(m.ret, m.names[0]);
    snprintf(want, sizeof(want),
             "yj-validate: end: status 65, 3 parts checked, 0 failed in - s\n"
             "yj-validate: error: return manifest '%s' and the parts feed (%s) differ on part "
             "'%s': whether the period had ended\n",
             mpath, fo.what, part1);
    got = masked(b.err, fo.folder);
    cr_assert(strlen(got) > strlen(want) && !strcmp(got + strlen(got) - strlen(want), want),
              "stderr does not end in\n%s:\n%s", want, got);
    cr_assert_str_eq(listing(fo.folder), "", "a report was kept");
    free(got);
    free(mpath);
    free(part1);
    cmd_result_free(&b);
}

Test(follow, a_malformed_feed_line_is_70_naming_the_line_and_keeps_no_report, .timeout = 600)
{
    struct made m;
    struct follower fo;
    struct cmd_result a, b;
    char *a_dir, *got, *parts, want[8192], line[256];

    make_return(&m, "follow-malformed", 1);

    /* the first line: nothing validated yet */
    follow_start(&fo, &m, "B");
    feed(&fo, "parts 0 complete\n");
    b = follow_end(&fo);
    cr_assert_eq(b.status, 70, "exit %d:\n%s", b.status, b.err);
    cr_assert_str_eq(b.out, "");
    snprintf(want, sizeof(want),
             "yj-validate: error: parts feed (%s) line 1: the number of parts is not 1 to 9999\n",
             fo.what);
    got = masked(b.err, fo.folder);
    cr_assert_str_eq(got, want);
    cr_assert_str_eq(listing(fo.folder), "");
    free(got);
    cmd_result_free(&b);

    /* a part line naming a made-up child id once part 1 is validated: part 1's report goes,
     * and the message names the line, not what it holds */
    a = ordinary(&m, "A", &a_dir);
    cr_assert_eq(a.status, 0, "the ordinary call: exit %d:\n%s", a.status, a.err);
    follow_start(&fo, &m, "C");
    feed_parts_line(&fo, &m, NULL);
    feed_part(&fo, &m, 0, NULL);
    wait_parts_shown(&fo, 1);
    cr_assert(file_exists(path2(fo.folder, "report-0001.txt")));
    snprintf(line, sizeof(line), "part YP31415926 %lu %s\n", m.rows[1], m.sha[1]);
    feed(&fo, line);
    b = follow_end(&fo);
    cr_assert_eq(b.status, 70, "exit %d:\n%s", b.status, b.err);
    parts = first_parts(masked(a.err, a_dir), 1);
    snprintf(want, sizeof(want),
             "yj-validate: begin: 3 parts, 2 at once, reports after REPORTS/report.txt\n"
             "%syj-validate: end: status 70, 1 part checked, 0 failed in - s\n"
             "yj-validate: error: parts feed (%s) line 3: not the next document's name\n",
             parts, fo.what);
    got = masked(b.err, fo.folder);
    cr_assert_str_eq(got, want);
    cr_assert_null(strstr(b.err, "31415926"));
    cr_assert_str_eq(listing(fo.folder), "", "a report was kept");
    free(got);
    free(parts);
    cmd_result_free(&a);
    cmd_result_free(&b);
}

Test(follow, a_follower_sent_sigterm_ends_by_it_and_keeps_no_report, .timeout = 600)
{
    struct made m;
    struct follower fo;
    struct cmd_result a, b;
    char *a_dir, *got, *parts, want[8192];

    make_return(&m, "follow-term", 1);
    a = ordinary(&m, "A", &a_dir);
    cr_assert_eq(a.status, 0, "the ordinary call: exit %d:\n%s", a.status, a.err);
    follow_start(&fo, &m, "B");
    feed_parts_line(&fo, &m, NULL);
    feed_part(&fo, &m, 0, NULL);
    feed_part(&fo, &m, 1, NULL);
    wait_parts_shown(&fo, 2); /* then it waits for the feed, its reports 1 and 2 written */
    cr_assert_str_eq(listing(fo.folder), "report-0001.txt\nreport-0002.txt\n");
    cr_assert_eq(kill(fo.pid, SIGTERM), 0);
    b = follow_end(&fo);
    cr_assert_eq(b.status, 128 + SIGTERM, "exit %d:\n%s", b.status, b.err);
    parts = first_parts(masked(a.err, a_dir), 2);
    snprintf(want, sizeof(want),
             "yj-validate: begin: 3 parts, 2 at once, reports after REPORTS/report.txt\n"
             "%syj-validate: end: status 143, 2 parts checked, 0 failed in - s\n",
             parts);
    got = masked(b.err, fo.folder);
    cr_assert(!strncmp(got, want, strlen(want)), "stderr does not begin with\n%s:\n%s", want, got);
    cr_assert_str_eq(listing(fo.folder), "", "a report was kept");
    free(got);
    free(parts);
    cmd_result_free(&a);
    cmd_result_free(&b);
}

/* ---- a return of one document ---- */

Test(follow, a_return_of_one_document_is_validated_once_done_as_an_ordinary_call, .timeout = 600)
{
    struct made m;
    struct follower fo;
    struct cmd_result a, b;
    char *a_dir, *aside, *ea, *eb;

    make_return(&m, "follow-one", 0);
    cr_assert_str_eq(m.names[0], "cld.xml");
    a = ordinary(&m, "A", &a_dir);
    cr_assert_eq(a.status, 0, "the ordinary call: exit %d:\n%s", a.status, a.err);

    /* cld.xml announced but not in place: nothing is read before "done" */
    aside = path2(m.dir, "cld.xml.aside");
    rename_ok(m.xml, aside);
    follow_start(&fo, &m, "B");
    feed_parts_line(&fo, &m, NULL);
    feed_part(&fo, &m, 0, NULL);
    sleep_ms(300);
    cr_assert_eq(waitpid(fo.pid, NULL, WNOHANG), 0, "the follower did not wait for 'done'");
    cr_assert_str_eq(listing(fo.folder), "");
    rename_ok(aside, m.xml);
    feed(&fo, "done\n");
    b = follow_end(&fo);
    cr_assert_eq(b.status, 0, "the follower: exit %d:\n%s", b.status, b.err);
    cr_assert_str_eq(b.out, "");
    ea = masked(a.err, a_dir);
    eb = masked(b.err, fo.folder);
    cr_assert_str_eq(eb, ea);
    cr_assert_str_eq(listing(fo.folder), "report.txt\n");
    cr_assert(files_equal(path2(a_dir, "report.txt"), path2(fo.folder, "report.txt")));
    free(ea);
    free(eb);
    cmd_result_free(&a);
    cmd_result_free(&b);
}

/* A one-document feed that says of cld.xml what the MANIFEST does not (its SHA-256, its
 * children): 65 naming the MANIFEST and the document, and cld.xml is not validated. */
Test(follow, a_one_document_feed_that_is_not_the_manifest_is_65_and_keeps_no_report, .timeout = 600)
{
    struct made m;
    struct follower fo;
    struct cmd_result b;
    char *wrong, *got, want[1024];
    unsigned long rows;

    make_return(&m, "follow-one-lies", 0);
    wrong = other_sha(m.sha[0]);
    rows = m.rows[0];
    for (int k = 0; k < 2; k++) {
        follow_start(&fo, &m, k ? "C" : "B");
        feed_parts_line(&fo, &m, NULL);
        m.rows[0] = rows + (unsigned long)k;
        feed_part(&fo, &m, 0, k ? NULL : wrong);
        feed(&fo, "done\n");
        b = follow_end(&fo);
        cr_assert_eq(b.status, 65, "%s: exit %d:\n%s", k ? "children" : "SHA-256", b.status, b.err);
        snprintf(want, sizeof(want),
                 "yj-validate: error: return manifest '%s/MANIFEST' and the parts feed (%s) "
                 "differ on 'cld.xml'\n",
                 m.ret, fo.what);
        got = masked(b.err, fo.folder);
        cr_assert_str_eq(got, want);
        cr_assert_str_eq(listing(fo.folder), "", "a report was kept");
        free(got);
        cmd_result_free(&b);
    }
    free(wrong);
}

/* The period, too: a one-document feed that says the period had not ended when the MANIFEST
 * says it had is refused (65, no report), as for a return in parts (above). */
Test(follow, a_one_document_feed_that_says_the_period_had_not_ended_when_it_had_is_65,
     .timeout = 600)
{
    struct made m;
    struct follower fo;
    struct cmd_result b;

    make_return(&m, "follow-one-period", 0);
    cr_assert_str_eq(m.period, "complete", "the harness's period " PERIOD " has ended");
    follow_start(&fo, &m, "B");
    feed_parts_line(&fo, &m, "in-progress");
    feed_part(&fo, &m, 0, NULL);
    feed(&fo, "done\n");
    b = follow_end(&fo);
    cr_assert_eq(b.status, 65, "exit %d:\n%s", b.status, b.err);
    cr_assert_str_eq(listing(fo.folder), "", "a report was kept");
    cmd_result_free(&b);
}

/* The feed may come on a pipe too (only yj-transform's end must be a socket): a follower given
 * a pipe reads it, and here, the pipe closed before "done", ends 75 with nothing kept. */
Test(follow, a_follower_reads_its_feed_from_a_pipe_as_from_a_socket, .timeout = 120)
{
    char *dir = temp_dir("follow-pipe"), *report = path2(dir, "report.txt");
    char *ret = path2(dir, "cld.xml"), *yj = path2(YJ_BIN_DIR, "yj-validate"), script[8192];
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    struct cmd_result r;

    snprintf(script, sizeof(script),
             "printf 'parts 1 complete\\n' | '%s' --config '%s' --report '%s' --follow-fd 0 '%s'",
             yj, env_get("YJ_TEST_CONF"), report, ret);
    r = run_cmd(argv);
    cr_assert_eq(r.status, 75, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "yj-validate: error: the parts feed (--follow-fd 0) ended before the "
                            "return was whole: yj-transform failed or was stopped; no report is "
                            "kept\n"),
              "%s", r.err);
    cr_assert(!file_exists(report));
    cmd_result_free(&r);
    free(yj);
    free(ret);
    free(report);
    free(dir);
}
