/*
 * test_dirty.c - the dirty synthetic warehouse breaks every business rule a warehouse can.
 *
 * harness.sh loads `yj-gen --seed 7 --children 2000 --dirty` into database yj_dirty (env key
 * YJ_TEST_DIRTY_CONNINFO). Without --unmapped it has no unmapped local codes, so the real
 * yj-extract and yj-transform must write its 2025Q1 return; yj-validate --staged must then
 * find it invalid (65) and report at least one finding of every rule of rules.conf (read
 * here, so a new rule needs a dirty case in scripts/gen/dirty.h, DEF_*), except the rules
 * of not_from_warehouse below, which no warehouse can break: those must not be reported at
 * all, as a finding of one would mean an extraction query lets through what it should not.
 *
 * yj-run on the same warehouse must still compute the KPIs for the worklist (docs/kpi.md):
 * exit 65, a KPI MANIFEST saying `provisional yes`, and in kpi/worklist.txt children for
 * every worklist problem a warehouse can produce (yj-gen --dirty's GAP_* cases and the clean
 * distributions), all but those of not_from_warehouse_kpi below.
 */
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RULES YJ_SOURCE_DIR "/mappings/schema-11/rules.conf"
#define PERIOD "2025Q1"

static const char *const not_from_warehouse[] = {
    /* offence.sql keeps only offences dated on or before the period end (or undated) */
    "R024",
    /* programme.sql keeps only programmes starting on or before the period end */
    "R025",
    /* R050-R061: the link queries (programme_offence.sql, hearing_offence.sql, and the
     * programme, victim, parenting and assessment columns naming another item) emit a link
     * only when both its ends are in the child's return: the same child, the same date
     * filters as the items' own queries */
    "R050",
    "R051",
    "R052",
    "R053",
    "R054",
    "R055",
    "R056",
    "R057",
    "R058",
    "R059",
    "R060",
    "R061",
    /* R071-R073: offence, programme and hearing ids are primary keys, and
     * cms_asof.<table>(t) gives one version of a row at any moment, so no child has the
     * same offence, programme or hearing twice */
    "R071",
    "R072",
    "R073",
};

#define N_NOT (sizeof(not_from_warehouse) / sizeof(not_from_warehouse[0]))

static int
listed_not_from_warehouse(const char *id)
{
    for (size_t i = 0; i < N_NOT; i++)
        if (strcmp(not_from_warehouse[i], id) == 0)
            return 1;
    return 0;
}

static void
run_expect(const char *const argv[], int want)
{
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, want, "%s exit %d, want %d; stderr:\n%s", argv[0], r.status, want,
                 r.err);
    cmd_result_free(&r);
}

Test(dirty, every_rule_a_warehouse_can_break_is_reported, .timeout = 600)
{
    char *conf = config_variant("dirty", "conninfo", env_get("YJ_TEST_DIRTY_CONNINFO"), NULL);
    char *dir = temp_dir("dirty");
    char *staged = path2(dir, "staged");
    char *ret = path2(dir, "return");
    char *xml = path2(ret, "cld.xml");
    char *report_path = path2(dir, "report.txt");
    char *rules = read_file(RULES, NULL);
    char *report, *line, *save = NULL;
    char missing[2048] = "", unexpected[2048] = "";
    size_t seen_not = 0;
    int nrules = 0;
    struct cmd_result v;

    cr_assert(rules, "cannot read %s", RULES);
    {
        const char *argv[] = {"yj-extract", "--config", conf,   "--period",
                              PERIOD,       "--out",    staged, NULL};
        run_expect(argv, 0);
    }
    {
        const char *argv[] = {"yj-transform", "--config", conf, "--in", staged, "--out", ret, NULL};
        run_expect(argv, 0);
    }
    {
        const char *argv[] = {"yj-validate", "--config",  conf, "--staged", staged,
                              "--report",    report_path, xml,  NULL};
        v = run_cmd(argv);
    }
    cr_assert_eq(v.status, 65, "yj-validate exit %d, want 65 (the dirty return has errors):\n%s",
                 v.status, v.err);
    report = read_file(report_path, NULL);
    cr_assert(report, "no report %s", report_path);
    cr_assert(strstr(report, "\nrules " RULES " sha256 "),
              "the report must name the rules read here (%s):\n%.600s", RULES, report);

    /* "ID SEVERITY ITEM.FIELD CHECK ... | MESSAGE"; a finding reads "line N: ID SEVERITY: ..." */
    for (line = strtok_r(rules, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char id[16], severity[16], needle[48];
        int found;

        if (line[0] == '#' || sscanf(line, "%15s %15s", id, severity) != 2)
            continue;
        nrules++;
        snprintf(needle, sizeof(needle), ": %s %s: ", id, severity);
        found = strstr(report, needle) != NULL;
        if (listed_not_from_warehouse(id)) {
            seen_not++;
            if (found)
                snprintf(unexpected + strlen(unexpected), sizeof(unexpected) - strlen(unexpected),
                         " %s", id);
        } else if (!found) {
            snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " %s", id);
        }
    }
    cr_assert_gt(nrules, 40, "only %d rules read from %s", nrules, RULES);
    cr_assert_eq(seen_not, N_NOT, "a rule listed as not from a warehouse is not in %s", RULES);
    cr_assert_eq(missing[0], '\0',
                 "no finding in %s of rules:%s\n(give yj-gen --dirty a case for each; "
                 "yj-validate's summary:\n%s)",
                 report_path, missing, v.err);
    cr_assert_eq(unexpected[0], '\0',
                 "findings in %s of rules listed as not from a warehouse:%s\n(an extraction "
                 "query lets them through, or the list in test_dirty.c is out of date)",
                 report_path, unexpected);
    cmd_result_free(&v);
    free(report);
    free(rules);
    free(report_path);
    free(xml);
    free(ret);
    free(staged);
    free(dir);
    free(conf);
}

