/*
 * inputs.c - loading BUNDLE/kpi/inputs.conf, the service-level inputs (inputs.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "inputs.h"

#include "atomic.h"
#include "rundir.h"
#include "mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define INPUTS_MAX_NAME 63 /* PostgreSQL's identifier length */

void
inputs_init(struct inputs *in)
{
    memset(in, 0, sizeof(*in));
}

void
inputs_release(struct inputs *in)
{
    for (int i = 0; i < in->ninputs; i++) {
        for (int c = 0; c < in->inputs[i].ncolumns; c++)
            free(in->inputs[i].columns[c]);
        free(in->inputs[i].columns);
        free(in->inputs[i].name);
    }
    free(in->inputs);
    free(in->path);
    inputs_init(in);
}

/* A name or column: [a-z_][a-z0-9_]*, as PostgreSQL folds an unquoted identifier, and safe
 * as a file name. */
static int
valid_word(const char *w)
{
    size_t n = strlen(w);

    if (n == 0 || n > INPUTS_MAX_NAME || (w[0] >= '0' && w[0] <= '9'))
        return 0;
    return strspn(w, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

const struct service_input *
inputs_find(const struct inputs *in, const char *name)
{
    for (int i = 0; i < in->ninputs; i++)
        if (strcmp(in->inputs[i].name, name) == 0)
            return &in->inputs[i];
    return NULL;
}

char *
inputs_staged_name(const char *name)
{
    size_t n = strlen(RUNDIR_SERVICE) + 1 + strlen(name) + sizeof(".tsv");
    char *s = xmalloc(n);

    snprintf(s, n, "%s/%s.tsv", RUNDIR_SERVICE, name);
    return s;
}

/* Parses one non-comment line (modified in place) into a new input. */
static int
parse_line(struct inputs *in, char *line, int lineno, struct yj_error *err)
{
    struct service_input si = {0};
    const struct service_input *dup;
    char *cursor = line, *w;
    int rc = YJ_OK;

    si.line = lineno;
    for (w = str_token(&cursor, " \t"); w; w = str_token(&cursor, " \t")) {
        if (!valid_word(w)) {
            rc = yj_error_set(err, YJ_EX_CONFIG,
                              "%s line %d: '%s' is not a valid %s (lower-case letters, digits "
                              "and '_', not starting with a digit, at most %d)",
                              in->path, lineno, w, si.name ? "column" : "input name",
                              INPUTS_MAX_NAME);
            break;
        }
        if (!si.name) {
            si.name = xstrdup(w);
            continue;
        }
        for (int c = 0; c < si.ncolumns && rc == YJ_OK; c++)
            if (strcmp(si.columns[c], w) == 0)
                rc = yj_error_set(err, YJ_EX_CONFIG,
                                  "%s line %d: input '%s' lists column '%s' twice", in->path,
                                  lineno, si.name, w);
        if (rc != YJ_OK)
            break;
        si.columns = xrealloc(si.columns, (size_t)(si.ncolumns + 1) * sizeof(char *));
        si.columns[si.ncolumns++] = xstrdup(w);
    }
    if (rc == YJ_OK && si.ncolumns == 0)
        rc = yj_error_set(err, YJ_EX_CONFIG,
                          "%s line %d: input '%s' has no columns: expected 'NAME COLUMN ...'",
                          in->path, lineno, si.name);
    if (rc == YJ_OK && (dup = inputs_find(in, si.name)) != NULL)
        rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: input '%s' is already given on line %d",
                          in->path, lineno, si.name, dup->line);
    if (rc != YJ_OK) {
        for (int c = 0; c < si.ncolumns; c++)
            free(si.columns[c]);
        free(si.columns);
        free(si.name);
        return rc;
    }
    in->inputs = xrealloc(in->inputs, (size_t)(in->ninputs + 1) * sizeof(*in->inputs));
    in->inputs[in->ninputs++] = si;
    return YJ_OK;
}

static int
load(struct inputs *in, FILE *f, struct yj_error *err)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0, rc = YJ_OK;
    unsigned long long bytes;

    while (rc == YJ_OK && (len = getline(&line, &cap, f)) >= 0) {
        char *p;

        lineno++;
        if ((size_t)len != strlen(line)) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: NUL byte", in->path, lineno);
            break;
        }
        line[strcspn(line, "\r\n")] = '\0';
        p = line + strspn(line, " \t");
        if (*p == '\0' || *p == '#')
            continue;
        rc = parse_line(in, p, lineno, err);
    }
    if (rc == YJ_OK && ferror(f))
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", in->path);
    free(line);
    if (rc == YJ_OK && sha256_file(in->path, in->sha256, &bytes) != 0)
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", in->path);
    return rc;
}

int
inputs_load_file(struct inputs *in, const char *path, struct yj_error *err)
{
    FILE *f;
    int rc;

    free(in->path);
    in->path = xstrdup(path);
    f = fopen(path, "r");
    if (!f)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not open service inputs '%s'", path);
    rc = load(in, f, err);
    fclose(f);
    if (rc == YJ_OK)
        in->present = 1;
    return rc;
}

int
inputs_load(struct inputs *in, const char *bundle_dir, int required, struct yj_error *err)
{
    char *path = path_join(bundle_dir, INPUTS_FILE);
    FILE *f = fopen(path, "r");
    int rc;

    if (!f && errno == ENOENT && !required) {
        free(in->path);
        in->path = path;
        in->present = 0;
        return YJ_OK;
    }
    if (f)
        fclose(f);
    rc = inputs_load_file(in, path, err);
    free(path);
    return rc;
}

static int
index_of(const char *const *names, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int
inputs_check_columns(const struct inputs *in, const struct service_input *si, const char *what,
                     const char *const *columns, int ncolumns, int code, struct yj_error *err)
{
    const char *const *listed = (const char *const *)si->columns;
    int n = ncolumns > si->ncolumns ? ncolumns : si->ncolumns;

    for (int i = 0; i < n; i++) {
        const char *have = i < ncolumns ? columns[i] : NULL;
        const char *want = i < si->ncolumns ? listed[i] : NULL;

        if (have && want && strcmp(have, want) == 0)
            continue;
        if (want && index_of(columns, ncolumns, want) < 0)
            yj_error_set(err, code, "%s has no column '%s' (column %d), which '%s' line %d lists",
                         what, want, i + 1, in->path, si->line);
        else if (index_of(listed, si->ncolumns, have) < 0)
            yj_error_set(err, code, "%s column %d '%s' is not listed by '%s' line %d", what, i + 1,
                         have, in->path, si->line);
        else if (!want)
            yj_error_set(err, code,
                         "%s column %d '%s' is selected twice; '%s' line %d lists %d columns", what,
                         i + 1, have, in->path, si->line, si->ncolumns);
        else
            yj_error_set(err, code,
                         "%s column %d is '%s', but '%s' line %d lists '%s' there (columns in "
                         "another order)",
                         what, i + 1, have, in->path, si->line, want);
        yj_error_hint(err,
                      "select exactly the columns of '%s' line %d, in its order: only what the "
                      "service-level inputs need may leave the warehouse",
                      in->path, si->line);
        return code;
    }
    return YJ_OK;
}
