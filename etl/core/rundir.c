/*
 * rundir.c - the table of every folder and file under a runs root, and the helpers that
 * name, make, filter and clean them. See rundir.h.
 */
#include "rundir.h"

#include "atomic.h"
#include "manifest.h"
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

#define D RUNDIR_DIR_MODE
#define PRIV RUNDIR_PRIVATE_MODE
#define GRP RUNDIR_GROUP_MODE
#define PUB RUNDIR_PUBLIC_MODE
#define MANIFEST_FORMAT RUNDIR_MANIFEST_FORMAT " 1"

/* In enum order; rundir_entry() checks the order once. */
static const struct rundir_entry rundir_table[RD_COUNT] = {
    {RD_STAGED_DIR, RUNDIR_IN_RUN, "staged", D, 1, "yj-extract", "the warehouse as read",
     RUNDIR_FMT_NONE, NULL},
    {RD_STAGED_SERVICE_DIR, RUNDIR_IN_RUN, "staged/" RUNDIR_SERVICE, D, 1, "yj-extract",
     "the service tables the KPIs read", RUNDIR_FMT_NONE, NULL},
    {RD_RETURN_DIR, RUNDIR_IN_RUN, "return", D, 1, "yj-transform", "the return", RUNDIR_FMT_NONE,
     NULL},
    {RD_VALIDATE_DIR, RUNDIR_IN_RUN, "validate", D, 1, "yj-validate", "validation reports",
     RUNDIR_FMT_NONE, NULL},
    {RD_KPI_DIR, RUNDIR_IN_RUN, "kpi", D, 1, "yj-kpi", "the ten KPIs and the worklist",
     RUNDIR_FMT_NONE, NULL},
    {RD_SUBMIT_DIR, RUNDIR_IN_RUN, "submit", D, 1, "yj-submit", "receipts and kept answers",
     RUNDIR_FMT_NONE, NULL},
    {RD_REPORT_DIR, RUNDIR_IN_RUN, "report", D, 1, "yj-report",
     "the board pack, its figures and the cases behind them", RUNDIR_FMT_NONE, NULL},
    {RD_RUN_FILE, RUNDIR_IN_RUN, "RUN", PUB, 0, "yj-run",
     "the run's record: options, stages, result, seal", RUNDIR_FMT_LINE, MANIFEST_FORMAT},
    {RD_STAGED_MANIFEST, RUNDIR_IN_RUN, "staged/" RUNDIR_MANIFEST, PUB, 0, "yj-extract",
     "rows, bytes and SHA-256 of each staged file, snapshot and as-of", RUNDIR_FMT_LINE,
     MANIFEST_FORMAT},
    {RD_STAGED_TSV, RUNDIR_IN_RUN, "staged/<entity>.tsv", PRIV, 0, "yj-extract",
     "one per query of sql/extract/, removed when the run succeeds", RUNDIR_FMT_KEY,
     "yjreturns-staged 1"},
    {RD_STAGED_SERVICE_TSV, RUNDIR_IN_RUN, "staged/" RUNDIR_SERVICE "/<input>.tsv", PRIV, 0,
     "yj-extract", "one per query of sql/service/, kept: no child's data", RUNDIR_FMT_KEY,
     "yjreturns-staged 1"},
    {RD_RETURN_MANIFEST, RUNDIR_IN_RUN, "return/" RUNDIR_MANIFEST, PUB, 0, "yj-transform",
     "rows, bytes and SHA-256 of each document", RUNDIR_FMT_LINE, MANIFEST_FORMAT},
    {RD_RETURN_XML, RUNDIR_IN_RUN, "return/" RUNDIR_RETURN_XML, PRIV, 0, "yj-transform",
     "the return, one document", RUNDIR_FMT_ROOT, "cldReturn schema-N"},
    {RD_RETURN_PART, RUNDIR_IN_RUN, "return/" RUNDIR_PART_PREFIX "NNNN.xml", PRIV, 0,
     "yj-transform", "the return in parts ([return] children_per_part)", RUNDIR_FMT_ROOT,
     "cldReturn schema-N"},
    {RD_RETURN_ZIP, RUNDIR_IN_RUN, "return/" RUNDIR_RETURN_ZIP, PRIV, 0, "yj-transform",
     "the parts in one zip ([return] email_zip)", RUNDIR_FMT_NONE, "zip"},
    {RD_RETURN_ERRORS, RUNDIR_IN_RUN, "return/" RUNDIR_RETURN_ERRORS, PRIV, 0, "yj-transform",
     "every transform error with its value, on failure", RUNDIR_FMT_LINE, "yjreturns-errors 1"},
    {RD_VALIDATE_REPORT, RUNDIR_IN_RUN, "validate/report.txt", PRIV, 0, "yj-validate",
     "findings (report-NNNN.txt, one per part)", RUNDIR_FMT_LINE, "yjreturns-report 1"},
    {RD_KPI_MANIFEST, RUNDIR_IN_RUN, "kpi/" RUNDIR_MANIFEST, PUB, 0, "yj-kpi",
     "rows, bytes and SHA-256 of each KPI file", RUNDIR_FMT_LINE, MANIFEST_FORMAT},
    {RD_KPI_TEMPLATE, RUNDIR_IN_RUN, "kpi/<template>.csv", PUB, 0, "yj-kpi",
     "the YJB's ten summary templates (kpi/templates.conf)", RUNDIR_FMT_KEY, "yjb-kpi-template 1"},
    {RD_KPI_HEADLINE, RUNDIR_IN_RUN, "kpi/headline.csv", PUB, 0, "yj-kpi",
     "the headline figures, the project's and the YJB's case-level", RUNDIR_FMT_KEY,
     "yjreturns-kpi-headline 1"},
    {RD_KPI_CASES, RUNDIR_IN_RUN, "kpi/cases.csv", PRIV, 0, "yj-kpi",
     "the record behind each count", RUNDIR_FMT_KEY, "yjreturns-kpi-cases 1"},
    {RD_KPI_WORKLIST, RUNDIR_IN_RUN, "kpi/worklist.csv", PRIV, 0, "yj-kpi",
     "what to record, per child and problem", RUNDIR_FMT_KEY, "yjreturns-kpi-worklist 1"},
    {RD_KPI_WORKLIST_TXT, RUNDIR_IN_RUN, "kpi/worklist.txt", PUB, 0, "yj-kpi",
     "the worklist's summary, counts only", RUNDIR_FMT_KEY, "yjreturns-kpi-summary 1"},
    {RD_KPI_RECORDING, RUNDIR_IN_RUN, "kpi/recording.csv", PUB, 0, "yj-kpi",
     "counts per problem, for the recording trend", RUNDIR_FMT_KEY, "yjreturns-kpi-recording 1"},
    {RD_SUBMIT_RECEIPT, RUNDIR_IN_RUN, "submit/receipt", GRP, 0, "yj-submit",
     "the receiver's answer and the payload SHA-256 (receipt-NNNN, one per part)", RUNDIR_FMT_LINE,
     "yjreturns-receipt 1"},
    {RD_SUBMIT_ANSWER, RUNDIR_IN_RUN, "submit/answer-NNNNNN", PRIV, 0, "yj-submit",
     "an answer kept byte for byte: a refusal, or one the receipt shows escaped", RUNDIR_FMT_LINE,
     "yjreturns-answer 1"},
    {RD_SUBMIT_CORRECTION, RUNDIR_IN_RUN, "submit/correction.csv", PRIV, 0, "yj-submit",
     "a correction's every difference from the return submitted before", RUNDIR_FMT_KEY,
     "yjreturns-diff 1"},
    {RD_REPORT_MANIFEST, RUNDIR_IN_RUN, "report/" RUNDIR_MANIFEST, PUB, 0, "yj-report",
     "rows, bytes and SHA-256 of each file of the pack", RUNDIR_FMT_LINE, MANIFEST_FORMAT},
    {RD_REPORT_FTE, RUNDIR_IN_RUN, "report/fte.csv", GRP, 0, "yj-report",
     "first time entrants per quarter and rolling year, exact", RUNDIR_FMT_KEY,
     "yjreturns-report-fte 1"},
    {RD_REPORT_CUSTODY, RUNDIR_IN_RUN, "report/custody.csv", GRP, 0, "yj-report",
     "use of custody per quarter and rolling year, exact", RUNDIR_FMT_KEY,
     "yjreturns-report-custody 1"},
    {RD_REPORT_REOFFENDING, RUNDIR_IN_RUN, "report/reoffending.csv", GRP, 0, "yj-report",
     "reoffending by 3-month cohort, exact", RUNDIR_FMT_KEY, "yjreturns-report-reoffending 1"},
    {RD_REPORT_ETHNICITY, RUNDIR_IN_RUN, "report/disproportionality.csv", GRP, 0, "yj-report",
     "each ethnicity group against the 10-17 population, exact", RUNDIR_FMT_KEY,
     "yjreturns-report-ethnicity 1"},
    {RD_REPORT_OFFENCE_TYPES, RUNDIR_IN_RUN, "report/offence_types.csv", GRP, 0, "yj-report",
     "offence types leading to custody and to community orders, exact", RUNDIR_FMT_KEY,
     "yjreturns-report-offences 1"},
    {RD_REPORT_CASES, RUNDIR_IN_RUN, "report/cases.csv", PRIV, 0, "yj-report",
     "the children and records behind each figure of the pack", RUNDIR_FMT_KEY,
     "yjreturns-report-cases 1"},
    {RD_REPORT_TREND_KPI, RUNDIR_IN_RUN, "report/trend_kpi.csv", GRP, 0, "yj-report",
     "each quarter's KPI headlines as the archive holds them", RUNDIR_FMT_KEY,
     "yjreturns-report-trend 1"},
    {RD_REPORT_TREND_RECORDING, RUNDIR_IN_RUN, "report/trend_recording.csv", GRP, 0, "yj-report",
     "each quarter's recording problems as the archive holds them", RUNDIR_FMT_KEY,
     "yjreturns-report-recording 1"},
    {RD_REPORT_HTML, RUNDIR_IN_RUN, "report/pack.html", PUB, 0, "yj-report",
     "the board pack: one page, small numbers suppressed", RUNDIR_FMT_NONE, "html"},
    {RD_REPORT_PDF, RUNDIR_IN_RUN, "report/pack.pdf", PUB, 0, "yj-report",
     "the board pack printed on A4", RUNDIR_FMT_NONE, "pdf"},
    {RD_RERUN_DIR, RUNDIR_IN_RUN, RUNDIR_RERUN_PREFIX "<stamp>", D, 1, "yj-run --rerun",
     "a rerun of the run: its staged/ and return/", RUNDIR_FMT_NONE, NULL},
    {RD_RERUN_FILE, RUNDIR_IN_RUN, RUNDIR_RERUN_PREFIX "<stamp>/RERUN", PUB, 0, "yj-run --rerun",
     "the rerun's record and result", RUNDIR_FMT_LINE, MANIFEST_FORMAT},
    {RD_RERUN_DIFF, RUNDIR_IN_RUN, RUNDIR_RERUN_PREFIX "<stamp>/diff.csv", PRIV, 0,
     "yj-run --rerun", "every value that differs from the run", RUNDIR_FMT_KEY, "yjreturns-diff 1"},
    {RD_LEDGER, RUNDIR_IN_ROOT, "ledger", GRP, 0, "yj-submit",
     "every upload and its outcome, hash-chained", RUNDIR_FMT_NONE, "yjreturns-ledger 1"},
    {RD_LEDGER_DIRTY, RUNDIR_IN_ROOT, "ledger.dirty", GRP, 0, "yj-submit",
     "only after a failed fsync: nothing is appended until --verify reads the ledger back",
     RUNDIR_FMT_NONE, "-"},
    {RD_LOCK, RUNDIR_IN_ROOT, "<yot>/<period>.lock", GRP, 0, "yj-run, yj-submit",
     "one run of a service and period at a time", RUNDIR_FMT_NONE, "-"},
    {RD_LATEST, RUNDIR_IN_ROOT, "<yot>/<period>/" RUNDIR_LATEST, RUNDIR_LINK_MODE, 0, "yj-run",
     "a symbolic link to the newest run (<stamp>) whose RUN has its final result", RUNDIR_FMT_NONE,
     "-"},
};

