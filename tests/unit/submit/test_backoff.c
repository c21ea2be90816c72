/*
 * test_backoff.c - yj-submit's wait before a retry (etl/submit/submit_http.c submit_backoff()).
 *
 * The policy, worked by hand: the base doubles with each retry (1, 2, 4, ... s for a base of
 * 1 s) up to 60 s; the wait is half of it plus a random share (R / 2^32) of the other half, so
 * R = 0 gives exactly half and R = 2^32 - 1 just under the whole; a Retry-After longer than
 * that wins.
 */
#include "submit.h"

#include <criterion/criterion.h>

#define RMAX 4294967295u

Test(backoff, doubles_per_retry_from_half_to_the_whole)
{
    cr_assert_float_eq(submit_backoff(1, 1, 0, 0), 0.5, 1e-9);
    cr_assert_float_eq(submit_backoff(1, 2, 0, 0), 1.0, 1e-9);
    cr_assert_float_eq(submit_backoff(1, 3, 0, 0), 2.0, 1e-9);
    cr_assert_float_eq(submit_backoff(1, 4, 0, 0), 4.0, 1e-9);
    cr_assert_float_eq(submit_backoff(2, 1, 0, 0), 1.0, 1e-9);
    /* R halfway: three quarters of the base */
    cr_assert_float_eq(submit_backoff(1, 1, 2147483648u, 0), 0.75, 1e-9);
    /* R at its largest: under the whole base, by 2^-32 of half of it */
    cr_assert(submit_backoff(1, 1, RMAX, 0) < 1.0);
    cr_assert_float_eq(submit_backoff(1, 1, RMAX, 0), 1.0, 1e-9);
}

Test(backoff, is_capped_at_sixty_seconds)
{
    /* 1 s doubled 6 times is 64: capped at 60, so half is 30 */
    cr_assert_float_eq(submit_backoff(1, 7, 0, 0), 30.0, 1e-9);
    cr_assert_float_eq(submit_backoff(1, 40, 0, 0), 30.0, 1e-9);
    /* a base over the cap is capped too */
    cr_assert_float_eq(submit_backoff(100, 1, 0, 0), 30.0, 1e-9);
    /* 40 s then 80: capped at the second retry */
    cr_assert_float_eq(submit_backoff(40, 1, 0, 0), 20.0, 1e-9);
    cr_assert_float_eq(submit_backoff(40, 2, 0, 0), 30.0, 1e-9);
}

Test(backoff, retry_after_longer_than_the_wait_wins)
{
    cr_assert_float_eq(submit_backoff(1, 1, 0, 10), 10.0, 1e-9);
    cr_assert_float_eq(submit_backoff(1, 1, 0, 0.25), 0.5, 1e-9);
    cr_assert_float_eq(submit_backoff(1, 3, RMAX, 3), 4.0, 1e-6);
}
