/*
 * test_cldreader.c - the one reader of a return folder (etl/core/cldreader.c).
 *
 * The reviewed golden return (tests/integration/golden/cld-2025Q1.xml: 12 children, one
 * envelope) is read whole, as one document and split into two parts; then each way a folder
 * can lie is refused with its whole message and exit status: another root element, another
 * namespace, another schemaVersion, a child count or byte that differs from the MANIFEST, a
 * DOCTYPE, a document that is not well-formed, a MANIFEST without documents, a missing file.
 * The walk (cld_reader_walk, etl/core/cldwalk.c) is held to the tree reader: every
 * refusal above is also the walk's, word for word, and the walk's text of every element of
 * every child is the text the tree holds, whitespace, comments and CDATA included.
 */
#include "cldreader.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <string.h>

static char *dir;
static char *golden;

static void
setup(void)
{
    dir = ut_mkdtemp();
    golden = ut_read(YJ_SOURCE_DIR "/tests/integration/golden/cld-2025Q1.xml", NULL);
    cr_assert_not_null(golden);
}

static void
teardown(void)
{
    ut_rmtree(dir);
    free(dir);
    free(golden);
}

/* Writes NAME with TEXT into the folder and adds it to M with ROWS children. */
static void
add_document(struct manifest *m, const char *name, const char *text, unsigned long long rows)
{
    char *p = ut_path(dir, name), hex[SHA256_HEX_LEN + 1];
    unsigned long long bytes;

    ut_write(p, text);
    cr_assert_eq(sha256_file(p, hex, &bytes), 0);
    manifest_add_file(m, name, rows, bytes, hex);
    free(p);
}

static void
write_manifest(struct manifest *m)
{
    char *p = ut_path(dir, "MANIFEST");
    struct yj_error err;

    manifest_set(m, "stage", "transform");
    manifest_set(m, "schema_version", "11");
    cr_assert_eq(manifest_write(m, p, &err), YJ_OK);
    manifest_release(m);
    free(p);
}

/* A folder holding TEXT as cld.xml, listed with ROWS children. */
static void
one_document(const char *text, unsigned long long rows)
{
    struct manifest m;

    manifest_init(&m);
    add_document(&m, "cld.xml", text, rows);
    write_manifest(&m);
}

/* TEXT with FROM replaced by TO (first occurrence), malloc'd; TEXT is freed when OWNED. */
static char *
replaced(char *text, int owned, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    size_t n;
    char *out;

    cr_assert_not_null(at, "'%s' not in the text", from);
    n = strlen(text) - strlen(from) + strlen(to) + 1;
    out = malloc(n);
    snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    if (owned)
        free(text);
    return out;
}

/* The golden text with FROM replaced by TO, malloc'd. */
static char *
edited(const char *from, const char *to)
{
    return replaced(golden, 0, from, to);
}

/* Reads the folder to its end; returns the status, err the message; counts what it saw. */
static int
read_all(const char *schema, struct yj_error *err, int *envelopes, int *children, int *deletions)
{
    struct cld_reader r;
    int rc;

    *envelopes = *children = *deletions = 0;
    yj_error_init(err);
    cld_reader_init(&r);
    rc = cld_reader_open(&r, dir, schema, err);
    while (rc == YJ_OK && (rc = cld_reader_next(&r, err)) == YJ_OK && r.kind != CLD_END) {
        cr_assert_not_null(r.node);
        *envelopes += r.kind == CLD_ENVELOPE;
        *children += r.kind == CLD_CHILD;
        *deletions += r.kind == CLD_DELETION;
    }
    cld_reader_release(&r);
    return rc;
}

/* ---- the walk ---- */

/* What a walk saw: per kind at depth 1, and every element of depth 2 and 3 with its text, one
 * line each ("depth name=text"). */
struct seen {
    int kinds[4];
    char *lines;
    size_t len, cap;
};

