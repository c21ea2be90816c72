/*
 * xmlout.h - a small streaming XML writer over an atomic file.
 *
 * Output is indented by two spaces per level and escaped; the writer buffers 256 KiB and
 * hands whole buffers to atomic_file_write (which hashes them). It tracks nesting so that
 * the same calls always give the same bytes. Text must be valid UTF-8 without control
 * characters; xmlout_text_ok() checks that before a value is written.
 */
#ifndef YJ_XMLOUT_H
#define YJ_XMLOUT_H

#include "atomic.h"
#include "error.h"

#define XMLOUT_BUF (1 << 18)
#define XMLOUT_MAX_DEPTH 32

struct xmlout {
    struct atomic_file *af; /* borrowed */
    char *buf;              /* owned */
    size_t len;
    int depth;
    const char *stack[XMLOUT_MAX_DEPTH]; /* borrowed element names (string literals) */
    int status;                          /* first write error, sticky */
    struct yj_error *err;                /* borrowed: where a write error is reported */
};

void xmlout_init(struct xmlout *x, struct atomic_file *af, struct yj_error *err);
void xmlout_raw(struct xmlout *x, const char *s);
/* <name attrs...> on its own line; attrs is pre-escaped or NULL. */
void xmlout_open(struct xmlout *x, const char *name, const char *attrs);
void xmlout_close(struct xmlout *x);
/* <name>text</name>; nothing when text is NULL. */
void xmlout_elem(struct xmlout *x, const char *name, const char *text);
void xmlout_elem_long(struct xmlout *x, const char *name, long v);
void xmlout_elem_date(struct xmlout *x, const char *name, long days);
/* Flushes the buffer to the file; returns the sticky status. */
int xmlout_flush(struct xmlout *x);
void xmlout_release(struct xmlout *x);
/* 1 if s is valid UTF-8 with no characters XML 1.0 forbids. */
int xmlout_text_ok(const char *s);

#endif
