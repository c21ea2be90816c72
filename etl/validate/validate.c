/*
 * validate.c - streaming validation with libxml2's xmlTextReader.
 *
 * The file is read once, in 64 KiB chunks through a SAX push parser with the XSD of its own
 * schema version (taken from the root's schemaVersion attribute in a first, tiny read)
 * plugged in front of our own SAX callbacks (xmlSchemaSAXPlug), so memory stays flat
 * whatever the file's size and the element path we track is exactly where the validator
 * is when it reports. Network access is off (XML_PARSE_NONET and an entity loader that
 * refuses everything but local files), entities are not expanded, and a DOCTYPE is refused
 * outright: a return has no business declaring one. Beside the schema, business rules run
 * on the values seen in each child's document; each has a severity: error (must fix) or
 * query (unusual; may be explained). Every finding goes to the report as
 * "line N: /element/path: severity: message".
 */
#include "validate.h"

#include "atomic.h"
#include "bundle.h"
#include "log.h"
#include "mem.h"
#include "period.h"
#include "sha256.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_DEPTH 32
#define MAX_FINDINGS_ON_STDERR 10

struct path_level {
    char name[64];
    unsigned long index;        /* 1-based position among same-named siblings */
    char last_child[64];        /* name of the last child element seen at this level */
    unsigned long last_child_n; /* its count */
};

struct vstate {
    struct path_level stack[PATH_DEPTH];
    int depth;
    struct atomic_file *report;
    struct yj_error *err;
    struct validate_result *res;
    int io_status;
    /* values of the current child, for the business rules */
    long dob;
    long offence_date;
    long prog_start;
    char text[256];
    int text_len;
    xmlParserCtxtPtr parser; /* for the current line in rule findings */
    int doctype;
    int pending_pop;
};

static xmlParserInputPtr
local_only_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    if (url && (strstr(url, "://") && strncmp(url, "file://", 7) != 0))
        return NULL;
    return xmlNoNetExternalEntityLoader(url, id, ctxt);
}

static void
path_string(const struct vstate *v, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    for (int i = 0; i < v->depth && i < PATH_DEPTH; i++) {
        int n;
        if (v->stack[i].index > 1 || strcmp(v->stack[i].name, "child") == 0)
            n = snprintf(buf + len, size - len, "/%s[%lu]", v->stack[i].name, v->stack[i].index);
        else
            n = snprintf(buf + len, size - len, "/%s", v->stack[i].name);
        if (n < 0 || (size_t)n >= size - len)
            break;
        len += (size_t)n;
    }
}

