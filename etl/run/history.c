/*
 * history.c - yj-run --history (history.h).
 *
 * Everything printed comes from the runs root through the modules that own each format: RUN
 * (runrec.h), the validation reports (report.h), kpi/headline.csv (kpi.h, beside its writer),
 * the ledger (ledger.h) and the receipts' names (rundir.h). Paths are printed relative to the
 * runs root and no time is compared with now, so the same runs root always prints the same
 * bytes. No value of a child is ever read: counts, names, hashes and the receiver's one-line
 * answer only.
 */
#include "history.h"

#include "atomic.h"
#include "config.h"
#include "cli.h"
#include "kpi.h"
#include "latest.h"
#include "ledger.h"
#include "log.h"
#include "mem.h"
#include "period.h"
#include "report.h"
#include "run.h"
#include "rundir.h"
#include "runrec.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

/* What the history shows of a period's latest run. */
struct hist_run {
    char stamp[32];
    int submit;                          /* RUN says submit yes */
    const char *result;                  /* runrec_result_name() */
    char as_of[64];                      /* "" when not recorded */
    int reports;                         /* validation reports read */
    int valid;                           /* every one says "result valid" */
    long long children, errors, queries; /* summed; -1 when not recorded */
    struct kpi_headline kpi[KPI_HEADLINES];
    size_t nkpi; /* 0: no headline.csv (or one that could not be read) */
};

/* One submission of a document: its ledger entries' last word. */
struct hist_sub {
    const struct ledger_entry *last; /* its last entry with an outcome, or its send */
    char receipt[4096];              /* relative to the runs root; "" when not there */
};

/* One period of the history. */
struct hist_period {
    const char *service, *period;
    int nruns;
    int have_run;
    struct hist_run run;
    char latest[32]; /* the latest link's target; "" when there is none */
    struct hist_sub *subs;
    size_t nsubs;
};

struct history {
    const char *runs_root;
    const char *only; /* --period, or NULL */
    int json;         /* --format json */
    FILE *out;
    struct ledger_entry *le; /* the ledger's entries */
    size_t nle;
    int nperiods; /* printed so far */
};

/* ---- reading ---- */

/* *ACC += N, FIRST: *ACC = N; -1 (not recorded) once one of them is. */
static void
add_count(long long *acc, long long n, int first)
{
    *acc = n < 0 || (!first && *acc < 0) ? -1 : n + (first ? 0 : *acc);
}

/* Counts of the validation reports of RUN_DIR's return, one per document, into R. */
static void
read_reports(struct hist_run *r, const char *run_dir)
{
    char *ret = rundir_path(run_dir, RD_RETURN_DIR), *vdir = rundir_path(run_dir, RD_VALIDATE_DIR);
    char **docs = run_return_documents(ret);

    r->children = r->errors = r->queries = -1;
    r->valid = 1;
    for (size_t i = 0; docs && docs[i]; i++) {
        char *report = rundir_part_file(vdir, RD_VALIDATE_REPORT, docs[i]);
        struct report_summary s;
        struct yj_error e2;

        yj_error_init(&e2);
        if (report_read_summary(report, &s, &e2) == 0) {
            r->valid &= s.valid;
            add_count(&r->children, s.children, r->reports == 0);
            add_count(&r->errors, s.errors, r->reports == 0);
            add_count(&r->queries, s.queries, r->reports == 0);
            r->reports++;
        } else
            r->valid = 0;
        free(report);
    }
    run_free_list(docs);
    free(vdir);
    free(ret);
}

/* RUN, the reports and the headlines of the run folder NAME of PERIOD_DIR into R. */
static void
read_run(struct hist_run *r, const char *period_dir, const char *name)
{
    char *run_dir = path_join(period_dir, name), *run = rundir_path(run_dir, RD_RUN_FILE);
    char *headline = rundir_path(run_dir, RD_KPI_HEADLINE);
    struct runrec rec;
    struct yj_error e2;

    memset(r, 0, sizeof(*r));
    snprintf(r->stamp, sizeof(r->stamp), "%.31s", name); /* a stamp: 16 to 20 characters */
    runrec_init(&rec);
    yj_error_init(&e2);
    r->result = runrec_result_name(RUNREC_NONE);
    if (runrec_read(&rec, run, &e2) == YJ_OK) {
        r->result = runrec_result_name(runrec_result(&rec));
        r->submit = runrec_submit(&rec);
        snprintf(r->as_of, sizeof(r->as_of), "%s", runrec_as_of(&rec) ? runrec_as_of(&rec) : "");
    }
    runrec_release(&rec);
    read_reports(r, run_dir);
    if (kpi_headline_read(headline, r->kpi, &r->nkpi, &e2) != YJ_OK)
        r->nkpi = 0;
    free(headline);
    free(run);
    free(run_dir);
}

