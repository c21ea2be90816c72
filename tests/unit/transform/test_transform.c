/*
 * test_transform.c - the generic writer (etl/transform/writer.c) on hand-made staged files.
 *
 * Each test stages a few rows for the real schema-11 bundle (every other entity staged empty,
 * with the columns items.conf reads), runs transform_run() and compares what a user sees:
 * the exact XML of a child, the status, the one-line error naming file, line, child, item and
 * field, errors.txt (with the value) and the files left behind. The expected documents are
 * worked out by hand from items.conf and the code maps; a comment says how where it is not
 * obvious.
 */
#include "staging.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

static const char *sign_off; /* --sign-off, NULL unless a test sets it */
static const char *previous; /* --previous, NULL unless a test sets it */

static void
setup(void)
{
    stage_setup();
    sign_off = NULL;
    previous = NULL;
}

TestSuite(transform, .init = setup, .fini = stage_teardown);

/* Writes the staged files and runs the transform; returns its status. */
static int
run(void)
{
    char *list[] = {(char *)previous, NULL};
    struct transform_options opt = {
        .in_dir = staged, .out_dir = out, .sign_off = sign_off, .previous = previous ? list : NULL};

    stage_write();
    return transform_run(&cfg, &opt, &err);
}

/* The <child> elements of the return written (from the first <child> to the end). */
static char *
children(void)
{
    char *path = ut_path(out, "cld.xml");
    char *xml = ut_read(path, NULL);
    char *c = strstr(xml, "  <child>\n");
    char *res;

    cr_assert(c, "no child in:\n%s", xml);
    res = strdup(c);
    free(xml);
    free(path);
    return res;
}

/* A child with one offence, an outcome, a programme and the link: the common shape. */
static void
basic_child(void)
{
    row("person", "child_id=7", "ypid=YPT0000007", "date_of_birth=2008-02-29", "sex_cd=F",
        "ethnicity_cd=WBRI", "gender_cd=G", "gender_same_flag=t", NULL);
    row("offence", "child_id=7", "offence_id=71", "offence_date=2024-02-28",
        "arrest_date=2024-02-29", "description=A & B <c>", "plea_cd=G", "category_cd=ROB",
        "gravity=5", "knife_flag=f", NULL);
    row("outcome", "child_id=7", "offence_id=71", "outcome_id=711", "outcome_date=2024-05-01",
        "outcome_cd=YRO", "main_flag=t", "residence_cd=L", "term_months=12", NULL);
    row("programme", "child_id=7", "programme_id=701", "start_date=2024-08-31", "disposal_cd=YRO",
        "victim_flag=t", "completed_flag=t", NULL);
    row("programme_offence", "child_id=7", "programme_id=701", "offence_id=71", NULL);
}

