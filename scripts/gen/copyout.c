/*
 * copyout.c - the COPY writer (see copyout.h). It owns the output buffer; callers hand it
 * values, never bytes of the format, except for a few whole rows of literal NULLs.
 */
#include "copyout.h"

#include "calendar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

const char *const copy_bool_text[2] = {"f", "t"};

static char obuf[1 << 20];
static size_t olen;

void
out_flush(void)
{
    if (olen > 0 && fwrite(obuf, 1, olen, stdout) != olen) {
        fprintf(stderr, "yj-gen: could not write to stdout: %s\n", strerror(errno));
        exit(EXIT_IOERR);
    }
    olen = 0;
}

static void
out_mem(const char *s, size_t n)
{
    if (olen + n > sizeof(obuf))
        out_flush();
    memcpy(obuf + olen, s, n);
    olen += n;
}

void
out_str(const char *s)
{
    out_mem(s, strlen(s));
}

static void
out_chr(char c)
{
    if (olen + 1 > sizeof(obuf))
        out_flush();
    obuf[olen++] = c;
}

void
out_u64(uint64_t v)
{
    char tmp[24];
    int i = (int)sizeof(tmp);

    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    out_mem(tmp + i, sizeof(tmp) - (size_t)i);
}

void
out_null(void)
{
    out_mem("\\N", 2);
}

void
out_tab(void)
{
    out_chr('\t');
}

void
out_nl(void)
{
    out_chr('\n');
}

void
out_bool(int b)
{
    out_str(copy_bool_text[b ? 1 : 0]);
}

void
out_bool3(int b)
{
    if (b < 0)
        out_null();
    else
        out_bool(b);
}

void
out_opt_str(const char *s)
{
    if (s == NULL)
        out_null();
    else
        out_str(s);
}

void
out_date(int day)
{
    int y, m, d;
    char s[10];

    if (day == NODATE) {
        out_null();
        return;
    }
    civil_from_days(day, &y, &m, &d);
    s[0] = (char)('0' + y / 1000);
    s[1] = (char)('0' + y / 100 % 10);
    s[2] = (char)('0' + y / 10 % 10);
    s[3] = (char)('0' + y % 10);
    s[4] = '-';
    s[5] = (char)('0' + m / 10);
    s[6] = (char)('0' + m % 10);
    s[7] = '-';
    s[8] = (char)('0' + d / 10);
    s[9] = (char)('0' + d % 10);
    out_mem(s, sizeof(s));
}

void
copy_begin(const char *table, const char *cols)
{
    out_str("COPY cms.");
    out_str(table);
    out_str(" (");
    out_str(cols);
    out_str(") FROM STDIN;\n");
}

void
copy_end(void)
{
    out_str("\\.\n");
}
