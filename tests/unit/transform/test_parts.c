/*
 * test_parts.c - a return split into parts by [return] children_per_part, and cld.zip, the
 * email fallback (etl/transform/parts.c, driven by etl/transform/transform.c).
 *
 * The staging helpers are those of test_transform.c: each test stages a few children for the
 * real schema-11 bundle (every other entity staged empty, with the columns items.conf reads)
 * and runs transform_run(). What is pinned is what a user sees: the files, each part's
 * envelope, where the deletion notices go, that each part is a valid document for xmllint
 * and the bundle's XSD, that an unsplit return has not changed, and that the zip holds the
 * parts in order and is the same bytes on every run. The [return] children_per_part key
 * itself (config.c) is pinned here too.
 */
#include "staging.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define XSD YJ_SOURCE_DIR "/mappings/schema-11/cld.xsd"

static const char *previous;             /* --previous, NULL unless a test sets it */
static const char *const *previous_more; /* its other parts */
static int nprevious_more;

static void
setup(void)
{
    stage_setup();
    cfg.email_zip = 1; /* [return] email_zip = yes: most tests here check the zip too */
    previous = NULL;
    previous_more = NULL;
    nprevious_more = 0;
}

TestSuite(parts, .init = setup, .fini = stage_teardown);

/* Writes the staged files and runs the transform, signed off; returns its status. */
static int
run(void)
{
    char *list[8] = {(char *)previous}; /* --previous, once per part */
    struct transform_options opt = {.in_dir = staged,
                                    .out_dir = out,
                                    .sign_off = "2025-07-20",
                                    .previous = previous ? list : NULL};

    for (int i = 0; i < nprevious_more && i < 6; i++)
        list[i + 1] = (char *)previous_more[i];

    stage_write();
    return transform_run(&cfg, &opt, &err);
}

/* Child N (1..9): ypid YPT000000N, with one offence. */
static void
child(int n)
{
    char id[32], ypid[32], off[32];

    snprintf(id, sizeof(id), "child_id=%d", n);
    snprintf(ypid, sizeof(ypid), "ypid=YPT000000%d", n);
    snprintf(off, sizeof(off), "offence_id=%d1", n);
    row("person", id, ypid, "date_of_birth=2008-02-29", "sex_cd=F", "ethnicity_cd=WBRI", NULL);
    row("offence", id, off, "offence_date=2024-02-28", "category_cd=ROB", NULL);
}

