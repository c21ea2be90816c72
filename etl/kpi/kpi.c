/*
 * kpi.c - yj-kpi: reads the return child by child, counts, writes the outputs (see kpi.h).
 */
#include "kpi.h"

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

#define PROGRESS_EVERY 100000UL

/* ---- reading the return ---- */

struct run {
    const struct kpi_options *opt;
    struct kconf k;
    struct kcount *kc;
    struct arena arena;
    char *yot;
    unsigned long children;
};

static void
read_envelope(struct run *r, xmlNode *env)
{
    for (xmlNode *n = env->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "yotOuCode") == 0 &&
            n->children && n->children->content && !r->yot)
            r->yot = xstrdup((const char *)n->children->content);
}

/* Counts one child of the return. */
static void
count_child(struct run *r, xmlNode *node)
{
    struct kchild c;

    kchild_read(&c, node, &r->arena);
    kcount_child(r->kc, &c);
    arena_reset(&r->arena);
    if (++r->children % PROGRESS_EVERY == 0)
        log_info("progress: %lu children", r->children);
}

/* Streams the return's documents through the one return reader: the MANIFEST's order, every
 * document's bytes and children checked against it, the root a return of SCHEMA. */
static int
read_return(struct run *r, const char *return_dir, const char *manifest_sha, const char *schema,
            struct yj_error *err)
{
    struct cld_reader cr;
    int rc;

    cld_reader_init(&cr);
    rc = cld_reader_open(&cr, return_dir, schema, err);
    if (rc == YJ_OK && strcmp(cr.manifest_sha256, manifest_sha) != 0)
        rc = yj_error_set(err, YJ_EX_IOERR, "'%s/MANIFEST' changed while yj-kpi read it",
                          return_dir);
    while (rc == YJ_OK && (rc = cld_reader_next(&cr, err)) == YJ_OK && cr.kind != CLD_END) {
        if (cr.kind == CLD_CHILD)
            count_child(r, cr.node);
        else if (cr.kind == CLD_ENVELOPE)
            read_envelope(r, cr.node);
    }
    cld_reader_release(&cr);
    return rc;
}

/* ---- the service inputs: board attendance (KPI 8), population (KPI 9) ---- */

/* Reads RUN/staged/service/NAME.tsv (checked against the staged MANIFEST, row by row, and its
 * header against the bundle's kpi/inputs.conf); calls fn with the values of the columns WANT
 * (NULL for SQL NULL). A staged folder or bundle without the input reads nothing. */
static int
read_service(const char *staged, const struct inputs *in, const char *name, int nwant,
             const char *const *want,
             int (*fn)(void *arg, const char *const *vals, const char *file, unsigned long line,
                       struct yj_error *err),
             void *arg, struct yj_error *err)
{
    char *mpath = path_join(staged, RUNDIR_MANIFEST), *rel = inputs_staged_name(name);
    const struct service_input *si = inputs_find(in, name);
    struct manifest m;
    struct staged_reader sr;
    int idx[8], rc;

    manifest_init(&m);
    staged_reader_init(&sr);
    if ((rc = manifest_read(&m, mpath, NULL, err)) != YJ_OK)
        goto out;
    if (!si || !manifest_find_file(&m, rel))
        goto out; /* a bundle or a staged folder without service inputs */
    if ((rc = staged_reader_open_service(&sr, staged, rel, &m, err)) != YJ_OK ||
        (rc = inputs_check_columns(in, si, sr.name, (const char *const *)sr.colnames, sr.ncols,
                                   YJ_EX_IOERR, err)) != YJ_OK)
        goto out;
    for (int i = 0; i < nwant; i++)
        if ((rc = staged_reader_column(&sr, want[i], &idx[i], err)) != YJ_OK)
            goto out;
    while (sr.have_row) {
        const char *vals[8];
        for (int i = 0; i < nwant; i++)
            vals[i] = sr.fields[idx[i]];
        if ((rc = fn(arg, vals, sr.path, (unsigned long)sr.lineno, err)) != YJ_OK ||
            (rc = staged_reader_next(&sr, err)) != YJ_OK)
            goto out;
    }
out:
    staged_reader_release(&sr);
    manifest_release(&m);
    free(mpath);
    free(rel);
    return rc;
}

