/*
 * board_ind_conf.c - the rules of the board pack's indicators: report/indicators.conf ("KEY =
 * VALUE" lines, every key once) and report/ethnicity_group.csv (each YJB ethnicity code of the
 * bundle's ethnicity.csv, exactly once, with its group). A bad line is one error naming the
 * file, the line and the value; nothing is guessed. See board_ind_int.h.
 */
#include "board_ind_int.h"

#include "atomic.h"
#include "codemap.h"
#include "sha256.h"
#include "textline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define CONF_LINE_MAX 4096

/* The keys of indicators.conf. */
enum {
    K_FTE_GROUPS,
    K_COURT_GROUPS,
    K_CUSTODY_GROUP,
    K_AGE_MIN,
    K_AGE_MAX,
    K_INDEX_GROUPS,
    K_RELEASE_GROUP,
    K_COHORT_MONTHS,
    K_REOFFENCE_DAYS,
    K_PROVEN_EXTRA_DAYS,
    K_OFFENCE_TYPE_GROUPS,
    K_POPULATION_INPUT,
    K_POPULATION_YEARS_BACK,
    K_POPULATION_AGE_BANDS,
    K_POPULATION_GROUPS,
    K_COMPARATOR_GROUP,
    K_FTE_RATE_PER,
    K_CUSTODY_RATE_PER,
    K_N
};

static const char *const key_names[K_N] = {"fte_groups",
                                           "court_groups",
                                           "custody_group",
                                           "age_min",
                                           "age_max",
                                           "index_groups",
                                           "release_group",
                                           "cohort_months",
                                           "reoffence_days",
                                           "proven_extra_days",
                                           "offence_type_groups",
                                           "population_input",
                                           "population_years_back",
                                           "population_age_bands",
                                           "population_groups",
                                           "comparator_group",
                                           "fte_rate_per",
                                           "custody_rate_per"};

void
bind_conf_init(struct bind_conf *c)
{
    memset(c, 0, sizeof(*c));
}

static int
group_of(const char *s)
{
    for (int g = 0; g < GRP_N; g++)
        if (strcmp(kgroup_names[g], s) == 0)
            return g;
    return -1;
}

/* A list of legal outcome groups into *BITS. */
static int
parse_groups(char *v, unsigned *bits)
{
    char *cursor = v, *tok;

    *bits = 0;
    while ((tok = str_token(&cursor, ",")) != NULL) {
        int g = group_of(str_trim(tok));
        if (g < 0 || (*bits & (1u << g)))
            return -1;
        *bits |= 1u << g;
    }
    return *bits ? 0 : -1;
}

int
bind_parse_long(const char *v, long min, long max, long *out)
{
    char *end;
    long n;

    if (!v)
        return -1;
    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max)
        return -1;
    *out = n;
    return 0;
}

/* population_groups: CODE:NAME,... */
static int
parse_population_groups(struct bind_conf *c, char *v)
{
    char *cursor = v, *tok;

    while ((tok = str_token(&cursor, ",")) != NULL) {
        char *colon = strchr(tok, ':');
        if (!colon || c->ngroups == BIND_MAX_GROUPS)
            return -1;
        *colon = '\0';
        tok = str_trim(tok);
        colon = str_trim(colon + 1);
        if (!*tok || !*colon || strcmp(colon, BOARD_NOT_STATED) == 0)
            return -1;
        for (int g = 0; g < c->ngroups; g++)
            if (strcmp(c->pop_codes[g], tok) == 0 || strcmp(c->group_names[g], colon) == 0)
                return -1;
        c->pop_codes[c->ngroups] = xstrdup(tok);
        c->group_names[c->ngroups++] = xstrdup(colon);
    }
    return c->ngroups ? 0 : -1;
}

static int
parse_bands(struct bind_conf *c, char *v)
{
    char *cursor = v, *tok;

    while ((tok = str_token(&cursor, ",")) != NULL) {
        tok = str_trim(tok);
        if (!*tok || c->nbands == BIND_MAX_BANDS)
            return -1;
        c->bands[c->nbands++] = xstrdup(tok);
    }
    return c->nbands ? 0 : -1;
}

