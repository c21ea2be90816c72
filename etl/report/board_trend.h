/*
 * board_trend.h - the board pack's trends from the archive of runs: every quarter's KPI
 * headlines (kpi/headline.csv) and recording problems (kpi/recording.csv) as the run that
 * stands for the quarter holds them, so that a past quarter shows what was sent, not what the
 * warehouse says now (docs/trends.md).
 *
 * A quarter's run is the one the ledger says was received last (submitted, or resubmitted
 * when the period has more than one received submission), else the newest run whose RUN says
 * it ended validated (provisional). Its kpi/MANIFEST must verify (every file it lists, its
 * bytes and SHA-256) or the quarter is left out, marked unverified, with a warning line;
 * a quarter with no such run is marked missing. Reads only.
 */
#ifndef YJ_BOARD_TREND_H
#define YJ_BOARD_TREND_H

#include "board.h"
#include "error.h"

#include <stddef.h>

/* Fills d->trend_kpi and d->trend_recording for the QUARTERS quarters ending with PERIOD
 * (oldest first), service YOT, from the runs root: per quarter the run that was submitted
 * (the ledger's last received submission of that period; mark BOARD_RESUBMITTED when the
 * period has more than one received submission, BOARD_SUBMITTED when one), else the newest
 * run of any kind that ended validated (BOARD_PROVISIONAL); a quarter with no such run gets
 * rows marked BOARD_MISSING (no figures); a run whose kpi/MANIFEST does not verify (a file's
 * bytes or SHA-256 differ, or it is missing) is left out and its quarter marked
 * BOARD_UNVERIFIED, with a warning line on stderr naming the run folder and the file (never a
 * silent blank). THIS_RUN (may be NULL) is the run being made now (not yet ended, no latest
 * link): for PERIOD it is used in place of the archive's runs (BOARD_PROVISIONAL), unless the
 * ledger holds a received submission of PERIOD: then the run that submitted it last stands for
 * PERIOD (this one, or an older one: what was sent), marked as above.
 *
 * Rows without figures have numerator, denominator and children -1 and rate NAN, as does a
 * headline headline.csv says is not known. Replaces D's trend tables (freed first); the rest
 * of D is not touched. YJ_EX_USAGE for a PERIOD that is not YYYYQn or QUARTERS 0 or over
 * BOARD_TREND_MAX_QUARTERS; YJ_EX_IOERR when the ledger exists but does not verify (which
 * quarters were submitted is then not known). */
int board_trend(const char *runs_root, const char *yot, const char *period, unsigned quarters,
                const char *this_run, struct board_data *d, struct yj_error *err);

/* Writes trend_kpi.csv and trend_recording.csv (RD_REPORT_TREND_KPI,
 * RD_REPORT_TREND_RECORDING: names and modes from rundir) into out_dir atomically; columns
 * documented in docs/trends.md; a quarter's mark in a column. */
int board_trend_write(const char *out_dir, const struct board_data *d, struct yj_error *err);

/* How many quarters of D's KPI trend hold figures (not missing, not unverified): the pack
 * says "fewer than two quarters" instead of drawing an empty chart when this is < 2. */
size_t board_trend_quarters_with_figures(const struct board_data *d);

/* The most quarters board_trend() reads: a hundred years. */
#define BOARD_TREND_MAX_QUARTERS 400

#endif
