/*
 * libnsexec.so wrappers for terminals (c/libnsexec.h): window sizes, raw
 * mode and its restore, ONLCR, isatty. Each returns its result or -errno
 * and never prints.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "libnsexec.h"

int runo_set_winsize(int fd, int rows, int cols)
{
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };

	return ioctl(fd, TIOCSWINSZ, &ws) < 0 ? -errno : 0;
}

int runo_get_winsize(int fd, int32_t *out)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) < 0)
		return -errno;
	out[0] = ws.ws_row, out[1] = ws.ws_col;
	return 0;
}

/* cfmakeraw on fd; the previous settings go to saved (sizeof(struct
 * termios) bytes at most, the size is returned) for runo_tty_restore. */
int runo_tty_raw(int fd, uint8_t *saved, uint64_t len)
{
	struct termios t;

	if (len < sizeof(t))
		return -EINVAL;
	if (tcgetattr(fd, &t) < 0)
		return -errno;
	memcpy(saved, &t, sizeof(t));
	cfmakeraw(&t);
	return tcsetattr(fd, TCSANOW, &t) < 0 ? -errno : (int)sizeof(t);
}

int runo_tty_restore(int fd, const uint8_t *saved, uint64_t len)
{
	struct termios t;

	if (len < sizeof(t))
		return -EINVAL;
	memcpy(&t, saved, sizeof(t));
	return tcsetattr(fd, TCSANOW, &t) < 0 ? -errno : 0;
}

/* Clears ONLCR on a pty master: runc's recvtty does this for the
 * foreground proxy only, so a program's "\n" reaches runo's own terminal
 * (raw) as "\n"; a console-socket receiver gets the pty untouched. */
int runo_tty_clear_onlcr(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t) < 0)
		return -errno;
	t.c_oflag &= ~(tcflag_t)ONLCR;
	return tcsetattr(fd, TCSANOW, &t) < 0 ? -errno : 0;
}

int runo_isatty(int fd)
{
	return isatty(fd);
}
