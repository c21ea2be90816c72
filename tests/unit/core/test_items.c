/*
 * test_items.c - the item descriptions of a schema bundle (etl/core/items.c, items_xsd.c).
 *
 * items.conf is the one place an item of the return is described; these tests prove that
 * every bundle shipped in mappings/ agrees with its own XSD and code maps, and that each way
 * a description, a map or a schema can disagree is refused with one line naming the file,
 * the line, the item and the field. The disagreements are made by editing a copy of the
 * real schema-11 bundle, so the tests also pin what that bundle declares.
 */
#include "items.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <glob.h>
#include <string.h>

static char *dir;

/* A copy of the real schema-11 bundle in a scratch folder. */
static void
setup(void)
{
    DIR *d = opendir(YJ_SOURCE_DIR "/mappings/schema-11");
    struct dirent *e;

    cr_assert_not_null(d);
    dir = ut_mkdtemp();
    while ((e = readdir(d)) != NULL) {
        size_t len;
        char *from, *to, *src;
        if (e->d_name[0] == '.')
            continue;
        from = ut_path(YJ_SOURCE_DIR "/mappings/schema-11", e->d_name);
        to = ut_path(dir, e->d_name);
        src = ut_read(from, &len);
        ut_write_bytes(to, src, len);
        free(src);
        free(from);
        free(to);
    }
    closedir(d);
}

static void
teardown(void)
{
    ut_rmtree(dir);
    free(dir);
}

TestSuite(items, .init = setup, .fini = teardown);

/* Replaces the first `from` in the bundle copy's file by `to`. */
static void
edit(const char *file, const char *from, const char *to)
{
    char *path = ut_path(dir, file);
    char *text = ut_read(path, NULL);
    char *at = strstr(text, from);
    char *out;

    cr_assert(at, "'%s' not found in %s", from, file);
    out = malloc(strlen(text) - strlen(from) + strlen(to) + 1);
    memcpy(out, text, (size_t)(at - text));
    strcpy(out + (at - text), to);
    strcat(out, at + strlen(from));
    ut_write(path, out);
    free(out);
    free(text);
    free(path);
}

/* The line of the copy's items.conf where `text` first occurs (1-based). */
static int
line_of(const char *text)
{
    char *path = ut_path(dir, "items.conf");
    char *conf = ut_read(path, NULL);
    char *at = strstr(conf, text);
    int line = 1;

    cr_assert(at, "'%s' not in items.conf", text);
    for (char *p = conf; p < at; p++)
        line += *p == '\n';
    free(conf);
    free(path);
    return line;
}

/* Loads the copy and checks it against its XSD; expects `code` and a message holding
 * `needle` (with "@" standing for the bundle folder). */
static void
assert_refused(int code, const char *needle)
{
    struct items it;
    struct yj_error err;
    char *xsd = ut_path(dir, "cld.xsd");
    char want[2048];
    size_t n = 0;
    int rc;

    for (const char *p = needle; *p && n + strlen(dir) + 2 < sizeof(want); p++) {
        if (*p == '@') {
            strcpy(want + n, dir);
            n += strlen(dir);
        } else {
            want[n++] = *p;
        }
    }
    want[n] = '\0';
    items_init(&it);
    yj_error_init(&err);
    rc = items_load(&it, dir, &err);
    if (rc == YJ_OK)
        rc = items_check_xsd(&it, xsd, &err);
    cr_assert_eq(rc, code, "status %d, want %d: %s", rc, code, err.message);
    ut_assert_contains(err.message, want);
    cr_assert(!strchr(err.message, '\n'), "one line: %s", err.message);
    items_release(&it);
    free(xsd);
}

Test(items, every_shipped_bundle_agrees_with_its_xsd_and_maps)
{
    glob_t g;

    cr_assert_eq(glob(YJ_SOURCE_DIR "/mappings/schema-*/items.conf", 0, NULL, &g), 0);
    cr_assert_geq(g.gl_pathc, 1);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char *bundle = strdup(g.gl_pathv[i]);
        struct items it;
        struct yj_error err;
        char *xsd;

        *strrchr(bundle, '/') = '\0';
        xsd = ut_path(bundle, "cld.xsd");
        items_init(&it);
        yj_error_init(&err);
        cr_assert_eq(items_load(&it, bundle, &err), YJ_OK, "%s", err.message);
        cr_assert_eq(items_check_xsd(&it, xsd, &err), YJ_OK, "%s", err.message);
        items_release(&it);
        free(xsd);
        free(bundle);
    }
    globfree(&g);
}

