/*
 * manifest.c - reading and writing manifests. Writes are atomic (atomic.h): a manifest under
 * its final name always describes files that are complete.
 */
#define _POSIX_C_SOURCE 200809L
#include "manifest.h"

#include "atomic.h"
#include "rundir.h"
#include "mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* The first line, "yjreturns-manifest 1": the format of every MANIFEST, RUN and RERUN. */
#define MANIFEST_MAGIC (rundir_entry(RD_RETURN_MANIFEST)->format)

void
manifest_init(struct manifest *m)
{
    memset(m, 0, sizeof(*m));
}

void
manifest_release(struct manifest *m)
{
    for (size_t i = 0; i < m->nkv; i++) {
        free(m->kv[i].key);
        free(m->kv[i].value);
    }
    for (size_t i = 0; i < m->nfiles; i++)
        free(m->files[i].name);
    free(m->kv);
    free(m->files);
    manifest_init(m);
}

void
manifest_set(struct manifest *m, const char *key, const char *value)
{
    for (size_t i = 0; i < m->nkv; i++)
        if (strcmp(m->kv[i].key, key) == 0) {
            free(m->kv[i].value);
            m->kv[i].value = xstrdup(value);
            return;
        }
    m->kv = xrealloc(m->kv, (m->nkv + 1) * sizeof(*m->kv));
    m->kv[m->nkv].key = xstrdup(key);
    m->kv[m->nkv].value = xstrdup(value);
    m->nkv++;
}

const char *
manifest_get(const struct manifest *m, const char *key)
{
    for (size_t i = 0; i < m->nkv; i++)
        if (strcmp(m->kv[i].key, key) == 0)
            return m->kv[i].value;
    return NULL;
}

void
manifest_add_file(struct manifest *m, const char *name, unsigned long long rows,
                  unsigned long long bytes, const char *sha256)
{
    struct manifest_file *f;

    m->files = xrealloc(m->files, (m->nfiles + 1) * sizeof(*m->files));
    f = &m->files[m->nfiles++];
    f->name = xstrdup(name);
    f->rows = rows;
    f->bytes = bytes;
    snprintf(f->sha256, sizeof(f->sha256), "%s", sha256);
}

const struct manifest_file *
manifest_find_file(const struct manifest *m, const char *name)
{
    for (size_t i = 0; i < m->nfiles; i++)
        if (strcmp(m->files[i].name, name) == 0)
            return &m->files[i];
    return NULL;
}