const struct rundir_entry *
rundir_entry(enum rundir_id id)
{
    if ((int)id < 0 || id >= RD_COUNT)
        return NULL;
    return &rundir_table[id];
}

int
rundir_mode(enum rundir_id id)
{
    return rundir_table[id].mode;
}

char *
rundir_path(const char *base, enum rundir_id id)
{
    return path_join(base, rundir_table[id].path);
}

const char *
rundir_name(enum rundir_id id)
{
    const char *p = rundir_table[id].path, *slash = strrchr(p, '/');
    return slash ? slash + 1 : p;
}

char *
rundir_part_file(const char *dir, enum rundir_id id, const char *document)
{
    const char *name = rundir_name(id), *dot = strrchr(name, '.');
    size_t n = dot ? (size_t)(dot - name) : strlen(name);
    char base[64];
    char *out;

    snprintf(base, sizeof(base), "%.*s", (int)n, name);
    out = manifest_part_file(dir, document, base, dot ? dot : "");
    return out;
}

char *
rundir_period_dir(const char *runs_root, const char *yot, const char *period)
{
    char *service = path_join(runs_root, yot), *dir = path_join(service, period);
    free(service);
    return dir;
}

int
rundir_is_period_name(const char *n)
{
    return strlen(n) == 6 && strspn(n, "0123456789") == 4 && n[4] == 'Q' && n[5] >= '1' &&
           n[5] <= '4';
}

