/*
 * test_spawner.c - starting a stage (etl/core/spawner.c): its exit status and the message
 * that names it, a stage that cannot be started, one killed by a signal yj-run did not pass
 * on, the inherited lock named in its environment, and its stdout sent to stderr; stages
 * side by side, each waited for with its status and its wall and CPU seconds (its workers'
 * included), a passed descriptor and a stderr of its own, and a stop that reaches them all.
 */
#include "spawner.h"

#include "log.h"
#include "runlock.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

Test(spawner, a_stage_that_succeeds_is_0_one_that_fails_is_its_status_named)
{
    char *ok[] = {"true", NULL};
    char *fails[] = {"sh", "-c", "exit 3", NULL};
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(spawner_run("/bin", ok, NULL, &err), 0);
    cr_assert_eq(spawner_run("/bin", fails, NULL, &err), 3);
    cr_assert_str_eq(err.message, "sh failed with exit status 3");
}

Test(spawner, a_stage_that_cannot_start_is_70_naming_its_path)
{
    char *argv[] = {"no-such-stage", NULL};
    struct yj_error err;
    char *dir = ut_mkdtemp(), want[4200];

    yj_error_init(&err);
    cr_assert_eq(spawner_run(dir, argv, NULL, &err), YJ_EX_SOFTWARE);
    snprintf(want, sizeof(want), "could not start '%s/no-such-stage'", dir);
    cr_assert(strncmp(err.message, want, strlen(want)) == 0, "%s", err.message);
    ut_rmtree(dir);
    free(dir);
}

Test(spawner, a_stage_killed_by_a_signal_not_passed_on_is_70)
{
    char *argv[] = {"sh", "-c", "kill -KILL $$", NULL};
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(spawner_run("/bin", argv, NULL, &err), YJ_EX_SOFTWARE);
    cr_assert_str_eq(err.message, "sh was killed by signal 9");
    cr_assert_eq(spawner_interrupted(), 0);
}

Test(spawner, the_lock_is_named_in_the_stage_environment_only_while_set)
{
    char check[128];
    char *has[] = {"sh", "-c", check, NULL};
    char *none[] = {"sh", "-c", "test -z \"${" RUNLOCK_ENV "+set}\"", NULL};
    struct yj_error err;
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

    cr_assert(fd >= 0);
    yj_error_init(&err);
    setenv(RUNLOCK_ENV, "99", 1); /* one of the environment never reaches the stage */
    cr_assert_eq(spawner_run("/bin", none, NULL, &err), 0, "an outside value was passed on");
    /* the descriptor is inherited although close-on-exec, and named */
    snprintf(check, sizeof(check), "test \"$%s\" = %d && test -e /proc/self/fd/%d", RUNLOCK_ENV, fd,
             fd);
    spawner_set_lock_fd(fd);
    cr_assert_eq(spawner_run("/bin", has, NULL, &err), 0, "the lock is not named or not inherited");
    spawner_set_lock_fd(-1);
    cr_assert_eq(spawner_run("/bin", none, NULL, &err), 0);
    close(fd);
}

Test(spawner, the_stage_stdout_goes_to_stderr)
{
    char *argv[] = {"sh", "-c", "echo to-stdout", NULL};
    char *dir = ut_mkdtemp(), *out = ut_path(dir, "out"), *err_file = ut_path(dir, "err"), *text;
    int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int saved_out = dup(STDOUT_FILENO), saved_err = dup(STDERR_FILENO);
    struct yj_error err;

    yj_error_init(&err);
    dup2(o, STDOUT_FILENO);
    dup2(e, STDERR_FILENO);
    cr_assert_eq(spawner_run("/bin", argv, NULL, &err), 0);
    dup2(saved_out, STDOUT_FILENO);
    dup2(saved_err, STDERR_FILENO);
    text = ut_read(out, NULL);
    cr_assert_str_eq(text, "");
    free(text);
    text = ut_read(err_file, NULL);
    cr_assert_str_eq(text, "to-stdout\n");
    free(text);
    ut_rmtree(dir);
    free(out);
    free(err_file);
    free(dir);
}

