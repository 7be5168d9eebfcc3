/* Keeps the one pending error message of the init. */
#define _GNU_SOURCE
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ids.h"

static char msg[1024];

/* Not strerror(3): the texts are ffi/errno.ts's (glibc's words), the same
 * whichever libc the init is linked with (musl words them otherwise). */
static const char *const errno_texts[] = {
#define X(n, text) [n] = text,
	RUNO_ERRNO_TEXTS(X)
#undef X
};

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
	if (err > 0 && (size_t)err < sizeof(errno_texts) / sizeof(errno_texts[0]) && errno_texts[err])
		snprintf(msg + n, sizeof(msg) - n, ": %s", errno_texts[err]);
	else
		snprintf(msg + n, sizeof(msg) - n, ": Unknown error %d", err);
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
