/*
 * items.c - loads a bundle's items.conf (and the code maps it names) and answers questions
 * about it (items_columns(), items_uses_entity()). Checking it against the bundle's XSD is
 * items_xsd.c's.
 *
 * The file is line based, for readable diffs:
 *
 *   item ELEMENT staged=ENTITY parent=PARENT [id=COLUMN] [join=COLUMN] [once]
 *       ELEMENT KIND SOURCE [mandatory] [map=FILE[:COLUMN]] [when=COLUMN] [null=VALUE]
 *
 * An indented line is a field of the item above it. SOURCE is a staged column, or a named
 * function without spaces: age(A,B), add_years(A,N), school_age(A,B), service_code().
 * A column argument "person.X" is column X of the child's person row. The one item with
 * parent=return is the envelope: no staged file, and every field a value of the run
 * (return_id(), period_end(), document_count(), ...: the table fns[]). Every error names
 * the file and line.
 */
#include "items.h"

#include "atomic.h"
#include "mem.h"
#include "sha256.h"
#include "textline.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define MAX_TOKENS 16

static const char *const kind_names[] = {"text", "date", "int", "bool", "code"};

const char *
items_kind_name(enum item_kind k)
{
    return kind_names[k];
}

void
items_init(struct items *it)
{
    memset(it, 0, sizeof(*it));
    it->person = -1;
}

static void
ref_release(struct item_ref *r)
{
    free(r->column);
    r->column = NULL;
}

static void
item_release(struct item *im)
{
    for (int f = 0; f < im->nfields; f++) {
        struct item_field *fd = &im->fields[f];
        free(fd->element);
        for (int a = 0; a < ITEMS_MAX_ARGS; a++)
            ref_release(&fd->args[a]);
        ref_release(&fd->when);
        free(fd->map_file);
        free(fd->map_column);
        free(fd->null_value);
    }
    free(im->fields);
    free(im->element);
    free(im->staged);
    free(im->parent);
    ref_release(&im->id);
    ref_release(&im->join);
    ref_release(&im->when);
}

void
items_release(struct items *it)
{
    for (int i = 0; i < it->nitems; i++)
        item_release(&it->items[i]);
    item_release(&it->envelope);
    free(it->items);
    for (int m = 0; m < it->nmaps; m++)
        codemap_release(&it->maps[m]);
    free(it->maps);
    free(it->path);
    items_init(it);
}

static int
is_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

static int
set_ref(struct item_ref *r, const char *text)
{
    const char *col = text;

    r->person = 0;
    if (strncmp(text, "person.", 7) == 0) {
        r->person = 1;
        col = text + 7;
    }
    if (!is_name(col))
        return -1;
    free(r->column);
    r->column = xstrdup(col);
    r->index = -1;
    return 0;
}

/* Splits s on whitespace in place; returns the number of tokens. */
static int
tokenize(char *s, char **tok, int max)
{
    int n = 0;

    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#')
            break;
        if (n == max)
            return -1;
        tok[n++] = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
        if (*s)
            *s++ = '\0';
    }
    return n;
}

/* Splits the option tok[t] ("key" or "key=value") in place: *val is the value or NULL.
 * Returns 1 when an earlier option of the line, from tok[first], named the same key: the last
 * would win and the first be lost, so both are refused. */
static int
split_option(char **tok, int first, int t, const char **val)
{
    char *eq = strchr(tok[t], '=');

    *val = eq ? eq + 1 : NULL;
    if (eq)
        *eq = '\0';
    for (int u = first; u < t; u++)
        if (strcmp(tok[u], tok[t]) == 0)
            return 1;
    return 0;
}

static struct codemap *
map_named(struct items *it, const char *bundle_dir, const char *file, struct yj_error *err)
{
    char *path;

    for (int m = 0; m < it->nmaps; m++)
        if (strcmp(it->maps[m].name, file) == 0)
            return &it->maps[m];
    path = path_join(bundle_dir, file);
    /* the array moves as it grows: fields get their map pointer after loading */
    it->maps = xrealloc(it->maps, (size_t)(it->nmaps + 1) * sizeof(*it->maps));
    codemap_init(&it->maps[it->nmaps]);
    if (codemap_load(&it->maps[it->nmaps], path, err) != YJ_OK) {
        it->nmaps++;
        free(path);
        return NULL;
    }
    free(path);
    return &it->maps[it->nmaps++];
}

/* Where a named function may be used. */
#define FN_IN_ITEM 1     /* a field of an item, read from a staged row */
#define FN_IN_ENVELOPE 2 /* a field of the envelope: a value of the run */