/* Entries of the ledger in the order the history lists them: the newest submission first,
 * then by part, then by line. */
static int
sub_order(const void *pa, const void *pb)
{
    const struct hist_sub *a = pa, *b = pb;

    if (a->last->seq != b->last->seq)
        return a->last->seq > b->last->seq ? -1 : 1;
    return strcmp(a->last->part, b->last->part);
}

/* "k/n" of a ledger entry into *k and *n; 0 when it is not. */
static int
part_of(const char *part, unsigned *k, unsigned *n)
{
    return sscanf(part, "%u/%u", k, n) == 2 && *k >= 1 && *k <= *n && *n <= RUNDIR_MAX_PARTS;
}

/* The receipt the entry E's upload left, relative to the runs root: the run folder named in
 * E (its last name), under E's service and period. "" when it is not there. */
static void
receipt_of(const struct history *h, const struct ledger_entry *e, char *out, size_t size)
{
    const char *slash = strrchr(e->run, '/'), *stamp = slash ? slash + 1 : e->run;
    char doc[32], rel[1024], *submit, *receipt, *abs;
    unsigned k, n;

    out[0] = '\0';
    if (!rundir_is_stamp(stamp) || !part_of(e->part, &k, &n))
        return;
    if (n == 1)
        snprintf(doc, sizeof(doc), "%s", RUNDIR_RETURN_XML);
    else
        snprintf(doc, sizeof(doc), RUNDIR_PART_FORMAT, k);
    snprintf(rel, sizeof(rel), "%s/%s/%s", e->service, e->period, stamp);
    submit = rundir_path(rel, RD_SUBMIT_DIR);
    receipt = rundir_part_file(submit, RD_SUBMIT_RECEIPT, doc);
    abs = path_join(h->runs_root, receipt);
    if (access(abs, F_OK) == 0)
        snprintf(out, size, "%s", receipt);
    free(abs);
    free(receipt);
    free(submit);
}

/* The period's submissions from the ledger: per submission number and part, its last entry
 * that says how it went (else its send). */
static void
read_submissions(const struct history *h, struct hist_period *p)
{
    p->subs = xcalloc(h->nle + 1, sizeof(*p->subs));
    for (size_t i = 0; i < h->nle; i++) {
        const struct ledger_entry *e = &h->le[i];
        size_t k;

        /* "already": a later run found these bytes received, nothing was sent */
        if (e->seq == 0 || strcmp(e->event, "already") == 0 ||
            strcmp(e->service, p->service) != 0 || strcmp(e->period, p->period) != 0)
            continue;
        for (k = 0; k < p->nsubs; k++)
            if (p->subs[k].last->seq == e->seq && strcmp(p->subs[k].last->part, e->part) == 0)
                break;
        if (k == p->nsubs)
            p->subs[p->nsubs++].last = e;
        else if (strcmp(e->event, "send") != 0 || strcmp(p->subs[k].last->event, "send") == 0)
            p->subs[k].last = e;
    }
    for (size_t k = 0; k < p->nsubs; k++)
        receipt_of(h, p->subs[k].last, p->subs[k].receipt, sizeof(p->subs[k].receipt));
    qsort(p->subs, p->nsubs, sizeof(*p->subs), sub_order);
}

/* ---- printing ---- */

/* S as a JSON string. */
static void
json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c < 0x20 || *c >= 0x7f) /* the ledger's answers are ASCII */
            fprintf(f, "\\u%04x", *c);
        else
            fputc(*c, f);
    }
    fputc('"', f);
}

/* S as printable text: a byte that is not printable ASCII as \xNN (nothing read from the
 * runs root drives the terminal). */
static void
text_str(FILE *f, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c < 0x20 || *c >= 0x7f || *c == '\\')
            fprintf(f, "\\x%02x", *c);
        else
            fputc(*c, f);
    }
}

/* A count as JSON: null when not recorded. */
static void
json_count(FILE *f, const char *key, long long n, const char *after)
{
    fprintf(f, "\"%s\": ", key);
    if (n < 0)
        fputs("null", f);
    else
        fprintf(f, "%lld", n);
    fputs(after, f);
}

