/*
 * test_partfeed.c - the parts feed (etl/core/partfeed.c) over a real socket pair: the writer's
 * exact bytes, and a writer whose follower has gone (no SIGPIPE, nothing said); the reader fed
 * a whole feed all at once, a byte at a time and cut mid-line, with every fact it keeps; each
 * line it refuses, with its whole message and line number (never the line's text); and a feed
 * that ends before "done" (taken, with ended set and done not).
 */
#include "partfeed.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define WHAT "--follow-fd 5"
#define MSG(line, why) "parts feed (" WHAT ") line " #line ": " why

#define SHA_A "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SHA_B "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define SHA_C "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_D "00000000000000000000000000000000000000000000000000000000000000ff"

#define P1 "part cld-part-0001.xml 100 " SHA_A "\n"
#define P2 "part cld-part-0002.xml 101 " SHA_B "\n"
#define P3 "part cld-part-0003.xml 7 " SHA_C "\n"
#define HEAD3 "parts 3 complete\n"
#define FEED3 HEAD3 P1 P2 P3 "done\n"
#define FEED1 "parts 1 in-progress\npart cld.xml 42 " SHA_D "\ndone\n"

static void
socket_pair(int sv[2])
{
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

/* Everything FD holds until its other end is closed. */
static char *
drain_all(int fd)
{
    static char buf[4096];
    size_t n = 0;
    ssize_t got;

    while ((got = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
        n += (size_t)got;
    cr_assert_eq(got, 0);
    buf[n] = '\0';
    return buf;
}

/* Reads what the feed holds now (as a follower that polls first does): the first status that
 * is not YJ_OK, or YJ_OK once nothing is left to read or the feed ended. */
static int
read_now(struct partfeed *f, struct yj_error *err)
{
    struct pollfd p = {.fd = f->fd, .events = POLLIN};

    while (!f->ended && poll(&p, 1, 0) == 1) {
        int rc = partfeed_read(f, err);
        if (rc != YJ_OK)
            return rc;
    }
    return YJ_OK;
}

/* Feeds LEN bytes of TEXT to F's socket PIECE bytes a write, reading after each, then closes
 * the writing end when EOF: the first status that is not YJ_OK, else YJ_OK. F is initialised
 * here on the reading end of a new socket pair; *WFD gets the writing end (-1 once closed). */
static int
feed(struct partfeed *f, const char *text, size_t len, size_t piece, int eof, int *wfd,
     struct yj_error *err)
{
    int sv[2], rc = YJ_OK;

    socket_pair(sv);
    partfeed_init(f, sv[0], WHAT);
    yj_error_init(err);
    for (size_t off = 0; off < len && rc == YJ_OK; off += piece) {
        size_t n = len - off < piece ? len - off : piece;
        cr_assert_eq(write(sv[1], text + off, n), (ssize_t)n);
        rc = read_now(f, err);
    }
    if (eof && rc == YJ_OK) {
        cr_assert_eq(close(sv[1]), 0);
        sv[1] = -1;
        while (rc == YJ_OK && !f->ended)
            rc = partfeed_read(f, err);
    }
    *wfd = sv[1];
    return rc;
}

static void
feed_release(struct partfeed *f, int wfd)
{
    close(f->fd);
    if (wfd >= 0)
        close(wfd);
    partfeed_release(f);
}

/* TEXT, fed whole and closed, is refused with status 70 (YJ_EX_SOFTWARE: the feed is written by
 * yj-transform, never by hand) and exactly MESSAGE, and again when fed a byte at a time. */
static void
assert_refused(const char *text, size_t len, const char *message)
{
    static const size_t pieces[] = {0, 1};

    for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
        struct partfeed f;
        struct yj_error err;
        int wfd, rc = feed(&f, text, len, pieces[i] ? pieces[i] : len, 1, &wfd, &err);

        cr_assert_eq(rc, YJ_EX_SOFTWARE, "status %d for a feed in pieces of %zu", rc, pieces[i]);
        cr_assert_str_eq(err.message, message, "in pieces of %zu", pieces[i]);
        cr_assert_str_eq(err.detail, "");
        cr_assert_str_eq(err.hint, "");
        feed_release(&f, wfd);
    }
}

#define REFUSED(text, message) assert_refused(text, sizeof(text) - 1, message)

/* ---- the writer ---- */

Test(partfeed, the_writer_writes_each_line_exactly)
{
    int sv[2];

    socket_pair(sv);
    partfeed_write_parts(sv[1], 3, 1);
    partfeed_write_part(sv[1], "cld-part-0001.xml", 100, SHA_A);
    partfeed_write_part(sv[1], "cld-part-0002.xml", 0, SHA_B);
    partfeed_write_part(sv[1], "cld-part-0003.xml", 18446744073709551615ULL, SHA_C);
    partfeed_write_done(sv[1]);
    partfeed_write_parts(sv[1], 1, 0);
    partfeed_write_part(sv[1], "cld.xml", 42, SHA_D);
    partfeed_write_parts(sv[1], 9999, 0);
    close(sv[1]);
    cr_assert_str_eq(drain_all(sv[0]), "parts 3 complete\n"
                                       "part cld-part-0001.xml 100 " SHA_A "\n"
                                       "part cld-part-0002.xml 0 " SHA_B "\n"
                                       "part cld-part-0003.xml 18446744073709551615 " SHA_C "\n"
                                       "done\n"
                                       "parts 1 in-progress\n"
                                       "part cld.xml 42 " SHA_D "\n"
                                       "parts 9999 in-progress\n");
    close(sv[0]);
}

Test(partfeed, what_the_writer_writes_the_reader_takes)
{
    int sv[2];
    struct partfeed f;
    struct yj_error err;

    socket_pair(sv);
    partfeed_init(&f, sv[0], WHAT);
    yj_error_init(&err);
    partfeed_write_parts(sv[1], 2, 0);
    partfeed_write_part(sv[1], "cld-part-0001.xml", 5, SHA_A);
    partfeed_write_part(sv[1], "cld-part-0002.xml", 6, SHA_B);
    partfeed_write_done(sv[1]);
    close(sv[1]);
    while (!f.ended)
        cr_assert_eq(partfeed_read(&f, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(f.nparts, 2);
    cr_assert_eq(f.period_complete, 0);
    cr_assert_eq(f.got, 2);
    cr_assert_eq(f.done, 1);
    cr_assert_eq(f.parts[1].before, 5);
    close(sv[0]);
    partfeed_release(&f);
}

Test(partfeed, a_writer_whose_follower_has_gone_returns_without_sigpipe_or_a_word)
{
    int sv[2], saved = dup(STDERR_FILENO), sink;
    char *tmp = ut_mkdtemp(), *path = ut_path(tmp, "stderr.txt"), *said;

    signal(SIGPIPE, SIG_DFL); /* a SIGPIPE would end this process, and so fail the test */
    socket_pair(sv);
    close(sv[0]);
    sink = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert(saved >= 0 && sink >= 0);
    dup2(sink, STDERR_FILENO);
    partfeed_write_parts(sv[1], 3, 1);
    partfeed_write_part(sv[1], "cld-part-0001.xml", 100, SHA_A);
    partfeed_write_done(sv[1]);
    partfeed_write_parts(-1, 3, 1); /* no descriptor: nothing to write to */
    partfeed_write_part(-1, "cld-part-0001.xml", 100, SHA_A);
    partfeed_write_done(-1);
    dup2(saved, STDERR_FILENO);
    said = ut_read(path, NULL);
    cr_assert_str_eq(said, "");
    cr_assert_neq(fcntl(sv[1], F_GETFD), -1, "the writer closed its descriptor");
    close(sv[1]);
    close(sink);
    close(saved);
    free(said);
    free(path);
    ut_rmtree(tmp);
    free(tmp);
}

/* ---- the reader: a whole feed ---- */

static void
assert_three_parts(const struct partfeed *f)
{
    cr_assert_eq(f->nparts, 3);
    cr_assert_eq(f->period_complete, 1);
    cr_assert_eq(f->got, 3);
    cr_assert_str_eq(f->parts[0].name, "cld-part-0001.xml");
    cr_assert_str_eq(f->parts[1].name, "cld-part-0002.xml");
    cr_assert_str_eq(f->parts[2].name, "cld-part-0003.xml");
    cr_assert_eq(f->parts[0].children, 100);
    cr_assert_eq(f->parts[1].children, 101);
    cr_assert_eq(f->parts[2].children, 7);
    cr_assert_eq(f->parts[0].before, 0);
    cr_assert_eq(f->parts[1].before, 100);
    cr_assert_eq(f->parts[2].before, 201);
    cr_assert_str_eq(f->parts[0].sha256, SHA_A);
    cr_assert_str_eq(f->parts[1].sha256, SHA_B);
    cr_assert_str_eq(f->parts[2].sha256, SHA_C);
    cr_assert_eq(f->line, 5);
}

Test(partfeed, a_feed_of_three_parts_is_read_whole_in_any_pieces)
{
    static const char text[] = FEED3;
    static const size_t pieces[] = {sizeof(text) - 1, 1, 2, 37, 50, 255, 256};

    for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
        struct partfeed f;
        struct yj_error err;
        int wfd, rc = feed(&f, text, sizeof(text) - 1, pieces[i], 0, &wfd, &err);

        cr_assert_eq(rc, YJ_OK, "in pieces of %zu: %s", pieces[i], err.message);
        assert_three_parts(&f);
        cr_assert_eq(f.done, 1, "in pieces of %zu", pieces[i]);
        cr_assert_eq(f.ended, 0, "ended while the writer is still there");
        cr_assert_eq(close(wfd), 0);
        cr_assert_eq(partfeed_read(&f, &err), YJ_OK);
        cr_assert_eq(f.ended, 1, "in pieces of %zu", pieces[i]);
        cr_assert_eq(partfeed_read(&f, &err), YJ_OK, "a read after the end");
        cr_assert_eq(f.ended, 1);
        feed_release(&f, -1);
    }
}

Test(partfeed, a_feed_split_mid_line_waits_for_the_rest_of_the_line)
{
    static const char text[] = FEED3;
    size_t cut = sizeof(HEAD3 P1) - 1 + 30; /* inside the second part's line */
    struct partfeed f;
    struct yj_error err;
    int sv[2];

    socket_pair(sv);
    partfeed_init(&f, sv[0], WHAT);
    yj_error_init(&err);
    cr_assert_eq(write(sv[1], text, cut), (ssize_t)cut);
    cr_assert_eq(read_now(&f, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(f.got, 1, "the part cut short was taken");
    cr_assert_eq(f.line, 2);
    cr_assert_eq(write(sv[1], text + cut, sizeof(text) - 1 - cut),
                 (ssize_t)(sizeof(text) - 1 - cut));
    cr_assert_eq(read_now(&f, &err), YJ_OK, "%s", err.message);
    assert_three_parts(&f);
    cr_assert_eq(f.done, 1);
    close(sv[1]);
    cr_assert_eq(partfeed_read(&f, &err), YJ_OK);
    cr_assert_eq(f.ended, 1);
    feed_release(&f, -1);
}

Test(partfeed, a_feed_of_one_document_is_cld_xml)
{
    static const char text[] = FEED1;
    static const size_t pieces[] = {sizeof(text) - 1, 1, 20};

    for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
        struct partfeed f;
        struct yj_error err;
        int wfd, rc = feed(&f, text, sizeof(text) - 1, pieces[i], 1, &wfd, &err);

        cr_assert_eq(rc, YJ_OK, "in pieces of %zu: %s", pieces[i], err.message);
        cr_assert_eq(f.nparts, 1);
        cr_assert_eq(f.period_complete, 0);
        cr_assert_eq(f.got, 1);
        cr_assert_str_eq(f.parts[0].name, "cld.xml");
        cr_assert_eq(f.parts[0].children, 42);
        cr_assert_eq(f.parts[0].before, 0);
        cr_assert_str_eq(f.parts[0].sha256, SHA_D);
        cr_assert_eq(f.done, 1);
        cr_assert_eq(f.ended, 1);
        feed_release(&f, wfd);
    }
}

Test(partfeed, the_widest_counts_are_taken)
{
    static const char text[] = "parts 9999 complete\n"
                               "part cld-part-0001.xml 9999999999999999999 " SHA_A "\n"
                               "part cld-part-0002.xml 0 " SHA_B "\n";
    struct partfeed f;
    struct yj_error err;
    int wfd, rc = feed(&f, text, sizeof(text) - 1, sizeof(text) - 1, 1, &wfd, &err);

    cr_assert_eq(rc, YJ_OK, "%s", err.message);
    cr_assert_eq(f.nparts, 9999);
    cr_assert_eq(f.got, 2);
    cr_assert_eq(f.parts[0].children, 9999999999999999999ULL);
    cr_assert_eq(f.parts[1].before, 9999999999999999999ULL);
    cr_assert_eq(f.done, 0);
    feed_release(&f, wfd);
}

/* ---- the reader: a feed that ends early ---- */

Test(partfeed, a_feed_that_ends_mid_line_or_before_done_is_ended_not_done)
{
    static const char *const texts[] = {
        "",
        "parts 3 comp",
        HEAD3,
        HEAD3 "part cld-part-0001.xml 100 " SHA_A,
        HEAD3 P1 P2,
        HEAD3 P1 P2 P3,
        HEAD3 P1 P2 P3 "don",
    };
    static const unsigned got[] = {0, 0, 0, 0, 2, 3, 3};

    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        struct partfeed f;
        struct yj_error err;
        int wfd, rc = feed(&f, texts[i], strlen(texts[i]), 1, 1, &wfd, &err);

        cr_assert_eq(rc, YJ_OK, "feed %zu: %s", i, err.message);
        cr_assert_eq(f.ended, 1, "feed %zu", i);
        cr_assert_eq(f.done, 0, "feed %zu", i);
        cr_assert_eq(f.got, got[i], "feed %zu: %u parts", i, f.got);
        feed_release(&f, wfd);
    }
}

Test(partfeed, a_descriptor_that_cannot_be_read_is_74_naming_the_feed)
{
    char *tmp = ut_mkdtemp();
    int fd = open(tmp, O_RDONLY | O_DIRECTORY);
    struct partfeed f;
    struct yj_error err;

    cr_assert(fd >= 0);
    partfeed_init(&f, fd, WHAT);
    yj_error_init(&err);
    cr_assert_eq(partfeed_read(&f, &err), YJ_EX_IOERR);
    cr_assert_str_eq(err.message, "could not read the parts feed (" WHAT "): Is a directory");
    cr_assert_eq(f.ended, 0);
    close(fd);
    partfeed_release(&f);
    ut_rmtree(tmp);
    free(tmp);
}

/* ---- the reader: every refusal ---- */

Test(partfeed, a_first_line_that_is_not_parts_is_refused)
{
    REFUSED("part cld.xml 1 " SHA_A "\n",
            MSG(1, "the first line is not 'parts N complete|in-progress'"));
    REFUSED("done\n", MSG(1, "the first line is not 'parts N complete|in-progress'"));
    REFUSED("parts 3\n", MSG(1, "the first line is not 'parts N complete|in-progress'"));
    REFUSED("Parts 3 complete\n", MSG(1, "the first line is not 'parts N complete|in-progress'"));
}

Test(partfeed, a_number_of_parts_outside_1_to_9999_is_refused)
{
    REFUSED("parts 0 complete\n", MSG(1, "the number of parts is not 1 to 9999"));
    REFUSED("parts 10000 complete\n", MSG(1, "the number of parts is not 1 to 9999"));
    REFUSED("parts -1 complete\n", MSG(1, "the number of parts is not 1 to 9999"));
    REFUSED("parts 3x complete\n", MSG(1, "the number of parts is not 1 to 9999"));
}

Test(partfeed, a_period_neither_complete_nor_in_progress_is_refused)
{
    REFUSED("parts 3 done\n", MSG(1, "the period is neither 'complete' nor 'in-progress'"));
    REFUSED("parts 3 Complete\n", MSG(1, "the period is neither 'complete' nor 'in-progress'"));
}

Test(partfeed, a_part_out_of_order_is_refused)
{
    REFUSED(HEAD3 "part cld-part-0002.xml 1 " SHA_B "\n", MSG(2, "not the next document's name"));
    REFUSED(HEAD3 P1 P1, MSG(3, "not the next document's name"));
    REFUSED(HEAD3 P1 P3, MSG(3, "not the next document's name"));
    REFUSED(HEAD3 "part cld.xml 1 " SHA_B "\n", MSG(2, "not the next document's name"));
}

Test(partfeed, a_return_of_one_document_is_cld_xml_not_part_1)
{
    REFUSED("parts 1 complete\npart cld-part-0001.xml 1 " SHA_A "\n",
            MSG(2, "not the next document's name"));
}

Test(partfeed, children_that_are_not_a_count_are_refused)
{
    REFUSED(HEAD3 "part cld-part-0001.xml -1 " SHA_A "\n", MSG(2, "the children are not a count"));
    REFUSED(HEAD3 "part cld-part-0001.xml +1 " SHA_A "\n", MSG(2, "the children are not a count"));
    REFUSED(HEAD3 "part cld-part-0001.xml 12345678901234567890 " SHA_A "\n",
            MSG(2, "the children are not a count"));
    REFUSED(HEAD3 P1 "part cld-part-0002.xml 1e3 " SHA_B "\n",
            MSG(3, "the children are not a count"));
    /* empty: two spaces where the count would be */
    REFUSED(HEAD3 "part cld-part-0001.xml  " SHA_A "\n",
            MSG(2, "its words are not separated by single spaces"));
}

Test(partfeed, a_sha256_not_64_lowercase_hex_digits_is_refused)
{
    REFUSED(HEAD3 "part cld-part-0001.xml 1 " SHA_A "0\n",
            MSG(2, "the SHA-256 is not 64 lowercase hex digits"));
    REFUSED(HEAD3 "part cld-part-0001.xml 1 "
                  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n",
            MSG(2, "the SHA-256 is not 64 lowercase hex digits"));
    REFUSED(HEAD3 "part cld-part-0001.xml 1 "
                  "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\n",
            MSG(2, "the SHA-256 is not 64 lowercase hex digits"));
    REFUSED(HEAD3 "part cld-part-0001.xml 1 "
                  "0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef\n",
            MSG(2, "the SHA-256 is not 64 lowercase hex digits"));
}

Test(partfeed, done_before_every_part_is_refused)
{
    REFUSED(HEAD3 "done\n", MSG(2, "'done' before every part"));
    REFUSED(HEAD3 P1 P2 "done\n", MSG(4, "'done' before every part"));
}

Test(partfeed, a_part_more_than_announced_is_refused)
{
    REFUSED("parts 1 complete\npart cld.xml 1 " SHA_A "\npart cld.xml 1 " SHA_A "\n",
            MSG(3, "more parts than the 'parts' line said"));
    REFUSED(HEAD3 P1 P2 P3 "part cld-part-0004.xml 1 " SHA_D "\n",
            MSG(5, "more parts than the 'parts' line said"));
}

Test(partfeed, a_line_after_done_is_refused)
{
    REFUSED(FEED3 "done\n", MSG(6, "a line after 'done'"));
    REFUSED(FEED3 "parts 3 complete\n", MSG(6, "a line after 'done'"));
    REFUSED(FEED1 "part cld.xml 42 " SHA_D "\n", MSG(4, "a line after 'done'"));
}

Test(partfeed, a_line_that_is_neither_part_nor_done_is_refused)
{
    REFUSED(HEAD3 "part cld-part-0001.xml 1\n",
            MSG(2, "not 'part NAME CHILDREN SHA256' or 'done'"));
    REFUSED(HEAD3 "done now\n", MSG(2, "not 'part NAME CHILDREN SHA256' or 'done'"));
    REFUSED(HEAD3 "parts 3 complete\n", MSG(2, "not 'part NAME CHILDREN SHA256' or 'done'"));
}

Test(partfeed, a_line_of_more_words_than_its_place_takes_is_refused)
{
    REFUSED("parts 3 complete now\n",
            MSG(1, "the first line is not 'parts N complete|in-progress'"));
    REFUSED(HEAD3 "part cld-part-0001.xml 1 " SHA_A " x\n",
            MSG(2, "not 'part NAME CHILDREN SHA256' or 'done'"));
}

Test(partfeed, a_line_of_six_words_or_more_is_said_to_have_too_many)
{
    /* before, "its words are not separated by single spaces", as for two spaces */
    REFUSED(HEAD3 "part cld-part-0001.xml 1 " SHA_A " x y\n",
            MSG(2, "it has more words than any line of the feed"));
    REFUSED("parts 3 complete a b c\n", MSG(1, "it has more words than any line of the feed"));
    REFUSED(FEED3 "a b c d e f g h\n", MSG(6, "it has more words than any line of the feed"));
    /* an empty word is found first, wherever it is */
    REFUSED("parts 3 complete a b  c\n", MSG(1, "its words are not separated by single spaces"));
}

Test(partfeed, a_line_holding_a_nul_is_refused)
{
    REFUSED(HEAD3 "part cld-part-0001.xml 1\0 " SHA_A "\n", MSG(2, "it holds a NUL"));
    REFUSED("parts 3\0 complete\n", MSG(1, "it holds a NUL"));
}

Test(partfeed, words_not_separated_by_single_spaces_are_refused)
{
    REFUSED("parts  3 complete\n", MSG(1, "its words are not separated by single spaces"));
    REFUSED("parts 3 complete \n", MSG(1, "its words are not separated by single spaces"));
    REFUSED(" parts 3 complete\n", MSG(1, "its words are not separated by single spaces"));
    REFUSED(HEAD3 P1 "done \n", MSG(3, "its words are not separated by single spaces"));
    REFUSED(HEAD3 "\n", MSG(2, "its words are not separated by single spaces"));
    REFUSED("parts\t3 complete\n", MSG(1, "the first line is not 'parts N complete|in-progress'"));
}

Test(partfeed, a_line_longer_than_the_limit_is_refused)
{
    char text[2 * PARTFEED_LINE_MAX];
    size_t head = sizeof(HEAD3) - 1;

    cr_assert_eq(PARTFEED_LINE_MAX, 256);
    memcpy(text, HEAD3, head);
    /* 255 bytes and the newline fit: the line is read, and refused for what it says */
    memset(text + head, 'x', PARTFEED_LINE_MAX - 1);
    text[head + PARTFEED_LINE_MAX - 1] = '\n';
    assert_refused(text, head + PARTFEED_LINE_MAX,
                   MSG(2, "not 'part NAME CHILDREN SHA256' or 'done'"));
    /* 256 bytes before the newline do not */
    memset(text + head, 'x', PARTFEED_LINE_MAX);
    text[head + PARTFEED_LINE_MAX] = '\n';
    assert_refused(text, head + PARTFEED_LINE_MAX + 1, MSG(2, "longer than 256 bytes"));
    /* nor do they on the first line, with no newline at all */
    assert_refused(text + head, PARTFEED_LINE_MAX, MSG(1, "longer than 256 bytes"));
}

Test(partfeed, a_message_never_quotes_the_line)
{
    static const char *const texts[] = {
        "parts YP9K3Q7T2M complete\n",
        "YP9K3Q7T2M 3 complete\n",
        HEAD3 "part YP9K3Q7T2M 1 " SHA_A "\n",
        HEAD3 "part cld-part-0001.xml YP9K3Q7T2M " SHA_A "\n",
        HEAD3 "part cld-part-0001.xml 1 YP9K3Q7T2M\n",
        HEAD3 "YP9K3Q7T2M\n",
        HEAD3 "part cld-part-0001.xml 1 YP9K3Q7T2M  \n",
    };
    static const char *const want[] = {
        MSG(1, "the number of parts is not 1 to 9999"),
        MSG(1, "the first line is not 'parts N complete|in-progress'"),
        MSG(2, "not the next document's name"),
        MSG(2, "the children are not a count"),
        MSG(2, "the SHA-256 is not 64 lowercase hex digits"),
        MSG(2, "not 'part NAME CHILDREN SHA256' or 'done'"),
        MSG(2, "its words are not separated by single spaces"),
    };

    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        struct partfeed f;
        struct yj_error err;
        int wfd, rc = feed(&f, texts[i], strlen(texts[i]), strlen(texts[i]), 1, &wfd, &err);

        cr_assert_eq(rc, YJ_EX_SOFTWARE);
        cr_assert_str_eq(err.message, want[i]);
        cr_assert_null(strstr(err.message, "YP9K3Q7T2M"));
        cr_assert_null(strstr(err.message, "9K3Q"));
        feed_release(&f, wfd);
    }
}
