/*
 * test_golden.c - a golden-file value test of the whole return.
 *
 * harness.sh loads the hand-written warehouse tests/integration/golden/warehouse.sql into
 * database yj_golden (env key YJ_TEST_GOLDEN_CONNINFO). The real yj-extract and yj-transform
 * produce 2025Q1 from it as recorded at AS_OF (every fixture row is recorded as at
 * 2025-07-01), signed off 2025-07-10, and cld.xml must equal the reviewed
 * golden/cld-2025Q1.xml byte for byte, sourceReturnId included. The fixture's comments say
 * what each child is there to test.
 *
 * When a change to the return is intended: run this test, read the whole difference
 * (diff -u GOLDEN PRODUCED, both paths are in the failure message), check every changed value
 * against the fixture and the maps by hand, then copy the produced file over the golden one.
 * The envelope carries the program's version (cmsExtractVersion, extractVersion), so a
 * version change changes the golden file too.
 */
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GOLDEN YJ_SOURCE_DIR "/tests/integration/golden/cld-2025Q1.xml"
#define XSD YJ_SOURCE_DIR "/mappings/schema-11/cld.xsd"
#define AS_OF "2025-07-02T00:00:00Z"

static void
run_ok(const char *const argv[])
{
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, 0, "%s exit %d; stderr:\n%s", argv[0], r.status, r.err);
    cmd_result_free(&r);
}

/* Runs yj-extract --period 2025Q1 (as recorded at AS_OF, or now when NULL) and yj-transform
 * --sign-off 2025-07-10 on the golden warehouse into a new folder; returns the folder, which
 * holds staged/ and return/cld.xml. */
static char *
produce(const char *tag, const char *as_of)
{
    char *conf = config_variant(tag, "conninfo", env_get("YJ_TEST_GOLDEN_CONNINFO"), NULL);
    char *dir = temp_dir(tag);
    char *staged = path2(dir, "staged");
    char *ret = path2(dir, "return");
    char *xml = path2(ret, "cld.xml");

    {
        const char *argv[] = {"yj-extract", "--config", conf,      "--period", "2025Q1",
                              "--out",      staged,     "--as-of", as_of,      NULL};
        if (!as_of)
            argv[7] = NULL;
        run_ok(argv);
    }
    {
        const char *argv[] = {"yj-transform", "--config", conf,         "--in",       staged,
                              "--out",        ret,        "--sign-off", "2025-07-10", NULL};
        run_ok(argv);
    }
    cr_assert(file_exists(xml), "no %s", xml);
    free(conf);
    free(staged);
    free(ret);
    free(xml);
    return dir;
}

static char *
return_xml(const char *dir)
{
    return path2(dir, "return/cld.xml");
}

/* The line of TEXT (LEN bytes) that starts at offset START, without its newline. */
static char *
line_at(const char *text, size_t len, size_t start)
{
    size_t n = 0;

    if (start >= len)
        return strdup("(end of file)");
    while (start + n < len && text[start + n] != '\n')
        n++;
    return strndup(text + start, n);
}

Test(golden, return_equals_the_reviewed_golden_file)
{
    char *dir = produce("golden", AS_OF);
    char *xml = return_xml(dir);
    size_t glen, plen, i, line_start = 0;
    char *golden = read_file(GOLDEN, &glen);
    char *produced = read_file(xml, &plen);
    unsigned long line = 1;

    cr_assert(golden, "cannot read %s", GOLDEN);
    cr_assert(produced, "cannot read %s", xml);
    for (i = 0; i < glen && i < plen && golden[i] == produced[i]; i++)
        if (golden[i] == '\n') {
            line++;
            line_start = i + 1;
        }
    if (i < glen || i < plen)
        cr_assert_fail("cld.xml differs from the golden file at line %lu\n"
                       "  golden:   %s\n"
                       "  produced: %s\n"
                       "golden file:   %s\n"
                       "produced file: %s",
                       line, line_at(golden, glen, line_start), line_at(produced, plen, line_start),
                       GOLDEN, xml);
    free(golden);
    free(produced);
    free(xml);
    free(dir);
}

