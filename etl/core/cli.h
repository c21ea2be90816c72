/*
 * cli.h - one option table drives parsing, --help and the argv yj-run gives a stage.
 *
 * Each executable is described by a struct cli_spec (etl/core/stages.c): its synopsis, its
 * description and a table of struct cli_option whose rows say the option's type, where its
 * value goes in the executable's argument struct (offsetof) and whether it is required.
 * cli_parse() walks argv with getopt_long built from that table into the struct, handles the
 * common options (--help/-h, --version, --log-format) and the operands, and prints the
 * required-options message made from the table. cli_argv() is the inverse: the argv that
 * parses back into the same struct. A long option matches only its full name (no prefixes).
 */
#ifndef YJ_CLI_H
#define YJ_CLI_H

#include "config.h"
#include "error.h"

#include <stddef.h>
#include <stdio.h>

/* The version, once: CMakeLists.txt's project(VERSION), defined for every source it builds
 * (debian/changelog is checked against it by tests/lint/packages.sh). */
#ifndef YJ_VERSION
#error "YJ_VERSION is defined by CMakeLists.txt from project(VERSION)"
#endif

enum cli_type {
    CLI_COMMON, /* --log-format, --version, --help: handled by cli_parse, no target */
    CLI_STRING, /* const char *: the last value given */
    CLI_FLAG,   /* int: 1 when given */
    CLI_LIST,   /* char **: every value given, in order, NULL-terminated (cli_free) */
};

/* What a row's required field may hold (bits). The one-of options form one group: exactly
 * one of them must be given. A mode option (--check-template) asks for its own set. */
enum {
    CLI_REQUIRED = 1,      /* always, unless a row that stands in for it is given */
    CLI_ONE_OF = 2,        /* exactly one of this group */
    CLI_MODE = 4,          /* given, the MODE_ rows are required instead of the others */
    CLI_MODE_REQUIRED = 8, /* required with the mode option */
    CLI_MODE_ONE_OF = 16,  /* exactly one of this group with the mode option */
};

struct cli_option {
    const char *name;    /* long name, without "--" */
    const char *metavar; /* NULL when the option takes no argument */
    const char *help;
    enum cli_type type;
    size_t target;                       /* offsetof in the executable's argument struct */
    unsigned required;                   /* CLI_REQUIRED ... CLI_MODE_ONE_OF */
    const struct cli_option *stands_for; /* given, a required option it replaces */
};

#define CLI_COMMON_OPTIONS                                                                         \
    {"log-format", "FORMAT", "diagnostics on stderr as 'text' (default) or 'json' lines",          \
     CLI_COMMON,   0,        0,                                                                    \
     NULL},                                                                                        \
        {"version", NULL, "print the version and exit", CLI_COMMON, 0, 0, NULL},                   \
    {                                                                                              \
        "help", NULL, "print this help and exit (also -h)", CLI_COMMON, 0, 0, NULL                 \
    }

/* The operands after the options. */
enum cli_operands {
    CLI_NO_OPERAND,    /* any is refused: "unexpected argument 'X'" */
    CLI_ONE_OPERAND,   /* exactly one, a const char * at operand_target */
    CLI_OPERANDS,      /* any number, a struct cli_args at operand_target: the main checks them */
    CLI_SOME_OPERANDS, /* one or more, a struct cli_args at operand_target */
};

struct cli_args {
    int n;
    char **v;
};

struct cli_spec {
    const char *program; /* "yj-extract" */
    const char *summary; /* what it does, in a line: the README's table and the manual's NAME */
    const char *synopsis;
    const char *description;
    const struct cli_option *options;
    int noptions;
    enum cli_operands operands;
    const char *operand; /* CLI_ONE_OPERAND: what it is, for the message ("return file") */
    size_t operand_target;
    int see_help;       /* "unexpected argument" ends "(see --help)" */
    int defer_required; /* the main calls cli_require itself (after its own commands) */
    int load_config;    /* cli_main loads the --config at config_target, when given, first */
    size_t config_target;
};

/* Status of cli_parse beside YJ_OK and YJ_EX_USAGE: help or version printed, exit 0. */
enum { CLI_DONE = -3 };

/* Parses argv into args (zeroed by the caller) against spec, and sets the log format and program
 * name (log_init). Prints one line and returns YJ_EX_USAGE for an unknown option, a missing
 * argument, a bad --log-format, unexpected operands or (unless defer_required) a required
 * option missing; CLI_DONE after --help or --version; else YJ_OK. */
int cli_parse(const struct cli_spec *spec, int argc, char **argv, void *args);
/* Prints the required-options message and returns YJ_EX_USAGE when args lacks a required
 * option, else YJ_OK. */
int cli_require(const struct cli_spec *spec, const void *args);
/* Prints "PROGRAM: unexpected argument 'ARG'" and returns YJ_EX_USAGE. */
int cli_unexpected(const struct cli_spec *spec, const char *arg);
/* The exit status for cli_parse's result that is not YJ_OK. */
int cli_exit_status(int parsed);
void cli_usage(const struct cli_spec *spec, FILE *out);
/* The manual page (roff) of spec: NAME from its summary, then what cli_usage prints. */
void cli_man(const struct cli_spec *spec, FILE *out);
/* The argv (one allocation: free()) that parses back into args: spec's program, then each
 * option given, in table order, then the operands. The values are args' own pointers. */
char **cli_argv(const struct cli_spec *spec, const void *args);
/* Frees what cli_parse allocated in args (the lists). */
void cli_free(const struct cli_spec *spec, void *args);

/* What a main holds while its stage runs: the configuration, the error and when it began. */
struct cli_session {
    struct yj_config cfg;
    struct yj_error err;
    double t0;
    int ended; /* the outcome is logged (cli_outcome) */
};

/* The whole of a main: parses argv into opts (zeroed by the caller), loads the configuration
 * when the spec says so, runs stage(session, opts), logs its error unless the stage logged
 * its outcome, frees what was allocated and returns the exit status. */
int cli_main(const struct cli_spec *spec, int argc, char **argv, void *opts,
             int (*stage)(struct cli_session *ss, void *opts));
/* Logs the error when rc is not YJ_OK, once; returns rc. */
int cli_outcome(struct cli_session *ss, int rc);
/* cli_outcome, then "end: status RC in S s". */
int cli_end(struct cli_session *ss, int rc);

/* A --jobs value TEXT: 1 to MAX; NULL, the number of online cores (at most MAX). Anything else
 * is a usage error (YJ_EX_USAGE) naming TEXT and the range. */
int cli_jobs(const char *text, int max, int *jobs, struct yj_error *err);

/* The descriptor TEXT names as option --OPTION (yj-run's --verdict-fd, --parts-fd,
 * --follow-fd): a number from 0 to 65535 that is open, and a socket when SOCKET is set.
 * Anything else is a usage error (YJ_EX_USAGE) naming the option and TEXT. */
int cli_descriptor(const char *option, const char *text, int socket, int *fd, struct yj_error *err);

#endif
