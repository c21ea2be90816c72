/*
 * test_atomic.c - files that appear whole or not at all (etl/core/atomic.c).
 *
 * The invariant under test: the final name holds the old content or the complete new
 * content, never a part, and no "<name>.tmp" is left by a writer that finished or gave up.
 * A child process that dies mid-write stands in for a crash. The file mode is the one asked
 * for whatever the umask, because errors.txt quotes children's data and must stay 0600. The
 * writer's running hash and byte count, which go into manifests, must match the file.
 */
#include "atomic.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static char *dir;
static char *path;
static char *tmp_path;

static void
setup(void)
{
    dir = ut_mkdtemp();
    path = ut_path(dir, "cld.xml");
    tmp_path = ut_path(dir, "cld.xml.tmp");
}

static void
teardown(void)
{
    ut_rmtree(dir);
    free(path);
    free(tmp_path);
    free(dir);
}

TestSuite(atomic, .init = setup, .fini = teardown);

static unsigned
file_mode(const char *p)
{
    struct stat st;

    cr_assert_eq(stat(p, &st), 0, "'%s' does not exist", p);
    return (unsigned)(st.st_mode & 07777);
}

static void
assert_content(const char *p, const char *expected)
{
    size_t len = 0;
    char *got = ut_read(p, &len);

    cr_assert_not_null(got, "'%s' does not exist", p);
    cr_assert_eq(len, strlen(expected), "'%s' has %zu bytes, expected %zu", p, len,
                 strlen(expected));
    cr_assert_str_eq(got, expected);
    free(got);
}

Test(atomic, commit_produces_the_exact_content_and_no_tmp)
{
    struct atomic_file af;
    struct yj_error err;

    atomic_file_init(&af);
    yj_error_init(&err);
    cr_assert_eq(atomic_file_open(&af, path, 0644, &err), YJ_OK, "%s", err.message);
    cr_assert(ut_exists(tmp_path), "writing goes to the .tmp name");
    cr_assert_not(ut_exists(path), "the final name appears only at commit");
    cr_assert_eq(atomic_file_write(&af, "<a>\n", 4, &err), YJ_OK);
    cr_assert_eq(atomic_file_write(&af, "", 0, &err), YJ_OK);
    cr_assert_eq(atomic_file_write(&af, "</a>\n", 5, &err), YJ_OK);
    cr_assert_eq(atomic_file_commit(&af, &err), YJ_OK, "%s", err.message);
    atomic_file_release(&af);
    assert_content(path, "<a>\n</a>\n");
    cr_assert_not(ut_exists(tmp_path), "'%s' was left behind", tmp_path);
}

