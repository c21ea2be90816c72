/*
 * kpi.c - yj-kpi: reads the return child by child, counts, writes the outputs (see kpi.h).
 *
 * This file owns the driver: kpi_run, reading the return (child by child into the counting
 * rules) and the service inputs (board attendance for KPI 8, population for KPI 9), and the
 * checks on the output folder. The outputs are written by kpi_write.c, and a YJB template
 * file is checked against the bundle by kpi_template.c; kpi_int.h holds what they share.
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

#define PROGRESS_EVERY 100000UL

/* ---- reading the return ---- */

/* The walk of the return (struct cld_walk's callbacks): each child into the counting rules,
 * and from the envelope the service's code, the first non-empty text of the envelope field
 * items.conf fills with service_code(). */
static void
walk_prepare(void *arg, struct cld_reader *cr)
{
    struct run *r = arg;

    kchild_reader_prepare(&r->kr, cr);
    r->yot_name = r->k.yot_element ? cld_reader_intern(cr, r->k.yot_element) : NULL;
}

static int
walk_begin(void *arg, enum cld_kind kind)
{
    struct run *r = arg;

    r->in = kind;
    if (kind == CLD_CHILD)
        kchild_reader_begin(&r->kr);
    return kind == CLD_CHILD || (kind == CLD_ENVELOPE && r->yot_name && !r->yot) ? CLD_WALK_ELEMENTS
                                                                                 : CLD_WALK_SKIP;
}

static int
walk_open(void *arg, int depth, const xmlChar *name)
{
    struct run *r = arg;

    if (r->in == CLD_ENVELOPE)
        return depth == 2 && name == r->yot_name ? CLD_WALK_TEXT : CLD_WALK_SKIP;
    return kchild_reader_open(&r->kr, depth, name);
}

static void
walk_close(void *arg, int depth, const xmlChar *name, const char *text, size_t len)
{
    struct run *r = arg;

    if (r->in == CLD_ENVELOPE) {
        if (text && len && !r->yot)
            r->yot = xstrdup(text);
        return;
    }
    kchild_reader_close(&r->kr, depth, name, text, len);
}

/* Counts one child of the return. */
static void
walk_end(void *arg, enum cld_kind kind)
{
    struct run *r = arg;

    if (kind != CLD_CHILD)
        return;
    kcount_child(r->kc, kchild_reader_child(&r->kr));
    arena_reset(&r->arena);
    if (++r->children % PROGRESS_EVERY == 0)
        log_info("progress: %lu children", r->children);
}

/* Walks the return's documents through the one return reader: the MANIFEST's order, every
 * document's bytes and children checked against it, the root a return of SCHEMA. */
static int
read_return(struct run *r, const char *return_dir, const char *manifest_sha, const char *schema,
            struct yj_error *err)
{
    const struct cld_walk w = {walk_prepare, walk_begin, walk_open, walk_close, walk_end, r};
    struct cld_reader cr;
    int rc;

    kchild_reader_init(&r->kr, (const char *const *)r->k.fields, &r->arena);
    cld_reader_init(&cr);
    rc = cld_reader_open(&cr, return_dir, schema, err);
    if (rc == YJ_OK && strcmp(cr.manifest_sha256, manifest_sha) != 0)
        rc = yj_error_set(err, YJ_EX_IOERR, "'%s/MANIFEST' changed while yj-kpi read it",
                          return_dir);
    if (rc == YJ_OK)
        rc = cld_reader_walk(&cr, &w, err);
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

/* What yj-kpi takes from the return's MANIFEST. */
struct kpi_input {
    struct yj_period period;
    long as_of_day;
    char as_of[64];
    char schema_version[64];
    char sha256[SHA256_HEX_LEN + 1]; /* of the MANIFEST */
};

/* Reads IN_PATH, the return's MANIFEST, into IN and its period, as-of and schema into KI. */
static int
read_input_manifest(struct manifest *in, const char *in_path, struct kpi_input *ki,
                    struct yj_error *err)
{
    char date[16];
    const char *v;
    int rc;

