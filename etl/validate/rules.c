/*
 * rules.c - loads rules.conf and runs it on the element events of one streaming parse.
 *
 * An item of items.conf opens a frame when its element starts under the frame of its parent
 * item (or directly under <child>); a leaf element under a frame is one of its fields, kept as
 * text in the child's arena. When the item's element ends, its rules run: the item's own
 * fields, those of the items it sits under (still open), the person's (the first item of every
 * child) and the envelope's are all known then. A link's refers_to check waits for the end of
 * the child, when every item it may name has been seen. Dates of 1900-01-01 mean "no date".
 */
#include "rules.h"

#include "atomic.h"
#include "period.h"
#include "sha256.h"
#include "textline.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define MAX_FRAMES 16
#define MAX_WORDS 16

struct rules_frame {
    int item;
    int depth;
    int line;
    unsigned long pos;    /* 1-based among the same item under the same parent */
    unsigned long *count; /* per item: how many so far directly under this frame */
    char **vals;          /* per field: text or NULL */
    int *lines;           /* per field: line of its element */
    int field;            /* the field whose element is open, or -1 */
};

/* Per rule and child: values (refers_to targets, unique_in_child) and pending links. */
struct rules_value {
    char *value;
    int line;
    char *where;
};

struct rules_list {
    struct rules_value *v;
    size_t n, cap;
    struct rules_value *pending; /* refers_to: the links to resolve at the child's end */
    size_t np, capp;
};

void
rules_init(struct rules *rs)
{
    memset(rs, 0, sizeof(*rs));
    arena_init(&rs->arena);
    rs->dob_field = rs->ypid_field = rs->env_end = -1;
}

void
rules_release(struct rules *rs)
{
    for (int i = 0; i < rs->n; i++) {
        free(rs->r[i].id);
        free(rs->r[i].message);
        free(rs->r[i].other_name);
        for (int c = 0; c < rs->r[i].ncodes; c++)
            free(rs->r[i].codes[c]);
        free(rs->r[i].codes);
    }
    if (rs->lists)
        for (int i = 0; i < rs->n; i++) {
            free(rs->lists[i].v);
            free(rs->lists[i].pending);
        }
    free(rs->lists);
    free(rs->r);
    free(rs->path);
    free(rs->id_field);
    free(rs->by_item);
    free(rs->by_item_start);
    free(rs->frames);
    free(rs->top_count);
    free(rs->seen);
    free(rs->env);
    free(rs->names);
    arena_release(&rs->arena);
    rules_init(rs);
}

static int
find_item(const struct items *it, const char *name)
{
    for (int i = 0; i < it->nitems; i++)
        if (strcmp(it->items[i].element, name) == 0)
            return i;
    return -1;
}

static int
find_field(const struct items *it, int item, const char *name)
{
    for (int f = 0; f < it->items[item].nfields; f++)
        if (strcmp(it->items[item].fields[f].element, name) == 0)
            return f;
    return -1;
}

/* "item.field" -> indexes; "envelope.x" (the envelope item's element) -> RULES_ENVELOPE and
 * the index of its field. Returns 0 or -1. */
static int
parse_ref(const struct items *it, const char *text, int *item, int *field, char **env_name)
{
    const char *dot = strchr(text, '.');
    char name[128];

    if (!dot || (size_t)(dot - text) >= sizeof(name))
        return -1;
    memcpy(name, text, (size_t)(dot - text));
    name[dot - text] = '\0';
    if (strcmp(name, it->envelope.element) == 0) {
        /* a date or a number of the envelope (items.conf) */
        for (int k = 0; k < it->envelope.nfields; k++) {
            const struct item_field *fd = &it->envelope.fields[k];
            if (strcmp(dot + 1, fd->element) == 0 &&
                (fd->kind == KIND_DATE || fd->kind == KIND_INT)) {
                *item = RULES_ENVELOPE;
                *field = k;
                if (env_name)
                    *env_name = xstrdup(dot + 1);
                return 0;
            }
        }
        return -1;
    }
    if ((*item = find_item(it, name)) < 0 || (*field = find_field(it, *item, dot + 1)) < 0)
        return -1;
    return 0;
}

