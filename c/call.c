/*
 * runo_call: every libnsexec.so function behind one symbol (c/calls.h says
 * why). Pointers come in a..d and integers in x..w, each in the order of
 * the function's own parameters; an unknown number is -ENOSYS.
 */
#include <errno.h>

#include "calls.h"
#include "libnsexec.h"

int64_t runo_call(uint32_t fn, void *a, void *b, void *c, void *d, int64_t x, int64_t y, int64_t z,
		  int64_t w)
{
	switch (fn) {
	case RUNO_FN_SEAL_EXE:
		return runo_seal_exe(a);
	case RUNO_FN_SPAWN:
		return runo_spawn((int)x, a, (int)y, b, (int)z);
	case RUNO_FN_MEMFD:
		return runo_memfd(a);
	case RUNO_FN_SOCKETPAIR:
		return runo_socketpair(a);
	case RUNO_FN_PIPE:
		return runo_pipe(a);
	case RUNO_FN_SEND:
		return runo_send((int)x, a, (uint64_t)y);
	case RUNO_FN_RECV:
		return runo_recv((int)x, a, (uint64_t)y);
	case RUNO_FN_RECV_WITH_FD:
		return runo_recv_with_fd((int)x, a, (uint64_t)y, b);
	case RUNO_FN_UNIX_SEND_FD:
		return runo_unix_send_fd(a, b, (uint64_t)x, (int)y);
	case RUNO_FN_READ:
		return runo_read((int)x, a, (uint64_t)y);
	case RUNO_FN_WRITE:
		return runo_write((int)x, a, (uint64_t)y);
	case RUNO_FN_OPEN:
		return runo_open(a, (int)x, (int)y);
	case RUNO_FN_CLOSE:
		return runo_close((int)x);
	case RUNO_FN_KILL:
		return runo_kill((int)x, (int)y);
	case RUNO_FN_WAITPID:
		return runo_waitpid((int)x, a, (int)y);
	case RUNO_FN_MKFIFO:
		return runo_mkfifo(a, (int)x);
	case RUNO_FN_FLOCK:
		return runo_flock((int)x, (int)y);
	case RUNO_FN_SET_NONBLOCK:
		return runo_set_nonblock((int)x);
	case RUNO_FN_AWAIT_FIFO:
		return runo_await_fifo(a, (int)x);
	case RUNO_FN_READ_FILE:
		return runo_read_file(a, b, (uint64_t)x);
	case RUNO_FN_READ_REGULAR:
		return runo_read_regular(a, b, c, (uint64_t)x, d, (int)y);
	case RUNO_FN_WRITE_FILE:
		return runo_write_file(a, b, (uint64_t)x);
	case RUNO_FN_MKDIR:
		return runo_mkdir(a, (int)x);
	case RUNO_FN_RMDIR:
		return runo_rmdir(a);
	case RUNO_FN_BPF:
		return runo_bpf((int)x, a, (uint32_t)y);
	case RUNO_FN_LIST_SUBDIRS:
		return runo_list_subdirs(a, b, (uint64_t)x);
	case RUNO_FN_CONNECT_UNIX:
		return runo_connect_unix(a);
	case RUNO_FN_LISTEN_UNIX:
		return runo_listen_unix(a);
	case RUNO_FN_ACCEPT:
		return runo_accept((int)x);
	case RUNO_FN_RECV_FD:
		return runo_recv_fd((int)x, a, (uint64_t)y);
	case RUNO_FN_SET_WINSIZE:
		return runo_set_winsize((int)x, (int)y, (int)z);
	case RUNO_FN_GET_WINSIZE:
		return runo_get_winsize((int)x, a);
	case RUNO_FN_TTY_RAW:
		return runo_tty_raw((int)x, a, (uint64_t)y);
	case RUNO_FN_TTY_RESTORE:
		return runo_tty_restore((int)x, a, (uint64_t)y);
	case RUNO_FN_TTY_CLEAR_ONLCR:
		return runo_tty_clear_onlcr((int)x);
	case RUNO_FN_ISATTY:
		return runo_isatty((int)x);
	case RUNO_FN_SPAWN_HOOK:
		return runo_spawn_hook(a, b, c, (int)x, d, (int)y);
	case RUNO_FN_NS_TYPE:
		return runo_ns_type(a);
	case RUNO_FN_IDMAPPED_TREE:
		return runo_idmapped_tree(a, (int)x, b, c);
	case RUNO_FN_CAN_WRITE_DIR:
		return runo_can_write_dir(a);
	case RUNO_FN_EVENTFD:
		return runo_eventfd();
	case RUNO_FN_MEMCG_EVENTFD:
		return runo_memcg_eventfd(a, b);
	case RUNO_FN_INOTIFY_WATCH:
		return runo_inotify_watch(a, (uint32_t)x);
	case RUNO_FN_PIDFD_OPEN:
		return runo_pidfd_open((int)x);
	case RUNO_FN_POLL3:
		return runo_poll3((int)x, (int)y, (int)z, (int)w);
	case RUNO_FN_DRAIN:
		return runo_drain((int)x);
	case RUNO_FN_DGRAM_BIND:
		return runo_dgram_bind(a, (int)x);
	case RUNO_FN_DGRAM_SEND:
		return runo_dgram_send(a, b, (uint64_t)x, (int)y);
	case RUNO_FN_MOUNT_ID:
		return runo_mount_id(a, b);
	case RUNO_FN_UMOUNT_DETACH:
		return runo_umount_detach(a);
	case RUNO_FN_SEND_FD:
		return runo_send_fd((int)x, a, (uint64_t)y, (int)z);
	case RUNO_FN_SCHED_SETAFFINITY:
		return runo_sched_setaffinity((int)x, a, (uint64_t)y);
	case RUNO_FN_SCHED_GETAFFINITY:
		return runo_sched_getaffinity((int)x, a, (uint64_t)y);
	case RUNO_FN_SET_SUBREAPER:
		return runo_set_subreaper((int)x);
	case RUNO_FN_NETLINK_SOCKET:
		return runo_netlink_socket((int)x);
	case RUNO_FN_SECCOMP_ACTION_AVAIL:
		return runo_seccomp_action_avail((uint32_t)x);
	case RUNO_FN_SECCOMP_FLAGS_KNOWN:
		return runo_seccomp_flags_known((uint32_t)x);
	case RUNO_FN_STATFS_TYPE:
		return runo_statfs_type(a);
	case RUNO_FN_BIND_TREE:
		return runo_bind_tree(a, (int)x);
	case RUNO_FN_MOUNT:
		return runo_mount(a, b, c, (uint64_t)x, d);
	case RUNO_FN_UMOUNT2:
		return runo_umount2(a, (int)x);
	default:
		return -ENOSYS;
	}
}
