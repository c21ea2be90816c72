/*
 * kpi_template.c - kpi_check_template (kpi.h): a YJB summary template file compared with the
 * bundle's templates.conf, column by column and row by row.
 */
#include "kpi.h"

#include "atomic.h"
#include "bundle.h"
#include "cldreader.h"
#include "cli.h"
#include "inputs.h"
#include "kchild.h"
#include "kconf.h"
#include "kcount.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "period.h"
#include "rundir.h"
#include "sha256.h"
#include "staged.h"
#include "textline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

/* ---- checking a YJB template file against the bundle ---- */

/* Splits one CSV line (RFC 4180 quotes) in place into at most max cells; returns the count,
 * or -1 for an unterminated quote. */
static int
csv_split(char *line, char **cells, int max)
{
    int n = 0;
    char *p = line, *w;

    for (;;) {
        char *start = p;
        w = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0')
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else
                    *w++ = *p++;
            }
        } else {
            while (*p && *p != ',')
                *w++ = *p++;
        }
        if (n < max)
            cells[n] = start;
        n++;
        if (*p != ',') {
            *w = '\0';
            return n;
        }
        *w = '\0';
        p++;
    }
}

int
kpi_check_template(const char *mappings, const char *period_text, const char *file,
                   struct yj_error *err)
{
    struct yj_period period;
    struct bundle b;
    struct kconf k;
    const struct ktemplate *tp = NULL;
    const char *base = strrchr(file, '/');
    char name[128], line[8192], *cells[128], *tpl_path = NULL;
    size_t len;
    int got;
    FILE *f = NULL;
    int rc, lineno = 0, row = 0, desc = -1, group = -1;

    bundle_init(&b);
    kconf_init(&k);
    base = base ? base + 1 : file;
    snprintf(name, sizeof(name), "%s", base);
    len = strlen(name);
    if (len > 4 && strcmp(name + len - 4, ".csv") == 0)
        name[len -= 4] = '\0';
    if (len > 3 && strcmp(name + len - 3, "_v1") == 0)
        name[len - 3] = '\0';
    if ((rc = period_parse(period_text, &period, err)) != YJ_OK ||
        (rc = bundle_for_period(&b, mappings, &period, err)) != YJ_OK ||
        (rc = kconf_load(&k, b.dir, err)) != YJ_OK)
        goto out;
    tpl_path = path_join(k.dir, "templates.conf");
    for (int t = 0; t < KTPL_N; t++)
        if (strcmp(k.templates[t].name, name) == 0)
            tp = &k.templates[t];
    if (!tp) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "'%s': '%s' is not a template of %s", file, name,
                          tpl_path);
        goto out;
    }
    if (!(f = fopen(file, "r"))) {
        rc = yj_error_errno(err, yj_status_for_input_errno(errno), errno, "could not open '%s'",
                            file);
        goto out;
    }
    /* the template is the YJB's CSV, often saved by Excel: a byte order mark is skipped, a NUL
     * byte named */
    while ((got = textline_read(f, line, sizeof(line), lineno + 1, 1)) == TEXTLINE_OK) {
        int n;
        lineno++;
        if (line[0] == '\0')
            continue;
        n = csv_split(line, cells, 128);
        if (n < 0 || n > 128) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: not a CSV line", file, lineno);
            goto out;
        }
        if (lineno == 1) {
            for (int c = 0; c < n || c < tp->ncolumns; c++) {
                if (c >= n || c >= tp->ncolumns || strcmp(cells[c], tp->columns[c]) != 0) {
                    rc = yj_error_set(err, YJ_EX_CONFIG,
                                      "%s line 1: column %d is '%s', the bundle's is '%s' (%s "
                                      "line %d)",
                                      file, c + 1, c < n ? cells[c] : "(none)",
                                      c < tp->ncolumns ? tp->columns[c] : "(none)", tpl_path,
                                      tp->line);
                    goto out;
                }
                if (tp->column_map[c] == KCOL_DESCRIPTION)
                    desc = c;
                if (tp->column_map[c] == KCOL_GROUP)
                    group = c;
            }
            continue;
        }
        if (row >= tp->nrows) {
            rc = yj_error_set(err, YJ_EX_CONFIG,
                              "%s line %d: a row the bundle's %s does not have: '%s'", file, lineno,
                              tp->name, desc < n ? cells[desc] : "");
            goto out;
        }
        if (desc >= n || strcmp(cells[desc], tp->rows[row].label) != 0 ||
            (group >= 0 &&
             (group >= n ||
              strcmp(cells[group], tp->rows[row].group ? tp->rows[row].group : "") != 0))) {
            rc = yj_error_set(err, YJ_EX_CONFIG,
                              "%s line %d: description '%s' differs from the bundle's '%s' (%s "
                              "line %d)",
                              file, lineno, desc < n ? cells[desc] : "", tp->rows[row].label,
                              tpl_path, tp->rows[row].line);
            goto out;
        }
        row++;
    }
    if (got == TEXTLINE_ERROR) {
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", file);
        goto out;
    }
    if (got != TEXTLINE_EOF) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s", file, lineno + 1,
                          textline_problem(got));
        if (textline_hint(got))
            yj_error_hint(err, "%s", textline_hint(got));
        goto out;
    }
    if (lineno == 0 || row < tp->nrows) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "%s: ends before the bundle's row '%s' (%s line %d)",
                          file, tp->rows[row < tp->nrows ? row : 0].label, tpl_path,
                          tp->rows[row < tp->nrows ? row : 0].line);
        goto out;
    }
    rc = YJ_OK;
out:
    if (f)
        fclose(f);
    free(tpl_path);
    kconf_release(&k);
    bundle_release(&b);
    return rc;
}
