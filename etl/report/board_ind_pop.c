/*
 * board_ind_pop.c - the 10-17 population the indicators' rates and shares divide by: the
 * staged service input indicators.conf names (population_group: year, age_band,
 * ethnicity_group, headcount), read with the staged-file reader, checked against the staged
 * MANIFEST and its header against the bundle's kpi/inputs.conf. Bands are summed; a row with a
 * value the rules do not know, or a row given twice, is refused, never skipped; a year lacking
 * a band or group is refused where a rate needs it (board_ind_rate.c). See board_ind_int.h.
 */
#include "board_ind_int.h"

#include "atomic.h"
#include "inputs.h"
#include "manifest.h"
#include "rundir.h"
#include "staged.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static const char *const pop_cols[] = {"year", "age_band", "ethnicity_group", "headcount"};
enum { C_YEAR, C_BAND, C_GROUP, C_HEADCOUNT, C_N };

/* One row (VALS by C_*): into P, or one error naming the file, line and value. */
static int
pop_row(struct bind_pop *p, const struct bind_conf *c, const char *const *vals, unsigned long line,
        struct yj_error *err)
{
    long year, n;
    int g, b, y;
#define BAD(col, what)                                                                             \
    yj_error_set(err, YJ_EX_DATAERR, "staged file '%s' line %lu: %s '%s' is %s", p->path, line,    \
                 pop_cols[col], vals[col] ? vals[col] : "NULL", what)

    if (bind_parse_long(vals[C_YEAR], 0, 9999, &year) != 0 || year < 1900)
        return BAD(C_YEAR, "not a year");
    for (b = 0; b < c->nbands && !(vals[C_BAND] && strcmp(c->bands[b], vals[C_BAND]) == 0); b++)
        ;
    if (b == c->nbands)
        return BAD(C_BAND, "not one of indicators.conf's population_age_bands");
    for (g = 0; g < c->ngroups && !(vals[C_GROUP] && strcmp(c->pop_codes[g], vals[C_GROUP]) == 0);
         g++)
        ;
    if (g == c->ngroups)
        return BAD(C_GROUP, "not one of indicators.conf's population_groups");
    if (bind_parse_long(vals[C_HEADCOUNT], 0, 1000000000L, &n) != 0)
        return BAD(C_HEADCOUNT, "not a whole number from 0");
#undef BAD
    for (y = 0; y < p->nyears && p->years[y] != (int)year; y++)
        ;
    if (y == p->nyears) {
        if (p->nyears == BIND_MAX_YEARS)
            return yj_error_set(err, YJ_EX_DATAERR, "staged file '%s' line %lu: more than %d years",
                                p->path, line, BIND_MAX_YEARS);
        p->years[p->nyears++] = (int)year;
    }
    if (p->line[y][b][g])
        return yj_error_set(err, YJ_EX_DATAERR,
                            "staged file '%s' line %lu: year %ld, age_band '%s', ethnicity_group "
                            "'%s' given twice (also line %lu)",
                            p->path, line, year, c->bands[b], c->pop_codes[g], p->line[y][b][g]);
    p->line[y][b][g] = line;
    p->count[y][g] += n;
    return YJ_OK;
}

int
bind_pop_read(struct bind_pop *p, const struct bind_conf *c, const char *staged,
              const char *bundle_dir, struct yj_error *err)
{
    char *mpath = path_join(staged, RUNDIR_MANIFEST),
         *rel = inputs_staged_name(c->population_input);
    const struct service_input *si;
    struct inputs decl;
    struct manifest m;
    struct staged_reader sr;
    int idx[C_N], rc;

    memset(p, 0, sizeof(*p));
    inputs_init(&decl);
    manifest_init(&m);
    staged_reader_init(&sr);
    p->path = path_join(staged, rel);
    if ((rc = inputs_load(&decl, bundle_dir, 1, err)) != YJ_OK ||
        (rc = manifest_read(&m, mpath, NULL, err)) != YJ_OK)
        goto out;
    if (!(si = inputs_find(&decl, c->population_input))) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "'%s' lists no input '%s', which '%s' names",
                          decl.path, c->population_input, c->path);
        goto out;
    }
    if (!manifest_find_file(&m, rel)) {
        rc = yj_error_set(err, YJ_EX_NOINPUT, "staged folder '%s' holds no '%s'", staged, rel);
        yj_error_hint(err, "stage a snapshot with yj-extract of this version: it stages the "
                           "population by year, age band and ethnicity group");
        goto out;
    }
    if ((rc = staged_reader_open_service(&sr, staged, rel, &m, err)) != YJ_OK ||
        (rc = inputs_check_columns(&decl, si, sr.name, (const char *const *)sr.colnames, sr.ncols,
                                   YJ_EX_IOERR, err)) != YJ_OK)
        goto out;
    for (int i = 0; i < C_N; i++)
        if ((rc = staged_reader_column(&sr, pop_cols[i], &idx[i], err)) != YJ_OK)
            goto out;
    while (sr.have_row) {
        const char *vals[C_N];
        for (int i = 0; i < C_N; i++)
            vals[i] = sr.fields[idx[i]];
        if ((rc = pop_row(p, c, vals, (unsigned long)sr.lineno, err)) != YJ_OK ||
            (rc = staged_reader_next(&sr, err)) != YJ_OK)
            goto out;
    }
out:
    staged_reader_release(&sr);
    manifest_release(&m);
    inputs_release(&decl);
    free(mpath);
    free(rel);
    return rc;
}

long
bind_pop_get(const struct bind_pop *p, const struct bind_conf *c, int year, int g)
{
    for (int y = 0; y < p->nyears; y++)
        if (p->years[y] == year) {
            long n = 0;
            if (g < c->ngroups)
                return p->count[y][g];
            for (int i = 0; i < c->ngroups; i++)
                n += p->count[y][i];
            return n;
        }
    return -1;
}

int
bind_pop_complete(const struct bind_pop *p, const struct bind_conf *c, int year, int *band, int *g)
{
    for (int y = 0; y < p->nyears; y++)
        if (p->years[y] == year)
            for (*g = 0; *g < c->ngroups; (*g)++)
                for (*band = 0; *band < c->nbands; (*band)++)
                    if (!p->line[y][*band][*g])
                        return -1;
    return 0;
}

void
bind_pop_release(struct bind_pop *p)
{
    free(p->path);
    memset(p, 0, sizeof(*p));
}