static int
flag(const char *v)
{
    return v && strcmp(v, "t") == 0;
}

static int
board_row(void *arg, const char *const *cells, const char *file, unsigned long line,
          struct yj_error *err)
{
    struct run *r = arg;
    int s = cells[1] ? kconf_sector(&r->k, cells[1]) : -1;

    if (!cells[0] || strcmp(cells[0], r->kc->period_label) != 0)
        return YJ_OK;
    (void)err;
    if (s < 0) {
        /* everything else is still computed: the row goes on the worklist (its code is not
         * quoted: the line names it) and KPI 8 is provisional */
        char where[64];
        log_warn("staged file '%s' line %lu: sector_cd is %s %s/%s: the row is on the worklist; "
                 "KPI 8 and the KPI folder are provisional",
                 file, line, cells[1] ? "not in" : "NULL, not a sector of", r->k.dir,
                 "board_sector.csv");
        snprintf(where, sizeof(where), "service/board_attendance.tsv line %lu", line);
        kcount_board_unknown(r->kc, where);
        return YJ_OK;
    }
    kcount_board(r->kc, s, flag(cells[2]), flag(cells[3]), flag(cells[4]));
    return YJ_OK;
}

struct population_ctx {
    int year;
    long headcount;
};

static int
population_row(void *arg, const char *const *cells, const char *file, unsigned long line,
               struct yj_error *err)
{
    struct population_ctx *p = arg;
    static const char *const names[] = {"year", "headcount"};
    long v[2];

    for (int i = 0; i < 2; i++) {
        char *end;
        if (!cells[i])
            return YJ_OK; /* a NULL: no figure */
        errno = 0;
        v[i] = strtol(cells[i], &end, 10);
        if (errno || end == cells[i] || *end || v[i] < 0)
            return yj_error_set(err, YJ_EX_DATAERR,
                                "staged file '%s' line %lu: %s is not a whole number from 0", file,
                                line, names[i]);
    }
    if (v[0] == p->year)
        p->headcount = v[1];
    return YJ_OK;
}

/* ---- writing ---- */

struct out {
    struct atomic_file af;
    char *name;
    unsigned long rows;
};

static int
out_open(struct out *o, const char *dir, const char *name, int mode, struct yj_error *err)
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
static int
out_commit(struct out *o, struct manifest *m, struct yj_error *err)
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

static void
out_release(struct out *o)
{
    atomic_file_release(&o->af);
    free(o->name);
    o->name = NULL;
}

static int
write_template(struct run *r, int t, const char *reporting_date, int board_known,
               struct manifest *m, struct yj_error *err)
{
    const struct ktemplate *tp = &r->k.templates[t];
    char file[64];
    struct out o;
    FILE *f;
    int rc;

    snprintf(file, sizeof(file), "%s.csv", tp->name);
    if ((rc = out_open(&o, r->opt->out_dir, file, rundir_mode(RD_KPI_TEMPLATE), err)) != YJ_OK)
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
                if (!kcount_cell_blank(t, row->key, cm) && (t != KT8_MBA || board_known))
                    fprintf(f, "%lu", r->kc->cell[t][row->key][cm]);
            }
        }
        fputc('\n', f);
        o.rows++;
    }
    rc = out_commit(&o, m, err);
out:
    out_release(&o);
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

static int
write_headline(struct run *r, int board_known, long population, struct manifest *m,
               struct yj_error *err)
{
    struct kcount *kc = r->kc;
    struct out o;
    FILE *f;
    int rc;
    char rate[32], unit[32];

    if ((rc = out_open(&o, r->opt->out_dir, rundir_name(RD_KPI_HEADLINE),
                       rundir_mode(RD_KPI_HEADLINE), err)) != YJ_OK)
        goto out;
    f = o.af.fp;
    fputs("period,kpi,measure,type_of_order,numerator_name,numerator,denominator_name,"
          "denominator,rate,rate_unit,yjb_numerator,yjb_denominator,yjb_rate,provisional\n",
          f);
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
    rc = out_commit(&o, m, err);
out:
    out_release(&o);
    return rc;
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

static int
write_worklist_summary(struct run *r, const char *as_of, int board_known, long population,
                       struct manifest *m, struct yj_error *err)
{
    struct kcount *kc = r->kc;
    struct out o, rec;
    FILE *f;
    int rc;

