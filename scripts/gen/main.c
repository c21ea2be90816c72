/*
 * main.c - yj-gen: synthetic data for the yjreturns reference warehouse (schema cms).
 *
 * Writes to stdout a psql script of `COPY cms.<table> (cols) FROM STDIN;` blocks, one per
 * table, for N synthetic children with ids 1..N (sql/warehouse/010_schema.sql). The output is a
 * pure function of --seed and --children (own splitmix64 generator, rng.c; no clock, no
 * rand()): each child draws from its own stream seeded by (seed, child id, table), so the
 * tables are written one after another by regenerating each child's core record (child.c),
 * and memory stays flat. Tables and columns added later draw from streams of their own, so
 * the older ones keep their rows. Everything is made up: no names, no addresses (postcode
 * districts only). Ids are derived, not sequenced: offence = child*10+k, outcome =
 * offence*10+j, programme/accommodation/ete/care_status = child*10+k, victim = offence*10+v,
 * assessment = programme*10+s, hearing = offence*10+h, sentence_proposal = hearing*10+1,
 * police_bail = offence*10+b, requirement = outcome*10+q, parenting_intervention =
 * programme*10+1, transfer = child*10+1 (IN) / +2 (OUT), mh_screening/sm_screening =
 * programme*10+1.
 *
 * The parts: this file (options, the table list, the loop); rng.c; calendar.c; copyout.c
 * (the COPY writer); codes.c (the local code lists and the maps that read them); child.c
 * (the core record); dirty.c (--dirty's faults); person.c, offences.c, court.c, episodes.c,
 * interventions.c (a child's rows); service.c (the service's tables). Each file states the
 * distributions it draws (the figures of docs/domain.md, "Synthetic data").
 *
 * Usage: yj-gen --seed S --children N [--board-shares] [--dirty [--unmapped]] [--help]; exit 64 on
 * a bad command line, 74 when stdout cannot be written.
 */
#include "child.h"
#include "copyout.h"
#include "dirty.h"
#include "rows.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define EXIT_USAGE 64
#define MIN_CHILDREN 10
#define MAX_CHILDREN 1000000

uint64_t opt_seed;
int opt_dirty;
int opt_unmapped;
int opt_board;
static int opt_children;

struct table {
    const char *name;
    const char *cols;
    void (*row)(const struct child *c);
};

static const struct table tables[] = {
    {"young_person",
     "yp_id, ypid, pnc, dob, sex_cd, ethnicity_cd, first_contact_date, "
     "originating_yot_person_id, gender_cd, gender_same_flag, nationality_cd, religion_cd, "
     "language_cd, immigration_cd",
     row_young_person},
    {"offence",
     "offence_id, yp_id, offence_date, arrest_date, description, postcode_district, cjs_code, "
     "plea_cd, category_cd, gravity, knife_flag",
     row_offence},
    {"outcome",
     "outcome_id, offence_id, yp_id, outcome_date, outcome_end_date, outcome_cd, main_flag, "
     "appeal_cd, residence_cd, term_days, term_weeks, term_months, term_years",
     row_outcome},
    {"programme",
     "programme_id, yp_id, start_date, end_date, disposal_cd, victim_flag, completed_flag, "
     "hearing_id",
     row_programme},
    {"programme_offence", "programme_id, offence_id, yp_id", row_programme_offence},
    {"hearing", "hearing_id, yp_id, hearing_date, court_type_cd, court_name, remand_cd",
     row_hearing},
    {"hearing_offence", "hearing_id, offence_id, yp_id", row_hearing_offence},
    {"sentence_proposal", "proposal_id, hearing_id, yp_id, proposal_cd", row_sentence_proposal},
    {"police_bail", "police_bail_id, yp_id, offence_id, bail_cd, start_date, end_date",
     row_police_bail},
    {"requirement",
     "requirement_id, outcome_id, yp_id, requirement_cd, term_months, upw_hours_mandated, "
     "upw_hours_completed",
     row_requirement},
    {"parenting_intervention",
     "parenting_id, yp_id, programme_id, type_cd, start_date, sessions_planned, "
     "sessions_attended",
     row_parenting_intervention},
    {"transfer", "transfer_id, yp_id, transfer_date, direction_cd, other_service", row_transfer},
    {"accommodation",
     "accommodation_id, yp_id, start_date, end_date, accom_type_cd, suitability_cd",
     row_accommodation},
    {"ete",
     "ete_id, yp_id, start_date, end_date, provision_cd, suitability_cd, hours_offered, "
     "hours_attended",
     row_ete},
    {"care_status", "care_status_id, yp_id, status_cd, start_date, end_date", row_care_status},
    {"send_aln",
     "send_aln_id, yp_id, identified_flag, formal_plan_flag, plan_cd, start_date, end_date",
     row_send_aln},
    {"mh_screening",
     "mh_screening_id, yp_id, screened_date, need_flag, referred_date, offered_date, "
     "attended_start_date, attended_end_date, intervention_cd",
     row_mh_screening},
    {"sm_screening",
     "sm_screening_id, yp_id, screened_date, need_flag, referred_date, offered_date, "
     "attended_start_date, attended_end_date, intervention_cd",
     row_sm_screening},
    {"victim",
     "victim_id, yp_id, offence_id, victim_type_cd, contact_date, consent_flag, "
     "view_asked_flag, rj_engaged_flag, progress_requested_flag, progress_provided_flag, "
     "support_requested_flag, support_provided_flag",
     row_victim},
    {"assessment",
     "assessment_id, yp_id, programme_id, assessment_date, stage_cd, likelihood_cd, rosh_cd, "
     "wellbeing_cd, yogrs",
     row_assessment},
};

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: yj-gen --seed S --children N [--board-shares] [--dirty [--unmapped]]\n"
            "Write a psql script of COPY blocks filling the cms warehouse with N synthetic\n"
            "children (ids 1..N, N from %d to %d), deterministic for a given seed.\n"
            "  --seed S       unsigned 64-bit seed\n"
            "  --children N   number of children\n"
            "  --board-shares the shares of the service's plans, for the board pack: most\n"
            "                 children diverted only; about 40 first time entrants a year\n"
            "                 per 1,700 children; custody 10-15%% of court outcomes; a\n"
            "                 third of the children cautioned or convicted reoffending,\n"
            "                 3-4 times each (other output than without it)\n"
            "  --dirty        give about 2%% of children defects: a missing offence date,\n"
            "                 an overlapping programme or accommodation, and records that\n"
            "                 break the business rules of rules.conf (the return still\n"
            "                 transforms; yj-validate reports them), and one 2024Q4 board\n"
            "                 attendance row of the unknown sector XXX\n"
            "  --unmapped     with --dirty: also unmapped local codes (ethnicity ZZZZ,\n"
            "                 outcome XX9), which make yj-transform fail\n"
            "  --help         show this help\n"
            "Exit codes: 0 ok, 64 bad command line, 74 cannot write stdout.\n"
            "Example: yj-gen --seed 42 --children 300 | psql -v ON_ERROR_STOP=1 -1 -q\n",
            MIN_CHILDREN, MAX_CHILDREN);
}

