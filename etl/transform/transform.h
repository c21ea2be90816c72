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

#include "stages.h"
#include "config.h"
#include "error.h"

/* struct transform_options: etl/core/stages.h, what yj-transform's command line parses into */

/* The names of the return's files are rundir.h's (RUNDIR_RETURN_XML, RUNDIR_PART_FORMAT, ...). */

int transform_run(const struct yj_config *cfg, const struct transform_options *opt,
                  struct yj_error *err);

#endif
