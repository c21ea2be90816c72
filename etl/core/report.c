/*
 * report.c - the verdict of a validation report (report.h).
 */
#include "report.h"

#include "rundir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int
report_verdict(const char *path, const char *sha, int *same, int *valid, long long *children,
               struct yj_error *err)
{
    char line[4096], want[80], format[64];
    FILE *f = fopen(path, "r");
    long long n = -1;
    unsigned long known, version;
    size_t nf;

    *same = *valid = 0;
    if (children)
        *children = -1;
    if (!f)
        return -1;
    snprintf(want, sizeof(want), "sha256 %s\n", sha);
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
        if (strcmp(line, want) == 0)
            *same = 1;
        if (strcmp(line, "result " REPORT_VALID "\n") == 0)
            *valid = 1;
        if (strncmp(line, "children ", 9) == 0 && strspn(line + 9, "0123456789") > 0 &&
            strspn(line + 9, "0123456789") < 16 && line[9 + strspn(line + 9, "0123456789")] == '\n')
            n = strtoll(line + 9, NULL, 10);
    }
    if (children)
        *children = n;
    fclose(f);
    return 0;
}
