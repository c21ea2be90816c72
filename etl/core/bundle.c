/*
 * bundle.c - reading mappings/bundles.conf, and the facts of a bundle that more than one stage
 * applies: its statutory school age rule (school_age.conf), read by yj-transform for the
 * return's isStatutorySchoolAge* fields and by yj-kpi for KPI 2, so the two cannot disagree.
 */
#define _POSIX_C_SOURCE 200809L
#include "bundle.h"

#include "atomic.h"
#include "mem.h"
#include "sha256.h"
#include "textline.h"

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

/* One KEY = VALUE line of school_age.conf into SA; SEEN marks the keys given. */
static int
school_age_line(char *line, const char *path, int lineno, struct school_age *sa, int seen[2],
                struct yj_error *err)
{
    char *eq = strchr(line, '='), *key, *val, *end, tail;
    long v;
    int m, d, k;

    if (!eq)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: expected KEY = VALUE", path, lineno);
    *eq = '\0';
    key = str_trim(line);
    val = str_trim(eq + 1);
    k = strcmp(key, "leaving_age") == 0 ? 0 : strcmp(key, "year_end") == 0 ? 1 : -1;
    if (k < 0)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unknown key '%s'", path, lineno, key);
    if (seen[k])
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: key '%s' given twice", path, lineno,
                            key);
    seen[k] = 1;
    if (k == 0) {
        errno = 0;
        v = strtol(val, &end, 10);
        if (errno || end == val || *end || v < 1 || v > 30)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: leaving_age '%s' is not a number "
                                "1-30",
                                path, lineno, val);
        sa->leaving_age = (int)v;
        return YJ_OK;
    }
    if (strlen(val) != 5 || sscanf(val, "%2d-%2d%c", &m, &d, &tail) != 2 || m < 1 || m > 12 ||
        d < 1 || d > 31)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: year_end '%s' is not MM-DD", path,
                            lineno, val);
    sa->year_end_month = m;
    sa->year_end_day = d;
    return YJ_OK;
}

int
bundle_school_age(const char *bundle_dir, struct school_age *sa, char sha[65], struct yj_error *err)
{
    char *path = path_join(bundle_dir, SCHOOL_AGE_FILE), line[512], hex[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
    int lineno = 0, seen[2] = {0, 0}, got, rc = YJ_OK;
    FILE *f = NULL;

    memset(sa, 0, sizeof(*sa));
    if (sha256_file(path, hex, &bytes) != 0 || !(f = fopen(path, "r"))) {
        rc = yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                            "could not read school age rule '%s'", path);
        goto out;
    }
    if (sha)
        memcpy(sha, hex, sizeof(hex));
    while (rc == YJ_OK && (got = textline_read(f, line, sizeof(line), lineno + 1, 0)) != 0) {
        lineno++;
        if (got == TEXTLINE_ERROR)
            rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", path);
        else if (got != TEXTLINE_OK)
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s", path, lineno,
                              textline_problem(got));
        else if (line[strspn(line, " \t")] != '\0' && line[strspn(line, " \t")] != '#')
            rc = school_age_line(line, path, lineno, sa, seen, err);
    }
    if (rc == YJ_OK && (!seen[0] || !seen[1]))
        rc = yj_error_set(err, YJ_EX_CONFIG, "%s: key '%s' is missing", path,
                          seen[0] ? "year_end" : "leaving_age");
out:
    if (f)
        fclose(f);
    free(path);
    return rc;
}
