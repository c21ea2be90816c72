/*
 * cldiff.c - the record-level difference of two returns (see cldiff.h).
 *
 * Both returns are read through the one return reader (cldreader.h), child by child, so memory
 * depends on the largest child, not on the number of children. Children are matched by ypid
 * through the warehouse ids of the newer return's staged person file; items inside a child are
 * matched by their place (item, id or position, under their parent).
 */
#include "cldiff.h"

#include "atomic.h"
#include "rundir.h"
#include "mem.h"
#include "staged.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* The text of NODE's child element NAME (xmlFree it), or NULL. */
static char *
text_of(xmlNodePtr node, const char *name)
{
    return (char *)cld_text(node, name);
}

/* The staged file that gives each child's warehouse id. */
static const char ids_file[] = "person.tsv";

char *
cld_diff_ids_file(const char *new_staged)
{
    return path_join(new_staged, ids_file);
}

/* ypid -> warehouse id, from the rerun's staged person file: 16 bytes a child. (The run's own
 * staged files are removed once it succeeds; the return keeps the ypid.) */
struct wid_entry {
    unsigned long long hash; /* FNV-1a of the ypid */
    long long wid;
};

struct wid_table {
    struct wid_entry *e;
    size_t n;
};

static unsigned long long
ypid_hash(const char *s)
{
    unsigned long long h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int
wid_cmp(const void *a, const void *b)
{
    const struct wid_entry *x = a, *y = b;
    return x->hash < y->hash ? -1 : x->hash > y->hash;
}

static int
wid_table_load(struct wid_table *t, const char *staged_dir, struct yj_error *err)
{
    char *mpath = path_join(staged_dir, RUNDIR_MANIFEST);
    struct manifest m;
    struct staged_reader r;
    int rc, col = -1;
    size_t cap = 0;

    manifest_init(&m);
    staged_reader_init(&r);
    if ((rc = manifest_read(&m, mpath, NULL, err)) == YJ_OK &&
        (rc = staged_reader_open(&r, staged_dir, ids_file, &m, err)) == YJ_OK &&
        (rc = staged_reader_column(&r, "ypid", &col, err)) == YJ_OK)
        while (r.have_row && rc == YJ_OK) {
            if (r.fields[col]) {
                if (t->n == cap) {
                    cap = cap ? 2 * cap : 1024;
                    t->e = xrealloc(t->e, cap * sizeof(*t->e));
                }
                t->e[t->n].hash = ypid_hash(r.fields[col]);
                t->e[t->n++].wid = r.child_id;
            }
            rc = staged_reader_next(&r, err);
        }
    if (rc == YJ_OK)
        qsort(t->e, t->n, sizeof(*t->e), wid_cmp);
    staged_reader_release(&r);
    manifest_release(&m);
    free(mpath);
    return rc;
}

/* The warehouse id of the child NODE (by its ypid), or -1 if the rerun has no such ypid. */
static long long
wid_of(const struct wid_table *t, xmlNodePtr node)
{
    char *ypid = text_of(cld_elem(node, "person"), "ypid");
    struct wid_entry key, *hit;

    if (!ypid)
        return -1;
    key.hash = ypid_hash(ypid);
    xmlFree(ypid);
    hit = bsearch(&key, t->e, t->n, sizeof(*t->e), wid_cmp);
    return hit ? hit->wid : -1;
}

static void
csv_write(struct cld_diff *d, const char *s, size_t n)
{
    if (d->status == YJ_OK)
        d->status = atomic_file_write(&d->af, s, n, d->err);
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void
csv_value(struct cld_diff *d, const char *s, int last)
{
    if (s && s[strcspn(s, ",\"\n\r")] != '\0') {
        csv_write(d, "\"", 1);
        for (const char *p = s; *p; p++)
            csv_write(d, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
        csv_write(d, "\"", 1);
    } else if (s)
        csv_write(d, s, strlen(s));
    csv_write(d, last ? "\n" : ",", 1);
}

static void
count(struct cld_diff *d, const char *item, const char *field)
{
    char key[512];

    if (field)
        snprintf(key, sizeof(key), "%s.%s", item, field);
    else
        snprintf(key, sizeof(key), "%s", item);
    for (size_t i = 0; i < d->nstats; i++)
        if (strcmp(d->stats[i].key, key) == 0) {
            d->stats[i].n++;
            return;
        }
    d->stats = xrealloc(d->stats, (d->nstats + 1) * sizeof(*d->stats));
    d->stats[d->nstats].key = xstrdup(key);
    d->stats[d->nstats++].n = 1;
}

/* One line of diff.csv: child,ypid,item,item_id,field,sent,now. FIELD NULL: the whole item
 * (or child) is on one side only. */
static void
diff_line(struct cld_diff *d, const char *wid, const char *ypid, const char *item,
          const char *item_id, const char *field, const char *sent, const char *now)
{
    csv_value(d, wid ? wid : "-", 0);
    csv_value(d, ypid ? ypid : "-", 0);
    csv_value(d, item, 0);
    csv_value(d, item_id ? item_id : "-", 0);
    csv_value(d, field ? field : "-", 0);
    csv_value(d, sent ? sent : "", 0);
    csv_value(d, now ? now : "", 1);
    d->lines++;
    count(d, item, field);
}

/* One item in a child: its index in items.conf, its place ("offence 71
 * offenceLegalOutcome[2]") and its element. */
struct inst {
    int item;
    char *key;
    xmlNodePtr node;
    int matched;
};

struct insts {
    struct inst *v;
    size_t n;
};

static int
is_field(const struct item *im, const char *name)
{
    for (int f = 0; f < im->nfields; f++)
        if (strcmp(im->fields[f].element, name) == 0)
            return 1;
    return 0;
}

static void
collect(const struct cld_diff *d, xmlNodePtr node, int parent, const char *parent_key,
        struct insts *out)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        const char *name = (const char *)c->name;
        int idx = -1;
        char key[1024];
        size_t pos = 1;

        if (c->type != XML_ELEMENT_NODE || (parent >= 0 && is_field(&d->it->items[parent], name)))
            continue;
        for (int i = 0; i < d->it->nitems && idx < 0; i++)
            if (d->it->items[i].parent_idx == parent && strcmp(d->it->items[i].element, name) == 0)
                idx = i;
        if (idx < 0)
            continue;
        for (xmlNodePtr p = c->prev; p; p = p->prev)
            pos += p->type == XML_ELEMENT_NODE && strcmp((const char *)p->name, name) == 0;
        {
            int idf = d->id_field[idx];
            char *id = idf >= 0 ? text_of(c, d->it->items[idx].fields[idf].element) : NULL;
            int n;
            if (idx == d->it->person)
                n = snprintf(key, sizeof(key), "%s%s%s", parent_key ? parent_key : "",
                             parent_key ? " " : "", name);
            else if (id)
                n = snprintf(key, sizeof(key), "%s%s%s %s", parent_key ? parent_key : "",
                             parent_key ? " " : "", name, id);
            else
                n = snprintf(key, sizeof(key), "%s%s%s[%zu]", parent_key ? parent_key : "",
                             parent_key ? " " : "", name, pos);
            (void)n;
            xmlFree(id);
        }
        out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
        out->v[out->n].item = idx;
        out->v[out->n].key = xstrdup(key);
        out->v[out->n].node = c;
        out->v[out->n++].matched = 0;
        collect(d, c, idx, key, out);
    }
}

static void
insts_free(struct insts *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].key);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

