/*
 * kconf.h - the KPI counting rules of a schema bundle (mappings/schema-N/kpi/), loaded and
 * checked once.
 *
 * The rules are data: code tables (which legal outcomes and disposal types count, the
 * seriousness ranking, the template row of each accommodation, provision, care status and
 * offence category), settings (kpi.conf: ages, hours, gravity, population year) and the
 * templates' rows and labels (templates.conf). This file says which tables exist, which
 * return field each one covers (its codes must be exactly the codes of that field's code map),
 * which columns yj-kpi counts under and which rows it counts by key (struct krowids); the
 * loader holds the files to that and refuses a duplicate, unknown or missing code, key or
 * column with one line naming the file, the line and the value.
 */
#ifndef YJ_KCONF_H
#define YJ_KCONF_H

#include "error.h"
#include "period.h"

#include <stddef.h>

#define KPI_DIR "kpi"

/* Types of order, in template column order. */
enum korder { ORD_NS, ORD_YJS, ORD_YCC, ORD_RO, ORD_YRO, ORD_CUST, ORD_N };
extern const char *const korder_names[ORD_N + 1];

/* Legal outcome groups, the values of legal_outcome.csv's group column and of kpi.conf's
 * group lists. The KPIs take an outcome's group from its legalOutcome code through that
 * column, never from the legalOutcomeGroup sent in the return (schema 11 sends Pre-Court for
 * the out-of-court outcomes the YJB counts as Diversion). */
enum kgroup { GRP_DIVERSION, GRP_PRE_COURT, GRP_FIRST_TIER, GRP_COMMUNITY, GRP_CUSTODY, GRP_N };
extern const char *const kgroup_names[GRP_N + 1];

/* The day a record must cover to be current at the start of an order. */
enum kref { REF_PROGRAMME_START, REF_PROGRAMME_START_M1, REF_OUTCOME_M1 };

/* The code tables. */
enum ktable_id {
    KT_LEGAL_OUTCOME,
    KT_DISPOSAL_TYPE,
    KT_APPEAL,
    KT_RESIDENCE,
    KT_SUITABILITY,
    KT_ACCOMMODATION,
    KT_PROVISION,
    KT_CARE_STATUS,
    KT_OFFENCE_CATEGORY,
    KT_MH_TYPE,
    KT_SM_TYPE,
    KT_N
};

/* Column values of a table row, as integers: yes/no 1/0, numbers, or the index of the value
 * in the column's list of allowed words (-1 for an allowed empty value). */
#define KT_MAX_COLS 5
struct krow {
    char *code;
    int line;
    int v[KT_MAX_COLS];
};

struct ktable {
    char *path;
    char *name; /* "kpi/legal_outcome.csv", for messages */
    char sha256[65];
    struct krow *rows; /* sorted by code */
    size_t nrows;
};

/* Column indexes of each table's values. */
enum { LO_COUNT, LO_RANK, LO_ORDER, LO_GROUP };
enum { DT_COUNT, DT_START_REF, DT_AGE_AT, DT_OOCD };
enum { AP_COUNTS };
enum { RS_COUNTS };
enum { SU_SUITABLE };
enum { AC_ROW };
enum { PV_ROW, PV_IN_ETE };
enum { CS_CATEGORY, CS_EARLY_HELP };
enum { OC_ROW };
enum { MH_TYPE };
enum { SM_TYPE };

/* The templates, in output order. */
enum ktemplate_id {
    KT1_ACCOMMODATION,
    KT2_ETE,
    KT3_SEND,
    KT4_MH,
    KT5_SM,
    KT6_OOC,
    KT7_WS,
    KT8_MBA,
    KT9_SV,
    KT10_VICTIMS,
    KTPL_N
};

/* The template rows yj-kpi counts under by name, each resolved once at load to its index in
 * the template's rows (templates.conf order): a key templates.conf lacks is a load error
 * naming the file and the key. The other rows of a template are filled through a code
 * table's row column (accommodation_type.csv row, ete_provision.csv row, care_status.csv
 * category, offence_category.csv row), which may name only rows not counted by name. */