static const struct {
    const char *name;
    enum item_fn fn;
    int nargs;
    enum item_kind kind;
    int in;
} fns[] = {
    {"age", FN_AGE, 2, KIND_INT, FN_IN_ITEM},
    {"add_years", FN_YEARS, 2, KIND_DATE, FN_IN_ITEM},
    {"school_age", FN_SCHOOL, 2, KIND_BOOL, FN_IN_ITEM},
    {"service_code", FN_SERVICE, 0, KIND_TEXT, FN_IN_ITEM | FN_IN_ENVELOPE},
    {"return_id", FN_RETURN_ID, 0, KIND_TEXT, FN_IN_ENVELOPE},
    {"period_start", FN_PERIOD_START, 0, KIND_DATE, FN_IN_ENVELOPE},
    {"period_end", FN_PERIOD_END, 0, KIND_DATE, FN_IN_ENVELOPE},
    {"sign_off_date", FN_SIGN_OFF, 0, KIND_DATE, FN_IN_ENVELOPE},
    {"cms_system", FN_CMS_SYSTEM, 0, KIND_TEXT, FN_IN_ENVELOPE},
    {"staged_version", FN_STAGED_VERSION, 0, KIND_TEXT, FN_IN_ENVELOPE},
    {"schema_version", FN_SCHEMA_VERSION, 0, KIND_TEXT, FN_IN_ENVELOPE},
    {"yjreturns_version", FN_YJRETURNS_VERSION, 0, KIND_TEXT, FN_IN_ENVELOPE},
    {"document_count", FN_DOCUMENT_COUNT, 0, KIND_INT, FN_IN_ENVELOPE},
    {"part_number", FN_PART_NUMBER, 0, KIND_INT, FN_IN_ENVELOPE},
    {"part_count", FN_PART_COUNT, 0, KIND_INT, FN_IN_ENVELOPE},
};

#define NFNS (sizeof(fns) / sizeof(fns[0]))

/* "names an unknown function (known: age, ...)": the functions usable IN. */
static const char *
unknown_function(int in, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "names an unknown function (known: ");

    for (size_t k = 0, first = 1; k < NFNS; k++)
        if ((fns[k].in & in) && n < size) {
            n += (size_t)snprintf(buf + n, size - n, "%s%s", first ? "" : ", ", fns[k].name);
            first = 0;
        }
    if (n < size)
        snprintf(buf + n, size - n, ")");
    return buf;
}

/* Parses SOURCE: a column or fn(args), of an item's field or (IN is FN_IN_ENVELOPE) of the
 * envelope's. Returns 0, or -1 with *why set (WHY_BUF, of WHY_SIZE, may hold it). */
static int
parse_source(struct item_field *fd, char *src, int in, const char **why, char *why_buf,
             size_t why_size)
{
    char *open = strchr(src, '('), *close, *arg;
    size_t k;

    if (!open && in == FN_IN_ENVELOPE) {
        *why = "is not a function call: an envelope field takes a value of the run, such as "
               "return_id()";
        return -1;
    }
    if (!open) {
        fd->fn = FN_NONE;
        fd->nargs = 1;
        if (set_ref(&fd->args[0], src) != 0) {
            *why = "is not a column name";
            return -1;
        }
        return 0;
    }
    close = strchr(open, ')');
    if (!close || close[1] != '\0') {
        *why = "is not a function call such as age(person.date_of_birth,offence_date)";
        return -1;
    }
    *open = '\0';
    *close = '\0';
    for (k = 0; k < NFNS; k++)
        if (strcmp(src, fns[k].name) == 0 && (fns[k].in & in))
            break;
    if (k == NFNS) {
        *why = unknown_function(in, why_buf, why_size);
        return -1;
    }
    if (fd->kind != fns[k].kind) {
        *why = "gives a value of another kind than the field's";
        return -1;
    }
    fd->fn = fns[k].fn;
    fd->nargs = 0;
    for (arg = open + 1; *arg;) {
        char *comma = strchr(arg, ',');
        if (comma)
            *comma = '\0';
        if (fd->nargs == ITEMS_MAX_ARGS) {
            *why = "has too many arguments";
            return -1;
        }
        if (fd->fn == FN_YEARS && fd->nargs == 1) {
            char *end;
            errno = 0;
            fd->number = strtol(arg, &end, 10);
            if (errno || *end || end == arg) {
                *why = "needs a whole number of years";
                return -1;
            }
            fd->nargs++;
        } else if (set_ref(&fd->args[fd->nargs++], arg) != 0) {
            *why = "has an argument that is not a column name";
            return -1;
        }
        if (!comma)
            break;
        arg = comma + 1;
    }
    if (fd->nargs != fns[k].nargs) {
        *why = "has the wrong number of arguments";
        return -1;
    }
    if (fd->fn == FN_YEARS)
        fd->nargs = 1; /* the number is not a column */
    return 0;
}