/* The fields of two instances of the same item, in items.conf order. */
static int
compare_fields(struct cld_diff *d, const char *wid, const char *ypid, const struct item *im,
               const char *key, xmlNodePtr a, xmlNodePtr b)
{
    int differ = 0;

    for (int f = 0; f < im->nfields; f++) {
        char *va = text_of(a, im->fields[f].element), *vb = text_of(b, im->fields[f].element);
        if ((va == NULL) != (vb == NULL) || (va && strcmp(va, vb) != 0)) {
            diff_line(d, wid, ypid, im->element, key, im->fields[f].element, va, vb);
            differ = 1;
        }
        xmlFree(va);
        xmlFree(vb);
    }
    return differ;
}

static void
compare_child(struct cld_diff *d, const char *wid, xmlNodePtr a, xmlNodePtr b)
{
    struct insts ia = {0}, ib = {0};
    char *ypid = text_of(cld_elem(a, "person"), "ypid");
    int differ = 0;

    collect(d, a, -1, NULL, &ia);
    collect(d, b, -1, NULL, &ib);
    for (size_t i = 0; i < ia.n; i++) {
        struct inst *x = &ia.v[i], *y = NULL;
        for (size_t k = 0; k < ib.n && !y; k++)
            if (!ib.v[k].matched && ib.v[k].item == x->item && strcmp(ib.v[k].key, x->key) == 0)
                y = &ib.v[k];
        if (y) {
            y->matched = x->matched = 1;
            differ |=
                compare_fields(d, wid, ypid, &d->it->items[x->item], x->key, x->node, y->node);
        } else {
            diff_line(d, wid, ypid, d->it->items[x->item].element, x->key, NULL, "present", NULL);
            differ = 1;
        }
    }
    for (size_t k = 0; k < ib.n; k++)
        if (!ib.v[k].matched) {
            diff_line(d, wid, ypid, d->it->items[ib.v[k].item].element, ib.v[k].key, NULL, NULL,
                      "present");
            differ = 1;
        }
    d->children++;
    d->children_differ += (unsigned long long)differ;
    insts_free(&ia);
    insts_free(&ib);
    xmlFree(ypid);
}

