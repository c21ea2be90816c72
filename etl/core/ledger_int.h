/*
 * ledger_int.h - what ledger.c (reading and checking the chain) and ledger_write.c (open,
 * lock, append, repair, the not-durable marker) share; private to those two files.
 */
#ifndef YJ_LEDGER_INT_H
#define YJ_LEDGER_INT_H

#include "error.h"
#include "ledger.h"
#include "sha256.h"

#include <stddef.h>

/* the "prev" of the first entry */
#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Frees what a parsed entry holds (not e itself). */
void ledger_entry_release(struct ledger_entry *e);

/* Parses one line (without its '\n') into e; 0 or -1 (not a ledger line). */
int ledger_parse_line(const char *line, size_t len, struct ledger_entry *e);

/* SHA-256 of s[0..n), in hex. */
void ledger_hash_bytes(const char *s, size_t n, char out[SHA256_HEX_LEN + 1]);

/* Checks every complete line of buf and the chain. Entries go to *out (if not NULL),
 * *complete gets the length of the complete lines, head the last hash. */
int ledger_check_all(const char *path, const char *buf, size_t len, struct ledger_entry **out,
                     size_t *nout, size_t *complete, char head[SHA256_HEX_LEN + 1],
                     struct yj_error *err);

/* Reads the whole open file into a new buffer; *len gets its size. */
int ledger_read_all(int fd, const char *path, char **out, size_t *len, struct yj_error *err);

#endif
