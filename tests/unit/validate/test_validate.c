/*
 * test_validate.c - yj-validate on hostile and broken input (etl/validate/validate.c, main.c).
 *
 * Each test builds its own mappings folder (bundles.conf and a tiny schema-11/cld.xsd with an
 * xs:unique on the root, like the real schema) so it does not depend on the real schema. The
 * tests drive the yj-validate executable of the same build, because what matters is what a
 * user sees: the exit status (under the sanitizer build a leak turns 65 into 1), the exact
 * stderr and report lines, and which files are left behind. Covered: element nesting far
 * deeper than any return (40, 500 and 5000 levels, and the exact limit), a report path that
 * names the return itself (same spelling, ./ spelling, symlink, hard link, and the .tmp name
 * the report is written through), and malformed XML, whose finding and error must carry
 * libxml2's own reason and line.
 */
#include "parts.h"
#include "sha256.h"
#include "validate.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define NS "urn:yjreturns:cld:schema-11"
#define ROOT "<cldReturn xmlns=\"" NS "\" schemaVersion=\"11\">"

/* envelope is a plain string; a child holds a ypid and then anything (skipped), so deep
 * nesting is a schema error inside envelope and schema-valid inside a child. */
static const char xsd_text[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:c=\"" NS "\"\n"
    "           targetNamespace=\"" NS "\" elementFormDefault=\"qualified\">\n"
    "  <xs:element name=\"cldReturn\">\n"
    "    <xs:complexType>\n"
    "      <xs:sequence>\n"
    "        <xs:element name=\"envelope\" type=\"xs:string\"/>\n"
    "        <xs:element name=\"child\" minOccurs=\"0\" maxOccurs=\"unbounded\">\n"
    "          <xs:complexType>\n"
    "            <xs:sequence>\n"
    "              <xs:element name=\"ypid\" type=\"xs:string\"/>\n"
    "              <xs:any processContents=\"skip\" minOccurs=\"0\" maxOccurs=\"unbounded\"/>\n"
    "            </xs:sequence>\n"
    "          </xs:complexType>\n"
    "        </xs:element>\n"
    "      </xs:sequence>\n"
    "      <xs:attribute name=\"schemaVersion\" type=\"xs:string\" use=\"required\"/>\n"
    "    </xs:complexType>\n"
    "    <xs:unique name=\"uniqueYpid\">\n"
    "      <xs:selector xpath=\"c:child\"/>\n"
    "      <xs:field xpath=\"c:ypid\"/>\n"
    "    </xs:unique>\n"
    "  </xs:element>\n"
    "</xs:schema>\n";

static char *dir;
static char *mappings;

static void
setup(void)
{
    char *p;

    dir = ut_mkdtemp();
    mappings = ut_path(dir, "mappings");
    cr_assert_eq(mkdir(mappings, 0755), 0);
    p = ut_path(mappings, "bundles.conf");
    ut_write(p, "2023Q1 - schema-11\n");
    free(p);
    p = ut_path(mappings, "schema-11");
    cr_assert_eq(mkdir(p, 0755), 0);
    free(p);
    p = ut_path(mappings, "schema-11/cld.xsd");
    ut_write(p, xsd_text);
    free(p);
    /* every bundle describes its envelope and items and has rules; these tests need one of each (a
     * child here has no <person>, so the rule never runs) */
    p = ut_path(mappings, "schema-11/items.conf");
    ut_write(p, "item envelope parent=return once\n"
                "    documentCount int document_count() mandatory\n"
                "item person staged=person parent=child id=child_id once\n"
                "    ypid text ypid mandatory\n");
    free(p);
    p = ut_path(mappings, "schema-11/rules.conf");
    ut_write(p, "R001 error person.ypid present | the ypid is missing\n");
    free(p);
}

static void
teardown(void)
{
    ut_rmtree(dir);
    free(mappings);
    free(dir);
}

TestSuite(validate, .init = setup, .fini = teardown);

/* A growing string for building returns. */
struct text {
    char *s;
    size_t len, cap;
};

static void
text_add(struct text *t, const char *s)
{
    size_t n = strlen(s);

    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        cr_assert_not_null(t->s);
    }
    memcpy(t->s + t->len, s, n + 1);
    t->len += n;
}

static void
text_repeat(struct text *t, const char *s, int times)
{
    for (int i = 0; i < times; i++)
        text_add(t, s);
}

