/*
 * extract.c - reads every entity of the return from the case warehouse.
 *
 * All queries run inside one REPEATABLE READ READ ONLY transaction, so every staged file
 * describes the same instant. The period and the "as recorded at" moment reach the queries
 * as transaction-local settings set through bound parameters (set_config($1...)), never by
 * pasting text into SQL. Each query's result streams through COPY ... TO STDOUT straight into
 * an atomic file; the MANIFEST, written last, is what makes the folder usable: the old one is
 * removed first, so a crash leaves a folder without a manifest, which transform refuses.
 *
 * After the per-child entities, the same transaction runs the service-level inputs the
 * period's bundle lists in kpi/inputs.conf (inputs.h): one query per input from the folder
 * "service" beside the configured query folder (sql/service/ beside sql/extract/), each
 * selecting exactly the columns its inputs.conf line lists, staged as service/NAME.tsv.
 */
#include "extract.h"
#include "extract_int.h"

#include "atomic.h"
#include "rundir.h"
#include "bundle.h"
#include "cli.h"
#include "inputs.h"
#include "items.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "staged.h"

#include <dirent.h>
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

#define MAX_QUERY_BYTES (1 << 20)

static int
name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
read_text_file(const char *path, char **out, struct yj_error *err)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    char *buf;

    if (!f)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not open query file '%s'", path);
    buf = xmalloc(MAX_QUERY_BYTES + 1);
    n = fread(buf, 1, MAX_QUERY_BYTES + 1, f);
    fclose(f);
    if (n > MAX_QUERY_BYTES) {
        free(buf);
        return yj_error_set(err, YJ_EX_DATAERR, "query file '%s' is larger than %d bytes", path,
                            MAX_QUERY_BYTES);
    }
    buf[n] = '\0';
    /* a trailing semicolon would break COPY (...): drop it and trailing space */
    while (n > 0 && (buf[n - 1] == ';' || buf[n - 1] == '\n' || buf[n - 1] == ' ' ||
                     buf[n - 1] == '\t' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    if (n == 0) {
        free(buf);
        return yj_error_set(err, YJ_EX_DATAERR, "query file '%s' is empty", path);
    }
    *out = buf;
    return YJ_OK;
}

/* The cost line: N is the whole milliseconds the query took at 100,000 children, what orders
 * a parallel read (extract_jobs.c). Only the comment lines that open the query are read. */
int
extract_query_cost(const char *sql, const char *label, unsigned long *cost_ms, struct yj_error *err)
{
    static const char key[] = "-- cost:";
    int line = 1, found = 0;

    *cost_ms = 0;
    for (const char *p = sql; strncmp(p, "--", 2) == 0; line++) {
        const char *next = p + strcspn(p, "\n"), *end = next, *d = p + strlen(key);
        unsigned long n = 0;

        if (end > p && end[-1] == '\r')
            end--;

        if (strncmp(p, key, strlen(key)) == 0) {
            int ok = *d++ == ' ' && *d >= '0' && *d <= '9' && !found;
            for (; ok && *d >= '0' && *d <= '9' && n < 100000000; d++)
                n = n * 10 + (unsigned long)(*d - '0');
            if (!ok || d + 3 != end || strncmp(d, " ms", 3) != 0)
                return yj_error_set(err, YJ_EX_DATAERR,
                                    found ? "query file '%s' line %d: a second cost line"
                                          : "query file '%s' line %d: a cost line is not "
                                            "'-- cost: N ms'",
                                    label, line);
            *cost_ms = n;
            found = 1;
        }
        p = *next ? next + 1 : next;
    }
    return YJ_OK;
}

/* Lists the .sql files of sql_dir in name order. Service queries (service: 1) are named by
 * their path in messages and staged under service/; their folder may be missing or empty. */
static int
load_entities(const char *sql_dir, int service, struct entity **out, size_t *count,
              struct yj_error *err)
{
    DIR *d = opendir(sql_dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0;
    int rc = YJ_OK;

    *out = NULL;
    *count = 0;
    if (!d && service && errno == ENOENT)
        return YJ_OK;
    if (!d)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not open query folder '%s'", sql_dir);
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len > 4 && strcmp(de->d_name + len - 4, ".sql") == 0 && de->d_name[0] != '.') {
            names = xrealloc(names, (n + 1) * sizeof(char *));
            names[n++] = xstrdup(de->d_name);
        }
    }
    closedir(d);
    if (n == 0 && service)
        return YJ_OK;
    if (n == 0) {
        free(names);
        return yj_error_set(err, YJ_EX_NOINPUT, "no *.sql query files in '%s'", sql_dir);
    }
    qsort(names, n, sizeof(char *), name_cmp);
    *out = xcalloc(n, sizeof(struct entity));
    for (size_t i = 0; i < n; i++) {
        char *path = path_join(sql_dir, names[i]);
        struct entity *e = &(*out)[i];
        unsigned long long bytes;

        e->name = xstrdup(names[i]);
        e->name[strlen(e->name) - 4] = '\0';
        e->label = service ? xstrdup(path) : xstrdup(names[i]);
        if (service)
            e->file = inputs_staged_name(e->name);
        else {
            e->file = xmalloc(strlen(e->name) + 5);
            snprintf(e->file, strlen(e->name) + 5, "%s.tsv", e->name);
        }
        if (rc == YJ_OK)
            rc = read_text_file(path, &e->sql, err);
        if (rc == YJ_OK)
            rc = extract_query_cost(e->sql, path, &e->cost_ms, err);
        if (rc == YJ_OK && sha256_file(path, e->sha256, &bytes) != 0)
            rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", path);
        free(path);
        free(names[i]);
    }
    free(names);
    *count = n;
    return rc;
}

