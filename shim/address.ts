// Where a shim server listens. One server per containerd address and
// namespace serves all of its tasks (shim/README.md, "Grouping"): the
// socket is /run/containerd/s/runo-<FNV-1a 64 of address and namespace>,
// in the directory containerd's own shims use. The launcher
// (shim/launcher.c) computes the same path; the name only has to tell
// groups apart.
//
// Permissions: none.

export const SOCKET_DIR = "/run/containerd/s";

const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = (1n << 64n) - 1n;

/** FNV-1a 64 of `bytes`. */
export function fnv1a64(bytes: Uint8Array): bigint {
  let h = OFFSET;
  for (const byte of bytes) h = ((h ^ BigInt(byte)) * PRIME) & MASK;
  return h;
}

/** FNV-1a 64 of each part followed by a NUL byte, as 16 hex digits. */
export function groupHash(...parts: readonly string[]): string {
  const bytes = new TextEncoder().encode(parts.map((p) => `${p}\0`).join(""));
  return fnv1a64(bytes).toString(16).padStart(16, "0");
}

/** The socket path of the group (containerd address, namespace). */
export function socketPath(address: string, namespace: string): string {
  return `${SOCKET_DIR}/runo-${groupHash(address, namespace)}`;
}

/** containerd's form of a socket address. */
export function unixAddress(path: string): string {
  return `unix://${path}`;
}
