/*
 * mem.c - xmalloc family and the arena. Arena blocks are 64 KiB or the request size if
 * larger; reset moves every block to the free list, so steady-state processing allocates
 * nothing from the system.
 */
#include "mem.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define ARENA_BLOCK 65536

struct arena_block {
    struct arena_block *next;
    size_t size;
    size_t used;
    /* data follows, aligned */
    max_align_t data[];
};

static void
oom(size_t size)
{
    fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", size);
    exit(70);
}

void *
xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (!p)
        oom(size);
    return p;
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        oom(n * size);
    return p;
}

void *
xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);

    if (!q)
        oom(size);
    return q;
}

char *
xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);

    memcpy(p, s, n);
    return p;
}

char *
str_trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

char *
str_token(char **cursor, const char *seps)
{
    char *s = *cursor, *end;

    if (!s)
        return NULL;
    s += strspn(s, seps);
    if (*s == '\0') {
        *cursor = s;
        return NULL;
    }
    end = s + strcspn(s, seps);
    if (*end) {
        *end = '\0';
        *cursor = end + 1;
    } else
        *cursor = end;
    return s;
}

void
arena_init(struct arena *a)
{
    a->head = NULL;
    a->free = NULL;
    a->high_water = 0;
    a->used_total = 0;
}

void *
arena_alloc(struct arena *a, size_t size)
{
    struct arena_block *b = a->head;
    size_t align = sizeof(max_align_t);
    size_t need = (size + align - 1) & ~(align - 1);

    if (!b || b->size - b->used < need) {
        struct arena_block **pp = &a->free;

        b = NULL;
        while (*pp) {
            if ((*pp)->size >= need) {
                b = *pp;
                *pp = b->next;
                break;
            }
            pp = &(*pp)->next;
        }
        if (!b) {
            size_t bsize = need > ARENA_BLOCK ? need : ARENA_BLOCK;

            b = xmalloc(sizeof(*b) + bsize);
            b->size = bsize;
        }
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += need;
    a->used_total += need;
    if (a->used_total > a->high_water)
        a->high_water = a->used_total;
    return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);

    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void
arena_reset(struct arena *a)
{
    while (a->head) {
        struct arena_block *b = a->head;

        a->head = b->next;
        b->next = a->free;
        a->free = b;
    }
    a->used_total = 0;
}

void
arena_release(struct arena *a)
{
    arena_reset(a);
    while (a->free) {
        struct arena_block *b = a->free;

        a->free = b->next;
        free(b);
    }
}