static void
entities_free(struct entity *ents, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(ents[i].name);
        free(ents[i].label);
        free(ents[i].file);
        free(ents[i].sql);
    }
    free(ents);
}

/* The service queries' folder: "service" beside the configured query folder (the parent of
 * [return] sql, e.g. sql/service/ beside sql/extract/). */
static char *
service_sql_dir(const char *sql_dir)
{
    size_t n = strlen(sql_dir), k;
    char *parent, *dir;

    while (n > 1 && sql_dir[n - 1] == '/')
        n--;
    for (k = n; k > 0 && sql_dir[k - 1] != '/';)
        k--;
    while (k > 1 && sql_dir[k - 1] == '/')
        k--;
    if (k == 0) {
        parent = xstrdup(".");
    } else {
        parent = xmalloc(k + 1);
        memcpy(parent, sql_dir, k);
        parent[k] = '\0';
    }
    dir = path_join(parent, "service");
    free(parent);
    return dir;
}

/* Pairs the service queries with the lines of the bundle's kpi/inputs.conf: every line needs
 * its query and every query its line. The queries run in the file's order. */
static int
match_service_inputs(const struct inputs *in, const char *svc_dir, struct entity *svcs,
                     size_t nsvcs, struct yj_error *err)
{
    for (size_t k = 0; k < nsvcs; k++) {
        svcs[k].input = inputs_find(in, svcs[k].name);
        if (!svcs[k].input) {
            yj_error_set(err, YJ_EX_CONFIG,
                         "service query '%s' has no line in '%s': no input '%s' is listed",
                         svcs[k].label, in->path, svcs[k].name);
            yj_error_hint(err, "add a line '%s COLUMN ...' to '%s', or remove the query",
                          svcs[k].name, in->path);
            return YJ_EX_CONFIG;
        }
    }
    for (int i = 0; i < in->ninputs; i++) {
        size_t k;
        for (k = 0; k < nsvcs; k++)
            if (svcs[k].input == &in->inputs[i])
                break;
        if (k == nsvcs)
            return yj_error_set(
                err, YJ_EX_CONFIG, "'%s' line %d: input '%s' has no query '%s/%s.sql'", in->path,
                in->inputs[i].line, in->inputs[i].name, svc_dir, in->inputs[i].name);
    }
    return YJ_OK;
}

static int
input_order(const void *a, const void *b)
{
    int x = ((const struct entity *)a)->input->line, y = ((const struct entity *)b)->input->line;
    return (x > y) - (x < y);
}

struct column_check {
    PGresult *desc; /* the query's columns */
    const char *entity;
    const char *items_path;
    struct yj_error *err;
    int rc;
    int *used; /* per query column: read by some item */
};