static void
seen_add(struct seen *s, int depth, const char *name, const char *text, size_t len)
{
    size_t need = strlen(name) + len + 16;

    if (s->len + need > s->cap) {
        s->cap = (s->len + need) * 2;
        s->lines = realloc(s->lines, s->cap);
    }
    s->len += (size_t)snprintf(s->lines + s->len, s->cap - s->len, "%d %s=%.*s\n", depth, name,
                               (int)len, text);
}

static int
seen_begin(void *arg, enum cld_kind kind)
{
    ((struct seen *)arg)->kinds[kind]++;
    return kind == CLD_CHILD ? CLD_WALK_ELEMENTS : CLD_WALK_SKIP;
}

static int
seen_open(void *arg, int depth, const xmlChar *name)
{
    (void)arg;
    (void)name;
    return depth == 2 ? CLD_WALK_ELEMENTS : CLD_WALK_TEXT;
}

static void
seen_close(void *arg, int depth, const xmlChar *name, const char *text, size_t len)
{
    if (depth == 3)
        seen_add(arg, depth, (const char *)name, text, len);
}

/* Walks the folder to its end; returns the status, err the message; S what it saw. */
static int
walk_all(const char *schema, struct yj_error *err, struct seen *s)
{
    const struct cld_walk w = {NULL, seen_begin, seen_open, seen_close, NULL, s};
    struct cld_reader r;
    int rc;

    memset(s, 0, sizeof(*s));
    yj_error_init(err);
    cld_reader_init(&r);
    rc = cld_reader_open(&r, dir, schema, err);
    if (rc == YJ_OK)
        rc = cld_reader_walk(&r, &w, err);
    cr_assert(rc != YJ_OK || r.kind == CLD_END);
    cld_reader_release(&r);
    return rc;
}

/* The same lines from the tree: each child's elements and, for those of depth 3, the text
 * kpi's tree reading took (the text and CDATA nodes directly inside). */
static void
tree_lines(struct seen *s)
{
    struct yj_error err;
    struct cld_reader r;

    memset(s, 0, sizeof(*s));
    cld_reader_init(&r);
    cr_assert_eq(cld_reader_open(&r, dir, "11", &err), YJ_OK);
    while (cld_reader_next(&r, &err) == YJ_OK && r.kind != CLD_END) {
        s->kinds[r.kind]++;
        for (xmlNode *item = r.kind == CLD_CHILD ? r.node->children : NULL; item; item = item->next)
            for (xmlNode *f = item->type == XML_ELEMENT_NODE ? item->children : NULL; f;
                 f = f->next) {
                size_t len = 0;
                char text[4096];
                if (f->type != XML_ELEMENT_NODE)
                    continue;
                for (xmlNode *t = f->children; t; t = t->next)
                    if (t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE)
                        len += (size_t)snprintf(text + len, sizeof(text) - len, "%s",
                                                (const char *)t->content);
                seen_add(s, 3, (const char *)f->name, text, len);
            }
    }
    cr_assert_eq(r.kind, CLD_END, "%s", err.message);
    cld_reader_release(&r);
}

/* The walk of the folder sees what the tree holds. */
static void
assert_walk_is_tree(void)
{
    struct yj_error err;
    struct seen w, t;

    cr_assert_eq(walk_all("11", &err, &w), YJ_OK, "%s", err.message);
    tree_lines(&t);
    cr_assert_eq(w.kinds[CLD_ENVELOPE], t.kinds[CLD_ENVELOPE]);
    cr_assert_eq(w.kinds[CLD_CHILD], t.kinds[CLD_CHILD]);
    cr_assert_eq(w.kinds[CLD_DELETION], t.kinds[CLD_DELETION]);
    cr_assert_gt(t.len, 0);
    cr_assert_eq(w.len, t.len);
    cr_assert(memcmp(w.lines, t.lines, t.len) == 0, "walk:\n%.*s\ntree:\n%.*s", (int)w.len, w.lines,
              (int)t.len, t.lines);
    free(w.lines);
    free(t.lines);
}

/* Reading the folder fails with WANT_RC and the message WANT, where "@" stands for the path
 * of cld.xml in the folder; walking it fails the same way. */
