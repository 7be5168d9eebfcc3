/*
 * Mounts made from file descriptors with the new mount API (open_tree,
 * move_mount, fsopen/fsconfig/fsmount, mount_setattr): the source and the
 * target are files the init opened and checked, so nothing renamed,
 * symlinked or mounted meanwhile can change which files are used. Each
 * returns 0 or an fd, or -errno with no message (callers name the paths).
 */
#ifndef RUNO_FDMOUNT_H
#define RUNO_FDMOUNT_H

/* A detached copy of the mount at src's file (recursive: its submounts
 * too), as `mount --bind` (or --rbind) would attach it. */
int fdmount_clone(int src, int recursive);

/* Attaches the detached mount mnt onto the file dst names (and keeps mnt
 * open: once attached it can be cloned again). */
int fdmount_attach(int mnt, int dst);

/* fdmount_clone then fdmount_attach; the clone is closed. */
int fdmount_bind(int src, int dst, int recursive);

/* Where fdmount_new_fs failed: the option it was setting ("source",
 * "size=1x", "sync"; "" for the create itself) and the kernel's message
 * from the fs context's log ("" if none). */
struct fdmount_why {
	char option[256];
	char log[256];
};

/*
 * A new, detached filesystem of fstype: source and data ("k=v,flag,...",
 * split by fdmount_next_option) through fsconfig, mount(2) flags turned
 * into superblock parameters and mount attributes. -EINVAL for a flag the
 * new API has no equivalent for. why (may be NULL) says what failed.
 */
int fdmount_new_fs(const char *fstype, const char *source, unsigned long flags, const char *data,
		   struct fdmount_why *why);

/*
 * The next option of a mount data string at *cursor, cut out in place, or
 * NULL after the last. Options are separated by commas outside double
 * quotes, and the quotes are dropped: `context="u:r:t:s0:c1,c2"` is one
 * option with the value u:r:t:s0:c1,c2, as mount(2) (SELinux's own parse,
 * which strips the quotes) and mount(8) read it.
 */
char *fdmount_next_option(char **cursor);

/* mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0)). */
int fdmount_setattr(int fd, int recursive, unsigned long long set, unsigned long long clr);

#endif
