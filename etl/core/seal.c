/*
 * seal.c - the run seal (see seal.h and docs/design.md "Run seal").
 *
 * Invariant: the seal of a run folder computed from its files (seal_compute, yj-submit and
 * yj-run --verify) and the one its RUN record's sealed lines give (seal_of_record) hash the
 * same text in the same order, so the two agree exactly when the files are those RUN sealed.
 * This module reads files and hashes; it decides nothing: yj-run writes the lines, yj-submit
 * copies the seal into the ledger, --verify compares.
 */
#include "seal.h"

#include "atomic.h"
#include "mem.h"
#include "rundir.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>

#include "banned.h"

/* A validation report's name: report.txt or report-NNNN.txt (rundir's RD_VALIDATE_REPORT), no
 * folder. */
static int
is_report_name(const char *name)
{
    const char *want = rundir_name(RD_VALIDATE_REPORT), *dot = strrchr(want, '.');
    size_t nb = (size_t)(dot - want), n = strlen(name);

    return strncmp(name, want, nb) == 0 && n > strlen(dot) &&
           strcmp(name + n - strlen(dot), dot) == 0 && !strchr(name, '/');
}

/* The place of a pre-submission file in the seal: 0 staged, 1 return, 2 a report, 3 kpi;
 * -1 for any other path. */
static int
rank(const char *path)
{
    const char *vdir = rundir_entry(RD_VALIDATE_DIR)->path;
    size_t nv = strlen(vdir);

    if (strcmp(path, rundir_entry(RD_STAGED_MANIFEST)->path) == 0)
        return 0;
    if (strcmp(path, rundir_entry(RD_RETURN_MANIFEST)->path) == 0)
        return 1;
    if (strncmp(path, vdir, nv) == 0 && path[nv] == '/' && is_report_name(path + nv + 1))
        return 2;
    if (strcmp(path, rundir_entry(RD_KPI_MANIFEST)->path) == 0)
        return 3;
    return -1;
}

int
seal_covers(const char *path)
{
    return rank(path) >= 0;
}

/* A file of submit/ to seal: not a dot file, nor the "<name>.tmp" of a write a stop cut short
 * (atomic.h), which the next run of the period removes: sealed, it would be a file RUN names
 * and the runs root lacks. */
static int
is_kept(const struct dirent *d)
{
    return rundir_not_dot(d) && !atomic_is_tmp(d->d_name);
}

static int
is_report(const struct dirent *d)
{
    return is_report_name(d->d_name);
}

static void
add(char ***list, size_t *n, char *path)
{
    *list = xrealloc(*list, (*n + 2) * sizeof(char *));
    (*list)[(*n)++] = path;
    (*list)[*n] = NULL;
}

/* Adds DIR/NAME (relative) when it is a regular file of RUN_DIR. */
static void
add_if_file(const char *run_dir, const char *rel, char ***list, size_t *n)
{
    char *full = path_join(run_dir, rel);
    struct stat st;

    if (lstat(full, &st) == 0 && S_ISREG(st.st_mode))
        add(list, n, xstrdup(rel));
    free(full);
}

/* Every regular file of RUN_DIR/SUB matching KEEP, in name order. */
static void
add_folder(const char *run_dir, const char *sub, int (*keep)(const struct dirent *), char ***list,
           size_t *n)
{
    char *dir = path_join(run_dir, sub);
    struct dirent **ents = NULL;
    int ne = scandir(dir, &ents, keep, alphasort);

    for (int i = 0; i < ne; i++) {
        char *rel = path_join(sub, ents[i]->d_name);
        add_if_file(run_dir, rel, list, n);
        free(rel);
        free(ents[i]);
    }
    free(ents);
    free(dir);
}

char **
seal_files(const char *run_dir, int submit)
{
    char **list = xcalloc(1, sizeof(char *));
    size_t n = 0;

    add_if_file(run_dir, rundir_entry(RD_STAGED_MANIFEST)->path, &list, &n);
    add_if_file(run_dir, rundir_entry(RD_RETURN_MANIFEST)->path, &list, &n);
    add_folder(run_dir, rundir_entry(RD_VALIDATE_DIR)->path, is_report, &list, &n);
    add_if_file(run_dir, rundir_entry(RD_KPI_MANIFEST)->path, &list, &n);
    if (submit) {
        /* the board pack's MANIFEST: written after the upload, so RUN seals it, not the seal */
        add_if_file(run_dir, rundir_entry(RD_REPORT_MANIFEST)->path, &list, &n);
        add_folder(run_dir, rundir_entry(RD_SUBMIT_DIR)->path, is_kept, &list, &n);
    }
    return list;
}

static void
free_list(char **list)
{
    for (size_t i = 0; list[i]; i++)
        free(list[i]);
    free(list);
}

struct sealed {
    const char *path, *hex;
};

