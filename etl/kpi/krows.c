/*
 * krows.c - the template rows yj-kpi counts under by name (struct krowids), resolved once
 * against templates.conf after it is loaded, and the cells a row writes blank.
 *
 * templates.conf is the one list of each template's rows, in output order; C names only the
 * rows its counting rules fill directly, by their keys here, and a key the file lacks stops
 * the load with one line naming the file and the key. A row marked "named" may not be the
 * target of a code table's row column (kconf.c holds the tables to that). The blank cells
 * of a row come from templates.conf's "blank SUFFIX" after its label, decided in
 * ktemplates.c; kconf_cell_blank() only reads them.
 */
#include "kconf.h"
#include "kconf_read.h"

#include "mem.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

#define RID(f) offsetof(struct krowids, f)

static const struct {
    int t;
    const char *key;
    size_t off;
} named_rows[] = {
    {KT2_ETE, "children", RID(k2_children)},
    {KT2_ETE, "suitable", RID(k2_suitable)},
    {KT2_ETE, "not_in_ete", RID(k2_not_in_ete)},
    {KT2_ETE, "part_time", RID(k2_part_time)},
    {KT2_ETE, "full_time", RID(k2_full_time)},
    {KT2_ETE, "offered_1_15", RID(k2_offered[0])},
    {KT2_ETE, "offered_16_24", RID(k2_offered[1])},
    {KT2_ETE, "offered_25", RID(k2_offered[2])},
    {KT2_ETE, "attended_1_15", RID(k2_attended[0])},
    {KT2_ETE, "attended_16_24", RID(k2_attended[1])},
    {KT2_ETE, "attended_25", RID(k2_attended[2])},
    {KT3_SEND, "children", RID(k3_children)},
    {KT3_SEND, "identified", RID(k3_identified)},
    {KT3_SEND, "formal_plan", RID(k3_plan)},
    {KT3_SEND, "identified_suitable_ete", RID(k3_identified_suitable)},
    {KT6_OOC, "children", RID(k6_children)},
    {KT6_OOC, "completed", RID(k6_completed)},
    {KT6_OOC, "not_completed", RID(k6_not_completed)},
    {KT7_WS, "children", RID(k7_children)},
    {KT7_WS, "early_help_prior", RID(k7_early_help_prior)},
    {KT7_WS, "early_help_referred", RID(k7_early_help_referred)},
    {KT8_MBA, "senior", RID(k8_senior)},
    {KT8_MBA, "delegated", RID(k8_delegated)},
    {KT8_MBA, "new_partner", RID(k8_new_partner)},
    {KT10_VICTIMS, "children", RID(k10_children)},
    {KT10_VICTIMS, "victims", RID(k10_victims)},
    {KT10_VICTIMS, "consent", RID(k10_consent)},
    {KT10_VICTIMS, "engaged_rj", RID(k10_engaged_rj)},
    {KT10_VICTIMS, "view_prior", RID(k10_view_prior)},
    {KT10_VICTIMS, "progress_requested", RID(k10_progress_requested)},
    {KT10_VICTIMS, "progress_provided", RID(k10_progress_provided)},
    {KT10_VICTIMS, "support_requested", RID(k10_support_requested)},
    {KT10_VICTIMS, "support_provided", RID(k10_support_provided)},
};

int
kconf_row_find(const struct kconf *k, int t, const char *key)
{
    const struct ktemplate *tp = &k->templates[t];

    for (int i = 0; i < tp->nrows; i++)
        if (strcmp(tp->rows[i].key, key) == 0)
            return i;
    return -1;
}

/* *OUT = the row KEY of template T, marked as counted by name; a missing row is an error. */
static int
resolve(struct kconf *k, int t, const char *key, int *out, struct yj_error *err)
{
    int i = kconf_row_find(k, t, key);

    if (i < 0)
        return yj_error_set(err, YJ_EX_CONFIG, "%s/templates.conf: template %s lacks row '%s'",
                            k->dir, ktemplate_name(t), key);
    k->templates[t].rows[i].named = 1;
    *out = i;
    return YJ_OK;
}

/* KPI 4 and 5: the same rows, offered_<type> and attending_<type> for each intervention type
 * TYPES names (NULL-ended; "none" is no type). */
static int
resolve_screen(struct kconf *k, int t, struct kscreen_rows *r, const char *const *types,
               struct yj_error *err)
{
    char key[64];
    int rc;

    if ((rc = resolve(k, t, "children", &r->children, err)) != YJ_OK ||
        (rc = resolve(k, t, "treatment_prior_screening", &r->prior_screening, err)) != YJ_OK ||
        (rc = resolve(k, t, "treatment_prior_order", &r->prior_order, err)) != YJ_OK ||
        (rc = resolve(k, t, "need", &r->need, err)) != YJ_OK)
        return rc;
    r->ntypes = 0;
    for (int i = 0; types[i] && r->ntypes < KTYPES_MAX; i++) {
        if (strcmp(types[i], "none") == 0)
            continue;
        snprintf(key, sizeof(key), "offered_%s", types[i]);
        if ((rc = resolve(k, t, key, &r->offered[r->ntypes], err)) != YJ_OK)
            return rc;
        snprintf(key, sizeof(key), "attending_%s", types[i]);
        if ((rc = resolve(k, t, key, &r->attending[r->ntypes], err)) != YJ_OK)
            return rc;
        r->ntypes++;
    }
    return YJ_OK;
}

int
kconf_resolve_rows(struct kconf *k, struct yj_error *err)
{
    size_t n = sizeof(named_rows) / sizeof(named_rows[0]);
    int rc;

    for (size_t i = 0; i < n; i++) {
        int *out = (int *)(void *)((char *)&k->rows + named_rows[i].off);
        if ((rc = resolve(k, named_rows[i].t, named_rows[i].key, out, err)) != YJ_OK)
            return rc;
    }
    if ((rc = resolve_screen(k, KT4_MH, &k->rows.k45[0], kconf_mh_types, err)) != YJ_OK ||
        (rc = resolve_screen(k, KT5_SM, &k->rows.k45[1], kconf_sm_types, err)) != YJ_OK)
        return rc;
    return YJ_OK;
}

int
kconf_cell_blank(const struct kconf *k, int t, int row, int col)
{
    return (k->templates[t].rows[row].blank_cols >> col) & 1ULL;
}
