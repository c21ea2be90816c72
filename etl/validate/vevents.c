/*
 * vevents.c - the events of yj-validate's one pass over a return: the element path (a heap
 * stack bounded by VALIDATE_MAX_DEPTH), each start and end handed to the business rules, the
 * envelope's documentCount (its field of source document_count() in items.conf) kept for the
 * check at the end, the schema validator's errors and the rules' findings written to the
 * report ("line N: /element/path: severity: message", the first few on stderr without
 * values). The driver, which opens the files and runs the parser, is validate.c (shared
 * private declarations: validate_int.h).
 */
#include "validate_int.h"

#include "justify.h"
#include "log.h"
#include "mem.h"
#include "rules.h"
#include "staged.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define PATH_INITIAL_LEVELS 16
#define MAX_FINDINGS_ON_STDERR 10
/* The element path, ending in "/..." when it does not fit; size must be more than 5. */
static void
path_string(const struct vstate *v, char *buf, size_t size)
{
    size_t len = 0, room = size - 4; /* keeps space for a final "/..." */

    buf[0] = '\0';
    for (int i = 0; i < v->depth; i++) {
        int n;
        const int w = PATH_NAME_MAX - 1;
        if (v->stack[i].index > 1 || strcmp(v->stack[i].name, "child") == 0)
            n = snprintf(buf + len, room - len, "/%.*s[%lu]", w, v->stack[i].name,
                         v->stack[i].index);
        else
            n = snprintf(buf + len, room - len, "/%.*s", w, v->stack[i].name);
        if (n < 0 || (size_t)n >= room - len) {
            memcpy(buf + len, "/...", 5);
            break;
        }
        len += (size_t)n;
    }
}

void
vstate_finding(struct vstate *v, int line, const char *severity, const char *fmt, ...)
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
        /* an error is a reason for exit 65; a query leaves the return valid: a warning */
        char where[512] = "";
        if (v->log_where)
            snprintf(where, sizeof(where), ": %s", v->log_where);
        if (strcmp(severity, "error") == 0)
            log_error("line %d: %s: %s%s (details in the report)", line, path, severity, where);
        else
            log_warn("line %d: %s: %s%s (details in the report)", line, path, severity, where);
    }
    n = snprintf(out, sizeof(out), "line %d: %s: %s: %s\n", line, path, severity, msg);
    if (v->io_status == YJ_OK && n > 0)
        v->io_status = atomic_file_write(v->report, out, strlen(out), v->err);
}

/* Keeps libxml2's first error (not warnings): message cut at its first line break. */
void
xml_fault_set(struct xml_fault *f, const xmlError *e)
{
    if (f->message[0] || !e || e->level < XML_ERR_ERROR)
        return;
    f->line = e->line;
    snprintf(f->message, sizeof(f->message), "%s", e->message ? e->message : "");
    f->message[strcspn(f->message, "\r\n")] = '\0';
}

void
vstate_schema_error(void *ctx, xmlErrorPtr e)
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
        vstate_finding(v, line, "error", "%s: %s", report_where,
                       e->message ? e->message : "schema error");
        v->log_where = NULL;
    } else
        vstate_finding(v, line, "error", "%s", e->message ? e->message : "schema error");
}

/* The envelope's documentCount (its field of source document_count() in items.conf),
 * checked against the children at the end. */
static void
envelope_leaf(struct vstate *v, int line, const char *parent, const char *name)
{
    if (v->count_field && strcmp(parent, v->envelope) == 0 && strcmp(name, v->count_field) == 0) {
        char *end;
        v->document_count = strtol(v->text, &end, 10);
        if (end == v->text || *end)
            v->document_count = -1; /* the schema reports it */
        v->document_count_line = line;
    }
}

/* A rule finding: to the report with where it is; stderr gets a summary per rule at the end. */
void
vstate_rule_finding(void *ctx, int line, struct rule *rule, const char *where)
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
void
vstate_apply_pending_pop(struct vstate *v)
{
    if (v->pending_pop && v->depth > 0)
        v->depth--;
    v->pending_pop = 0;
}

/* Whether NAME repeats the sibling before it, PREV (NULL: none). Most often the dictionary's
 * same pointer; compared as the 63-byte names the path levels once held were, so that a longer
 * name never counts as a repeat. */
static int
same_sibling(const char *prev, const char *name)
{
    if (!prev || (prev != name && strncmp(prev, name, PATH_NAME_MAX) != 0))
        return 0;
    return strnlen(name, PATH_NAME_MAX) < PATH_NAME_MAX;
}

static void
element_start(struct vstate *v, const char *name)
{
    struct path_level *lv;

    vstate_apply_pending_pop(v);
    if (v->too_deep)
        return;
    if (v->depth >= VALIDATE_MAX_DEPTH) {
        /* reported at the deepest level kept; nothing past it is read */
        v->too_deep = 1;
        vstate_finding(v, xmlSAX2GetLineNumber(v->parser), "error",
                       "elements nested deeper than %d levels; validation stopped",
                       VALIDATE_MAX_DEPTH);
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
        if (same_sibling(parent->last_child, name))
            parent->last_child_n++;
        else {
            parent->last_child = name;
            parent->last_child_n = 1;
        }
    }
    lv = &v->stack[v->depth];
    lv->name = name;
    lv->index = v->depth > 0 ? v->stack[v->depth - 1].last_child_n : 1;
    lv->last_child = NULL;
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
    vstate_apply_pending_pop(v);
    if (v->depth <= 0)
        return;
    v->pending_pop = 1;
    if (v->depth == 1)
        return;
    {
        const char *name = v->stack[v->depth - 1].name;
        const char *parent = v->stack[v->depth - 2].name;
        int leaf = v->stack[v->depth - 1].last_child == NULL;
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

void
vstate_sax_handler(xmlSAXHandler *sax)
{
    memset(sax, 0, sizeof(*sax));
    sax->initialized = XML_SAX2_MAGIC;
    sax->startElementNs = sax_start;
    sax->endElementNs = sax_end;
    sax->characters = sax_characters;
    sax->internalSubset = sax_doctype;
}
