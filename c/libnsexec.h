/*
 * The functions libnsexec.so exports to Deno (ffi/libnsexec.ts binds them).
 * Every function returns a non-negative result or -errno; none sets errno
 * for the caller, none prints, none exits.
 */
#ifndef RUNO_LIBNSEXEC_H
#define RUNO_LIBNSEXEC_H

#include <stdint.h>
#include <sys/types.h>

/* Every function below behind one symbol (c/call.c, c/calls.h): fn is a
 * RUNO_FN_* number, pointers go in a..d and integers in x..w, each in the
 * order of the function's parameters. -ENOSYS for an unknown fn. */
int64_t runo_call(uint32_t fn, void *a, void *b, void *c, void *d, int64_t x, int64_t y, int64_t z,
		  int64_t w);

/* Copy the executable at path into a memfd, seal it (F_SEAL_SEAL, SHRINK,
 * GROW, WRITE) and return the memfd (O_CLOEXEC). */
int runo_seal_exe(const char *path);

/* clone(CLONE_VM | CLONE_VFORK), then in the child (async-signal-safe calls
 * only): reset the signal mask and every handler to default, dup2 fds[i] to
 * i for i in [0, nfds) (a negative fds[i] leaves fd i closed), close every
 * other fd, and execveat(exe_fd, "", argv, {NULL}, AT_EMPTY_PATH). argv is args_len bytes
 * of NUL-terminated strings. Returns the child's pid. */
int runo_spawn(int exe_fd, const int32_t *fds, int nfds, const char *args, int args_len);

/* memfd_create(name, MFD_CLOEXEC). */
int runo_memfd(const char *name);

/* socketpair(AF_UNIX, SOCK_SEQPACKET|SOCK_CLOEXEC); pipe2(O_CLOEXEC).
 * out receives the two fds. */
int runo_socketpair(int32_t *out);
int runo_pipe(int32_t *out);

int64_t runo_send(int fd, const uint8_t *buf, uint64_t len);
/* One packet; returns its length, 0 when the peer closed. */
int64_t runo_recv(int fd, uint8_t *buf, uint64_t len);
/* recvmsg: one packet and the fd beside it (SCM_RIGHTS, CLOEXEC) in
 * *fd_out, -1 when none. */
int64_t runo_recv_with_fd(int fd, uint8_t *buf, uint64_t len, int32_t *fd_out);
/* connect to the unix stream socket at path, sendmsg buf with fd beside it
 * (SCM_RIGHTS), close. */
int64_t runo_unix_send_fd(const char *path, const uint8_t *buf, uint64_t len, int fd);
/* sendmsg buf with fd beside it (SCM_RIGHTS) on the connected socket sock. */
int64_t runo_send_fd(int sock, const uint8_t *buf, uint64_t len, int fd);
int64_t runo_read(int fd, uint8_t *buf, uint64_t len);
int64_t runo_write(int fd, const uint8_t *buf, uint64_t len);
int runo_open(const char *path, int flags, int mode);
int runo_close(int fd);

int runo_kill(int pid, int sig);
/* waitpid(pid, &status, options); status written to *status. */
int runo_waitpid(int pid, int32_t *status, int options);

int runo_mkfifo(const char *path, int mode);
int runo_flock(int fd, int op);
/* fcntl: add O_NONBLOCK to the file status flags. */
int runo_set_nonblock(int fd);
/* Read the one byte the init writes to the exec fifo at path; -ESRCH when
 * process pid exits first. */
int runo_await_fifo(const char *path, int pid);

/* Whole small files (procfs, cgroupfs): read up to len bytes / write len
 * bytes in one write(2). */
int64_t runo_read_file(const char *path, uint8_t *buf, uint64_t len);
int64_t runo_write_file(const char *path, const uint8_t *buf, uint64_t len);

/* A regular file, never opened before fstat says it is one (c/file_wrappers.c):
 * path as given (RUNO_READ_FOLLOW), inside root with symlinks resolved there
 * (RUNO_READ_IN_ROOT), or beneath root through no symlink at all
 * (RUNO_READ_BENEATH). info gets st_mode and st_size; a file that is not
 * regular is -EINVAL, more than len bytes -EFBIG. */
#define RUNO_READ_FOLLOW 0
#define RUNO_READ_IN_ROOT 1
#define RUNO_READ_BENEATH 2
int64_t runo_read_regular(const char *root, const char *path, uint8_t *buf, uint64_t len,
			  uint64_t *info, int mode);
/* statfs(2)'s f_type of path (CGROUP2_SUPER_MAGIC, …), or -errno. */
int64_t runo_statfs_type(const char *path);

/* cgroupfs directories and bpf(2) (c/cgroupfs_wrappers.c). */
int runo_mkdir(const char *path, int mode);
int runo_rmdir(const char *path);
int64_t runo_bpf(int cmd, uint8_t *attr, uint32_t size);
/* Subdirectory names of path, NUL-separated, in buf; bytes used or -errno. */
int64_t runo_list_subdirs(const char *path, uint8_t *buf, uint64_t len);
/* What runo waits on (c/event_wrappers.c): eventfd, memcg v1 notification,
 * inotify, pidfd, a poll of three fds (bitmask of the readable ones), a drain. */
