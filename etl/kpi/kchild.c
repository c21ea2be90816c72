/*
 * kchild.c - fills the fields the KPIs use from the events of one <child> element (see
 * kchild.h).
 *
 * Element names are the bundle's kpi/fields.conf (checked against items.conf when the rules
 * load), passed in by key and interned in each document's dictionary, so an element is told by
 * one pointer comparison. An item is a child's element (depth 2), its fields and an offence's
 * outcomes are the item's elements (depth 3), an outcome's fields are at depth 4; everything
 * else is skipped whole by the walk. A field the element lacks stays absent, so a return that
 * failed validation is still read and its gaps reach the worklist. As with the tree this
 * replaced: a field's text is the character data directly inside its first element of that
 * name, a child's last person element gives its ypid and date of birth, and records keep their
 * position among the item's elements.
 */
#include "kchild.h"

#include "kconf_read.h"
#include "period.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* The lists of a child, for kr->cap. */
enum {
    L_OFFENCE,
    L_OUTCOME,
    L_PROGRAMME,
    L_RESIDENCE,
    L_ETE,
    L_CARE,
    L_SEND,
    L_MH,
    L_SM,
    L_VICTIM,
    L_OFFENCE_PROGRAMME,
    L_OFFENCE_VICTIM,
    L_N
};

/* The items of a child, in the order a name given to two of them is taken. */
static const int items[] = {
    KF_PERSON, KF_OFFENCE, KF_PROGRAMME, KF_RESIDENCE,         KF_ETE,           KF_CARE, KF_SEND,
    KF_MH,     KF_SM,      KF_VICTIM,    KF_OFFENCE_PROGRAMME, KF_OFFENCE_VICTIM};

static long
date_of(const char *s)
{
    long d;
    if (!s || date_parse(s, &d) != 0)
        return DATE_NONE;
    return d;
}

static int
int_of(const char *s)
{
    char *end;
    long v;
    if (!s || !*s)
        return -1;
    v = strtol(s, &end, 10);
    if (*end || v < 0 || v > 1000000)
        return -1;
    return (int)v;
}

void
kchild_reader_init(struct kchild_reader *kr, const char *const *fields, struct arena *a)
{
    memset(kr, 0, sizeof(*kr));
    kr->fields = fields;
    kr->a = a;
    kr->item = -1;
    for (int f = 0; f < KF_N; f++) /* an item's fields follow its key */
        kr->fields_end[kconf_field_item(f)] = (unsigned char)(f + 1);
}

void
kchild_reader_prepare(struct kchild_reader *kr, struct cld_reader *r)
{
    for (int f = 0; f < KF_N; f++)
        kr->names[f] = cld_reader_intern(r, kr->fields[f]);
}

/* LIST (N records, list L) with room for one more: in a block of the arena twice the size when
 * it is full, the records copied. */
static void *
room(struct kchild_reader *kr, void *list, int n, int l, size_t size)
{
    void *bigger;

    if (n < kr->cap[l])
        return list;
    kr->cap[l] = kr->cap[l] ? kr->cap[l] * 2 : 4;
    bigger = arena_alloc(kr->a, size * (size_t)kr->cap[l]);
    if (n)
        memcpy(bigger, list, size * (size_t)n);
    return bigger;
}

/* The next record of LIST (N records, list L), appended zeroed; N counts it. */
#define APPEND(kr, list, n, l)                                                                     \
    ((list) = room((kr), (list), (n), (l), sizeof(*(list))),                                       \
     memset(&(list)[(n)], 0, sizeof(*(list))), &(list)[(n)++])

void
kchild_reader_begin(struct kchild_reader *kr)
{
    memset(&kr->c, 0, sizeof(kr->c));
    memset(kr->cap, 0, sizeof(kr->cap));
    kr->c.dob = DATE_NONE;
    kr->item = -1;
    kr->in_outcome = 0;
}

const struct kchild *
kchild_reader_child(const struct kchild_reader *kr)
{
    return &kr->c;
}

static void
record_init(struct krecord *r, int pos)
{
    r->pos = pos;
    r->start = r->end = DATE_NONE;
    r->hours_offered = r->hours_attended = -1;
}

