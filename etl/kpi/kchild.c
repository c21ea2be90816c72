/*
 * kchild.c - reads the fields the KPIs use from one <child> element (see kchild.h).
 *
 * Element names are the bundle's kpi/fields.conf (checked against items.conf when the rules
 * load), passed in by key; a field the element lacks stays absent, so a return that failed
 * validation is still read and its gaps reach the worklist.
 */
#include "kchild.h"

#include "kconf.h"
#include "period.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

static int
is(const xmlNode *n, const char *name)
{
    const char *a = (const char *)n->name;
    return n->type == XML_ELEMENT_NODE && a[0] == name[0] && strcmp(a, name) == 0;
}

/* The element's text (in the arena when it is split over several nodes), or NULL when the
 * element is absent. */
static const char *
text(const xmlNode *n, struct arena *a)
{
    const xmlNode *t;
    size_t len = 0;
    char *out;

    if (!n)
        return NULL;
    t = n->children;
    if (!t)
        return "";
    if (!t->next && (t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE))
        return (const char *)t->content;
    for (t = n->children; t; t = t->next)
        if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content)
            len += strlen((const char *)t->content);
    out = arena_alloc(a, len + 1);
    len = 0;
    for (t = n->children; t; t = t->next)
        if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content) {
            size_t k = strlen((const char *)t->content);
            memcpy(out + len, t->content, k);
            len += k;
        }
    out[len] = '\0';
    return out;
}

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

