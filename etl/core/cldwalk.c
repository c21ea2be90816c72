/*
 * cldwalk.c - walks the documents of a return folder with libxml2's SAX2 push parser: no tree,
 * only the elements and the text the caller asks for (see cldreader.h, cld_reader_walk).
 *
 * Invariant: a walk reports what the tree reader (cldreader.c) would yield, and fails where it
 * fails, in its words. So the parser gets the same bytes in the same pushes as the tree reader
 * gives its own push parser (4 bytes when it is made, then 512 at a time: libxml2's xmlreader.c),
 * with the same options. libxml2 decides whether whitespace between elements is text by looking
 * at the node being built (its first and last child); the walk gives it a stand-in node per open
 * element that records only that, so the same whitespace is dropped. A document in which the
 * walk finds any problem (not well-formed, a DOCTYPE, another root, an error libxml2 reports)
 * is read again with the tree reader, and its message is the one returned.
 * Memory: one buffer for the text being collected, grown to the longest text (at most
 * CLD_WALK_TEXT_MAX), and the stand-ins; nothing per element.
 */
#include "cldreader.h"
#include "cldreader_int.h"

#include "mem.h"

#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define WALK_FIRST 4   /* bytes given to the parser when it is made */
#define WALK_CHUNK 512 /* bytes per push after those */
#define WALK_READ 4096 /* bytes per read of the file */

struct walk {
    struct cld_reader *r;
    const struct cld_walk *w;
    xmlParserCtxtPtr ctxt;
    const xmlChar *child, *deletion, *envelope, *schema_version; /* interned */
    xmlNode *nodes; /* the stand-in of the element open at each depth */
    int nnodes;
    int depth;      /* of the element open now; -1 before the root */
    int skip;       /* depth of the element whose inside is not reported, or -1 */
    int text_depth; /* depth of the element whose text is collected, or -1 */
    enum cld_kind kind;
    char *text; /* the text collected (owned) */
    size_t len, cap;
    int problem;         /* a DOCTYPE, another root, too long a text, too deep: stopped */
    struct yj_error own; /* the walk's own words for the problem */
    size_t cur, use;     /* pushed and read bytes of buf */
    char buf[WALK_READ + WALK_CHUNK];
};

/* What a stand-in's first and last children are: text, or anything else. Only their type is
 * read (xmlNodeIsText). */
static xmlNode text_child = {.type = XML_TEXT_NODE};
static xmlNode other_child = {.type = XML_ELEMENT_NODE};

static void
mark(xmlNode *parent, xmlNode *kind)
{
    if (!parent)
        return;
    if (!parent->children)
        parent->children = kind;
    parent->last = kind;
}

static void
stop(struct walk *k)
{
    k->problem = 1;
    xmlStopParser(k->ctxt);
}

static void
append(struct walk *k, const xmlChar *s, int len)
{
    if (k->len + (size_t)len > CLD_WALK_TEXT_MAX) {
        yj_error_set(&k->own, YJ_EX_DATAERR,
                     "return file '%s' line %d: the text of an element is longer than %d bytes",
                     k->r->path, xmlSAX2GetLineNumber(k->ctxt), CLD_WALK_TEXT_MAX);
        stop(k);
        return;
    }
    if (k->len + (size_t)len + 1 > k->cap) {
        while (k->len + (size_t)len + 1 > k->cap)
            k->cap *= 2;
        k->text = xrealloc(k->text, k->cap);
    }
    memcpy(k->text + k->len, s, (size_t)len);
    k->len += (size_t)len;
}

/* The root: the checks of cld_check_root, schemaVersion taken as the tree reader takes it (the
 * attribute of that name in no namespace). */
static void
walk_root(struct walk *k, const xmlChar *name, const xmlChar *uri, int nb_attrs,
          const xmlChar **attrs)
{
    char version[64];
    int have = 0;

    for (int i = 0; i < nb_attrs && !have; i++) {
        const xmlChar **a = attrs + 5 * i; /* localname, prefix, URI, value, end */
        if (a[0] == k->schema_version && !a[2]) {
            snprintf(version, sizeof(version), "%.*s", (int)(a[4] - a[3]), (const char *)a[3]);
            have = 1;
        }
    }
    if (cld_check_root(k->r, (const char *)name, (const char *)uri, have ? version : NULL,
                       &k->own) != YJ_OK)
        stop(k);
}

/* An xml:id that is not an NCName: libxml2's tree builder reports it (an error, not a
 * well-formedness one), so the tree reader fails at the end of the document. */
static void
check_xml_id(struct walk *k, int nb_attrs, const xmlChar **attrs)
{
    for (int i = 0; i < nb_attrs; i++) {
        const xmlChar **a = attrs + 5 * i;
        xmlChar *v;
        if (a[1] != k->ctxt->str_xml || strcmp((const char *)a[0], "id") != 0)
            continue;
        v = xmlStrndup(a[3], (int)(a[4] - a[3]));
        if (xmlValidateNCName(v, 1) != 0) {
            yj_error_set(&k->own, YJ_EX_DATAERR,
                         "return file '%s' line %d: not well-formed: an xml:id is not an NCName",
                         k->r->path, xmlSAX2GetLineNumber(k->ctxt));
            stop(k);
        }
        xmlFree(v);
    }
}

