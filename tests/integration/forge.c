/*
 * forge.c - see forge.h. Text in, text out: every file is read whole, changed in memory and
 * written back whole.
 */
#include "forge.h"

#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *
forge_file_sha256(const char *path)
{
    const char *argv[] = {"/usr/bin/sha256sum", path, NULL};
    struct cmd_result r = run_cmd(argv);
    char *hex;

    cr_assert_eq(r.status, 0, "sha256sum %s: %s", path, r.err);
    hex = strndup(r.out, 64);
    cmd_result_free(&r);
    return hex;
}

void
forge_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    cr_assert(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

char *
forge_text_sha256(const char *text)
{
    char *dir = temp_dir("forge-text"), *path = path2(dir, "text"), *hex;

    forge_write(path, text);
    hex = forge_file_sha256(path);
    remove(path);
    free(path);
    free(dir);
    return hex;
}

void
forge_replace(const char *path, const char *from, const char *to)
{
    char *text = read_file(path, NULL), *p, *out;

    cr_assert(text, "cannot read %s", path);
    p = strstr(text, from);
    cr_assert(p, "%s has no '%s'", path, from);
    out = malloc(strlen(text) + strlen(to) + 1);
    sprintf(out, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
    forge_write(path, out);
    free(out);
    free(text);
}

char *
forge_line(const char *path, const char *prefix, int *line)
{
    char *text = read_file(path, NULL), *found = NULL;
    int n = 0;

    cr_assert(text, "cannot read %s", path);
    for (char *p = text; *p && !found;) {
        char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        n++;
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            found = strndup(p, len);
            if (line)
                *line = n;
        }
        p += len + (nl ? 1 : 0);
    }
    free(text);
    return found;
}

char *
forge_get(const char *path, const char *key, int *line)
{
    char prefix[512], *l, *v;

    snprintf(prefix, sizeof(prefix), "%s ", key);
    if (!(l = forge_line(path, prefix, line)))
        return NULL;
    v = strdup(l + strlen(prefix));
    free(l);
    return v;
}

void
forge_set(const char *path, const char *key, const char *value)
{
    char *text = read_file(path, NULL), *out, *p;
    size_t klen = strlen(key), n = 0;
    int done = 0;

    cr_assert(text, "cannot read %s", path);
    out = malloc(strlen(text) + klen + (value ? strlen(value) : 0) + 4);
    for (p = text; *p;) {
        char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
        if (strncmp(p, key, klen) == 0 && p[klen] == ' ') {
            if (value)
                n += (size_t)sprintf(out + n, "%s %s\n", key, value);
            done = 1;
        } else {
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
    }
    if (!done && value)
        n += (size_t)sprintf(out + n, "%s %s\n", key, value);
    out[n] = '\0';
    forge_write(path, out);
    free(out);
    free(text);
}

void
forge_rehash_file(const char *mpath, const char *name)
{
    char *dir = strdup(mpath), *file, *hex, prefix[512], *old, *now;
    struct stat st;

    *strrchr(dir, '/') = '\0';
    file = path2(dir, name);
    cr_assert_eq(stat(file, &st), 0, "%s", file);
    hex = forge_file_sha256(file);
    snprintf(prefix, sizeof(prefix), "file %s ", name);
    old = forge_line(mpath, prefix, NULL);
    cr_assert(old, "%s lists no %s", mpath, name);
    now = malloc(strlen(old) + 200);
    {
        unsigned long long rows;
        cr_assert_eq(sscanf(old + strlen(prefix), "rows %llu", &rows), 1, "%s", old);
        sprintf(now, "file %s rows %llu bytes %lld sha256 %s", name, rows, (long long)st.st_size,
                hex);
    }
    forge_replace(mpath, old, now);
    free(now);
    free(old);
    free(hex);
    free(file);
    free(dir);
}

/* The place of a pre-submission file in the seal (docs/design.md "Run seal"), -1 for others. */
static int
rank(const char *rel)
{
    if (strcmp(rel, "staged/MANIFEST") == 0)
        return 0;
    if (strcmp(rel, "return/MANIFEST") == 0)
        return 1;
    if (strncmp(rel, "validate/report", 15) == 0)
        return 2;
    if (strcmp(rel, "kpi/MANIFEST") == 0)
        return 3;
    return -1;
}

struct pair {
    char *rel, *hex;
};

static int
pair_cmp(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    return rank(x->rel) != rank(y->rel) ? rank(x->rel) - rank(y->rel) : strcmp(x->rel, y->rel);
}

/* "yjreturns-seal 1\n" then "<hex> <path>\n" per pair, in seal order; its SHA-256. */
static char *
seal_text(struct pair *p, size_t n)
{
    size_t cap = 32, len = 0;
    char *text, *hex;

    qsort(p, n, sizeof(*p), pair_cmp);
    for (size_t i = 0; i < n; i++)
        cap += strlen(p[i].rel) + 70;
    text = malloc(cap);
    len += (size_t)sprintf(text, "yjreturns-seal 1\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "%s %s\n", p[i].hex, p[i].rel);
    hex = forge_text_sha256(text);
    free(text);
    return hex;
}

char *
forge_seal_of_folder(const char *run_dir)
{
    const char *fixed[] = {"staged/MANIFEST", "return/MANIFEST", "kpi/MANIFEST"};
    struct pair p[64];
    size_t n = 0;
    char *vdir = path2(run_dir, "validate"), *hex;
    struct dirent **ents = NULL;
    int ne = scandir(vdir, &ents, NULL, alphasort);

    for (size_t i = 0; i < 3; i++) {
        char *f = path2(run_dir, fixed[i]);
        if (file_exists(f)) {
            p[n].rel = strdup(fixed[i]);
            p[n++].hex = forge_file_sha256(f);
        }
        free(f);
    }
    for (int i = 0; i < ne; i++) {
        if (strncmp(ents[i]->d_name, "report", 6) == 0 && n < 64) {
            char *f = path2(vdir, ents[i]->d_name);
            p[n].rel = path2("validate", ents[i]->d_name);
            p[n++].hex = forge_file_sha256(f);
            free(f);
        }
        free(ents[i]);
    }
    free(ents);
    hex = seal_text(p, n);
    for (size_t i = 0; i < n; i++) {
        free(p[i].rel);
        free(p[i].hex);
    }
    free(vdir);
    return hex;
}

char *
forge_seal_of_record(const char *run_dir)
{
    char *run = path2(run_dir, "RUN"), *text = read_file(run, NULL), *hex;
    struct pair p[64];
    size_t n = 0;

    cr_assert(text, "cannot read %s", run);
    for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n"))
        if (strncmp(l, "sealed.", 7) == 0 && n < 64) {
            char *sp = strchr(l, ' ');
            *sp = '\0';
            if (rank(l + 7) >= 0) {
                p[n].rel = l + 7;
                p[n++].hex = sp + 1;
            }
        }
    hex = seal_text(p, n);
    free(text);
    free(run);
    return hex;
}

char *
forge_record_of(const char *run_dir)
{
    char *run = path2(run_dir, "RUN"), *text = read_file(run, NULL), *out, *hex;
    size_t n = 0;

    cr_assert(text, "cannot read %s", run);
    out = malloc(strlen(text) + 1);
    for (char *l = strchr(text, '\n') + 1; *l;) { /* after the "yjreturns-manifest 1" line */
        char *nl = strchr(l, '\n');
        size_t len = (size_t)(nl - l) + 1;
        if (strncmp(l, "record_sha256 ", 14) != 0) {
            memcpy(out + n, l, len);
            n += len;
        }
        l += len;
    }
    out[n] = '\0';
    hex = forge_text_sha256(out);
    free(out);
    free(text);
    free(run);
    return hex;
}

void
forge_reseal(const char *run_dir)
{
    char *run = path2(run_dir, "RUN"), *text = read_file(run, NULL), *hex;

    cr_assert(text, "cannot read %s", run);
    for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n"))
        if (strncmp(l, "sealed.", 7) == 0) {
            char *key = strndup(l, strcspn(l, " ")), *file = path2(run_dir, key + 7);
            char *now = forge_file_sha256(file);
            forge_set(run, key, now);
            free(now);
            free(file);
            free(key);
        }
    hex = forge_seal_of_record(run_dir);
    forge_set(run, "seal", hex);
    free(hex);
    hex = forge_record_of(run_dir);
    forge_set(run, "record_sha256", hex);
    free(hex);
    free(text);
    free(run);
}

void
forge_ledger(const char *ledger, const char *from, const char *to)
{
    char *text = read_file(ledger, NULL), *out, prev[65];
    size_t n = 0;

    cr_assert(text, "cannot read %s", ledger);
    memset(prev, '0', 64);
    prev[64] = '\0';
    out = malloc(strlen(text) * 2 + 1024);
    for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
        char *line = strdup(l), *p, *cut, *body, *hex;
        /* every FROM of the line replaced */
        while (from && (p = strstr(line, from)) != NULL) {
            char *t = malloc(strlen(line) + strlen(to) + 1);
            sprintf(t, "%.*s%s%s", (int)(p - line), line, to, p + strlen(from));
            free(line);
            line = t;
        }
        cut = strstr(line, " prev=");
        cr_assert(cut, "%s: no prev= in '%s'", ledger, line);
        body = malloc(strlen(line) + 80);
        sprintf(body, "%.*s prev=%s", (int)(cut - line), line, prev);
        hex = forge_text_sha256(body);
        n += (size_t)sprintf(out + n, "%s hash=%s\n", body, hex);
        memcpy(prev, hex, 65);
        free(hex);
        free(body);
        free(line);
    }
    out[n] = '\0';
    forge_write(ledger, out);
    free(out);
    free(text);
}
