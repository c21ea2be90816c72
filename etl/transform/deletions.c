/*
 * deletions.c - the ypids of the previous submitted return (see deletions.h).
 *
 * The previous return was written and validated by this project, so it is read with
 * libxml2's streaming reader, network and entities off; an unreadable or malformed file is
 * an error naming it, never an empty set (which would notify nothing).
 */
#include "deletions.h"

#include "mem.h"
#include "sha256.h"

#include <errno.h>
#include <libxml/xmlreader.h>
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
    xmlTextReaderPtr r;
    size_t cap = 0;
    int depth_child = -1, in_person = 0, rc, ret;
    unsigned long long bytes;

    if (sha256_file(previous, d->sha256, &bytes) != 0)
        return yj_error_errno(err, yj_status_for_input_errno(errno), errno,
                              "could not read the previous return '%s'", previous);
    r = xmlReaderForFile(previous, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r)
        return yj_error_set(err, YJ_EX_NOINPUT, "could not open the previous return '%s'",
                            previous);
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
        const char *name = (const char *)xmlTextReaderConstLocalName(r);

        if (type == XML_READER_TYPE_END_ELEMENT) {
            if (depth == depth_child)
                depth_child = -1;
            if (in_person && strcmp(name, "person") == 0)
                in_person = 0;
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        if (depth == 1 && strcmp(name, "child") == 0)
            depth_child = depth;
        else if (depth_child >= 0 && depth == depth_child + 1 && strcmp(name, "person") == 0)
            in_person = 1;
        else if (in_person && depth == depth_child + 2 && strcmp(name, "ypid") == 0) {
            xmlChar *v = xmlTextReaderReadString(r);
            if (d->n == cap) {
                cap = cap ? cap * 2 : 1024;
                d->ypids = xrealloc(d->ypids, cap * sizeof(char *));
            }
            d->ypids[d->n++] = xstrdup(v ? (const char *)v : "");
            xmlFree(v);
        }
    }
    xmlFreeTextReader(r);
    if (ret != 0) {
        rc = yj_error_set(err, YJ_EX_DATAERR, "the previous return '%s' is not well-formed XML",
                          previous);
        return rc;
    }
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