Test(items, schema_11_describes_the_items_in_document_order)
{
    /* clang-format off */
    static const char *const want[] = {
        "person", "offence", "offenceLegalOutcome", "requirement", "policeBail", "hearing",
        "sentenceProposal", "interventionProgramme", "residence", "eteStatus", "careStatus",
        "sendAln", "mentalHealth", "substanceMisuse", "victimIntervention",
        "parentingIntervention", "transfer", "assessment",
        "offenceProgrammeLink", "hearingOffenceLink", "hearingProgrammeLink", "offenceVictimLink",
        "programmeParentingLink", "programmeAssessmentLink",
        NULL};
    /* clang-format on */
    struct items it;
    struct yj_error err;
    int n = 0;

    items_init(&it);
    cr_assert_eq(items_load(&it, dir, &err), YJ_OK, "%s", err.message);
    for (int i = 0; want[i]; i++, n++) {
        cr_assert(i < it.nitems, "only %d items", it.nitems);
        cr_expect_str_eq(it.items[i].element, want[i]);
    }
    cr_assert_eq(it.nitems, n, "%d items described, %d expected", it.nitems, n);
    cr_expect_str_eq(it.items[it.person].element, "person");
    cr_expect_eq(it.items[2].parent_idx, 1, "legal outcomes sit under their offence");
    cr_expect_str_eq(it.items[2].join.column, "offence_id");
    items_release(&it);
}

Test(items, schema_11_describes_the_envelope_with_the_run_values)
{
    static const char *const want[] = {"sourceReturnId",    "yotOuCode",     "returnStartDate",
                                       "returnEndDate",     "signOffDate",   "cmsSystem",
                                       "cmsExtractVersion", "schemaVersion", "extractVersion",
                                       "documentCount",     "partNumber",    "partCount"};
    static const enum item_fn fns[] = {FN_RETURN_ID,      FN_SERVICE,        FN_PERIOD_START,
                                       FN_PERIOD_END,     FN_SIGN_OFF,       FN_CMS_SYSTEM,
                                       FN_STAGED_VERSION, FN_SCHEMA_VERSION, FN_YJRETURNS_VERSION,
                                       FN_DOCUMENT_COUNT, FN_PART_NUMBER,    FN_PART_COUNT};
    static const int mandatory[] = {1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0};
    struct items it;
    struct yj_error err;

    items_init(&it);
    cr_assert_eq(items_load(&it, dir, &err), YJ_OK, "%s", err.message);
    cr_assert_str_eq(it.envelope.element, "envelope");
    cr_assert_str_eq(it.envelope.parent, "return");
    cr_assert_null(it.envelope.staged);
    cr_assert_eq(it.envelope.line, line_of("item envelope parent=return once"));
    cr_assert_eq(it.envelope.nfields, 12);
    for (int f = 0; f < 12; f++) {
        cr_expect_str_eq(it.envelope.fields[f].element, want[f]);
        cr_expect_eq(it.envelope.fields[f].fn, fns[f], "field %s", want[f]);
        cr_expect_eq(it.envelope.fields[f].mandatory, mandatory[f], "field %s", want[f]);
    }
    cr_expect_str_eq(items_envelope_field(&it, FN_DOCUMENT_COUNT), "documentCount");
    cr_expect_str_eq(items_envelope_field(&it, FN_PERIOD_END), "returnEndDate");
    cr_expect_null(items_envelope_field(&it, FN_AGE));
    /* not one of the items read from staged files */
    for (int i = 0; i < it.nitems; i++)
        cr_expect_str_neq(it.items[i].element, "envelope");
    cr_expect_eq(items_uses_entity(&it, "envelope"), 0);
    items_release(&it);
}

