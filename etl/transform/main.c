/*
 * yj-transform - turn staged files into the Child Level Data return XML (one cld.xml, or
 * numbered parts when [return] children_per_part splits it) and cld.zip.
 */
#include "config.h"
#include "log.h"
#include "stages.h"
#include "transform.h"

#include "banned.h"

int
main(int argc, char **argv)
{
    struct transform_args a = {0};
    struct yj_config cfg;
    struct transform_options opt = {0};
    struct yj_error err;
    double t0 = log_now();
    int rc;

    if ((rc = cli_parse(&transform_cli, argc, argv, &a)) != YJ_OK) {
        cli_free(&transform_cli, &a);
        return cli_exit_status(rc);
    }
    yj_error_init(&err);
    config_init(&cfg);
    opt.in_dir = a.in;
    opt.out_dir = a.out;
    opt.sign_off = a.sign_off;
    opt.period = a.period;
    opt.in_sha256 = a.in_sha256;
    for (int n = 0; a.previous && a.previous[n]; n++) {
        opt.previous = a.previous[0];
        opt.previous_more = (const char *const *)a.previous + 1;
        opt.nprevious_more = n;
    }
    if ((rc = config_load(&cfg, a.config, &err)) != YJ_OK) {
        log_yj_error(&err);
        goto out;
    }
    log_info("begin: config=%s in=%s out=%s", a.config, opt.in_dir, opt.out_dir);
    rc = transform_run(&cfg, &opt, &err);
    if (rc != YJ_OK)
        log_yj_error(&err);
    log_info("end: status %d in %.2f s", rc, log_now() - t0);
out:
    cli_free(&transform_cli, &a);
    config_release(&cfg);
    return rc;
}
