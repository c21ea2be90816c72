/*
 * spawner.c - starts a stage as a child process and waits for it (spawner.h): the signal
 * handlers that pass a stop on to the running stage, the stage's environment (the inherited
 * lock), and the fork, exec and wait.
 *
 * Invariant: a signal is only ever sent to a running stage's pid while it has not been reaped
 * (its slot is cleared before the wait4 that reaps it), so a late signal never reaches another
 * process that got the same pid. What a stage's failure means is left to the caller.
 */
#define _GNU_SOURCE /* pipe2 */
#include "spawner.h"

#include "atomic.h"
#include "log.h"
#include "mem.h"
#include "runlock.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "banned.h"

extern char **environ;

static const int stop_signals[] = {SIGTERM, SIGINT, SIGHUP};
static int handled[3];                    /* 1: ours (not ignored when yj-run started) */
static volatile sig_atomic_t stop_signal; /* the first stop signal received */
static volatile sig_atomic_t nsignals;    /* how many were received */
static volatile sig_atomic_t child_pid[SPAWNER_MAX_CHILDREN]; /* running stages, 0: free */
static int lock_fd = -1; /* the lock the stages inherit, -1 outside a run */

static void
on_stop_signal(int sig)
{
    int saved = errno;
    if (!stop_signal)
        stop_signal = sig;
    nsignals++;
    for (int i = 0; i < SPAWNER_MAX_CHILDREN; i++) {
        pid_t child = (pid_t)child_pid[i];
        if (child > 0) {
            /* the stage stops first; a second signal kills it outright */
            kill(child, nsignals > 1 ? SIGKILL : sig);
            kill(child, SIGCONT);
        }
    }
    errno = saved;
}

void
spawner_signals_init(void)
{
    static int done;

    if (done)
        return;
    done = 1;
    for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_stop_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0; /* no SA_RESTART: waitpid() returns EINTR */
        /* a signal ignored when yj-run started (nohup, a background job) stays ignored */
        if (sigaction(stop_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        handled[i] = sigaction(stop_signals[i], &sa, NULL) == 0;
    }
}

int
spawner_interrupted(void)
{
    return (int)stop_signal;
}

void
spawner_end_if_interrupted(void)
{
    int sig = (int)stop_signal;
    struct sigaction sa;
    sigset_t set;

    if (!sig)
        return;
    fflush(stdout);
    fflush(stderr);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig); /* the parent sees yj-run end by the signal it was sent: 128+n in a shell */
    _exit(128 + sig);
}

const char *
spawner_signal_name(int sig)
{
    return sig == SIGTERM  ? "SIGTERM"
           : sig == SIGINT ? "SIGINT"
           : sig == SIGHUP ? "SIGHUP"
                           : "signal";
}

/* The environment of a stage: ours, with RUNLOCK_ENV naming the inherited lock. */
static char **
stage_environment(char *lock_var, size_t len)
{
    size_t n = 0, k = 0;
    char **envp;

    while (environ[n])
        n++;
    envp = xcalloc(n + 2, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], RUNLOCK_ENV "=", strlen(RUNLOCK_ENV) + 1) != 0)
            envp[k++] = environ[i];
    if (lock_fd >= 0) {
        snprintf(lock_var, len, "%s=%d", RUNLOCK_ENV, lock_fd);
        envp[k++] = lock_var;
    }
    envp[k] = NULL;
    return envp;
}

/* ARGV with --log-format json after argv[0] when yj-run logs JSON: a malloc'd array of
 * borrowed strings. */
static char **
stage_args(char *const argv[])
{
    int argc = 0, k = 0;
    char **a;

    while (argv[argc])
        argc++;
    a = xcalloc((size_t)argc + 3, sizeof(char *));
    a[k++] = argv[0];
    if (log_get_format() == LOG_JSON) {
        a[k++] = "--log-format";
        a[k++] = "json";
    }
    for (int i = 1; i < argc; i++)
        a[k++] = argv[i];
    a[k] = NULL;
    return a;
}

/* The child after fork: default signal actions, unblocked (OLD); SIGTERM when yj-run (PARENT)
 * dies, even by SIGKILL; stdout (and stderr, with HOW) where they go; the lock and HOW's
 * descriptor inherited; then exec. What failed is written on EXEC_PIPE. */
static void
child_exec(const char *path, char **a, char **envp, const struct spawner_how *how,
           const sigset_t *old, pid_t parent, int exec_pipe)
{
    struct sigaction dfl;
    int e;

    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
        if (handled[i])
            sigaction(stop_signals[i], &dfl, NULL);
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
        _exit(YJ_EX_SOFTWARE);
    sigprocmask(SIG_SETMASK, old, NULL);
    if ((how && how->stderr_fd >= 0 && dup2(how->stderr_fd, STDERR_FILENO) < 0) ||
        dup2(STDERR_FILENO, STDOUT_FILENO) < 0 ||
        (lock_fd >= 0 && fcntl(lock_fd, F_SETFD, 0) != 0) ||
        (how && how->pass_fd >= 0 && fcntl(how->pass_fd, F_SETFD, 0) != 0))
        e = errno;
    else {
        execve(path, a, envp);
        e = errno;
    }
    if (write(exec_pipe, &e, sizeof(e)) < 0)
        _exit(127);
    _exit(127);
}

