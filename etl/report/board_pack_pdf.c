/*
 * board_pack_pdf.c - prints the board pack's page to an A4 PDF with headless Chromium, the
 * same page the board reads on screen. The browser runs in its own process group with a
 * private, temporary profile (removed afterwards), no sandbox when run as root (Chromium
 * refuses to start otherwise), every host name resolving to nothing and no proxy to reach,
 * so that it cannot fetch anything even if the page asked (it does not: its
 * Content-Security-Policy forbids any request). It writes to a temporary name that is
 * checked (a PDF), given its mode, fsynced and renamed: a failure or a time-out leaves no
 * pack.pdf that looks complete. Its output goes to /dev/null: Chromium's own chatter is not
 * a diagnostic of ours.
 */
#define _GNU_SOURCE /* nftw */
#include "board_pack_int.h"

#include "atomic.h"
#include "config.h"
#include "mem.h"
#include "rundir.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

/* The browser's options besides its profile, its output and the page: headless, nothing of
 * its own to fetch or start, no name resolved, an unreachable proxy, no header or footer. */
static const char *const browser_flags[] = {"--headless",
                                            "--disable-gpu",
                                            "--no-first-run",
                                            "--no-default-browser-check",
                                            "--disable-extensions",
                                            "--disable-background-networking",
                                            "--disable-component-update",
                                            "--disable-sync",
                                            "--host-resolver-rules=MAP * ~NOTFOUND",
                                            "--proxy-server=127.0.0.1:9",
                                            "--no-pdf-header-footer"};

static int
remove_any(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

/* "file://" and the absolute PATH, bytes outside the unreserved set percent-escaped. */
static char *
file_url(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    char *url = xmalloc(sizeof("file://") + 3 * strlen(path)), *o = url;

    memcpy(o, "file://", 7);
    o += 7;
    for (const unsigned char *s = (const unsigned char *)path; *s; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            strchr("/._-~", *s))
            *o++ = (char)*s;
        else {
            *o++ = '%';
            *o++ = hex[*s >> 4];
            *o++ = hex[*s & 15];
        }
    *o = '\0';
    return url;
}

/* Runs ARGV[0] with ARGV and HOME set to PROFILE; kills its process group after SECONDS.
 * Returns its wait status, or -1 with ERRNO_OUT set when it could not start, or -2 on time-out. */
static int
run_browser(char *const argv[], const char *profile, double seconds, int *errno_out)
{
    struct timespec nap = {0, 50 * 1000 * 1000};
    int status, fds[2];
    pid_t pid;
    long waited = 0;

    if (pipe(fds) != 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
        *errno_out = errno;
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        *errno_out = errno;
        close(fds[0]), close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        int e;

        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlives the report for long */
        close(fds[0]);
        if (null >= 0) {
            dup2(null, 0), dup2(null, 1), dup2(null, 2);
        }
        setenv("HOME", profile, 1);
        execv(argv[0], argv);
        e = errno;
        if (write(fds[1], &e, sizeof(e)) < 0)
            _exit(127);
        _exit(127);
    }
    close(fds[1]);
    setpgid(pid, pid);
    if (read(fds[0], errno_out, sizeof(*errno_out)) == (ssize_t)sizeof(*errno_out)) {
        close(fds[0]);
        waitpid(pid, &status, 0);
        return -1;
    }
    close(fds[0]);
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (waited++ * 0.05 >= seconds) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -2;
        }
        nanosleep(&nap, NULL);
    }
    kill(-pid, SIGKILL); /* helpers the browser left behind */
    return status;
}

/* The moment Chromium writes into a PDF's /CreationDate and /ModDate (D:YYYYMMDDHHmmSS...):
 * set to one fixed value, so that the same page prints to the same bytes on every run. */
#define PDF_FIXED_DATE "19700101000000"

/* Overwrites, in FD's PDF, the 14 digits after each "/CreationDate (D:" and "/ModDate (D:"
 * with PDF_FIXED_DATE; 0, or -1 with errno. */
static int
pdf_fix_dates(int fd)
{
    static const char *const keys[] = {"/CreationDate (D:", "/ModDate (D:"};
    const size_t nd = sizeof(PDF_FIXED_DATE) - 1;
    struct stat st;
    char *buf;
    int rc = 0;

    if (fstat(fd, &st) != 0)
        return -1;
    buf = xmalloc((size_t)st.st_size + 1);
    if (pread(fd, buf, (size_t)st.st_size, 0) != st.st_size) {
        free(buf);
        return -1;
    }
    buf[st.st_size] = '\0';
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]) && rc == 0; k++)
        for (char *p = buf;
             (p = memmem(p, (size_t)(buf + st.st_size - p), keys[k], strlen(keys[k]))) != NULL;) {
            p += strlen(keys[k]);
            if ((size_t)(buf + st.st_size - p) >= nd && strspn(p, "0123456789") >= nd &&
                pwrite(fd, PDF_FIXED_DATE, nd, p - buf) != (ssize_t)nd) {
                rc = -1;
                break;
            }
        }
    free(buf);
    return rc;
}

