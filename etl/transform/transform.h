/*
 * transform.h - yj-transform: staged files + code maps -> the Child Level Data return XML.
 */
#ifndef YJ_TRANSFORM_H
#define YJ_TRANSFORM_H

#include "config.h"
#include "error.h"

struct transform_options {
    const char *in_dir;   /* staged/ folder with its MANIFEST */
    const char *out_dir;  /* return/ folder; created if missing */
    const char *sign_off; /* YYYY-MM-DD the return was signed off, or NULL (not for submission) */
    const char *previous; /* the service's last submitted return (cld.xml), or NULL: its
                           * children the warehouse no longer holds are notified as deleted */
};

/* Name of the return file inside out_dir. */
#define TRANSFORM_RETURN_FILE "cld.xml"

int transform_run(const struct yj_config *cfg, const struct transform_options *opt,
                  struct yj_error *err);

#endif
