/*
 * board_ind_child.c - one child into the indicators' counters and cases.csv: its first time
 * entry, its court and custodial outcomes, its offence types, its reoffending cohorts and
 * whether yj-kpi's own counting rules put it in the KPI cohort.
 *
 * Everything here reads the child's records (the arena of the walk) and adds to counters of a
 * fixed size, so memory does not grow with the children read. An outcome's group is its
 * legalOutcome code's group in the bundle's kpi/legal_outcome.csv, never the group sent in the
 * return; appeal and residence filters are the KPIs' own tables (kpi/appeal_status.csv,
 * kpi/residence.csv) and absent-value settings (kpi/kpi.conf). docs/indicators.md states each
 * rule and where it follows the YJB's SQL.
 */
#include "board_ind_int.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* An outcome as the indicators see it. */
struct bout {
    const struct koffence *o;
    const struct koutcome *oc;
    int group; /* enum kgroup, or -1 (no counting group, unknown code) */
    int rank;
    int appeal_ok, residence_ok, age_ok, court_age_ok;
};

static int
in_set(unsigned set, int g)
{
    return g >= 0 && (set & (1u << g));
}

static int
counts(const struct bind_run *r, enum ktable_id t, const char *code, int absent_counts)
{
    const struct krow *row;

    if (!code)
        return absent_counts;
    row = kconf_lookup(&r->k, t, code);
    return row && row->v[0];
}

static int
age_in(const struct bind_run *r, int age)
{
    return age >= r->c.age_min && age <= r->c.age_max;
}

static void
bout_of(const struct bind_run *r, const struct koffence *o, const struct koutcome *oc,
        struct bout *b)
{
    const struct krow *lo = oc->legal ? kconf_lookup(&r->k, KT_LEGAL_OUTCOME, oc->legal) : NULL;
    int age;

    memset(b, 0, sizeof(*b));
    b->o = o;
    b->oc = oc;
    b->group = lo ? lo->v[LO_GROUP] : -1;
    b->rank = lo ? lo->v[LO_RANK] : 1 << 30;
    b->appeal_ok = counts(r, KT_APPEAL, oc->appeal, r->k.s.absent_appeal_counts);
    b->residence_ok = counts(r, KT_RESIDENCE, oc->residence, r->k.s.absent_residence_counts);
    /* KPI 9's age: on arrest (else on the offence) for Pre-Court, else at the first hearing */
    age = b->group == GRP_PRE_COURT ? (o->age_arrest >= 0 ? o->age_arrest : o->age_offence)
                                    : o->age_first_hearing;
    b->age_ok = age_in(r, age);
    b->court_age_ok = age_in(r, o->age_first_hearing);
}

static int
real_day(long d)
{
    return d != DATE_NONE && d != KDATE_OPEN;
}

/* ---- cases.csv ---- */

static const char *
group_name(const struct bind_run *r, int g)
{
    return g < r->c.ngroups ? r->c.group_names[g] : BOARD_NOT_STATED;
}

static const char *
outcome_id(const struct bind_run *r, const struct bout *b, char *buf, size_t size)
{
    snprintf(buf, size, "%s %s %s[%d]", r->k.fields[KF_OFFENCE], b->o->id ? b->o->id : "?",
             r->k.fields[KF_OUTCOME], b->oc->pos);
    return buf;
}

/* figure,basis,period,group,ypid,item,item_id */
static void
case_line(struct bind_run *r, const char *figure, const char *basis, const char *period,
          const char *group, const char *ypid, const char *item, const char *item_id)
{
    const char *cells[] = {figure, basis, period, group, ypid, item, item_id};

    if (!r->cases)
        return;
    for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
        if (i)
            fputc(',', r->cases);
        kcount_csv(r->cases, cells[i]);
    }
    fputc('\n', r->cases);
    r->case_lines++;
}