/* The item just parsed is the envelope (parent=return): checked and moved out of items[]. */
static int
envelope_item(struct items *it, int lineno, struct yj_error *err)
{
    struct item *im = &it->items[it->nitems - 1];

    if (it->envelope.element)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: item '%s': the envelope (parent=return) is described "
                            "twice",
                            it->path, lineno, im->element);
    if (im->staged || im->id.column || im->join.column || im->when.column || !im->once)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: item '%s' under return is the envelope: once, and no "
                            "staged=, id=, join= or when= (its fields are values of the run)",
                            it->path, lineno, im->element);
    it->envelope = *im;
    it->nitems--;
    return YJ_OK;
}

static int
parse_item(struct items *it, char **tok, int n, int lineno, struct yj_error *err)
{
    struct item *im;

    it->items = xrealloc(it->items, (size_t)(it->nitems + 1) * sizeof(*it->items));
    im = &it->items[it->nitems++];
    memset(im, 0, sizeof(*im));
    im->line = lineno;
    im->parent_idx = -1;
    im->id.index = im->join.index = im->when.index = -1;
    if (n < 2 || !is_name(tok[1]))
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: expected 'item ELEMENT staged=... "
                            "parent=...'",
                            it->path, lineno);
    im->element = xstrdup(tok[1]);
    for (int i = 0; i < it->nitems - 1; i++)
        if (strcmp(it->items[i].element, im->element) == 0)
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: item '%s' is described twice",
                                it->path, lineno, im->element);
    for (int t = 2; t < n; t++) {
        const char *key = tok[t], *val;
        if (split_option(tok, 2, t, &val))
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: item '%s': option '%s' is given twice", it->path,
                                lineno, im->element, key);
        if (strcmp(key, "once") == 0 && !val)
            im->once = 1;
        else if (strcmp(key, "staged") == 0 && val && is_name(val))
            im->staged = xstrdup(val);
        else if (strcmp(key, "parent") == 0 && val && is_name(val))
            im->parent = xstrdup(val);
        else if (strcmp(key, "id") == 0 && val && set_ref(&im->id, val) == 0 && !im->id.person)
            ;
        else if (strcmp(key, "join") == 0 && val && set_ref(&im->join, val) == 0 &&
                 !im->join.person)
            ;
        else if (strcmp(key, "when") == 0 && val && set_ref(&im->when, val) == 0 &&
                 !im->when.person)
            ;
        else
            return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: item '%s': bad option '%s%s%s'",
                                it->path, lineno, im->element, key, val ? "=" : "", val ? val : "");
    }
    it->in_envelope = im->parent && strcmp(im->parent, "return") == 0;
    if (it->in_envelope)
        return envelope_item(it, lineno, err);
    if (!im->staged || !im->parent)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: item '%s' needs staged= and parent=", it->path, lineno,
                            im->element);
    if (strcmp(im->parent, "child") != 0) {
        for (int i = 0; i < it->nitems - 1; i++)
            if (strcmp(it->items[i].element, im->parent) == 0)
                im->parent_idx = i;
        if (im->parent_idx < 0)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: item '%s': parent '%s' is not an item described "
                                "above it",
                                it->path, lineno, im->element, im->parent);
        if (!im->join.column || !it->items[im->parent_idx].id.column)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: item '%s' under '%s' needs join=, and its parent "
                                "an id=",
                                it->path, lineno, im->element, im->parent);
    } else if (im->join.column) {
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: item '%s' under child takes no join=", it->path, lineno,
                            im->element);
    }
    if (strcmp(im->staged, "person") == 0) {
        if (it->person >= 0 || !im->once || im->parent_idx >= 0)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: the person item must be the one item of staged "
                                "entity 'person', once, under child",
                                it->path, lineno);
        it->person = it->nitems - 1;
    }
    return YJ_OK;
}

static int
parse_field(struct items *it, const char *bundle_dir, char **tok, int n, int lineno,
            struct yj_error *err)
{
    struct item *im = it->in_envelope ? &it->envelope : &it->items[it->nitems - 1];
    struct item_field *fd;
    const char *why = NULL;
    char why_buf[300];
    size_t k;

