/* csv.c - RFC 4180 comma-separated text into records (see csv.h). */
#include "csv.h"

#include "buf.h"
#include "utf8.h"

#include <string.h>

struct csv_reader {
	const char *p, *end;
	const char *name;
	size_t line;            /* the line p is on */
	arena *a;
	herr *e;
};

static int csv_fail(struct csv_reader *r, size_t field, const char *problem)
{
	return herr_set(r->e, ERR_INVALID, NULL, "%s: line %zu, field %zu: %s", r->name, r->line,
			field, problem);
}

static bool at_record_end(const struct csv_reader *r)
{
	return r->p == r->end || *r->p == '\n' || (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n');
}

static void skip_record_end(struct csv_reader *r)
{
	if (r->p < r->end && *r->p == '\r')
		r->p++;
	if (r->p < r->end && *r->p == '\n') {
		r->p++;
		r->line++;
	}
}

/* A quoted field, r->p just after the opening quote. */
static int read_quoted(struct csv_reader *r, size_t field, const char **ret)
{
	buf b = BUF_INIT;
	size_t start_line = r->line;
	for (;;) {
		if (r->p == r->end) {
			buf_free(&b);
			r->line = start_line;
			return csv_fail(r, field, "a quoted field that starts here is never closed "
					"(a \" is missing)");
		}
		char c = *r->p++;
		if (c == '"' && r->p < r->end && *r->p == '"') {
			buf_putc(&b, '"');
			r->p++;
		} else if (c == '"')
			break;
		else {
			if (c == '\n')
				r->line++;
			buf_putc(&b, c);
		}
	}
	*ret = arena_strndup(r->a, b.data ? b.data : "", b.len);
	buf_free(&b);
	if (r->p < r->end && *r->p != ',' && !at_record_end(r))
		return csv_fail(r, field, "there is text after the closing quote of a quoted field");
	return 0;
}

static int read_plain(struct csv_reader *r, size_t field, const char **ret)
{
	const char *start = r->p;
	while (r->p < r->end && *r->p != ',' && !at_record_end(r)) {
		if (*r->p == '"')
			return csv_fail(r, field, "a \" inside a field that does not start with one "
					"(put the whole field in quotes and double the \")");
		r->p++;
	}
	*ret = arena_strndup(r->a, start, (size_t)(r->p - start));
	return 0;
}

static int read_record(struct csv_reader *r, struct csv_record *rec)
{
	size_t cap = 0;
	rec->line = r->line;
	rec->fields = NULL;
	rec->n_fields = 0;
	for (;;) {
		size_t field = rec->n_fields + 1;
		const char **fields = arena_grow(r->a, (void *)rec->fields, rec->n_fields, &cap,
						 sizeof *fields);
		if (!fields)
			return herr_set(r->e, ERR_NOMEM, NULL, "Out of memory");
		rec->fields = fields;
		const char *v = NULL;
		int rc;
		if (r->p < r->end && *r->p == '"') {
			r->p++;
			rc = read_quoted(r, field, &v);
		} else
			rc = read_plain(r, field, &v);
		if (rc)
			return rc;
		if (!v)
			return herr_set(r->e, ERR_NOMEM, NULL, "Out of memory");
		fields[rec->n_fields++] = v;
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		skip_record_end(r);
		return 0;
	}
}

int csv_parse(const char *text, size_t len, const char *name, arena *a,
	      struct csv_record **ret, size_t *ret_n, herr *e)
{
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		text += 3;
		len -= 3;
	}
	if (memchr(text, '\0', len) || !utf8_valid(text, len))
		return herr_set(e, ERR_INVALID, NULL, "%s: is not UTF-8 text (save it as CSV UTF-8)", name);
	struct csv_reader r = { text, text + len, name, 1, a, e };
	struct csv_record *recs = NULL;
	size_t n = 0, cap = 0;
	while (r.p < r.end) {
		if (!(recs = arena_grow(a, recs, n, &cap, sizeof *recs)))
			return herr_set(e, ERR_NOMEM, NULL, "Out of memory");
		int rc = read_record(&r, &recs[n]);
		if (rc)
			return rc;
		n++;
	}
	*ret = recs;
	*ret_n = n;
	return 0;
}
