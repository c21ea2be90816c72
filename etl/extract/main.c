/*
 * yj-extract - read one return period from the case warehouse into staged files.
 */
#include "cli.h"
#include "config.h"
#include "extract.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

static const struct cli_option options[] = {
    {"config", "FILE", "configuration file (required)"},
    {"period", "YYYYQn", "return period, e.g. 2025Q1 = April-June 2025 (required)"},
    {"as-of", "TIMESTAMP", "read the warehouse as it was recorded at this moment"},
    {"out", "DIR", "folder for the staged files and MANIFEST (required)"},
    CLI_COMMON_OPTIONS,
};

int
main(int argc, char **argv)
{
    struct cli cli;
    struct yj_config cfg;
    struct extract_options opt = {0};
    struct yj_error err;
    int fmt = LOG_TEXT;
    const char *config_path = NULL, *period = NULL, *arg;
    double t0 = log_now();
    int idx, rc = YJ_OK;

    yj_error_init(&err);
    config_init(&cfg);
    log_init("yj-extract", LOG_TEXT);
    cli_init(&cli, argc, argv, options, (int)(sizeof(options) / sizeof(options[0])));
    while ((idx = cli_next(&cli, &arg)) != CLI_END) {
        const char *name = idx >= 0 ? options[idx].name : "";
        if (idx == CLI_ERROR) {
            rc = YJ_EX_USAGE;
            break;
        } else if (strcmp(name, "config") == 0)
            config_path = arg;
        else if (strcmp(name, "period") == 0)
            period = arg;
        else if (strcmp(name, "as-of") == 0)
            opt.as_of = arg;
        else if (strcmp(name, "out") == 0)
            opt.out_dir = arg;
        else {
            int c = cli_common(
                &cli, idx, arg, "yj-extract",
                "yj-extract --config FILE --period YYYYQn --out DIR [--as-of TIMESTAMP]",
                "Reads the case warehouse in one consistent read-only snapshot and writes one\n"
                "staged file per entity, ordered by child, plus a MANIFEST with row counts,\n"
                "SHA-256 and the snapshot's as-of time. The connection comes from [warehouse]\n"
                "conninfo; passwords belong in libpq's PGPASSFILE, never on the command line.",
                &fmt);
            if (c == CLI_ERROR) {
                rc = YJ_EX_USAGE;
                break;
            }
            if (c == CLI_DONE)
                goto out;
        }
    }
    log_init("yj-extract", (enum log_format)fmt);
    if (rc == YJ_OK && optind < argc) {
        fprintf(stderr, "yj-extract: unexpected argument '%s'\n", argv[optind]);
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && (!config_path || !period || !opt.out_dir)) {
        fprintf(stderr, "yj-extract: --config, --period and --out are required (see --help)\n");
        rc = YJ_EX_USAGE;
    }
    if (rc != YJ_OK)
        goto out;
    if ((rc = period_parse(period, &opt.period, &err)) != YJ_OK ||
        (rc = config_load(&cfg, config_path, &err)) != YJ_OK) {
        log_yj_error(&err);
        goto out;
    }
    log_info("begin: config=%s period=%s as-of=%s out=%s", config_path, period,
             opt.as_of ? opt.as_of : "(snapshot time)", opt.out_dir);
    rc = extract_run(&cfg, &opt, &err);
    if (rc != YJ_OK)
        log_yj_error(&err);
    log_info("end: status %d in %.2f s", rc, log_now() - t0);
out:
    cli_release(&cli);
    config_release(&cfg);
    return rc;
}
