/*
 * rules_names.c - the element-name index of the business rules: which item or field an element
 * is, found by one hash lookup instead of a walk over every item and field (a strcmp each) at
 * each element's start and end. An open-addressing table built once by rules_load(), at most
 * half full, keyed by (owner, name) with FNV-1a over the name; the names are borrowed from the
 * item descriptions, which outlive the rules. Running the rules is rules.c.
 */
#include "rules.h"

#include "mem.h"

#include <stdint.h>
#include <string.h>

#include "banned.h"

static size_t
name_hash(int owner, const char *name)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)(unsigned)(owner + 3);

    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

/* The slot of (owner, name): its entry, or the free slot where it would go. */
static struct rules_name *
name_slot(const struct rules *rs, int owner, const char *name)
{
    size_t i = name_hash(owner, name) & rs->names_mask;

    for (; rs->names[i].name; i = (i + 1) & rs->names_mask)
        if (rs->names[i].owner == owner && strcmp(rs->names[i].name, name) == 0)
            break;
    return &rs->names[i];
}

/* The first item or field of a name wins, as a walk in items.conf order would find it. */
static void
name_add(struct rules *rs, int owner, const char *name, int item, int field)
{
    struct rules_name *e = name_slot(rs, owner, name);

    if (!e->name) {
        e->name = name;
        e->owner = owner;
        e->item = e->field = -1;
    }
    if (item >= 0 && e->item < 0)
        e->item = item;
    if (field >= 0 && e->field < 0)
        e->field = field;
}

void
rules_names_build(struct rules *rs)
{
    const struct items *it = rs->it;
    size_t n = (size_t)it->envelope.nfields + 1, slots = 16;

    for (int i = 0; i < it->nitems; i++)
        n += (size_t)it->items[i].nfields + 1;
    while (slots < 2 * n)
        slots *= 2;
    rs->names = xcalloc(slots, sizeof(*rs->names));
    rs->names_mask = slots - 1;
    for (int i = 0; i < it->nitems; i++) {
        name_add(rs, it->items[i].parent_idx, it->items[i].element, i, -1);
        for (int f = 0; f < it->items[i].nfields; f++)
            name_add(rs, i, it->items[i].fields[f].element, -1, f);
    }
    for (int k = 0; k < it->envelope.nfields; k++)
        name_add(rs, RULES_ENVELOPE, it->envelope.fields[k].element, -1, k);
}

const struct rules_name *
rules_names_find(const struct rules *rs, int owner, const char *name)
{
    const struct rules_name *e = name_slot(rs, owner, name);

    return e->name ? e : NULL;
}