Test(items, envelope_field_the_xsd_does_not_declare_is_refused)
{
    edit("items.conf", "    cmsSystem ", "    cmsSystemX ");
    char want[1024];

    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'envelope' field 'cmsSystemX': "
             "'@/cld.xsd' declares element 'cmsSystem' here",
             line_of("    cmsSystemX "));
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, xsd_envelope_element_items_conf_leaves_out_is_refused)
{
    edit("items.conf", "    partCount                   int   part_count()\n", "");
    char want[1024];

    snprintf(want, sizeof(want),
             "'@/cld.xsd' declares element 'partCount' in 'envelope', which '@/items.conf' does "
             "not describe (item on line %d)",
             line_of("item envelope "));
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, optional_envelope_field_marked_mandatory_is_refused)
{
    edit("items.conf", "date  sign_off_date()", "date  sign_off_date() mandatory");
    char want[1024];

    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'envelope' field 'signOffDate' is mandatory, but "
             "'@/cld.xsd' has minOccurs 0",
             line_of("    signOffDate "));
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, envelope_kind_the_xsd_contradicts_is_refused)
{
    edit("items.conf", "documentCount               int   document_count()",
         "documentCount               text  return_id()");
    char want[1024];

    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'envelope' field 'documentCount' is text, but "
             "'@/cld.xsd' declares it as 'xs:nonNegativeInteger'",
             line_of("    documentCount "));
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, envelope_the_xsd_does_not_put_first_is_refused)
{
    edit("items.conf", "item envelope parent=return once", "item header parent=return once");
    char want[1024];

    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'header' under 'return': '@/cld.xsd' declares element "
             "'envelope' first in the return",
             line_of("item header "));
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, envelope_field_from_a_staged_column_is_refused)
{
    edit("items.conf", "text  return_id()", "text  return_id  ");
    char want[1024];

    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'envelope' field 'sourceReturnId': source 'return_id' "
             "is not a function call: an envelope field takes a value of the run, such as "
             "return_id()",
             line_of("    sourceReturnId "));
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, run_values_are_for_the_envelope_and_row_functions_for_items)
{
    char want[1024];

    edit("items.conf", "currentYotId                text  service_code()",
         "currentYotId                text  return_id()   ");
    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'person' field 'currentYotId': source 'return_id' names "
             "an unknown function (known: age, add_years, school_age, service_code)",
             line_of("    currentYotId "));
    assert_refused(YJ_EX_CONFIG, want);
    edit("items.conf", "return_id()   ", "service_code()");
    edit("items.conf", "documentCount               int   document_count()",
         "documentCount               int   age(a,b)        ");
    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'envelope' field 'documentCount': source 'age' names an "
             "unknown function (known: service_code, return_id, period_start, period_end, "
             "sign_off_date, cms_system, staged_version, schema_version, yjreturns_version, "
             "document_count, part_number, part_count)",
             line_of("    documentCount "));
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, envelope_takes_no_staged_file_no_when_and_comes_once)
{
    char want[1024];

    edit("items.conf", "item envelope parent=return once", "item envelope parent=return");
    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'envelope' under return is the envelope: once, and no "
             "staged=, id=, join= or when= (its fields are values of the run)",
             line_of("item envelope "));
    assert_refused(YJ_EX_CONFIG, want);
    edit("items.conf", "item envelope parent=return", "item envelope parent=return once staged=x");
    assert_refused(YJ_EX_CONFIG, want);
    edit("items.conf", "item envelope parent=return once staged=x",
         "item envelope parent=return once");
    edit("items.conf", "period_end()                mandatory",
         "period_end()                mandatory when=x");
    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'envelope' field 'returnEndDate': an envelope field "
             "takes no when=",
             line_of("    returnEndDate "));
    assert_refused(YJ_EX_CONFIG, want);
    edit("items.conf", " when=x", "");
    edit("items.conf", "item person ",
         "item envelope parent=return once\n    schemaVersion text schema_version() mandatory\n"
         "item person ");
    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'envelope': the envelope (parent=return) is described "
             "twice",
             line_of("item person ") - 2);
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, a_description_without_an_envelope_is_refused)
{
    char *conf = ut_path(dir, "items.conf");

    ut_write(conf, "item person staged=person parent=child id=child_id once\n"
                   "    ypid text ypid mandatory\n");
    free(conf);
    assert_refused(YJ_EX_CONFIG, "@/items.conf: no envelope item (item envelope parent=return "
                                 "once)");
}

Test(items, map_code_missing_from_the_xsd_enumeration_is_refused)
{
    edit("ethnicity.csv", "WBRI,W1", "WBRI,W0");
    assert_refused(YJ_EX_CONFIG, "map '@/ethnicity.csv' line 3: code 'W0' (column 'yjb', item "
                                 "'person' field 'ethnicity') is not in the enumeration of type "
                                 "'ethnicityType' in '@/cld.xsd'");
}

