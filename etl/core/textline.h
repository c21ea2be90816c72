/*
 * textline.h - one line of a text file people write by hand: the configuration, a bundle's
 * items.conf and rules.conf, justifications.csv.
 *
 * fgets() hides two things such files can hold: a NUL byte (the rest of the line is then
 * silently cut, or the line looks too long) and a UTF-8 byte order mark (EF BB BF) before the
 * first line, which editors such as Notepad and Excel's "CSV UTF-8" write and which otherwise
 * ends up glued to the first word. textline_read() reports both by name. Whether a BOM is
 * refused or skipped is the caller's choice per kind of file (see docs/design.md): CSV files,
 * which Excel writes, skip it; the configuration and the bundle's .conf files refuse it.
 */
#ifndef YJ_TEXTLINE_H
#define YJ_TEXTLINE_H

#include <stdio.h>

enum {
    TEXTLINE_OK = 1,
    TEXTLINE_EOF = 0,
    TEXTLINE_TOO_LONG = -1, /* more than size - 1 bytes before the newline */
    TEXTLINE_NUL = -2,      /* a NUL byte in the line */
    TEXTLINE_BOM = -3,      /* a UTF-8 byte order mark at the start, and bom_ok is 0 */
    TEXTLINE_ERROR = -4,    /* a read error: see errno */
};

/* Reads the next line of F into BUF (SIZE bytes) without its newline or a '\r' before it.
 * LINENO is the number of the line being read (1 for the first: only there is a BOM looked
 * for); with BOM_OK a BOM there is skipped. Returns TEXTLINE_OK, TEXTLINE_EOF or a problem. */
int textline_read(FILE *f, char *buf, size_t size, int lineno, int bom_ok);
/* The problem in words, for "FILE line N: <words>". */
const char *textline_problem(int status);
/* What the user can do about it, or NULL. */
const char *textline_hint(int status);

#endif
