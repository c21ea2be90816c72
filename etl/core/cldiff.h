/*
 * cldiff.h - the record-level difference of two returns.
 *
 * cld_diff_write() reads two return folders (the one sent, the one rebuilt now) through the
 * return reader and writes every difference into a CSV file (mode 0600: it quotes values):
 *   child,ypid,item,item_id,field,sent,now
 * one line per field that differs, per item or child on one side only ("present"), per
 * deletion notice on one side only, and per envelope field that differs. Children are
 * matched by ypid through the warehouse ids of NEW_STAGED's person file (the newer return's
 * staged folder). The counts it keeps name items and fields only, never a value, so they
 * may be logged.
 */
#ifndef YJ_CLDIFF_H
#define YJ_CLDIFF_H

#include "atomic.h"
#include "cldreader.h"
#include "error.h"
#include "items.h"

struct cld_diff_count {
    char *key; /* "item.field", "item" or "child" */
    unsigned long n;
};

struct cld_diff {
    /* results */
    unsigned long long lines, children, children_differ, only_sent, only_now;
    struct cld_diff_count *stats;
    size_t nstats;
    /* private */
    const struct items *it;
    int *id_field; /* per item: the field holding its id, or -1 */
    struct atomic_file af;
    int status;
    struct yj_error *err;
};

void cld_diff_init(struct cld_diff *d);
/* Writes DIFF_PATH (atomically) with every difference between the returns of SENT_DIR and
 * NEW_DIR, both of schema SCHEMA (the bundle's version; NULL: each MANIFEST's). */
int cld_diff_write(struct cld_diff *d, const struct items *it, const char *sent_dir,
                   const char *new_dir, const char *new_staged, const char *schema,
                   const char *diff_path, struct yj_error *err);
void cld_diff_release(struct cld_diff *d);
/* The staged file of NEW_STAGED that cld_diff_write() names children by (malloc'd): a run
 * that succeeded has removed it. */
char *cld_diff_ids_file(const char *new_staged);

#endif
