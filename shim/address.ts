// Where a shim server listens. One server per containerd address and
// namespace serves all of its tasks (see shim/README.md, "Grouping"): the
// socket is /run/containerd/s/<sha256 of address and namespace>, the
// directory containerd's own shims use, short enough for sun_path.
//
// Permissions: none.

import { sha256Hex } from "../ffi/sha256.ts";

export const SOCKET_DIR = "/run/containerd/s";

/** The socket path of the group (containerd address, namespace). */
export function socketPath(address: string, namespace: string): string {
  const key = new TextEncoder().encode(`runo-shim\0${address}\0${namespace}`);
  return `${SOCKET_DIR}/${sha256Hex(key)}`;
}

/** containerd's form of a socket address. */
export function unixAddress(path: string): string {
  return `unix://${path}`;
}
