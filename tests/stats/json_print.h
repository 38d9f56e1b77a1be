/* json_print.h - the two printers the statistics drivers (tests/stats/, the
 * *_driver.c files) use to write a figure into their JSON output: a number,
 * or null when it is not finite, and the reason beside a figure that cannot
 * be computed. Each driver prints one object to stdout for its script. */
#ifndef HEARTH_TESTS_JSON_PRINT_H
#define HEARTH_TESTS_JSON_PRINT_H

#include <math.h>
#include <stdio.h>

/* "name": v followed by sep, or "name": null when v is NaN or infinite. */
static inline void json_num(const char *name, double v, const char *sep)
{
	if (isfinite(v))
		printf("\"%s\": %.17g%s", name, v, sep);
	else
		printf("\"%s\": null%s", name, sep);
}

/* "name_cannot": "why", when there is a reason. */
static inline void json_reason(const char *name, const char *why)
{
	if (why)
		printf("\"%s_cannot\": \"%s\", ", name, why);
}

#endif