/* What to report inside the element just opened at depth D. */
static int
want_of(struct walk *k, int d, const xmlChar *name)
{
    if (d >= 2)
        return k->w->open ? k->w->open(k->w->arg, d, name) : CLD_WALK_SKIP;
    k->kind = name == k->child      ? CLD_CHILD
              : name == k->deletion ? CLD_DELETION
              : name == k->envelope ? CLD_ENVELOPE
                                    : CLD_END;
    if (k->kind == CLD_END)
        return CLD_WALK_SKIP;
    if (k->kind == CLD_CHILD) {
        k->r->children++;
        k->r->total_children++;
    }
    return k->w->begin && k->w->begin(k->w->arg, k->kind) != CLD_WALK_SKIP ? CLD_WALK_ELEMENTS
                                                                           : CLD_WALK_SKIP;
}

static void
walk_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri, int nb_ns,
           const xmlChar **ns, int nb_attrs, int nb_defaulted, const xmlChar **attrs)
{
    struct walk *k = ctx;
    int d, want;

    (void)prefix;
    (void)nb_ns;
    (void)ns;
    (void)nb_defaulted;
    mark(k->ctxt->node, &other_child);
    d = ++k->depth;
    if (d >= k->nnodes) { /* libxml2 stops first (its depth limit): never reached */
        stop(k);
        return;
    }
    memset(&k->nodes[d], 0, sizeof(k->nodes[d]));
    k->nodes[d].type = XML_ELEMENT_NODE;
    if (nodePush(k->ctxt, &k->nodes[d]) < 0)
        return;
    if (nb_attrs)
        check_xml_id(k, nb_attrs, attrs);
    if (d == 0) {
        walk_root(k, name, uri, nb_attrs, attrs);
        return;
    }
    if (k->skip >= 0)
        return;
    if (k->text_depth >= 0) { /* an element inside one whose text is collected */
        k->skip = d;
        return;
    }
    want = want_of(k, d, name);
    if (want == CLD_WALK_SKIP)
        k->skip = d;
    else if (want == CLD_WALK_TEXT && d >= 2) {
        k->text_depth = d;
        k->len = 0;
    }
}

static void
walk_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
    struct walk *k = ctx;
    int d = k->depth--;

    (void)prefix;
    (void)uri;
    nodePop(k->ctxt);
    if (k->skip >= 0) {
        if (k->skip == d)
            k->skip = -1;
        return;
    }
    if (d == 1 && k->w->end)
        k->w->end(k->w->arg, k->kind);
    else if (d >= 2 && k->text_depth == d) {
        k->text[k->len] = '\0';
        k->text_depth = -1;
        if (k->w->close)
            k->w->close(k->w->arg, d, name, k->text, k->len);
    } else if (d >= 2 && k->w->close)
        k->w->close(k->w->arg, d, name, NULL, 0);
}

static void
walk_characters(void *ctx, const xmlChar *s, int len)
{
    struct walk *k = ctx;

    mark(k->ctxt->node, &text_child);
    if (k->text_depth == k->depth && k->text_depth >= 0)
        append(k, s, len);
}

static void
walk_cdata(void *ctx, const xmlChar *s, int len)
{
    struct walk *k = ctx;

    mark(k->ctxt->node, &other_child);
    if (k->text_depth == k->depth && k->text_depth >= 0)
        append(k, s, len);
}

/* A comment or processing instruction: a child of the element, not text. */
static void
walk_comment(void *ctx, const xmlChar *value)
{
    struct walk *k = ctx;

    (void)value;
    if (k->ctxt->inSubset == 0)
        mark(k->ctxt->node, &other_child);
}

static void
walk_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    (void)data;
    walk_comment(ctx, target);
}

static void
walk_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
    struct walk *k = ctx;

    (void)name;
    (void)external_id;
    (void)system_id;
    yj_error_set(&k->own, YJ_EX_DATAERR, "return file '%s': a DOCTYPE is not allowed", k->r->path);
    stop(k);
}

static void
walk_error(void *ctx, xmlErrorPtr e)
{
    struct walk *k = ctx;

    cld_on_xml_error(&k->r->pe, e);
}

static xmlSAXHandler walk_sax = {
    .initialized = XML_SAX2_MAGIC,
    .startElementNs = walk_start,
    .endElementNs = walk_end,
    .characters = walk_characters,
    .cdataBlock = walk_cdata,
    .comment = walk_comment,
    .processingInstruction = walk_pi,
    .internalSubset = walk_doctype,
    .serror = walk_error,
};

static void
free_parser(struct walk *k)
{
    if (k->ctxt)
        xmlFreeParserCtxt(k->ctxt);
    k->ctxt = k->r->ctxt = NULL;
}

