/*
 * submit.h - yj-submit: upload a validated return over HTTPS with mutual TLS, keep a receipt.
 */
#ifndef YJ_SUBMIT_H
#define YJ_SUBMIT_H

#include "config.h"
#include "error.h"

struct submit_options {
    const char *run_dir; /* holds return/cld.xml, return/MANIFEST, validate/report.txt */
};

int submit_run(const struct yj_config *cfg, const struct submit_options *opt, struct yj_error *err);

#endif