Test(golden, two_runs_as_of_the_same_moment_give_identical_bytes)
{
    char *a = produce("golden-a", AS_OF);
    char *b = produce("golden-b", AS_OF);
    char *xa = return_xml(a), *xb = return_xml(b);

    cr_assert(files_equal(xa, xb), "two runs as of %s differ: %s and %s", AS_OF, xa, xb);
    free(xa);
    free(xb);
    free(a);
    free(b);
}

Test(golden, as_of_before_anything_was_recorded_gives_an_empty_return)
{
    char *dir = produce("golden-empty", "2025-06-30T23:59:59Z");
    char *xml = read_file(return_xml(dir), NULL);

    cr_assert(xml);
    cr_assert(strstr(xml, "<documentCount>0</documentCount>"), "%.800s", xml);
    cr_assert_null(strstr(xml, "<child>"));
    free(xml);
    free(dir);
}

Test(golden, golden_file_is_valid_against_the_schema)
{
    const char *argv[] = {"/usr/bin/xmllint", "--noout", "--stream", "--schema", XSD, GOLDEN, NULL};
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, 0, "xmllint exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "validates"), "xmllint: %s", r.err);
    cmd_result_free(&r);
}

/* Picking values out of the return. The writer puts one element per line, so plain string
 * search is enough here; every helper returns a malloc'd copy, or NULL when absent. */

/* The <child> document whose person has this ypid. */
static char *
child_doc(const char *xml, const char *ypid)
{
    char needle[64];
    const char *at, *start = NULL, *end, *p;

    snprintf(needle, sizeof(needle), "<ypid>%s</ypid>", ypid);
    at = strstr(xml, needle);
    if (!at)
        return NULL;
    for (p = xml; (p = strstr(p, "<child>")) != NULL && p < at; p++)
        start = p;
    end = strstr(at, "</child>");
    cr_assert(start && end, "malformed return around %s", ypid);
    return strndup(start, (size_t)(end - start) + strlen("</child>"));
}

/* The ELEMENT inside DOC whose first field ID_ELEMENT is ID. */
static char *
item(const char *doc, const char *element, const char *id_element, const char *id)
{
    char open[128], close[128], needle[128];
    const char *at, *start = NULL, *end, *p;

    snprintf(open, sizeof(open), "<%s>", element);
    snprintf(close, sizeof(close), "</%s>", element);
    snprintf(needle, sizeof(needle), "<%s>%s</%s>", id_element, id, id_element);
    at = strstr(doc, needle);
    if (!at)
        return NULL;
    for (p = doc; (p = strstr(p, open)) != NULL && p < at; p++)
        start = p;
    end = strstr(at, close);
    cr_assert(start && end, "malformed %s %s", element, id);
    return strndup(start, (size_t)(end - start) + strlen(close));
}

/* The text of the first ELEMENT in BLOCK. */
static char *
value(const char *block, const char *element)
{
    char open[128], close[128];
    const char *a, *b;

    snprintf(open, sizeof(open), "<%s>", element);
    snprintf(close, sizeof(close), "</%s>", element);
    a = strstr(block, open);
    if (!a)
        return NULL;
    a += strlen(open);
    b = strstr(a, close);
    cr_assert(b, "unclosed %s", element);
    return strndup(a, (size_t)(b - a));
}

/* Asserts that ELEMENT of ITEM (ITEM_TYPE with ID_ELEMENT = ID) of child YPID is WANT (NULL:
 * the element is absent). */
static void
expect(const char *xml, const char *ypid, const char *item_type, const char *id_element,
       const char *id, const char *element, const char *want)
{
    char *doc = child_doc(xml, ypid);
    char *it, *got;

    cr_assert(doc, "no child %s in the return", ypid);
    it = item_type ? item(doc, item_type, id_element, id) : strdup(doc);
    cr_assert(it, "child %s has no %s %s", ypid, item_type, id);
    got = value(it, element);
    if (want)
        cr_assert(got && strcmp(got, want) == 0, "child %s %s %s: %s is '%s', want '%s'", ypid,
                  item_type ? item_type : "", id ? id : "", element, got ? got : "(absent)", want);
    else
        cr_assert(!got, "child %s %s %s: %s is '%s', want it absent", ypid,
                  item_type ? item_type : "", id ? id : "", element, got);
    free(got);
    free(it);
    free(doc);
}