/* One "KEY = VALUE" line; *KEY gets the key's index. */
static int
set_key(struct bind_conf *c, int key, char *v)
{
    long n = 0;
    int g;

    switch (key) {
    case K_FTE_GROUPS:
        return parse_groups(v, &c->fte_groups);
    case K_COURT_GROUPS:
        return parse_groups(v, &c->court_groups);
    case K_INDEX_GROUPS:
        return parse_groups(v, &c->index_groups);
    case K_OFFENCE_TYPE_GROUPS:
        return parse_groups(v, &c->offence_type_groups);
    case K_CUSTODY_GROUP:
    case K_RELEASE_GROUP:
        if ((g = group_of(v)) < 0)
            return -1;
        *(key == K_CUSTODY_GROUP ? &c->custody_group : &c->release_group) = g;
        return 0;
    case K_POPULATION_INPUT:
        c->population_input = xstrdup(v);
        return *v ? 0 : -1;
    case K_POPULATION_AGE_BANDS:
        return parse_bands(c, v);
    case K_POPULATION_GROUPS:
        return parse_population_groups(c, v);
    case K_COMPARATOR_GROUP:
        return 0;         /* resolved once population_groups is read */
    case K_COHORT_MONTHS: /* the cohorts are quarters: the value states it */
        if (bind_parse_long(v, 3, 3, &n) != 0)
            return -1;
        c->cohort_months = (int)n;
        return 0;
    case K_FTE_RATE_PER:
    case K_CUSTODY_RATE_PER:
        if (bind_parse_long(v, 1, 100000000, &n) != 0)
            return -1;
        *(key == K_FTE_RATE_PER ? &c->fte_rate_per : &c->custody_rate_per) = n;
        return 0;
    default: {
        int *target[K_N] = {[K_AGE_MIN] = &c->age_min,
                            [K_AGE_MAX] = &c->age_max,
                            [K_REOFFENCE_DAYS] = &c->reoffence_days,
                            [K_PROVEN_EXTRA_DAYS] = &c->proven_extra_days,
                            [K_POPULATION_YEARS_BACK] = &c->population_years_back};
        if (bind_parse_long(v, 0, 100000, &n) != 0)
            return -1;
        *target[key] = (int)n;
        return 0;
    }
    }
}

/* Opens PATH for reading: YJ_EX_NOINPUT when it is missing. */
static int
open_rules(const char *path, FILE **f, char sha[65], struct yj_error *err)
{
    unsigned long long bytes;

    if (sha256_file(path, sha, &bytes) != 0 || !(*f = fopen(path, "r")))
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not read rules file '%s'", path);
    return YJ_OK;
}

/* The next line of F that is not blank or a comment, trimmed, into BUF; 0 at the end. */
static int
next_line(FILE *f, const char *path, char *buf, size_t size, int *lineno, int bom_ok, char **line,
          struct yj_error *err)
{
    for (;;) {
        int st = textline_read(f, buf, size, ++*lineno, bom_ok);
        if (st == TEXTLINE_EOF)
            return 0;
        if (st != TEXTLINE_OK) {
            yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s", path, *lineno, textline_problem(st));
            return -1;
        }
        *line = str_trim(buf);
        if (**line && **line != '#')
            return 1;
    }
}

