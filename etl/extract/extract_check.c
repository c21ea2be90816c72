/*
 * extract_check.c - yj-run's preflight of the warehouse (extract.h, "the preflight"): the
 * same queries, bundle and settings yj-extract would use (extract_int.h), asked of the
 * warehouse without reading a row of them.
 *
 * The rights are PostgreSQL's to say, not a list of ours: every query is planned with EXPLAIN
 * (without ANALYZE) inside the read-only snapshot yj-extract begins, which makes the server
 * check SELECT on every table and EXECUTE on every function the query reaches, those inside
 * the inlined cms_asof functions included; then it is described, and its columns checked, as
 * yj-extract does before it reads. The freshness is one query over the recorded times of the
 * history the warehouse keeps (sql/warehouse/020_history.sql): the newest sys_from of a cms
 * table and sys_to of its cms_history table. Nothing here logs a value of a row.
 */
#include "extract.h"
#include "extract_int.h"

#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* How long a query of the preflight waits for a lock another session holds on what it reads
 * (DDL, VACUUM FULL): the read itself would wait; the preflight says so and goes on. */
#define CHECK_LOCK_TIMEOUT "1s"

struct extract_check {
    struct extract x;
    struct extract_options opt;
    char *conninfo_role; /* current_user, once connected */
    int waited;          /* a query gave up waiting for a lock: the transaction is over */
};

/* A statement that failed waiting for a lock (SQLSTATE 55P03): 75, and nothing more is asked
 * in this transaction. */
static int
lock_wait(struct extract_check *c, const PGresult *res, const char *what, struct yj_error *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    if (!c->waited && (!state || strcmp(state, "55P03") != 0))
        return YJ_OK;
    c->waited = 1;
    return yj_error_set(err, YJ_EX_TEMPFAIL,
                        "not checked: %s waited over " CHECK_LOCK_TIMEOUT
                        " for a lock another session holds on what it reads",
                        what);
}

int
extract_check_open(struct extract_check **out, const struct yj_config *cfg,
                   const struct yj_period *period, struct yj_error *err)
{
    struct extract_check *c = xcalloc(1, sizeof(*c));

    c->opt.config = cfg->path;
    c->opt.period = *period;
    c->opt.period_label = c->opt.period.label;
    extract_init(&c->x, cfg, &c->opt);
    c->x.quiet = 1;
    *out = c;
    return load_queries(&c->x, err);
}

size_t
extract_check_queries(const struct extract_check *c)
{
    return c->x.nents + c->x.nsvcs;
}

int
extract_check_connect(struct extract_check *c, struct yj_error *err)
{
    PGresult *res = NULL;
    int rc;

    if ((rc = warehouse_connect(&c->x, "yj-run --check", err)) != YJ_OK ||
        (rc = snapshot_begin(&c->x, err)) != YJ_OK ||
        (rc = exec_ok(c->x.conn, "SET LOCAL lock_timeout = '" CHECK_LOCK_TIMEOUT "'", 0, NULL, NULL,
                      "setting the lock timeout", err)) != YJ_OK ||
        (rc = exec_ok(c->x.conn, "SELECT current_user", 0, NULL, &res, "reading the role", err)) !=
            YJ_OK)
        return rc;
    c->conninfo_role = xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return YJ_OK;
}

const char *
extract_check_role(const struct extract_check *c)
{
    return c->conninfo_role ? c->conninfo_role : "-";
}

/* EXPLAIN of E's query, then its description checked: 77 when the role lacks a right. */
static int
check_query(struct extract_check *c, const struct entity *e, struct yj_error *err)
{
    size_t n = strlen(e->sql) + 16;
    char *sql = xmalloc(n), msg[512];
    PGresult *res;
    int rc = YJ_OK;

    snprintf(sql, n, "EXPLAIN %s", e->sql);
    snprintf(msg, sizeof(msg), "query '%s'", e->label);
    res = PQexec(c->x.conn, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK && (rc = lock_wait(c, res, msg, err)) == YJ_OK) {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (state && strcmp(state, "42501") == 0) {
            rc = yj_error_set(err, YJ_EX_NOPERM, "role '%s' may not run query '%s': %s",
                              extract_check_role(c), e->label,
                              pq_state(c->x.conn, res, msg, sizeof(msg)));
            yj_error_hint(err, "grant it what sql/warehouse/030_roles.sql grants yj_extract");
        } else
            rc = yj_error_set(err, pq_fail_code(c->x.conn, res, YJ_EX_CONFIG),
                              "query '%s' could not be planned: %s", e->label,
                              pq_state(c->x.conn, res, msg, sizeof(msg)));
    }
    PQclear(res);
    free(sql);
    if (rc == YJ_OK) {
        rc = extract_describe(c->x.conn, e, &c->x.it, &c->x.in, &res, err);
        PQclear(res);
    }
    return rc;
}