Test(atomic, mode_0600_is_kept_under_umask_022)
{
    struct yj_error err;

    umask(022);
    yj_error_init(&err);
    cr_assert_eq(atomic_write_file(path, "secret\n", 7, 0600, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(file_mode(path), 0600, "mode %o", file_mode(path));
    assert_content(path, "secret\n");
}

Test(atomic, mode_0644_is_kept_under_umask_077)
{
    struct yj_error err;

    umask(077);
    yj_error_init(&err);
    cr_assert_eq(atomic_write_file(path, "x", 1, 0644, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(file_mode(path), 0644, "mode %o", file_mode(path));
}

Test(atomic, replacing_a_wider_file_narrows_it_to_the_mode_asked_for)
{
    struct yj_error err;

    ut_write(path, "old\n");
    cr_assert_eq(chmod(path, 0644), 0);
    yj_error_init(&err);
    cr_assert_eq(atomic_write_file(path, "new\n", 4, 0600, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(file_mode(path), 0600, "mode %o", file_mode(path));
    assert_content(path, "new\n");
}

Test(atomic, release_without_commit_keeps_the_old_file_and_removes_the_tmp)
{
    struct atomic_file af;
    struct yj_error err;

    ut_write(path, "old content\n");
    atomic_file_init(&af);
    yj_error_init(&err);
    cr_assert_eq(atomic_file_open(&af, path, 0644, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(atomic_file_write(&af, "new content that is never committed\n", 36, &err), YJ_OK);
    cr_assert_eq(fflush(af.fp), 0, "push the new bytes into the .tmp before giving up");
    assert_content(path, "old content\n");
    atomic_file_release(&af);
    assert_content(path, "old content\n");
    cr_assert_not(ut_exists(tmp_path), "'%s' was left behind", tmp_path);
    cr_assert_null(af.path, "release leaves the struct reusable");
}

Test(atomic, release_without_commit_and_without_old_file_leaves_nothing)
{
    struct atomic_file af;
    struct yj_error err;

    atomic_file_init(&af);
    yj_error_init(&err);
    cr_assert_eq(atomic_file_open(&af, path, 0644, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(atomic_file_write(&af, "abc", 3, &err), YJ_OK);
    atomic_file_release(&af);
    cr_assert_not(ut_exists(path));
    cr_assert_not(ut_exists(tmp_path));
}

Test(atomic, hash_and_byte_count_equal_sha256_file)
{
    struct atomic_file af;
    struct yj_error err;
    char written[SHA256_HEX_LEN + 1], on_disk[SHA256_HEX_LEN + 1];
    unsigned long long bytes = 0;
    static char chunk[70000];

    for (size_t i = 0; i < sizeof(chunk); i++)
        chunk[i] = (char)('a' + i % 26);
    atomic_file_init(&af);
    yj_error_init(&err);
    cr_assert_eq(atomic_file_open(&af, path, 0644, &err), YJ_OK, "%s", err.message);
    for (int i = 0; i < 20; i++)
        cr_assert_eq(atomic_file_write(&af, chunk, sizeof(chunk) - (size_t)i, &err), YJ_OK);
    cr_assert_eq(atomic_file_commit(&af, &err), YJ_OK, "%s", err.message);
    sha256_final_hex(&af.hash, written);
    cr_assert_eq(sha256_file(path, on_disk, &bytes), 0);
    cr_assert_eq(af.bytes, 20 * sizeof(chunk) - 190);
    cr_assert_eq(af.bytes, bytes);
    cr_assert_str_eq(written, on_disk);
    atomic_file_release(&af);
}

Test(atomic, open_in_a_missing_folder_cannot_create_and_names_the_tmp)
{
    struct atomic_file af;
    struct yj_error err;
    char *p = ut_path(dir, "no/such/file");
    char expected[2048];

    atomic_file_init(&af);
    yj_error_init(&err);
    cr_assert_eq(atomic_file_open(&af, p, 0644, &err), YJ_EX_CANTCREAT);
    snprintf(expected, sizeof(expected), "could not create '%s.tmp': No such file or directory", p);
    cr_assert_str_eq(err.message, expected);
    atomic_file_release(&af);
    free(p);
}

Test(atomic, child_dying_mid_write_never_leaves_half_a_file_under_the_final_name)
{
    const char *old = "old complete content\n";
    const char *new_text = "new complete content, twice as long as the old one\n";
    size_t half = strlen(new_text) / 2;
    int status = 0;
    pid_t pid;

    ut_write(path, old);
    pid = fork();
    cr_assert_neq(pid, -1, "fork failed");
    if (pid == 0) {
        struct atomic_file af;
        struct yj_error err;

        atomic_file_init(&af);
        yj_error_init(&err);
        if (atomic_file_open(&af, path, 0644, &err) != YJ_OK ||
            atomic_file_write(&af, new_text, half, &err) != YJ_OK || fflush(af.fp) != 0)
            _exit(2);
        _exit(1); /* no commit, no release: as if the process were killed */
    }
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1, "child status %d", status);
    assert_content(path, old);
    if (ut_exists(tmp_path)) {
        char *partial = ut_read(tmp_path, NULL);
        cr_assert_eq(strlen(partial), half, "the half-written bytes are only in the .tmp");
        cr_assert_eq(strncmp(partial, new_text, half), 0);
        free(partial);
    }
}

Test(atomic, a_new_writer_after_a_crash_replaces_the_stale_tmp)
{
    struct yj_error err;

    ut_write(path, "old\n");
    ut_write(tmp_path, "stale half of something longer");
    yj_error_init(&err);
    cr_assert_eq(atomic_write_file(path, "new\n", 4, 0644, &err), YJ_OK, "%s", err.message);
    assert_content(path, "new\n");
    cr_assert_not(ut_exists(tmp_path));
}

Test(atomic, mkdir_p_creates_nested_folders_and_accepts_existing_ones)
{
    struct yj_error err;
    char *deep = ut_path(dir, "run/2025Q1/staged");
    char *mid = ut_path(dir, "run/2025Q1");
    struct stat st;

    yj_error_init(&err);
    cr_assert_eq(mkdir_p(deep, 0755, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(stat(deep, &st), 0);
    cr_assert(S_ISDIR(st.st_mode));
    cr_assert_eq(stat(mid, &st), 0);
    cr_assert(S_ISDIR(st.st_mode));
    cr_assert_eq(mkdir_p(deep, 0755, &err), YJ_OK, "an existing folder is fine: %s", err.message);
    free(deep);
    free(mid);
}

Test(atomic, mkdir_p_through_a_file_cannot_create_and_names_the_file_in_the_way)
{
    struct yj_error err;
    char *file = ut_path(dir, "plain");
    char *below = ut_path(dir, "plain/sub/dir");
    char expected[2048];

    ut_write(file, "not a folder");
    yj_error_init(&err);
    cr_assert_eq(mkdir_p(below, 0755, &err), YJ_EX_CANTCREAT);
    snprintf(expected, sizeof(expected), "could not create folder '%s': Not a directory", file);
    cr_assert_str_eq(err.message, expected);
    free(file);
    free(below);
}

Test(atomic, path_join_puts_one_slash_between)
{
    char *p = path_join("run/staged", "person.tsv");

    cr_assert_str_eq(p, "run/staged/person.tsv");
    free(p);
}