static void
assert_refused(int want_rc, const char *want)
{
    struct yj_error err;
    struct seen s;
    int e, c, d;
    char *path = ut_path(dir, "cld.xml"), *msg = replaced((char *)want, 0, "@", path);

    cr_assert_eq(read_all("11", &err, &e, &c, &d), want_rc, "%s", err.message);
    cr_assert_str_eq(err.message, msg);
    cr_assert_eq(walk_all("11", &err, &s), want_rc, "walk: %s", err.message);
    cr_assert_str_eq(err.message, msg, "walk");
    free(s.lines);
    free(msg);
    free(path);
}

TestSuite(cldreader, .init = setup, .fini = teardown);

Test(cldreader, reads_the_golden_return_whole)
{
    struct yj_error err;
    struct cld_reader r;
    int e, c, d;
    xmlChar *ypid;

    one_document(golden, 12);
    cr_assert_eq(read_all("11", &err, &e, &c, &d), YJ_OK, "%s", err.message);
    cr_assert_eq(e, 1);
    cr_assert_eq(c, 12);
    cr_assert_eq(d, 0);
    cr_assert_eq(read_all(NULL, &err, &e, &c, &d), YJ_OK, "%s", err.message);

    /* the envelope comes first, then the children in document order */
    cld_reader_init(&r);
    cr_assert_eq(cld_reader_open(&r, dir, "11", &err), YJ_OK);
    cr_assert_eq(cld_reader_next(&r, &err), YJ_OK);
    cr_assert_eq(r.kind, CLD_ENVELOPE);
    ypid = cld_text(r.node, "documentCount");
    cr_assert_str_eq((const char *)ypid, "12");
    xmlFree(ypid);
    cr_assert_eq(cld_reader_next(&r, &err), YJ_OK);
    cr_assert_eq(r.kind, CLD_CHILD);
    ypid = cld_text(cld_elem(r.node, "person"), "ypid");
    cr_assert_str_eq((const char *)ypid, "YPG0000001");
    xmlFree(ypid);
    cr_assert_eq(r.children, 1);
    cr_assert_eq(r.document, 0);
    cld_reader_release(&r);
}

Test(cldreader, walks_the_golden_return_seeing_what_the_tree_holds)
{
    struct yj_error err;
    struct seen s;
    char *text;

    one_document(golden, 12);
    cr_assert_eq(walk_all(NULL, &err, &s), YJ_OK, "%s", err.message);
    cr_assert_eq(s.kinds[CLD_ENVELOPE], 1);
    cr_assert_eq(s.kinds[CLD_CHILD], 12);
    cr_assert_not_null(strstr(s.lines, "3 ypid=YPG0000001\n"));
    free(s.lines);
    assert_walk_is_tree();

    /* whitespace the tree drops or keeps, comments, processing instructions, CDATA, entities,
     * elements inside a field, an element nobody asked for */
    text = replaced(edited("<ypid>YPG0000001</ypid>",
                           "<ypid>  <!-- c -->YPG<![CDATA[00]]>&#48;&amp;0001 <x/>  <?p i?></ypid>"
                           "<dateOfBirth>  </dateOfBirth><sex> <!-- c --></sex>"),
                    1, "<ypid>YPG0000002</ypid>",
                    "<ypid><x/>  <y/>  </ypid><unknown>\n <ypid>no</ypid>\n</unknown>");
    text = replaced(text, 1, "<child>", "<child>\n\n   <!-- c -->   \n");
    one_document(text, 12);
    free(text);
    assert_walk_is_tree();
}

