/*
 * parts.c - yj-validate given the parts of a return: up to --jobs of them checked at once,
 * each in a process of its own that runs exactly what one call for that part runs.
 *
 * Processes, not threads: a part's run is then the single-document code path, byte for byte
 * (the same report, the same lines on stderr, the same status), with its own ypid table,
 * arena and libxml2 state; nothing process-wide (libxml2's entity loader, which validate_run
 * sets, our log state, xmalloc's exit when memory runs out) needs a lock or a copy per
 * thread; the peak memory of each process stays that of one part; and a part that runs out
 * of memory fails alone. What a worker costs beside its part is loading the configuration,
 * the bundle and the XSD again: about 20 ms.
 *
 * Invariant: what the caller sees does not depend on --jobs or on which part ends first. Each
 * worker's stderr goes to an unlinked temporary file and is copied to ours in part order, once
 * every part before it has been copied; the status is that of the first part that failed, in
 * order, as checking the parts one call each would give. Every part is checked whatever the
 * others found. A worker is sent SIGTERM if this process dies (PR_SET_PDEATHSIG).
 */
#define _GNU_SOURCE
#include "parts.h"

#include "atomic.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "partfeed.h"
#include "rundir.h"
#include "staged.h"
#include "validate.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "banned.h"

/* The stop signal a follower was sent (SIGTERM, SIGINT, SIGHUP), or 0. */
static volatile sig_atomic_t follow_signal;

static void
follow_on_signal(int sig)
{
    follow_signal = sig;
}

/* A follower stops its workers and keeps no report when it is sent a stop signal (then ends by
 * it: follow_signals(0)); ON 0 puts the default back, as a worker and a return of one document
 * need. No SA_RESTART: a wait is cut short, and the loop sees the signal. */
static void
follow_signals(int on)
{
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on ? follow_on_signal : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);
}

/* The status of a follower stopped by a signal. */
static int
follow_stopped(struct yj_error *err)
{
    return yj_error_set(err, 128 + follow_signal, "stopped by signal %d: no report is kept",
                        (int)follow_signal);
}

char *
validate_parts_report(const char *report, const char *file, struct yj_error *err)
{
    const char *base = strrchr(file, '/'), *rbase = strrchr(report, '/'), *digits, *dot;
    size_t nd = 0, stem;
    char *out;

    base = base ? base + 1 : file;
    rbase = rbase ? rbase + 1 : report;
    digits = manifest_part_digits(base, &nd);
    if (!digits) {
        yj_error_set(err, YJ_EX_USAGE,
                     "'%s' is not a part of a return (cld-part-NNNN.xml): only parts are "
                     "checked together, a return of one file on its own",
                     file);
        return NULL;
    }
    dot = strrchr(rbase, '.');
    stem = dot && dot != rbase ? (size_t)(dot - report) : strlen(report);
    out = xmalloc(strlen(report) + nd + 2);
    memcpy(out, report, stem);
    out[stem] = '-';
    memcpy(out + stem + 1, digits, nd);
    memcpy(out + stem + 1 + nd, report + stem, strlen(report + stem) + 1);
    return out;
}

/* One part: its file, its report, its worker and what the worker wrote on stderr. */
struct part {
    char *file;                      /* the part's path (a follower's own copy; else opt's) */
    const struct partfeed_part *fed; /* a followed part: what the feed said of it */
    char *report;
    pid_t pid;
    FILE *err; /* the worker's stderr, unlinked */
    int done, status, signal;
};

/* Starts the worker of part P: stderr to its own file, the part's options, ONE, exit. */
static int
part_start(struct part *p, struct validate_options *opt, validate_one_fn one,
           struct cli_session *ss, struct yj_error *err)
{
    pid_t parent = getpid();

