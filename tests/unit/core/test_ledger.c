/*
 * test_ledger.c - the submission ledger (etl/core/ledger.c, ledger_write.c): an append-only,
 * hash-chained text file.
 *
 * The invariants under test: a ledger written by ledger_append() verifies; an edited byte,
 * a removed line or two swapped lines fail verification naming the line where the chain
 * breaks; a torn last line (a crash mid-append) is reported, not failed, and the next writer
 * moves it aside and records a "repair" entry, after which the chain verifies again; values
 * round-trip (spaces and '%' in the answer and the run path); a second writer waits for the
 * lock and gives up with the lock code; after a write not known durable (a real failed fsync,
 * on tests/failing-disk.sh) the ledger takes no append until ledger_mark_durable() has read it
 * back and written it again.
 */
#include "ledger.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *dir;
static char *path;

static void
setup(void)
{
    dir = ut_mkdtemp();
    path = ut_path(dir, "ledger");
}

static void
teardown(void)
{
    ut_rmtree(dir);
    free(path);
    free(dir);
}

TestSuite(ledger, .init = setup, .fini = teardown);

static const char SHA_A[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/* Writes n entries: send, answer, send, answer ... */
static void
write_entries(int n)
{
    struct ledger lg;
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(ledger_open(&lg, path, 1, &err), YJ_OK, "%s", err.message);
    for (int i = 0; i < n; i++) {
        struct ledger_entry e = {0};
        e.service = "MEDWAY";
        e.period = "2025Q1";
        e.seq = 1;
        e.event = i % 2 ? "answer" : "send";
        e.source_return_id = "MEDWAY-2025Q1-20250701T000000.000000Z";
        e.return_sha256 = (char *)SHA_A;
        e.part = "1/1";
        e.sha256 = (char *)SHA_A;
        e.bytes = 1234;
        e.run = "/runs/MEDWAY/2025Q1/20250715T100000Z";
        e.http = i % 2 ? 503 : 0;
        e.result = i % 2 ? "temporary" : NULL;
        e.answer = i % 2 ? "HTTP 503 Service Unavailable, retry after 2 s" : NULL;
        cr_assert_eq(ledger_append(&lg, &e, &err), YJ_OK, "%s", err.message);
    }
    ledger_close(&lg);
}

static int
verify(struct ledger_check *c, struct yj_error *err)
{
    yj_error_init(err);
    return ledger_verify(path, c, err);
}

/* The file's lines, NULL-terminated (each without its '\n'; a torn tail is the last). */
static char **
lines_of(char *text)
{
    char **v = calloc(1024, sizeof(char *));
    int n = 0;

    cr_assert_not_null(v);
    for (char *p = text; *p; n++) {
        char *nl = strchr(p, '\n');
        cr_assert(n < 1023);
        v[n] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    return v;
}

static void
write_lines(char **lines, int skip, int torn_last)
{
    FILE *f = fopen(path, "wb");

    cr_assert_not_null(f);
    for (int i = 0; lines[i]; i++)
        if (i != skip)
            fprintf(f, "%s%s", lines[i], torn_last && !lines[i + 1] ? "" : "\n");
    cr_assert_eq(fclose(f), 0);
}

Test(ledger, appended_entries_chain_and_verify)
{
    struct ledger_check c;
    struct yj_error err;
    char *text;
    char **lines;

    write_entries(4);
    cr_assert_eq(verify(&c, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(c.entries, 4);
    cr_assert_eq(c.torn_bytes, 0);
    text = ut_read(path, NULL);
    lines = lines_of(text);
    cr_assert(strncmp(lines[0], "n=1 time=", 9) == 0, "%s", lines[0]);
    ut_assert_contains(lines[0], " service=MEDWAY period=2025Q1 seq=1 event=send "
                                 "source_return_id=MEDWAY-2025Q1-20250701T000000.000000Z "
                                 "return_sha256=aaaa");
    ut_assert_contains(lines[0], " http=- result=- answer=- prev=0000000000");
    ut_assert_contains(lines[1],
                       " http=503 result=temporary answer=HTTP 503 Service Unavailable, retry "
                       "after 2 s prev=");
    /* line 2's prev is line 1's hash */
    cr_assert(strncmp(strstr(lines[1], " prev=") + 6, strstr(lines[0], " hash=") + 6, 64) == 0);
    /* the head is the last line's hash */
    cr_assert(strncmp(c.head, strstr(lines[3], " hash=") + 6, 64) == 0);
    free(lines);
    free(text);
    /* a second writer chains on */
    write_entries(2);
    cr_assert_eq(verify(&c, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(c.entries, 6);
}

Test(ledger, values_round_trip_through_the_file)
{
    struct ledger lg;
    struct ledger_entry e = {0};
    struct yj_error err;
    char *text;

    yj_error_init(&err);
    cr_assert_eq(ledger_open(&lg, path, 1, &err), YJ_OK, "%s", err.message);
    e.event = "answer";
    e.run = "/runs with space/100%";
    e.answer = "50% done prev= hash= \x01";
    e.http = 201;
    cr_assert_eq(ledger_append(&lg, &e, &err), YJ_OK, "%s", err.message);
    ledger_close(&lg);
    text = ut_read(path, NULL);
    ut_assert_contains(text, " run=/runs%20with%20space/100%25 ");
    ut_assert_contains(text, " answer=50%25 done prev= hash= %01 prev=");
    free(text);
    cr_assert_eq(ledger_open(&lg, path, 1, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(lg.n, 1);
    cr_assert_str_eq(lg.e[0].run, "/runs with space/100%");
    cr_assert_str_eq(lg.e[0].answer, "50% done prev= hash= \x01");
    cr_assert_str_eq(lg.e[0].service, "-");
    cr_assert_eq(lg.e[0].http, 201);
    cr_assert_eq(lg.e[0].n, 1);
    ledger_close(&lg);
}

Test(ledger, an_edited_byte_fails_at_its_line)
{
    struct ledger_check c;
    struct yj_error err;
    size_t len = 0;
    char *text;

    write_entries(4);
    text = ut_read(path, &len);
    /* line 3: 503 becomes 502 */
    {
        char *l3 = strstr(strstr(strstr(text, "\n") + 1, "\n") + 1, " http=503 ");
        cr_assert_not_null(l3);
        l3[8] = '2';
    }
    ut_write_bytes(path, text, len);
    cr_assert_eq(verify(&c, &err), YJ_EX_IOERR);
    ut_assert_contains(err.message, "line 4 does not match its hash: the line was changed");
    free(text);
}

Test(ledger, an_edited_hash_breaks_the_chain_at_the_next_line)
{
    struct ledger_check c;
    struct yj_error err;
    size_t len = 0;
    char *text, **lines, *h;

    write_entries(3);
    text = ut_read(path, &len);
    lines = lines_of(text);
    /* line 2 re-hashed by a forger who does not fix line 3 */
    h = strstr(lines[1], " hash=") + 6;
    h[0] = h[0] == 'a' ? 'b' : 'a';
    write_lines(lines, -1, 0);
    cr_assert_eq(verify(&c, &err), YJ_EX_IOERR);
    ut_assert_contains(err.message, "line 2 does not match its hash");
    free(lines);
    free(text);
}

Test(ledger, a_removed_line_is_detected)
{
    struct ledger_check c;
    struct yj_error err;
    char *text, **lines;

    write_entries(4);
    text = ut_read(path, NULL);
    lines = lines_of(text);
    write_lines(lines, 1, 0); /* line 2 gone */
    cr_assert_eq(verify(&c, &err), YJ_EX_IOERR);
    ut_assert_contains(err.message, "line 2 holds entry n=3: an entry before it was removed");
    free(lines);
    free(text);
}

Test(ledger, a_removed_first_line_is_detected)
{
    struct ledger_check c;
    struct yj_error err;
    char *text, **lines;

    write_entries(2);
    text = ut_read(path, NULL);
    lines = lines_of(text);
    write_lines(lines, 0, 0);
    cr_assert_eq(verify(&c, &err), YJ_EX_IOERR);
    ut_assert_contains(err.message, "line 1 holds entry n=2");
    free(lines);
    free(text);
}

Test(ledger, swapped_lines_are_detected)
{
    struct ledger_check c;
    struct yj_error err;
    char *text, **lines, *t;

    write_entries(3);
    text = ut_read(path, NULL);
    lines = lines_of(text);
    t = lines[1];
    lines[1] = lines[2];
    lines[2] = t;
    write_lines(lines, -1, 0);
    cr_assert_eq(verify(&c, &err), YJ_EX_IOERR);
    ut_assert_contains(err.message, "line 2 holds entry n=3");
    free(lines);
    free(text);
}

Test(ledger, a_line_that_is_not_an_entry_is_refused)
{
    struct ledger_check c;
    struct yj_error err;
    FILE *f;

    write_entries(2);
    f = fopen(path, "ab");
    fputs("n=3 something else\n", f);
    fclose(f);
    cr_assert_eq(verify(&c, &err), YJ_EX_IOERR);
    ut_assert_contains(err.message, "line 3 is not a ledger entry");
    /* and a writer refuses to append to it */
    {
        struct ledger lg;
        yj_error_init(&err);
        cr_assert_eq(ledger_open(&lg, path, 1, &err), YJ_EX_IOERR);
        ut_assert_contains(err.hint, "append-only");
        ledger_close(&lg);
    }
}

Test(ledger, a_torn_last_line_is_reported_then_moved_aside_and_recorded)
{
    struct ledger_check c;
    struct ledger lg;
    struct yj_error err;
    size_t len = 0, line3, torn;
    char *text, *after;

    write_entries(3);
    text = ut_read(path, &len);
    line3 = (size_t)(strchr(strchr(text, '\n') + 1, '\n') + 1 - text);
    torn = len - 60 - line3;
    /* a crash half way through writing line 3 */
    ut_write_bytes(path, text, len - 60);
    cr_assert_eq(verify(&c, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(c.entries, 2);
    cr_assert_eq(c.torn_bytes, torn);
    /* the next writer moves it aside and records a repair */
    yj_error_init(&err);
    cr_assert_eq(ledger_open(&lg, path, 1, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(lg.n, 3);
    cr_assert_str_eq(lg.e[2].event, "repair");
    ut_assert_contains(lg.e[2].answer, "torn last line of ");
    ut_assert_contains(lg.e[2].answer, " moved to ledger.torn-");
    ledger_close(&lg);
    cr_assert_eq(verify(&c, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(c.entries, 3);
    cr_assert_eq(c.torn_bytes, 0);
    after = ut_read(path, NULL);
    cr_assert(strncmp(after, text, line3) == 0, "the complete lines are kept as they were");
    {
        /* the torn bytes are kept, whole */
        char *side = strstr(after, " moved to ") + 10, name[128], *p, *kept;
        size_t klen;
        snprintf(name, sizeof(name), "%.*s", (int)strcspn(side, " "), side);
        p = ut_path(dir, name);
        kept = ut_read(p, &klen);
        cr_assert_not_null(kept, "%s", p);
        cr_assert_eq(klen, torn);
        cr_assert(memcmp(kept, text + line3, klen) == 0);
        free(kept);
        free(p);
    }
    free(after);
    free(text);
}

Test(ledger, a_second_writer_waits_then_gives_up_with_the_lock_code)
{
    struct ledger a, b;
    struct yj_error err;

    yj_error_init(&err);
    cr_assert_eq(ledger_open(&a, path, 1, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(ledger_open(&b, path, 0.2, &err), YJ_EX_LOCKED);
    ut_assert_contains(err.message, "another submission holds the ledger");
    ledger_close(&b);
    ledger_close(&a);
    cr_assert_eq(ledger_open(&b, path, 0.2, &err), YJ_OK, "%s", err.message);
    ledger_close(&b);
}

Test(ledger, a_new_ledger_is_made_with_its_folder_and_mode_0640)
{
    struct ledger lg;
    struct yj_error err;
    struct stat st;
    char *deep = ut_path(dir, "a/b/ledger");

    yj_error_init(&err);
    cr_assert_eq(ledger_open(&lg, deep, 1, &err), YJ_OK, "%s", err.message);
    ledger_close(&lg);
    cr_assert_eq(stat(deep, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0640);
    cr_assert_eq(st.st_size, 0);
    free(deep);
}

Test(ledger, a_missing_ledger_does_not_verify)
{
    struct ledger_check c;
    struct yj_error err;

    cr_assert_eq(verify(&c, &err), YJ_EX_NOINPUT);
    ut_assert_contains(err.message, "could not open ledger");
}

Test(ledger, the_return_digest_of_one_document_is_its_own)
{
    const char *one[] = {SHA_A};
    const char *two[] = {SHA_A, SHA_A};
    char out[65], out2[65];

    ledger_return_sha256(one, 1, out);
    cr_assert_str_eq(out, SHA_A);
    ledger_return_sha256(two, 2, out2);
    cr_assert_str_neq(out2, SHA_A);
    cr_assert_eq(strlen(out2), 64);
}

/* ---- a write not known durable ---- */

static char *
marker(void)
{
    return ut_path(dir, "ledger.dirty");
}

static int
open_and_close(struct yj_error *err)
{
    struct ledger lg;
    int rc;

    yj_error_init(err);
    rc = ledger_open(&lg, path, 1, err);
    ledger_close(&lg);
    return rc;
}

Test(ledger, a_marker_of_a_failed_write_stops_appends_until_the_ledger_is_read_back)
{
    char *m = marker(), *before, *after;
    struct yj_error err;
    int dirty = -1;

    write_entries(2);
    before = ut_read(path, NULL);
    /* nothing to do without a marker */
    yj_error_init(&err);
    cr_assert_eq(ledger_mark_durable(path, &dirty, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(dirty, 0);
    ut_write(m, "2025-07-15T10:00:00Z fsync of the ledger failed: No space left on device\n");
    cr_assert_eq(open_and_close(&err), YJ_EX_IOERR);
    ut_assert_contains(err.message, "is not known to be on disk: a write to it failed "
                                    "(2025-07-15T10:00:00Z fsync of the ledger failed: No space "
                                    "left on device); nothing is appended to it until yj-run "
                                    "--verify has read it back");
    ut_assert_contains(err.hint, "run yj-run --verify");
    /* read back: the same bytes, the marker gone, appends allowed again */
    yj_error_init(&err);
    cr_assert_eq(ledger_mark_durable(path, &dirty, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(dirty, 1);
    cr_assert(access(m, F_OK) != 0 && errno == ENOENT, "the marker is still there");
    after = ut_read(path, NULL);
    cr_assert_str_eq(after, before);
    cr_assert_eq(open_and_close(&err), YJ_OK, "%s", err.message);
    free(after);
    free(before);
    free(m);
}

Test(ledger, a_lost_ledger_with_a_marker_is_not_made_anew)
{
    char *m = marker();
    struct yj_error err;
    int dirty;

    ut_write_bytes(m, "x\n", 2);
    cr_assert_eq(open_and_close(&err), YJ_EX_IOERR);
    cr_assert(access(path, F_OK) != 0, "an empty ledger was made");
    yj_error_init(&err);
    cr_assert_eq(ledger_mark_durable(path, &dirty, &err), YJ_EX_IOERR);
    ut_assert_contains(err.message, "could not open ledger");
    ut_assert_contains(err.detail, "stays");
    cr_assert_eq(access(m, F_OK), 0);
    free(m);
}

Test(ledger, a_ledger_that_does_not_verify_keeps_its_marker)
{
    char *m = marker(), *text;
    struct yj_error err;
    int dirty;

    write_entries(2);
    text = ut_read(path, NULL);
    text[strlen(text) - 70] ^= 1; /* a byte of line 2's prev */
    ut_write_bytes(path, text, strlen(text));
    ut_write_bytes(m, "x\n", 2);
    yj_error_init(&err);
    cr_assert_eq(ledger_mark_durable(path, &dirty, &err), YJ_EX_IOERR);
    ut_assert_contains(err.message, "line 2");
    cr_assert_eq(access(m, F_OK), 0, "the marker was removed from a ledger that does not verify");
    free(text);
    free(m);
}

/* tests/failing-disk.sh WHAT DISK [FILE]; its exit status. */
static char *disk;

static int
failing_disk(const char *what, const char *file)
{
    char cmd[4096];
    int st;

    snprintf(cmd, sizeof(cmd), "bash '%s/tests/failing-disk.sh' %s '%s' '%s'", YJ_SOURCE_DIR, what,
             disk, file ? file : "");
    if (!file)
        cmd[strlen(cmd) - 3] = '\0';
    st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Before the suite's teardown (Criterion runs the test's .fini first): unmounts. */
static void
disk_teardown(void)
{
    if (disk) {
        failing_disk("stop", NULL);
        free(disk);
        disk = NULL;
    }
}

Test(ledger, a_failed_fsync_leaves_a_marker_and_the_read_back_clears_it, .fini = disk_teardown)
{
    struct ledger lg;
    struct ledger_check c;
    struct ledger_entry e = {0};
    struct yj_error err;
    char *m;
    int dirty, rc;

    disk = ut_path(dir, "disk");
    rc = failing_disk("start", NULL);
    if (rc == 77)
        cr_skip_test("tests/failing-disk.sh cannot mount here (needs root and loop devices)");
    cr_assert_eq(rc, 0);
    free(path);
    path = ut_path(disk, "mnt/ledger");
    m = ut_path(disk, "mnt/ledger.dirty");
    write_entries(2);
    /* the disk under the filesystem fills up: the write succeeds, its fsync does not */
    cr_assert_eq(failing_disk("fill", path), 0);
    yj_error_init(&err);
    cr_assert_eq(ledger_open(&lg, path, 1, &err), YJ_OK, "%s", err.message);
    e.event = "send";
    e.service = "MEDWAY";
    e.period = "2025Q1";
    rc = ledger_append(&lg, &e, &err);
    ledger_close(&lg);
    cr_assert_eq(rc, YJ_EX_IOERR, "%s", err.message);
    ut_assert_contains(err.message, "could not sync ledger");
    ut_assert_contains(err.detail, "ledger.dirty' now marks it");
    cr_assert_eq(access(m, F_OK), 0, "no marker after a failed fsync");
    /* the space comes back, yet the ledger takes nothing until it is read back */
    cr_assert_eq(failing_disk("free", NULL), 0);
    cr_assert_eq(open_and_close(&err), YJ_EX_IOERR);
    ut_assert_contains(err.message, "fsync of the ledger failed");
    yj_error_init(&err);
    cr_assert_eq(ledger_mark_durable(path, &dirty, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(dirty, 1);
    cr_assert_neq(access(m, F_OK), 0);
    yj_error_init(&err);
    cr_assert_eq(ledger_open(&lg, path, 1, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(ledger_append(&lg, &e, &err), YJ_OK, "%s", err.message);
    ledger_close(&lg);
    yj_error_init(&err);
    cr_assert_eq(ledger_verify(path, &c, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(c.entries, 4, "the line whose fsync failed, written again, then one more");
    free(m);
}

Test(ledger, the_run_seal_round_trips_and_a_line_from_before_it_reads_as_none)
{
    static const char SEAL[] = "5eal5eal5eal5eal5eal5eal5eal5eal5eal5eal5eal5eal5eal5eal5eal5eal";
    struct ledger lg;
    struct ledger_entry e = {0}, *got = NULL;
    struct ledger_check c;
    struct yj_error err;
    size_t n = 0;
    char *text, *cut, legacy[4096], hex[SHA256_HEX_LEN + 1];
    struct sha256 h;

    yj_error_init(&err);
    cr_assert_eq(ledger_open(&lg, path, 1, &err), YJ_OK, "%s", err.message);
    e.service = "MEDWAY";
    e.period = "2025Q1";
    e.event = "send";
    e.sha256 = (char *)SHA_A;
    e.run = "/runs/MEDWAY/2025Q1/20250715T100000Z";
    e.seal = (char *)SEAL;
    cr_assert_eq(ledger_append(&lg, &e, &err), YJ_OK, "%s", err.message);
    ledger_close(&lg);
    text = ut_read(path, NULL);
    ut_assert_contains(text, " run=/runs/MEDWAY/2025Q1/20250715T100000Z seal=5eal5eal5eal5eal"
                             "5eal5eal5eal5eal5eal5eal5eal5eal5eal5eal5eal5eal http=- ");
    cr_assert_eq(ledger_read(path, &c, &got, &n, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(got[0].seal, SEAL);
    ledger_entries_free(got, n);
    /* the same line as written before the seal existed: its own hash, no seal field */
    cut = strstr(text, " seal=");
    snprintf(legacy, sizeof(legacy), "%.*s%s", (int)(cut - text), text, cut + 6 + 64);
    *strstr(legacy, " hash=") = '\0';
    sha256_init(&h);
    sha256_update(&h, legacy, strlen(legacy));
    sha256_final_hex(&h, hex);
    sha256_release(&h);
    snprintf(legacy + strlen(legacy), sizeof(legacy) - strlen(legacy), " hash=%s\n", hex);
    ut_write(path, legacy);
    cr_assert_eq(ledger_read(path, &c, &got, &n, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(got[0].seal, "-");
    cr_assert_str_eq(got[0].run, "/runs/MEDWAY/2025Q1/20250715T100000Z");
    ledger_entries_free(got, n);
    free(text);
}
