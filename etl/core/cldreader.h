/*
 * cldreader.h - the one reader of a return folder's documents.
 *
 * A return folder (written by yj-transform) holds cld.xml, or the parts cld-part-NNNN.xml,
 * and a MANIFEST listing each document with its children (rows), bytes and SHA-256. The reader
 * opens the documents in the MANIFEST's order and streams them, yielding the envelope of each
 * document, each child and each deletion notice as an expanded element. While it streams it:
 *   - hashes the bytes, and at the end of each document compares bytes and SHA-256 with the
 *     MANIFEST (74: the file is not what was written) and the children read with the rows the
 *     MANIFEST lists (65);
 *   - checks the root element: cldReturn, in the namespace urn:yjreturns:cld:schema-N, with
 *     schemaVersion="N", N the schema version asked for (65 otherwise: a document that is not a
 *     return of that bundle is never read as "0 children");
 *   - refuses a DOCTYPE and never touches the network.
 * A reader that needs only the envelopes skips the rest of each document; a single document no
 * MANIFEST lists (the previous return yj-transform reads for deletions) is opened alone.
 * Errors are one line naming the file (and line for XML errors), never a value from the
 * document. Schema validation is yj-validate's own pass; this reader checks only the shape
 * every reader relies on.
 *
 *   struct cld_reader r;
 *   cld_reader_init(&r);
 *   rc = cld_reader_open(&r, return_dir, "11", err);
 *   while (rc == YJ_OK && (rc = cld_reader_next(&r, err)) == YJ_OK && r.kind != CLD_END)
 *       ... r.node ...
 *   cld_reader_release(&r);
 *
 * A reader that wants only some elements of each child walks the documents instead
 * (cld_reader_walk, cldwalk.c): libxml2's SAX2 events, no tree, the elements it asks for and
 * their text, the same checks. The text of an element is what the tree would hold as its text
 * children (libxml2 drops whitespace between elements under the same rules), and a document
 * with any problem is read again with the tree reader, so the walk fails with the same one-line
 * message as cld_reader_next.
 */
#ifndef YJ_CLDREADER_H
#define YJ_CLDREADER_H

#include "error.h"
#include "manifest.h"
#include "sha256.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <stdio.h>

/* The namespace of a return of schema version V is CLD_NAMESPACE_PREFIX V. */
#define CLD_NAMESPACE_PREFIX "urn:yjreturns:cld:schema-"
#define CLD_ROOT "cldReturn"

enum cld_kind { CLD_END, CLD_ENVELOPE, CLD_CHILD, CLD_DELETION };

struct cld_source {
    FILE *f;
    struct sha256 hash;
    unsigned long long bytes;
    int failed;
};

struct cld_parse_error {
    int have;
    int line;
    char message[256];
};

struct cld_reader {
    /* What the last cld_reader_next() found; node is valid until the next call. */
    enum cld_kind kind;
    xmlNodePtr node;
    size_t document;              /* index of the current document, 0-based */
    const char *path;             /* the current document's path */
    unsigned long children;       /* children read in the current document */
    unsigned long total_children; /* children read in every document so far */
    size_t ndocuments;
    struct manifest manifest; /* the return folder's MANIFEST */
    char manifest_sha256[SHA256_HEX_LEN + 1];
    /* private */
    char **paths;
    const struct manifest_file **entries;
    char *schema;
    xmlTextReaderPtr r;
    struct cld_source src;
    struct cld_parse_error pe;
    int expanded;
    int root_checked;
    int done;
    int malformed;         /* the last error was a document that is not well-formed XML, or empty */
    xmlParserCtxtPtr ctxt; /* the walk's parser of the current document */
};

void cld_reader_init(struct cld_reader *r);
/* Reads RETURN_DIR/MANIFEST and opens its first document. SCHEMA is the schema version the
 * documents must carry (the bundle's), or NULL for the one the MANIFEST names. */
int cld_reader_open(struct cld_reader *r, const char *return_dir, const char *schema,
                    struct yj_error *err);
/* Opens one return document PATH that no MANIFEST lists (a previous return): the root is
 * checked as above, its bytes and children are not. SCHEMA NULL accepts any schema version N
 * whose namespace and schemaVersion agree. */
int cld_reader_open_file(struct cld_reader *r, const char *path, const char *schema,
                         struct yj_error *err);
/* Moves to the next envelope, child or deletion notice, or to CLD_END after the last
 * document, checked whole against the MANIFEST. */
int cld_reader_next(struct cld_reader *r, struct yj_error *err);
/* Leaves the rest of the current document unread and moves to the start of the next one (or
 * to CLD_END): its bytes and children are not checked, so a caller that skips checks the
 * document's SHA-256 against the MANIFEST itself (yj-submit reads only the envelopes). */
int cld_reader_skip_document(struct cld_reader *r, struct yj_error *err);
void cld_reader_release(struct cld_reader *r);

/* What a walk reports inside an element: nothing, its elements, or its text (the character data
 * and CDATA sections directly inside it, in order; its elements are not reported). */
enum cld_walk_want { CLD_WALK_SKIP, CLD_WALK_ELEMENTS, CLD_WALK_TEXT };

/* Longest text a walk collects for one element (libxml2's own limit for one text node). */
#define CLD_WALK_TEXT_MAX 10000000

/* The callbacks of a walk. Depth 1 is an envelope, child or deletion notice, 2 an element of
 * it (an item of a child), 3 an element of that (a field), and so on. Element names are the
 * local names, interned: compare them with pointers cld_reader_intern() gave in prepare(). */
struct cld_walk {
    /* Before each document is read: intern the names the walk compares. */
    void (*prepare)(void *arg, struct cld_reader *r);
    /* An envelope, child or deletion notice begins: CLD_WALK_SKIP or CLD_WALK_ELEMENTS. */
    int (*begin)(void *arg, enum cld_kind kind);
    /* An element at DEPTH >= 2 inside one reported: what to report inside it. */
    int (*open)(void *arg, int depth, const xmlChar *name);
    /* The element opened at DEPTH ends. TEXT (LEN bytes and a NUL, valid during the call) is
     * its text when open() asked for it, else NULL. */
    void (*close)(void *arg, int depth, const xmlChar *name, const char *text, size_t len);
    /* The envelope, child or deletion notice begun ends. */
    void (*end)(void *arg, enum cld_kind kind);
    void *arg;
};

/* Walks every document of a reader just opened (cld_reader_open or _open_file, before any
 * cld_reader_next) to the end, with the checks cld_reader_next makes; r->children and
 * r->total_children count as they do there. */
int cld_reader_walk(struct cld_reader *r, const struct cld_walk *w, struct yj_error *err);
/* NAME interned in the dictionary of the document being walked (valid until the next
 * prepare()). */
const xmlChar *cld_reader_intern(struct cld_reader *r, const char *name);

/* The text of NODE's first element child named NAME (xmlFree it), or NULL. */
xmlChar *cld_text(xmlNodePtr node, const char *name);
/* NODE's first element child named NAME, or NULL. */
xmlNodePtr cld_elem(xmlNodePtr node, const char *name);

#endif
