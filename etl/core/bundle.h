/*
 * bundle.h - choosing the schema bundle (XSD, code maps, rules) for a return period.
 *
 * mappings/bundles.conf lists "FIRST_PERIOD LAST_PERIOD BUNDLE" lines ('-' for an open end);
 * the first line whose range holds the period wins. An old period keeps running with the
 * bundle it was submitted under, whatever bundles are added later.
 */
#ifndef YJ_BUNDLE_H
#define YJ_BUNDLE_H

#include "error.h"
#include "period.h"

struct bundle {
    char *name;                   /* e.g. "schema-11" */
    char *dir;                    /* mappings/schema-11 */
    char *schema_version;         /* "11": the part after "schema-" */
    struct school_age school_age; /* bundle_school_age(), for the stages that apply it */
};

void bundle_init(struct bundle *b);
int bundle_for_period(struct bundle *b, const char *mappings_dir, const struct yj_period *p,
                      struct yj_error *err);
/* For validation of any file: the bundle named by a schema version. */
int bundle_for_version(struct bundle *b, const char *mappings_dir, const char *version,
                       struct yj_error *err);
void bundle_release(struct bundle *b);

#define SCHOOL_AGE_FILE "school_age.conf"
/* Reads BUNDLE_DIR/school_age.conf, the bundle's one statutory school age rule (leaving_age,
 * year_end MM-DD), into SA and its SHA-256 into SHA (may be NULL). YJ_EX_NOINPUT when the file
 * is missing, YJ_EX_CONFIG with one line naming the file, the line and the key otherwise. */
int bundle_school_age(const char *bundle_dir, struct school_age *sa, char sha[65],
                      struct yj_error *err);

#endif
