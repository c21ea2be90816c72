/*
 * validate.h - yj-validate: any return XML -> schema and business-rule report.
 */
#ifndef YJ_VALIDATE_H
#define YJ_VALIDATE_H

#include "error.h"

struct validate_options {
    const char *mappings; /* folder holding schema-N/ bundles */
    const char *file;     /* the return to check */
    const char *report;   /* report file to write (mode 0600: messages may quote values) */
};

struct validate_result {
    unsigned long errors;  /* schema errors and rule errors */
    unsigned long queries; /* unusual but allowed: may be explained */
    unsigned long children;
    char sha256[65]; /* of the file checked */
};

/* YJ_OK when valid, YJ_EX_DATAERR when invalid (report written either way). */
int validate_run(const struct validate_options *opt, struct validate_result *res,
                 struct yj_error *err);

#endif