Test(transform, writes_every_field_as_described)
{
    char *xml;

    /* Born 29 Feb 2008: the 18th birthday is 1 March 2026 (no 29 Feb in 2026). Offence on
     * 28 Feb 2024: 15 (the 16th birthday falls on 29 Feb 2024, the day of the arrest: 16).
     * Programme from 31 Aug 2024: the last 31 August on or before it is that day, when she is
     * 16: not school age. It is open (no end date): endDate 1900-01-01, no age at end, no
     * school-age flag at end, no kpi6 flag. The YRO maps to Community, a court disposal. */
    basic_child();
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    xml = children();
    cr_assert_str_eq(xml, "  <child>\n"
                          "    <person>\n"
                          "      <ypid>YPT0000007</ypid>\n"
                          "      <currentYotId>TESTYOT</currentYotId>\n"
                          "      <dateOfBirth>2008-02-29</dateOfBirth>\n"
                          "      <dateOf18thBirthday>2026-03-01</dateOf18thBirthday>\n"
                          "      <sex>2</sex>\n"
                          "      <genderTermUsed>FEMALE</genderTermUsed>\n"
                          "      <genderIdentifiedSameSexRegisteredBirth>YES"
                          "</genderIdentifiedSameSexRegisteredBirth>\n"
                          "      <ethnicity>W1</ethnicity>\n"
                          "    </person>\n"
                          "    <offence>\n"
                          "      <offenceId>71</offenceId>\n"
                          "      <offenceDate>2024-02-28</offenceDate>\n"
                          "      <offenceDescription>A &amp; B &lt;c&gt;</offenceDescription>\n"
                          "      <arrestDate>2024-02-29</arrestDate>\n"
                          "      <plea>GUILTY</plea>\n"
                          "      <ageOnArrestDate>16</ageOnArrestDate>\n"
                          "      <ageOnOffenceDate>15</ageOnOffenceDate>\n"
                          "      <yjbOffenceCategory>ROBBERY</yjbOffenceCategory>\n"
                          "      <yjbSeriousnessScore>5</yjbSeriousnessScore>\n"
                          "      <knifeRelatedOffence>false</knifeRelatedOffence>\n"
                          "      <offenceLegalOutcome>\n"
                          "        <mainOrOther>MAIN</mainOrOther>\n"
                          "        <outcomeDate>2024-05-01</outcomeDate>\n"
                          "        <legalOutcome>YOUTH_REHABILITATION_ORDER</legalOutcome>\n"
                          "        <legalOutcomeGroup>Community</legalOutcomeGroup>\n"
                          "        <cmsLegalOutcome>YRO</cmsLegalOutcome>\n"
                          "        <isSubstantive>true</isSubstantive>\n"
                          "        <isPreCourtDisposal>false</isPreCourtDisposal>\n"
                          "        <isCourtDisposal>true</isCourtDisposal>\n"
                          "        <residenceOnLegalOutcomeDate>LOCAL"
                          "</residenceOnLegalOutcomeDate>\n"
                          "        <termMonths>12</termMonths>\n"
                          "      </offenceLegalOutcome>\n"
                          "    </offence>\n"
                          "    <interventionProgramme>\n"
                          "      <interventionProgrammeId>701</interventionProgrammeId>\n"
                          "      <startDate>2024-08-31</startDate>\n"
                          "      <endDate>1900-01-01</endDate>\n"
                          "      <disposalType>YOUTH_REHABILITATION_ORDER</disposalType>\n"
                          "      <cmsDisposalType>YRO</cmsDisposalType>\n"
                          "      <ageOnProgrammeStart>16</ageOnProgrammeStart>\n"
                          "      <isStatutorySchoolAgeAtProgrammeStart>false"
                          "</isStatutorySchoolAgeAtProgrammeStart>\n"
                          "      <identifiedVictim>true</identifiedVictim>\n"
                          "    </interventionProgramme>\n"
                          "    <offenceProgrammeLink>\n"
                          "      <offenceId>71</offenceId>\n"
                          "      <interventionProgrammeId>701</interventionProgrammeId>\n"
                          "    </offenceProgrammeLink>\n"
                          "  </child>\n"
                          "</cldReturn>\n");
    free(xml);
}

