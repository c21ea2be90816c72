/*
 * run.c - the runner: one run of a period, and the backfill of many.
 *
 * One run of a service and period at a time: an exclusive, non-blocking flock on
 * RUNS_ROOT/<yot>/<period>.lock (etl/core/runlock.h). The lock covers the whole run, its
 * stages included: every stage inherits the open lock file (etl/core/spawner.c starts them,
 * passes a stop signal on and makes each stage die with yj-run), so the lock is free only when
 * yj-run and every stage it started have ended; the kernel drops it even on a crash, so there
 * are no stale locks to clean.
 *
 * Under the lock, the period's housekeeping first (etl/run/housekeep.c), then a new directory
 * RUNS_ROOT/<yot>/<period>/<UTC time>[-n], printed as the only line on stdout. The stages run
 * in the order of stage_table (etl/core/stages.c), whose rows say which run, when, and what a
 * failure means; none is found by position. One at a time, except a stage marked
 * STAGE_FOLLOWS_PREVIOUS (the validation), which starts with the one before it (the transform)
 * and follows its parts feed (run_followed), and a stage marked STAGE_BESIDE_PREVIOUS (the
 * KPIs), which runs beside the one before it (the validation) and is told its verdict
 * (run_beside, beside_started). RUN (etl/core/runrec.h) records the options, the as-of
 * moment, every stage's status, wall and CPU time, the whole run's, and the result; it is
 * written when each stage starts ("result running") and at the end. A run that succeeded removes
 * its staged *.tsv files (they hold every child's date of birth and PNC number) unless [run]
 * keep_staged = yes; the staged MANIFEST stays.
 *
 * A return split into parts (the transform MANIFEST lists cld-part-NNNN.xml instead of
 * cld.xml) is validated part by part, each into validate/report-NNNN.txt; a run of such a
 * return counts as submitted only when every part has its submit/receipt-NNNN.
 */
#define _GNU_SOURCE /* memfd_create */
#include "run.h"

#include "atomic.h"
#include "check.h"
#include "cli.h"
#include "housekeep.h"
#include "latest.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "rundir.h"
#include "runlock.h"
#include "runrec.h"
#include "spawner.h"
#include "stages.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "banned.h"

static int
name_desc(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*b)->d_name, (*a)->d_name);
}

void
run_free_list(char **list)
{
    for (size_t i = 0; list && list[i]; i++)
        free(list[i]);
    free(list);
}

char **
run_return_documents(const char *return_dir)
{
    char *mpath = path_join(return_dir, RUNDIR_MANIFEST);
    char **docs = NULL;
    size_t n = 0;
    struct manifest m;
    struct yj_error e2;

    manifest_init(&m);
    if (manifest_read(&m, mpath, NULL, &e2) == YJ_OK) {
        docs = xcalloc(m.nfiles + 1, sizeof(char *));
        for (size_t i = 0; i < m.nfiles; i++) {
            if (manifest_is_document(m.files[i].name))
                docs[n++] = xstrdup(m.files[i].name);
        }
    }
    manifest_release(&m);
    free(mpath);
    if (docs && n == 0) {
        free(docs);
        docs = NULL;
    }
    return docs;
}

/* The documents of a run's return that was submitted whole: every one with its receipt
 * (cld.xml and submit/receipt, or each part and its submit/receipt-NNNN). NULL if not. */
static char **
submitted_documents(const char *run_dir)
{
    char *ret = rundir_path(run_dir, RD_RETURN_DIR), *submit = rundir_path(run_dir, RD_SUBMIT_DIR);
    char **docs = run_return_documents(ret);
    int all = 1;

    if (!docs) { /* no manifest to say: the plain return */
        docs = xcalloc(2, sizeof(char *));
        docs[0] = xstrdup(RUNDIR_RETURN_XML);
    }
    for (size_t i = 0; docs[i]; i++) {
        char *xml = path_join(ret, docs[i]);
        char *receipt = rundir_part_file(submit, RD_SUBMIT_RECEIPT, docs[i]);
        all &= access(receipt, R_OK) == 0 && access(xml, R_OK) == 0;
        free(docs[i]);
        docs[i] = xml;
        free(receipt);
    }
    if (!all) {
        run_free_list(docs);
        docs = NULL;
    }
    free(ret);
    free(submit);
    return docs;
}

