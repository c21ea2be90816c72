/*
 * justify.h - explained queries: the service's justifications file.
 *
 * A query is a finding that is unusual but may be right (a child aged 18 at an outcome, an
 * ethnicity not stated). The service explains one once, in `justifications.csv` beside its
 * configuration: rule, child (warehouse id or ypid), item (as the finding names it, e.g.
 * "offence 71 offenceLegalOutcome[1]" or "person"), reason, who, date. An explained query is
 * listed apart in the report and does not count as a query; the file is kept by the service,
 * so an explanation holds for every rerun and later period until the record changes; an
 * entry that matches no finding any more is reported as stale.
 */
#ifndef YJ_JUSTIFY_H
#define YJ_JUSTIFY_H

#include "error.h"
#include "rules.h"

#define JUSTIFY_FILE "justifications.csv"

struct justification {
    char *rule, *child, *item, *reason, *who, *date;
    int line;
    unsigned long used;
};

struct justify {
    char *path; /* NULL: no file */
    struct justification *j;
    size_t n;
};

void justify_init(struct justify *js);
/* Loads PATH. An absent file explains nothing, unless REQUIRED (the file was named on the
 * command line: YJ_EX_NOINPUT). A UTF-8 byte order mark (Excel's "CSV UTF-8") is skipped.
 * Every error names the file and line. */
int justify_load(struct justify *js, const char *path, const struct rules *rs, int required,
                 struct yj_error *err);
/* The justification of a query finding, or NULL. `where` is the finding's
 * "child [WID ]ypid YPID ITEM field F". */
struct justification *justify_match(struct justify *js, const struct rule *r, const char *where);
void justify_release(struct justify *js);

#endif