/* Writes dir/name and returns its path (malloc'd). */
static char *
write_return(const char *name, const char *content)
{
    char *p = ut_path(dir, name);

    ut_write(p, content);
    return p;
}

/*
 * Runs yj-validate --mappings <mappings> ARGS... (or --report <report> <file>) with the test
 * folder as its working directory; its stderr goes to dir/stderr.txt. Returns the exit status,
 * or 128 + the signal number if it was killed.
 */
static int
run_validate_args(const char *const *args)
{
    const char *prog = YJ_BIN_DIR "/yj-validate";
    const char *argv[32] = {prog, "--mappings", mappings};
    char *err_path = ut_path(dir, "stderr.txt");
    int status, n = 3;
    pid_t pid;

    while (*args && n < 31)
        argv[n++] = *args++;
    argv[n] = NULL;
    cr_assert_eq(access(prog, X_OK), 0, "'%s' is not built", prog);
    pid = fork();
    cr_assert_neq(pid, -1, "fork failed");
    if (pid == 0) {
        int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int null = open("/dev/null", O_WRONLY);
        if (fd < 0 || null < 0 || chdir(dir) != 0)
            _exit(126);
        dup2(fd, STDERR_FILENO);
        dup2(null, STDOUT_FILENO);
        execv(prog, (char *const *)argv);
        _exit(127);
    }
    free(err_path);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

static int
run_validate(const char *report, const char *file)
{
    const char *args[] = {"--report", report, file, NULL};

    return run_validate_args(args);
}

/* The whole stderr of the last run_validate (malloc'd), without the UTC time each log line
 * starts with ("2025-07-01T02:30:00Z "), which is checked here once. */
static char *
run_stderr(void)
{
    char *p = ut_path(dir, "stderr.txt");
    char *text = ut_read(p, NULL), *in, *out;

    cr_assert_not_null(text);
    free(p);
    for (in = out = text; *in;) {
        size_t n = strcspn(in, "\n");
        if (n > 21 && in[4] == '-' && in[10] == 'T' && in[19] == 'Z' && in[20] == ' ')
            in += 21, n -= 21;
        else
            cr_assert(strncmp(in, "yj-", 3) != 0, "a log line without its time: %.*s", (int)n, in);
        memmove(out, in, n + (in[n] == '\n'));
        out += n + (in[n] == '\n');
        in += n + (in[n] == '\n');
    }
    *out = '\0';
    return text;
}

/* The file dir/name (malloc'd); fails the test if it is missing. */
static char *
read_in_dir(const char *name)
{
    char *p = ut_path(dir, name);
    char *text = ut_read(p, NULL);

    cr_assert_not_null(text, "'%s' was not written", p);
    free(p);
    return text;
}

static int
exists_in_dir(const char *name)
{
    char *p = ut_path(dir, name);
    int e = ut_exists(p);

    free(p);
    return e;
}

/* head followed by `levels` times "/a". */
static char *
nested_path(const char *head, int levels)
{
    struct text t = {0};

    text_add(&t, head);
    text_repeat(&t, "/a", levels);
    return t.s;
}

/* ---- 1. nesting deeper than any return ---- */

/* cldReturn > envelope > `levels` nested <a>: a schema error at once, since envelope is a
 * plain string; more than VALIDATE_MAX_DEPTH in all also stops the validation. */
static char *
deep_in_envelope(int levels)
{
    struct text t = {0};

    text_add(&t, ROOT "<envelope>");
    text_repeat(&t, "<a>", levels);
    text_repeat(&t, "</a>", levels);
    text_add(&t, "</envelope></cldReturn>\n");
    return t.s;
}

static const char schema_error_at_a[] =
    "line 1: /cldReturn/envelope/a: error: Element '{" NS "}envelope': Element content is "
    "not allowed, because the type definition is simple.\n";

Test(validate, nesting_40_levels_is_a_schema_error_and_exit_65)
{
    char *xml = deep_in_envelope(40), *file = write_return("cld.xml", xml);
    char *report, *err;

    cr_assert_eq(run_validate("report.txt", "cld.xml"), 65);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, schema_error_at_a);
    ut_assert_contains(report, "\nerrors 1\nqueries 0\nresult invalid\n");
    err = run_stderr();
    ut_assert_contains(err, "yj-validate: error: line 1: /cldReturn/envelope/a: error (details "
                            "in the report)\n");
    ut_assert_contains(err, "yj-validate: error: return 'cld.xml' is invalid: 1 error, 0 "
                            "queries\n");
    free(err);
    free(report);
    free(file);
    free(xml);
}

