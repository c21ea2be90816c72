/*
 * kconf.c - loads and checks the KPI counting rules of a schema bundle (see kconf.h).
 *
 * Owns the names the rules are checked against (orders, groups, the templates and their
 * counted columns; the rows are templates.conf's), the code tables (legal_outcome.csv and the
 * rest: reading them and holding their codes to the code maps of items.conf, a row column to
 * the template's rows), board_sector.csv, the one reader of a rules file all loaders share
 * (kconf_read.h) and kconf_load() over the whole. kpi.conf is read by ksettings.c,
 * templates.conf by ktemplates.c, the rows counted by name are resolved in krows.c.
 */
#include "kconf.h"
#include "kconf_read.h"

#include "atomic.h"
#include "bundle.h"
#include "codemap.h"
#include "items.h"
#include "mem.h"
#include "textline.h"
#include "period.h"
#include "sha256.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

const char *const korder_names[ORD_N + 1] = {"ns", "yjs", "ycc", "ro", "yro", "cust", NULL};
const char *const kgroup_names[GRP_N + 1] = {"Diversion", "Pre-Court", "First-tier",
                                             "Community", "Custody",   NULL};

static const char *const oocd_cols[] = {"community_resolution",
                                        "nfa_o22_yjs",
                                        "nfa_o22_deferred_yjs",
                                        "nfa_o20_21_yjs",
                                        "yc_yjs",
                                        "ycc",
                                        NULL};
static const char *const sector_names[] = {"a", "b", "c", "d", "e", "other", NULL};
static const char *const band_cols[] = {"age10to15", "age16to17", NULL};
static const char *const start_refs[] = {"programme_start", "programme_start-1", "outcome_date-1",
                                         NULL};
static const char *const age_ats[] = {"programme_start", "outcome_date", NULL};
const char *const kconf_mh_types[] = {"advice",       "help", "additional_help",
                                      "risk_support", "none", NULL};
const char *const kconf_sm_types[] = {"targeted", "specialist", "complex_care", "none", NULL};

/* The templates; their rows are templates.conf's (krows.c names those counted by name). */
static const char *const tpl_names[KTPL_N] = {
    "kpi1_accommodation_detail",
    "kpi2_ete",
    "kpi3_send_aln",
    "kpi4_mhew",
    "kpi5_substance_misuse",
    "kpi6_ooc",
    "kpi7_ws",
    "kpi8_mba",
    "kpi9_sv",
    "kpi10_victims",
};

static int
list_len(const char *const *l)
{
    int n = 0;
    while (l[n])
        n++;
    return n;
}

int
kconf_list_find(const char *const *l, const char *s)
{
    for (int i = 0; l[i]; i++)
        if (strcmp(l[i], s) == 0)
            return i;
    return -1;
}

const char *
ktemplate_name(int t)
{
    return tpl_names[t];
}

int
ktemplate_col_count(int t)
{
    switch (t) {
    case KT1_ACCOMMODATION:
        return ORD_N * C1_PER_ORDER;
    case KT2_ETE:
        return ORD_N * C2_PER_ORDER;
    case KT3_SEND:
        return ORD_N;
    case KT4_MH:
    case KT5_SM:
    case KT7_WS:
        return ORD_N * C3_PER_ORDER;
    case KT6_OOC:
        return list_len(oocd_cols);
    case KT8_MBA:
        return SECTOR_N * 2;
    case KT9_SV:
        return list_len(band_cols);
    default:
        return 1;
    }
}