    im->fields = xrealloc(im->fields, (size_t)(im->nfields + 1) * sizeof(*im->fields));
    fd = &im->fields[im->nfields++];
    memset(fd, 0, sizeof(*fd));
    fd->line = lineno;
    fd->when.index = -1;
    for (int a = 0; a < ITEMS_MAX_ARGS; a++)
        fd->args[a].index = -1;
    if (n < 3 || !is_name(tok[0]))
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: item '%s': expected 'ELEMENT KIND SOURCE [options]'",
                            it->path, lineno, im->element);
    fd->element = xstrdup(tok[0]);
    for (k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
        if (strcmp(tok[1], kind_names[k]) == 0)
            break;
    if (k == sizeof(kind_names) / sizeof(kind_names[0]))
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: item '%s' field '%s': unknown kind '%s' (known: text, "
                            "date, int, bool, code)",
                            it->path, lineno, im->element, fd->element, tok[1]);
    fd->kind = (enum item_kind)k;
    if (parse_source(fd, tok[2], it->in_envelope ? FN_IN_ENVELOPE : FN_IN_ITEM, &why, why_buf,
                     sizeof(why_buf)) != 0)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: item '%s' field '%s': source '%s' %s",
                            it->path, lineno, im->element, fd->element, tok[2], why);
    for (int t = 3; t < n; t++) {
        const char *key = tok[t], *val;
        if (split_option(tok, 3, t, &val))
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: item '%s' field '%s': option '%s' is given twice",
                                it->path, lineno, im->element, fd->element, key);
        if (strcmp(key, "mandatory") == 0 && !val) {
            fd->mandatory = 1;
        } else if (strcmp(key, "map") == 0 && val && *val) {
            char *colon = strchr(val, ':');
            fd->map_column = xstrdup(colon ? colon + 1 : "yjb");
            fd->map_file = xstrdup(val);
            if (colon)
                fd->map_file[colon - val] = '\0';
        } else if (strcmp(key, "when") == 0 && val && set_ref(&fd->when, val) == 0 &&
                   !fd->when.person) {
        } else if (strcmp(key, "null") == 0 && val && *val) {
            fd->null_value = xstrdup(val);
        } else {
            return yj_error_set(
                err, YJ_EX_CONFIG, "%s line %d: item '%s' field '%s': bad option '%s%s%s'",
                it->path, lineno, im->element, fd->element, key, val ? "=" : "", val ? val : "");
        }
    }
    if (it->in_envelope && fd->when.column)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: item '%s' field '%s': an envelope field takes no when=",
                            it->path, lineno, im->element, fd->element);
    if (fd->null_value && !fd->mandatory)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: item '%s' field '%s': a field with null= always has a "
                            "value: mark it mandatory",
                            it->path, lineno, im->element, fd->element);
    if (fd->kind == KIND_CODE && !fd->map_file)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "%s line %d: item '%s' field '%s': a code field needs map=FILE",
                            it->path, lineno, im->element, fd->element);
    if (fd->map_file) {
        struct codemap *m;
        if (fd->fn != FN_NONE)
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: item '%s' field '%s': a derived field takes no map",
                                it->path, lineno, im->element, fd->element);
        if (strchr(fd->map_file, '/'))
            return yj_error_set(err, YJ_EX_CONFIG,
                                "%s line %d: item '%s' field '%s': map file '%s' must be in the "
                                "bundle folder",
                                it->path, lineno, im->element, fd->element, fd->map_file);
        if (!(m = map_named(it, bundle_dir, fd->map_file, err))) {
            /* prefix the loader's own message with where the map is named */
            char msg[YJ_ERROR_MSG_MAX];
            snprintf(msg, sizeof(msg), "%s", err->message);
            return yj_error_set(err, err->code, "%s line %d: item '%s' field '%s': %s", it->path,
                                lineno, im->element, fd->element, msg);
        }
        fd->map_index = codemap_column(m, fd->map_column);
        if (fd->map_index < 0)
            return yj_error_set(
                err, YJ_EX_CONFIG, "%s line %d: item '%s' field '%s': map '%s' has no column '%s'",
                it->path, lineno, im->element, fd->element, fd->map_file, fd->map_column);
        if (fd->kind == KIND_BOOL)
            for (size_t r = 0; r < m->nrows; r++) {
                const char *v = m->rows[r].values[fd->map_index];
                if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0 && *v)
                    return yj_error_set(err, YJ_EX_CONFIG,
                                        "%s line %d: item '%s' field '%s': map '%s' line %d: "
                                        "column '%s' must be true or false",
                                        it->path, lineno, im->element, fd->element, fd->map_file,
                                        m->rows[r].line, fd->map_column);
            }
    }
    return YJ_OK;
}