/* Is `anc` the item itself or an item it sits under (or the person)? */
static int
is_context_of(const struct items *it, int item, int anc)
{
    if (anc == it->person || anc == RULES_ENVELOPE)
        return 1;
    for (int i = item; i >= 0; i = it->items[i].parent_idx)
        if (i == anc)
            return 1;
    return 0;
}

/* The arguments W[4], W[5] of rule R (its check's, already counted) on line LINENO. */
static int
parse_arguments(struct rules *rs, struct rule *r, char **w, int lineno, struct yj_error *err)
{
    switch (r->check) {
    case CHK_AGE_BETWEEN:
    case CHK_AGE_AT_END: {
        char *e1, *e2;
        r->min = strtol(w[4], &e1, 10);
        r->max = strtol(w[5], &e2, 10);
        if (*e1 || *e2 || r->min > r->max)
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: rule %s: bad age range '%s %s'",
                                rs->path, lineno, w[0], w[4], w[5]);
        if (rs->dob_field < 0)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: rule %s: ages need person.dateOfBirth in '%s'",
                                rs->path, lineno, w[0], rs->it->path);
        if (r->check == CHK_AGE_AT_END && rs->env_end < 0)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: rule %s: ages at the return's end need an envelope "
                                "field of source period_end() in '%s'",
                                rs->path, lineno, w[0], rs->it->path);
        break;
    }
    case CHK_NOT_BEFORE:
    case CHK_NOT_AFTER:
    case CHK_NOT_MORE:
    case CHK_REFERS_TO:
        if (parse_ref(rs->it, w[4], &r->other_item, &r->other_field, &r->other_name) != 0)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: rule %s: '%s' is not an item.field of '%s' nor an "
                                "envelope date",
                                rs->path, lineno, w[0], w[4], rs->it->path);
        if (r->check != CHK_REFERS_TO && !is_context_of(rs->it, r->item, r->other_item))
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: rule %s: '%s' is not this item, an item it sits "
                                "under, the person or the envelope",
                                rs->path, lineno, w[0], w[4]);
        if (r->check == CHK_REFERS_TO && r->other_item == RULES_ENVELOPE)
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: rule %s: refers_to needs an item",
                                rs->path, lineno, w[0]);
        break;
    case CHK_NOT_ONE_OF:
        for (char *cursor = w[4], *s = str_token(&cursor, ","); s; s = str_token(&cursor, ",")) {
            r->codes = xrealloc(r->codes, (size_t)(r->ncodes + 1) * sizeof(char *));
            r->codes[r->ncodes++] = xstrdup(s);
        }
        break;
    default:
        break;
    }
    return YJ_OK;
}