static void
assert_depth_stop(int levels)
{
    char *xml = deep_in_envelope(levels), *file = write_return("cld.xml", xml);
    /* the element refused is the first one past the limit: its parent is the deepest level
     * tracked, VALIDATE_MAX_DEPTH levels down (cldReturn and envelope count). */
    char *path = nested_path("/cldReturn/envelope", VALIDATE_MAX_DEPTH - 2);
    char expected[2048], *report, *err;

    cr_assert_eq(run_validate("report.txt", "cld.xml"), 65, "at %d levels", levels);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, schema_error_at_a);
    snprintf(expected, sizeof(expected),
             "line 1: %s: error: elements nested deeper than %d levels; validation stopped\n", path,
             VALIDATE_MAX_DEPTH);
    ut_assert_contains(report, expected);
    ut_assert_contains(report, "\nerrors 2\nqueries 0\nresult invalid\n");
    cr_assert_not(exists_in_dir("report.txt.tmp"));
    err = run_stderr();
    ut_assert_contains(err, "yj-validate: error: return 'cld.xml' is invalid: 2 errors, 0 "
                            "queries\n");
    cr_assert_null(strstr(err, "Sanitizer"), "%s", err);
    free(err);
    free(report);
    free(path);
    free(file);
    free(xml);
}

Test(validate, nesting_500_levels_stops_with_a_depth_finding_and_exit_65)
{
    assert_depth_stop(500);
}

Test(validate, nesting_5000_levels_stops_with_a_depth_finding_and_exit_65)
{
    assert_depth_stop(5000);
}

/* Inside a child anything goes (xs:any skip), so only the depth limit can object. */
static char *
deep_in_child(int total_depth)
{
    struct text t = {0};
    int levels = total_depth - 2; /* cldReturn and child */

    text_add(&t, ROOT "<envelope>e</envelope><child><ypid>1</ypid>");
    text_repeat(&t, "<a>", levels);
    text_repeat(&t, "</a>", levels);
    text_add(&t, "</child></cldReturn>\n");
    return t.s;
}