/* The worklist problems of etl/kpi/kcount.c (kproblems), as worklist.txt names them. */
static const char *const kpi_problems[] = {
    "programme_not_linked",          /* GAP_NOT_LINKED */
    "outcome_no_residence",          /* GAP_NO_RESIDENCE (the return also fails the schema) */
    "code_not_in_kpi_rules",         /* not from a warehouse: below */
    "no_accommodation_at_end",       /* 10% of children have no accommodation record */
    "accommodation_no_suitability",  /* GAP_ACCOM_NO_SUIT, DEF_MISSING */
    "no_ete_at_end",                 /* GAP_NO_ETE_END, 2% of children have no ETE */
    "ete_no_suitability",            /* GAP_ETE_NO_SUIT, DEF_MISSING */
    "ete_no_hours",                  /* GAP_ETE_NO_HOURS */
    "no_send_aln_at_end",            /* 25% of children have no SEND/ALN record */
    "send_aln_no_plan",              /* GAP_SEND_NO_PLAN */
    "no_mental_health_screening",    /* 25% of orders unscreened */
    "mental_health_no_type",         /* GAP_MH_NO_TYPE */
    "no_substance_misuse_screening", /* 40% of orders unscreened */
    "substance_misuse_no_type",      /* GAP_SM_NO_TYPE */
    "oocd_no_completion",            /* GAP_OOCD_NO_DONE */
    "offence_no_gravity",            /* GAP_NO_GRAVITY, DEF_MISSING */
    "victim_no_consent",             /* GAP_NO_CONSENT */
    "board_sector_not_in_kpi_rules", /* the XXX row is in 2024Q4: below */
};

/* Problems whose dirty case is in another quarter than PERIOD: listed, not required. */
static const char *const kpi_problems_other_quarter[] = {
    "board_sector_not_in_kpi_rules", /* yj-gen --dirty's 2024Q4 board row of sector XXX */
};

static const char *const not_from_warehouse_kpi[] = {
    /* a code the KPI rules do not hold: every code of the return goes through the bundle's
     * code maps, which the KPI rules must cover (yj-kpi checks, exit 78), and a local code
     * with no mapping stops yj-transform (--unmapped), so only a hand-made return has one */
    "code_not_in_kpi_rules",
};

#define N_KPI_PROBLEMS (sizeof(kpi_problems) / sizeof(kpi_problems[0]))
#define N_OTHER_QUARTER (sizeof(kpi_problems_other_quarter) / sizeof(kpi_problems_other_quarter[0]))

static int
kpi_problem_other_quarter(const char *code)
{
    for (size_t i = 0; i < N_OTHER_QUARTER; i++)
        if (strcmp(kpi_problems_other_quarter[i], code) == 0)
            return 1;
    return 0;
}
#define N_NOT_KPI (sizeof(not_from_warehouse_kpi) / sizeof(not_from_warehouse_kpi[0]))

