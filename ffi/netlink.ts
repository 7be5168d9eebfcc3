// A NETLINK_ROUTE socket (c/netlink_wrappers.c): made in runo's network
// namespace or in another one, then plain datagrams in and out. The
// messages are lib/netdev/netlink.ts's.
//
// Permissions: --allow-ffi (plus what libnsexec.ts needs to locate it).

import { nsexec } from "./libnsexec.ts";
import { close } from "./syscalls.ts";
import { SyscallError } from "./syscall_error.ts";

export interface NetlinkSocket {
  send(msg: Uint8Array<ArrayBuffer>, what: string): void;
  /** One datagram from the kernel (blocks until it comes). */
  recv(what: string): Uint8Array;
  [Symbol.dispose](): void;
}

/** A route socket in runo's network namespace, or in `netnsFd`'s. */
export function routeSocket(netnsFd = -1): NetlinkSocket {
  const fd = nsexec().runo_netlink_socket(netnsFd);
  if (fd < 0) throw new SyscallError("socket(AF_NETLINK, NETLINK_ROUTE)", -fd);
  const buf = new Uint8Array(1 << 16);
  return {
    send(msg, what) {
      const n = nsexec().runo_send(fd, msg, BigInt(msg.length));
      if (n < 0) throw new SyscallError(`netlink ${what}`, -n);
    },
    recv(what) {
      const n = nsexec().runo_recv(fd, buf, BigInt(buf.length));
      if (n < 0) throw new SyscallError(`netlink ${what}`, -n);
      return buf.slice(0, n);
    },
    [Symbol.dispose]: () => close(fd),
  };
}
