/*
 * kpi.h - yj-kpi: the ten KPIs of a period, computed from the return itself.
 *
 * The return (RUN/return: its MANIFEST and cld.xml or parts) is read once, streaming, one
 * <child> element at a time (memory does not grow with the number of children), and every
 * byte is checked against the manifest's SHA-256 on the way. For each child the counting
 * rules of the return's schema bundle (kconf.h) pick the child's order in the quarter and
 * count it in the ten templates. KPI 8 (board attendance) and the KPI 9 population come from
 * the run's staged service files, read in the same snapshot as the return.
 *
 * Outputs in the output folder, each written atomically, MANIFEST last (the old one removed
 * first): one CSV per YJB summary template, headline.csv, cases.csv (0600: which record
 * decided each count), worklist.csv (0600: what to record, per child and problem),
 * worklist.txt (a summary without personal data) and recording.csv (per-field counts of the
 * worklist, for trends).
 */
#ifndef YJ_KPI_H
#define YJ_KPI_H

#include "stages.h"
#include "error.h"

/* struct kpi_options: etl/core/stages.h, what yj-kpi's command line parses into */

struct kpi_result {
    unsigned long children; /* children read */
    unsigned long cohort;   /* children with an order ending in the period */
    unsigned long worklist; /* worklist lines */
    int provisional;        /* the return failed validation, or KPI 8 is provisional */
};

/* YJ_OK, or an exit code with err filled: YJ_EX_CONFIG for a bad counting-rules file,
 * YJ_EX_NOINPUT / YJ_EX_IOERR for a missing or altered return, YJ_EX_DATAERR for a return
 * that is not well-formed, not a return (root and namespace) or holds another number of
 * children than its MANIFEST lists, YJ_EX_USAGE for an output folder that is the return
 * folder or inside it (nothing is removed). A board attendance sector the rules do not hold
 * is a worklist line and makes the result provisional, not an error. */
int kpi_run(const struct kpi_options *opt, struct kpi_result *res, struct yj_error *err);

/* Compares a YJB summary template file (CSV: a header line, then one line per row) with the
 * bundle's templates.conf for the period's bundle: the template is named by the file name
 * (kpi2_ete.csv or kpi2_ete_v1.csv). YJ_OK when the columns and every row's description (and
 * description_group) agree byte for byte; else YJ_EX_CONFIG naming the file's line, its value
 * and the bundle's (templates.conf line). */
int kpi_check_template(const char *mappings, const char *period, const char *file,
                       struct yj_error *err);

#endif
