/*
 * mem.h - allocation helpers and a bump arena for per-child scratch memory.
 *
 * Out of memory is the one fatal shortcut: xmalloc and friends log and exit(70). An arena
 * owns every block it hands out; arena_reset() frees them all at once (kept for reuse), so
 * memory stays flat however many children pass through.
 */
#ifndef YJ_MEM_H
#define YJ_MEM_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
/* Cuts leading and trailing white space in place; returns the first kept character. */
char *str_trim(char *s);
/* The next token of *CURSOR: skips any SEPS, cuts the token at the next one (writing a NUL
 * there) and moves *CURSOR past it; NULL when only SEPS are left. strtok without its hidden
 * state. */
char *str_token(char **cursor, const char *seps);

struct arena_block;

struct arena {
    struct arena_block *head; /* block being filled */
    struct arena_block *free; /* blocks kept for reuse after a reset */
    size_t high_water;        /* largest total ever held, for the end line */
    size_t used_total;
};

void arena_init(struct arena *a);
void *arena_alloc(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t len);
void arena_reset(struct arena *a);
void arena_release(struct arena *a);

#endif
