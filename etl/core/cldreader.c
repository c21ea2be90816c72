/*
 * cldreader.c - streams the documents of a return folder, checked as they are read (see
 * cldreader.h): the MANIFEST, the documents in its order, and the tree reader that yields each
 * envelope, child and deletion notice as an expanded element. The walk without a tree is
 * cldwalk.c; what both share (a document's source, hash, root and end checks) is declared in
 * cldreader_int.h.
 */
#include "cldreader.h"
#include "cldreader_int.h"

#include "atomic.h"
#include "rundir.h"
#include "mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int
cld_source_read(void *ctx, char *buf, int len)
{
    struct cld_source *s = ctx;
    size_t n = fread(buf, 1, (size_t)len, s->f);

    if (n == 0 && ferror(s->f)) {
        s->failed = 1;
        return -1;
    }
    sha256_update(&s->hash, buf, n);
    s->bytes += n;
    return (int)n;
}

static int
source_close(void *ctx)
{
    (void)ctx;
    return 0;
}

void
cld_on_xml_error(void *ctx, xmlErrorPtr e)
{
    struct cld_parse_error *pe = ctx;
    size_t n;

    if (pe->have || !e || e->level < XML_ERR_ERROR)
        return;
    pe->have = 1;
    pe->line = e->line;
    snprintf(pe->message, sizeof(pe->message), "%s", e->message ? e->message : "not well-formed");
    n = strlen(pe->message);
    while (n > 0 && pe->message[n - 1] == '\n')
        pe->message[--n] = '\0';
}

void
cld_reader_init(struct cld_reader *r)
{
    memset(r, 0, sizeof(*r));
    manifest_init(&r->manifest);
}

void
cld_document_close(struct cld_reader *r)
{
    if (r->r) {
        xmlFreeTextReader(r->r);
        r->r = NULL;
    }
    if (r->src.f) {
        fclose(r->src.f);
        r->src.f = NULL;
        sha256_release(&r->src.hash);
    }
}

void
cld_reader_release(struct cld_reader *r)
{
    cld_document_close(r);
    for (size_t i = 0; i < r->ndocuments; i++)
        free(r->paths[i]);
    free(r->paths);
    free(r->entries);
    free(r->schema);
    manifest_release(&r->manifest);
    cld_reader_init(r);
}

int
cld_document_open(struct cld_reader *r, struct yj_error *err)
{
    const char *path = r->paths[r->document];

    r->path = path;
    r->children = 0;
    r->root_checked = 0;
    r->expanded = 0;
    memset(&r->pe, 0, sizeof(r->pe));
    memset(&r->src, 0, sizeof(r->src));
    r->src.f = fopen(path, "rb");
    if (!r->src.f)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not open return file '%s'", path);
    sha256_init(&r->src.hash);
    return YJ_OK;
}

/* The tree reader over the open document, started when cld_reader_next first reads it. */
static int
start_tree(struct cld_reader *r, struct yj_error *err)
{
    r->r = xmlReaderForIO(cld_source_read, source_close, &r->src, r->path, NULL, CLD_PARSE_OPTIONS);
    if (!r->r)
        return yj_error_set(err, YJ_EX_SOFTWARE, "could not start reading '%s'", r->path);
    xmlTextReaderSetStructuredErrorHandler(r->r, cld_on_xml_error, &r->pe);
    return YJ_OK;
}

int
cld_reader_open(struct cld_reader *r, const char *return_dir, const char *schema,
                struct yj_error *err)
{
    char *mpath = path_join(return_dir, RUNDIR_MANIFEST);
    int rc;

