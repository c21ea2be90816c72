/*
 * kcount.h - the counting rules: one child at a time into the templates and headlines.
 *
 * Everything a count depends on is here or in the bundle's rules (kconf.h); docs/kpi.md
 * describes each rule and each reading chosen where the YJB's own counting is not public.
 */
#ifndef YJ_KCOUNT_H
#define YJ_KCOUNT_H

#include "kchild.h"
#include "kconf.h"

#include <stdio.h>

#define KMAX_MARKED 1024

/* Headline measures: numerator and denominator per KPI, by type of order (ORD_N = all). */
enum khead {
    H1,   /* children suitably accommodated at the order end / children */
    H2,   /* children in suitable ETE at the order end / children */
    H2PS, /* children in part time ETE at the order start / children */
    H2PE, /* children in part time ETE at the order end / children */
    H3,   /* children with a formal plan / children with an identified SEND/ALN need */
    H3S,  /* children with an identified need in suitable ETE / children with one */
    H4,   /* children offered an intervention or in treatment / children with a need */
    H4A,  /* children with a mental health need / children */
    H5,   /* substance misuse: offered / need */
    H5A,  /* need / children */
    H6,   /* children who completed an out-of-court programme / children with one */
    H6A,  /* programmes completed / programmes */
    H7,   /* children supported by wider services during the order / children */
    H8,   /* statutory sectors with a senior partner at the board / board_sectors */
    H9,   /* serious violence offences / 10-17 population (per sv_rate_per) */
    H9A,  /* serious violence offences / offences */
    H9B,  /* children with a serious violence offence / children with an offence */
    H10,  /* victims engaged with restorative justice / victims consenting to contact */
    H_N
};

/* A problem that keeps a child out of a KPI, or on the wrong side of it. */
enum kproblem {
    P_NOT_LINKED,
    P_NO_RESIDENCE,
    P_UNKNOWN_CODE,
    P_NO_ACCOMMODATION_END,
    P_ACCOMMODATION_NO_SUITABILITY,
    P_NO_ETE_END,
    P_ETE_NO_SUITABILITY,
    P_ETE_NO_HOURS,
    P_NO_SEND,
    P_SEND_NO_PLAN,
    P_MH_NO_SCREENING,
    P_MH_NO_TYPE,
    P_SM_NO_SCREENING,
    P_SM_NO_TYPE,
    P_OOCD_NO_COMPLETION,
    P_OFFENCE_NO_GRAVITY,
    P_VICTIM_NO_CONSENT,
    P_BOARD_SECTOR, /* counts board attendance rows, not children */
    P_N
};

struct kproblem_info {
    const char *code; /* stable name, e.g. "no_accommodation_at_end" */
    int kpi;
    int item, field;    /* the return's item and field (enum kfield), or -1 */
    const char *advice; /* what to record */
};
extern const struct kproblem_info kproblems[P_N];
/* The service input and column of P_BOARD_SECTOR (kpi/inputs.conf), not the return's. */
#define KPROBLEM_BOARD_INPUT "board_attendance"
#define KPROBLEM_BOARD_COLUMN "sector_cd"
/* The item and field a problem names ("" for none), by the bundle's fields.conf. */
const char *kproblem_item(const struct kconf *k, int p);
const char *kproblem_field(const struct kconf *k, int p);

/* Distinct ids across the whole return, as 64-bit hashes (open addressing): the YJB's SQL
 * counts offence, programme and victim ids with COUNT(DISTINCT id), so the same id of two
 * children counts once. Grows with the ids counted in the period, 16 bytes each at most. */
struct kidset {
    unsigned long long *slot;
    size_t cap, n;
};

struct kcount {
    const struct kconf *k;
    long period_start, period_end, as_of; /* days */
    char period_label[8];                 /* 2025Q1 */
    /* template cells, [template][row key][counted column] */
    unsigned long cell[KTPL_N][KMAX_ROWS][KMAX_COLS];
    unsigned char mark[KTPL_N][KMAX_ROWS][KMAX_COLS]; /* this child's cells */
    unsigned short marked[KMAX_MARKED];               /* which, as (t * rows + row) * cols + col */
    size_t nmarked;
    unsigned long num[H_N][ORD_N + 1], den[H_N][ORD_N + 1];
    /* the same headlines as the YJB's case-level SQL computes them (docs/kpi.md) */
    unsigned long ynum[H_N][ORD_N + 1], yden[H_N][ORD_N + 1];
    struct kidset ids;
    unsigned long problem_children[P_N];
    unsigned long cohort, worklist_lines, case_lines, unknown_codes;
    int board_senior[SECTOR_N], board_delegate[SECTOR_N], board_new[SECTOR_N];
    unsigned long board_rows, board_unknown; /* rows of the quarter; of those, unknown sector */
    FILE *cases;                             /* case-level lines, or NULL */
    FILE *worklist;                          /* worklist lines, or NULL */
};

void kcount_init(struct kcount *kc, const struct kconf *k, long period_start, long period_end,
                 long as_of);
/* Frees what counting allocated (the id set). */
void kcount_release(struct kcount *kc);
/* Counts one child. */
void kcount_child(struct kcount *kc, const struct kchild *c);
/* KPI 8: one board_attendance row of the quarter (sector SECTOR_*). */
void kcount_board(struct kcount *kc, int sector, int attended, int senior, int new_partner);
/* KPI 8: a board_attendance row of the quarter whose sector code the rules do not hold, at
 * WHERE ("service/board_attendance.tsv line 3"): a worklist line (the code is not quoted);
 * KPI 8 is then provisional. */
void kcount_board_unknown(struct kcount *kc, const char *where);
/* KPI 8 and 9 once every row and child is in: the board's cells and headline, and the
 * population (or -1 when unknown). */
void kcount_finish(struct kcount *kc, long population);
/* Writes S (NULL: empty) as one CSV field, quoted when it holds a comma, quote or newline. */
void kcount_csv(FILE *f, const char *s);

#endif