static int
parse_rule(struct rules *rs, char *line, int lineno, struct yj_error *err)
{
    static const struct {
        const char *name;
        enum rule_check check;
        int nargs;
    } checks[] = {
        {"present", CHK_PRESENT, 0},
        {"age_between", CHK_AGE_BETWEEN, 2},
        {"age_at_return_end", CHK_AGE_AT_END, 2},
        {"not_before", CHK_NOT_BEFORE, 1},
        {"not_after", CHK_NOT_AFTER, 1},
        {"not_more_than", CHK_NOT_MORE, 1},
        {"not_one_of", CHK_NOT_ONE_OF, 1},
        {"refers_to", CHK_REFERS_TO, 1},
        {"unique_in_child", CHK_UNIQUE_CHILD, 0},
        {"unique_in_return", CHK_UNIQUE_RETURN, 0},
    };
    char *bar = strchr(line, '|'), *w[MAX_WORDS], *msg;
    int n = 0, item, field;
    size_t k;
    struct rule *r;

    if (!bar)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: expected 'ID SEVERITY ITEM.FIELD "
                            "CHECK [ARGUMENTS] | MESSAGE'",
                            rs->path, lineno);
    *bar = '\0';
    msg = bar + 1;
    while (*msg == ' ')
        msg++;
    for (char *cursor = line, *s = str_token(&cursor, " \t"); s && n < MAX_WORDS;
         s = str_token(&cursor, " \t"))
        w[n++] = s;
    if (n < 4 || !*msg)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: expected 'ID SEVERITY ITEM.FIELD "
                            "CHECK [ARGUMENTS] | MESSAGE'",
                            rs->path, lineno);
    for (int i = 0; i < rs->n; i++)
        if (strcmp(rs->r[i].id, w[0]) == 0)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: rule %s is already defined on "
                                "line %d",
                                rs->path, lineno, w[0], rs->r[i].line);
    if (strcmp(w[1], "error") != 0 && strcmp(w[1], "query") != 0)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: rule %s: unknown severity '%s' (error or query)", rs->path,
                            lineno, w[0], w[1]);
    if (parse_ref(rs->it, w[2], &item, &field, NULL) != 0 || item == RULES_ENVELOPE)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: rule %s: '%s' is not an item.field of '%s'", rs->path,
                            lineno, w[0], w[2], rs->it->path);
    for (k = 0; k < sizeof(checks) / sizeof(checks[0]); k++)
        if (strcmp(w[3], checks[k].name) == 0)
            break;
    if (k == sizeof(checks) / sizeof(checks[0]))
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: rule %s: unknown check '%s'", rs->path,
                            lineno, w[0], w[3]);
    if (n - 4 != checks[k].nargs)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: rule %s: %s takes %d argument%s",
                            rs->path, lineno, w[0], w[3], checks[k].nargs,
                            checks[k].nargs == 1 ? "" : "s");
    rs->r = xrealloc(rs->r, (size_t)(rs->n + 1) * sizeof(*rs->r));
    r = &rs->r[rs->n++];
    memset(r, 0, sizeof(*r));
    r->id = xstrdup(w[0]);
    r->query = strcmp(w[1], "query") == 0;
    r->item = item;
    r->field = field;
    r->check = checks[k].check;
    r->message = xstrdup(msg);
    r->message[strcspn(r->message, "\r\n")] = '\0';
    r->line = lineno;
    r->other_item = -1;
    return parse_arguments(rs, r, w, lineno, err);
}

int
rules_load(struct rules *rs, const char *bundle_dir, const struct items *it, struct yj_error *err)
{
    char line[2048];
    FILE *f;
    int lineno = 0, rc = YJ_OK, got;
    unsigned long long bytes;

    rs->it = it;
    rs->path = path_join(bundle_dir, RULES_FILE);
    rs->id_field = xcalloc((size_t)it->nitems, sizeof(int));
    for (int i = 0; i < it->nitems; i++) {
        const struct item *im = &it->items[i];
        rs->id_field[i] = -1;
        for (int fd = 0; fd < im->nfields && im->id.column && i != it->person; fd++)
            if (im->fields[fd].fn == FN_NONE &&
                strcmp(im->fields[fd].args[0].column, im->id.column) == 0) {
                rs->id_field[i] = fd;
                break;
            }
    }
    rs->dob_field = find_field(it, it->person, "dateOfBirth");
    rs->ypid_field = find_field(it, it->person, "ypid");
    rs->env = xcalloc((size_t)it->envelope.nfields + 1, sizeof(*rs->env));
    for (int k = 0; k < it->envelope.nfields; k++)
        if (it->envelope.fields[k].fn == FN_PERIOD_END)
            rs->env_end = k;
    f = fopen(rs->path, "r");
    if (!f)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not open the rules '%s'", rs->path);
    while (rc == YJ_OK &&
           (got = textline_read(f, line, sizeof(line), lineno + 1, 0)) != TEXTLINE_EOF) {
        char *s = line;
        lineno++;
        if (got == TEXTLINE_ERROR) {
            rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", rs->path);
            break;
        }
        if (got != TEXTLINE_OK) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s", rs->path, lineno,
                              textline_problem(got));
            if (textline_hint(got))
                yj_error_hint(err, "%s", textline_hint(got));
            break;
        }
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '#' || *s == '\0')
            continue;
        rc = parse_rule(rs, s, lineno, err);
    }
    fclose(f);
    if (rc != YJ_OK)
        return rc;
    if (rs->n == 0) {
        /* an emptied or truncated file would pass every return: a bundle has rules */
        yj_error_set(err, YJ_EX_CONFIG, "%s holds no rule", rs->path);
        yj_error_hint(err, "a bundle's rules.conf lists its business rules, one a line; restore "
                           "it from version control");
        return YJ_EX_CONFIG;
    }
    if (sha256_file(rs->path, rs->sha256, &bytes) != 0)
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", rs->path);
    /* per item, the rules its end runs: its own, and the links that may name it */
    rs->by_item_start = xcalloc((size_t)it->nitems + 1, sizeof(int));
    rs->by_item = xcalloc((size_t)(2 * rs->n + 1), sizeof(int));
    for (int i = 0, k = 0; i < it->nitems; i++) {
        rs->by_item_start[i] = k;
        for (int q = 0; q < rs->n; q++)
            if (rs->r[q].item == i || (rs->r[q].check == CHK_REFERS_TO && rs->r[q].other_item == i))
                rs->by_item[k++] = q;
        rs->by_item_start[i + 1] = k;
    }
    rules_names_build(rs);
    rs->lists = xcalloc((size_t)(rs->n ? rs->n : 1), sizeof(*rs->lists));
    rs->frames = xcalloc(MAX_FRAMES, sizeof(*rs->frames));
    rs->top_count = xcalloc((size_t)it->nitems, sizeof(unsigned long));
    return YJ_OK;
}

