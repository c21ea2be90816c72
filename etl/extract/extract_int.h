/*
 * extract_int.h - yj-extract's inside, shared by extract.c (the read) and extract_check.c
 * (yj-run's preflight of the warehouse): the queries as loaded, one read's state, and the
 * steps both take, so that the preflight asks the warehouse exactly what the read will.
 */
#ifndef YJ_EXTRACT_INT_H
#define YJ_EXTRACT_INT_H

#include "bundle.h"
#include "extract.h"
#include "inputs.h"
#include "items.h"
#include "manifest.h"
#include "sha256.h"

#include <libpq-fe.h>

struct entity {
    char *name;  /* "offence" */
    char *label; /* the query file in messages: "offence.sql", or a service query's path */
    char *file;  /* staged file, as the manifest names it: "offence.tsv", "service/x.tsv" */
    char *sql;   /* the query text */
    char sha256[SHA256_HEX_LEN + 1];
    unsigned long cost_ms;             /* its cost line (extract_query_cost), or 0 */
    const struct service_input *input; /* a service-level input's line, or NULL */
};

/* What the manifest records of one staged file. */
struct entity_result {
    unsigned long long rows, bytes;
    char sha256[SHA256_HEX_LEN + 1];
};

/* The most workers --jobs may ask for. */
#define EXTRACT_MAX_JOBS 64

/* One run of yj-extract: what it read before connecting, the connection, the manifest it
 * builds. Owns every member; extract_release frees them. */
struct extract {
    const struct yj_config *cfg;
    const struct extract_options *opt;
    struct entity *ents; /* the per-child queries, in name order */
    size_t nents;
    struct entity *svcs; /* the service-level queries, in inputs.conf order */
    size_t nsvcs;
    char *svc_dir;
    struct bundle b;
    struct items it;
    struct inputs in;
    PGconn *conn;
    struct manifest m;
    struct manifest prev; /* the folder's MANIFEST before this read, or empty: its sizes order a
                             parallel read's queries without a cost line */
    char start[11], end[11];
    char as_of[64], snapshot[64];
    int quiet; /* the preflight: no info lines of the read's progress */
};

/* Entity I of X's jobs: the per-child queries, then the service queries. */
static inline const struct entity *
extract_entity_at(const struct extract *x, size_t i)
{
    return i < x->nents ? &x->ents[i] : &x->svcs[i - x->nents];
}

void extract_init(struct extract *x, const struct yj_config *cfg,
                  const struct extract_options *opt);
void extract_release(struct extract *x);
/* Everything read before connecting: the configuration's folders, the queries, the period's
 * bundle and its item descriptions and service inputs. */
int load_queries(struct extract *x, struct yj_error *err);
/* Connects with [warehouse] conninfo as APPLICATION_NAME: 69 when it cannot. */
int warehouse_connect(struct extract *x, const char *application_name, struct yj_error *err);
/* Opens *OUT with [warehouse] conninfo as APPLICATION_NAME: 69 when it cannot (*OUT is set
 * either way: PQfinish it). */
int warehouse_open(const struct yj_config *cfg, const char *application_name, PGconn **out,
                   struct yj_error *err);
/* The one REPEATABLE READ READ ONLY transaction, its time zone UTC, the queries' settings. */
int snapshot_begin(struct extract *x, struct yj_error *err);
/* BEGIN ... REPEATABLE READ READ ONLY on CONN (WHAT names the step in an error), then
 * IMPORT_SQL (SET TRANSACTION SNAPSHOT ..., or NULL: a snapshot of its own), then UTC: how the
 * leader and every worker open their transaction. */
int snapshot_open(PGconn *conn, const char *import_sql, const char *what, struct yj_error *err);
/* The queries' settings on CONN, in a transaction begun in UTC: every connection of a read. */
int snapshot_settings(const struct extract *x, PGconn *conn, struct yj_error *err);
/* Streams E's COPY output on CONN into OUT_DIR/<e->file> atomically; *OUT gets its rows,
 * bytes and SHA-256. */
int extract_entity(PGconn *conn, const struct entity *e, const struct items *it,
                   const struct inputs *in, const char *out_dir, struct entity_result *out,
                   struct yj_error *err);
/* The parallel read (extract_jobs.c): JOBS workers, each with its own connection in the
 * leader's exported snapshot, fill RES (per-child entities, then service inputs, as x orders
 * them) largest first (extract_jobs_order). The leader's transaction stays open; the caller
 * commits it. */
int extract_jobs(struct extract *x, int jobs, struct entity_result *res, struct yj_error *err);
/* The order the workers take X's queries in: ORDER[k] (of x->nents + x->nsvcs) is the index
 * (extract_entity_at) of the k-th. Largest first: by the query's cost line, then by the bytes
 * X's previous MANIFEST records for its file, then in the serial order. */
void extract_jobs_order(const struct extract *x, size_t *order);
/* The cost line "-- cost: N ms" among the comment lines that open the query SQL (the file
 * LABEL): *COST_MS gets N, or 0 without one; 65 for a line that is not of that form, or a
 * second one. */
int extract_query_cost(const char *sql, const char *label, unsigned long *cost_ms,
                       struct yj_error *err);
int extract_describe(PGconn *conn, const struct entity *e, const struct items *it,
                     const struct inputs *in, PGresult **desc, struct yj_error *err);
int exec_ok(PGconn *conn, const char *sql, int nparams, const char *const *params, PGresult **out,
            const char *what, struct yj_error *err);
/* The first line of libpq's message about CONN itself (no row values in it), in BUF. */
const char *pq_message(PGconn *conn, char *buf, size_t size);
/* A failed statement's SQLSTATE ("SQLSTATE 42501"), never the server's text; or libpq's
 * message about the connection. */
const char *pq_state(PGconn *conn, PGresult *res, char *buf, size_t size);
/* 69 when the warehouse is gone (the connection broken, SQLSTATE 08xxx or 57P0x), else
 * OTHERWISE. */
int pq_fail_code(PGconn *conn, const PGresult *res, int otherwise);

#endif
