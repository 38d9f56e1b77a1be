/* buf.h - a growable byte buffer on the heap, for output being assembled
 * (rendered pages, JSON, SQL rewriting). The buffer owns its bytes; take them
 * with buf_take() or release them with buf_free(). data is always
 * NUL-terminated after any append, so it can be used as a C string. */
#ifndef HEARTH_BUF_H
#define HEARTH_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct buf {
	char *data;
	size_t len, cap;
	bool oom;   /* set when an append failed; later appends do nothing */
} buf;

#define BUF_INIT { NULL, 0, 0, false }

void buf_free(buf *b);
char *buf_take(buf *b);  /* caller frees; the buffer is left empty */
void buf_reset(buf *b);  /* keeps the allocation */
bool buf_reserve(buf *b, size_t extra);
void buf_append(buf *b, const void *data, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);

/* Appends text escaped for HTML text and attribute values (& < > " ' `). */
void buf_html_escape(buf *b, const char *s, size_t n);

#endif
