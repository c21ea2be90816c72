/*
 * kfields.c - kpi/fields.conf, the return's items and fields the KPIs read, each by yj-kpi's
 * own key (enum kfield): "KEY ELEMENT" lines, an item's key alone ("residence"), a field's key
 * after its item's ("residence.type"). Every key once, nothing unknown, and every element
 * checked against the bundle's items.conf at load: an item must be an item of items.conf and a
 * field one of that item's fields, so renaming an element in items.conf stops yj-kpi with one
 * line naming fields.conf, the line and the element, rather than the KPIs quietly reading
 * nothing. kchild.c and the counting rules name elements only through k->fields.
 */
#include "kconf.h"
#include "kconf_read.h"

#include "atomic.h"
#include "items.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define KFIELDS_FILE "fields.conf"

static const struct {
    const char *key;
    int item; /* the field's item (a KF_ key), or -1 for an item */
} kf_spec[KF_N] = {
    [KF_PERSON] = {"person", -1},
    [KF_PERSON_YPID] = {"person.ypid", KF_PERSON},
    [KF_PERSON_DOB] = {"person.dob", KF_PERSON},
    [KF_PERSON_ETHNICITY] = {"person.ethnicity", KF_PERSON},
    [KF_OFFENCE] = {"offence", -1},
    [KF_OFFENCE_ID] = {"offence.id", KF_OFFENCE},
    [KF_OFFENCE_CATEGORY] = {"offence.category", KF_OFFENCE},
    [KF_OFFENCE_SCORE] = {"offence.score", KF_OFFENCE},
    [KF_OFFENCE_AGE_ARREST] = {"offence.age_arrest", KF_OFFENCE},
    [KF_OFFENCE_AGE_OFFENCE] = {"offence.age_offence", KF_OFFENCE},
    [KF_OFFENCE_AGE_FIRST_HEARING] = {"offence.age_first_hearing", KF_OFFENCE},
    [KF_OFFENCE_DATE] = {"offence.date", KF_OFFENCE},
    [KF_OUTCOME] = {"outcome", -1},
    [KF_OUTCOME_DATE] = {"outcome.date", KF_OUTCOME},
    [KF_OUTCOME_APPEAL] = {"outcome.appeal", KF_OUTCOME},
    [KF_OUTCOME_LEGAL] = {"outcome.legal", KF_OUTCOME},
    [KF_OUTCOME_RESIDENCE] = {"outcome.residence", KF_OUTCOME},
    [KF_OUTCOME_END_DATE] = {"outcome.end_date", KF_OUTCOME},
    [KF_PROGRAMME] = {"programme", -1},
    [KF_PROGRAMME_ID] = {"programme.id", KF_PROGRAMME},
    [KF_PROGRAMME_START] = {"programme.start", KF_PROGRAMME},
    [KF_PROGRAMME_END] = {"programme.end", KF_PROGRAMME},
    [KF_PROGRAMME_DISPOSAL] = {"programme.disposal", KF_PROGRAMME},
    [KF_PROGRAMME_COMPLETED] = {"programme.completed", KF_PROGRAMME},
    [KF_RESIDENCE] = {"residence", -1},
    [KF_RESIDENCE_START] = {"residence.start", KF_RESIDENCE},
    [KF_RESIDENCE_END] = {"residence.end", KF_RESIDENCE},
    [KF_RESIDENCE_TYPE] = {"residence.type", KF_RESIDENCE},
    [KF_RESIDENCE_SUITABILITY] = {"residence.suitability", KF_RESIDENCE},
    [KF_ETE] = {"ete", -1},
    [KF_ETE_START] = {"ete.start", KF_ETE},
    [KF_ETE_END] = {"ete.end", KF_ETE},
    [KF_ETE_PROVISION] = {"ete.provision", KF_ETE},
    [KF_ETE_SUITABILITY] = {"ete.suitability", KF_ETE},
    [KF_ETE_HOURS_OFFERED] = {"ete.hours_offered", KF_ETE},
    [KF_ETE_HOURS_ATTENDED] = {"ete.hours_attended", KF_ETE},
    [KF_CARE] = {"care", -1},
    [KF_CARE_START] = {"care.start", KF_CARE},
    [KF_CARE_END] = {"care.end", KF_CARE},
    [KF_CARE_STATUS] = {"care.status", KF_CARE},
    [KF_SEND] = {"send", -1},
    [KF_SEND_START] = {"send.start", KF_SEND},
    [KF_SEND_END] = {"send.end", KF_SEND},
    [KF_SEND_IDENTIFIED] = {"send.identified", KF_SEND},
    [KF_SEND_PLAN] = {"send.plan", KF_SEND},
    [KF_MH] = {"mh", -1},
    [KF_MH_SCREENED] = {"mh.screened", KF_MH},
    [KF_MH_OFFERED] = {"mh.offered", KF_MH},
    [KF_MH_ATTENDED_START] = {"mh.attended_start", KF_MH},
    [KF_MH_ATTENDED_END] = {"mh.attended_end", KF_MH},
    [KF_MH_TYPE] = {"mh.type", KF_MH},
    [KF_SM] = {"sm", -1},
    [KF_SM_SCREENED] = {"sm.screened", KF_SM},
    [KF_SM_OFFERED] = {"sm.offered", KF_SM},
    [KF_SM_ATTENDED_START] = {"sm.attended_start", KF_SM},
    [KF_SM_ATTENDED_END] = {"sm.attended_end", KF_SM},
    [KF_SM_TYPE] = {"sm.type", KF_SM},
    [KF_VICTIM] = {"victim", -1},
    [KF_VICTIM_ID] = {"victim.id", KF_VICTIM},
    [KF_VICTIM_VICTIM_ID] = {"victim.victim_id", KF_VICTIM},
    [KF_VICTIM_CONSENT] = {"victim.consent", KF_VICTIM},
    [KF_VICTIM_VIEW_PRIOR] = {"victim.view_prior", KF_VICTIM},
    [KF_VICTIM_ENGAGED_RJ] = {"victim.engaged_rj", KF_VICTIM},
    [KF_VICTIM_PROGRESS_REQUEST] = {"victim.progress_request", KF_VICTIM},
    [KF_VICTIM_PROGRESS_PROVIDED] = {"victim.progress_provided", KF_VICTIM},
    [KF_VICTIM_SUPPORT_REQUEST] = {"victim.support_request", KF_VICTIM},
    [KF_VICTIM_SUPPORT_PROVIDED] = {"victim.support_provided", KF_VICTIM},
    [KF_OFFENCE_PROGRAMME] = {"offence_programme", -1},
    [KF_OFFENCE_PROGRAMME_OFFENCE] = {"offence_programme.offence", KF_OFFENCE_PROGRAMME},
    [KF_OFFENCE_PROGRAMME_PROGRAMME] = {"offence_programme.programme", KF_OFFENCE_PROGRAMME},
    [KF_OFFENCE_VICTIM] = {"offence_victim", -1},
    [KF_OFFENCE_VICTIM_OFFENCE] = {"offence_victim.offence", KF_OFFENCE_VICTIM},
    [KF_OFFENCE_VICTIM_VICTIM] = {"offence_victim.victim", KF_OFFENCE_VICTIM},
};

