/*
 * yj-submit - upload a validated return (cld.xml, or every part of a split one) over HTTPS
 * with mutual TLS and keep a receipt of each.
 */
#include "cli.h"
#include "config.h"
#include "log.h"
#include "submit.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

static const struct cli_option options[] = {
    {"config", "FILE", "configuration file (required): [submit] url, ca_file, cert_file, key_file"},
    {"run-dir", "DIR", "run directory holding return/ and validate/ (required)"},
    CLI_COMMON_OPTIONS,
};

int
main(int argc, char **argv)
{
    struct cli cli;
    struct yj_config cfg;
    struct submit_options opt = {0};
    struct yj_error err;
    int fmt = LOG_TEXT;
    const char *config_path = NULL, *arg;
    double t0 = log_now();
    int idx, rc = YJ_OK;

    yj_error_init(&err);
    config_init(&cfg);
    log_init("yj-submit", LOG_TEXT);
    cli_init(&cli, argc, argv, options, (int)(sizeof(options) / sizeof(options[0])));
    while ((idx = cli_next(&cli, &arg)) != CLI_END) {
        const char *name = idx >= 0 ? options[idx].name : "";
        if (idx == CLI_ERROR) {
            rc = YJ_EX_USAGE;
            break;
        } else if (strcmp(name, "config") == 0)
            config_path = arg;
        else if (strcmp(name, "run-dir") == 0)
            opt.run_dir = arg;
        else {
            int c = cli_common(
                &cli, idx, arg, "yj-submit", "yj-submit --config FILE --run-dir DIR",
                "Uploads RUN/return/cld.xml with HTTP PUT over HTTPS only, verifying the\n"
                "receiver against [submit] ca_file and presenting the client certificate\n"
                "(mutual TLS). The return must match its MANIFEST and a validation report\n"
                "that says 'result valid' for the same SHA-256. On a 2xx answer the\n"
                "receipt (status, headers, body, payload SHA-256) is written to\n"
                "RUN/submit/receipt; without a receipt the return was not submitted.\n"
                "A return split into parts (cld-part-NNNN.xml) is sent part by part, each\n"
                "checked against validate/report-NNNN.txt first and given its own\n"
                "submit/receipt-NNNN; it is submitted once every part has its receipt.\n"
                "Retry on exit 75; a 4xx answer is exit 80 (rejected).",
                &fmt);
            if (c == CLI_ERROR) {
                rc = YJ_EX_USAGE;
                break;
            }
            if (c == CLI_DONE)
                goto out;
        }
    }
    log_init("yj-submit", (enum log_format)fmt);
    if (rc == YJ_OK && optind < argc) {
        fprintf(stderr, "yj-submit: unexpected argument '%s'\n", argv[optind]);
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && (!config_path || !opt.run_dir)) {
        fprintf(stderr, "yj-submit: --config and --run-dir are required (see --help)\n");
        rc = YJ_EX_USAGE;
    }
    if (rc != YJ_OK)
        goto out;
    if ((rc = config_load(&cfg, config_path, &err)) != YJ_OK) {
        log_yj_error(&err);
        goto out;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    log_info("begin: config=%s run-dir=%s", config_path, opt.run_dir);
    rc = submit_run(&cfg, &opt, &err);
    if (rc != YJ_OK)
        log_yj_error(&err);
    log_info("end: status %d in %.2f s", rc, log_now() - t0);
    curl_global_cleanup();
out:
    cli_release(&cli);
    config_release(&cfg);
    return rc;
}
