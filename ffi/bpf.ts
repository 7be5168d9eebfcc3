// bpf(2) for cgroup v2 device filters: BPF_PROG_LOAD of a
// BPF_PROG_TYPE_CGROUP_DEVICE program, BPF_PROG_ATTACH to a cgroup2
// directory with BPF_F_ALLOW_MULTI (as runc, so a parent's filter keeps
// applying), and the swap of a cgroup's own filters on update (runc's
// devicefilter.LoadAttachCgroupDeviceFilter). The program bytes come from
// lib/cgroups/v2/device_filter.ts.
//
// Permissions: --allow-ffi.

import { nsexec } from "./libnsexec.ts";
import { close, open } from "./syscalls.ts";
import { SyscallError } from "./syscall_error.ts";
import { ENOENT, ENOSPC } from "./errno.ts";

const BPF_PROG_LOAD = 5;
const BPF_PROG_ATTACH = 8;
const BPF_PROG_DETACH = 9;
const BPF_PROG_GET_FD_BY_ID = 13;
const BPF_PROG_QUERY = 16;
const BPF_PROG_TYPE_CGROUP_DEVICE = 15;
const BPF_CGROUP_DEVICE = 6;
const BPF_F_ALLOW_MULTI = 2;
const BPF_F_REPLACE = 4;
const O_RDONLY_DIRECTORY = 0o200000; // O_RDONLY | O_DIRECTORY
/** sizeof(union bpf_attr) we pass; the kernel accepts a larger zeroed tail. */
const ATTR_SIZE = 128;

function address(buf: Uint8Array<ArrayBuffer>): bigint {
  return BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(buf)));
}

/** Loads the program; returns its fd. The verifier log is in the error on EACCES/EINVAL. */
export function loadDeviceProgram(insns: Uint8Array<ArrayBuffer>): number {
  const license = new TextEncoder().encode("Apache\0") as Uint8Array<ArrayBuffer>;
  const log = new Uint8Array(16384);
  const attr = new Uint8Array(ATTR_SIZE);
  const v = new DataView(attr.buffer);
  v.setUint32(0, BPF_PROG_TYPE_CGROUP_DEVICE, true);
  v.setUint32(4, insns.length / 8, true);
  v.setBigUint64(8, address(insns), true);
  v.setBigUint64(16, address(license), true);
  v.setUint32(24, 1, true); // log_level
  v.setUint32(28, log.length, true);
  v.setBigUint64(32, address(log), true);
  v.setUint32(68, BPF_CGROUP_DEVICE, true); // expected_attach_type
  const fd = Number(nsexec().runo_bpf(BPF_PROG_LOAD, attr, ATTR_SIZE));
  if (fd < 0) {
    const text = new TextDecoder().decode(log.subarray(0, log.indexOf(0))).trim();
    const err = new SyscallError("bpf(BPF_PROG_LOAD)", -fd);
    if (text) err.message += `: verifier: ${text.split("\n").slice(-3).join("; ")}`;
    throw err;
  }
  return fd;
}

function bpf(cmd: number, attr: Uint8Array<ArrayBuffer>, syscall: string, path?: string): number {
  const rc = Number(nsexec().runo_bpf(cmd, attr, ATTR_SIZE));
  if (rc < 0) throw new SyscallError(syscall, -rc, path ? { path } : {});
  return rc;
}

/** The ids of the device programs attached to the cgroup itself (not inherited). */
function queryDevicePrograms(cgroupFd: number, dir: string): number[] {
  for (let room = 16;; room *= 4) {
    const ids = new Uint32Array(room);
    const attr = new Uint8Array(ATTR_SIZE);
    const v = new DataView(attr.buffer);
    v.setUint32(0, cgroupFd, true);
    v.setUint32(4, BPF_CGROUP_DEVICE, true);
    v.setBigUint64(16, address(new Uint8Array(ids.buffer)), true);
    v.setUint32(24, room, true);
    const rc = Number(nsexec().runo_bpf(BPF_PROG_QUERY, attr, ATTR_SIZE));
    if (rc === -ENOSPC) continue; // more programs than room
    if (rc < 0) throw new SyscallError("bpf(BPF_PROG_QUERY)", -rc, { path: dir });
    return [...ids.subarray(0, v.getUint32(24, true))];
  }
}

/** The ids of the device programs attached directly to the cgroup2 directory `dir`. */
export function attachedDevicePrograms(dir: string): number[] {
  const cgroupFd = open(dir, O_RDONLY_DIRECTORY);
  try {
    return queryDevicePrograms(cgroupFd, dir);
  } finally {
    close(cgroupFd);
  }
}

function progFdById(id: number): number {
  const attr = new Uint8Array(ATTR_SIZE);
  new DataView(attr.buffer).setUint32(0, id, true);
  return bpf(BPF_PROG_GET_FD_BY_ID, attr, "bpf(BPF_PROG_GET_FD_BY_ID)");
}

function attachAttr(cgroupFd: number, progFd: number, flags: number, replaceFd = 0) {
  const attr = new Uint8Array(ATTR_SIZE);
  const v = new DataView(attr.buffer);
  v.setUint32(0, cgroupFd, true);
  v.setUint32(4, progFd, true);
  v.setUint32(8, BPF_CGROUP_DEVICE, true);
  v.setUint32(12, flags, true);
  v.setUint32(16, replaceFd, true);
  return attr;
}

/** Attaches program `progFd` to the cgroup2 directory `dir` beside those there already. */
export function addDeviceProgram(dir: string, progFd: number): void {
  const cgroupFd = open(dir, O_RDONLY_DIRECTORY);
  try {
    const attr = attachAttr(cgroupFd, progFd, BPF_F_ALLOW_MULTI);
    bpf(BPF_PROG_ATTACH, attr, "bpf(BPF_PROG_ATTACH)", dir);
  } finally {
    close(cgroupFd);
  }
}

/**
 * Attaches program `progFd` to the cgroup2 directory `dir` in place of the
 * device programs attached there before. One old program is swapped
 * atomically (BPF_F_REPLACE); several are detached after the new one is
 * attached, so no moment passes without a filter (with both attached, a
 * device must pass both).
 */
export function replaceDeviceProgram(dir: string, progFd: number): void {
  const cgroupFd = open(dir, O_RDONLY_DIRECTORY);
  const oldFds: number[] = [];
  try {
    for (const id of queryDevicePrograms(cgroupFd, dir)) {
      try {
        oldFds.push(progFdById(id));
      } catch (err) {
        // Detached meanwhile (ENOENT): nothing to replace.
        if (!(err instanceof SyscallError && err.errno === ENOENT)) throw err;
      }
    }
    if (oldFds.length === 1) {
      const attr = attachAttr(cgroupFd, progFd, BPF_F_ALLOW_MULTI | BPF_F_REPLACE, oldFds[0]);
      bpf(BPF_PROG_ATTACH, attr, "bpf(BPF_PROG_ATTACH)", dir);
      return;
    }
    bpf(
      BPF_PROG_ATTACH,
      attachAttr(cgroupFd, progFd, BPF_F_ALLOW_MULTI),
      "bpf(BPF_PROG_ATTACH)",
      dir,
    );
    for (const old of oldFds) {
      bpf(BPF_PROG_DETACH, attachAttr(cgroupFd, old, 0), "bpf(BPF_PROG_DETACH)", dir);
    }
  } finally {
    for (const fd of oldFds) close(fd);
    close(cgroupFd);
  }
}