    p->err = tmpfile();
    if (!p->err)
        return yj_error_errno(err, YJ_EX_CANTCREAT, errno,
                              "could not create a temporary file for part '%s'", p->file);
    fflush(stderr);
    p->pid = fork();
    if (p->pid < 0)
        return yj_error_errno(err, YJ_EX_SOFTWARE, errno, "could not start a worker for part '%s'",
                              p->file);
    if (p->pid == 0) {
        int rc;
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent || dup2(fileno(p->err), STDERR_FILENO) < 0)
            _exit(YJ_EX_SOFTWARE);
        ss->t0 = log_now();
        if (p->fed) { /* a follower's worker yields the cores to the writer it follows */
            follow_signals(0);
            (void)!nice(PARTS_FOLLOW_NICE);
        }
        opt->file = p->file;
        opt->fed = p->fed;
        opt->report = p->report;
        rc = cli_outcome(ss, one(ss, opt));
        fflush(stderr);
        _exit(cli_exit_status(rc));
    }
    return YJ_OK;
}

/* Copies part P's stderr to ours, closes it, and says so if its worker was killed. */
static void
part_replay(struct part *p, const char *file)
{
    char buf[1 << 14];
    size_t n;

    rewind(p->err);
    while ((n = fread(buf, 1, sizeof(buf), p->err)) > 0)
        fwrite(buf, 1, n, stderr);
    fflush(stderr);
    fclose(p->err);
    p->err = NULL;
    if (p->signal)
        log_error("part '%s': its worker was killed by signal %d", file, p->signal);
}

/* Waits for a worker of PARTS[0..N) and marks its part done: 0, or -1 when none is left (or,
 * with WNOHANG in FLAGS, none has ended). */
