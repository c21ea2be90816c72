/*
 * receipt.h - the one writer and reader of a receipt (RUN/submit/receipt, receipt-NNNN) and
 * the writer of a kept answer (RUN/submit/answer-NNNNNN).
 *
 * A receipt is text, written atomically once the receiver has the bytes:
 *
 *   yjreturns-receipt 1
 *   url https://receiver.example/upload/MEDWAY-2025Q1-<sha256>.xml
 *   file return/cld.xml
 *   part 1 of 2                          (only for a return in parts)
 *   sha256 <64 hex>                      the payload's
 *   bytes 123456
 *   http_status 201
 *   received_by put                      put, conflict, head or ledger
 *   submission MEDWAY 2025Q1 1           service, period, submission number
 *   submitted_at 2025-07-15T10:00:00Z
 *   rebuilt_from ...                     (only for a receipt rebuilt from the ledger)
 *   raw_answer submit/answer-000007 ...  (only when the answer held other bytes)
 *   --- response headers
 *   <the receiver's headers, as printable text>
 *   --- response body
 *   <its body, as printable text>
 *
 * The answer is written as printable text only (receipt_printable()): `cat receipt` never
 * drives a terminal. When a byte had to be escaped the caller keeps the answer whole first
 * (receipt_write_answer(): "yjreturns-answer 1", url, http_status, then the same two sections
 * byte for byte, mode 0600) and names it on the raw_answer line.
 *
 * The reader reads the lines before the first "--- " into a typed struct with the line of
 * each, for yj-submit (is there a receipt of these bytes?) and yj-run --verify (does the
 * payload it names have its bytes and SHA-256?). Every receipt ever written starts with
 * "yjreturns-receipt 1" (the format of its row in etl/core/rundir.c); one without that line is
 * read as version 1, one of a newer version is not read (receipt_read() says so in one line
 * naming the file and line 1).
 */
#ifndef YJ_RECEIPT_H
#define YJ_RECEIPT_H

#include "error.h"
#include "sha256.h"

#include <stddef.h>

/* What a receipt records, for receipt_write(). Strings are borrowed. */
struct receipt_out {
    const char *url;
    const char *file;           /* the payload, relative to the run folder: return/cld.xml */
    unsigned long part, parts;  /* "part PART of PARTS" when PARTS > 1 */
    const char *sha256;         /* the payload's */
    unsigned long long bytes;   /* the payload's */
    long http_status;           /* of the answer that shows the receiver has the bytes */
    const char *received_by;    /* put, conflict, head, ledger */
    const char *service;        /* yot_ou_code */
    const char *period;         /* 2025Q1 */
    unsigned long submission;   /* the period's submission number */
    const char *submitted_at;   /* UTC, YYYY-MM-DDTHH:MM:SSZ */
    const char *extra;          /* more header lines ("key value\n"), or NULL */
    const char *raw_answer;     /* the kept answer, relative to the run folder, or NULL */
    const char *headers, *body; /* the receiver's answer (any bytes), or NULL */
    size_t headers_len, body_len;
};

/* What a receipt's header says, with the line (from 1) of each; 0: no such line. */
struct receipt {
    unsigned long version;
    char url[2048];
    unsigned long url_line;
    char file[4096]; /* the payload, relative to the run folder */
    unsigned long file_line;
    char sha256[SHA256_HEX_LEN + 1]; /* "" when the line is not 64 characters */
    unsigned long sha256_line;
    unsigned long long bytes;
    unsigned long bytes_line;
    long http_status;
    unsigned long http_status_line;
    char received_by[32];
    unsigned long received_by_line;
    int well_formed; /* file, sha256 (64 hex) and bytes there, the file inside the run folder */
};

/* S[0..n) as printable text (*out malloc'd, *outn its length): printable ASCII, '\n' and
 * '\t' as they are, "\r\n" as '\n', '\\' as "\\\\", every other byte as "\xNN". Returns 1 if
 * a byte had to be escaped. */
int receipt_printable(const char *s, size_t n, char **out, size_t *outn);
/* 1 if the receiver's answer (headers and body) needs escaping, so it must be kept whole. */
int receipt_answer_needs_keeping(const char *headers, size_t headers_len, const char *body,
                                 size_t body_len);

/* Writes the receipt R to PATH atomically (its folder DIR made if need be), mode MODE. */
int receipt_write(const char *dir, const char *path, int mode, const struct receipt_out *r,
                  struct yj_error *err);
/* Writes the answer of URL (HTTP status HTTP) byte for byte to PATH, as receipt_write(). */
int receipt_write_answer(const char *dir, const char *path, int mode, const char *url, long http,
                         const char *headers, size_t headers_len, const char *body, size_t body_len,
                         struct yj_error *err);

/* Reads the receipt at PATH into R. YJ_OK: read (R->well_formed says whether it holds what a
 * receipt must); otherwise err says why in one line: it cannot be opened (R->version 0, errno
 * kept), or it is of a newer version than this program reads (YJ_EX_DATAERR). */
int receipt_read(const char *path, struct receipt *r, struct yj_error *err);
/* 1 if PATH is a receipt (of a version this program reads) of the payload SHA-256 SHA. */
int receipt_is_of(const char *path, const char *sha);

#endif
