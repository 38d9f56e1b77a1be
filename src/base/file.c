/* file.c - reading a whole file into an arena (see file.h). */
#include "file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int file_read_all(const char *path, arena *a, char **ret, size_t *ret_len, herr *e)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	if (!f || fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode)) {
		int err = f ? EISDIR : errno;
		if (f)
			fclose(f);
		return herr_set(e, ERR_NOTFOUND, NULL, "%s: cannot be read: %s", path, strerror(err));
	}
	if ((unsigned long long)sb.st_size > FILE_READ_MAX) {
		fclose(f);
		return herr_set(e, ERR_TOOBIG, NULL, "%s: is larger than %u MiB", path, FILE_READ_MAX >> 20);
	}
	size_t size = (size_t)sb.st_size;
	char *text = arena_alloc(a, size + 1);
	if (!text) {
		fclose(f);
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory");
	}
	size_t n = fread(text, 1, size, f);
	bool failed = ferror(f) || n != size;
	fclose(f);
	if (failed)
		return herr_set(e, ERR_NOTFOUND, NULL, "%s: cannot be read", path);
	text[n] = '\0';
	*ret = text;
	*ret_len = n;
	return 0;
}
