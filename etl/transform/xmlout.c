/*
 * xmlout.c - buffered, escaping XML output.
 */
#include "xmlout.h"

#include "mem.h"
#include "period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

void
xmlout_init(struct xmlout *x, struct atomic_file *af, struct yj_error *err)
{
    memset(x, 0, sizeof(*x));
    x->af = af;
    x->err = err;
    x->buf = xmalloc(XMLOUT_BUF);
}

int
xmlout_flush(struct xmlout *x)
{
    if (x->status == YJ_OK && x->len)
        x->status = atomic_file_write(x->af, x->buf, x->len, x->err);
    x->len = 0;
    return x->status;
}

static void
put(struct xmlout *x, const char *s, size_t n)
{
    while (n) {
        size_t room = XMLOUT_BUF - x->len;
        size_t k = n < room ? n : room;

        memcpy(x->buf + x->len, s, k);
        x->len += k;
        s += k;
        n -= k;
        if (x->len == XMLOUT_BUF)
            xmlout_flush(x);
    }
}

static void
puts_(struct xmlout *x, const char *s)
{
    put(x, s, strlen(s));
}

static void
indent(struct xmlout *x)
{
    static const char spaces[] = "                                                                ";
    size_t n = (size_t)x->depth * 2;

    put(x, spaces, n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1);
}

static void
escaped(struct xmlout *x, const char *s)
{
    const char *run = s;

    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        default:
            continue;
        }
        put(x, run, (size_t)(s - run));
        puts_(x, rep);
        run = s + 1;
    }
    put(x, run, (size_t)(s - run));
}

void
xmlout_raw(struct xmlout *x, const char *s)
{
    puts_(x, s);
}

void
xmlout_open(struct xmlout *x, const char *name, const char *attrs)
{
    indent(x);
    put(x, "<", 1);
    puts_(x, name);
    if (attrs) {
        put(x, " ", 1);
        puts_(x, attrs);
    }
    put(x, ">\n", 2);
    if (x->depth >= XMLOUT_MAX_DEPTH) {
        if (x->status == YJ_OK)
            x->status = yj_error_set(x->err, YJ_EX_SOFTWARE, "XML nesting deeper than %d",
                                     XMLOUT_MAX_DEPTH);
        return;
    }
    x->stack[x->depth++] = name;
}

void
xmlout_close(struct xmlout *x)
{
    if (x->depth <= 0) {
        if (x->status == YJ_OK)
            x->status = yj_error_set(x->err, YJ_EX_SOFTWARE, "XML element closed twice");
        return;
    }
    x->depth--;
    indent(x);
    put(x, "</", 2);
    puts_(x, x->stack[x->depth]);
    put(x, ">\n", 2);
}

void
xmlout_elem(struct xmlout *x, const char *name, const char *text)
{
    if (!text)
        return;
    indent(x);
    put(x, "<", 1);
    puts_(x, name);
    put(x, ">", 1);
    escaped(x, text);
    put(x, "</", 2);
    puts_(x, name);
    put(x, ">\n", 2);
}

void
xmlout_elem_long(struct xmlout *x, const char *name, long v)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%ld", v);
    xmlout_elem(x, name, buf);
}

void
xmlout_elem_date(struct xmlout *x, const char *name, long days)
{
    char buf[11];

    date_format(days, buf);
    xmlout_elem(x, name, buf);
}

void
xmlout_release(struct xmlout *x)
{
    free(x->buf);
    x->buf = NULL;
}

int
xmlout_text_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        unsigned c = *p;
        int n;

        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                return 0;
            p++;
            continue;
        }
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0; /* no overlong forms */
            else if (c == 0xED)
                hi = 0x9F; /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F; /* nothing past U+10FFFF */
        } else
            return 0;
        if (p[1] < lo || p[1] > hi)
            return 0;
        for (int i = 2; i <= n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        /* U+FFFE and U+FFFF are not XML characters */
        if (c == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
            return 0;
        p += n + 1;
    }
    return 1;
}