Test(validate, nesting_exactly_at_the_limit_is_valid_one_more_is_refused)
{
    struct validate_options opt = {0};
    struct validate_result res;
    struct yj_error err;
    char *ok = deep_in_child(VALIDATE_MAX_DEPTH), *deep = deep_in_child(VALIDATE_MAX_DEPTH + 1);
    char *file, *report_path = ut_path(dir, "report.txt");
    char *path = nested_path("/cldReturn/child[1]", VALIDATE_MAX_DEPTH - 2);
    char expected[2048], *report;

    opt.mappings = mappings;
    opt.report = report_path;
    file = write_return("ok.xml", ok);
    opt.file = file;
    yj_error_init(&err);
    cr_assert_eq(validate_run(&opt, &res, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(res.errors, 0);
    cr_assert_eq(res.children, 1);
    free(file);

    file = write_return("deep.xml", deep);
    opt.file = file;
    yj_error_init(&err);
    cr_assert_eq(validate_run(&opt, &res, &err), YJ_EX_DATAERR);
    cr_assert_eq(res.errors, 1);
    report = ut_read(report_path, NULL);
    cr_assert_not_null(report);
    snprintf(expected, sizeof(expected),
             "line 1: %s: error: elements nested deeper than %d levels; validation stopped\n", path,
             VALIDATE_MAX_DEPTH);
    ut_assert_contains(report, expected);
    free(report);
    free(file);
    free(path);
    free(report_path);
    free(deep);
    free(ok);
}

/* ---- 2. the report must never replace the return ---- */

static const char valid_return[] = ROOT "<envelope>e</envelope></cldReturn>\n";

/* Runs with the given report and return paths and checks the refusal: exit 64, one stderr
 * line naming both paths, the return untouched, nothing written. */
static void
assert_refused(const char *report, const char *file, const char *expected_stderr)
{
    char *err, *still;

    cr_assert_eq(run_validate(report, file), 64, "--report %s %s", report, file);
    err = run_stderr();
    cr_assert_str_eq(err, expected_stderr);
    still = read_in_dir("cld.xml");
    cr_assert_str_eq(still, valid_return, "the return was changed");
    cr_assert_not(exists_in_dir("cld.xml.tmp"), "a report was started");
    free(still);
    free(err);
}

Test(validate, report_equal_to_the_return_is_refused_with_exit_64)
{
    char *file = write_return("cld.xml", valid_return);

    assert_refused("cld.xml", "cld.xml",
                   "yj-validate: error: --report 'cld.xml' names the return file 'cld.xml': "
                   "refusing to overwrite the return\n");
    free(file);
}

Test(validate, report_spelled_differently_is_still_the_return)
{
    char *file = write_return("cld.xml", valid_return);
    char expected[4096];

    assert_refused("./cld.xml", "cld.xml",
                   "yj-validate: error: --report './cld.xml' names the return file 'cld.xml': "
                   "refusing to overwrite the return\n");
    snprintf(expected, sizeof(expected),
             "yj-validate: error: --report '%s' names the return file './/cld.xml': refusing "
             "to overwrite the return\n",
             file);
    assert_refused(file, ".//cld.xml", expected);
    free(file);
}

Test(validate, report_through_a_symlink_or_hard_link_is_refused)
{
    char *file = write_return("cld.xml", valid_return);
    char *sym = ut_path(dir, "sym.txt"), *hard = ut_path(dir, "hard.txt");

    cr_assert_eq(symlink("cld.xml", sym), 0);
    cr_assert_eq(link(file, hard), 0);
    assert_refused("sym.txt", "cld.xml",
                   "yj-validate: error: --report 'sym.txt' names the return file 'cld.xml': "
                   "refusing to overwrite the return\n");
    assert_refused("hard.txt", "cld.xml",
                   "yj-validate: error: --report 'hard.txt' names the return file 'cld.xml': "
                   "refusing to overwrite the return\n");
    free(hard);
    free(sym);
    free(file);
}

/* The report is written as "<report>.tmp" first: a return of that name would be truncated
 * before it is read. */
Test(validate, report_whose_tmp_name_is_the_return_is_refused)
{
    char *file = write_return("cld.xml", valid_return);
    char *tmp_ret = write_return("r.xml.tmp", valid_return), *err, *still;

    cr_assert_eq(run_validate("r.xml", "r.xml.tmp"), 64);
    err = run_stderr();
    cr_assert_str_eq(err, "yj-validate: error: --report 'r.xml' would be written as "
                          "'r.xml.tmp', which is the return file 'r.xml.tmp': refusing to "
                          "overwrite the return\n");
    still = read_in_dir("r.xml.tmp");
    cr_assert_str_eq(still, valid_return, "the return was changed");
    cr_assert_not(exists_in_dir("r.xml"));
    free(still);
    free(err);
    free(tmp_ret);
    free(file);
}

Test(validate, a_report_beside_the_return_is_written)
{
    char *file = write_return("cld.xml", valid_return), *report, *still;

    cr_assert_eq(run_validate("./report.txt", "cld.xml"), 0);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, "\nerrors 0\nqueries 0\nresult valid\n");
    still = read_in_dir("cld.xml");
    cr_assert_str_eq(still, valid_return);
    free(still);
    free(report);
    free(file);
}

Test(validate, validate_run_refuses_the_same_file_before_writing)
{
    struct validate_options opt = {0};
    struct validate_result res;
    struct yj_error err;
    char *file = write_return("cld.xml", valid_return), *still;

    opt.mappings = mappings;
    opt.file = file;
    opt.report = file;
    yj_error_init(&err);
    cr_assert_eq(validate_run(&opt, &res, &err), YJ_EX_USAGE);
    ut_assert_contains(err.message, "names the return file");
    still = read_in_dir("cld.xml");
    cr_assert_str_eq(still, valid_return);
    cr_assert_not(exists_in_dir("cld.xml.tmp"));
    free(still);
    free(file);
}

/* ---- 3 and 4. malformed XML: exit 65 (no leak), libxml2's reason in report and error ---- */

/* Text long enough that the first, peeking read sees the root before the fault. */
static char *
padded(const char *head, const char *tail)
{
    struct text t = {0};

    text_add(&t, head);
    text_repeat(&t, "VALUE-0123456789 ", 600);
    text_add(&t, tail);
    return t.s;
}

Test(validate, tag_mismatch_exits_65_with_libxml2_reason_in_report_and_error)
{
    char *xml = padded(ROOT "\n<envelope>", "\n</cldReturn>\n");
    char *file = write_return("cld.xml", xml), *report, *err;

    cr_assert_eq(run_validate("report.txt", "cld.xml"), 65);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, "line 3: /cldReturn/envelope: error: the file is not "
                               "well-formed XML: Opening and ending tag mismatch: envelope "
                               "line 2 and cldReturn\n");
    ut_assert_contains(report, "\nerrors 1\nqueries 0\nresult invalid\n");
    err = run_stderr();
    ut_assert_contains(err, "yj-validate: error: return 'cld.xml' is not well-formed XML: line "
                            "3: Opening and ending tag mismatch: envelope line 2 and "
                            "cldReturn\nDETAIL: every finding is listed in 'report.txt'\n");
    cr_assert_null(strstr(err, "VALUE-"), "a value reached stderr: %s", err);
    cr_assert_null(strstr(err, "Sanitizer"), "%s", err);
    free(err);
    free(report);
    free(file);
    free(xml);
}

