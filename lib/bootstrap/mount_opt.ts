// The bits of the opts field of the "in root" operations: part of the
// contract of ids.ts (which re-exports it, and from which c/ids.h's block
// is generated), kept apart only for that file's size.
//
// Permissions: none.

/** Bits of the opts field of the "in root" operations. */
export const MountOpt = {
  /** create TARGET as a directory (mkdir -p) when missing. */
  MKDIR: 1 << 0,
  /** create TARGET as an empty file (parents as directories) when missing. */
  MKFILE: 1 << 1,
  /** create TARGET as a directory or a file, whichever SOURCE is. */
  LIKE_SOURCE: 1 << 2,
  /** OR the flags the kernel locked on TARGET into a remount. */
  KEEP_LOCKED: 1 << 3,
  /** unlink TARGET first if it exists. */
  REPLACE: 1 << 4,
  /** TARGET must already exist; skip the operation quietly if it does not. */
  IF_EXISTS: 1 << 5,
  /**
   * Refuse when TARGET, resolved in root, lies on a procfs: a symlink that
   * leads a mount into the container's /proc (runc's checkProcMount on the
   * resolved path; the literal path is checked by the planner).
   */
  NOT_ON_PROCFS: 1 << 6,
  /**
   * TARGET, reached with no symlink on the way (the last component
   * included), must be a directory: where proc and sysfs go (runc: "proc
   * must be mounted on ordinary directory").
   */
  ORDINARY_DIR: 1 << 7,
  /**
   * Make the filesystem detached (fsopen, fsconfig with SOURCE and DATA,
   * fsmount with FLAGS), check that its fstatfs magic is NUM when NUM is
   * given, then attach it onto TARGET: nothing can use it before it is
   * known to be the filesystem asked for, and its fd is kept for the
   * operations ON_LAST_MOUNT.
   */
  FSMOUNT: 1 << 8,
  /**
   * Act on the mount the previous MOUNT_IN_ROOT (a bind, or FSMOUNT) or
   * ATTACH_TREE_IN_ROOT attached, through the fd it kept, instead of
   * resolving TARGET again: a bind's propagation and its ro/nosuid
   * remount cannot land elsewhere when a path component is swapped
   * between the operations (a volume another container shares).
   */
  ON_LAST_MOUNT: 1 << 9,
} as const;