static void
outcome_line(struct bind_run *r, const struct kchild *c, int g, const char *figure,
             const char *basis, const char *period, const struct bout *b)
{
    char id[256];
    case_line(r, figure, basis, period, group_name(r, g), c->ypid, r->k.fields[KF_OUTCOME],
              outcome_id(r, b, id, sizeof(id)));
}

/* ---- first time entrants ---- */

/* B before BEST: the earlier date, then the more serious code, then the offence and outcome
 * order of the document. */
static int
earlier(const struct bout *b, const struct bout *best)
{
    if (b->oc->date != best->oc->date)
        return b->oc->date < best->oc->date;
    return b->rank < best->rank;
}

static void
fte(struct bind_run *r, const struct kchild *c, int g)
{
    struct bout best, b;
    int have = 0, q;
    char label[BOARD_PERIOD_LEN];

    memset(&best, 0, sizeof(best));
    for (int i = 0; i < c->noffences; i++)
        for (int j = 0; j < c->offences[i].noutcomes; j++) {
            bout_of(r, &c->offences[i], &c->offences[i].outcomes[j], &b);
            if (!real_day(b.oc->date) || !in_set(r->c.fte_groups, b.group) || !b.appeal_ok ||
                !b.age_ok)
                continue;
            if (!have || earlier(&b, &best)) {
                best = b;
                have = 1;
            }
        }
    /* the residence is tested after the choice, as the YJB's SQL does */
    if (!have || !best.residence_ok || (q = bind_bucket(&r->n, best.oc->date)) < 0)
        return;
    r->n.fte[q]++;
    if (q >= r->n.nq - 4)
        r->n.fte_group[g]++;
    bind_bucket_label(&r->n, q, label);
    outcome_line(r, c, g, "fte", "quarter", label, &best);
}

/* ---- custody, court outcomes, offence types ---- */

static int
category_index(const struct bind_run *r, const char *code)
{
    const struct ktable *t = &r->k.tables[KT_OFFENCE_CATEGORY];
    const struct krow *row = code ? kconf_lookup(&r->k, KT_OFFENCE_CATEGORY, code) : NULL;

    return row ? (int)(row - t->rows) : r->n.ncat;
}

static void
offence_type(struct bind_run *r, const struct kchild *c, const struct bout *b)
{
    int d, cat;

    for (d = 0; d < r->n.ndisposals && r->n.disposals[d] != b->group; d++)
        ;
    if (d == r->n.ndisposals)
        return;
    cat = category_index(r, b->o->category);
    r->n.offence_type[d * (r->n.ncat + 1) + cat]++;
    {
        char id[256];
        case_line(r, "offence_type", "rolling_year", r->period.label,
                  cat < r->n.ncat ? r->k.tables[KT_OFFENCE_CATEGORY].rows[cat].code : "NOT_KNOWN",
                  c->ypid, r->k.fields[KF_OUTCOME], outcome_id(r, b, id, sizeof(id)));
    }
}

static void
custody(struct bind_run *r, const struct kchild *c, int g)
{
    int custodial_child = 0;

    for (int i = 0; i < c->noffences; i++)
        for (int j = 0; j < c->offences[i].noutcomes; j++) {
            struct bout b;
            char label[BOARD_PERIOD_LEN];
            int q;
            bout_of(r, &c->offences[i], &c->offences[i].outcomes[j], &b);
            if (!in_set(r->c.court_groups, b.group) || !b.appeal_ok || !b.residence_ok ||
                !b.court_age_ok || !real_day(b.oc->date) ||
                (q = bind_bucket(&r->n, b.oc->date)) < 0)
                continue;
            bind_bucket_label(&r->n, q, label);
            r->n.court[q]++;
            outcome_line(r, c, g, "court_outcome", "quarter", label, &b);
            if (b.group == r->c.custody_group) {
                r->n.custodial[q]++;
                outcome_line(r, c, g, "custodial", "quarter", label, &b);
                custodial_child |= q >= r->n.nq - 4;
            }
            if (q >= r->n.nq - 4)
                offence_type(r, c, &b);
        }
    if (custodial_child)
        r->n.custody_group[g]++;
}

