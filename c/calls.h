/*
 * The function numbers of runo_call (c/call.c), the one symbol runo binds
 * with Deno.dlopen: Deno compiles a trampoline per symbol at dlopen
 * (~0.3 ms each), so one dispatcher costs what one symbol does instead of
 * ~40 of them. ffi/calls.ts mirrors this block (tests/unit/calls_drift_test.ts).
 */
#ifndef RUNO_CALLS_H
#define RUNO_CALLS_H

/* BEGIN MIRROR ffi/calls.ts */
#define RUNO_FN_SEAL_EXE 1
#define RUNO_FN_SPAWN 2
#define RUNO_FN_MEMFD 3
#define RUNO_FN_SOCKETPAIR 4
#define RUNO_FN_PIPE 5
#define RUNO_FN_SEND 6
#define RUNO_FN_RECV 7
#define RUNO_FN_RECV_WITH_FD 8
#define RUNO_FN_UNIX_SEND_FD 9
#define RUNO_FN_READ 10
#define RUNO_FN_WRITE 11
#define RUNO_FN_OPEN 12
#define RUNO_FN_CLOSE 13
#define RUNO_FN_KILL 14
#define RUNO_FN_WAITPID 15
#define RUNO_FN_MKFIFO 16
#define RUNO_FN_FLOCK 17
#define RUNO_FN_SET_NONBLOCK 18
#define RUNO_FN_AWAIT_FIFO 19
#define RUNO_FN_READ_FILE 20
#define RUNO_FN_READ_REGULAR 21
#define RUNO_FN_WRITE_FILE 22
#define RUNO_FN_MKDIR 23
#define RUNO_FN_RMDIR 24
#define RUNO_FN_BPF 25
#define RUNO_FN_LIST_SUBDIRS 26
#define RUNO_FN_CONNECT_UNIX 27
#define RUNO_FN_LISTEN_UNIX 28
#define RUNO_FN_ACCEPT 29
#define RUNO_FN_RECV_FD 30
#define RUNO_FN_SET_WINSIZE 31
#define RUNO_FN_GET_WINSIZE 32
#define RUNO_FN_TTY_RAW 33
#define RUNO_FN_TTY_RESTORE 34
#define RUNO_FN_TTY_CLEAR_ONLCR 35
#define RUNO_FN_ISATTY 36
#define RUNO_FN_SPAWN_HOOK 37
#define RUNO_FN_NS_TYPE 38
#define RUNO_FN_IDMAPPED_TREE 39
#define RUNO_FN_CAN_WRITE_DIR 40
#define RUNO_FN_EVENTFD 41
#define RUNO_FN_MEMCG_EVENTFD 42
#define RUNO_FN_INOTIFY_WATCH 43
#define RUNO_FN_PIDFD_OPEN 44
#define RUNO_FN_POLL3 45
#define RUNO_FN_DRAIN 46
#define RUNO_FN_DGRAM_BIND 47
#define RUNO_FN_DGRAM_SEND 48
#define RUNO_FN_MOUNT_ID 49
#define RUNO_FN_UMOUNT_DETACH 50
#define RUNO_FN_MOUNT 51
#define RUNO_FN_UMOUNT2 52
#define RUNO_FN_SEND_FD 60
#define RUNO_FN_SCHED_SETAFFINITY 61
#define RUNO_FN_SCHED_GETAFFINITY 62
#define RUNO_FN_SET_SUBREAPER 63
#define RUNO_FN_NETLINK_SOCKET 64
#define RUNO_FN_SECCOMP_ACTION_AVAIL 65
#define RUNO_FN_SECCOMP_FLAGS_KNOWN 66
#define RUNO_FN_STATFS_TYPE 70
#define RUNO_FN_BIND_TREE 71
#define RUNO_FN_CGROUP_WARM_START 80
#define RUNO_FN_CGROUP_WARM_STOP 81
/* END MIRROR */

#endif