static void
check_column(const char *column, void *arg)
{
    struct column_check *c = arg;
    int i = PQfnumber(c->desc, column);

    if (c->rc != YJ_OK)
        return;
    if (i < 0 || strcmp(PQfname(c->desc, i), column) != 0) {
        c->rc =
            yj_error_set(c->err, YJ_EX_CONFIG, "query '%s' has no column '%s', which '%s' reads",
                         c->entity, column, c->items_path);
        return;
    }
    c->used[i] = 1;
}

/* The query's columns must be exactly those the item descriptions read: a missing one would
 * fail the transform, an extra one would take data out of the warehouse for nothing. */
static int
check_columns(PGresult *desc, const struct entity *e, const struct items *it, struct yj_error *err)
{
    struct column_check c = {desc, e->label, it->path, err, YJ_OK, NULL};
    int n = PQnfields(desc);

    c.used = xcalloc((size_t)n, sizeof(int));
    items_columns(it, e->name, check_column, &c);
    for (int i = 0; i < n && c.rc == YJ_OK; i++)
        if (!c.used[i]) {
            c.rc =
                yj_error_set(err, YJ_EX_CONFIG, "query '%s' column '%s' is read by no item of '%s'",
                             e->label, PQfname(desc, i), it->path);
            yj_error_hint(err, "only the fields the return needs may leave the warehouse: drop "
                               "the column or describe the field it feeds");
        }
    free(c.used);
    return c.rc;
}

/* A service query's columns must be exactly its inputs.conf line. */
static int
check_service_columns(PGresult *desc, const struct entity *e, const struct inputs *in,
                      struct yj_error *err)
{
    int n = PQnfields(desc), rc;
    const char **cols = xcalloc(n > 0 ? (size_t)n : 1, sizeof(char *));
    char *what = xmalloc(strlen(e->label) + 16);

    for (int i = 0; i < n; i++)
        cols[i] = PQfname(desc, i);
    snprintf(what, strlen(e->label) + 16, "query '%s'", e->label);
    rc = inputs_check_columns(in, e->input, what, cols, n, YJ_EX_CONFIG, err);
    free(what);
    free(cols);
    return rc;
}

/* Prepares E's query (unnamed) and checks its columns: a per-child entity's against the item
 * descriptions, a service-level input's against its inputs.conf line. *DESC gets the
 * description (PQclear it), also on failure (or NULL). */
int
extract_describe(PGconn *conn, const struct entity *e, const struct items *it,
                 const struct inputs *in, PGresult **desc, struct yj_error *err)
{
    PGresult *res = PQprepare(conn, "", e->sql, 0, NULL);
    char msg[512];

    *desc = NULL;
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        int rc = yj_error_set(err, pq_fail_code(conn, res, YJ_EX_SOFTWARE),
                              "query '%s' could not be prepared: %s", e->label,
                              pq_state(conn, res, msg, sizeof(msg)));
        PQclear(res);
        return rc;
    }
    PQclear(res);
    *desc = res = PQdescribePrepared(conn, "");
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        return yj_error_set(err, pq_fail_code(conn, res, YJ_EX_SOFTWARE),
                            "query '%s' could not be described: %s", e->label,
                            pq_state(conn, res, msg, sizeof(msg)));
    if (e->input)
        return check_service_columns(res, e, in, err);
    if (PQnfields(res) < 1 || strcmp(PQfname(res, 0), "child_id") != 0)
        return yj_error_set(err, YJ_EX_DATAERR, "query '%s': first column must be child_id",
                            e->label);
    return check_columns(res, e, it, err);
}

/* Streams one entity's COPY output into out_dir/<e->file> and fills *OUT with what the
 * manifest records of it: a per-child entity checked against the item descriptions, or a
 * service-level input against its inputs.conf line. */
int
extract_entity(PGconn *conn, const struct entity *e, const struct items *it,
               const struct inputs *in, const char *out_dir, struct entity_result *out,
               struct yj_error *err)
{
    struct atomic_file af;
    const char *file = e->file;
    char *path, *copy_sql = NULL, hex[SHA256_HEX_LEN + 1], msg[512];
    PGresult *res = NULL;
    unsigned long long rows = 0;
    double t0 = log_now();
    int rc, ncols;