#define KHOURS_BANDS 3 /* KPI 2: 1-15, 16-24, 25+ hours a week */
#define KTYPES_MAX 4   /* KPI 4 and 5: intervention types (mh_intervention.csv, ...) */
struct kscreen_rows {  /* KPI 4 and 5 share one layout */
    int children, prior_screening, prior_order, need;
    int offered[KTYPES_MAX], attending[KTYPES_MAX]; /* offered_<type>, attending_<type> */
    int ntypes;
};
struct krowids {
    int k2_children, k2_suitable, k2_not_in_ete, k2_part_time, k2_full_time;
    int k2_offered[KHOURS_BANDS], k2_attended[KHOURS_BANDS];
    int k3_children, k3_identified, k3_plan, k3_identified_suitable;
    struct kscreen_rows k45[2]; /* [0] KPI 4, [1] KPI 5 */
    int k6_children, k6_completed, k6_not_completed;
    int k7_children, k7_early_help_prior, k7_early_help_referred;
    int k8_senior, k8_delegated, k8_new_partner;
    int k10_children, k10_victims, k10_consent, k10_engaged_rj, k10_view_prior;
    int k10_progress_requested, k10_progress_provided, k10_support_requested, k10_support_provided;
};

/* Where a template cell's value goes: the counted columns of each template, in the order
 * yj-kpi counts them. KPI 1: order * 5 + {total, start_yes, start_no, end_yes, end_no};
 * KPI 2: order * 6 + {school_total, school_start, school_end, above_total, above_start,
 * above_end}; KPI 3: order; KPI 4, 5, 7: order * 3 + {total, start, end}; KPI 6: the oocd
 * type; KPI 8: sector * 2 + {attended, not}; KPI 9: band; KPI 10: 0. */
enum { C1_TOTAL, C1_START_YES, C1_START_NO, C1_END_YES, C1_END_NO, C1_PER_ORDER };
enum {
    C2_SCHOOL_TOTAL,
    C2_SCHOOL_START,
    C2_SCHOOL_END,
    C2_ABOVE_TOTAL,
    C2_ABOVE_START,
    C2_ABOVE_END,
    C2_PER_ORDER
};
enum { C3_TOTAL, C3_START, C3_END, C3_PER_ORDER };

#define KMAX_ROWS 32 /* rows of a template */
#define KMAX_COLS 40 /* counted columns of a template */

struct ktemplate_row {
    char *key;                     /* the key yj-kpi counts under */
    char *label;                   /* description, byte for byte */
    char *group;                   /* description_group, or NULL */
    char *blank;                   /* "blank SUFFIX": counted columns named *_SUFFIX, or NULL */
    unsigned long long blank_cols; /* counted columns written blank in this row (bit per column) */
    int named;                     /* counted by name (struct krowids), not through a table */
    int line;
};

struct ktemplate {
    char *name;
    int line;
    char **columns; /* every column, in order */
    int ncolumns;
    int *column_map; /* per column: counted column index, or -1 blank, -2..-6 key columns */
    struct ktemplate_row *rows; /* in file order */
    int nrows;
    int has_group; /* the template has a description_group column */
};

enum {
    KCOL_BLANK = -1,
    KCOL_RETURN_STATUS = -2,
    KCOL_REPORTING_DATE = -3,
    KCOL_YOT = -4,
    KCOL_DESCRIPTION = -5,
    KCOL_GROUP = -6
};

/* Settings of kpi.conf. */
struct ksettings {
    long first_programme_end; /* days */
    int age_min, age_max;
    int full_time_hours_school, full_time_hours_above;
    int sv_gravity_min, sv_gravity_max, sv_first_band_max_age;
    int population_years_back;
    long sv_rate_per;
    int board_sectors;
    int absent_appeal_counts, absent_residence_counts;
    char *victim_yes, *send_yes;
    char **kpi6_groups, **kpi9_groups; /* NULL-terminated lists */
};

/* The return's items and fields the KPIs read, by yj-kpi's own key ("residence.type"): their
 * element names are the bundle's kpi/fields.conf, checked against items.conf at load, so C
 * names no element of the return and a renamed element is refused at load, never read as
 * absent. KF_<ITEM> is an item; KF_<ITEM>_<FIELD> a field of it. */
