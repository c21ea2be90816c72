/*
 * parts.h - yj-validate given the parts of a return (parts.c): each part checked by a worker
 * process running what one call for that part runs, up to --jobs at once, with its report,
 * stderr and status as that call would give them, in part order.
 */
#ifndef YJ_VALIDATE_PARTS_H
#define YJ_VALIDATE_PARTS_H

#include "cli.h"
#include "error.h"
#include "stages.h"

/* What one call for one document runs (the main's): OPT->file and OPT->report are set. */
typedef int (*validate_one_fn)(struct cli_session *ss, struct validate_options *opt);

/* The most workers --jobs may ask for (cli_jobs: NULL is the online cores). */
#define PARTS_MAX_JOBS 1024

/* How much lower a follower's workers run (nice(2)) than yj-transform and yj-kpi: yj-transform
 * writes the parts one after the other on one core and yj-kpi counts them on one core, so the
 * run ends soonest when they never wait for a core and the validation takes what they leave. */
#define PARTS_FOLLOW_NICE 10

/* The report of part FILE (cld-part-NNNN.xml, in any folder): REPORT with "-NNNN" before its
 * extension ("validate/report.txt" -> "validate/report-0002.txt"), malloc'd; NULL with ERR
 * (YJ_EX_USAGE) for a file that is not a part. */
char *validate_parts_report(const char *report, const char *file, struct yj_error *err);

/* Checks every part of OPT->files with ONE on up to JOBS workers; stderr gets each part's lines
 * in part order. The status of the first part that failed, in order (its own lines said why),
 * or YJ_OK; YJ_EX_USAGE before anything runs for a file that is not a part or two parts of one
 * number; 70 or 73 when a worker could not be started (the parts started are waited for). */
int validate_parts_run(struct cli_session *ss, struct validate_options *opt, int jobs,
                       validate_one_fn one);

/* yj-run's --follow-fd: the return whose file opt->files names (cld.xml, in the folder its
 * parts are written to) validated as yj-transform writes it, from the parts feed on the
 * descriptor (etl/core/partfeed.h). A return in parts: each part checked as validate_parts_run
 * checks it, on up to JOBS workers, as soon as the feed says it is whole (its temporary file
 * read until it is renamed), with the feed's facts in the stead of the MANIFEST's; once the
 * feed says "done", the MANIFEST must say of every part what the feed said. A return of one
 * document: checked once the feed says "done", as a call for it. The reports, stderr and status
 * are those of a call given the return's documents after yj-transform ended. A feed that ends
 * before "done" is exit 75, a malformed one or a MANIFEST that differs 65: then every worker is
 * stopped and no report is kept. */
int validate_follow_run(struct cli_session *ss, struct validate_options *opt, int jobs,
                        validate_one_fn one);

#endif
