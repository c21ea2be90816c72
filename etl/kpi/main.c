/*
 * yj-kpi - the ten KPIs of a period, their summary templates and the data-quality worklist.
 */
#include "config.h"
#include "kpi.h"
#include "log.h"
#include "stages.h"

#include "banned.h"

int
main(int argc, char **argv)
{
    struct kpi_args a = {0};
    struct yj_config cfg;
    struct kpi_options opt = {0};
    struct kpi_result res = {0};
    struct yj_error err;
    double t0 = log_now();
    int rc;

    if ((rc = cli_parse(&kpi_cli, argc, argv, &a)) != YJ_OK)
        return cli_exit_status(rc);
    yj_error_init(&err);
    config_init(&cfg);
    opt.mappings = a.mappings;
    opt.return_dir = a.return_dir;
    opt.staged = a.staged;
    opt.out_dir = a.out;
    opt.provisional = a.provisional;
    if (a.config) {
        if ((rc = config_load(&cfg, a.config, &err)) != YJ_OK ||
            (rc = config_require(cfg.mappings, "return", "mappings", a.config, &err)) != YJ_OK) {
            log_yj_error(&err);
            goto out;
        }
        opt.mappings = cfg.mappings;
    }
    if (a.check_template) {
        rc = kpi_check_template(opt.mappings, a.period, a.check_template, &err);
        if (rc != YJ_OK)
            log_yj_error(&err);
        else
            log_info("'%s' agrees with the bundle's template, byte for byte", a.check_template);
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
    config_release(&cfg);
    return rc;
}