Test(validate, unclosed_tag_exits_65_with_libxml2_reason)
{
    char *xml = padded(ROOT "<envelope>", "");
    char *file = write_return("cld.xml", xml), *report, *err;

    cr_assert_eq(run_validate("report.txt", "cld.xml"), 65);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, "line 1: /cldReturn/envelope: error: the file is not "
                               "well-formed XML: ");
    cr_assert_null(strstr(report, "well-formed XML\n"), "libxml2's reason is missing: %s", report);
    err = run_stderr();
    ut_assert_contains(err, "yj-validate: error: return 'cld.xml' is not well-formed XML: line "
                            "1: ");
    cr_assert_null(strstr(err, "Sanitizer"), "%s", err);
    free(err);
    free(report);
    free(file);
    free(xml);
}

Test(validate, garbage_after_the_envelope_exits_65)
{
    char *xml = padded(ROOT "<envelope>e</envelope>", "<<<&&\x01 garbage");
    char *file = write_return("cld.xml", xml), *report, *err;

    cr_assert_eq(run_validate("report.txt", "cld.xml"), 65);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, "error: the file is not well-formed XML: ");
    err = run_stderr();
    ut_assert_contains(err, "yj-validate: error: return 'cld.xml' is not well-formed XML: line "
                            "1: ");
    cr_assert_null(strstr(err, "Sanitizer"), "%s", err);
    free(err);
    free(report);
    free(file);
    free(xml);
}

Test(validate, truncated_file_exits_65)
{
    char *xml = padded(ROOT "<envelope>", "</envelope><child><ypid>1</ypid></chi");
    char *file = write_return("cld.xml", xml), *report, *err;

    cr_assert_eq(run_validate("report.txt", "cld.xml"), 65);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, "error: the file is not well-formed XML: ");
    ut_assert_contains(report, "\nchildren 1\n");
    err = run_stderr();
    ut_assert_contains(err, "is not well-formed XML: line 1: ");
    cr_assert_null(strstr(err, "Sanitizer"), "%s", err);
    free(err);
    free(report);
    free(file);
    free(xml);
}

Test(validate, malformed_after_a_schema_error_still_says_not_well_formed)
{
    char *xml = padded(ROOT "<wrong/><envelope>", "</cldReturn>\n");
    char *file = write_return("cld.xml", xml), *report;

    cr_assert_eq(run_validate("report.txt", "cld.xml"), 65);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, "line 1: /cldReturn/wrong: error: Element '{" NS "}wrong': This "
                               "element is not expected. Expected is ( {" NS "}envelope ).\n");
    ut_assert_contains(report, "line 1: /cldReturn/envelope: error: the file is not "
                               "well-formed XML: Opening and ending tag mismatch: envelope "
                               "line 1 and cldReturn\n");
    free(report);
    free(file);
    free(xml);
}

