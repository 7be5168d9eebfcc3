/* The init's side of the init-pipe protocol (lib/sync/messages.ts). */
#ifndef RUNO_SYNC_H
#define RUNO_SYNC_H

#include <sys/types.h>

void runo_sync_setup(int fd);
/* The init pipe, or -1 once closed. */
int runo_sync_fd(void);
int runo_sync_send_pids(pid_t stage1, pid_t stage2);
/* Sends procReady and blocks until procRun arrives. */
int runo_sync_ready(void);
/* Sends procError; -EPIPE when the pipe is already closed. */
int runo_sync_error(int op, int err, const char *msg);
int runo_sync_close(void);

/* One sendmsg of len bytes with fd beside it (SCM_RIGHTS); -errno on failure. */
int runo_send_with_fd(int sock, const void *buf, size_t len, int fd);

/* 1 when the packet is the JSON object {"type":"<type>"} (blanks allowed). */
int runo_sync_is_type(const char *buf, size_t len, const char *type);

#endif
