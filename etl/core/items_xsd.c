/*
 * items_xsd.c - checks a loaded items.conf (items.c) against the bundle's XSD and maps:
 * items_check_xsd() and its helpers: the envelope (the first element of the root's sequence)
 * and <child> (complex type childType), each with the items nested in it.
 *
 * The XSD check reads the XSD as a plain XML tree: it knows the shapes the project's own
 * schemas use (named complex types holding one xs:sequence of xs:element, named simple
 * types restricting a builtin, "xs:" builtins), which is all it needs to prove that the
 * description and the schema say the same thing.
 */
#include "items.h"

#include "mem.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static int
is_xs(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 && n->ns &&
           strcmp((const char *)n->ns->href, "http://www.w3.org/2001/XMLSchema") == 0;
}

static xmlNodePtr
first_xs(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
        if (is_xs(c, name))
            return c;
    return NULL;
}

/* The top-level xs:complexType or xs:simpleType named NAME. */
static xmlNodePtr
xsd_type(xmlNodePtr root, const char *what, const char *name)
{
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (is_xs(c, what)) {
            xmlChar *n = xmlGetProp(c, BAD_CAST "name");
            int hit = n && strcmp((const char *)n, name) == 0;
            xmlFree(n);
            if (hit)
                return c;
        }
    return NULL;
}

/* The xs:element children of a complex type's sequence (inline or named). */
static xmlNodePtr
seq_first(xmlNodePtr ctype)
{
    xmlNodePtr seq = first_xs(ctype, "sequence");
    xmlNodePtr c = seq ? seq->children : NULL;

    while (c && !is_xs(c, "element"))
        c = c->next;
    return c;
}

static xmlNodePtr
seq_next(xmlNodePtr e)
{
    for (e = e->next; e && !is_xs(e, "element"); e = e->next)
        ;
    return e;
}

static char *
prop(xmlNodePtr n, const char *name, char *buf, size_t size)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);

    if (!v)
        return NULL;
    snprintf(buf, size, "%s", (const char *)v);
    xmlFree(v);
    return buf;
}

#define ENVELOPE_IDX (-2) /* no item's parent_idx */

struct xcheck {
    const struct items *it;
    const char *xsd;
    xmlNodePtr root;
    struct yj_error *err;
};

/* Does the XSD type TYPE fit KIND? Checks code maps against enumerations. */
static int
check_type(struct xcheck *x, const struct item *im, const struct item_field *fd, const char *type)
{
    static const char *const ints[] = {"xs:integer", "xs:nonNegativeInteger", "xs:positiveInteger",
                                       "xs:int", NULL};
    char base[128];
    xmlNodePtr st = NULL, restr = NULL;
    const char *b = type;
    int is_int = 0, nenum = 0;

    if (strncmp(type, "xs:", 3) != 0) {
        st = xsd_type(x->root, "simpleType", type);
        restr = st ? first_xs(st, "restriction") : NULL;
        if (!restr || !prop(restr, "base", base, sizeof(base)))
            return yj_error_set(x->err, YJ_EX_CONFIG,
                                "%s line %d: item '%s' field '%s': type '%s' is not a simple type "
                                "restricting a builtin in '%s'",
                                x->it->path, fd->line, im->element, fd->element, type, x->xsd);
        b = base;
        for (xmlNodePtr c = restr->children; c; c = c->next)
            if (is_xs(c, "enumeration"))
                nenum++;
    }
    for (int i = 0; ints[i]; i++)
        if (strcmp(b, ints[i]) == 0)
            is_int = 1;
    {
        int ok = 0;
        switch (fd->kind) {
        case KIND_TEXT:
            ok = strcmp(b, "xs:string") == 0 && nenum == 0;
            break;
        case KIND_DATE:
            ok = strcmp(b, "xs:date") == 0;
            break;
        case KIND_INT:
            ok = is_int && nenum == 0;
            break;
        case KIND_BOOL:
            ok = strcmp(b, "xs:boolean") == 0;
            break;
        case KIND_CODE:
            ok = nenum > 0;
            break;
        }
        if (!ok)
            return yj_error_set(x->err, YJ_EX_CONFIG,
                                "%s line %d: item '%s' field '%s' is %s, but '%s' declares it "
                                "as '%s'",
                                x->it->path, fd->line, im->element, fd->element,
                                items_kind_name(fd->kind), x->xsd, type);
    }
    if (fd->kind == KIND_CODE) {
        const struct codemap *m = fd->map;
        for (size_t r = 0; r < m->nrows; r++) {
            const char *v = m->rows[r].values[fd->map_index];
            int found = 0;
            if (!*v)
                continue; /* an empty value writes nothing */
            for (xmlNodePtr c = restr->children; c && !found; c = c->next) {
                char ev[256];
                if (is_xs(c, "enumeration") && prop(c, "value", ev, sizeof(ev)) &&
                    strcmp(ev, v) == 0)
                    found = 1;
            }
            if (!found)
                return yj_error_set(x->err, YJ_EX_CONFIG,
                                    "map '%s' line %d: code '%s' (column '%s', item '%s' field "
                                    "'%s') is not in the enumeration of type '%s' in '%s'",
                                    m->path, m->rows[r].line, v, fd->map_column, im->element,
                                    fd->element, type, x->xsd);
        }
    }
    return YJ_OK;
}