Test(validate, malformed_before_the_root_is_read_keeps_libxml2_reason)
{
    char *file = write_return("cld.xml", "<cldReturn schemaVersion=\"11\"><envelope>\n"
                                         "</cldReturn>\n");
    char *err;

    cr_assert_eq(run_validate("report.txt", "cld.xml"), 65);
    err = run_stderr();
    ut_assert_contains(err, "yj-validate: error: return 'cld.xml' is not well-formed XML: line "
                            "2: Opening and ending tag mismatch: envelope line 1 and "
                            "cldReturn\n");
    cr_assert_not(exists_in_dir("report.txt"));
    cr_assert_not(exists_in_dir("report.txt.tmp"));
    free(err);
    free(file);
}

/* The envelope and the field whose documentCount is checked are the ones items.conf describes
 * (the item under the return, the field of source document_count()), whatever their names. */
Test(validate, the_count_checked_is_the_envelope_field_items_conf_describes)
{
    static const char xsd[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"\n"
        "           targetNamespace=\"" NS "\" elementFormDefault=\"qualified\">\n"
        "  <xs:element name=\"cldReturn\">\n"
        "    <xs:complexType>\n"
        "      <xs:sequence>\n"
        "        <xs:element name=\"head\">\n"
        "          <xs:complexType><xs:sequence>\n"
        "            <xs:element name=\"total\" type=\"xs:nonNegativeInteger\"/>\n"
        "            <xs:element name=\"documentCount\" type=\"xs:nonNegativeInteger\"/>\n"
        "          </xs:sequence></xs:complexType>\n"
        "        </xs:element>\n"
        "        <xs:element name=\"child\" minOccurs=\"0\" maxOccurs=\"unbounded\">\n"
        "          <xs:complexType><xs:sequence>\n"
        "            <xs:element name=\"ypid\" type=\"xs:string\"/>\n"
        "          </xs:sequence></xs:complexType>\n"
        "        </xs:element>\n"
        "      </xs:sequence>\n"
        "      <xs:attribute name=\"schemaVersion\" type=\"xs:string\" use=\"required\"/>\n"
        "    </xs:complexType>\n"
        "  </xs:element>\n"
        "</xs:schema>\n";
    char *p = ut_path(mappings, "schema-11/cld.xsd"), *file, *report, *err;

    ut_write(p, xsd);
    free(p);
    p = ut_path(mappings, "schema-11/items.conf");
    ut_write(p, "item head parent=return once\n"
                "    total int document_count() mandatory\n"
                "    documentCount int part_count() mandatory\n"
                "item person staged=person parent=child id=child_id once\n"
                "    ypid text ypid mandatory\n");
    free(p);
    /* documentCount (not the count here) says 1 and is not checked; total says 2 */
    file = write_return("cld.xml", "<?xml version=\"1.0\"?>\n" ROOT "\n"
                                   "<head><total>2</total><documentCount>1</documentCount></head>\n"
                                   "<child><ypid>A</ypid></child>\n"
                                   "</cldReturn>\n");
    cr_assert_eq(run_validate("report.txt", "cld.xml"), 65);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, "\nline 3: : error: head total is 2 but the return holds 1 child "
                               "document\n\nchildren 1\nerrors 1\nqueries 0\nresult invalid\n");
    err = run_stderr();
    ut_assert_contains(err, "yj-validate: error: line 3: : error (details in the report)\n");
    free(err);
    free(report);
    free(file);
}

/* A return larger than one 64 KiB read is parsed whole, read after read: every child is
 * counted and the file is valid. */
Test(validate, a_return_of_many_reads_is_validated_whole)
{
    struct text t = {0};
    char *file, *report, c[128];

    text_add(&t, ROOT "<envelope>e</envelope>\n");
    for (int i = 0; i < 3000; i++) {
        snprintf(c, sizeof(c), "<child><ypid>YP%07d</ypid><a>padding past sixty</a></child>\n", i);
        text_add(&t, c);
    }
    text_add(&t, "</cldReturn>\n");
    cr_assert_gt(t.len, 2 * 65536, "the return must need several reads");
    file = write_return("cld.xml", t.s);
    cr_assert_eq(run_validate("report.txt", "cld.xml"), 0);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, "\n\nchildren 3000\nerrors 0\nqueries 0\nresult valid\n");
    free(report);
    free(file);
    free(t.s);
}

/* ---- the return read once, hashed as it is read ---- */

/* The report's "sha256 HEX" line (malloc'd HEX). */
static char *
report_sha256(const char *report)
{
    const char *at = strstr(report, "\nsha256 ");

    cr_assert_not_null(at, "no sha256 line in the report:\n%s", report);
    return strndup(at + strlen("\nsha256 "), 64);
}

