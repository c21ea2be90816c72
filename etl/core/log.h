/*
 * log.h - diagnostics on stderr, in text or JSON lines, each starting with its UTC time
 * ("2025-07-01T02:30:00Z yj-run: ..." or {"ts":"2025-07-01T02:30:00.123Z",...}).
 *
 * Never log row values: log ids, row numbers, file names and element paths. Each stage logs a
 * begin line with its effective options (secrets redacted) and an end line with counts, time
 * and exit status.
 */
#ifndef YJ_LOG_H
#define YJ_LOG_H

#include "error.h"

enum log_format { LOG_TEXT, LOG_JSON };

void log_init(const char *program, enum log_format format);
int log_parse_format(const char *name, enum log_format *out);
/* The format log_init() set: yj-run passes it on to its stages. */
enum log_format log_get_format(void);
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the message, then the detail and hint lines if any. */
void log_yj_error(const struct yj_error *err);
/* Monotonic seconds, for end lines and progress. */
double log_now(void);
/* True when stderr is a terminal: progress bars only then. */
int log_is_tty(void);

#endif
