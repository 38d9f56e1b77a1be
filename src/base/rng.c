/* rng.c - splitmix64, a small deterministic generator (see rng.h). */
#include "rng.h"

#include <math.h>

uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

struct rng rng_seeded(uint64_t seed, uint64_t stream)
{
	struct rng r = { seed * 0x2545F4914F6CDD1DULL + stream * 0x9E3779B97F4A7C15ULL + 1 };
	rng_next(&r);
	return r;
}

int rng_below(struct rng *r, int n)
{
	return (int)(rng_next(r) % (uint64_t)n);
}

double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

bool rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

int64_t rng_between(struct rng *r, int64_t from, int64_t to)
{
	return to <= from ? from : from + (int64_t)(rng_unit(r) * (double)(to - from));
}

double rng_normal(struct rng *r)
{
	double u = rng_unit(r), v = rng_unit(r);
	if (u < 1e-300)
		u = 1e-300;
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}