/* A child on one side only: one line naming it. */
static void
lone_child(struct cld_diff *d, const char *wid, xmlNodePtr node, int sent)
{
    char *ypid = text_of(cld_elem(node, "person"), "ypid");

    diff_line(d, wid, ypid, "child", NULL, NULL, sent ? "present" : NULL, sent ? NULL : "present");
    if (sent)
        d->only_sent++;
    else
        d->only_now++;
    xmlFree(ypid);
}

static void
compare_envelopes(struct cld_diff *d, xmlNodePtr a, xmlNodePtr b)
{
    for (int pass = 0; pass < 2; pass++)
        for (xmlNodePtr c = (pass ? b : a)->children; c; c = c->next) {
            const char *name = (const char *)c->name;
            char *va, *vb;
            if (c->type != XML_ELEMENT_NODE || (pass && cld_elem(a, name)))
                continue;
            va = text_of(a, name);
            vb = text_of(b, name);
            if ((va == NULL) != (vb == NULL) || (va && strcmp(va, vb) != 0))
                diff_line(d, NULL, NULL, "envelope", NULL, name, va, vb);
            xmlFree(va);
            xmlFree(vb);
        }
}

/* One return read for the diff: the reader, and the envelopes (documents) it has read. */
struct side {
    struct cld_reader r;
    unsigned long long documents;
};

static int
side_next(struct side *s, struct yj_error *err)
{
    int rc = cld_reader_next(&s->r, err);
    if (rc == YJ_OK && s->r.kind == CLD_ENVELOPE)
        s->documents++;
    return rc;
}

static int
side_open(struct side *s, const char *return_dir, const char *schema, struct yj_error *err)
{
    int rc = cld_reader_open(&s->r, return_dir, schema, err);
    return rc == YJ_OK ? side_next(s, err) : rc;
}

void
cld_diff_init(struct cld_diff *d)
{
    memset(d, 0, sizeof(*d));
}

void
cld_diff_release(struct cld_diff *d)
{
    for (size_t i = 0; i < d->nstats; i++)
        free(d->stats[i].key);
    free(d->stats);
    cld_diff_init(d);
}

/* The field of each item that holds its id, or -1 (the person has none: one per child). */
static int *
id_fields(const struct items *it)
{
    int *id_field = xcalloc((size_t)it->nitems, sizeof(int));

    for (int i = 0; i < it->nitems; i++) {
        const struct item *im = &it->items[i];
        id_field[i] = -1;
        for (int f = 0; f < im->nfields && im->id.column && i != it->person; f++)
            if (im->fields[f].fn == FN_NONE &&
                strcmp(im->fields[f].args[0].column, im->id.column) == 0) {
                id_field[i] = f;
                break;
            }
    }
    return id_field;
}

/* The next step over both returns: envelopes against envelopes, children matched by warehouse
 * id, then deletion notices in ypid order. */
static int
diff_step(struct cld_diff *d, const struct wid_table *wt, struct side *a, struct side *b,
          struct yj_error *err)
{
    int rc = YJ_OK;