static int
part_wait(struct part *parts, int n, int flags)
{
    int st;
    pid_t pid;

    while ((pid = waitpid(-1, &st, flags)) < 0 && errno == EINTR && !follow_signal)
        ;
    if (pid <= 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (parts[i].pid == pid && !parts[i].done) {
            parts[i].done = 1;
            parts[i].signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
            parts[i].status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + parts[i].signal;
        }
    return 0;
}

/* Each part's report path, after --report; two parts of the same number are refused. */
static int
parts_name(struct part *parts, const struct validate_options *opt, struct yj_error *err)
{
    for (int i = 0; i < opt->files.n; i++) {
        parts[i].file = opt->files.v[i];
        if (!(parts[i].report = validate_parts_report(opt->report, opt->files.v[i], err)))
            return YJ_EX_USAGE;
        for (int k = 0; k < i; k++)
            if (strcmp(parts[k].report, parts[i].report) == 0)
                return yj_error_set(err, YJ_EX_USAGE,
                                    "'%s' and '%s' are parts of the same number: their reports "
                                    "would both be '%s'",
                                    opt->files.v[k], opt->files.v[i], parts[i].report);
    }
    return YJ_OK;
}

/* The staged person file verified whole once, for every part (opt->staged_verified): its
 * workers then neither hash it nor read it past their part. When it does not verify, each
 * worker verifies it as one call for its part does, and says so in its own lines. SHA (may be
 * NULL) gets the staged MANIFEST's SHA-256 and *ROWS (may be NULL) the person file's rows, when
 * they can be read (else they are left as they were). */
static void
parts_verify_persons(struct validate_options *opt, char *sha, unsigned long long *rows)
{
    char *mpath = path_join(opt->staged, RUNDIR_MANIFEST);
    struct manifest m;
    struct staged_reader r;
    struct yj_error e2;

    manifest_init(&m);
    staged_reader_init(&r);
    yj_error_init(&e2);
    opt->staged_verified = manifest_read(&m, mpath, sha, &e2) == YJ_OK &&
                           staged_reader_open(&r, opt->staged, "person.tsv", &m, &e2) == YJ_OK &&
                           staged_reader_finish(&r, &e2) == YJ_OK;
    if (rows && r.expect)
        *rows = r.expect->rows;
    staged_reader_release(&r);
    manifest_release(&m);
    free(mpath);
}

/* How far the parts' lines have been shown: parts[0..shown) in order, how many of them failed
 * and the first that did (-1: none). */
struct parts_shown {
    int shown, failed, first;
};

/* Copies the lines of every part that has ended, in part order, up to the first still running. */
static void
parts_show(struct part *parts, int n, struct parts_shown *sh)
{
    while (sh->shown < n && parts[sh->shown].done) {
        struct part *p = &parts[sh->shown];
        part_replay(p, p->file);
        if (p->status != YJ_OK && sh->first < 0)
            sh->first = sh->shown;
        sh->failed += p->status != YJ_OK;
        sh->shown++;
    }
}

/* The status of the parts (RC, else the first that failed, whose own lines said why) and the
 * end line. */
static int
parts_end(struct cli_session *ss, const struct part *parts, const struct parts_shown *sh, int rc)
{
    if (rc == YJ_OK && sh->first >= 0) {
        rc = parts[sh->first].status;
        ss->ended = 1; /* the part's own lines said why */
    }
    log_info("end: status %d, %d part%s checked, %d failed%s%s%s in %.2f s", rc, sh->shown,
             sh->shown == 1 ? "" : "s", sh->failed, sh->first >= 0 ? " (first: '" : "",
             sh->first >= 0 ? parts[sh->first].file : "", sh->first >= 0 ? "')" : "",
             log_now() - ss->t0);
    return rc;
}

int
validate_parts_run(struct cli_session *ss, struct validate_options *opt, int jobs,
                   validate_one_fn one)
{
    int n = opt->files.n, next = 0, running = 0;
    struct parts_shown sh = {0, 0, -1};
    struct part *parts = xcalloc((size_t)n, sizeof(*parts));
    int rc = parts_name(parts, opt, &ss->err);

    if (rc != YJ_OK)
        goto done;
    if (jobs > n)
        jobs = n;
    if (opt->staged)
        parts_verify_persons(opt, NULL, NULL);
    log_info("begin: %d parts, %d at once, reports after %s", n, jobs, opt->report);
    while (sh.shown < n) {
        while (rc == YJ_OK && running < jobs && next < n) {
            rc = part_start(&parts[next], opt, one, ss, &ss->err);
            if (rc == YJ_OK)
                running++, next++;
        }
        if (running == 0 || part_wait(parts, n, 0) != 0)
            break;
        running--;
        parts_show(parts, n, &sh);
    }
    rc = parts_end(ss, parts, &sh, rc);
done:
    for (int i = 0; i < n; i++) {
        if (parts[i].err)
            fclose(parts[i].err);
        free(parts[i].report);
    }
    free(parts);
    return rc;
}

/* A follower of the parts feed: the feed, the return's folder, its parts as announced. */
struct follow {
    struct partfeed f;
    char what[32]; /* "--follow-fd N" */
    char *dir;
    char *manifest;     /* the return MANIFEST in DIR */
    struct part *parts; /* f.nparts */
    int named;          /* parts[0..named) have their file and report */
    int running;
    char staged_sha[SHA256_HEX_LEN + 1]; /* the staged MANIFEST's; "" when it cannot be read */
    unsigned long long persons;          /* the staged person file's rows; PERSONS_UNKNOWN */
};

/* The person file's rows when they cannot be read: then each worker fails on its own, as one
 * call for its part does, and the follower checks nothing against them. */
#define PERSONS_UNKNOWN ULLONG_MAX

/* Reads the feed once it has something to read, waiting up to MS milliseconds (-1: until it
 * has, or ends). */
static int
follow_read(struct follow *fo, int ms, struct yj_error *err)
{
    struct pollfd p = {fo->f.fd, POLLIN, 0};
    int n;

    while ((n = poll(&p, 1, ms)) < 0 && errno == EINTR && !follow_signal)
        ;
    if (n < 0 && errno == EINTR)
        return YJ_OK; /* a stop signal: the caller sees it */
    if (n < 0)
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not wait for the parts feed (%s)",
                              fo->what);
    return n > 0 ? partfeed_read(&fo->f, err) : YJ_OK;
}

/* The feed ended before "done": the return never came. */
static int
follow_ended(struct follow *fo, struct yj_error *err)
{
    yj_error_set(err, YJ_EX_TEMPFAIL,
                 "the parts feed (%s) ended before the return was whole: yj-transform failed or "
                 "was stopped; no report is kept",
                 fo->what);
    return YJ_EX_TEMPFAIL;
}

/* Stops every worker still running, then removes every report the follower began: what was
 * validated is of a return that is not (or not the one) yj-transform wrote. */
