/*
 * Numbers and the operation schema shared with the TypeScript parent. The
 * block between the BEGIN and END markers is generated from
 * lib/bootstrap/ids.ts, the source of truth (`deno task gen-ids`; do not
 * edit it by hand); tests/unit/ids_drift_test.ts fails when it is stale.
 */
#ifndef RUNO_IDS_H
#define RUNO_IDS_H

/* BEGIN GENERATED from lib/bootstrap/ids.ts by `deno task gen-ids` */
#define RUNO_INIT_MSG 62000

#define RUNO_ATTR_CLONE_FLAGS 27281
#define RUNO_ATTR_NS_PATH 27282
#define RUNO_ATTR_UID_MAP 27283
#define RUNO_ATTR_GID_MAP 27284
#define RUNO_ATTR_SETGROUPS_DENY 27285
#define RUNO_ATTR_OOM_SCORE_ADJ 27286
#define RUNO_ATTR_LOG_LEVEL 27287
#define RUNO_ATTR_OP 27288
#define RUNO_ATTR_UIDMAP_PATH 27289
#define RUNO_ATTR_GIDMAP_PATH 27290
#define RUNO_ATTR_TIMENS_OFFSETS 27291
#define RUNO_ATTR_JOIN_PIDFD 27292

#define RUNO_FIELD_CODE 1
#define RUNO_FIELD_SOURCE 2
#define RUNO_FIELD_TARGET 3
#define RUNO_FIELD_FSTYPE 4
#define RUNO_FIELD_DATA 5
#define RUNO_FIELD_FLAGS 6
#define RUNO_FIELD_MODE 7
#define RUNO_FIELD_DEV 8
#define RUNO_FIELD_UID 9
#define RUNO_FIELD_GID 10
#define RUNO_FIELD_FD 11
#define RUNO_FIELD_ARG 12
#define RUNO_FIELD_ENV 13
#define RUNO_FIELD_IDS 14
#define RUNO_FIELD_NUM 15
#define RUNO_FIELD_VALUE 16
#define RUNO_FIELD_VALUE2 17
#define RUNO_FIELD_BYTES 18
#define RUNO_FIELD_OPTS 19
#define RUNO_FIELD_EFFECTIVE 20
#define RUNO_FIELD_PERMITTED 21
#define RUNO_FIELD_INHERITABLE 22
#define RUNO_FIELD_AMBIENT 23
#define RUNO_FIELD_BOUNDING 24
#define RUNO_FIELD_SLOT 25
#define RUNO_FIELD_UNDER 26
#define RUNO_FIELD_SUBPATH 27
#define RUNO_FIELD_MAX 27

#define RUNO_OP_MOUNT 1
#define RUNO_OP_SET_ROOT 2
#define RUNO_OP_MOUNT_IN_ROOT 3
#define RUNO_OP_MKNOD_IN_ROOT 4
#define RUNO_OP_SYMLINK_IN_ROOT 5
#define RUNO_OP_MKDIR_IN_ROOT 6
#define RUNO_OP_PIVOT_ROOT 7
#define RUNO_OP_MOVE_ROOT 8
#define RUNO_OP_SETHOSTNAME 9
#define RUNO_OP_SETDOMAINNAME 10
#define RUNO_OP_WRITE_FILE 11
#define RUNO_OP_SYNC_READY 12
#define RUNO_OP_SETRLIMIT 13
#define RUNO_OP_SETGROUPS 14
#define RUNO_OP_SETGID 15
#define RUNO_OP_SETUID 16
#define RUNO_OP_UMASK 17
#define RUNO_OP_CHDIR 18
#define RUNO_OP_CLOEXEC_FROM 19
#define RUNO_OP_LOOKUP_EXEC 20
#define RUNO_OP_CLOSE_INIT_PIPE 21
#define RUNO_OP_FIFO_WAIT 22
#define RUNO_OP_EXEC 23
#define RUNO_OP_REMOUNT 24
#define RUNO_OP_NO_NEW_PRIVS 25
#define RUNO_OP_SECCOMP 26
#define RUNO_OP_KEEPCAPS 27
#define RUNO_OP_CAP_BOUNDING 28
#define RUNO_OP_CAPSET 29
#define RUNO_OP_CAP_AMBIENT 30
#define RUNO_OP_MASK_PATH 31
#define RUNO_OP_READONLY_PATH 32
#define RUNO_OP_PERSONALITY 33
#define RUNO_OP_CHROOT 34
#define RUNO_OP_HIDE_MOUNT 35
#define RUNO_OP_SETATTR_IN_ROOT 36
#define RUNO_OP_DROP_MOUNT_SLOTS 37
#define RUNO_OP_LINK_UP 38
#define RUNO_OP_IOPRIO_SET 40
#define RUNO_OP_SCHED_SETATTR 41
#define RUNO_OP_SET_MEMPOLICY 42
#define RUNO_OP_CONSOLE 60
#define RUNO_OP_CHOWN_STDIO 61
#define RUNO_OP_RUN_HOOK 80
#define RUNO_OP_ATTACH_TREE_IN_ROOT 100

