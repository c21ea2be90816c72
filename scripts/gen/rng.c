/*
 * rng.c - splitmix64 streams for yj-gen (see rng.h). The constants and the order of draws are
 * part of the output: changing either changes every warehouse the generator has made.
 */
#include "rng.h"

#include "banned.h"

static uint64_t
mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t
rng_next(struct rng *r)
{
    r->s += 0x9E3779B97F4A7C15ULL;
    return mix64(r->s);
}

void
rng_init(struct rng *r, uint64_t seed, uint64_t id, uint64_t tag)
{
    r->s = mix64(seed ^ mix64(id * 0xD1B54A32D192ED03ULL + tag * 0x8CB92BA72F3D8DD7ULL));
}

int
rng_below(struct rng *r, int n)
{
    return (int)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int
rng_range(struct rng *r, int lo, int hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

int
rng_chance(struct rng *r, int permille)
{
    return rng_below(r, 1000) < permille;
}

int
rng_pick(struct rng *r, const int *w, int n)
{
    int total = 0, i, x;

    for (i = 0; i < n; i++)
        total += w[i];
    x = rng_below(r, total);
    for (i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}
