/*
 * transform.c - a streaming merge by child of the staged files into the return XML.
 *
 * person.tsv drives the merge; every other staged file is ordered by child_id too, so each
 * child's rows are read once, in step, into an arena that is reset after the child's document
 * is written: memory depends on the largest child, not on the number of children. Local codes
 * go through the code maps of the schema bundle chosen for the period; a code with no mapping
 * is recorded (child id, field, code, map file) and the run goes on to find every such code,
 * but then fails and leaves no return file. The XML is written to cld.xml.tmp and renamed
 * only after every staged file has been read to its end and matched its manifest.
 */
#include "transform.h"

#include "atomic.h"
#include "bundle.h"
#include "cli.h"
#include "codemap.h"
#include "log.h"
#include "manifest.h"
#include "mem.h"
#include "period.h"
#include "staged.h"
#include "xmlout.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ERRORS_ON_STDERR 10

enum map_id {
    MAP_SEX,
    MAP_ETHNICITY,
    MAP_CATEGORY,
    MAP_PLEA,
    MAP_OUTCOME,
    MAP_APPEAL,
    MAP_RESIDENCE,
    MAP_DISPOSAL,
    MAP_COUNT
};

static const char *const map_files[MAP_COUNT] = {
    "sex.csv",           "ethnicity.csv",     "offence_category.csv", "plea.csv",
    "legal_outcome.csv", "appeal_status.csv", "residence.csv",        "disposal_type.csv",
};

enum entity_id { ENT_PERSON, ENT_OFFENCE, ENT_OUTCOME, ENT_PROGRAMME, ENT_LINK, ENT_COUNT };

static const char *const entity_files[ENT_COUNT] = {
    "person.tsv", "offence.tsv", "outcome.tsv", "programme.tsv", "programme_offence.tsv",
};

/* Columns each entity must have, in the order of the C enums below. */
static const char *const entity_columns[ENT_COUNT][12] = {
    {"child_id", "ypid", "pnc_number", "date_of_birth", "sex_cd", "ethnicity_cd",
     "originating_yot_person_id", NULL},
    {"child_id", "offence_id", "offence_date", "arrest_date", "description", "postcode_district",
     "cjs_code", "plea_cd", "category_cd", "gravity", "knife_flag", NULL},
    {"child_id", "offence_id", "outcome_id", "outcome_date", "outcome_end_date", "outcome_cd",
     "main_flag", "appeal_cd", "residence_cd", NULL},
    {"child_id", "programme_id", "start_date", "end_date", "disposal_cd", "victim_flag",
     "completed_flag", NULL},
    {"child_id", "programme_id", "offence_id", NULL},
};

enum { P_CHILD, P_YPID, P_PNC, P_DOB, P_SEX, P_ETHNICITY, P_ORIG_ID };
enum {
    O_CHILD,
    O_ID,
    O_DATE,
    O_ARREST,
    O_DESC,
    O_POSTCODE,
    O_CJS,
    O_PLEA,
    O_CATEGORY,
    O_GRAVITY,
    O_KNIFE
};
enum { L_CHILD, L_OFFENCE, L_ID, L_DATE, L_END, L_CODE, L_MAIN, L_APPEAL, L_RESIDENCE };
enum { G_CHILD, G_ID, G_START, G_END, G_DISPOSAL, G_VICTIM, G_COMPLETED };
enum { K_CHILD, K_PROGRAMME, K_OFFENCE };

/* One child's rows of one entity; fields point into the arena, in entity_columns order. */
struct rowset {
    char ***rows;
    size_t n;
    size_t cap;
};

struct tx {
    const struct yj_config *cfg;
    struct bundle bundle;
    struct codemap maps[MAP_COUNT];
    struct staged_reader readers[ENT_COUNT];
    int col[ENT_COUNT][12]; /* entity_columns index -> staged column index */
    int ncol[ENT_COUNT];
    struct rowset sets[ENT_COUNT];
    struct arena arena;
    struct xmlout xml;
    struct atomic_file errors_file;
    char *out_dir;
    unsigned long long data_errors;
    long long child;      /* child being written, for messages */
    struct yj_error *err; /* where I/O errors go */
    int io_status;
};

