/*
 * board_ind.c - board_indicators(): the rules of the period's bundle, the staged population,
 * one streaming pass over the return (child by child, through the one return reader and the
 * KPIs' child reader) into fixed counters and cases.csv, then the tables.
 *
 * Invariant: memory is flat in the number of children (a child's records live in an arena
 * reset after it; counters are per quarter, group and category). cases.csv is written as the
 * children are read, to a temporary file renamed only when every table was computed: a failed
 * run leaves no case list that looks complete. See board_indicators.h.
 */
#include "board_ind_int.h"

#include "atomic.h"
#include "bundle.h"
#include "cldreader.h"
#include "manifest.h"
#include "rundir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

int
bind_bucket(const struct bind_counts *n, long d)
{
    struct yj_period p;
    int b;

    period_of_date(d, &p);
    b = p.year * 4 + p.quarter - 1 - n->first_q;
    return b >= 0 && b < n->nq ? b : -1;
}

void
bind_bucket_label(const struct bind_counts *n, int b, char buf[BOARD_PERIOD_LEN])
{
    board_quarter_label((long)n->first_q + b, buf);
}

/* ---- the walk ---- */

struct walk {
    struct bind_run *r;
    struct kchild_reader kr;
    struct arena arena;
    enum cld_kind in;
    const xmlChar *yot_name;
    char *yot;
};

static void
walk_prepare(void *arg, struct cld_reader *cr)
{
    struct walk *w = arg;

    kchild_reader_prepare(&w->kr, cr);
    w->yot_name = w->r->k.yot_element ? cld_reader_intern(cr, w->r->k.yot_element) : NULL;
}

static int
walk_begin(void *arg, enum cld_kind kind)
{
    struct walk *w = arg;

    w->in = kind;
    if (kind == CLD_CHILD)
        kchild_reader_begin(&w->kr);
    return kind == CLD_CHILD || (kind == CLD_ENVELOPE && w->yot_name && !w->yot) ? CLD_WALK_ELEMENTS
                                                                                 : CLD_WALK_SKIP;
}

static int
walk_open(void *arg, int depth, const xmlChar *name)
{
    struct walk *w = arg;

    if (w->in == CLD_ENVELOPE)
        return depth == 2 && name == w->yot_name ? CLD_WALK_TEXT : CLD_WALK_SKIP;
    return kchild_reader_open(&w->kr, depth, name);
}

static void
walk_close(void *arg, int depth, const xmlChar *name, const char *text, size_t len)
{
    struct walk *w = arg;

    if (w->in == CLD_ENVELOPE) {
        if (text && len && !w->yot)
            w->yot = xstrdup(text);
        return;
    }
    kchild_reader_close(&w->kr, depth, name, text, len);
}

static void
walk_end(void *arg, enum cld_kind kind)
{
    struct walk *w = arg;

    if (kind != CLD_CHILD)
        return;
    bind_child(w->r, kchild_reader_child(&w->kr));
    arena_reset(&w->arena);
}

/* The return's MANIFEST must name the period asked for; its as-of day into *AS_OF_DAY. */
static int
check_return(const struct cld_reader *cr, const struct bind_run *r, struct board_data *d,
             long *as_of_day, struct yj_error *err)
{
    const char *period = manifest_get(&cr->manifest, "period");
    const char *as_of = manifest_get(&cr->manifest, "as_of");
    char day[16];

    if (!period || strcmp(period, r->period.label) != 0)
        return yj_error_set(err, YJ_EX_USAGE, "the return in '%s' is of period %s, not %s",
                            r->src->return_dir, period ? period : "(none)", r->period.label);
    if (!as_of || strlen(as_of) < 10 || (snprintf(day, sizeof(day), "%.10s", as_of), 0) ||
        date_parse(day, as_of_day) != 0)
        return yj_error_set(err, YJ_EX_IOERR, "'%s/%s' names no as-of time", r->src->return_dir,
                            RUNDIR_MANIFEST);
    snprintf(d->as_of, sizeof(d->as_of), "%s", as_of);
    return YJ_OK;
}

/* The pass over the return, from the reader just opened. */
static int
read_return(struct bind_run *r, struct cld_reader *cr, struct board_data *d, struct yj_error *err)
{
    struct walk w;
    const struct cld_walk cb = {walk_prepare, walk_begin, walk_open, walk_close, walk_end, &w};
    int rc;

    memset(&w, 0, sizeof(w));
    w.r = r;
    arena_init(&w.arena);
    kchild_reader_init(&w.kr, (const char *const *)r->k.fields, &w.arena);
    if ((rc = check_return(cr, r, d, &r->as_of_day, err)) == YJ_OK) {
        kcount_init(r->kc, &r->k, r->period.start, r->period.end, r->as_of_day);
        rc = cld_reader_walk(cr, &cb, err);
    }
    snprintf(d->yot, sizeof(d->yot), "%s", w.yot ? w.yot : "-");
    free(w.yot);
    arena_release(&w.arena);
    return rc;
}

