/*
 * report.c - the verdict of a validation report (report.h).
 */
#include "report.h"

#include "rundir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* N from a line "KEY N\n" into *n; 0 when LINE is not one. */
static int
count_line(const char *line, const char *key, long long *n)
{
    size_t k = strlen(key), d;

    if (strncmp(line, key, k) != 0 || line[k] != ' ')
        return 0;
    d = strspn(line + k + 1, "0123456789");
    if (d == 0 || d >= 16 || line[k + 1 + d] != '\n')
        return 0;
    *n = strtoll(line + k + 1, NULL, 10);
    return 1;
}

/* The one reader of a report: its format line, then the lines of S and whether SHA's line is
 * there (*same; SHA may be NULL). */
static int
report_read(const char *path, const char *sha, int *same, struct report_summary *s,
            struct yj_error *err)
{
    char line[4096], want[80], format[64];
    FILE *f = fopen(path, "r");
    unsigned long known, version;
    size_t nf;

    *same = s->valid = 0;
    s->children = s->errors = s->queries = -1;
    if (!f)
        return -1;
    snprintf(want, sizeof(want), "sha256 %s\n", sha ? sha : "");
    rundir_format_of(RD_VALIDATE_REPORT, format, sizeof(format), &known);
    nf = strlen(format);
    if (fgets(line, sizeof(line), f) && strncmp(line, format, nf) == 0 && line[nf] == ' ') {
        line[strcspn(line, "\n")] = '\0';
        if (rundir_format_version(path, 1, format, line + nf + 1, known, &version, err) != YJ_OK) {
            fclose(f);
            return 1;
        }
    }
    while (fgets(line, sizeof(line), f)) {
        if (sha && strcmp(line, want) == 0)
            *same = 1;
        if (strcmp(line, "result " REPORT_VALID "\n") == 0)
            s->valid = 1;
        (void)(count_line(line, "children", &s->children) ||
               count_line(line, "errors", &s->errors) || count_line(line, "queries", &s->queries));
    }
    fclose(f);
    return 0;
}

int
report_verdict(const char *path, const char *sha, int *same, int *valid, long long *children,
               struct yj_error *err)
{
    struct report_summary s;
    int rc = report_read(path, sha, same, &s, err);

    *valid = s.valid;
    if (children)
        *children = s.children;
    return rc;
}

int
report_read_summary(const char *path, struct report_summary *s, struct yj_error *err)
{
    int same;

    return report_read(path, NULL, &same, s, err);
}
