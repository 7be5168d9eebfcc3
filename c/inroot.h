/*
 * Paths "in root": resolved inside a root directory fd with
 * openat2(RESOLVE_IN_ROOT), so that neither ".." nor a symlink (relative or
 * absolute) inside an untrusted rootfs can lead out of it (CVE-2021-30465
 * and friends). Every function returns a new fd (O_CLOEXEC) or -errno.
 */
#ifndef RUNO_INROOT_H
#define RUNO_INROOT_H

#include <stddef.h>
#include <sys/types.h>

/* openat2(rootfd, path, flags|O_CLOEXEC, RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS). */
int inroot_open(int rootfd, const char *path, int flags);

/* inroot_open, but refusing any symlink on the way (ELOOP), the last
 * component included: the path is the file's own. */
int inroot_open_no_symlinks(int rootfd, const char *path, int flags);

/* mkdir -p path inside the root (new directories get mode); returns an
 * O_PATH fd of the final directory. */
int inroot_mkdir_all(int rootfd, const char *path, mode_t mode);

/* Splits path into its parent, created like mkdir -p with mode 0755 and
 * returned as an O_PATH fd, and its last component, copied into base. */
int inroot_parent(int rootfd, const char *path, char *base, size_t cap);

/* Creates path as an empty regular file with mode (parents 0755) unless it
 * exists; returns an O_PATH fd of it. */
int inroot_create_file(int rootfd, const char *path, mode_t mode);

#endif
