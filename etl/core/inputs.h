/*
 * inputs.h - the service-level inputs of a schema bundle (BUNDLE/kpi/inputs.conf).
 *
 * Some KPIs need facts about the service rather than about a child: the management board's
 * attendance, the local 10-17 population. Each such input is one line of inputs.conf,
 * "NAME COLUMN COLUMN ...": the query sql/service/NAME.sql must select exactly these columns
 * in this order, and yj-extract stages its rows, in the same snapshot as the per-child
 * entities, as staged/service/NAME.tsv (manifest name "service/NAME.tsv"), read back with
 * staged_reader_open_service(). yj-extract checks its queries against the file and yj-kpi
 * reads the staged files by it.
 *
 * Everything here is owned by struct inputs and freed by inputs_release().
 */
#ifndef YJ_INPUTS_H
#define YJ_INPUTS_H

#include "error.h"
#include "sha256.h"

#define INPUTS_FILE "kpi/inputs.conf" /* relative to the bundle folder */

struct service_input {
    char *name;     /* "board_attendance": query NAME.sql, staged service/NAME.tsv */
    char **columns; /* in query order */
    int ncolumns;
    int line; /* in inputs.conf, for messages */
};

struct inputs {
    char *path;  /* BUNDLE/kpi/inputs.conf */
    int present; /* 0: the bundle has no inputs.conf (only when loaded as optional) */
    char sha256[SHA256_HEX_LEN + 1];
    struct service_input *inputs; /* in file order */
    int ninputs;
};

void inputs_init(struct inputs *in);
/* Loads BUNDLE_DIR/kpi/inputs.conf. A missing file is an error (66) when required; when not,
 * it gives YJ_OK with present = 0 and no inputs. A bad line (a name or column that is not
 * [a-z0-9_], a name without columns, a column listed twice) or a name given twice is 78,
 * naming the file and line. */
int inputs_load(struct inputs *in, const char *bundle_dir, int required, struct yj_error *err);
/* Loads a file at PATH (inputs_load's work, for any path; present = 1 on success). */
int inputs_load_file(struct inputs *in, const char *path, struct yj_error *err);
/* The input named NAME, or NULL. */
const struct service_input *inputs_find(const struct inputs *in, const char *name);
/* The staged file's manifest name, "service/NAME.tsv" (malloc'd). */
char *inputs_staged_name(const char *name);
/* Checks that COLUMNS (NCOLUMNS names, e.g. a query's or a staged file's header) are exactly
 * the input's columns in order. On a difference, fails with CODE and a message naming WHAT
 * (e.g. "query 'sql/service/population.sql'"), the inputs.conf path and line, and the
 * column. */
int inputs_check_columns(const struct inputs *in, const struct service_input *si, const char *what,
                         const char *const *columns, int ncolumns, int code, struct yj_error *err);
void inputs_release(struct inputs *in);

#endif
