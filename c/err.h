/*
 * The init's error convention (crun's, in short): a failing function
 * formats "<syscall> <path>: <strerror>" once, here, and returns -errno;
 * the stage or the plan dispatcher reports it once as procError.
 */
#ifndef RUNO_ERR_H
#define RUNO_ERR_H

/* Formats the message, appends ": <strerror text of err>" (ffi/errno.ts's), returns -err. */
int runo_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like runo_fail but without the strerror suffix (for protocol errors). */
int runo_fail_plain(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The last message formatted by runo_fail*, "" if none. */
const char *runo_fail_msg(void);

#endif