static void finding(struct vstate *v, int line, const char *severity, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
finding(struct vstate *v, int line, const char *severity, const char *fmt, ...)
{
    char path[1024], msg[1024], out[2300];
    va_list ap;
    int n;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    msg[strcspn(msg, "\n")] = '\0';
    path_string(v, path, sizeof(path));
    if (strcmp(severity, "error") == 0)
        v->res->errors++;
    else
        v->res->queries++;
    if (v->res->errors + v->res->queries <= MAX_FINDINGS_ON_STDERR)
        log_error("line %d: %s: %s (details in the report)", line, path, severity);
    n = snprintf(out, sizeof(out), "line %d: %s: %s: %s\n", line, path, severity, msg);
    if (v->io_status == YJ_OK && n > 0)
        v->io_status = atomic_file_write(v->report, out, strlen(out), v->err);
}

static void
schema_error(void *ctx, xmlErrorPtr e)
{
    struct vstate *v = ctx;

    int line = e->line;

    if (line <= 0 && v->parser)
        line = xmlSAX2GetLineNumber(v->parser);
    finding(v, line, "error", "%s", e->message ? e->message : "schema error");
}

static long
text_date(const struct vstate *v)
{
    long d;

    return date_parse(v->text, &d) == 0 ? d : DATE_NONE;
}

/* Business rules on the leaf values of a child's document. */
static void
rule_leaf(struct vstate *v, int line, const char *parent, const char *name)
{
    if (strcmp(parent, "person") == 0 && strcmp(name, "dateOfBirth") == 0) {
        v->dob = text_date(v);
    } else if (strcmp(parent, "offence") == 0 && strcmp(name, "offenceDate") == 0) {
        v->offence_date = text_date(v);
        if (v->dob != DATE_NONE && v->offence_date != DATE_NONE) {
            int age = date_age(v->dob, v->offence_date);
            if (age < 10 || age > 17)
                finding(v, line, "query", "R003 age on offence date is %d, outside 10-17", age);
        }
    } else if (strcmp(parent, "offenceLegalOutcome") == 0 && strcmp(name, "outcomeDate") == 0) {
        long d = text_date(v);
        if (d != DATE_NONE && v->offence_date != DATE_NONE && d < v->offence_date)
            finding(v, line, "error", "R002 outcome date is before the offence date");
    } else if (strcmp(parent, "interventionProgramme") == 0 && strcmp(name, "startDate") == 0) {
        v->prog_start = text_date(v);
    } else if (strcmp(parent, "interventionProgramme") == 0 && strcmp(name, "endDate") == 0) {
        long d = text_date(v);
        long sentinel = date_from_ymd(1900, 1, 1);
        if (d != DATE_NONE && d != sentinel && v->prog_start != DATE_NONE && d < v->prog_start)
            finding(v, line, "error", "R004 programme end date is before its start date");
    }
}

/* An element's end is applied in two steps: the rules run at once, but the pop waits for the
 * next event, because the schema validator reports an element's end after our callback and
 * must see the element on the path. */
static void
apply_pending_pop(struct vstate *v)
{
    if (v->pending_pop && v->depth > 0)
        v->depth--;
    v->pending_pop = 0;
}

static void
element_start(struct vstate *v, const char *name)
{
    struct path_level *lv;

    apply_pending_pop(v);
    if (v->depth > 0) {
        struct path_level *parent = &v->stack[v->depth - 1];
        if (strcmp(parent->last_child, name) == 0)
            parent->last_child_n++;
        else {
            snprintf(parent->last_child, sizeof(parent->last_child), "%s", name);
            parent->last_child_n = 1;
        }
    }
    if (v->depth >= PATH_DEPTH) {
        v->depth++;
        return;
    }
    lv = &v->stack[v->depth];
    snprintf(lv->name, sizeof(lv->name), "%s", name);
    lv->index = v->depth > 0 ? v->stack[v->depth - 1].last_child_n : 1;
    lv->last_child[0] = '\0';
    lv->last_child_n = 0;
    v->depth++;
    v->text_len = 0;
    v->text[0] = '\0';
    if (strcmp(name, "child") == 0) {
        v->res->children++;
        v->dob = DATE_NONE;
    } else if (strcmp(name, "offence") == 0) {
        v->offence_date = DATE_NONE;
    } else if (strcmp(name, "interventionProgramme") == 0) {
        v->prog_start = DATE_NONE;
    }
}

static void
element_end(struct vstate *v, int line)
{
    apply_pending_pop(v);
    if (v->depth <= 0)
        return;
    v->pending_pop = 1;
    if (v->depth > PATH_DEPTH || v->depth == 1)
        return;
    {
        const char *name = v->stack[v->depth - 1].name;
        const char *parent = v->stack[v->depth - 2].name;
        if (strcmp(name, "offence") == 0) {
            if (v->offence_date == DATE_NONE)
                finding(v, line, "error", "R001 offence has no offenceDate");
        } else if (v->stack[v->depth - 1].last_child[0] == '\0') {
            rule_leaf(v, line, parent, name);
        }
    }
}

static void
sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
          int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
          const xmlChar **attributes)
{
    struct vstate *v = ctx;

    element_start(v, (const char *)localname);
}

static void
sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    struct vstate *v = ctx;

    element_end(v, xmlSAX2GetLineNumber(v->parser));
}

