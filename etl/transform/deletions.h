/*
 * deletions.h - children of the last submitted return that the case system no longer holds.
 *
 * The YJB keeps the newest document of every child it was sent, so a child deleted from the
 * case system since the last submitted return must be notified, once, as a deletion. The set
 * is the ypids of that return's child documents (a deletion it notified is not a document,
 * so it is never notified again); each child written now is marked, and what is left unmarked
 * at the end is notified, in ypid order. Memory is one string per child of the previous
 * return, read with a streaming parser.
 */
#ifndef YJ_DELETIONS_H
#define YJ_DELETIONS_H

#include "error.h"

#include <stddef.h>

struct deletions {
    char **ypids; /* sorted, owned */
    unsigned char *seen;
    size_t n;
    char sha256[65]; /* of the previous return read */
};

void deletions_init(struct deletions *d);
/* Reads the ypids of every <child><person><ypid> of a return file. */
int deletions_load(struct deletions *d, const char *previous_return, struct yj_error *err);
/* Marks a ypid written in this return. */
void deletions_mark(struct deletions *d, const char *ypid);
void deletions_release(struct deletions *d);

#endif
