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

/*
 * A new, detached filesystem of fstype: source and data ("k=v,flag,...")
 * through fsconfig, mount(2) flags turned into superblock parameters and
 * mount attributes. -EINVAL for a flag the new API has no equivalent for.
 */
int fdmount_new_fs(const char *fstype, const char *source, unsigned long flags, const char *data);

/* mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0)). */
int fdmount_setattr(int fd, int recursive, unsigned long long set, unsigned long long clr);

#endif
