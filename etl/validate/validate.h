/*
 * validate.h - yj-validate: any return XML -> schema and business-rule report.
 */
#ifndef YJ_VALIDATE_H
#define YJ_VALIDATE_H

#include "stages.h"
#include "error.h"
#include "manifest.h"
#include "sha256.h"

/* struct validate_options: etl/core/stages.h, what yj-validate's command line parses into */

struct validate_result {
    unsigned long errors;    /* schema errors and rule errors */
    unsigned long queries;   /* unusual but allowed, and not explained */
    unsigned long explained; /* queries the justifications file explains */
    unsigned long stale;     /* justifications that match no finding */
    unsigned long children;
    char sha256[65]; /* of the file checked */
};

/* The deepest element nesting validated: a return is about eight levels deep. An element
 * deeper than this is a finding and stops the validation, which keeps memory bounded. */
#define VALIDATE_MAX_DEPTH 256

/* What the return MANIFEST M says of the return's period: 1 complete, 0 in progress (its
 * period_complete is "no"), -1 when it does not say. */
int validate_period_complete(const struct manifest *m);

/* What the return MANIFEST beside a part says of it and of the return's parts. */
struct validate_part_facts {
    char *manifest;            /* the MANIFEST's path (malloc'd; validate_part_facts_release) */
    unsigned long long before; /* the children of the parts before it */
    unsigned long long all;    /* the children of every part */
    unsigned long long rows;   /* its own */
    char sha256[SHA256_HEX_LEN + 1];
    int period_complete; /* 1, 0, or -1 when the MANIFEST does not say */
};

/* The facts of part FILE (cld-part-NNNN.xml) from the return MANIFEST in its folder, which must
 * list it and, when STAGED_SHA is not NULL, be of the staged folder STAGED whose MANIFEST has
 * that SHA-256 (its input_manifest_sha256). YJ_EX_DATAERR (or the MANIFEST's read error) with ERR
 * naming the MANIFEST, its line and the part; PF->manifest is set either way. */
int validate_part_facts(const char *file, const char *staged, const char *staged_sha,
                        struct validate_part_facts *pf, struct yj_error *err);
/* The same from the MANIFEST M, read already (from the folder of FILE). */
int validate_part_facts_of(const struct manifest *m, const char *file, const char *staged,
                           const char *staged_sha, struct validate_part_facts *pf,
                           struct yj_error *err);
void validate_part_facts_release(struct validate_part_facts *pf);

/* YJ_EX_USAGE, before anything is written, when the report (or the "<report>.tmp" it is
 * written through) is the return file itself, whatever the spelling: same device and inode
 * when both exist (a report that does not exist yet cannot be the return). */
int validate_check_paths(const struct validate_options *opt, struct yj_error *err);

/* YJ_OK when valid, YJ_EX_DATAERR when invalid or not well-formed (report written either
 * way), YJ_EX_USAGE as validate_check_paths(). */
int validate_run(const struct validate_options *opt, struct validate_result *res,
                 struct yj_error *err);

#endif
