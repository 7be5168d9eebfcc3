// The container's /dev: device nodes, /dev/ptmx and the /dev symlinks, as
// runc's prepareRootfs sets them up (createDevices, setupPtmx,
// setupDevSymlinks). runc does all of this unless /dev is a bind mount
// (needsSetupDev), whether or not /dev is a tmpfs.
//
// Devices are runc's defaults (null, zero, full, random, urandom, tty:
// character devices 0666 owned by 0:0) plus linux.devices; a config device
// replaces a default with the same path. /dev/ptmx is never a node: it is
// a symlink to pts/ptmx so that the container's devpts instance is used.
// In a user namespace mknod is refused, so, as runc does, the host's device
// is bound onto an empty file instead.
//
// Permissions: none.

import type { Device, Spec } from "../lib/spec/types.ts";
import type { PlanOp } from "../lib/bootstrap/plan.ts";
import { MountOpt } from "../lib/bootstrap/ids.ts";
import { MS } from "./mount_options.ts";
import { cleanPath, parseMount } from "./mounts.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { S_IF } from "../lib/spec/parse_linux.ts";

/** runc's AllowedDevices that have a path. */
export const DEFAULT_DEVICES: readonly Device[] = [
  { path: "/dev/null", type: "c", major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 },
  { path: "/dev/random", type: "c", major: 1, minor: 8, fileMode: 0o666, uid: 0, gid: 0 },
  { path: "/dev/full", type: "c", major: 1, minor: 7, fileMode: 0o666, uid: 0, gid: 0 },
  { path: "/dev/tty", type: "c", major: 5, minor: 0, fileMode: 0o666, uid: 0, gid: 0 },
  { path: "/dev/zero", type: "c", major: 1, minor: 5, fileMode: 0o666, uid: 0, gid: 0 },
  { path: "/dev/urandom", type: "c", major: 1, minor: 9, fileMode: 0o666, uid: 0, gid: 0 },
];

/** glibc's makedev(3): the dev_t of major:minor. */
export function makedev(major: number, minor: number): number {
  const ma = BigInt(major), mi = BigInt(minor);
  const dev = ((ma & 0xfffff000n) << 32n) | ((ma & 0xfffn) << 8n) |
    ((mi & 0xffffff00n) << 12n) | (mi & 0xffn);
  if (dev > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`Cannot encode device ${major}:${minor}: number too large`);
  }
  return Number(dev);
}

/** runc's needsSetupDev: /dev is set up unless a bind mount provides it. */
export function needsSetupDev(spec: Spec): boolean {
  return !(spec.mounts ?? []).some((m) =>
    parseMount(m).type === "bind" && cleanPath(m.destination) === "/dev"
  );
}

/**
 * The devices to create: defaults not overridden by a config device of
 * the same path, then the config's devices (a later duplicate wins), as
 * runc's specconv createDevices orders them. /dev/ptmx is left to ptmxOps.
 */
export function containerDevices(spec: Spec): { device: Device; pointer: string }[] {
  const config = spec.linux?.devices ?? [];
  const byPath = new Map<string, { device: Device; pointer: string }>();
  config.forEach((device, i) => {
    const path = cleanPath(device.path);
    byPath.delete(path);
    byPath.set(path, { device, pointer: `/linux/devices/${i}` });
  });
  const defaults = DEFAULT_DEVICES
    .filter((d) => !byPath.has(d.path))
    .map((device) => ({ device, pointer: "" }));
  return [...defaults, ...byPath.values()]
    .filter(({ device }) => cleanPath(device.path) !== "/dev/ptmx");
}

function deviceOp(device: Device, pointer: string, userns: boolean): PlanOp {
  const target = cleanPath(device.path);
  if (userns) {
    // runc's bindMountDeviceNode: the host node of the same path.
    return {
      op: "MOUNT_IN_ROOT",
      step: "devices",
      source: target,
      target,
      fstype: "bind",
      flags: MS.BIND,
      opts: MountOpt.MKFILE,
    };
  }
  if (device.type !== "p" && (device.major === undefined || device.minor === undefined)) {
    throw new ConfigError(pointer, `Device "${device.path}" needs a major and a minor number`);
  }
  // runc: fileMode defaults to 0666; its type bits (checked at parse) go.
  const perm = (device.fileMode ?? 0o666) & 0o7777;
  return {
    op: "MKNOD_IN_ROOT",
    step: "devices",
    target,
    mode: S_IF[device.type] | perm,
    dev: device.type === "p" ? 0 : makedev(device.major ?? 0, device.minor ?? 0),
    uid: device.uid ?? 0,
    gid: device.gid ?? 0,
  };
}

/**
 * One operation per device: MKNOD_IN_ROOT (MODE carries the S_IF* type
 * bits and the permissions), or, with a user namespace, a bind of the host
 * device onto a new empty file. Preceded by UMASK 0, as runc's
 * createDevices, so that MODE is what the node gets; finalizeRootfs sets
 * the container's umask later.
 */
export function devicesPlan(spec: Spec, userns: boolean): PlanOp[] {
  const devices = containerDevices(spec);
  if (devices.length === 0) return [];
  return [
    { op: "UMASK", step: "devices", mode: 0 },
    ...devices.map(({ device, pointer }) => deviceOp(device, pointer, userns)),
  ];
}

/** /dev/ptmx → pts/ptmx, replacing whatever is there (runc's setupPtmx). */
export function ptmxOps(): PlanOp[] {
  return [{
    op: "SYMLINK_IN_ROOT",
    step: "ptmx",
    source: "pts/ptmx",
    target: "/dev/ptmx",
    opts: MountOpt.REPLACE,
  }];
}

/**
 * The /dev symlinks of runc's setupDevSymlinks. /dev/core only when the
 * host has /proc/kcore (CONFIG_PROC_KCORE). runc leaves an existing entry
 * alone, so these carry no REPLACE.
 */
export function devSymlinksOps(kcoreExists: boolean): PlanOp[] {
  const links: [string, string][] = [
    ["/proc/self/fd", "/dev/fd"],
    ["/proc/self/fd/0", "/dev/stdin"],
    ["/proc/self/fd/1", "/dev/stdout"],
    ["/proc/self/fd/2", "/dev/stderr"],
  ];
  if (kcoreExists) links.push(["/proc/kcore", "/dev/core"]);
  return links.map(([source, target]) => ({
    op: "SYMLINK_IN_ROOT",
    step: "devSymlinks",
    source,
    target,
  }));
}