/* Compares the sequence of complex type CTYPE with item IM's fields then the items nested
 * under IDX (IM NULL and IDX -1: <child>; the envelope has none, ENVELOPE_IDX). */
static int
check_item(struct xcheck *x, const struct item *im, int idx, xmlNodePtr ctype)
{
    xmlNodePtr e = seq_first(ctype);
    char name[128], type[128], min[16], max[32];
    int rc;

    for (int f = 0; im && f < im->nfields; f++, e = e ? seq_next(e) : NULL) {
        const struct item_field *fd = &im->fields[f];
        if (!e || !prop(e, "name", name, sizeof(name)) || strcmp(name, fd->element) != 0)
            return yj_error_set(x->err, YJ_EX_CONFIG,
                                "%s line %d: item '%s' field '%s': '%s' declares %s%s%s here",
                                x->it->path, fd->line, im->element, fd->element, x->xsd,
                                e ? "element '" : "no more elements", e ? name : "", e ? "'" : "");
        if (!prop(e, "type", type, sizeof(type)))
            return yj_error_set(x->err, YJ_EX_CONFIG,
                                "%s line %d: item '%s' field '%s' has no type in '%s'", x->it->path,
                                fd->line, im->element, fd->element, x->xsd);
        if (!prop(e, "minOccurs", min, sizeof(min)))
            snprintf(min, sizeof(min), "1");
        if ((strcmp(min, "0") != 0) != fd->mandatory)
            return yj_error_set(x->err, YJ_EX_CONFIG,
                                "%s line %d: item '%s' field '%s' is %s, but '%s' has "
                                "minOccurs %s",
                                x->it->path, fd->line, im->element, fd->element,
                                fd->mandatory ? "mandatory" : "optional", x->xsd, min);
        if (prop(e, "maxOccurs", max, sizeof(max)) && strcmp(max, "1") != 0)
            return yj_error_set(x->err, YJ_EX_CONFIG,
                                "%s line %d: item '%s' field '%s' repeats in '%s' (maxOccurs "
                                "%s): describe a repeating field as an item",
                                x->it->path, fd->line, im->element, fd->element, x->xsd, max);
        if ((rc = check_type(x, im, fd, type)) != YJ_OK)
            return rc;
    }
    for (int c = 0; c < x->it->nitems; c++) {
        const struct item *sub = &x->it->items[c];
        xmlNodePtr st;
        if (sub->parent_idx != idx)
            continue;
        if (!e || !prop(e, "name", name, sizeof(name)) || strcmp(name, sub->element) != 0)
            return yj_error_set(
                x->err, YJ_EX_CONFIG, "%s line %d: item '%s' under '%s': '%s' declares %s%s%s here",
                x->it->path, sub->line, sub->element, !im ? "child" : im->element, x->xsd,
                e ? "element '" : "no more elements", e ? name : "", e ? "'" : "");
        if (!prop(e, "minOccurs", min, sizeof(min)))
            snprintf(min, sizeof(min), "1");
        if (!prop(e, "maxOccurs", max, sizeof(max)))
            snprintf(max, sizeof(max), "1");
        if (sub->once ? strcmp(min, "1") != 0 || strcmp(max, "1") != 0
                      : strcmp(min, "0") != 0 || strcmp(max, "unbounded") != 0)
            return yj_error_set(x->err, YJ_EX_CONFIG,
                                "%s line %d: item '%s' occurs %s, but '%s' has minOccurs %s "
                                "maxOccurs %s",
                                x->it->path, sub->line, sub->element,
                                sub->once ? "once" : "0 or more times", x->xsd, min, max);
        st = prop(e, "type", type, sizeof(type)) ? xsd_type(x->root, "complexType", type) : NULL;
        if (!st)
            return yj_error_set(x->err, YJ_EX_CONFIG,
                                "%s line %d: item '%s': '%s' gives it no named complex type",
                                x->it->path, sub->line, sub->element, x->xsd);
        if ((rc = check_item(x, sub, c, st)) != YJ_OK)
            return rc;
        e = seq_next(e);
    }
    if (e) {
        prop(e, "name", name, sizeof(name));
        if (!im)
            return yj_error_set(x->err, YJ_EX_CONFIG,
                                "'%s' declares element '%s' in child, which '%s' does not "
                                "describe",
                                x->xsd, name, x->it->path);
        return yj_error_set(x->err, YJ_EX_CONFIG,
                            "'%s' declares element '%s' in '%s', which '%s' does not describe "
                            "(item on line %d)",
                            x->xsd, name, im->element, x->it->path, im->line);
    }
    return YJ_OK;
}

