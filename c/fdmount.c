/* Mounts from file descriptors (c/fdmount.h). */
#define _GNU_SOURCE
#include "fdmount.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "cleanup.h"

int fdmount_clone(int src, int recursive)
{
	unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH;
	int fd = open_tree(src, "", flags | (recursive ? AT_RECURSIVE : 0));

	return fd < 0 ? -errno : fd;
}

int fdmount_attach(int mnt, int dst)
{
	if (move_mount(mnt, "", dst, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return -errno;
	return 0;
}

int fdmount_bind(int src, int dst, int recursive)
{
	cleanup_close int tree = fdmount_clone(src, recursive);

	return tree < 0 ? tree : fdmount_attach(tree, dst);
}

int fdmount_setattr(int fd, int recursive, unsigned long long set, unsigned long long clr)
{
	struct mount_attr attr = { .attr_set = set, .attr_clr = clr };
	unsigned int flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);

	return mount_setattr(fd, "", flags, &attr, sizeof(attr)) < 0 ? -errno : 0;
}

/* mount(2) flags: per-mount attributes, or superblock parameters. */
static const struct { unsigned long ms; unsigned int attr; const char *param; } flag_map[] = {
	{ MS_RDONLY, MOUNT_ATTR_RDONLY, "ro" },
	{ MS_NOSUID, MOUNT_ATTR_NOSUID, NULL },
	{ MS_NODEV, MOUNT_ATTR_NODEV, NULL },
	{ MS_NOEXEC, MOUNT_ATTR_NOEXEC, NULL },
	{ MS_NOATIME, MOUNT_ATTR_NOATIME, NULL },
	{ MS_STRICTATIME, MOUNT_ATTR_STRICTATIME, NULL },
	{ MS_RELATIME, MOUNT_ATTR_RELATIME, NULL },
	{ MS_NODIRATIME, MOUNT_ATTR_NODIRATIME, NULL },
	{ MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW, NULL },
	{ MS_SYNCHRONOUS, 0, "sync" },
	{ MS_DIRSYNC, 0, "dirsync" },
	{ MS_LAZYTIME, 0, "lazytime" },
	{ MS_MANDLOCK, 0, "mand" },
	{ MS_SILENT, 0, "silent" },
};

/* Sets the superblock flags of flags on ctx; returns the mount attributes. */
static int apply_flags(int ctx, unsigned long flags, unsigned int *attrs)
{
	*attrs = 0;
	for (size_t i = 0; i < sizeof(flag_map) / sizeof(flag_map[0]); i++) {
		if (!(flags & flag_map[i].ms))
			continue;
		flags &= ~flag_map[i].ms;
		*attrs |= flag_map[i].attr;
		if (flag_map[i].param &&
		    fsconfig(ctx, FSCONFIG_SET_FLAG, flag_map[i].param, NULL, 0) < 0)
			return -errno;
	}
	return flags == 0 ? 0 : -EINVAL;
}

/* Each "key=value" or "flag" of data, comma separated, through fsconfig. */
static int apply_data(int ctx, const char *data)
{
	char *copy, *save = NULL;
	int rc = 0;

	if (data == NULL || *data == '\0')
		return 0;
	if ((copy = strdup(data)) == NULL)
		return -ENOMEM;
	for (char *opt = strtok_r(copy, ",", &save); opt && rc == 0; opt = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(opt, '=');

		if (eq != NULL)
			*eq = '\0';
		if (fsconfig(ctx, eq ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, opt, eq ? eq + 1 : NULL,
			     0) < 0)
			rc = -errno;
	}
	free(copy);
	return rc;
}

int fdmount_new_fs(const char *fstype, const char *source, unsigned long flags, const char *data)
{
	cleanup_close int ctx = fsopen(fstype, FSOPEN_CLOEXEC);
	int mnt = -1, rc;
	unsigned int attrs = 0;

	if (ctx < 0)
		return -errno;
	if (source != NULL && *source != '\0' &&
	    fsconfig(ctx, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		rc = -errno;
	else if ((rc = apply_flags(ctx, flags, &attrs)) == 0 && (rc = apply_data(ctx, data)) == 0) {
		if (fsconfig(ctx, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0 ||
		    (mnt = fsmount(ctx, FSMOUNT_CLOEXEC, attrs)) < 0)
			rc = -errno;
	}
	return rc < 0 ? rc : mnt;
}
