/*
 * yj-run - run the stages for a service and period: nightly checks, quarterly submissions
 * and audit reruns.
 */
#include "audit.h"
#include "check.h"
#include "config.h"
#include "history.h"
#include "log.h"
#include "mem.h"
#include "run.h"
#include "spawner.h"
#include "stages.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

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
    struct run_args a = {0};
    struct yj_config cfg;
    struct run_options opt = {0};
    struct yj_error err;
    struct audit_options audit = {0};
    char *bin_dir = NULL, current[sizeof(opt.period.label)];
    double t0 = log_now();
    int rc;

    if ((rc = cli_parse(&run_cli, argc, argv, &a)) != YJ_OK)
        return cli_exit_status(rc);
    yj_error_init(&err);
    config_init(&cfg);
    if (a.history) { /* --history [RUNS_ROOT] (history.h): reads only */
        rc = history_main(&a, stdout);
        goto out;
    }
    if (a.verify || a.rerun || a.with_current_mappings || a.receiver) {
        /* the auditor commands (audit.h): --verify [RUNS_ROOT], --rerun RUN_DIR */
        audit.verify = a.verify;
        audit.receiver = a.receiver;
        audit.rerun_dir = a.rerun;
        audit.with_current_mappings = a.with_current_mappings;
        audit.config_path = a.config;
        audit.bin_dir = bin_dir = own_dir(argv[0]);
        audit.run_options = a.period || a.from || a.to || a.as_of || a.submit || a.sign_off ||
                            a.resubmit || a.allow_empty || a.force_correction || a.check ||
                            a.format;
        rc = audit_main(&audit, a.operands.n, a.operands.v, stdout);
        /* a rerun stopped by a signal: its stage has ended; end by that signal */
        spawner_end_if_interrupted();
        goto out;
    }
    if (a.operands.n)
        rc = cli_unexpected(&run_cli, a.operands.v[0]);
    else
        rc = cli_require(&run_cli, &a);
    if (rc == YJ_OK && (a.period ? a.from || a.to : !a.from || !a.to)) {
        fprintf(stderr, "yj-run: give --period, or --from and --to (a backfill), not both\n");
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && !a.submit && (a.resubmit || a.allow_empty)) {
        fprintf(stderr, "yj-run: --resubmit and --allow-empty go with --submit\n");
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && a.format) {
        fprintf(stderr, "yj-run: --format goes with --history\n");
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && a.force_correction && !a.resubmit) {
        fprintf(stderr, "yj-run: --force-correction goes with --submit --resubmit\n");
        rc = YJ_EX_USAGE;
    }
    if (rc == YJ_OK && a.submit && !a.sign_off) {
        fprintf(stderr, "yj-run: --submit needs --sign-off DATE: the day the return was signed "
                        "off\n");
        rc = YJ_EX_USAGE;
    }
    if (rc != YJ_OK)
        goto out;
    opt.config_path = a.config;
    opt.as_of = a.as_of;
    opt.submit = a.submit;
    opt.sign_off = a.sign_off;
    opt.resubmit = a.resubmit;
    opt.allow_empty = a.allow_empty;
    opt.force_correction = a.force_correction;
    if (a.period && strcmp(a.period, PERIOD_CURRENT) == 0) {
        period_of_date(date_today(), &opt.period);
        memcpy(current, opt.period.label, sizeof(current));
        a.period = current;
    }
    if (a.check) { /* the preflight alone (check.h); a run's own is run_period()'s first step */
        struct check_options chk = {a.config, {0}, {0}, a.submit, a.sign_off, stdout};
        if ((rc = period_parse(a.period ? a.period : a.from, &chk.first, &err)) != YJ_OK ||
            (rc = period_parse(a.to ? a.to : a.period, &chk.last, &err)) != YJ_OK)
            log_yj_error(&err);
        else
            rc = check_run(&chk, NULL, &err);
        goto out;
    }
    if ((rc = period_parse(a.period ? a.period : a.from, &opt.period, &err)) != YJ_OK ||
        (a.to && (rc = period_parse(a.to, &opt.period, &err)) != YJ_OK) ||
        (rc = config_load(&cfg, opt.config_path, &err)) != YJ_OK) {
        log_yj_error(&err);
        goto out;
    }
    /* before any run folder: a sign-off after the (last) period and not in the future */
    if (opt.sign_off) {
        long day;
        if ((rc = period_sign_off(opt.sign_off, &opt.period, date_today(), &day, &err)) != YJ_OK) {
            log_yj_error(&err);
            goto out;
        }
    }
    bin_dir = own_dir(argv[0]);
    opt.bin_dir = bin_dir;
    if (a.period)
        log_info("begin: config=%s period=%s as-of=%s submit=%s", opt.config_path, a.period,
                 opt.as_of ? opt.as_of : "(snapshot time)", opt.submit ? "yes" : "no");
    else
        log_info("begin: config=%s from=%s to=%s as-of=%s submit=%s", opt.config_path, a.from, a.to,
                 opt.as_of ? opt.as_of : "(snapshot time)", opt.submit ? "yes" : "no");
    rc = a.period ? run_stages(&cfg, &opt, stdout, &err)
                  : run_backfill(&cfg, &opt, a.from, a.to, stdout, &err);
    if (rc != YJ_OK)
        log_yj_error(&err);
    log_info("end: status %d in %.2f s", rc, log_now() - t0);
    /* stopped by a signal: the stage has ended and the lock is free; end by that signal */
    spawner_end_if_interrupted();
out:
    free(bin_dir);
    config_release(&cfg);
    return rc;
}