/* A new record of ITEM at the end of its list. */
static void
open_record(struct kchild_reader *kr, int item)
{
    struct kchild *c = &kr->c;
    struct krecord *r;
    struct kvictim *v;

    switch (item) {
    case KF_PERSON: /* the last person element gives them */
        c->ypid = NULL;
        c->dob = DATE_NONE;
        c->ethnicity = NULL;
        break;
    case KF_OFFENCE: {
        struct koffence *o = APPEND(kr, c->offences, c->noffences, L_OFFENCE);
        o->score = o->age_arrest = o->age_offence = o->age_first_hearing = -1;
        o->date = DATE_NONE;
        kr->cap[L_OUTCOME] = 0;
        break;
    }
    case KF_PROGRAMME: {
        struct kprogramme *p = APPEND(kr, c->programmes, c->nprogrammes, L_PROGRAMME);
        p->pos = c->nprogrammes;
        p->start = p->end = DATE_NONE;
        p->completed = -1;
        break;
    }
    case KF_RESIDENCE:
        r = APPEND(kr, c->residences, c->nresidences, L_RESIDENCE);
        record_init(r, c->nresidences);
        break;
    case KF_ETE:
        r = APPEND(kr, c->etes, c->netes, L_ETE);
        record_init(r, c->netes);
        break;
    case KF_CARE:
        r = APPEND(kr, c->cares, c->ncares, L_CARE);
        record_init(r, c->ncares);
        break;
    case KF_SEND:
        r = APPEND(kr, c->sends, c->nsends, L_SEND);
        record_init(r, c->nsends);
        break;
    case KF_MH:
    case KF_SM: {
        struct kscreen *s =
            item == KF_MH ? APPEND(kr, c->mhs, c->nmhs, L_MH) : APPEND(kr, c->sms, c->nsms, L_SM);
        s->pos = item == KF_MH ? c->nmhs : c->nsms;
        s->screened = s->offered = s->att_start = s->att_end = DATE_NONE;
        break;
    }
    case KF_VICTIM:
        v = APPEND(kr, c->victims, c->nvictims, L_VICTIM);
        v->pos = c->nvictims;
        break;
    case KF_OFFENCE_PROGRAMME:
        APPEND(kr, c->offence_programme, c->noffence_programme, L_OFFENCE_PROGRAMME);
        break;
    case KF_OFFENCE_VICTIM:
        APPEND(kr, c->offence_victim, c->noffence_victim, L_OFFENCE_VICTIM);
        break;
    }
}

static void
open_outcome(struct kchild_reader *kr)
{
    struct koffence *o = &kr->c.offences[kr->c.noffences - 1];
    struct koutcome *oc = APPEND(kr, o->outcomes, o->noutcomes, L_OUTCOME);

    oc->pos = o->noutcomes;
    oc->date = oc->end_date = DATE_NONE;
    kr->in_outcome = 1;
}

/* The keys of ITEM's fields named NAME not read yet in the open record, into KEYS; how many. */
static int
fields_named(struct kchild_reader *kr, int item, const xmlChar *name, int *keys)
{
    int n = 0;

    for (int f = item + 1; f < kr->fields_end[item]; f++)
        if (kr->names[f] == name && !kr->seen[f])
            keys[n++] = f;
    return n;
}

static void
reset_seen(struct kchild_reader *kr, int item)
{
    memset(kr->seen + item + 1, 0, (size_t)(kr->fields_end[item] - item - 1));
}

int
kchild_reader_open(struct kchild_reader *kr, int depth, const xmlChar *name)
{
    int keys[KF_N];

    if (depth == 2) {
        for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
            if (kr->names[items[i]] == name) {
                kr->item = items[i];
                reset_seen(kr, kr->item);
                open_record(kr, kr->item);
                return CLD_WALK_ELEMENTS;
            }
        return CLD_WALK_SKIP;
    }
    if (depth == 3 && kr->item == KF_OFFENCE && name == kr->names[KF_OUTCOME]) {
        reset_seen(kr, KF_OUTCOME);
        open_outcome(kr);
        return CLD_WALK_ELEMENTS;
    }
    if (depth == 3 && kr->item >= 0)
        return fields_named(kr, kr->item, name, keys) ? CLD_WALK_TEXT : CLD_WALK_SKIP;
    if (depth == 4 && kr->in_outcome)
        return fields_named(kr, KF_OUTCOME, name, keys) ? CLD_WALK_TEXT : CLD_WALK_SKIP;
    return CLD_WALK_SKIP;
}