Test(cldreader, walks_parts_in_manifest_order)
{
    const char *first = strstr(golden, "  <child>"), *second = strstr(first + 1, "  <child>");
    const char *close = strstr(golden, "</cldReturn>");
    size_t n = strlen(golden) + 64;
    char *p1 = malloc(n), *p2 = malloc(n);
    struct manifest m;
    struct yj_error err;
    struct seen s;

    snprintf(p1, n, "%.*s%s", (int)(second - golden), golden, close);
    snprintf(p2, n, "%.*s%s", (int)(first - golden), golden, second);
    manifest_init(&m);
    add_document(&m, "cld-part-0001.xml", p1, 1);
    add_document(&m, "cld-part-0002.xml", p2, 11);
    write_manifest(&m);
    cr_assert_eq(walk_all("11", &err, &s), YJ_OK, "%s", err.message);
    cr_assert_eq(s.kinds[CLD_ENVELOPE], 2);
    cr_assert_eq(s.kinds[CLD_CHILD], 12);
    free(s.lines);
    assert_walk_is_tree();
    /* a part whose children differ from its MANIFEST line */
    manifest_init(&m);
    add_document(&m, "cld-part-0001.xml", p1, 1);
    add_document(&m, "cld-part-0002.xml", p2, 10);
    write_manifest(&m);
    cr_assert_eq(walk_all("11", &err, &s), YJ_EX_DATAERR);
    free(s.lines);
    cr_assert_not_null(strstr(err.message, "cld-part-0002.xml' holds 11 children; its MANIFEST "
                                           "lists 10"),
                       "%s", err.message);
    free(p1);
    free(p2);
}

Test(cldreader, refuses_a_child_cut_short_or_a_nul_byte_naming_the_line)
{
    const char *cut = strstr(golden, "<dateOfBirth>");
    char *text = strndup(golden, (size_t)(cut - golden) + 5);

    one_document(text, 12);
    free(text);
    assert_refused(YJ_EX_DATAERR, "return file '@' line 20: not well-formed: Couldn't find end of "
                                  "Start Tag date");
    text = edited("<sex>1</sex>", "<sex>1\n</sex>");
    text[strstr(text, "<sex>1\n") - text + 6] = '\0'; /* the newline becomes a NUL byte */
    {
        size_t len = strlen(golden) + 1;
        char *p = ut_path(dir, "cld.xml"), hex[SHA256_HEX_LEN + 1];
        struct manifest m;
        unsigned long long bytes;
        ut_write_bytes(p, text, len);
        cr_assert_eq(sha256_file(p, hex, &bytes), 0);
        manifest_init(&m);
        manifest_add_file(&m, "cld.xml", 12, bytes, hex);
        write_manifest(&m);
        free(p);
    }
    free(text);
    assert_refused(YJ_EX_DATAERR,
                   "return file '@' line 22: not well-formed: Char 0x0 out of allowed range");
}

Test(cldreader, yields_deletion_notices_after_the_children)
{
    char *text = edited("</cldReturn>", "  <deletion>\n    <ypid>YPG0000099</ypid>\n  </deletion>\n"
                                        "  <deletion>\n    <ypid>YPG0000098</ypid>\n  </deletion>\n"
                                        "</cldReturn>");
    struct yj_error err;
    struct cld_reader r;
    xmlChar *ypid;
    int e, c, d;

    one_document(text, 12);
    free(text);
    cr_assert_eq(read_all("11", &err, &e, &c, &d), YJ_OK, "%s", err.message);
    cr_assert_eq(e, 1);
    cr_assert_eq(c, 12);
    cr_assert_eq(d, 2);
    cld_reader_init(&r);
    cr_assert_eq(cld_reader_open(&r, dir, "11", &err), YJ_OK);
    while (cld_reader_next(&r, &err) == YJ_OK && r.kind != CLD_DELETION)
        ;
    cr_assert_eq(r.kind, CLD_DELETION);
    ypid = cld_text(r.node, "ypid");
    cr_assert_str_eq((const char *)ypid, "YPG0000099");
    xmlFree(ypid);
    cr_assert_eq(r.children, 12);
    cld_reader_release(&r);
}

