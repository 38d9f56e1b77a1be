/* static_files.c - built-in assets with ETags (see static_files.h). */
#include "static_files.h"

#include "../base/embedded.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_FILES 32

static struct static_file files[MAX_FILES];
static size_t nfiles;
static char version[17];

static uint64_t fnv1a(const unsigned char *p, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static const char *type_for(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return "application/octet-stream";
	if (strcmp(dot, ".css") == 0) return "text/css; charset=utf-8";
	if (strcmp(dot, ".svg") == 0) return "image/svg+xml";
	if (strcmp(dot, ".png") == 0) return "image/png";
	if (strcmp(dot, ".js") == 0) return "text/javascript; charset=utf-8";
	if (strcmp(dot, ".ico") == 0) return "image/x-icon";
	return "application/octet-stream";
}

void static_files_init(void)
{
	uint64_t all = 0xcbf29ce484222325ULL;
	nfiles = 0;
	for (const struct embedded_file *f = hearth_static; f->name && nfiles < MAX_FILES; f++) {
		struct static_file *s = &files[nfiles++];
		s->name = f->name;
		s->data = f->data;
		s->len = f->len;
		s->content_type = type_for(f->name);
		uint64_t h = fnv1a(f->data, f->len, 0xcbf29ce484222325ULL);
		snprintf(s->etag, sizeof s->etag, "\"%016llx\"", (unsigned long long)h);
		all = fnv1a((const unsigned char *)s->etag, strlen(s->etag), all);
	}
	snprintf(version, sizeof version, "%012llx", (unsigned long long)(all >> 16));
}

const struct static_file *static_file_for_path(const char *path)
{
	if (strncmp(path, "/static/", 8) != 0)
		return NULL;
	for (size_t i = 0; i < nfiles; i++)
		if (strcmp(files[i].name, path + 8) == 0)
			return &files[i];
	return NULL;
}

const char *static_files_version(void)
{
	return version;
}
