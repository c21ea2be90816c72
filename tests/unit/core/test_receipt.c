/*
 * test_receipt.c - the one writer and reader of a receipt (etl/core/receipt.c).
 *
 * The bytes written are pinned whole (a receipt of any earlier run must still read and
 * verify), with and without parts, an escaped answer and a kept answer; the reader gives each
 * field with its line, reads a receipt without its format line as version 1, refuses a newer
 * version in one line, and says what a malformed one lacks.
 */
#include "receipt.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

UT_SCRATCH_SUITE(receipt);

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static struct receipt_out
one_receipt(void)
{
    struct receipt_out r = {0};

    r.url = "https://receiver.example/upload/MEDWAY-2025Q1-" SHA ".xml";
    r.file = "return/cld.xml";
    r.sha256 = SHA;
    r.bytes = 123456;
    r.http_status = 201;
    r.received_by = "put";
    r.service = "MEDWAY";
    r.period = "2025Q1";
    r.submission = 1;
    r.submitted_at = "2025-07-15T10:00:00Z";
    r.headers = "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n";
    r.headers_len = strlen(r.headers);
    r.body = "ok";
    r.body_len = 2;
    return r;
}

Test(receipt, writes_the_bytes_receipts_have_always_held)
{
    char *sub = ut_path(dir, "submit"), *path = ut_path(sub, "receipt"), *text;
    struct receipt_out r = one_receipt();
    struct yj_error err;
    struct stat st;

    cr_assert_eq(receipt_write(sub, path, 0640, &r, &err), YJ_OK, "%s", err.message);
    text = ut_read(path, NULL);
    cr_assert_str_eq(text, "yjreturns-receipt 1\n"
                           "url https://receiver.example/upload/MEDWAY-2025Q1-" SHA ".xml\n"
                           "file return/cld.xml\n"
                           "sha256 " SHA "\n"
                           "bytes 123456\n"
                           "http_status 201\n"
                           "received_by put\n"
                           "submission MEDWAY 2025Q1 1\n"
                           "submitted_at 2025-07-15T10:00:00Z\n"
                           "--- response headers\n"
                           "HTTP/1.1 201 Created\nContent-Length: 2\n\n"
                           "--- response body\n"
                           "ok");
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0640);
    free(text);

    /* a part, a line more, an answer that had to be escaped and was kept */
    r.file = "return/cld-part-0002.xml";
    r.part = 2;
    r.parts = 3;
    r.received_by = "ledger";
    r.extra = "rebuilt_from ledger entry 7 (2025-07-15T10:00:00Z): why\n";
    r.raw_answer = "submit/answer-000007";
    r.headers = NULL;
    r.body = "a\033[2Jb\\";
    r.body_len = strlen(r.body);
    cr_assert_eq(receipt_write(sub, path, 0640, &r, &err), YJ_OK, "%s", err.message);
    text = ut_read(path, NULL);
    cr_assert_str_eq(text, "yjreturns-receipt 1\n"
                           "url https://receiver.example/upload/MEDWAY-2025Q1-" SHA ".xml\n"
                           "file return/cld-part-0002.xml\n"
                           "part 2 of 3\n"
                           "sha256 " SHA "\n"
                           "bytes 123456\n"
                           "http_status 201\n"
                           "received_by ledger\n"
                           "submission MEDWAY 2025Q1 1\n"
                           "submitted_at 2025-07-15T10:00:00Z\n"
                           "rebuilt_from ledger entry 7 (2025-07-15T10:00:00Z): why\n"
                           "raw_answer submit/answer-000007 (mode 0600): the bytes below that are "
                           "not printable text are shown as \\xNN\n"
                           "--- response headers\n"
                           "--- response body\n"
                           "a\\x1b[2Jb\\\\");
    free(text);
    free(path);
    free(sub);
}

Test(receipt, keeps_an_answer_byte_for_byte)
{
    char *path = ut_path(dir, "answer-000003"), *text;
    const char body[] = "no\0pe";
    struct yj_error err;
    size_t len;

    cr_assert(receipt_answer_needs_keeping("H: 1\r\n", 6, body, 5));
    cr_assert(!receipt_answer_needs_keeping("H: 1\r\n", 6, "fine\n", 5));
    cr_assert(!receipt_answer_needs_keeping(NULL, 0, NULL, 0));
    cr_assert_eq(receipt_write_answer(dir, path, 0600, "https://r.example/x", 400, "H: 1\r\n", 6,
                                      body, 5, &err),
                 YJ_OK);
    text = ut_read(path, &len);
    cr_assert_eq(len, strlen("yjreturns-answer 1\nurl https://r.example/x\nhttp_status 400\n"
                             "--- response headers\nH: 1\r\n--- response body\n") +
                          5);
    cr_assert_eq(memcmp(text,
                        "yjreturns-answer 1\nurl https://r.example/x\nhttp_status 400\n"
                        "--- response headers\nH: 1\r\n--- response body\nno\0pe",
                        len),
                 0);
    free(text);
    free(path);
}