static int
kpi_problem_known(const char *code)
{
    for (size_t i = 0; i < N_KPI_PROBLEMS; i++)
        if (strcmp(kpi_problems[i], code) == 0)
            return 1;
    return 0;
}

static int
kpi_problem_not_from_warehouse(const char *code)
{
    for (size_t i = 0; i < N_NOT_KPI; i++)
        if (strcmp(not_from_warehouse_kpi[i], code) == 0)
            return 1;
    return 0;
}

Test(dirty, kpi_worklist_has_every_problem_a_warehouse_can_produce, .timeout = 600)
{
    char *runs = temp_dir("dirty-kpi-runs");
    char *conf = config_variant("dirty-kpi", "conninfo", env_get("YJ_TEST_DIRTY_CONNINFO"),
                                "runs_root", runs, NULL);
    const char *argv[] = {"yj-run", "--config", conf, "--period", PERIOD, NULL};
    struct cmd_result r = run_cmd(argv);
    char *run, *kpi, *summary, *manifest, *line, *save = NULL;
    char missing[1024] = "", unknown[1024] = "", unexpected[1024] = "";
    size_t len = strlen(r.out), seen = 0;
    int in_table = 0;

    cr_assert_eq(r.status, 65, "yj-run exit %d, want 65 (the dirty return fails validation):\n%s",
                 r.status, r.err);
    cr_assert(len > 1 && strchr(r.out, '\n') == r.out + len - 1,
              "yj-run must print the run directory, got: %s", r.out);
    run = strndup(r.out, len - 1);
    kpi = path2(run, "kpi");
    manifest = read_file(path2(kpi, "MANIFEST"), NULL);
    cr_assert(manifest,
              "no KPI MANIFEST in %s: the KPIs are computed for the worklist even "
              "when the return fails validation",
              kpi);
    cr_assert(strstr(manifest, "\nprovisional yes\n"),
              "the KPIs of a return that failed validation are provisional:\n%s", manifest);
    summary = read_file(path2(kpi, "worklist.txt"), NULL);
    cr_assert(summary, "no worklist.txt in %s", kpi);
    cr_assert(strstr(summary, "PROVISIONAL"), "the worklist summary must say PROVISIONAL:\n%s",
              summary);

    /* "problem  kpi children  what to record", then "CODE KPI CHILDREN TEXT..." */
    for (line = strtok_r(summary, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char code[64], kpi_no[16];
        unsigned long children;

        if (!in_table) {
            in_table = strncmp(line, "problem ", 8) == 0;
            continue;
        }
        /* the table ends where the YJB's figures begin */
        if (strncmp(line, "headline figures ", 17) == 0)
            break;
        if (sscanf(line, "%63s %15s %lu", code, kpi_no, &children) != 3)
            continue;
        seen++;
        if (!kpi_problem_known(code))
            snprintf(unknown + strlen(unknown), sizeof(unknown) - strlen(unknown), " %s", code);
        else if (kpi_problem_not_from_warehouse(code)) {
            if (children != 0)
                snprintf(unexpected + strlen(unexpected), sizeof(unexpected) - strlen(unexpected),
                         " %s(%lu)", code, children);
        } else if (children == 0 && !kpi_problem_other_quarter(code))
            snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " %s", code);
    }
    cr_assert(in_table, "no problem table in worklist.txt");
    cr_assert_eq(unknown[0], '\0',
                 "worklist.txt has problems this test does not know:%s\n(add them to "
                 "kpi_problems, and a case to yj-gen --dirty, GAP_*)",
                 unknown);
    cr_assert_eq(seen, N_KPI_PROBLEMS, "worklist.txt lists %zu problems, want %zu", seen,
                 N_KPI_PROBLEMS);
    cr_assert_eq(missing[0], '\0',
                 "no child in the dirty %s worklist for:%s\n(give yj-gen --dirty a case, GAP_*)",
                 PERIOD, missing);
    cr_assert_eq(unexpected[0], '\0', "children for problems no warehouse can produce:%s",
                 unexpected);
    free(summary);
    free(manifest);
    free(kpi);
    free(run);
    cmd_result_free(&r);
    free(conf);
    free(runs);
}