    rc = manifest_read(&r->manifest, mpath, r->manifest_sha256, err);
    if (rc != YJ_OK)
        goto out;
    if (!schema)
        schema = manifest_get(&r->manifest, "schema_version");
    if (!schema) {
        rc = yj_error_set(err, YJ_EX_DATAERR, "'%s' names no schema_version", mpath);
        goto out;
    }
    r->schema = xstrdup(schema);
    r->paths = xcalloc(r->manifest.nfiles + 1, sizeof(*r->paths));
    r->entries = xcalloc(r->manifest.nfiles + 1, sizeof(*r->entries));
    for (size_t i = 0; i < r->manifest.nfiles; i++) {
        const struct manifest_file *f = &r->manifest.files[i];
        if (!manifest_is_document(f->name))
            continue;
        r->entries[r->ndocuments] = f;
        r->paths[r->ndocuments++] = path_join(return_dir, f->name);
    }
    if (r->ndocuments == 0) {
        rc = yj_error_set(err, YJ_EX_DATAERR, "'%s' lists no return document", mpath);
        goto out;
    }
    rc = cld_document_open(r, err);
out:
    free(mpath);
    return rc;
}

int
cld_reader_open_file(struct cld_reader *r, const char *path, const char *schema,
                     struct yj_error *err)
{
    r->schema = schema ? xstrdup(schema) : NULL;
    r->paths = xcalloc(2, sizeof(*r->paths));
    r->entries = xcalloc(2, sizeof(*r->entries));
    r->paths[r->ndocuments++] = xstrdup(path);
    return cld_document_open(r, err);
}

int
cld_check_root(struct cld_reader *r, const char *name, const char *ns, const char *version,
               struct yj_error *err)
{
    const char *want = r->schema;
    size_t np = strlen(CLD_NAMESPACE_PREFIX);

    r->root_checked = 1;
    if (strcmp(name, CLD_ROOT) != 0)
        return yj_error_set(err, YJ_EX_DATAERR,
                            "return file '%s': the root element is not %s: not a return", r->path,
                            CLD_ROOT);
    if (!want && ns && strncmp(ns, CLD_NAMESPACE_PREFIX, np) == 0 && ns[np] &&
        strspn(ns + np, "0123456789") == strlen(ns + np))
        want = ns + np;
    if (!want)
        return yj_error_set(err, YJ_EX_DATAERR,
                            "return file '%s': the root element is not in a namespace %sN: not "
                            "a return",
                            r->path, CLD_NAMESPACE_PREFIX);
    if (!ns || strncmp(ns, CLD_NAMESPACE_PREFIX, np) != 0 || strcmp(ns + np, want) != 0)
        return yj_error_set(err, YJ_EX_DATAERR,
                            "return file '%s': the root element is not in the namespace "
                            "%s%s: not a return of schema %s",
                            r->path, CLD_NAMESPACE_PREFIX, want, want);
    if (!version || strcmp(version, want) != 0)
        return yj_error_set(err, YJ_EX_DATAERR,
                            "return file '%s': schemaVersion is not %s: not a return of schema %s",
                            r->path, want, want);
    return YJ_OK;
}

/* The root element under the tree reader. */
static int
check_root(struct cld_reader *r, struct yj_error *err)
{
    xmlChar *version = xmlTextReaderGetAttribute(r->r, BAD_CAST "schemaVersion");
    int rc = cld_check_root(r, (const char *)xmlTextReaderConstLocalName(r->r),
                            (const char *)xmlTextReaderConstNamespaceUri(r->r),
                            (const char *)version, err);

    xmlFree(version);
    return rc;
}

int
cld_document_finish(struct cld_reader *r, struct yj_error *err)
{
    const struct manifest_file *mf = r->entries[r->document];
    char hex[SHA256_HEX_LEN + 1], buf[65536];
    size_t n;

    while ((n = fread(buf, 1, sizeof(buf), r->src.f)) > 0) {
        sha256_update(&r->src.hash, buf, n);
        r->src.bytes += n;
    }
    if (r->src.failed || ferror(r->src.f))
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", r->path);
    sha256_final_hex(&r->src.hash, hex);
    if (mf && (strcmp(hex, mf->sha256) != 0 || r->src.bytes != mf->bytes))
        return yj_error_set(err, YJ_EX_IOERR,
                            "return file '%s' does not match its MANIFEST (SHA-256 or size)",
                            r->path);
    if (!r->root_checked)
        return yj_error_set(err, YJ_EX_DATAERR, "return file '%s' has no root element", r->path);
    if (mf && r->children != mf->rows)
        return yj_error_set(err, YJ_EX_DATAERR,
                            "return file '%s' holds %lu child%s; its MANIFEST lists %llu", r->path,
                            r->children, r->children == 1 ? "" : "ren", mf->rows);
    return YJ_OK;
}

