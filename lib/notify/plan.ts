// sd_notify (NOTIFY_SOCKET) as runc's notify_socket.go does it, the pure
// part: where runo's socket lives, what the container sees, which
// datagrams carry readiness and what goes on to the host's socket.
//
// Permissions: none.

import type { Mount, Spec } from "../spec/types.ts";

/** Where the container finds the socket's directory (runc's choice). */
export const CONTAINER_DIR = "/run/notify";
export const SOCKET_NAME = "notify.sock";
/** sockaddr_un.sun_path holds 108 bytes, the NUL included. */
const SUN_PATH_MAX = 107;

/** <state dir>/notify: bind-mounted into the container, holds runo's socket. */
export const notifyDir = (containerDir: string) => `${containerDir}/notify`;
export const notifySocketPath = (containerDir: string) =>
  `${notifyDir(containerDir)}/${SOCKET_NAME}`;

/** Why a unix socket path cannot be bound or sent to, or null. */
export function socketPathProblem(path: string): string | null {
  if (path.startsWith("@")) return "abstract sockets are not supported";
  if (!path.startsWith("/")) return "not an absolute path";
  const bytes = new TextEncoder().encode(path).length;
  if (bytes > SUN_PATH_MAX) return `${bytes} bytes long, a unix socket path holds ${SUN_PATH_MAX}`;
  return null;
}

/**
 * The spec with runo's notify directory bind-mounted read-only at
 * /run/notify and NOTIFY_SOCKET pointing into it (any given one replaced),
 * as runc's setupSpec.
 */
export function withNotifySocket(spec: Spec, containerDir: string): Spec {
  const mount: Mount = {
    destination: CONTAINER_DIR,
    source: notifyDir(containerDir),
    type: "bind",
    options: ["bind", "nosuid", "noexec", "nodev", "ro"],
  };
  const env = (spec.process?.env ?? []).filter((e) => !e.startsWith("NOTIFY_SOCKET="));
  env.push(`NOTIFY_SOCKET=${CONTAINER_DIR}/${SOCKET_NAME}`);
  return {
    ...spec,
    mounts: [...(spec.mounts ?? []), mount],
    ...(spec.process ? { process: { ...spec.process, env } } : {}),
  };
}

/**
 * The readiness line of one sd_notify datagram ("READY=1"), or null.
 * A datagram holds newline-separated assignments (sd_notify(3)); runc
 * forwards the READY line only, and so does runo.
 */
export function readyLine(datagram: string): string | null {
  for (const line of datagram.split("\n")) if (line === "READY=1") return line;
  return null;
}

/** What runo sends the host's socket once the container is ready, in order (runc's notifyHost). */
export function hostMessages(ready: string, pid: number): string[] {
  return [`${ready}\n`, `MAINPID=${pid}\n`];
}

/** Sent with a pipe's write end; the host closes it once it has read what came before. */
export const BARRIER = "BARRIER=1";