static void
follow_discard(struct follow *fo)
{
    for (int i = 0; i < fo->named; i++)
        if (fo->parts[i].pid > 0 && !fo->parts[i].done)
            kill(fo->parts[i].pid, SIGKILL); /* its report is removed below */
    while (fo->running > 0 && part_wait(fo->parts, fo->named, 0) == 0)
        fo->running--;
    for (int i = 0; i < fo->named; i++) {
        char *tmp = atomic_tmp_path(fo->parts[i].report);
        unlink(fo->parts[i].report);
        unlink(tmp);
        free(tmp);
    }
}

/* Once the feed said "done": the return MANIFEST (read once) says of every document what the
 * feed said (a part: its SHA-256, children, the children before it and of every part, the
 * period; one document: its children, SHA-256 and the period), and is of the staged folder
 * (when its MANIFEST could be read: else each worker said why it could not). */
static int
follow_check(struct follow *fo, const struct validate_options *opt, struct yj_error *err)
{
    const struct partfeed_part *last = &fo->f.parts[fo->f.nparts - 1];
    unsigned long long all = last->before + last->children;
    const struct manifest_file *mf;
    struct manifest m;
    int rc;

    manifest_init(&m);
    if (fo->f.nparts > 1 && opt->staged && fo->persons != PERSONS_UNKNOWN && all != fo->persons)
        rc = yj_error_set(err, YJ_EX_DATAERR,
                          "the parts feed (%s): its parts hold %llu children, the staged "
                          "person.tsv %llu rows",
                          fo->what, all, fo->persons);
    else
        rc = manifest_read(&m, fo->manifest, NULL, err);
    if (rc == YJ_OK && fo->f.nparts == 1 &&
        (!(mf = manifest_find_file(&m, last->name)) || mf->rows != last->children ||
         strcmp(mf->sha256, last->sha256) != 0 ||
         validate_period_complete(&m) != fo->f.period_complete))
        rc = yj_error_set(err, YJ_EX_DATAERR,
                          "return manifest '%s' and the parts feed (%s) differ on '%s'",
                          fo->manifest, fo->what, last->name);
    for (int i = 0; rc == YJ_OK && i < fo->named; i++) {
        const struct partfeed_part *fed = fo->parts[i].fed;
        struct validate_part_facts pf;
        const char *what = NULL;

        rc = validate_part_facts_of(&m, fo->parts[i].file, opt->staged,
                                    opt->staged && fo->staged_sha[0] ? fo->staged_sha : NULL, &pf,
                                    err);
        if (rc == YJ_OK)
            what = strcmp(pf.sha256, fed->sha256) != 0 ? "its SHA-256"
                   : pf.rows != fed->children          ? "its children"
                   : pf.before != fed->before          ? "the children of the parts before it"
                   : pf.all != all                     ? "the children of every part"
                   : pf.period_complete != fo->f.period_complete ? "whether the period had ended"
                                                                 : NULL;
        if (what)
            rc = yj_error_set(err, YJ_EX_DATAERR,
                              "return manifest '%s' and the parts feed (%s) differ on part '%s': "
                              "%s",
                              fo->manifest, fo->what, fo->parts[i].file, what);
        validate_part_facts_release(&pf);
    }
    manifest_release(&m);
    return rc;
}

/* Every part the feed announced since the last call gets its path and report. */
static void
follow_name(struct follow *fo, const struct validate_options *opt, struct yj_error *err)
{
    for (; fo->named < (int)fo->f.got; fo->named++) {
        struct part *p = &fo->parts[fo->named];
        p->fed = &fo->f.parts[fo->named];
        p->file = path_join(fo->dir, p->fed->name);
        p->report =
            validate_parts_report(opt->report, p->file, err); /* a part's name: never NULL */
    }
}

/* The parts, each validated once the feed says it is whole: up to JOBS at once, their lines
 * shown in part order, and every part's status as validate_parts_run gives it. */
