/*
 * extract_snapshot.c - yj-extract's connections and its one snapshot: connecting, the
 * REPEATABLE READ READ ONLY transaction every query of a read runs in (the leader's, whose
 * snapshot the workers of a parallel read import: extract_jobs.c), the settings each
 * connection's queries read, and how a failed statement is reported: its SQLSTATE, never the
 * server's text, and 69 when the warehouse is gone.
 */
#include "extract_int.h"

#include "log.h"
#include "mem.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

/* First line of libpq's message about the connection itself (no row values in it). */
const char *
pq_message(PGconn *conn, char *buf, size_t size)
{
    const char *m = PQerrorMessage(conn);

    snprintf(buf, size, "%s", m && *m ? m : "unknown error");
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

/* What a failed statement says in our logs: its SQLSTATE only. The server's text may quote a
 * row value ("invalid input syntax for type date: ..."), so it never reaches stderr; the
 * server's own log has it. */
const char *
pq_state(PGconn *conn, PGresult *res, char *buf, size_t size)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    if (state)
        snprintf(buf, size, "SQLSTATE %s", state);
    else
        pq_message(conn, buf, size); /* no result: the connection failed */
    return buf;
}

/* The exit code for a failed statement: the warehouse gone (the connection broken, SQLSTATE
 * class 08 connection exception, or 57P0x: the server shutting down, terminating this backend,
 * not accepting connections, the database dropped) is 69, worth a page to whoever runs the
 * server; anything else is OTHERWISE. */
int
pq_fail_code(PGconn *conn, const PGresult *res, int otherwise)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    if (PQstatus(conn) == CONNECTION_BAD)
        return YJ_EX_UNAVAILABLE;
    if (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0))
        return YJ_EX_UNAVAILABLE;
    return otherwise;
}

int
exec_ok(PGconn *conn, const char *sql, int nparams, const char *const *params, PGresult **out,
        const char *what, struct yj_error *err)
{
    PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    char msg[512];

    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        int code = pq_fail_code(conn, res, YJ_EX_SOFTWARE);
        /* invalid_datetime_format and friends: the user's --as-of */
        if (code == YJ_EX_SOFTWARE && state && strncmp(state, "22", 2) == 0)
            code = YJ_EX_USAGE;
        yj_error_set(err, code, "%s failed: %s", what, pq_state(conn, res, msg, sizeof(msg)));
        PQclear(res);
        return code;
    }
    if (out)
        *out = res;
    else
        PQclear(res);
    return YJ_OK;
}

/* Opens *OUT with [warehouse] conninfo as APPLICATION_NAME: 69 when it cannot (*OUT is set
 * either way: PQfinish it). */
int
warehouse_open(const struct yj_config *cfg, const char *application_name, PGconn **out,
               struct yj_error *err)
{
    static const char *const keywords[] = {"application_name", "connect_timeout", "dbname", NULL};
    const char *values[] = {application_name, "10", cfg->conninfo, NULL};
    char msg[512];

    *out = PQconnectdbParams(keywords, values, 1);
    if (PQstatus(*out) != CONNECTION_OK) {
        yj_error_set(err, YJ_EX_UNAVAILABLE, "could not connect to the warehouse: %s",
                     pq_message(*out, msg, sizeof(msg)));
        yj_error_hint(err, "check [warehouse] conninfo in '%s' and that the server is running",
                      cfg->path);
        return YJ_EX_UNAVAILABLE;
    }
    return YJ_OK;
}

int
warehouse_connect(struct extract *x, const char *application_name, struct yj_error *err)
{
    int rc = warehouse_open(x->cfg, application_name, &x->conn, err);

    if (rc == YJ_OK && !x->quiet)
        log_info("connected to warehouse (server version %d)", PQserverVersion(x->conn));
    return rc;
}

/* The first query fixes the snapshot; as_of defaults to the transaction's own time. Fills
 * x->snapshot and x->as_of; an --as-of that is not a moment, or later than the snapshot, is a
 * usage error. */