char **
run_previous_submission(const char *runs_root, const char *yot, const char *period)
{
    char *service_dir = path_join(runs_root, yot);
    char **found = NULL;
    struct dirent **periods = NULL;
    int np = scandir(service_dir, &periods, rundir_period_filter, name_desc);

    for (int i = 0; i < np; i++) {
        char *pdir = path_join(service_dir, periods[i]->d_name);
        struct dirent **runs = NULL;
        int nr = strcmp(periods[i]->d_name, period) < 0 && !found
                     ? scandir(pdir, &runs, rundir_run_filter, name_desc)
                     : 0;

        for (int k = 0; k < nr; k++) {
            char *rdir = path_join(pdir, runs[k]->d_name);
            if (!found)
                found = submitted_documents(rdir);
            free(rdir);
            free(runs[k]);
        }
        free(runs);
        free(pdir);
        free(periods[i]);
    }
    free(periods);
    free(service_dir);
    return found;
}

char *
run_lock_path(const char *runs_root, const char *yot, const char *period)
{
    return runlock_path(runs_root, yot, period);
}

/* One run of a period, as run_period() goes: what its stages are given and what RUN says. */
struct run_ctx {
    const struct yj_config *cfg;
    const struct run_options *opt;
    char *run_dir, *run_file, *staged, *ret, *xml, *report, *report_dir, *kpi_dir, *ledger;
    char **previous;                     /* the last submitted return's files, or NULL */
    char staged_sha[SHA256_HEX_LEN + 1]; /* of staged/MANIFEST, once extracted */
    char **argv[STAGE_COUNT];            /* each stage's argv */
    struct runrec rec;                   /* RUN */
    enum runrec_result result;           /* what RUN will say at the end */
    int invalid;                         /* a stage found the return invalid */
    int verdict[2];      /* the socket pair a STAGE_BESIDE_PREVIOUS stage reads its verdict on
                          * ([0], passed to it) and yj-run writes it on ([1]); -1: closed */
    char verdict_fd[16]; /* [0] as its --verdict-fd */
    int feed[2];         /* the socket pair of the parts feed: [1] yj-transform's --parts-fd, [0]
                          * the --follow-fd of the stage that follows it; -1: closed */
    char parts_fd[16], follow_fd[16];
    double t0;   /* when the run began (log_now) */
    double cpu0; /* yj-run's and its children's CPU seconds then (a backfill's earlier
                  * runs) */
};

static void
run_ctx_release(struct run_ctx *c)
{
    runrec_release(&c->rec);
    free(c->run_dir);
    free(c->run_file);
    free(c->staged);
    free(c->ret);
    free(c->xml);
    free(c->report);
    free(c->report_dir);
    free(c->kpi_dir);
    free(c->ledger);
    for (int i = 0; i < STAGE_COUNT; i++) {
        free(c->argv[i]);
    }
    run_free_list(c->previous);
    for (int i = 0; i < 2; i++) {
        if (c->verdict[i] >= 0)
            close(c->verdict[i]);
        if (c->feed[i] >= 0)
            close(c->feed[i]);
    }
}

/* The configuration a run needs: [run] runs_root, and a [service] yot_ou_code fit for a
 * folder name. */