Test(golden, hand_worked_values)
{
    char *dir = produce("golden-values", AS_OF);
    char *path = return_xml(dir);
    char *xml = read_file(path, NULL);
    const char *prog = "interventionProgramme", *prog_id = "interventionProgrammeId";

    cr_assert(xml);

    /* 1. Statutory school age at the 31 August edge (under 16 on the last 31 August on or
     * before the date). Child 3, born 2008-08-31, programme 331 2024-08-30..2024-08-31:
     * start: last 31 Aug is 2023-08-31, age then 15 -> true; age on 2024-08-30 is 15 (birthday
     * tomorrow). End: last 31 Aug is 2024-08-31 itself, age then 16 -> false; age 16.
     * Child 4, born one day later (2008-09-01), programme 431 ends 2024-09-01: age 16 on the
     * birthday, but the last 31 Aug (2024-08-31) she was still 15 -> true. */
    expect(xml, "YPG0000003", prog, prog_id, "331", "ageOnProgrammeStart", "15");
    expect(xml, "YPG0000003", prog, prog_id, "331", "isStatutorySchoolAgeAtProgrammeStart", "true");
    expect(xml, "YPG0000003", prog, prog_id, "331", "ageOnProgrammeEnd", "16");
    expect(xml, "YPG0000003", prog, prog_id, "331", "isStatutorySchoolAgeAtProgrammeEnd", "false");
    expect(xml, "YPG0000004", prog, prog_id, "431", "ageOnProgrammeEnd", "16");
    expect(xml, "YPG0000004", prog, prog_id, "431", "isStatutorySchoolAgeAtProgrammeEnd", "true");

    /* 2. A 29 February birth. Child 5, born 2008-02-29: 2026 has no 29 February, so the 18th
     * birthday is the day after 28 February 2026 -> 2026-03-01. Offence 511 on 2025-02-28:
     * 2025 - 2008 = 17, but 28 Feb comes before 29 Feb in (month, day) order -> 16. Arrest
     * on 2025-03-01 -> 17. */
    expect(xml, "YPG0000005", NULL, NULL, NULL, "dateOf18thBirthday", "2026-03-01");
    expect(xml, "YPG0000005", "offence", "offenceId", "511", "ageOnOffenceDate", "16");
    expect(xml, "YPG0000005", "offence", "offenceId", "511", "ageOnArrestDate", "17");

    /* 3. Care status on the offence / outcome date, most protective first (LAC, CEX, CPP,
     * CIN, EHP), start and end dates inclusive. Child 1, offence 111 on 2024-10-05: CPP 101
     * (2024-09-01..2024-12-31) and LAC 102 (from 2024-10-05, its first day) are current, CIN
     * ended 2024-08-31 -> LAC although CPP has the lower id -> LOOKED_AFTER. Offence 112 on
     * 2023-06-10: nothing had started -> absent. Child 7, offence 712 on 2024-06-01: CIN
     * (2024-01-01..2024-06-01, its last day) and EHP -> CHILD_IN_NEED; outcome 772 on
     * 2024-07-10 (an ABSOLUTE_DISCHARGE), CIN over -> EARLY_HELP_PLAN. */
    expect(xml, "YPG0000001", "offence", "offenceId", "111", "careStatusOnOffenceDate",
           "LOOKED_AFTER");
    expect(xml, "YPG0000001", "offence", "offenceId", "112", "careStatusOnOffenceDate", NULL);
    expect(xml, "YPG0000007", "offence", "offenceId", "712", "careStatusOnOffenceDate",
           "CHILD_IN_NEED");
    expect(xml, "YPG0000007", "offence", "offenceId", "712", "careStatusOnOutcomeDate",
           "EARLY_HELP_PLAN");

    /* 4. kpi6SuccessfullyCompleted is written only when the programme has an end date, and
     * an open end is 1900-01-01. Child 4: programme 432 ends 2025-08-31 but completed_flag is
     * NULL -> absent; programme 433 has no end date (-> endDate 1900-01-01, no
     * ageOnProgrammeEnd) though completed_flag is true -> absent. Child 3: programme 331 ends
     * 2024-08-31 with completed_flag true -> true. */
    expect(xml, "YPG0000004", prog, prog_id, "432", "kpi6SuccessfullyCompleted", NULL);
    expect(xml, "YPG0000004", prog, prog_id, "433", "kpi6SuccessfullyCompleted", NULL);
    expect(xml, "YPG0000004", prog, prog_id, "433", "endDate", "1900-01-01");
    expect(xml, "YPG0000004", prog, prog_id, "433", "ageOnProgrammeEnd", NULL);
    expect(xml, "YPG0000003", prog, prog_id, "331", "kpi6SuccessfullyCompleted", "true");

    /* 5. ageOnFirstHearing: age on the earliest hearing dated on or before 2025-06-30 that
     * dealt with the offence. Child 1 (born 2008-11-20): offence 111 was heard on 2024-11-19
     * and 2024-11-20 -> 2024-11-19, the day before the 16th birthday -> 15; offence 112 only
     * on 2024-11-20 -> 16. Child 9, offence 913: its only hearing (922) is on 2025-07-08,
     * after the period -> absent. */
    expect(xml, "YPG0000001", "offence", "offenceId", "111", "ageOnFirstHearing", "15");
    expect(xml, "YPG0000001", "offence", "offenceId", "112", "ageOnFirstHearing", "16");
    expect(xml, "YPG0000009", "offence", "offenceId", "913", "ageOnFirstHearing", NULL);

    /* 6. Text is escaped: the warehouse holds
     *   Took bike & lock (value <£50 >£20) from "Unit 4" store's yard
     * & -> &amp;, < -> &lt;, > -> &gt;, " -> &quot;; the apostrophe and £ stay as they are.
     * Child 13 (first contact 2025-07-01, after the period) is not in the return at all:
     * 13 children in the warehouse -> documentCount 12. */
    expect(xml, "YPG0000001", "offence", "offenceId", "111", "offenceDescription",
           "Took bike &amp; lock (value &lt;£50 &gt;£20) from &quot;Unit 4&quot; store's yard");
    cr_assert(!strstr(xml, "YPG0000013"), "child 13 must not be in the return");
    cr_assert(strstr(xml, "<documentCount>12</documentCount>"), "documentCount must be 12");
    /* and the envelope carries the --sign-off date given to yj-transform */
    cr_assert(strstr(xml, "<signOffDate>2025-07-10</signOffDate>"),
              "signOffDate must be 2025-07-10");

    free(xml);
    free(path);
    free(dir);
}