static int
read_snapshot_time(struct extract *x, struct yj_error *err)
{
    const char *as_of_given = x->opt->as_of;
    const char *p[] = {as_of_given};
    PGresult *res = NULL;
    int rc;

    rc = exec_ok(x->conn,
                 "SELECT to_char(now(), 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
                 " to_char(coalesce($1::timestamptz, now()), "
                 "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
                 " coalesce($1::timestamptz, now()) > now(),"
                 " isfinite(coalesce($1::timestamptz, now()))",
                 1, p, &res, "reading the snapshot time", err);
    if (rc != YJ_OK) {
        if (rc == YJ_EX_USAGE)
            yj_error_set(err, YJ_EX_USAGE, "invalid --as-of timestamp '%s'", as_of_given);
        return rc;
    }
    if (strcmp(PQgetvalue(res, 0, 3), "t") != 0) {
        /* -infinity / infinity: no moment the warehouse recorded anything at */
        rc = yj_error_set(err, YJ_EX_USAGE, "--as-of '%s' is not a moment", as_of_given);
        yj_error_hint(err, "give a date and time, e.g. 2025-07-01T00:00:00Z");
        goto done;
    }
    snprintf(x->snapshot, sizeof(x->snapshot), "%s", PQgetvalue(res, 0, 0));
    snprintf(x->as_of, sizeof(x->as_of), "%s", PQgetvalue(res, 0, 1));
    if (strcmp(PQgetvalue(res, 0, 2), "t") == 0) {
        rc = yj_error_set(err, YJ_EX_USAGE, "--as-of %s is later than the snapshot (%s)", x->as_of,
                          x->snapshot);
        yj_error_hint(err, "the warehouse cannot say what it will record in the future");
    }
done:
    PQclear(res);
    return rc;
}

/* What every connection of a read sets in its transaction, transaction-local: the queries'
 * parameters (yj.as_of, yj.period_start, yj.period_end, yj.period) through bound parameters,
 * JIT off (the queries are scans and joins a JIT compile only slows), and [warehouse]
 * work_mem. The time zone is UTC already. */
int
snapshot_settings(const struct extract *x, PGconn *conn, struct yj_error *err)
{
    const char *work_mem = x->cfg->work_mem ? x->cfg->work_mem : CONFIG_DEFAULT_WORK_MEM;
    const char *p[] = {x->as_of, x->start, x->end, x->opt->period.label};
    const char *w[] = {work_mem};
    char msg[512];
    PGresult *res;
    int rc;

    rc = exec_ok(conn,
                 "SELECT set_config('yj.as_of', $1, true), set_config('yj.period_start', $2, "
                 "true), set_config('yj.period_end', $3, true), set_config('yj.period', $4, "
                 "true), set_config('jit', 'off', true)",
                 4, p, NULL, "setting the query parameters", err);
    if (rc != YJ_OK)
        return rc;
    res = PQexecParams(conn, "SELECT set_config('work_mem', $1, true)", 1, NULL, w, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = pq_fail_code(conn, res, YJ_EX_CONFIG);
        yj_error_set(err, rc, "[warehouse] work_mem '%s' in '%s' was refused: %s", work_mem,
                     x->cfg->path, pq_state(conn, res, msg, sizeof(msg)));
        if (rc == YJ_EX_CONFIG)
            yj_error_hint(err, "give a size PostgreSQL accepts for work_mem, e.g. 64MB");
    }
    PQclear(res);
    return rc;
}

int
snapshot_open(PGconn *conn, const char *import_sql, const char *what, struct yj_error *err)
{
    int rc;

    if ((rc = exec_ok(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, NULL, what,
                      err)) == YJ_OK &&
        (!import_sql ||
         (rc = exec_ok(conn, import_sql, 0, NULL, NULL, "importing the snapshot", err)) == YJ_OK))
        rc = exec_ok(conn, "SET LOCAL TimeZone = 'UTC'", 0, NULL, NULL, "setting the time zone",
                     err);
    return rc;
}

/* Starts the one REPEATABLE READ READ ONLY transaction every query runs in (or that every
 * worker of a parallel read imports the snapshot of), in UTC, and its settings
 * (snapshot_settings). */
int
snapshot_begin(struct extract *x, struct yj_error *err)
{
    const struct yj_period *period = &x->opt->period;
    int rc;

    if ((rc = snapshot_open(x->conn, NULL, "starting the snapshot", err)) ||
        (rc = read_snapshot_time(x, err)))
        return rc;
    date_format(period->start, x->start);
    date_format(period->end, x->end);
    if ((rc = snapshot_settings(x, x->conn, err)) != YJ_OK)
        return rc;
    if (!x->quiet)
        log_info("snapshot %s, as recorded at %s, period %s (%s..%s)", x->snapshot, x->as_of,
                 period->label, x->start, x->end);
    return YJ_OK;
}
