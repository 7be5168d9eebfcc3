// Typed wrappers for process attributes runo sets from the host
// (c/process_wrappers.c): CPU affinity as a byte mask, the child
// subreaper bit, and an fd sent over a connected unix socket.
//
// Permissions: --allow-ffi (plus what libnsexec.ts needs to locate it).

import { nsexec } from "./libnsexec.ts";
import { SyscallError } from "./syscall_error.ts";

function check(rc: number, syscall: string): number {
  if (rc < 0) throw new SyscallError(syscall, -rc);
  return rc;
}

/** sched_setaffinity(2) of pid (0: the calling thread) to the CPUs set in mask. */
export function setAffinity(pid: number, mask: Uint8Array<ArrayBuffer>): void {
  check(nsexec().runo_sched_setaffinity(pid, mask, BigInt(mask.length)), "sched_setaffinity");
}

/** sched_getaffinity(2) of pid (0: the calling thread), as a byte mask. */
export function getAffinity(pid: number): Uint8Array {
  const mask = new Uint8Array(1024);
  const n = check(
    nsexec().runo_sched_getaffinity(pid, mask, BigInt(mask.length)),
    "sched_getaffinity",
  );
  return mask.slice(0, n);
}

/** prctl(PR_SET_CHILD_SUBREAPER). */
export function setChildSubreaper(on: boolean): void {
  check(nsexec().runo_set_subreaper(on ? 1 : 0), "prctl PR_SET_CHILD_SUBREAPER");
}

/** sendmsg(data, SCM_RIGHTS fd) on a connected socket. */
export function sendFd(sock: number, data: Uint8Array<ArrayBuffer>, fd: number): void {
  check(nsexec().runo_send_fd(sock, data, BigInt(data.length), fd), "sendmsg SCM_RIGHTS");
}