Test(transform, nested_items_go_under_their_parent_and_links_need_their_column)
{
    char *xml;

    /* Requirements under outcome 711 only; bail under offence 71; a proposal under its
     * hearing; the assessment without a programme gives no link, the other one does. The
     * programme ran from 1 May to 30 Aug 2024: for both dates the last 31 August on or
     * before is 31 Aug 2023, when she was 15: school age at start and at end, aged 16 at both.
     * UNK has no group and is neither substantive, pre-court nor court; main_flag f is OTHER,
     * NULL writes nothing. */
    row("person", "child_id=7", "ypid=YPT0000007", "date_of_birth=2008-02-29", "sex_cd=F",
        "ethnicity_cd=WBRI", NULL);
    row("offence", "child_id=7", "offence_id=71", "category_cd=ROB", NULL);
    row("offence", "child_id=7", "offence_id=72", "category_cd=DRG", NULL);
    row("outcome", "child_id=7", "offence_id=71", "outcome_id=711", "outcome_date=2024-05-01",
        "outcome_cd=UNK", "main_flag=f", "residence_cd=O", NULL);
    row("outcome", "child_id=7", "offence_id=72", "outcome_id=721", "outcome_date=2024-05-01",
        "outcome_cd=YC", "residence_cd=L", NULL);
    row("requirement", "child_id=7", "requirement_id=7111", "outcome_id=711", "requirement_cd=UPW",
        "upw_hours_mandated=40", "upw_hours_completed=12", NULL);
    row("police_bail", "child_id=7", "police_bail_id=711", "offence_id=71", "bail_cd=RUI",
        "start_date=2024-03-01", NULL);
    row("hearing", "child_id=7", "hearing_id=70", "hearing_date=2024-04-02", "court_type_cd=YC",
        NULL);
    row("sentence_proposal", "child_id=7", "proposal_id=701", "hearing_id=70", "proposal_cd=RO",
        NULL);
    row("programme", "child_id=7", "programme_id=701", "start_date=2024-05-01",
        "end_date=2024-08-30", "disposal_cd=YC", "hearing_id=70", NULL);
    row("assessment", "child_id=7", "assessment_id=7001", "assessment_date=2024-05-02",
        "stage_cd=STA", "programme_id=701", NULL);
    row("assessment", "child_id=7", "assessment_id=7002", "assessment_date=2024-05-03",
        "stage_cd=REV", NULL);
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    xml = children();
    cr_assert_str_eq(
        xml,
        "  <child>\n"
        "    <person>\n"
        "      <ypid>YPT0000007</ypid>\n"
        "      <currentYotId>TESTYOT</currentYotId>\n"
        "      <dateOfBirth>2008-02-29</dateOfBirth>\n"
        "      <dateOf18thBirthday>2026-03-01</dateOf18thBirthday>\n"
        "      <sex>2</sex>\n"
        "      <ethnicity>W1</ethnicity>\n"
        "    </person>\n"
        "    <offence>\n"
        "      <offenceId>71</offenceId>\n"
        "      <yjbOffenceCategory>ROBBERY</yjbOffenceCategory>\n"
        "      <offenceLegalOutcome>\n"
        "        <mainOrOther>OTHER</mainOrOther>\n"
        "        <outcomeDate>2024-05-01</outcomeDate>\n"
        "        <legalOutcome>NOT_KNOWN</legalOutcome>\n"
        "        <cmsLegalOutcome>UNK</cmsLegalOutcome>\n"
        "        <isSubstantive>false</isSubstantive>\n"
        "        <isPreCourtDisposal>false</isPreCourtDisposal>\n"
        "        <isCourtDisposal>false</isCourtDisposal>\n"
        "        <residenceOnLegalOutcomeDate>OTHER</residenceOnLegalOutcomeDate>\n"
        "        <requirement>\n"
        "          <requirement>UNPAID_WORK</requirement>\n"
        "          <unpaidWorkMandatedHours>40</unpaidWorkMandatedHours>\n"
        "          <unpaidWorkCompletedHours>12</unpaidWorkCompletedHours>\n"
        "        </requirement>\n"
        "      </offenceLegalOutcome>\n"
        "      <policeBail>\n"
        "        <bailStatus>RELEASED_UNDER_INVESTIGATION</bailStatus>\n"
        "        <startDate>2024-03-01</startDate>\n"
        "        <endDate>1900-01-01</endDate>\n"
        "      </policeBail>\n"
        "    </offence>\n"
        "    <offence>\n"
        "      <offenceId>72</offenceId>\n"
        "      <yjbOffenceCategory>DRUGS</yjbOffenceCategory>\n"
        "      <offenceLegalOutcome>\n"
        "        <outcomeDate>2024-05-01</outcomeDate>\n"
        "        <legalOutcome>YOUTH_CAUTION</legalOutcome>\n"
        "        <legalOutcomeGroup>Pre-Court</legalOutcomeGroup>\n"
        "        <cmsLegalOutcome>YC</cmsLegalOutcome>\n"
        "        <isSubstantive>true</isSubstantive>\n"
        "        <isPreCourtDisposal>true</isPreCourtDisposal>\n"
        "        <isCourtDisposal>false</isCourtDisposal>\n"
        "        <residenceOnLegalOutcomeDate>LOCAL</residenceOnLegalOutcomeDate>\n"
        "      </offenceLegalOutcome>\n"
        "    </offence>\n"
        "    <hearing>\n"
        "      <hearingId>70</hearingId>\n"
        "      <hearingDate>2024-04-02</hearingDate>\n"
        "      <courtType>YOUTH_COURT</courtType>\n"
        "      <sentenceProposal>\n"
        "        <legalOutcome>REFERRAL_ORDER</legalOutcome>\n"
        "      </sentenceProposal>\n"
        "    </hearing>\n"
        "    <interventionProgramme>\n"
        "      <interventionProgrammeId>701</interventionProgrammeId>\n"
        "      <startDate>2024-05-01</startDate>\n"
        "      <endDate>2024-08-30</endDate>\n"
        "      <disposalType>YOUTH_CAUTION</disposalType>\n"
        "      <cmsDisposalType>YC</cmsDisposalType>\n"
        "      <ageOnProgrammeStart>16</ageOnProgrammeStart>\n"
        "      <ageOnProgrammeEnd>16</ageOnProgrammeEnd>\n"
        "      <isStatutorySchoolAgeAtProgrammeStart>true</isStatutorySchoolAgeAtProgrammeStart>\n"
        "      <isStatutorySchoolAgeAtProgrammeEnd>true</isStatutorySchoolAgeAtProgrammeEnd>\n"
        "    </interventionProgramme>\n"
        "    <assessment>\n"
        "      <assessmentId>7001</assessmentId>\n"
        "      <assessmentDate>2024-05-02</assessmentDate>\n"
        "      <stage>START</stage>\n"
        "    </assessment>\n"
        "    <assessment>\n"
        "      <assessmentId>7002</assessmentId>\n"
        "      <assessmentDate>2024-05-03</assessmentDate>\n"
        "      <stage>REVIEW</stage>\n"
        "    </assessment>\n"
        "    <hearingProgrammeLink>\n"
        "      <hearingId>70</hearingId>\n"
        "      <interventionProgrammeId>701</interventionProgrammeId>\n"
        "    </hearingProgrammeLink>\n"
        "    <programmeAssessmentLink>\n"
        "      <interventionProgrammeId>701</interventionProgrammeId>\n"
        "      <assessmentId>7001</assessmentId>\n"
        "    </programmeAssessmentLink>\n"
        "  </child>\n"
        "</cldReturn>\n");
    free(xml);
}