/* ------------------------------------------------------------------------- running */

static int
ypid_seen(struct rules *rs, const char *ypid)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (const unsigned char *p = (const unsigned char *)ypid; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    h ^= h >> 33; /* spread the bits: the table index uses the low ones */
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    if (h == 0)
        h = 1;
    if (rs->seen_n * 2 >= rs->seen_cap) {
        size_t cap = rs->seen_cap ? rs->seen_cap * 2 : 1024;
        uint64_t *t = xcalloc(cap, sizeof(uint64_t));
        for (size_t k = 0; k < rs->seen_cap; k++)
            if (rs->seen[k]) {
                for (i = rs->seen[k] & (cap - 1); t[i]; i = (i + 1) & (cap - 1))
                    ;
                t[i] = rs->seen[k];
            }
        free(rs->seen);
        rs->seen = t;
        rs->seen_cap = cap;
    }
    for (i = h & (rs->seen_cap - 1); rs->seen[i]; i = (i + 1) & (rs->seen_cap - 1))
        if (rs->seen[i] == h)
            return 1;
    rs->seen[i] = h;
    rs->seen_n++;
    return 0;
}

int
rules_unique_ypid(const struct rules *rs)
{
    for (int i = 0; i < rs->n; i++)
        if (rs->r[i].check == CHK_UNIQUE_RETURN && rs->r[i].item == rs->it->person &&
            rs->r[i].field == rs->ypid_field)
            return 1;
    return 0;
}

void
rules_seen_ypid(void *ctx, const char *ypid)
{
    if (ypid)
        (void)ypid_seen(ctx, ypid);
}

static char *
arena_str(struct rules *rs, const char *s)
{
    return arena_strndup(&rs->arena, s, strlen(s));
}

/* "child 17 ypid YP1 offence 71 offenceLegalOutcome[2] field outcomeDate": the child, the items
 * FR[0..NFR) it sits in, then TAIL ("field outcomeDate") if not NULL. WITH_YPID 0 leaves the
 * ypid out ("child 17 offence 71 ..."), for stderr. */
