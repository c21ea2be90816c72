/*
 * extract_jobs.c - yj-extract --jobs N: the parallel read, pg_dump's pattern.
 *
 * The leader has begun the REPEATABLE READ READ ONLY transaction (snapshot_begin) and keeps it
 * open while the workers run: it exports its snapshot (pg_export_snapshot()), and each worker,
 * a thread with its own connection ("yj-extract worker K"), begins the same kind of
 * transaction, imports that snapshot (SET TRANSACTION SNAPSHOT) and the same settings
 * (snapshot_settings), so that every worker reads exactly what the leader's one transaction
 * would. The workers take the queries from one list, largest first (extract_jobs_order): by
 * the time the query's cost line gives, then by the bytes the folder's previous MANIFEST
 * records. Each query is staged by extract_entity(), as the serial read stages it; the results
 * land in the slot of their query, so the MANIFEST the leader writes afterwards does not depend
 * on which worker finished first.
 *
 * The first worker to fail wins: its error is the run's, and it cancels the queries of the
 * others (PQcancel), which then stop without taking another query. Threads share the one
 * error slot and the list's cursor under one mutex; everything else a worker touches is its
 * own (its connection, its query's file, its result slot).
 *
 * A stop signal (SIGTERM, SIGINT, SIGHUP, unless ignored) is blocked in every thread and
 * waited for by the leader: it cancels the workers as a failure does, waits for them to end
 * (each removes the file it was writing), then dies of the same signal with its default
 * action, as a serial read does. Dying with only the leader's thread left means that the
 * files the process holds (the run's lock, inherited from yj-run) are closed when the
 * process is seen gone, not a moment after, while other threads end.
 */
#include "extract_int.h"

#include "log.h"
#include "mem.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

struct job {
    const struct entity *e;
    struct entity_result *res;
};

struct jobs {
    struct extract *x;
    const char *snapshot_id; /* the leader's exported snapshot */
    struct job *list;
    size_t njobs;
    pthread_mutex_t lock; /* guards next, failed, err and cancel */
    size_t next;          /* the next job to take */
    int failed;           /* a worker failed: err has why; the others stop */
    struct yj_error *err;
    PGcancel **cancel; /* per worker, while its connection is open */
    int nworkers;
    int running; /* workers not yet ended */
};

struct worker {
    struct jobs *j;
    int index;
    pthread_t thread;
};

/* A query's place in the order: its index (extract_entity_at), cost line and previous bytes. */
struct job_key {
    size_t index;
    unsigned long cost_ms;
    unsigned long long bytes;
};

static int
job_key_cmp(const void *a, const void *b)
{
    const struct job_key *x = a, *y = b;

    if (x->cost_ms != y->cost_ms)
        return x->cost_ms < y->cost_ms ? 1 : -1;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? 1 : -1;
    return x->index < y->index ? -1 : x->index > y->index; /* then the serial order */
}

void
extract_jobs_order(const struct extract *x, size_t *order)
{
    size_t n = x->nents + x->nsvcs;
    struct job_key *keys = xcalloc(n ? n : 1, sizeof(*keys));

    for (size_t i = 0; i < n; i++) {
        const struct entity *e = extract_entity_at(x, i);
        const struct manifest_file *f = manifest_find_file(&x->prev, e->file);

        keys[i].index = i;
        keys[i].cost_ms = e->cost_ms;
        keys[i].bytes = f ? f->bytes : 0;
    }
    qsort(keys, n, sizeof(*keys), job_key_cmp);
    for (size_t i = 0; i < n; i++)
        order[i] = keys[i].index;
    free(keys);
}

static void
jobs_fail(struct jobs *j, int self, int rc, const struct yj_error *err)
{
    char buf[256];

    pthread_mutex_lock(&j->lock);
    if (!j->failed) {
        j->failed = 1;
        *j->err = *err;
        j->err->code = rc;
        for (int k = 0; k < j->nworkers; k++) /* SELF -1: the leader, stopping them all */
            if (k != self && j->cancel[k])
                PQcancel(j->cancel[k], buf, sizeof(buf));
    }
    pthread_mutex_unlock(&j->lock);
}

/* The worker's transaction: the leader's snapshot, in UTC, with the queries' settings. */
static int
worker_begin(struct jobs *j, PGconn *conn, struct yj_error *err)
{
    char *sql, *lit = PQescapeLiteral(conn, j->snapshot_id, strlen(j->snapshot_id));
    int rc;

    if (!lit)
        return yj_error_set(err, pq_fail_code(conn, NULL, YJ_EX_SOFTWARE),
                            "could not quote the snapshot name");
    sql = xmalloc(strlen(lit) + 32);
    snprintf(sql, strlen(lit) + 32, "SET TRANSACTION SNAPSHOT %s", lit);
    PQfreemem(lit);
    if ((rc = snapshot_open(conn, sql, "starting a worker's snapshot", err)) == YJ_OK)
        rc = snapshot_settings(j->x, conn, err);
    free(sql);
    return rc;
}