Test(items, map_column_value_missing_from_the_xsd_is_refused)
{
    edit("legal_outcome.csv", "DTO,DETENTION_AND_TRAINING_ORDER,Custody",
         "DTO,DETENTION_AND_TRAINING_ORDER,Secure");
    assert_refused(YJ_EX_CONFIG, "code 'Secure' (column 'group', item 'offenceLegalOutcome' field "
                                 "'legalOutcomeGroup') is not in the enumeration of type "
                                 "'legalOutcomeGroupType'");
}

Test(items, described_element_the_xsd_does_not_declare_is_refused)
{
    edit("items.conf", "    cjsCode ", "    cjsCodeX ");
    char want[1024];

    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'offence' field 'cjsCodeX': "
             "'@/cld.xsd' declares element 'cjsCode' here",
             line_of("    cjsCodeX "));
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, xsd_element_no_item_describes_is_refused)
{
    edit("cld.xsd",
         "<xs:element name=\"kpi6SuccessfullyCompleted\" type=\"xs:boolean\" minOccurs=\"0\"/>",
         "<xs:element name=\"kpi6SuccessfullyCompleted\" type=\"xs:boolean\" minOccurs=\"0\"/>\n"
         "      <xs:element name=\"weaponType\" type=\"codeText\" minOccurs=\"0\"/>");
    char want[1024];

    snprintf(want, sizeof(want),
             "'@/cld.xsd' declares element 'weaponType' in "
             "'interventionProgramme', which '@/items.conf' does not describe "
             "(item on line %d)",
             line_of("item interventionProgramme "));
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, kind_the_xsd_contradicts_is_refused)
{
    edit("items.conf", "offenceDate                 date", "offenceDate                 text");
    char want[1024];

    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'offence' field 'offenceDate' is "
             "text, but '@/cld.xsd' declares it as 'xs:date'",
             line_of("    offenceDate "));
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, mandatory_field_the_xsd_makes_optional_is_refused)
{
    edit("items.conf", "plea_cd                     map=plea.csv",
         "plea_cd                     mandatory map=plea.csv");
    char want[1024];

    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'offence' field 'plea' is mandatory, "
             "but '@/cld.xsd' has minOccurs 0",
             line_of("    plea "));
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, unknown_code_map_is_refused_naming_the_line)
{
    edit("items.conf", "map=plea.csv", "map=pleas.csv");
    char want[1024];

    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'offence' field 'plea': could not "
             "open mapping '@/pleas.csv'",
             line_of("    plea "));
    assert_refused(YJ_EX_NOINPUT, want);
}

Test(items, unknown_map_column_is_refused)
{
    edit("items.conf", "legal_outcome.csv:court", "legal_outcome.csv:courts");
    assert_refused(YJ_EX_CONFIG, "item 'offenceLegalOutcome' field 'isCourtDisposal': map "
                                 "'legal_outcome.csv' has no column 'courts'");
}

Test(items, bool_map_column_must_hold_true_or_false)
{
    edit("legal_outcome.csv", "YC,YOUTH_CAUTION,Pre-Court,true", "YC,YOUTH_CAUTION,Pre-Court,yes");
    assert_refused(YJ_EX_CONFIG, "item 'offenceLegalOutcome' field 'isPreCourtDisposal': map "
                                 "'legal_outcome.csv' line");
}

Test(items, unknown_kind_function_and_option_are_refused)
{
    edit("items.conf", "offenceDate                 date", "offenceDate                 when");
    char want[1024];

    snprintf(want, sizeof(want), "line %d: item 'offence' field 'offenceDate': unknown kind 'when'",
             line_of("    offenceDate "));
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, unknown_function_is_refused)
{
    edit("items.conf", "age(person.date_of_birth,arrest_date)",
         "years(person.date_of_birth,arrest_date)");
    assert_refused(YJ_EX_CONFIG, "field 'ageOnArrestDate': source 'years' names an unknown "
                                 "function");
}

Test(items, function_of_another_kind_is_refused)
{
    edit("items.conf", "ageOnArrestDate             int", "ageOnArrestDate             date");
    assert_refused(YJ_EX_CONFIG, "field 'ageOnArrestDate': source 'age' gives a value of another "
                                 "kind than the field's");
}

Test(items, nested_item_needs_a_parent_described_above_it)
{
    edit("items.conf", "parent=offence id=outcome_id", "parent=hearing id=outcome_id");
    assert_refused(YJ_EX_CONFIG, "item 'offenceLegalOutcome': parent 'hearing' is not an item "
                                 "described above it");
}

