/* Log lines for the parent, who forwards them to runo's log. */
#define _GNU_SOURCE
#include "cleanup.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static int log_fd = -1;
static int log_max = RUNO_LOGLEVEL_ERROR;

static const char *const level_names[] = { "error", "warn", "info", "debug" };

void runo_log_setup(int fd, int level)
{
	log_fd = fd;
	log_max = level;
}

void runo_log_level(int level)
{
	log_max = level;
}

size_t runo_json_escape(char *dst, size_t cap, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (; *src != '\0'; src++) {
		unsigned char c = (unsigned char)*src;
		char esc[7] = { '\\', (char)c, 0, 0, 0, 0, 0 };
		size_t len = 2;

		if (c == '\n')
			esc[1] = 'n';
		else if (c == '\t')
			esc[1] = 't';
		else if (c < 0x20) {
			esc[1] = 'u', esc[2] = '0', esc[3] = '0';
			esc[4] = hex[c >> 4], esc[5] = hex[c & 15], len = 6;
		} else if (c != '"' && c != '\\')
			esc[0] = (char)c, len = 1;
		if (n + len + 1 > cap)
			break;
		for (size_t i = 0; i < len; i++)
			dst[n++] = esc[i];
	}
	if (cap > 0)
		dst[n] = '\0';
	return n;
}

void runo_log(int level, const char *fmt, ...)
{
	char text[1024], esc[2048], line[2200];
	va_list ap;
	int len;

	if (log_fd < 0 || level > log_max || level < 0 || level > RUNO_LOGLEVEL_DEBUG)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	runo_json_escape(esc, sizeof(esc), text);
	len = snprintf(line, sizeof(line), "{\"level\":\"%s\",\"msg\":\"%s\"}\n", level_names[level], esc);
	if (len < 0 || (size_t)len >= sizeof(line))
		return;
	/* One write per line so concurrent stages never interleave within a line. */
	(void)RETRY(write(log_fd, line, (size_t)len));
}
