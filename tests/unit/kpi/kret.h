/*
 * kret.h - a return folder for yj-kpi, written by a unit test.
 *
 * A scratch folder holds return/ (cld.xml from a string of <child> elements inside the real
 * envelope and root, and a MANIFEST in the project's format with the file's SHA-256),
 * optionally staged/ (service/board_attendance.tsv and service/population.tsv as yj-extract
 * stages them, with their MANIFEST), and kpi/, where kpi_run() writes. The mappings are the
 * project's own, or a copy the test may edit (kret_copy_mappings, kret_edit).
 *
 * Header-only: every tests/unit/kpi/test_*.c is its own executable.
 */
#ifndef YJ_KRET_H
#define YJ_KRET_H

#include "error.h"
#include "kpi.h"
#include "manifest.h"
#include "sha256.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define KRET_NS "urn:yjreturns:cld:schema-11"
#define KRET_PERIOD "2025Q1"
#define KRET_AS_OF "2025-07-02T00:00:00.000000Z"
/* every template row of 2025Q1 for MEDWAY starts with this */
#define KRET_ROW ",2025-04-01,MEDWAY,"

struct kret {
    char *dir;    /* the scratch folder */
    char *ret;    /* dir/return */
    char *staged; /* dir/staged, once kret_staged wrote it */
    char *out;    /* dir/kpi */
    char *maps;   /* the mappings folder kpi_run reads */
    int provisional;
    struct yj_error err;
    struct kpi_result res;
};

/* Scratch folders not yet released: a failed assertion leaves its test early, so the suites'
 * .fini (kret_fini) removes what kret_release did not. */
static char *kret_live[8];

static inline void
kret_fini(void)
{
    for (size_t i = 0; i < sizeof(kret_live) / sizeof(kret_live[0]); i++)
        if (kret_live[i]) {
            ut_rmtree(kret_live[i]);
            kret_live[i] = NULL;
        }
}

static inline void
kret_init(struct kret *k)
{
    memset(k, 0, sizeof(*k));
    k->dir = ut_mkdtemp();
    for (size_t i = 0; i < sizeof(kret_live) / sizeof(kret_live[0]); i++)
        if (!kret_live[i]) {
            kret_live[i] = k->dir;
            break;
        }
    k->ret = ut_path(k->dir, "return");
    k->out = ut_path(k->dir, "kpi");
    k->maps = strdup(YJ_SOURCE_DIR "/mappings");
    cr_assert_eq(mkdir(k->ret, 0755), 0);
}

static inline void
kret_release(struct kret *k)
{
    for (size_t i = 0; i < sizeof(kret_live) / sizeof(kret_live[0]); i++)
        if (kret_live[i] == k->dir)
            kret_live[i] = NULL;
    ut_rmtree(k->dir);
    free(k->dir);
    free(k->ret);
    free(k->staged);
    free(k->out);
    free(k->maps);
    memset(k, 0, sizeof(*k));
}

/* Writes FILE (a name under dir) and lists it in M with its real SHA-256 and size. */
static inline void
kret_add(struct manifest *m, const char *dir, const char *name, const char *text,
         unsigned long long rows)
{
    char *path = ut_path(dir, name), hex[SHA256_HEX_LEN + 1];
    unsigned long long bytes;

    ut_write(path, text);
    cr_assert_eq(sha256_file(path, hex, &bytes), 0, "could not hash '%s'", path);
    manifest_add_file(m, name, rows, bytes, hex);
    free(path);
}

static inline void
kret_write_manifest(const struct manifest *m, const char *dir)
{
    struct yj_error err;
    char *path = ut_path(dir, "MANIFEST");

    yj_error_init(&err);
    cr_assert_eq(manifest_write(m, path, &err), YJ_OK, "%s", err.message);
    free(path);
}

