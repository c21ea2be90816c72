/*
 * dirty.h - --dirty's faults: the business rules a dirty child breaks (DEF_*) and the KPI
 * recording gaps left on programmes (GAP_*), chosen here and written by the table writers.
 */
#ifndef YJ_GEN_DIRTY_H
#define YJ_GEN_DIRTY_H

#include "calendar.h"
#include "child.h"

/* The ways a dirty child breaks the business rules of rules.conf (besides its
 * DIRTY_* defect; R001, an undated offence, comes from DIRTY_DATE). Every one is applied when
 * the rows are written, on top of the child's clean rows, so the other tables still follow
 * the true values. Extra rows get ids no clean row has (child*10+6..8, child*10+2,
 * child*100+2, offence or outcome*10+9) and are dated on or before the first contact (an
 * extra requirement sits under the child's first outcome), so that they are in every return
 * the child is in.
 *   DEF_DOB_PARENT     the date of birth is a parent's (24-30 years early): R003, and the
 *                      ages on offences, arrests, programme starts and outcomes: R002 R006
 *                      R004 R005
 *   DEF_BEFORE_BIRTH   an offence dated 20 years early, before the birth: R026 (and R002; its
 *                      negative ageOnOffenceDate also fails the schema)
 *   DEF_OFFENCE_ORDER  an offence arrested 1-5 days before its date (R012), its outcome
 *                      dated before both (R010 R011)
 *   DEF_RECORD_ENDS    an outcome (R013), a programme (R014, an extra one when the child has
 *                      none) and an extra police bail (R019) that end before they start
 *   DEF_EPISODE_ENDS   extra accommodation (R015), ETE (R016), care status (R017) and
 *                      SEND/ALN (R018) episodes that end before they start
 *   DEF_SCREENING      extra mental health and substance misuse screenings referred before
 *                      the screening (R022 R023), offered before the referral (R038 R039),
 *                      attendance ending before it starts (R020 R021)
 *   DEF_NUMBERS        an extra unpaid work requirement with more hours done than ordered
 *                      (R030), an ETE episode with more hours attended than offered (R031), a
 *                      parenting intervention with more sessions attended than planned (R032)
 *   DEF_MISSING        an offence with no gravity (R035), extra accommodation (R036) and ETE
 *                      (R037) episodes with no suitability
 *   DEF_DUP_YPID       the ypid of the child with the next lower id (R070)
 * The clean distributions already give sex unknown (R040), ethnicity not stated (R041) and
 * outcomes UNK/OTH (R042). A warehouse cannot break the other rules; test_dirty.c lists them:
 *   R024 R025  offences and programmes dated after the period end: the queries leave them out
 *   R050-R061  links: the queries emit a link only when both its ends are in the child's
 *              return (same child, same date filters as the items' own queries)
 *   R071-R073  offence, programme and hearing ids are primary keys, and cms_asof.<table>(t)
 *              gives one version of a row at any moment: no child has one of them twice */
enum {
    DEF_NONE,
    DEF_DOB_PARENT,
    DEF_BEFORE_BIRTH,
    DEF_OFFENCE_ORDER,
    DEF_RECORD_ENDS,
    DEF_EPISODE_ENDS,
    DEF_SCREENING,
    DEF_NUMBERS,
    DEF_MISSING,
    DEF_DUP_YPID,
    NDEF
};

/* The KPI recording gaps (docs/kpi.md, worklist problems). Each is left on one
 * programme, on top of its clean rows; a programme has at most one:
 *   GAP_NOT_LINKED      the programme has no programme_offence row (programme_not_linked)
 *   GAP_NO_RESIDENCE    its offence's main outcome has no residence_cd (outcome_no_residence;
 *                       the return then lacks a mandatory element and fails the schema)
 *   GAP_ACCOM_NO_SUIT   an extra accommodation episode over the programme, no suitability
 *   GAP_ETE_NO_SUIT     an extra ETE episode over the programme, no suitability
 *   GAP_ETE_NO_HOURS    an extra suitable ETE episode over the programme, no hours
 *   GAP_NO_ETE_END      the child's ETE episodes stop the day before the programme starts
 *                       (no_ete_at_end)
 *   GAP_SEND_NO_PLAN    an extra SEND/ALN record, need identified, formal plan not recorded
 *   GAP_MH_NO_TYPE      an extra mental health screening with an offer but no intervention
 *   GAP_SM_NO_TYPE      the same for substance misuse
 *   GAP_OOCD_NO_DONE    an out-of-court programme with no completed_flag
 *   GAP_NO_GRAVITY      its offence has no gravity (KPI 9 counts the offence in the quarter of
 *                       the outcome; only a programme starting in that quarter takes it, so
 *                       that the quarter's return holds it)
 *   GAP_NO_CONSENT      its offence's victims have no consent_flag (nor the flags after it)
 * In every financial quarter each gap goes to the first GAP_PER_QUARTER programmes (children
 * in id order) that end in it (GAP_NO_GRAVITY: whose outcome is dated in it) and can take it,
 * so that every quarter's KPI worklist has every problem a warehouse can produce. */
enum {
    GAP_NONE,
    GAP_NOT_LINKED,
    GAP_NO_RESIDENCE,
    GAP_ACCOM_NO_SUIT,
    GAP_ETE_NO_SUIT,
    GAP_ETE_NO_HOURS,
    GAP_NO_ETE_END,
    GAP_SEND_NO_PLAN,
    GAP_MH_NO_TYPE,
    GAP_SM_NO_TYPE,
    GAP_OOCD_NO_DONE,
    GAP_NO_GRAVITY,
    GAP_NO_CONSENT,
    NGAP
};
#define GAP_PER_QUARTER 3

/* The rule-breaking defect of the dirty child that is the ORDINAL-th (from 0) by id. */
void gen_defect(struct child *c, int ordinal);
/* Chooses the child's gaps; DONE counts the gaps given so far per quarter (children in id
 * order). No random draws: the choice follows the core record only. */
void gen_gaps(struct child *c, int done[NQUARTER][NGAP]);
/* Whether the child has a programme with gap G on offence K (K < 0: any offence). */
int has_gap(const struct child *c, int g, int k);
/* Whether a programme before the I-th has gap G. */
int has_gap_before(const struct child *c, int g, int i);

#endif