Test(transform, null_id_is_a_data_error_naming_file_line_child_and_item)
{
    char *errors;

    basic_child();
    row("offence", "child_id=7", "category_cd=DRG", NULL); /* offence_id NULL */
    cr_assert_eq(run(), YJ_EX_DATAERR);
    errors = out_file("errors.txt");
    cr_assert(errors);
    cr_assert_str_eq(errors, "yjreturns-errors 1\n"
                             "offence.tsv line 3: child 7 offence: id column 'offence_id' is "
                             "NULL\n");
    cr_assert_null(out_file("cld.xml"), "no return may be written");
    cr_assert_null(out_file("MANIFEST"));
    free(errors);
}

Test(transform, nested_row_without_its_parent_is_a_data_error)
{
    char *errors;

    basic_child();
    row("outcome", "child_id=7", "offence_id=79", "outcome_id=791", "outcome_date=2024-05-01",
        "outcome_cd=YRO", "residence_cd=L", NULL);
    row("police_bail", "child_id=7", "police_bail_id=1", "bail_cd=PB", "start_date=2024-01-01",
        NULL); /* offence_id NULL */
    cr_assert_eq(run(), YJ_EX_DATAERR);
    errors = out_file("errors.txt");
    cr_assert_str_eq(errors,
                     "yjreturns-errors 1\n"
                     "outcome.tsv line 3: child 7 offenceLegalOutcome 791: column 'offence_id' "
                     "names no offence of the child (value '79')\n"
                     "police_bail.tsv line 2: child 7 policeBail 1: column 'offence_id' is NULL: "
                     "no offence to put it under\n");
    cr_assert_null(out_file("cld.xml"));
    free(errors);
}

Test(transform, unmapped_code_error_keeps_the_value_out_of_the_message)
{
    char *errors;

    basic_child();
    row("person", "child_id=8", "ypid=YPT0000008", "date_of_birth=2009-01-01", "sex_cd=M",
        "ethnicity_cd=ZZZZ", NULL);
    cr_assert_eq(run(), YJ_EX_DATAERR);
    ut_assert_contains(err.message, "1 data error in the warehouse: no return written");
    errors = out_file("errors.txt");
    cr_assert_str_eq(errors, "yjreturns-errors 1\n"
                             "person.tsv line 3: child 8 person 8 field ethnicity: local code in "
                             "column 'ethnicity_cd' has no mapping in '" YJ_SOURCE_DIR
                             "/mappings/schema-11/ethnicity.csv' (value 'ZZZZ')\n");
    {
        struct stat st;
        char *path = ut_path(out, "errors.txt");
        cr_assert_eq(stat(path, &st), 0);
        cr_assert_eq(st.st_mode & 0777, 0600);
        free(path);
    }
    free(errors);
}

Test(transform, one_unmapped_code_read_by_several_fields_is_reported_once)
{
    char *errors;

    /* outcome_cd feeds legalOutcome, legalOutcomeGroup, isSubstantive, isPreCourtDisposal and
     * isCourtDisposal from one map: one problem, one line */
    basic_child();
    row("outcome", "child_id=7", "offence_id=71", "outcome_id=712", "outcome_date=2024-05-01",
        "outcome_cd=XX9", "residence_cd=L", NULL);
    cr_assert_eq(run(), YJ_EX_DATAERR);
    errors = out_file("errors.txt");
    cr_assert_str_eq(
        errors, "yjreturns-errors 1\n"
                "outcome.tsv line 3: child 7 offenceLegalOutcome 712 field "
                "legalOutcome: local code in column 'outcome_cd' has no mapping in '" YJ_SOURCE_DIR
                "/mappings/schema-11/legal_outcome.csv' (value 'XX9')\n");
    free(errors);
}

