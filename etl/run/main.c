/*
 * yj-run - run the stages for a service and period: nightly checks, quarterly submissions
 * and audit reruns.
 */
#include "audit.h"
#include "cli.h"
#include "config.h"
#include "log.h"
#include "mem.h"
#include "run.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

static const struct cli_option options[] = {
    {"config", "FILE", "configuration file (required)"},
    {"period", "YYYYQn", "return period, e.g. 2025Q1 = April-June 2025 (required)"},
    {"as-of", "TIMESTAMP", "read the warehouse as recorded at this moment (audit reruns)"},
    {"submit", NULL, "after validation, upload the return and keep the receipt"},
    {"sign-off", "DATE", "YYYY-MM-DD the return was signed off (required with --submit)"},
    {"resubmit", NULL, "with --submit: send a correction of a period already submitted"},
    {"allow-empty", NULL, "with --submit: send a return that holds no children"},
    {"from", "YYYYQn", "backfill: run every period from this one (instead of --period)"},
    {"to", "YYYYQn", "backfill: ... to this one, oldest first, going on past failures"},
    {"verify", NULL, "check the runs root (operand RUNS_ROOT, or [run] runs_root) and exit"},
    {"receiver", NULL, "with --verify: ask the receiver ([submit]) for every name received"},
    {"rerun", "RUN_DIR", "reproduce a past run into RUN_DIR/rerun-<UTC time> and compare"},
    {"with-current-mappings", NULL, "with --rerun: use changed mapping files, list differences"},
    CLI_COMMON_OPTIONS,
};

/* The folder holding this executable: the stages live beside it. */
static char *
own_dir(const char *argv0)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    char *slash;

    if (n > 0)
        buf[n] = '\0';
    else
        snprintf(buf, sizeof(buf), "%s", argv0);
    slash = strrchr(buf, '/');
    if (!slash)
        return xstrdup(".");
    *slash = '\0';
    return xstrdup(buf);
}

