/*
 * child.h - a synthetic child's core record and the options every table reads.
 *
 * The core record (offences, outcomes, programmes, the --dirty defect) is drawn from the
 * child's stream 0 alone, so every table can regenerate it (gen_core) and none has to keep
 * it: yj-gen writes the tables one after another and memory stays flat.
 */
#ifndef YJ_GEN_CHILD_H
#define YJ_GEN_CHILD_H

#include "rng.h"

#include <stdint.h>

#define MAX_OFF 8 /* 1-4 offences; --board-shares: up to 8 for the children who reoffend */
#define MAX_PROG 9

/* The stream tag of each table's draws (rng_init's tag). Tables and columns added later draw
 * from streams of their own, never from a stream an older table uses, so adding them left the
 * older tables' rows as they were. */
enum {
    STREAM_CORE,
    STREAM_ACCOMMODATION,
    STREAM_ETE,
    STREAM_CARE,
    STREAM_SEND,
    STREAM_MH,
    STREAM_SM,
    STREAM_VICTIM,
    STREAM_ASSESSMENT,
    STREAM_PERSON,
    STREAM_COURT,
    STREAM_PROPOSAL,
    STREAM_BAIL,
    STREAM_REQ,
    STREAM_PARENTING,
    STREAM_TRANSFER,
    STREAM_DIRTY,
    STREAM_SHARES, /* --board-shares only: the child's kind and what it changes */
    /* the service's tables (id 0) */
    STREAM_BOARD = 100,
    STREAM_POPULATION,
    STREAM_BOARD_PARTNER
};

/* the command line (main.c) */
extern uint64_t opt_seed;
extern int opt_dirty;
extern int opt_unmapped;
extern int opt_board; /* --board-shares */

struct outcome {
    int64_t id;
    int date, end, code, main, appeal, residence_other;
};

struct offence {
    int64_t id;
    int date, arrest, cat, gravity, desc, postcode, plea, knife, weird_desc;
    int n_out;
    struct outcome out[2];
    /* kept for the court tables: before --dirty and also when the outcome is after the cut */
    int true_date, court, plan_code, plan_date;
};

struct programme {
    int64_t id;
    int start, end, disposal, victim, completed;
    int n_off;
    int off_idx[2];
};

struct child {
    int64_t id;
    int dirty;    /* 0 clean, else the defect DIRTY_* */
    int defect;   /* dirty: the rules it breaks, DEF_* (0 clean) */
    int def_off;  /* the offence the defect touches (-1 none) */
    int def_n[4]; /* day offsets and numbers drawn for the defect, 1..30 */
    int dob, sex, eth, fc, in_care, other_area, transfer;
    int kind; /* KIND_*: KIND_ANY without --board-shares */
    int n_off, n_prog;
    struct offence off[MAX_OFF];
    struct programme prog[MAX_PROG];
    int gap[MAX_PROG]; /* --dirty: the KPI recording gap of each programme, GAP_* (0 none) */
};

/* --board-shares: what a child's outcomes may be (child.c): any, as without the option; only
 * diversion (community resolutions and Outcome 22); an entrant with one offence, or a second
 * more than a year later; a prolific child, who reoffends every two or three months */
enum { KIND_ANY, KIND_DIVERTED, KIND_ENTRANT, KIND_PROLIFIC };

/* --dirty: the defect of a dirty child, drawn from its core stream (2% of children) */
enum { DIRTY_ETH = 1, DIRTY_OUTCOME, DIRTY_DATE, DIRTY_PROG, DIRTY_ACCOM };

/* the term of an outcome in its natural unit */
enum { TERM_NONE, TERM_DAYS, TERM_WEEKS, TERM_MONTHS, TERM_YEARS };

/* Fills C with the core record of child ID (overwriting all of it). */
void gen_core(struct child *c, int64_t id);
/* last day anything about this child is recorded on (open episodes end NULL) */
int child_last_day(const struct child *c);
/* the unit of M's term (TERM_*), its value in *value; TERM_NONE when it has none */
int outcome_term(const struct outcome *m, int *value);
/* DTO and sections 250, 254, 259 */
int is_custody(int code);

/* the postcode district of an offence (text, not a code) */
#define NPOSTCODE 11
extern const char *const postcodes[NPOSTCODE];
/* the other service a transfer comes from or goes to (text, not a code) */
extern const char *const transfer_from[8];

#endif
