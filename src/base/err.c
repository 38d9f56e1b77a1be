/* err.c - error codes, their names and HTTP statuses (see err.h). */
#include "err.h"

#include <stdio.h>
#include <string.h>

int herr_set(herr *e, int code, const char *field, const char *fmt, ...)
{
	if (!e)
		return code;
	e->code = code;
	e->field = field;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
	return code;
}

void herr_clear(herr *e)
{
	memset(e, 0, sizeof *e);
}

static const struct {
	int code;
	const char *name;
	int status;
} table[] = {
	{ ERR_OK, "ok", 200 },
	{ ERR_INVALID, "invalid", 422 },
	{ ERR_BADREQ, "bad_request", 400 },
	{ ERR_NOTFOUND, "not_found", 404 },
	{ ERR_CONFLICT, "conflict", 409 },
	{ ERR_DENIED, "forbidden", 403 },
	{ ERR_UNAUTH, "unauthorized", 401 },
	{ ERR_LIMIT, "too_many_requests", 429 },
	{ ERR_TOOBIG, "too_large", 413 },
	{ ERR_DB, "database", 500 },
	{ ERR_NOMEM, "out_of_memory", 500 },
	{ ERR_INTERNAL, "internal", 500 },
	{ ERR_UNSUPPORTED, "unsupported_media_type", 415 },
	{ ERR_METHOD, "method_not_allowed", 405 },
};

const char *err_name(int code)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].code == code)
			return table[i].name;
	return "internal";
}

int err_http_status(int code)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].code == code)
			return table[i].status;
	return 500;
}