    memset(&rec, 0, sizeof(rec));
    if ((rc = out_open(&o, r->opt->out_dir, rundir_name(RD_KPI_WORKLIST_TXT),
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
    if ((rc = out_commit(&o, m, err)) != YJ_OK)
        goto out;
    if ((rc = out_open(&rec, r->opt->out_dir, rundir_name(RD_KPI_RECORDING),
                       rundir_mode(RD_KPI_RECORDING), err)) != YJ_OK)
        goto out;
    f = rec.af.fp;
    fputs("period,as_of,problem,kpi,item,field,children\n", f);
    for (int p = 0; p < P_N; p++) {
        fprintf(f, "%s,%s,%s,%d,%s,%s,%lu\n", kc->period_label, as_of, kproblems[p].code,
                kproblems[p].kpi, kproblems[p].item, kproblems[p].field, kc->problem_children[p]);
        rec.rows++;
    }
    rc = out_commit(&rec, m, err);
out:
    out_release(&o);
    out_release(&rec);
    return rc;
}

/* ---- the run ---- */

/* PATH made absolute with its links resolved; the components that do not exist yet are
 * appended as given. NULL when nothing of it can be resolved. */
static char *
resolve_path(const char *path)
{
    char *copy = xstrdup(path), *tail = NULL, *real = NULL, *slash;

    for (;;) {
        if ((real = realpath(copy[0] ? copy : ".", NULL)) != NULL)
            break;
        if (errno != ENOENT || !(slash = strrchr(copy, '/'))) {
            if (errno == ENOENT && copy[0]) { /* a relative name with no slash left */
                tail = tail ? path_join(copy, tail) : xstrdup(copy);
                copy[0] = '\0';
                continue;
            }
            free(copy);
            free(tail);
            return NULL;
        }
        {
            char *t = tail ? path_join(slash + 1, tail) : xstrdup(slash + 1);
            free(tail);
            tail = t;
        }
        *slash = '\0';
        if (copy[0] == '\0' && path[0] == '/') {
            copy[0] = '/';
            copy[1] = '\0';
        }
    }
    if (tail) {
        char *j = path_join(real, tail);
        free(real);
        real = j;
    }
    free(copy);
    free(tail);
    return real;
}

/* --out equal to --return, or inside it, would remove and replace the return's own MANIFEST
 * (and could write over its files): refused before anything is touched. */
static int
check_out_dir(const struct kpi_options *opt, struct yj_error *err)
{
    char *ret = resolve_path(opt->return_dir), *out = resolve_path(opt->out_dir);
    int rc = YJ_OK;

    if (ret && out) {
        size_t n = strlen(ret);
        if (strncmp(out, ret, n) == 0 && (out[n] == '\0' || out[n] == '/' || ret[n - 1] == '/'))
            rc = yj_error_set(err, YJ_EX_USAGE,
                              "--out '%s' is the return folder '%s' or inside it: the KPI outputs "
                              "would replace the return's files",
                              opt->out_dir, opt->return_dir);
    }
    free(ret);
    free(out);
    return rc;
}

int
kpi_run(const struct kpi_options *opt, struct kpi_result *res, struct yj_error *err)
{
    struct run r;
    struct manifest in, out;
    struct bundle b;
    struct yj_period period;
    struct out cases, worklist;
    char *in_path = path_join(opt->return_dir, RUNDIR_MANIFEST), *out_manifest = NULL;
    char in_sha[SHA256_HEX_LEN + 1], as_of_text[64], date[16], num[32], v_schema[64];
    const char *v;
    long as_of_day, population = -1;
    int rc;

    memset(res, 0, sizeof(*res));
    memset(&r, 0, sizeof(r));
    memset(&cases, 0, sizeof(cases));
    memset(&worklist, 0, sizeof(worklist));
    r.opt = opt;
    kconf_init(&r.k);
    arena_init(&r.arena);
    manifest_init(&in);
    manifest_init(&out);
    bundle_init(&b);
    r.kc = xcalloc(1, sizeof(*r.kc));

    /* before anything is removed: the outputs never go into the return folder */
    if ((rc = check_out_dir(opt, err)) != YJ_OK)
        goto out;
    /* first of all: whatever fails below, the folder no longer looks complete */
    out_manifest = path_join(opt->out_dir, RUNDIR_MANIFEST);
    if (unlink(out_manifest) != 0 && errno != ENOENT && errno != ENOTDIR) {
        rc = yj_error_errno(err, YJ_EX_CANTCREAT, errno, "could not remove old '%s'", out_manifest);
        goto out;
    }
    if ((rc = manifest_read(&in, in_path, in_sha, err)) != YJ_OK) {
        yj_error_hint(err, "yj-kpi reads a return folder written by yj-transform");
        goto out;
    }
    if (!(v = manifest_get(&in, "period")) || period_parse(v, &period, err) != YJ_OK) {
        rc = yj_error_set(err, YJ_EX_IOERR, "'%s' names no valid period", in_path);
        goto out;
    }
    v = manifest_get(&in, "as_of");
    if (!v || strlen(v) < 10 || (snprintf(date, sizeof(date), "%.10s", v), 0) ||
        date_parse(date, &as_of_day) != 0) {
        rc = yj_error_set(err, YJ_EX_IOERR, "'%s' names no as-of time", in_path);
        goto out;
    }
    snprintf(as_of_text, sizeof(as_of_text), "%s", v);
    if (!(v = manifest_get(&in, "schema_version"))) {
        rc = yj_error_set(err, YJ_EX_IOERR, "'%s' names no schema version", in_path);
        goto out;
    }
    snprintf(v_schema, sizeof(v_schema), "%s", v);
    if ((rc = bundle_for_version(&b, opt->mappings, v, err)) != YJ_OK ||
        (rc = kconf_load(&r.k, b.dir, err)) != YJ_OK)
        goto out;
    kcount_init(r.kc, &r.k, period.start, period.end, as_of_day);
    snprintf(r.kc->period_label, sizeof(r.kc->period_label), "%s", period.label);

    if ((rc = mkdir_p(opt->out_dir, RUNDIR_DIR_MODE, err)) != YJ_OK)
        goto out;
    if ((rc = out_open(&cases, opt->out_dir, rundir_name(RD_KPI_CASES), rundir_mode(RD_KPI_CASES),
                       err)) != YJ_OK ||
        (rc = out_open(&worklist, opt->out_dir, rundir_name(RD_KPI_WORKLIST),
                       rundir_mode(RD_KPI_WORKLIST), err)) != YJ_OK)
        goto out;
    fputs("kpi,measure,type_of_order,ypid,unit_id,item,item_id\n", cases.af.fp);
    fputs("ypid,kpi,problem,item,item_id,field,what_to_record\n", worklist.af.fp);
    r.kc->cases = cases.af.fp;
    r.kc->worklist = worklist.af.fp;

    if (opt->staged) {
        static const char *const board_cols[] = {"quarter", "sector_cd", "attended_flag",
                                                 "senior_flag", "new_partner_flag"};
        static const char *const pop_cols[] = {"year", "headcount"};
        struct population_ctx pc = {period.year - r.k.s.population_years_back, -1};
        struct inputs decl;

        inputs_init(&decl);
        rc = inputs_load(&decl, b.dir, 0, err);
        if (rc == YJ_OK)
            rc = read_service(opt->staged, &decl, "board_attendance", 5, board_cols, board_row, &r,
                              err);
        if (rc == YJ_OK)
            rc = read_service(opt->staged, &decl, "population", 2, pop_cols, population_row, &pc,
                              err);
        inputs_release(&decl);
        if (rc != YJ_OK)
            goto out;
        population = pc.headcount;
    }
    if ((rc = read_return(&r, opt->return_dir, in_sha, v_schema, err)) != YJ_OK)
        goto out;
    if (r.kc->board_rows == 0)
        log_warn("no board attendance recorded for %s: KPI 8 is left blank", period.label);
    if (population <= 0)
        log_warn("no 10-17 population for %d: the KPI 9 rate is left blank",
                 period.year - r.k.s.population_years_back);
    kcount_finish(r.kc, population);
    r.kc->cases = r.kc->worklist = NULL;
    cases.rows = r.kc->case_lines;
    worklist.rows = r.kc->worklist_lines;
    date_format(period.start, date);
    for (int t = 0; t < KTPL_N; t++)
        if ((rc = write_template(&r, t, date, r.kc->board_rows > 0, &out, err)) != YJ_OK)
            goto out;
    if ((rc = write_headline(&r, r.kc->board_rows > 0, population, &out, err)) != YJ_OK ||
        (rc = out_commit(&cases, &out, err)) != YJ_OK ||
        (rc = out_commit(&worklist, &out, err)) != YJ_OK ||
        (rc = write_worklist_summary(&r, as_of_text, r.kc->board_rows > 0, population, &out,
                                     err)) != YJ_OK)
        goto out;

    manifest_set(&out, "stage", "kpi");
    manifest_set(&out, "yjreturns_version", YJ_VERSION);
    manifest_set(&out, "period", period.label);
    manifest_set(&out, "yot_ou_code", r.yot ? r.yot : "-");
    manifest_set(&out, "as_of", as_of_text);
    manifest_set(&out, "bundle", b.name);
    manifest_set(&out, "provisional", opt->provisional || r.kc->board_unknown ? "yes" : "no");
    snprintf(num, sizeof(num), "%lu", r.kc->board_unknown);
    manifest_set(&out, "board_rows_sector_not_in_rules", num);
    manifest_set(&out, "return_manifest_sha256", in_sha);
    for (int t = 0; t < KT_N; t++) {
        char key[96];
        snprintf(key, sizeof(key), "rules_%s_sha256", r.k.tables[t].name);
        manifest_set(&out, key, r.k.tables[t].sha256);
    }
    manifest_set(&out, "rules_kpi/kpi.conf_sha256", r.k.settings_sha256);
    manifest_set(&out, "rules_kpi/templates.conf_sha256", r.k.templates_sha256);
    manifest_set(&out, "rules_kpi/board_sector.csv_sha256", r.k.sectors_sha256);
    manifest_set(&out, "board_attendance", r.kc->board_rows > 0 ? "yes" : "no");
    snprintf(num, sizeof(num), "%ld", population);
    manifest_set(&out, "population", population > 0 ? num : "-");
    snprintf(num, sizeof(num), "%lu", r.children);
    manifest_set(&out, "children", num);
    snprintf(num, sizeof(num), "%lu", r.kc->cohort);
    manifest_set(&out, "cohort", num);
    if ((rc = manifest_write(&out, out_manifest, err)) != YJ_OK)
        goto out;
    res->children = r.children;
    res->cohort = r.kc->cohort;
    res->worklist = r.kc->worklist_lines;
    res->provisional = opt->provisional || r.kc->board_unknown;
out:
    out_release(&cases);
    out_release(&worklist);
    free(in_path);
    free(out_manifest);
    free(r.yot);
    kcount_release(r.kc);
    free(r.kc);
    arena_release(&r.arena);
    kconf_release(&r.k);
    manifest_release(&in);
    manifest_release(&out);
    bundle_release(&b);
    return rc;
}

/* ---- checking a YJB template file against the bundle ---- */

/* Splits one CSV line (RFC 4180 quotes) in place into at most max cells; returns the count,
 * or -1 for an unterminated quote. */
static int
csv_split(char *line, char **cells, int max)
{
    int n = 0;
    char *p = line, *w;

    for (;;) {
        char *start = p;
        w = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0')
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else
                    *w++ = *p++;
            }
        } else {
            while (*p && *p != ',')
                *w++ = *p++;
        }
        if (n < max)
            cells[n] = start;
        n++;
        if (*p != ',') {
            *w = '\0';
            return n;
        }
        *w = '\0';
        p++;
    }
}

int
kpi_check_template(const char *mappings, const char *period_text, const char *file,
                   struct yj_error *err)
{
    struct yj_period period;
    struct bundle b;
    struct kconf k;
    const struct ktemplate *tp = NULL;
    const char *base = strrchr(file, '/');
    char name[128], line[8192], *cells[128], *tpl_path = NULL;
    size_t len;
    int got;
    FILE *f = NULL;
    int rc, lineno = 0, row = 0, desc = -1, group = -1;