static int
sealed_cmp(const void *a, const void *b)
{
    const struct sealed *x = a, *y = b;
    int rx = rank(x->path), ry = rank(y->path);
    return rx != ry ? rx - ry : strcmp(x->path, y->path);
}

/* The seal of N (path, hex) pairs, sorted into seal order here. */
static void
seal_text_hash(struct sealed *s, size_t n, char out[SHA256_HEX_LEN + 1])
{
    struct sha256 h;

    qsort(s, n, sizeof(*s), sealed_cmp);
    sha256_init(&h);
    sha256_update(&h, "yjreturns-seal 1\n", 17);
    for (size_t i = 0; i < n; i++) {
        sha256_update(&h, s[i].hex, strlen(s[i].hex));
        sha256_update(&h, " ", 1);
        sha256_update(&h, s[i].path, strlen(s[i].path));
        sha256_update(&h, "\n", 1);
    }
    sha256_final_hex(&h, out);
    sha256_release(&h);
}

int
seal_compute(const char *run_dir, char out[SHA256_HEX_LEN + 1])
{
    char **files = seal_files(run_dir, 0);
    size_t n = 0;
    struct sealed *s;
    char(*hex)[SHA256_HEX_LEN + 1];
    int rc = 0;

    while (files[n])
        n++;
    s = xcalloc(n + 1, sizeof(*s));
    hex = xcalloc(n + 1, sizeof(*hex));
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *full = path_join(run_dir, files[i]);
        unsigned long long bytes;
        rc = sha256_file(full, hex[i], &bytes);
        s[i].path = files[i];
        s[i].hex = hex[i];
        free(full);
    }
    if (rc == 0)
        seal_text_hash(s, n, out);
    free(s);
    free(hex);
    free_list(files);
    return rc;
}

void
seal_of_record(const struct manifest *m, char out[SHA256_HEX_LEN + 1])
{
    struct sealed *s = xcalloc(m->nkv + 1, sizeof(*s));
    size_t n = 0, plen = strlen(SEAL_PREFIX);

    for (size_t i = 0; i < m->nkv; i++)
        if (strncmp(m->kv[i].key, SEAL_PREFIX, plen) == 0 && seal_covers(m->kv[i].key + plen)) {
            s[n].path = m->kv[i].key + plen;
            s[n++].hex = m->kv[i].value;
        }
    seal_text_hash(s, n, out);
    free(s);
}

void
seal_record_sha256(const struct manifest *m, char out[SHA256_HEX_LEN + 1])
{
    struct sha256 h;

    sha256_init(&h);
    for (size_t i = 0; i < m->nkv; i++)
        if (strcmp(m->kv[i].key, SEAL_RECORD_KEY) != 0) {
            sha256_update(&h, m->kv[i].key, strlen(m->kv[i].key));
            sha256_update(&h, " ", 1);
            sha256_update(&h, m->kv[i].value, strlen(m->kv[i].value));
            sha256_update(&h, "\n", 1);
        }
    sha256_final_hex(&h, out);
    sha256_release(&h);
}

/* Sets KEY to VALUE as M's last line. */
static void
set_last(struct manifest *m, const char *key, const char *value)
{
    for (size_t i = 0; i < m->nkv; i++)
        if (strcmp(m->kv[i].key, key) == 0) {
            free(m->kv[i].key);
            free(m->kv[i].value);
            memmove(&m->kv[i], &m->kv[i + 1], (m->nkv - i - 1) * sizeof(m->kv[0]));
            m->nkv--;
            break;
        }
    manifest_set(m, key, value);
}

int
seal_run_record(struct manifest *m, const char *run_dir)
{
    char **files = seal_files(run_dir, 1);
    char hex[SHA256_HEX_LEN + 1];
    int rc = 0;

    for (size_t i = 0; files[i] && rc == 0; i++) {
        char *full = path_join(run_dir, files[i]), *key;
        unsigned long long bytes;
        if ((rc = sha256_file(full, hex, &bytes)) == 0) {
            size_t kn = strlen(SEAL_PREFIX) + strlen(files[i]) + 1;
            key = xmalloc(kn);
            snprintf(key, kn, "%s%s", SEAL_PREFIX, files[i]);
            manifest_set(m, key, hex);
            free(key);
        }
        free(full);
    }
    free_list(files);
    if (rc != 0)
        return rc;
    /* the seal, then record_sha256: RUN's last two lines, whatever was added since */
    seal_of_record(m, hex);
    set_last(m, SEAL_KEY, hex);
    set_last(m, SEAL_RECORD_KEY, "-");
    seal_record_sha256(m, hex);
    manifest_set(m, SEAL_RECORD_KEY, hex);
    return 0;
}

void
seal_syslog(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsyslog(LOG_USER | LOG_NOTICE, fmt, ap);
    va_end(ap);
}
