/*
 * test_extract_jobs.c - the order a parallel read takes its queries in (extract_jobs_order):
 * the reference queries of sql/extract/ and sql/service/ by their cost lines, the previous
 * MANIFEST's bytes for queries without one, then the serial order; and the cost line itself
 * (extract_query_cost). The read itself is tested against a real warehouse
 * (tests/integration/test_extract_jobs.c).
 */
#include "extract_int.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* The names of X's queries in the order a parallel read takes them, space separated. */
static char *
order_names(const struct extract *x)
{
    size_t n = x->nents + x->nsvcs, len = 1;
    size_t *order = calloc(n, sizeof(*order));
    char *names;

    cr_assert(order);
    extract_jobs_order(x, order);
    for (size_t k = 0; k < n; k++)
        len += strlen(extract_entity_at(x, order[k])->name) + 1;
    names = calloc(1, len);
    cr_assert(names);
    for (size_t k = 0; k < n; k++) {
        if (k)
            strcat(names, " ");
        strcat(names, extract_entity_at(x, order[k])->name);
    }
    free(order);
    return names;
}

Test(extract_jobs, a_first_read_takes_the_reference_queries_largest_first_by_their_cost_lines)
{
    struct yj_config cfg;
    struct extract_options opt = {.period_label = "2025Q1"};
    struct extract x;
    struct yj_error err;
    char *names;

    yj_error_init(&err);
    config_init(&cfg);
    cfg.path = strdup("yj.conf");
    cfg.conninfo = strdup("dbname=unused");
    cfg.sql = strdup(YJ_SOURCE_DIR "/sql/extract");
    cfg.mappings = strdup(YJ_SOURCE_DIR "/mappings");
    cr_assert_eq(period_parse("2025Q1", &opt.period, &err), YJ_OK, "%s", err.message);
    extract_init(&x, &cfg, &opt);
    cr_assert_eq(load_queries(&x, &err), YJ_OK, "%s", err.message);
    for (size_t i = 0; i < x.nents + x.nsvcs; i++)
        cr_assert_gt(extract_entity_at(&x, i)->cost_ms, 0, "%s has no cost line",
                     extract_entity_at(&x, i)->label);
    /* the times at 100,000 children: offence, outcome and the offence links of programmes and
     * hearings the longest; equal times in the serial order, so the service inputs (a
     * millisecond each) in inputs.conf order */
    names = order_names(&x);
    cr_assert_str_eq(names, "offence outcome programme_offence hearing_offence assessment victim "
                            "police_bail programme requirement ete sentence_proposal "
                            "accommodation hearing mh_screening sm_screening care_status "
                            "send_aln parenting_intervention person transfer "
                            "board_attendance population population_group");
    free(names);
    extract_release(&x);
    config_release(&cfg);
}

Test(extract_jobs, queries_without_a_cost_line_follow_by_the_previous_bytes_then_serially)
{
    struct entity ents[] = {
        {.name = "a", .file = "a.tsv"},
        {.name = "b", .file = "b.tsv", .cost_ms = 5},
        {.name = "c", .file = "c.tsv"},
        {.name = "d", .file = "d.tsv"},
        {.name = "e", .file = "e.tsv", .cost_ms = 5},
        {.name = "f", .file = "f.tsv", .cost_ms = 7},
    };
    struct entity svcs[] = {{.name = "s", .file = "service/s.tsv"}};
    struct extract x;
    char *names;

    memset(&x, 0, sizeof(x));
    manifest_init(&x.prev);
    x.ents = ents;
    x.nents = sizeof(ents) / sizeof(ents[0]);
    x.svcs = svcs;
    x.nsvcs = 1;
    names = order_names(&x);
    cr_assert_str_eq(names, "f b e a c d s", "no previous MANIFEST: cost, then serial");
    free(names);
    manifest_add_file(&x.prev, "a.tsv", 1, 10, "");
    manifest_add_file(&x.prev, "d.tsv", 1, 99, "");
    manifest_add_file(&x.prev, "service/s.tsv", 1, 50, "");
    manifest_add_file(&x.prev, "b.tsv", 1, 1, "");
    names = order_names(&x);
    cr_assert_str_eq(names, "f b e d s a c");
    free(names);
    manifest_release(&x.prev);
}

static unsigned long
cost_of(const char *sql)
{
    struct yj_error err;
    unsigned long ms = 42;

    yj_error_init(&err);
    cr_assert_eq(extract_query_cost(sql, "q.sql", &ms, &err), YJ_OK, "%s: %s", sql, err.message);
    return ms;
}

Test(extract_jobs, a_cost_line_is_read_among_the_comment_lines_that_open_the_query)
{
    cr_assert_eq(cost_of("-- q: what it reads\n-- cost: 1690 ms\nSELECT 1"), 1690);
    cr_assert_eq(cost_of("-- cost: 12 ms\r\n-- more\r\nSELECT 1"), 12);
    cr_assert_eq(cost_of("-- cost: 0 ms\nSELECT 1"), 0);
    cr_assert_eq(cost_of("-- q\nSELECT 1"), 0, "no cost line");
    cr_assert_eq(cost_of("-- q\nSELECT 1\n-- cost: 5 ms"), 0, "after the query: not read");
    cr_assert_eq(cost_of("-- q\n\n-- cost: 5 ms\nSELECT 1"), 0, "after a blank line: not read");
    cr_assert_eq(cost_of("SELECT 1 -- cost: 5 ms"), 0);
    cr_assert_eq(cost_of("-- costs: 5 ms\nSELECT 1"), 0, "another word");
}

Test(extract_jobs, a_cost_line_not_of_its_form_is_refused_naming_the_file_and_line)
{
    static const char *bad[] = {
        "-- q\n-- cost: 12\nSELECT 1",          "-- q\n-- cost: fast ms\nSELECT 1",
        "-- q\n-- cost:12 ms\nSELECT 1",        "-- q\n-- cost: 12 ms a day\nSELECT 1",
        "-- q\n-- cost: -12 ms\nSELECT 1",      "-- q\n-- cost: 12 s\nSELECT 1",
        "-- q\n-- cost: 1000000000 ms\nSELECT", "-- q\n-- cost:"};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct yj_error err;
        unsigned long ms;

        yj_error_init(&err);
        cr_assert_eq(extract_query_cost(bad[i], "sql/extract/q.sql", &ms, &err), YJ_EX_DATAERR,
                     "%s", bad[i]);
        cr_assert_str_eq(err.message,
                         "query file 'sql/extract/q.sql' line 2: a cost line is not "
                         "'-- cost: N ms'",
                         "%s", bad[i]);
    }
    {
        struct yj_error err;
        unsigned long ms;

        yj_error_init(&err);
        cr_assert_eq(
            extract_query_cost("-- cost: 1 ms\n-- cost: 2 ms\nSELECT 1", "q.sql", &ms, &err),
            YJ_EX_DATAERR);
        cr_assert_str_eq(err.message, "query file 'q.sql' line 2: a second cost line");
    }
}
