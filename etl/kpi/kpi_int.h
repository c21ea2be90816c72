/*
 * kpi_int.h - private to yj-kpi (kpi*.c): the run's state and the output writers.
 *
 * Who owns what:
 *   kpi.c           the driver: kpi_run, reading the return and the service inputs;
 *   kpi_write.c     the outputs: templates, headline, worklist summary and recording;
 *   kpi_template.c  kpi_check_template.
 */
#ifndef YJ_KPI_INT_H
#define YJ_KPI_INT_H

#include "kpi.h"

#include "atomic.h"
#include "kchild.h"
#include "kconf.h"
#include "kcount.h"
#include "manifest.h"
#include "mem.h"

/* One run of yj-kpi: its options, the rules, the counts. */
struct run {
    const struct kpi_options *opt;
    struct kconf k;
    struct kcount *kc;
    struct arena arena;
    char *yot;
    unsigned long children;
    /* reading the return (kpi.c) */
    struct kchild_reader kr;
    enum cld_kind in;        /* the envelope, child or deletion notice being read */
    const xmlChar *yot_name; /* the envelope's service code element, interned */
};

/* An output file being written. */
struct out {
    struct atomic_file af;
    char *name;
    unsigned long rows;
};

/* ---- kpi_write.c ---- */

/* Opens NAME in DIR (MODE) to be written atomically. */
int kpi_out_open(struct out *o, const char *dir, const char *name, int mode, struct yj_error *err);
/* Commits the file and lists it in the manifest. */
int kpi_out_commit(struct out *o, struct manifest *m, struct yj_error *err);
void kpi_out_release(struct out *o);
/* Template T's CSV. */
int kpi_write_template(struct run *r, int t, const char *reporting_date, int board_known,
                       struct manifest *m, struct yj_error *err);
/* headline.csv. */
int kpi_write_headline(struct run *r, int board_known, long population, struct manifest *m,
                       struct yj_error *err);
/* worklist.txt and recording.csv. */
int kpi_write_worklist_summary(struct run *r, const char *as_of, int board_known, long population,
                               struct manifest *m, struct yj_error *err);

#endif