    path = path_join(out_dir, file);
    atomic_file_init(&af);

    /* Column names from the prepared statement's description: nothing runs twice. */
    if ((rc = extract_describe(conn, e, it, in, &res, err)) != YJ_OK)
        goto done;
    ncols = PQnfields(res);
    rc = atomic_file_open(&af, path, rundir_mode(RD_STAGED_TSV), err);
    if (rc != YJ_OK)
        goto done;
    for (int i = 0; i < ncols && rc == YJ_OK; i++) {
        const char *name = PQfname(res, i);
        if (i > 0)
            rc = atomic_file_write(&af, "\t", 1, err);
        if (rc == YJ_OK)
            rc = atomic_file_write(&af, name, strlen(name), err);
    }
    if (rc == YJ_OK)
        rc = atomic_file_write(&af, "\n", 1, err);
    if (rc != YJ_OK)
        goto done;
    PQclear(res);

    copy_sql = xmalloc(strlen(e->sql) + 32);
    snprintf(copy_sql, strlen(e->sql) + 32, "COPY (%s\n) TO STDOUT", e->sql);
    res = PQexec(conn, copy_sql);
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        rc = yj_error_set(err, pq_fail_code(conn, res, YJ_EX_SOFTWARE), "query '%s' failed: %s",
                          e->label, pq_state(conn, res, msg, sizeof(msg)));
        goto done;
    }
    PQclear(res);
    res = NULL;
    for (;;) {
        char *buf = NULL;
        int n = PQgetCopyData(conn, &buf, 0);

        if (n == -1)
            break;
        if (n == -2) {
            rc = yj_error_set(err, YJ_EX_UNAVAILABLE, "reading '%s' from the warehouse failed: %s",
                              e->file, pq_message(conn, msg, sizeof(msg)));
            goto done;
        }
        rows += staged_count_rows(buf, (size_t)n);
        rc = atomic_file_write(&af, buf, (size_t)n, err);
        PQfreemem(buf);
        if (rc != YJ_OK)
            goto done;
    }
    res = PQgetResult(conn);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        rc = yj_error_set(err, pq_fail_code(conn, res, YJ_EX_SOFTWARE), "query '%s' failed: %s",
                          e->label, pq_state(conn, res, msg, sizeof(msg)));
        goto done;
    }
    rc = atomic_file_commit(&af, err);
    if (rc != YJ_OK)
        goto done;
    sha256_final_hex(&af.hash, hex);
    out->rows = rows;
    out->bytes = af.bytes;
    memcpy(out->sha256, hex, sizeof(out->sha256));
    log_info("extracted %s: %llu rows in %.2f s", e->input ? e->file : e->name, rows,
             log_now() - t0);
done:
    /* drain whatever is left so the connection stays usable for the error path */
    while (res) {
        PQclear(res);
        res = PQgetResult(conn);
    }
    atomic_file_release(&af);
    free(copy_sql);
    free(path);
    return rc;
}

void
extract_init(struct extract *x, const struct yj_config *cfg, const struct extract_options *opt)
{
    memset(x, 0, sizeof(*x));
    x->cfg = cfg;
    x->opt = opt;
    manifest_init(&x->m);
    manifest_init(&x->prev);
    bundle_init(&x->b);
    items_init(&x->it);
    inputs_init(&x->in);
}

void
extract_release(struct extract *x)
{
    if (x->conn)
        PQfinish(x->conn);
    if (x->ents)
        entities_free(x->ents, x->nents);
    if (x->svcs)
        entities_free(x->svcs, x->nsvcs);
    inputs_release(&x->in);
    free(x->svc_dir);
    manifest_release(&x->m);
    manifest_release(&x->prev);
    items_release(&x->it);
    bundle_release(&x->b);
}

/* The queries must give exactly what the period's item descriptions read: every item's staged
 * entity has its query, and every query is read by some item. */
