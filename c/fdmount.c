/* Mounts from file descriptors (c/fdmount.h). */
#define _GNU_SOURCE
#include "fdmount.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kernel_api.h"
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
	/* mount(2) only: it quiets the filesystem's printk, and the new API
	 * logs to the fs context instead (fsconfig knows no "silent"). */
	{ MS_SILENT, 0, NULL },
	/* No fsconfig parameter: a filesystem that keeps i_version turns it
	 * on itself, and nothing (mountinfo included) shows it. */
	{ MS_I_VERSION, 0, NULL },
};

static void set_why(struct fdmount_why *why, const char *option)
{
	if (why != NULL)
		snprintf(why->option, sizeof(why->option), "%s", option);
}

/* The fs context's last message ("e tmpfs: Bad value for 'size'"), its
 * "e " dropped, into why->log: the kernel says there what it refused. */
static void read_log(int ctx, struct fdmount_why *why)
{
	char buf[sizeof(why->log) + 2];
	ssize_t n;

	if (why == NULL)
		return;
	while ((n = read(ctx, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(why->log, sizeof(why->log), "%.*s", (int)sizeof(why->log) - 1,
			 n > 2 && buf[1] == ' ' ? buf + 2 : buf);
	}
}

/* Sets the superblock flags of flags on ctx; returns the mount attributes. */
static int apply_flags(int ctx, unsigned long flags, unsigned int *attrs, struct fdmount_why *why)
{
	*attrs = 0;
	for (size_t i = 0; i < sizeof(flag_map) / sizeof(flag_map[0]); i++) {
		if (!(flags & flag_map[i].ms))
			continue;
		flags &= ~flag_map[i].ms;
		*attrs |= flag_map[i].attr;
		if (flag_map[i].param &&
		    fsconfig(ctx, FSCONFIG_SET_FLAG, flag_map[i].param, NULL, 0) < 0) {
			int err = errno;

			set_why(why, flag_map[i].param);
			return -err;
		}
	}
	if (flags == 0)
		return 0;
	if (why != NULL)
		snprintf(why->option, sizeof(why->option), "mount flags 0x%lx", flags);
	return -EINVAL;
}

char *fdmount_next_option(char **cursor)
{
	char *opt = *cursor, *in, *out;
	int quoted = 0;

	if (opt == NULL)
		return NULL;
	for (in = out = opt; *in != '\0' && (quoted || *in != ','); in++) {
		if (*in == '"')
			quoted = !quoted;
		else
			*out++ = *in;
	}
	*cursor = *in == ',' ? in + 1 : NULL;
	*out = '\0';
	return opt;
}

/* Each "key=value" or "flag" of data through fsconfig (fdmount_next_option). */
static int apply_data(int ctx, const char *data, struct fdmount_why *why)
{
	char *copy, *cursor, *opt;
	int rc = 0;

	if (data == NULL || *data == '\0')
		return 0;
	if ((copy = cursor = strdup(data)) == NULL)
		return -ENOMEM;
	while (rc == 0 && (opt = fdmount_next_option(&cursor)) != NULL) {
		char *eq = strchr(opt, '=');

		if (*opt == '\0')
			continue; /* "a,,b": mount(2) skips an empty option too */
		set_why(why, opt);
		if (eq != NULL)
			*eq = '\0';
		if (fsconfig(ctx, eq ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, opt, eq ? eq + 1 : NULL,
			     0) < 0)
			rc = -errno;
	}
	if (rc == 0)
		set_why(why, "");
	free(copy);
	return rc;
}

/*
 * "fuse.sshfs": fsopen takes the dotted name of a filesystem that has
 * subtypes (fuse, fuseblk; any other refuses it) but drops the part after
 * the dot, which mount(2) passes on as "subtype" (do_new_mount); so must we,
 * or mountinfo would say "fuse".
 */
static int apply_subtype(int ctx, const char *fstype, struct fdmount_why *why)
{
	const char *dot = strchr(fstype, '.');

	if (dot == NULL || dot[1] == '\0')
		return 0;
	if (fsconfig(ctx, FSCONFIG_SET_STRING, "subtype", dot + 1, 0) < 0) {
		int err = errno;

		set_why(why, "subtype");
		return -err;
	}
	return 0;
}

/* Source, subtype, flags and data onto ctx; the mount attributes into *attrs. */
static int configure(int ctx, const char *fstype, const char *source, unsigned long flags,
		     const char *data, unsigned int *attrs, struct fdmount_why *why)
{
	int rc;

	if (source != NULL && *source != '\0' &&
	    fsconfig(ctx, FSCONFIG_SET_STRING, "source", source, 0) < 0) {
		rc = -errno;
		set_why(why, "source");
		return rc;
	}
	if ((rc = apply_subtype(ctx, fstype, why)) < 0 || (rc = apply_flags(ctx, flags, attrs, why)) < 0)
		return rc;
	return apply_data(ctx, data, why);
}

int fdmount_new_fs(const char *fstype, const char *source, unsigned long flags, const char *data,
		   struct fdmount_why *why)
{
	cleanup_close int ctx = fsopen(fstype, FSOPEN_CLOEXEC);
	int mnt = -1, rc;
	unsigned int attrs = 0;

	if (why != NULL)
		why->option[0] = why->log[0] = '\0';
	if (ctx < 0)
		return -errno;
	if ((rc = configure(ctx, fstype, source, flags, data, &attrs, why)) == 0 &&
	    (fsconfig(ctx, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0 ||
	     (mnt = fsmount(ctx, FSMOUNT_CLOEXEC, attrs)) < 0))
		rc = -errno;
	if (rc < 0)
		read_log(ctx, why);
	return rc < 0 ? rc : mnt;
}