static void
sax_characters(void *ctx, const xmlChar *ch, int len)
{
    struct vstate *v = ctx;
    int room = (int)sizeof(v->text) - 1 - v->text_len;

    if (len > room)
        len = room;
    if (len > 0) {
        memcpy(v->text + v->text_len, ch, (size_t)len);
        v->text_len += len;
        v->text[v->text_len] = '\0';
    }
}

/* A DOCTYPE is refused before any of it is used: no entities, no external subsets. */
static void
sax_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
    struct vstate *v = ctx;

    v->doctype = 1;
    xmlStopParser(v->parser);
}

/* Reads the root element's schemaVersion attribute without validating anything. */
static int
peek_schema_version(const char *file, char *version, size_t size, struct yj_error *err)
{
    xmlTextReaderPtr r =
        xmlReaderForFile(file, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int rc = YJ_EX_DATAERR;

    if (!r)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not open return '%s'", file);
    while (xmlTextReaderRead(r) == 1) {
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT) {
            xmlChar *a = xmlTextReaderGetAttribute(r, BAD_CAST "schemaVersion");
            if (a) {
                snprintf(version, size, "%s", (const char *)a);
                xmlFree(a);
                rc = YJ_OK;
            } else {
                yj_error_set(err, YJ_EX_DATAERR,
                             "return '%s': root element <%s> has no "
                             "schemaVersion attribute",
                             file, (const char *)xmlTextReaderConstLocalName(r));
            }
            break;
        }
    }
    if (rc != YJ_OK && err->message[0] == '\0')
        yj_error_set(err, YJ_EX_DATAERR,
                     "return '%s' is not well-formed XML or has no root "
                     "element",
                     file);
    xmlFreeTextReader(r);
    return rc;
}

