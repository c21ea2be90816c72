/*
 * kchild.h - one child of a return as the KPIs read it: the items and fields the counting
 * rules use, taken from the child's <child> element (all strings in the caller's arena).
 *
 * The records are filled from the events of a walk of the return (cld_reader_walk): only the
 * items and fields kpi/fields.conf names, with no tree of the child; every other element is
 * skipped with all it holds. A date that is absent is DATE_NONE; 1900-01-01 (KDATE_OPEN) means open
 * or none. A number that is absent is -1. Records keep their position among their siblings
 * (1-based), which names them when they have no id of their own ("residence[2]").
 */
#ifndef YJ_KCHILD_H
#define YJ_KCHILD_H

#include "cldreader.h"
#include "kconf.h"
#include "mem.h"

#define KDATE_OPEN (-25567L) /* 1900-01-01 in days since 1970-01-01 */

struct koutcome {
    int pos; /* offenceLegalOutcome[pos] */
    long date;
    long end_date; /* outcomeEndDate (the board pack's release from custody) */
    /* no legalOutcomeGroup: the KPIs take the group from the legalOutcome code */
    const char *appeal, *legal, *residence;
};

struct koffence {
    const char *id, *category;
    long date; /* offenceDate (the board pack's reoffences) */
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
    const char *ethnicity; /* the YJB code (the board pack's ethnicity groups) */
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

/* Fills a struct kchild from the events of one <child> element (struct cld_walk's begin,
 * open, close and end, forwarded by the caller). */
struct kchild_reader {
    const char *const *fields;  /* element names by key (struct kconf's fields), borrowed */
    struct arena *a;            /* where the child's records and strings go */
    const xmlChar *names[KF_N]; /* the same names interned in the document's dictionary */
    struct kchild c;
    int item;                       /* the item open at depth 2 (a KF_ key), or -1 */
    int in_outcome;                 /* an outcome of the offence is open at depth 3 */
    int cap[16];                    /* room in each list of c (enum in kchild.c) */
    unsigned char seen[KF_N];       /* fields of the open record already read: the first wins */
    unsigned char fields_end[KF_N]; /* an item's fields are the keys after it, up to this */
};

void kchild_reader_init(struct kchild_reader *kr, const char *const *fields, struct arena *a);
/* Before each document: interns the names (struct cld_walk's prepare). */
void kchild_reader_prepare(struct kchild_reader *kr, struct cld_reader *r);
/* A <child> begins: an empty child, its lists in the arena. */
void kchild_reader_begin(struct kchild_reader *kr);
/* An element at DEPTH inside the child: what the walk reports inside it (enum cld_walk_want). */
int kchild_reader_open(struct kchild_reader *kr, int depth, const xmlChar *name);
/* The element opened at DEPTH ends; TEXT is its text when open asked for it. */
void kchild_reader_close(struct kchild_reader *kr, int depth, const xmlChar *name, const char *text,
                         size_t len);
/* The child read (valid until the arena is reset or the next child begins). */
const struct kchild *kchild_reader_child(const struct kchild_reader *kr);

#endif
