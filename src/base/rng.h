/* rng.h - a small deterministic random number generator (splitmix64) for
 * the demo network and the load generator. Not rand(): the sequence must be
 * the same on every machine for a seed. Not for secrets (use libsodium). */
#ifndef HEARTH_RNG_H
#define HEARTH_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
	uint64_t state;
};

/* A generator for one seed; different streams of one seed are independent
 * sequences, so one part of a build can change without moving the others. */
struct rng rng_seeded(uint64_t seed, uint64_t stream);
uint64_t rng_next(struct rng *r);
/* 0 <= result < n (n > 0). */
int rng_below(struct rng *r, int n);
/* 0 <= result < 1. */
double rng_unit(struct rng *r);
bool rng_chance(struct rng *r, double p);
/* A value uniformly between from and to (to >= from). */
int64_t rng_between(struct rng *r, int64_t from, int64_t to);
/* A standard normal deviate (Box-Muller). */
double rng_normal(struct rng *r);

#define RNG_PICK(r, list) ((list)[rng_below((r), (int)(sizeof (list) / sizeof (list)[0]))])

#endif
