/*
 * runo_call: every libnsexec.so function behind one symbol (c/calls.h says
 * why). Pointers come in a..d and integers in x..w, each in the order of
 * the function's own parameters; an unknown number is -ENOSYS. The cases
 * are split by concept, each group answering NOT_MINE for the others.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "calls.h"
#include "libnsexec.h"

struct call_args {
	void *a, *b, *c, *d;
	int64_t x, y, z, w;
};

/* No wrapper returns it: each returns a count, an fd, 0/1 or -errno. */
#define NOT_MINE INT64_MIN

/* Spawning, processes, pipes and the bytes and fds sent through them. */
static int64_t process_calls(uint32_t fn, const struct call_args *p)
{
	switch (fn) {
	case RUNO_FN_SEAL_EXE:
		return runo_seal_exe(p->a);
	case RUNO_FN_SPAWN:
		return runo_spawn((int)p->x, p->a, (int)p->y, p->b, (int)p->z);
	case RUNO_FN_SPAWN_HOOK:
		return runo_spawn_hook(p->a, p->b, p->c, (int)p->x, p->d, (int)p->y);
	case RUNO_FN_MEMFD:
		return runo_memfd(p->a);
	case RUNO_FN_SOCKETPAIR:
		return runo_socketpair(p->a);
	case RUNO_FN_PIPE:
		return runo_pipe(p->a);
	case RUNO_FN_SEND:
		return runo_send((int)p->x, p->a, (uint64_t)p->y);
	case RUNO_FN_RECV:
		return runo_recv((int)p->x, p->a, (uint64_t)p->y);
	case RUNO_FN_RECV_WITH_FD:
		return runo_recv_with_fd((int)p->x, p->a, (uint64_t)p->y, p->b);
	case RUNO_FN_SEND_FD:
		return runo_send_fd((int)p->x, p->a, (uint64_t)p->y, (int)p->z);
	case RUNO_FN_UNIX_SEND_FD:
		return runo_unix_send_fd(p->a, p->b, (uint64_t)p->x, (int)p->y);
	case RUNO_FN_READ:
		return runo_read((int)p->x, p->a, (uint64_t)p->y);
	case RUNO_FN_WRITE:
		return runo_write((int)p->x, p->a, (uint64_t)p->y);
	case RUNO_FN_OPEN:
		return runo_open(p->a, (int)p->x, (int)p->y);
	case RUNO_FN_CLOSE:
		return runo_close((int)p->x);
	case RUNO_FN_KILL:
		return runo_kill((int)p->x, (int)p->y);
	case RUNO_FN_WAITPID:
		return runo_waitpid((int)p->x, p->a, (int)p->y);
	case RUNO_FN_MKFIFO:
		return runo_mkfifo(p->a, (int)p->x);
	case RUNO_FN_FLOCK:
		return runo_flock((int)p->x, (int)p->y);
	case RUNO_FN_SET_NONBLOCK:
		return runo_set_nonblock((int)p->x);
	case RUNO_FN_AWAIT_FIFO:
		return runo_await_fifo(p->a, (int)p->x);
	case RUNO_FN_SET_SUBREAPER:
		return runo_set_subreaper((int)p->x);
	case RUNO_FN_SCHED_SETAFFINITY:
		return runo_sched_setaffinity((int)p->x, p->a, (uint64_t)p->y);
	case RUNO_FN_SCHED_GETAFFINITY:
		return runo_sched_getaffinity((int)p->x, p->a, (uint64_t)p->y);
	default:
		return NOT_MINE;
	}
}

