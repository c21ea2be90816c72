/*
 * test_rules.c - the business rules table (etl/validate/rules.c) and its findings.
 *
 * The rules are data in the bundle, so these tests pin three things: the shipped table loads
 * and uses every check; each way a table can be wrong is refused with one line naming the
 * file, line and rule; and the findings of a hand-made return are exactly the ones worked
 * out by hand, naming rule, child (warehouse id from the staged person file, and ypid), item
 * with id or position, and field.
 */
#include "rules.h"
#include "validate.h"

#include "manifest.h"
#include "sha256.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define BUNDLE YJ_SOURCE_DIR "/mappings/schema-11"

static char *dir;
static struct items it;

static void
setup(void)
{
    struct yj_error err;

    dir = ut_mkdtemp();
    items_init(&it);
    cr_assert_eq(items_load(&it, BUNDLE, &err), YJ_OK, "%s", err.message);
}

static void
teardown(void)
{
    items_release(&it);
    ut_rmtree(dir);
    free(dir);
}

TestSuite(rules, .init = setup, .fini = teardown);

Test(rules, shipped_table_loads_with_every_check_and_unique_ids)
{
    struct rules rs;
    struct yj_error err;
    int used[CHK_UNIQUE_RETURN + 1] = {0}, queries = 0;

    rules_init(&rs);
    cr_assert_eq(rules_load(&rs, BUNDLE, &it, &err), YJ_OK, "%s", err.message);
    cr_assert_geq(rs.n, 30, "only %d rules", rs.n);
    for (int i = 0; i < rs.n; i++) {
        used[rs.r[i].check]++;
        queries += rs.r[i].query;
    }
    for (int c = 0; c <= CHK_UNIQUE_RETURN; c++)
        cr_expect_gt(used[c], 0, "check %d is used by no rule", c);
    cr_expect_gt(queries, 0);
    cr_expect_lt(queries, rs.n);
    rules_release(&rs);
}

/* Loads `text` as the rules of a scratch bundle; expects a config error holding `tail`. */
static void
assert_refused(const char *text, const char *tail)
{
    struct rules rs;
    struct yj_error err;
    char *path = ut_path(dir, "rules.conf"), want[1024];

    ut_write(path, text);
    rules_init(&rs);
    cr_assert_eq(rules_load(&rs, dir, &it, &err), YJ_EX_CONFIG, "accepted: %s", text);
    snprintf(want, sizeof(want), "%s %s", path, tail);
    cr_assert_str_eq(err.message, want);
    rules_release(&rs);
    free(path);
}

Test(rules, unknown_item_or_field_is_refused)
{
    assert_refused("# one rule\nR900 error hearingX.hearingDate present | m\n",
                   "line 2: rule R900: 'hearingX.hearingDate' is not an item.field of '" BUNDLE
                   "/items.conf'");
    assert_refused("R900 error hearing.date present | m\n",
                   "line 1: rule R900: 'hearing.date' is not an item.field of '" BUNDLE
                   "/items.conf'");
}

Test(rules, unknown_severity_or_check_is_refused)
{
    assert_refused("R900 fatal offence.offenceDate present | m\n",
                   "line 1: rule R900: unknown severity 'fatal' (error or query)");
    assert_refused("R900 error offence.offenceDate exists | m\n",
                   "line 1: rule R900: unknown check 'exists'");
}

Test(rules, wrong_arguments_are_refused)
{
    assert_refused("R900 error offence.offenceDate age_between 10 | m\n",
                   "line 1: rule R900: age_between takes 2 arguments");
    assert_refused("R900 error offence.offenceDate age_between 17 10 | m\n",
                   "line 1: rule R900: bad age range '17 10'");
    assert_refused("R900 error offence.offenceDate not_before hearing.hearingDate | m\n",
                   "line 1: rule R900: 'hearing.hearingDate' is not this item, an item it sits "
                   "under, the person or the envelope");
    assert_refused("R900 error offence.offenceDate not_before envelope.nothing | m\n",
                   "line 1: rule R900: 'envelope.nothing' is not an item.field of '" BUNDLE
                   "/items.conf' nor an envelope date");
}