/* A named pipe can be read only once: the return is validated and its SHA-256 given from that
 * one read (a second pass over the file would wait for a writer that is gone). */
Test(validate, a_return_read_from_a_pipe_is_validated_and_hashed_in_one_read, .timeout = 30)
{
    struct text t = {0};
    char *fifo = ut_path(dir, "cld.xml"), *copy, *report, *got, want[65];
    unsigned long long bytes;
    pid_t writer;
    int status;

    text_add(&t, ROOT "<envelope>e</envelope>\n");
    for (int i = 0; i < 2000; i++) {
        char c[96];
        snprintf(c, sizeof(c), "<child><ypid>YP%07d</ypid></child>\n", i);
        text_add(&t, c);
    }
    text_add(&t, "</cldReturn>\n");
    copy = write_return("copy.xml", t.s);
    cr_assert_eq(sha256_file(copy, want, &bytes), 0);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    writer = fork();
    cr_assert_neq(writer, -1);
    if (writer == 0) {
        int fd = open(fifo, O_WRONLY);
        size_t off = 0;
        while (fd >= 0 && off < t.len) {
            ssize_t n = write(fd, t.s + off, t.len - off);
            if (n <= 0)
                _exit(1);
            off += (size_t)n;
        }
        _exit(fd >= 0 ? 0 : 1);
    }
    cr_assert_eq(run_validate("report.txt", "cld.xml"), 0);
    cr_assert_eq(waitpid(writer, &status, 0), writer);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, "\n\nchildren 2000\nerrors 0\nqueries 0\nresult valid\n");
    got = report_sha256(report);
    cr_assert_str_eq(got, want);
    free(got);
    free(report);
    free(copy);
    free(fifo);
    free(t.s);
}

/* A parse that stops early (a DOCTYPE: nothing after it is parsed) still gives the SHA-256 of
 * the whole file, past many reads. */
Test(validate, a_parse_stopped_by_a_doctype_still_hashes_the_whole_file)
{
    struct text t = {0};
    char *file, *report, *got, want[65];
    unsigned long long bytes;

    text_add(&t, "<?xml version=\"1.0\"?>\n<!DOCTYPE cldReturn>\n" ROOT "<envelope>e</envelope>\n");
    for (int i = 0; i < 4000; i++)
        text_add(&t, "<child><ypid>YP</ypid><a>padding past sixty-four KiB</a></child>\n");
    text_add(&t, "</cldReturn>\n");
    cr_assert_gt(t.len, 3 * 65536);
    file = write_return("cld.xml", t.s);
    cr_assert_eq(sha256_file(file, want, &bytes), 0);
    cr_assert_eq(run_validate("report.txt", "cld.xml"), 65);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, "\n\nline 2: : error: a DOCTYPE is not allowed in a return\n");
    got = report_sha256(report);
    cr_assert_str_eq(got, want);
    free(got);
    free(report);
    free(file);
    free(t.s);
}

/* A return whose root element starts past the first MiB (a long comment before it) is read
 * again from its start for the parse, and hashed once all the same. */
Test(validate, a_root_past_the_first_mib_is_parsed_and_hashed_whole)
{
    struct text t = {0};
    char *file, *report, *got, want[65];
    unsigned long long bytes;

    text_add(&t, "<?xml version=\"1.0\"?>\n<!--");
    text_repeat(&t, "a comment of sixty-four bytes, repeated past a mebibyte........\n", 20000);
    text_add(&t, "-->\n" ROOT "<envelope>e</envelope>\n<child><ypid>A</ypid></child>\n"
                 "</cldReturn>\n");
    file = write_return("cld.xml", t.s);
    cr_assert_eq(sha256_file(file, want, &bytes), 0);
    cr_assert_eq(run_validate("report.txt", "cld.xml"), 0);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, "\n\nchildren 1\nerrors 0\nqueries 0\nresult valid\n");
    got = report_sha256(report);
    cr_assert_str_eq(got, want);
    free(got);
    free(report);
    free(file);
    free(t.s);
}

/* ---- several files: the parts of a return ---- */