int
main(int argc, char **argv)
{
    struct cli cli;
    struct yj_config cfg;
    struct run_options opt = {0};
    struct yj_error err;
    int fmt = LOG_TEXT;
    const char *period = NULL, *arg;
    const char *from = NULL, *to = NULL; /* a backfill */
    struct audit_options audit = {0};
    char *bin_dir = NULL;
    double t0 = log_now();
    int idx, rc = YJ_OK;

    yj_error_init(&err);
    config_init(&cfg);
    log_init("yj-run", LOG_TEXT);
    cli_init(&cli, argc, argv, options, (int)(sizeof(options) / sizeof(options[0])));
    while ((idx = cli_next(&cli, &arg)) != CLI_END) {
        const char *name = idx >= 0 ? options[idx].name : "";
        if (idx == CLI_ERROR) {
            rc = YJ_EX_USAGE;
            break;
        } else if (strcmp(name, "config") == 0)
            opt.config_path = arg;
        else if (strcmp(name, "period") == 0)
            period = arg;
        else if (strcmp(name, "as-of") == 0)
            opt.as_of = arg;
        else if (strcmp(name, "submit") == 0)
            opt.submit = 1;
        else if (strcmp(name, "sign-off") == 0)
            opt.sign_off = arg;
        else if (strcmp(name, "resubmit") == 0)
            opt.resubmit = 1;
        else if (strcmp(name, "allow-empty") == 0)
            opt.allow_empty = 1;
        else if (strcmp(name, "from") == 0)
            from = arg;
        else if (strcmp(name, "to") == 0)
            to = arg;
        else if (strcmp(name, "verify") == 0)
            audit.verify = 1;
        else if (strcmp(name, "receiver") == 0)
            audit.receiver = 1;
        else if (strcmp(name, "rerun") == 0)
            audit.rerun_dir = arg;
        else if (strcmp(name, "with-current-mappings") == 0)
            audit.with_current_mappings = 1;
        else {
            int c = cli_common(
                &cli, idx, arg, "yj-run",
                "yj-run --config FILE --period YYYYQn [--as-of TIMESTAMP] [--submit --sign-off "
                "DATE [--resubmit] [--allow-empty]]\n"
                "       yj-run --config FILE --from YYYYQn --to YYYYQn [the options above]\n"
                "       yj-run [--config FILE] --verify [RUNS_ROOT]\n"
                "       yj-run --config FILE --verify --receiver [RUNS_ROOT]\n"
                "       yj-run --config FILE --rerun RUN_DIR [--with-current-mappings]",
                "Runs yj-extract, yj-transform and yj-validate (and yj-submit with --submit)\n"
                "as separate processes into a new run directory\n"
                "RUNS_ROOT/<yot_ou_code>/<period>/<UTC time>, and prints that directory as\n"
                "the only line on stdout. Without --submit it stops after validation: the\n"
                "nightly data-quality run. A lock (RUNS_ROOT/<yot_ou_code>/<period>.lock)\n"
                "keeps two runs of the same service and period from overlapping (exit 79).\n"
                "The exit status is that of the first stage that failed.\n"
                "--from and --to run every period between them, oldest first, each as\n"
                "above, going on past a period that fails; stdout gets each run directory,\n"
                "stderr a table of periods, exit statuses, results and run directories. The\n"
                "exit status is 0 when every period succeeded, else that of the first failed.\n"
                "SIGTERM, SIGINT or SIGHUP stops the running stage and waits for it, records\n"
                "'result interrupted' in RUN, frees the lock, and ends yj-run by the same\n"
                "signal (128 + its number in a shell: 143 for SIGTERM, 130 for SIGINT).\n"
                "--verify checks every run directory of RUNS_ROOT (default: [run] runs_root)\n"
                "against its manifests and RUN's seal, every receipt against its payload and\n"
                "the ledger's chain, printing one line per problem and a summary: 0 if all\n"
                "hold, else 74 (66: not a runs root). --receiver also asks the receiver for\n"
                "every name the ledger says it received (69 if it cannot be reached).\n"
                "--rerun reproduces RUN_DIR as recorded at its as-of moment with the SQL and\n"
                "mappings its manifests name by hash (78 if one changed), prints the rerun\n"
                "folder, and compares the return: 0 when identical, else 65 with every\n"
                "difference in RUN_DIR/rerun-<UTC time>/diff.csv (mode 0600).",
                &fmt);
            if (c == CLI_ERROR) {
                rc = YJ_EX_USAGE;
                break;
            }
            if (c == CLI_DONE)
                goto out;
        }
    }
    log_init("yj-run", (enum log_format)fmt);
    if (rc == YJ_OK &&
        (audit.verify || audit.rerun_dir || audit.with_current_mappings || audit.receiver)) {
        /* the auditor commands (audit.h): --verify [RUNS_ROOT], --rerun RUN_DIR */
        audit.config_path = opt.config_path;
        audit.bin_dir = bin_dir = own_dir(argv[0]);
        audit.run_options = period || from || to || opt.as_of || opt.submit || opt.sign_off ||
                            opt.resubmit || opt.allow_empty;
        rc = audit_main(&audit, argc - optind, argv + optind, stdout);
        goto out;
    }
    if (rc == YJ_OK && optind < argc) {
        fprintf(stderr, "yj-run: unexpected argument '%s'\n", argv[optind]);
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && (!opt.config_path || (!period && !from && !to))) {
        fprintf(stderr, "yj-run: --config and --period are required (see --help)\n");
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && (period ? from || to : !from || !to)) {
        fprintf(stderr, "yj-run: give --period, or --from and --to (a backfill), not both\n");
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && !opt.submit && (opt.resubmit || opt.allow_empty)) {
        fprintf(stderr, "yj-run: --resubmit and --allow-empty go with --submit\n");
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && opt.submit && !opt.sign_off) {
        fprintf(stderr, "yj-run: --submit needs --sign-off DATE: the day the return was signed "
                        "off\n");
        rc = YJ_EX_USAGE;
    }
    if (rc != YJ_OK)
        goto out;
    if ((rc = period_parse(period ? period : from, &opt.period, &err)) != YJ_OK ||
        (to && (rc = period_parse(to, &opt.period, &err)) != YJ_OK) ||
        (rc = config_load(&cfg, opt.config_path, &err)) != YJ_OK) {
        log_yj_error(&err);
        goto out;
    }
    bin_dir = own_dir(argv[0]);
    opt.bin_dir = bin_dir;
    if (period)
        log_info("begin: config=%s period=%s as-of=%s submit=%s", opt.config_path, period,
                 opt.as_of ? opt.as_of : "(snapshot time)", opt.submit ? "yes" : "no");
    else
        log_info("begin: config=%s from=%s to=%s as-of=%s submit=%s", opt.config_path, from, to,
                 opt.as_of ? opt.as_of : "(snapshot time)", opt.submit ? "yes" : "no");
    rc = period ? run_stages(&cfg, &opt, stdout, &err)
                : run_backfill(&cfg, &opt, from, to, stdout, &err);
    if (rc != YJ_OK)
        log_yj_error(&err);
    log_info("end: status %d in %.2f s", rc, log_now() - t0);
    /* stopped by a signal: the stage has ended and the lock is free; end by that signal */
    run_end_if_interrupted();
out:
    free(bin_dir);
    cli_release(&cli);
    config_release(&cfg);
    return rc;
}