#define S (arena_strndup(kr->a, text, len))

/* Field F of the open offence, or of its open outcome, is TEXT (LEN bytes). */
static void
set_offence(struct kchild_reader *kr, struct koffence *o, int f, const char *text, size_t len)
{
    struct koutcome *oc = o->noutcomes ? &o->outcomes[o->noutcomes - 1] : NULL;

    switch (f) {
    case KF_OFFENCE_ID:
        o->id = S;
        break;
    case KF_OFFENCE_CATEGORY:
        o->category = S;
        break;
    case KF_OFFENCE_SCORE:
        o->score = int_of(text);
        break;
    case KF_OFFENCE_AGE_ARREST:
        o->age_arrest = int_of(text);
        break;
    case KF_OFFENCE_AGE_OFFENCE:
        o->age_offence = int_of(text);
        break;
    case KF_OFFENCE_AGE_FIRST_HEARING:
        o->age_first_hearing = int_of(text);
        break;
    case KF_OFFENCE_DATE:
        o->date = date_of(text);
        break;
    case KF_OUTCOME_DATE:
        oc->date = date_of(text);
        break;
    case KF_OUTCOME_END_DATE:
        oc->end_date = date_of(text);
        break;
    case KF_OUTCOME_APPEAL:
        oc->appeal = S;
        break;
    case KF_OUTCOME_LEGAL:
        oc->legal = S;
        break;
    case KF_OUTCOME_RESIDENCE:
        oc->residence = S;
        break;
    }
}

static void
set_programme(struct kchild_reader *kr, struct kprogramme *p, int f, const char *text, size_t len)
{
    switch (f) {
    case KF_PROGRAMME_ID:
        p->id = S;
        break;
    case KF_PROGRAMME_START:
        p->start = date_of(text);
        break;
    case KF_PROGRAMME_END:
        p->end = date_of(text);
        break;
    case KF_PROGRAMME_DISPOSAL:
        p->disposal = S;
        break;
    case KF_PROGRAMME_COMPLETED:
        p->completed = strcmp(text, "true") == 0 || strcmp(text, "1") == 0;
        break;
    }
}

/* A dated record (residence, eteStatus, careStatus, sendAln): its start, end, code,
 * suitability (SEND: formal plan) and, for eteStatus, hours. */
static void
set_record(struct kchild_reader *kr, struct krecord *r, int f, const char *text, size_t len)
{
    switch (f) {
    case KF_RESIDENCE_START:
    case KF_ETE_START:
    case KF_CARE_START:
    case KF_SEND_START:
        r->start = date_of(text);
        break;
    case KF_RESIDENCE_END:
    case KF_ETE_END:
    case KF_CARE_END:
    case KF_SEND_END:
        r->end = date_of(text);
        break;
    case KF_RESIDENCE_TYPE:
    case KF_ETE_PROVISION:
    case KF_CARE_STATUS:
    case KF_SEND_IDENTIFIED:
        r->code = S;
        break;
    case KF_RESIDENCE_SUITABILITY:
    case KF_ETE_SUITABILITY:
    case KF_SEND_PLAN:
        r->suit = S;
        break;
    case KF_ETE_HOURS_OFFERED:
        r->hours_offered = int_of(text);
        break;
    case KF_ETE_HOURS_ATTENDED:
        r->hours_attended = int_of(text);
        break;
    }
}