/* The business rules on the golden return: every finding was checked against the fixture by
 * hand (child 1's OTH and UNK outcomes, child 6's UNK, child 10's undated offence with no
 * gravity, ethnicity not stated and a residence with no suitability, child 11's sex and
 * ethnicity not known), with children named by warehouse id through the staged folder. */
Test(golden, rule_findings_equal_the_reviewed_golden_report)
{
    char *dir = produce("golden-rules", AS_OF);
    char *conf =
        config_variant("golden-rules-conf", "conninfo", env_get("YJ_TEST_GOLDEN_CONNINFO"), NULL);
    char *report = path2(dir, "report.txt");
    char *staged = path2(dir, "staged");
    char *xml = return_xml(dir);
    char *want = read_file(YJ_SOURCE_DIR "/tests/integration/golden/report-2025Q1.txt", NULL);
    char *got, *findings;
    const char *argv[] = {"yj-validate", "--config", conf, "--staged", staged,
                          "--report",    report,     xml,  NULL};
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, 65, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "yj-validate: warning: R041 query: 2 findings: ethnicity not stated\n"),
              "stderr has a summary per rule:\n%s", r.err);
    cmd_result_free(&r);
    got = read_file(report, NULL);
    cr_assert(got && want);
    findings = strstr(got, "\n\n");
    cr_assert(findings, "%s", got);
    cr_assert_str_eq(findings + 2, want, "the findings differ from golden/report-2025Q1.txt");
    free(got);
    free(want);
    free(xml);
    free(staged);
    free(report);
    free(conf);
    free(dir);
}