enum kfield {
    KF_PERSON,
    KF_PERSON_YPID,
    KF_PERSON_DOB,
    KF_PERSON_ETHNICITY,
    KF_OFFENCE,
    KF_OFFENCE_ID,
    KF_OFFENCE_CATEGORY,
    KF_OFFENCE_SCORE,
    KF_OFFENCE_AGE_ARREST,
    KF_OFFENCE_AGE_OFFENCE,
    KF_OFFENCE_AGE_FIRST_HEARING,
    KF_OFFENCE_DATE,
    KF_OUTCOME,
    KF_OUTCOME_DATE,
    KF_OUTCOME_APPEAL,
    KF_OUTCOME_LEGAL,
    KF_OUTCOME_RESIDENCE,
    KF_OUTCOME_END_DATE,
    KF_PROGRAMME,
    KF_PROGRAMME_ID,
    KF_PROGRAMME_START,
    KF_PROGRAMME_END,
    KF_PROGRAMME_DISPOSAL,
    KF_PROGRAMME_COMPLETED,
    KF_RESIDENCE,
    KF_RESIDENCE_START,
    KF_RESIDENCE_END,
    KF_RESIDENCE_TYPE,
    KF_RESIDENCE_SUITABILITY,
    KF_ETE,
    KF_ETE_START,
    KF_ETE_END,
    KF_ETE_PROVISION,
    KF_ETE_SUITABILITY,
    KF_ETE_HOURS_OFFERED,
    KF_ETE_HOURS_ATTENDED,
    KF_CARE,
    KF_CARE_START,
    KF_CARE_END,
    KF_CARE_STATUS,
    KF_SEND,
    KF_SEND_START,
    KF_SEND_END,
    KF_SEND_IDENTIFIED,
    KF_SEND_PLAN,
    KF_MH,
    KF_MH_SCREENED,
    KF_MH_OFFERED,
    KF_MH_ATTENDED_START,
    KF_MH_ATTENDED_END,
    KF_MH_TYPE,
    KF_SM,
    KF_SM_SCREENED,
    KF_SM_OFFERED,
    KF_SM_ATTENDED_START,
    KF_SM_ATTENDED_END,
    KF_SM_TYPE,
    KF_VICTIM,
    KF_VICTIM_ID,
    KF_VICTIM_VICTIM_ID,
    KF_VICTIM_CONSENT,
    KF_VICTIM_VIEW_PRIOR,
    KF_VICTIM_ENGAGED_RJ,
    KF_VICTIM_PROGRESS_REQUEST,
    KF_VICTIM_PROGRESS_PROVIDED,
    KF_VICTIM_SUPPORT_REQUEST,
    KF_VICTIM_SUPPORT_PROVIDED,
    KF_OFFENCE_PROGRAMME,
    KF_OFFENCE_PROGRAMME_OFFENCE,
    KF_OFFENCE_PROGRAMME_PROGRAMME,
    KF_OFFENCE_VICTIM,
    KF_OFFENCE_VICTIM_OFFENCE,
    KF_OFFENCE_VICTIM_VICTIM,
    KF_N
};

/* KPI 8 sectors: a..e, other. */
enum { SECTOR_A, SECTOR_B, SECTOR_C, SECTOR_D, SECTOR_E, SECTOR_OTHER, SECTOR_N };

struct kconf {
    char *dir; /* mappings/schema-N/kpi */
    struct ktable tables[KT_N];
    struct ktemplate templates[KTPL_N];
    struct krowids rows; /* the rows counted by name */
    char *fields[KF_N];  /* element names, by key (kpi/fields.conf) */
    char fields_sha256[65];
    char templates_sha256[65];
    char settings_sha256[65];
    struct school_age school_age; /* the bundle's school_age.conf (KPI 2) */
    char school_age_sha256[65];
    /* the envelope field holding the service's code (items.conf's service_code()), or NULL */
    char *yot_element;
    struct ksettings s;
    /* board_sector.csv: local sector code -> SECTOR_* */
    char **sector_codes;
    int *sector_of;
    int *sector_line;
    size_t nsectors;
    char sectors_sha256[65];
};

/* Names and sizes of the templates and their counted columns (for the checks and tests). */
const char *ktemplate_name(int t);
int ktemplate_col_count(int t);
const char *ktemplate_col_name(int t, int col);

void kconf_init(struct kconf *k);
/* Loads BUNDLE_DIR/kpi/ and BUNDLE_DIR/school_age.conf and checks each code table against the code
 * map that items.conf names for its field (BUNDLE_DIR/items.conf). YJ_EX_CONFIG (or NOINPUT) naming
 * file, line and value. */
int kconf_load(struct kconf *k, const char *bundle_dir, struct yj_error *err);
/* The row of CODE in table T, or NULL. */
const struct krow *kconf_lookup(const struct kconf *k, enum ktable_id t, const char *code);
/* SECTOR_* of a local board sector code, or -1. */
int kconf_sector(const struct kconf *k, const char *code);
/* 1 when the cell of template T, row ROW, counted column COL is written blank (templates.conf
 * "row ... blank SUFFIX": no time point applies). */
int kconf_cell_blank(const struct kconf *k, int t, int row, int col);
void kconf_release(struct kconf *k);

#endif