/* Records a data problem of the current child: to stderr (the first few) and errors.txt. */
static void data_error(struct tx *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
data_error(struct tx *t, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    t->data_errors++;
    if (t->data_errors <= MAX_ERRORS_ON_STDERR)
        log_error("%s", msg);
    if (!t->errors_file.path) {
        char *path = path_join(t->out_dir, "errors.txt");
        struct yj_error e2;
        int rc = atomic_file_open(&t->errors_file, path, 0600, &e2);
        free(path);
        if (rc != YJ_OK) {
            log_yj_error(&e2);
            return;
        }
    }
    if (t->errors_file.fp) {
        size_t len = strlen(msg);
        msg[len] = '\n';
        struct yj_error e2;
        atomic_file_write(&t->errors_file, msg, len + 1, &e2);
    }
}

/* Maps a local code; NULL code stays NULL; an unmapped code is a data error (returns NULL). */
static const char *const *
map_code(struct tx *t, enum map_id m, const char *code, const char *field)
{
    const char *const *v;

    if (!code)
        return NULL;
    v = codemap_lookup(&t->maps[m], code);
    if (!v)
        data_error(t, "child %lld field %s: local code '%s' has no mapping in '%s'", t->child,
                   field, code, t->maps[m].path);
    return v;
}

static const char *
map1(struct tx *t, enum map_id m, const char *code, const char *field)
{
    const char *const *v = map_code(t, m, code, field);
    return v ? v[0] : NULL;
}

/* Parses a staged date column; DATE_NONE for NULL. A malformed date is a corrupt file. */
static long
field_date(struct tx *t, enum entity_id e, char **row, int col)
{
    long d;

    if (!row[col])
        return DATE_NONE;
    if (date_parse(row[col], &d) != 0) {
        if (t->io_status == YJ_OK)
            t->io_status = yj_error_set(t->err, YJ_EX_IOERR,
                                        "staged file '%s' child %lld column "
                                        "'%s': not a date",
                                        entity_files[e], t->child, entity_columns[e][col]);
        return DATE_NONE;
    }
    return d;
}

static const char *
bool_text(const char *flag)
{
    if (!flag)
        return NULL;
    return strcmp(flag, "t") == 0 ? "true" : "false";
}

/* Copies the current row of reader e into the arena, in entity_columns order. */
static void
keep_row(struct tx *t, enum entity_id e)
{
    struct rowset *s = &t->sets[e];
    struct staged_reader *r = &t->readers[e];
    char **row = arena_alloc(&t->arena, (size_t)t->ncol[e] * sizeof(char *));

    for (int c = 0; c < t->ncol[e]; c++) {
        const char *v = r->fields[t->col[e][c]];
        row[c] = v ? arena_strndup(&t->arena, v, strlen(v)) : NULL;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->rows = xrealloc(s->rows, s->cap * sizeof(char **));
    }
    s->rows[s->n++] = row;
}

/* Gathers the rows of entity e that belong to the current child. */
static int
gather(struct tx *t, enum entity_id e)
{
    struct staged_reader *r = &t->readers[e];
    int rc;

    t->sets[e].n = 0;
    if (r->have_row && r->child_id < t->child)
        return yj_error_set(t->err, YJ_EX_DATAERR,
                            "staged file '%s' line %llu: child %lld is not "
                            "in person.tsv",
                            r->name, r->lineno, r->child_id);
    while (r->have_row && r->child_id == t->child) {
        keep_row(t, e);
        if ((rc = staged_reader_next(r, t->err)) != YJ_OK)
            return rc;
    }
    return YJ_OK;
}

static void
write_text(struct tx *t, const char *elem, const char *value, const char *field)
{
    if (value && !xmlout_text_ok(value)) {
        data_error(t, "child %lld field %s: not valid UTF-8 text or holds control characters",
                   t->child, field);
        return;
    }
    xmlout_elem(&t->xml, elem, value);
}

static void
write_age(struct tx *t, const char *elem, long dob, long on)
{
    if (dob != DATE_NONE && on != DATE_NONE)
        xmlout_elem_long(&t->xml, elem, date_age(dob, on));
}

static void
write_outcome(struct tx *t, char **o)
{
    const char *const *lo = map_code(t, MAP_OUTCOME, o[L_CODE], "outcome.outcome_cd");
    const char *group = NULL;
    long date = field_date(t, ENT_OUTCOME, o, L_DATE);
    long end = field_date(t, ENT_OUTCOME, o, L_END);
    int gcol = codemap_column(&t->maps[MAP_OUTCOME], "group");

    if (lo && gcol >= 0 && lo[gcol][0])
        group = lo[gcol];
    xmlout_open(&t->xml, "offenceLegalOutcome", NULL);
    xmlout_elem(&t->xml, "mainOrOther",
                o[L_MAIN] ? (strcmp(o[L_MAIN], "t") == 0 ? "MAIN" : "OTHER") : NULL);
    if (date != DATE_NONE)
        xmlout_elem_date(&t->xml, "outcomeDate", date);
    if (end != DATE_NONE)
        xmlout_elem_date(&t->xml, "outcomeEndDate", end);
    xmlout_elem(&t->xml, "outcomeAppealStatus",
                map1(t, MAP_APPEAL, o[L_APPEAL], "outcome.appeal_cd"));
    xmlout_elem(&t->xml, "legalOutcome", lo ? lo[0] : NULL);
    xmlout_elem(&t->xml, "legalOutcomeGroup", group);
    write_text(t, "cmsLegalOutcome", o[L_CODE], "outcome.outcome_cd");
    if (lo) {
        int pre = group && strcmp(group, "Pre-Court") == 0;
        int court = group && !pre;
        xmlout_elem(&t->xml, "isPreCourtDisposal", pre ? "true" : "false");
        xmlout_elem(&t->xml, "isCourtDisposal", court ? "true" : "false");
    }
    xmlout_elem(&t->xml, "residenceOnLegalOutcomeDate",
                map1(t, MAP_RESIDENCE, o[L_RESIDENCE], "outcome.residence_cd"));
    xmlout_close(&t->xml);
}

static void
write_child(struct tx *t, char **p)
{
    struct rowset *offs = &t->sets[ENT_OFFENCE], *outs = &t->sets[ENT_OUTCOME];
    struct rowset *progs = &t->sets[ENT_PROGRAMME], *links = &t->sets[ENT_LINK];
    long dob = field_date(t, ENT_PERSON, p, P_DOB);
    size_t k = 0;

    xmlout_open(&t->xml, "child", NULL);
    xmlout_open(&t->xml, "person", NULL);
    write_text(t, "ypid", p[P_YPID], "person.ypid");
    xmlout_elem(&t->xml, "currentYotId", t->cfg->yot_ou_code);
    write_text(t, "originatingYotPersonId", p[P_ORIG_ID], "person.originating_yot_person_id");
    write_text(t, "pncNumber", p[P_PNC], "person.pnc_number");
    if (dob != DATE_NONE) {
        xmlout_elem_date(&t->xml, "dateOfBirth", dob);
        xmlout_elem_date(&t->xml, "dateOf18thBirthday", date_add_years(dob, 18));
    }
    xmlout_elem(&t->xml, "sex", map1(t, MAP_SEX, p[P_SEX], "person.sex_cd"));
    xmlout_elem(&t->xml, "ethnicity",
                map1(t, MAP_ETHNICITY, p[P_ETHNICITY], "person.ethnicity_cd"));
    xmlout_close(&t->xml);

    for (size_t i = 0; i < offs->n; i++) {
        char **o = offs->rows[i];
        long date = field_date(t, ENT_OFFENCE, o, O_DATE);
        long arrest = field_date(t, ENT_OFFENCE, o, O_ARREST);

        xmlout_open(&t->xml, "offence", NULL);
        xmlout_elem(&t->xml, "offenceId", o[O_ID]);
        if (date != DATE_NONE)
            xmlout_elem_date(&t->xml, "offenceDate", date);
        write_text(t, "offenceDescription", o[O_DESC], "offence.description");
        write_text(t, "offenceLocationPostcode", o[O_POSTCODE], "offence.postcode_district");
        write_text(t, "cjsCode", o[O_CJS], "offence.cjs_code");
        if (arrest != DATE_NONE)
            xmlout_elem_date(&t->xml, "arrestDate", arrest);
        xmlout_elem(&t->xml, "plea", map1(t, MAP_PLEA, o[O_PLEA], "offence.plea_cd"));
        write_age(t, "ageOnArrestDate", dob, arrest);
        write_age(t, "ageOnOffenceDate", dob, date);
        xmlout_elem(&t->xml, "yjbOffenceCategory",
                    map1(t, MAP_CATEGORY, o[O_CATEGORY], "offence.category_cd"));
        xmlout_elem(&t->xml, "yjbSeriousnessScore", o[O_GRAVITY]);
        xmlout_elem(&t->xml, "knifeRelatedOffence", bool_text(o[O_KNIFE]));
        /* outcomes and offences are both ordered by offence_id within the child */
        while (k < outs->n && strcmp(outs->rows[k][L_OFFENCE], o[O_ID]) != 0 &&
               atoll(outs->rows[k][L_OFFENCE]) < atoll(o[O_ID])) {
            data_error(t, "child %lld outcome %s: offence %s is not in the child's offences",
                       t->child, outs->rows[k][L_ID], outs->rows[k][L_OFFENCE]);
            k++;
        }
        while (k < outs->n && strcmp(outs->rows[k][L_OFFENCE], o[O_ID]) == 0)
            write_outcome(t, outs->rows[k++]);
        xmlout_close(&t->xml);
    }
    for (; k < outs->n; k++)
        data_error(t, "child %lld outcome %s: offence %s is not in the child's offences", t->child,
                   outs->rows[k][L_ID], outs->rows[k][L_OFFENCE] ? outs->rows[k][L_OFFENCE] : "");

    for (size_t i = 0; i < progs->n; i++) {
        char **g = progs->rows[i];
        long start = field_date(t, ENT_PROGRAMME, g, G_START);
        long end = field_date(t, ENT_PROGRAMME, g, G_END);
        const char *dt = map1(t, MAP_DISPOSAL, g[G_DISPOSAL], "programme.disposal_cd");

        xmlout_open(&t->xml, "interventionProgramme", NULL);
        xmlout_elem(&t->xml, "interventionProgrammeId", g[G_ID]);
        if (start != DATE_NONE)
            xmlout_elem_date(&t->xml, "startDate", start);
        /* 1900-01-01 is the YJB's sentinel for "still open" */
        xmlout_elem(&t->xml, "endDate", end == DATE_NONE ? "1900-01-01" : NULL);
        if (end != DATE_NONE)
            xmlout_elem_date(&t->xml, "endDate", end);
        xmlout_elem(&t->xml, "disposalType", dt);
        write_text(t, "cmsDisposalType", g[G_DISPOSAL], "programme.disposal_cd");
        write_age(t, "ageOnProgrammeStart", dob, start);
        write_age(t, "ageOnProgrammeEnd", dob, end);
        xmlout_elem(&t->xml, "identifiedVictim", bool_text(g[G_VICTIM]));
        if (end != DATE_NONE)
            xmlout_elem(&t->xml, "kpi6SuccessfullyCompleted", bool_text(g[G_COMPLETED]));
        xmlout_close(&t->xml);
    }
    for (size_t i = 0; i < links->n; i++) {
        xmlout_open(&t->xml, "offenceProgrammeLink", NULL);
        xmlout_elem(&t->xml, "offenceId", links->rows[i][K_OFFENCE]);
        xmlout_elem(&t->xml, "interventionProgrammeId", links->rows[i][K_PROGRAMME]);
        xmlout_close(&t->xml);
    }
    xmlout_close(&t->xml);
}

static int
open_inputs(struct tx *t, const char *in_dir, const struct manifest *m)
{
    int rc;

    for (int m_i = 0; m_i < MAP_COUNT; m_i++) {
        char *path = path_join(t->bundle.dir, map_files[m_i]);
        rc = codemap_load(&t->maps[m_i], path, t->err);
        free(path);
        if (rc != YJ_OK)
            return rc;
    }
    for (int e = 0; e < ENT_COUNT; e++) {
        rc = staged_reader_open(&t->readers[e], in_dir, entity_files[e], m, t->err);
        if (rc != YJ_OK)
            return rc;
        t->ncol[e] = 0;
        for (int c = 0; entity_columns[e][c]; c++) {
            rc = staged_reader_column(&t->readers[e], entity_columns[e][c], &t->col[e][c], t->err);
            if (rc != YJ_OK)
                return rc;
            t->ncol[e]++;
        }
    }
    return YJ_OK;
}

static void
write_envelope(struct tx *t, const struct manifest *m, const struct yj_period *p,
               unsigned long long children)
{
    char root[512], id[128];

    /* schemaLocation names the XSD beside the file, for validators that need a hint */
    snprintf(root, sizeof(root),
             "xmlns=\"urn:yjreturns:cld:schema-%s\" "
             "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
             "xsi:schemaLocation=\"urn:yjreturns:cld:schema-%s cld.xsd\" schemaVersion=\"%s\"",
             t->bundle.schema_version, t->bundle.schema_version, t->bundle.schema_version);
    snprintf(id, sizeof(id), "%s-%s", t->cfg->yot_ou_code, p->label);
    xmlout_raw(&t->xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xmlout_open(&t->xml, "cldReturn", root);
    xmlout_open(&t->xml, "envelope", NULL);
    xmlout_elem(&t->xml, "sourceReturnId", id);
    xmlout_elem(&t->xml, "yotOuCode", t->cfg->yot_ou_code);
    xmlout_elem_date(&t->xml, "returnStartDate", p->start);
    xmlout_elem_date(&t->xml, "returnEndDate", p->end);
    xmlout_elem(&t->xml, "cmsSystem",
                t->cfg->cms_system ? t->cfg->cms_system : "yjreturns-reference-warehouse");
    xmlout_elem(&t->xml, "cmsExtractVersion", manifest_get(m, "yjreturns_version"));
    xmlout_elem(&t->xml, "schemaVersion", t->bundle.schema_version);
    xmlout_elem(&t->xml, "extractVersion", "yjreturns " YJ_VERSION);
    xmlout_elem_long(&t->xml, "documentCount", (long)children);
    xmlout_close(&t->xml);
}

int
transform_run(const struct yj_config *cfg, const struct transform_options *opt,
              struct yj_error *err)
{
    struct tx t;
    struct manifest in, out;
    struct yj_period period;
    struct atomic_file af;
    char in_sha[SHA256_HEX_LEN + 1], hex[SHA256_HEX_LEN + 1];
    char *in_manifest = path_join(opt->in_dir, "MANIFEST");
    char *out_manifest = path_join(opt->out_dir, "MANIFEST");
    char *xml_path = path_join(opt->out_dir, TRANSFORM_RETURN_FILE);
    unsigned long long children = 0, expected;
    double t0 = log_now(), last_progress = t0;
    int rc;

    memset(&t, 0, sizeof(t));
    t.cfg = cfg;
    t.err = err;
    t.out_dir = xstrdup(opt->out_dir);
    bundle_init(&t.bundle);
    arena_init(&t.arena);
    atomic_file_init(&t.errors_file);
    atomic_file_init(&af);
    manifest_init(&in);
    manifest_init(&out);
    for (int i = 0; i < MAP_COUNT; i++)
        codemap_init(&t.maps[i]);
    for (int i = 0; i < ENT_COUNT; i++)
        staged_reader_init(&t.readers[i]);

    if ((rc = config_require(cfg->yot_ou_code, "service", "yot_ou_code", cfg->path, err)) ||
        (rc = config_require(cfg->mappings, "return", "mappings", cfg->path, err)))
        goto done;
    rc = manifest_read(&in, in_manifest, in_sha, err);
    if (rc != YJ_OK)
        goto done;
    if (!manifest_get(&in, "stage") || strcmp(manifest_get(&in, "stage"), "extract") != 0 ||
        !manifest_get(&in, "period")) {
        rc =
            yj_error_set(err, YJ_EX_IOERR, "manifest '%s' is not an extract manifest", in_manifest);
        goto done;
    }
    if ((rc = period_parse(manifest_get(&in, "period"), &period, err)) != YJ_OK)
        goto done;
    if ((rc = bundle_for_period(&t.bundle, cfg->mappings, &period, err)) != YJ_OK)
        goto done;
    if ((rc = open_inputs(&t, opt->in_dir, &in)) != YJ_OK)
        goto done;
    expected = t.readers[ENT_PERSON].expect->rows;
    if ((rc = mkdir_p(opt->out_dir, 0750, err)) != YJ_OK)
        goto done;
    if (unlink(out_manifest) != 0 && errno != ENOENT) {
        rc = yj_error_errno(err, YJ_EX_CANTCREAT, errno, "could not remove old '%s'", out_manifest);
        goto done;
    }
    if ((rc = atomic_file_open(&af, xml_path, 0640, err)) != YJ_OK)
        goto done;
    log_info("transform: period %s, bundle %s, %llu children", period.label, t.bundle.name,
             expected);
    xmlout_init(&t.xml, &af, err);
    write_envelope(&t, &in, &period, expected);

    while (t.readers[ENT_PERSON].have_row) {
        struct staged_reader *pr = &t.readers[ENT_PERSON];
        char **person;

        t.child = pr->child_id;
        arena_reset(&t.arena);
        t.sets[ENT_PERSON].n = 0;
        keep_row(&t, ENT_PERSON);
        person = t.sets[ENT_PERSON].rows[0];
        if ((rc = staged_reader_next(pr, err)) != YJ_OK)
            goto done;
        if (pr->have_row && pr->child_id == t.child) {
            rc = yj_error_set(err, YJ_EX_IOERR,
                              "staged file 'person.tsv' line %llu: child %lld "
                              "appears twice",
                              pr->lineno, t.child);
            goto done;
        }
        for (int e = ENT_OFFENCE; e < ENT_COUNT; e++)
            if ((rc = gather(&t, e)) != YJ_OK)
                goto done;
        write_child(&t, person);
        if (t.io_status != YJ_OK || t.xml.status != YJ_OK) {
            rc = t.io_status != YJ_OK ? t.io_status : t.xml.status;
            goto done;
        }
        children++;
        if (children % 10000 == 0 && log_now() - last_progress >= 5.0) {
            last_progress = log_now();
            log_info("progress: %llu of %llu children (%.0f%%)", children, expected,
                     100.0 * (double)children / (double)(expected ? expected : 1));
        }
    }
    for (int e = ENT_OFFENCE; e < ENT_COUNT; e++)
        if (t.readers[e].have_row) {
            rc = yj_error_set(err, YJ_EX_DATAERR,
                              "staged file '%s' line %llu: child %lld is not "
                              "in person.tsv",
                              t.readers[e].name, t.readers[e].lineno, t.readers[e].child_id);
            goto done;
        }
    xmlout_close(&t.xml);
    if ((rc = xmlout_flush(&t.xml)) != YJ_OK)
        goto done;
    if (t.data_errors) {
        struct yj_error e2;
        if (t.errors_file.fp && atomic_file_commit(&t.errors_file, &e2) != YJ_OK)
            log_yj_error(&e2);
        rc = yj_error_set(err, YJ_EX_DATAERR,
                          "%llu data error%s in the warehouse: no return "
                          "written",
                          t.data_errors, t.data_errors == 1 ? "" : "s");
        yj_error_detail(err, "every error is listed in '%s/errors.txt'", opt->out_dir);
        yj_error_hint(err, "add the missing codes to the mapping files or correct the records, "
                           "then run again");
        goto done;
    }
    if ((rc = atomic_file_commit(&af, err)) != YJ_OK)
        goto done;
    sha256_final_hex(&af.hash, hex);

    manifest_set(&out, "stage", "transform");
    manifest_set(&out, "yjreturns_version", YJ_VERSION);
    manifest_set(&out, "period", period.label);
    manifest_set(&out, "bundle", t.bundle.name);
    manifest_set(&out, "schema_version", t.bundle.schema_version);
    manifest_set(&out, "as_of", manifest_get(&in, "as_of") ? manifest_get(&in, "as_of") : "-");
    manifest_set(&out, "input_manifest_sha256", in_sha);
    for (int i = 0; i < MAP_COUNT; i++) {
        char key[128];
        snprintf(key, sizeof(key), "map_sha256.%s", map_files[i]);
        manifest_set(&out, key, t.maps[i].sha256);
    }
    manifest_add_file(&out, TRANSFORM_RETURN_FILE, children, af.bytes, hex);
    if ((rc = manifest_write(&out, out_manifest, err)) != YJ_OK)
        goto done;
    log_info("transform done: %llu children, %llu bytes in %.2f s (arena high water %zu bytes)",
             children, af.bytes, log_now() - t0, t.arena.high_water);
done:
    xmlout_release(&t.xml);
    atomic_file_release(&af);
    atomic_file_release(&t.errors_file);
    for (int i = 0; i < MAP_COUNT; i++)
        codemap_release(&t.maps[i]);
    for (int i = 0; i < ENT_COUNT; i++) {
        staged_reader_release(&t.readers[i]);
        free(t.sets[i].rows);
    }
    arena_release(&t.arena);
    bundle_release(&t.bundle);
    manifest_release(&in);
    manifest_release(&out);
    free(t.out_dir);
    free(in_manifest);
    free(out_manifest);
    free(xml_path);
    return rc;
}
