/*
 * cli_man.c - a stage's manual page, in roff, from its cli_spec: the same summary, synopsis,
 * description, options and exit codes its --help prints. See cli.h.
 */
#include "cli.h"
#include "stages.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

/* Writes TEXT (up to LEN bytes) as roff running text: a backslash as \e, a minus as \-, and a
 * line that would start with a roff control character ('.' or '\'') guarded by \&. */
static void
roff_text(FILE *out, const char *text, size_t len)
{
    int line_start = 1;

    for (size_t i = 0; i < len && text[i]; i++) {
        char c = text[i];

        if (line_start && (c == '.' || c == '\''))
            fputs("\\&", out);
        if (c == '\\')
            fputs("\\e", out);
        else if (c == '-')
            fputs("\\-", out);
        else
            fputc(c, out);
        line_start = c == '\n';
    }
}

static void
roff(FILE *out, const char *text)
{
    roff_text(out, text, strlen(text));
}

/* The synopsis: one .br-separated line per form, without the alignment spaces of --help. */
static void
man_synopsis(FILE *out, const char *synopsis)
{
    const char *p = synopsis;

    fputs(".SH SYNOPSIS\n.nf\n", out);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);

        while (len && *p == ' ') {
            p++;
            len--;
        }
        roff_text(out, p, len);
        fputc('\n', out);
        p += len + (nl != NULL);
    }
    fputs(".fi\n", out);
}

/* The exit codes of yj_exit_codes_help ("  64  usage: ..." lines after a heading) as a list. */
static void
man_exit_status(FILE *out)
{
    const char *p = strchr(yj_exit_codes_help, '\n');

    fputs(".SH EXIT STATUS\n", out);
    while (p && *++p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        unsigned code;
        int used = 0;

        if (sscanf(p, " %u %n", &code, &used) == 1 && used > 0 && (size_t)used <= len) {
            fprintf(out, ".TP\n.B %u\n", code);
            roff_text(out, p + used, len - (size_t)used);
            fputc('\n', out);
        }
        p = nl;
    }
}

void
cli_man(const struct cli_spec *s, FILE *out)
{
    fprintf(out, ".TH %s 1 \"\" \"yjreturns %s\" \"yjreturns\"\n", s->program, YJ_VERSION);
    fputs(".SH NAME\n", out);
    roff(out, s->program);
    fputs(" \\- ", out);
    roff(out, s->summary ? s->summary : "");
    fputc('\n', out);
    man_synopsis(out, s->synopsis);
    fputs(".SH DESCRIPTION\n", out);
    roff(out, s->description);
    fputs("\n.SH OPTIONS\n", out);
    for (int i = 0; i < s->noptions; i++) {
        const struct cli_option *o = &s->options[i];

        fputs(".TP\n\\fB\\-\\-", out);
        roff(out, o->name);
        fputs("\\fR", out);
        if (o->metavar) {
            fputs(" \\fI", out);
            roff(out, o->metavar);
            fputs("\\fR", out);
        }
        fputc('\n', out);
        roff(out, o->help);
        fputc('\n', out);
    }
    man_exit_status(out);
    fputs(".SH SEE ALSO\n", out);
    for (int i = 0, n = 0; i < STAGE_COUNT; i++) {
        if (stage_table[i].cli != s) {
            fputs(n++ ? ",\n.BR " : ".BR ", out);
            roff(out, stage_table[i].cli->program);
            fputs(" (1)", out);
        }
    }
    fputc('\n', out);
}