/* The first child element of N named NAME. */
static const xmlNode *
field(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

#define F(n, name) text(field((n), (name)), a)

static int
count_named(const xmlNode *n, const char *name)
{
    int k = 0;
    for (const xmlNode *c = n->children; c; c = c->next)
        k += is(c, name);
    return k;
}

/* The element names of the fields, by key (struct kconf's fields, from kpi/fields.conf). */
#define E(key) (fl[KF_##key])

static void
read_offence(struct koffence *o, const xmlNode *n, const char *const *fl, struct arena *a)
{
    int k = 0;

    o->id = F(n, E(OFFENCE_ID));
    o->category = F(n, E(OFFENCE_CATEGORY));
    o->score = int_of(F(n, E(OFFENCE_SCORE)));
    o->age_arrest = int_of(F(n, E(OFFENCE_AGE_ARREST)));
    o->age_offence = int_of(F(n, E(OFFENCE_AGE_OFFENCE)));
    o->age_first_hearing = int_of(F(n, E(OFFENCE_AGE_FIRST_HEARING)));
    o->noutcomes = count_named(n, E(OUTCOME));
    o->outcomes = arena_alloc(a, sizeof(*o->outcomes) * (size_t)(o->noutcomes + 1));
    for (const xmlNode *c = n->children; c; c = c->next) {
        struct koutcome *oc;
        if (!is(c, E(OUTCOME)))
            continue;
        oc = &o->outcomes[k];
        oc->pos = ++k;
        oc->date = date_of(F(c, E(OUTCOME_DATE)));
        oc->appeal = F(c, E(OUTCOME_APPEAL));
        oc->legal = F(c, E(OUTCOME_LEGAL));
        oc->residence = F(c, E(OUTCOME_RESIDENCE));
    }
}

/* A dated record: the fields of keys START, END, CODE and SUIT (-1: none), and for eteStatus
 * the hours. */
static void
read_record(struct krecord *r, const xmlNode *n, const char *const *fl, int start, int end,
            int code, int suit, struct arena *a)
{
    r->start = date_of(F(n, fl[start]));
    r->end = date_of(F(n, fl[end]));
    r->code = F(n, fl[code]);
    r->suit = suit >= 0 ? F(n, fl[suit]) : NULL;
    r->hours_offered = code == KF_ETE_PROVISION ? int_of(F(n, E(ETE_HOURS_OFFERED))) : -1;
    r->hours_attended = code == KF_ETE_PROVISION ? int_of(F(n, E(ETE_HOURS_ATTENDED))) : -1;
}

/* A mental health (KPI 4) or substance misuse (KPI 5) screening: the same fields. */
static void
read_screen(struct kscreen *s, const xmlNode *n, const char *const *fl, int kpi, struct arena *a)
{
    int mh = kpi == 4;

    s->screened = date_of(F(n, mh ? E(MH_SCREENED) : E(SM_SCREENED)));
    s->offered = date_of(F(n, mh ? E(MH_OFFERED) : E(SM_OFFERED)));
    s->att_start = date_of(F(n, mh ? E(MH_ATTENDED_START) : E(SM_ATTENDED_START)));
    s->att_end = date_of(F(n, mh ? E(MH_ATTENDED_END) : E(SM_ATTENDED_END)));
    s->type = F(n, mh ? E(MH_TYPE) : E(SM_TYPE));
}

static void
read_programme(struct kprogramme *p, const xmlNode *n, const char *const *fl, struct arena *a)
{
    const char *done;

    p->id = F(n, E(PROGRAMME_ID));
    p->start = date_of(F(n, E(PROGRAMME_START)));
    p->end = date_of(F(n, E(PROGRAMME_END)));
    p->disposal = F(n, E(PROGRAMME_DISPOSAL));
    done = F(n, E(PROGRAMME_COMPLETED));
    p->completed = !done ? -1 : strcmp(done, "true") == 0 || strcmp(done, "1") == 0;
}

static void
read_victim(struct kvictim *v, const xmlNode *n, const char *const *fl, struct arena *a)
{
    v->id = F(n, E(VICTIM_ID));
    v->victim_id = F(n, E(VICTIM_VICTIM_ID));
    v->consent = F(n, E(VICTIM_CONSENT));
    v->view_prior = F(n, E(VICTIM_VIEW_PRIOR));
    v->engaged_rj = F(n, E(VICTIM_ENGAGED_RJ));
    v->progress_request = F(n, E(VICTIM_PROGRESS_REQUEST));
    v->progress_provided = F(n, E(VICTIM_PROGRESS_PROVIDED));
    v->support_request = F(n, E(VICTIM_SUPPORT_REQUEST));
    v->support_provided = F(n, E(VICTIM_SUPPORT_PROVIDED));
}

#define GROW(arr, n)                                                                               \
    do {                                                                                           \
        (arr) = arena_alloc(a, sizeof(*(arr)) * (size_t)((n) + 1));                                \
    } while (0)

/* Sizes C's arrays for the records of each item under NODE. */
static void
size_child(struct kchild *c, const xmlNode *node, const char *const *fl, struct arena *a)
{
    int no = 0, np = 0, nr = 0, ne = 0, nc = 0, ns = 0, nm = 0, nsm = 0, nv = 0, nop = 0, nov = 0;

    for (const xmlNode *n = node->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        no += is(n, E(OFFENCE));
        np += is(n, E(PROGRAMME));
        nr += is(n, E(RESIDENCE));
        ne += is(n, E(ETE));
        nc += is(n, E(CARE));
        ns += is(n, E(SEND));
        nm += is(n, E(MH));
        nsm += is(n, E(SM));
        nv += is(n, E(VICTIM));
        nop += is(n, E(OFFENCE_PROGRAMME));
        nov += is(n, E(OFFENCE_VICTIM));
    }
    GROW(c->offences, no);
    GROW(c->programmes, np);
    GROW(c->residences, nr);
    GROW(c->etes, ne);
    GROW(c->cares, nc);
    GROW(c->sends, ns);
    GROW(c->mhs, nm);
    GROW(c->sms, nsm);
    GROW(c->victims, nv);
    GROW(c->offence_programme, nop);
    GROW(c->offence_victim, nov);
}

/* The record of the list of N records at LIST, numbered from 1 in *N. */
#define NEXT(list, n) (&(list)[(n)++])

void
kchild_read(struct kchild *c, xmlNode *node, const char *const *fl, struct arena *a)
{
    memset(c, 0, sizeof(*c));
    c->dob = DATE_NONE;
    size_child(c, node, fl, a);
    for (const xmlNode *n = node->children; n; n = n->next) {
        struct krecord *r;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is(n, E(PERSON))) {
            c->ypid = F(n, E(PERSON_YPID));
            c->dob = date_of(F(n, E(PERSON_DOB)));
        } else if (is(n, E(OFFENCE))) {
            read_offence(NEXT(c->offences, c->noffences), n, fl, a);
        } else if (is(n, E(PROGRAMME))) {
            struct kprogramme *p = NEXT(c->programmes, c->nprogrammes);
            p->pos = c->nprogrammes;
            read_programme(p, n, fl, a);
        } else if (is(n, E(RESIDENCE))) {
            r = NEXT(c->residences, c->nresidences);
            r->pos = c->nresidences;
            read_record(r, n, fl, KF_RESIDENCE_START, KF_RESIDENCE_END, KF_RESIDENCE_TYPE,
                        KF_RESIDENCE_SUITABILITY, a);
        } else if (is(n, E(ETE))) {
            r = NEXT(c->etes, c->netes);
            r->pos = c->netes;
            read_record(r, n, fl, KF_ETE_START, KF_ETE_END, KF_ETE_PROVISION, KF_ETE_SUITABILITY,
                        a);
        } else if (is(n, E(CARE))) {
            r = NEXT(c->cares, c->ncares);
            r->pos = c->ncares;
            read_record(r, n, fl, KF_CARE_START, KF_CARE_END, KF_CARE_STATUS, -1, a);
        } else if (is(n, E(SEND))) {
            r = NEXT(c->sends, c->nsends);
            r->pos = c->nsends;
            read_record(r, n, fl, KF_SEND_START, KF_SEND_END, KF_SEND_IDENTIFIED, KF_SEND_PLAN, a);
        } else if (is(n, E(MH)) || is(n, E(SM))) {
            int mh = is(n, E(MH));
            struct kscreen *s = mh ? NEXT(c->mhs, c->nmhs) : NEXT(c->sms, c->nsms);
            s->pos = mh ? c->nmhs : c->nsms;
            read_screen(s, n, fl, mh ? 4 : 5, a);
        } else if (is(n, E(VICTIM))) {
            struct kvictim *v = NEXT(c->victims, c->nvictims);
            v->pos = c->nvictims;
            read_victim(v, n, fl, a);
        } else if (is(n, E(OFFENCE_PROGRAMME))) {
            struct klink *l = NEXT(c->offence_programme, c->noffence_programme);
            l->a = F(n, E(OFFENCE_PROGRAMME_OFFENCE));
            l->b = F(n, E(OFFENCE_PROGRAMME_PROGRAMME));
        } else if (is(n, E(OFFENCE_VICTIM))) {
            struct klink *l = NEXT(c->offence_victim, c->noffence_victim);
            l->a = F(n, E(OFFENCE_VICTIM_OFFENCE));
            l->b = F(n, E(OFFENCE_VICTIM_VICTIM));
        }
    }
}
