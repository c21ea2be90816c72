/*
 * kconf_read.h - private to the KPI rules loader (kconf.c, ksettings.c, ktemplates.c, krows.c,
 * kfields.c): the
 * line reading every rules file shares and the loaders of kpi.conf and templates.conf that
 * kconf_load() calls. Not for the rest of yj-kpi, which uses kconf.h.
 */
#ifndef YJ_KCONF_READ_H
#define YJ_KCONF_READ_H

#include "kconf.h"

#include <stdio.h>

#define LINE_MAX_BYTES 4096

/* kconf.c: the index of S in the NULL-ended list L, or -1. */
int kconf_list_find(const char *const *l, const char *s);
/* kconf.c: the words of mh_intervention.csv's and sm_intervention.csv's type column. */
extern const char *const kconf_mh_types[];
extern const char *const kconf_sm_types[];
/* kconf.c: reads the rules file PATH, its SHA-256 into SHA, and calls FN with each line that
 * is not blank or a comment (FN may change the line in place) and its number, stopping at the
 * first error; a line too long, a NUL byte or a byte order mark (refused in a .conf file,
 * skipped in a .csv) is an error naming the file and the line. Closes the file in any case. */
typedef int (*kconf_line_fn)(void *ctx, char *line, int lineno, struct yj_error *err);
int kconf_read_file(const char *path, char sha[65], kconf_line_fn fn, void *ctx,
                    struct yj_error *err);

/* ksettings.c: kpi.conf into k->s; kconf_free_list frees one of its group lists. */
int kconf_load_settings(struct kconf *k, struct yj_error *err);
void kconf_free_list(char **l);

/* ktemplates.c: templates.conf into k->templates. */
int kconf_load_templates(struct kconf *k, struct yj_error *err);

/* kfields.c: fields.conf into k->fields, each element checked against IT (items.conf). */
struct items;
int kconf_load_fields(struct kconf *k, const struct items *it, struct yj_error *err);
/* kfields.c: the item (a KF_ key) of field F. */
int kconf_field_item(int f);

/* krows.c: the index of row KEY of template T, or -1; k->rows from the loaded templates. */
int kconf_row_find(const struct kconf *k, int t, const char *key);
int kconf_resolve_rows(struct kconf *k, struct yj_error *err);

#endif
