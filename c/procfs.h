/*
 * The init's procfs handles (runc's pathrs procfs handle, after
 * CVE-2025-52881): every access the init makes to /proc goes through an fd
 * of a procfs it verified, never through the path "/proc", which the
 * container's processes may cover, replace or point elsewhere. Functions
 * return an fd (O_CLOEXEC) or 0, or -errno with no message; callers name
 * the file in their runo_fail.
 */
#ifndef RUNO_PROCFS_H
#define RUNO_PROCFS_H

/* The host's /proc, as stage 0 sees it before joining anything: an
 * O_PATH fd of "/proc" that must be the root of a procfs. */
int procfs_open_host(void);

/*
 * A procfs nobody else can reach, for stage 2: a private instance of the
 * current pid namespace (fsopen/fsmount; with pids_only, subset=pid and
 * hidepid=ptraceable where the kernel has them, as runc's cached handle:
 * the one the init holds while the container may run has no /proc/sys to
 * lose), else a non-recursive detached clone of the /proc mount
 * (open_tree, which leaves every mount made on or under it behind; a fresh
 * procfs can be refused in a user namespace when /proc is overmounted).
 * Either must be the root of a procfs.
 */
int procfs_open_private(int pids_only);

/* 0 when fd is the root directory of a procfs (PROC_SUPER_MAGIC, inode
 * PROC_ROOT_INO), -EXDEV otherwise. */
int procfs_check_root(int fd);

/* openat2(proc, path, flags) beneath the handle, crossing no mount and
 * following no magic link ("self" is a plain symlink and allowed). */
int procfs_open(int proc, const char *path, int flags);

/* Reopens fd through proc's "self/fd/<fd>" with flags (an O_PATH fd of the
 * exec fifo opened for writing, the ptmx opened O_RDWR). */
int procfs_reopen(int proc, int fd, int flags);

/* Writes data to path under proc in one write(2), as kernel files want. */
int procfs_write(int proc, const char *path, const char *data);

/*
 * mount(2) onto the file fd names: "self/fd/<fd>" resolved from proc (made
 * the cwd for the call), so nothing mounted over the container's /proc can
 * redirect it. A source starting "self/fd/" is resolved the same way.
 */
int procfs_mount_on(int proc, const char *source, int fd, const char *fstype,
		    unsigned long flags, const void *data);

#endif
