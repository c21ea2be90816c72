/*
 * test_cldreader.c - the one reader of a return folder (etl/core/cldreader.c).
 *
 * The reviewed golden return (tests/integration/golden/cld-2025Q1.xml: 12 children, one
 * envelope) is read whole, as one document and split into two parts; then each way a folder
 * can lie is refused with its whole message and exit status: another root element, another
 * namespace, another schemaVersion, a child count or byte that differs from the MANIFEST, a
 * DOCTYPE, a document that is not well-formed, a MANIFEST without documents, a missing file.
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

/* Reading the folder fails with WANT_RC and the message WANT, where "@" stands for the path
 * of cld.xml in the folder. */
static void
assert_refused(int want_rc, const char *want)
{
    struct yj_error err;
    int e, c, d;
    char *path = ut_path(dir, "cld.xml"), *msg = replaced((char *)want, 0, "@", path);

    cr_assert_eq(read_all("11", &err, &e, &c, &d), want_rc, "%s", err.message);
    cr_assert_str_eq(err.message, msg);
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
