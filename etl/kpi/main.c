/*
 * yj-kpi - the ten KPIs of a period, their summary templates and the data-quality worklist.
 */
#include "cli.h"
#include "config.h"
#include "kpi.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static const struct cli_option options[] = {
    {"config", "FILE", "configuration file: takes the mappings folder from [return] mappings"},
    {"mappings", "DIR", "mappings folder holding the schema-N bundles (instead of --config)"},
    {"return", "DIR", "the return folder written by yj-transform (required)"},
    {"staged", "DIR", "the run's staged folder: board attendance (KPI 8) and population (KPI 9)"},
    {"out", "DIR", "where to write the KPI outputs (required)"},
    {"provisional", NULL, "the return failed validation: mark every figure provisional"},
    {"check-template", "FILE",
     "compare a YJB template file with the bundle's labels instead (needs --period)"},
    {"period", "PERIOD", "with --check-template: the period whose bundle to compare with"},
    CLI_COMMON_OPTIONS,
};

int
main(int argc, char **argv)
{
    struct cli cli;
    struct yj_config cfg;
    struct kpi_options opt = {0};
    struct kpi_result res = {0};
    struct yj_error err;
    int fmt = LOG_TEXT;
    const char *config_path = NULL, *arg, *check = NULL, *period = NULL;
    double t0 = log_now();
    int idx, rc = YJ_OK;

    yj_error_init(&err);
    config_init(&cfg);
    log_init("yj-kpi", LOG_TEXT);
    cli_init(&cli, argc, argv, options, (int)(sizeof(options) / sizeof(options[0])));
    while ((idx = cli_next(&cli, &arg)) != CLI_END) {
        const char *name = idx >= 0 ? options[idx].name : "";
        if (idx == CLI_ERROR) {
            rc = YJ_EX_USAGE;
            break;
        } else if (strcmp(name, "config") == 0)
            config_path = arg;
        else if (strcmp(name, "mappings") == 0)
            opt.mappings = arg;
        else if (strcmp(name, "return") == 0)
            opt.return_dir = arg;
        else if (strcmp(name, "staged") == 0)
            opt.staged = arg;
        else if (strcmp(name, "out") == 0)
            opt.out_dir = arg;
        else if (strcmp(name, "provisional") == 0)
            opt.provisional = 1;
        else if (strcmp(name, "check-template") == 0)
            check = arg;
        else if (strcmp(name, "period") == 0)
            period = arg;
        else {
            int c = cli_common(
                &cli, idx, arg, "yj-kpi",
                "yj-kpi (--config FILE | --mappings DIR) --return DIR --out DIR [--staged DIR] "
                "[--provisional]\n       yj-kpi (--config FILE | --mappings DIR) --check-template "
                "FILE "
                "--period PERIOD",
                "Computes KPIs 1-10 of the return's period from the return itself, read child\n"
                "by child, with the counting rules of its schema bundle (mappings/schema-N/kpi/:\n"
                "code tables, kpi.conf, templates.conf). Writes to --out: one CSV per YJB summary\n"
                "template (kpi1_accommodation_detail.csv ... kpi10_victims.csv, labels byte for\n"
                "byte), headline.csv (numerator, denominator and rate per KPI and type of\n"
                "order), cases.csv (mode 0600: the record that decided each count),\n"
                "worklist.csv (mode 0600: one line per child and problem, with the item, id,\n"
                "field and what to record), worklist.txt and recording.csv (counts per problem,\n"
                "no personal data), and a MANIFEST, last. KPI 8 and the KPI 9 rate need\n"
                "--staged (the run's service inputs). --provisional marks a return that failed\n"
                "validation: the figures are for the nightly worklist, never for submission.\n"
                "headline.csv also gives each figure as the YJB's case-level SQL computes it\n"
                "(yjb_* columns), and worklist.txt the cells where the two differ. A board\n"
                "attendance row whose sector the rules do not hold goes on the worklist and\n"
                "makes KPI 8 provisional. Exit 78 for a bad counting-rules file, 65 for a\n"
                "return that is not well-formed, not a return, or whose children differ from\n"
                "its MANIFEST, 64 for --out in the return folder (nothing removed), 66/74 for a\n"
                "missing or altered return. --check-template compares a\n"
                "template file from the YJB (e.g. kpi2_ete_v1.csv) with the bundle's columns\n"
                "and row labels, byte for byte: exit 78 naming the first line that differs.",
                &fmt);
            if (c == CLI_ERROR) {
                rc = YJ_EX_USAGE;
                break;
            }
            if (c == CLI_DONE)
                goto out;
        }
    }
    log_init("yj-kpi", (enum log_format)fmt);
    if (rc == YJ_OK && argc - optind != 0) {
        fprintf(stderr, "yj-kpi: unexpected argument '%s' (see --help)\n", argv[optind]);
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && check && (!period || (!config_path == !opt.mappings))) {
        fprintf(stderr, "yj-kpi: --check-template needs --period and one of --config or "
                        "--mappings\n");
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && !check &&
        (!opt.return_dir || !opt.out_dir || (!config_path == !opt.mappings))) {
        fprintf(stderr, "yj-kpi: --return, --out and one of --config or --mappings are required\n");
        rc = YJ_EX_USAGE;
    }
    if (rc != YJ_OK)
        goto out;
    if (config_path) {
        if ((rc = config_load(&cfg, config_path, &err)) != YJ_OK ||
            (rc = config_require(cfg.mappings, "return", "mappings", config_path, &err)) != YJ_OK) {
            log_yj_error(&err);
            goto out;
        }
        opt.mappings = cfg.mappings;
    }
    if (check) {
        rc = kpi_check_template(opt.mappings, period, check, &err);
        if (rc != YJ_OK)
            log_yj_error(&err);
        else
            log_info("'%s' agrees with the bundle's template, byte for byte", check);
        goto out;
    }
    log_info("begin: return=%s out=%s%s", opt.return_dir, opt.out_dir,
             opt.provisional ? " (provisional)" : "");
    rc = kpi_run(&opt, &res, &err);
    if (rc != YJ_OK)
        log_yj_error(&err);
    log_info("end: status %d, %lu children, %lu with an order ending in the period, %lu worklist "
             "lines%s in %.2f s",
             rc, res.children, res.cohort, res.worklist, res.provisional ? " (provisional)" : "",
             log_now() - t0);
out:
    cli_release(&cli);
    config_release(&cfg);
    return rc;
}