/* Bit of field RUNO_FIELD_<name> in a field mask (struct runo_op.has). */
#define RUNO_F(name) (1ull << RUNO_FIELD_##name)
/* X(name, fields it needs, other fields it may have) for every op; CODE
 * is implied. ARG and ENV are never needed: an empty list sends none. */
#define RUNO_OPS(X) \
	X(MOUNT, RUNO_F(TARGET) | RUNO_F(FLAGS), RUNO_F(SOURCE) | RUNO_F(FSTYPE) | RUNO_F(DATA)) \
	X(SET_ROOT, RUNO_F(TARGET), 0) \
	X(MOUNT_IN_ROOT, RUNO_F(TARGET) | RUNO_F(FLAGS) | RUNO_F(OPTS), RUNO_F(SOURCE) | RUNO_F(FSTYPE) | RUNO_F(DATA) | RUNO_F(NUM) | RUNO_F(SLOT) | RUNO_F(UNDER) | RUNO_F(SUBPATH)) \
	X(MKNOD_IN_ROOT, RUNO_F(TARGET) | RUNO_F(MODE) | RUNO_F(DEV), RUNO_F(UID) | RUNO_F(GID) | RUNO_F(UNDER) | RUNO_F(SUBPATH)) \
	X(SYMLINK_IN_ROOT, RUNO_F(SOURCE) | RUNO_F(TARGET), RUNO_F(OPTS) | RUNO_F(UNDER) | RUNO_F(SUBPATH)) \
	X(MKDIR_IN_ROOT, RUNO_F(TARGET), RUNO_F(MODE)) \
	X(PIVOT_ROOT, RUNO_F(TARGET), 0) \
	X(MOVE_ROOT, RUNO_F(TARGET), 0) \
	X(SETHOSTNAME, RUNO_F(DATA), 0) \
	X(SETDOMAINNAME, RUNO_F(DATA), 0) \
	X(WRITE_FILE, RUNO_F(TARGET) | RUNO_F(DATA), 0) \
	X(SYNC_READY, 0, 0) \
	X(SETRLIMIT, RUNO_F(NUM) | RUNO_F(VALUE) | RUNO_F(VALUE2), 0) \
	X(SETGROUPS, RUNO_F(IDS), 0) \
	X(SETGID, RUNO_F(GID), 0) \
	X(SETUID, RUNO_F(UID), 0) \
	X(UMASK, RUNO_F(MODE), 0) \
	X(CHDIR, RUNO_F(TARGET), 0) \
	X(CLOEXEC_FROM, RUNO_F(NUM), 0) \
	X(LOOKUP_EXEC, RUNO_F(SOURCE) | RUNO_F(DATA), 0) \
	X(CLOSE_INIT_PIPE, 0, 0) \
	X(FIFO_WAIT, RUNO_F(FD), 0) \
	X(EXEC, 0, RUNO_F(SOURCE) | RUNO_F(ARG) | RUNO_F(ENV)) \
	X(REMOUNT, RUNO_F(TARGET) | RUNO_F(FLAGS), RUNO_F(DATA) | RUNO_F(SLOT)) \
	X(NO_NEW_PRIVS, 0, 0) \
	X(SECCOMP, RUNO_F(FLAGS) | RUNO_F(BYTES), 0) \
	X(KEEPCAPS, RUNO_F(NUM), 0) \
	X(CAP_BOUNDING, RUNO_F(NUM) | RUNO_F(BOUNDING), 0) \
	X(CAPSET, RUNO_F(EFFECTIVE) | RUNO_F(PERMITTED) | RUNO_F(INHERITABLE), 0) \
	X(CAP_AMBIENT, RUNO_F(AMBIENT), 0) \
	X(MASK_PATH, RUNO_F(TARGET), 0) \
	X(READONLY_PATH, RUNO_F(TARGET), 0) \
	X(PERSONALITY, RUNO_F(NUM), 0) \
	X(CHROOT, RUNO_F(TARGET), RUNO_F(FD)) \
	X(HIDE_MOUNT, RUNO_F(TARGET), 0) \
	X(SETATTR_IN_ROOT, RUNO_F(TARGET) | RUNO_F(VALUE) | RUNO_F(VALUE2), RUNO_F(OPTS) | RUNO_F(SLOT)) \
	X(DROP_MOUNT_SLOTS, 0, 0) \
	X(LINK_UP, RUNO_F(TARGET), 0) \
	X(IOPRIO_SET, RUNO_F(NUM), 0) \
	X(SCHED_SETATTR, RUNO_F(BYTES), 0) \
	X(SET_MEMPOLICY, RUNO_F(NUM), RUNO_F(BYTES)) \
	X(CONSOLE, RUNO_F(SOURCE) | RUNO_F(FD), RUNO_F(TARGET) | RUNO_F(VALUE) | RUNO_F(VALUE2) | RUNO_F(UNDER) | RUNO_F(SUBPATH)) \
	X(CHOWN_STDIO, RUNO_F(UID), 0) \
	X(RUN_HOOK, RUNO_F(SOURCE) | RUNO_F(DATA) | RUNO_F(FD) | RUNO_F(NUM) | RUNO_F(VALUE), RUNO_F(ARG) | RUNO_F(ENV)) \
	X(ATTACH_TREE_IN_ROOT, RUNO_F(TARGET) | RUNO_F(FD), RUNO_F(SLOT) | RUNO_F(UNDER) | RUNO_F(SUBPATH))