/* The name of counted column COL of template T (a static buffer). */
const char *
ktemplate_col_name(int t, int col)
{
    static char buf[64];
    static const char *const c1[] = {"total", "start_yes", "start_no", "end_yes", "end_no"};
    static const char *const c2[] = {"school_total", "school_start", "school_end",
                                     "above_total",  "above_start",  "above_end"};
    static const char *const c3[] = {"total", "start", "end"};
    const char *order;

    switch (t) {
    case KT1_ACCOMMODATION:
        snprintf(buf, sizeof(buf), "%s_%s", korder_names[col / C1_PER_ORDER],
                 c1[col % C1_PER_ORDER]);
        return buf;
    case KT2_ETE:
        snprintf(buf, sizeof(buf), "%s_%s", korder_names[col / C2_PER_ORDER],
                 c2[col % C2_PER_ORDER]);
        return buf;
    case KT3_SEND:
        return korder_names[col];
    case KT4_MH:
    case KT5_SM:
    case KT7_WS:
        order = korder_names[col / C3_PER_ORDER];
        if (t == KT7_WS && col / C3_PER_ORDER == ORD_NS)
            order = "ws";
        snprintf(buf, sizeof(buf), "%s_%s", order, c3[col % C3_PER_ORDER]);
        return buf;
    case KT6_OOC:
        return oocd_cols[col];
    case KT8_MBA:
        snprintf(buf, sizeof(buf), "senior_%s_%s", sector_names[col / 2],
                 col % 2 ? "not" : "attended");
        return buf;
    case KT9_SV:
        return band_cols[col];
    default:
        return "total";
    }
}

/* ---- code tables ---- */

/* KC_ROW: a row key of template `tpl` not counted by name: the row's index. */
enum { KC_YESNO, KC_INT, KC_WORD, KC_ROW };

struct kcol_spec {
    const char *name;
    int kind;
    const char *const *words; /* KC_WORD: allowed values */
    int tpl;                  /* KC_ROW: the template */
    int empty_ok;             /* KC_WORD, KC_ROW: an empty value is allowed (-1) */
};

static const struct ktable_spec {
    const char *file;
    int field; /* the return field (enum kfield) whose code map the table covers (also the
                * table's first column, unless header is set) */
    int ncols;
    struct kcol_spec cols[KT_MAX_COLS];
    const char *header; /* the first column's name when it is not the field's */
} table_spec[KT_N] = {
    [KT_LEGAL_OUTCOME] = {"legal_outcome.csv",
                          KF_OUTCOME_LEGAL,
                          4,
                          {{"count", KC_YESNO, NULL, 0, 0},
                           {"rank", KC_INT, NULL, 0, 0},
                           {"order", KC_WORD, korder_names, 0, 1},
                           {"group", KC_WORD, kgroup_names, 0, 1}}},
    [KT_DISPOSAL_TYPE] = {"disposal_type.csv",
                          KF_PROGRAMME_DISPOSAL,
                          4,
                          {{"count", KC_YESNO, NULL, 0, 0},
                           {"start_ref", KC_WORD, start_refs, 0, 0},
                           {"age_at", KC_WORD, age_ats, 0, 0},
                           {"oocd", KC_WORD, oocd_cols, 0, 1}}},
    [KT_APPEAL] = {"appeal_status.csv", KF_OUTCOME_APPEAL, 1, {{"counts", KC_YESNO, NULL, 0, 0}}},
    [KT_RESIDENCE] = {"residence.csv", KF_OUTCOME_RESIDENCE, 1, {{"counts", KC_YESNO, NULL, 0, 0}}},
    [KT_SUITABILITY] = {"suitability.csv",
                        KF_RESIDENCE_SUITABILITY,
                        1,
                        {{"suitable", KC_YESNO, NULL, 0, 0}},
                        "suitability"},
    [KT_ACCOMMODATION] = {"accommodation_type.csv",
                          KF_RESIDENCE_TYPE,
                          1,
                          {{"row", KC_ROW, NULL, KT1_ACCOMMODATION, 1}}},
    [KT_PROVISION] = {"ete_provision.csv",
                      KF_ETE_PROVISION,
                      2,
                      {{"row", KC_ROW, NULL, KT2_ETE, 1}, {"in_ete", KC_YESNO, NULL, 0, 0}}},
    [KT_CARE_STATUS] = {"care_status.csv",
                        KF_CARE_STATUS,
                        2,
                        {{"category", KC_ROW, NULL, KT7_WS, 1},
                         {"early_help", KC_YESNO, NULL, 0, 0}}},
    [KT_OFFENCE_CATEGORY] = {"offence_category.csv",
                             KF_OFFENCE_CATEGORY,
                             1,
                             {{"row", KC_ROW, NULL, KT9_SV, 1}}},
    [KT_MH_TYPE] = {"mh_intervention.csv",
                    KF_MH_TYPE,
                    1,
                    {{"type", KC_WORD, kconf_mh_types, 0, 0}}},
    [KT_SM_TYPE] = {"sm_intervention.csv",
                    KF_SM_TYPE,
                    1,
                    {{"type", KC_WORD, kconf_sm_types, 0, 0}}},
};