/* Takes the next job, or NULL when none is left or a worker failed. */
static struct job *
jobs_take(struct jobs *j)
{
    struct job *t = NULL;

    pthread_mutex_lock(&j->lock);
    if (!j->failed && j->next < j->njobs)
        t = &j->list[j->next++];
    pthread_mutex_unlock(&j->lock);
    return t;
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    struct jobs *j = w->j;
    struct extract *x = j->x;
    struct yj_error err;
    PGconn *conn = NULL;
    char name[64];
    struct job *t;
    int rc;

    yj_error_init(&err);
    snprintf(name, sizeof(name), "yj-extract worker %d", w->index + 1);
    rc = warehouse_open(x->cfg, name, &conn, &err);
    if (rc == YJ_OK) {
        pthread_mutex_lock(&j->lock);
        j->cancel[w->index] = PQgetCancel(conn);
        pthread_mutex_unlock(&j->lock);
        rc = worker_begin(j, conn, &err);
    }
    while (rc == YJ_OK && (t = jobs_take(j)) != NULL)
        rc = extract_entity(conn, t->e, &x->it, &x->in, x->opt->out_dir, t->res, &err);
    if (rc != YJ_OK)
        jobs_fail(j, w->index, rc, &err);
    pthread_mutex_lock(&j->lock);
    if (j->cancel[w->index])
        PQfreeCancel(j->cancel[w->index]);
    j->cancel[w->index] = NULL;
    j->running--;
    pthread_mutex_unlock(&j->lock);
    PQfinish(conn); /* ends the worker's transaction: it only read */
    return NULL;
}

/* The leader's snapshot, for the workers to import. */
static int
export_snapshot(struct extract *x, char **out, struct yj_error *err)
{
    PGresult *res = NULL;
    int rc = exec_ok(x->conn, "SELECT pg_export_snapshot()", 0, NULL, &res,
                     "exporting the snapshot", err);

    if (rc == YJ_OK)
        *out = xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

static void
jobs_list(struct jobs *j, struct entity_result *res)
{
    struct extract *x = j->x;
    size_t *order;

    j->njobs = x->nents + x->nsvcs;
    j->list = xcalloc(j->njobs, sizeof(*j->list));
    order = xcalloc(j->njobs, sizeof(*order));
    extract_jobs_order(x, order);
    for (size_t k = 0; k < j->njobs; k++) {
        j->list[k].e = extract_entity_at(x, order[k]);
        j->list[k].res = &res[order[k]];
    }
    free(order);
}

/* Blocks the stop signals not ignored (the workers inherit the mask); *SET gets them. */
static void
block_stop_signals(sigset_t *set, sigset_t *old)
{
    static const int stop[] = {SIGTERM, SIGINT, SIGHUP};

    sigemptyset(set);
    for (size_t i = 0; i < sizeof(stop) / sizeof(stop[0]); i++) {
        struct sigaction sa;
        if (sigaction(stop[i], NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
            sigaddset(set, stop[i]);
    }
    pthread_sigmask(SIG_BLOCK, set, old);
}

/* Waits for every worker to end; a stop signal meanwhile cancels them. Returns the signal, or
 * 0. */
static int
jobs_wait(struct jobs *j, const sigset_t *set)
{
    const struct timespec tick = {0, 50 * 1000 * 1000};
    int stop = 0, running;

    for (;;) {
        int sig;
        pthread_mutex_lock(&j->lock);
        running = j->running;
        pthread_mutex_unlock(&j->lock);
        if (running == 0)
            return stop;
        sig = sigtimedwait(set, NULL, &tick);
        if (sig > 0 && !stop) {
            struct yj_error e;
            stop = sig;
            yj_error_init(&e);
            yj_error_set(&e, YJ_EX_SOFTWARE, "stopped by signal %d", sig);
            jobs_fail(j, -1, YJ_EX_SOFTWARE, &e);
        }
    }
}

int
extract_jobs(struct extract *x, int jobs, struct entity_result *res, struct yj_error *err)
{
    struct jobs j;
    struct worker *w;
    sigset_t set, old;
    char *snapshot_id = NULL;
    int rc, stop;

    memset(&j, 0, sizeof(j));
    if ((rc = export_snapshot(x, &snapshot_id, err)) != YJ_OK)
        return rc;
    j.x = x;
    j.snapshot_id = snapshot_id;
    j.err = err;
    jobs_list(&j, res);
    if ((size_t)jobs > j.njobs)
        jobs = (int)j.njobs; /* a worker without a query would only connect */
    j.nworkers = jobs;
    j.cancel = xcalloc((size_t)jobs, sizeof(PGcancel *));
    w = xcalloc((size_t)jobs, sizeof(*w));
    pthread_mutex_init(&j.lock, NULL);
    block_stop_signals(&set, &old);
    for (int k = 0; k < jobs; k++) {
        w[k].j = &j;
        w[k].index = k;
        pthread_mutex_lock(&j.lock);
        j.running++;
        pthread_mutex_unlock(&j.lock);
        if (pthread_create(&w[k].thread, NULL, worker_main, &w[k]) != 0) {
            struct yj_error e;
            yj_error_init(&e);
            yj_error_set(&e, YJ_EX_SOFTWARE, "could not start worker %d", k + 1);
            pthread_mutex_lock(&j.lock);
            j.running--;
            pthread_mutex_unlock(&j.lock);
            jobs_fail(&j, k, YJ_EX_SOFTWARE, &e);
            jobs = k;
            break;
        }
    }
    stop = jobs_wait(&j, &set);
    for (int k = 0; k < jobs; k++)
        pthread_join(w[k].thread, NULL);
    pthread_mutex_destroy(&j.lock);
    if (stop) {
        /* one thread left: die of the signal, as a serial read would */
        signal(stop, SIG_DFL);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        raise(stop);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    rc = j.failed ? err->code : YJ_OK;
    free(w);
    free(j.cancel);
    free(j.list);
    free(snapshot_id);
    return rc;
}