Test(validate, a_part_report_is_named_after_report_with_the_part_number)
{
    struct yj_error err;
    const struct {
        const char *report, *file, *want;
    } cases[] = {
        {"validate/report.txt", "return/cld-part-0002.xml", "validate/report-0002.txt"},
        {"report.txt", "cld-part-0017.xml", "report-0017.txt"},
        {"out.d/findings", "/x/cld-part-0003.xml", "out.d/findings-0003"},
        {".report", "cld-part-0001.xml", ".report-0001"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = validate_parts_report(cases[i].report, cases[i].file, &err);
        cr_assert_not_null(got, "%s", cases[i].file);
        cr_assert_str_eq(got, cases[i].want);
        free(got);
    }
    yj_error_init(&err);
    cr_assert_null(validate_parts_report("report.txt", "return/cld.xml", &err));
    cr_assert_str_eq(err.message,
                     "'return/cld.xml' is not a part of a return (cld-part-NNNN.xml): "
                     "only parts are checked together, a return of one file on its own");
}

/* Two good parts, each valid alone: the reports of one call are those of a call each. */
static void
write_two_parts(void)
{
    free(write_return("cld-part-0001.xml", ROOT
                      "<envelope>e</envelope>\n<child><ypid>A</ypid></child>\n</cldReturn>\n"));
    free(write_return("cld-part-0002.xml", ROOT
                      "<envelope>e</envelope>\n<child><ypid>B</ypid></child>\n</cldReturn>\n"));
}

Test(validate, several_files_that_are_not_all_parts_are_refused_before_anything_runs)
{
    const char *args[] = {"--report", "report.txt", "cld-part-0001.xml", "cld.xml", NULL};
    char *err;

    write_two_parts();
    free(write_return("cld.xml", ROOT "<envelope>e</envelope>\n</cldReturn>\n"));
    cr_assert_eq(run_validate_args(args), 64);
    err = run_stderr();
    cr_assert_str_eq(err, "yj-validate: error: 'cld.xml' is not a part of a return "
                          "(cld-part-NNNN.xml): only parts are checked together, a return of one "
                          "file on its own\n");
    cr_assert(!exists_in_dir("report-0001.txt"));
    free(err);
}

Test(validate, two_parts_of_one_number_are_refused_before_anything_runs)
{
    const char *args[] = {"--report", "report.txt", "cld-part-0001.xml", "b/cld-part-0001.xml",
                          NULL};
    char *b = ut_path(dir, "b"), *err;

    write_two_parts();
    cr_assert_eq(mkdir(b, 0700), 0);
    free(write_return("b/cld-part-0001.xml", ROOT
                      "<envelope>e</envelope>\n<child><ypid>C</ypid></child>\n</cldReturn>\n"));
    cr_assert_eq(run_validate_args(args), 64);
    err = run_stderr();
    cr_assert_str_eq(err, "yj-validate: error: 'cld-part-0001.xml' and 'b/cld-part-0001.xml' are "
                          "parts of the same number: their reports would both be "
                          "'report-0001.txt'\n");
    cr_assert(!exists_in_dir("report-0001.txt"));
    free(err);
    free(b);
}

Test(validate, jobs_must_be_a_number_from_1_to_1024)
{
    const char *bad[] = {"0", "1025", "two", "", "2x"};

    write_two_parts();
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *args[] = {
            "--jobs", bad[i], "--report", "report.txt", "cld-part-0001.xml", "cld-part-0002.xml",
            NULL};
        char want[128], *err;
        cr_assert_eq(run_validate_args(args), 64, "--jobs '%s'", bad[i]);
        err = run_stderr();
        snprintf(want, sizeof(want),
                 "yj-validate: error: --jobs '%s' is not a number from 1 to 1024\n", bad[i]);
        cr_assert_str_eq(err, want);
        free(err);
    }
    cr_assert(!exists_in_dir("report-0001.txt"));
}

Test(validate, one_file_is_checked_as_ever_whatever_its_name_and_jobs)
{
    const char *args[] = {"--jobs", "2", "--report", "report.txt", "cld-part-0002.xml", NULL};
    char *report;

    write_two_parts();
    cr_assert_eq(run_validate_args(args), 0);
    report = read_in_dir("report.txt");
    ut_assert_contains(report, "\nfile cld-part-0002.xml\n");
    ut_assert_contains(report, "\n\nchildren 1\nerrors 0\nqueries 0\nresult valid\n");
    cr_assert(!exists_in_dir("report-0002.txt"));
    free(report);
}