static const char *
kind_of(const struct hist_run *r)
{
    return r->submit ? "submission" : "nightly";
}

static const char *
validation_of(const struct hist_run *r)
{
    return r->reports == 0 ? "none" : r->valid ? "valid" : "invalid";
}

static void
text_count(FILE *f, long long n, const char *what)
{
    if (n < 0)
        fprintf(f, "  %s not recorded", what);
    else
        fprintf(f, "  %lld %s", n, what);
}

/* A rate for a person: "3.9 per 10,000" for the unit per_10000 (headline.csv's spelling),
 * else the rate and its unit as written. */
static void
history_rate(char *out, size_t n, const char *rate, const char *unit)
{
    const char *base = unit + 4;
    size_t len = strlen(base), k = 0;
    char grouped[32];

    if (strncmp(unit, "per_", 4) != 0 || len == 0 || len > 15 ||
        strspn(base, "0123456789") != len) {
        snprintf(out, n, "%s %s", rate, unit);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            grouped[k++] = ',';
        grouped[k++] = base[i];
    }
    grouped[k] = '\0';
    snprintf(out, n, "%s per %s", rate, grouped);
}
static void
print_text(const struct history *h, const struct hist_period *p)
{
    FILE *f = h->out;
    const struct hist_run *r = &p->run;

    fputs(h->nperiods ? "\n" : "", f);
    text_str(f, p->service);
    fprintf(f, " %s  %d run%s\n", p->period, p->nruns, p->nruns == 1 ? "" : "s");
    if (!p->have_run)
        fputs("  latest run   none\n", f);
    else {
        fprintf(f, "  latest run   %s  %s  %s  as-of %s\n", r->stamp, kind_of(r), r->result,
                *r->as_of ? r->as_of : "not recorded");
        fprintf(f, "  validation   %s", validation_of(r));
        if (r->reports) {
            text_count(f, r->children, "children");
            text_count(f, r->errors, "errors");
            text_count(f, r->queries, "queries");
        }
        fputc('\n', f);
    }
    if (!p->have_run || strcmp(p->latest, r->stamp) != 0)
        fprintf(f, "  latest link  %s\n", *p->latest ? p->latest : "none");
    if (p->have_run && r->nkpi == 0)
        fputs("  KPIs         none\n", f);
    for (size_t i = 0; p->have_run && i < KPI_HEADLINES; i++) {
        const struct kpi_headline *k = &r->kpi[i];
        char rate[64];
        if (!k->kpi)
            continue;
        if (!*k->rate)
            snprintf(rate, sizeof(rate), "-");
        else if (strcmp(k->rate_unit, "percent") == 0)
            snprintf(rate, sizeof(rate), "%s%%", k->rate);
        else
            history_rate(rate, sizeof(rate), k->rate, k->rate_unit);
        if (!k->known)
            fprintf(f, "  KPI %-9d%-24s not known%s\n", k->kpi, k->measure,
                    k->provisional ? "  provisional" : "");
        else
            fprintf(f, "  KPI %-9d%-24s %7lu of %-8lu %s%s\n", k->kpi, k->measure, k->numerator,
                    k->denominator, rate, k->provisional ? "  provisional" : "");
    }
    if (p->nsubs == 0)
        fputs("  submissions  none\n", f);
    for (size_t i = 0; i < p->nsubs; i++) {
        const struct ledger_entry *e = p->subs[i].last;
        fprintf(f, "  submission %lu  part %s  %s  %s", e->seq, e->part, e->time,
                strcmp(e->event, "send") == 0 ? "no answer recorded" : e->result);
        if (e->http)
            fprintf(f, "  HTTP %ld", e->http);
        fprintf(f, "  %llu bytes\n", e->bytes);
        fprintf(f, "    sha256     %s\n", e->sha256);
        fputs("    answer     ", f);
        text_str(f, e->answer);
        fputc('\n', f);
        fprintf(f, "    receipt    %s\n", *p->subs[i].receipt ? p->subs[i].receipt : "none");
    }
}

