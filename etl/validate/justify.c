/*
 * justify.c - loads justifications.csv and matches query findings against it (justify.h).
 *
 * The file is small (explanations written by people), so matching is a linear scan. Fields
 * are separated by commas; the reason, the last free-text field but two, may not hold one
 * (a value with a comma is refused with its line, never split at a guess). A UTF-8 byte order
 * mark, which Excel writes when it saves "CSV UTF-8", is skipped: this file is edited by people.
 */
#include "justify.h"

#include "mem.h"
#include "period.h"
#include "textline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banned.h"

#define FIELDS 6

void
justify_init(struct justify *js)
{
    memset(js, 0, sizeof(*js));
}

void
justify_release(struct justify *js)
{
    for (size_t i = 0; i < js->n; i++) {
        free(js->j[i].rule);
        free(js->j[i].child);
        free(js->j[i].item);
        free(js->j[i].reason);
        free(js->j[i].who);
        free(js->j[i].date);
    }
    free(js->j);
    free(js->path);
    justify_init(js);
}

int
justify_load(struct justify *js, const char *path, const struct rules *rs, int required,
             struct yj_error *err)
{
    FILE *f = fopen(path, "r");
    char line[2048];
    int lineno = 0, header = 0, rc = YJ_OK, got;
    struct stat st;

    if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        f = NULL;
        errno = EISDIR;
    }
    if (!f) {
        if (errno == ENOENT && !required)
            return YJ_OK;
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not open the justifications '%s'", path);
    }
    js->path = xstrdup(path);
    while (rc == YJ_OK &&
           (got = textline_read(f, line, sizeof(line), lineno + 1, 1)) != TEXTLINE_EOF) {
        char *cell[FIELDS + 1], *s = str_trim(line);
        int n = 0, k;
        long d;
        struct justification *j;

        lineno++;
        if (got == TEXTLINE_ERROR) {
            rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", path);
            break;
        }
        if (got != TEXTLINE_OK) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "justifications '%s' line %d: %s", path, lineno,
                              textline_problem(got));
            if (textline_hint(got))
                yj_error_hint(err, "%s", textline_hint(got));
            break;
        }
        if (!*s || *s == '#')
            continue;
        for (char *p = s;; p++) {
            char *comma = strchr(p, ',');
            if (n <= FIELDS)
                cell[n] = p;
            n++;
            if (!comma)
                break;
            *comma = '\0';
            p = comma;
        }
        if (n != FIELDS) {
            rc = yj_error_set(err, YJ_EX_CONFIG,
                              "justifications '%s' line %d: expected 6 fields "
                              "(rule,child,item,reason,who,date), found %d",
                              path, lineno, n);
            break;
        }
        for (k = 0; k < FIELDS; k++)
            cell[k] = str_trim(cell[k]);
        if (!header) {
            if (strcmp(cell[0], "rule") != 0 || strcmp(cell[1], "child") != 0 ||
                strcmp(cell[2], "item") != 0 || strcmp(cell[3], "reason") != 0 ||
                strcmp(cell[4], "who") != 0 || strcmp(cell[5], "date") != 0) {
                rc = yj_error_set(err, YJ_EX_CONFIG,
                                  "justifications '%s' line %d: the header must be "
                                  "'rule,child,item,reason,who,date'",
                                  path, lineno);
                break;
            }
            header = 1;
            continue;
        }
        for (k = 0; k < FIELDS; k++)
            if (!*cell[k]) {
                static const char *const names[] = {"rule",   "child", "item",
                                                    "reason", "who",   "date"};
                rc = yj_error_set(err, YJ_EX_CONFIG, "justifications '%s' line %d: %s is empty",
                                  path, lineno, names[k]);
                break;
            }
        if (rc != YJ_OK)
            break;
        for (k = 0; k < rs->n; k++)
            if (strcmp(rs->r[k].id, cell[0]) == 0)
                break;
        if (k == rs->n) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "justifications '%s' line %d: unknown rule '%s'",
                              path, lineno, cell[0]);
            break;
        }
        if (!rs->r[k].query) {
            rc = yj_error_set(err, YJ_EX_CONFIG,
                              "justifications '%s' line %d: rule %s is an error, not a query: "
                              "it must be fixed, it cannot be explained",
                              path, lineno, cell[0]);
            break;
        }
        if (date_parse(cell[5], &d) != 0) {
            rc = yj_error_set(err, YJ_EX_CONFIG,
                              "justifications '%s' line %d: date '%s' is not YYYY-MM-DD", path,
                              lineno, cell[5]);
            break;
        }
        js->j = xrealloc(js->j, (js->n + 1) * sizeof(*js->j));
        j = &js->j[js->n++];
        j->rule = xstrdup(cell[0]);
        j->child = xstrdup(cell[1]);
        j->item = xstrdup(cell[2]);
        j->reason = xstrdup(cell[3]);
        j->who = xstrdup(cell[4]);
        j->date = xstrdup(cell[5]);
        j->line = lineno;
        j->used = 0;
    }
    fclose(f);
    return rc;
}

struct justification *
justify_match(struct justify *js, const struct rule *r, const char *where)
{
    /* where: "child[ WID] ypid YPID ITEM field F" */
    const char *yp = strstr(where, " ypid "), *item, *field;
    char wid[64] = "", ypid[64] = "";
    size_t n;

    if (!r->query || js->n == 0 || !yp)
        return NULL;
    if (yp > where + 5) {
        n = (size_t)(yp - (where + 6));
        snprintf(wid, sizeof(wid), "%.*s", (int)n, where + 6);
    }
    yp += 6;
    item = strchr(yp, ' ');
    if (!item)
        return NULL;
    snprintf(ypid, sizeof(ypid), "%.*s", (int)(item - yp), yp);
    item++;
    field = strstr(item, " field ");
    n = field ? (size_t)(field - item) : strlen(item);
    for (size_t i = 0; i < js->n; i++) {
        struct justification *j = &js->j[i];
        if (strcmp(j->rule, r->id) == 0 &&
            (strcmp(j->child, ypid) == 0 || (wid[0] && strcmp(j->child, wid) == 0)) &&
            strlen(j->item) == n && strncmp(j->item, item, n) == 0) {
            j->used++;
            return j;
        }
    }
    return NULL;
}