int
cld_document_next(struct cld_reader *r, struct yj_error *err)
{
    cld_document_close(r);
    if (++r->document == r->ndocuments) {
        r->done = 1;
        r->kind = CLD_END;
        r->path = NULL;
        return YJ_OK;
    }
    return cld_document_open(r, err);
}

int
cld_reader_next(struct cld_reader *r, struct yj_error *err)
{
    int ret, rc;

    r->node = NULL;
    if (r->done) {
        r->kind = CLD_END;
        return YJ_OK;
    }
    if (!r->r && (rc = start_tree(r, err)) != YJ_OK)
        return rc;
    ret = r->expanded ? xmlTextReaderNext(r->r) : xmlTextReaderRead(r->r);
    r->expanded = 0;
    for (;;) {
        while (ret == 1) {
            int type = xmlTextReaderNodeType(r->r), depth = xmlTextReaderDepth(r->r);
            if (type == XML_READER_TYPE_DOCUMENT_TYPE)
                return yj_error_set(err, YJ_EX_DATAERR,
                                    "return file '%s': a DOCTYPE is not allowed", r->path);
            if (type == XML_READER_TYPE_ELEMENT && depth == 0) {
                if ((rc = check_root(r, err)) != YJ_OK)
                    return rc;
            } else if (type == XML_READER_TYPE_ELEMENT && depth == 1) {
                const char *name = (const char *)xmlTextReaderConstLocalName(r->r);
                enum cld_kind k = strcmp(name, CLD_CHILD_ELEMENT) == 0      ? CLD_CHILD
                                  : strcmp(name, CLD_DELETION_ELEMENT) == 0 ? CLD_DELETION
                                  : strcmp(name, CLD_ENVELOPE_ELEMENT) == 0 ? CLD_ENVELOPE
                                                                            : CLD_END;
                if (k != CLD_END) {
                    r->node = xmlTextReaderExpand(r->r);
                    if (!r->node) {
                        ret = -1;
                        break;
                    }
                    r->expanded = 1;
                    r->kind = k;
                    if (k == CLD_CHILD) {
                        r->children++;
                        r->total_children++;
                    }
                    return YJ_OK;
                }
                ret = xmlTextReaderNext(r->r);
                continue;
            }
            ret = xmlTextReaderRead(r->r);
        }
        r->malformed = ret < 0 || r->pe.have;
        if (r->malformed && r->src.bytes == 0 && !r->src.failed)
            return yj_error_set(err, YJ_EX_DATAERR, "return file '%s' is empty", r->path);
        if (r->malformed)
            return yj_error_set(err, YJ_EX_DATAERR, "return file '%s' line %d: not well-formed: %s",
                                r->path,
                                r->pe.have ? r->pe.line : xmlTextReaderGetParserLineNumber(r->r),
                                r->pe.have ? r->pe.message : "read error");
        xmlFreeTextReader(r->r);
        r->r = NULL;
        if ((rc = cld_document_finish(r, err)) != YJ_OK)
            return rc;
        if ((rc = cld_document_next(r, err)) != YJ_OK || r->done ||
            (rc = start_tree(r, err)) != YJ_OK)
            return rc;
        ret = xmlTextReaderRead(r->r);
    }
}

int
cld_reader_skip_document(struct cld_reader *r, struct yj_error *err)
{
    r->node = NULL;
    if (r->done) {
        r->kind = CLD_END;
        return YJ_OK;
    }
    return cld_document_next(r, err);
}

xmlNodePtr
cld_elem(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

xmlChar *
cld_text(xmlNodePtr node, const char *name)
{
    xmlNodePtr e = cld_elem(node, name);
    return e ? xmlNodeGetContent(e) : NULL;
}
