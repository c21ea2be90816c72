/*
 * ktemplates.c - templates.conf, the labels of the KPI templates of a schema bundle: each
 * template's columns (counted, key or blank), its rows' labels and groups, checked against
 * the row keys and counted columns kconf.c names for it, with one line naming the file, the
 * line and the value on any disagreement. Part of the rules loader of kconf.h; kpi.conf is
 * ksettings.c's.
 */
#include "kconf.h"
#include "kconf_read.h"

#include "atomic.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* ---- templates.conf ---- */

/* Reads a double-quoted string at *p (advancing past it) into a new string. */
static char *
quoted(char **p)
{
    char *s = *p, *e;

    while (*s == ' ' || *s == '\t')
        s++;
    if (*s != '"')
        return NULL;
    e = strchr(s + 1, '"');
    if (!e)
        return NULL;
    *p = e + 1;
    {
        char *out = xmalloc((size_t)(e - s));
        memcpy(out, s + 1, (size_t)(e - s - 1));
        out[e - s - 1] = '\0';
        return out;
    }
}

static int
finish_template(struct kconf *k, int t, const char *path, struct yj_error *err)
{
    struct ktemplate *tp = &k->templates[t];
    int ncount = ktemplate_col_count(t), nrows = ktemplate_row_count(t);
    static const char *const keycols[] = {"return_status_id", "reporting_date", "yot_code",
                                          "description", "description_group"};

    tp->column_map = xmalloc(((size_t)tp->ncolumns + 1) * sizeof(int));
    for (int c = 0; c < tp->ncolumns; c++) {
        const char *name = tp->columns[c];
        int m = -100;
        if (name[0] == '~') /* marked blank by a "blank" line */
            m = KCOL_BLANK;
        for (int kc = 0; kc < 5 && m == -100; kc++)
            if (strcmp(name, keycols[kc]) == 0)
                m = -2 - kc;
        for (int cc = 0; cc < ncount && m == -100; cc++)
            if (strcmp(name, ktemplate_col_name(t, cc)) == 0)
                m = cc;
        if (m == -100)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: template %s: column '%s' is neither counted nor "
                                "blank",
                                path, tp->line, tp->name, name);
        for (int d = 0; d < c; d++)
            if (tp->column_map[d] == m && m != KCOL_BLANK)
                return yj_error_set(err, YJ_EX_CONFIG,
                                    "%s line %d: template %s: column '%s' given twice", path,
                                    tp->line, tp->name, name);
        if (m == KCOL_GROUP)
            tp->has_group = 1;
        tp->column_map[c] = m;
    }
    for (int kc = 0; kc < 4; kc++) {
        int found = 0;
        for (int c = 0; c < tp->ncolumns; c++)
            found |= tp->column_map[c] == -2 - kc;
        if (!found)
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: template %s lacks column '%s'",
                                path, tp->line, tp->name, keycols[kc]);
    }
    for (int cc = 0; cc < ncount; cc++) {
        int found = 0;
        for (int c = 0; c < tp->ncolumns; c++)
            found |= tp->column_map[c] == cc;
        if (!found)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: template %s lacks counted column '%s'", path, tp->line,
                                tp->name, ktemplate_col_name(t, cc));
    }
    for (int r = 0; r < nrows; r++) {
        int found = 0;
        for (int i = 0; i < tp->nrows; i++)
            found |= tp->rows[i].key == r;
        if (!found)
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: template %s lacks row '%s'", path,
                                tp->line, tp->name, ktemplate_row_key(t, r));
    }
    /* the column names as written, without the blank mark */
    for (int c = 0; c < tp->ncolumns; c++)
        if (tp->columns[c][0] == '~')
            memmove(tp->columns[c], tp->columns[c] + 1, strlen(tp->columns[c]));
    return YJ_OK;
}