int
validate_run(const struct validate_options *opt, struct validate_result *res, struct yj_error *err)
{
    struct vstate v;
    struct bundle b;
    struct atomic_file report;
    xmlSchemaParserCtxtPtr pctx = NULL;
    xmlSchemaPtr schema = NULL;
    xmlSchemaValidCtxtPtr vctx = NULL;
    xmlSchemaSAXPlugPtr plug = NULL;
    xmlParserCtxtPtr parser = NULL;
    FILE *in = NULL;
    char version[80], *xsd = NULL, line[2048];
    char xsd_sha[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
    int rc;

    memset(res, 0, sizeof(*res));
    memset(&v, 0, sizeof(v));
    bundle_init(&b);
    atomic_file_init(&report);
    v.report = &report;
    v.err = err;
    v.res = res;
    v.dob = v.offence_date = v.prog_start = DATE_NONE;
    xmlSetExternalEntityLoader(local_only_loader);

    if (sha256_file(opt->file, res->sha256, &bytes) != 0) {
        rc = yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                            "could not read return '%s'", opt->file);
        goto done;
    }
    if ((rc = peek_schema_version(opt->file, version, sizeof(version), err)) != YJ_OK)
        goto done;
    if ((rc = bundle_for_version(&b, opt->mappings, version, err)) != YJ_OK)
        goto done;
    xsd = path_join(b.dir, "cld.xsd");
    if (sha256_file(xsd, xsd_sha, &bytes) != 0) {
        rc = yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                            "could not read schema '%s'", xsd);
        goto done;
    }
    pctx = xmlSchemaNewParserCtxt(xsd);
    schema = pctx ? xmlSchemaParse(pctx) : NULL;
    if (!schema) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "could not load schema '%s'", xsd);
        goto done;
    }
    if ((rc = atomic_file_open(&report, opt->report, 0600, err)) != YJ_OK)
        goto done;
    snprintf(line, sizeof(line),
             "yjreturns validation report\nfile %s\nsha256 %s\nschema %s sha256 %s\n\n", opt->file,
             res->sha256, xsd, xsd_sha);
    if ((rc = atomic_file_write(&report, line, strlen(line), err)) != YJ_OK)
        goto done;

    {
        xmlSAXHandler sax;
        xmlSAXHandlerPtr saxp = &sax;
        void *user = &v;
        char buf[1 << 16];
        size_t n;
        int perr = 0;

        in = fopen(opt->file, "rb");
        if (!in) {
            rc = yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                                "could not open return '%s'", opt->file);
            goto done;
        }
        memset(&sax, 0, sizeof(sax));
        sax.initialized = XML_SAX2_MAGIC;
        sax.startElementNs = sax_start;
        sax.endElementNs = sax_end;
        sax.characters = sax_characters;
        sax.internalSubset = sax_doctype;
        sax.serror = schema_error;
        vctx = xmlSchemaNewValidCtxt(schema);
        xmlSchemaSetValidStructuredErrors(vctx, schema_error, &v);
        plug = xmlSchemaSAXPlug(vctx, &saxp, &user);
        if (!plug) {
            rc = yj_error_set(err, YJ_EX_SOFTWARE, "could not plug schema '%s' into the parser",
                              xsd);
            goto done;
        }
        v.parser = parser = xmlCreatePushParserCtxt(saxp, user, NULL, 0, opt->file);
        if (!parser) {
            rc = yj_error_set(err, YJ_EX_SOFTWARE, "could not create an XML parser");
            goto done;
        }
        xmlCtxtUseOptions(parser, XML_PARSE_NONET | XML_PARSE_NOCDATA);
        while (!v.doctype && (n = fread(buf, 1, sizeof(buf), in)) > 0 && v.io_status == YJ_OK)
            if ((perr = xmlParseChunk(parser, buf, (int)n, 0)) != 0)
                break;
        if (ferror(in)) {
            rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read return '%s'", opt->file);
            goto done;
        }
        if (!perr && !v.doctype)
            perr = xmlParseChunk(parser, NULL, 0, 1);
        if (v.doctype)
            finding(&v, xmlSAX2GetLineNumber(parser), "error",
                    "a DOCTYPE is not allowed in a return");
        else if ((perr || !parser->wellFormed) && res->errors == 0)
            finding(&v, xmlSAX2GetLineNumber(parser), "error", "the file is not well-formed XML");
        if (!v.doctype && xmlSchemaIsValid(vctx) != 1 && res->errors == 0)
            finding(&v, xmlSAX2GetLineNumber(parser), "error",
                    "the file does not conform to the schema");
    }
    if ((rc = v.io_status) != YJ_OK)
        goto done;
    snprintf(line, sizeof(line), "\nchildren %lu\nerrors %lu\nqueries %lu\nresult %s\n",
             res->children, res->errors, res->queries, res->errors ? "invalid" : "valid");
    if ((rc = atomic_file_write(&report, line, strlen(line), err)) != YJ_OK)
        goto done;
    if ((rc = atomic_file_commit(&report, err)) != YJ_OK)
        goto done;
    if (res->errors) {
        rc = yj_error_set(err, YJ_EX_DATAERR, "return '%s' is invalid: %lu error%s, %lu quer%s",
                          opt->file, res->errors, res->errors == 1 ? "" : "s", res->queries,
                          res->queries == 1 ? "y" : "ies");
        yj_error_detail(err, "every finding is listed in '%s'", opt->report);
    }
done:
    if (parser) {
        if (parser->myDoc)
            xmlFreeDoc(parser->myDoc);
        xmlFreeParserCtxt(parser);
    }
    if (plug)
        xmlSchemaSAXUnplug(plug);
    if (vctx)
        xmlSchemaFreeValidCtxt(vctx);
    if (in)
        fclose(in);
    if (schema)
        xmlSchemaFree(schema);
    if (pctx)
        xmlSchemaFreeParserCtxt(pctx);
    atomic_file_release(&report);
    bundle_release(&b);
    free(xsd);
    return rc;
}
