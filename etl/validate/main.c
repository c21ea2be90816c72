/*
 * yj-validate - check any return file against its schema and the business rules.
 */
#include "config.h"
#include "justify.h"
#include "log.h"
#include "stages.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

int
main(int argc, char **argv)
{
    struct validate_args a = {0};
    struct yj_config cfg;
    struct validate_options opt = {0};
    struct validate_result res;
    struct yj_error err;
    char *justifications = NULL;
    double t0 = log_now();
    int rc;

    if ((rc = cli_parse(&validate_cli, argc, argv, &a)) != YJ_OK)
        return cli_exit_status(rc);
    yj_error_init(&err);
    config_init(&cfg);
    opt.file = a.file;
    opt.mappings = a.mappings;
    opt.report = a.report;
    opt.staged = a.staged;
    opt.justifications = a.justifications;
    opt.justifications_required = a.justifications != NULL;
    if ((rc = validate_check_paths(&opt, &err)) != YJ_OK) {
        log_yj_error(&err);
        goto out;
    }
    if (a.config) {
        if ((rc = config_load(&cfg, a.config, &err)) != YJ_OK ||
            (rc = config_require(cfg.mappings, "return", "mappings", a.config, &err)) != YJ_OK) {
            log_yj_error(&err);
            goto out;
        }
        opt.mappings = cfg.mappings;
        if (!opt.justifications) {
            const char *slash = strrchr(a.config, '/');
            size_t n = slash ? (size_t)(slash - a.config) + 1 : 0;
            justifications = malloc(n + sizeof(JUSTIFY_FILE));
            if (!justifications)
                abort();
            memcpy(justifications, a.config, n);
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
    config_release(&cfg);
    free(justifications);
    return rc;
}