/* The whole cld.xml of a return holding CHILDREN (<child> elements). */
static inline char *
kret_xml(const char *children)
{
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<cldReturn xmlns=\"" KRET_NS "\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:schemaLocation=\"" KRET_NS " cld.xsd\" schemaVersion=\"11\">\n"
        "  <envelope>\n"
        "    <sourceReturnId>MEDWAY-2025Q1-20250702T000000.000000Z</sourceReturnId>\n"
        "    <yotOuCode>MEDWAY</yotOuCode>\n"
        "    <returnStartDate>2025-04-01</returnStartDate>\n"
        "    <returnEndDate>2025-06-30</returnEndDate>\n"
        "    <schemaVersion>11</schemaVersion>\n"
        "  </envelope>\n";
    static const char tail[] = "</cldReturn>\n";
    size_t n = strlen(head) + strlen(children) + strlen(tail) + 1;
    char *s = malloc(n);

    cr_assert_not_null(s);
    snprintf(s, n, "%s%s%s", head, children, tail);
    return s;
}

/* The <child> elements of TEXT: the rows yj-transform lists for a return file. */
static inline unsigned long long
kret_count_children(const char *text)
{
    unsigned long long n = 0;
    for (const char *s = text; (s = strstr(s, "<child>")) != NULL; s++)
        n++;
    return n;
}

/* return/cld.xml holding exactly TEXT, and a MANIFEST naming PERIOD and AS_OF, listing the
 * file with its children as rows, as yj-transform does. */
static inline void
kret_return_text(struct kret *k, const char *period, const char *as_of, const char *text)
{
    struct manifest m;

    manifest_init(&m);
    manifest_set(&m, "stage", "transform");
    manifest_set(&m, "period", period);
    manifest_set(&m, "as_of", as_of);
    manifest_set(&m, "schema_version", "11");
    kret_add(&m, k->ret, "cld.xml", text, kret_count_children(text));
    kret_write_manifest(&m, k->ret);
    manifest_release(&m);
}

static inline void
kret_return_at(struct kret *k, const char *period, const char *as_of, const char *children)
{
    char *xml = kret_xml(children);
    kret_return_text(k, period, as_of, xml);
    free(xml);
}

static inline void
kret_return(struct kret *k, const char *children)
{
    kret_return_at(k, KRET_PERIOD, KRET_AS_OF, children);
}