static int
parse_u64(const char *s, uint64_t *v)
{
    char *end;
    unsigned long long x;

    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    x = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *v = (uint64_t)x;
    return 0;
}

int
main(int argc, char **argv)
{
    static int gaps_done[NQUARTER][NGAP]; /* --dirty: gaps given so far, per quarter */
    int i, have_seed = 0, have_children = 0;
    size_t t;
    int64_t id;
    struct child *c;

    for (i = 1; i < argc; i++) {
        uint64_t v;

        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--dirty")) {
            opt_dirty = 1;
        } else if (!strcmp(argv[i], "--board-shares")) {
            opt_board = 1;
        } else if (!strcmp(argv[i], "--unmapped")) {
            opt_unmapped = 1;
        } else if (!strcmp(argv[i], "--seed")) {
            if (parse_u64(i + 1 < argc ? argv[++i] : NULL, &v) != 0) {
                fprintf(stderr, "yj-gen: --seed needs an unsigned integer\n");
                return EXIT_USAGE;
            }
            opt_seed = v;
            have_seed = 1;
        } else if (!strcmp(argv[i], "--children")) {
            if (parse_u64(i + 1 < argc ? argv[++i] : NULL, &v) != 0 || v < MIN_CHILDREN ||
                v > MAX_CHILDREN) {
                fprintf(stderr, "yj-gen: --children needs an integer from %d to %d\n", MIN_CHILDREN,
                        MAX_CHILDREN);
                return EXIT_USAGE;
            }
            opt_children = (int)v;
            have_children = 1;
        } else {
            fprintf(stderr, "yj-gen: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!have_seed || !have_children) {
        fprintf(stderr, "yj-gen: --seed and --children are required\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    if (opt_unmapped && !opt_dirty) {
        fprintf(stderr, "yj-gen: --unmapped needs --dirty\n");
        return EXIT_USAGE;
    }

    c = malloc(sizeof(*c));
    if (c == NULL) {
        fprintf(stderr, "yj-gen: out of memory\n");
        return EXIT_IOERR;
    }
    out_str("-- yj-gen synthetic warehouse data: seed ");
    out_u64(opt_seed);
    out_str(", children ");
    out_u64((uint64_t)opt_children);
    if (opt_board)
        out_str(", board shares");
    out_str(opt_unmapped ? ", dirty, unmapped\n" : opt_dirty ? ", dirty\n" : "\n");
    out_str("SET client_min_messages = warning;\n");
    for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
        int ndirty = 0; /* dirty children so far, in id order */

        memset(gaps_done, 0, sizeof(gaps_done));
        copy_begin(tables[t].name, tables[t].cols);
        for (id = 1; id <= opt_children; id++) {
            gen_core(c, id);
            if (c->dirty)
                gen_defect(c, ndirty++);
            if (opt_dirty)
                gen_gaps(c, gaps_done);
            tables[t].row(c);
        }
        copy_end();
    }
    write_board_attendance();
    write_population();
    out_flush();
    free(c);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "yj-gen: could not write to stdout: %s\n", strerror(errno));
        return EXIT_IOERR;
    }
    return 0;
}
