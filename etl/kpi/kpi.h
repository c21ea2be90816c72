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

#include <stddef.h>

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

/* The ten KPI headlines: one figure per KPI. */
#define KPI_HEADLINES 10

/* A headline figure as headline.csv (format.yjreturns-kpi-headline 1) holds it. */
struct kpi_headline {
    int kpi;                              /* 1 to 10 */
    char measure[40];                     /* "accommodation" */
    int known;                            /* 0: not known (no board attendance, no population) */
    unsigned long numerator, denominator; /* when known */
    char rate[24];                        /* "12.5"; "" when the denominator is 0 or not known */
    char rate_unit[24];                   /* "percent", "per_10000" */
    int provisional;                      /* the figure may change (invalid return, KPI 8) */
};

/* The reader of the file kpi_write_headline() writes (kpi_write.c, beside the writer): the
 * ten headlines of headline.csv at PATH, each KPI's first measure for all types of order (the
 * figure yj-kpi logs), into OUT in KPI order; *n how many the file holds (KPI_HEADLINES for a
 * file yj-kpi wrote). YJ_EX_NOINPUT when it cannot be opened; YJ_EX_DATAERR naming the file
 * and line for a header or row it does not read. */
int kpi_headline_read(const char *path, struct kpi_headline out[KPI_HEADLINES], size_t *n,
                      struct yj_error *err);

/* A row of recording.csv (format.yjreturns-kpi-recording 1): one worklist problem and how many
 * children of the return have it, for the recording trend. */
struct kpi_recording {
    char problem[48]; /* "no_ete_at_end" */
    int kpi;          /* 1 to 10; 0: the problem touches every KPI */
    char item[64];    /* the return item and field to record; "" when none */
    char field[64];
    unsigned long children;
};

/* The reader of recording.csv (kpi_write.c, beside its writer): every row of the file at PATH
 * in file order, into *OUT (malloc'd, the caller frees it), *N rows. Reads the MANIFEST of its
 * folder first, as kpi_headline_read() does. YJ_EX_NOINPUT when it cannot be opened;
 * YJ_EX_DATAERR naming the file and line for a header or row it does not read. */
int kpi_recording_read(const char *path, struct kpi_recording **out, size_t *n,
                       struct yj_error *err);

#endif
