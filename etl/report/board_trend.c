/*
 * board_trend.c - which run stands for each quarter of the trends, and its figures
 * (board_trend.h).
 *
 * Everything is read through the module that owns its format: the ledger (ledger.h), RUN
 * (runrec.h), kpi/MANIFEST (manifest.h), headline.csv and recording.csv (kpi.h, beside their
 * writers), the run folders' names and order (rundir.h, latest.h). Invariant: a quarter's
 * figures come from one run whose kpi/MANIFEST verified, or the quarter has none and its mark
 * says why; a run left out is always named in a warning. Writing the CSVs is
 * board_trend_write.c's.
 */
#include "board_trend.h"

#include "atomic.h"
#include "kpi.h"
#include "latest.h"
#include "ledger.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "period.h"
#include "rundir.h"
#include "runrec.h"
#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

/* One quarter of the trend while it is read. */
struct trend_quarter {
    char period[BOARD_PERIOD_LEN];
    enum board_mark mark;     /* of its KPI rows */
    enum board_mark rec_mark; /* of its recording rows */
    char *run_dir;            /* the run that stands for it (malloc'd); NULL: none */
    struct kpi_headline kpi[KPI_HEADLINES];
    struct kpi_recording *rec; /* malloc'd */
    size_t nrec;
};

/* What the ledger says of one period's submissions. */
struct trend_received {
    unsigned count;      /* submissions (numbers) whose every part was received */
    unsigned long last;  /* the highest of them; 0: none */
    char last_stamp[32]; /* the run folder's name of its last received part */
    int of_run;          /* one of them was uploaded from the run folder asked about */
};

/* The stamp (last name) of the run folder RUN, ignoring a trailing '/'; "" when too long. */
static void
trend_stamp_of(const char *run, char *out, size_t n)
{
    size_t len = strlen(run);
    const char *start;

    while (len > 1 && run[len - 1] == '/')
        len--;
    start = run + len;
    while (start > run && start[-1] != '/')
        start--;
    if ((size_t)(run + len - start) >= n)
        len = (size_t)(start - run);
    snprintf(out, n, "%.*s", (int)(run + len - start), start);
}

/* 1 when E is a received upload of YOT's PERIOD (an answer or a later check; an "already"
 * entry names the run that found the bytes there, not the one that sent them). */
static int
trend_is_received(const struct ledger_entry *e, const char *yot, const char *period)
{
    return e->seq > 0 && strcmp(e->result, "received") == 0 && strcmp(e->event, "already") != 0 &&
           strcmp(e->service, yot) == 0 && strcmp(e->period, period) == 0;
}

/* 1 when every part 1..n of submission SEQ (parts "k/n") has a received entry. */
static int
trend_all_parts(const struct ledger_entry *le, size_t nle, const char *yot, const char *period,
                unsigned long seq)
{
    unsigned k, n = 0, got = 0;

    for (size_t i = 0; i < nle; i++)
        if (le[i].seq == seq && trend_is_received(&le[i], yot, period) &&
            sscanf(le[i].part, "%*u/%u", &n) == 1)
            break;
    if (n == 0 || n > RUNDIR_MAX_PARTS)
        return 0;
    for (k = 1; k <= n; k++) {
        char want[24];
        snprintf(want, sizeof(want), "%u/%u", k, n);
        for (size_t i = 0; i < nle; i++)
            if (le[i].seq == seq && trend_is_received(&le[i], yot, period) &&
                strcmp(le[i].part, want) == 0) {
                got++;
                break;
            }
    }
    return got == n;
}

/* The received submissions of YOT's PERIOD in the ledger's entries; RUN_STAMP (or NULL): the
 * run folder's name asked about (out->of_run). */
static void
trend_received_of(const struct ledger_entry *le, size_t nle, const char *yot, const char *period,
                  const char *run_stamp, struct trend_received *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < nle; i++) {
        const struct ledger_entry *e = &le[i];
        char stamp[32];
        int seen = 0;

        if (!trend_is_received(e, yot, period) || !trend_all_parts(le, nle, yot, period, e->seq))
            continue;
        for (size_t j = 0; j < i && !seen; j++)
            seen = le[j].seq == e->seq && trend_is_received(&le[j], yot, period);
        if (!seen)
            out->count++;
        trend_stamp_of(e->run, stamp, sizeof(stamp));
        if (run_stamp && strcmp(stamp, run_stamp) == 0)
            out->of_run = 1;
        if (e->seq >= out->last) {
            out->last = e->seq;
            snprintf(out->last_stamp, sizeof(out->last_stamp), "%s", stamp);
        }
    }
}

