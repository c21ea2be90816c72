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

#endif