Test(transform, staged_file_without_a_described_column_names_both)
{
    basic_child();
    /* drop a column from the staged offence file's header (and its rows) */
    for (int k = 0; k < nent; k++)
        if (strcmp(ent[k].name, "transfer") == 0) {
            ent[k].ncols--;
            free(ent[k].cols[ent[k].ncols]);
        }
    cr_assert_eq(run(), YJ_EX_IOERR);
    ut_assert_contains(err.message, "staged file 'transfer.tsv' has no column 'transfer_id', "
                                    "which " YJ_SOURCE_DIR "/mappings/schema-11/items.conf line ");
    ut_assert_contains(err.message, "(item 'transfer')");
}

Test(transform, malformed_staged_date_is_a_corrupt_file)
{
    basic_child();
    row("hearing", "child_id=7", "hearing_id=70", "hearing_date=2024-02-30", NULL);
    cr_assert_eq(run(), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "staged file 'hearing.tsv' line 2: child 7 column "
                                  "'hearing_date': not a date");
    cr_assert_null(out_file("cld.xml"));
}

Test(transform, text_that_is_not_utf8_is_a_data_error)
{
    char *errors;

    basic_child();
    row("hearing", "child_id=7", "hearing_id=70", "hearing_date=2024-02-01",
        "court_name=Court \xff", NULL);
    cr_assert_eq(run(), YJ_EX_DATAERR);
    errors = out_file("errors.txt");
    cr_assert_str_eq(errors, "yjreturns-errors 1\n"
                             "hearing.tsv line 2: child 7 hearing 70 field courtName: column "
                             "'court_name' is not valid UTF-8 text or holds control characters\n");
    free(errors);
}

Test(transform, rerun_after_a_failure_removes_nothing_it_should_keep)
{
    basic_child();
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    row("person", "child_id=8", "ypid=YPT0000008", "date_of_birth=2009-01-01", "sex_cd=Q",
        "ethnicity_cd=WBRI", NULL);
    cr_assert_eq(run(), YJ_EX_DATAERR);
    cr_assert_null(out_file("cld.xml"), "the old return must go");
    cr_assert_null(out_file("MANIFEST"), "the old manifest must go");
}

Test(transform, envelope_names_the_return_and_carries_the_sign_off)
{
    char *path, *xml, *m;

    /* as_of 2025-07-01T00:00:00.000000Z, after the end of 2025Q1: the period is complete */
    basic_child();
    sign_off = "2025-07-20";
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    path = ut_path(out, "cld.xml");
    xml = ut_read(path, NULL);
    ut_assert_contains(xml, "  <envelope>\n"
                            "    <sourceReturnId>TESTYOT-2025Q1-20250701T000000.000000Z"
                            "</sourceReturnId>\n"
                            "    <yotOuCode>TESTYOT</yotOuCode>\n"
                            "    <returnStartDate>2025-04-01</returnStartDate>\n"
                            "    <returnEndDate>2025-06-30</returnEndDate>\n"
                            "    <signOffDate>2025-07-20</signOffDate>\n");
    ut_assert_contains(xml, "    <documentCount>1</documentCount>\n  </envelope>\n");
    m = out_file("MANIFEST");
    ut_assert_contains(m, "\nsign_off_date 2025-07-20\n");
    ut_assert_contains(m, "\nperiod_complete yes\n");
    ut_assert_contains(m, "\nfile cld.xml rows 1 bytes ");
    free(m);
    free(xml);
    free(path);
}

/* A copy of the real mappings folder (bundles.conf and schema-11's files) under dir, its
 * items.conf with `from` replaced by `to`; cfg reads it. */
static void
mappings_with_items_edit(const char *from, const char *to)
{
    char *maps = ut_path(dir, "mappings"), *bundle = ut_path(maps, "schema-11"), *p, *text, *at;
    DIR *d = opendir(YJ_SOURCE_DIR "/mappings/schema-11");
    struct dirent *e;
    struct stat st;
    size_t len = 0;

    cr_assert_not_null(d);
    cr_assert_eq(mkdir(maps, 0700), 0);
    cr_assert_eq(mkdir(bundle, 0700), 0);
    text = ut_read(YJ_SOURCE_DIR "/mappings/bundles.conf", NULL);
    p = ut_path(maps, "bundles.conf");
    ut_write(p, text);
    free(p);
    free(text);
    while ((e = readdir(d)) != NULL) {
        char *src = ut_path(YJ_SOURCE_DIR "/mappings/schema-11", e->d_name);
        if (e->d_name[0] != '.' && stat(src, &st) == 0 && S_ISREG(st.st_mode)) {
            text = ut_read(src, &len);
            p = ut_path(bundle, e->d_name);
            if (strcmp(e->d_name, "items.conf") == 0) {
                char *edited = malloc(len + strlen(to) + 1);
                at = strstr(text, from);
                cr_assert(at, "'%s' not in items.conf", from);
                memcpy(edited, text, (size_t)(at - text));
                memcpy(edited + (at - text), to, strlen(to));
                memcpy(edited + (at - text) + strlen(to), at + strlen(from),
                       len - (size_t)(at - text) - strlen(from) + 1);
                ut_write(p, edited);
                free(edited);
            } else {
                ut_write_bytes(p, text, len);
            }
            free(p);
            free(text);
        }
        free(src);
    }
    closedir(d);
    free(cfg.mappings);
    cfg.mappings = maps;
    free(bundle);
}