int
rundir_period_filter(const struct dirent *d)
{
    return rundir_is_period_name(d->d_name);
}

int
rundir_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
rundir_not_dot(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

int
rundir_run_filter(const struct dirent *d)
{
    return d->d_name[0] != '.' && strcmp(d->d_name, RUNDIR_LATEST) != 0;
}

static int
name_desc(const struct dirent **a, const struct dirent **b)
{
    return alphasort(b, a);
}

int
rundir_each_period(const char *runs_root, int (*fn)(const char *period_dir, void *arg), void *arg)
{
    return rundir_each_period_ordered(runs_root, 0, fn, arg);
}

int
rundir_each_period_ordered(const char *runs_root, int newest_first,
                           int (*fn)(const char *period_dir, void *arg), void *arg)
{
    struct dirent **services = NULL;
    int ns = scandir(runs_root, &services, rundir_not_dot, alphasort), stop = 0;

    for (int i = 0; i < ns; i++) {
        char *sdir = path_join(runs_root, services[i]->d_name);
        struct dirent **periods = NULL;
        int np = !stop && rundir_is_dir(sdir) ? scandir(sdir, &periods, rundir_period_filter,
                                                        newest_first ? name_desc : alphasort)
                                              : 0;
        for (int k = 0; k < np; k++) {
            char *pdir = path_join(sdir, periods[k]->d_name);
            if (!stop && rundir_is_dir(pdir))
                stop = fn(pdir, arg);
            free(pdir);
            free(periods[k]);
        }
        free(periods);
        free(sdir);
        free(services[i]);
    }
    free(services);
    return stop;
}

int
rundir_is_stamp(const char *n)
{
    /* YYYYMMDDTHHMMSSZ */
    if (strlen(n) < 16 || strspn(n, "0123456789") != 8 || n[8] != 'T' ||
        strspn(n + 9, "0123456789") != 6 || n[15] != 'Z')
        return 0;
    if (n[16] == '\0')
        return 1;
    return n[16] == '-' && n[17] >= '1' && n[17] <= '9' &&
           strspn(n + 17, "0123456789") == strlen(n + 17);
}

int
rundir_make_stamped(const char *parent, const char *prefix, char **out, struct yj_error *err)
{
    char stamp[32], name[64];
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
    for (int n = 1; n < 1000; n++) {
        char *path;
        if (n == 1)
            snprintf(name, sizeof(name), "%s%s", prefix, stamp);
        else
            snprintf(name, sizeof(name), "%s%s-%d", prefix, stamp, n);
        path = path_join(parent, name);
        if (mkdir(path, RUNDIR_DIR_MODE) == 0) {
            *out = path;
            return YJ_OK;
        }
        free(path);
        if (errno != EEXIST)
            return yj_error_errno(err, YJ_EX_CANTCREAT, errno,
                                  "could not create a %sfolder in '%s'",
                                  *prefix ? "rerun " : "run ", parent);
    }
    return yj_error_set(err, YJ_EX_CANTCREAT, "too many %s this second in '%s'",
                        *prefix ? "reruns" : "runs", parent);
}

/* Removes the files of DIR that MATCH, then syncs DIR: how many, or -1 if one could not be
 * removed. */
static int
remove_matching(const char *dir, int (*match)(const char *name))
{
    struct dirent **e = NULL;
    int ne = scandir(dir, &e, rundir_not_dot, alphasort), n = 0, failed = 0;

    for (int k = 0; k < ne; k++) {
        if (match(e[k]->d_name)) {
            char *p = path_join(dir, e[k]->d_name);
            if (unlink(p) == 0)
                n++;
            else
                failed = 1;
            free(p);
        }
        free(e[k]);
    }
    free(e);
    if (ne > 0) {
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
            (void)fsync(fd);
            close(fd);
        }
    }
    return failed ? -1 : n;
}

