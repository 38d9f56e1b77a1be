/* file.h - reading a whole file the program was pointed at (an instrument, a
 * CSV of answers) into memory, with a size limit. */
#ifndef HEARTH_FILE_H
#define HEARTH_FILE_H

#include "arena.h"
#include "err.h"

#include <stddef.h>

#define FILE_READ_MAX (64u << 20)   /* 64 MiB */

/* Reads path into the arena, NUL-terminated; *ret_len excludes the NUL.
 * Errors: ERR_NOTFOUND (cannot be opened or read, naming the file and the
 * reason), ERR_TOOBIG (over FILE_READ_MAX), ERR_NOMEM. */
int file_read_all(const char *path, arena *a, char **ret, size_t *ret_len, herr *e);

#endif