/* The envelope is written from its description in items.conf: a field given another of the
 * run's values (cmsSystem from service_code()) carries that value. */
Test(transform, envelope_is_written_as_items_conf_describes_it)
{
    char *xml;

    mappings_with_items_edit("cmsSystem                   text  cms_system()",
                             "cmsSystem                   text  service_code()");
    basic_child();
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    xml = out_file("cld.xml");
    ut_assert_contains(xml, "  <envelope>\n"
                            "    <sourceReturnId>TESTYOT-2025Q1-20250701T000000.000000Z"
                            "</sourceReturnId>\n"
                            "    <yotOuCode>TESTYOT</yotOuCode>\n"
                            "    <returnStartDate>2025-04-01</returnStartDate>\n"
                            "    <returnEndDate>2025-06-30</returnEndDate>\n"
                            "    <cmsSystem>TESTYOT</cmsSystem>\n"
                            "    <cmsExtractVersion>test</cmsExtractVersion>\n"
                            "    <schemaVersion>11</schemaVersion>\n"
                            "    <extractVersion>yjreturns " YJ_VERSION "</extractVersion>\n"
                            "    <documentCount>1</documentCount>\n"
                            "  </envelope>\n");
    free(xml);
}

/* [service] cms_system is the value of cms_system(); with no sign-off there is no
 * signOffDate, and a return of one document no partNumber or partCount. */
Test(transform, envelope_without_sign_off_or_parts_leaves_those_fields_out)
{
    char *xml;

    cfg.cms_system = strdup("CaseSys 4.2");
    basic_child();
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    xml = out_file("cld.xml");
    ut_assert_contains(xml, "    <returnEndDate>2025-06-30</returnEndDate>\n"
                            "    <cmsSystem>CaseSys 4.2</cmsSystem>\n");
    ut_assert_contains(xml, "    <documentCount>1</documentCount>\n"
                            "  </envelope>\n");
    free(xml);
}

Test(transform, sign_off_before_the_period_ends_is_a_usage_error)
{
    basic_child();
    sign_off = "2025-06-30";
    cr_assert_eq(run(), YJ_EX_USAGE);
    cr_assert_str_eq(err.message, "--sign-off 2025-06-30 is not after the end of period 2025Q1: "
                                  "a return is signed off once its quarter has ended");
    sign_off = "2025-13-01";
    cr_assert_eq(run(), YJ_EX_USAGE);
    cr_assert_str_eq(err.message, "--sign-off '2025-13-01' is not a date (YYYY-MM-DD)");
    cr_assert_null(out_file("cld.xml"));
}

/* A sign-off after today is a mistake (2099-01-01 was once accepted and uploaded). */
Test(transform, sign_off_in_the_future_is_a_usage_error)
{
    struct yj_period p;
    struct yj_error e;
    long day, today = date_from_ymd(2025, 7, 10);

    cr_assert_eq(period_parse("2025Q1", &p, &e), YJ_OK);
    cr_assert_eq(period_sign_off("2025-07-10", &p, today, &day, &e), YJ_OK);
    cr_assert_eq(day, today);
    cr_assert_eq(period_sign_off("2025-07-11", &p, today, &day, &e), YJ_EX_USAGE);
    cr_assert_str_eq(e.message, "--sign-off 2025-07-11 is in the future (today is 2025-07-10, "
                                "UTC): a return is signed off on or before the day it is sent");
    cr_assert_eq(period_sign_off("2025-07-01", &p, today, &day, &e), YJ_OK);
    cr_assert_eq(period_sign_off("2025-06-30", &p, today, &day, &e), YJ_EX_USAGE);
    basic_child();
    sign_off = "2099-01-01";
    cr_assert_eq(run(), YJ_EX_USAGE);
    cr_assert(strncmp(err.message, "--sign-off 2099-01-01 is in the future (today is ", 48) == 0,
              "%s", err.message);
    cr_assert_null(out_file("cld.xml"));
}

