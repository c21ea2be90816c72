/*
 * extract.h - yj-extract: warehouse -> staged files, in one consistent snapshot.
 */
#ifndef YJ_EXTRACT_H
#define YJ_EXTRACT_H

#include "config.h"
#include "error.h"
#include "period.h"

struct extract_options {
    struct yj_period period;
    const char *as_of;   /* "as recorded at" timestamp as given, or NULL for the snapshot time */
    const char *out_dir; /* the staged/ folder of a run directory; created if missing */
};

int extract_run(const struct yj_config *cfg, const struct extract_options *opt,
                struct yj_error *err);

#endif