/* Files, cgroupfs, mounts, namespaces and the kernel's features. */
static int64_t file_calls(uint32_t fn, const struct call_args *p)
{
	switch (fn) {
	case RUNO_FN_READ_FILE:
		return runo_read_file(p->a, p->b, (uint64_t)p->x);
	case RUNO_FN_READ_REGULAR:
		return runo_read_regular(p->a, p->b, p->c, (uint64_t)p->x, p->d, (int)p->y);
	case RUNO_FN_WRITE_FILE:
		return runo_write_file(p->a, p->b, (uint64_t)p->x);
	case RUNO_FN_STATFS_TYPE:
		return runo_statfs_type(p->a);
	case RUNO_FN_CAN_WRITE_DIR:
		return runo_can_write_dir(p->a);
	case RUNO_FN_MKDIR:
		return runo_mkdir(p->a, (int)p->x);
	case RUNO_FN_RMDIR:
		return runo_rmdir(p->a);
	case RUNO_FN_CGROUP_WARM_START:
		return runo_cgroup_warm_start(p->a);
	case RUNO_FN_CGROUP_WARM_STOP:
		return runo_cgroup_warm_stop();
	case RUNO_FN_BPF:
		return runo_bpf((int)p->x, p->a, (uint32_t)p->y);
	case RUNO_FN_LIST_SUBDIRS:
		return runo_list_subdirs(p->a, p->b, (uint64_t)p->x);
	case RUNO_FN_MOUNT_ID:
		return runo_mount_id(p->a, p->b);
	case RUNO_FN_UMOUNT_DETACH:
		return runo_umount_detach(p->a);
	case RUNO_FN_MOUNT:
		return runo_mount(p->a, p->b, p->c, (uint64_t)p->x, p->d);
	case RUNO_FN_UMOUNT2:
		return runo_umount2(p->a, (int)p->x);
	case RUNO_FN_BIND_TREE:
		return runo_bind_tree(p->a, (int)p->x);
	case RUNO_FN_IDMAPPED_TREE:
		return runo_idmapped_tree(p->a, (int)p->x, p->b, p->c);
	case RUNO_FN_NS_TYPE:
		return runo_ns_type(p->a);
	case RUNO_FN_NETLINK_SOCKET:
		return runo_netlink_socket((int)p->x);
	case RUNO_FN_SECCOMP_ACTION_AVAIL:
		return runo_seccomp_action_avail((uint32_t)p->x);
	case RUNO_FN_SECCOMP_FLAGS_KNOWN:
		return runo_seccomp_flags_known((uint32_t)p->x);
	default:
		return NOT_MINE;
	}
}

/* Unix sockets, terminals and the fds runo waits on. */
static int64_t wait_calls(uint32_t fn, const struct call_args *p)
{
	switch (fn) {
	case RUNO_FN_CONNECT_UNIX:
		return runo_connect_unix(p->a);
	case RUNO_FN_LISTEN_UNIX:
		return runo_listen_unix(p->a);
	case RUNO_FN_ACCEPT:
		return runo_accept((int)p->x);
	case RUNO_FN_RECV_FD:
		return runo_recv_fd((int)p->x, p->a, (uint64_t)p->y);
	case RUNO_FN_DGRAM_BIND:
		return runo_dgram_bind(p->a, (int)p->x);
	case RUNO_FN_DGRAM_SEND:
		return runo_dgram_send(p->a, p->b, (uint64_t)p->x, (int)p->y);
	case RUNO_FN_SET_WINSIZE:
		return runo_set_winsize((int)p->x, (int)p->y, (int)p->z);
	case RUNO_FN_GET_WINSIZE:
		return runo_get_winsize((int)p->x, p->a);
	case RUNO_FN_TTY_RAW:
		return runo_tty_raw((int)p->x, p->a, (uint64_t)p->y);
	case RUNO_FN_TTY_RESTORE:
		return runo_tty_restore((int)p->x, p->a, (uint64_t)p->y);
	case RUNO_FN_TTY_CLEAR_ONLCR:
		return runo_tty_clear_onlcr((int)p->x);
	case RUNO_FN_ISATTY:
		return runo_isatty((int)p->x);
	case RUNO_FN_EVENTFD:
		return runo_eventfd();
	case RUNO_FN_MEMCG_EVENTFD:
		return runo_memcg_eventfd(p->a, p->b);
	case RUNO_FN_INOTIFY_WATCH:
		return runo_inotify_watch(p->a, (uint32_t)p->x);
	case RUNO_FN_PIDFD_OPEN:
		return runo_pidfd_open((int)p->x);
	case RUNO_FN_POLL3:
		return runo_poll3((int)p->x, (int)p->y, (int)p->z, (int)p->w);
	case RUNO_FN_DRAIN:
		return runo_drain((int)p->x);
	default:
		return NOT_MINE;
	}
}

int64_t runo_call(uint32_t fn, void *a, void *b, void *c, void *d, int64_t x, int64_t y, int64_t z,
		  int64_t w)
{
	static int64_t (*const groups[])(uint32_t, const struct call_args *) = {
		process_calls,
		file_calls,
		wait_calls,
	};
	const struct call_args args = { a, b, c, d, x, y, z, w };

	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		int64_t rc = groups[i](fn, &args);

		if (rc != NOT_MINE)
			return rc;
	}
	return -ENOSYS;
}