Test(transform, children_of_the_previous_return_now_gone_are_notified_once_in_ypid_order)
{
    char *prev = ut_path(dir, "previous.xml");
    char *xml, *m;

    /* the previous return held YPT0000009, YPT0000007 and YPT0000003 as documents and
     * notified YPT0000001 as deleted; now only YPT0000007 is left: 3 and 9 are notified, in
     * that order; 1 was notified already and is not a document, so it is not notified again */
    ut_write(prev, "<?xml version=\"1.0\"?>\n<cldReturn xmlns=\"urn:yjreturns:cld:schema-11\" "
                   "schemaVersion=\"11\">\n"
                   "<child><person><ypid>YPT0000009</ypid></person></child>\n"
                   "<child><person><ypid>YPT0000007</ypid></person>"
                   "<transfer><ypid>NOT-A-PERSON</ypid></transfer></child>\n"
                   "<child><person><ypid>YPT0000003</ypid></person></child>\n"
                   "<deletion><ypid>YPT0000001</ypid></deletion>\n</cldReturn>\n");
    basic_child();
    previous = prev;
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    xml = children();
    ut_assert_contains(xml, "  </child>\n"
                            "  <deletion>\n"
                            "    <ypid>YPT0000003</ypid>\n"
                            "  </deletion>\n"
                            "  <deletion>\n"
                            "    <ypid>YPT0000009</ypid>\n"
                            "  </deletion>\n"
                            "</cldReturn>\n");
    cr_assert_null(strstr(xml, "YPT0000001"));
    cr_assert_null(strstr(xml, "NOT-A-PERSON"));
    m = out_file("MANIFEST");
    ut_assert_contains(m, "\ndeletions 2\n");
    free(m);
    free(xml);
    free(prev);
}

Test(transform, a_previous_return_that_cannot_be_read_is_an_error_not_an_empty_set)
{
    char *prev = ut_path(dir, "previous.xml");

    basic_child();
    ut_write(prev, "<cldReturn xmlns=\"urn:yjreturns:cld:schema-11\" schemaVersion=\"11\">"
                   "<child><person><ypid>YPT0000009</ypid></person>\n");
    previous = prev;
    cr_assert_eq(run(), YJ_EX_DATAERR);
    {
        char want[1024];
        snprintf(want, sizeof(want), "the previous return '%s' is not well-formed XML", prev);
        cr_assert_str_eq(err.message, want);
    }
    cr_assert_null(out_file("cld.xml"));
    free(prev);
}

Test(transform, a_previous_return_that_is_not_a_return_is_refused_in_one_line)
{
    static const struct {
        const char *root, *why;
    } cases[] = {
        {"<other xmlns=\"urn:yjreturns:cld:schema-11\" schemaVersion=\"11\">",
         "the root element is not cldReturn: not a return"},
        {"<cldReturn xmlns=\"urn:example:other\" schemaVersion=\"11\">",
         "the root element is not in a namespace urn:yjreturns:cld:schema-N: not a return"},
        {"<cldReturn schemaVersion=\"11\">",
         "the root element is not in a namespace urn:yjreturns:cld:schema-N: not a return"},
        {"<cldReturn xmlns=\"urn:yjreturns:cld:schema-11\" schemaVersion=\"10\">",
         "schemaVersion is not 11: not a return of schema 11"},
    };
    char *prev = ut_path(dir, "previous.xml");

    basic_child();
    previous = prev;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[512], want[1024];
        const char *end = strncmp(cases[i].root, "<other", 6) == 0 ? "</other>" : "</cldReturn>";
        snprintf(text, sizeof(text), "%s<child><person><ypid>YPT0000009</ypid></person></child>%s",
                 cases[i].root, end);
        ut_write(prev, text);
        cr_assert_eq(run(), YJ_EX_DATAERR, "case %zu", i);
        snprintf(want, sizeof(want), "return file '%s': %s", prev, cases[i].why);
        cr_assert_str_eq(err.message, want);
        cr_assert_eq(err.detail[0], '\0');
        cr_assert_null(out_file("cld.xml"));
    }
    free(prev);
}

Test(transform, a_previous_return_of_an_earlier_schema_version_is_read)
{
    char *prev = ut_path(dir, "previous.xml"), *xml;

    /* a quarter whose bundle changed: the previous return is of schema 10 */
    ut_write(prev, "<cldReturn xmlns=\"urn:yjreturns:cld:schema-10\" schemaVersion=\"10\">"
                   "<child><person><ypid>YPT0000009</ypid></person></child></cldReturn>\n");
    basic_child();
    previous = prev;
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    xml = children();
    ut_assert_contains(xml, "  <deletion>\n    <ypid>YPT0000009</ypid>\n  </deletion>\n");
    free(xml);
    free(prev);
}

