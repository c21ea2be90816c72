/*
 * kpi_write.c - yj-kpi's outputs (kpi_int.h): the output files, each written atomically and
 * listed in the output MANIFEST; one CSV per YJB summary template, headline.csv with the
 * YJB's own figures where its readings differ, and the worklist summary (worklist.txt and
 * recording.csv). kpi.c calls them once every child and service row is counted.
 */
#include "kpi_int.h"

#include "atomic.h"
#include "bundle.h"
#include "cldreader.h"
#include "cli.h"
#include "inputs.h"
#include "kchild.h"
#include "kconf.h"
#include "kcount.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "period.h"
#include "rundir.h"
#include "sha256.h"
#include "staged.h"
#include "textline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

/* ---- writing ---- */

int
kpi_out_open(struct out *o, const char *dir, const char *name, int mode, struct yj_error *err)
{
    char *path = path_join(dir, name);
    int rc;

    atomic_file_init(&o->af);
    o->name = xstrdup(name);
    o->rows = 0;
    rc = atomic_file_open(&o->af, path, mode, err);
    free(path);
    return rc;
}

/* Commits the file and lists it in the manifest. */
int
kpi_out_commit(struct out *o, struct manifest *m, struct yj_error *err)
{
    char hex[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
    int rc;

    if (ferror(o->af.fp))
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not write '%s'", o->af.path);
    if ((rc = atomic_file_commit(&o->af, err)) != YJ_OK)
        return rc;
    if (sha256_file(o->af.path, hex, &bytes) != 0)
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not read back '%s'", o->af.path);
    manifest_add_file(m, o->name, o->rows, bytes, hex);
    return YJ_OK;
}

void
kpi_out_release(struct out *o)
{
    atomic_file_release(&o->af);
    free(o->name);
    o->name = NULL;
}

int
kpi_write_template(struct run *r, int t, const char *reporting_date, int board_known,
                   struct manifest *m, struct yj_error *err)
{
    const struct ktemplate *tp = &r->k.templates[t];
    char file[64];
    struct out o;
    FILE *f;
    int rc;

    snprintf(file, sizeof(file), "%s.csv", tp->name);
    if ((rc = kpi_out_open(&o, r->opt->out_dir, file, rundir_mode(RD_KPI_TEMPLATE), err)) != YJ_OK)
        goto out;
    f = o.af.fp;
    for (int c = 0; c < tp->ncolumns; c++) {
        if (c)
            fputc(',', f);
        kcount_csv(f, tp->columns[c]);
    }
    fputc('\n', f);
    for (int i = 0; i < tp->nrows; i++) {
        const struct ktemplate_row *row = &tp->rows[i];
        for (int c = 0; c < tp->ncolumns; c++) {
            int cm = tp->column_map[c];
            if (c)
                fputc(',', f);
            switch (cm) {
            case KCOL_BLANK:
            case KCOL_RETURN_STATUS:
                break;
            case KCOL_REPORTING_DATE:
                fputs(reporting_date, f);
                break;
            case KCOL_YOT:
                kcount_csv(f, r->yot);
                break;
            case KCOL_DESCRIPTION:
                kcount_csv(f, row->label);
                break;
            case KCOL_GROUP:
                kcount_csv(f, row->group);
                break;
            default:
                if (!kconf_cell_blank(&r->k, t, i, cm) && (t != KT8_MBA || board_known))
                    fprintf(f, "%lu", r->kc->cell[t][i][cm]);
            }
        }
        fputc('\n', f);
        o.rows++;
    }
    rc = kpi_out_commit(&o, m, err);
out:
    kpi_out_release(&o);
    return rc;
}

static const struct {
    enum khead h;
    int kpi;
    const char *measure, *numerator, *denominator;
    int by_order;
    const char *unit; /* "percent" or "per_10000" (the rate's base from kpi.conf) */
} headlines[] = {
    {H1, 1, "accommodation", "kpi1_total_suitable_end", "kpi1_total_ypid", 1, "percent"},
    {H2, 2, "ete", "kpi2_total_suitable_end", "kpi2_total_ypid", 1, "percent"},
    {H2PS, 2, "ete_part_time_start", "kpi2_part_time_start", "kpi2_total_ypid", 1, "percent"},
    {H2PE, 2, "ete_part_time_end", "kpi2_part_time_end", "kpi2_total_ypid", 1, "percent"},
    {H3, 3, "send_aln", "kpi3_sendaln_plan", "kpi3_identified_sendaln", 1, "percent"},
    {H3S, 3, "send_aln_suitable_ete", "kpi3_identified_suitable_ete", "kpi3_identified_sendaln", 1,
     "percent"},
    {H4, 4, "mental_health", "kpi4_mh_ew_offered", "kpi4_mh_ew_need", 1, "percent"},
    {H4A, 4, "mental_health_need", "kpi4_mh_ew_need", "kpi4_total_ypid", 1, "percent"},
    {H5, 5, "substance_misuse", "kpi5_sm_offered", "kpi5_sm_need", 1, "percent"},
    {H5A, 5, "substance_misuse_need", "kpi5_sm_need", "kpi5_total_ypid", 1, "percent"},
    {H6, 6, "out_of_court", "kpi6_ypid_successful_oocd", "kpi6_ypid_total_oocd", 0, "percent"},
    {H6A, 6, "out_of_court_programmes", "kpi6_successful_oocd", "kpi6_total_oocd", 0, "percent"},
    {H7, 7, "wider_services", "kpi7_supported_by_wider_services", "kpi7_total_ypid", 1, "percent"},
    {H8, 8, "board_attendance", "kpi8_total_senior_attended", "board_sectors", 0, "percent"},
    {H9, 9, "serious_violence", "kpi9_sv_offences", "kpi9_10_17_population", 0, "per_pop"},
    {H9A, 9, "serious_violence_share", "kpi9_sv_offences", "kpi9_offences", 1, "percent"},
    {H9B, 9, "serious_violence_children", "kpi9_ypid_sv", "kpi9_ypid_offences", 0, "percent"},
    {H10, 10, "victims", "kpi10_victim_engaged_rj", "kpi10_victim_consent_contact", 0, "percent"},
};

/* headline.csv's first line; kpi_headline_read() reads the columns in this order. */
static const char headline_header[] =
    "period,kpi,measure,type_of_order,numerator_name,numerator,denominator_name,"
    "denominator,rate,rate_unit,yjb_numerator,yjb_denominator,yjb_rate,provisional\n";
enum { HC_KPI = 1, HC_MEASURE, HC_ORDER, HC_NUM = 5, HC_DEN = 7, HC_RATE, HC_UNIT, HC_PROV = 13 };
#define HEADLINE_COLUMNS 14

/* NUM / DEN * SCALE to one decimal place, rounded half up; "" when DEN is 0. */
static void
format_rate(char *buf, size_t size, unsigned long num, unsigned long den, unsigned long scale)
{
    unsigned long long tenths;

    if (den == 0) {
        buf[0] = '\0';
        return;
    }
    tenths = ((unsigned long long)num * scale * 20ULL + den) / (2ULL * den);
    snprintf(buf, size, "%llu.%llu", tenths / 10, tenths % 10);
}

int
kpi_write_headline(struct run *r, int board_known, long population, struct manifest *m,
                   struct yj_error *err)
{
    struct kcount *kc = r->kc;
    struct out o;
    FILE *f;
    int rc;
    char rate[32], unit[32];

    if ((rc = kpi_out_open(&o, r->opt->out_dir, rundir_name(RD_KPI_HEADLINE),
                           rundir_mode(RD_KPI_HEADLINE), err)) != YJ_OK)
        goto out;
    f = o.af.fp;
    fputs(headline_header, f);
    for (size_t i = 0; i < sizeof(headlines) / sizeof(headlines[0]); i++) {
        enum khead h = headlines[i].h;
        int known = (h != H8 || board_known) && (h != H9 || population > 0);
        const char *prov = r->opt->provisional || (h == H8 && kc->board_unknown) ? "yes" : "no";
        unsigned long scale = 100;

        if (strcmp(headlines[i].unit, "per_pop") == 0) {
            scale = (unsigned long)r->k.s.sv_rate_per;
            snprintf(unit, sizeof(unit), "per_%lu", scale);
        } else
            snprintf(unit, sizeof(unit), "percent");
        /* "all", then each type of order in template order */
        for (int k = -1; k < (headlines[i].by_order ? ORD_N : 0); k++) {
            int ord = k < 0 ? ORD_N : k;
            unsigned long num = kc->num[h][ord], den = kc->den[h][ord];
            char yrate[32];

            format_rate(rate, sizeof(rate), num, den, scale);
            format_rate(yrate, sizeof(yrate), kc->ynum[h][ord], kc->yden[h][ord], scale);
            fprintf(f, "%s,%d,%s,%s,%s,", kc->period_label, headlines[i].kpi, headlines[i].measure,
                    k < 0 ? "all" : korder_names[k], headlines[i].numerator);
            if (known)
                fprintf(f, "%lu,%s,%lu,%s,%s,%lu,%lu,%s,%s\n", num, headlines[i].denominator, den,
                        rate, unit, kc->ynum[h][ord], kc->yden[h][ord], yrate, prov);
            else
                fprintf(f, ",%s,,,%s,,,,%s\n", headlines[i].denominator, unit, prov);
            o.rows++;
            /* the log shows each KPI's headline: its first measure, for all orders */
            if (k >= 0 || (i > 0 && headlines[i - 1].kpi == headlines[i].kpi))
                continue;
            if (known)
                log_info("KPI %d %s: %lu of %lu%s%s%s", headlines[i].kpi, headlines[i].measure, num,
                         den, *rate ? " = " : "", rate,
                         !*rate         ? ""
                         : scale == 100 ? "%"
                                        : " per population base");
            else
                log_info("KPI %d %s: not known (no %s)", headlines[i].kpi, headlines[i].measure,
                         h == H8 ? "board attendance for the quarter" : "population for the year");
        }
    }
    rc = kpi_out_commit(&o, m, err);
out:
    kpi_out_release(&o);
    return rc;
}

/* A number cell of headline.csv: digits only, or "" (*known 0). */
static int
headline_number(const char *cell, unsigned long *v, int *known)
{
    size_t d = strspn(cell, "0123456789");

    *known = *cell != '\0';
    *v = 0;
    if (!*known)
        return 1;
    if (d == 0 || d > 15 || cell[d] != '\0')
        return 0;
    *v = strtoul(cell, NULL, 10);
    return 1;
}

/* Row LINE of headline.csv (its newline cut) into H; 0 when a cell is not what the writer
 * writes. */
static int
headline_row(char *line, struct kpi_headline *h)
{
    char *cell[HEADLINE_COLUMNS], *p = line;
    int n = 0, num_known, den_known;
    unsigned long kpi;

    while (n < HEADLINE_COLUMNS) {
        cell[n++] = p;
        if (!(p = strchr(p, ',')))
            break;
        *p++ = '\0';
    }
    if (n != HEADLINE_COLUMNS || p || !headline_number(cell[HC_KPI], &kpi, &num_known) ||
        !num_known || kpi < 1 || kpi > KPI_HEADLINES ||
        strlen(cell[HC_MEASURE]) >= sizeof(h->measure) ||
        strlen(cell[HC_RATE]) >= sizeof(h->rate) || strlen(cell[HC_UNIT]) >= sizeof(h->rate_unit) ||
        !headline_number(cell[HC_NUM], &h->numerator, &num_known) ||
        !headline_number(cell[HC_DEN], &h->denominator, &den_known) || num_known != den_known ||
        (strcmp(cell[HC_PROV], "yes") != 0 && strcmp(cell[HC_PROV], "no") != 0))
        return 0;
    h->kpi = (int)kpi;
    h->known = num_known;
    snprintf(h->measure, sizeof(h->measure), "%s", cell[HC_MEASURE]);
    snprintf(h->rate, sizeof(h->rate), "%s", cell[HC_RATE]);
    snprintf(h->rate_unit, sizeof(h->rate_unit), "%s", cell[HC_UNIT]);
    h->provisional = strcmp(cell[HC_PROV], "yes") == 0;
    /* a headline is the first "all" row of its KPI */
    return strcmp(cell[HC_ORDER], "all") == 0 ? 1 : 2;
}

/* The MANIFEST of PATH's folder, which yj-kpi writes last, must be there and must not say
 * the file (headline.csv, recording.csv) is of a newer format (format.yjreturns-kpi-headline,
 * format.yjreturns-kpi-recording). */
static int
kpi_manifest_check(const char *path, struct yj_error *err)
{
    const char *slash = strrchr(path, '/');
    char *dir = xstrdup(slash ? path : "."), *mpath;
    struct manifest m;
    int rc;

    if (slash)
        dir[slash - path] = '\0';
    mpath = path_join(dir, RUNDIR_MANIFEST);
    manifest_init(&m);
    if ((rc = manifest_read(&m, mpath, NULL, err)) == YJ_OK)
        rc = manifest_check_formats(&m, mpath, err);
    manifest_release(&m);
    free(mpath);
    free(dir);
    return rc;
}

/* Reads PATH, a CSV yj-kpi wrote, for a reader: its folder's MANIFEST checked first
 * (kpi_manifest_check), then line 1 must be HEADER, and every line after it whole; ROW gets
 * each (without its newline) and returns 0 for a row it does not read. WHAT names the file's
 * kind in the errors ("headline", "recording"): one line naming PATH and the line. */
static int
kpi_csv_each(const char *path, const char *header, const char *what,
             int (*row)(char *line, void *arg), void *arg, struct yj_error *err)
{
    char line[1024];
    unsigned long lineno = 0;
    FILE *f = fopen(path, "r");
    int rc;

    if (!f)
        return yj_error_errno(err, YJ_EX_NOINPUT, errno, "could not open '%s'", path);
    if ((rc = kpi_manifest_check(path, err)) != YJ_OK) {
        fclose(f);
        return rc;
    }
    while (rc == YJ_OK && fgets(line, sizeof(line), f)) {
        size_t len = strlen(line);

        lineno++;
        if (lineno == 1 && (len == 0 || strcmp(line, header) != 0))
            rc = yj_error_set(err, YJ_EX_DATAERR, "'%s' line 1: not the header of a %s file", path,
                              what);
        else if (len == 0 || line[len - 1] != '\n')
            rc = yj_error_set(err, YJ_EX_DATAERR, "'%s' line %lu: not a whole line", path, lineno);
        else if (lineno > 1 && (line[len - 1] = '\0', !row(line, arg)))
            rc =
                yj_error_set(err, YJ_EX_DATAERR, "'%s' line %lu: not a %s row", path, lineno, what);
    }
    if (rc == YJ_OK && ferror(f))
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", path);
    if (rc == YJ_OK && lineno == 0)
        rc = yj_error_set(err, YJ_EX_DATAERR, "'%s' line 1: not the header of a %s file", path,
                          what);
    fclose(f);
    return rc;
}

struct headline_acc {
    struct kpi_headline *out;
    size_t *n;
};

static int
headline_take(char *line, void *arg)
{
    struct headline_acc *a = arg;
    struct kpi_headline h;
    int r;

    memset(&h, 0, sizeof(h));
    if ((r = headline_row(line, &h)) == 0)
        return 0;
    if (r == 1 && a->out[h.kpi - 1].kpi == 0) {
        a->out[h.kpi - 1] = h;
        ++*a->n;
    }
    return 1;
}

int
kpi_headline_read(const char *path, struct kpi_headline out[KPI_HEADLINES], size_t *n,
                  struct yj_error *err)
{
    struct headline_acc a = {out, n};

    *n = 0;
    memset(out, 0, KPI_HEADLINES * sizeof(*out));
    return kpi_csv_each(path, headline_header, "headline", headline_take, &a, err);
}

/* The headline cells where the YJB's case-level SQL, with its readings, gives another figure
 * than the project's: what the service would see published if it does not upload its
 * templates. */
static void
write_yjb_differences(struct run *r, FILE *f, int board_known, long population)
{
    const struct kcount *kc = r->kc;
    unsigned long cells = 0, differ = 0;

    fprintf(f, "\nheadline figures as the YJB's case-level SQL computes them (headline.csv yjb_*; "
               "docs/kpi.md lists its readings):\n");
    fprintf(f, "%3s %-28s %-5s %-11s %8s %8s %10s\n", "kpi", "measure", "order", "cell", "project",
            "yjb", "difference");
    for (size_t i = 0; i < sizeof(headlines) / sizeof(headlines[0]); i++) {
        enum khead h = headlines[i].h;
        if ((h == H8 && !board_known) || (h == H9 && population <= 0))
            continue;
        for (int k = -1; k < (headlines[i].by_order ? ORD_N : 0); k++) {
            int ord = k < 0 ? ORD_N : k;
            for (int c = 0; c < 2; c++) {
                unsigned long p = c ? kc->den[h][ord] : kc->num[h][ord],
                              y = c ? kc->yden[h][ord] : kc->ynum[h][ord];
                cells++;
                if (p == y)
                    continue;
                differ++;
                fprintf(f, "%3d %-28s %-5s %-11s %8lu %8lu %+10ld\n", headlines[i].kpi,
                        headlines[i].measure, k < 0 ? "all" : korder_names[k],
                        c ? "denominator" : "numerator", p, y, (long)y - (long)p);
            }
        }
    }
    fprintf(f, "%lu of %lu headline cells differ\n", differ, cells);
}

/* recording.csv's first line; kpi_recording_read() reads the columns in this order. */
static const char recording_header[] = "period,as_of,problem,kpi,item,field,children\n";
enum { RC_PROBLEM = 2, RC_KPI, RC_ITEM, RC_FIELD, RC_CHILDREN, RECORDING_COLUMNS };

int
kpi_write_worklist_summary(struct run *r, const char *as_of, int board_known, long population,
                           struct manifest *m, struct yj_error *err)
{
    struct kcount *kc = r->kc;
    struct out o, rec;
    FILE *f;
    int rc;

    memset(&rec, 0, sizeof(rec));
    if ((rc = kpi_out_open(&o, r->opt->out_dir, rundir_name(RD_KPI_WORKLIST_TXT),
                           rundir_mode(RD_KPI_WORKLIST_TXT), err)) != YJ_OK)
        goto out;
    f = o.af.fp;
    fprintf(f, "KPI data-quality worklist: %s %s, as recorded at %s%s%s\n", r->yot ? r->yot : "",
            kc->period_label, as_of,
            r->opt->provisional ? " (PROVISIONAL: the return failed validation)" : "",
            kc->board_unknown ? " (KPI 8 PROVISIONAL: a board attendance sector not in the KPI "
                                "rules)"
                              : "");
    fprintf(f, "children in the return: %lu; with an order ending in the period: %lu\n",
            r->children, kc->cohort);
    fprintf(f, "worklist lines: %lu (worklist.csv names each child, record and field)\n\n",
            kc->worklist_lines);
    fprintf(f, "%-32s %4s %8s  %s\n", "problem", "kpi", "children", "what to record");
    for (int p = 0; p < P_N; p++) {
        char kpi[8];
        snprintf(kpi, sizeof(kpi), "%d", kproblems[p].kpi);
        fprintf(f, "%-32s %4s %8lu  %s\n", kproblems[p].code, kproblems[p].kpi ? kpi : "all",
                kc->problem_children[p], kproblems[p].advice);
        o.rows++;
    }
    write_yjb_differences(r, f, board_known, population);
    if ((rc = kpi_out_commit(&o, m, err)) != YJ_OK)
        goto out;
    if ((rc = kpi_out_open(&rec, r->opt->out_dir, rundir_name(RD_KPI_RECORDING),
                           rundir_mode(RD_KPI_RECORDING), err)) != YJ_OK)
        goto out;
    f = rec.af.fp;
    fputs(recording_header, f);
    for (int p = 0; p < P_N; p++) {
        fprintf(f, "%s,%s,%s,%d,%s,%s,%lu\n", kc->period_label, as_of, kproblems[p].code,
                kproblems[p].kpi, kproblem_item(kc->k, p), kproblem_field(kc->k, p),
                kc->problem_children[p]);
        rec.rows++;
    }
    rc = kpi_out_commit(&rec, m, err);
out:
    kpi_out_release(&o);
    kpi_out_release(&rec);
    return rc;
}

/* Row LINE of recording.csv (its newline cut) into R; 0 when a cell is not what the writer
 * writes. */
static int
recording_row(char *line, struct kpi_recording *r)
{
    char *cell[RECORDING_COLUMNS], *p = line;
    int n = 0, known;
    unsigned long kpi;

    while (n < RECORDING_COLUMNS) {
        cell[n++] = p;
        if (!(p = strchr(p, ',')))
            break;
        *p++ = '\0';
    }
    if (n != RECORDING_COLUMNS || p || !*cell[RC_PROBLEM] ||
        strlen(cell[RC_PROBLEM]) >= sizeof(r->problem) ||
        strlen(cell[RC_ITEM]) >= sizeof(r->item) || strlen(cell[RC_FIELD]) >= sizeof(r->field) ||
        !headline_number(cell[RC_KPI], &kpi, &known) || !known || kpi > KPI_HEADLINES ||
        !headline_number(cell[RC_CHILDREN], &r->children, &known) || !known)
        return 0;
    r->kpi = (int)kpi;
    snprintf(r->problem, sizeof(r->problem), "%s", cell[RC_PROBLEM]);
    snprintf(r->item, sizeof(r->item), "%s", cell[RC_ITEM]);
    snprintf(r->field, sizeof(r->field), "%s", cell[RC_FIELD]);
    return 1;
}

struct recording_acc {
    struct kpi_recording **out;
    size_t *n, cap;
};

static int
recording_take(char *line, void *arg)
{
    struct recording_acc *a = arg;

    if (*a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 32;
        *a->out = xrealloc(*a->out, a->cap * sizeof(**a->out));
    }
    memset(&(*a->out)[*a->n], 0, sizeof(**a->out));
    if (!recording_row(line, &(*a->out)[*a->n]))
        return 0;
    ++*a->n;
    return 1;
}

int
kpi_recording_read(const char *path, struct kpi_recording **out, size_t *n, struct yj_error *err)
{
    struct recording_acc a = {out, n, 0};
    int rc;

    *out = NULL;
    *n = 0;
    rc = kpi_csv_each(path, recording_header, "recording", recording_take, &a, err);
    if (rc != YJ_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
