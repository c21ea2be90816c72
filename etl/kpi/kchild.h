/*
 * kchild.h - one child of a return as the KPIs read it: the items and fields the counting
 * rules use, taken from the child's <child> element (all strings in the caller's arena).
 *
 * A date that is absent is DATE_NONE; 1900-01-01 (KDATE_OPEN) means open or none. A number
 * that is absent is -1. Records keep their position among their siblings (1-based), which
 * names them when they have no id of their own ("residence[2]").
 */
#ifndef YJ_KCHILD_H
#define YJ_KCHILD_H

#include "mem.h"

#include <libxml/tree.h>

#define KDATE_OPEN (-25567L) /* 1900-01-01 in days since 1970-01-01 */

struct koutcome {
    int pos; /* offenceLegalOutcome[pos] */
    long date;
    /* no legalOutcomeGroup: the KPIs take the group from the legalOutcome code */
    const char *appeal, *legal, *residence;
};

struct koffence {
    const char *id, *category;
    int score, age_arrest, age_offence, age_first_hearing;
    struct koutcome *outcomes;
    int noutcomes;
};

struct kprogramme {
    int pos;
    const char *id, *disposal;
    long start, end;
    int completed; /* 1, 0, or -1 absent */
};

/* residence, eteStatus, careStatus, sendAln */
struct krecord {
    int pos;
    long start, end;
    const char *code;  /* accommodation type, provision, care status, SEND identified */
    const char *suit;  /* suitability; SEND formal plan */
    int hours_offered; /* ETE */
    int hours_attended;
};

/* mentalHealth, substanceMisuse */
struct kscreen {
    int pos;
    long screened, offered, att_start, att_end;
    const char *type;
};

struct kvictim {
    int pos;
    const char *id, *victim_id;
    const char *consent, *view_prior, *engaged_rj, *progress_request, *progress_provided,
        *support_request, *support_provided;
};

struct klink {
    const char *a, *b;
};

struct kchild {
    const char *ypid;
    long dob;
    struct koffence *offences;
    int noffences;
    struct kprogramme *programmes;
    int nprogrammes;
    struct krecord *residences, *etes, *cares, *sends;
    int nresidences, netes, ncares, nsends;
    struct kscreen *mhs, *sms;
    int nmhs, nsms;
    struct kvictim *victims;
    int nvictims;
    struct klink *offence_programme, *offence_victim;
    int noffence_programme, noffence_victim;
};

/* Fills C from the <child> element NODE, allocating in A. FIELDS: the element name of each
 * item and field, by enum kfield (struct kconf's fields). */
void kchild_read(struct kchild *c, xmlNode *node, const char *const *fields, struct arena *a);

#endif