/* TMP is a PDF: its dates fixed (pdf_fix_dates), makes it mode MODE and durable. */
static int
check_pdf(const char *tmp, int mode, struct yj_error *err)
{
    char head[5] = {0};
    int fd = open(tmp, O_RDWR);

    if (fd < 0)
        return yj_error_errno(err, YJ_EX_SOFTWARE, errno,
                              "the browser wrote no board pack PDF '%s'", tmp);
    if (read(fd, head, 4) != 4 || memcmp(head, "%PDF", 4) != 0) {
        close(fd);
        return yj_error_set(err, YJ_EX_SOFTWARE, "the browser's board pack '%s' is not a PDF", tmp);
    }
    if (pdf_fix_dates(fd) != 0 || fchmod(fd, (mode_t)mode) != 0 || fsync(fd) != 0) {
        int e = errno;

        close(fd);
        return yj_error_errno(err, YJ_EX_IOERR, e, "could not keep the board pack PDF '%s'", tmp);
    }
    close(fd);
    return YJ_OK;
}

/* What board_pack_pdf does, with a time limit of SECONDS (tests use a short one). */
int
board_pack_pdf_within(const char *out_dir, const char *browser, double seconds,
                      struct yj_error *err)
{
    char *html = path_join(out_dir, rundir_name(RD_REPORT_HTML));
    char *pdf = path_join(out_dir, rundir_name(RD_REPORT_PDF));
    char *tmp = atomic_tmp_path(pdf), *abs = NULL, *url = NULL, *print = NULL, *dirarg = NULL;
    const char *base = getenv("TMPDIR");
    char profile[4096];
    char *argv[sizeof(browser_flags) / sizeof(browser_flags[0]) + 6];
    size_t n = 0;
    int rc = YJ_OK, status, e = 0;

    snprintf(profile, sizeof(profile), "%s/yj-chromium-XXXXXX", base && *base ? base : "/tmp");
    if ((rc = config_check_browser(browser, err)) != YJ_OK)
        goto done;
    if (!(abs = realpath(html, NULL))) {
        rc = yj_error_errno(err, YJ_EX_NOINPUT, errno, "could not open the board pack '%s'", html);
        goto done;
    }
    if (!mkdtemp(profile)) {
        rc = yj_error_errno(err, YJ_EX_CANTCREAT, errno,
                            "could not make the browser's temporary profile '%s'", profile);
        goto done;
    }
    url = file_url(abs);
    print = xmalloc(strlen(tmp) + 20);
    snprintf(print, strlen(tmp) + 20, "--print-to-pdf=%s", tmp);
    dirarg = xmalloc(strlen(profile) + 20);
    snprintf(dirarg, strlen(profile) + 20, "--user-data-dir=%s", profile);
    argv[n++] = (char *)browser;
    for (size_t i = 0; i < sizeof(browser_flags) / sizeof(browser_flags[0]); i++)
        argv[n++] = (char *)browser_flags[i];
    if (geteuid() == 0)
        argv[n++] = "--no-sandbox"; /* Chromium refuses to run as root with its sandbox */
    argv[n++] = dirarg;
    argv[n++] = print;
    argv[n++] = url;
    argv[n] = NULL;
    unlink(tmp);
    status = run_browser(argv, profile, seconds, &e);
    nftw(profile, remove_any, 16, FTW_DEPTH | FTW_PHYS);
    if (status == -1)
        rc = yj_error_errno(err, YJ_EX_CONFIG, e, "could not run the browser '%s'", browser);
    else if (status == -2)
        rc = yj_error_set(err, YJ_EX_TEMPFAIL,
                          "the browser '%s' did not print the board pack within %.0f seconds",
                          browser, seconds);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        rc = yj_error_set(err, YJ_EX_SOFTWARE,
                          "the browser '%s' failed to print the board pack (%s %d)", browser,
                          WIFEXITED(status) ? "exit status" : "signal",
                          WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        /* the usual cause, when not root: no sandbox (unprivileged user namespaces) */
        yj_error_hint(err, "Chromium needs its sandbox, which needs unprivileged user namespaces "
                           "(not in a chroot); try it by hand, or set [report] pdf = no");
    } else if ((rc = check_pdf(tmp, rundir_mode(RD_REPORT_PDF), err)) == YJ_OK) {
        if (rename(tmp, pdf) != 0)
            rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not rename '%s' to '%s'", tmp, pdf);
        else
            rc = fsync_parent_dir(pdf, err);
    }
    if (rc != YJ_OK)
        unlink(tmp);
done:
    free(html), free(pdf), free(tmp), free(abs), free(url), free(print), free(dirarg);
    return rc;
}

int
board_pack_pdf(const char *out_dir, const char *browser, struct yj_error *err)
{
    return board_pack_pdf_within(out_dir, browser, BOARD_PDF_SECONDS, err);
}
