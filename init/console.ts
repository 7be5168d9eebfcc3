// process.terminal → the CONSOLE operation (runc's setupConsole): a pty
// from the container's /dev/ptmx, its master sent over the console socket,
// the slave made the controlling terminal and fds 0–2. The standard init
// also binds the slave onto /dev/console (runc's mountConsole); an exec
// leaves /dev/console alone.
//
// Permissions: none.

import type { PlanOp } from "../lib/bootstrap/plan.ts";
import type { Process } from "../lib/spec/types.ts";

/**
 * Where the init opens the pty: the ptmx of the container's devpts itself,
 * not the /dev/ptmx symlink, as runc's safeAllocPty (the init checks it is
 * a devpts ptmx before it opens it).
 */
export const PTMX = "/dev/pts/ptmx";

/**
 * The CONSOLE operation for a process with a terminal, or none. `socketFd`
 * is the init's fd of the console socket; the caller passes it exactly
 * when process.terminal is true.
 */
export function consoleOps(
  process: Process,
  socketFd: number | undefined,
  mountConsole: boolean,
  step: string,
): PlanOp[] {
  if (!process.terminal) return [];
  if (socketFd === undefined) {
    throw new Error("process.terminal is set but no console socket was given");
  }
  const size = process.consoleSize;
  return [{
    op: "CONSOLE",
    step,
    source: PTMX,
    fd: socketFd,
    ...(mountConsole ? { target: "/dev/console" } : {}),
    ...(size && size.height > 0 && size.width > 0
      ? { value: BigInt(size.height), value2: BigInt(size.width) }
      : {}),
  }];
}

/**
 * CHOWN_STDIO for a process with a terminal (runc's fixStdioPermissions,
 * run by setupUser before the user change): the pty the init made belongs
 * to root, and a non-root user must own its terminal. runc chowns any
 * stdio, host files given as stdio included; runo only its own pty.
 */
export function stdioOwnerOps(process: Process, step: string): PlanOp[] {
  return process.terminal ? [{ op: "CHOWN_STDIO", step, uid: process.user.uid }] : [];
}
