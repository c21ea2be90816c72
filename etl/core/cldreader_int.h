/*
 * cldreader_int.h - private to the return reader (cldreader.c, the tree reader, and
 * cldwalk.c, the walk without a tree): what both do the same way to a document, so that a
 * return reads, and fails, alike whichever way it is read.
 */
#ifndef YJ_CLDREADER_INT_H
#define YJ_CLDREADER_INT_H

#include "cldreader.h"

/* libxml2's options for every return document: no network, errors to cld_on_xml_error only,
 * and whitespace between elements dropped. */
#define CLD_PARSE_OPTIONS                                                                          \
    (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT |               \
     XML_PARSE_NOBLANKS)

/* The elements under the root that the reader yields. */
#define CLD_CHILD_ELEMENT "child"
#define CLD_DELETION_ELEMENT "deletion"
#define CLD_ENVELOPE_ELEMENT "envelope"

/* Reads LEN bytes of the document into BUF, hashing and counting them (CTX: struct
 * cld_source); libxml2's read callback. */
int cld_source_read(void *ctx, char *buf, int len);
/* Keeps the first error of level XML_ERR_ERROR or worse (CTX: struct cld_parse_error). */
void cld_on_xml_error(void *ctx, xmlErrorPtr e);
/* Opens r->paths[r->document] and starts its hash; no parser yet. */
int cld_document_open(struct cld_reader *r, struct yj_error *err);
void cld_document_close(struct cld_reader *r);
/* Checks the root element: its local NAME, namespace NS and schemaVersion VERSION (NULL when
 * absent) against the schema asked for. */
int cld_check_root(struct cld_reader *r, const char *name, const char *ns, const char *version,
                   struct yj_error *err);
/* At the end of a document: its bytes and SHA-256, and the children read, are what the MANIFEST
 * lists, and it had a root element. */
int cld_document_finish(struct cld_reader *r, struct yj_error *err);
/* Closes the document and opens the next one, or sets CLD_END after the last. */
int cld_document_next(struct cld_reader *r, struct yj_error *err);

#endif