Test(cldreader, reads_parts_in_manifest_order)
{
    /* part 1: the envelope and the first child; part 2: the envelope and the other eleven */
    const char *first = strstr(golden, "  <child>"), *second = strstr(first + 1, "  <child>");
    const char *close = strstr(golden, "</cldReturn>");
    size_t n = strlen(golden) + 64;
    char *p1 = malloc(n), *p2 = malloc(n);
    struct manifest m;
    struct yj_error err;
    struct cld_reader r;
    unsigned long per_doc[2] = {0, 0};
    xmlChar *ypid;

    snprintf(p1, n, "%.*s%s", (int)(second - golden), golden, close);
    snprintf(p2, n, "%.*s%s", (int)(first - golden), golden, second);
    manifest_init(&m);
    add_document(&m, "cld-part-0001.xml", p1, 1);
    add_document(&m, "cld-part-0002.xml", p2, 11);
    write_manifest(&m);

    cld_reader_init(&r);
    cr_assert_eq(cld_reader_open(&r, dir, "11", &err), YJ_OK, "%s", err.message);
    cr_assert_eq(r.ndocuments, 2);
    cr_assert_eq(cld_reader_next(&r, &err), YJ_OK);
    cr_assert_eq(cld_reader_next(&r, &err), YJ_OK);
    ypid = cld_text(cld_elem(r.node, "person"), "ypid");
    cr_assert_str_eq((const char *)ypid, "YPG0000001");
    xmlFree(ypid);
    while (cld_reader_next(&r, &err) == YJ_OK && r.kind != CLD_END)
        if (r.kind == CLD_CHILD)
            per_doc[r.document] = r.children;
    cr_assert_eq(r.kind, CLD_END, "%s", err.message);
    cr_assert_eq(per_doc[1], 11);
    cr_assert_eq(r.total_children, 12);
    cld_reader_release(&r);
    free(p1);
    free(p2);
}

Test(cldreader, refuses_another_root_element)
{
    char *text = replaced(edited("<cldReturn ", "<other "), 1, "</cldReturn>", "</other>");

    one_document(text, 12);
    free(text);
    assert_refused(YJ_EX_DATAERR,
                   "return file '@': the root element is not cldReturn: not a return");
}

Test(cldreader, refuses_another_namespace)
{
    char *text = edited("xmlns=\"urn:yjreturns:cld:schema-11\"", "xmlns=\"urn:example:other\"");

    one_document(text, 12);
    free(text);
    assert_refused(YJ_EX_DATAERR,
                   "return file '@': the root element is not in the "
                   "namespace urn:yjreturns:cld:schema-11: not a return of schema 11");
}

Test(cldreader, refuses_a_return_of_another_schema)
{
    char *text =
        edited("xmlns=\"urn:yjreturns:cld:schema-11\"", "xmlns=\"urn:yjreturns:cld:schema-10\"");
    struct yj_error err;
    int e, c, d;

    one_document(text, 12);
    free(text);
    assert_refused(YJ_EX_DATAERR,
                   "return file '@': the root element is not in the "
                   "namespace urn:yjreturns:cld:schema-11: not a return of schema 11");
    /* schema-1 is a prefix of schema-11: still another schema */
    text = edited("xmlns=\"urn:yjreturns:cld:schema-11\"", "xmlns=\"urn:yjreturns:cld:schema-1\"");
    one_document(text, 12);
    free(text);
    cr_assert_eq(read_all("11", &err, &e, &c, &d), YJ_EX_DATAERR);
}

Test(cldreader, refuses_another_schema_version_attribute)
{
    char *text = edited("schemaVersion=\"11\"", "schemaVersion=\"12\"");

    one_document(text, 12);
    free(text);
    assert_refused(YJ_EX_DATAERR,
                   "return file '@': schemaVersion is not 11: not a return of schema 11");
    text = edited(" schemaVersion=\"11\"", "");
    one_document(text, 12);
    free(text);
    assert_refused(YJ_EX_DATAERR,
                   "return file '@': schemaVersion is not 11: not a return of schema 11");
}

Test(cldreader, refuses_a_child_count_that_differs_from_the_manifest)
{
    one_document(golden, 11);
    assert_refused(YJ_EX_DATAERR, "return file '@' holds 12 children; its MANIFEST lists 11");
    one_document(golden, 13);
    assert_refused(YJ_EX_DATAERR, "return file '@' holds 12 children; its MANIFEST lists 13");
}

