/*
 * bundle.c - reading mappings/bundles.conf.
 */
#define _POSIX_C_SOURCE 200809L
#include "bundle.h"

#include "atomic.h"
#include "mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banned.h"

void
bundle_init(struct bundle *b)
{
    memset(b, 0, sizeof(*b));
}

void
bundle_release(struct bundle *b)
{
    free(b->name);
    free(b->dir);
    free(b->schema_version);
    bundle_init(b);
}

static int
bundle_set(struct bundle *b, const char *mappings_dir, const char *name, struct yj_error *err)
{
    struct stat st;

    if (strncmp(name, "schema-", 7) != 0 || name[7] == '\0' || strchr(name, '/'))
        return yj_error_set(err, YJ_EX_CONFIG, "invalid bundle name '%s': expected schema-N", name);
    b->name = xstrdup(name);
    b->dir = path_join(mappings_dir, name);
    b->schema_version = xstrdup(name + 7);
    if (stat(b->dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return yj_error_set(err, YJ_EX_NOINPUT, "mapping bundle folder '%s' not found", b->dir);
    return YJ_OK;
}

int
bundle_for_period(struct bundle *b, const char *mappings_dir, const struct yj_period *p,
                  struct yj_error *err)
{
    char *path = path_join(mappings_dir, "bundles.conf");
    FILE *f = fopen(path, "r");
    char line[512];
    int lineno = 0, rc;

    if (!f) {
        rc = yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                            "could not open mapping bundle list '%s'", path);
        free(path);
        return rc;
    }
    rc = yj_error_set(err, YJ_EX_CONFIG, "no mapping bundle in '%s' covers period %s", path,
                      p->label);
    while (fgets(line, sizeof(line), f)) {
        char first[16], last[16], name[128];
        struct yj_period pf, pl;
        struct yj_error ignore;

        lineno++;
        if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
            continue;
        if (sscanf(line, "%15s %15s %127s", first, last, name) != 3 ||
            (strcmp(first, "-") != 0 && period_parse(first, &pf, &ignore) != YJ_OK) ||
            (strcmp(last, "-") != 0 && period_parse(last, &pl, &ignore) != YJ_OK)) {
            rc = yj_error_set(err, YJ_EX_CONFIG,
                              "mapping bundle list '%s' line %d: expected "
                              "'FIRST_PERIOD LAST_PERIOD schema-N'",
                              path, lineno);
            break;
        }
        if ((strcmp(first, "-") == 0 || pf.start <= p->start) &&
            (strcmp(last, "-") == 0 || p->start <= pl.start)) {
            rc = bundle_set(b, mappings_dir, name, err);
            break;
        }
    }
    fclose(f);
    free(path);
    return rc;
}

int
bundle_for_version(struct bundle *b, const char *mappings_dir, const char *version,
                   struct yj_error *err)
{
    char name[128];

    if (strlen(version) > 64 || strspn(version, "0123456789.") != strlen(version))
        return yj_error_set(err, YJ_EX_DATAERR, "invalid schema version '%s'", version);
    snprintf(name, sizeof(name), "schema-%s", version);
    return bundle_set(b, mappings_dir, name, err);
}
