/* JSON log lines on the log pipe: {"level":"debug","msg":"..."}\n */
#ifndef RUNO_LOG_H
#define RUNO_LOG_H

#include <stddef.h>

#include "ids.h"

void runo_log_setup(int fd, int level);
void runo_log_level(int level);
void runo_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define runo_debug(...) runo_log(RUNO_LOGLEVEL_DEBUG, __VA_ARGS__)

/* Writes src as the inside of a JSON string into dst (always NUL-terminated,
 * truncated to fit); returns the length written. */
size_t runo_json_escape(char *dst, size_t cap, const char *src);

#endif