/* The walk found a problem in the current document: reads it again with the tree reader, which
 * names it as every reader of a return does. Should the tree reader find none, the walk's own
 * words are returned. */
static int
fallback(struct walk *k, struct yj_error *err)
{
    struct cld_reader *r = k->r;
    size_t doc = r->document;
    int rc;

    if (!k->problem)
        yj_error_set(&k->own, YJ_EX_DATAERR, "return file '%s' line %d: not well-formed: %s",
                     r->path, r->pe.have ? r->pe.line : xmlSAX2GetLineNumber(k->ctxt),
                     r->pe.have ? r->pe.message : "read error");
    free_parser(k);
    cld_document_close(r);
    if ((rc = cld_document_open(r, err)) != YJ_OK)
        return rc;
    while ((rc = cld_reader_next(r, err)) == YJ_OK && r->kind != CLD_END && r->document == doc)
        ;
    if (rc != YJ_OK)
        return rc;
    *err = k->own;
    return err->code;
}

/* Pushes the next N bytes; nonzero when the document cannot be read on. */
static int
push(struct walk *k, size_t n, int terminate)
{
    int val = xmlParseChunk(k->ctxt, k->buf + k->cur, (int)n, terminate);

    k->cur += n;
    return val != 0 || !k->ctxt->wellFormed || k->problem;
}

/* Makes the parser of the current document with its first bytes, as the tree reader does. */
static int
start_document(struct walk *k, struct yj_error *err)
{
    struct cld_reader *r = k->r;
    int got = cld_source_read(&r->src, k->buf, WALK_FIRST), first;

    k->depth = k->skip = k->text_depth = -1;
    k->problem = 0;
    k->cur = 0;
    k->use = got > 0 ? (size_t)got : 0;
    first = k->use >= WALK_FIRST;
    k->ctxt = xmlCreatePushParserCtxt(&walk_sax, k, first ? k->buf : NULL, first ? WALK_FIRST : 0,
                                      r->path);
    if (!k->ctxt)
        return yj_error_set(err, YJ_EX_SOFTWARE, "could not start reading '%s'", r->path);
    r->ctxt = k->ctxt;
    if (first)
        k->cur = WALK_FIRST;
    xmlCtxtUseOptions(k->ctxt, CLD_PARSE_OPTIONS);
    k->child = cld_reader_intern(r, CLD_CHILD_ELEMENT);
    k->deletion = cld_reader_intern(r, CLD_DELETION_ELEMENT);
    k->envelope = cld_reader_intern(r, CLD_ENVELOPE_ELEMENT);
    k->schema_version = cld_reader_intern(r, "schemaVersion");
    if (k->w->prepare)
        k->w->prepare(k->w->arg, r);
    return got < 0 ? -1 : YJ_OK;
}

/* Walks the current document to its end, then checks it whole. The pushes are the tree
 * reader's: 512 bytes while the buffer holds that many, reading 4096 more when it does not; a
 * shorter rest is pushed as it is, and the end of the file with the last bytes. */
static int
walk_document(struct walk *k, struct yj_error *err)
{
    struct cld_reader *r = k->r;
    int rc = start_document(k, err), bad = rc != YJ_OK, eof = 0;

    if (rc > 0)
        return rc;
    while (!bad) {
        if (k->use - k->cur < WALK_CHUNK) {
            int got;
            memmove(k->buf, k->buf + k->cur, k->use - k->cur);
            k->use -= k->cur;
            k->cur = 0;
            got = eof ? 0 : cld_source_read(&r->src, k->buf + k->use, WALK_READ);
            if (got < 0) {
                bad = 1;
                break;
            }
            k->use += (size_t)got;
            eof = got == 0;
            if (eof) {
                bad = push(k, k->use - k->cur, 1);
                break;
            }
            if (k->use - k->cur < WALK_CHUNK) {
                bad = push(k, k->use - k->cur, 0);
                continue;
            }
        }
        bad = push(k, WALK_CHUNK, 0);
    }
    if (bad || r->pe.have)
        return fallback(k, err);
    free_parser(k);
    return cld_document_finish(r, err);
}

int
cld_reader_walk(struct cld_reader *r, const struct cld_walk *w, struct yj_error *err)
{
    struct walk *k = xcalloc(1, sizeof(*k));
    int rc = YJ_OK;

    k->r = r;
    k->w = w;
    k->nnodes = (int)xmlParserMaxDepth + 3;
    k->nodes = xcalloc((size_t)k->nnodes, sizeof(*k->nodes));
    k->cap = 256;
    k->text = xmalloc(k->cap);
    while (rc == YJ_OK && !r->done) {
        rc = walk_document(k, err);
        if (rc == YJ_OK)
            rc = cld_document_next(r, err);
    }
    if (rc == YJ_OK)
        r->kind = CLD_END;
    free_parser(k);
    free(k->text);
    free(k->nodes);
    free(k);
    return rc;
}

const xmlChar *
cld_reader_intern(struct cld_reader *r, const char *name)
{
    return xmlDictLookup(r->ctxt->dict, BAD_CAST name, -1);
}
