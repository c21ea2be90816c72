/*
 * validate.c - streaming validation with libxml2's xmlTextReader: the driver.
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
 *
 * This file owns the driver, validate_run(), in steps: the bundle of the return's schema
 * version, its items and rules, the report's head, the one pass, the report's end. The
 * events of the pass (path, findings, the rules' and the validator's callbacks) are
 * vevents.c.
 */
#include "validate.h"
#include "validate_int.h"
#include "report.h"

#include "atomic.h"
#include "rundir.h"
#include "bundle.h"
#include "log.h"
#include "items.h"
#include "justify.h"
#include "manifest.h"
#include "partfeed.h"
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

static xmlParserInputPtr
local_only_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    if (url && (strstr(url, "://") && strncmp(url, "file://", 7) != 0))
        return NULL;
    return xmlNoNetExternalEntityLoader(url, id, ctxt);
}

/* Structured error handler for the peeking reader. */
static void
fault_capture(void *ctx, xmlErrorPtr e)
{
    xml_fault_set(ctx, e);
}

/* Reads the root element's schemaVersion attribute without validating anything, through IN
 * (the bytes it reads are kept for the parse). */
static int
peek_schema_version(struct vinput *in, const char *file, char *version, size_t size,
                    struct yj_error *err)
{
    xmlTextReaderPtr r = xmlReaderForIO(vinput_read_xml, NULL, in, file, NULL,
                                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    struct xml_fault fault = {0};
    int rc = YJ_EX_DATAERR;

    if (!r)
        return yj_error_set(err, YJ_EX_SOFTWARE, "could not open return '%s'", file);
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
    if (in->err) {
        yj_error_init(err);
        rc = yj_error_errno(err, yj_status_for_input_errno(in->err), in->err,
                            "could not read return '%s'", file);
    } else if (rc != YJ_OK && err->message[0] == '\0') {
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
    char *tmp = atomic_tmp_path(opt->report);
    int rc = YJ_OK;

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

/* The return MANIFEST beside FILE (malloc'd). */
static char *
manifest_beside(const char *file)
{
    const char *slash = strrchr(file, '/');
    char *dir = slash ? strndup(file, (size_t)(slash - file)) : xstrdup(".");
    char *mpath = path_join(dir ? dir : ".", RUNDIR_MANIFEST);

    free(dir);
    return mpath;
}

int
validate_period_complete(const struct manifest *m)
{
    const char *complete = manifest_get(m, "period_complete");

    return !complete ? -1 : strcmp(complete, "no") != 0;
}

/* Whether the transform MANIFEST beside the return says its period had not ended when the
 * warehouse was read. A return checked on its own (no manifest) is not known to be. */
static int
period_in_progress(const char *file)
{
    char *mpath = manifest_beside(file);
    struct manifest m;
    struct yj_error e2;
    int yes = 0;

    manifest_init(&m);
    if (access(mpath, R_OK) == 0 && manifest_read(&m, mpath, NULL, &e2) == YJ_OK)
        yes = validate_period_complete(&m) == 0;
    manifest_release(&m);
    free(mpath);
    return yes;
}

/* One run of yj-validate: what validate_run() opens, in the order its steps need them. */
struct vrun {
    const struct validate_options *opt;
    struct validate_result *res;
    struct vstate v;
    struct bundle b;
    char *xsd;
    char xsd_sha[SHA256_HEX_LEN + 1];
    struct items items;
    struct rules rules;
    struct justify justify;
    struct staged_reader persons;
    struct manifest staged_m;
    char staged_sha[SHA256_HEX_LEN + 1]; /* the staged MANIFEST's own SHA-256 */
    char part_sha[SHA256_HEX_LEN + 1];   /* a part's, as the return MANIFEST lists it, or "" */
    char *return_manifest;               /* that MANIFEST's path, for a part; or NULL */
    xmlSchemaParserCtxtPtr pctx;
    xmlSchemaPtr schema;
    xmlSchemaValidCtxtPtr vctx;
    xmlSchemaSAXPlugPtr plug;
    xmlParserCtxtPtr parser;
    struct vinput in; /* the return, hashed as it is read */
    long sha_at;      /* where the report's head gives its SHA-256 */
    struct atomic_file report;
    struct xml_fault fault;
    int malformed;
};

/* The return opened, the bundle of its schema version and that bundle's XSD. */
static int
open_bundle(struct vrun *r, struct yj_error *err)
{
    const char *file = r->opt->file;
    char version[80];
    unsigned long long bytes;
    int rc;

    if (r->opt->fed) { /* the part's temporary file until yj-transform renames it */
        char *tmp = atomic_tmp_path(file);
        int e = vinput_open(&r->in, tmp) != 0 ? r->in.err : 0;
        if (e == ENOENT)
            vinput_open(&r->in, file);
        else if (e)
            yj_error_errno(err, yj_status_for_input_errno(e), e, "could not read return '%s'", tmp);
        free(tmp);
        if (e && e != ENOENT)
            return err->code;
    } else
        vinput_open(&r->in, file);
    if (!r->in.fp)
        return yj_error_errno(err, yj_status_for_input_errno(r->in.err), r->in.err,
                              "could not read return '%s'", file);
    if ((rc = peek_schema_version(&r->in, file, version, sizeof(version), err)) != YJ_OK ||
        (rc = bundle_for_version(&r->b, r->opt->mappings, version, err)) != YJ_OK)
        return rc;
    r->xsd = path_join(r->b.dir, "cld.xsd");
    if (sha256_file(r->xsd, r->xsd_sha, &bytes) != 0)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not read schema '%s'", r->xsd);
    return YJ_OK;
}

void
validate_part_facts_release(struct validate_part_facts *pf)
{
    free(pf->manifest);
    pf->manifest = NULL;
}

int
validate_part_facts_of(const struct manifest *m, const char *file, const char *staged,
                       const char *staged_sha, struct validate_part_facts *pf, struct yj_error *err)
{
    const char *slash = strrchr(file, '/'), *digits, *in;
    size_t nd = 0, d;
    int found = 0;

    memset(pf, 0, sizeof(*pf));
    pf->manifest = manifest_beside(file);
    digits = manifest_part_digits(slash ? slash + 1 : file, &nd);
    in = manifest_get(m, "input_manifest_sha256");
    if (staged_sha && (!in || strcmp(in, staged_sha) != 0)) {
        yj_error_set(err, YJ_EX_DATAERR,
                     "return manifest '%s' line %lu: input_manifest_sha256 is not the "
                     "SHA-256 of --staged '%s' (its MANIFEST)",
                     pf->manifest, manifest_key_line(pf->manifest, "input_manifest_sha256"),
                     staged);
        yj_error_hint(err, "give --staged the staged folder of the run that wrote the return");
        return YJ_EX_DATAERR;
    }
    pf->period_complete = validate_period_complete(m);
    for (size_t i = 0; digits && i < m->nfiles; i++) {
        const char *fd = manifest_part_digits(m->files[i].name, &d);
        int cmp;
        if (!fd)
            continue;
        pf->all += m->files[i].rows;
        cmp = d != nd ? (d < nd ? -1 : 1) : memcmp(fd, digits, nd);
        if (cmp < 0)
            pf->before += m->files[i].rows;
        else if (cmp == 0) {
            found = 1;
            pf->rows = m->files[i].rows;
            memcpy(pf->sha256, m->files[i].sha256, sizeof(pf->sha256));
        }
    }
    if (!found)
        return yj_error_set(err, YJ_EX_DATAERR, "return manifest '%s' does not list part '%s'",
                            pf->manifest, file);
    return YJ_OK;
}

int
validate_part_facts(const char *file, const char *staged, const char *staged_sha,
                    struct validate_part_facts *pf, struct yj_error *err)
{
    char *mpath = manifest_beside(file);
    struct manifest m;
    int rc;

    manifest_init(&m);
    rc = manifest_read(&m, mpath, NULL, err);
    if (rc == YJ_OK)
        rc = validate_part_facts_of(&m, file, staged, staged_sha, pf, err);
    else {
        memset(pf, 0, sizeof(*pf));
        pf->manifest = mpath;
        mpath = NULL;
    }
    manifest_release(&m);
    free(mpath);
    return rc;
}

/* For a part (cld-part-NNNN.xml), the staged person file moved on to the part's first child:
 * past as many rows as the return MANIFEST beside the part lists for the parts before it
 * (validate_part_facts), which must list as many children in all its parts as person.tsv has
 * rows; the part's SHA-256 it lists is checked once the part has been read (part_sha). A part
 * the parts feed announced (opt->fed): the feed's facts instead, which the follower checks
 * against the MANIFEST once it is written. A return of one file: nothing. */
static int
persons_at_part(struct vrun *r, struct yj_error *err)
{
    const char *file = r->opt->file, *slash = strrchr(file, '/');
    struct validate_part_facts pf;
    unsigned long long before;
    size_t nd;
    int rc = YJ_OK;

    if (!manifest_part_digits(slash ? slash + 1 : file, &nd))
        return YJ_OK;
    if (r->opt->fed) {
        r->return_manifest = manifest_beside(file);
        before = r->opt->fed->before;
        memcpy(r->part_sha, r->opt->fed->sha256, sizeof(r->part_sha));
    } else {
        rc = validate_part_facts(file, r->opt->staged, r->staged_sha, &pf, err);
        r->return_manifest = pf.manifest; /* taken over */
        if (rc != YJ_OK)
            return rc;
        if (pf.all != r->persons.expect->rows)
            return yj_error_set(err, YJ_EX_DATAERR,
                                "return manifest '%s': its parts hold %llu children, the staged "
                                "person.tsv %llu rows",
                                r->return_manifest, pf.all, r->persons.expect->rows);
        before = pf.before;
        memcpy(r->part_sha, pf.sha256, sizeof(r->part_sha));
    }
    if (rules_unique_ypid(&r->rules)) /* the children before: unique_in_return's */
        rc = staged_reader_skip(&r->persons, before, r->v.persons_ypid, rules_seen_ypid, &r->rules,
                                err);
    else
        rc = staged_reader_skip(&r->persons, before, 0, NULL, NULL, err);
    return rc;
}

/* The bundle's items and rules, the justifications (--justifications) and the staged person
 * file that names children by warehouse id (--staged). */
static int
load_rules(struct vrun *r, struct yj_error *err)
{
    const struct validate_options *opt = r->opt;
    int rc;

    if ((rc = items_load(&r->items, r->b.dir, err)) != YJ_OK ||
        (rc = rules_load(&r->rules, r->b.dir, &r->items, err)) != YJ_OK)
        return rc;
    r->v.envelope = r->items.envelope.element;
    r->v.count_field = items_envelope_field(&r->items, FN_DOCUMENT_COUNT);
    r->rules.emit = vstate_rule_finding;
    r->rules.ctx = &r->v;
    r->v.rules = &r->rules;
    if (opt->justifications) {
        if ((rc = justify_load(&r->justify, opt->justifications, &r->rules,
                               opt->justifications_required, err)) != YJ_OK)
            return rc;
        if (r->justify.path) /* the file exists */
            r->v.justify = &r->justify;
    }
    if (opt->staged) {
        char *mpath = path_join(opt->staged, RUNDIR_MANIFEST);
        rc = manifest_read(&r->staged_m, mpath, r->staged_sha, err);
        free(mpath);
        if (rc == YJ_OK)
            rc = staged_reader_open(&r->persons, opt->staged, "person.tsv", &r->staged_m, err);
        r->persons.verified = opt->staged_verified;
        if (rc == YJ_OK)
            rc = staged_reader_column(&r->persons, "ypid", &r->v.persons_ypid, err);
        if (rc == YJ_OK)
            rc = persons_at_part(r, err);
        if (rc != YJ_OK)
            return rc;
        r->v.persons = &r->persons;
    }
    return YJ_OK;
}

/* The XSD parsed, the report opened and its head written; the return's SHA-256, known once
 * it has been read, is written over the 64 zeros that hold its place (hash_return). */
static int
open_report(struct vrun *r, struct yj_error *err)
{
    char line[8192];
    int rc, at;

    r->pctx = xmlSchemaNewParserCtxt(r->xsd);
    r->schema = r->pctx ? xmlSchemaParse(r->pctx) : NULL;
    if (!r->schema)
        return yj_error_set(err, YJ_EX_CONFIG, "could not load schema '%s'", r->xsd);
    if ((rc = atomic_file_open(&r->report, r->opt->report, rundir_mode(RD_VALIDATE_REPORT), err)) !=
        YJ_OK)
        return rc;
    at = snprintf(line, sizeof(line), "%s\nfile %s\nsha256 ",
                  rundir_entry(RD_VALIDATE_REPORT)->format, r->opt->file);
    if (at < 0 || (size_t)at >= sizeof(line) - SHA256_HEX_LEN)
        return yj_error_set(err, YJ_EX_USAGE, "return path '%s' is too long", r->opt->file);
    r->sha_at = at;
    snprintf(line + at, sizeof(line) - (size_t)at,
             "%0*d\nschema %s sha256 %s\n"
             "rules %s sha256 %s\n%s\n",
             SHA256_HEX_LEN, 0, r->xsd, r->xsd_sha, r->rules.path, r->rules.sha256,
             (r->opt->fed ? !r->opt->fed_period_complete : period_in_progress(r->opt->file))
                 ? "period in progress: for data quality only, never "
                   "submitted\n"
                 : "");
    return atomic_file_write(&r->report, line, strlen(line), err);
}

/* The return's SHA-256, from the bytes the parse read and any it left unread, into the result
 * and over its place in the report's head. */
static int
hash_return(struct vrun *r, struct yj_error *err)
{
    if (vinput_finish(&r->in, r->res->sha256) != 0)
        return yj_error_errno(err, YJ_EX_IOERR, r->in.err, "could not read return '%s'",
                              r->opt->file);
    return atomic_file_write_at(&r->report, r->sha_at, r->res->sha256, SHA256_HEX_LEN, err);
}

/* The one pass: the file in chunks through the push parser, the schema validator plugged in
 * front of our callbacks; a DOCTYPE, a file not well-formed or not valid is a finding. */
static int
parse_return(struct vrun *r, struct yj_error *err)
{
    struct vstate *v = &r->v;
    xmlSAXHandler sax;
    xmlSAXHandlerPtr saxp = &sax;
    void *user = v;
    char buf[1 << 16];
    const char *kept;
    size_t n, nkept;
    int perr = 0;

    if (vinput_replay(&r->in, &kept, &nkept) != 0)
        return yj_error_errno(err, YJ_EX_IOERR, r->in.err, "could not read return '%s'",
                              r->opt->file);
    vstate_sax_handler(&sax);
    r->vctx = xmlSchemaNewValidCtxt(r->schema);
    xmlSchemaSetValidStructuredErrors(r->vctx, vstate_schema_error, v);
    r->plug = xmlSchemaSAXPlug(r->vctx, &saxp, &user);
    if (!r->plug)
        return yj_error_set(err, YJ_EX_SOFTWARE, "could not plug schema '%s' into the parser",
                            r->xsd);
    v->parser = r->parser = xmlCreatePushParserCtxt(saxp, user, NULL, 0, r->opt->file);
    if (!r->parser)
        return yj_error_set(err, YJ_EX_SOFTWARE, "could not create an XML parser");
    xmlCtxtUseOptions(r->parser, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    /* chunks of 64 KiB from the start of the file, the peek's bytes first */
    while (!v->doctype && !v->too_deep && v->io_status == YJ_OK) {
        n = nkept < sizeof(buf) ? nkept : sizeof(buf);
        if (n) {
            memcpy(buf, kept, n);
            kept += n;
            nkept -= n;
        }
        if (n < sizeof(buf))
            n += vinput_read(&r->in, buf + n, sizeof(buf) - n);
        if (n == 0 || (perr = xmlParseChunk(r->parser, buf, (int)n, 0)) != 0)
            break;
    }
    if (r->in.err)
        return yj_error_errno(err, YJ_EX_IOERR, r->in.err, "could not read return '%s'",
                              r->opt->file);
    if (!perr && !v->doctype && !v->too_deep)
        perr = xmlParseChunk(r->parser, NULL, 0, 1);
    vstate_apply_pending_pop(v); /* an element whose end was read is not where the fault is */
    if (v->doctype) {
        vstate_finding(v, xmlSAX2GetLineNumber(r->parser), "error",
                       "a DOCTYPE is not allowed in a return");
    } else if (!v->too_deep && (perr || !r->parser->wellFormed)) {
        r->malformed = 1;
        xml_fault_set(&r->fault, xmlCtxtGetLastError(r->parser));
        if (r->fault.line <= 0)
            r->fault.line = xmlSAX2GetLineNumber(r->parser);
        vstate_finding(v, r->fault.line, "error", "the file is not well-formed XML%s%s",
                       r->fault.message[0] ? ": " : "", r->fault.message);
    } else if (!v->too_deep && xmlSchemaIsValid(r->vctx) != 1 && r->res->errors == 0) {
        vstate_finding(v, xmlSAX2GetLineNumber(r->parser), "error",
                       "the file does not conform to the schema");
    }
    return hash_return(r, err);
}

/* A part read whole: the one its return MANIFEST lists (else its children may have been named
 * from another part's rows, and no report is written), and the staged person file read to its
 * end, its row count and SHA-256 verified as for a return of one file (an error is logged:
 * the children were named already, each only where its ypid is the staged row's), unless the
 * caller of the parts verified it once for them all (opt->staged_verified). */
static int
part_read(struct vrun *r, struct yj_error *err)
{
    struct yj_error e2;

    if (!r->return_manifest)
        return YJ_OK;
    if (strcmp(r->res->sha256, r->part_sha) != 0) {
        if (r->opt->fed)
            yj_error_set(err, YJ_EX_DATAERR,
                         "part '%s' is not the one the parts feed announced: its SHA-256 differs",
                         r->opt->file);
        else
            yj_error_set(err, YJ_EX_DATAERR,
                         "part '%s' is not the one return manifest '%s' lists: its SHA-256 differs",
                         r->opt->file, r->return_manifest);
        yj_error_detail(err, "file %s, %s %s", r->res->sha256, r->opt->fed ? "feed" : "manifest",
                        r->part_sha);
        yj_error_hint(err, r->opt->fed ? "the part changed after yj-transform said it was whole: "
                                         "run yj-run again"
                                       : "validate the parts of the return the manifest "
                                         "describes, or run yj-transform again");
        return YJ_EX_DATAERR;
    }
    if (r->v.persons && !r->opt->staged_verified &&
        staged_reader_finish(r->v.persons, &e2) != YJ_OK)
        log_yj_error(&e2);
    return YJ_OK;
}

/* The explained queries apart, then the justifications that match nothing any more. */
static int
write_explained(struct vrun *r, struct yj_error *err)
{
    const struct justify *j = &r->justify;
    char line[2048];
    int rc;

    snprintf(line, sizeof(line), "\nexplained queries (%s)\n", j->path);
    if ((rc = atomic_file_write(&r->report, line, strlen(line), err)) != YJ_OK ||
        (r->v.explained_len &&
         (rc = atomic_file_write(&r->report, r->v.explained, r->v.explained_len, err)) != YJ_OK))
        return rc;
    for (size_t i = 0; i < j->n; i++)
        if (!j->j[i].used) {
            r->res->stale++;
            snprintf(line, sizeof(line), "stale: %s line %d: %s child %s %s matches no finding\n",
                     j->path, j->j[i].line, j->j[i].rule, j->j[i].child, j->j[i].item);
            if ((rc = atomic_file_write(&r->report, line, strlen(line), err)) != YJ_OK)
                return rc;
        }
    return YJ_OK;
}

/* The report's counts and result, the report committed, and a line per rule on stderr. */
static int
finish_report(struct vrun *r, struct yj_error *err)
{
    struct validate_result *res = r->res;
    char extra[128] = "", line[512];
    int rc;

    if (r->v.justify)
        snprintf(extra, sizeof(extra), "explained %lu\nstale %lu\n", res->explained, res->stale);
    snprintf(line, sizeof(line), "\nchildren %lu\nerrors %lu\nqueries %lu\n%sresult %s\n",
             res->children, res->errors, res->queries, extra,
             res->errors ? REPORT_INVALID : REPORT_VALID);
    if ((rc = atomic_file_write(&r->report, line, strlen(line), err)) != YJ_OK ||
        (rc = atomic_file_commit(&r->report, err)) != YJ_OK)
        return rc;
    for (int i = 0; i < r->rules.n; i++) {
        const struct rule *q = &r->rules.r[i];
        if (q->found <= q->explained)
            continue;
        /* an error is a reason for exit 65; a query leaves the return valid: a warning */
        if (q->query)
            log_warn("%s query: %lu finding%s: %s", q->id, q->found - q->explained,
                     q->found - q->explained == 1 ? "" : "s", q->message);
        else
            log_error("%s error: %lu finding%s: %s", q->id, q->found - q->explained,
                      q->found - q->explained == 1 ? "" : "s", q->message);
    }
    if (res->explained || res->stale)
        log_info("%lu quer%s explained by '%s'; %lu stale justification%s (listed in the report)",
                 res->explained, res->explained == 1 ? "y" : "ies", r->justify.path, res->stale,
                 res->stale == 1 ? "" : "s");
    return YJ_OK;
}

/* The run's status: 65 for a return not well-formed or with errors, naming the report. */
static int
result_status(struct vrun *r, struct yj_error *err)
{
    const struct validate_result *res = r->res;
    int rc = YJ_OK;

    if (r->malformed)
        rc = yj_error_set(err, YJ_EX_DATAERR, "return '%s' is not well-formed XML: line %d%s%s",
                          r->opt->file, r->fault.line, r->fault.message[0] ? ": " : "",
                          r->fault.message);
    else if (res->errors)
        rc = yj_error_set(err, YJ_EX_DATAERR, "return '%s' is invalid: %lu error%s, %lu quer%s",
                          r->opt->file, res->errors, res->errors == 1 ? "" : "s", res->queries,
                          res->queries == 1 ? "y" : "ies");
    if (rc != YJ_OK)
        yj_error_detail(err, "every finding is listed in '%s'", r->opt->report);
    return rc;
}

static void
vrun_release(struct vrun *r)
{
    if (r->parser) {
        if (r->parser->myDoc)
            xmlFreeDoc(r->parser->myDoc);
        xmlFreeParserCtxt(r->parser);
    }
    if (r->plug) {
        xmlSchemaSAXUnplug(r->plug);
        schema_release_open_matchers(r->vctx);
    }
    if (r->vctx)
        xmlSchemaFreeValidCtxt(r->vctx);
    vinput_release(&r->in);
    if (r->schema)
        xmlSchemaFree(r->schema);
    if (r->pctx)
        xmlSchemaFreeParserCtxt(r->pctx);
    atomic_file_release(&r->report);
    bundle_release(&r->b);
    rules_release(&r->rules);
    justify_release(&r->justify);
    free(r->v.explained);
    items_release(&r->items);
    staged_reader_release(&r->persons);
    manifest_release(&r->staged_m);
    free(r->return_manifest);
    free(r->v.stack);
    free(r->xsd);
}

int
validate_run(const struct validate_options *opt, struct validate_result *res, struct yj_error *err)
{
    struct vrun r;
    struct vstate *v = &r.v;
    int rc;

    memset(res, 0, sizeof(*res));
    memset(&r, 0, sizeof(r));
    r.opt = opt;
    r.res = res;
    bundle_init(&r.b);
    atomic_file_init(&r.report);
    v->report = &r.report;
    v->err = err;
    v->res = res;
    v->document_count = -1;
    items_init(&r.items);
    rules_init(&r.rules);
    justify_init(&r.justify);
    staged_reader_init(&r.persons);
    manifest_init(&r.staged_m);
    xmlSetExternalEntityLoader(local_only_loader);

    if ((rc = validate_check_paths(opt, err)) != YJ_OK || (rc = open_bundle(&r, err)) != YJ_OK ||
        (rc = load_rules(&r, err)) != YJ_OK || (rc = open_report(&r, err)) != YJ_OK ||
        (rc = parse_return(&r, err)) != YJ_OK || (rc = part_read(&r, err)) != YJ_OK)
        goto done;
    if (!r.malformed && !v->doctype && !v->too_deep && v->document_count >= 0 &&
        (unsigned long)v->document_count != res->children) {
        v->depth = 0;
        vstate_finding(v, v->document_count_line, "error",
                       "%s %s is %ld but the return holds %lu child document%s", v->envelope,
                       v->count_field, v->document_count, res->children,
                       res->children == 1 ? "" : "s");
    }
    if ((rc = v->io_status) != YJ_OK || (v->justify && (rc = write_explained(&r, err)) != YJ_OK) ||
        (rc = finish_report(&r, err)) != YJ_OK)
        goto done;
    rc = result_status(&r, err);
done:
    vrun_release(&r);
    return rc;
}