static void
where_frames(const struct rules *rs, const struct rules_frame *const *fr, int nfr, const char *tail,
             int with_ypid, char *buf, size_t size)
{
    const char *ypid = NULL;
    size_t n;

    if (rs->person && rs->ypid_field >= 0)
        ypid = rs->person[rs->ypid_field];
    else if (rs->nframes > 0 && rs->frames[0].item == rs->it->person && rs->ypid_field >= 0)
        ypid = rs->frames[0].vals[rs->ypid_field];
    if (with_ypid)
        n = (size_t)snprintf(buf, size, "child%s%s ypid %s", rs->wid ? " " : "",
                             rs->wid ? rs->wid : "", ypid ? ypid : "?");
    else
        n = (size_t)snprintf(buf, size, "child%s%s", rs->wid ? " " : "", rs->wid ? rs->wid : "");
    for (int k = 0; k < nfr && n < size; k++) {
        int idf = rs->id_field[fr[k]->item];
        const char *name = rs->it->items[fr[k]->item].element;
        if (idf >= 0 && fr[k]->vals[idf])
            n += (size_t)snprintf(buf + n, size - n, " %s %s", name, fr[k]->vals[idf]);
        else if (fr[k]->item == rs->it->person)
            n += (size_t)snprintf(buf + n, size - n, " %s", name);
        else
            n += (size_t)snprintf(buf + n, size - n, " %s[%lu]", name, fr[k]->pos);
    }
    if (tail && n < size)
        snprintf(buf + n, size - n, " %s", tail);
}

static void
where(struct rules *rs, int upto, int field, char *buf, size_t size)
{
    const struct rules_frame *fr[MAX_FRAMES];
    char tail[128];

    for (int k = 0; k <= upto; k++)
        fr[k] = &rs->frames[k];
    if (field >= 0)
        snprintf(tail, sizeof(tail), "field %s",
                 rs->it->items[rs->frames[upto].item].fields[field].element);
    where_frames(rs, fr, upto + 1, field >= 0 ? tail : NULL, 1, buf, size);
}

void
rules_where_element(const struct rules *rs, int depth, const char *name, int with_ypid, char *buf,
                    size_t size)
{
    const struct rules_frame *fr[MAX_FRAMES + 1];
    char tail[128];
    int nfr = 0, field;

    buf[0] = '\0';
    if (rs->in_envelope || depth < 1 || !rs->frames || (depth == 1 && strcmp(name, "child") != 0))
        return;
    for (int k = 0; k < rs->nframes && rs->frames[k].depth <= depth; k++)
        fr[nfr++] = &rs->frames[k];
    /* an item whose end was the last event: the validator reports its end after ours */
    if (rs->ended && rs->ended->depth == depth &&
        strcmp(rs->it->items[rs->ended->item].element, name) == 0)
        fr[nfr++] = rs->ended;
    tail[0] = '\0';
    if (depth >= 2 && (nfr == 0 || fr[nfr - 1]->depth != depth)) {
        field = nfr > 0 && fr[nfr - 1]->depth == depth - 1
                    ? find_field(rs->it, fr[nfr - 1]->item, name)
                    : -1;
        snprintf(tail, sizeof(tail), "%s %s", field >= 0 ? "field" : "element", name);
    }
    where_frames(rs, fr, nfr, tail[0] ? tail : NULL, with_ypid, buf, size);
}

static long
as_date(const char *s)
{
    long d;

    if (!s || date_parse(s, &d) != 0 || d == date_from_ymd(1900, 1, 1))
        return DATE_NONE;
    return d;
}

/* The value another field of the rule refers to, seen from frame `top`. */
static const char *
other_value(struct rules *rs, const struct rule *r, int top)
{
    if (r->other_item == RULES_ENVELOPE)
        return rs->env[r->other_field][0] ? rs->env[r->other_field] : NULL;
    for (int k = top; k >= 0; k--)
        if (rs->frames[k].item == r->other_item)
            return rs->frames[k].vals[r->other_field];
    if (r->other_item == rs->it->person && rs->person)
        return rs->person[r->other_field];
    return NULL;
}

static void
list_add(struct rules *rs, struct rules_value **v, size_t *n, size_t *cap, const char *value,
         int line, const char *wh)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *v = xrealloc(*v, *cap * sizeof(**v));
    }
    (*v)[*n].value = arena_str(rs, value);
    (*v)[*n].line = line;
    (*v)[*n].where = wh ? arena_str(rs, wh) : NULL;
    (*n)++;
}