static int
follow_parts(struct cli_session *ss, struct follow *fo, struct validate_options *opt, int jobs,
             validate_one_fn one)
{
    int n = (int)fo->f.nparts, next = 0, rc = YJ_OK;
    struct parts_shown sh = {0, 0, -1};

    fo->parts = xcalloc((size_t)n, sizeof(*fo->parts));
    if (jobs > n)
        jobs = n;
    if (opt->staged)
        parts_verify_persons(opt, fo->staged_sha, &fo->persons);
    opt->fed_period_complete = fo->f.period_complete; /* every worker's */
    log_info("begin: %d parts, %d at once, reports after %s", n, jobs, opt->report);
    while (rc == YJ_OK && sh.shown < n && !follow_signal) {
        follow_name(fo, opt, &ss->err);
        while (rc == YJ_OK && fo->running < jobs && next < fo->named)
            if ((rc = part_start(&fo->parts[next], opt, one, ss, &ss->err)) == YJ_OK)
                fo->running++, next++;
        if (rc != YJ_OK)
            break;
        if (!fo->f.done && !fo->f.ended) {
            rc = follow_read(fo, fo->running ? 50 : -1, &ss->err);
            while (fo->running > 0 && part_wait(fo->parts, n, WNOHANG) == 0)
                fo->running--;
        } else if (!fo->f.done) { /* the feed ended first: stop now */
            rc = follow_ended(fo, &ss->err);
        } else if (part_wait(fo->parts, n, 0) == 0) {
            fo->running--;
        } else
            break;
        parts_show(fo->parts, n, &sh);
    }
    while (rc == YJ_OK && !fo->f.done && !fo->f.ended && !follow_signal)
        rc = follow_read(fo, -1, &ss->err);
    if (rc == YJ_OK && follow_signal)
        rc = follow_stopped(&ss->err);
    if (rc == YJ_OK && !fo->f.done)
        rc = follow_ended(fo, &ss->err);
    if (rc == YJ_OK)
        rc = follow_check(fo, opt, &ss->err);
    if (rc != YJ_OK) /* the parts' lines not shown yet go with their reports */
        follow_discard(fo);
    return parts_end(ss, fo->parts, &sh, rc);
}

int
validate_follow_run(struct cli_session *ss, struct validate_options *opt, int jobs,
                    validate_one_fn one)
{
    struct follow fo;
    const char *file = opt->files.v[0], *slash = strrchr(file, '/');
    int fd, rc;

    memset(&fo, 0, sizeof(fo));
    if (opt->files.n != 1)
        return yj_error_set(&ss->err, YJ_EX_USAGE,
                            "--follow-fd takes one return file, whose folder the parts are "
                            "written to; %d were given",
                            opt->files.n);
    if ((rc = cli_descriptor("follow-fd", opt->follow_fd, 0, &fd, &ss->err)) != YJ_OK)
        return rc;
    snprintf(fo.what, sizeof(fo.what), "--follow-fd %d", fd);
    partfeed_init(&fo.f, fd, fo.what);
    fo.dir = slash ? strndup(file, (size_t)(slash - file)) : xstrdup(".");
    fo.manifest = path_join(fo.dir, RUNDIR_MANIFEST);
    fo.persons = PERSONS_UNKNOWN;
    follow_signals(1);
    while (rc == YJ_OK && !fo.f.nparts && !fo.f.ended && !follow_signal)
        rc = follow_read(&fo, -1, &ss->err);
    if (rc == YJ_OK && fo.f.nparts > 1 && !follow_signal)
        rc = follow_parts(ss, &fo, opt, jobs, one);
    else if (rc == YJ_OK) { /* one document: validated whole once it is in place */
        while (rc == YJ_OK && !fo.f.done && !fo.f.ended && !follow_signal)
            rc = follow_read(&fo, -1, &ss->err);
        follow_signals(0); /* a signal now ends it as it ends any call */
        opt->file = file;
        if (rc == YJ_OK)
            rc = follow_signal ? follow_stopped(&ss->err)
                 : !fo.f.done  ? follow_ended(&fo, &ss->err)
                               : follow_check(&fo, opt, &ss->err);
        if (rc == YJ_OK)
            rc = one(ss, opt);
    }
    follow_signals(0);
    for (int i = 0; i < fo.named; i++) {
        if (fo.parts[i].err)
            fclose(fo.parts[i].err);
        free(fo.parts[i].file);
        free(fo.parts[i].report);
    }
    free(fo.parts);
    free(fo.dir);
    free(fo.manifest);
    partfeed_release(&fo.f);
    if (follow_signal) { /* nothing kept: end by the signal, as a stage stopped does */
        fflush(stderr);
        raise(follow_signal);
    }
    return rc;
}