int
kconf_load_templates(struct kconf *k, struct yj_error *err)
{
    char *path = path_join(k->dir, "templates.conf"), line[LINE_MAX_BYTES];
    FILE *f = NULL;
    int lineno = 0, r, rc, cur = -1;

    if ((rc = kconf_open_file(path, &f, k->templates_sha256, err)) != YJ_OK)
        goto out;
    while ((r = kconf_read_line(f, line, sizeof(line), &lineno, path, err)) != 0) {
        char *p = line, *word, *cursor;
        struct ktemplate *tp = cur >= 0 ? &k->templates[cur] : NULL;

        if (r < 0) {
            rc = err->code;
            goto out;
        }
        if (kconf_is_blank_or_comment(line))
            continue;
        cursor = p;
        word = str_token(&cursor, " \t");
        p = word + strlen(word) + 1;
        if (strcmp(word, "template") == 0) {
            char *name = str_token(&cursor, " \t");
            int t;
            if (cur >= 0 && (rc = finish_template(k, cur, path, err)) != YJ_OK)
                goto out;
            for (t = 0; t < KTPL_N && (!name || strcmp(name, ktemplate_name(t)) != 0); t++)
                ;
            if (t == KTPL_N) {
                rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unknown template '%s'", path,
                                  lineno, name ? name : "");
                goto out;
            }
            if (k->templates[t].name) {
                rc = yj_error_set(err, YJ_EX_CONFIG,
                                  "%s line %d: template '%s' given twice (also line %d)", path,
                                  lineno, name, k->templates[t].line);
                goto out;
            }
            k->templates[t].name = xstrdup(name);
            k->templates[t].line = lineno;
            cur = t;
        } else if (!tp) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: '%s' before any template", path,
                              lineno, word);
            goto out;
        } else if (strcmp(word, "columns") == 0) {
            char *c;
            while ((c = str_token(&cursor, " \t")) != NULL) {
                tp->columns = xrealloc(tp->columns, ((size_t)tp->ncolumns + 1) * sizeof(char *));
                tp->columns[tp->ncolumns++] = xstrdup(c);
            }
        } else if (strcmp(word, "blank") == 0) {
            char *c;
            while ((c = str_token(&cursor, " \t")) != NULL) {
                int i;
                for (i = 0; i < tp->ncolumns && strcmp(tp->columns[i], c) != 0; i++)
                    ;
                if (i == tp->ncolumns) {
                    rc = yj_error_set(err, YJ_EX_CONFIG,
                                      "%s line %d: blank column '%s' is not a column of %s", path,
                                      lineno, c, tp->name);
                    goto out;
                }
                tp->columns[i] = xrealloc(tp->columns[i], strlen(tp->columns[i]) + 2);
                memmove(tp->columns[i] + 1, tp->columns[i], strlen(tp->columns[i]) + 1);
                tp->columns[i][0] = '~';
            }
        } else if (strcmp(word, "row") == 0) {
            char *key = str_token(&cursor, " \t"), *label, *group;
            int ki = key ? kconf_list_find(ktemplate_rows(cur), key) : -1;
            struct ktemplate_row *row;

            if (ki < 0) {
                rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unknown row '%s' of %s", path,
                                  lineno, key ? key : "", tp->name);
                goto out;
            }
            for (int i = 0; i < tp->nrows; i++)
                if (tp->rows[i].key == ki) {
                    rc = yj_error_set(err, YJ_EX_CONFIG,
                                      "%s line %d: row '%s' given twice (also line %d)", path,
                                      lineno, key, tp->rows[i].line);
                    goto out;
                }
            p = key + strlen(key) + 1;
            label = quoted(&p);
            if (!label) {
                rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: row '%s' needs a \"label\"", path,
                                  lineno, key);
                goto out;
            }
            group = quoted(&p);
            tp->rows = xrealloc(tp->rows, ((size_t)tp->nrows + 1) * sizeof(*tp->rows));
            row = &tp->rows[tp->nrows++];
            row->key = ki;
            row->label = label;
            row->group = group;
            row->line = lineno;
            if (*str_trim(p) != '\0') {
                rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unexpected text after label",
                                  path, lineno);
                goto out;
            }
        } else {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unknown word '%s'", path, lineno,
                              word);
            goto out;
        }
    }
    if (cur >= 0 && (rc = finish_template(k, cur, path, err)) != YJ_OK)
        goto out;
    for (int t = 0; t < KTPL_N; t++)
        if (!k->templates[t].name) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s: template '%s' is missing", path,
                              ktemplate_name(t));
            goto out;
        }
    rc = YJ_OK;
out:
    if (f)
        fclose(f);
    free(path);
    return rc;
}