Test(cldreader, refuses_bytes_that_differ_from_the_manifest)
{
    char *p = ut_path(dir, "cld.xml"), *text = edited("<sex>1</sex>", "<sex>2</sex>");

    one_document(golden, 12);
    ut_write(p, text); /* same size, other bytes */
    assert_refused(YJ_EX_IOERR, "return file '@' does not match its MANIFEST (SHA-256 or size)");
    free(text);
    text = replaced(golden, 0, "</cldReturn>\n",
                    "</cldReturn>\n\n"); /* one byte more, after the root */
    ut_write(p, text);
    assert_refused(YJ_EX_IOERR, "return file '@' does not match its MANIFEST (SHA-256 or size)");
    free(text);
    free(p);
}

Test(cldreader, refuses_a_doctype)
{
    char *text = edited("<cldReturn ", "<!DOCTYPE cldReturn [<!ENTITY x \"y\">]>\n<cldReturn ");

    one_document(text, 12);
    free(text);
    assert_refused(YJ_EX_DATAERR, "return file '@': a DOCTYPE is not allowed");
}

Test(cldreader, refuses_a_document_that_is_not_well_formed)
{
    char *text = edited("</person>", "</persona>");

    one_document(text, 12);
    free(text);
    assert_refused(YJ_EX_DATAERR, "return file '@' line 30: not well-formed: Opening and ending "
                                  "tag mismatch: person line 16 and persona");
    one_document("", 0);
    assert_refused(YJ_EX_DATAERR, "return file '@' is empty");
}

Test(cldreader, refuses_a_manifest_without_documents_or_a_missing_document)
{
    struct manifest m;
    struct yj_error err;
    int e, c, d;
    char *p = ut_path(dir, "cld.xml"), *mp = ut_path(dir, "MANIFEST"), *want;
    size_t n;

    manifest_init(&m);
    write_manifest(&m);
    cr_assert_eq(read_all("11", &err, &e, &c, &d), YJ_EX_DATAERR);
    n = strlen(mp) + 64;
    want = malloc(n);
    snprintf(want, n, "'%s' lists no return document", mp);
    cr_assert_str_eq(err.message, want);
    free(want);

    one_document(golden, 12);
    cr_assert_eq(unlink(p), 0);
    assert_refused(YJ_EX_NOINPUT, "could not open return file '@': No such file or directory");
    free(p);
    free(mp);
}

