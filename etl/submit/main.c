/*
 * yj-submit - upload a validated return (cld.xml, or every part of a split one) over HTTPS
 * with mutual TLS, exactly once, keep a receipt of each, and record every attempt in the
 * submission ledger.
 */
#include "log.h"
#include "submit.h"

#include <curl/curl.h>
#include <stdlib.h>

#include "banned.h"

static int
submit(struct cli_session *ss, void *o)
{
    struct submit_options *opt = o;
    int rc;

    if (opt->force_correction && !opt->resubmit) {
        fprintf(stderr, "yj-submit: --force-correction goes with --resubmit\n");
        ss->ended = 1; /* said */
        return YJ_EX_USAGE;
    }
    if (getenv("SSLKEYLOGFILE")) {
        /* libcurl would write every TLS session key there, making the upload decryptable */
        unsetenv("SSLKEYLOGFILE");
        log_warn("SSLKEYLOGFILE was set: cleared, so that no TLS key of the upload is written "
                 "out");
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    log_info("begin: config=%s run-dir=%s ledger=%s%s%s%s", opt->config, opt->run_dir,
             opt->ledger ? opt->ledger : "(runs root)", opt->resubmit ? " resubmit" : "",
             opt->force_correction ? " force-correction" : "",
             opt->allow_empty ? " allow-empty" : "");
    rc = cli_end(ss, submit_run(&ss->cfg, opt, &ss->err));
    curl_global_cleanup();
    return rc;
}

int
main(int argc, char **argv)
{
    struct submit_options opt = {0};

    return cli_main(&submit_cli, argc, argv, &opt, submit);
}
