/* embedded.h - files built into the binary by tools/embed.py: templates,
 * static assets, migrations and the common-password list. Each array ends
 * with an entry whose name is NULL; data is NUL-terminated. */
#ifndef HEARTH_EMBEDDED_H
#define HEARTH_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;
	const unsigned char *data;
	size_t len;
};

extern const struct embedded_file hearth_templates[];
extern const size_t hearth_templates_count;
extern const struct embedded_file hearth_static[];
extern const size_t hearth_static_count;
extern const struct embedded_file hearth_migrations[];
extern const size_t hearth_migrations_count;
extern const struct embedded_file hearth_wordlists[];
extern const size_t hearth_wordlists_count;

/* The entry named name in files, or NULL. */
const struct embedded_file *embedded_find(const struct embedded_file *files, const char *name);

#endif