static int
load_conf(struct bind_conf *c, struct yj_error *err)
{
    char buf[CONF_LINE_MAX], *line, comparator[BOARD_NAME_LEN] = "";
    int lineno = 0, seen[K_N] = {0}, st, rc = YJ_OK;
    FILE *f = NULL;

    if ((rc = open_rules(c->path, &f, c->sha256, err)) != YJ_OK)
        return rc;
    while ((st = next_line(f, c->path, buf, sizeof(buf), &lineno, 0, &line, err)) > 0) {
        char *eq = strchr(line, '='), *key, *v;
        int k;
        if (!eq) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: expected 'KEY = VALUE'", c->path,
                              lineno);
            break;
        }
        *eq = '\0';
        key = str_trim(line);
        v = str_trim(eq + 1);
        for (k = 0; k < K_N && strcmp(key_names[k], key) != 0; k++)
            ;
        if (k == K_N) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unknown key '%s'", c->path, lineno,
                              key);
            break;
        }
        if (seen[k]) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: key '%s' given twice (also line %d)",
                              c->path, lineno, key, seen[k]);
            break;
        }
        seen[k] = lineno;
        if (k == K_COMPARATOR_GROUP)
            snprintf(comparator, sizeof(comparator), "%s", v);
        if (set_key(c, k, v) != 0) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s: '%s' is not a valid value",
                              c->path, lineno, key, v);
            break;
        }
    }
    fclose(f);
    if (st < 0)
        return YJ_EX_CONFIG;
    for (int k = 0; rc == YJ_OK && k < K_N; k++)
        if (!seen[k])
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s: key '%s' is missing", c->path, key_names[k]);
    if (rc == YJ_OK && c->age_min > c->age_max)
        rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: age_min %d is above age_max %d", c->path,
                          seen[K_AGE_MIN], c->age_min, c->age_max);
    if (rc == YJ_OK && !(c->court_groups & (1u << c->custody_group)))
        rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: custody_group is not one of court_groups",
                          c->path, seen[K_CUSTODY_GROUP]);
    if (rc == YJ_OK && (c->offence_type_groups & ~c->court_groups))
        rc = yj_error_set(err, YJ_EX_CONFIG,
                          "%s line %d: offence_type_groups holds a group not of court_groups",
                          c->path, seen[K_OFFENCE_TYPE_GROUPS]);
    c->comparator = -1;
    for (int g = 0; rc == YJ_OK && g < c->ngroups; g++)
        if (strcmp(c->group_names[g], comparator) == 0)
            c->comparator = g;
    if (rc == YJ_OK && c->comparator < 0)
        rc = yj_error_set(err, YJ_EX_CONFIG,
                          "%s line %d: comparator_group: '%s' is not a group of population_groups",
                          c->path, seen[K_COMPARATOR_GROUP], comparator);
    return rc;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The YJB codes of the bundle's ethnicity.csv (its yjb column), sorted, distinct. */
static int
yjb_codes(const char *bundle_dir, char ***codes, size_t *n, struct yj_error *err)
{
    char *path = path_join(bundle_dir, "ethnicity.csv");
    struct codemap m;
    int rc;

    codemap_init(&m);
    *codes = NULL;
    *n = 0;
    if ((rc = codemap_load(&m, path, err)) == YJ_OK) {
        *codes = xcalloc(m.nrows + 1, sizeof(**codes));
        for (size_t i = 0; i < m.nrows; i++)
            (*codes)[(*n)++] = xstrdup(m.rows[i].values[0]);
        qsort(*codes, *n, sizeof(**codes), cmp_str);
        {
            size_t j = 0;
            for (size_t i = 0; i < *n; i++) { /* distinct */
                if (j == 0 || strcmp((*codes)[i], (*codes)[j - 1]) != 0)
                    (*codes)[j++] = (*codes)[i];
                else
                    free((*codes)[i]);
            }
            *n = j;
        }
    }
    codemap_release(&m);
    free(path);
    return rc;
}

static void
free_codes(char **codes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(codes[i]);
    free(codes);
}

/* One "CODE,GROUP" row of ethnicity_group.csv at LINENO: the code one of KNOWN (NKNOWN) given
 * once (LINES: where each known code was given), the group one of population_groups or empty. */
static int
group_row(struct bind_conf *c, char *line, int lineno, char **known, size_t nknown, int *lines,
          struct yj_error *err)
{
    char *comma = strchr(line, ','), *code = line, *group, **at;
    int g = -1;

