/*
 * submit.h - yj-submit: upload a validated return over HTTPS with mutual TLS, exactly once,
 * keep a receipt, and record every attempt in the runs root's ledger.
 */
#ifndef YJ_SUBMIT_H
#define YJ_SUBMIT_H

#include "stages.h"
#include "config.h"
#include "error.h"

/* struct submit_options: etl/core/stages.h, what yj-submit's command line parses into */

int submit_run(const struct yj_config *cfg, const struct submit_options *opt, struct yj_error *err);

#endif
