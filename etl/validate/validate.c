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
 * "line N: /element/path: severity: message"; a schema finding inside a child starts its
 * message with the child, item and field as rule findings name them (rules_where_element()).
 *
 * Hostile input stays bounded: the element path lives on a heap stack that stops growing at
 * VALIDATE_MAX_DEPTH (a deeper element is a finding and stops the parser), and a file that is
 * not well-formed gets one finding carrying libxml2's own reason and line. The report must
 * never land on the return: validate_check_paths() refuses that before anything is written.
 */
#include "validate.h"
#include "report.h"

#include "atomic.h"
#include "rundir.h"
#include "bundle.h"
#include "log.h"
#include "items.h"
#include "justify.h"
#include "manifest.h"
#include "rules.h"
#include "staged.h"
#include "mem.h"
#include "period.h"
#include "sha256.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

#define PATH_INITIAL_LEVELS 16
#define MAX_FINDINGS_ON_STDERR 10

struct path_level {
    char name[64];
    unsigned long index;        /* 1-based position among same-named siblings */
    char last_child[64];        /* name of the last child element seen at this level */
    unsigned long last_child_n; /* its count */
};

/* The first error libxml2 reported while reading a file that is not well-formed. */
struct xml_fault {
    int line;
    char message[512]; /* libxml2's own words, first line only; "" when it said nothing */
};

struct vstate {
    struct path_level *stack; /* grown by doubling, never past VALIDATE_MAX_DEPTH levels */
    int stack_levels;         /* levels allocated */
    int depth;
    struct atomic_file *report;
    struct yj_error *err;
    struct validate_result *res;
    int io_status;
    struct rules *rules;     /* the bundle's business rules */
    struct justify *justify; /* explained queries, or NULL */
    char *explained;         /* their report lines, written after the findings */
    size_t explained_len;
    struct staged_reader *persons; /* staged person.tsv in step with the children, or NULL */
    int persons_ypid;              /* its ypid column */
    long document_count;           /* the envelope's documentCount, -1 until read */
    int document_count_line;
    char text[256];
    int text_len;
    xmlParserCtxtPtr parser; /* for the current line in rule findings */
    int doctype;
    int too_deep; /* an element past VALIDATE_MAX_DEPTH stopped the parser */
    int pending_pop;
    const char *log_where; /* a schema finding's child, item and field for stderr, or NULL */
};

static xmlParserInputPtr
local_only_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    if (url && (strstr(url, "://") && strncmp(url, "file://", 7) != 0))
        return NULL;
    return xmlNoNetExternalEntityLoader(url, id, ctxt);
}

/* The element path, ending in "/..." when it does not fit; size must be more than 5. */
static void
path_string(const struct vstate *v, char *buf, size_t size)
{
    size_t len = 0, room = size - 4; /* keeps space for a final "/..." */

    buf[0] = '\0';
    for (int i = 0; i < v->depth; i++) {
        int n;
        if (v->stack[i].index > 1 || strcmp(v->stack[i].name, "child") == 0)
            n = snprintf(buf + len, room - len, "/%s[%lu]", v->stack[i].name, v->stack[i].index);
        else
            n = snprintf(buf + len, room - len, "/%s", v->stack[i].name);
        if (n < 0 || (size_t)n >= room - len) {
            memcpy(buf + len, "/...", 5);
            break;
        }
        len += (size_t)n;
    }
}

