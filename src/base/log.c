/* log.c - logfmt lines on standard error (see log.h). */
#include "log.h"

#include "buf.h"
#include "ids.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool quiet;

void log_set_quiet(bool q)
{
	quiet = q;
}

static bool needs_quotes(const char *v)
{
	if (!*v)
		return true;
	for (const char *p = v; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' || *p == 0x7f)
			return true;
	return false;
}

static void put_value(buf *b, const char *v)
{
	if (!needs_quotes(v)) {
		buf_puts(b, v);
		return;
	}
	buf_putc(b, '"');
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\x%02x", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

void log_event(const char *level, const char *event, ...)
{
	if (quiet && strcmp(level, "info") == 0)
		return;
	int64_t now = time_now_ms();
	char ts[32];
	time_format_iso(now, ts);
	ts[19] = '\0';  /* drop the Z to add milliseconds */
	buf b = BUF_INIT;
	buf_printf(&b, "ts=%s.%03dZ level=%s event=", ts, (int)(now % 1000), level);
	put_value(&b, event);
	va_list ap;
	va_start(ap, event);
	for (;;) {
		const char *key = va_arg(ap, const char *);
		if (!key)
			break;
		const char *value = va_arg(ap, const char *);
		buf_putc(&b, ' ');
		buf_puts(&b, key);
		buf_putc(&b, '=');
		put_value(&b, value ? value : "");
	}
	va_end(ap);
	buf_putc(&b, '\n');
	if (!b.oom) {
		ssize_t unused = write(STDERR_FILENO, b.data, b.len);  /* one write: lines never interleave */
		(void)unused;
	}
	buf_free(&b);
}
