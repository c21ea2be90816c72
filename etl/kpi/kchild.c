/*
 * kchild.c - reads the fields the KPIs use from one <child> element (see kchild.h).
 *
 * Element names are the return's (items.conf); a field the element lacks stays absent, so a
 * return that failed validation is still read and its gaps reach the worklist.
 */
#include "kchild.h"

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

static void
read_offence(struct koffence *o, const xmlNode *n, struct arena *a)
{
    int k = 0;

    o->id = F(n, "offenceId");
    o->category = F(n, "yjbOffenceCategory");
    o->score = int_of(F(n, "yjbSeriousnessScore"));
    o->age_arrest = int_of(F(n, "ageOnArrestDate"));
    o->age_offence = int_of(F(n, "ageOnOffenceDate"));
    o->age_first_hearing = int_of(F(n, "ageOnFirstHearing"));
    o->noutcomes = count_named(n, "offenceLegalOutcome");
    o->outcomes = arena_alloc(a, sizeof(*o->outcomes) * (size_t)(o->noutcomes + 1));
    for (const xmlNode *c = n->children; c; c = c->next) {
        struct koutcome *oc;
        if (!is(c, "offenceLegalOutcome"))
            continue;
        oc = &o->outcomes[k];
        oc->pos = ++k;
        oc->date = date_of(F(c, "outcomeDate"));
        oc->end = date_of(F(c, "outcomeEndDate"));
        oc->appeal = F(c, "outcomeAppealStatus");
        oc->legal = F(c, "legalOutcome");
        oc->residence = F(c, "residenceOnLegalOutcomeDate");
    }
}

static void
read_record(struct krecord *r, const xmlNode *n, const char *start, const char *end,
            const char *code, const char *suit, struct arena *a)
{
    r->start = date_of(F(n, start));
    r->end = date_of(F(n, end));
    r->code = F(n, code);
    r->suit = suit ? F(n, suit) : NULL;
    r->hours_offered = int_of(F(n, "hoursOffered"));
    r->hours_attended = int_of(F(n, "hoursAttended"));
}

/* The field names of a mental health (KPI 4) or substance misuse (KPI 5) screening. */
static const char *const screen_fields[2][5] = {
    {"kpi4DateScreened", "kpi4DateOffered", "kpi4DateAttendedStart", "kpi4DateAttendedEnd",
     "kpi4InterventionType"},
    {"kpi5DateScreened", "kpi5DateOffered", "kpi5DateAttendedStart", "kpi5DateAttendedEnd",
     "kpi5InterventionType"},
};

static void
read_screen(struct kscreen *s, const xmlNode *n, int kpi, struct arena *a)
{
    const char *const *f = screen_fields[kpi == 4 ? 0 : 1];

    s->screened = date_of(F(n, f[0]));
    s->offered = date_of(F(n, f[1]));
    s->att_start = date_of(F(n, f[2]));
    s->att_end = date_of(F(n, f[3]));
    s->type = F(n, f[4]);
}

#define GROW(arr, n)                                                                               \
    do {                                                                                           \
        (arr) = arena_alloc(a, sizeof(*(arr)) * (size_t)((n) + 1));                                \
    } while (0)

void
kchild_read(struct kchild *c, xmlNode *node, struct arena *a)
{
    int no = 0, np = 0, nr = 0, ne = 0, nc = 0, ns = 0, nm = 0, nsm = 0, nv = 0, nop = 0, nov = 0;

    memset(c, 0, sizeof(*c));
    c->dob = DATE_NONE;
    for (const xmlNode *n = node->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        no += is(n, "offence");
        np += is(n, "interventionProgramme");
        nr += is(n, "residence");
        ne += is(n, "eteStatus");
        nc += is(n, "careStatus");
        ns += is(n, "sendAln");
        nm += is(n, "mentalHealth");
        nsm += is(n, "substanceMisuse");
        nv += is(n, "victimIntervention");
        nop += is(n, "offenceProgrammeLink");
        nov += is(n, "offenceVictimLink");
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
    for (const xmlNode *n = node->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is(n, "person")) {
            c->ypid = F(n, "ypid");
            c->dob = date_of(F(n, "dateOfBirth"));
            c->sex = F(n, "sex");
            c->ethnicity = F(n, "ethnicity");
        } else if (is(n, "offence")) {
            read_offence(&c->offences[c->noffences++], n, a);
        } else if (is(n, "interventionProgramme")) {
            struct kprogramme *p = &c->programmes[c->nprogrammes];
            const char *done;
            p->pos = ++c->nprogrammes;
            p->id = F(n, "interventionProgrammeId");
            p->start = date_of(F(n, "startDate"));
            p->end = date_of(F(n, "endDate"));
            p->disposal = F(n, "disposalType");
            done = F(n, "kpi6SuccessfullyCompleted");
            p->completed = !done ? -1 : strcmp(done, "true") == 0 || strcmp(done, "1") == 0;
        } else if (is(n, "residence")) {
            struct krecord *r = &c->residences[c->nresidences];
            r->pos = ++c->nresidences;
            read_record(r, n, "date", "kpi1EndDate", "kpi1AccommodationType",
                        "kpi1AccommodationSuitability", a);
        } else if (is(n, "eteStatus")) {
            struct krecord *r = &c->etes[c->netes];
            r->pos = ++c->netes;
            read_record(r, n, "startDate", "endDate", "provisionType", "suitability", a);
        } else if (is(n, "careStatus")) {
            struct krecord *r = &c->cares[c->ncares];
            r->pos = ++c->ncares;
            read_record(r, n, "startDate", "endDate", "status", NULL, a);
        } else if (is(n, "sendAln")) {
            struct krecord *r = &c->sends[c->nsends];
            r->pos = ++c->nsends;
            read_record(r, n, "kpi3SendStartDate", "kpi3SendEndDate", "kpi3IdentifiedSendAln",
                        "kpi3SendFormalPlan", a);
        } else if (is(n, "mentalHealth")) {
            struct kscreen *s = &c->mhs[c->nmhs];
            s->pos = ++c->nmhs;
            read_screen(s, n, 4, a);
        } else if (is(n, "substanceMisuse")) {
            struct kscreen *s = &c->sms[c->nsms];
            s->pos = ++c->nsms;
            read_screen(s, n, 5, a);
        } else if (is(n, "victimIntervention")) {
            struct kvictim *v = &c->victims[c->nvictims];
            v->pos = ++c->nvictims;
            v->id = F(n, "victimInterventionId");
            v->victim_id = F(n, "victimId");
            v->consent = F(n, "consentYjsContact");
            v->view_prior = F(n, "viewPrior");
            v->engaged_rj = F(n, "engagedRj");
            v->progress_request = F(n, "progressRequest");
            v->progress_provided = F(n, "progressProvided");
            v->support_request = F(n, "additionalSupportRequest");
            v->support_provided = F(n, "additionalSupportProvided");
        } else if (is(n, "offenceProgrammeLink")) {
            struct klink *l = &c->offence_programme[c->noffence_programme++];
            l->a = F(n, "offenceId");
            l->b = F(n, "interventionProgrammeId");
        } else if (is(n, "offenceVictimLink")) {
            struct klink *l = &c->offence_victim[c->noffence_victim++];
            l->a = F(n, "offenceId");
            l->b = F(n, "victimInterventionId");
        }
    }
}