int
items_load(struct items *it, const char *bundle_dir, struct yj_error *err)
{
    FILE *f;
    char line[1024];
    char *tok[MAX_TOKENS];
    int lineno = 0, rc = YJ_OK, n, got;
    unsigned long long bytes;

    it->path = path_join(bundle_dir, ITEMS_FILE);
    f = fopen(it->path, "r");
    if (!f)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not open item descriptions '%s'", it->path);
    while ((got = textline_read(f, line, sizeof(line), lineno + 1, 0)) != TEXTLINE_EOF) {
        int indented;

        lineno++;
        if (got == TEXTLINE_ERROR) {
            rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", it->path);
            goto done;
        }
        if (got != TEXTLINE_OK) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s", it->path, lineno,
                              textline_problem(got));
            if (textline_hint(got))
                yj_error_hint(err, "%s", textline_hint(got));
            goto done;
        }
        indented = line[0] == ' ' || line[0] == '\t';
        n = tokenize(line, tok, MAX_TOKENS);
        if (n < 0) {
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s line %d: too many words", it->path, lineno);
            goto done;
        }
        if (n == 0)
            continue;
        if (!indented && strcmp(tok[0], "item") == 0)
            rc = parse_item(it, tok, n, lineno, err);
        else if (indented && (it->nitems > 0 || it->in_envelope))
            rc = parse_field(it, bundle_dir, tok, n, lineno, err);
        else
            rc = yj_error_set(err, YJ_EX_CONFIG,
                              "%s line %d: expected an 'item' line or an indented field line",
                              it->path, lineno);
        if (rc != YJ_OK)
            goto done;
    }
    if (it->person < 0) {
        rc =
            yj_error_set(err, YJ_EX_CONFIG,
                         "%s: no person item (item ... staged=person parent=child once)", it->path);
        goto done;
    }
    if (!it->envelope.element) {
        rc = yj_error_set(err, YJ_EX_CONFIG,
                          "%s: no envelope item (item envelope parent=return once)", it->path);
        goto done;
    }
    /* fields point at maps only now: the maps array moved while it grew */
    for (int i = 0; i < it->nitems; i++)
        for (int f2 = 0; f2 < it->items[i].nfields; f2++) {
            struct item_field *fd = &it->items[i].fields[f2];
            if (fd->map_file)
                for (int m = 0; m < it->nmaps; m++)
                    if (strcmp(it->maps[m].name, fd->map_file) == 0)
                        fd->map = &it->maps[m];
        }
    if (sha256_file(it->path, it->sha256, &bytes) != 0)
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", it->path);
done:
    fclose(f);
    return rc;
}

static void
add_column(const char **seen, int *n, const struct item_ref *r,
           void (*fn)(const char *column, void *arg), void *arg)
{
    if (!r->column)
        return;
    for (int i = 0; i < *n; i++)
        if (strcmp(seen[i], r->column) == 0)
            return;
    seen[(*n)++] = r->column;
    fn(r->column, arg);
}

void
items_columns(const struct items *it, const char *staged, void (*fn)(const char *column, void *arg),
              void *arg)
{
    const char **seen;
    int n = 0, cap = 1;

    for (int i = 0; i < it->nitems; i++)
        cap += 3 + it->items[i].nfields * (ITEMS_MAX_ARGS + 1);
    seen = xcalloc((size_t)cap, sizeof(char *));
    {
        struct item_ref child = {.column = "child_id"};
        add_column(seen, &n, &child, fn, arg);
    }
    for (int i = 0; i < it->nitems; i++) {
        const struct item *im = &it->items[i];
        int mine = strcmp(im->staged, staged) == 0;
        for (int f = 0; f < im->nfields; f++) {
            const struct item_field *fd = &im->fields[f];
            for (int a = 0; a < fd->nargs; a++)
                if (fd->args[a].person ? strcmp(staged, "person") == 0 : mine)
                    add_column(seen, &n, &fd->args[a], fn, arg);
            if (mine)
                add_column(seen, &n, &fd->when, fn, arg);
        }
        if (mine) {
            add_column(seen, &n, &im->id, fn, arg);
            add_column(seen, &n, &im->join, fn, arg);
            add_column(seen, &n, &im->when, fn, arg);
        }
    }
    free(seen);
}

const char *
items_envelope_field(const struct items *it, enum item_fn fn)
{
    for (int f = 0; f < it->envelope.nfields; f++)
        if (it->envelope.fields[f].fn == fn)
            return it->envelope.fields[f].element;
    return NULL;
}

int
items_uses_entity(const struct items *it, const char *staged)
{
    for (int i = 0; i < it->nitems; i++)
        if (strcmp(it->items[i].staged, staged) == 0)
            return 1;
    return 0;
}