/* A mental health (KPI 4) or substance misuse (KPI 5) screening: the same fields. */
static void
set_screen(struct kchild_reader *kr, struct kscreen *sc, int f, const char *text, size_t len)
{
    switch (f) {
    case KF_MH_SCREENED:
    case KF_SM_SCREENED:
        sc->screened = date_of(text);
        break;
    case KF_MH_OFFERED:
    case KF_SM_OFFERED:
        sc->offered = date_of(text);
        break;
    case KF_MH_ATTENDED_START:
    case KF_SM_ATTENDED_START:
        sc->att_start = date_of(text);
        break;
    case KF_MH_ATTENDED_END:
    case KF_SM_ATTENDED_END:
        sc->att_end = date_of(text);
        break;
    case KF_MH_TYPE:
    case KF_SM_TYPE:
        sc->type = S;
        break;
    }
}

static void
set_victim(struct kchild_reader *kr, struct kvictim *v, int f, const char *text, size_t len)
{
    switch (f) {
    case KF_VICTIM_ID:
        v->id = S;
        break;
    case KF_VICTIM_VICTIM_ID:
        v->victim_id = S;
        break;
    case KF_VICTIM_CONSENT:
        v->consent = S;
        break;
    case KF_VICTIM_VIEW_PRIOR:
        v->view_prior = S;
        break;
    case KF_VICTIM_ENGAGED_RJ:
        v->engaged_rj = S;
        break;
    case KF_VICTIM_PROGRESS_REQUEST:
        v->progress_request = S;
        break;
    case KF_VICTIM_PROGRESS_PROVIDED:
        v->progress_provided = S;
        break;
    case KF_VICTIM_SUPPORT_REQUEST:
        v->support_request = S;
        break;
    case KF_VICTIM_SUPPORT_PROVIDED:
        v->support_provided = S;
        break;
    }
}

/* Field F of the open record of ITEM is TEXT (LEN bytes). */
static void
set_field(struct kchild_reader *kr, int item, int f, const char *text, size_t len)
{
    struct kchild *c = &kr->c;
    struct klink *l;

#define LAST(list, n) (&c->list[c->n - 1])
    switch (item) {
    case KF_PERSON:
        if (f == KF_PERSON_YPID)
            c->ypid = S;
        else if (f == KF_PERSON_ETHNICITY)
            c->ethnicity = S;
        else
            c->dob = date_of(text);
        break;
    case KF_OFFENCE:
    case KF_OUTCOME:
        set_offence(kr, LAST(offences, noffences), f, text, len);
        break;
    case KF_PROGRAMME:
        set_programme(kr, LAST(programmes, nprogrammes), f, text, len);
        break;
    case KF_RESIDENCE:
        set_record(kr, LAST(residences, nresidences), f, text, len);
        break;
    case KF_ETE:
        set_record(kr, LAST(etes, netes), f, text, len);
        break;
    case KF_CARE:
        set_record(kr, LAST(cares, ncares), f, text, len);
        break;
    case KF_SEND:
        set_record(kr, LAST(sends, nsends), f, text, len);
        break;
    case KF_MH:
        set_screen(kr, LAST(mhs, nmhs), f, text, len);
        break;
    case KF_SM:
        set_screen(kr, LAST(sms, nsms), f, text, len);
        break;
    case KF_VICTIM:
        set_victim(kr, LAST(victims, nvictims), f, text, len);
        break;
    case KF_OFFENCE_PROGRAMME:
    case KF_OFFENCE_VICTIM:
        l = item == KF_OFFENCE_PROGRAMME ? LAST(offence_programme, noffence_programme)
                                         : LAST(offence_victim, noffence_victim);
        if (f == KF_OFFENCE_PROGRAMME_OFFENCE || f == KF_OFFENCE_VICTIM_OFFENCE)
            l->a = S;
        else
            l->b = S;
        break;
    }
#undef LAST
}

#undef S

void
kchild_reader_close(struct kchild_reader *kr, int depth, const xmlChar *name, const char *text,
                    size_t len)
{
    int keys[KF_N], item = depth == 4 ? KF_OUTCOME : kr->item;

    if (depth == 2) {
        kr->item = -1;
        return;
    }
    if (!text) { /* an outcome ends */
        if (depth == 3)
            kr->in_outcome = 0;
        return;
    }
    if (item < 0)
        return;
    for (int i = 0, n = fields_named(kr, item, name, keys); i < n; i++) {
        kr->seen[keys[i]] = 1;
        set_field(kr, item, keys[i], text, len);
    }
}
