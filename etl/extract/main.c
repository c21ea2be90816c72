/*
 * yj-extract - read one return period from the case warehouse into staged files.
 */
#include "extract.h"
#include "log.h"

#include "banned.h"

static int
extract(struct cli_session *ss, void *o)
{
    struct extract_options *opt = o;
    int rc = period_parse(opt->period_label, &opt->period, &ss->err);

    if (rc != YJ_OK || (rc = config_load(&ss->cfg, opt->config, &ss->err)) != YJ_OK)
        return rc;
    log_info("begin: config=%s period=%s as-of=%s out=%s", opt->config, opt->period_label,
             opt->as_of ? opt->as_of : "(snapshot time)", opt->out_dir);
    return cli_end(ss, extract_run(&ss->cfg, opt, &ss->err));
}

int
main(int argc, char **argv)
{
    struct extract_options opt = {0};

    return cli_main(&extract_cli, argc, argv, &opt, extract);
}