static int
is_staged_data(const char *name)
{
    size_t len = strlen(name);

    return len > 4 && strcmp(name + len - 4, ".tsv") == 0;
}

int
rundir_remove_staged(const char *run_dir)
{
    char *dir = rundir_path(run_dir, RD_STAGED_DIR);
    int n = remove_matching(dir, is_staged_data);

    free(dir);
    return n;
}

const struct rundir_entry *
rundir_folder_of(const char *writer)
{
    for (int i = 0; i < RD_COUNT; i++)
        if (rundir_table[i].is_dir && rundir_table[i].base == RUNDIR_IN_RUN &&
            strcmp(rundir_table[i].writer, writer) == 0)
            return &rundir_table[i];
    return NULL;
}

static int
any_name(const char *name)
{
    (void)name;
    return 1;
}

void
rundir_remove_left_out(const char *run_dir, enum rundir_id id)
{
    char *dir = rundir_path(run_dir, id);

    if (remove_matching(dir, any_name) >= 0)
        (void)rmdir(dir);
    free(dir);
}

void
rundir_format_of(enum rundir_id id, char *name, size_t n, unsigned long *version)
{
    const char *f = rundir_table[id].format, *sp = f ? strrchr(f, ' ') : NULL;

    *version = 0;
    if (!f) {
        snprintf(name, n, "-");
        return;
    }
    snprintf(name, n, "%.*s", sp ? (int)(sp - f) : (int)strlen(f), f);
    if (sp && sp[1] >= '1' && sp[1] <= '9')
        *version = strtoul(sp + 1, NULL, 10);
}