/* 1 when RUN_DIR's RUN says it ended validated (or submitted, which it had to be validated
 * for): a run that can stand for its quarter when none was submitted. */
static int
trend_ended_validated(const char *run_dir)
{
    enum runrec_result r = latest_result(run_dir);

    return r == RUNREC_VALIDATED || r == RUNREC_SUBMITTED;
}

/* Checks every file RUN_DIR's kpi/MANIFEST lists (bytes and SHA-256) and that headline.csv is
 * among them; 0, or -1 with what is wrong in WHY (paths relative to the run folder).
 * *REC_LISTED: recording.csv is among them. */
static int
trend_verify(const char *run_dir, char *why, size_t n, int *rec_listed)
{
    const char *mrel = rundir_entry(RD_KPI_MANIFEST)->path;
    char *mpath = rundir_path(run_dir, RD_KPI_MANIFEST), *kdir = rundir_path(run_dir, RD_KPI_DIR);
    struct manifest m;
    struct yj_error e2;
    int rc = 0;

    manifest_init(&m);
    yj_error_init(&e2);
    if (access(mpath, F_OK) != 0) {
        snprintf(why, n, "%s: %s", mrel, strerror(errno));
        rc = -1;
    } else if (manifest_read(&m, mpath, NULL, &e2) != YJ_OK) {
        snprintf(why, n, "%s", e2.message);
        rc = -1;
    } else if (!manifest_find_file(&m, rundir_name(RD_KPI_HEADLINE))) {
        snprintf(why, n, "%s: not listed in %s", rundir_entry(RD_KPI_HEADLINE)->path, mrel);
        rc = -1;
    }
    *rec_listed = manifest_find_file(&m, rundir_name(RD_KPI_RECORDING)) != NULL;
    for (size_t i = 0; rc == 0 && i < m.nfiles; i++) {
        const struct manifest_file *f = &m.files[i];
        char *path = path_join(kdir, f->name),
             *rel = path_join(rundir_entry(RD_KPI_DIR)->path, f->name);
        char hex[SHA256_HEX_LEN + 1], key[1024];
        unsigned long long bytes = 0;

        snprintf(key, sizeof(key), "file %s", f->name);
        if (sha256_file(path, hex, &bytes) != 0) {
            snprintf(why, n, "%s: %s; %s line %lu lists it", rel, strerror(errno), mrel,
                     manifest_key_line(mpath, key));
            rc = -1;
        } else if (bytes != f->bytes || strcmp(hex, f->sha256) != 0) {
            snprintf(why, n, "%s: %llu bytes sha256 %s; %s line %lu says %llu bytes sha256 %s", rel,
                     bytes, hex, mrel, manifest_key_line(mpath, key), f->bytes, f->sha256);
            rc = -1;
        }
        free(rel);
        free(path);
    }
    manifest_release(&m);
    free(kdir);
    free(mpath);
    return rc;
}

/* The warning of a run left out of the trend: WHAT of PERIOD ("" for its KPI headlines and
 * all), the run folder and WHY (the file and what is wrong with it). */
static void
trend_left_out(const struct trend_quarter *q, const char *what, const char *why)
{
    log_warn("trend: %s%s left out, marked %s: run folder '%s': %s", q->period, what,
             board_mark_name(BOARD_UNVERIFIED), q->run_dir, why);
}

/* Reads Q's run: verified, its headlines, its recording problems. A run left out (or a
 * recording file that cannot be read) is named in a warning and marked unverified. */
