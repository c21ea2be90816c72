/*
 * log.c - stderr diagnostics. Every line starts with its UTC time: text lines look like
 * "2025-07-01T02:30:00Z yj-extract: error: ..." (the time first, the rest as it always was,
 * so that "yj-extract: error: ..." can still be searched for; the DETAIL and HINT lines that
 * follow an error continue it, untimed; library code used without log_init(), as in unit
 * tests, logs untimed lines); JSON lines are one object per
 * line with ts (the UTC time to the millisecond), program, level and message, for cron
 * wrappers and collectors.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

static const char *log_program = "yj";
static enum log_format log_fmt = LOG_TEXT;
static int log_stamped; /* set by log_init(): library code used alone logs plain lines */

void
log_init(const char *program, enum log_format format)
{
    log_program = program;
    log_fmt = format;
    log_stamped = 1;
}

enum log_format
log_get_format(void)
{
    return log_fmt;
}

/* "2025-07-01T02:30:00Z", or with millis "2025-07-01T02:30:00.123Z" (buf: 32 bytes). */
static void
log_stamp(char *buf, size_t len, int millis)
{
    struct timespec ts;
    struct tm tm;
    size_t n;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    if (millis)
        snprintf(buf + n, len - n, ".%03ldZ", ts.tv_nsec / 1000000L);
    else
        snprintf(buf + n, len - n, "Z");
}

int
log_parse_format(const char *name, enum log_format *out)
{
    if (strcmp(name, "text") == 0)
        *out = LOG_TEXT;
    else if (strcmp(name, "json") == 0)
        *out = LOG_JSON;
    else
        return -1;
    return 0;
}

static void
json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void
log_line(const char *level, const char *msg, const char *detail, const char *hint)
{
    char ts[32];

    log_stamp(ts, sizeof(ts), log_fmt == LOG_JSON);
    flockfile(stderr); /* one line whole, also from yj-extract's worker threads */
    if (log_fmt == LOG_JSON) {
        fprintf(stderr, "{\"ts\":\"%s\",\"program\":", ts);
        json_string(stderr, log_program);
        fprintf(stderr, ",\"level\":\"%s\",\"message\":", level);
        json_string(stderr, msg);
        if (detail && *detail) {
            fprintf(stderr, ",\"detail\":");
            json_string(stderr, detail);
        }
        if (hint && *hint) {
            fprintf(stderr, ",\"hint\":");
            json_string(stderr, hint);
        }
        fprintf(stderr, "}\n");
    } else {
        /* DETAIL and HINT lines continue the line above, which has the time */
        if (log_stamped)
            fprintf(stderr, "%s ", ts);
        if (strcmp(level, "info") == 0)
            fprintf(stderr, "%s: %s\n", log_program, msg);
        else
            fprintf(stderr, "%s: %s: %s\n", log_program, level, msg);
        if (detail && *detail)
            fprintf(stderr, "DETAIL: %s\n", detail);
        if (hint && *hint)
            fprintf(stderr, "HINT: %s\n", hint);
    }
    fflush(stderr);
    funlockfile(stderr);
}

static void
log_v(const char *level, const char *fmt, va_list ap)
{
    char buf[2048];

    vsnprintf(buf, sizeof(buf), fmt, ap);
    log_line(level, buf, NULL, NULL);
}

void
log_info(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_v("info", fmt, ap);
    va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_v("warning", fmt, ap);
    va_end(ap);
}

void
log_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_v("error", fmt, ap);
    va_end(ap);
}

void
log_yj_error(const struct yj_error *err)
{
    log_line("error", err->message[0] ? err->message : "unknown error", err->detail, err->hint);
}

double
log_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
log_is_tty(void)
{
    return isatty(STDERR_FILENO);
}
