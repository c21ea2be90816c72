/*
 * error.c - filling struct yj_error. Messages are formatted into fixed buffers, so an error
 * can be reported even when memory is short; longer messages are truncated, never overflow.
 */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

const char yj_exit_codes_help[] =
    "Exit status:\n"
    "   0  success\n"
    "  64  usage: bad command line or malformed period\n"
    "  65  data invalid: return fails schema or rules, unmapped local code\n"
    "  66  input missing or unreadable\n"
    "  69  warehouse or receiver unavailable\n"
    "  70  internal error\n"
    "  73  cannot create output\n"
    "  74  I/O error or corrupt staged file\n"
    "  75  temporary failure, worth retrying\n"
    "  76  TLS or protocol failure\n"
    "  77  permission denied\n"
    "  78  configuration missing or invalid\n"
    "  79  another run holds the lock for this service and period, or the ledger\n"
    "  80  submission rejected by the receiver (4xx, or a redirect)\n"
    "  81  resubmission refused: the period was submitted with other bytes (--resubmit)\n"
    "  82  empty return refused: no children (--allow-empty)\n"
    "  83  correction refused: it changes no child's document (--force-correction)\n";

void
yj_error_init(struct yj_error *err)
{
    err->code = YJ_OK;
    err->message[0] = '\0';
    err->detail[0] = '\0';
    err->hint[0] = '\0';
}

int
yj_error_set(struct yj_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    err->detail[0] = '\0';
    err->hint[0] = '\0';
    return code;
}

void
yj_error_detail(struct yj_error *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
    va_end(ap);
}

void
yj_error_hint(struct yj_error *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
    va_end(ap);
}

int
yj_error_errno(struct yj_error *err, int code, int errnum, const char *fmt, ...)
{
    va_list ap;
    size_t len;

    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    len = strlen(err->message);
    snprintf(err->message + len, sizeof(err->message) - len, ": %s", strerror(errnum));
    err->detail[0] = '\0';
    err->hint[0] = '\0';
    return code;
}

int
yj_status_for_input_errno(int errnum)
{
    switch (errnum) {
    case ENOENT:
    case ENOTDIR:
        return YJ_EX_NOINPUT;
    case EACCES:
    case EPERM:
        return YJ_EX_NOPERM;
    default:
        return YJ_EX_IOERR;
    }
}