static void finding(struct vstate *v, int line, const char *severity, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
finding(struct vstate *v, int line, const char *severity, const char *fmt, ...)
{
    char path[1024], msg[2048], out[3300];
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
    if (v->res->errors + v->res->queries <= MAX_FINDINGS_ON_STDERR) {
        if (v->log_where)
            log_error("line %d: %s: %s: %s (details in the report)", line, path, severity,
                      v->log_where);
        else
            log_error("line %d: %s: %s (details in the report)", line, path, severity);
    }
    n = snprintf(out, sizeof(out), "line %d: %s: %s: %s\n", line, path, severity, msg);
    if (v->io_status == YJ_OK && n > 0)
        v->io_status = atomic_file_write(v->report, out, strlen(out), v->err);
}

/* Keeps libxml2's first error (not warnings): message cut at its first line break. */
static void
fault_set(struct xml_fault *f, const xmlError *e)
{
    if (f->message[0] || !e || e->level < XML_ERR_ERROR)
        return;
    f->line = e->line;
    snprintf(f->message, sizeof(f->message), "%s", e->message ? e->message : "");
    f->message[strcspn(f->message, "\r\n")] = '\0';
}

/* Structured error handler for the peeking reader. */
static void
fault_capture(void *ctx, xmlErrorPtr e)
{
    fault_set(ctx, e);
}

static void
schema_error(void *ctx, xmlErrorPtr e)
{
    struct vstate *v = ctx;

    int line = e->line;

    char report_where[1024], log_where[1024];

    if (line <= 0 && v->parser)
        line = xmlSAX2GetLineNumber(v->parser);
    /* inside a child, named as rule findings name it: the child by warehouse id (and ypid in
     * the report), the item and its id, the field; the log line leaves the ypid out */
    report_where[0] = log_where[0] = '\0';
    if (v->rules && v->depth >= 2 && strcmp(v->stack[1].name, "child") == 0) {
        const char *name = v->stack[v->depth - 1].name;
        rules_where_element(v->rules, v->depth - 1, name, 1, report_where, sizeof(report_where));
        rules_where_element(v->rules, v->depth - 1, name, 0, log_where, sizeof(log_where));
    }
    if (report_where[0]) {
        v->log_where = log_where;
        finding(v, line, "error", "%s: %s", report_where, e->message ? e->message : "schema error");
        v->log_where = NULL;
    } else
        finding(v, line, "error", "%s", e->message ? e->message : "schema error");
}

/* The envelope's documentCount, checked against the children at the end. */
static void
envelope_leaf(struct vstate *v, int line, const char *parent, const char *name)
{
    if (strcmp(parent, "envelope") == 0 && strcmp(name, "documentCount") == 0) {
        char *end;
        v->document_count = strtol(v->text, &end, 10);
        if (end == v->text || *end)
            v->document_count = -1; /* the schema reports it */
        v->document_count_line = line;
    }
}

/* A rule finding: to the report with where it is; stderr gets a summary per rule at the end. */
static void
rule_finding(void *ctx, int line, struct rule *rule, const char *where)
{
    struct vstate *v = ctx;
    struct justification *j = v->justify ? justify_match(v->justify, rule, where) : NULL;
    char out[4096];
    int n;

    n = snprintf(out, sizeof(out), "line %d: %s %s: %s: %s", line, rule->id,
                 rule->query ? "query" : "error", where, rule->message);
    if (n < 0)
        return;
    if (j) {
        /* listed apart, after the findings, with the explanation */
        size_t len = strlen(out);
        rule->explained++;
        v->res->explained++;
        n = snprintf(out + len, sizeof(out) - len, " -- explained (%s line %d): %s (%s, %s)\n",
                     JUSTIFY_FILE, j->line, j->reason, j->who, j->date);
        len = strlen(out);
        v->explained = xrealloc(v->explained, v->explained_len + len + 1);
        memcpy(v->explained + v->explained_len, out, len + 1);
        v->explained_len += len;
        return;
    }
    if (rule->query)
        v->res->queries++;
    else
        v->res->errors++;
    {
        /* the line ends in a newline even when it was cut to the buffer */
        size_t len = strlen(out);
        if (len > sizeof(out) - 2)
            len = sizeof(out) - 2;
        out[len] = '\n';
        out[len + 1] = '\0';
    }
    if (v->io_status == YJ_OK)
        v->io_status = atomic_file_write(v->report, out, strlen(out), v->err);
}

/* A new child: the next row of the staged person file names it by warehouse id. */
static void
child_starts(struct vstate *v)
{
    struct yj_error e2;
    const char *wid = NULL, *ypid = NULL;

    if (v->persons && v->persons->have_row) {
        wid = v->persons->fields[0];
        ypid = v->persons->fields[v->persons_ypid];
    }
    if (v->rules)
        rules_child(v->rules, wid, ypid);
    if (v->persons && v->persons->have_row && staged_reader_next(v->persons, &e2) != YJ_OK) {
        log_yj_error(&e2);
        v->persons = NULL; /* name children by ypid only from here */
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
    if (v->too_deep)
        return;
    if (v->depth >= VALIDATE_MAX_DEPTH) {
        /* reported at the deepest level kept; nothing past it is read */
        v->too_deep = 1;
        finding(v, xmlSAX2GetLineNumber(v->parser), "error",
                "elements nested deeper than %d levels; validation stopped", VALIDATE_MAX_DEPTH);
        xmlStopParser(v->parser);
        return;
    }
    if (v->depth == v->stack_levels) {
        int levels = v->stack_levels ? v->stack_levels * 2 : PATH_INITIAL_LEVELS;
        if (levels > VALIDATE_MAX_DEPTH)
            levels = VALIDATE_MAX_DEPTH;
        v->stack = xrealloc(v->stack, (size_t)levels * sizeof(*v->stack));
        v->stack_levels = levels;
    }
    if (v->depth > 0) {
        struct path_level *parent = &v->stack[v->depth - 1];
        if (strcmp(parent->last_child, name) == 0)
            parent->last_child_n++;
        else {
            snprintf(parent->last_child, sizeof(parent->last_child), "%s", name);
            parent->last_child_n = 1;
        }
    }
    lv = &v->stack[v->depth];
    snprintf(lv->name, sizeof(lv->name), "%s", name);
    lv->index = v->depth > 0 ? v->stack[v->depth - 1].last_child_n : 1;
    lv->last_child[0] = '\0';
    lv->last_child_n = 0;
    v->depth++;
    v->text_len = 0;
    v->text[0] = '\0';
    if (v->depth == 2 && strcmp(name, "child") == 0) {
        v->res->children++;
        child_starts(v);
    }
    if (v->rules)
        rules_start(v->rules, name, v->depth - 1, xmlSAX2GetLineNumber(v->parser));
}

static void
element_end(struct vstate *v, int line)
{
    apply_pending_pop(v);
    if (v->depth <= 0)
        return;
    v->pending_pop = 1;
    if (v->depth == 1)
        return;
    {
        const char *name = v->stack[v->depth - 1].name;
        const char *parent = v->stack[v->depth - 2].name;
        int leaf = v->stack[v->depth - 1].last_child[0] == '\0';
        if (leaf)
            envelope_leaf(v, line, parent, name);
        if (v->rules)
            rules_end(v->rules, name, v->depth - 1, leaf ? v->text : "", line);
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
    struct xml_fault fault = {0};
    int rc = YJ_EX_DATAERR;

    if (!r)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not open return '%s'", file);
    xmlTextReaderSetStructuredErrorHandler(r, fault_capture, &fault);
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
    if (rc != YJ_OK && err->message[0] == '\0') {
        if (fault.message[0])
            yj_error_set(err, YJ_EX_DATAERR, "return '%s' is not well-formed XML: line %d: %s",
                         file, fault.line, fault.message);
        else
            yj_error_set(err, YJ_EX_DATAERR,
                         "return '%s' is not well-formed XML or has no root element", file);
    }
    xmlFreeTextReader(r);
    return rc;
}

/*
 * libxml2 2.9 leaks the identity-constraint matchers (xs:unique, xs:key) of elements still
 * open when a parse ends early (not well-formed, DOCTYPE, depth limit): xmlSchemaSAXUnplug()
 * clears the context by freeing its matcher cache and then releasing the open elements'
 * matchers into that cache, and xmlSchemaFreeValidCtxt() does not free the cache. One more,
 * empty plug and unplug clears the context again, which frees the cache; after a complete
 * parse the cache is already empty and this costs nothing.
 */
static void
schema_release_open_matchers(xmlSchemaValidCtxtPtr vctx)
{
    xmlSAXHandler sax;
    xmlSAXHandlerPtr saxp = &sax;
    void *user = NULL;
    xmlSchemaSAXPlugPtr plug;

    memset(&sax, 0, sizeof(sax));
    sax.initialized = XML_SAX2_MAGIC;
    plug = xmlSchemaSAXPlug(vctx, &saxp, &user);
    if (plug)
        xmlSchemaSAXUnplug(plug);
}

/* Same device and inode, whatever the spelling (./x, links). A path that does not exist is
 * not the return: a missing return is reported when it is read. */
static int
path_same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int
validate_check_paths(const struct validate_options *opt, struct yj_error *err)
{
    size_t len = strlen(opt->report);
    char *tmp = xmalloc(len + sizeof(".tmp"));
    int rc = YJ_OK;

    memcpy(tmp, opt->report, len);
    memcpy(tmp + len, ".tmp", sizeof(".tmp"));
    if (path_same_file(opt->report, opt->file))
        rc = yj_error_set(err, YJ_EX_USAGE,
                          "--report '%s' names the return file '%s': refusing to overwrite the "
                          "return",
                          opt->report, opt->file);
    else if (path_same_file(tmp, opt->file))
        rc = yj_error_set(err, YJ_EX_USAGE,
                          "--report '%s' would be written as '%s', which is the return file "
                          "'%s': refusing to overwrite the return",
                          opt->report, tmp, opt->file);
    free(tmp);
    return rc;
}

/* Whether the transform MANIFEST beside the return says its period had not ended when the
 * warehouse was read. A return checked on its own (no manifest) is not known to be. */
static int
period_in_progress(const char *file)
{
    const char *slash = strrchr(file, '/');
    char *dir = slash ? strndup(file, (size_t)(slash - file)) : xstrdup(".");
    char *mpath = path_join(dir ? dir : ".", RUNDIR_MANIFEST);
    struct manifest m;
    struct yj_error e2;
    int yes = 0;

    manifest_init(&m);
    if (access(mpath, R_OK) == 0 && manifest_read(&m, mpath, NULL, &e2) == YJ_OK &&
        manifest_get(&m, "period_complete"))
        yes = strcmp(manifest_get(&m, "period_complete"), "no") == 0;
    manifest_release(&m);
    free(mpath);
    free(dir);
    return yes;
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
    struct xml_fault fault = {0};
    struct items items;
    struct rules rules;
    struct justify justify;
    struct staged_reader persons;
    struct manifest staged_m;
    unsigned long long bytes;
    int rc, malformed = 0;

    memset(res, 0, sizeof(*res));
    memset(&v, 0, sizeof(v));
    bundle_init(&b);
    atomic_file_init(&report);
    v.report = &report;
    v.err = err;
    v.res = res;
    v.document_count = -1;
    items_init(&items);
    rules_init(&rules);
    justify_init(&justify);
    staged_reader_init(&persons);
    manifest_init(&staged_m);
    xmlSetExternalEntityLoader(local_only_loader);

    if ((rc = validate_check_paths(opt, err)) != YJ_OK)
        goto done;
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
    if ((rc = items_load(&items, b.dir, err)) != YJ_OK ||
        (rc = rules_load(&rules, b.dir, &items, err)) != YJ_OK)
        goto done;
    rules.emit = rule_finding;
    rules.ctx = &v;
    v.rules = &rules;
    if (opt->justifications) {
        if ((rc = justify_load(&justify, opt->justifications, &rules, opt->justifications_required,
                               err)) != YJ_OK)
            goto done;
        if (justify.path) /* the file exists */
            v.justify = &justify;
    }
    if (opt->staged) {
        char *mpath = path_join(opt->staged, RUNDIR_MANIFEST);
        rc = manifest_read(&staged_m, mpath, NULL, err);
        free(mpath);
        if (rc == YJ_OK)
            rc = staged_reader_open(&persons, opt->staged, "person.tsv", &staged_m, err);
        if (rc == YJ_OK)
            rc = staged_reader_column(&persons, "ypid", &v.persons_ypid, err);
        if (rc != YJ_OK)
            goto done;
        v.persons = &persons;
    }
    pctx = xmlSchemaNewParserCtxt(xsd);
    schema = pctx ? xmlSchemaParse(pctx) : NULL;
    if (!schema) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "could not load schema '%s'", xsd);
        goto done;
    }
    if ((rc = atomic_file_open(&report, opt->report, rundir_mode(RD_VALIDATE_REPORT), err)) !=
        YJ_OK)
        goto done;
    snprintf(line, sizeof(line),
             "%s\nfile %s\nsha256 %s\nschema %s sha256 %s\n"
             "rules %s sha256 %s\n%s\n",
             rundir_entry(RD_VALIDATE_REPORT)->format, opt->file, res->sha256, xsd, xsd_sha,
             rules.path, rules.sha256,
             period_in_progress(opt->file) ? "period in progress: for data quality only, never "
                                             "submitted\n"
                                           : "");
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
        while (!v.doctype && !v.too_deep && (n = fread(buf, 1, sizeof(buf), in)) > 0 &&
               v.io_status == YJ_OK)
            if ((perr = xmlParseChunk(parser, buf, (int)n, 0)) != 0)
                break;
        if (ferror(in)) {
            rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read return '%s'", opt->file);
            goto done;
        }
        if (!perr && !v.doctype && !v.too_deep)
            perr = xmlParseChunk(parser, NULL, 0, 1);
        apply_pending_pop(&v); /* an element whose end was read is not where the fault is */
        if (v.doctype) {
            finding(&v, xmlSAX2GetLineNumber(parser), "error",
                    "a DOCTYPE is not allowed in a return");
        } else if (!v.too_deep && (perr || !parser->wellFormed)) {
            malformed = 1;
            fault_set(&fault, xmlCtxtGetLastError(parser));
            if (fault.line <= 0)
                fault.line = xmlSAX2GetLineNumber(parser);
            finding(&v, fault.line, "error", "the file is not well-formed XML%s%s",
                    fault.message[0] ? ": " : "", fault.message);
        } else if (!v.too_deep && xmlSchemaIsValid(vctx) != 1 && res->errors == 0) {
            finding(&v, xmlSAX2GetLineNumber(parser), "error",
                    "the file does not conform to the schema");
        }
    }
    if (!malformed && !v.doctype && !v.too_deep && v.document_count >= 0 &&
        (unsigned long)v.document_count != res->children) {
        v.depth = 0;
        finding(&v, v.document_count_line, "error",
                "envelope documentCount is %ld but the return holds %lu child document%s",
                v.document_count, res->children, res->children == 1 ? "" : "s");
    }
    if ((rc = v.io_status) != YJ_OK)
        goto done;
    if (v.justify) {
        /* explained queries apart, then the explanations that match nothing any more */
        snprintf(line, sizeof(line), "\nexplained queries (%s)\n", justify.path);
        if ((rc = atomic_file_write(&report, line, strlen(line), err)) != YJ_OK ||
            (v.explained_len &&
             (rc = atomic_file_write(&report, v.explained, v.explained_len, err)) != YJ_OK))
            goto done;
        for (size_t i = 0; i < justify.n; i++)
            if (!justify.j[i].used) {
                res->stale++;
                snprintf(line, sizeof(line),
                         "stale: %s line %d: %s child %s %s matches no finding\n", justify.path,
                         justify.j[i].line, justify.j[i].rule, justify.j[i].child,
                         justify.j[i].item);
                if ((rc = atomic_file_write(&report, line, strlen(line), err)) != YJ_OK)
                    goto done;
            }
    }
    {
        char extra[128] = "";
        if (v.justify)
            snprintf(extra, sizeof(extra), "explained %lu\nstale %lu\n", res->explained,
                     res->stale);
        snprintf(line, sizeof(line), "\nchildren %lu\nerrors %lu\nqueries %lu\n%sresult %s\n",
                 res->children, res->errors, res->queries, extra,
                 res->errors ? REPORT_INVALID : REPORT_VALID);
    }
    if ((rc = atomic_file_write(&report, line, strlen(line), err)) != YJ_OK)
        goto done;
    if ((rc = atomic_file_commit(&report, err)) != YJ_OK)
        goto done;
    for (int i = 0; i < rules.n; i++)
        if (rules.r[i].found > rules.r[i].explained)
            log_error("%s %s: %lu finding%s: %s", rules.r[i].id,
                      rules.r[i].query ? "query" : "error", rules.r[i].found - rules.r[i].explained,
                      rules.r[i].found - rules.r[i].explained == 1 ? "" : "s", rules.r[i].message);
    if (res->explained || res->stale)
        log_info("%lu quer%s explained by '%s'; %lu stale justification%s (listed in the report)",
                 res->explained, res->explained == 1 ? "y" : "ies", justify.path, res->stale,
                 res->stale == 1 ? "" : "s");
    if (malformed) {
        rc = yj_error_set(err, YJ_EX_DATAERR, "return '%s' is not well-formed XML: line %d%s%s",
                          opt->file, fault.line, fault.message[0] ? ": " : "", fault.message);
        yj_error_detail(err, "every finding is listed in '%s'", opt->report);
    } else if (res->errors) {
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
    if (plug) {
        xmlSchemaSAXUnplug(plug);
        schema_release_open_matchers(vctx);
    }
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
    rules_release(&rules);
    justify_release(&justify);
    free(v.explained);
    items_release(&items);
    staged_reader_release(&persons);
    manifest_release(&staged_m);
    free(v.stack);
    free(xsd);
    return rc;
}
