/*
 * cli.h - one option table drives parsing and --help for every executable.
 *
 * Each stage declares a table of struct cli_option; cli_next() walks argv with getopt_long
 * built from that table and returns the table index of each option found. Every table ends
 * with the common options from CLI_COMMON_OPTIONS (help, version, log format). A long option
 * matches only its full name (no prefixes); "-h" is --help.
 */
#ifndef YJ_CLI_H
#define YJ_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#define YJ_VERSION "0.1.0"

struct cli_option {
    const char *name;    /* long name, without "--" */
    const char *metavar; /* NULL when the option takes no argument */
    const char *help;
};

#define CLI_COMMON_OPTIONS                                                                         \
    {"log-format", "FORMAT", "diagnostics on stderr as 'text' (default) or 'json' lines"},         \
        {"version", NULL, "print the version and exit"},                                           \
    {                                                                                              \
        "help", NULL, "print this help and exit (also -h)"                                         \
    }

struct cli {
    int argc;
    char **argv;
    const struct cli_option *opts;
    int nopts;
    struct option *long_opts; /* owned */
    int checked;              /* argv's long options were checked for exact names */
};

enum { CLI_END = -1, CLI_ERROR = -2, CLI_DONE = -3, CLI_NOT_COMMON = -4 };

void cli_init(struct cli *c, int argc, char **argv, const struct cli_option *opts, int nopts);
/* Returns the index of the next option (its argument in *arg), CLI_END, or CLI_ERROR after
 * printing a message about an unknown option or a missing argument. */
int cli_next(struct cli *c, const char **arg);
/* Index of an option by name (for comparing with cli_next's result). */
int cli_index(const struct cli *c, const char *name);
void cli_usage(const struct cli *c, FILE *out, const char *synopsis, const char *description);
/* Handles an option of CLI_COMMON_OPTIONS: sets *log_format, or prints the version or the
 * help. Returns CLI_NOT_COMMON for any other option, CLI_DONE after printing (exit 0),
 * CLI_ERROR for a bad value (exit 64), or 0 to go on. */
int cli_common(const struct cli *c, int idx, const char *arg, const char *program,
               const char *synopsis, const char *description, int *log_format);
void cli_release(struct cli *c);

#endif
