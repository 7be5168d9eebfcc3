/* Keeps the one pending error message of the init. */
#define _GNU_SOURCE
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char msg[1024];

static void vformat(const char *fmt, va_list ap)
{
	vsnprintf(msg, sizeof(msg), fmt, ap);
}

int runo_fail(int err, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vformat(fmt, ap);
	va_end(ap);
	n = strlen(msg);
	snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(err));
	return -err;
}

int runo_fail_plain(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(fmt, ap);
	va_end(ap);
	return -err;
}

const char *runo_fail_msg(void)
{
	return msg;
}
