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
#include "rundir.h"
#include "staged.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "banned.h"

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

/* One part: its report, its worker and what the worker wrote on stderr. */
struct part {
    char *report;
    pid_t pid;
    FILE *err; /* the worker's stderr, unlinked */
    int done, status, signal;
};

/* Starts the worker of part I: stderr to its own file, the part's options, ONE, exit. */
static int
part_start(struct part *p, struct validate_options *opt, int i, validate_one_fn one,
           struct cli_session *ss, struct yj_error *err)
{
    pid_t parent = getpid();

    p->err = tmpfile();
    if (!p->err)
        return yj_error_errno(err, YJ_EX_CANTCREAT, errno,
                              "could not create a temporary file for part '%s'", opt->files.v[i]);
    fflush(stderr);
    p->pid = fork();
    if (p->pid < 0)
        return yj_error_errno(err, YJ_EX_SOFTWARE, errno, "could not start a worker for part '%s'",
                              opt->files.v[i]);
    if (p->pid == 0) {
        int rc;
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent || dup2(fileno(p->err), STDERR_FILENO) < 0)
            _exit(YJ_EX_SOFTWARE);
        ss->t0 = log_now();
        opt->file = opt->files.v[i];
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

/* Waits for a worker of PARTS[0..N) and marks its part done: 0, or -1 when none is left. */
static int
part_wait(struct part *parts, int n)
{
    int st;
    pid_t pid;

    while ((pid = waitpid(-1, &st, 0)) < 0 && errno == EINTR)
        ;
    if (pid < 0)
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
 * worker verifies it as one call for its part does, and says so in its own lines. */
static void
parts_verify_persons(struct validate_options *opt)
{
    char *mpath = path_join(opt->staged, RUNDIR_MANIFEST);
    struct manifest m;
    struct staged_reader r;
    struct yj_error e2;

    manifest_init(&m);
    staged_reader_init(&r);
    yj_error_init(&e2);
    opt->staged_verified = manifest_read(&m, mpath, NULL, &e2) == YJ_OK &&
                           staged_reader_open(&r, opt->staged, "person.tsv", &m, &e2) == YJ_OK &&
                           staged_reader_finish(&r, &e2) == YJ_OK;
    staged_reader_release(&r);
    manifest_release(&m);
    free(mpath);
}

int
validate_parts_run(struct cli_session *ss, struct validate_options *opt, int jobs,
                   validate_one_fn one)
{
    int n = opt->files.n, next = 0, shown = 0, running = 0, failed = 0, first = -1;
    struct part *parts = xcalloc((size_t)n, sizeof(*parts));
    int rc = parts_name(parts, opt, &ss->err);

    if (rc != YJ_OK)
        goto done;
    if (jobs > n)
        jobs = n;
    if (opt->staged)
        parts_verify_persons(opt);
    log_info("begin: %d parts, %d at once, reports after %s", n, jobs, opt->report);
    while (shown < n) {
        while (rc == YJ_OK && running < jobs && next < n) {
            rc = part_start(&parts[next], opt, next, one, ss, &ss->err);
            if (rc == YJ_OK)
                running++, next++;
        }
        if (running == 0 || part_wait(parts, n) != 0)
            break;
        running--;
        while (shown < n && parts[shown].done) {
            part_replay(&parts[shown], opt->files.v[shown]);
            if (parts[shown].status != YJ_OK && first < 0)
                first = shown;
            failed += parts[shown].status != YJ_OK;
            shown++;
        }
    }
    if (rc == YJ_OK && first >= 0) {
        rc = parts[first].status;
        ss->ended = 1; /* the part's own lines said why */
    }
    log_info("end: status %d, %d part%s checked, %d failed%s%s%s in %.2f s", rc, shown,
             shown == 1 ? "" : "s", failed, first >= 0 ? " (first: '" : "",
             first >= 0 ? opt->files.v[first] : "", first >= 0 ? "')" : "", log_now() - ss->t0);
done:
    for (int i = 0; i < n; i++) {
        if (parts[i].err)
            fclose(parts[i].err);
        free(parts[i].report);
    }
    free(parts);
    return rc;
}
