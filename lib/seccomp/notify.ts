// The seccomp notify hand-off: when linux.seccomp has SCMP_ACT_NOTIFY
// rules, the init sends its listener fd to runo (procSeccomp), and runo
// passes it to the agent at linux.seccomp.listenerPath with the container
// process state, as runc does (specs.ContainerProcessState, one sendmsg of
// the JSON with the fd beside it, then the connection is closed).
//
// Permissions: --allow-ffi (unix socket, SCM_RIGHTS).

import type { Seccomp } from "../spec/types.ts";
import { sendFdTo } from "../../ffi/syscalls.ts";

/** The container as the agent learns it (the runtime spec's state). */
export interface AgentContainer {
  readonly ociVersion: string;
  readonly id: string;
  readonly bundle: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The runtime spec's name of the listener fd in `fds`. */
export const SECCOMP_FD_NAME = "seccompFd";

/**
 * specs.ContainerProcessState for the agent: `pid` is the process the
 * filter belongs to; the container's state names its init (the same
 * process at create, the container's init for an exec).
 */
export function listenerState(
  c: AgentContainer,
  seccomp: Seccomp,
  pid: number,
  status = "creating",
  initPid = pid,
): string {
  return JSON.stringify({
    ociVersion: c.ociVersion,
    fds: [SECCOMP_FD_NAME],
    pid,
    ...(seccomp.listenerMetadata ? { metadata: seccomp.listenerMetadata } : {}),
    state: {
      ociVersion: c.ociVersion,
      id: c.id,
      status,
      pid: initPid,
      bundle: c.bundle,
      ...(c.annotations ? { annotations: c.annotations } : {}),
    },
  });
}

/** Connects to listenerPath and sends the state with the listener fd. */
export function sendListener(
  fd: number,
  seccomp: Seccomp,
  c: AgentContainer,
  pid: number,
  exec?: { readonly initPid: number },
): void {
  if (!seccomp.listenerPath) throw new Error("linux.seccomp.listenerPath is not set");
  const state = exec
    ? listenerState(c, seccomp, pid, "running", exec.initPid)
    : listenerState(c, seccomp, pid);
  sendFdTo(seccomp.listenerPath, new TextEncoder().encode(state), fd);
}

/**
 * The init's onSeccompListener: hands each listener to
 * linux.seccomp.listenerPath; undefined when the profile names none.
 * `exec`: the process joins a running container whose init is `initPid`.
 */
export function listenerAgent(
  seccomp: Seccomp | undefined,
  c: AgentContainer,
  exec?: { readonly initPid: number },
): ((fd: number, pid: number) => void) | undefined {
  if (!seccomp?.listenerPath) return undefined;
  return (fd, pid) => sendListener(fd, seccomp, c, pid, exec);
}
