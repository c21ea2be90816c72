/*
 * test_spawner.c - starting a stage (etl/core/spawner.c): its exit status and the message
 * that names it, a stage that cannot be started, one killed by a signal yj-run did not pass
 * on, the inherited lock named in its environment, and its stdout sent to stderr.
 */
#include "spawner.h"

#include "runlock.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

Test(spawner, a_stage_that_succeeds_is_0_one_that_fails_is_its_status_named)
{
    char *ok[] = {"true", NULL};
    char *fails[] = {"sh", "-c", "exit 3", NULL};
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(spawner_run("/bin", ok, &err), 0);
    cr_assert_eq(spawner_run("/bin", fails, &err), 3);
    cr_assert_str_eq(err.message, "sh failed with exit status 3");
}

Test(spawner, a_stage_that_cannot_start_is_70_naming_its_path)
{
    char *argv[] = {"no-such-stage", NULL};
    struct yj_error err;
    char *dir = ut_mkdtemp(), want[4200];

    yj_error_init(&err);
    cr_assert_eq(spawner_run(dir, argv, &err), YJ_EX_SOFTWARE);
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
    cr_assert_eq(spawner_run("/bin", argv, &err), YJ_EX_SOFTWARE);
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
    cr_assert_eq(spawner_run("/bin", none, &err), 0, "an outside value was passed on");
    /* the descriptor is inherited although close-on-exec, and named */
    snprintf(check, sizeof(check), "test \"$%s\" = %d && test -e /proc/self/fd/%d", RUNLOCK_ENV, fd,
             fd);
    spawner_set_lock_fd(fd);
    cr_assert_eq(spawner_run("/bin", has, &err), 0, "the lock is not named or not inherited");
    spawner_set_lock_fd(-1);
    cr_assert_eq(spawner_run("/bin", none, &err), 0);
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
    cr_assert_eq(spawner_run("/bin", argv, &err), 0);
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