Test(receipt, reads_each_field_with_its_line)
{
    char *path = ut_path(dir, "receipt-0002");
    struct receipt_out w = one_receipt();
    struct receipt r;
    struct yj_error err;

    w.part = 2;
    w.parts = 2;
    w.file = "return/cld-part-0002.xml";
    cr_assert_eq(receipt_write(dir, path, 0640, &w, &err), YJ_OK);
    cr_assert_eq(receipt_read(path, &r, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(r.version, 1);
    cr_assert(r.well_formed);
    cr_assert_str_eq(r.url, w.url);
    cr_assert_eq(r.url_line, 2);
    cr_assert_str_eq(r.file, "return/cld-part-0002.xml");
    cr_assert_eq(r.file_line, 3);
    cr_assert_str_eq(r.sha256, SHA);
    cr_assert_eq(r.sha256_line, 5);
    cr_assert_eq(r.bytes, 123456);
    cr_assert_eq(r.bytes_line, 6);
    cr_assert_eq(r.http_status, 201);
    cr_assert_eq(r.http_status_line, 7);
    cr_assert_str_eq(r.received_by, "put");
    cr_assert_eq(r.received_by_line, 8);
    cr_assert(receipt_is_of(path, SHA));
    cr_assert(
        !receipt_is_of(path, "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    free(path);
}

Test(receipt, reads_a_receipt_without_its_format_line_as_version_1)
{
    char *path = ut_path(dir, "receipt");
    struct receipt r;
    struct yj_error err;

    ut_write(path, "file return/cld.xml\nsha256 " SHA "\nbytes 9\n--- response headers\n"
                   "sha256 1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
    cr_assert_eq(receipt_read(path, &r, &err), YJ_OK);
    cr_assert_eq(r.version, 1);
    cr_assert(r.well_formed);
    cr_assert_eq(r.sha256_line, 2);
    /* the answer's lines are not the receipt's */
    cr_assert(receipt_is_of(path, SHA));
    cr_assert(
        !receipt_is_of(path, "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    free(path);
}

Test(receipt, refuses_a_newer_version_in_one_line)
{
    char *path = ut_path(dir, "receipt"), want[1024];
    struct receipt r;
    struct yj_error err;

    ut_write(path, "yjreturns-receipt 2\nfile return/cld.xml\nsha256 " SHA "\nbytes 9\n");
    cr_assert_eq(receipt_read(path, &r, &err), YJ_EX_DATAERR);
    snprintf(want, sizeof(want),
             "'%s' line 1: format yjreturns-receipt 2 is newer than this yjreturns reads "
             "(yjreturns-receipt 1)",
             path);
    cr_assert_str_eq(err.message, want);
    cr_assert_eq(err.detail[0], '\0');
    cr_assert(!r.well_formed);
    cr_assert(!receipt_is_of(path, SHA));
    ut_write(path, "yjreturns-receipt one\nfile return/cld.xml\nsha256 " SHA "\nbytes 9\n");
    cr_assert_eq(receipt_read(path, &r, &err), YJ_EX_DATAERR);
    snprintf(want, sizeof(want),
             "'%s' line 1: 'yjreturns-receipt' is not followed by a version "
             "number",
             path);
    cr_assert_str_eq(err.message, want);
    free(path);
}

Test(receipt, says_what_a_malformed_receipt_lacks)
{
    char *path = ut_path(dir, "receipt"), want[1024];
    struct receipt r;
    struct yj_error err;

    ut_write(path, "yjreturns-receipt 1\nfile return/cld.xml\nsha256 abc\nbytes 9\n");
    cr_assert_eq(receipt_read(path, &r, &err), YJ_OK);
    cr_assert(!r.well_formed);
    cr_assert_str_eq(r.sha256, "");
    ut_write(path, "yjreturns-receipt 1\nfile ../cld.xml\nsha256 " SHA "\nbytes 9\n");
    cr_assert_eq(receipt_read(path, &r, &err), YJ_OK);
    cr_assert(!r.well_formed);
    ut_write(path, "yjreturns-receipt 1\nfile return/cld.xml\nsha256 " SHA "\nbytes x\n");
    cr_assert_eq(receipt_read(path, &r, &err), YJ_OK);
    cr_assert(!r.well_formed);
    cr_assert_eq(r.bytes_line, 4);
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(receipt_read(path, &r, &err), YJ_EX_NOINPUT);
    cr_assert_eq(errno, ENOENT);
    cr_assert_eq(r.version, 0);
    snprintf(want, sizeof(want), "could not open receipt '%s': No such file or directory", path);
    cr_assert_str_eq(err.message, want);
    free(path);
}