Test(cldreader, skips_the_rest_of_a_document_to_the_next_envelope)
{
    const char *first = strstr(golden, "  <child>"), *second = strstr(first + 1, "  <child>");
    const char *close = strstr(golden, "</cldReturn>");
    size_t n = strlen(golden) + 64;
    char *p1 = malloc(n), *p2 = malloc(n);
    struct manifest m;
    struct yj_error err;
    struct cld_reader r;

    snprintf(p1, n, "%.*s%s", (int)(second - golden), golden, close);
    snprintf(p2, n, "%.*s%s", (int)(first - golden), golden, second);
    manifest_init(&m);
    /* the rows are wrong: a skipped document's children are not counted */
    add_document(&m, "cld-part-0001.xml", p1, 5);
    add_document(&m, "cld-part-0002.xml", p2, 11);
    write_manifest(&m);
    cld_reader_init(&r);
    cr_assert_eq(cld_reader_open(&r, dir, NULL, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(cld_reader_next(&r, &err), YJ_OK);
    cr_assert_eq(r.kind, CLD_ENVELOPE);
    cr_assert_eq(r.document, 0);
    cr_assert_eq(cld_reader_skip_document(&r, &err), YJ_OK);
    cr_assert_eq(cld_reader_next(&r, &err), YJ_OK);
    cr_assert_eq(r.kind, CLD_ENVELOPE);
    cr_assert_eq(r.document, 1);
    cr_assert_eq(cld_reader_skip_document(&r, &err), YJ_OK);
    cr_assert_eq(r.kind, CLD_END);
    cr_assert_null(r.path);
    cr_assert_eq(cld_reader_next(&r, &err), YJ_OK);
    cr_assert_eq(r.kind, CLD_END);
    cld_reader_release(&r);
    free(p1);
    free(p2);
}

/* Reads one file no MANIFEST lists; returns the status and counts its children. */
static int
read_file_alone(const char *text, const char *schema, struct yj_error *err, int *children)
{
    char *p = ut_path(dir, "previous.xml");
    struct cld_reader r;
    int rc;

    ut_write(p, text);
    *children = 0;
    yj_error_init(err);
    cld_reader_init(&r);
    rc = cld_reader_open_file(&r, p, schema, err);
    while (rc == YJ_OK && (rc = cld_reader_next(&r, err)) == YJ_OK && r.kind != CLD_END)
        *children += r.kind == CLD_CHILD;
    cld_reader_release(&r);
    free(p);
    return rc;
}

Test(cldreader, reads_a_file_alone_of_any_schema_whose_namespace_and_version_agree)
{
    struct yj_error err;
    char *text, *p = ut_path(dir, "previous.xml"), want[1024];
    int c;

    cr_assert_eq(read_file_alone(golden, NULL, &err, &c), YJ_OK, "%s", err.message);
    cr_assert_eq(c, 12);
    cr_assert_eq(read_file_alone(golden, "11", &err, &c), YJ_OK, "%s", err.message);
    text = replaced(
        edited("xmlns=\"urn:yjreturns:cld:schema-11\"", "xmlns=\"urn:yjreturns:cld:schema-9\""), 1,
        "schemaVersion=\"11\"", "schemaVersion=\"9\"");
    cr_assert_eq(read_file_alone(text, NULL, &err, &c), YJ_OK, "%s", err.message);
    cr_assert_eq(read_file_alone(text, "11", &err, &c), YJ_EX_DATAERR);
    snprintf(want, sizeof(want),
             "return file '%s': the root element is not in the namespace "
             "urn:yjreturns:cld:schema-11: not a return of schema 11",
             p);
    cr_assert_str_eq(err.message, want);
    free(text);
    /* namespace schema-9, schemaVersion 11: they disagree */
    text = edited("xmlns=\"urn:yjreturns:cld:schema-11\"", "xmlns=\"urn:yjreturns:cld:schema-9\"");
    cr_assert_eq(read_file_alone(text, NULL, &err, &c), YJ_EX_DATAERR);
    snprintf(want, sizeof(want),
             "return file '%s': schemaVersion is not 9: not a return of schema 9", p);
    cr_assert_str_eq(err.message, want);
    free(text);
    text = edited("xmlns=\"urn:yjreturns:cld:schema-11\"", "xmlns=\"urn:yjreturns:cld:schema-x\"");
    cr_assert_eq(read_file_alone(text, NULL, &err, &c), YJ_EX_DATAERR);
    snprintf(want, sizeof(want),
             "return file '%s': the root element is not in a namespace "
             "urn:yjreturns:cld:schema-N: not a return",
             p);
    cr_assert_str_eq(err.message, want);
    free(text);
    free(p);
}

Test(cldreader, says_when_an_error_is_a_document_that_is_not_well_formed)
{
    struct yj_error err;
    struct cld_reader r;
    char *p = ut_path(dir, "previous.xml");
    int c;

    cr_assert_eq(read_file_alone("<cldReturn", NULL, &err, &c), YJ_EX_DATAERR);
    ut_write(p, "<cldReturn");
    cld_reader_init(&r);
    cr_assert_eq(cld_reader_open_file(&r, p, NULL, &err), YJ_OK);
    cr_assert_eq(cld_reader_next(&r, &err), YJ_EX_DATAERR);
    cr_assert_eq(r.malformed, 1);
    cld_reader_release(&r);
    ut_write(p, "<other/>");
    cld_reader_init(&r);
    cr_assert_eq(cld_reader_open_file(&r, p, NULL, &err), YJ_OK);
    cr_assert_eq(cld_reader_next(&r, &err), YJ_EX_DATAERR);
    cr_assert_eq(r.malformed, 0);
    cld_reader_release(&r);
    free(p);
}
