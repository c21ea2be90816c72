/*
 * board_run.h - yj-report: the board pack of one run (RUN/report/), from the run's return and
 * staged population and from the archive of runs.
 *
 * In order, each file written atomically, the MANIFEST last (the old one removed first, so a
 * folder stopped half way never looks complete): the indicator CSVs and cases.csv
 * (board_indicators.h), the trend CSVs (board_trend.h), pack.html (board_pack.h), pack.pdf
 * when [report] pdf is yes, then MANIFEST, which lists every file with its rows, bytes and
 * SHA-256, the return MANIFEST's SHA-256 and the suppression policy the page was written with.
 */
#ifndef YJ_BOARD_RUN_H
#define YJ_BOARD_RUN_H

#include "board_pack.h"
#include "config.h"
#include "error.h"

/* What the [report] section says (report_settings_of(): the config's values or defaults). */
struct report_settings {
    unsigned quarters;          /* quarters of every trend, ending with the run's period */
    struct board_policy policy; /* suppression of small numbers in the page */
    double custody_target_pct;  /* NAN: none */
    const char *browser;        /* prints the PDF */
    int pdf;                    /* 1: write pack.pdf */
};

/* Where the pack's inputs are. */
struct report_paths {
    const char *run_dir;   /* return/ and staged/ are read, report/ written */
    const char *runs_root; /* the archive the trends come from */
    const char *mappings;  /* the schema-N bundles */
    const char *yot;       /* [service] yot_ou_code: the archive's service folder */
};

struct report_result {
    char period[8];
    size_t trend_quarters; /* quarters of the KPI trend with figures */
    int pdf;               /* pack.pdf written */
};

/* The [report] settings of CFG (config.h holds their defaults), the PDF left out when NO_PDF. */
void report_settings_of(const struct yj_config *cfg, int no_pdf, struct report_settings *s);

/* Writes RUN/report/. YJ_OK, or an exit code with ERR filled (see yj-report --help). */
int report_run(const struct report_settings *s, const struct report_paths *p,
               struct report_result *res, struct yj_error *err);

#endif
