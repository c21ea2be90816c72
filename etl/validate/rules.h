/*
 * rules.h - the business rules of a schema bundle (rules.conf), run on a streaming parse.
 *
 * A rule is data: id, severity (error or query), the item and field it checks (items.conf
 * names), a check from a small fixed vocabulary and a message. yj-validate feeds element
 * starts and ends to rules_start()/rules_end(); the rules keep one child's values (in an
 * arena reset per child) and the ypids of the whole return (a table of 64-bit hashes, 16 bytes
 * a child at most), so memory stays flat however many children the return holds. Every
 * finding names the rule, the child (warehouse id when known, and ypid), the item with its id
 * or position, and the field.
 */
#ifndef YJ_RULES_H
#define YJ_RULES_H

#include "error.h"
#include "items.h"
#include "mem.h"

#include <stdint.h>

#define RULES_FILE "rules.conf"
#define RULES_ENVELOPE (-2) /* a reference to the envelope, not to an item */
#define RULES_ENV_VALUE 64  /* an envelope value kept for the rules, cut to this */

enum rule_check {
    CHK_PRESENT,
    CHK_AGE_BETWEEN,
    CHK_AGE_AT_END,
    CHK_NOT_BEFORE,
    CHK_NOT_AFTER,
    CHK_NOT_MORE,
    CHK_NOT_ONE_OF,
    CHK_REFERS_TO,
    CHK_UNIQUE_CHILD,
    CHK_UNIQUE_RETURN,
};

struct rule {
    char *id;  /* "R010" */
    int query; /* 0: error, 1: query */
    int item, field;
    enum rule_check check;
    long min, max;
    int other_item, other_field; /* not_before, not_after, not_more_than, refers_to */
    char *other_name;            /* the envelope field for RULES_ENVELOPE (other_field its index) */
    char **codes;                /* not_one_of */
    int ncodes;
    char *message;
    int line;
    unsigned long found;     /* findings in this return */
    unsigned long explained; /* of which explained by a justification */
};

/* One finding, for the caller to report: `where` names child, item, id and field. */
typedef void (*rules_emit_fn)(void *ctx, int line, struct rule *rule, const char *where);

struct rules_frame;
struct rules_list;

/* One slot of the element-name index: under OWNER (an item's index, -1 directly under <child>,
 * RULES_ENVELOPE in the envelope), the element NAME is the item ITEM and/or the field FIELD of
 * OWNER (-1 when not). NAME is borrowed from the item descriptions; NULL marks a free slot. */
struct rules_name {
    const char *name;
    int owner;
    int item, field;
};

struct rules {
    char *path;
    char sha256[65];
    struct rule *r;
    int n;
    const struct items *it; /* borrowed */
    int *id_field;          /* per item: the field that holds its id, or -1 */
    int *by_item;           /* rule indexes run at each item's end: by_item_start[i] .. [i+1] */
    int *by_item_start;
    struct rules_name *names; /* element names -> item or field, by parent (rules_load) */
    size_t names_mask;        /* its slots - 1 (a power of two) */
    int dob_field;            /* person.dateOfBirth */
    int ypid_field;           /* person.ypid */
    rules_emit_fn emit;
    void *ctx;
    /* the current child */
    struct arena arena;
    struct rules_frame *frames;
    int nframes;
    char **person; /* person values once the person item has ended */
    char *wid;     /* warehouse id of the child, or NULL */
    char *staged_ypid;
    unsigned long *top_count;     /* per item: how many so far directly under <child> */
    struct rules_list *lists;     /* per rule: refers_to targets and pending links, unique values */
    char (*env)[RULES_ENV_VALUE]; /* per envelope field (items.conf): its text, "" if none */
    int env_end;                  /* the envelope field of period_end(), or -1 */
    int in_envelope;
    struct rules_frame *ended; /* the item whose end was the last event, until the next start */
    int field_line;
    /* the ypids of the whole return */
    uint64_t *seen;
    size_t seen_cap, seen_n;
};

void rules_init(struct rules *rs);
/* Loads BUNDLE_DIR/rules.conf against the bundle's item descriptions. */
int rules_load(struct rules *rs, const char *bundle_dir, const struct items *it,
               struct yj_error *err);
/* A new <child>: its warehouse id and ypid from the staged person file, or NULLs. */
void rules_child(struct rules *rs, const char *wid, const char *staged_ypid);
/* An element starts or ends; depth 0 is the root, 1 a <child>, 2 an item under it. `text` is
 * the element's text (leaf elements). */
void rules_start(struct rules *rs, const char *name, int depth, int line);
void rules_end(struct rules *rs, const char *name, int depth, const char *text, int line);
/* Where the element NAME at DEPTH (1 a <child>, 2 an item or element under it) is, named as rule
 * findings name it: "child 17 ypid YP1 offence 71 field plea" ("element X" for an element that
 * is neither an item nor a field of the item around it). WITH_YPID 0 leaves the ypid out, for
 * logs. Empty ("") for the root and the envelope. Call it while the element is the last one
 * started or ended: the schema validator's findings come then. */
void rules_where_element(const struct rules *rs, int depth, const char *name, int with_ypid,
                         char *buf, size_t size);
void rules_release(struct rules *rs);

/* Whether a unique_in_return rule checks person.ypid: the ypids of the children before a part
 * (a return in parts) then go into the table it checks against, through rules_seen_ypid(). */
int rules_unique_ypid(const struct rules *rs);
/* YPID (or NULL: nothing) as the ypid of a child before this document (ctx: the struct rules),
 * so that a child of the document with the same ypid breaks unique_in_return. */
void rules_seen_ypid(void *ctx, const char *ypid);

/* rules_names.c: builds rs->names from rs->it (rules_load calls it), and finds NAME under
 * OWNER (an item, -1 directly under <child>, RULES_ENVELOPE): its entry, or NULL. */
void rules_names_build(struct rules *rs);
const struct rules_name *rules_names_find(const struct rules *rs, int owner, const char *name);

#endif