int
manifest_write(const struct manifest *m, const char *path, struct yj_error *err)
{
    size_t cap = 256, len = 0;
    char *buf;
    int rc;

    for (size_t i = 0; i < m->nkv; i++)
        cap += strlen(m->kv[i].key) + strlen(m->kv[i].value) + 2;
    for (size_t i = 0; i < m->nfiles; i++)
        cap += strlen(m->files[i].name) + 160;
    buf = xmalloc(cap);
    len += (size_t)snprintf(buf + len, cap - len, "%s\n", MANIFEST_MAGIC);
    for (size_t i = 0; i < m->nkv; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s %s\n", m->kv[i].key, m->kv[i].value);
    for (size_t i = 0; i < m->nfiles; i++)
        len += (size_t)snprintf(buf + len, cap - len, "file %s rows %llu bytes %llu sha256 %s\n",
                                m->files[i].name, m->files[i].rows, m->files[i].bytes,
                                m->files[i].sha256);
    rc = atomic_write_file(path, buf, len, RUNDIR_PUBLIC_MODE, err);
    free(buf);
    return rc;
}

static int
is_hex64(const char *s)
{
    if (strlen(s) != SHA256_HEX_LEN)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return 0;
    return 1;
}

int
manifest_read(struct manifest *m, const char *path, char *sha256_out, struct yj_error *err)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    int lineno = 0, rc = YJ_OK;

    if (!f)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not open manifest '%s'", path);
    while (fgets(line, sizeof(line), f)) {
        char *sp, *nl = strchr(line, '\n');

        lineno++;
        if (!nl) {
            rc = yj_error_set(err, YJ_EX_IOERR,
                              "manifest '%s' line %d: line too long or "
                              "unterminated",
                              path, lineno);
            goto done;
        }
        *nl = '\0';
        if (lineno == 1) {
            if (strcmp(line, MANIFEST_MAGIC) != 0) {
                size_t np = strlen(RUNDIR_MANIFEST_FORMAT);
                const char *v = line + np + 1;
                unsigned long version;
                struct yj_error newer;
                /* a newer version says so; anything else is not a manifest */
                yj_error_init(&newer);
                if (strncmp(line, RUNDIR_MANIFEST_FORMAT " ", np + 1) == 0 && *v > '0' &&
                    strspn(v, "0123456789") == strlen(v) &&
                    rundir_format_version(path, 1, RUNDIR_MANIFEST_FORMAT, v, 1, &version,
                                          &newer) != YJ_OK)
                    rc = yj_error_set(err, YJ_EX_IOERR, "manifest %s", newer.message);
                else
                    rc = yj_error_set(err, YJ_EX_IOERR,
                                      "manifest '%s' line 1: not a yjreturns "
                                      "manifest",
                                      path);
                goto done;
            }
            continue;
        }
        if (strncmp(line, "file ", 5) == 0) {
            char name[1024], sha[128];
            unsigned long long rows, bytes;
            int end = 0;
            if (strstr(line, " rows -") || strstr(line, " bytes -") ||
                sscanf(line, "file %1023s rows %llu bytes %llu sha256 %127s%n", name, &rows, &bytes,
                       sha, &end) != 4 ||
                line[end] != '\0' || !is_hex64(sha)) {
                rc = yj_error_set(err, YJ_EX_IOERR, "manifest '%s' line %d: malformed file entry",
                                  path, lineno);
                goto done;
            }
            manifest_add_file(m, name, rows, bytes, sha);
            continue;
        }
        sp = strchr(line, ' ');
        if (!sp || sp == line || strchr(sp + 1, ' ')) {
            rc = yj_error_set(err, YJ_EX_IOERR, "manifest '%s' line %d: expected 'key value'", path,
                              lineno);
            goto done;
        }
        *sp = '\0';
        manifest_set(m, line, sp + 1);
    }
    if (lineno == 0)
        rc = yj_error_set(err, YJ_EX_IOERR, "manifest '%s' is empty", path);
done:
    fclose(f);
    if (rc == YJ_OK && sha256_out) {
        unsigned long long bytes;
        if (sha256_file(path, sha256_out, &bytes) != 0)
            rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read manifest '%s'", path);
    }
    return rc;
}

const char *
manifest_part_digits(const char *name, size_t *len)
{
    size_t np = strlen(RUNDIR_PART_PREFIX), n = strlen(name);

    if (n <= np + 4 || strncmp(name, RUNDIR_PART_PREFIX, np) != 0 ||
        strcmp(name + n - 4, ".xml") != 0)
        return NULL;
    *len = n - np - 4;
    return strspn(name + np, "0123456789") == *len ? name + np : NULL;
}

char *
manifest_part_file(const char *dir, const char *document, const char *base, const char *ext)
{
    size_t nd = 0;
    const char *digits = manifest_part_digits(document, &nd);
    size_t n = strlen(base) + nd + strlen(ext) + 2;
    char *name = xmalloc(n), *path;

    if (digits)
        snprintf(name, n, "%s-%.*s%s", base, (int)nd, digits, ext);
    else
        snprintf(name, n, "%s%s", base, ext);
    path = path_join(dir, name);
    free(name);
    return path;
}

int
manifest_check_formats(const struct manifest *m, const char *path, struct yj_error *err)
{
    int rc = YJ_OK;

    /* the file is read again for a line number only when a key is refused */
    for (size_t i = 0; i < m->nkv && rc == YJ_OK; i++) {
        const char *k = m->kv[i].key, *v = m->kv[i].value;
        if (rundir_format_key_check(path, 0, k, v, err) != YJ_OK) {
            yj_error_init(err);
            rc = rundir_format_key_check(path, manifest_key_line(path, k), k, v, err);
        }
    }
    return rc;
}

/* The line number (from 1) of the line "KEY ..." of the manifest-format file PATH, or 0. */
unsigned long
manifest_key_line(const char *path, const char *key)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    unsigned long n = 0, found = 0;
    size_t len = strlen(key);

    if (!f)
        return 0;
    while (!found && fgets(line, sizeof(line), f)) {
        n++;
        if (strncmp(line, key, len) == 0 && line[len] == ' ')
            found = n;
    }
    fclose(f);
    return found;
}

int
manifest_is_document(const char *name)
{
    size_t nd;
    return strcmp(name, RUNDIR_RETURN_XML) == 0 || manifest_part_digits(name, &nd) != NULL;
}
