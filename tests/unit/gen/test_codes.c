/*
 * test_codes.c - yj-gen's local code lists (scripts/gen/codes.c) against the maps that read
 * them (mappings/schema-11/).
 *
 * The generator writes the reference case system's local codes; a code no map knows stops
 * yj-transform (or yj-kpi) on the synthetic warehouse. So: every code of a list is in its
 * map's local column, read by the loaders the stages use (codemap_load, kconf_load), except
 * the trailing codes meant to be unknown (--dirty, --unmapped), which must stay unknown.
 * Conversely every local code of a map is written by the generator, unless gen_unwritten[]
 * says why not, so that the synthetic warehouses exercise every row of every map. And the
 * lists are what yj-gen writes: a run's every code and flag column has a list and holds only
 * its codes, and every code the lists give a map (or a column no map reads) turns up in that
 * run, so that what the lists claim is written is written.
 */
#include "codemap.h"
#include "codes.h"
#include "kconf.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>

#define BUNDLE YJ_SOURCE_DIR "/mappings/schema-11"
#define KPI_SECTORS "kpi/board_sector.csv"
/* large enough for every code of every list to turn up (the rarest: S254) */
#define GEN_RUN "--seed 7 --children 20000 --dirty --unmapped"

/* The local codes of one map: a schema map through codemap_load, the KPI board sectors
 * through kconf_load (as yj-transform and yj-kpi read them). Fails the test if it will not
 * load. */
struct locals {
    struct codemap map;
    struct kconf k;
    int is_kpi;
};

static void
locals_load(struct locals *l, const char *map)
{
    struct yj_error err;
    char *path = ut_path(BUNDLE, map);

    memset(l, 0, sizeof(*l));
    yj_error_init(&err);
    l->is_kpi = strcmp(map, KPI_SECTORS) == 0;
    if (l->is_kpi) {
        kconf_init(&l->k);
        cr_assert_eq(kconf_load(&l->k, BUNDLE, &err), YJ_OK, "%s", err.message);
    } else {
        codemap_init(&l->map);
        cr_assert_eq(codemap_load(&l->map, path, &err), YJ_OK, "%s", err.message);
    }
    free(path);
}

static int
locals_has(const struct locals *l, const char *code)
{
    return l->is_kpi ? kconf_sector(&l->k, code) >= 0 : codemap_lookup(&l->map, code) != NULL;
}

static size_t
locals_count(const struct locals *l)
{
    return l->is_kpi ? l->k.nsectors : l->map.nrows;
}

static const char *
locals_code(const struct locals *l, size_t i)
{
    return l->is_kpi ? l->k.sector_codes[i] : l->map.rows[i].local;
}

static void
locals_release(struct locals *l)
{
    if (l->is_kpi)
        kconf_release(&l->k);
    else
        codemap_release(&l->map);
}

/* Whether some list read by MAP holds CODE among its mapped codes. */
static int
generator_writes(const char *map, const char *code)
{
    for (size_t i = 0; i < gen_ncodelists; i++) {
        const struct gen_codelist *g = &gen_codelists[i];

        if (g->map == NULL || strcmp(g->map, map) != 0)
            continue;
        for (int c = 0; c < g->nmapped; c++)
            if (strcmp(g->codes[c], code) == 0)
                return 1;
    }
    return 0;
}

static const struct gen_unwritten *
unwritten(const char *map, const char *code)
{
    for (size_t i = 0; i < gen_nunwritten; i++)
        if (strcmp(gen_unwritten[i].map, map) == 0 && strcmp(gen_unwritten[i].code, code) == 0)
            return &gen_unwritten[i];
    return NULL;
}

