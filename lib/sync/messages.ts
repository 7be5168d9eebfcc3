// The init-pipe protocol: JSON messages, one per SOCK_SEQPACKET packet, as
// runc's init pipe carries them. The C init emits and recognises exactly
// these shapes (c/sync.c).
//
//   parent (runo)                         init (C)
//   ── bootstrap (netlink bytes) ───────►  stage 0
//   ◄── procPids {stage1_pid,stage2_pid}   stage 0, once stage 2 exists
//   ◄── procReady                          stage 2, rootfs prepared (SYNC_READY op)
//       cgroup resources, prestart and createRuntime hooks
//   ── procRun ────────────────────────►   stage 2 goes on: pivot, creds, …
//   ◄── procSeccomp + listener fd         SECCOMP op with SCMP_ACT_NOTIFY rules
//       fd and state sent to linux.seccomp.listenerPath
//   ── procSeccompDone ────────────────►   stage 2 goes on
//   ◄── (packet of 0 bytes: pipe closed)   CLOSE_INIT_PIPE op: setup done
//   ◄── procError {op, errno, message}     any stage, any time, then exit(1)
//
// Permissions: none.

export type FromInit =
  | { readonly type: "procPids"; readonly stage1_pid: number; readonly stage2_pid: number }
  | { readonly type: "procReady" }
  /** The seccomp notify listener arrived beside it (SCM_RIGHTS). */
  | { readonly type: "procSeccomp" }
  | {
    readonly type: "procError";
    /** Index of the failing plan operation, or -1 for a stage failure. */
    readonly op: number;
    readonly errno: number;
    readonly message: string;
  };

export type ToInit = { readonly type: "procRun" } | { readonly type: "procSeccompDone" };

/** Encodes a message for the wire. */
export function encodeMessage(msg: ToInit): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify(msg));
}
