/*
 * court.h - the court cases of a child's court-disposed offences: hearings, courts, remands.
 * Drawn from STREAM_COURT alone, so the programme, accommodation and bail writers can
 * regenerate them when they need the hearing or the remand.
 */
#ifndef YJ_GEN_COURT_H
#define YJ_GEN_COURT_H

#include "child.h"

#define MAX_HEAR 3

struct hearing {
    int64_t id;
    int date, type, name, other, remand;
};

struct court_case {
    int n;        /* hearings dated by the data cut */
    int planned;  /* hearings the case has or will have; the last sentences */
    int remanded; /* remanded at the first hearing */
    struct hearing h[MAX_HEAR];
};

/* the court case of every court-disposed offence (n = 0 for out-of-court ones); CC holds
 * MAX_OFF cases */
void gen_court(const struct child *c, struct court_case *cc);
/* the hearing that imposed the court order a programme carries out; 0 if none */
int64_t programme_hearing(const struct court_case *cc, const struct programme *p);

#endif
