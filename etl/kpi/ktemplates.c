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

/* A row key or column suffix: lower-case letters, digits and '_'. */
static int
key_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static int
finish_template(struct kconf *k, int t, const char *path, struct yj_error *err)
{
    struct ktemplate *tp = &k->templates[t];
    int ncount = ktemplate_col_count(t);
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
    if (tp->nrows > KMAX_ROWS)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: template %s has %d rows, at most %d",
                            path, tp->line, tp->name, tp->nrows, KMAX_ROWS);
    for (int r = 0; r < tp->nrows; r++) {
        struct ktemplate_row *row = &tp->rows[r];
        size_t sl;
        if (!row->blank)
            continue;
        sl = strlen(row->blank);
        for (int cc = 0; cc < ncount; cc++) {
            const char *name = ktemplate_col_name(t, cc);
            size_t nl = strlen(name);
            if (nl > sl && name[nl - sl - 1] == '_' && strcmp(name + nl - sl, row->blank) == 0)
                row->blank_cols |= 1ULL << cc;
        }
        if (!row->blank_cols)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: row '%s': no counted column of %s ends in '_%s'", path,
                                row->line, row->key, tp->name, row->blank);
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
            char *key = str_token(&cursor, " \t"), *label, *group, *word2;
            struct ktemplate_row *row;

            if (!key || !key_ok(key)) {
                rc = yj_error_set(err, YJ_EX_CONFIG,
                                  "%s line %d: row key '%s' of %s is not lower-case letters, "
                                  "digits and '_'",
                                  path, lineno, key ? key : "", tp->name);
                goto out;
            }
            for (int i = 0; i < tp->nrows; i++)
                if (strcmp(tp->rows[i].key, key) == 0) {
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
            memset(row, 0, sizeof(*row));
            row->key = xstrdup(key);
            row->label = label;
            row->group = group;
            row->line = lineno;
            cursor = p;
            word2 = str_token(&cursor, " \t");
            if (word2 && strcmp(word2, "blank") == 0) {
                char *suffix = str_token(&cursor, " \t");
                if (suffix && key_ok(suffix))
                    row->blank = xstrdup(suffix);
                word2 = suffix ? str_token(&cursor, " \t") : NULL;
                if (!row->blank) {
                    rc = yj_error_set(err, YJ_EX_CONFIG,
                                      "%s line %d: row '%s': blank needs a "
                                      "column suffix",
                                      path, lineno, key);
                    goto out;
                }
            }
            if (word2) {
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
