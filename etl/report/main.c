/*
 * yj-report - the board pack of a run: local national indicators, KPI trends from the archive,
 * one self-contained page and its PDF.
 */
#include "board_run.h"
#include "log.h"
#include "stages.h"

#include "banned.h"

static int
report(struct cli_session *ss, void *o)
{
    struct report_options *opt = o;
    struct report_settings s;
    struct report_paths p = {0};
    struct report_result res;
    int rc;

    if ((rc = config_require(ss->cfg.mappings, "return", "mappings", opt->config, &ss->err)) ||
        (rc = config_require(ss->cfg.yot_ou_code, "service", "yot_ou_code", opt->config, &ss->err)))
        return rc;
    if (!opt->runs_root &&
        (rc = config_require(ss->cfg.runs_root, "run", "runs_root", opt->config, &ss->err)))
        return rc;
    report_settings_of(&ss->cfg, opt->no_pdf, &s);
    p.run_dir = opt->run_dir;
    p.runs_root = opt->runs_root ? opt->runs_root : ss->cfg.runs_root;
    p.mappings = ss->cfg.mappings;
    p.yot = ss->cfg.yot_ou_code;
    log_info("begin: run=%s", opt->run_dir);
    rc = cli_outcome(ss, report_run(&s, &p, &res, &ss->err));
    log_info("end: status %d, %s, %zu quarters of KPI trend with figures%s in %.2f s", rc,
             res.period[0] ? res.period : "-", res.trend_quarters, res.pdf ? ", PDF" : "",
             log_now() - ss->t0);
    return rc;
}

int
main(int argc, char **argv)
{
    struct report_options opt = {0};

    return cli_main(&report_cli, argc, argv, &opt, report);
}
