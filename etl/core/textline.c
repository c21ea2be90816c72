/*
 * textline.c - reading one line of a hand-written text file, naming a NUL byte and a UTF-8
 * byte order mark instead of hiding them (textline.h). The caller owns the buffer; nothing
 * is allocated.
 */
#include "textline.h"

#include <string.h>

#include "banned.h"

int
textline_read(FILE *f, char *buf, size_t size, int lineno, int bom_ok)
{
    size_t len = 0;
    int c, nul = 0;

    if (lineno == 1) {
        static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
        int k;
        for (k = 0; k < 3 && (c = getc(f)) == bom[k]; k++)
            ;
        if (k == 3) {
            if (!bom_ok)
                return TEXTLINE_BOM;
        } else {
            /* not a BOM: what was read is the line's start (one byte of push-back is all stdio
             * promises, so the matched bytes go to the buffer) */
            for (int i = 0; i < k && len + 1 < size; i++)
                buf[len++] = (char)bom[i];
            if (c != EOF)
                ungetc(c, f);
        }
    }
    while ((c = getc(f)) != EOF && c != '\n') {
        if (c == '\0')
            nul = 1;
        if (len + 1 >= size)
            return TEXTLINE_TOO_LONG;
        buf[len++] = (char)c;
    }
    if (c == EOF && ferror(f))
        return TEXTLINE_ERROR;
    if (c == EOF && len == 0)
        return TEXTLINE_EOF;
    if (nul)
        return TEXTLINE_NUL;
    if (len > 0 && buf[len - 1] == '\r')
        len--;
    buf[len] = '\0';
    return TEXTLINE_OK;
}

const char *
textline_problem(int status)
{
    switch (status) {
    case TEXTLINE_TOO_LONG:
        return "line too long";
    case TEXTLINE_NUL:
        return "holds a NUL byte: not a text file";
    case TEXTLINE_BOM:
        return "starts with a UTF-8 byte order mark (bytes EF BB BF)";
    default:
        return "could not be read";
    }
}

const char *
textline_hint(int status)
{
    switch (status) {
    case TEXTLINE_NUL:
        return "save it again as plain text";
    case TEXTLINE_BOM:
        return "save it as UTF-8 without a byte order mark (\"UTF-8\", not \"UTF-8 with BOM\")";
    default:
        return NULL;
    }
}