static int
check_entities(const struct extract *x, struct yj_error *err)
{
    const struct items *it = &x->it;

    for (int i = 0; i < it->nitems; i++) {
        size_t k;
        for (k = 0; k < x->nents; k++)
            if (strcmp(x->ents[k].name, it->items[i].staged) == 0)
                break;
        if (k == x->nents)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "'%s' line %d: item '%s' reads staged entity '%s', but '%s' has "
                                "no query '%s.sql'",
                                it->path, it->items[i].line, it->items[i].element,
                                it->items[i].staged, x->cfg->sql, it->items[i].staged);
    }
    for (size_t k = 0; k < x->nents; k++)
        if (!items_uses_entity(it, x->ents[k].name))
            return yj_error_set(err, YJ_EX_CONFIG, "query '%s.sql' is read by no item of '%s'",
                                x->ents[k].name, it->path);
    return YJ_OK;
}

/* The service-level inputs the bundle lists, each with its query; a bundle without
 * kpi/inputs.conf has none, and then sql/service/ is not read. */
static int
load_service_queries(struct extract *x, struct yj_error *err)
{
    struct stat st;
    int rc;

    if ((rc = inputs_load(&x->in, x->b.dir, 0, err)) != YJ_OK)
        return rc;
    if (!x->in.present) {
        if (!x->quiet)
            log_info("bundle %s has no %s: no service-level inputs", x->b.name, INPUTS_FILE);
        return YJ_OK;
    }
    x->svc_dir = service_sql_dir(x->cfg->sql);
    /* a query folder from before the service inputs, with no service/ beside it: none */
    if (stat(x->svc_dir, &st) != 0 && errno == ENOENT) {
        x->in.present = 0; /* nothing of it is staged, so the manifest does not name it */
        log_warn("no service query folder '%s' beside [return] sql: the inputs of '%s' are not "
                 "staged",
                 x->svc_dir, x->in.path);
        return YJ_OK;
    }
    if ((rc = load_entities(x->svc_dir, 1, &x->svcs, &x->nsvcs, err)) != YJ_OK ||
        (rc = match_service_inputs(&x->in, x->svc_dir, x->svcs, x->nsvcs, err)) != YJ_OK)
        return rc;
    if (x->nsvcs > 1)
        qsort(x->svcs, x->nsvcs, sizeof(*x->svcs), input_order);
    return YJ_OK;
}

/* Everything read before connecting: the configuration's folders, the queries, the period's
 * bundle and its item descriptions and service inputs. */
int
load_queries(struct extract *x, struct yj_error *err)
{
    const struct yj_config *cfg = x->cfg;
    int rc;

    if ((rc = config_require(cfg->conninfo, "warehouse", "conninfo", cfg->path, err)) ||
        (rc = config_require(cfg->sql, "return", "sql", cfg->path, err)) ||
        (rc = config_require(cfg->mappings, "return", "mappings", cfg->path, err)))
        return rc;
    if ((rc = load_entities(cfg->sql, 0, &x->ents, &x->nents, err)) != YJ_OK ||
        (rc = bundle_for_period(&x->b, cfg->mappings, &x->opt->period, err)) != YJ_OK ||
        (rc = items_load(&x->it, x->b.dir, err)) != YJ_OK || (rc = check_entities(x, err)) != YJ_OK)
        return rc;
    return load_service_queries(x, err);
}

/* Creates the output folder (and service/ when there are service inputs) and removes the old
 * MANIFEST, so that a crash from here on leaves a folder transform refuses. */
static int
prepare_out_dir(const struct extract *x, const char *manifest_path, struct yj_error *err)
{
    int rc = mkdir_p(x->opt->out_dir, RUNDIR_DIR_MODE, err);

    if (rc == YJ_OK && x->nsvcs > 0) {
        char *sub = path_join(x->opt->out_dir, RUNDIR_SERVICE);
        rc = mkdir_p(sub, RUNDIR_DIR_MODE, err);
        free(sub);
    }
    if (rc != YJ_OK)
        return rc;
    if (unlink(manifest_path) != 0 && errno != ENOENT)
        return yj_error_errno(err, YJ_EX_CANTCREAT, errno, "could not remove old '%s'",
                              manifest_path);
    return YJ_OK;
}

/* The manifest's lines before the files: the period, the snapshot, and the SHA-256 of every
 * description and query the staged files came from. */