static void
emit(struct rules *rs, struct rule *r, int line, const char *wh)
{
    r->found++;
    rs->emit(rs->ctx, line, r, wh);
}

/* A finding on the field of the item whose frame is `top`: where it is is written only now. */
static void
emit_at(struct rules *rs, struct rule *r, int line, int top)
{
    char wh[1024];

    where(rs, top, r->field, wh, sizeof(wh));
    emit(rs, r, line, wh);
}

/* Runs the rules of the item whose frame is on top. */
static void
check_frame(struct rules *rs)
{
    int top = rs->nframes - 1;
    struct rules_frame *fr = &rs->frames[top];

    for (int q = rs->by_item_start[fr->item]; q < rs->by_item_start[fr->item + 1]; q++) {
        int i = rs->by_item[q];
        struct rule *r = &rs->r[i];
        struct rules_list *l = &rs->lists[i];
        const char *v;
        int line;

        if (r->check == CHK_REFERS_TO && r->other_item == fr->item && fr->vals[r->other_field])
            list_add(rs, &l->v, &l->n, &l->cap, fr->vals[r->other_field], 0, NULL);
        if (r->item != fr->item)
            continue;
        v = fr->vals[r->field];
        line = fr->lines[r->field] ? fr->lines[r->field] : fr->line;
        switch (r->check) {
        case CHK_PRESENT:
            if (!v)
                emit_at(rs, r, fr->line, top);
            break;
        case CHK_AGE_BETWEEN:
        case CHK_AGE_AT_END: {
            const char *dob_text = rs->person                   ? rs->person[rs->dob_field]
                                   : fr->item == rs->it->person ? fr->vals[rs->dob_field]
                                                                : NULL;
            const char *end = rs->env_end >= 0 ? rs->env[rs->env_end] : NULL;
            long dob = as_date(dob_text), d = as_date(r->check == CHK_AGE_BETWEEN ? v : end);
            if (r->check == CHK_AGE_AT_END)
                dob = as_date(v);
            if (dob != DATE_NONE && d != DATE_NONE) {
                int age = date_age(dob, d);
                if (age < r->min || age > r->max)
                    emit_at(rs, r, line, top);
            }
            break;
        }
        case CHK_NOT_BEFORE:
        case CHK_NOT_AFTER: {
            long a = as_date(v), b = as_date(other_value(rs, r, top));
            if (a != DATE_NONE && b != DATE_NONE && (r->check == CHK_NOT_BEFORE ? a < b : a > b))
                emit_at(rs, r, line, top);
            break;
        }
        case CHK_NOT_MORE: {
            const char *o = other_value(rs, r, top);
            if (v && o && strtoll(v, NULL, 10) > strtoll(o, NULL, 10))
                emit_at(rs, r, line, top);
            break;
        }
        case CHK_NOT_ONE_OF:
            for (int c = 0; v && c < r->ncodes; c++)
                if (strcmp(v, r->codes[c]) == 0)
                    emit_at(rs, r, line, top);
            break;
        case CHK_REFERS_TO:
            if (v) {
                char wh[1024];
                where(rs, top, r->field, wh, sizeof(wh));
                list_add(rs, &l->pending, &l->np, &l->capp, v, line, wh);
            }
            break;
        case CHK_UNIQUE_CHILD:
            if (!v)
                break;
            for (size_t k = 0; k < l->n; k++)
                if (strcmp(l->v[k].value, v) == 0) {
                    emit_at(rs, r, line, top);
                    v = NULL;
                    break;
                }
            if (v)
                list_add(rs, &l->v, &l->n, &l->cap, v, line, NULL);
            break;
        case CHK_UNIQUE_RETURN:
            if (v && ypid_seen(rs, v))
                emit_at(rs, r, line, top);
            break;
        }
    }
}

/* The end of a child: every link must name an item the child has. */
static void
check_links(struct rules *rs)
{
    for (int i = 0; i < rs->n; i++) {
        struct rules_list *l = &rs->lists[i];
        for (size_t p = 0; p < l->np; p++) {
            size_t k;
            for (k = 0; k < l->n; k++)
                if (strcmp(l->v[k].value, l->pending[p].value) == 0)
                    break;
            if (k == l->n)
                emit(rs, &rs->r[i], l->pending[p].line, l->pending[p].where);
        }
        l->n = l->np = 0;
    }
}