static int
check_service(const struct yj_config *cfg, struct yj_error *err)
{
    int rc;

    if ((rc = config_require(cfg->runs_root, "run", "runs_root", cfg->path, err)) ||
        (rc = config_require(cfg->yot_ou_code, "service", "yot_ou_code", cfg->path, err)))
        return rc;
    if (strspn(cfg->yot_ou_code,
               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") !=
        strlen(cfg->yot_ou_code))
        return yj_error_set(err, YJ_EX_CONFIG,
                            "config file '%s': [service] yot_ou_code may hold "
                            "only letters, digits, '_' and '-'",
                            cfg->path);
    return YJ_OK;
}

/* Under the period's lock (taken into *LOCK_FD): housekeeping, then the new run directory,
 * printed on OUT. */
static int
open_run(struct run_ctx *c, int *lock_fd, int *lock_inherited, FILE *out, struct yj_error *err)
{
    const struct yj_config *cfg = c->cfg;
    const char *period = c->opt->period.label;
    char *service_dir = path_join(cfg->runs_root, cfg->yot_ou_code);
    char *period_dir = path_join(service_dir, period), *lock = NULL;
    int rc;

    if ((rc = mkdir_p(period_dir, RUNDIR_DIR_MODE, err)) != YJ_OK)
        goto out;
    lock = run_lock_path(cfg->runs_root, cfg->yot_ou_code, period);
    if ((rc = runlock_take(lock, lock_fd, lock_inherited, err)) != YJ_OK)
        goto out;
    spawner_set_lock_fd(*lock_fd);
    housekeep_period(cfg->runs_root, cfg->yot_ou_code, period, cfg->keep_days);
    if (spawner_interrupted()) {
        rc = yj_error_set(err, 128 + spawner_interrupted(), "stopped by %s before the run began",
                          spawner_signal_name(spawner_interrupted()));
        c->result = RUNREC_INTERRUPTED;
        goto out;
    }
    if ((rc = rundir_make_stamped(period_dir, "", &c->run_dir, err)) != YJ_OK)
        goto out;
    fprintf(out, "%s\n", c->run_dir);
    fflush(out);
out:
    free(lock);
    free(period_dir);
    free(service_dir);
    return rc;
}

/* RUN's first lines: the options, and the previous submitted return the deletions are
 * counted against (every part of it, comma separated). */
static void
record_begin(struct run_ctx *c)
{
    const struct run_options *opt = c->opt;
    char *list = NULL;

    runrec_begin(&c->rec, 0);
    runrec_set_period(&c->rec, opt->period.label);
    /* the moment itself once yj-extract has read it (from staged/MANIFEST) */
    runrec_set_as_of(&c->rec, NULL);
    runrec_set_as_of_given(&c->rec, opt->as_of != NULL);
    runrec_set_submit(&c->rec, opt->submit);
    runrec_set_sign_off(&c->rec, opt->sign_off);
    c->previous =
        run_previous_submission(c->cfg->runs_root, c->cfg->yot_ou_code, opt->period.label);
    for (size_t i = 0, len = 0; c->previous && c->previous[i]; i++) {
        size_t more = strlen(c->previous[i]) + 2;
        list = xrealloc(list, len + more);
        len += (size_t)snprintf(list + len, more, "%s%s", i ? "," : "", c->previous[i]);
    }
    runrec_set_previous(&c->rec, list);
    if (list)
        log_info("deletions since the last submitted return: %s", list);
    free(list);
}

/* Each stage's argv (stage_argv), the socket pair a stage beside the one before it reads its
 * verdict on (which says whether its outputs are provisional), and the one of the parts feed. */
static int
make_argvs(struct run_ctx *c, struct yj_error *err)
{
    const struct run_options *opt = c->opt;
    struct stage_inputs in = {0};

    c->staged = rundir_path(c->run_dir, RD_STAGED_DIR);
    c->ret = rundir_path(c->run_dir, RD_RETURN_DIR);
    c->xml = rundir_path(c->run_dir, RD_RETURN_XML);
    c->report_dir = rundir_path(c->run_dir, RD_VALIDATE_DIR);
    c->kpi_dir = rundir_path(c->run_dir, RD_KPI_DIR);
    c->report = rundir_path(c->run_dir, RD_VALIDATE_REPORT);
    c->run_file = rundir_path(c->run_dir, RD_RUN_FILE);
    /* yj-submit records every attempt in the runs root's ledger */
    c->ledger = rundir_path(c->cfg->runs_root, RD_LEDGER);
    snprintf(c->staged_sha, sizeof(c->staged_sha), "-");
    in.config = opt->config_path;
    in.period = opt->period.label;
    in.as_of = opt->as_of;
    in.sign_off = opt->sign_off;
    in.previous = c->previous;
    in.staged = c->staged;
    in.in_sha256 = c->staged_sha; /* filled in when yj-extract has ended */
    in.return_dir = c->ret;
    in.return_xml = c->xml;
    in.report = c->report;
    in.kpi_dir = c->kpi_dir;
    in.run_dir = c->run_dir;
    in.ledger = c->ledger;
    in.resubmit = opt->resubmit;
    in.allow_empty = opt->allow_empty;
    in.force_correction = opt->force_correction;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c->verdict) != 0) {
        c->verdict[0] = c->verdict[1] = -1;
        return yj_error_errno(err, YJ_EX_SOFTWARE, errno, "could not make the stages' socket pair");
    }
    snprintf(c->verdict_fd, sizeof(c->verdict_fd), "%d", c->verdict[0]);
    in.verdict_fd = c->verdict_fd;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c->feed) != 0) {
        c->feed[0] = c->feed[1] = -1;
        return yj_error_errno(err, YJ_EX_SOFTWARE, errno,
                              "could not make the parts feed's socket pair");
    }
    snprintf(c->parts_fd, sizeof(c->parts_fd), "%d", c->feed[1]);
    snprintf(c->follow_fd, sizeof(c->follow_fd), "%d", c->feed[0]);
    in.parts_fd = c->parts_fd;
    in.follow_fd = c->follow_fd;
    for (int s = 0; s < STAGE_COUNT; s++)
        if (stage_table[s].flags & STAGE_IN_RUN)
            c->argv[s] = stage_argv((enum stage)s, &in);
    return YJ_OK;
}

