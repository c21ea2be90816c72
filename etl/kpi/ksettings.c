/*
 * ksettings.c - kpi.conf, the KPI settings of a schema bundle (ages, hours, gravity, the
 * population year, the group lists): reads KEY = VALUE lines into struct ksettings and
 * refuses an unknown, repeated, missing or out-of-range key with one line naming the file,
 * the line and the value. Part of the rules loader of kconf.h; the code tables, the
 * template names and board_sector.csv are kconf.c's, templates.conf is ktemplates.c's.
 */
#include "kconf.h"
#include "kconf_read.h"

#include "atomic.h"
#include "mem.h"
#include "period.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* ---- kpi.conf ---- */

enum { SK_DATE, SK_INT, SK_YESNO, SK_TEXT, SK_LIST };

static char **
split_list(const char *v)
{
    char **l = xcalloc(strlen(v) + 2, sizeof(char *));
    char *copy = xstrdup(v), *p = copy, *c;
    int n = 0;

    do {
        c = strchr(p, ',');
        if (c)
            *c = '\0';
        l[n++] = xstrdup(str_trim(p));
        p = c ? c + 1 : NULL;
    } while (p);
    free(copy);
    return l;
}

void
kconf_free_list(char **l)
{
    if (!l)
        return;
    for (int i = 0; l[i]; i++)
        free(l[i]);
    free(l);
}

struct skey {
    const char *key;
    int kind;
    void *out; /* NULL: sv_rate_per, a long */
    int min, max;
    int seen;
};

struct settings_ctx {
    struct ksettings *s;
    struct skey *keys;
    int nkeys;
    const char *path;
};

/* A group list: each a group of legal_outcome.csv's group column. */
static int
set_list(const struct settings_ctx *c, const struct skey *k, const char *val, int lineno,
         struct yj_error *err)
{
    char **l;

    if (*val == '\0')
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s is empty", c->path, lineno, k->key);
    l = split_list(val);
    *(char ***)k->out = l;
    for (int g = 0; l[g]; g++)
        if (kconf_list_find(kgroup_names, l[g]) < 0)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: %s: unknown group '%s' (one of Diversion, "
                                "Pre-Court, First-tier, Community, Custody)",
                                c->path, lineno, k->key, l[g]);
    return YJ_OK;
}

/* VAL into the target of key K. */
static int
set_value(const struct settings_ctx *c, const struct skey *k, const char *val, int lineno,
          struct yj_error *err)
{
    char *end;
    long v;

    switch (k->kind) {
    case SK_DATE:
        if (date_parse(val, (long *)k->out) != 0)
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s '%s' is not a date", c->path,
                                lineno, k->key, val);
        return YJ_OK;
    case SK_INT:
        errno = 0;
        v = strtol(val, &end, 10);
        if (errno || end == val || *end || v < k->min || v > k->max)
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s '%s' is not a number %d-%d",
                                c->path, lineno, k->key, val, k->min, k->max);
        if (k->out)
            *(int *)k->out = (int)v;
        else
            c->s->sv_rate_per = v;
        return YJ_OK;
    case SK_YESNO:
        if (strcmp(val, "yes") != 0 && strcmp(val, "no") != 0)
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s '%s' is not yes or no", c->path,
                                lineno, k->key, val);
        *(int *)k->out = strcmp(val, "yes") == 0;
        return YJ_OK;
    case SK_TEXT:
        if (*val == '\0')
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s is empty", c->path, lineno,
                                k->key);
        *(char **)k->out = xstrdup(val);
        return YJ_OK;
    default: /* SK_LIST */
        return set_list(c, k, val, lineno, err);
    }
}

static int
settings_line(void *ctx, char *line, int lineno, struct yj_error *err)
{
    struct settings_ctx *c = ctx;
    char *eq = strchr(line, '='), *key, *val;
    int i;

    if (!eq)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: expected KEY = VALUE", c->path, lineno);
    *eq = '\0';
    key = str_trim(line);
    val = str_trim(eq + 1);
    for (i = 0; i < c->nkeys && strcmp(c->keys[i].key, key) != 0; i++)
        ;
    if (i == c->nkeys)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unknown key '%s'", c->path, lineno,
                            key);
    if (c->keys[i].seen)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: key '%s' given twice", c->path, lineno,
                            key);
    c->keys[i].seen = 1;
    return set_value(c, &c->keys[i], val, lineno, err);
}

int
kconf_load_settings(struct kconf *k, struct yj_error *err)
{
    struct ksettings *s = &k->s;
    struct skey keys[] = {
        {"first_programme_end", SK_DATE, &s->first_programme_end, 0, 0, 0},
        {"age_min", SK_INT, &s->age_min, 0, 30, 0},
        {"age_max", SK_INT, &s->age_max, 0, 30, 0},
        {"full_time_hours_school", SK_INT, &s->full_time_hours_school, 1, 168, 0},
        {"full_time_hours_above", SK_INT, &s->full_time_hours_above, 1, 168, 0},
        {"sv_gravity_min", SK_INT, &s->sv_gravity_min, 1, 8, 0},
        {"sv_gravity_max", SK_INT, &s->sv_gravity_max, 1, 8, 0},
        {"sv_first_band_max_age", SK_INT, &s->sv_first_band_max_age, 0, 30, 0},
        {"population_years_back", SK_INT, &s->population_years_back, 0, 10, 0},
        {"sv_rate_per", SK_INT, NULL, 1, 1000000, 0},
        {"board_sectors", SK_INT, &s->board_sectors, 1, 5, 0},
        {"absent_appeal_counts", SK_YESNO, &s->absent_appeal_counts, 0, 0, 0},
        {"absent_residence_counts", SK_YESNO, &s->absent_residence_counts, 0, 0, 0},
        {"victim_yes", SK_TEXT, &s->victim_yes, 0, 0, 0},
        {"send_yes", SK_TEXT, &s->send_yes, 0, 0, 0},
        {"kpi6_groups", SK_LIST, &s->kpi6_groups, 0, 0, 0},
        {"kpi9_groups", SK_LIST, &s->kpi9_groups, 0, 0, 0},
    };
    char *path = path_join(k->dir, "kpi.conf");
    struct settings_ctx c = {s, keys, (int)(sizeof(keys) / sizeof(keys[0])), path};
    int rc = kconf_read_file(path, k->settings_sha256, settings_line, &c, err);

    for (int i = 0; rc == YJ_OK && i < c.nkeys; i++)
        if (!keys[i].seen)
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s: key '%s' is missing", path, keys[i].key);
    if (rc == YJ_OK && (s->age_min > s->age_max || s->sv_gravity_min > s->sv_gravity_max))
        rc = yj_error_set(err, YJ_EX_CONFIG, "%s: a minimum is above its maximum", path);
    free(path);
    return rc;
}
