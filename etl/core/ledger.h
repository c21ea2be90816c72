/*
 * ledger.h - the submission ledger: an append-only, hash-chained text file of every upload
 * attempt and its outcome, one per runs root (RUNS_ROOT/ledger; docs/design.md "Submission
 * ledger").
 *
 * One entry per line, fields "key=value" separated by single spaces, always in this order:
 *
 *   n=7 time=2025-07-15T10:00:00Z service=MEDWAY period=2025Q1 seq=1 event=answer
 *   source_return_id=MEDWAY-2025Q1-20250701T000000.000000Z return_sha256=<64 hex>
 *   part=1/1 sha256=<64 hex> bytes=123456 run=/runs/MEDWAY/2025Q1/20250715T100000Z
 *   seal=<64 hex> http=201 result=received answer=HTTP 201 Created prev=<64 hex> hash=<64 hex>
 *
 * (shown folded; it is one line). `answer` is free text up to " prev=" (it may hold spaces);
 * every other value holds none: a byte below 0x21 or above 0x7e and '%' are written %XX.
 * `hash` is the SHA-256 of the line up to, not including, " hash="; `prev` is the hash of
 * the line before (64 zeros on line 1) and `n` its line number, so an edited byte, a removed
 * or a reordered line breaks the chain at that line. "-" stands for no value. `seal` is
 * optional when read (lines written before it existed have none: "-").
 *
 * A line that does not end in '\n' can only be the tail of an append that a crash cut short
 * (each append is one write() of a whole line, then fsync). ledger_verify() reports it
 * (torn_bytes) without failing; ledger_open() moves it to "<ledger>.torn-<UTC time>" and
 * records that as a "repair" entry before appending anything.
 *
 * A write that is not known to have reached the disk (the fsync of the file or of its folder
 * failed, or a failed append or torn line could not be cut off) leaves a marker beside the
 * ledger, "<ledger>.dirty" (one line: when and what failed). ledger_open() refuses
 * (YJ_EX_IOERR) while it is there: after a failed fsync the kernel may have dropped the
 * lines it could not write while still showing them, so nothing is appended until
 * ledger_mark_durable() (yj-run --verify) has read the whole ledger back, checked its chain,
 * written the same bytes again, synced them and removed the marker.
 */
#ifndef YJ_LEDGER_H
#define YJ_LEDGER_H

#include "error.h"
#include "sha256.h"

#include <stddef.h>

/* One line. Strings are owned (malloc'd) when the entry is part of a struct ledger; "-"
 * (or 0 for numbers) means no value. */
struct ledger_entry {
    unsigned long long n; /* line number, from 1 */
    char time[24];        /* YYYY-MM-DDTHH:MM:SSZ (UTC) */
    char *service;        /* yot_ou_code */
    char *period;         /* 2025Q1 */
    unsigned long seq;    /* submission number within service and period; 0: none */
    char *event;          /* send, answer, check, already, refused, repair */
    char *source_return_id;
    char *return_sha256; /* the whole return: the cld.xml's SHA-256, or that of its parts' */
    char *part;          /* "k/n" */
    char *sha256;        /* payload (this document) */
    unsigned long long bytes;
    char *run;    /* run directory */
    char *seal;   /* the run's seal when the entry was written (seal.h); "-": none */
    long http;    /* HTTP status; 0: none */
    char *result; /* received, absent, unknown, temporary, rejected, tls, error, refused */
    char *answer; /* one line, no personal data */
    char prev[SHA256_HEX_LEN + 1];
    char hash[SHA256_HEX_LEN + 1];
};

struct ledger {
    char *path;
    int fd;                  /* open read-write, exclusively locked */
    unsigned long long size; /* bytes of complete lines */
    struct ledger_entry *e;
    size_t n;
    char head[SHA256_HEX_LEN + 1]; /* hash of the last entry; 64 zeros when empty */
};

/* What ledger_verify() found. */
struct ledger_check {
    unsigned long long entries; /* complete lines, all chained */
    size_t torn_bytes;          /* bytes after the last '\n' (a crash mid-append), or 0 */
    char head[SHA256_HEX_LEN + 1];
};

/* Opens (creating it and fsyncing its folder if missing, mode 0640) and locks the ledger
 * exclusively, waiting up to wait_seconds for another writer (then YJ_EX_LOCKED); reads and
 * verifies every line (a broken chain is YJ_EX_IOERR naming the line); moves a torn last line
 * aside and records a "repair" entry. The lock is held until ledger_close(). */
int ledger_open(struct ledger *lg, const char *path, double wait_seconds, struct yj_error *err);

/* Appends one entry: in's n, time, prev and hash are ignored and set (the entry added to
 * lg->e gets them too); NULL strings are written "-". One write() of the whole line, then
 * fsync of the file and of its folder. */
int ledger_append(struct ledger *lg, const struct ledger_entry *in, struct yj_error *err);

void ledger_close(struct ledger *lg);

/* For yj-run --verify: if the ledger at PATH carries the marker of a write not known durable
 * (*was_dirty = 1), reads it back under its lock, checks every line and the chain, writes the
 * same bytes again, syncs the file and its folder and only then removes the marker, so that
 * the next ledger_open() may append. Without a marker it does nothing (*was_dirty = 0). A
 * ledger that does not verify, cannot be written back (the disk still full) or is locked by a
 * submission (YJ_EX_LOCKED) keeps its marker and fails. */
int ledger_mark_durable(const char *path, int *was_dirty, struct yj_error *err);

/* Reads the whole ledger without locking or changing it and checks every line and the
 * chain. A missing file is YJ_EX_NOINPUT; a broken line or chain YJ_EX_IOERR, its message
 * naming the line and what is wrong. A torn last line is not an error: see out->torn_bytes. */
int ledger_verify(const char *path, struct ledger_check *out, struct yj_error *err);
/* ledger_verify() that also gives the complete lines' entries (*entries, *nentries; none when
 * it fails), freed with ledger_entries_free(). */
int ledger_read(const char *path, struct ledger_check *out, struct ledger_entry **entries,
                size_t *nentries, struct yj_error *err);
void ledger_entries_free(struct ledger_entry *entries, size_t n);

/* The 64-hex SHA-256 that names a return of several documents: that of their SHA-256s, each
 * followed by '\n', in order. For one document it is that document's own SHA-256. */
void ledger_return_sha256(const char *const sha[], size_t n, char out[SHA256_HEX_LEN + 1]);

#endif
