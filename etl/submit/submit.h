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

/* Seconds to wait before retry number RETRY (1, 2, ...) with [submit] backoff BACKOFF:
 * BACKOFF * 2^(RETRY-1), at most 60 s, with "equal jitter" (half fixed, half R / 2^32 of the
 * other half), and never less than the receiver's Retry-After (RETRY_AFTER seconds, 0 if none).
 * yj-submit draws R at random; a pure function, so the policy can be tested. */
double submit_backoff(double backoff, int retry, unsigned int r, double retry_after);

#endif