/* The as-of moment the warehouse was read as recorded at, from the staged MANIFEST (whose
 * SHA-256 yj-transform is then given). */
static void
record_as_of(struct run_ctx *c)
{
    char *sm = rundir_path(c->run_dir, RD_STAGED_MANIFEST);
    struct manifest s;
    struct yj_error e2;

    manifest_init(&s);
    if (manifest_read(&s, sm, c->staged_sha, &e2) == YJ_OK && manifest_get(&s, "as_of"))
        runrec_set_as_of(&c->rec, manifest_get(&s, "as_of"));
    manifest_release(&s);
    free(sm);
}

/* RUN says stage D runs, from its start: a run killed outright leaves "result running",
 * never a record that looks complete. */
static void
record_running(struct run_ctx *c, const struct stage_def *d)
{
    struct yj_error e2;

    runrec_set_last_stage(&c->rec, d->id);
    runrec_set_result(&c->rec, RUNREC_RUNNING);
    if (runrec_write_sealed(&c->rec, c->run_dir, c->run_file, &e2) != YJ_OK)
        log_yj_error(&e2);
}

/* Starts stage D into CH as HOW says (NULL: plainly); RECORD: RUN says it runs first, and has
 * its status if it could not be started. */
static int
stage_start(struct run_ctx *c, const struct stage_def *d, const struct spawner_how *how, int record,
            struct spawner_child *ch, struct yj_error *err)
{
    int rc;

    if (spawner_interrupted())
        return yj_error_set(err, 128 + spawner_interrupted(), "stopped by %s before %s began",
                            spawner_signal_name(spawner_interrupted()), d->cli->program);
    if ((d->flags & STAGE_FOLLOWS_PREVIOUS) &&
        (rc = mkdir_p(c->report_dir, RUNDIR_DIR_MODE, err)) != YJ_OK)
        return rc;
    if (record)
        record_running(c, d);
    rc = spawner_start(c->opt->bin_dir, c->argv[d->id], how, ch, err);
    if (rc != YJ_OK && record)
        runrec_set_status(&c->rec, d->id, rc);
    return rc;
}

/* Waits for stage D (CH) and records its status, wall and CPU time in RUN. */
static int
stage_finish(struct run_ctx *c, const struct stage_def *d, struct spawner_child *ch,
             struct yj_error *err)
{
    struct spawner_usage use;
    int rc = spawner_wait(ch, &use, err);

    runrec_set_status(&c->rec, d->id, rc);
    runrec_set_seconds(&c->rec, d->id, use.seconds);
    runrec_set_cpu(&c->rec, d->id, use.cpu);
    if ((d->flags & STAGE_RECORDS_AS_OF) && rc == YJ_OK)
        record_as_of(c);
    return rc;
}

