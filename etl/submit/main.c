/*
 * yj-submit - upload a validated return (cld.xml, or every part of a split one) over HTTPS
 * with mutual TLS, exactly once, keep a receipt of each, and record every attempt in the
 * submission ledger.
 */
#include "cli.h"
#include "config.h"
#include "log.h"
#include "submit.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static const struct cli_option options[] = {
    {"config", "FILE", "configuration file (required): [submit] url, ca_file, cert_file, key_file"},
    {"run-dir", "DIR", "run directory holding return/ and validate/ (required)"},
    {"ledger", "FILE", "submission ledger (default: RUNS_ROOT/ledger of [run] runs_root)"},
    {"resubmit", NULL, "send other bytes for a period already submitted (a correction)"},
    {"allow-empty", NULL, "send a return that holds no children"},
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
        else if (strcmp(name, "ledger") == 0)
            opt.ledger = arg;
        else if (strcmp(name, "resubmit") == 0)
            opt.resubmit = 1;
        else if (strcmp(name, "allow-empty") == 0)
            opt.allow_empty = 1;
        else {
            int c = cli_common(
                &cli, idx, arg, "yj-submit",
                "yj-submit --config FILE --run-dir DIR [--ledger FILE] [--resubmit] "
                "[--allow-empty]",
                "Uploads RUN/return/cld.xml with HTTP PUT over HTTPS only, under a name that\n"
                "holds its SHA-256, verifying the receiver against [submit] ca_file and\n"
                "presenting the client certificate (mutual TLS). The return must match its\n"
                "MANIFEST and a validation report that says 'result valid' for the same\n"
                "SHA-256, and its documentCount the children it holds; an empty return is\n"
                "sent only with --allow-empty (else exit 82). Once the receiver has it, the\n"
                "receipt (status, headers, body, payload SHA-256) is written to\n"
                "RUN/submit/receipt; without a receipt the return was not submitted.\n"
                "Every attempt and its outcome is appended to the ledger (RUNS_ROOT/ledger):\n"
                "bytes already received are not sent again (exit 0, 'already submitted');\n"
                "before anything is sent for a period, every earlier upload of it whose\n"
                "answer was lost (any bytes) is looked for at the receiver with a HEAD:\n"
                "found, it was received; not found, it was not; no clear answer, nothing is\n"
                "sent (exit 75, naming the ledger entry). Other bytes for a period already\n"
                "submitted need --resubmit (else exit 81). The PUT says If-None-Match: *;\n"
                "a taken name counts only when a HEAD shows these bytes (else exit 80).\n"
                "5xx, 429, timeouts and resets are retried with backoff within [submit]\n"
                "deadline (default 300 s); a 4xx or a redirect is never retried (exit 80).\n"
                "A return split into parts (cld-part-NNNN.xml) is sent part by part, each\n"
                "checked against validate/report-NNNN.txt first and given its own\n"
                "submit/receipt-NNNN; it is submitted once every part has its receipt.\n"
                "SSLKEYLOGFILE is cleared: no TLS key of an upload is ever written out, and\n"
                "no proxy of the environment is used: only [submit] proxy (default none).\n"
                "The receipt holds printable text only; an answer that held other bytes is\n"
                "kept whole in submit/answer-NNNNNN (mode 0600).\n"
                "It takes the lock of the service and period (RUNS_ROOT/<yot>/<period>.lock,\n"
                "which yj-run holds for a whole run, and passes on to the yj-submit it\n"
                "starts): exit 79 at once while another run holds it. It then waits for\n"
                "another yj-submit to let go of the ledger, up to [submit] deadline (exit 79).",
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
    if (getenv("SSLKEYLOGFILE")) {
        /* libcurl would write every TLS session key there, making the upload decryptable */
        unsetenv("SSLKEYLOGFILE");
        log_warn("SSLKEYLOGFILE was set: cleared, so that no TLS key of the upload is written "
                 "out");
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    log_info("begin: config=%s run-dir=%s ledger=%s%s%s", config_path, opt.run_dir,
             opt.ledger ? opt.ledger : "(runs root)", opt.resubmit ? " resubmit" : "",
             opt.allow_empty ? " allow-empty" : "");
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
