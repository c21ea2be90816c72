/*
 * rng.h - the generator's random numbers: splitmix64 streams, one per (seed, id, tag).
 *
 * Every draw of yj-gen comes from here; nothing reads the clock or rand(), so the output is a
 * pure function of the command line. A stream is owned by the caller (a struct on its stack).
 */
#ifndef YJ_GEN_RNG_H
#define YJ_GEN_RNG_H

#include <stdint.h>

struct rng {
    uint64_t s;
};

/* the stream of (seed, id, tag): a child's table, or a table of the service (id 0) */
void rng_init(struct rng *r, uint64_t seed, uint64_t id, uint64_t tag);
/* uniform in [0, n) for n < 2^32 */
int rng_below(struct rng *r, int n);
/* uniform in [lo, hi] */
int rng_range(struct rng *r, int lo, int hi);
/* true with probability permille/1000 */
int rng_chance(struct rng *r, int permille);
/* index drawn with the n weights w */
int rng_pick(struct rng *r, const int *w, int n);

#define PICK(r, w) rng_pick((r), (w), (int)(sizeof(w) / sizeof((w)[0])))

#endif