/* ---- reoffending ---- */

/* The index date of an outcome: the release (outcomeEndDate) for the release group, else the
 * outcome date; DATE_NONE when it is not an index event. */
static long
index_day(const struct bind_run *r, const struct bout *b)
{
    long d = b->group == r->c.release_group ? b->oc->end_date : b->oc->date;

    if (!in_set(r->c.index_groups, b->group) || !b->appeal_ok || !b->residence_ok || !b->age_ok ||
        !real_day(d))
        return DATE_NONE;
    return d;
}

/* Whether offence O is a proven reoffence after index day DAY: committed from day 1 to day
 * reoffence_days after it, with an outcome of the index groups (not overturned on appeal) by
 * day reoffence_days + proven_extra_days. */
static int
reoffence(const struct bind_run *r, const struct koffence *o, long day)
{
    if (!real_day(o->date) || o->date <= day || o->date > day + r->c.reoffence_days)
        return 0;
    for (int j = 0; j < o->noutcomes; j++) {
        struct bout b;
        bout_of(r, o, &o->outcomes[j], &b);
        if (in_set(r->c.index_groups, b.group) && b.appeal_ok && real_day(b.oc->date) &&
            b.oc->date <= day + r->c.reoffence_days + r->c.proven_extra_days)
            return 1;
    }
    return 0;
}

static void
reoffending(struct bind_run *r, const struct kchild *c, int g)
{
    struct bout first[BOARD_MAX_QUARTERS + 3];
    long day[BOARD_MAX_QUARTERS + 3];
    int cohort0 = r->n.nq - (int)r->src->quarters;

    for (int q = 0; q < r->n.nq; q++)
        day[q] = DATE_NONE;
    for (int i = 0; i < c->noffences; i++)
        for (int j = 0; j < c->offences[i].noutcomes; j++) {
            struct bout b;
            long d;
            int q;
            bout_of(r, &c->offences[i], &c->offences[i].outcomes[j], &b);
            if ((d = index_day(r, &b)) == DATE_NONE || (q = bind_bucket(&r->n, d)) < cohort0)
                continue;
            if (day[q] == DATE_NONE || d < day[q] || (d == day[q] && earlier(&b, &first[q]))) {
                day[q] = d;
                first[q] = b;
            }
        }
    for (int q = cohort0; q < r->n.nq; q++) {
        char label[BOARD_PERIOD_LEN];
        long n = 0;
        if (day[q] == DATE_NONE)
            continue;
        bind_bucket_label(&r->n, q, label);
        r->n.cohort_children[q]++;
        outcome_line(r, c, g, "reoffending_cohort", "cohort", label, &first[q]);
        for (int i = 0; i < c->noffences; i++)
            if (reoffence(r, &c->offences[i], day[q])) {
                n++;
                case_line(r, "reoffence", "cohort", label, group_name(r, g), c->ypid,
                          r->k.fields[KF_OFFENCE], c->offences[i].id);
            }
        r->n.reoffences[q] += n;
        r->n.reoffenders[q] += n > 0;
    }
}

/* ---- the KPI cohort: yj-kpi's own rules decide ---- */

static void
kpi_cohort(struct bind_run *r, const struct kchild *c, int g)
{
    unsigned long before = r->kc->cohort;

    kcount_child(r->kc, c);
    if (r->kc->cohort == before)
        return;
    r->n.kpi_group[g]++;
    case_line(r, "kpi_cohort", "quarter", r->period.label, group_name(r, g), c->ypid,
              r->k.fields[KF_PERSON], c->ypid);
}

void
bind_child(struct bind_run *r, const struct kchild *c)
{
    int g = bind_conf_group(&r->c, c->ethnicity);

    fte(r, c, g);
    custody(r, c, g);
    reoffending(r, c, g);
    kpi_cohort(r, c, g);
}
