/*
 * cli.c - table-driven option parsing and help text.
 */
#include "cli.h"

#include "error.h"
#include "log.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

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
    optind = 1;
    opterr = 1;
}

int
cli_next(struct cli *c, const char **arg)
{
    int ch = getopt_long(c->argc, c->argv, "", c->long_opts, NULL);

    if (ch == -1)
        return CLI_END;
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
