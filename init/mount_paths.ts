// Container paths of mounts: lexical cleaning, and runc's rule for what may
// be mounted inside /proc (checkProcMount).
//
// Permissions: none.

import { ConfigError } from "../lib/spec/config_error.ts";

// Mounts allowed inside /proc: files lxcfs emulates, and a few runc allows
// (runc's checkProcMount validProcMounts, plus /proc/net/dev of older runc).
const VALID_PROC_MOUNTS = [
  "/proc/cpuinfo",
  "/proc/diskstats",
  "/proc/meminfo",
  "/proc/stat",
  "/proc/swaps",
  "/proc/uptime",
  "/proc/loadavg",
  "/proc/slabinfo",
  "/proc/net/dev",
  "/proc/sys/kernel/ns_last_pid",
  "/proc/sys/crypto/fips_enabled",
];

/** Lexically cleans an absolute path ("/a/./b/../c/" → "/a/c"). */
export function cleanPath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

export function joinPath(base: string, rel: string): string {
  return cleanPath(`${base}/${rel}`);
}

export function baseName(path: string): string {
  const clean = cleanPath(path);
  return clean.slice(clean.lastIndexOf("/") + 1);
}

/**
 * Refuses a destination inside /proc (runc's checkProcMount): only a proc
 * mount (or a bind of the host's /proc) may cover /proc itself, and only
 * the files in VALID_PROC_MOUNTS may be covered below it. Otherwise a
 * container could hide /proc/sys or similar behind a file it controls.
 */
export function checkProcMount(i: number, dest: string, type: string, source: string): void {
  if (dest !== "/proc" && !dest.startsWith("/proc/")) return;
  if (dest === "/proc") {
    if (type === "proc" || (type === "bind" && cleanPath(source) === "/proc")) return;
    throw new ConfigError(
      `/mounts/${i}/destination`,
      `Cannot mount on "${dest}": only a mount of type proc may cover /proc`,
    );
  }
  if (VALID_PROC_MOUNTS.includes(dest)) return;
  throw new ConfigError(
    `/mounts/${i}/destination`,
    `Cannot mount on "${dest}": it is inside /proc`,
  );
}
