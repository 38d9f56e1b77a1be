/* utf8.h - checks that outside text is well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF) and free of control characters that
 * have no place in a form field. */
#ifndef HEARTH_UTF8_H
#define HEARTH_UTF8_H

#include <stdbool.h>
#include <stddef.h>

bool utf8_valid(const char *s, size_t n);
/* Valid UTF-8 with no C0 controls other than tab, LF and CR, and no DEL. */
bool utf8_valid_text(const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t utf8_length(const char *s, size_t n);

#endif
