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

int
kconf_load_settings(struct kconf *k, struct yj_error *err)
{
    struct ksettings *s = &k->s;
    struct {
        const char *key;
        int kind;
        void *out;
        int min, max;
        int seen;
    } keys[] = {
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
    const int nkeys = (int)(sizeof(keys) / sizeof(keys[0]));
    char *path = path_join(k->dir, "kpi.conf"), line[LINE_MAX_BYTES];
    FILE *f = NULL;
    int lineno = 0, r, rc;

    if ((rc = kconf_open_file(path, &f, k->settings_sha256, err)) != YJ_OK)
        goto out;
    while ((r = kconf_read_line(f, line, sizeof(line), &lineno, path, err)) != 0) {
        char *eq, *key, *val;
        int i;

        if (r < 0) {
            rc = err->code;
            goto out;
        }
        if (kconf_is_blank_or_comment(line))
            continue;
        eq = strchr(line, '=');
        if (!eq) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: expected KEY = VALUE", path, lineno);
            goto out;
        }
        *eq = '\0';
        key = str_trim(line);
        val = str_trim(eq + 1);
        for (i = 0; i < nkeys && strcmp(keys[i].key, key) != 0; i++)
            ;
        if (i == nkeys) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unknown key '%s'", path, lineno, key);
            goto out;
        }
        if (keys[i].seen) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: key '%s' given twice", path, lineno,
                              key);
            goto out;
        }
        keys[i].seen = 1;
        switch (keys[i].kind) {
        case SK_DATE:
            if (date_parse(val, (long *)keys[i].out) != 0)
                rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s '%s' is not a date", path,
                                  lineno, key, val);
            break;
        case SK_INT: {
            char *end;
            long v;
            errno = 0;
            v = strtol(val, &end, 10);
            if (errno || end == val || *end || v < keys[i].min || v > keys[i].max)
                rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s '%s' is not a number %d-%d",
                                  path, lineno, key, val, keys[i].min, keys[i].max);
            else if (keys[i].out)
                *(int *)keys[i].out = (int)v;
            else
                s->sv_rate_per = v;
            break;
        }
        case SK_YESNO:
            if (strcmp(val, "yes") == 0 || strcmp(val, "no") == 0)
                *(int *)keys[i].out = strcmp(val, "yes") == 0;
            else
                rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s '%s' is not yes or no", path,
                                  lineno, key, val);
            break;
        case SK_TEXT:
            if (*val == '\0')
                rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s is empty", path, lineno, key);
            else
                *(char **)keys[i].out = xstrdup(val);
            break;
        case SK_LIST:
            if (*val == '\0')
                rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s is empty", path, lineno, key);
            else {
                char **l = split_list(val);
                *(char ***)keys[i].out = l;
                /* group lists: each a group of legal_outcome.csv's group column */
                for (int g = 0; l[g] && rc == YJ_OK; g++)
                    if (kconf_list_find(kgroup_names, l[g]) < 0)
                        rc = yj_error_set(err, YJ_EX_CONFIG,
                                          "%s line %d: %s: unknown group '%s' (one of Diversion, "
                                          "Pre-Court, First-tier, Community, Custody)",
                                          path, lineno, key, l[g]);
            }
            break;
        }
        if (rc != YJ_OK)
            goto out;
    }
    for (int i = 0; i < nkeys; i++)
        if (!keys[i].seen) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s: key '%s' is missing", path, keys[i].key);
            goto out;
        }
    if (s->age_min > s->age_max || s->sv_gravity_min > s->sv_gravity_max) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "%s: a minimum is above its maximum", path);
        goto out;
    }
    rc = YJ_OK;
out:
    if (f)
        fclose(f);
    free(path);
    return rc;
}