Test(transform, staged_file_without_a_field_column_names_the_field)
{
    basic_child();
    /* drop transfer_date, which the first field of item transfer (date) reads */
    for (int k = 0; k < nent; k++)
        if (strcmp(ent[k].name, "transfer") == 0) {
            cr_assert_str_eq(ent[k].cols[1], "transfer_date");
            free(ent[k].cols[1]);
            for (int c = 1; c + 1 < ent[k].ncols; c++)
                ent[k].cols[c] = ent[k].cols[c + 1];
            ent[k].ncols--;
        }
    cr_assert_eq(run(), YJ_EX_IOERR);
    ut_assert_contains(err.message, "staged file 'transfer.tsv' has no column 'transfer_date', "
                                    "which " YJ_SOURCE_DIR "/mappings/schema-11/items.conf line ");
    ut_assert_contains(err.message, "(item 'transfer' field date) reads");
}

/* ---- the staged MANIFEST is the one yj-extract wrote, for the period asked for (74) ---- */

/* Replaces the first FROM by TO in the staged MANIFEST. */
static void
edit_staged_manifest(const char *from, const char *to)
{
    char *path = ut_path(staged, "MANIFEST");
    char *text = ut_read(path, NULL), *at = text ? strstr(text, from) : NULL, *edited;

    cr_assert(at, "'%s' not in the staged MANIFEST", from);
    edited = malloc(strlen(text) + strlen(to) + 1);
    memcpy(edited, text, (size_t)(at - text));
    strcpy(edited + (at - text), to);
    strcat(edited, at + strlen(from));
    ut_write(path, edited);
    free(edited);
    free(text);
    free(path);
}

/* The transform of the staged folder as it now is (not written again). */
static int
run_as_staged(const char *period, const char *in_sha256)
{
    struct transform_options opt = {
        .in_dir = staged, .out_dir = out, .period = period, .in_sha256 = in_sha256};

    return transform_run(&cfg, &opt, &err);
}

Test(transform, a_period_edited_in_the_staged_manifest_is_refused_and_leaves_no_return)
{
    char want[2048];

    basic_child();
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    /* 2025Q1 data made to look like 2025Q2: before, a 2025Q2 return, exit 0 */
    edit_staged_manifest("\nperiod 2025Q1\n", "\nperiod 2025Q2\n");
    cr_assert_eq(run_as_staged(NULL, NULL), YJ_EX_IOERR);
    snprintf(want, sizeof(want),
             "staged manifest '%s/MANIFEST' is corrupt: its period_start and period_end are not "
             "those of its period 2025Q2",
             staged);
    cr_assert_str_eq(err.message, want);
    cr_assert_null(out_file("cld.xml"), "the old return must go");
    cr_assert_null(out_file("MANIFEST"), "nothing may look complete");
}

Test(transform, a_staged_manifest_of_another_period_than_asked_for_is_refused)
{
    char want[2048];

    basic_child();
    stage_write();
    cr_assert_eq(run_as_staged("2025Q2", NULL), YJ_EX_IOERR);
    snprintf(want, sizeof(want),
             "staged manifest '%s/MANIFEST' is of period 2025Q1, not the period 2025Q2 asked for "
             "(--period)",
             staged);
    cr_assert_str_eq(err.message, want);
    cr_assert_null(out_file("MANIFEST"));
    cr_assert_eq(run_as_staged("2025Q1", NULL), YJ_OK, "%s", err.message);
}

Test(transform, a_staged_manifest_edited_whole_is_refused_by_its_recorded_sha256)
{
    char want[2048], sha[SHA256_HEX_LEN + 1], now[SHA256_HEX_LEN + 1];
    char *path = ut_path(staged, "MANIFEST");
    unsigned long long bytes;

    basic_child();
    stage_write();
    cr_assert_eq(sha256_file(path, sha, &bytes), 0);
    /* every period line changed together: only the SHA-256 yj-extract left shows it */
    edit_staged_manifest("\nperiod 2025Q1\n", "\nperiod 2025Q2\n");
    edit_staged_manifest("period_start 2025-04-01", "period_start 2025-07-01");
    edit_staged_manifest("period_end 2025-06-30", "period_end 2025-09-30");
    cr_assert_eq(sha256_file(path, now, &bytes), 0);
    cr_assert_eq(run_as_staged("2025Q2", sha), YJ_EX_IOERR);
    snprintf(want, sizeof(want),
             "staged manifest '%s/MANIFEST' is not the one yj-extract wrote: its SHA-256 differs "
             "from the one recorded",
             staged);
    cr_assert_str_eq(err.message, want);
    snprintf(want, sizeof(want), "file %s, recorded %s", now, sha);
    cr_assert_str_eq(err.detail, want);
    cr_assert_null(out_file("MANIFEST"));
    free(path);
}
