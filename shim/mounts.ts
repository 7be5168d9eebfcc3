// The rootfs mounts containerd passes with Create (a snapshot: overlay,
// or bind for the native snapshotter), mounted on <bundle>/rootfs before
// the container is created and unmounted when it is deleted, as runc's
// shim does. Options are containerd's (mount_linux.go): flag words become
// mount flags, the rest the filesystem's data; a read-only bind is a bind
// then a read-only remount (the kernel ignores MS_RDONLY on a new bind).
//
// Permissions: --allow-ffi (mount, umount); parseOptions none.

import { mount, umount } from "../ffi/mounts.ts";
import type { Mount } from "./proto/types.ts";
import { Code, ShimError } from "./errors.ts";

const MS = {
  RDONLY: 1,
  NOSUID: 2,
  NODEV: 4,
  NOEXEC: 8,
  SYNCHRONOUS: 16,
  REMOUNT: 32,
  MANDLOCK: 64,
  DIRSYNC: 128,
  NOATIME: 1024,
  NODIRATIME: 2048,
  BIND: 4096,
  REC: 16384,
  RELATIME: 1 << 21,
  STRICTATIME: 1 << 24,
} as const;

/** word → [clear?, flag] */
const FLAG_WORDS: Readonly<Record<string, readonly [boolean, number]>> = {
  async: [true, MS.SYNCHRONOUS],
  atime: [true, MS.NOATIME],
  bind: [false, MS.BIND],
  defaults: [false, 0],
  dev: [true, MS.NODEV],
  diratime: [true, MS.NODIRATIME],
  dirsync: [false, MS.DIRSYNC],
  exec: [true, MS.NOEXEC],
  mand: [false, MS.MANDLOCK],
  noatime: [false, MS.NOATIME],
  nodev: [false, MS.NODEV],
  nodiratime: [false, MS.NODIRATIME],
  noexec: [false, MS.NOEXEC],
  nomand: [true, MS.MANDLOCK],
  norelatime: [true, MS.RELATIME],
  nostrictatime: [true, MS.STRICTATIME],
  nosuid: [false, MS.NOSUID],
  rbind: [false, MS.BIND | MS.REC],
  relatime: [false, MS.RELATIME],
  remount: [false, MS.REMOUNT],
  ro: [false, MS.RDONLY],
  rw: [true, MS.RDONLY],
  strictatime: [false, MS.STRICTATIME],
  suid: [true, MS.NOSUID],
  sync: [false, MS.SYNCHRONOUS],
};

export interface MountPlan {
  readonly flags: number;
  readonly data: string;
  /** A bind that must be remounted read-only after it is made. */
  readonly remountRo: boolean;
}

/** containerd's mount options → flags and data. */
export function parseOptions(options: readonly string[]): MountPlan {
  let flags = 0;
  const data: string[] = [];
  for (const o of options) {
    const word = FLAG_WORDS[o];
    if (!word) {
      data.push(o);
      continue;
    }
    const [clear, flag] = word;
    flags = clear ? flags & ~flag : flags | flag;
  }
  const remountRo = (flags & MS.BIND) !== 0 && (flags & MS.RDONLY) !== 0;
  return { flags, data: data.join(","), remountRo };
}

/** Mounts each of `mounts` on `target` in order; on failure undoes what it did. */
export function mountRootfs(mounts: readonly Mount[], target: string): void {
  let done = 0;
  try {
    for (const m of mounts) {
      if (m.type === "") throw new ShimError(Code.INVALID_ARGUMENT, "rootfs mount without a type");
      const plan = parseOptions(m.options);
      const fstype = m.type === "bind" ? "" : m.type;
      mount(m.source, target, fstype, plan.flags & ~MS.REMOUNT, plan.data);
      done++;
      if (plan.remountRo) {
        mount("", target, "", MS.BIND | MS.REMOUNT | MS.RDONLY | (plan.flags & MS.REC), "");
      }
    }
  } catch (err) {
    for (let i = 0; i < done; i++) umount(target);
    throw err;
  }
}

/** Unmounts everything on `target` (stacked mounts too); quiet when nothing is there. */
export function unmountRootfs(target: string): void {
  for (let i = 0; i < 16 && umount(target); i++) { /* next layer */ }
}
