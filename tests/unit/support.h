/*
 * support.h - helpers shared by the unit tests: a scratch folder per test, whole-file reads
 * and writes, and an assertion that a message contains a piece of text.
 *
 * Header-only (static inline) because every tests/unit/<stage>/test_<module>.c is its own
 * executable. Strings returned by these helpers are malloc'd and owned by the caller. A
 * helper that cannot do its job fails the current test through Criterion.
 */
#ifndef YJ_UNIT_SUPPORT_H
#define YJ_UNIT_SUPPORT_H

#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Fails the test unless `needle` occurs in `hay`, showing both. */
#define ut_assert_contains(hay, needle)                                                            \
    cr_assert(strstr((hay), (needle)) != NULL, "expected '%s' in: %s", (needle), (hay))

/* A new empty folder under $TMPDIR (or /tmp). */
static inline char *
ut_mkdtemp(void)
{
    const char *base = getenv("TMPDIR");
    char *dir;
    size_t n;

    if (!base || !*base)
        base = "/tmp";
    n = strlen(base) + sizeof("/yj-unit-XXXXXX");
    dir = malloc(n);
    cr_assert_not_null(dir);
    snprintf(dir, n, "%s/yj-unit-XXXXXX", base);
    cr_assert_not_null(mkdtemp(dir), "mkdtemp under '%s' failed", base);
    return dir;
}

/* rm -rf; a missing path is fine. */
static inline void
ut_rmtree(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;

    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    d = opendir(path);
    if (d) {
        while ((e = readdir(d)) != NULL) {
            size_t n = strlen(path) + strlen(e->d_name) + 2;
            char *child;
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            child = malloc(n);
            if (!child)
                continue;
            memcpy(child, path, strlen(path));
            child[strlen(path)] = '/';
            memcpy(child + strlen(path) + 1, e->d_name, strlen(e->d_name) + 1);
            ut_rmtree(child);
            free(child);
        }
        closedir(d);
    }
    rmdir(path);
}

/* "dir/name", malloc'd. */
static inline char *
ut_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + 1 + strlen(name) + 1;
    char *p = malloc(n);

    cr_assert_not_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static inline void
ut_write_bytes(const char *path, const void *buf, size_t len)
{
    FILE *f = fopen(path, "wb");

    cr_assert_not_null(f, "could not create '%s'", path);
    cr_assert_eq(fwrite(buf, 1, len, f), len, "could not write '%s'", path);
    cr_assert_eq(fclose(f), 0, "could not close '%s'", path);
}

static inline void
ut_write(const char *path, const char *text)
{
    ut_write_bytes(path, text, strlen(text));
}

/* The whole file, NUL-terminated, or NULL if it cannot be opened; *len gets its size. */
static inline char *
ut_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;

    if (!f)
        return NULL;
    do {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap + 1);
            cr_assert_not_null(buf);
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static inline int
ut_exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

/* Copies the tree FROM (files and folders, no dot files) to TO, which must not exist. */
static inline void
ut_copy_tree(const char *from, const char *to)
{
    DIR *d = opendir(from);
    struct dirent *e;

    cr_assert_not_null(d, "cannot open '%s'", from);
    cr_assert_eq(mkdir(to, 0755), 0, "cannot create '%s'", to);
    while ((e = readdir(d)) != NULL) {
        char *a, *b;
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        a = ut_path(from, e->d_name);
        b = ut_path(to, e->d_name);
        cr_assert_eq(stat(a, &st), 0);
        if (S_ISDIR(st.st_mode))
            ut_copy_tree(a, b);
        else {
            size_t len;
            char *s = ut_read(a, &len);
            cr_assert_not_null(s);
            ut_write_bytes(b, s, len);
            free(s);
        }
        free(a);
        free(b);
    }
    closedir(d);
}

/* A suite whose every test gets a fresh scratch folder `dir`, removed after the test. */
/* How many times NEEDLE stands in HAY, not overlapping. */
static inline size_t
ut_count(const char *hay, const char *needle)
{
    size_t n = 0;

    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

#define UT_SCRATCH_SUITE(name)                                                                     \
    static char *dir;                                                                              \
    static void ut_scratch_setup(void)                                                             \
    {                                                                                              \
        dir = ut_mkdtemp();                                                                        \
    }                                                                                              \
    static void ut_scratch_teardown(void)                                                          \
    {                                                                                              \
        ut_rmtree(dir);                                                                            \
        free(dir);                                                                                 \
    }                                                                                              \
    TestSuite(name, .init = ut_scratch_setup, .fini = ut_scratch_teardown)

#endif