static void
trend_read_run(struct trend_quarter *q)
{
    char why[2048];
    char *headline = rundir_path(q->run_dir, RD_KPI_HEADLINE);
    char *recording = rundir_path(q->run_dir, RD_KPI_RECORDING);
    struct yj_error e2;
    size_t nkpi;
    int rec_listed = 0, ok = 0;

    yj_error_init(&e2);
    if (trend_verify(q->run_dir, why, sizeof(why), &rec_listed) == 0) {
        ok = kpi_headline_read(headline, q->kpi, &nkpi, &e2) == YJ_OK;
        if (!ok)
            snprintf(why, sizeof(why), "%s", e2.message);
    }
    if (!ok) {
        trend_left_out(q, "", why);
        memset(q->kpi, 0, sizeof(q->kpi));
        q->mark = q->rec_mark = BOARD_UNVERIFIED;
        goto out;
    }
    q->rec_mark = q->mark;
    yj_error_init(&e2);
    if (!rec_listed)
        snprintf(why, sizeof(why), "%s: not listed in %s", rundir_entry(RD_KPI_RECORDING)->path,
                 rundir_entry(RD_KPI_MANIFEST)->path);
    else if (kpi_recording_read(recording, &q->rec, &q->nrec, &e2) != YJ_OK)
        snprintf(why, sizeof(why), "%s", e2.message);
    else
        goto out;
    trend_left_out(q, "'s recording problems", why);
    q->rec_mark = BOARD_UNVERIFIED;
out:
    free(recording);
    free(headline);
}

/* Picks Q's run (q->run_dir, q->mark) from the ledger's entries LE and the period's folder. */
static void
trend_pick_run(struct trend_quarter *q, const char *runs_root, const char *yot,
               const char *this_run, const struct ledger_entry *le, size_t nle)
{
    struct trend_received rv;
    char stamp[32], *pdir = rundir_period_dir(runs_root, yot, q->period), *newest;

    q->mark = q->rec_mark = BOARD_MISSING;
    if (this_run) {
        trend_stamp_of(this_run, stamp, sizeof(stamp));
        trend_received_of(le, nle, yot, q->period, stamp, &rv);
        /* a quarter submitted from another run (this one found its bytes already received, or
         * is a nightly run after the submission) shows what was sent */
        q->run_dir =
            rv.count > 0 && !rv.of_run ? path_join(pdir, rv.last_stamp) : xstrdup(this_run);
        q->mark = rv.count == 0  ? BOARD_PROVISIONAL
                  : rv.count > 1 ? BOARD_RESUBMITTED
                                 : BOARD_SUBMITTED;
    } else if (trend_received_of(le, nle, yot, q->period, NULL, &rv), rv.count > 0) {
        q->run_dir = path_join(pdir, rv.last_stamp);
        q->mark = rv.count > 1 ? BOARD_RESUBMITTED : BOARD_SUBMITTED;
    } else if ((newest = latest_find_if(pdir, trend_ended_validated)) != NULL) {
        q->run_dir = path_join(pdir, newest);
        q->mark = BOARD_PROVISIONAL;
        free(newest);
    }
    free(pdir);
}

/* The QUARTERS periods ending with PERIOD, oldest first, into Q. */
static int
trend_periods(const char *period, unsigned quarters, struct trend_quarter *q, struct yj_error *err)
{
    struct yj_period p;
    int rc;

    if ((rc = period_parse(period, &p, err)) != YJ_OK)
        return rc;
    for (unsigned i = 0; i < quarters; i++) {
        long idx = (long)p.year * 4 + (p.quarter - 1) - (long)(quarters - 1 - i);

        if (idx < 4000) /* before year 1000: not a YYYYQn */
            return yj_error_set(err, YJ_EX_USAGE, "%u quarters ending with %s go before year 1000",
                                quarters, p.label);
        board_quarter_label(idx, q[i].period);
    }
    return YJ_OK;
}

/* The ledger's entries (none when RUNS_ROOT has no ledger). */
static int
trend_ledger(const char *runs_root, struct ledger_entry **le, size_t *nle, struct yj_error *err)
{
    char *path = rundir_path(runs_root, RD_LEDGER);
    struct ledger_check lc;
    int rc = YJ_OK;

    *le = NULL;
    *nle = 0;
    if (access(path, F_OK) == 0 && (rc = ledger_read(path, &lc, le, nle, err)) != YJ_OK)
        yj_error_hint(err, "which quarters were submitted is not known: run yj-run --verify");
    free(path);
    return rc;
}

/* D's KPI rows: per quarter, per KPI 1..10, the quarter's headline or no figures. A KPI's
 * measure and unit in a quarter without figures are those of the first quarter that has it. */
