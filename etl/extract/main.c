/*
 * yj-extract - read one return period from the case warehouse into staged files.
 */
#include "config.h"
#include "extract.h"
#include "log.h"
#include "stages.h"

#include "banned.h"

int
main(int argc, char **argv)
{
    struct extract_args a = {0};
    struct yj_config cfg;
    struct extract_options opt = {0};
    struct yj_error err;
    double t0 = log_now();
    int rc;

    if ((rc = cli_parse(&extract_cli, argc, argv, &a)) != YJ_OK)
        return cli_exit_status(rc);
    yj_error_init(&err);
    config_init(&cfg);
    opt.as_of = a.as_of;
    opt.out_dir = a.out;
    if ((rc = period_parse(a.period, &opt.period, &err)) != YJ_OK ||
        (rc = config_load(&cfg, a.config, &err)) != YJ_OK) {
        log_yj_error(&err);
        goto out;
    }
    log_info("begin: config=%s period=%s as-of=%s out=%s", a.config, a.period,
             opt.as_of ? opt.as_of : "(snapshot time)", opt.out_dir);
    rc = extract_run(&cfg, &opt, &err);
    if (rc != YJ_OK)
        log_yj_error(&err);
    log_info("end: status %d in %.2f s", rc, log_now() - t0);
out:
    config_release(&cfg);
    return rc;
}
