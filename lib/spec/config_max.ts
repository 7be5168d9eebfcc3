// The size cap of a config.json or process.json, apart from load.ts so
// that exec's --process reads it without loading the bundle loader.
//
// Permissions: none.

/**
 * The most runo reads of a config.json or a process.json: far above any
 * real config (runc's own default is 2.5 KB, a large seccomp profile
 * ~100 KB), far below what would hurt. /dev/zero as a config is refused
 * for not being a regular file before this matters.
 */
export const CONFIG_MAX = 16 << 20;
