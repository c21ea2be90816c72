/*
 * yj-validate - check any return file against its schema and the business rules; given the
 * parts of a return, check them on up to --jobs workers (parts.c).
 */
#include "justify.h"
#include "log.h"
#include "mem.h"
#include "parts.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* justifications.csv beside the config file (malloc'd). */
static char *
beside(const char *config)
{
    const char *slash = strrchr(config, '/');
    size_t n = slash ? (size_t)(slash - config) + 1 : 0;
    char *path = xmalloc(n + sizeof(JUSTIFY_FILE));

    memcpy(path, config, n);
    memcpy(path + n, JUSTIFY_FILE, sizeof(JUSTIFY_FILE));
    return path;
}

/* One document: what a call for one return file runs, and what each part's worker runs. */
static int
validate_document(struct cli_session *ss, struct validate_options *opt)
{
    struct validate_result res;
    char *justifications = NULL;
    int rc;

    if ((rc = validate_check_paths(opt, &ss->err)) != YJ_OK)
        return rc;
    if (opt->config) {
        if ((rc = config_load(&ss->cfg, opt->config, &ss->err)) != YJ_OK ||
            (rc = config_require(ss->cfg.mappings, "return", "mappings", opt->config, &ss->err)))
            return rc;
        opt->mappings = ss->cfg.mappings;
        if (!opt->justifications)
            opt->justifications = justifications = beside(opt->config);
    }
    log_info("begin: file=%s mappings=%s report=%s", opt->file, opt->mappings, opt->report);
    rc = cli_outcome(ss, validate_run(opt, &res, &ss->err));
    log_info("end: status %d, %lu children, %lu errors, %lu queries in %.2f s", rc, res.children,
             res.errors, res.queries, log_now() - ss->t0);
    free(justifications);
    return rc;
}

static int
validate(struct cli_session *ss, void *o)
{
    struct validate_options *opt = o;
    int jobs, rc;

    opt->justifications_required = opt->justifications != NULL;
    if ((rc = cli_jobs(opt->jobs, PARTS_MAX_JOBS, &jobs, &ss->err)) != YJ_OK)
        return rc;
    if (opt->follow_fd)
        return validate_follow_run(ss, opt, jobs, validate_document);
    if (opt->files.n == 1) {
        opt->file = opt->files.v[0];
        return validate_document(ss, opt);
    }
    return validate_parts_run(ss, opt, jobs, validate_document);
}

int
main(int argc, char **argv)
{
    struct validate_options opt = {0};

    return cli_main(&validate_cli, argc, argv, &opt, validate);
}