    if (a->r.kind == CLD_ENVELOPE || b->r.kind == CLD_ENVELOPE) {
        /* each document's envelope against its counterpart's; an extra one is skipped */
        if (a->r.kind == CLD_ENVELOPE && b->r.kind == CLD_ENVELOPE)
            compare_envelopes(d, a->r.node, b->r.node);
        if (a->r.kind == CLD_ENVELOPE)
            rc = side_next(a, err);
        if (rc == YJ_OK && b->r.kind == CLD_ENVELOPE)
            rc = side_next(b, err);
    } else if (a->r.kind == CLD_CHILD || b->r.kind == CLD_CHILD) {
        long long wa = a->r.kind == CLD_CHILD ? wid_of(wt, a->r.node) : -1;
        long long wb = b->r.kind == CLD_CHILD ? wid_of(wt, b->r.node) : -1;
        char text[32];
        if (b->r.kind == CLD_CHILD && wb < 0)
            return yj_error_set(err, YJ_EX_IOERR,
                                "the rerun's return holds a child its staged person file lacks");
        /* the sent child goes first when the rerun lacks it or has it earlier (a ypid now
         * of another child): only in the sent return */
        if (a->r.kind == CLD_CHILD && (b->r.kind != CLD_CHILD || wa < 0 || wa < wb)) {
            lone_child(d, "-", a->r.node, 1);
            rc = side_next(a, err);
        } else if (a->r.kind == CLD_CHILD && wa == wb) {
            snprintf(text, sizeof(text), "%lld", wb);
            compare_child(d, text, a->r.node, b->r.node);
            if ((rc = side_next(a, err)) == YJ_OK)
                rc = side_next(b, err);
        } else {
            snprintf(text, sizeof(text), "%lld", wb);
            lone_child(d, text, b->r.node, 0);
            rc = side_next(b, err);
        }
    } else {
        /* deletion notices, in ypid order, or the end of one side */
        char *ya = a->r.kind == CLD_DELETION ? text_of(a->r.node, "ypid") : NULL;
        char *yb = b->r.kind == CLD_DELETION ? text_of(b->r.node, "ypid") : NULL;
        int c = !ya ? 1 : !yb ? -1 : strcmp(ya, yb);
        if (c != 0)
            diff_line(d, NULL, c < 0 ? ya : yb, "deletion", NULL, NULL, c < 0 ? "present" : NULL,
                      c < 0 ? NULL : "present");
        if (c <= 0)
            rc = side_next(a, err);
        if (rc == YJ_OK && c >= 0)
            rc = side_next(b, err);
        xmlFree(ya);
        xmlFree(yb);
    }
    return rc;
}

int
cld_diff_write(struct cld_diff *d, const struct items *it, const char *sent_dir,
               const char *new_dir, const char *new_staged, const char *schema,
               const char *diff_path, struct yj_error *err)
{
    struct side a, b;
    struct wid_table wt = {0};
    int rc;
    static const char header[] = "child,ypid,item,item_id,field,sent,now\n";

    d->it = it;
    d->err = err;
    d->id_field = id_fields(it);
    atomic_file_init(&d->af);
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    cld_reader_init(&a.r);
    cld_reader_init(&b.r);
    if ((rc = wid_table_load(&wt, new_staged, err)) != YJ_OK ||
        (rc = side_open(&a, sent_dir, schema, err)) != YJ_OK ||
        (rc = side_open(&b, new_dir, schema, err)) != YJ_OK ||
        (rc = atomic_file_open(&d->af, diff_path, rundir_mode(RD_RERUN_DIFF), err)) != YJ_OK ||
        (rc = atomic_file_write(&d->af, header, sizeof(header) - 1, err)) != YJ_OK)
        goto done;
    while (rc == YJ_OK && d->status == YJ_OK && (a.r.kind != CLD_END || b.r.kind != CLD_END))
        rc = diff_step(d, &wt, &a, &b, err);
    if (rc == YJ_OK && d->status != YJ_OK)
        rc = d->status;
    if (rc == YJ_OK && a.documents != b.documents) {
        char na[32], nb[32];
        snprintf(na, sizeof(na), "%llu", a.documents);
        snprintf(nb, sizeof(nb), "%llu", b.documents);
        diff_line(d, NULL, NULL, "return", NULL, "documents", na, nb);
        rc = d->status;
    }
    if (rc == YJ_OK)
        rc = atomic_file_commit(&d->af, err);
done:
    atomic_file_release(&d->af);
    cld_reader_release(&a.r);
    cld_reader_release(&b.r);
    free(wt.e);
    free(d->id_field);
    d->id_field = NULL;
    return rc;
}