static void
trend_fill_kpi(struct board_data *d, const struct trend_quarter *q, unsigned nq)
{
    d->trend_kpi = xcalloc((size_t)nq * KPI_HEADLINES, sizeof(*d->trend_kpi));
    d->ntrend_kpi = 0;
    for (unsigned i = 0; i < nq; i++)
        for (int k = 0; k < KPI_HEADLINES; k++) {
            struct board_trend_kpi *t = &d->trend_kpi[d->ntrend_kpi++];
            const struct kpi_headline *h = &q[i].kpi[k];

            snprintf(t->period, sizeof(t->period), "%s", q[i].period);
            t->mark = q[i].mark;
            t->kpi = k + 1;
            t->numerator = t->denominator = -1;
            t->rate = NAN;
            for (unsigned j = 0; !h->kpi && j < nq; j++)
                if (q[j].kpi[k].kpi)
                    h = &q[j].kpi[k]; /* the names only */
            snprintf(t->measure, sizeof(t->measure), "%s", h->measure);
            snprintf(t->unit, sizeof(t->unit), "%s", h->rate_unit);
            if (h != &q[i].kpi[k] || !h->kpi || !h->known)
                continue;
            t->numerator = (long)h->numerator;
            t->denominator = (long)h->denominator;
            if (*h->rate)
                t->rate = strtod(h->rate, NULL);
        }
}

/* D's recording rows: per quarter, every problem any quarter's recording.csv holds (in the
 * order they first appear, oldest quarter first), its children or no figures. */
static void
trend_fill_recording(struct board_data *d, const struct trend_quarter *q, unsigned nq)
{
    char(*names)[BOARD_NAME_LEN] = NULL;
    size_t nnames = 0, cap = 0;

    for (unsigned i = 0; i < nq; i++)
        for (size_t r = 0; q[i].rec_mark != BOARD_UNVERIFIED && r < q[i].nrec; r++) {
            size_t k = 0;
            while (k < nnames && strcmp(names[k], q[i].rec[r].problem) != 0)
                k++;
            if (k < nnames)
                continue;
            if (nnames == cap) {
                cap = cap ? 2 * cap : 32;
                names = xrealloc(names, cap * sizeof(*names));
            }
            snprintf(names[nnames++], BOARD_NAME_LEN, "%s", q[i].rec[r].problem);
        }
    d->trend_recording = xcalloc((size_t)nq * nnames + 1, sizeof(*d->trend_recording));
    d->ntrend_recording = 0;
    for (unsigned i = 0; i < nq; i++)
        for (size_t k = 0; k < nnames; k++) {
            struct board_trend_recording *t = &d->trend_recording[d->ntrend_recording++];

            snprintf(t->period, sizeof(t->period), "%s", q[i].period);
            snprintf(t->problem, sizeof(t->problem), "%s", names[k]);
            t->mark = q[i].rec_mark;
            t->children = -1;
            for (size_t r = 0; q[i].rec_mark != BOARD_UNVERIFIED && r < q[i].nrec; r++)
                if (strcmp(q[i].rec[r].problem, names[k]) == 0)
                    t->children = (long)q[i].rec[r].children;
        }
    free(names);
}

int
board_trend(const char *runs_root, const char *yot, const char *period, unsigned quarters,
            const char *this_run, struct board_data *d, struct yj_error *err)
{
    struct trend_quarter *q = NULL;
    struct ledger_entry *le = NULL;
    size_t nle = 0;
    int rc;

    if (quarters == 0 || quarters > BOARD_TREND_MAX_QUARTERS)
        return yj_error_set(err, YJ_EX_USAGE, "a trend of %u quarters: 1 to %d", quarters,
                            BOARD_TREND_MAX_QUARTERS);
    q = xcalloc(quarters, sizeof(*q));
    if ((rc = trend_periods(period, quarters, q, err)) != YJ_OK ||
        (rc = trend_ledger(runs_root, &le, &nle, err)) != YJ_OK)
        goto out;
    for (unsigned i = 0; i < quarters; i++) {
        trend_pick_run(&q[i], runs_root, yot, i + 1 == quarters ? this_run : NULL, le, nle);
        if (q[i].run_dir)
            trend_read_run(&q[i]);
    }
    free(d->trend_kpi);
    free(d->trend_recording);
    trend_fill_kpi(d, q, quarters);
    trend_fill_recording(d, q, quarters);
out:
    for (unsigned i = 0; i < quarters; i++) {
        free(q[i].run_dir);
        free(q[i].rec);
    }
    free(q);
    ledger_entries_free(le, nle);
    return rc;
}
