// bpf(2) for cgroup v2 device filters: BPF_PROG_LOAD of a
// BPF_PROG_TYPE_CGROUP_DEVICE program, BPF_PROG_ATTACH to a cgroup2
// directory with BPF_F_ALLOW_MULTI (as runc, so a parent's filter keeps
// applying). The program bytes come from lib/cgroups/v2/device_filter.ts.
//
// Permissions: --allow-ffi.

import { nsexec } from "./libnsexec.ts";
import { close, open } from "./syscalls.ts";
import { SyscallError } from "./syscall_error.ts";

const BPF_PROG_LOAD = 5;
const BPF_PROG_ATTACH = 8;
const BPF_PROG_TYPE_CGROUP_DEVICE = 15;
const BPF_CGROUP_DEVICE = 6;
const BPF_F_ALLOW_MULTI = 2;
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

/** Attaches program `progFd` to the cgroup2 directory `dir`. */
export function attachDeviceProgram(dir: string, progFd: number): void {
  const cgroupFd = open(dir, O_RDONLY_DIRECTORY);
  try {
    const attr = new Uint8Array(ATTR_SIZE);
    const v = new DataView(attr.buffer);
    v.setUint32(0, cgroupFd, true);
    v.setUint32(4, progFd, true);
    v.setUint32(8, BPF_CGROUP_DEVICE, true);
    v.setUint32(12, BPF_F_ALLOW_MULTI, true);
    const rc = Number(nsexec().runo_bpf(BPF_PROG_ATTACH, attr, ATTR_SIZE));
    if (rc < 0) throw new SyscallError("bpf(BPF_PROG_ATTACH)", -rc, { path: dir });
  } finally {
    close(cgroupFd);
  }
}
