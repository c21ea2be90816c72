/*
 * atomic.c - write-then-rename files and small filesystem helpers.
 */
#define _POSIX_C_SOURCE 200809L
#include "atomic.h"

#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

int
atomic_is_tmp(const char *name)
{
    size_t n = strlen(name), k = sizeof(ATOMIC_TMP_SUFFIX) - 1;

    return n > k && strcmp(name + n - k, ATOMIC_TMP_SUFFIX) == 0;
}

char *
atomic_tmp_path(const char *path)
{
    size_t n = strlen(path);
    char *tmp = xmalloc(n + sizeof(ATOMIC_TMP_SUFFIX));

    memcpy(tmp, path, n);
    memcpy(tmp + n, ATOMIC_TMP_SUFFIX, sizeof(ATOMIC_TMP_SUFFIX));
    return tmp;
}

#define WRITE_BUFFER (1 << 20)

void
atomic_file_init(struct atomic_file *af)
{
    memset(af, 0, sizeof(*af));
}

char *
path_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = xmalloc(la + 1 + lb + 1);

    memcpy(p, a, la);
    p[la] = '/';
    memcpy(p + la + 1, b, lb + 1);
    return p;
}

int
atomic_file_open(struct atomic_file *af, const char *path, int mode, struct yj_error *err)
{
    int fd;

    af->path = xstrdup(path);
    af->tmp_path = atomic_tmp_path(path);
    fd = open(af->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return yj_error_errno(err, errno == EACCES ? YJ_EX_NOPERM : YJ_EX_CANTCREAT, errno,
                              "could not create '%s'", af->tmp_path);
    fchmod(fd, (mode_t)mode); /* umask must not widen or narrow the intended mode */
    af->fp = fdopen(fd, "wb");
    if (!af->fp) {
        close(fd);
        return yj_error_errno(err, YJ_EX_CANTCREAT, errno, "could not open '%s'", af->tmp_path);
    }
    setvbuf(af->fp, NULL, _IOFBF, WRITE_BUFFER);
    sha256_init(&af->hash);
    return YJ_OK;
}

int
atomic_file_write(struct atomic_file *af, const void *buf, size_t len, struct yj_error *err)
{
    if (len && fwrite(buf, 1, len, af->fp) != len)
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not write '%s'", af->tmp_path);
    sha256_update(&af->hash, buf, len);
    af->bytes += len;
    return YJ_OK;
}

int
atomic_file_write_at(struct atomic_file *af, long offset, const void *buf, size_t len,
                     struct yj_error *err)
{
    if (offset < 0 || (unsigned long long)offset + len > af->bytes || fflush(af->fp) != 0 ||
        pwrite(fileno(af->fp), buf, len, (off_t)offset) != (ssize_t)len)
        return yj_error_errno(err, YJ_EX_IOERR, errno ? errno : EINVAL, "could not write '%s'",
                              af->tmp_path);
    return YJ_OK;
}

int
fsync_parent_dir(const char *path, struct yj_error *err)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    int fd, rc = YJ_OK;

    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        memcpy(dir, ".", 2); /* fits: path had at least one character */
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0)
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not sync folder '%s'", dir);
    if (fd >= 0)
        close(fd);
    free(dir);
    return rc;
}

int
atomic_file_sync(struct atomic_file *af, struct yj_error *err)
{
    FILE *fp = af->fp;

    af->fp = NULL;
    if (fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
        int e = errno;
        fclose(fp);
        return yj_error_errno(err, YJ_EX_IOERR, e, "could not write '%s'", af->tmp_path);
    }
    if (fclose(fp) != 0)
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not close '%s'", af->tmp_path);
    return YJ_OK;
}

int
atomic_file_commit(struct atomic_file *af, struct yj_error *err)
{
    int rc;

    if ((rc = atomic_file_sync(af, err)) != YJ_OK)
        return rc;
    if (rename(af->tmp_path, af->path) != 0)
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not rename '%s' to '%s'",
                              af->tmp_path, af->path);
    af->committed = 1;
    return fsync_parent_dir(af->path, err);
}

void
atomic_file_release(struct atomic_file *af)
{
    if (af->fp)
        fclose(af->fp);
    if (af->tmp_path && !af->committed)
        unlink(af->tmp_path);
    sha256_release(&af->hash);
    free(af->path);
    free(af->tmp_path);
    atomic_file_init(af);
}

int
atomic_write_file(const char *path, const void *buf, size_t len, int mode, struct yj_error *err)
{
    struct atomic_file af;
    int rc;

    atomic_file_init(&af);
    rc = atomic_file_open(&af, path, mode, err);
    if (rc == YJ_OK)
        rc = atomic_file_write(&af, buf, len, err);
    if (rc == YJ_OK)
        rc = atomic_file_commit(&af, err);
    atomic_file_release(&af);
    return rc;
}

int
mkdir_p(const char *path, int mode, struct yj_error *err)
{
    char *p;
    int rc = YJ_OK;

    if (path[0] == '\0')
        return yj_error_set(err, YJ_EX_CANTCREAT, "could not create folder: empty path");
    p = xstrdup(path);
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            struct stat st;
            *s = '\0';
            if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
                rc = yj_error_errno(err, errno == EACCES ? YJ_EX_NOPERM : YJ_EX_CANTCREAT, errno,
                                    "could not create folder '%s'", p);
                break;
            }
            if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
                rc = yj_error_errno(err, YJ_EX_CANTCREAT, ENOTDIR, "could not create folder '%s'",
                                    p);
                break;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    return rc;
}
