/*
 * yj-transform - turn staged files into the Child Level Data return XML (one cld.xml, or
 * numbered parts when [return] children_per_part splits it) and cld.zip.
 */
#include "cli.h"
#include "config.h"
#include "log.h"
#include "mem.h"
#include "transform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static const struct cli_option options[] = {
    {"config", "FILE", "configuration file (required)"},
    {"in", "DIR", "staged folder written by yj-extract, with its MANIFEST (required)"},
    {"out", "DIR", "folder for the return (cld.xml or its parts), cld.zip and MANIFEST (required)"},
    {"sign-off", "DATE", "YYYY-MM-DD the return was signed off (needed to submit it)"},
    {"previous", "FILE",
     "the last submitted return: its children now gone are sent as deletions; once per part, "
     "in order, when it was split"},
    {"period", "YYYYQn", "the period asked for: the staged MANIFEST must be of it"},
    {"in-sha256", "HEX", "the staged MANIFEST's SHA-256 recorded when yj-extract ended"},
    CLI_COMMON_OPTIONS,
};

int
main(int argc, char **argv)
{
    struct cli cli;
    struct yj_config cfg;
    struct transform_options opt = {0};
    struct yj_error err;
    int fmt = LOG_TEXT;
    const char *config_path = NULL, *arg;
    const char **previous = xcalloc((size_t)argc + 1, sizeof(char *));
    int nprevious = 0;
    double t0 = log_now();
    int idx, rc = YJ_OK;

    yj_error_init(&err);
    config_init(&cfg);
    log_init("yj-transform", LOG_TEXT);
    cli_init(&cli, argc, argv, options, (int)(sizeof(options) / sizeof(options[0])));
    while ((idx = cli_next(&cli, &arg)) != CLI_END) {
        const char *name = idx >= 0 ? options[idx].name : "";
        if (idx == CLI_ERROR) {
            rc = YJ_EX_USAGE;
            break;
        } else if (strcmp(name, "config") == 0)
            config_path = arg;
        else if (strcmp(name, "in") == 0)
            opt.in_dir = arg;
        else if (strcmp(name, "out") == 0)
            opt.out_dir = arg;
        else if (strcmp(name, "sign-off") == 0)
            opt.sign_off = arg;
        else if (strcmp(name, "previous") == 0)
            previous[nprevious++] = arg;
        else if (strcmp(name, "period") == 0)
            opt.period = arg;
        else if (strcmp(name, "in-sha256") == 0)
            opt.in_sha256 = arg;
        else {
            int c = cli_common(
                &cli, idx, arg, "yj-transform",
                "yj-transform --config FILE --in STAGED_DIR --out RETURN_DIR [--sign-off DATE]\n"
                "             [--previous LAST_SUBMITTED.xml ...] [--period YYYYQn]\n"
                "             [--in-sha256 HEX]",
                "Checks the staged files against their MANIFEST, merges them child by child\n"
                "(memory does not grow with the number of children), maps local codes to YJB\n"
                "codes through the schema bundle chosen for the period under [return]\n"
                "mappings, and writes cld.xml and a MANIFEST. With [return] children_per_part\n"
                "= N and more than N children it writes parts cld-part-0001.xml ... instead,\n"
                "each a whole document. cld.zip holds the return's files, the same bytes for\n"
                "the same return. A local code with no mapping fails the run (exit 65) and is\n"
                "listed, with the child id and field, in RETURN_DIR/errors.txt. The staged\n"
                "MANIFEST must be of --period and have the SHA-256 --in-sha256 when given\n"
                "(yj-run gives both), and its period_start and period_end must be its\n"
                "period's: else exit 74, as for an edited staged file.",
                &fmt);
            if (c == CLI_ERROR) {
                rc = YJ_EX_USAGE;
                break;
            }
            if (c == CLI_DONE)
                goto out;
        }
    }
    log_init("yj-transform", (enum log_format)fmt);
    if (rc == YJ_OK && optind < argc) {
        fprintf(stderr, "yj-transform: unexpected argument '%s'\n", argv[optind]);
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && (!config_path || !opt.in_dir || !opt.out_dir)) {
        fprintf(stderr, "yj-transform: --config, --in and --out are required (see --help)\n");
        rc = YJ_EX_USAGE;
    }
    if (rc != YJ_OK)
        goto out;
    if (nprevious) {
        opt.previous = previous[0];
        opt.previous_more = previous + 1;
        opt.nprevious_more = nprevious - 1;
    }
    if ((rc = config_load(&cfg, config_path, &err)) != YJ_OK) {
        log_yj_error(&err);
        goto out;
    }
    log_info("begin: config=%s in=%s out=%s", config_path, opt.in_dir, opt.out_dir);
    rc = transform_run(&cfg, &opt, &err);
    if (rc != YJ_OK)
        log_yj_error(&err);
    log_info("end: status %d in %.2f s", rc, log_now() - t0);
out:
    free(previous);
    cli_release(&cli);
    config_release(&cfg);
    return rc;
}
