/*
 * extract.h - yj-extract: warehouse -> staged files, in one consistent snapshot.
 */
#ifndef YJ_EXTRACT_H
#define YJ_EXTRACT_H

#include "stages.h"
#include "config.h"
#include "error.h"
#include "period.h"

/* struct extract_options: etl/core/stages.h, what yj-extract's command line parses into */

int extract_run(const struct yj_config *cfg, const struct extract_options *opt,
                struct yj_error *err);

/* The preflight (yj-run --check, and before every run): what yj-extract would read for a
 * period, asked of the warehouse without reading it (extract_check.c). Each step returns YJ_OK
 * or an exit status with ERR set. */
struct extract_check;

/* Loads the queries, the period's bundle and its item descriptions as yj-extract does (78, 66
 * when they disagree or are missing); *OUT is set either way: free it. */
int extract_check_open(struct extract_check **out, const struct yj_config *cfg,
                       const struct yj_period *period, struct yj_error *err);
/* The queries loaded: per child and service-level. */
size_t extract_check_queries(const struct extract_check *c);
/* Connects with [warehouse] conninfo and begins yj-extract's read-only snapshot: 69 when the
 * warehouse cannot be reached. */
int extract_check_connect(struct extract_check *c, struct yj_error *err);
/* The role connected as ("-" before). */
const char *extract_check_role(const struct extract_check *c);
/* The newest recorded change of the warehouse (UTC, "YYYY-MM-DDTHH:MM:SSZ") and its age in
 * seconds; "" and -1 when it records none. Run it before extract_check_rights(). Here and
 * there, 75 is a query that waited over a second for a lock another session holds (DDL,
 * VACUUM FULL): not checked, and nothing more is asked. */
int extract_check_freshness(struct extract_check *c, char newest[32], double *age_seconds,
                            struct yj_error *err);
/* Plans (EXPLAIN) and describes every query as the role: 77 naming the first query the role
 * lacks a right for, 78 for one whose columns are not those its description reads. */
int extract_check_rights(struct extract_check *c, struct yj_error *err);
void extract_check_free(struct extract_check *c);

#endif