int
extract_check_rights(struct extract_check *c, struct yj_error *err)
{
    int rc = YJ_OK;

    if (c->waited)
        return yj_error_set(err, YJ_EX_TEMPFAIL,
                            "not checked: an earlier query waited over " CHECK_LOCK_TIMEOUT
                            " for a lock");
    for (size_t i = 0; i < c->x.nents && rc == YJ_OK; i++)
        rc = check_query(c, &c->x.ents[i], err);
    for (size_t i = 0; i < c->x.nsvcs && rc == YJ_OK; i++)
        rc = check_query(c, &c->x.svcs[i], err);
    return rc;
}

/* The one query over every cms table that has a history: the newest sys_from and sys_to. */
static char *
freshness_sql(PGconn *conn, PGresult *tables)
{
    size_t len = 0, cap = 256;
    char *sql = xmalloc(cap);

    len = (size_t)snprintf(sql, cap,
                           "SELECT to_char(max(t), 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                           " extract(epoch FROM now() - max(t))::float8 FROM (");
    for (int i = 0; i < PQntuples(tables); i++) {
        const char *name = PQgetvalue(tables, i, 0);
        char *id = PQescapeIdentifier(conn, name, strlen(name));
        size_t more = 2 * strlen(id) + 128;

        if (len + more >= cap) {
            cap = 2 * (len + more);
            sql = xrealloc(sql, cap);
        }
        len += (size_t)snprintf(sql + len, cap - len,
                                "%sSELECT max(sys_from) AS t FROM cms.%s"
                                " UNION ALL SELECT max(sys_to) FROM cms_history.%s",
                                i ? " UNION ALL " : "", id, id);
        PQfreemem(id);
    }
    sql = xrealloc(sql, len + 16);
    snprintf(sql + len, 16, ") AS c");
    return sql;
}

int
extract_check_freshness(struct extract_check *c, char newest[32], double *age_seconds,
                        struct yj_error *err)
{
    PGresult *tables = NULL, *res;
    char *sql, msg[512];
    int rc;

    newest[0] = '\0';
    *age_seconds = -1;
    rc = exec_ok(c->x.conn,
                 "SELECT t.relname FROM pg_class t"
                 " JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'cms'"
                 " JOIN pg_class h ON h.relname = t.relname AND h.relnamespace ="
                 " 'cms_history'::regnamespace"
                 " WHERE t.relkind = 'r' AND EXISTS (SELECT 1 FROM pg_attribute a"
                 " WHERE a.attrelid = t.oid AND a.attname = 'sys_from' AND NOT a.attisdropped)"
                 " ORDER BY t.relname",
                 0, NULL, &tables, "listing the history tables", err);
    if (rc != YJ_OK)
        return rc;
    if (PQntuples(tables) == 0) {
        PQclear(tables);
        return YJ_OK; /* nothing recorded: the caller says so */
    }
    sql = freshness_sql(c->x.conn, tables);
    PQclear(tables);
    res = PQexec(c->x.conn, sql);
    free(sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if ((rc = lock_wait(c, res, "the newest recorded change", err)) == YJ_OK)
            rc = yj_error_set(
                err,
                pq_fail_code(c->x.conn, res,
                             state && strcmp(state, "42501") == 0 ? YJ_EX_NOPERM : YJ_EX_SOFTWARE),
                "reading the newest recorded change failed: %s",
                pq_state(c->x.conn, res, msg, sizeof(msg)));
    } else if (!PQgetisnull(res, 0, 0)) {
        snprintf(newest, 32, "%s", PQgetvalue(res, 0, 0));
        *age_seconds = strtod(PQgetvalue(res, 0, 1), NULL);
    }
    PQclear(res);
    return rc;
}

void
extract_check_free(struct extract_check *c)
{
    if (!c)
        return;
    extract_release(&c->x);
    free(c->conninfo_role);
    free(c);
}
