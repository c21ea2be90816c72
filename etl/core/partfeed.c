/*
 * partfeed.c - the parts feed's writer and reader (partfeed.h).
 */
#include "partfeed.h"

#include "mem.h"
#include "rundir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "banned.h"

#define FEED_STR_(x) #x
#define FEED_STR(x) FEED_STR_(x)
#define PARTFEED_COMPLETE "complete"
#define PARTFEED_IN_PROGRESS "in-progress"

/* Writes LINE whole, or as much as the follower takes before it goes. */
static void
feed_send(int fd, const char *line)
{
    size_t n = strlen(line), off = 0;

    while (fd >= 0 && off < n) {
        ssize_t w = send(fd, line + off, n - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (size_t)w;
    }
}

void
partfeed_write_parts(int fd, unsigned nparts, int period_complete)
{
    char line[PARTFEED_LINE_MAX];

    snprintf(line, sizeof(line), "parts %u %s\n", nparts,
             period_complete ? PARTFEED_COMPLETE : PARTFEED_IN_PROGRESS);
    feed_send(fd, line);
}

void
partfeed_write_part(int fd, const char *name, unsigned long long children, const char *sha256)
{
    char line[PARTFEED_LINE_MAX];

    snprintf(line, sizeof(line), "part %s %llu %s\n", name, children, sha256);
    feed_send(fd, line);
}

void
partfeed_write_done(int fd)
{
    feed_send(fd, "done\n");
}

void
partfeed_init(struct partfeed *f, int fd, const char *what)
{
    memset(f, 0, sizeof(*f));
    f->fd = fd;
    f->what = what;
}

void
partfeed_release(struct partfeed *f)
{
    free(f->parts);
    f->parts = NULL;
}

/* A decimal count of at most 19 digits (no sign, no leading '+'), into *V. */
static int
feed_count(const char *s, unsigned long long *v)
{
    size_t n = strspn(s, "0123456789");

    if (n == 0 || n > 19 || s[n] != '\0')
        return -1;
    *v = strtoull(s, NULL, 10);
    return 0;
}

static int
feed_sha(const char *s)
{
    return strlen(s) == SHA256_HEX_LEN && strspn(s, "0123456789abcdef") == SHA256_HEX_LEN ? 0 : -1;
}

/* What the line of F (its words W[0..N)) says, in its place. */
static const char *
feed_take(struct partfeed *f, char **w, int n)
{
    unsigned long long v;

    if (f->done)
        return "a line after 'done'";
    if (f->nparts == 0) {
        if (n != 3 || strcmp(w[0], "parts") != 0)
            return "the first line is not 'parts N complete|in-progress'";
        if (feed_count(w[1], &v) != 0 || v < 1 || v > RUNDIR_MAX_PARTS)
            return "the number of parts is not 1 to " FEED_STR(RUNDIR_MAX_PARTS);
        if (strcmp(w[2], PARTFEED_COMPLETE) != 0 && strcmp(w[2], PARTFEED_IN_PROGRESS) != 0)
            return "the period is neither 'complete' nor 'in-progress'";
        f->nparts = (unsigned)v;
        f->period_complete = strcmp(w[2], PARTFEED_COMPLETE) == 0;
        f->parts = xcalloc(f->nparts, sizeof(*f->parts));
        return NULL;
    }
    if (n == 1 && strcmp(w[0], "done") == 0) {
        if (f->got != f->nparts)
            return "'done' before every part";
        f->done = 1;
        return NULL;
    }
    if (n != 4 || strcmp(w[0], "part") != 0)
        return "not 'part NAME CHILDREN SHA256' or 'done'";
    if (f->got == f->nparts)
        return "more parts than the 'parts' line said";
    {
        struct partfeed_part *p = &f->parts[f->got];
        char want[sizeof(p->name)];

        if (f->nparts == 1)
            snprintf(want, sizeof(want), "%s", RUNDIR_RETURN_XML);
        else
            snprintf(want, sizeof(want), RUNDIR_PART_FORMAT, f->got + 1);
        if (strcmp(w[1], want) != 0)
            return "not the next document's name";
        if (feed_count(w[2], &p->children) != 0)
            return "the children are not a count";
        if (feed_sha(w[3]) != 0)
            return "the SHA-256 is not 64 lowercase hex digits";
        snprintf(p->name, sizeof(p->name), "%s", w[1]);
        memcpy(p->sha256, w[3], sizeof(p->sha256));
        p->before = f->got ? f->parts[f->got - 1].before + f->parts[f->got - 1].children : 0;
        f->got++;
    }
    return NULL;
}

/* Splits LINE at single spaces into W (at most MAX words): the number of words, -1 for an
 * empty word (two spaces, or a space at either end), -2 for more than MAX words. */
static int
feed_words(char *line, char **w, int max)
{
    int n = 0;

    for (char *s = line;; s++) {
        char *sp = strchr(s, ' ');
        if (sp ? sp == s : *s == '\0')
            return -1;
        if (n == max)
            return -2;
        w[n++] = s;
        if (!sp)
            return n;
        *sp = '\0';
        s = sp;
    }
}

int
partfeed_read(struct partfeed *f, struct yj_error *err)
{
    ssize_t got;
    char *nl;

    if (f->ended)
        return YJ_OK;
    do
        got = read(f->fd, f->buf + f->len, PARTFEED_LINE_MAX - f->len);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return yj_error_errno(err, YJ_EX_IOERR, errno, "could not read the parts feed (%s)",
                              f->what);
    if (got == 0) { /* a line cut short is a feed that ended before it */
        f->ended = 1;
        return YJ_OK;
    }
    f->len += (size_t)got;
    f->buf[f->len] = '\0';
    while ((nl = memchr(f->buf, '\n', f->len)) != NULL) {
        char *w[5] = {0};
        const char *why;
        int n;

        *nl = '\0';
        f->line++;
        if (strlen(f->buf) != (size_t)(nl - f->buf))
            why = "it holds a NUL";
        else if ((n = feed_words(f->buf, w, 5)) < 0)
            why = n == -1 ? "its words are not separated by single spaces"
                          : "it has more words than any line of the feed";
        else
            why = feed_take(f, w, n);
        if (why)
            return yj_error_set(err, YJ_EX_SOFTWARE, "parts feed (%s) line %lu: %s", f->what,
                                f->line, why);
        f->len -= (size_t)(nl + 1 - f->buf);
        memmove(f->buf, nl + 1, f->len);
    }
    if (f->len == PARTFEED_LINE_MAX)
        return yj_error_set(err, YJ_EX_SOFTWARE, "parts feed (%s) line %lu: longer than %d bytes",
                            f->what, f->line + 1, PARTFEED_LINE_MAX);
    return YJ_OK;
}
