/* ids.h - identifiers and clock.
 *
 * Ids are 64-bit integers made by the program, not the database: the
 * millisecond clock in the high bits and 20 random bits below, so ids sort by
 * creation time and several web nodes need no coordination. Within a process
 * they are strictly increasing. In JSON they travel as decimal strings,
 * because they exceed the 53 bits a JavaScript number holds exactly.
 *
 * Times are int64 Unix milliseconds in UTC everywhere below the display. */
#ifndef HEARTH_IDS_H
#define HEARTH_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int64_t id_new(void);
int64_t id_time_ms(int64_t id);      /* when the id was made */
/* Parses a positive decimal id with no sign, spaces or trailing bytes. */
bool id_parse(const char *s, int64_t *ret_id);

int64_t time_now_ms(void);
/* Writes "2026-11-26T13:00:00Z" (20 bytes + NUL) into out; out holds >= 32. */
void time_format_iso(int64_t ms, char out[static 32]);

/* Fills out with n random bytes from the OS (libsodium). */
void random_bytes(void *out, size_t n);
/* Writes 2n lowercase hex digits of n random bytes plus NUL into out. */
void random_hex(char *out, size_t n);

#endif