static int
krow_cmp(const void *a, const void *b)
{
    return strcmp(((const struct krow *)a)->code, ((const struct krow *)b)->code);
}

static const struct krow *
table_find(const struct ktable *t, const char *code)
{
    size_t lo = 0, hi = t->nrows;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(code, t->rows[mid].code);
        if (c == 0)
            return &t->rows[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Splits LINE at commas in place; returns the number of cells (at most max). */
static int
split_csv(char *line, char **cells, int max)
{
    int n = 0;
    char *p = line;

    for (;;) {
        char *c = strchr(p, ',');
        if (n < max)
            cells[n] = p;
        n++;
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

/* Reads the next line of F (the file PATH) into BUF without its newline: 1, or 0 at the end,
 * or -1 with ERR set to one line naming the file, the line and the problem (too long, a NUL
 * byte, a read error, or a UTF-8 byte order mark: skipped in a .csv file, which Excel may
 * have saved, refused in a .conf file). */
static int
read_line(FILE *f, char *buf, size_t size, int *lineno, const char *path, struct yj_error *err)
{
    size_t len = strlen(path);
    int bom_ok = len > 4 && strcmp(path + len - 4, ".csv") == 0;
    int got = textline_read(f, buf, size, *lineno + 1, bom_ok);

    if (got == TEXTLINE_EOF)
        return 0;
    (*lineno)++;
    if (got == TEXTLINE_OK)
        return 1;
    if (got == TEXTLINE_ERROR)
        yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", path);
    else {
        yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s", path, *lineno, textline_problem(got));
        if (textline_hint(got))
            yj_error_hint(err, "%s", textline_hint(got));
    }
    return -1;
}

static int
is_blank_or_comment(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0' || *s == '#';
}

int
kconf_read_file(const char *path, char sha[65], kconf_line_fn fn, void *ctx, struct yj_error *err)
{
    char line[LINE_MAX_BYTES];
    unsigned long long bytes;
    int lineno = 0, r, rc = YJ_OK;
    FILE *f;

    if (sha256_file(path, sha, &bytes) != 0)
        return yj_error_errno(err, errno == ENOENT ? YJ_EX_NOINPUT : YJ_EX_CONFIG, errno,
                              "could not read KPI rules file '%s'", path);
    f = fopen(path, "r");
    if (!f)
        return yj_error_errno(err, YJ_EX_CONFIG, errno, "could not open KPI rules file '%s'", path);
    while (rc == YJ_OK && (r = read_line(f, line, sizeof(line), &lineno, path, err)) != 0) {
        if (r < 0)
            rc = err->code;
        else if (!is_blank_or_comment(line))
            rc = fn(ctx, line, lineno, err);
    }
    fclose(f);
    return rc;
}

static int
parse_cell(const struct kconf *k, const struct ktable *t, const struct kcol_spec *c, int line,
           const char *value, int *out, struct yj_error *err)
{
    if (c->kind == KC_YESNO) {
        if (strcmp(value, "yes") == 0)
            *out = 1;
        else if (strcmp(value, "no") == 0)
            *out = 0;
        else
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s '%s' is not yes or no", t->path,
                                line, c->name, value);
        return YJ_OK;
    }
    if (c->kind == KC_INT) {
        char *end;
        long v;
        errno = 0;
        v = strtol(value, &end, 10);
        if (errno || end == value || *end || v < 0 || v > 1000000)
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s '%s' is not a whole number",
                                t->path, line, c->name, value);
        *out = (int)v;
        return YJ_OK;
    }
    if (*value == '\0' && c->empty_ok) {
        *out = -1;
        return YJ_OK;
    }
    {
        int i =
            c->kind == KC_ROW ? kconf_row_find(k, c->tpl, value) : kconf_list_find(c->words, value);
        if (i < 0 || (c->kind == KC_ROW && k->templates[c->tpl].rows[i].named))
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unknown %s '%s'", t->path, line,
                                c->name, value);
        *out = i;
    }
    return YJ_OK;
}

struct table_ctx {
    const struct kconf *k;
    struct ktable *t;
    const struct ktable_spec *spec;
    int header;
    size_t cap;
};

/* The header line: the field's (or the header's) name, then the spec's columns. */
static int
table_header(struct table_ctx *c, char **cells, int lineno, struct yj_error *err)
{
    const struct ktable_spec *spec = c->spec;
    const char *first = spec->header ? spec->header : c->k->fields[spec->field];
    int bad = strcmp(cells[0], first) != 0 ? 0 : -1;

    for (int i = 0; bad < 0 && i < spec->ncols; i++)
        if (strcmp(cells[i + 1], spec->cols[i].name) != 0)
            bad = i + 1;
    if (bad >= 0)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: header column '%s' should be '%s'",
                            c->t->path, lineno, cells[bad],
                            bad == 0 ? first : spec->cols[bad - 1].name);
    c->header = 1;
    return YJ_OK;
}

