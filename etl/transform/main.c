/*
 * yj-transform - turn staged files into the Child Level Data return XML (one cld.xml, or
 * numbered parts when [return] children_per_part splits it) and cld.zip.
 */
#include "log.h"
#include "transform.h"

#include "banned.h"

static int
transform(struct cli_session *ss, void *o)
{
    struct transform_options *opt = o;

    log_info("begin: config=%s in=%s out=%s", opt->config, opt->in_dir, opt->out_dir);
    return cli_end(ss, transform_run(&ss->cfg, opt, &ss->err));
}

int
main(int argc, char **argv)
{
    struct transform_options opt = {0};

    return cli_main(&transform_cli, argc, argv, &opt, transform);
}