    if (!comma || strchr(comma + 1, ','))
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: expected 'ethnicity,group'",
                            c->groups_path, lineno);
    *comma = '\0';
    code = str_trim(code);
    group = str_trim(comma + 1);
    at = bsearch(&code, known, nknown, sizeof(*known), cmp_str);
    if (!at)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: '%s' is not a code of the bundle's ethnicity.csv",
                            c->groups_path, lineno, code);
    if (lines[at - known])
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: code '%s' given twice (also line %d)",
                            c->groups_path, lineno, code, lines[at - known]);
    for (int i = 0; *group && i < c->ngroups && g < 0; i++)
        if (strcmp(c->group_names[i], group) == 0)
            g = i;
    if (*group && g < 0)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: group '%s' is not one of indicators.conf's "
                            "population_groups (or empty: not stated)",
                            c->groups_path, lineno, group);
    lines[at - known] = lineno;
    c->eth_group[at - known] = g;
    return YJ_OK;
}

/* ethnicity_group.csv: a header "ethnicity,group", then every code of ethnicity.csv once. */
static int
load_groups(struct bind_conf *c, const char *bundle_dir, struct yj_error *err)
{
    char buf[CONF_LINE_MAX], *line, **known = NULL;
    size_t nknown = 0;
    int lineno = 0, st, rc, *lines = NULL, header = 0;
    FILE *f = NULL;

    if ((rc = yjb_codes(bundle_dir, &known, &nknown, err)) != YJ_OK ||
        (rc = open_rules(c->groups_path, &f, c->groups_sha256, err)) != YJ_OK) {
        free_codes(known, nknown);
        return rc;
    }
    lines = xcalloc(nknown + 1, sizeof(*lines));
    c->eth_group = xcalloc(nknown + 1, sizeof(*c->eth_group));
    while ((st = next_line(f, c->groups_path, buf, sizeof(buf), &lineno, 1, &line, err)) > 0) {
        if (!header) {
            header = 1;
            if (strcmp(line, "ethnicity,group") != 0) {
                rc = yj_error_set(err, YJ_EX_CONFIG,
                                  "%s line %d: expected the header 'ethnicity,group'",
                                  c->groups_path, lineno);
                break;
            }
            continue;
        }
        if ((rc = group_row(c, line, lineno, known, nknown, lines, err)) != YJ_OK)
            break;
    }
    fclose(f);
    if (st < 0)
        rc = YJ_EX_CONFIG;
    for (size_t i = 0; rc == YJ_OK && i < nknown; i++)
        if (!lines[i])
            rc = yj_error_set(err, YJ_EX_CONFIG,
                              "%s: code '%s' of the bundle's ethnicity.csv is missing",
                              c->groups_path, known[i]);
    c->eth_codes = known; /* owned now, freed by bind_conf_release */
    c->neth = nknown;
    free(lines);
    return rc;
}

int
bind_conf_load(struct bind_conf *c, const char *bundle_dir, struct yj_error *err)
{
    char *dir = path_join(bundle_dir, BIND_DIR);
    int rc;

    c->path = path_join(dir, BIND_CONF_FILE);
    c->groups_path = path_join(dir, BIND_GROUP_FILE);
    free(dir);
    rc = load_conf(c, err);
    if (rc == YJ_OK)
        rc = load_groups(c, bundle_dir, err);
    return rc;
}

int
bind_conf_group(const struct bind_conf *c, const char *code)
{
    char **at;

    if (!code)
        return c->ngroups;
    at = bsearch(&code, c->eth_codes, c->neth, sizeof(*c->eth_codes), cmp_str);
    if (!at || c->eth_group[at - c->eth_codes] < 0)
        return c->ngroups;
    return c->eth_group[at - c->eth_codes];
}

void
bind_conf_release(struct bind_conf *c)
{
    free(c->path);
    free(c->groups_path);
    free(c->population_input);
    for (int i = 0; i < c->nbands; i++)
        free(c->bands[i]);
    for (int g = 0; g < c->ngroups; g++) {
        free(c->pop_codes[g]);
        free(c->group_names[g]);
    }
    free_codes(c->eth_codes, c->neth);
    free(c->eth_group);
    memset(c, 0, sizeof(*c));
}