static inline unsigned long long
kret_lines(const char *s)
{
    unsigned long long n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* staged/ with service/board_attendance.tsv and service/population.tsv holding the data
 * rows BOARD and POPULATION (tab separated, each line ending in \n) under yj-extract's
 * header line; NULL leaves a file out (and out of the staged MANIFEST). */
static inline void
kret_staged(struct kret *k, const char *board, const char *population)
{
    struct manifest m;
    char *svc, *text;
    size_t n;

    k->staged = ut_path(k->dir, "staged");
    svc = ut_path(k->staged, "service");
    cr_assert_eq(mkdir(k->staged, 0755), 0);
    cr_assert_eq(mkdir(svc, 0755), 0);
    free(svc);
    manifest_init(&m);
    manifest_set(&m, "stage", "extract");
    manifest_set(&m, "period", KRET_PERIOD);
    manifest_set(&m, "as_of", KRET_AS_OF);
    if (board) {
        static const char h[] =
            "quarter\tsector_cd\tattended_flag\tsenior_flag\tnew_partner_flag\n";
        n = strlen(h) + strlen(board) + 1;
        text = malloc(n);
        snprintf(text, n, "%s%s", h, board);
        kret_add(&m, k->staged, "service/board_attendance.tsv", text, kret_lines(board));
        free(text);
    }
    if (population) {
        static const char h[] = "year\theadcount\n";
        n = strlen(h) + strlen(population) + 1;
        text = malloc(n);
        snprintf(text, n, "%s%s", h, population);
        kret_add(&m, k->staged, "service/population.tsv", text, kret_lines(population));
        free(text);
    }
    kret_write_manifest(&m, k->staged);
    manifest_release(&m);
}

static inline int
kret_run(struct kret *k)
{
    struct kpi_options opt;

    memset(&opt, 0, sizeof(opt));
    opt.mappings = k->maps;
    opt.return_dir = k->ret;
    opt.staged = k->staged;
    opt.out_dir = k->out;
    opt.provisional = k->provisional;
    yj_error_init(&k->err);
    return kpi_run(&opt, &k->res, &k->err);
}

/* Runs and fails the test unless the run succeeds. */
static inline void
kret_run_ok(struct kret *k)
{
    int rc = kret_run(k);
    cr_assert_eq(rc, YJ_OK, "kpi_run: %d %s", rc, k->err.message);
}

/* The whole output file NAME of kpi/. */
static inline char *
kret_read(const struct kret *k, const char *name)
{
    char *path = ut_path(k->out, name), *s = ut_read(path, NULL);

    cr_assert_not_null(s, "no output '%s'", path);
    free(path);
    return s;
}

/* Fails unless output NAME is EXPECT byte for byte. */
#define kret_assert_file(k, name, expect)                                                          \
    do {                                                                                           \
        char *got_ = kret_read((k), (name));                                                       \
        cr_assert_str_eq(got_, (expect), "%s differs: got\n%s\nexpected\n%s", (name), got_,        \
                         (expect));                                                                \
        free(got_);                                                                                \
    } while (0)

/* The cells after the description of the row labelled LABEL (as written in the CSV, quotes
 * included) of template TPL, without the newline: NULL when there is no such row. Rows start
 * ",YYYY-MM-DD,MEDWAY,": any reporting date. */
static inline char *
kret_row(const struct kret *k, const char *tpl, const char *label)
{
    char name[96], *text, *line, *found = NULL;
    size_t plen;
    char prefix[512];

    snprintf(name, sizeof(name), "%s.csv", tpl);
    snprintf(prefix, sizeof(prefix), "MEDWAY,%s,", label);
    plen = strlen(prefix);
    text = kret_read(k, name);
    for (line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strlen(line) > 12 && line[0] == ',' && line[11] == ',' &&
            strncmp(line + 12, prefix, plen) == 0) {
            cr_assert_null(found, "row '%s' twice in %s", label, name);
            found = strdup(line + 12 + plen);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return found;
}

#define kret_assert_row(k, tpl, label, expect)                                                     \
    do {                                                                                           \
        char *row_ = kret_row((k), (tpl), (label));                                                \
        cr_assert_not_null(row_, "no row '%s' in %s", (label), (tpl));                             \
        cr_assert_str_eq(row_, (expect), "%s row '%s' differs: got\n%s\nexpected\n%s", (tpl),      \
                         (label), row_, (expect));                                                 \
        free(row_);                                                                                \
    } while (0)

/* Cuts a headline.csv line (in place) after its first N columns. */
static inline char *
kret_cut_columns(char *line, int n)
{
    char *p = line;
    for (int i = 0; p && i < n; i++)
        p = strchr(p + (i ? 1 : 0), ',');
    if (p && n > 0)
        *p = '\0';
    return line;
}

/* headline.csv's columns: the project's ten (period ... rate_unit), then the YJB's figures
 * (yjb_numerator, yjb_denominator, yjb_rate) and provisional. */
#define KRET_HEAD_PROJECT 10

/* The whole line of headline.csv for KPI measure MEASURE and type of order ORDER, without the
 * newline. */
static inline char *
kret_headline_full(const struct kret *k, const char *measure, const char *order)
{
    char *text = kret_read(k, "headline.csv"), *line, *found = NULL, key[128];

    snprintf(key, sizeof(key), ",%s,%s,", measure, order);
    for (line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        char *c1 = strchr(line, ',');
        if (nl)
            *nl = '\0';
        /* period,kpi,measure,order: the key starts after the kpi number */
        if (c1 && (c1 = strchr(c1 + 1, ',')) != NULL && strncmp(c1, key, strlen(key)) == 0)
            found = strdup(line);
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return found;
}

/* The line's project columns (period ... rate_unit). */
static inline char *
kret_headline(const struct kret *k, const char *measure, const char *order)
{
    char *h = kret_headline_full(k, measure, order);
    return h ? kret_cut_columns(h, KRET_HEAD_PROJECT) : NULL;
}

/* The line's columns after the project's: "yjb_numerator,yjb_denominator,yjb_rate,provisional". */
static inline char *
kret_headline_yjb(const struct kret *k, const char *measure, const char *order)
{
    char *h = kret_headline_full(k, measure, order), *p = h, *out;
    for (int i = 0; p && i < KRET_HEAD_PROJECT; i++)
        p = strchr(p + (i ? 1 : 0), ',');
    out = p ? strdup(p + 1) : NULL;
    free(h);
    return out;
}

#define kret_assert_yjb(k, measure, order, expect)                                                 \
    do {                                                                                           \
        char *y_ = kret_headline_yjb((k), (measure), (order));                                     \
        cr_assert_not_null(y_, "no headline %s %s", (measure), (order));                           \
        cr_assert_str_eq(y_, (expect), "YJB figures %s %s differ: got\n%s\nexpected\n%s",          \
                         (measure), (order), y_, (expect));                                        \
        free(y_);                                                                                  \
    } while (0)

#define kret_assert_headline(k, measure, order, expect)                                            \
    do {                                                                                           \
        char *h_ = kret_headline((k), (measure), (order));                                         \
        cr_assert_not_null(h_, "no headline %s %s", (measure), (order));                           \
        cr_assert_str_eq(h_, (expect), "headline %s %s differs: got\n%s\nexpected\n%s", (measure), \
                         (order), h_, (expect));                                                   \
        free(h_);                                                                                  \
    } while (0)

/* The lines of output NAME that contain NEEDLE (that start with it, after a leading '^'),
 * each with its newline, in file order; lines of headline.csv cut to the project's columns
 * (kret_assert_file and kret_assert_yjb read the others). */
static inline char *
kret_grep(const struct kret *k, const char *name, const char *needle)
{
    char *text = kret_read(k, name), *out = calloc(1, strlen(text) + 1), *line;

    cr_assert_not_null(out);
    for (line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (needle[0] == '^' ? strncmp(line, needle + 1, strlen(needle + 1)) == 0
                             : strstr(line, needle) != NULL) {
            if (strcmp(name, "headline.csv") == 0)
                kret_cut_columns(line, KRET_HEAD_PROJECT);
            strcat(out, line);
            strcat(out, "\n");
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return out;
}

#define kret_assert_grep(k, name, needle, expect)                                                  \
    do {                                                                                           \
        char *g_ = kret_grep((k), (name), (needle));                                               \
        cr_assert_str_eq(g_, (expect), "lines of %s with '%s' differ: got\n%s\nexpected\n%s",      \
                         (name), (needle), g_, (expect));                                          \
        free(g_);                                                                                  \
    } while (0)

/* ---- an editable copy of the mappings ---- */

/* Points the run at dir/mappings, a copy of the project's mappings. */
static inline void
kret_copy_mappings(struct kret *k)
{
    char *to = ut_path(k->dir, "mappings");
    ut_copy_tree(YJ_SOURCE_DIR "/mappings", to);
    free(k->maps);
    k->maps = to;
}

/* The path of NAME (e.g. "schema-11/kpi/kpi.conf") in the mappings the run reads. */
static inline char *
kret_map_path(const struct kret *k, const char *name)
{
    return ut_path(k->maps, name);
}

/* Replaces the one occurrence of OLD in mappings file NAME by NEW. */
static inline void
kret_edit(struct kret *k, const char *name, const char *old, const char *new_text)
{
    char *path = kret_map_path(k, name), *s = ut_read(path, NULL), *at, *out;
    size_t n;

    cr_assert_not_null(s, "cannot read '%s'", path);
    at = strstr(s, old);
    cr_assert_not_null(at, "'%s' not in %s", old, name);
    cr_assert_null(strstr(at + 1, old), "'%s' more than once in %s", old, name);
    n = strlen(s) - strlen(old) + strlen(new_text) + 1;
    out = malloc(n);
    cr_assert_not_null(out);
    memcpy(out, s, (size_t)(at - s));
    snprintf(out + (at - s), n - (size_t)(at - s), "%s%s", new_text, at + strlen(old));
    ut_write(path, out);
    free(out);
    free(s);
    free(path);
}

#endif