/* X(name) for every field, in number order from CODE. */
#define RUNO_FIELDS(X) X(CODE) X(SOURCE) X(TARGET) X(FSTYPE) X(DATA) X(FLAGS) X(MODE) X(DEV) X(UID) X(GID) X(FD) X(ARG) X(ENV) X(IDS) X(NUM) X(VALUE) X(VALUE2) X(BYTES) X(OPTS) X(EFFECTIVE) X(PERMITTED) X(INHERITABLE) X(AMBIENT) X(BOUNDING) X(SLOT) X(UNDER) X(SUBPATH)

#define RUNO_MOUNTOPT_MKDIR (1 << 0)
#define RUNO_MOUNTOPT_MKFILE (1 << 1)
#define RUNO_MOUNTOPT_LIKE_SOURCE (1 << 2)
#define RUNO_MOUNTOPT_KEEP_LOCKED (1 << 3)
#define RUNO_MOUNTOPT_REPLACE (1 << 4)
#define RUNO_MOUNTOPT_IF_EXISTS (1 << 5)
#define RUNO_MOUNTOPT_NOT_ON_PROCFS (1 << 6)
#define RUNO_MOUNTOPT_ORDINARY_DIR (1 << 7)
#define RUNO_MOUNTOPT_FSMOUNT (1 << 8)
#define RUNO_MOUNTOPT_ON_LAST_MOUNT (1 << 9)

#define RUNO_LOGLEVEL_ERROR 0
#define RUNO_LOGLEVEL_WARN 1
#define RUNO_LOGLEVEL_INFO 2
#define RUNO_LOGLEVEL_DEBUG 3

#define RUNO_MAX_BOOTSTRAP (1 << 20)
#define RUNO_MAX_MOUNT_SLOTS 256