    if ((rc = manifest_read(in, in_path, ki->sha256, err)) != YJ_OK) {
        yj_error_hint(err, "yj-kpi reads a return folder written by yj-transform");
        return rc;
    }
    if (!(v = manifest_get(in, "period")) || period_parse(v, &ki->period, err) != YJ_OK)
        return yj_error_set(err, YJ_EX_IOERR, "'%s' names no valid period", in_path);
    v = manifest_get(in, "as_of");
    if (!v || strlen(v) < 10 || (snprintf(date, sizeof(date), "%.10s", v), 0) ||
        date_parse(date, &ki->as_of_day) != 0)
        return yj_error_set(err, YJ_EX_IOERR, "'%s' names no as-of time", in_path);
    snprintf(ki->as_of, sizeof(ki->as_of), "%s", v);
    if (!(v = manifest_get(in, "schema_version")))
        return yj_error_set(err, YJ_EX_IOERR, "'%s' names no schema version", in_path);
    snprintf(ki->schema_version, sizeof(ki->schema_version), "%s", v);
    return YJ_OK;
}

/* The service inputs of the staged folder: KPI 8's board attendance into R, KPI 9's
 * population of the year the settings name into *POPULATION (-1 when unknown). */
static int
read_service_inputs(struct run *r, const char *bundle_dir, const struct yj_period *period,
                    long *population, struct yj_error *err)
{
    static const char *const board_cols[] = {"quarter", "sector_cd", "attended_flag", "senior_flag",
                                             "new_partner_flag"};
    static const char *const pop_cols[] = {"year", "headcount"};
    struct population_ctx pc = {period->year - r->k.s.population_years_back, -1};
    struct inputs decl;
    int rc;

    inputs_init(&decl);
    rc = inputs_load(&decl, bundle_dir, 0, err);
    if (rc == YJ_OK)
        rc = read_service(r->opt->staged, &decl, "board_attendance", 5, board_cols, board_row, r,
                          err);
    if (rc == YJ_OK)
        rc = read_service(r->opt->staged, &decl, "population", 2, pop_cols, population_row, &pc,
                          err);
    inputs_release(&decl);
    if (rc == YJ_OK)
        *population = pc.headcount;
    return rc;
}

/* The KPI MANIFEST's facts: the run, the rules' SHA-256s and the counts. */
static void
set_manifest(struct manifest *out, const struct run *r, const struct bundle *b,
             const struct kpi_input *ki, long population)
{
    char num[32];

    manifest_set(out, "stage", "kpi");
    manifest_set(out, "yjreturns_version", YJ_VERSION);
    manifest_set(out, "period", ki->period.label);
    manifest_set(out, "yot_ou_code", r->yot ? r->yot : "-");
    manifest_set(out, "as_of", ki->as_of);
    manifest_set(out, "bundle", b->name);
    manifest_set(out, "provisional", r->opt->provisional || r->kc->board_unknown ? "yes" : "no");
    snprintf(num, sizeof(num), "%lu", r->kc->board_unknown);
    manifest_set(out, "board_rows_sector_not_in_rules", num);
    manifest_set(out, "return_manifest_sha256", ki->sha256);
    for (int t = 0; t < KT_N; t++) {
        char key[96];
        snprintf(key, sizeof(key), "rules_%s_sha256", r->k.tables[t].name);
        manifest_set(out, key, r->k.tables[t].sha256);
    }
    manifest_set(out, "rules_kpi/kpi.conf_sha256", r->k.settings_sha256);
    manifest_set(out, "rules_kpi/templates.conf_sha256", r->k.templates_sha256);
    manifest_set(out, "rules_kpi/board_sector.csv_sha256", r->k.sectors_sha256);
    manifest_set(out, "rules_" SCHOOL_AGE_FILE "_sha256", r->k.school_age_sha256);
    manifest_set(out, "board_attendance", r->kc->board_rows > 0 ? "yes" : "no");
    snprintf(num, sizeof(num), "%ld", population);
    manifest_set(out, "population", population > 0 ? num : "-");
    snprintf(num, sizeof(num), "%lu", r->children);
    manifest_set(out, "children", num);
    snprintf(num, sizeof(num), "%lu", r->kc->cohort);
    manifest_set(out, "cohort", num);
    rundir_format_keys(out, RD_KPI_MANIFEST);
}

/* yj-run's verdict on the return, read from FD once the return has been read: "valid", or
 * "invalid" (*INVALID set: every figure is provisional). Anything else, or the end of the
 * stream, means the run is ending: 75, and the caller writes nothing. */
static int
await_verdict(int fd, int *invalid, struct yj_error *err)
{
    char line[16];
    size_t n = 0;
    ssize_t got;

    while (n < sizeof(line) - 1 && (n == 0 || line[n - 1] != '\n')) {
        got = read(fd, line + n, sizeof(line) - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    line[n] = '\0';
    close(fd);
    if (strcmp(line, "valid\n") == 0 || strcmp(line, "invalid\n") == 0) {
        *invalid = line[0] == 'i';
        return YJ_OK;
    }
    return yj_error_set(err, YJ_EX_TEMPFAIL,
                        "no verdict of the validation on descriptor %d: the run is ending, "
                        "nothing written",
                        fd);
}

int
kpi_run(const struct kpi_options *opt, struct kpi_result *res, struct yj_error *err)
{
    struct run r;
    struct manifest in, out;
    struct bundle b;
    struct kpi_input ki;
    struct out cases, worklist;
    struct kpi_options o = *opt; /* --provisional, or the verdict read after the return */
    char *in_path = path_join(opt->return_dir, RUNDIR_MANIFEST), *out_manifest = NULL;
    char date[16];
    long population = -1;
    int rc, verdict_fd = -1, invalid = 0, no_verdict = 0;

    memset(res, 0, sizeof(*res));
    memset(&r, 0, sizeof(r));
    memset(&cases, 0, sizeof(cases));
    memset(&worklist, 0, sizeof(worklist));
    r.opt = &o;
    kconf_init(&r.k);
    arena_init(&r.arena);
    manifest_init(&in);
    manifest_init(&out);
    bundle_init(&b);
    r.kc = xcalloc(1, sizeof(*r.kc));

    /* before anything is removed: the outputs never go into the return folder */
    if (opt->verdict_fd &&
        cli_descriptor("verdict-fd", opt->verdict_fd, 0, &verdict_fd, err) != YJ_OK) {
        rc = err->code;
        goto out;
    }
    if ((rc = check_out_dir(opt, err)) != YJ_OK)
        goto out;
    /* first of all: whatever fails below, the folder no longer looks complete */
    out_manifest = path_join(opt->out_dir, RUNDIR_MANIFEST);
    if (unlink(out_manifest) != 0 && errno != ENOENT && errno != ENOTDIR) {
        rc = yj_error_errno(err, YJ_EX_CANTCREAT, errno, "could not remove old '%s'", out_manifest);
        goto out;
    }
    if ((rc = read_input_manifest(&in, in_path, &ki, err)) != YJ_OK)
        goto out;
    if ((rc = bundle_for_version(&b, opt->mappings, ki.schema_version, err)) != YJ_OK ||
        (rc = kconf_load(&r.k, b.dir, err)) != YJ_OK)
        goto out;
    kcount_init(r.kc, &r.k, ki.period.start, ki.period.end, ki.as_of_day);
    snprintf(r.kc->period_label, sizeof(r.kc->period_label), "%s", ki.period.label);

    if ((rc = mkdir_p(opt->out_dir, RUNDIR_DIR_MODE, err)) != YJ_OK)
        goto out;
    if ((rc = kpi_out_open(&cases, opt->out_dir, rundir_name(RD_KPI_CASES),
                           rundir_mode(RD_KPI_CASES), err)) != YJ_OK ||
        (rc = kpi_out_open(&worklist, opt->out_dir, rundir_name(RD_KPI_WORKLIST),
                           rundir_mode(RD_KPI_WORKLIST), err)) != YJ_OK)
        goto out;
    fputs("kpi,measure,type_of_order,ypid,unit_id,item,item_id\n", cases.af.fp);
    fputs("ypid,kpi,problem,item,item_id,field,what_to_record\n", worklist.af.fp);
    r.kc->cases = cases.af.fp;
    r.kc->worklist = worklist.af.fp;

    if (opt->staged && (rc = read_service_inputs(&r, b.dir, &ki.period, &population, err)) != YJ_OK)
        goto out;
    if ((rc = read_return(&r, opt->return_dir, ki.sha256, ki.schema_version, err)) != YJ_OK)
        goto out;
    if (r.kc->board_rows == 0)
        log_warn("no board attendance recorded for %s: KPI 8 is left blank", ki.period.label);
    if (population <= 0)
        log_warn("no 10-17 population for %d: the KPI 9 rate is left blank",
                 ki.period.year - r.k.s.population_years_back);
    kcount_finish(r.kc, population);
    /* the figures are counted: what the validation found decides how they are marked */
    if (verdict_fd >= 0) {
        rc = await_verdict(verdict_fd, &invalid, err);
        verdict_fd = -1;
        if ((no_verdict = rc != YJ_OK))
            goto out;
        o.provisional |= invalid;
    }
    r.kc->cases = r.kc->worklist = NULL;
    cases.rows = r.kc->case_lines;
    worklist.rows = r.kc->worklist_lines;
    date_format(ki.period.start, date);
    for (int t = 0; t < KTPL_N; t++)
        if ((rc = kpi_write_template(&r, t, date, r.kc->board_rows > 0, &out, err)) != YJ_OK)
            goto out;
    if ((rc = kpi_write_headline(&r, r.kc->board_rows > 0, population, &out, err)) != YJ_OK ||
        (rc = kpi_out_commit(&cases, &out, err)) != YJ_OK ||
        (rc = kpi_out_commit(&worklist, &out, err)) != YJ_OK ||
        (rc = kpi_write_worklist_summary(&r, ki.as_of, r.kc->board_rows > 0, population, &out,
                                         err)) != YJ_OK)
        goto out;

    set_manifest(&out, &r, &b, &ki, population);
    if ((rc = manifest_write(&out, out_manifest, err)) != YJ_OK)
        goto out;
    res->children = r.children;
    res->cohort = r.kc->cohort;
    res->worklist = r.kc->worklist_lines;
    res->provisional = o.provisional || r.kc->board_unknown;
out:
    if (verdict_fd >= 0)
        close(verdict_fd);
    kpi_out_release(&cases);
    kpi_out_release(&worklist);
    if (no_verdict)
        rmdir(opt->out_dir); /* no verdict: the folder goes if this call left it empty */
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
