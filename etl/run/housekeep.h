/*
 * housekeep.h - the runs root's housekeeping, done by each run under its period's lock before
 * it begins (etl/run/housekeep.c).
 */
#ifndef YJ_HOUSEKEEP_H
#define YJ_HOUSEKEEP_H

/* In RUNS_ROOT/<yot>/<period>/: removes every *.tmp file (what runs killed mid-write left)
 * and the staged *.tsv files of runs whose RUN says they were removed (a run killed between
 * its RUN and their removal); then in every period folder of the service, each under its own
 * lock (one another run holds is left for later), removes the nightly run folders (never
 * submitted) older than KEEP_DAYS by the UTC time in their name (none when KEEP_DAYS is 0).
 * Each kind of removal is logged with its count. Call it holding the period's lock. */
void housekeep_period(const char *runs_root, const char *yot, const char *period, long keep_days);

#endif
