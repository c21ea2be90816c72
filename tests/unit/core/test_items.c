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