int runo_eventfd(void);
int runo_memcg_eventfd(const char *control, const char *event_control);
int runo_inotify_watch(const char *path, uint32_t mask);
int runo_pidfd_open(int pid);
int runo_poll3(int a, int b, int c, int timeout_ms);
int64_t runo_drain(int fd);

/* Unix stream sockets, CLOEXEC (c/unix_socket_wrappers.c): connect to /
 * listen on path, accept one connection. */
int runo_connect_unix(const char *path);
int runo_listen_unix(const char *path);
int runo_accept(int fd);
/* sd_notify (c/unix_socket_wrappers.c): a nonblocking datagram socket bound at path
 * with the file's mode set; one datagram to path, fd beside it unless < 0. */
int runo_dgram_bind(const char *path, int mode);
int64_t runo_dgram_send(const char *path, const uint8_t *buf, uint64_t len, int fd);
/* Receive one fd (SCM_RIGHTS, CLOEXEC) and its payload as a C string in
 * name (len bytes); -EPIPE at EOF, -EBADMSG without an fd. */
int runo_recv_fd(int sock, uint8_t *name, uint64_t len);
/* Terminals (c/tty_wrappers.c): TIOCSWINSZ / TIOCGWINSZ (out: rows, cols). */
int runo_set_winsize(int fd, int rows, int cols);
int runo_get_winsize(int fd, int32_t *out);
/* Raw mode: saved receives the old termios (returns its size); restore it. */
int runo_tty_raw(int fd, uint8_t *saved, uint64_t len);
int runo_tty_restore(int fd, const uint8_t *saved, uint64_t len);
int runo_tty_clear_onlcr(int fd);
int runo_isatty(int fd);

/* OCI hooks (c/hook_spawn.c): fork, fds[0..2] become 0–2, every other fd
 * closed, execve(path, args, env); args/env are NUL-terminated lists of
 * args_len/env_len bytes (args non-empty). Returns the pid. */
int runo_spawn_hook(const char *path, const int32_t *fds, const char *args, int args_len,
		    const char *env, int env_len);

/* User namespaces (c/userns_wrappers.c): the CLONE_NEW* type of a
 * namespace file (0: not one); a detached tree of src idmapped with a user
 * namespace holding uidmap/gidmap (recursive bit 1: with its submounts;
 * bit 2: idmapping them too). */
int runo_ns_type(const char *path);
int runo_idmapped_tree(const char *src, int recursive, const char *uidmap, const char *gidmap);
/* 1 when our effective ids may create entries in the directory, 0 if not. */
int runo_can_write_dir(const char *path);

/* Host mounts (c/mount_wrappers.c): the (unique, where the kernel has it)
 * id of the mount path is on; umount2(path, MNT_DETACH|UMOUNT_NOFOLLOW). */
int runo_mount_id(const char *path, uint64_t *out);
int runo_umount_detach(const char *path);
/* Process attributes (c/process_wrappers.c): sched_setaffinity /
 * sched_getaffinity (bytes written) of pid (0: the calling thread) with a
 * mask of len bytes; PR_SET_CHILD_SUBREAPER. */
int runo_sched_setaffinity(int pid, const uint8_t *mask, uint64_t len);
int runo_sched_getaffinity(int pid, uint8_t *mask, uint64_t len);
int runo_set_subreaper(int on);

/* A NETLINK_ROUTE socket (CLOEXEC) in the network namespace netns_fd, or in
 * runo's own when netns_fd < 0 (c/netlink_wrappers.c). */
int runo_netlink_socket(int netns_fd);

/* seccomp(2) probes (c/seccomp_wrappers.c): 1 if the kernel has the action
 * (SECCOMP_GET_ACTION_AVAIL) / takes the filter flags, 0 if not. */
int runo_seccomp_action_avail(uint32_t action);
int runo_seccomp_flags_known(uint32_t flags);
/* A detached copy (open_tree OPEN_TREE_CLONE, AT_RECURSIVE when recursive)
 * of the mount at src, made in our namespaces for an init that may not
 * reach src from its user namespace: an O_CLOEXEC fd, or -errno. */
int runo_bind_tree(const char *src, int recursive);
/* mount(2), umount2(2) (c/mount_wrappers.c): the shim's rootfs mounts. */
int runo_mount(const char *source, const char *target, const char *fstype, uint64_t flags,
	       const char *data);
int runo_umount2(const char *target, int flags);
/* The cgroup migration lock kept warm (c/cgroup_warmer.c): a thread
 * writes our pid to procs, our own cgroup.procs, until the last stop. */
int runo_cgroup_warm_start(const char *procs);
int runo_cgroup_warm_stop(void);

#endif
