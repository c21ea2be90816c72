/*
 * yj-submit - upload a validated return (cld.xml, or every part of a split one) over HTTPS
 * with mutual TLS, exactly once, keep a receipt of each, and record every attempt in the
 * submission ledger.
 */
#include "config.h"
#include "log.h"
#include "stages.h"
#include "submit.h"

#include <curl/curl.h>
#include <stdlib.h>

#include "banned.h"

int
main(int argc, char **argv)
{
    struct submit_args a = {0};
    struct yj_config cfg;
    struct submit_options opt = {0};
    struct yj_error err;
    double t0 = log_now();
    int rc;

    if ((rc = cli_parse(&submit_cli, argc, argv, &a)) != YJ_OK)
        return cli_exit_status(rc);
    yj_error_init(&err);
    config_init(&cfg);
    opt.run_dir = a.run_dir;
    opt.ledger = a.ledger;
    opt.resubmit = a.resubmit;
    opt.allow_empty = a.allow_empty;
    if ((rc = config_load(&cfg, a.config, &err)) != YJ_OK) {
        log_yj_error(&err);
        goto out;
    }
    if (getenv("SSLKEYLOGFILE")) {
        /* libcurl would write every TLS session key there, making the upload decryptable */
        unsetenv("SSLKEYLOGFILE");
        log_warn("SSLKEYLOGFILE was set: cleared, so that no TLS key of the upload is written "
                 "out");
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    log_info("begin: config=%s run-dir=%s ledger=%s%s%s", a.config, opt.run_dir,
             opt.ledger ? opt.ledger : "(runs root)", opt.resubmit ? " resubmit" : "",
             opt.allow_empty ? " allow-empty" : "");
    rc = submit_run(&cfg, &opt, &err);
    if (rc != YJ_OK)
        log_yj_error(&err);
    log_info("end: status %d in %.2f s", rc, log_now() - t0);
    curl_global_cleanup();
out:
    config_release(&cfg);
    return rc;
}