/* The envelope a rule may name is items.conf's: its dates and numbers, by their element. */
Test(rules, a_rule_names_a_date_or_number_of_the_described_envelope)
{
    struct rules rs;
    struct yj_error err;
    char *path = ut_path(dir, "rules.conf");

    ut_write(path, "R900 error offence.offenceDate not_before envelope.returnStartDate | m\n"
                   "R901 error requirement.term not_more_than envelope.partCount | m\n");
    rules_init(&rs);
    cr_assert_eq(rules_load(&rs, dir, &it, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(rs.n, 2);
    cr_expect_eq(rs.r[0].other_item, RULES_ENVELOPE);
    cr_expect_str_eq(it.envelope.fields[rs.r[0].other_field].element, "returnStartDate");
    cr_expect_str_eq(rs.r[0].other_name, "returnStartDate");
    cr_expect_str_eq(it.envelope.fields[rs.r[1].other_field].element, "partCount");
    cr_expect_str_eq(it.envelope.fields[rs.env_end].element, "returnEndDate");
    rules_release(&rs);
    free(path);
    /* text is neither a date nor a number */
    assert_refused("R900 error offence.offenceDate not_before envelope.cmsSystem | m\n",
                   "line 1: rule R900: 'envelope.cmsSystem' is not an item.field of '" BUNDLE
                   "/items.conf' nor an envelope date");
}

/* age_at_return_end reads the envelope's field of source period_end(): without one it is
 * refused, naming the rule. */
Test(rules, age_at_return_end_needs_the_envelope_field_of_period_end)
{
    for (int f = 0; f < it.envelope.nfields; f++)
        if (it.envelope.fields[f].fn == FN_PERIOD_END)
            it.envelope.fields[f].fn = FN_PERIOD_START;
    assert_refused("R900 query person.dateOfBirth age_at_return_end 10 30 | m\n",
                   "line 1: rule R900: ages at the return's end need an envelope field of source "
                   "period_end() in '" BUNDLE "/items.conf'");
}

Test(rules, duplicate_id_and_missing_message_are_refused)
{
    assert_refused("R900 error offence.offenceDate present | a\n"
                   "R900 query offence.arrestDate present | b\n",
                   "line 2: rule R900 is already defined on line 1");
    assert_refused("R900 error offence.offenceDate present\n",
                   "line 1: expected 'ID SEVERITY ITEM.FIELD CHECK [ARGUMENTS] | MESSAGE'");
}

/* Writes a staged folder holding person.tsv with these rows and its MANIFEST. */
static char *
staged_persons(const char *rows, unsigned long long n)
{
    char *staged = ut_path(dir, "staged"), *tsv, *m_path, hex[SHA256_HEX_LEN + 1], *text;
    struct manifest m;
    struct yj_error err;
    unsigned long long bytes;

    cr_assert(mkdir(staged, 0700) == 0 || errno == EEXIST);
    tsv = ut_path(staged, "person.tsv");
    text = malloc(strlen(rows) + 32);
    strcpy(text, "child_id\typid\n");
    strcat(text, rows);
    ut_write(tsv, text);
    cr_assert_eq(sha256_file(tsv, hex, &bytes), 0);
    manifest_init(&m);
    manifest_set(&m, "stage", "extract");
    manifest_add_file(&m, "person.tsv", n, bytes, hex);
    m_path = ut_path(staged, "MANIFEST");
    cr_assert_eq(manifest_write(&m, m_path, &err), YJ_OK, "%s", err.message);
    manifest_release(&m);
    free(text);
    free(tsv);
    free(m_path);
    return staged;
}

/* A return's first lines: the root and an envelope of 2025Q1 saying COUNT documents. */
#define RETURN_HEAD(count)                                                                         \
    "<?xml version=\"1.0\"?>\n"                                                                    \
    "<cldReturn xmlns=\"urn:yjreturns:cld:schema-11\" schemaVersion=\"11\">\n"                     \
    "<envelope><sourceReturnId>T-2025Q1</sourceReturnId><yotOuCode>T</yotOuCode>"                  \
    "<returnStartDate>2025-04-01</returnStartDate><returnEndDate>2025-06-30</returnEndDate>"       \
    "<cmsSystem>t</cmsSystem><cmsExtractVersion>1</cmsExtractVersion>"                             \
    "<schemaVersion>11</schemaVersion><extractVersion>t</extractVersion>"                          \
    "<documentCount>" count "</documentCount></envelope>\n"

#define PERSON(y)                                                                                  \
    "<person><ypid>" y "</ypid><currentYotId>T</currentYotId><dateOfBirth>2008-03-01"              \
    "</dateOfBirth><dateOf18thBirthday>2026-03-01</dateOf18thBirthday><sex>1</sex>"                \
    "<ethnicity>W1</ethnicity></person>\n"

Test(rules, findings_name_rule_child_item_and_field_worked_by_hand)
{
    char *xml = ut_path(dir, "cld.xml"), *report = ut_path(dir, "report.txt");
    char *staged = staged_persons("41\tYP1\n42\tYP1\n", 2), *text;
    struct validate_options opt = {
        .mappings = YJ_SOURCE_DIR "/mappings", .file = xml, .report = report, .staged = staged};
    struct validate_result res;
    struct yj_error err;

    /* Child 41 (YP1): two offences with id 5 (R071 on the second), a programme 8, links to
     * offence 5 and programme 8 (fine) and to programme 9 (R051), a YRO requirement with 50 of
     * 40 hours done (R030), a police bail ending before it starts (R019).
     * Child 42 has the same ypid (R070) and an assessment link naming programme 8 and
     * assessment 3, neither of which it has (R060, R061: programme 8 is child 41's); its only
     * residence has no suitability (R036, a query) and ends 1900-01-01 (open: no R015). */
    ut_write(
        xml,
        RETURN_HEAD("2") "<child>" PERSON(
            "YP1") "<offence><offenceId>5</offenceId><offenceDate>2024-01-01</offenceDate>"
                   "<yjbOffenceCategory>DRUGS</yjbOffenceCategory><yjbSeriousnessScore>3"
                   "</yjbSeriousnessScore>\n"
                   "<offenceLegalOutcome><outcomeDate>2024-02-01</outcomeDate><legalOutcome>"
                   "YOUTH_REHABILITATION_ORDER</legalOutcome><cmsLegalOutcome>YRO</cmsLegalOutcome>"
                   "<isSubstantive>true</isSubstantive><isPreCourtDisposal>false</"
                   "isPreCourtDisposal>"
                   "<isCourtDisposal>true</isCourtDisposal><residenceOnLegalOutcomeDate>LOCAL"
                   "</residenceOnLegalOutcomeDate>\n"
                   "<requirement><requirement>UNPAID_WORK</requirement><unpaidWorkMandatedHours>40"
                   "</unpaidWorkMandatedHours><unpaidWorkCompletedHours>50</"
                   "unpaidWorkCompletedHours>"
                   "</requirement></offenceLegalOutcome>\n"
                   "<policeBail><bailStatus>POLICE_BAIL</bailStatus><startDate>2024-01-10</"
                   "startDate>"
                   "<endDate>2024-01-05</endDate></policeBail></offence>\n"
                   "<offence><offenceId>5</offenceId><offenceDate>2024-01-02</offenceDate>"
                   "<yjbOffenceCategory>DRUGS</yjbOffenceCategory><yjbSeriousnessScore>3"
                   "</yjbSeriousnessScore></offence>\n"
                   "<interventionProgramme><interventionProgrammeId>8</interventionProgrammeId>"
                   "<startDate>2024-02-01</startDate><endDate>1900-01-01</endDate><disposalType>"
                   "YOUTH_REHABILITATION_ORDER</disposalType><cmsDisposalType>YRO</cmsDisposalType>"
                   "</interventionProgramme>\n"
                   "<offenceProgrammeLink><offenceId>5</offenceId><interventionProgrammeId>8"
                   "</interventionProgrammeId></offenceProgrammeLink>\n"
                   "<offenceProgrammeLink><offenceId>5</offenceId><interventionProgrammeId>9"
                   "</interventionProgrammeId></offenceProgrammeLink>\n"
                   "</child>\n"
                   "<child>" PERSON(
                       "YP1") "<residence><date>2024-05-01</date><kpi1EndDate>1900-01-01</"
                              "kpi1EndDate>"
                              "<kpi1AccommodationType>LIVING_WITH_PARENT_S</"
                              "kpi1AccommodationType></residence>\n"
                              "<programmeAssessmentLink><interventionProgrammeId>8</"
                              "interventionProgrammeId>"
                              "<assessmentId>3</assessmentId></programmeAssessmentLink>\n"
                              "</child>\n</cldReturn>\n");
    cr_assert_eq(validate_run(&opt, &res, &err), YJ_EX_DATAERR, "%s", err.message);
    text = ut_read(report, NULL);
    ut_assert_contains(text,
                       "\n\n"
                       "line 7: R030 error: child 41 ypid YP1 offence 5 offenceLegalOutcome[1] "
                       "requirement[1] field unpaidWorkCompletedHours: more unpaid work hours "
                       "completed than ordered\n"
                       "line 8: R019 error: child 41 ypid YP1 offence 5 policeBail[1] field "
                       "endDate: police bail ends before it starts\n"
                       "line 9: R071 error: child 41 ypid YP1 offence 5 field offenceId: the "
                       "child has two offences with this id\n"
                       "line 12: R051 error: child 41 ypid YP1 offenceProgrammeLink[2] field "
                       "interventionProgrammeId: link names a programme the child does not "
                       "have\n"
                       "line 14: R070 error: child 42 ypid YP1 person field ypid: the same ypid "
                       "is on another child of the return\n"
                       "line 15: R036 query: child 42 ypid YP1 residence[1] field "
                       "kpi1AccommodationSuitability: accommodation has no suitability (KPI 1 "
                       "cannot count it)\n"
                       "line 16: R060 error: child 42 ypid YP1 programmeAssessmentLink[1] field "
                       "interventionProgrammeId: link names a programme the child does not "
                       "have\n"
                       "line 16: R061 error: child 42 ypid YP1 programmeAssessmentLink[1] field "
                       "assessmentId: link names an assessment the child does not have\n"
                       "\nchildren 2\nerrors 7\nqueries 1\nresult invalid\n");
    free(text);
    free(staged);
    free(xml);
    free(report);
}

Test(rules, a_staged_file_of_another_return_names_children_by_ypid_only)
{
    char *xml = ut_path(dir, "cld.xml"), *report = ut_path(dir, "report.txt");
    char *staged = staged_persons("77\tYP9\n", 1), *text;
    struct validate_options opt = {
        .mappings = YJ_SOURCE_DIR "/mappings", .file = xml, .report = report, .staged = staged};
    struct validate_result res;
    struct yj_error err;

    ut_write(xml, RETURN_HEAD("1") "<child>" PERSON(
                      "YP1") "<offence><offenceId>5</offenceId>"
                             "<yjbOffenceCategory>DRUGS</yjbOffenceCategory><yjbSeriousnessScore>3"
                             "</yjbSeriousnessScore></offence>\n</child>\n</cldReturn>\n");
    cr_assert_eq(validate_run(&opt, &res, &err), YJ_EX_DATAERR, "%s", err.message);
    text = ut_read(report, NULL);
    /* the staged row names YP9, not YP1: the warehouse id 77 is not this child's */
    ut_assert_contains(text, "line 5: R001 error: child ypid YP1 offence 5 field offenceDate: "
                             "offence has no offence date\n");
    free(text);
    free(staged);
    free(xml);
    free(report);
}

/* A minimal valid return whose one child (YP1, warehouse id 41 through the staged file) has
 * two queries: ethnicity not stated (R041, person) and an offence with no gravity (R035). */
static void
two_queries(char **xml, char **report, char **staged)
{
    *xml = ut_path(dir, "cld.xml");
    *report = ut_path(dir, "report.txt");
    *staged = staged_persons("41\tYP1\n", 1);
    ut_write(*xml,
             RETURN_HEAD(
                 "1") "<child><person><ypid>YP1</ypid><currentYotId>T</currentYotId><dateOfBirth>"
                      "2008-03-01</dateOfBirth><dateOf18thBirthday>2026-03-01</dateOf18thBirthday>"
                      "<sex>1</sex><ethnicity>NS</ethnicity></person>\n"
                      "<offence><offenceId>5</offenceId><offenceDate>2024-01-01</offenceDate>"
                      "<yjbOffenceCategory>DRUGS</yjbOffenceCategory></offence>\n"
                      "</child>\n</cldReturn>\n");
}

Test(rules, a_justified_query_is_listed_apart_and_a_stale_one_is_reported)
{
    char *xml, *report, *staged, *text, *just = ut_path(dir, "justifications.csv");
    struct validate_result res;
    struct yj_error err;
    struct validate_options opt;

    two_queries(&xml, &report, &staged);
    opt = (struct validate_options){.mappings = YJ_SOURCE_DIR "/mappings",
                                    .file = xml,
                                    .report = report,
                                    .staged = staged,
                                    .justifications = just};
    ut_write(just,
             "# queries the service has looked at\n"
             "rule,child,item,reason,who,date\n"
             "R035,41,offence 9,gravity not yet set by the police,analyst,2025-05-03\n"
             "R041,YP1,person,declined to state at every contact,case manager 7,2025-05-02\n");
    cr_assert_eq(validate_run(&opt, &res, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(res.queries, 1, "R035 on offence 5 is not explained (the line names offence 9)");
    cr_assert_eq(res.explained, 1);
    cr_assert_eq(res.stale, 1);
    text = ut_read(report, NULL);
    ut_assert_contains(text, "\n\nline 5: R035 query: child 41 ypid YP1 offence 5 field "
                             "yjbSeriousnessScore: offence has no gravity score (KPI 9 cannot "
                             "count it)\n\nexplained queries (");
    ut_assert_contains(text, "line 4: R041 query: child 41 ypid YP1 person field ethnicity: "
                             "ethnicity not stated -- explained (justifications.csv line 4): "
                             "declined to state at every contact (case manager 7, 2025-05-02)\n");
    ut_assert_contains(text, "justifications.csv line 3: R035 child 41 offence 9 matches no "
                             "finding\n\nchildren 1\nerrors 0\nqueries 1\nexplained 1\n"
                             "stale 1\nresult valid\n");
    free(text);
    free(just);
    free(xml);
    free(report);
    free(staged);
}

/* A justifications file that must be refused: the error names the file and line. */
static void
assert_bad_justification(const char *text, const char *tail)
{
    char *xml, *report, *staged, *just = ut_path(dir, "justifications.csv"), want[1024];
    struct validate_result res;
    struct yj_error err;
    struct validate_options opt;

    two_queries(&xml, &report, &staged);
    opt = (struct validate_options){.mappings = YJ_SOURCE_DIR "/mappings",
                                    .file = xml,
                                    .report = report,
                                    .staged = staged,
                                    .justifications = just};
    ut_write(just, text);
    cr_assert_eq(validate_run(&opt, &res, &err), YJ_EX_CONFIG, "accepted: %s", text);
    snprintf(want, sizeof(want), "justifications '%s' %s", just, tail);
    cr_assert_str_eq(err.message, want);
    cr_assert_not(ut_exists(report), "no report for a run that did not happen");
    free(just);
    free(xml);
    free(report);
    free(staged);
}

Test(rules, bad_justification_lines_are_refused_naming_the_line)
{
    assert_bad_justification(
        "rule,child,item,reason\n",
        "line 1: expected 6 fields (rule,child,item,reason,who,date), found 4");
    assert_bad_justification("rule,child,item,reason,who,when\n",
                             "line 1: the header must be 'rule,child,item,reason,who,date'");
    assert_bad_justification("rule,child,item,reason,who,date\nR999,YP1,person,x,y,2025-01-01\n",
                             "line 2: unknown rule 'R999'");
    assert_bad_justification("rule,child,item,reason,who,date\nR010,YP1,person,x,y,2025-01-01\n",
                             "line 2: rule R010 is an error, not a query: it must be fixed, it "
                             "cannot be explained");
    assert_bad_justification("rule,child,item,reason,who,date\nR041,YP1,person,x,y,02/01/2025\n",
                             "line 2: date '02/01/2025' is not YYYY-MM-DD");
    assert_bad_justification("rule,child,item,reason,who,date\nR041,YP1,person,,y,2025-01-01\n",
                             "line 2: reason is empty");
    assert_bad_justification(
        "rule,child,item,reason,who,date\nR041,YP1,person,a, b,c,2025-01-01\n",
        "line 2: expected 6 fields (rule,child,item,reason,who,date), found 7");
}

static unsigned long r070_findings;

static void
count_r070(void *ctx, int line, struct rule *rule, const char *where)
{
    (void)ctx;
    (void)line;
    (void)where;
    if (strcmp(rule->id, "R070") == 0)
        r070_findings++;
}

/* One child document holding only its person's ypid, as the parser would report it. */
static void
feed_child(struct rules *rs, const char *ypid)
{
    rules_child(rs, NULL, NULL);
    rules_start(rs, "child", 1, 1);
    rules_start(rs, "person", 2, 1);
    rules_start(rs, "ypid", 3, 1);
    rules_end(rs, "ypid", 3, ypid, 1);
    rules_end(rs, "person", 2, "", 1);
    rules_end(rs, "child", 1, "", 1);
}

Test(rules, ypid_uniqueness_at_a_million_children_stays_well_under_64_mib, .timeout = 120)
{
    struct rules rs;
    struct yj_error err;
    char ypid[32];

    rules_init(&rs);
    cr_assert_eq(rules_load(&rs, BUNDLE, &it, &err), YJ_OK, "%s", err.message);
    rs.emit = count_r070;
    r070_findings = 0;
    for (unsigned long i = 0; i < 1000000; i++) {
        snprintf(ypid, sizeof(ypid), "YP%08lu", i * 7919 % 100000000);
        feed_child(&rs, ypid);
    }
    cr_assert_eq(r070_findings, 0, "a million distinct ypids, %lu reported twice", r070_findings);
    feed_child(&rs, "YP00007919"); /* child 1's ypid again */
    cr_assert_eq(r070_findings, 1);
    cr_assert_leq(rs.seen_cap * sizeof(uint64_t), 32u << 20, "the ypid table holds %zu bytes",
                  rs.seen_cap * sizeof(uint64_t));
    rules_release(&rs);
}

/* ---- a table emptied or saved with a byte order mark (78) ---- */

Test(rules, an_empty_table_is_refused)
{
    assert_refused("# the rules\n\n", "holds no rule");
}

Test(rules, a_byte_order_mark_is_named)
{
    assert_refused("\xEF\xBB\xBFR900 error offence.offenceDate present | m\n",
                   "line 1: starts with a UTF-8 byte order mark (bytes EF BB BF)");
}

/* ---- the executable: its exit status and its whole stderr ---- */

/* Runs yj-validate with ARGS (NULL-terminated) in the test folder; *err gets its whole stderr
 * (malloc'd) without the UTC time each log line starts with. Returns the exit status. */
static int
run_validate(const char *const *args, char **err)
{
    const char *argv[16] = {YJ_BIN_DIR "/yj-validate"};
    char *err_path = ut_path(dir, "stderr.txt"), *in, *out;
    int status, n = 1;
    pid_t pid;

    while (args[n - 1] && n < 15) {
        argv[n] = args[n - 1];
        n++;
    }
    argv[n] = NULL;
    pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || chdir(dir) != 0)
            _exit(126);
        dup2(fd, STDERR_FILENO);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    *err = ut_read(err_path, NULL);
    cr_assert_not_null(*err);
    for (in = out = *err; *in;) {
        size_t len = strcspn(in, "\n");
        if (len > 21 && in[4] == '-' && in[10] == 'T' && in[19] == 'Z' && in[20] == ' ')
            in += 21, len -= 21;
        memmove(out, in, len + (in[len] == '\n'));
        out += len + (in[len] == '\n');
        in += len + (in[len] == '\n');
    }
    *out = '\0';
    free(err_path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Test(rules, a_justifications_file_named_on_the_command_line_must_exist)
{
    char *xml, *report, *staged, *err, *missing = ut_path(dir, "justificaitons.csv"), want[2048];
    const char *args[] = {"--mappings", YJ_SOURCE_DIR "/mappings", "--report", NULL, "--staged",
                          NULL,         "--justifications",        NULL,       NULL, NULL};

    two_queries(&xml, &report, &staged);
    args[3] = report;
    args[5] = staged;
    args[7] = missing;
    args[8] = xml;
    cr_assert_eq(run_validate(args, &err), 66, "stderr:\n%s", err);
    snprintf(want, sizeof(want),
             "yj-validate: begin: file=%s mappings=%s/mappings report=%s\n"
             "yj-validate: error: could not open the justifications '%s': No such file or "
             "directory\n"
             "yj-validate: end: status 66, 0 children, 0 errors, 0 queries in ",
             xml, YJ_SOURCE_DIR, report, missing);
    cr_assert(strncmp(err, want, strlen(want)) == 0, "stderr:\n%s\nwant:\n%s", err, want);
    cr_assert_not(ut_exists(report), "no report for a run that did not happen");
    free(err);
    free(missing);
    free(xml);
    free(report);
    free(staged);
}

Test(rules, a_justifications_file_excel_saved_with_a_byte_order_mark_is_read)
{
    char *xml, *report, *staged, *text, *just = ut_path(dir, "justifications.csv");
    struct validate_result res;
    struct yj_error err;
    struct validate_options opt;

    two_queries(&xml, &report, &staged);
    opt = (struct validate_options){.mappings = YJ_SOURCE_DIR "/mappings",
                                    .file = xml,
                                    .report = report,
                                    .staged = staged,
                                    .justifications = just,
                                    .justifications_required = 1};
    ut_write(just, "\xEF\xBB\xBFrule,child,item,reason,who,date\r\n"
                   "R041,YP1,person,declined to state at every contact,case manager 7,2025-05-02"
                   "\r\n");
    cr_assert_eq(validate_run(&opt, &res, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(res.explained, 1);
    text = ut_read(report, NULL);
    ut_assert_contains(text, "line 4: R041 query: child 41 ypid YP1 person field ethnicity: "
                             "ethnicity not stated -- explained (justifications.csv line 2): "
                             "declined to state at every contact (case manager 7, 2025-05-02)\n");
    free(text);
    free(just);
    free(xml);
    free(report);
    free(staged);
}

Test(rules, schema_findings_name_child_item_and_field_as_rule_findings_do)
{
    char *xml = ut_path(dir, "cld.xml"), *report = ut_path(dir, "report.txt");
    char *staged = staged_persons("41\tYP1\n42\tYP2\n", 2), *err, *text, want[4096];
    const char *args[] = {
        "--mappings", YJ_SOURCE_DIR "/mappings", "--staged", staged, "--report", report, xml, NULL};

    /* child 41: a sex code the schema does not list, an offence whose gravity is not a number;
     * child 42: no sex at all (a NULL in the warehouse), seen at the element after it */
    ut_write(
        xml,
        RETURN_HEAD(
            "2") "<child><person><ypid>YP1</ypid><currentYotId>T</currentYotId><dateOfBirth>"
                 "2008-03-01</dateOfBirth><dateOf18thBirthday>2026-03-01</dateOf18thBirthday>\n"
                 "<sex>7</sex><ethnicity>W1</ethnicity></person>\n"
                 "<offence><offenceId>5</offenceId><offenceDate>2024-01-01</offenceDate>"
                 "<yjbOffenceCategory>DRUGS</yjbOffenceCategory><yjbSeriousnessScore>x"
                 "</yjbSeriousnessScore></offence>\n"
                 "</child>\n"
                 "<child><person><ypid>YP2</ypid><currentYotId>T</currentYotId><dateOfBirth>"
                 "2008-03-01</dateOfBirth><dateOf18thBirthday>2026-03-01</dateOf18thBirthday>\n"
                 "<ethnicity>W1</ethnicity></person>\n"
                 "</child>\n</cldReturn>\n");
    cr_assert_eq(run_validate(args, &err), 65, "stderr:\n%s", err);
    snprintf(want, sizeof(want),
             "yj-validate: begin: file=%s mappings=%s/mappings report=%s\n"
             "yj-validate: error: line 5: /cldReturn/child[1]/person/sex: error: child 41 person "
             "field sex (details in the report)\n"
             "yj-validate: error: line 6: /cldReturn/child[1]/offence/yjbSeriousnessScore: error: "
             "child 41 offence 5 field yjbSeriousnessScore (details in the report)\n"
             "yj-validate: error: line 9: /cldReturn/child[2]/person/ethnicity: error: child 42 "
             "person field ethnicity (details in the report)\n"
             "yj-validate: error: return '%s' is invalid: 3 errors, 0 queries\n"
             "DETAIL: every finding is listed in '%s'\n"
             "yj-validate: end: status 65, 2 children, 3 errors, 0 queries in ",
             xml, YJ_SOURCE_DIR, report, xml, report);
    cr_assert(strncmp(err, want, strlen(want)) == 0, "stderr:\n%s\nwant:\n%s", err, want);
    text = ut_read(report, NULL);
    ut_assert_contains(
        text, "\n\nline 5: /cldReturn/child[1]/person/sex: error: child 41 ypid YP1 person field "
              "sex: Element '{urn:yjreturns:cld:schema-11}sex': [facet 'enumeration'] The value "
              "'7' is not an element of the set {'1', '2', '9'}.\n"
              "line 6: /cldReturn/child[1]/offence/yjbSeriousnessScore: error: child 41 ypid YP1 "
              "offence 5 field yjbSeriousnessScore: Element "
              "'{urn:yjreturns:cld:schema-11}yjbSeriousnessScore': 'x' is not a valid value of "
              "the atomic type '{urn:yjreturns:cld:schema-11}gravityType'.\n"
              "line 9: /cldReturn/child[2]/person/ethnicity: error: child 42 ypid YP2 person field "
              "ethnicity: Element '{urn:yjreturns:cld:schema-11}ethnicity': This element is not "
              "expected. Expected is ( {urn:yjreturns:cld:schema-11}sex ).\n\nchildren 2\n");
    free(text);
    free(err);
    free(staged);
    free(xml);
    free(report);
}

/* The envelope's values reach the rules that compare with them: R024 (an offence after the
 * envelope's returnEndDate) and R003 (the age on the return's end, its period_end() field);
 * stderr gets one line per rule, counting its findings. */
Test(rules, rules_compare_with_the_envelope_values_of_the_return)
{
    char *xml = ut_path(dir, "cld.xml"), *report = ut_path(dir, "report.txt"), *text, *err;
    const char *args[] = {"--mappings", YJ_SOURCE_DIR "/mappings", "--report", NULL, NULL, NULL};
    char want[2048];

    /* YP1, born 2008-03-01, has two offences after the period's end; YP2, born 1990-06-30,
     * is 35 on 2025-06-30 (R003: 10 to 30) */
    ut_write(xml, RETURN_HEAD("2") "<child>" PERSON(
                      "YP1") "<offence><offenceId>5</offenceId>"
                             "<offenceDate>2025-07-05</offenceDate>"
                             "<yjbOffenceCategory>DRUGS</yjbOffenceCategory>"
                             "<yjbSeriousnessScore>3</yjbSeriousnessScore>"
                             "</offence>\n"
                             "<offence><offenceId>6</offenceId>"
                             "<offenceDate>2025-07-01</offenceDate>"
                             "<yjbOffenceCategory>DRUGS</yjbOffenceCategory>"
                             "<yjbSeriousnessScore>3</yjbSeriousnessScore>"
                             "</offence>\n</child>\n"
                             "<child><person><ypid>YP2</ypid><currentYotId>T</currentYotId>"
                             "<dateOfBirth>1990-06-30</dateOfBirth><dateOf18thBirthday>2008-06-30"
                             "</dateOf18thBirthday><sex>1</sex><ethnicity>W1</ethnicity></person>\n"
                             "</child>\n</cldReturn>\n");
    args[3] = report;
    args[4] = xml;
    cr_assert_eq(run_validate(args, &err), 65, "stderr:\n%s", err);
    text = ut_read(report, NULL);
    ut_assert_contains(text, "\n\n"
                             "line 5: R024 error: child ypid YP1 offence 5 field offenceDate: "
                             "offence dated after the end of the return period\n"
                             "line 6: R024 error: child ypid YP1 offence 6 field offenceDate: "
                             "offence dated after the end of the return period\n"
                             "line 8: R003 query: child ypid YP2 person field dateOfBirth: date of "
                             "birth is not plausible for a child the service worked with\n"
                             "\nchildren 2\nerrors 2\nqueries 1\nresult invalid\n");
    snprintf(want, sizeof(want),
             "yj-validate: begin: file=%s mappings=%s/mappings report=%s\n"
             "yj-validate: warning: R003 query: 1 finding: date of birth is not plausible for a "
             "child the service worked with\n"
             "yj-validate: error: R024 error: 2 findings: offence dated after the end of the "
             "return period\n"
             "yj-validate: error: return '%s' is invalid: 2 errors, 1 query\n",
             xml, YJ_SOURCE_DIR, report, xml);
    cr_assert(strncmp(err, want, strlen(want)) == 0, "stderr:\n%s\nwant:\n%s", err, want);
    free(err);
    free(text);
    free(xml);
    free(report);
}

/* Log levels mean something: a query leaves the return valid, so it is a warning on stderr
 * (a log alert on errors must not fire on a valid return); the run says no "error" at all. */
Test(rules, a_query_on_a_valid_return_is_a_warning_and_no_line_says_error)
{
    char *xml = ut_path(dir, "cld.xml"), *report = ut_path(dir, "report.txt"), *err;
    const char *args[] = {"--mappings", YJ_SOURCE_DIR "/mappings", "--report", NULL, NULL, NULL};

    /* YP2, born 1990-06-30, is 35 on 2025-06-30: R003's query (10 to 30), nothing else */
    ut_write(xml, RETURN_HEAD(
                      "1") "<child><person><ypid>YP2</ypid><currentYotId>T</currentYotId>"
                           "<dateOfBirth>1990-06-30</dateOfBirth><dateOf18thBirthday>2008-06-30"
                           "</dateOf18thBirthday><sex>1</sex><ethnicity>W1</ethnicity></person>\n"
                           "</child>\n</cldReturn>\n");
    args[3] = report;
    args[4] = xml;
    cr_assert_eq(run_validate(args, &err), 0, "stderr:\n%s", err);
    ut_assert_contains(err, "yj-validate: warning: R003 query: 1 finding: date of birth is not "
                            "plausible for a child the service worked with\n");
    cr_assert(!strstr(err, ": error: "), "a valid return logged an error:\n%s", err);
    free(err);
    free(report);
    free(xml);
}