    bundle_init(&b);
    kconf_init(&k);
    base = base ? base + 1 : file;
    snprintf(name, sizeof(name), "%s", base);
    len = strlen(name);
    if (len > 4 && strcmp(name + len - 4, ".csv") == 0)
        name[len -= 4] = '\0';
    if (len > 3 && strcmp(name + len - 3, "_v1") == 0)
        name[len - 3] = '\0';
    if ((rc = period_parse(period_text, &period, err)) != YJ_OK ||
        (rc = bundle_for_period(&b, mappings, &period, err)) != YJ_OK ||
        (rc = kconf_load(&k, b.dir, err)) != YJ_OK)
        goto out;
    tpl_path = path_join(k.dir, "templates.conf");
    for (int t = 0; t < KTPL_N; t++)
        if (strcmp(k.templates[t].name, name) == 0)
            tp = &k.templates[t];
    if (!tp) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "'%s': '%s' is not a template of %s", file, name,
                          tpl_path);
        goto out;
    }
    if (!(f = fopen(file, "r"))) {
        rc = yj_error_errno(err, yj_status_for_input_errno(errno), errno, "could not open '%s'",
                            file);
        goto out;
    }
    /* the template is the YJB's CSV, often saved by Excel: a byte order mark is skipped, a NUL
     * byte named */
    while ((got = textline_read(f, line, sizeof(line), lineno + 1, 1)) == TEXTLINE_OK) {
        int n;
        lineno++;
        if (line[0] == '\0')
            continue;
        n = csv_split(line, cells, 128);
        if (n < 0 || n > 128) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: not a CSV line", file, lineno);
            goto out;
        }
        if (lineno == 1) {
            for (int c = 0; c < n || c < tp->ncolumns; c++) {
                if (c >= n || c >= tp->ncolumns || strcmp(cells[c], tp->columns[c]) != 0) {
                    rc = yj_error_set(err, YJ_EX_CONFIG,
                                      "%s line 1: column %d is '%s', the bundle's is '%s' (%s "
                                      "line %d)",
                                      file, c + 1, c < n ? cells[c] : "(none)",
                                      c < tp->ncolumns ? tp->columns[c] : "(none)", tpl_path,
                                      tp->line);
                    goto out;
                }
                if (tp->column_map[c] == KCOL_DESCRIPTION)
                    desc = c;
                if (tp->column_map[c] == KCOL_GROUP)
                    group = c;
            }
            continue;
        }
        if (row >= tp->nrows) {
            rc = yj_error_set(err, YJ_EX_CONFIG,
                              "%s line %d: a row the bundle's %s does not have: '%s'", file, lineno,
                              tp->name, desc < n ? cells[desc] : "");
            goto out;
        }
        if (desc >= n || strcmp(cells[desc], tp->rows[row].label) != 0 ||
            (group >= 0 &&
             (group >= n ||
              strcmp(cells[group], tp->rows[row].group ? tp->rows[row].group : "") != 0))) {
            rc = yj_error_set(err, YJ_EX_CONFIG,
                              "%s line %d: description '%s' differs from the bundle's '%s' (%s "
                              "line %d)",
                              file, lineno, desc < n ? cells[desc] : "", tp->rows[row].label,
                              tpl_path, tp->rows[row].line);
            goto out;
        }
        row++;
    }
    if (got == TEXTLINE_ERROR) {
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", file);
        goto out;
    }
    if (got != TEXTLINE_EOF) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s", file, lineno + 1,
                          textline_problem(got));
        if (textline_hint(got))
            yj_error_hint(err, "%s", textline_hint(got));
        goto out;
    }
    if (lineno == 0 || row < tp->nrows) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "%s: ends before the bundle's row '%s' (%s line %d)",
                          file, tp->rows[row < tp->nrows ? row : 0].label, tpl_path,
                          tp->rows[row < tp->nrows ? row : 0].line);
        goto out;
    }
    rc = YJ_OK;
out:
    if (f)
        fclose(f);
    free(tpl_path);
    kconf_release(&k);
    bundle_release(&b);
    return rc;
}