/* The user + system seconds of RU. */
static double
rusage_cpu(const struct rusage *ru)
{
    return (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 +
           (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6;
}

double
spawner_cpu_so_far(void)
{
    struct rusage self, children;

    if (getrusage(RUSAGE_SELF, &self) != 0 || getrusage(RUSAGE_CHILDREN, &children) != 0)
        return 0;
    return rusage_cpu(&self) + rusage_cpu(&children);
}

/* Waits for PID until it has ended, without reaping it. */
static void
wait_ended(pid_t pid)
{
    siginfo_t info;

    memset(&info, 0, sizeof(info));
    while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) != 0)
        if (errno != EINTR)
            break;
}

int
spawner_start(const char *bin_dir, char *const argv[], const struct spawner_how *how,
              struct spawner_child *ch, struct yj_error *err)
{
    char *path = path_join(bin_dir, argv[0]), lock_var[64];
    char **envp = stage_environment(lock_var, sizeof(lock_var));
    char **a = stage_args(argv);
    int pipefd[2], exec_errno = 0, rc = YJ_OK, slot = -1, status;
    sigset_t block, old;
    pid_t pid, parent = getpid();

    memset(ch, 0, sizeof(*ch));
    ch->slot = -1;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
        sigaddset(&block, stop_signals[i]);
    sigprocmask(SIG_BLOCK, &block, &old);
    for (int i = 0; i < SPAWNER_MAX_CHILDREN && slot < 0; i++)
        if (child_pid[i] == 0)
            slot = i;
    if (stop_signal) { /* told to stop before the stage began */
        sigprocmask(SIG_SETMASK, &old, NULL);
        rc = yj_error_set(err, 128 + (int)stop_signal, "%s not started: yj-run was stopped by %s",
                          argv[0], spawner_signal_name((int)stop_signal));
        goto out;
    }
    if (slot < 0 || pipe2(pipefd, O_CLOEXEC) != 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        rc = yj_error_errno(err, YJ_EX_SOFTWARE, slot < 0 ? EAGAIN : errno, "could not start '%s'",
                            path);
        goto out;
    }
    ch->t0 = log_now();
    pid = fork();
    if (pid == 0)
        child_exec(path, a, envp, how, &old, parent, pipefd[1]);
    if (pid < 0) {
        int e = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(pipefd[0]);
        close(pipefd[1]);
        rc = yj_error_errno(err, YJ_EX_SOFTWARE, e, "could not start '%s'", path);
        goto out;
    }
    child_pid[slot] = (sig_atomic_t)pid;
    sigprocmask(SIG_SETMASK, &old, NULL); /* a signal that came meanwhile is forwarded now */
    close(pipefd[1]);
    while (read(pipefd[0], &exec_errno, sizeof(exec_errno)) < 0 && errno == EINTR)
        ;
    close(pipefd[0]);
    if (exec_errno) { /* it never ran: reap it here */
        wait_ended(pid);
        child_pid[slot] = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        rc = yj_error_errno(err, YJ_EX_SOFTWARE, exec_errno, "could not start '%s'", path);
        goto out;
    }
    ch->pid = (long)pid;
    ch->slot = slot;
    ch->program = xstrdup(argv[0]);
out:
    free(a);
    free(envp);
    free(path);
    return rc;
}

int
spawner_wait(struct spawner_child *ch, struct spawner_usage *use, struct yj_error *err)
{
    pid_t pid = (pid_t)ch->pid;
    struct rusage ru;
    int status, rc;

    if (ch->slot < 0) /* never started */
        return yj_error_set(err, YJ_EX_SOFTWARE, "no stage to wait for");
    /* wait without reaping, forget the pid, then reap: a late signal never reaches another
     * process that got the same pid */
    wait_ended(pid);
    child_pid[ch->slot] = 0;
    memset(&ru, 0, sizeof(ru));
    while (wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR) {
            rc = yj_error_errno(err, YJ_EX_SOFTWARE, errno, "could not wait for %s", ch->program);
            goto out;
        }
    if (use) {
        use->seconds = log_now() - ch->t0;
        use->cpu = rusage_cpu(&ru);
    }
    if (WIFSIGNALED(status) && stop_signal) {
        rc = yj_error_set(err, 128 + WTERMSIG(status), "%s stopped by %s: yj-run was stopped",
                          ch->program, spawner_signal_name(WTERMSIG(status)));
    } else if (WIFEXITED(status)) {
        rc = WEXITSTATUS(status);
        if (rc != 0)
            yj_error_set(err, rc, "%s failed with exit status %d", ch->program, rc);
    } else
        rc = yj_error_set(err, YJ_EX_SOFTWARE, "%s was killed by signal %d", ch->program,
                          WIFSIGNALED(status) ? WTERMSIG(status) : 0);
out:
    free(ch->program);
    memset(ch, 0, sizeof(*ch));
    ch->slot = -1;
    return rc;
}

void
spawner_stop(const struct spawner_child *ch)
{
    /* not reaped yet (spawner_wait reaps): the pid is still the stage's */
    if (ch->slot >= 0 && ch->pid > 0) {
        kill((pid_t)ch->pid, SIGTERM);
        kill((pid_t)ch->pid, SIGCONT);
    }
}

int
spawner_run(const char *bin_dir, char *const argv[], struct spawner_usage *use,
            struct yj_error *err)
{
    struct spawner_child ch;
    int rc = spawner_start(bin_dir, argv, NULL, &ch, err);

    if (use)
        memset(use, 0, sizeof(*use));
    return rc == YJ_OK ? spawner_wait(&ch, use, err) : rc;
}

void
spawner_set_lock_fd(int fd)
{
    lock_fd = fd;
}
