/*
 * stages.h - the six executables' command lines, described once (etl/core/stages.c): for
 * each, the struct its options parse into and its cli_spec (options, synopsis, --help text).
 * Each main.c parses with its spec; yj-run builds each stage's argv from the same spec and
 * struct (stage_argv), so a renamed option or field breaks at compile time or in a test, never
 * in a run.
 */
#ifndef YJ_STAGES_H
#define YJ_STAGES_H

#include "cli.h"

struct extract_args {
    const char *config, *period, *as_of, *out;
};

struct transform_args {
    const char *config, *in, *out, *sign_off;
    char **previous; /* NULL-terminated */
    const char *period, *in_sha256;
};

struct validate_args {
    const char *config, *mappings, *report, *staged, *justifications;
    const char *file; /* the operand */
};

struct kpi_args {
    const char *config, *mappings, *return_dir, *staged, *out;
    int provisional;
    const char *check_template, *period;
};

struct submit_args {
    const char *config, *run_dir, *ledger;
    int resubmit, allow_empty;
};

struct run_args {
    const char *config, *period, *as_of;
    int submit;
    const char *sign_off;
    int resubmit, allow_empty;
    const char *from, *to;
    int verify, receiver;
    const char *rerun;
    int with_current_mappings;
    struct cli_args operands;
};

/* In the order yj-run runs them. */
enum stage { STAGE_EXTRACT, STAGE_TRANSFORM, STAGE_VALIDATE, STAGE_KPI, STAGE_SUBMIT, STAGE_RUN };
#define STAGE_COUNT 6

extern const struct cli_spec extract_cli, transform_cli, validate_cli, kpi_cli, submit_cli, run_cli;
extern const struct cli_spec *const stage_cli[STAGE_COUNT];

/* What yj-run knows of a run (or a rerun) that its stages' argv are made of. NULL or 0: not
 * given. */
struct stage_inputs {
    const char *config, *period, *as_of, *sign_off;
    char **previous;       /* the last submitted return's files (NULL-terminated) */
    const char *staged;    /* RUN/staged */
    const char *in_sha256; /* the staged MANIFEST's SHA-256: yj-transform is then given it and
                            * --period; a rerun gives neither */
    const char *return_dir, *return_xml, *report, *kpi_dir, *run_dir, *ledger;
    int provisional, resubmit, allow_empty;
};

/* The argv yj-run gives stage s (free()): it parses with stage_cli[s]. */
char **stage_argv(enum stage s, const struct stage_inputs *in);

#endif
