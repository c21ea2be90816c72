/*
 * staging.h - hand-made staged files for the transform tests (header-only: each test file is
 * its own executable, so the state below is that file's own).
 *
 * stage_setup() makes a scratch folder and, for every staged entity the real schema-11
 * items.conf reads, an empty file with exactly the columns it reads; row() adds a row given
 * as "column=value" arguments (the others NULL); stage_write() writes every staged file and
 * the extract MANIFEST (period 2025Q1, as of 2025-07-01) that transform_run() checks them
 * against. cfg is a configuration with service TESTYOT and the real mappings folder.
 */
#ifndef YJ_TEST_STAGING_H
#define YJ_TEST_STAGING_H

#include "transform.h"

#include "items.h"
#include "manifest.h"
#include "sha256.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#define STAGE_MAX_ENTITIES 32
#define STAGE_MAX_COLS 32

static char *dir, *staged, *out;
static struct items it;
static struct yj_config cfg;
static struct yj_error err;

/* The staged entities of the bundle, their columns (items_columns order) and rows so far. */
static struct {
    const char *name;
    char *cols[STAGE_MAX_COLS];
    int ncols;
    char *rows; /* lines, each ending in \n */
} ent[STAGE_MAX_ENTITIES];
static int nent;

static inline void
stage_add_col(const char *column, void *arg)
{
    int *e = arg;
    ent[*e].cols[ent[*e].ncols++] = strdup(column);
}

static inline void
stage_setup(void)
{
    struct yj_error e2;

    dir = ut_mkdtemp();
    staged = ut_path(dir, "staged");
    out = ut_path(dir, "return");
    mkdir(staged, 0700);
    items_init(&it);
    cr_assert_eq(items_load(&it, YJ_SOURCE_DIR "/mappings/schema-11", &e2), YJ_OK, "%s",
                 e2.message);
    nent = 0;
    for (int i = 0; i < it.nitems; i++) {
        int k;
        for (k = 0; k < nent; k++)
            if (strcmp(ent[k].name, it.items[i].staged) == 0)
                break;
        if (k < nent)
            continue;
        ent[nent].name = it.items[i].staged;
        ent[nent].ncols = 0;
        ent[nent].rows = strdup("");
        items_columns(&it, ent[nent].name, stage_add_col, &nent);
        nent++;
    }
    config_init(&cfg);
    cfg.path = strdup("test.conf");
    cfg.yot_ou_code = strdup("TESTYOT");
    cfg.mappings = strdup(YJ_SOURCE_DIR "/mappings");
    yj_error_init(&err);
}

static inline void
stage_teardown(void)
{
    for (int k = 0; k < nent; k++) {
        for (int c = 0; c < ent[k].ncols; c++)
            free(ent[k].cols[c]);
        free(ent[k].rows);
    }
    items_release(&it);
    config_release(&cfg);
    ut_rmtree(dir);
    free(dir);
    free(staged);
    free(out);
}

/* Adds a row to an entity: "column=value" arguments, NULL-terminated; others are NULL. */
static inline void
row(const char *entity, ...)
{
    char *vals[STAGE_MAX_COLS] = {0};
    char line[4096] = "";
    va_list ap;
    const char *a;
    int k;

    for (k = 0; k < nent && strcmp(ent[k].name, entity) != 0; k++)
        ;
    cr_assert(k < nent, "no staged entity '%s' in items.conf", entity);
    va_start(ap, entity);
    while ((a = va_arg(ap, const char *)) != NULL) {
        const char *eq = strchr(a, '=');
        int c;
        for (c = 0; c < ent[k].ncols; c++)
            if (strlen(ent[k].cols[c]) == (size_t)(eq - a) &&
                strncmp(ent[k].cols[c], a, (size_t)(eq - a)) == 0)
                break;
        cr_assert(c < ent[k].ncols, "entity '%s' has no column in '%s'", entity, a);
        vals[c] = (char *)eq + 1;
    }
    va_end(ap);
    for (int c = 0; c < ent[k].ncols; c++) {
        if (c)
            strcat(line, "\t");
        strcat(line, vals[c] ? vals[c] : "\\N");
    }
    strcat(line, "\n");
    ent[k].rows = realloc(ent[k].rows, strlen(ent[k].rows) + strlen(line) + 1);
    strcat(ent[k].rows, line);
}

/* Writes every staged file and the extract MANIFEST. */
static inline void
stage_write(void)
{
    struct manifest m;
    struct yj_error e2;
    char *mpath = ut_path(staged, "MANIFEST");

    manifest_init(&m);
    manifest_set(&m, "stage", "extract");
    manifest_set(&m, "period", "2025Q1");
    manifest_set(&m, "period_start", "2025-04-01");
    manifest_set(&m, "period_end", "2025-06-30");
    manifest_set(&m, "yjreturns_version", "test");
    manifest_set(&m, "as_of", "2025-07-01T00:00:00.000000Z");
    for (int k = 0; k < nent; k++) {
        char name[128], hex[SHA256_HEX_LEN + 1], *path, *text, header[1024] = "";
        unsigned long long bytes, rows = 0;

        for (int c = 0; c < ent[k].ncols; c++) {
            strcat(header, c ? "\t" : "");
            strcat(header, ent[k].cols[c]);
        }
        strcat(header, "\n");
        text = malloc(strlen(header) + strlen(ent[k].rows) + 1);
        strcpy(text, header);
        strcat(text, ent[k].rows);
        for (char *p = ent[k].rows; *p; p++)
            rows += *p == '\n';
        snprintf(name, sizeof(name), "%s.tsv", ent[k].name);
        path = ut_path(staged, name);
        ut_write(path, text);
        cr_assert_eq(sha256_file(path, hex, &bytes), 0);
        manifest_add_file(&m, name, rows, bytes, hex);
        free(path);
        free(text);
    }
    cr_assert_eq(manifest_write(&m, mpath, &e2), YJ_OK, "%s", e2.message);
    manifest_release(&m);
    free(mpath);
}

/* A file of the return folder, or NULL when it is not there. */
static inline char *
out_file(const char *name)
{
    char *path = ut_path(out, name);
    char *text = ut_exists(path) ? ut_read(path, NULL) : NULL;
    free(path);
    return text;
}

#endif
