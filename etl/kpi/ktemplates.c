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

struct tpl_ctx {
    struct kconf *k;
    const char *path;
    int cur; /* the template being read, or -1 */
};

/* "template NAME": ends the template before and starts NAME. */
static int
tpl_start(struct tpl_ctx *c, char *name, int lineno, struct yj_error *err)
{
    struct kconf *k = c->k;
    int t, rc;

    if (c->cur >= 0 && (rc = finish_template(k, c->cur, c->path, err)) != YJ_OK)
        return rc;
    for (t = 0; t < KTPL_N && (!name || strcmp(name, ktemplate_name(t)) != 0); t++)
        ;
    if (t == KTPL_N)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unknown template '%s'", c->path, lineno,
                            name ? name : "");
    if (k->templates[t].name)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: template '%s' given twice (also line %d)", c->path, lineno,
                            name, k->templates[t].line);
    k->templates[t].name = xstrdup(name);
    k->templates[t].line = lineno;
    c->cur = t;
    return YJ_OK;
}

/* "blank NAME ...": marks each column (a '~' before its name until finish_template). */
static int
tpl_blank(struct tpl_ctx *c, struct ktemplate *tp, char **cursor, int lineno, struct yj_error *err)
{
    char *name;

    while ((name = str_token(cursor, " \t")) != NULL) {
        int i;
        for (i = 0; i < tp->ncolumns && strcmp(tp->columns[i], name) != 0; i++)
            ;
        if (i == tp->ncolumns)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: blank column '%s' is not a column of %s", c->path,
                                lineno, name, tp->name);
        tp->columns[i] = xrealloc(tp->columns[i], strlen(tp->columns[i]) + 2);
        memmove(tp->columns[i] + 1, tp->columns[i], strlen(tp->columns[i]) + 1);
        tp->columns[i][0] = '~';
    }
    return YJ_OK;
}

/* After a row's label and group: nothing, or "blank SUFFIX". */
static int
tpl_row_tail(struct tpl_ctx *c, struct ktemplate_row *row, char *p, int lineno,
             struct yj_error *err)
{
    char *cursor = p, *word = str_token(&cursor, " \t");

    if (word && strcmp(word, "blank") == 0) {
        char *suffix = str_token(&cursor, " \t");
        if (!suffix || !key_ok(suffix))
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: row '%s': blank needs a column suffix", c->path,
                                lineno, row->key);
        row->blank = xstrdup(suffix);
        word = str_token(&cursor, " \t");
    }
    if (word)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unexpected text after label", c->path,
                            lineno);
    return YJ_OK;
}

/* "row KEY "LABEL" ["GROUP"] [blank SUFFIX]". */
static int
tpl_row(struct tpl_ctx *c, struct ktemplate *tp, char **cursor, int lineno, struct yj_error *err)
{
    char *key = str_token(cursor, " \t"), *label, *p;
    struct ktemplate_row *row;

    if (!key || !key_ok(key))
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: row key '%s' of %s is not lower-case letters, digits "
                            "and '_'",
                            c->path, lineno, key ? key : "", tp->name);
    for (int i = 0; i < tp->nrows; i++)
        if (strcmp(tp->rows[i].key, key) == 0)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: row '%s' given twice (also line %d)", c->path, lineno,
                                key, tp->rows[i].line);
    p = *cursor; /* the rest of the line, after the key */
    label = quoted(&p);
    if (!label)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: row '%s' needs a \"label\"", c->path,
                            lineno, key);
    tp->rows = xrealloc(tp->rows, ((size_t)tp->nrows + 1) * sizeof(*tp->rows));
    row = &tp->rows[tp->nrows++];
    memset(row, 0, sizeof(*row));
    row->key = xstrdup(key);
    row->label = label;
    row->group = quoted(&p);
    row->line = lineno;
    return tpl_row_tail(c, row, p, lineno, err);
}

static int
tpl_line(void *ctx, char *line, int lineno, struct yj_error *err)
{
    struct tpl_ctx *c = ctx;
    struct ktemplate *tp = c->cur >= 0 ? &c->k->templates[c->cur] : NULL;
    char *cursor = line, *word = str_token(&cursor, " \t"), *name;

    if (strcmp(word, "template") == 0)
        return tpl_start(c, str_token(&cursor, " \t"), lineno, err);
    if (!tp)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: '%s' before any template", c->path,
                            lineno, word);
    if (strcmp(word, "columns") == 0) {
        while ((name = str_token(&cursor, " \t")) != NULL) {
            tp->columns = xrealloc(tp->columns, ((size_t)tp->ncolumns + 1) * sizeof(char *));
            tp->columns[tp->ncolumns++] = xstrdup(name);
        }
        return YJ_OK;
    }
    if (strcmp(word, "blank") == 0)
        return tpl_blank(c, tp, &cursor, lineno, err);
    if (strcmp(word, "row") == 0)
        return tpl_row(c, tp, &cursor, lineno, err);
    return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unknown word '%s'", c->path, lineno, word);
}

int
kconf_load_templates(struct kconf *k, struct yj_error *err)
{
    char *path = path_join(k->dir, "templates.conf");
    struct tpl_ctx c = {k, path, -1};
    int rc = kconf_read_file(path, k->templates_sha256, tpl_line, &c, err);

    if (rc == YJ_OK && c.cur >= 0)
        rc = finish_template(k, c.cur, path, err);
    for (int t = 0; rc == YJ_OK && t < KTPL_N; t++)
        if (!k->templates[t].name)
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s: template '%s' is missing", path,
                              ktemplate_name(t));
    free(path);
    return rc;
}
