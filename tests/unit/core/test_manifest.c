/*
 * test_manifest.c - writing and reading stage manifests (etl/core/manifest.c).
 *
 * The manifest is how one stage vouches for its files to the next, so the tests pin its exact
 * bytes (same inputs, same bytes), the round trip through manifest_read, the hash it reports
 * of itself, and the errors for a manifest that is not one: exit 74 naming the file and line,
 * or 66 when it is missing. Each test works in its own temporary folder.
 */
#include "manifest.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>

static char *dir;
static char *path;

#define SHA_A "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA_B "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

static void
setup(void)
{
    dir = ut_mkdtemp();
    path = ut_path(dir, "MANIFEST");
}

static void
teardown(void)
{
    ut_rmtree(dir);
    free(path);
    free(dir);
}

TestSuite(manifest, .init = setup, .fini = teardown);

static void
fill(struct manifest *m)
{
    manifest_set(m, "stage", "extract");
    manifest_set(m, "period", "2025Q1");
    manifest_set(m, "as_of", "2025-07-01T00:00:00.000000Z");
    manifest_add_file(m, "person.tsv", 300, 12345, SHA_A);
    manifest_add_file(m, "offence.tsv", 0, 0, SHA_B);
}

static const char expected_text[] = "yjreturns-manifest 1\n"
                                    "stage extract\n"
                                    "period 2025Q1\n"
                                    "as_of 2025-07-01T00:00:00.000000Z\n"
                                    "file person.tsv rows 300 bytes 12345 sha256 " SHA_A "\n"
                                    "file offence.tsv rows 0 bytes 0 sha256 " SHA_B "\n";

/* Writes text as the manifest and expects manifest_read to refuse it with exactly msg_tail
 * after "manifest '<path>' ". */
static void
assert_malformed(const char *text, const char *msg_tail)
{
    struct manifest m;
    struct yj_error err;
    char expected[2048];

    ut_write(path, text);
    manifest_init(&m);
    yj_error_init(&err);
    cr_assert_eq(manifest_read(&m, path, NULL, &err), YJ_EX_IOERR, "accepted:\n%s", text);
    cr_assert_eq(err.code, YJ_EX_IOERR);
    snprintf(expected, sizeof(expected), "manifest '%s' %s", path, msg_tail);
    cr_assert_str_eq(err.message, expected);
    manifest_release(&m);
}

Test(manifest, write_gives_the_documented_bytes_in_insertion_order)
{
    struct manifest m;
    struct yj_error err;
    struct stat st;
    char *text, *tmp;

    manifest_init(&m);
    fill(&m);
    yj_error_init(&err);
    cr_assert_eq(manifest_write(&m, path, &err), YJ_OK, "%s", err.message);
    text = ut_read(path, NULL);
    cr_assert_not_null(text);
    cr_assert_str_eq(text, expected_text);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0644, "mode %o", (unsigned)(st.st_mode & 07777));
    tmp = ut_path(dir, "MANIFEST.tmp");
    cr_assert_not(ut_exists(tmp), "'%s' was left behind", tmp);
    free(tmp);
    free(text);
    manifest_release(&m);
}