static void
manifest_header(struct extract *x)
{
    struct manifest *m = &x->m;
    char key[300];

    manifest_set(m, "stage", "extract");
    manifest_set(m, "yjreturns_version", YJ_VERSION);
    manifest_set(m, "period", x->opt->period.label);
    manifest_set(m, "period_start", x->start);
    manifest_set(m, "period_end", x->end);
    manifest_set(m, "as_of", x->as_of);
    manifest_set(m, "as_of_given", x->opt->as_of ? "yes" : "no");
    manifest_set(m, "snapshot_time", x->snapshot);
    manifest_set(m, "bundle", x->b.name);
    manifest_set(m, "items_sha256", x->it.sha256);
    for (size_t i = 0; i < x->nents; i++) {
        snprintf(key, sizeof(key), "query_sha256.%s", x->ents[i].name);
        manifest_set(m, key, x->ents[i].sha256);
    }
    if (x->in.present)
        manifest_set(m, "inputs_sha256", x->in.sha256);
    for (size_t i = 0; i < x->nsvcs; i++) {
        snprintf(key, sizeof(key), "service_query_sha256.%s", x->svcs[i].name);
        manifest_set(m, key, x->svcs[i].sha256);
    }
}

/* One serial read on the leader's connection, in name order then inputs.conf order. */
static int
extract_serial(struct extract *x, struct entity_result *res, struct yj_error *err)
{
    for (size_t i = 0; i < x->nents + x->nsvcs; i++) {
        const struct entity *e = extract_entity_at(x, i);
        int rc = extract_entity(x->conn, e, &x->it, &x->in, x->opt->out_dir, &res[i], err);
        if (rc != YJ_OK)
            return rc;
    }
    return YJ_OK;
}

int
extract_run(const struct yj_config *cfg, const struct extract_options *opt, struct yj_error *err)
{
    struct extract x;
    struct entity_result *res = NULL;
    char *manifest_path = NULL;
    double t0 = log_now();
    int rc, jobs = 1;

    extract_init(&x, cfg, opt);
    if ((rc = cli_jobs(opt->jobs, EXTRACT_MAX_JOBS, &jobs, err)) != YJ_OK ||
        (rc = load_queries(&x, err)) != YJ_OK)
        goto done;
    manifest_path = path_join(opt->out_dir, RUNDIR_MANIFEST);
    /* the previous read's sizes, if any, order a parallel read's queries without a cost line */
    if (jobs > 1 && access(manifest_path, F_OK) == 0) {
        struct yj_error ignored;
        yj_error_init(&ignored);
        if (manifest_read(&x.prev, manifest_path, NULL, &ignored) != YJ_OK) {
            manifest_release(&x.prev);
            manifest_init(&x.prev);
        }
    }
    if ((rc = prepare_out_dir(&x, manifest_path, err)) != YJ_OK ||
        (rc = warehouse_connect(&x, "yj-extract", err)) != YJ_OK ||
        (rc = snapshot_begin(&x, err)) != YJ_OK)
        goto done;
    manifest_header(&x);
    res = xcalloc(x.nents + x.nsvcs, sizeof(*res));
    /* the service-level inputs, in the same snapshot, after the children */
    rc = jobs == 1 ? extract_serial(&x, res, err) : extract_jobs(&x, jobs, res, err);
    if (rc != YJ_OK)
        goto done;
    rc = exec_ok(x.conn, "COMMIT", 0, NULL, NULL, "ending the snapshot", err);
    if (rc != YJ_OK)
        goto done;
    for (size_t i = 0; i < x.nents + x.nsvcs; i++)
        manifest_add_file(&x.m, extract_entity_at(&x, i)->file, res[i].rows, res[i].bytes,
                          res[i].sha256);
    rundir_format_keys(&x.m, RD_STAGED_MANIFEST);
    rc = manifest_write(&x.m, manifest_path, err);
    if (rc == YJ_OK)
        log_info("extract done: %zu entities and %zu service inputs in %.2f s (%d job%s)", x.nents,
                 x.nsvcs, log_now() - t0, jobs, jobs == 1 ? "" : "s");
done:
    extract_release(&x);
    free(res);
    free(manifest_path);
    return rc;
}