Test(spawner, two_stages_run_at_once_each_waited_for_with_its_own_status_and_cost)
{
    char *slow[] = {"sh", "-c", "sleep 0.4; exit 4", NULL};
    char *busy[] = {"sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; exit 5", NULL};
    struct spawner_child a, b;
    struct spawner_usage ua, ub;
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(spawner_start("/bin", slow, NULL, &a, &err), 0);
    cr_assert_eq(spawner_start("/bin", busy, NULL, &b, &err), 0);
    cr_assert_neq(a.slot, b.slot);
    /* the second is waited for first: each wait is for its own child */
    cr_assert_eq(spawner_wait(&b, &ub, &err), 5);
    cr_assert_str_eq(err.message, "sh failed with exit status 5");
    cr_assert_eq(spawner_wait(&a, &ua, &err), 4);
    cr_assert_geq(ua.seconds, 0.4);
    cr_assert_lt(ua.cpu, 0.2, "a sleeping stage is charged %.3f s of CPU", ua.cpu);
    cr_assert_gt(ub.cpu, 0.05, "a busy stage is charged %.3f s of CPU", ub.cpu);
    cr_assert_geq(ub.seconds + 0.01, ub.cpu);
}

Test(spawner, a_stage_is_charged_the_cpu_of_the_workers_it_waited_for)
{
    char *argv[] = {"sh", "-c", "sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done' & wait",
                    NULL};
    struct spawner_usage use;
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(spawner_run("/bin", argv, &use, &err), 0);
    cr_assert_gt(use.cpu, 0.05, "the worker's CPU is not counted: %.3f s", use.cpu);
}

Test(spawner, a_stage_inherits_the_descriptor_it_is_passed_and_writes_its_stderr_where_told)
{
    char check[160];
    char *argv[] = {"sh", "-c", check, NULL};
    char *dir = ut_mkdtemp(), *held = ut_path(dir, "held"), *text;
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC),
        other = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int e = open(held, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    struct spawner_how how = {fd, e};
    struct yj_error err;

    cr_assert(fd >= 0 && other >= 0 && e >= 0);
    yj_error_init(&err);
    /* the passed descriptor is open at its number, another close-on-exec one is not */
    snprintf(check, sizeof(check),
             "test -e /proc/self/fd/%d && ! test -e /proc/self/fd/%d && echo held-out && "
             "echo held-err >&2",
             fd, other);
    cr_assert_eq(spawner_run("/bin", argv, NULL, &err), 1, "passed without being asked");
    {
        struct spawner_child ch;
        cr_assert_eq(spawner_start("/bin", argv, &how, &ch, &err), 0);
        cr_assert_eq(spawner_wait(&ch, NULL, &err), 0, "the descriptor was not passed");
    }
    close(e);
    text = ut_read(held, NULL);
    cr_assert_str_eq(text, "held-out\nheld-err\n");
    free(text);
    close(fd);
    close(other);
    ut_rmtree(dir);
    free(held);
    free(dir);
}

Test(spawner, a_stop_signal_reaches_every_running_stage)
{
    char *argv[] = {"sleep", "30", NULL};
    struct spawner_child a, b;
    struct yj_error err;
    double t0 = log_now();

    yj_error_init(&err);
    spawner_signals_init();
    cr_assert_eq(spawner_start("/bin", argv, NULL, &a, &err), 0);
    cr_assert_eq(spawner_start("/bin", argv, NULL, &b, &err), 0);
    cr_assert_eq(kill(getpid(), SIGTERM), 0);
    cr_assert_eq(spawner_wait(&a, NULL, &err), 128 + SIGTERM);
    cr_assert_eq(spawner_wait(&b, NULL, &err), 128 + SIGTERM);
    cr_assert_str_eq(err.message, "sleep stopped by SIGTERM: yj-run was stopped");
    cr_assert_lt(log_now() - t0, 10.0);
    {
        struct spawner_child c;
        cr_assert_eq(spawner_start("/bin", argv, NULL, &c, &err), 128 + SIGTERM);
    }
}

Test(spawner, each_stop_signal_is_named_and_any_other_is_a_signal)
{
    cr_assert_str_eq(spawner_signal_name(SIGTERM), "SIGTERM");
    cr_assert_str_eq(spawner_signal_name(SIGINT), "SIGINT");
    cr_assert_str_eq(spawner_signal_name(SIGHUP), "SIGHUP");
    cr_assert_str_eq(spawner_signal_name(SIGKILL), "signal");
    cr_assert_str_eq(spawner_signal_name(SIGUSR1), "signal");
}
