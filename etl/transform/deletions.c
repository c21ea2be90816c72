/*
 * deletions.c - the ypids of the previous submitted return (see deletions.h).
 *
 * The previous return is read through the return reader (etl/core/cldreader.h), one child at
 * a time, network and DTDs off: a file that is not a return (root element, namespace and
 * schemaVersion of any one schema version) or is malformed is an error naming it, never an
 * empty set (which would notify nothing).
 */
#include "deletions.h"

#include "cldreader.h"
#include "mem.h"
#include "sha256.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

void
deletions_init(struct deletions *d)
{
    memset(d, 0, sizeof(*d));
}

void
deletions_release(struct deletions *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->ypids[i]);
    free(d->ypids);
    free(d->seen);
    deletions_init(d);
}

static int
cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
deletions_load(struct deletions *d, const char *previous, struct yj_error *err)
{
    struct cld_reader r;
    size_t cap = 0;
    int rc;
    unsigned long long bytes;

    if (sha256_file(previous, d->sha256, &bytes) != 0)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not read the previous return '%s'", previous);
    cld_reader_init(&r);
    rc = cld_reader_open_file(&r, previous, NULL, err);
    while (rc == YJ_OK && (rc = cld_reader_next(&r, err)) == YJ_OK && r.kind != CLD_END) {
        xmlChar *v;
        if (r.kind != CLD_CHILD || !(v = cld_text(cld_elem(r.node, "person"), "ypid")))
            continue;
        if (d->n == cap) {
            cap = cap ? cap * 2 : 1024;
            d->ypids = xrealloc(d->ypids, cap * sizeof(char *));
        }
        d->ypids[d->n++] = xstrdup((const char *)v);
        xmlFree(v);
    }
    if (rc != YJ_OK && r.malformed)
        rc = yj_error_set(err, YJ_EX_DATAERR, "the previous return '%s' is not well-formed XML",
                          previous);
    cld_reader_release(&r);
    if (rc != YJ_OK)
        return rc;
    if (d->n > 1)
        qsort(d->ypids, d->n, sizeof(char *), cmp);
    d->seen = xcalloc(d->n ? d->n : 1, 1);
    return YJ_OK;
}

void
deletions_mark(struct deletions *d, const char *ypid)
{
    size_t lo = 0, hi = d->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ypid, d->ypids[mid]);
        if (c == 0) {
            d->seen[mid] = 1;
            return;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
}