static int
table_line(void *ctx, char *line, int lineno, struct yj_error *err)
{
    struct table_ctx *c = ctx;
    struct ktable *t = c->t;
    const struct ktable_spec *spec = c->spec;
    char *cells[KT_MAX_COLS + 2];
    struct krow *row;
    int n = split_csv(line, cells, KT_MAX_COLS + 2), rc;

    if (n != spec->ncols + 1)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %d columns, expected %d", t->path,
                            lineno, n, spec->ncols + 1);
    if (!c->header)
        return table_header(c, cells, lineno, err);
    if (cells[0][0] == '\0')
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: empty %s", t->path, lineno,
                            c->k->fields[spec->field]);
    if (t->nrows == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        t->rows = xrealloc(t->rows, c->cap * sizeof(*t->rows));
    }
    row = &t->rows[t->nrows];
    memset(row, 0, sizeof(*row));
    row->line = lineno;
    for (int i = 0; i < spec->ncols; i++)
        if ((rc = parse_cell(c->k, t, &spec->cols[i], lineno, cells[i + 1], &row->v[i], err)) !=
            YJ_OK)
            return rc;
    row->code = xstrdup(cells[0]);
    t->nrows++;
    return YJ_OK;
}

static int
load_table(const struct kconf *k, struct ktable *t, const struct ktable_spec *spec,
           struct yj_error *err)
{
    struct table_ctx c = {k, t, spec, 0, 0};
    int rc;

    t->path = path_join(k->dir, spec->file);
    t->name = path_join(KPI_DIR, spec->file);
    if ((rc = kconf_read_file(t->path, t->sha256, table_line, &c, err)) != YJ_OK)
        return rc;
    if (!c.header)
        return yj_error_set(err, YJ_EX_CONFIG, "%s: no header line", t->path);
    if (t->nrows > 1)
        qsort(t->rows, t->nrows, sizeof(*t->rows), krow_cmp);
    for (size_t i = 1; i < t->nrows; i++)
        if (strcmp(t->rows[i - 1].code, t->rows[i].code) == 0) {
            int a = t->rows[i - 1].line, b = t->rows[i].line;
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: duplicate code '%s' (also line %d)",
                                t->path, a > b ? a : b, t->rows[i].code, a > b ? b : a);
        }
    return YJ_OK;
}

/* The table's codes must be exactly the YJB codes of the code map items.conf names for its
 * field: every code once, nothing else. */