/* The KPIs of the golden return, compared file by file with golden/kpi-2025Q1/, reviewed by
 * hand: one child (9) has an order ending in 2025Q1, its section 259 sentence (programme 932,
 * 2024-04-02 to 2025-04-01, the first day of the quarter; programme 931 ended the day before
 * the quarter). Custody's "at start" is the day before custody began (2024-04-01), so the STC
 * and SCH records, which began on and after the custody day and ended before the order end,
 * are neither at start nor at end; the independent living record from 2025-04-01 (open,
 * UNSUITABLE) is current at the end: KPI 1 is 0 of 1, one child in "Independent living"
 * cust_total and cust_end_no. No ETE, SEND/ALN or screening: four worklist lines. KPI 9:
 * child 5's robbery (gravity 6, DTO outcome 2025-04-16, linked to its DTO licence, first
 * hearing at 17) is the one serious violence offence, in age16to17; child 5's DTO custody
 * programme does not count, its licence ends after the quarter. Child 4's OUTCOME_22 and
 * COMMUNITY_RESOLUTION outcomes of the quarter (sent as Pre-Court) are Diversion by their
 * codes' group (kpi/legal_outcome.csv), so KPI 9 counts 2 offences (child 5's), not 4. No
 * board attendance or population in the golden warehouse: KPI 8 and the KPI 9 rate are blank.
 * headline.csv's YJB columns equal the project's (no reading differs for this one child):
 * the worklist summary says "0 of 176 headline cells differ". */
Test(golden, kpi_outputs_equal_the_reviewed_golden_files)
{
    static const char *const files[] = {"kpi1_accommodation_detail.csv",
                                        "kpi2_ete.csv",
                                        "kpi3_send_aln.csv",
                                        "kpi4_mhew.csv",
                                        "kpi5_substance_misuse.csv",
                                        "kpi6_ooc.csv",
                                        "kpi7_ws.csv",
                                        "kpi8_mba.csv",
                                        "kpi9_sv.csv",
                                        "kpi10_victims.csv",
                                        "headline.csv",
                                        "cases.csv",
                                        "worklist.csv",
                                        "worklist.txt",
                                        "recording.csv",
                                        NULL};
    char *dir = produce("golden-kpi", AS_OF);
    char *conf =
        config_variant("golden-kpi-conf", "conninfo", env_get("YJ_TEST_GOLDEN_CONNINFO"), NULL);
    char *ret = path2(dir, "return"), *staged = path2(dir, "staged"), *out = path2(dir, "kpi");
    const char *argv[] = {"yj-kpi",   "--config", conf,    "--return", ret,
                          "--staged", staged,     "--out", out,        NULL};

    run_ok(argv);
    for (int i = 0; files[i]; i++) {
        char golden[512], *got_path = path2(out, files[i]);
        char *want, *got;
        size_t wl, gl;

        snprintf(golden, sizeof(golden), "%s/tests/integration/golden/kpi-2025Q1/%s", YJ_SOURCE_DIR,
                 files[i]);
        want = read_file(golden, &wl);
        got = read_file(got_path, &gl);
        cr_assert(want && got, "cannot read %s or %s", golden, got_path);
        cr_assert(wl == gl && memcmp(want, got, wl) == 0,
                  "%s differs from the golden file\n--- golden\n%s\n--- produced\n%s", files[i],
                  want, got);
        free(want);
        free(got);
        free(got_path);
    }
    free(ret);
    free(staged);
    free(out);
    free(conf);
    free(dir);
}
