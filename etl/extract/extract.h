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

#endif
