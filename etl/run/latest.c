/*
 * latest.c - the period's `latest` link (latest.h).
 *
 * Invariant: the link is only ever replaced whole (a symbolic link made under a temporary
 * name, then renamed over it), so a reader sees the old target or the new one, and its target
 * is a run whose RUN already says how it ended. It is made under the period's lock, at the
 * end of each run; the target is found by reading the run folders again, not taken from the
 * run that just ended, so a run that was stopped leaves the link where it was.
 */
#include "latest.h"

#include "atomic.h"
#include "log.h"
#include "mem.h"
#include "rundir.h"
#include "runrec.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

/* The -n of a stamp, 1 when it has none. */
static unsigned long
stamp_number(const char *name)
{
    return strlen(name) > 17 && name[16] == '-' ? strtoul(name + 17, NULL, 10) : 1;
}

int
latest_stamp_cmp(const char *a, const char *b)
{
    int c = strncmp(a, b, 16);
    unsigned long na = stamp_number(a), nb = stamp_number(b);

    if (c)
        return c;
    return na < nb ? -1 : na > nb;
}

enum runrec_result
latest_result(const char *run_dir)
{
    char *run = rundir_path(run_dir, RD_RUN_FILE);
    struct runrec r;
    struct yj_error e2;
    enum runrec_result result = RUNREC_NONE;

    runrec_init(&r);
    if (runrec_read(&r, run, &e2) == YJ_OK)
        result = runrec_result(&r);
    runrec_release(&r);
    free(run);
    return result;
}

int
latest_is_complete(const char *run_dir)
{
    enum runrec_result result = latest_result(run_dir);

    return result == RUNREC_VALIDATED || result == RUNREC_SUBMITTED || result == RUNREC_FAILED;
}

int
latest_stamp_desc(const struct dirent **a, const struct dirent **b)
{
    return latest_stamp_cmp((*b)->d_name, (*a)->d_name);
}

int
latest_stamp_filter(const struct dirent *d)
{
    return rundir_is_stamp(d->d_name);
}

char *
latest_find(const char *period_dir)
{
    return latest_find_if(period_dir, latest_is_complete);
}

char *
latest_find_if(const char *period_dir, int (*ok)(const char *run_dir))
{
    struct dirent **runs = NULL;
    int nr = scandir(period_dir, &runs, latest_stamp_filter, latest_stamp_desc);
    char *found = NULL;

    for (int i = 0; i < nr; i++) {
        char *rdir = path_join(period_dir, runs[i]->d_name);
        struct stat st;
        if (!found && lstat(rdir, &st) == 0 && S_ISDIR(st.st_mode) && ok(rdir))
            found = xstrdup(runs[i]->d_name);
        free(rdir);
        free(runs[i]);
    }
    free(runs);
    return found;
}

char *
latest_target(const char *period_dir)
{
    char *link = path_join(period_dir, rundir_name(RD_LATEST)), buf[256];
    ssize_t n = readlink(link, buf, sizeof(buf) - 1);

    free(link);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    return xstrdup(buf);
}

int
latest_update(const char *period_dir, struct yj_error *err)
{
    char *target = latest_find(period_dir), *now = latest_target(period_dir);
    char *link = path_join(period_dir, rundir_name(RD_LATEST)), *tmp = NULL;
    int rc = YJ_OK;

    if (!target || (now && strcmp(now, target) == 0))
        goto out;
    tmp = atomic_tmp_path(link);
    if (unlink(tmp) != 0 && errno != ENOENT) {
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not remove '%s'", tmp);
        goto out;
    }
    if (symlink(target, tmp) != 0) {
        rc = yj_error_errno(err, YJ_EX_CANTCREAT, errno, "could not make the link '%s'", tmp);
        goto out;
    }
    if (rename(tmp, link) != 0) {
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not rename '%s' to '%s'", tmp, link);
        (void)unlink(tmp);
        goto out;
    }
    rc = fsync_parent_dir(link, err);
out:
    free(tmp);
    free(link);
    free(now);
    free(target);
    return rc;
}

void
latest_update_after(const char *run_dir)
{
    char *period_dir = xstrdup(run_dir), *slash = strrchr(period_dir, '/');
    struct yj_error e2;

    yj_error_init(&e2);
    if (slash)
        *slash = '\0';
    if (latest_update(slash ? period_dir : ".", &e2) != YJ_OK)
        log_warn("the period's latest link was not moved: %s", e2.message);
    free(period_dir);
}

char *
latest_resolve(const char *path)
{
    char *dir = xstrdup(path), *slash = strrchr(dir, '/'), *target, *out;
    const char *name = slash ? slash + 1 : dir;

    if (strcmp(name, rundir_name(RD_LATEST)) != 0)
        return dir;
    if (slash)
        *slash = '\0';
    target = latest_target(slash ? dir : ".");
    out = target ? path_join(slash ? dir : ".", target) : xstrdup(path);
    free(target);
    free(dir);
    return out;
}