void
rules_child(struct rules *rs, const char *wid, const char *staged_ypid)
{
    arena_reset(&rs->arena);
    rs->nframes = 0;
    rs->person = NULL;
    rs->ended = NULL;
    rs->wid = wid ? arena_str(rs, wid) : NULL;
    rs->staged_ypid = staged_ypid ? arena_str(rs, staged_ypid) : NULL;
    memset(rs->top_count, 0, (size_t)rs->it->nitems * sizeof(unsigned long));
    for (int i = 0; i < rs->n; i++)
        rs->lists[i].n = rs->lists[i].np = 0;
}

void
rules_start(struct rules *rs, const char *name, int depth, int line)
{
    struct rules_frame *top = rs->nframes ? &rs->frames[rs->nframes - 1] : NULL;
    int parent = top ? top->item : -1;
    const struct rules_name *e;

    rs->ended = NULL;
    if (depth == 1) {
        rs->in_envelope = strcmp(name, rs->it->envelope.element) == 0;
        return;
    }
    if (depth < 2 || rs->in_envelope)
        return;
    if ((top && depth != top->depth + 1) || (!top && depth != 2))
        return; /* deeper than a field: the schema reports it */
    e = rules_names_find(rs, parent, name);
    if (e && e->item >= 0) {
        const struct item *im = &rs->it->items[e->item];
        struct rules_frame *fr;
        unsigned long *count;
        if (rs->nframes == MAX_FRAMES)
            return;
        count = top ? top->count : rs->top_count;
        fr = &rs->frames[rs->nframes++];
        fr->item = e->item;
        fr->depth = depth;
        fr->line = line;
        fr->pos = ++count[e->item];
        fr->count = arena_alloc(&rs->arena, (size_t)rs->it->nitems * sizeof(unsigned long));
        memset(fr->count, 0, (size_t)rs->it->nitems * sizeof(unsigned long));
        fr->vals = arena_alloc(&rs->arena, (size_t)(im->nfields + 1) * sizeof(char *));
        fr->lines = arena_alloc(&rs->arena, (size_t)(im->nfields + 1) * sizeof(int));
        memset(fr->vals, 0, (size_t)(im->nfields + 1) * sizeof(char *));
        memset(fr->lines, 0, (size_t)(im->nfields + 1) * sizeof(int));
        fr->field = -1;
        return;
    }
    if (top)
        top->field = e ? e->field : -1;
    rs->field_line = line;
}

void
rules_end(struct rules *rs, const char *name, int depth, const char *text, int line)
{
    struct rules_frame *top = rs->nframes ? &rs->frames[rs->nframes - 1] : NULL;

    if (rs->in_envelope) {
        const struct rules_name *e = depth == 2 ? rules_names_find(rs, RULES_ENVELOPE, name) : NULL;
        if (e && e->field >= 0)
            snprintf(rs->env[e->field], sizeof(rs->env[e->field]), "%s", text);
        if (depth == 1)
            rs->in_envelope = 0;
        return;
    }
    if (depth == 1 && strcmp(name, "child") == 0) {
        check_links(rs);
        return;
    }
    if (!top)
        return;
    if (depth == top->depth + 1 && top->field >= 0) {
        top->vals[top->field] = arena_str(rs, text);
        top->lines[top->field] = rs->field_line;
        top->field = -1;
    } else if (depth == top->depth) {
        if (top->item == rs->it->person && rs->ypid_field >= 0 &&
            (!rs->staged_ypid || !top->vals[rs->ypid_field] ||
             strcmp(rs->staged_ypid, top->vals[rs->ypid_field]) != 0))
            rs->wid = NULL; /* the staged file is not this return's: do not guess */
        check_frame(rs);
        if (top->item == rs->it->person)
            rs->person = top->vals;
        rs->nframes--;
        rs->ended = top; /* its slot is kept until the next element starts */
    }
    (void)line;
}
