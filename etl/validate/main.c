/*
 * yj-validate - check any return file against its schema and the business rules.
 */
#include "cli.h"
#include "config.h"
#include "log.h"
#include "justify.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static const struct cli_option options[] = {
    {"config", "FILE", "configuration file: takes the mappings folder from [return] mappings"},
    {"mappings", "DIR", "mappings folder holding the schema-N bundles (instead of --config)"},
    {"report", "FILE", "where to write the report (required; mode 0600)"},
    {"staged", "DIR", "the return's staged folder: findings name children by warehouse id"},
    {"justifications", "FILE",
     "explained queries (default: justifications.csv beside the --config file)"},
    CLI_COMMON_OPTIONS,
};

int
main(int argc, char **argv)
{
    struct cli cli;
    struct yj_config cfg;
    struct validate_options opt = {0};
    struct validate_result res;
    struct yj_error err;
    int fmt = LOG_TEXT;
    const char *config_path = NULL, *arg;
    char *justifications = NULL;
    double t0 = log_now();
    int idx, rc = YJ_OK;

    yj_error_init(&err);
    config_init(&cfg);
    log_init("yj-validate", LOG_TEXT);
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
        else if (strcmp(name, "report") == 0)
            opt.report = arg;
        else if (strcmp(name, "staged") == 0)
            opt.staged = arg;
        else if (strcmp(name, "justifications") == 0) {
            opt.justifications = arg;
            opt.justifications_required = 1;
        } else {
            int c = cli_common(
                &cli, idx, arg, "yj-validate",
                "yj-validate (--config FILE | --mappings DIR) --report FILE [--staged DIR] "
                "RETURN.xml",
                "Validates a return, streaming, against the XSD of the schema version named\n"
                "by its root element (mappings/schema-N/cld.xsd) and the business rules of\n"
                "the same bundle (mappings/schema-N/rules.conf: id, severity error or query,\n"
                "item, field, check, message). Schema findings are 'line: path: error:\n"
                "message'; rule findings 'line: RULE severity: child ID ypid YPID item ID\n"
                "field F: message' (the warehouse id when --staged names the return's staged\n"
                "folder). Stderr has a summary per rule; the report every finding. A query\n"
                "explained in justifications.csv (rule,child,item,reason,who,date) beside\n"
                "the config is listed apart; one that matches nothing is stale. Network\n"
                "access, DOCTYPEs and entity expansion are refused. Exit 65 when invalid or\n"
                "not well-formed; exit 64, before anything is written, when --report names\n"
                "the return file itself.",
                &fmt);
            if (c == CLI_ERROR) {
                rc = YJ_EX_USAGE;
                break;
            }
            if (c == CLI_DONE)
                goto out;
        }
    }
    log_init("yj-validate", (enum log_format)fmt);
    if (rc == YJ_OK && argc - optind != 1) {
        fprintf(stderr, "yj-validate: expected exactly one return file (see --help)\n");
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && (!opt.report || (!config_path == !opt.mappings))) {
        fprintf(stderr, "yj-validate: --report and one of --config or --mappings are required\n");
        rc = YJ_EX_USAGE;
    }
    if (rc != YJ_OK)
        goto out;
    opt.file = argv[optind];
    if ((rc = validate_check_paths(&opt, &err)) != YJ_OK) {
        log_yj_error(&err);
        goto out;
    }
    if (config_path) {
        if ((rc = config_load(&cfg, config_path, &err)) != YJ_OK ||
            (rc = config_require(cfg.mappings, "return", "mappings", config_path, &err)) != YJ_OK) {
            log_yj_error(&err);
            goto out;
        }
        opt.mappings = cfg.mappings;
        if (!opt.justifications) {
            const char *slash = strrchr(config_path, '/');
            size_t n = slash ? (size_t)(slash - config_path) + 1 : 0;
            justifications = malloc(n + sizeof(JUSTIFY_FILE));
            if (!justifications)
                abort();
            memcpy(justifications, config_path, n);
            memcpy(justifications + n, JUSTIFY_FILE, sizeof(JUSTIFY_FILE));
            opt.justifications = justifications;
        }
    }
    log_info("begin: file=%s mappings=%s report=%s", opt.file, opt.mappings, opt.report);
    rc = validate_run(&opt, &res, &err);
    if (rc != YJ_OK)
        log_yj_error(&err);
    log_info("end: status %d, %lu children, %lu errors, %lu queries in %.2f s", rc, res.children,
             res.errors, res.queries, log_now() - t0);
out:
    cli_release(&cli);
    config_release(&cfg);
    free(justifications);
    return rc;
}