/* X(errno, its strerror text) for every errno in ffi/errno.ts. */
#define RUNO_ERRNO_TEXTS(X) \
	X(1, "Operation not permitted") \
	X(2, "No such file or directory") \
	X(3, "No such process") \
	X(4, "Interrupted system call") \
	X(5, "Input/output error") \
	X(6, "No such device or address") \
	X(7, "Argument list too long") \
	X(8, "Exec format error") \
	X(9, "Bad file descriptor") \
	X(10, "No child processes") \
	X(11, "Resource temporarily unavailable") \
	X(12, "Cannot allocate memory") \
	X(13, "Permission denied") \
	X(14, "Bad address") \
	X(15, "Block device required") \
	X(16, "Device or resource busy") \
	X(17, "File exists") \
	X(18, "Invalid cross-device link") \
	X(19, "No such device") \
	X(20, "Not a directory") \
	X(21, "Is a directory") \
	X(22, "Invalid argument") \
	X(23, "Too many open files in system") \
	X(24, "Too many open files") \
	X(25, "Inappropriate ioctl for device") \
	X(26, "Text file busy") \
	X(27, "File too large") \
	X(28, "No space left on device") \
	X(29, "Illegal seek") \
	X(30, "Read-only file system") \
	X(31, "Too many links") \
	X(32, "Broken pipe") \
	X(33, "Numerical argument out of domain") \
	X(34, "Numerical result out of range") \
	X(35, "Resource deadlock avoided") \
	X(36, "File name too long") \
	X(37, "No locks available") \
	X(38, "Function not implemented") \
	X(39, "Directory not empty") \
	X(40, "Too many levels of symbolic links") \
	X(42, "No message of desired type") \
	X(43, "Identifier removed") \
	X(44, "Channel number out of range") \
	X(45, "Level 2 not synchronized") \
	X(46, "Level 3 halted") \
	X(47, "Level 3 reset") \
	X(48, "Link number out of range") \
	X(49, "Protocol driver not attached") \
	X(50, "No CSI structure available") \
	X(51, "Level 2 halted") \
	X(52, "Invalid exchange") \
	X(53, "Invalid request descriptor") \
	X(54, "Exchange full") \
	X(55, "No anode") \
	X(56, "Invalid request code") \
	X(57, "Invalid slot") \
	X(59, "Bad font file format") \
	X(60, "Device not a stream") \
	X(61, "No data available") \
	X(62, "Timer expired") \
	X(63, "Out of streams resources") \
	X(64, "Machine is not on the network") \
	X(65, "Package not installed") \
	X(66, "Object is remote") \
	X(67, "Link has been severed") \
	X(68, "Advertise error") \
	X(69, "Srmount error") \
	X(70, "Communication error on send") \
	X(71, "Protocol error") \
	X(72, "Multihop attempted") \
	X(73, "RFS specific error") \
	X(74, "Bad message") \
	X(75, "Value too large for defined data type") \
	X(76, "Name not unique on network") \
	X(77, "File descriptor in bad state") \
	X(78, "Remote address changed") \
	X(79, "Can not access a needed shared library") \
	X(80, "Accessing a corrupted shared library") \
	X(81, ".lib section in a.out corrupted") \
	X(82, "Attempting to link in too many shared libraries") \
	X(83, "Cannot exec a shared library directly") \
	X(84, "Invalid or incomplete multibyte or wide character") \
	X(85, "Interrupted system call should be restarted") \
	X(86, "Streams pipe error") \
	X(87, "Too many users") \
	X(88, "Socket operation on non-socket") \
	X(89, "Destination address required") \
	X(90, "Message too long") \
	X(91, "Protocol wrong type for socket") \
	X(92, "Protocol not available") \
	X(93, "Protocol not supported") \
	X(94, "Socket type not supported") \
	X(95, "Operation not supported") \
	X(96, "Protocol family not supported") \
	X(97, "Address family not supported by protocol") \
	X(98, "Address already in use") \
	X(99, "Cannot assign requested address") \
	X(100, "Network is down") \
	X(101, "Network is unreachable") \
	X(102, "Network dropped connection on reset") \
	X(103, "Software caused connection abort") \
	X(104, "Connection reset by peer") \
	X(105, "No buffer space available") \
	X(106, "Transport endpoint is already connected") \
	X(107, "Transport endpoint is not connected") \
	X(108, "Cannot send after transport endpoint shutdown") \
	X(109, "Too many references: cannot splice") \
	X(110, "Connection timed out") \
	X(111, "Connection refused") \
	X(112, "Host is down") \
	X(113, "No route to host") \
	X(114, "Operation already in progress") \
	X(115, "Operation now in progress") \
	X(116, "Stale file handle") \
	X(117, "Structure needs cleaning") \
	X(118, "Not a XENIX named type file") \
	X(119, "No XENIX semaphores available") \
	X(120, "Is a named type file") \
	X(121, "Remote I/O error") \
	X(122, "Disk quota exceeded") \
	X(123, "No medium found") \
	X(124, "Wrong medium type") \
	X(125, "Operation canceled") \
	X(126, "Required key not available") \
	X(127, "Key has expired") \
	X(128, "Key has been revoked") \
	X(129, "Key was rejected by service") \
	X(130, "Owner died") \
	X(131, "State not recoverable") \
	X(132, "Operation not possible due to RF-kill") \
	X(133, "Memory page has hardware error")

/* X(signal, its name) for every signal in lib/process/signals.ts. */
#define RUNO_SIGNAL_NAMES(X) \
	X(1, "SIGHUP") \
	X(2, "SIGINT") \
	X(3, "SIGQUIT") \
	X(4, "SIGILL") \
	X(5, "SIGTRAP") \
	X(6, "SIGABRT") \
	X(7, "SIGBUS") \
	X(8, "SIGFPE") \
	X(9, "SIGKILL") \
	X(10, "SIGUSR1") \
	X(11, "SIGSEGV") \
	X(12, "SIGUSR2") \
	X(13, "SIGPIPE") \
	X(14, "SIGALRM") \
	X(15, "SIGTERM") \
	X(16, "SIGSTKFLT") \
	X(17, "SIGCHLD") \
	X(18, "SIGCONT") \
	X(19, "SIGSTOP") \
	X(20, "SIGTSTP") \
	X(21, "SIGTTIN") \
	X(22, "SIGTTOU") \
	X(23, "SIGURG") \
	X(24, "SIGXCPU") \
	X(25, "SIGXFSZ") \
	X(26, "SIGVTALRM") \
	X(27, "SIGPROF") \
	X(28, "SIGWINCH") \
	X(29, "SIGIO") \
	X(30, "SIGPWR") \
	X(31, "SIGSYS")
/* END GENERATED */

#endif
