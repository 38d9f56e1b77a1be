/* csv.h - reading comma-separated text (RFC 4180): fields separated by
 * commas, records by CRLF or LF, a field in double quotes may hold commas,
 * line breaks and "" for a quote. A UTF-8 byte-order mark at the start is
 * skipped, and so is a final line break. Errors name the line and field, so
 * a person can find the place in a spreadsheet. */
#ifndef HEARTH_CSV_H
#define HEARTH_CSV_H

#include "arena.h"
#include "err.h"

#include <stddef.h>

struct csv_record {
	size_t line;            /* the line the record starts on, from 1 */
	const char **fields;    /* NUL-terminated copies in the arena */
	size_t n_fields;
};

/* Splits text into records. name is what errors call the file; errors
 * (ERR_INVALID) read "NAME: line L, field F: PROBLEM". The records live in
 * the arena. Fails on a quote inside an unquoted field, text after a closing
 * quote, a quoted field that never closes, a NUL byte and invalid UTF-8. */
int csv_parse(const char *text, size_t len, const char *name, arena *a,
	      struct csv_record **ret, size_t *ret_n, herr *e);

#endif