static void
print_json_run(FILE *f, const struct hist_run *r)
{
    fputs("      \"latest_run\": {\"stamp\": ", f);
    json_str(f, r->stamp);
    fprintf(f, ", \"kind\": \"%s\", \"result\": ", kind_of(r));
    json_str(f, r->result);
    fputs(", \"as_of\": ", f);
    if (*r->as_of)
        json_str(f, r->as_of);
    else
        fputs("null", f);
    fprintf(f, ",\n        \"validation\": {\"result\": \"%s\", ", validation_of(r));
    json_count(f, "children", r->children, ", ");
    json_count(f, "errors", r->errors, ", ");
    json_count(f, "queries", r->queries, "},\n");
    fputs("        \"kpi\": [", f);
    for (size_t i = 0, n = 0; i < KPI_HEADLINES; i++) {
        const struct kpi_headline *k = &r->kpi[i];
        if (!k->kpi)
            continue;
        fprintf(f, "%s\n          {\"kpi\": %d, \"measure\": ", n++ ? "," : "", k->kpi);
        json_str(f, k->measure);
        if (k->known)
            fprintf(f, ", \"numerator\": %lu, \"denominator\": %lu, \"rate\": ", k->numerator,
                    k->denominator);
        else
            fputs(", \"numerator\": null, \"denominator\": null, \"rate\": ", f);
        if (*k->rate)
            json_str(f, k->rate);
        else
            fputs("null", f);
        fputs(", \"rate_unit\": ", f);
        json_str(f, k->rate_unit);
        fprintf(f, ", \"provisional\": %s}", k->provisional ? "true" : "false");
    }
    fputs(r->nkpi ? "\n        ]},\n" : "]},\n", f);
}

static void
print_json(const struct history *h, const struct hist_period *p)
{
    FILE *f = h->out;

    fprintf(f, "%s\n    {\"service\": ", h->nperiods ? "," : "");
    json_str(f, p->service);
    fputs(", \"period\": ", f);
    json_str(f, p->period);
    fprintf(f, ", \"runs\": %d, \"latest_link\": ", p->nruns);
    if (*p->latest)
        json_str(f, p->latest);
    else
        fputs("null", f);
    fputs(",\n", f);
    if (p->have_run)
        print_json_run(f, &p->run);
    else
        fputs("      \"latest_run\": null,\n", f);
    fputs("      \"submissions\": [", f);
    for (size_t i = 0; i < p->nsubs; i++) {
        const struct ledger_entry *e = p->subs[i].last;
        fprintf(f, "%s\n        {\"seq\": %lu, \"part\": ", i ? "," : "", e->seq);
        json_str(f, e->part);
        fputs(", \"time\": ", f);
        json_str(f, e->time);
        fputs(", \"result\": ", f);
        if (strcmp(e->event, "send") == 0)
            fputs("null", f);
        else
            json_str(f, e->result);
        fputs(", \"http\": ", f);
        if (e->http)
            fprintf(f, "%ld", e->http);
        else
            fputs("null", f);
        fprintf(f, ", \"bytes\": %llu,\n         \"sha256\": ", e->bytes);
        json_str(f, e->sha256);
        fputs(",\n         \"answer\": ", f);
        json_str(f, e->answer);
        fputs(", \"receipt\": ", f);
        if (*p->subs[i].receipt)
            json_str(f, p->subs[i].receipt);
        else
            fputs("null", f);
        fputc('}', f);
    }
    fputs(p->nsubs ? "\n      ]}" : "]}", f);
}

/* ---- walking ---- */

/* One period folder: SERVICE/PERIOD of the runs root. */
static void
history_period(struct history *h, const char *service, const char *period)
{
    char *sdir = path_join(h->runs_root, service), *pdir = path_join(sdir, period);
    struct dirent **runs = NULL;
    int nr = scandir(pdir, &runs, latest_stamp_filter, latest_stamp_desc);
    struct hist_period p;
    char *latest = latest_target(pdir);

    memset(&p, 0, sizeof(p));
    p.service = service;
    p.period = period;
    p.nruns = nr > 0 ? nr : 0;
    snprintf(p.latest, sizeof(p.latest), "%s", latest ? latest : "");
    if (nr > 0) {
        p.have_run = 1;
        read_run(&p.run, pdir, runs[0]->d_name);
    }
    read_submissions(h, &p);
    if (h->json)
        print_json(h, &p);
    else
        print_text(h, &p);
    h->nperiods++;
    for (int i = 0; i < nr; i++)
        free(runs[i]);
    free(runs);
    free(p.subs);
    free(latest);
    free(pdir);
    free(sdir);
}