Test(gen_codes, every_code_the_generator_writes_is_in_its_map)
{
    for (size_t i = 0; i < gen_ncodelists; i++) {
        const struct gen_codelist *g = &gen_codelists[i];
        struct locals l;

        if (g->map == NULL)
            continue;
        locals_load(&l, g->map);
        for (int c = 0; c < g->ncodes; c++) {
            int mapped = locals_has(&l, g->codes[c]);

            if (c < g->nmapped)
                cr_expect(mapped,
                          "yj-gen writes '%s' in cms.%s.%s (scripts/gen/codes.c) but "
                          "mappings/schema-11/%s has no such local code: add it to the map, or "
                          "take it out of the generator",
                          g->codes[c], g->table, g->column, g->map);
            else
                cr_expect(!mapped,
                          "'%s' in cms.%s.%s is meant to be unknown (--dirty/--unmapped) but "
                          "mappings/schema-11/%s maps it: pick another code in scripts/gen/codes.c",
                          g->codes[c], g->table, g->column, g->map);
        }
        locals_release(&l);
    }
}

/* The maps of the bundle: every *.csv of the folder, and the KPI board sectors. */
static void
for_each_map(void (*fn)(const char *map))
{
    glob_t gl;

    cr_assert_eq(glob(BUNDLE "/*.csv", 0, NULL, &gl), 0);
    for (size_t i = 0; i < gl.gl_pathc; i++)
        fn(strrchr(gl.gl_pathv[i], '/') + 1);
    globfree(&gl);
    fn(KPI_SECTORS);
}

static void
check_map_is_written(const char *map)
{
    struct locals l;

    locals_load(&l, map);
    for (size_t i = 0; i < locals_count(&l); i++) {
        const char *code = locals_code(&l, i);

        cr_expect(generator_writes(map, code) || unwritten(map, code),
                  "mappings/schema-11/%s maps local code '%s', which yj-gen never writes: give "
                  "a list of scripts/gen/codes.c the code, or say why not in gen_unwritten[]",
                  map, code);
    }
    locals_release(&l);
}

Test(gen_codes, every_local_code_of_a_map_is_written_or_said_why_not)
{
    for_each_map(check_map_is_written);
}

Test(gen_codes, a_code_listed_as_unwritten_is_in_its_map_and_not_written)
{
    for (size_t i = 0; i < gen_nunwritten; i++) {
        const struct gen_unwritten *u = &gen_unwritten[i];
        struct locals l;

        cr_expect(strlen(u->why) > 0, "gen_unwritten: '%s' of %s needs a reason", u->code, u->map);
        locals_load(&l, u->map);
        cr_expect(locals_has(&l, u->code),
                  "gen_unwritten: mappings/schema-11/%s has no local code '%s' any more", u->map,
                  u->code);
        locals_release(&l);
        cr_expect(!generator_writes(u->map, u->code),
                  "gen_unwritten: yj-gen does write '%s' of %s now: take it off the list", u->code,
                  u->map);
    }
}

/* ---- what yj-gen writes ---- */

#define MAX_COLS 32

static const struct gen_codelist *
list_for(const char *table, const char *column)
{
    for (size_t i = 0; i < gen_ncodelists; i++)
        if (strcmp(gen_codelists[i].table, table) == 0 &&
            strcmp(gen_codelists[i].column, column) == 0)
            return &gen_codelists[i];
    return NULL;
}

static int
ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);

    return n >= t && strcmp(s + n - t, tail) == 0;
}

/* The output's state: the current COPY block's table and the list of each of its columns. */
struct run {
    char table[64];
    int ncols;
    const struct gen_codelist *col[MAX_COLS];
    int seen_list[64];          /* per gen_codelists[] entry: its column was in the output */
    unsigned char seen[64][32]; /* per entry and code: written at least once */
};

