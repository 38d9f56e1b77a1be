/* static_files.h - the CSS and icons built into the binary, served under
 * /static/ with a strong ETag and a year of caching (pages link them with
 * ?v=<version>, so a new build is fetched at once). */
#ifndef HEARTH_STATIC_FILES_H
#define HEARTH_STATIC_FILES_H

#include <stddef.h>

struct static_file {
	const char *name;
	const unsigned char *data;
	size_t len;
	const char *content_type;
	char etag[24];
};

void static_files_init(void);
/* The file for a request path ("/static/style.css"), or NULL. */
const struct static_file *static_file_for_path(const char *path);
/* A short hash of all the files together, for cache-busting URLs. */
const char *static_files_version(void);

#endif