/* rundir_each_period_ordered() callback: PERIOD_DIR is RUNS_ROOT/<yot>/<period>. */
static int
history_of_period(const char *period_dir, void *arg)
{
    struct history *h = arg;
    const char *period = strrchr(period_dir, '/') + 1, *service;
    char *sdir = xstrdup(period_dir);

    sdir[period - 1 - period_dir] = '\0';
    service = strrchr(sdir, '/') ? strrchr(sdir, '/') + 1 : sdir;
    if (!h->only || strcmp(h->only, period) == 0)
        history_period(h, service, period);
    free(sdir);
    return 0;
}

/* Every service folder, in name order; its periods, the newest first. */
static void
history_walk(struct history *h)
{
    rundir_each_period_ordered(h->runs_root, 1, history_of_period, h);
}

/* ---- the command ---- */

/* The command line's checks: what goes with --history. */
static int
history_usage(const struct run_args *a, int *json)
{
    if (a->verify || a->rerun || a->receiver || a->with_current_mappings || a->from || a->to ||
        a->as_of || a->submit || a->sign_off || a->resubmit || a->allow_empty ||
        a->force_correction || a->check) {
        fprintf(stderr, "yj-run: --history takes --config, --period, --format and RUNS_ROOT "
                        "only: it only reads the runs root\n");
        return YJ_EX_USAGE;
    }
    if (a->format && strcmp(a->format, "text") != 0 && strcmp(a->format, "json") != 0) {
        fprintf(stderr, "yj-run: --format is text or json, not '%s'\n", a->format);
        return YJ_EX_USAGE;
    }
    *json = a->format && strcmp(a->format, "json") == 0;
    if (a->operands.n > 1)
        return cli_unexpected(&run_cli, a->operands.v[1]);
    if (a->operands.n == 0 && !a->config) {
        fprintf(stderr, "yj-run: --history without RUNS_ROOT needs --config (see --help)\n");
        return YJ_EX_USAGE;
    }
    return YJ_OK;
}

int
history_main(const struct run_args *a, FILE *out)
{
    struct history h = {.out = out};
    struct yj_config cfg;
    struct yj_error err;
    struct yj_period period;
    struct ledger_check lc;
    char *ledger = NULL;
    double t0 = log_now();
    int rc;

    yj_error_init(&err);
    config_init(&cfg);
    if ((rc = history_usage(a, &h.json)) != YJ_OK)
        goto out;
    if (a->period && (rc = period_parse(a->period, &period, &err)) != YJ_OK)
        goto out;
    h.only = a->period ? period.label : NULL;
    if (a->operands.n == 1)
        h.runs_root = a->operands.v[0];
    else if ((rc = config_load(&cfg, a->config, &err)) != YJ_OK ||
             (rc = config_require(cfg.runs_root, "run", "runs_root", cfg.path, &err)) != YJ_OK)
        goto out;
    else
        h.runs_root = cfg.runs_root;
    if (!rundir_is_dir(h.runs_root)) {
        rc = yj_error_set(&err, YJ_EX_NOINPUT, "runs root '%s' is not a folder: %s", h.runs_root,
                          strerror(errno ? errno : ENOTDIR));
        goto out;
    }
    log_info("begin: history %s period=%s format=%s", h.runs_root, h.only ? h.only : "(all)",
             h.json ? "json" : "text");
    ledger = rundir_path(h.runs_root, RD_LEDGER);
    if (access(ledger, F_OK) == 0 && ledger_read(ledger, &lc, &h.le, &h.nle, &err) != YJ_OK) {
        /* the runs are shown all the same; the submissions are not known */
        log_yj_error(&err);
        log_error("the submissions are not shown: run yj-run --verify");
        rc = YJ_EX_IOERR;
    }
    if (h.json)
        fprintf(out, "{\"format\": \"%s\",\n  \"periods\": [", HISTORY_FORMAT);
    history_walk(&h);
    if (h.json)
        fputs(h.nperiods ? "\n  ]}\n" : "]}\n", out);
    else if (!h.nperiods)
        fprintf(out, "no runs%s%s\n", h.only ? " of " : "", h.only ? h.only : "");
    fflush(out);
    log_info("end: status %d, %d period%s in %.2f s", rc, h.nperiods, h.nperiods == 1 ? "" : "s",
             log_now() - t0);
    ledger_entries_free(h.le, h.nle);
    free(ledger);
    config_release(&cfg);
    return rc;
out:
    if (err.code != YJ_OK)
        log_yj_error(&err);
    config_release(&cfg);
    return rc;
}