struct fields_ctx {
    struct kconf *k;
    const char *path;
    int line[KF_N]; /* where each key was given */
};

static int
element_ok(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

static int
fields_line(void *ctx, char *line, int lineno, struct yj_error *err)
{
    struct fields_ctx *c = ctx;
    char *cursor = line, *key = str_token(&cursor, " \t"), *elem = str_token(&cursor, " \t");
    int f;

    for (f = 0; f < KF_N && strcmp(kf_spec[f].key, key) != 0; f++)
        ;
    if (f == KF_N)
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: unknown key '%s'", c->path, lineno,
                            key);
    if (c->line[f])
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: key '%s' given twice (also line %d)",
                            c->path, lineno, key, c->line[f]);
    if (!elem || !element_ok(elem) || str_token(&cursor, " \t"))
        return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: expected '%s ELEMENT'", c->path, lineno,
                            key);
    c->line[f] = lineno;
    c->k->fields[f] = xstrdup(elem);
    return YJ_OK;
}

static const struct item *
find_item(const struct items *it, const char *element)
{
    for (int i = 0; i < it->nitems; i++)
        if (strcmp(it->items[i].element, element) == 0)
            return &it->items[i];
    return NULL;
}

/* Each element is one of items.conf: an item, or a field of the key's item. */
static int
check_against_items(const struct fields_ctx *c, const struct items *it, struct yj_error *err)
{
    const struct kconf *k = c->k;

    for (int f = 0; f < KF_N; f++) {
        const struct item *item =
            find_item(it, k->fields[kf_spec[f].item < 0 ? f : kf_spec[f].item]);
        int found = 0;

        if (kf_spec[f].item < 0) {
            if (!item)
                return yj_error_set(err, YJ_EX_CONFIG, "%s line %d: %s: items.conf has no item %s",
                                    c->path, c->line[f], kf_spec[f].key, k->fields[f]);
            continue;
        }
        for (int j = 0; item && j < item->nfields && !found; j++)
            found = strcmp(item->fields[j].element, k->fields[f]) == 0;
        if (!found)
            return yj_error_set(
                err, YJ_EX_CONFIG, "%s line %d: %s: items.conf has no field %s of item %s", c->path,
                c->line[f], kf_spec[f].key, k->fields[f], k->fields[kf_spec[f].item]);
    }
    return YJ_OK;
}

int
kconf_field_item(int f)
{
    return kf_spec[f].item < 0 ? f : kf_spec[f].item;
}

int
kconf_load_fields(struct kconf *k, const struct items *it, struct yj_error *err)
{
    char *path = path_join(k->dir, KFIELDS_FILE);
    struct fields_ctx c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.k = k;
    c.path = path;
    rc = kconf_read_file(path, k->fields_sha256, fields_line, &c, err);
    for (int f = 0; rc == YJ_OK && f < KF_N; f++)
        if (!k->fields[f])
            rc = yj_error_set(err, YJ_EX_CONFIG, "%s: key '%s' is missing", path, kf_spec[f].key);
    if (rc == YJ_OK)
        rc = check_against_items(&c, it, err);
    free(path);
    return rc;
}