/* "COPY cms.T (a, b, c) FROM STDIN;": the table and the list of each column. */
static void
run_begin(struct run *r, char *line)
{
    char *open = strchr(line, '('), *close = strrchr(line, ')'), *col, *next;

    cr_assert(open && close && strncmp(line, "COPY cms.", 9) == 0, "not a COPY line: %s", line);
    *(open - 1) = '\0';
    *close = '\0';
    snprintf(r->table, sizeof(r->table), "%s", line + 9);
    r->ncols = 0;
    for (col = open + 1; col; col = next) { /* "a, b, c" */
        const struct gen_codelist *g;

        next = strstr(col, ", ");
        if (next) {
            *next = '\0';
            next += 2;
        }
        g = list_for(r->table, col);
        cr_assert_lt(r->ncols, MAX_COLS);
        if (ends_with(col, "_cd") || ends_with(col, "_flag"))
            cr_expect_not_null(g,
                               "yj-gen writes codes in cms.%s.%s but scripts/gen/codes.c has no "
                               "list for that column",
                               r->table, col);
        if (g)
            r->seen_list[g - gen_codelists] = 1;
        r->col[r->ncols++] = g;
    }
}

static void
run_row(struct run *r, char *line, long lineno)
{
    char *cell = line;

    for (int c = 0; c < r->ncols && cell; c++) {
        char *tab = strchr(cell, '\t');
        const struct gen_codelist *g = r->col[c];
        int k;

        if (tab)
            *tab = '\0';
        if (g && strcmp(cell, "\\N") != 0) {
            for (k = 0; k < g->ncodes && strcmp(g->codes[k], cell) != 0; k++)
                ;
            cr_expect_lt(k, g->ncodes,
                         "yj-gen output line %ld: cms.%s.%s holds '%s', which its list in "
                         "scripts/gen/codes.c does not have (a code written around the lists?)",
                         lineno, g->table, g->column, cell);
            if (k < g->ncodes)
                r->seen[g - gen_codelists][k] = 1;
        }
        cell = tab ? tab + 1 : NULL;
    }
}

/* Whether the run wrote CODE in any column whose list is read by MAP (NULL: none). */
static int
seen_for_map(const struct run *r, const char *map, const char *code)
{
    if (map == NULL)
        return 0;
    for (size_t i = 0; i < gen_ncodelists; i++) {
        const struct gen_codelist *g = &gen_codelists[i];

        if (g->map == NULL || strcmp(g->map, map) != 0)
            continue;
        for (int k = 0; k < g->nmapped; k++)
            if (r->seen[i][k] && strcmp(g->codes[k], code) == 0)
                return 1;
    }
    return 0;
}

Test(gen_codes, yj_gen_writes_exactly_the_codes_of_its_lists)
{
    static struct run r;
    FILE *p = popen(YJ_BIN_DIR "/yj-gen " GEN_RUN, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int in_copy = 0;

    cr_assert_not_null(p);
    cr_assert_lt(gen_ncodelists, 64);
    while ((n = getline(&line, &cap, p)) > 0) {
        lineno++;
        if (line[n - 1] == '\n')
            line[n - 1] = '\0';
        if (!in_copy && strncmp(line, "COPY ", 5) == 0) {
            run_begin(&r, line);
            in_copy = 1;
        } else if (in_copy && strcmp(line, "\\.") == 0) {
            in_copy = 0;
        } else if (in_copy) {
            run_row(&r, line, lineno);
        }
    }
    free(line);
    cr_assert_eq(pclose(p), 0, "yj-gen " GEN_RUN " failed");
    for (size_t i = 0; i < gen_ncodelists; i++) {
        const struct gen_codelist *g = &gen_codelists[i];

        cr_assert_lt(g->ncodes, 32);
        cr_expect(r.seen_list[i],
                  "scripts/gen/codes.c lists cms.%s.%s, which yj-gen does not write", g->table,
                  g->column);
        for (int k = 0; k < g->ncodes && r.seen_list[i]; k++)
            cr_expect(r.seen[i][k] || (k < g->nmapped && seen_for_map(&r, g->map, g->codes[k])),
                      "scripts/gen/codes.c says cms.%s.%s can hold '%s' but yj-gen " GEN_RUN
                      " wrote none%s%s",
                      g->table, g->column, g->codes[k],
                      g->map ? " there nor in another column read by " : "", g->map ? g->map : "");
    }
}