/* Runs stage D alone. */
static int
run_one_stage(struct run_ctx *c, const struct stage_def *d, struct yj_error *err)
{
    struct spawner_child ch;
    int rc = stage_start(c, d, NULL, 1, &ch, err);

    return rc == YJ_OK ? stage_finish(c, d, &ch, err) : rc;
}

/* Copies what HELD (a memory file a stage wrote its stderr to) holds to our stderr. */
static void
copy_held(int held)
{
    char buf[8192];
    ssize_t n, w;

    fflush(stderr);
    if (lseek(held, 0, SEEK_SET) != 0)
        return;
    while ((n = read(held, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return;
        for (ssize_t off = 0; off < n; off += w)
            while ((w = write(STDERR_FILENO, buf + off, (size_t)(n - off))) < 0)
                if (errno != EINTR)
                    return;
    }
}

/* Stage S, started into CH, left out of the run, as a stage the run never reached: stopped at
 * once, waited for, and what it wrote in its folder (the run-directory table's folder of its
 * program, which only this run wrote) goes, with the folder. */
static void
leave_out(struct run_ctx *c, const struct stage_def *s, struct spawner_child *ch)
{
    const struct rundir_entry *folder = rundir_folder_of(s->cli->program);
    struct yj_error e2;

    spawner_stop(ch);
    spawner_wait(ch, NULL, &e2);
    if (folder)
        rundir_remove_left_out(c->run_dir, folder->id);
}

/* Stage D, started into CD (its stderr held in the memory file HELD_D, or -1: its own), which
 * may find the return invalid, and stage B beside it (STAGE_BESIDE_PREVIOUS), started now with
 * its stderr held in HELD: B reads the return while D validates it. When D has ended, its held
 * lines are copied to stderr and B is told on its descriptor what D found: "valid", or
 * "invalid" (B marks what it writes provisional); then B is waited for, recorded, and its lines
 * follow D's on stderr, as when the two ran one after the other. When D failed any other way
 * (or the run is stopping) B is told nothing and stopped, what it began to write in its folder
 * goes, and it is left out of RUN and of stderr, as a stage the run never reached. Returns what
 * running D, then B, one after the other would: B's status after a valid return, 65 after an
 * invalid one (the run then ends: c->invalid), D's otherwise; ERR is the failure that status
 * reports. HELD_D and HELD are closed. */
static int
beside_started(struct run_ctx *c, const struct stage_def *d, struct spawner_child *cd, int held_d,
               const struct stage_def *b, int held, struct yj_error *err)
{
    struct spawner_child cb;
    struct yj_error eb;
    struct spawner_how how = {c->verdict[0], held};
    int rc, rcb, told = 0;

    yj_error_init(&eb);
    rcb = stage_start(c, b, &how, 0, &cb, &eb);
    rc = stage_finish(c, d, cd, err);
    if (held_d >= 0) {
        copy_held(held_d);
        close(held_d);
    }
    if (!spawner_interrupted() &&
        (rc == YJ_OK || (rc == YJ_EX_DATAERR && d->failure == STAGE_FAILURE_INVALID))) {
        const char *verdict = rc == YJ_OK ? "valid\n" : "invalid\n";
        /* yj-run holds the other end too, so this never meets a closed socket; a B that has
         * already failed is not listening, and its own status is what counts */
        (void)!send(c->verdict[1], verdict, strlen(verdict), MSG_NOSIGNAL);
        told = 1;
        c->invalid = rc != YJ_OK;
    }
    close(c->verdict[1]); /* nothing told: B reads the end of the stream */
    c->verdict[1] = -1;
    if (told) {
        record_running(c, b);
        if (rcb == YJ_OK)
            rcb = stage_finish(c, b, &cb, &eb);
        else
            runrec_set_status(&c->rec, b->id, rcb); /* B could not be started */
        copy_held(held);
    } else if (rcb == YJ_OK)
        leave_out(c, b, &cb);
    close(held);
    if (!told) /* B never counted */
        return rc;
    if (rcb != YJ_OK && (rc == YJ_OK || c->invalid)) {
        *err = eb; /* B's failure is the one to report, as when it ran second */
        return c->invalid ? YJ_EX_DATAERR : rcb;
    }
    return rc == YJ_OK ? rcb : rc;
}

/* Stage D and stage B beside it (beside_started), D started here. */
static int
run_beside(struct run_ctx *c, const struct stage_def *d, const struct stage_def *b,
           struct yj_error *err)
{
    struct spawner_child cd;
    int held = memfd_create("yj-run-held-stderr", MFD_CLOEXEC), rc;

    if (held < 0)
        return yj_error_errno(err, YJ_EX_SOFTWARE, errno,
                              "could not make the file that holds %s's stderr", b->cli->program);
    if ((rc = stage_start(c, d, NULL, 1, &cd, err)) != YJ_OK) {
        close(held);
        return rc;
    }
    return beside_started(c, d, &cd, -1, b, held, err);
}

/* Stage T (yj-transform), stage V that follows its parts feed (STAGE_FOLLOWS_PREVIOUS) and
 * stage B beside V (STAGE_BESIDE_PREVIOUS). T and V start together: V checks each part of the
 * return as soon as T says it is whole, while T writes the next, and its stderr is held in a
 * memory file. yj-run keeps no end of the feed, so it ends when T does. When T has ended well,
 * V is recorded as running and B starts beside it (beside_started): V's lines follow T's, and
 * B's V's, as when the three ran one after the other. When T failed (or the run is stopping)
 * V is stopped (SIGTERM: it stops its workers and keeps no report, as it does when the feed
 * ends before "done"); yj-run waits for it, removes anything left in its folder, and leaves it
 * out of RUN and of stderr, as a stage the run never reached. Returns what running T, V and B one
 * after the other would. */
static int
run_followed(struct run_ctx *c, const struct stage_def *t, const struct stage_def *v,
             const struct stage_def *b, struct yj_error *err)
{
    struct spawner_child ct, cv;
    struct yj_error ev;
    int held_v = memfd_create("yj-run-held-stderr", MFD_CLOEXEC);
    int held_b = memfd_create("yj-run-held-stderr", MFD_CLOEXEC);
    struct spawner_how ht = {c->feed[1], -1}, hv = {c->feed[0], held_v};
    int rc, rcv = YJ_EX_SOFTWARE;

    yj_error_init(&ev);
    if (held_v < 0 || held_b < 0)
        rc = yj_error_errno(err, YJ_EX_SOFTWARE, errno,
                            "could not make the files that hold the stages' stderr");
    else if ((rc = stage_start(c, t, &ht, 1, &ct, err)) == YJ_OK)
        rcv = stage_start(c, v, &hv, 0, &cv, &ev);
    for (int i = 0; i < 2; i++) { /* the feed is T's and V's alone now */
        close(c->feed[i]);
        c->feed[i] = -1;
    }
    if (rc == YJ_OK)
        rc = stage_finish(c, t, &ct, err);
    if (rc == YJ_OK && !spawner_interrupted()) {
        record_running(c, v);
        if (rcv == YJ_OK)
            return beside_started(c, v, &cv, held_v, b, held_b, err);
        runrec_set_status(&c->rec, v->id, rcv); /* V could not be started */
        *err = ev;
        rc = rcv;
    } else if (rcv == YJ_OK)
        leave_out(c, v, &cv);
    if (held_v >= 0)
        close(held_v);
    if (held_b >= 0)
        close(held_b);
    return rc;
}

/* Runs the stages of stage_table yj-run runs (submit only when asked), in order, until one
 * fails: a stage's failure ends the run with its status. A stage marked STAGE_BESIDE_PREVIOUS
 * runs at the same time as the one before it (run_beside): when that one finds the return
 * invalid (STAGE_FAILURE_INVALID), the stage beside it still writes, provisional, and the run
 * then ends 65. */
static int
run_stages_of(struct run_ctx *c, struct yj_error *err)
{
    int rc = YJ_OK;

    for (const struct stage_def *d = stage_table; d < stage_table + STAGE_COUNT; d++) {
        const struct stage_def *b = d + 1 < stage_table + STAGE_COUNT ? d + 1 : NULL;
        if (!(d->flags & STAGE_IN_RUN) || ((d->flags & STAGE_ONLY_SUBMIT) && !c->opt->submit) ||
            ((d->flags & STAGE_ONLY_PACK) && !c->cfg->pack))
            continue;
        const struct stage_def *bb = b && b + 1 < stage_table + STAGE_COUNT ? b + 1 : NULL;
        if (b && (b->flags & STAGE_FOLLOWS_PREVIOUS) && bb && (bb->flags & STAGE_BESIDE_PREVIOUS)) {
            rc = run_followed(c, d, b, bb, err);
            d = bb;
        } else if (b && (b->flags & STAGE_BESIDE_PREVIOUS) && (b->flags & STAGE_IN_RUN)) {
            rc = run_beside(c, d, b, err);
            d = b;
        } else
            rc = run_one_stage(c, d, err);
        if (spawner_interrupted())
            break;
        if (c->invalid) {
            rc = YJ_EX_DATAERR; /* the run failed validation, whatever the stage beside did */
            break;
        }
        if (rc != YJ_OK)
            break;
    }
    return rc;
}

/* The whole run's wall seconds and CPU seconds (yj-run's own and every stage's, the stages'
 * workers included; not the warehouse server's) into RUN. */
static void
record_run_usage(struct run_ctx *c)
{
    runrec_set_seconds(&c->rec, STAGE_RUN, log_now() - c->t0);
    runrec_set_cpu(&c->rec, STAGE_RUN, spawner_cpu_so_far() - c->cpu0);
}

/* RUN's last write: the result, then (a run that succeeded) the staged files go. */
static int
finish_run(struct run_ctx *c, int rc, struct yj_error *err)
{
    struct yj_error e2;
    int removed;

    if (spawner_interrupted()) {
        c->result = RUNREC_INTERRUPTED;
        runrec_set_interrupted(&c->rec, spawner_signal_name(spawner_interrupted()));
        if (rc == YJ_OK)
            rc = yj_error_set(err, 128 + spawner_interrupted(), "stopped by %s",
                              spawner_signal_name(spawner_interrupted()));
    } else if (rc == YJ_OK)
        c->result = c->opt->submit ? RUNREC_SUBMITTED : RUNREC_VALIDATED;
    /* the staged files hold every child's date of birth and PNC number; the return, the
     * reports and the KPIs are what a run that succeeded keeps. RUN says so first, then they
     * go: a crash in between leaves files the next run of the period removes, never a RUN
     * that expects files that are gone */
    removed = rc == YJ_OK && !c->cfg->keep_staged;
    runrec_set_staged_removed(&c->rec, removed);
    record_run_usage(c);
    runrec_set_result(&c->rec, c->result);
    if (runrec_write_sealed(&c->rec, c->run_dir, c->run_file, &e2) != YJ_OK) {
        log_yj_error(&e2);
        if (rc == YJ_OK) {
            *err = e2;
            rc = e2.code;
        }
    } else if (removed && rundir_remove_staged(c->run_dir) < 0)
        log_warn("could not remove every staged file of '%s'", c->staged);
    return rc;
}

int
run_period(const struct yj_config *cfg, const struct run_options *opt, FILE *out,
           struct run_outcome *outcome, struct yj_error *err)
{
    struct run_ctx c;
    int lock_fd = -1, lock_inherited = 0, rc;

    memset(&c, 0, sizeof(c));
    c.cfg = cfg;
    c.opt = opt;
    c.result = RUNREC_FAILED;
    c.verdict[0] = c.verdict[1] = -1;
    c.feed[0] = c.feed[1] = -1;
    c.t0 = log_now();
    c.cpu0 = spawner_cpu_so_far();
    runrec_init(&c.rec);
    spawner_signals_init();
    if (outcome)
        outcome->run_dir[0] = '\0';
    /* the preflight (check.h), before the warehouse is read or a run folder made */
    if ((rc = check_service(cfg, err)) != YJ_OK ||
        (rc = check_before_run(cfg, opt->config_path, &opt->period, opt->submit, opt->sign_off,
                               err)) != YJ_OK ||
        (rc = open_run(&c, &lock_fd, &lock_inherited, out, err)) != YJ_OK)
        goto done;
    if (outcome)
        snprintf(outcome->run_dir, sizeof(outcome->run_dir), "%s", c.run_dir);
    record_begin(&c);
    if ((rc = make_argvs(&c, err)) == YJ_OK)
        rc = run_stages_of(&c, err);
    rc = finish_run(&c, rc, err);
    latest_update_after(c.run_dir); /* still under the lock */
done:
    if (outcome)
        snprintf(
            outcome->result, sizeof(outcome->result), "%s",
            runrec_result_name(rc == YJ_OK || spawner_interrupted() ? c.result : RUNREC_FAILED));
    /* every stage has exited (each was waited for): only now is the lock let go */
    spawner_set_lock_fd(-1);
    if (lock_fd >= 0 && !lock_inherited)
        close(lock_fd);
    run_ctx_release(&c);
    return rc;
}

int
run_stages(const struct yj_config *cfg, const struct run_options *opt, FILE *out,
           struct yj_error *err)
{
    return run_period(cfg, opt, out, NULL, err);
}

int
run_backfill(const struct yj_config *cfg, const struct run_options *opt, const char *from,
             const char *to, FILE *out, struct yj_error *err)
{
    struct yj_period first, last;
    struct run_outcome *rows;
    int n, done = 0, first_rc = YJ_OK, nfailed = 0, first_failed = 0;

    spawner_signals_init();
    if ((first_rc = period_parse(from, &first, err)) != YJ_OK ||
        (first_rc = period_parse(to, &last, err)) != YJ_OK)
        return first_rc;
    n = (last.year - first.year) * 4 + (last.quarter - first.quarter) + 1;
    if (n < 1 || n > RUN_MAX_BACKFILL) {
        yj_error_set(err, YJ_EX_USAGE, "--from %s --to %s: %s", first.label, last.label,
                     n < 1 ? "the first period is after the last" : "too many periods");
        yj_error_hint(err, "one backfill runs 1 to %d periods, oldest first", RUN_MAX_BACKFILL);
        return YJ_EX_USAGE;
    }
    rows = xcalloc((size_t)n, sizeof(*rows));
    for (int i = 0; i < n && !spawner_interrupted(); i++) {
        struct run_options o = *opt;
        struct yj_error e2;
        char label[8];
        int rc;

        snprintf(label, sizeof(label), "%04dQ%d", first.year + (first.quarter - 1 + i) / 4,
                 (first.quarter - 1 + i) % 4 + 1);
        yj_error_init(&e2);
        if (period_parse(label, &o.period, &e2) != YJ_OK) {
            rc = e2.code;
            snprintf(rows[i].result, sizeof(rows[i].result), "failed");
        } else {
            log_info("period %d of %d: %s", i + 1, n, label);
            rc = run_period(cfg, &o, out, &rows[i], &e2);
        }
        if (rc != YJ_OK && !spawner_interrupted())
            log_yj_error(&e2);
        snprintf(rows[i].period, sizeof(rows[i].period), "%s", label);
        if (rc == YJ_EX_LOCKED)
            snprintf(rows[i].result, sizeof(rows[i].result), "locked");
        rows[i].status = rc;
        done = i + 1;
        if (spawner_interrupted()) {
            first_rc = rc;
            *err = e2;
        } else if (rc != YJ_OK && nfailed++ == 0) {
            first_rc = rc;
            first_failed = i;
        }
    }
    log_info("backfill %s to %s: %d of %d period%s run, %d failed%s", first.label, last.label, done,
             n, n == 1 ? "" : "s", nfailed, spawner_interrupted() ? ", stopped by a signal" : "");
    log_info("%-7s %6s  %-11s %s", "period", "status", "result", "run directory");
    for (int i = 0; i < done; i++)
        log_info("%-7s %6d  %-11s %s", rows[i].period, rows[i].status, rows[i].result,
                 rows[i].run_dir[0] ? rows[i].run_dir : "-");
    if (first_rc != YJ_OK && !spawner_interrupted()) {
        yj_error_set(err, first_rc,
                     "backfill: %d of %d periods failed; the first, %s, with exit status %d",
                     nfailed, n, rows[first_failed].period, first_rc);
        yj_error_hint(err, "the table above lists each period's result and run directory");
    }
    free(rows);
    return first_rc;
}