/* Runs argv[0] (an absolute path) with stdout to OUT/name; returns its exit status. */
static int
command(const char *const argv[], const char *stdout_name)
{
    char *path = ut_path(dir, stdout_name ? stdout_name : "command.out");
    pid_t pid = fork();
    int status;

    cr_assert(pid >= 0);
    if (pid == 0) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int null = open("/dev/null", O_WRONLY);
        if (fd < 0 || null < 0)
            _exit(127);
        dup2(fd, 1);
        dup2(null, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    free(path);
    cr_assert(waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The text of an envelope element ("documentCount") in a return file, or NULL. */
static char *
envelope_value(const char *xml, const char *element)
{
    char open_tag[64], *p, *envelope_end = strstr(xml, "</envelope>");

    snprintf(open_tag, sizeof(open_tag), "<%s>", element);
    p = strstr(xml, open_tag);
    if (!p || !envelope_end || p > envelope_end)
        return NULL;
    p += strlen(open_tag);
    return strndup(p, strcspn(p, "<"));
}

static int
count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static void
assert_envelope(const char *xml, const char *name, const char *count, const char *number,
                const char *of)
{
    char *c = envelope_value(xml, "documentCount"), *n = envelope_value(xml, "partNumber"),
         *o = envelope_value(xml, "partCount");

    cr_assert(c && strcmp(c, count) == 0, "%s documentCount %s, want %s", name, c, count);
    cr_assert(number ? n && strcmp(n, number) == 0 : !n, "%s partNumber %s, want %s", name, n,
              number);
    cr_assert(of ? o && strcmp(o, of) == 0 : !o, "%s partCount %s, want %s", name, o, of);
    free(c);
    free(n);
    free(o);
}

static void
assert_valid(const char *name)
{
    char *path = ut_path(out, name);
    const char *argv[] = {"/usr/bin/xmllint", "--noout", "--schema", XSD, path, NULL};

    cr_assert_eq(command(argv, NULL), 0, "xmllint --schema refuses %s", name);
    free(path);
}

/* A previous submitted return holding these ypids as child documents. */
static char *
previous_return(const char *name, const char *ypids[])
{
    char *path = ut_path(dir, name), text[4096];
    size_t n = (size_t)snprintf(text, sizeof(text),
                                "<?xml version=\"1.0\"?>\n"
                                "<cldReturn xmlns=\"urn:yjreturns:cld:schema-11\" "
                                "schemaVersion=\"11\">\n");

    for (int i = 0; ypids[i]; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n,
                              "<child><person><ypid>%s</ypid></person></child>\n", ypids[i]);
    snprintf(text + n, sizeof(text) - n, "</cldReturn>\n");
    ut_write(path, text);
    return path;
}

Test(parts, five_children_in_parts_of_two_give_three_valid_parts_with_deletions_in_the_last)
{
    const char *gone[] = {"YPT0000002", "YPT0000008", "YPT0000009", NULL};
    char *prev = previous_return("previous.xml", gone);
    static const char *names[] = {"cld-part-0001.xml", "cld-part-0002.xml", "cld-part-0003.xml"};
    static const char *counts[] = {"2", "2", "1"};
    char *m;

    for (int n = 1; n <= 5; n++)
        child(n);
    cfg.children_per_part = 2;
    previous = prev;
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    {
        char *xml = ut_path(out, "cld.xml"), *part4 = ut_path(out, "cld-part-0004.xml");
        cr_assert(!ut_exists(xml), "a split return has no cld.xml");
        cr_assert(!ut_exists(part4));
        free(xml);
        free(part4);
    }
    for (int i = 0; i < 3; i++) {
        char *xml = out_file(names[i]), number[8];
        cr_assert(xml, "no %s", names[i]);
        snprintf(number, sizeof(number), "%d", i + 1);
        assert_envelope(xml, names[i], counts[i], number, "3");
        /* right after documentCount, in that order */
        ut_assert_contains(xml, "    <documentCount>");
        cr_assert(strstr(xml, "</documentCount>\n    <partNumber>") &&
                      strstr(xml, "</partNumber>\n    <partCount>3</partCount>\n  </envelope>\n"),
                  "%s envelope:\n%.1200s", names[i], xml);
        cr_assert_eq(count_of(xml, "  <child>\n"), atoi(counts[i]), "%s", names[i]);
        /* ypids 8 and 9 are gone from the warehouse: notified in the last part only */
        cr_assert_eq(count_of(xml, "<deletion>"), i == 2 ? 2 : 0, "%s", names[i]);
        cr_assert(strstr(xml, "</cldReturn>\n"), "%s is not a whole document", names[i]);
        free(xml);
        assert_valid(names[i]);
    }
    {
        /* children in order, 1-2, 3-4, 5 */
        char *p1 = out_file(names[0]), *p3 = out_file(names[2]);
        cr_assert(strstr(p1, "<ypid>YPT0000001</ypid>") && strstr(p1, "<ypid>YPT0000002</ypid>"));
        ut_assert_contains(p3, "<ypid>YPT0000005</ypid>\n");
        ut_assert_contains(p3, "  </child>\n"
                               "  <deletion>\n"
                               "    <ypid>YPT0000008</ypid>\n"
                               "  </deletion>\n"
                               "  <deletion>\n"
                               "    <ypid>YPT0000009</ypid>\n"
                               "  </deletion>\n"
                               "</cldReturn>\n");
        free(p1);
        free(p3);
    }
    m = out_file("MANIFEST");
    cr_assert(m);
    ut_assert_contains(m, "\ndeletions 2\n");
    ut_assert_contains(m, "\nfile cld-part-0001.xml rows 2 bytes ");
    ut_assert_contains(m, "\nfile cld-part-0002.xml rows 2 bytes ");
    ut_assert_contains(m, "\nfile cld-part-0003.xml rows 1 bytes ");
    ut_assert_contains(m, "\nfile cld.zip rows 5 bytes ");
    cr_assert(strstr(m, "cld-part-0001.xml") < strstr(m, "cld-part-0002.xml") &&
                  strstr(m, "cld-part-0003.xml") < strstr(m, "cld.zip"),
              "files listed in part order, the zip last:\n%s", m);
    cr_assert_null(strstr(m, "cld.xml"));
    free(m);
    free(prev);
}

Test(parts, exactly_n_children_give_one_unsplit_cld_xml_as_without_the_key)
{
    char *split_off, *at_n, *m;

    child(1);
    child(2);
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    split_off = out_file("cld.xml");
    cfg.children_per_part = 2;
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    at_n = out_file("cld.xml");
    cr_assert(split_off && at_n);
    cr_assert_str_eq(at_n, split_off, "the same bytes as without children_per_part");
    cr_assert_null(strstr(at_n, "partNumber"));
    cr_assert_null(strstr(at_n, "partCount"));
    assert_envelope(at_n, "cld.xml", "2", NULL, NULL);
    {
        char *part1 = ut_path(out, "cld-part-0001.xml");
        cr_assert(!ut_exists(part1));
        free(part1);
    }
    assert_valid("cld.xml");
    m = out_file("MANIFEST");
    ut_assert_contains(m, "\nfile cld.xml rows 2 bytes ");
    ut_assert_contains(m, "\nfile cld.zip rows 2 bytes ");
    cr_assert_null(strstr(m, "cld-part-"));
    free(m);
    free(split_off);
    free(at_n);
}

/* Copies OUT/cld.zip to DIR/name. */
static void
keep_zip(const char *name)
{
    size_t len;
    char *zip = ut_path(out, "cld.zip"), *copy = ut_path(dir, name);
    char *bytes = ut_read(zip, &len);

    cr_assert(bytes, "no cld.zip");
    ut_write_bytes(copy, bytes, len);
    free(bytes);
    free(zip);
    free(copy);
}

Test(parts, zip_is_the_same_bytes_on_every_run_and_holds_the_parts_in_order, .timeout = 60)
{
    static const char *names[] = {"cld-part-0001.xml", "cld-part-0002.xml", "cld-part-0003.xml"};
    char *zip = ut_path(out, "cld.zip"), *a = ut_path(dir, "a.zip"), *b = ut_path(dir, "b.zip");
    char *listing, *verbose, *list_path = ut_path(dir, "list.out");
    struct stat st;
    size_t la = 0, lb = 0;

    for (int n = 1; n <= 5; n++)
        child(n);
    cfg.children_per_part = 2;
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    keep_zip("a.zip");
    sleep(2); /* past the 2-second step of a zip's time, so that a time that leaked in shows */
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    keep_zip("b.zip");
    {
        char *x = ut_read(a, &la), *y = ut_read(b, &lb);
        cr_assert(la == lb && memcmp(x, y, la) == 0, "two runs gave different zips");
        free(x);
        free(y);
    }
    cr_assert_eq(stat(zip, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600, "cld.zip has mode %o", (unsigned)(st.st_mode & 0777));
    {
        const char *argv[] = {"/usr/bin/unzip", "-t", zip, NULL};
        cr_assert_eq(command(argv, NULL), 0, "unzip -t refuses cld.zip");
    }
    {
        const char *argv[] = {"/usr/bin/unzip", "-Z1", zip, NULL};
        cr_assert_eq(command(argv, "list.out"), 0);
        listing = ut_read(list_path, NULL);
        cr_assert_str_eq(listing, "cld-part-0001.xml\ncld-part-0002.xml\ncld-part-0003.xml\n");
        free(listing);
    }
    for (int i = 0; i < 3; i++) {
        const char *argv[] = {"/usr/bin/unzip", "-p", zip, names[i], NULL};
        char *part = ut_path(out, names[i]), *got_path = ut_path(dir, "entry.out");
        size_t lp = 0, lg = 0;
        char *want = ut_read(part, &lp), *got;

        cr_assert_eq(command(argv, "entry.out"), 0);
        got = ut_read(got_path, &lg);
        cr_assert(lp == lg && memcmp(want, got, lp) == 0, "entry %s differs from the part",
                  names[i]);
        free(want);
        free(got);
        free(part);
        free(got_path);
    }
    {
        /* fixed time and mode, deflated, no extra field that could carry a time or an owner */
        const char *argv[] = {"/usr/bin/zipinfo", "-v", zip, NULL};
        char *verbose_path = ut_path(dir, "verbose.out");
        cr_assert_eq(command(argv, "verbose.out"), 0);
        verbose = ut_read(verbose_path, NULL);
        free(verbose_path);
        cr_assert_eq(count_of(verbose, "1980 Jan 1 00:00:00"), 3, "%s", verbose);
        cr_assert_eq(count_of(verbose, "Unix file attributes (100600 octal)"), 3, "%s", verbose);
        cr_assert_eq(count_of(verbose, "compression method:                             deflated"),
                     3, "%s", verbose);
        cr_assert_eq(count_of(verbose, "length of extra field:                          0 bytes"),
                     3, "%s", verbose);
        free(verbose);
    }
    free(zip);
    free(a);
    free(b);
    free(list_path);
}

Test(parts, unsplit_zip_holds_cld_xml)
{
    char *zip = ut_path(out, "cld.zip"), *list_path = ut_path(dir, "list.out"), *listing;

    child(1);
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    {
        const char *argv[] = {"/usr/bin/unzip", "-Z1", zip, NULL};
        cr_assert_eq(command(argv, "list.out"), 0);
        listing = ut_read(list_path, NULL);
        cr_assert_str_eq(listing, "cld.xml\n");
        free(listing);
    }
    free(list_path);
    free(zip);
}

Test(parts, a_failed_run_leaves_no_part_no_zip_and_no_manifest)
{
    for (int n = 1; n <= 5; n++)
        child(n);
    cfg.children_per_part = 2;
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    {
        char *part = ut_path(out, "cld-part-0003.xml"), *zip = ut_path(out, "cld.zip");
        cr_assert(ut_exists(part) && ut_exists(zip));
        free(part);
        free(zip);
    }
    /* child 6 has an unmapped ethnicity: the whole return fails */
    row("person", "child_id=6", "ypid=YPT0000006", "date_of_birth=2009-01-01", "sex_cd=M",
        "ethnicity_cd=ZZZZ", NULL);
    cr_assert_eq(run(), YJ_EX_DATAERR);
    {
        DIR *d = opendir(out);
        struct dirent *e;
        cr_assert(d);
        while ((e = readdir(d)) != NULL)
            cr_assert(e->d_name[0] == '.' || strcmp(e->d_name, "errors.txt") == 0,
                      "'%s' left behind by a failed run", e->d_name);
        closedir(d);
    }
}

Test(parts, a_split_previous_return_is_read_part_by_part_for_deletions)
{
    const char *one[] = {"YPT0000001", "YPT0000007", NULL};
    const char *two[] = {"YPT0000002", "YPT0000008", NULL};
    char *p1 = previous_return("prev-1.xml", one), *p2 = previous_return("prev-2.xml", two);
    const char *more[] = {p2};
    char *xml, *m, sha1[SHA256_HEX_LEN + 1], sha2[SHA256_HEX_LEN + 1], want[256];
    unsigned long long bytes;

    child(1);
    child(2);
    previous = p1;
    previous_more = more;
    nprevious_more = 1;
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    xml = out_file("cld.xml");
    ut_assert_contains(xml, "  <deletion>\n"
                            "    <ypid>YPT0000007</ypid>\n"
                            "  </deletion>\n"
                            "  <deletion>\n"
                            "    <ypid>YPT0000008</ypid>\n"
                            "  </deletion>\n"
                            "</cldReturn>\n");
    cr_assert_eq(count_of(xml, "<deletion>"), 2);
    m = out_file("MANIFEST");
    cr_assert_eq(sha256_file(p1, sha1, &bytes), 0);
    cr_assert_eq(sha256_file(p2, sha2, &bytes), 0);
    snprintf(want, sizeof(want), "\nprevious_return_sha256 %s,%s\n", sha1, sha2);
    ut_assert_contains(m, want);
    free(m);
    free(xml);
    free(p1);
    free(p2);
}

/* ---- the configuration key ---- */

static int
load_config(const char *value, struct yj_config *c)
{
    char *path = ut_path(dir, "yj.conf"), text[512];

    snprintf(text, sizeof(text), "[service]\nyot_ou_code = T\n\n[return]\nchildren_per_part = %s\n",
             value);
    ut_write(path, text);
    config_init(c);
    {
        int rc = config_load(c, path, &err);
        free(path);
        return rc;
    }
}

Test(parts, children_per_part_is_a_whole_number_from_1_to_ten_million)
{
    static const char *bad[] = {"0", "-1", "2x", "", "1.5", "10000001", "99999999999999999999"};
    struct yj_config c;
    char want[512];

    cr_assert_eq(load_config("50000", &c), YJ_OK, "%s", err.message);
    cr_assert_eq(c.children_per_part, 50000);
    config_release(&c);
    cr_assert_eq(load_config("10000000", &c), YJ_OK, "%s", err.message);
    cr_assert_eq(c.children_per_part, 10000000);
    config_release(&c);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_assert_eq(load_config(bad[i], &c), YJ_EX_CONFIG, "'%s' accepted", bad[i]);
        snprintf(want, sizeof(want),
                 "config file '%s/yj.conf' line 5: [return] children_per_part must be a whole "
                 "number from 1 to 10000000, not '%s'",
                 dir, bad[i]);
        cr_assert_str_eq(err.message, want);
        config_release(&c);
    }
    cr_assert_eq(load_config("2", &c), YJ_OK);
    config_release(&c);
}

Test(parts, without_email_zip_no_zip_is_written)
{
    char *m, *zip = ut_path(out, "cld.zip");

    child(1);
    child(2);
    child(3);
    cfg.children_per_part = 2;
    cfg.email_zip = 0;
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    cr_assert(!ut_exists(zip), "cld.zip is written only with [return] email_zip = yes");
    m = out_file("MANIFEST");
    ut_assert_contains(m, "\nfile cld-part-0002.xml rows 1 bytes ");
    cr_assert_null(strstr(m, "cld.zip"));
    free(m);
    free(zip);
}

Test(parts, email_zip_is_yes_or_no)
{
    char *path = ut_path(dir, "yj.conf"), want[512];
    struct yj_config c;

    ut_write(path, "[return]\nemail_zip = yes\n");
    config_init(&c);
    cr_assert_eq(config_load(&c, path, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(c.email_zip, 1);
    config_release(&c);
    ut_write(path, "[return]\nemail_zip = no\n");
    cr_assert_eq(config_load(&c, path, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(c.email_zip, 0);
    config_release(&c);
    ut_write(path, "[return]\nemail_zip = true\n");
    cr_assert_eq(config_load(&c, path, &err), YJ_EX_CONFIG);
    snprintf(want, sizeof(want),
             "config file '%s' line 2: [return] email_zip must be yes or no, not 'true'", path);
    cr_assert_str_eq(err.message, want);
    config_release(&c);
    free(path);
}

Test(parts, a_new_run_removes_old_parts_and_nothing_else)
{
    char *old_part = ut_path(out, "cld-part-0007.xml");
    char *other_xml = ut_path(out, "notes.xml");
    char *other_part = ut_path(out, "cld-part-notes.txt");

    child(1);
    mkdir(out, 0700);
    ut_write(old_part, "an old part of an earlier, longer return\n");
    ut_write(other_xml, "not the return's\n");
    ut_write(other_part, "not the return's either\n");
    cr_assert_eq(run(), YJ_OK, "%s", err.message);
    cr_assert_not(ut_exists(old_part), "an old part must not stay beside the new return");
    cr_assert(ut_exists(other_xml), "only the return's own files are removed");
    cr_assert(ut_exists(other_part), "only the return's own files are removed");
    free(old_part);
    free(other_xml);
    free(other_part);
}
