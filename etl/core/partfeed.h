/*
 * partfeed.h - the parts feed: how yj-transform tells a yj-validate that follows it, while it
 * is still writing the return, that each part is whole. yj-run gives the two ends of one
 * socket pair as yj-transform's --parts-fd and yj-validate's --follow-fd, so that the parts
 * are validated while the next ones are written. Text, one fact a line, in this order:
 *
 *   parts N complete|in-progress   once, first: how many documents the return has (1: cld.xml,
 *                                  else the parts cld-part-0001.xml ...), and whether its
 *                                  period had ended when the warehouse was read
 *   part NAME CHILDREN SHA256      each document, in order, once its temporary file
 *                                  (NAME.tmp beside NAME, until renamed) is synced and closed
 *   done                           the return's files and its MANIFEST are in place
 *
 * The MANIFEST stays the one word on the return: the follower checks every fact of the feed
 * against it after "done" and keeps nothing it validated when one differs. A feed that ends
 * before "done" is a return that never came (yj-transform failed or was stopped). This file
 * is the feed's one writer (partfeed_write_*) and one reader (partfeed_read).
 */
#ifndef YJ_PARTFEED_H
#define YJ_PARTFEED_H

#include "error.h"
#include "sha256.h"

/* The longest line the reader takes: a part name, a count and a SHA-256 fit well within. */
#define PARTFEED_LINE_MAX 256

/* The writer's three lines. A line that cannot be written (the follower has gone) is left
 * unwritten: what the follower found is yj-run's to judge, and the return's files do not
 * depend on it. FD is a socket (cli_descriptor checks it), so this never raises SIGPIPE. */
void partfeed_write_parts(int fd, unsigned nparts, int period_complete);
void partfeed_write_part(int fd, const char *name, unsigned long long children, const char *sha256);
void partfeed_write_done(int fd);

/* One document as the feed announced it. */
struct partfeed_part {
    char name[32]; /* cld.xml or cld-part-NNNN.xml */
    unsigned long long children;
    unsigned long long before; /* the children of the parts before it */
    char sha256[SHA256_HEX_LEN + 1];
};

struct partfeed {
    int fd;
    const char *what; /* how errors name the feed, e.g. "--follow-fd 5" */
    char buf[PARTFEED_LINE_MAX + 1];
    size_t len;
    unsigned long line;          /* lines read so far */
    unsigned nparts;             /* from the parts line; 0 until it came */
    int period_complete;         /* from the parts line */
    unsigned got;                /* parts announced so far (parts[0..got)) */
    struct partfeed_part *parts; /* nparts of them, once the parts line came */
    int done;                    /* the done line came */
    int ended;                   /* end of the feed */
};

void partfeed_init(struct partfeed *f, int fd, const char *what);
void partfeed_release(struct partfeed *f);

/* Reads what the descriptor holds now (one read; it blocks only when nothing is there, so
 * poll it first not to wait) and takes every whole line in it. YJ_OK, with f->ended at the
 * end of the feed; YJ_EX_SOFTWARE for a line out of its place or malformed (the feed is
 * written by yj-transform for yj-validate, never by hand), naming the feed and line (never the
 * line's text); YJ_EX_IOERR when the descriptor cannot be read. */
int partfeed_read(struct partfeed *f, struct yj_error *err);

#endif
