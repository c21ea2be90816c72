/*
 * rows.h - the table writers: each writes one child's rows of one cms table through the COPY
 * writer, from its core record (and --dirty's faults on top); the service's tables are
 * written whole. main.c's table list says in which order and under which columns.
 */
#ifndef YJ_GEN_ROWS_H
#define YJ_GEN_ROWS_H

#include "child.h"

/* person.c */
void row_young_person(const struct child *c);
/* offences.c */
void row_offence(const struct child *c);
void row_outcome(const struct child *c);
void row_programme(const struct child *c);
void row_programme_offence(const struct child *c);
void row_police_bail(const struct child *c);
void row_requirement(const struct child *c);
/* court.c */
void row_hearing(const struct child *c);
void row_hearing_offence(const struct child *c);
void row_sentence_proposal(const struct child *c);
/* episodes.c */
void row_accommodation(const struct child *c);
void row_ete(const struct child *c);
void row_care_status(const struct child *c);
void row_send_aln(const struct child *c);
/* interventions.c */
void row_mh_screening(const struct child *c);
void row_sm_screening(const struct child *c);
void row_victim(const struct child *c);
void row_assessment(const struct child *c);
void row_parenting_intervention(const struct child *c);
void row_transfer(const struct child *c);
/* service.c: whole tables, COPY block and all */
void write_board_attendance(void);
void write_population(void);

#endif
