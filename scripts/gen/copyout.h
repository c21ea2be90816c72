/*
 * copyout.h - the COPY writer: yj-gen's only way to stdout.
 *
 * Values go out in PostgreSQL's COPY text format (tab separated, \N for NULL, booleans t and
 * f, dates YYYY-MM-DD), through one buffer flushed when full and at the end. A failed write
 * ends the program with exit 74, the one place yj-gen exits outside main().
 */
#ifndef YJ_GEN_COPYOUT_H
#define YJ_GEN_COPYOUT_H

#include <stdint.h>

#define EXIT_IOERR 74

/* COPY's text for a boolean: copy_bool_text[0] false, [1] true (the local codes of the
 * yes/no maps) */
extern const char *const copy_bool_text[2];

void out_flush(void);
void out_str(const char *s);
void out_u64(uint64_t v);
void out_null(void);
void out_tab(void);
void out_nl(void);
void out_bool(int b);
/* tri-state: -1 NULL */
void out_bool3(int b);
/* NULL when s is NULL */
void out_opt_str(const char *s);
/* YYYY-MM-DD, or NULL for NODATE */
void out_date(int day);

/* `COPY cms.TABLE (COLS) FROM STDIN;` and its end line */
void copy_begin(const char *table, const char *cols);
void copy_end(void);

#endif