static int
check_table_codes(const struct kconf *k, const struct ktable *t, const struct ktable_spec *spec,
                  const struct items *it, struct yj_error *err)
{
    const struct item_field *fld = NULL;
    const char *field = k->fields[spec->field], *item = k->fields[kconf_field_item(spec->field)];

    for (int i = 0; i < it->nitems && !fld; i++)
        if (strcmp(it->items[i].element, item) == 0)
            for (int j = 0; j < it->items[i].nfields; j++)
                if (strcmp(it->items[i].fields[j].element, field) == 0)
                    fld = &it->items[i].fields[j];
    if (!fld || !fld->map)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s: items.conf has no code field %s of item %s for this table",
                            t->path, field, item);
    for (size_t r = 0; r < t->nrows; r++) {
        int found = 0;
        for (size_t m = 0; m < fld->map->nrows && !found; m++)
            found = strcmp(fld->map->rows[m].values[0], t->rows[r].code) == 0;
        if (!found)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: unknown code '%s' (not a %s code of %s)", t->path,
                                t->rows[r].line, t->rows[r].code, field, fld->map->name);
    }
    for (size_t m = 0; m < fld->map->nrows; m++)
        if (!table_find(t, fld->map->rows[m].values[0]))
            return yj_error_set(err, YJ_EX_CONFIG, "%s: missing code '%s' (a %s code of %s)",
                                t->path, fld->map->rows[m].values[0], field, fld->map->name);
    return YJ_OK;
}

/* Ranks of counting legal outcomes are unique: a tie would leave the choice of order to
 * chance. */
static int
check_ranks(const struct ktable *t, struct yj_error *err)
{
    for (size_t i = 0; i < t->nrows; i++)
        for (size_t j = 0; j < t->nrows; j++)
            if (i != j && t->rows[i].v[LO_RANK] == t->rows[j].v[LO_RANK] &&
                t->rows[i].line > t->rows[j].line)
                return yj_error_set(err, YJ_EX_CONFIG,
                                    "%s line %d: rank %d of '%s' is also the rank of '%s' (line "
                                    "%d)",
                                    t->path, t->rows[i].line, t->rows[i].v[LO_RANK],
                                    t->rows[i].code, t->rows[j].code, t->rows[j].line);
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].v[LO_COUNT] && t->rows[i].v[LO_GROUP] < 0)
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: '%s' counts but has no group",
                                t->path, t->rows[i].line, t->rows[i].code);
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].v[LO_COUNT] != (t->rows[i].v[LO_ORDER] >= 0))
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: '%s' %s", t->path, t->rows[i].line,
                                t->rows[i].code,
                                t->rows[i].v[LO_COUNT] ? "counts but has no order"
                                                       : "does not count but has an order");
    return YJ_OK;
}

/* ---- board_sector.csv ---- */

struct sector_ctx {
    struct kconf *k;
    const char *path;
    int header;
};

static int
sector_line(void *ctx, char *line, int lineno, struct yj_error *err)
{
    struct sector_ctx *c = ctx;
    struct kconf *k = c->k;
    char *cells[4];
    int s;

    if (split_csv(line, cells, 4) != 2)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: expected 2 columns", c->path, lineno);
    if (!c->header) {
        if (strcmp(cells[0], "sector_cd") != 0 || strcmp(cells[1], "sector") != 0)
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: header must be sector_cd,sector",
                                c->path, lineno);
        c->header = 1;
        return YJ_OK;
    }
    s = kconf_list_find(sector_names, cells[1]);
    if (s < 0)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unknown sector '%s'", c->path, lineno,
                            cells[1]);
    if (kconf_sector(k, cells[0]) >= 0)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: duplicate sector_cd '%s'", c->path,
                            lineno, cells[0]);
    k->sector_codes = xrealloc(k->sector_codes, (k->nsectors + 1) * sizeof(char *));
    k->sector_of = xrealloc(k->sector_of, (k->nsectors + 1) * sizeof(int));
    k->sector_line = xrealloc(k->sector_line, (k->nsectors + 1) * sizeof(int));
    k->sector_codes[k->nsectors] = xstrdup(cells[0]);
    k->sector_of[k->nsectors] = s;
    k->sector_line[k->nsectors] = lineno;
    k->nsectors++;
    return YJ_OK;
}

