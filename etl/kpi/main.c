/*
 * yj-kpi - the ten KPIs of a period, their summary templates and the data-quality worklist.
 */
#include "kpi.h"
#include "log.h"

#include "banned.h"

static int
kpi(struct cli_session *ss, void *o)
{
    struct kpi_options *opt = o;
    struct kpi_result res = {0};
    int rc;

    if (opt->config) {
        if ((rc = config_require(ss->cfg.mappings, "return", "mappings", opt->config, &ss->err)))
            return rc;
        opt->mappings = ss->cfg.mappings;
    }
    if (opt->check_template) {
        rc = kpi_check_template(opt->mappings, opt->period, opt->check_template, &ss->err);
        if (rc == YJ_OK)
            log_info("'%s' agrees with the bundle's template, byte for byte", opt->check_template);
        return rc;
    }
    /* whether the figures are provisional is said at the end: beside the validation
     * (--verdict-fd) it is known only then */
    log_info("begin: return=%s out=%s", opt->return_dir, opt->out_dir);
    rc = cli_outcome(ss, kpi_run(opt, &res, &ss->err));
    log_info("end: status %d, %lu children, %lu with an order ending in the period, %lu worklist "
             "lines%s in %.2f s",
             rc, res.children, res.cohort, res.worklist, res.provisional ? " (provisional)" : "",
             log_now() - ss->t0);
    return rc;
}

int
main(int argc, char **argv)
{
    struct kpi_options opt = {0};

    return cli_main(&kpi_cli, argc, argv, &opt, kpi);
}