Test(items, item_order_the_xsd_contradicts_is_refused)
{
    edit("items.conf", "item offenceProgrammeLink", "item offenceProgrammeLinks");
    assert_refused(YJ_EX_CONFIG, "item 'offenceProgrammeLinks' under 'child': '@/cld.xsd' "
                                 "declares element 'offenceProgrammeLink' here");
}

Test(items, field_line_before_any_item_is_refused)
{
    char *conf = ut_path(dir, "items.conf");

    ut_write(conf, "# nothing yet\n    ypid text ypid\n");
    free(conf);
    assert_refused(YJ_EX_CONFIG, "@/items.conf line 2: expected an 'item' line or an indented "
                                 "field line");
}

static void
collect(const char *column, void *arg)
{
    char *buf = arg;
    strcat(buf, column);
    strcat(buf, ",");
}

Test(items, columns_of_an_entity_are_what_its_items_read)
{
    struct items it;
    struct yj_error err;
    char cols[1024] = "";

    items_init(&it);
    cr_assert_eq(items_load(&it, dir, &err), YJ_OK, "%s", err.message);
    items_columns(&it, "outcome", collect, cols);
    cr_expect_str_eq(cols, "child_id,main_flag,outcome_date,outcome_end_date,appeal_cd,outcome_cd,"
                           "residence_cd,care_status_cd,term_days,term_weeks,term_months,"
                           "term_years,outcome_id,offence_id,");
    cols[0] = '\0';
    items_columns(&it, "person", collect, cols);
    cr_expect_str_eq(cols, "child_id,ypid,originating_yot_person_id,pnc_number,date_of_birth,"
                           "sex_cd,gender_cd,gender_same_flag,ethnicity_cd,nationality_cd,"
                           "religion_cd,language_cd,immigration_cd,");
    cr_expect(items_uses_entity(&it, "programme_offence"));
    cr_expect(!items_uses_entity(&it, "board_attendance"));
    items_release(&it);
}

/* ---- bad input a hand edit leaves: each is one line naming the file and line, exit 78 ---- */

Test(items, an_item_option_given_twice_is_refused_not_last_wins)
{
    char want[1024];

    edit("items.conf", "item offence staged=offence parent=child id=offence_id",
         "item offence staged=offence parent=child id=offence_id staged=hearing");
    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'offence': option 'staged' is given twice",
             line_of("item offence "));
    assert_refused(YJ_EX_CONFIG, want);
}

Test(items, a_field_option_given_twice_is_refused_not_last_wins)
{
    char want[1024];

    edit("items.conf", "mandatory map=sex.csv", "mandatory map=sex.csv map=plea.csv");
    snprintf(want, sizeof(want),
             "@/items.conf line %d: item 'person' field 'sex': option 'map' is given twice",
             line_of("    sex "));
    assert_refused(YJ_EX_CONFIG, want);
}

/* The copy's items.conf with BYTES (LEN of them) put before its first byte. */
static void
prepend(const char *bytes, size_t len)
{
    char *path = ut_path(dir, "items.conf");
    size_t n = 0;
    char *text = ut_read(path, &n);
    char *out;

    cr_assert_not_null(text);
    out = malloc(n + len);

    memcpy(out, bytes, len);
    memcpy(out + len, text, n);
    ut_write_bytes(path, out, n + len);
    free(out);
    free(text);
    free(path);
}

Test(items, a_byte_order_mark_is_named_not_glued_to_the_first_word)
{
    struct items it;
    struct yj_error err;
    char want[1024];

    prepend("\xEF\xBB\xBF", 3);
    items_init(&it);
    yj_error_init(&err);
    cr_assert_eq(items_load(&it, dir, &err), YJ_EX_CONFIG);
    snprintf(want, sizeof(want),
             "%s/items.conf line 1: starts with a UTF-8 byte order mark (bytes EF BB BF)", dir);
    cr_assert_str_eq(err.message, want);
    cr_assert_str_eq(err.hint, "save it as UTF-8 without a byte order mark (\"UTF-8\", not "
                               "\"UTF-8 with BOM\")");
    items_release(&it);
}

Test(items, a_nul_byte_is_named_not_a_line_too_long)
{
    struct items it;
    struct yj_error err;
    char want[1024];

    prepend("# x\0y\n", 6);
    items_init(&it);
    yj_error_init(&err);
    cr_assert_eq(items_load(&it, dir, &err), YJ_EX_CONFIG);
    snprintf(want, sizeof(want), "%s/items.conf line 1: holds a NUL byte: not a text file", dir);
    cr_assert_str_eq(err.message, want);
    items_release(&it);
}
