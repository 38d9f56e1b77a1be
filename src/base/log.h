/* log.h - one line per event in logfmt on standard error.
 *
 *   log_event("info", "request", "method", "GET", "path", "/groups", NULL);
 *   -> ts=2026-11-26T13:00:00.123Z level=info event=request method=GET path=/groups
 *
 * Arguments after the event are key/value string pairs ending with NULL.
 * Values are quoted and escaped when needed. Never pass personal data,
 * passwords, tokens or answers: the log is for operators. */
#ifndef HEARTH_LOG_H
#define HEARTH_LOG_H

#include <stdbool.h>

void log_event(const char *level, const char *event, ...) __attribute__((sentinel));
void log_set_quiet(bool quiet);   /* drops "info" lines (tests, CLI) */

#endif