/* 1 when S matches the row path PAT: <word> is one or more characters other than '/', a run
 * of four or more N as many digits, anything else itself. */
static int
path_matches(const char *pat, const char *s)
{
    while (*pat) {
        if (*pat == '<') {
            const char *close = strchr(pat, '>');
            if (!close)
                return 0;
            for (size_t k = 1; s[k - 1] && s[k - 1] != '/'; k++)
                if (path_matches(close + 1, s + k))
                    return 1;
            return 0;
        }
        if (strncmp(pat, "NNNN", 4) == 0) {
            size_t np = strspn(pat, "N");
            if (strspn(s, "0123456789") < np)
                return 0;
            pat += np;
            s += np;
            continue;
        }
        if (*pat++ != *s++)
            return 0;
    }
    return *s == '\0';
}

static const struct rundir_entry *
find_row(enum rundir_base base, const char *path)
{
    /* exact rows first (kpi/headline.csv before kpi/<template>.csv) */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < RD_COUNT; i++) {
            const struct rundir_entry *e = &rundir_table[i];
            int pattern = strchr(e->path, '<') || strstr(e->path, "NNNN");
            if (e->base == base && pattern == pass && path_matches(e->path, path))
                return e;
        }
    return NULL;
}

const struct rundir_entry *
rundir_find(enum rundir_base base, const char *path)
{
    const struct rundir_entry *e = find_row(base, path);
    const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path, *dash;
    char plain[1024];

    /* a file kept per part (report-NNNN.txt, receipt-NNNN) is its row's name with -NNNN */
    if (!e && (dash = strrchr(name, '-')) != NULL && strspn(dash + 1, "0123456789") == 4 &&
        (dash[5] == '\0' || dash[5] == '.')) {
        snprintf(plain, sizeof(plain), "%.*s%s", (int)(dash - path), path, dash + 5);
        e = find_row(base, plain);
        if (e && e->id != RD_VALIDATE_REPORT && e->id != RD_SUBMIT_RECEIPT)
            e = NULL;
    }
    return e;
}

