/*
 * error.h - the error record every fallible function fills, and the exit codes.
 *
 * A function that can fail returns an int status (YJ_OK or one of the exit codes below) and
 * fills a caller-owned struct yj_error with a one-line message, an optional detail (facts)
 * and an optional hint (what the user can do). Only main() turns a status into an exit code,
 * and the numbers are a public contract: documented in --help and the README, never
 * renumbered.
 */
#ifndef YJ_ERROR_H
#define YJ_ERROR_H

#include <stddef.h>

enum yj_status {
    YJ_OK = 0,
    YJ_EX_USAGE = 64,
    YJ_EX_DATAERR = 65,
    YJ_EX_NOINPUT = 66,
    YJ_EX_UNAVAILABLE = 69,
    YJ_EX_SOFTWARE = 70,
    YJ_EX_CANTCREAT = 73,
    YJ_EX_IOERR = 74,
    YJ_EX_TEMPFAIL = 75,
    YJ_EX_PROTOCOL = 76,
    YJ_EX_NOPERM = 77,
    YJ_EX_CONFIG = 78,
    YJ_EX_LOCKED = 79,
    YJ_EX_REJECTED = 80,
    YJ_EX_RESUBMIT = 81,   /* other bytes for a period already submitted, without --resubmit */
    YJ_EX_EMPTY = 82,      /* a return with no children, without --allow-empty */
    YJ_EX_CORRECTION = 83, /* a correction that changes no child, without --force-correction */
};

#define YJ_ERROR_MSG_MAX 1024

struct yj_error {
    int code;
    char message[YJ_ERROR_MSG_MAX];
    char detail[YJ_ERROR_MSG_MAX];
    char hint[YJ_ERROR_MSG_MAX];
};

/* The exit-code table printed by every --help. */
extern const char yj_exit_codes_help[];

void yj_error_init(struct yj_error *err);

/* Sets code and message (printf format), clears detail and hint; returns code. */
int yj_error_set(struct yj_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void yj_error_detail(struct yj_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void yj_error_hint(struct yj_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sets message from fmt followed by ": " and strerror(errnum). */
int yj_error_errno(struct yj_error *err, int code, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The exit code that fits an errno from open() of an input file. */
int yj_status_for_input_errno(int errnum);

#endif