static int
load_sectors(struct kconf *k, struct yj_error *err)
{
    char *path = path_join(k->dir, "board_sector.csv");
    struct sector_ctx c = {k, path, 0};
    int rc = kconf_read_file(path, k->sectors_sha256, sector_line, &c, err);

    for (int s = 0; rc == YJ_OK && s < SECTOR_OTHER; s++) {
        int found = 0;
        for (size_t i = 0; i < k->nsectors; i++)
            found |= k->sector_of[i] == s;
        if (!found)
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s: no local code for sector '%s'", path,
                              sector_names[s]);
    }
    free(path);
    return rc;
}

/* ---- the whole ---- */

void
kconf_init(struct kconf *k)
{
    memset(k, 0, sizeof(*k));
}

int
kconf_load(struct kconf *k, const char *bundle_dir, struct yj_error *err)
{
    struct items it;
    int rc;

    items_init(&it);
    k->dir = path_join(bundle_dir, KPI_DIR);
    /* templates first: the tables' row columns name their rows */
    if ((rc = items_load(&it, bundle_dir, err)) != YJ_OK ||
        (rc = kconf_load_fields(k, &it, err)) != YJ_OK ||
        (rc = kconf_load_templates(k, err)) != YJ_OK || (rc = kconf_resolve_rows(k, err)) != YJ_OK)
        goto out;
    for (int t = 0; t < KT_N; t++) {
        if ((rc = load_table(k, &k->tables[t], &table_spec[t], err)) != YJ_OK ||
            (rc = check_table_codes(k, &k->tables[t], &table_spec[t], &it, err)) != YJ_OK)
            goto out;
    }
    if ((rc = check_ranks(&k->tables[KT_LEGAL_OUTCOME], err)) != YJ_OK ||
        (rc = kconf_load_settings(k, err)) != YJ_OK || (rc = load_sectors(k, err)) != YJ_OK ||
        (rc = bundle_school_age(bundle_dir, &k->school_age, k->school_age_sha256, err)) != YJ_OK)
        goto out;
    if (items_envelope_field(&it, FN_SERVICE))
        k->yot_element = xstrdup(items_envelope_field(&it, FN_SERVICE));
out:
    items_release(&it);
    return rc;
}

const struct krow *
kconf_lookup(const struct kconf *k, enum ktable_id t, const char *code)
{
    return code ? table_find(&k->tables[t], code) : NULL;
}

int
kconf_sector(const struct kconf *k, const char *code)
{
    for (size_t i = 0; i < k->nsectors; i++)
        if (strcmp(k->sector_codes[i], code) == 0)
            return k->sector_of[i];
    return -1;
}

void
kconf_release(struct kconf *k)
{
    free(k->yot_element);
    for (int t = 0; t < KT_N; t++) {
        for (size_t r = 0; r < k->tables[t].nrows; r++)
            free(k->tables[t].rows[r].code);
        free(k->tables[t].rows);
        free(k->tables[t].path);
        free(k->tables[t].name);
    }
    for (int t = 0; t < KTPL_N; t++) {
        struct ktemplate *tp = &k->templates[t];
        for (int c = 0; c < tp->ncolumns; c++)
            free(tp->columns[c]);
        free(tp->columns);
        free(tp->column_map);
        for (int r = 0; r < tp->nrows; r++) {
            free(tp->rows[r].key);
            free(tp->rows[r].blank);
            free(tp->rows[r].label);
            free(tp->rows[r].group);
        }
        free(tp->rows);
        free(tp->name);
    }
    for (size_t i = 0; i < k->nsectors; i++)
        free(k->sector_codes[i]);
    free(k->sector_codes);
    free(k->sector_of);
    free(k->sector_line);
    for (int f = 0; f < KF_N; f++)
        free(k->fields[f]);
    free(k->s.victim_yes);
    free(k->s.send_yes);
    kconf_free_list(k->s.kpi6_groups);
    kconf_free_list(k->s.kpi9_groups);
    free(k->dir);
    memset(k, 0, sizeof(*k));
}
