/*
 * transform.h - yj-transform: staged files + code maps -> the Child Level Data return XML.
 *
 * The return is one cld.xml, or, when [return] children_per_part is set and there are more
 * children than that, the numbered parts cld-part-0001.xml ... each a whole document of its
 * own (deletion notices in the last). Either way cld.zip holds the same files in order, with
 * fixed times and modes, for the email fallback: the same return always gives the same zip.
 */
#ifndef YJ_TRANSFORM_H
#define YJ_TRANSFORM_H

#include "config.h"
#include "error.h"

struct transform_options {
    const char *in_dir;   /* staged/ folder with its MANIFEST */
    const char *out_dir;  /* return/ folder; created if missing */
    const char *sign_off; /* YYYY-MM-DD the return was signed off, or NULL (not for submission) */
    const char *previous; /* the service's last submitted return (cld.xml, or its first part),
                           * or NULL: its children the warehouse no longer holds are notified
                           * as deleted */
    const char *const *previous_more; /* the other parts of that return, when it was split */
    int nprevious_more;
    const char *period;    /* the period asked for (YYYYQn): the staged MANIFEST's must be it; or
                            * NULL */
    const char *in_sha256; /* the staged MANIFEST's SHA-256 as recorded when yj-extract ended, or
                            * NULL */
};

/* The names of the return's files are rundir.h's (RUNDIR_RETURN_XML, RUNDIR_PART_FORMAT, ...). */

int transform_run(const struct yj_config *cfg, const struct transform_options *opt,
                  struct yj_error *err);

#endif