void
rundir_format_keys(struct manifest *m, enum rundir_id record)
{
    const char *rp = rundir_table[record].path, *slash = strrchr(rp, '/');
    size_t n = slash ? (size_t)(slash - rp) + 1 : 0;

    for (size_t i = 0; i < RD_COUNT; i++) {
        char name[64], key[96], version[24];
        unsigned long v;
        if (rundir_table[i].carry != RUNDIR_FMT_KEY || strncmp(rundir_table[i].path, rp, n) != 0)
            continue;
        rundir_format_of((enum rundir_id)i, name, sizeof(name), &v);
        snprintf(key, sizeof(key), "%s%s", RUNDIR_FORMAT_KEY, name);
        snprintf(version, sizeof(version), "%lu", v);
        manifest_set(m, key, version);
    }
}

int
rundir_format_key_check(const char *path, unsigned long line, const char *key, const char *value,
                        struct yj_error *err)
{
    size_t np = strlen(RUNDIR_FORMAT_KEY);

    if (strncmp(key, RUNDIR_FORMAT_KEY, np) != 0)
        return YJ_OK;
    for (size_t i = 0; i < RD_COUNT; i++) {
        char name[64];
        unsigned long known, v;
        if (rundir_table[i].carry != RUNDIR_FMT_KEY)
            continue;
        rundir_format_of((enum rundir_id)i, name, sizeof(name), &known);
        if (strcmp(name, key + np) == 0)
            return rundir_format_version(path, line, name, value, known, &v, err);
    }
    return YJ_OK; /* a format this program does not know: a file it does not read */
}

int
rundir_format_version(const char *path, unsigned long line, const char *format, const char *value,
                      unsigned long known, unsigned long *version, struct yj_error *err)
{
    char *end = NULL;
    unsigned long v = 0;

    if (*value >= '1' && *value <= '9' && strlen(value) < 10)
        v = strtoul(value, &end, 10);
    if (!end || *end)
        return yj_error_set(err, YJ_EX_DATAERR,
                            "'%s' line %lu: '%s' is not followed by a version number", path, line,
                            format);
    if (v > known)
        return yj_error_set(err, YJ_EX_DATAERR,
                            "'%s' line %lu: format %s %lu is newer than this yjreturns reads (%s "
                            "%lu)",
                            path, line, format, v, format, known);
    *version = v;
    return YJ_OK;
}

void
rundir_describe(FILE *out)
{
    fputs("RUNS_ROOT/<yot>/<period>/<stamp>/   a run directory\n", out);
    for (int base = RUNDIR_IN_RUN; base <= RUNDIR_IN_ROOT; base++) {
        if (base == RUNDIR_IN_ROOT)
            fputs("RUNS_ROOT/\n", out);
        for (size_t i = 0; i < RD_COUNT; i++) {
            const struct rundir_entry *e = &rundir_table[i];
            char path[64];
            if ((int)e->base != base)
                continue;
            char format[64];
            snprintf(path, sizeof(path), "%s%s", e->path, e->is_dir ? "/" : "");
            if (!e->format)
                format[0] = '\0';
            else if (e->carry == RUNDIR_FMT_KEY)
                snprintf(format, sizeof(format), "%s%s", RUNDIR_FORMAT_KEY, e->format);
            else if (e->carry == RUNDIR_FMT_NONE && strcmp(e->format, "-") != 0)
                snprintf(format, sizeof(format), "(%s)", e->format);
            else
                snprintf(format, sizeof(format), "%s", e->format);
            fprintf(out, "  %-28s %04o  %-17s  %-32s  %s\n", path, (unsigned)e->mode, e->writer,
                    format, e->what);
        }
    }
}
