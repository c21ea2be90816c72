/*
 * runlock.c - the lock of a service and period (see runlock.h).
 */
#include "runlock.h"

#include "rundir.h"

#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

char *
runlock_path(const char *runs_root, const char *yot, const char *period)
{
    size_t n = strlen(runs_root) + strlen(yot) + strlen(period) + 16;
    char *p = xmalloc(n);

    snprintf(p, n, "%s/%s/%s.lock", runs_root, yot, period);
    return p;
}

/* The descriptor RUNLOCK_ENV names if it is open on the file PATH names; -1 otherwise. */
static int
inherited_fd(const char *path)
{
    const char *v = getenv(RUNLOCK_ENV);
    struct stat a, b;
    char *end = NULL;
    long fd;

    if (!v || !*v)
        return -1;
    errno = 0;
    fd = strtol(v, &end, 10);
    if (errno || !end || *end || fd < 3 || fd > 65535)
        return -1;
    if (fstat((int)fd, &a) != 0 || stat(path, &b) != 0 || !S_ISREG(a.st_mode) ||
        a.st_dev != b.st_dev || a.st_ino != b.st_ino)
        return -1;
    return (int)fd;
}

int
runlock_take(const char *path, int *fd_out, int *inherited, struct yj_error *err)
{
    int fd = inherited_fd(path), e;

    *inherited = 0;
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
        /* the open file our parent holds the lock with: we hold it too */
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        *inherited = 1;
        *fd_out = fd;
        return YJ_OK;
    }
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, rundir_mode(RD_LOCK));
    if (fd < 0)
        return yj_error_errno(err, YJ_EX_CANTCREAT, errno, "could not open lock file '%s'", path);
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
        *fd_out = fd;
        return YJ_OK;
    }
    e = errno;
    close(fd);
    if (e == EWOULDBLOCK) {
        yj_error_set(err, YJ_EX_LOCKED, "another run holds the lock '%s'", path);
        yj_error_hint(err, "wait for it to finish; runs and submissions of the same service and "
                           "period never overlap");
        return YJ_EX_LOCKED;
    }
    return yj_error_errno(err, YJ_EX_IOERR, e, "could not lock '%s'", path);
}
