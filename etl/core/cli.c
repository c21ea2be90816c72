/*
 * cli.c - table-driven option parsing and help text.
 *
 * Long options match only when spelled out: getopt_long would take any unambiguous prefix
 * (--subm for --submit), so a typo or a truncated option could change what a run does. Before
 * getopt_long sees argv, every "--name" is looked up exactly in the table and an inexact one is
 * refused. "-h" is the one short option, the same as --help.
 */
#include "cli.h"

#include "error.h"
#include "log.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

void
cli_init(struct cli *c, int argc, char **argv, const struct cli_option *opts, int nopts)
{
    c->argc = argc;
    c->argv = argv;
    c->opts = opts;
    c->nopts = nopts;
    c->long_opts = xcalloc((size_t)nopts + 1, sizeof(struct option));
    for (int i = 0; i < nopts; i++) {
        c->long_opts[i].name = opts[i].name;
        c->long_opts[i].has_arg = opts[i].metavar ? required_argument : no_argument;
        c->long_opts[i].flag = NULL;
        c->long_opts[i].val = 1000 + i;
    }
    c->checked = 0;
    optind = 1;
    opterr = 1;
}

/* 0 when every long option of argv is spelled out in full; else prints getopt's message for
 * the first that is not (a prefix, or no option at all) and returns -1. Walks argv as
 * getopt_long will: an option that takes an argument and has no "=" takes the next word. */
static int
cli_exact_names(const struct cli *c)
{
    for (int i = 1; i < c->argc; i++) {
        const char *a = c->argv[i];
        size_t len;
        int k;

        if (strcmp(a, "--") == 0)
            return 0;
        if (strncmp(a, "--", 2) != 0)
            continue;
        len = strcspn(a + 2, "=");
        for (k = 0; k < c->nopts; k++)
            if (strlen(c->opts[k].name) == len && strncmp(c->opts[k].name, a + 2, len) == 0)
                break;
        if (k == c->nopts) {
            fprintf(stderr, "%s: unrecognized option '%.*s'\n", c->argv[0], (int)len + 2, a);
            return -1;
        }
        if (c->opts[k].metavar && a[2 + len] != '=')
            i++;
    }
    return 0;
}

int
cli_next(struct cli *c, const char **arg)
{
    int ch;

    if (!c->checked) {
        c->checked = 1;
        if (cli_exact_names(c) != 0)
            return CLI_ERROR;
    }
    ch = getopt_long(c->argc, c->argv, "h", c->long_opts, NULL);
    if (ch == -1)
        return CLI_END;
    if (ch == 'h') {
        int help = cli_index(c, "help");
        if (help >= 0) {
            *arg = NULL;
            return help;
        }
        return CLI_ERROR;
    }
    if (ch < 1000 || ch >= 1000 + c->nopts)
        return CLI_ERROR;
    *arg = optarg;
    return ch - 1000;
}

int
cli_index(const struct cli *c, const char *name)
{
    for (int i = 0; i < c->nopts; i++)
        if (strcmp(c->opts[i].name, name) == 0)
            return i;
    return -1;
}

void
cli_usage(const struct cli *c, FILE *out, const char *synopsis, const char *description)
{
    fprintf(out, "Usage: %s\n\n%s\n\nOptions:\n", synopsis, description);
    for (int i = 0; i < c->nopts; i++) {
        char left[64];

        snprintf(left, sizeof(left), "--%s%s%s", c->opts[i].name, c->opts[i].metavar ? " " : "",
                 c->opts[i].metavar ? c->opts[i].metavar : "");
        fprintf(out, "  %-24s %s\n", left, c->opts[i].help);
    }
    fprintf(out, "\n%s", yj_exit_codes_help);
}

int
cli_common(const struct cli *c, int idx, const char *arg, const char *program, const char *synopsis,
           const char *description, int *log_format)
{
    const char *name = c->opts[idx].name;
    enum log_format fmt;

    if (strcmp(name, "log-format") == 0) {
        if (log_parse_format(arg, &fmt) != 0) {
            fprintf(stderr, "%s: invalid --log-format '%s': use text or json\n", program, arg);
            return CLI_ERROR;
        }
        *log_format = (int)fmt;
        return 0;
    }
    if (strcmp(name, "version") == 0) {
        printf("%s %s\n", program, YJ_VERSION);
        return CLI_DONE;
    }
    if (strcmp(name, "help") == 0) {
        cli_usage(c, stdout, synopsis, description);
        return CLI_DONE;
    }
    return CLI_NOT_COMMON;
}

void
cli_release(struct cli *c)
{
    free(c->long_opts);
    c->long_opts = NULL;
}
