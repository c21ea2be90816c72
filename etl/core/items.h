/*
 * items.h - the description of every item of the return, loaded from the schema bundle.
 *
 * A bundle's items.conf says, once, what the return holds: each item (an XML element
 * repeated per staged row), the staged file and column it comes from, where it sits (under
 * <child> or under another item, joined on a column), and each field: element name, kind
 * (text, date, int, bool, code), source (a staged column or a named function such as
 * age(person.date_of_birth, offence_date)), code map, and whether the XSD requires it.
 * yj-extract checks its queries' columns against it, yj-transform writes any item from it,
 * and items_check_xsd() proves the bundle's XSD and code maps agree with it. Adding an item
 * is a description and a query, not C code.
 *
 * The envelope, the header of each document before its children, is described there too, as
 * an item under the return whose fields take the run's values (return_id(), period_end(),
 * document_count(), ...): yj-transform writes it from the description and yj-validate finds
 * its fields by their source, not by name.
 *
 * Everything here is owned by struct items and freed by items_release().
 */
#ifndef YJ_ITEMS_H
#define YJ_ITEMS_H

#include "codemap.h"
#include "error.h"

#define ITEMS_FILE "items.conf"
#define ITEMS_MAX_ARGS 3

enum item_kind { KIND_TEXT, KIND_DATE, KIND_INT, KIND_BOOL, KIND_CODE };

/* The named functions a derived field may use. An item's field reads a staged row; an
 * envelope field has no row and takes one of the run's values (FN_RETURN_ID and after). */
enum item_fn {
    FN_NONE,           /* the value of a staged column */
    FN_AGE,            /* age(DOB, DATE): whole years on DATE */
    FN_YEARS,          /* add_years(DATE, N) */
    FN_SCHOOL,         /* school_age(DOB, DATE): statutory school age on DATE (school_age.conf) */
    FN_SERVICE,        /* service_code(): [service] yot_ou_code of the configuration (both) */
    FN_RETURN_ID,      /* return_id(): <yot>-<period>-<as-of moment> */
    FN_PERIOD_START,   /* period_start(): the period's first day */
    FN_PERIOD_END,     /* period_end(): the period's last day */
    FN_SIGN_OFF,       /* sign_off_date(): --sign-off, or nothing */
    FN_CMS_SYSTEM,     /* cms_system(): [service] cms_system, or the reference warehouse */
    FN_STAGED_VERSION, /* staged_version(): the yjreturns version that read the warehouse */
    FN_SCHEMA_VERSION, /* schema_version(): the bundle's schema version */
    FN_YJRETURNS_VERSION, /* yjreturns_version(): "yjreturns <version>" of the writer */
    FN_DOCUMENT_COUNT,    /* document_count(): the children of this document */
    FN_PART_NUMBER,       /* part_number(): which part, in a return split into parts */
    FN_PART_COUNT,        /* part_count(): of how many parts, in a split return */
};

/* A reference to a staged column: of the item's own row, or of the child's person row. */
struct item_ref {
    char *column;
    int person; /* 1: person.<column> */
    int index;  /* column index in the staged file, set by items_bind() */
};

struct item_field {
    char *element;
    enum item_kind kind;
    enum item_fn fn;
    struct item_ref args[ITEMS_MAX_ARGS]; /* fn's column arguments, or args[0] = the column */
    int nargs;
    long number;          /* add_years' N */
    int mandatory;        /* the XSD requires it (minOccurs 1) */
    char *map_file;       /* code map, or NULL */
    char *map_column;     /* column of the map ("yjb" unless given) */
    int map_index;        /* index into the map's values */
    struct codemap *map;  /* borrowed from struct items' maps */
    struct item_ref when; /* only written when this column is not NULL (when.column) */
    char *null_value;     /* written when the value is NULL (e.g. 1900-01-01), or NULL */
    int line;             /* line in items.conf, for messages */
};

struct item {
    char *element;        /* e.g. "offence" */
    char *staged;         /* staged entity, e.g. "offence" (file offence.tsv); NULL: envelope */
    char *parent;         /* "child", the element of another item, or "return" (envelope) */
    int parent_idx;       /* index of the parent item, -1 for "child" */
    struct item_ref id;   /* the row's own id column (may be unset: column NULL) */
    struct item_ref join; /* column holding the parent's id (nested items only) */
    struct item_ref when; /* only rows where this column is not NULL (when.column) */
    int once;             /* exactly one per child (person) */
    struct item_field *fields;
    int nfields;
    int line;
};

struct items {
    char *path; /* .../items.conf */
    char sha256[65];
    struct item *items; /* in document order: parents before their children */
    int nitems;
    struct codemap *maps; /* every map file named, loaded once */
    int nmaps;
    int person; /* index of the item whose staged entity is "person" */
    /* the envelope (item ... parent=return once): the document's header, before the children,
     * its fields all run values; not one of items[], which are read from staged rows */
    struct item envelope;
    int in_envelope; /* while loading: the field lines are the envelope's */
};

void items_init(struct items *it);
/* Loads BUNDLE_DIR/items.conf and every code map it names (from BUNDLE_DIR). */
int items_load(struct items *it, const char *bundle_dir, struct yj_error *err);
/* The staged columns an item's entity must have (items of one entity share the file).
 * Calls fn once per distinct column of the entity, in first-use order. */
void items_columns(const struct items *it, const char *staged,
                   void (*fn)(const char *column, void *arg), void *arg);
/* The element of the envelope field whose source is FN, or NULL when none is. */
const char *items_envelope_field(const struct items *it, enum item_fn fn);
/* 1 if some item reads this staged entity. */
int items_uses_entity(const struct items *it, const char *staged);
/* Checks the bundle's XSD declares every item and field in the same order, with a type
 * that fits each kind, and an enumeration holding every code of each code map. */
int items_check_xsd(const struct items *it, const char *xsd_path, struct yj_error *err);
const char *items_kind_name(enum item_kind k);
void items_release(struct items *it);

#endif