/* The counters' shape: buckets from QUARTERS + 2 quarters before the period to the period. */
static void
counts_init(struct bind_run *r)
{
    struct bind_counts *n = &r->n;

    n->nq = (int)r->src->quarters + 3;
    n->first_q = r->period.year * 4 + r->period.quarter - 1 - (n->nq - 1);
    n->ncat = (int)r->k.tables[KT_OFFENCE_CATEGORY].nrows;
    for (int g = 0; g < GRP_N; g++)
        if (r->c.offence_type_groups & (1u << g))
            n->disposals[n->ndisposals++] = g;
    n->offence_type = xcalloc((size_t)n->ndisposals * (size_t)(n->ncat + 1), sizeof(long));
}

/* Frees the tables board_indicators() fills (not the trends another module may hold). */
static void
free_tables(struct board_data *d)
{
    free(d->fte);
    free(d->custody);
    free(d->reoffending);
    free(d->ethnicity);
    free(d->offence_types);
    d->fte = NULL;
    d->custody = NULL;
    d->reoffending = NULL;
    d->ethnicity = NULL;
    d->offence_types = NULL;
    d->nfte = d->ncustody = d->nreoffending = d->nethnicity = d->noffence_types = 0;
}

int
board_indicators(const struct board_sources *src, struct board_data *d, struct yj_error *err)
{
    struct bind_run r;
    struct bind_pop pop;
    struct bundle b;
    struct cld_reader cr;
    struct atomic_file cases;
    char *cases_path = NULL;
    int rc;

    memset(&r, 0, sizeof(r));
    memset(&pop, 0, sizeof(pop));
    r.src = src;
    bind_conf_init(&r.c);
    kconf_init(&r.k);
    bundle_init(&b);
    cld_reader_init(&cr);
    atomic_file_init(&cases);
    r.kc = xcalloc(1, sizeof(*r.kc));
    if (src->quarters < 2 || src->quarters > BOARD_MAX_QUARTERS) {
        rc = yj_error_set(err, YJ_EX_USAGE, "%u quarters: the tables hold 2 to %d", src->quarters,
                          BOARD_MAX_QUARTERS);
        goto out;
    }
    if (!src->staged) {
        rc = yj_error_set(err, YJ_EX_USAGE,
                          "no staged folder: the indicators' rates need the "
                          "population staged with the return");
        goto out;
    }
    if ((rc = period_parse(src->period, &r.period, err)) != YJ_OK ||
        (rc = bundle_for_period(&b, src->mappings, &r.period, err)) != YJ_OK ||
        (rc = kconf_load(&r.k, b.dir, err)) != YJ_OK ||
        (rc = bind_conf_load(&r.c, b.dir, err)) != YJ_OK ||
        (rc = bind_pop_read(&pop, &r.c, src->staged, b.dir, err)) != YJ_OK)
        goto out;
    counts_init(&r);
    snprintf(d->period, sizeof(d->period), "%s", r.period.label);
    if ((rc = mkdir_p(src->out_dir, RUNDIR_DIR_MODE, err)) != YJ_OK)
        goto out;
    cases_path = path_join(src->out_dir, rundir_name(RD_REPORT_CASES));
    /* an older case list must not outlive a failed run beside tables it does not match */
    if (unlink(cases_path) != 0 && errno != ENOENT) {
        rc = yj_error_errno(err, YJ_EX_CANTCREAT, errno, "could not remove old '%s'", cases_path);
        goto out;
    }
    if ((rc = atomic_file_open(&cases, cases_path, rundir_mode(RD_REPORT_CASES), err)) != YJ_OK)
        goto out;
    r.cases = cases.fp;
    fputs("figure,basis,period,group,ypid,item,item_id\n", r.cases);
    if ((rc = cld_reader_open(&cr, src->return_dir, b.schema_version, err)) != YJ_OK ||
        (rc = read_return(&r, &cr, d, err)) != YJ_OK ||
        (rc = bind_tables(&r, &pop, d, err)) != YJ_OK)
        goto out;
    r.cases = NULL;
    rc = atomic_file_commit(&cases, err);
out:
    if (rc != YJ_OK)
        free_tables(d);
    atomic_file_release(&cases);
    cld_reader_release(&cr);
    free(cases_path);
    if (r.kc)
        kcount_release(r.kc);
    free(r.kc);
    free(r.n.offence_type);
    bind_pop_release(&pop);
    bind_conf_release(&r.c);
    kconf_release(&r.k);
    bundle_release(&b);
    return rc;
}