/* The envelope: the first element of the root's sequence, once, of a named complex type whose
 * sequence is the envelope item's fields. */
static int
check_envelope(struct xcheck *x)
{
    const struct item *env = &x->it->envelope;
    xmlNodePtr root = first_xs(x->root, "element"), ctype = NULL, e = NULL, st;
    char name[128], type[128], min[16], max[32];

    if (root && !(ctype = first_xs(root, "complexType")) && prop(root, "type", type, sizeof(type)))
        ctype = xsd_type(x->root, "complexType", type);
    if (ctype)
        e = seq_first(ctype);
    if (!e || !prop(e, "name", name, sizeof(name)) || strcmp(name, env->element) != 0)
        return yj_error_set(x->err, YJ_EX_CONFIG,
                            "%s line %d: item '%s' under 'return': '%s' declares %s%s%s first in "
                            "the return",
                            x->it->path, env->line, env->element, x->xsd,
                            e ? "element '" : "no element", e ? name : "", e ? "'" : "");
    if (!prop(e, "minOccurs", min, sizeof(min)))
        snprintf(min, sizeof(min), "1");
    if (!prop(e, "maxOccurs", max, sizeof(max)))
        snprintf(max, sizeof(max), "1");
    if (strcmp(min, "1") != 0 || strcmp(max, "1") != 0)
        return yj_error_set(x->err, YJ_EX_CONFIG,
                            "%s line %d: item '%s' occurs once, but '%s' has minOccurs %s "
                            "maxOccurs %s",
                            x->it->path, env->line, env->element, x->xsd, min, max);
    st = prop(e, "type", type, sizeof(type)) ? xsd_type(x->root, "complexType", type) : NULL;
    if (!st)
        return yj_error_set(x->err, YJ_EX_CONFIG,
                            "%s line %d: item '%s': '%s' gives it no named complex type",
                            x->it->path, env->line, env->element, x->xsd);
    return check_item(x, env, ENVELOPE_IDX, st);
}

int
items_check_xsd(const struct items *it, const char *xsd_path, struct yj_error *err)
{
    xmlDocPtr doc =
        xmlReadFile(xsd_path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    struct xcheck x = {.it = it, .xsd = xsd_path, .err = err};
    xmlNodePtr child;
    int rc;

    if (!doc)
        return yj_error_set(err, YJ_EX_CONFIG, "could not read schema '%s' as XML", xsd_path);
    x.root = xmlDocGetRootElement(doc);
    child = xsd_type(x.root, "complexType", "childType");
    if (!child) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "schema '%s' has no complex type 'childType'",
                          xsd_path);
        goto done;
    }
    if ((rc = check_envelope(&x)) == YJ_OK)
        rc = check_item(&x, NULL, -1, child);
done:
    xmlFreeDoc(doc);
    return rc;
}