Test(manifest, write_then_read_round_trips_keys_and_files)
{
    struct manifest m, back;
    struct yj_error err;
    const struct manifest_file *f;

    manifest_init(&m);
    manifest_init(&back);
    fill(&m);
    yj_error_init(&err);
    cr_assert_eq(manifest_write(&m, path, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(manifest_read(&back, path, NULL, &err), YJ_OK, "%s", err.message);

    cr_assert_eq(back.nkv, 3);
    cr_assert_str_eq(manifest_get(&back, "stage"), "extract");
    cr_assert_str_eq(manifest_get(&back, "period"), "2025Q1");
    cr_assert_str_eq(manifest_get(&back, "as_of"), "2025-07-01T00:00:00.000000Z");
    cr_assert_null(manifest_get(&back, "schema"));

    cr_assert_eq(back.nfiles, 2);
    f = manifest_find_file(&back, "person.tsv");
    cr_assert_not_null(f);
    cr_assert_eq(f->rows, 300);
    cr_assert_eq(f->bytes, 12345);
    cr_assert_str_eq(f->sha256, SHA_A);
    f = manifest_find_file(&back, "offence.tsv");
    cr_assert_not_null(f);
    cr_assert_eq(f->rows, 0);
    cr_assert_str_eq(f->sha256, SHA_B);
    cr_assert_null(manifest_find_file(&back, "outcome.tsv"));
    manifest_release(&m);
    manifest_release(&back);
}

Test(manifest, read_of_a_written_manifest_writes_the_same_bytes_again)
{
    struct manifest m, back;
    struct yj_error err;
    char *again_path = ut_path(dir, "AGAIN");
    char *text;

    manifest_init(&m);
    manifest_init(&back);
    fill(&m);
    yj_error_init(&err);
    cr_assert_eq(manifest_write(&m, path, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(manifest_read(&back, path, NULL, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(manifest_write(&back, again_path, &err), YJ_OK, "%s", err.message);
    text = ut_read(again_path, NULL);
    cr_assert_str_eq(text, expected_text);
    free(text);
    free(again_path);
    manifest_release(&m);
    manifest_release(&back);
}

Test(manifest, set_replaces_an_existing_key_in_place)
{
    struct manifest m;
    struct yj_error err;
    char *text;

    manifest_init(&m);
    manifest_set(&m, "stage", "extract");
    manifest_set(&m, "period", "2025Q1");
    manifest_set(&m, "rows", "1");
    manifest_set(&m, "period", "2025Q2");
    cr_assert_eq(m.nkv, 3);
    cr_assert_str_eq(manifest_get(&m, "period"), "2025Q2");
    yj_error_init(&err);
    cr_assert_eq(manifest_write(&m, path, &err), YJ_OK, "%s", err.message);
    text = ut_read(path, NULL);
    cr_assert_str_eq(text, "yjreturns-manifest 1\nstage extract\nperiod 2025Q2\nrows 1\n");
    free(text);
    manifest_release(&m);
}

Test(manifest, read_reports_the_sha256_of_the_manifest_file_itself)
{
    struct manifest m, back;
    struct yj_error err;
    char got[SHA256_HEX_LEN + 1] = "", want[SHA256_HEX_LEN + 1] = "";
    unsigned long long bytes = 0;

    manifest_init(&m);
    manifest_init(&back);
    fill(&m);
    yj_error_init(&err);
    cr_assert_eq(manifest_write(&m, path, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(manifest_read(&back, path, got, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(sha256_file(path, want, &bytes), 0);
    cr_assert_eq(bytes, strlen(expected_text));
    cr_assert_str_eq(got, want);
    cr_assert_neq(strcmp(got, SHA_A), 0, "the empty-input hash means nothing was hashed");
    manifest_release(&m);
    manifest_release(&back);
}

Test(manifest, missing_manifest_is_no_input_naming_the_path)
{
    struct manifest m;
    struct yj_error err;
    char expected[2048];

    manifest_init(&m);
    yj_error_init(&err);
    cr_assert_eq(manifest_read(&m, path, NULL, &err), YJ_EX_NOINPUT);
    snprintf(expected, sizeof(expected), "could not open manifest '%s': No such file or directory",
             path);
    cr_assert_str_eq(err.message, expected);
    manifest_release(&m);
}

Test(manifest, wrong_magic_is_refused_on_line_1)
{
    assert_malformed("yjreturns-manifest 0\nstage extract\n", "line 1: not a yjreturns manifest");
    assert_malformed("yjreturns-manifest\nstage extract\n", "line 1: not a yjreturns manifest");
    assert_malformed("yjreturns-manifest 1x\nstage extract\n", "line 1: not a yjreturns manifest");
    assert_malformed("stage extract\n", "line 1: not a yjreturns manifest");
}

Test(manifest, a_newer_version_is_refused_naming_it_on_line_1)
{
    assert_malformed("yjreturns-manifest 2\nstage extract\n",
                     "line 1: format yjreturns-manifest 2 is newer than this yjreturns reads "
                     "(yjreturns-manifest 1)");
}

Test(manifest, a_format_key_of_a_newer_version_is_refused_naming_its_line)
{
    struct manifest m;
    struct yj_error err;
    char want[1024];

    /* read as any manifest; the reader of the files it describes asks before reading one */
    ut_write(path, "yjreturns-manifest 1\nstage kpi\nformat.yjreturns-kpi-cases 2\n");
    manifest_init(&m);
    cr_assert_eq(manifest_read(&m, path, NULL, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(manifest_check_formats(&m, path, &err), YJ_EX_DATAERR);
    snprintf(want, sizeof(want),
             "'%s' line 3: format yjreturns-kpi-cases 2 is newer than this yjreturns reads "
             "(yjreturns-kpi-cases 1)",
             path);
    cr_assert_str_eq(err.message, want);
    manifest_release(&m);
    /* its own version, or a format it does not know (a file it does not read), is read */
    ut_write(path, "yjreturns-manifest 1\nstage kpi\nformat.yjreturns-kpi-cases 1\n"
                   "format.yjreturns-kpi-future 7\n");
    cr_assert_eq(manifest_read(&m, path, NULL, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(manifest_check_formats(&m, path, &err), YJ_OK, "%s", err.message);
    cr_assert_str_eq(manifest_get(&m, "format.yjreturns-kpi-cases"), "1");
    manifest_release(&m);
}

Test(manifest, bad_file_line_is_refused_naming_its_line)
{
    assert_malformed("yjreturns-manifest 1\nstage extract\nfile person.tsv rows 3 bytes\n",
                     "line 3: malformed file entry");
}

Test(manifest, non_numeric_row_count_is_refused_naming_its_line)
{
    assert_malformed("yjreturns-manifest 1\nfile person.tsv rows x bytes 1 sha256 " SHA_A "\n",
                     "line 2: malformed file entry");
}

Test(manifest, short_sha256_is_refused_naming_its_line)
{
    assert_malformed("yjreturns-manifest 1\nstage extract\nperiod 2025Q1\n"
                     "file person.tsv rows 3 bytes 10 sha256 abc123\n",
                     "line 4: malformed file entry");
}

Test(manifest, upper_case_sha256_is_refused_naming_its_line)
{
    assert_malformed("yjreturns-manifest 1\n"
                     "file person.tsv rows 3 bytes 10 sha256 "
                     "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\n",
                     "line 2: malformed file entry");
}

Test(manifest, key_without_value_is_refused_naming_its_line)
{
    assert_malformed("yjreturns-manifest 1\nstage extract\nperiod\n",
                     "line 3: expected 'key value'");
}

Test(manifest, value_with_a_space_is_refused_naming_its_line)
{
    assert_malformed("yjreturns-manifest 1\nstage extract two\n", "line 2: expected 'key value'");
}

Test(manifest, unterminated_last_line_is_refused)
{
    assert_malformed("yjreturns-manifest 1\nstage extract",
                     "line 2: line too long or unterminated");
}

Test(manifest, empty_file_is_refused)
{
    assert_malformed("", "is empty");
}
