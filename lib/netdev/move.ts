// linux.netDevices (runtime spec 1.3 config-linux.md "Network Devices"),
// as runc's devChangeNetNamespace does it, from runo in the host's
// namespaces once the container's network namespace exists: each host
// link is set down, its permanent global addresses are noted, it is moved
// and renamed in one RTM_NEWLINK (IFLA_NET_NS_FD, IFLA_IFNAME), then in the
// container's namespace those addresses are added back (the kernel drops
// them on the move; MTU and MAC stay) and the link is set up. The spec:
// the runtime "MUST NOT attempt to move the interface out of the namespace
// before deletion"; when the namespace goes, the kernel returns physical
// devices to the host (under their container name) and destroys virtual
// ones. A failure half-way leaves the moved ones to that same rule.
//
// Permissions: --allow-ffi, --allow-read (/proc/<pid>/ns/net).

import type { Spec } from "../spec/types.ts";
import { ConfigError } from "../spec/config_error.ts";
import { at } from "../spec/config_error.ts";
import { type NetlinkSocket, routeSocket } from "../../ffi/netlink.ts";
import { close, O_RDONLY, open } from "../../ffi/syscalls.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";
import { ENODEV, errnoName } from "../../ffi/errno.ts";
import {
  addAddr,
  type Address,
  addressOf,
  formatAddress,
  getAddrs,
  getLink,
  IFA_F_PERMANENT,
  IFF_UP,
  type Link,
  linkOf,
  moveLink,
  NLMSG_DONE,
  NLMSG_ERROR,
  parseReplies,
  type Reply,
  RT_SCOPE_UNIVERSE,
  RTM,
  setLinkUp,
} from "./netlink.ts";

let seq = 1;

/** Sends msg; the replies before its ACK or end of dump; throws on an error reply. */
function request(sock: NetlinkSocket, msg: Uint8Array<ArrayBuffer>, what: string): Reply[] {
  const s = new DataView(msg.buffer).getUint32(8, true);
  const plainGet = (new DataView(msg.buffer).getUint16(6, true) & 0x304) === 0;
  sock.send(msg, what);
  const out: Reply[] = [];
  for (;;) {
    for (const r of parseReplies(sock.recv(what))) {
      if (r.seq !== s) continue;
      if (r.type === NLMSG_ERROR) {
        if (r.error) throw new SyscallError(`netlink ${what}`, -r.error);
        return out;
      }
      if (r.type === NLMSG_DONE) return out;
      out.push(r);
      if (plainGet) return out;
    }
  }
}

/** The host link called `name`, or why it cannot be moved. */
function hostLink(sock: NetlinkSocket, name: string, pointer: string): Link {
  try {
    const [r] = request(sock, getLink(seq++, { name }), `RTM_GETLINK ${name}`);
    if (r?.type === RTM.NEWLINK) return linkOf(r);
  } catch (err) {
    if (err instanceof SyscallError && err.errno === ENODEV) {
      throw new ConfigError(pointer, `network device "${name}" does not exist on the host`);
    }
    throw err;
  }
  throw new ConfigError(pointer, `network device "${name}" does not exist on the host`);
}

/** The devices exist on the host: checked before the container is made. */
export function checkNetDevices(spec: Spec): void {
  const devices = Object.keys(spec.linux?.netDevices ?? {});
  if (devices.length === 0) return;
  using sock = routeSocket();
  for (const name of devices) hostLink(sock, name, at("/linux/netDevices", name));
}

/** True when a link of that name is in the socket's namespace. */
function linkNamed(sock: NetlinkSocket, name: string): boolean {
  try {
    return request(sock, getLink(seq++, { name }), `RTM_GETLINK ${name}`).length > 0;
  } catch (err) {
    if (err instanceof SyscallError && err.errno === ENODEV) return false;
    throw err;
  }
}

function permanentGlobal(sock: NetlinkSocket, index: number): Address[] {
  return request(sock, getAddrs(seq++), "RTM_GETADDR")
    .filter((r) => r.type === RTM.NEWADDR)
    .map(addressOf)
    .filter((a) => a.index === index && a.scope === RT_SCOPE_UNIVERSE && a.flags & IFA_F_PERMANENT);
}

const WHY: Readonly<Record<string, string>> = {
  EEXIST: "a device of that name exists in the container's network namespace",
  EINVAL: "the kernel does not move this device between namespaces (loopback, a bridge port, …)",
  EBUSY: "the device is busy",
  ENODEV: "the device disappeared",
};

/** Moves one device into the namespace of netnsFd (see the header). */
function moveOne(
  host: NetlinkSocket,
  inner: NetlinkSocket,
  netnsFd: number,
  name: string,
  newName: string,
  pointer: string,
): void {
  const link = hostLink(host, name, pointer);
  // The spec: a name already in the container's namespace is an error
  // (unless a "%d" template lets the kernel pick). Checked before the move:
  // the kernel would move the device, then fail the rename.
  if (!newName.includes("%d") && linkNamed(inner, newName)) {
    throw new ConfigError(
      pointer,
      `cannot move network device "${name}" into the container as "${newName}": EEXIST (${WHY.EEXIST})`,
    );
  }
  const addrs = permanentGlobal(host, link.index);
  request(host, setLinkUp(seq++, link.index, false), `set ${name} down`);
  try {
    request(host, moveLink(seq++, link.index, newName, netnsFd), `move ${name}`);
  } catch (err) {
    // Left on the host as it was found.
    if (link.flags & IFF_UP) request(host, setLinkUp(seq++, link.index, true), `set ${name} up`);
    if (!(err instanceof SyscallError)) throw err;
    const code = errnoName(err.errno);
    const why = WHY[code] ? ` (${WHY[code]})` : "";
    throw new ConfigError(
      pointer,
      `cannot move network device "${name}" into the container as "${newName}": ${code}${why}`,
    );
  }
  // The ifindex stays unless it is taken there; a "%d" name is the kernel's choice.
  const [moved] = request(inner, getLink(seq++, { index: link.index }), `RTM_GETLINK ${newName}`);
  const index = moved ? linkOf(moved).index : link.index;
  for (const a of addrs) {
    try {
      request(inner, addAddr(seq++, index, a), `RTM_NEWADDR ${formatAddress(a)}`);
    } catch (err) {
      throw new ConfigError(
        pointer,
        `cannot add address ${formatAddress(a)} to "${newName}" in the container: ${
          (err as Error).message
        }`,
      );
    }
  }
  request(inner, setLinkUp(seq++, index, true), `set ${newName} up`);
}

/** What moveNetDevices does, as data: each host name, its name inside, its pointer. */
export function netDeviceMoves(spec: Spec): { name: string; newName: string; pointer: string }[] {
  return Object.entries(spec.linux?.netDevices ?? {}).map(([name, d]) => ({
    name,
    newName: d.name || name,
    pointer: at("/linux/netDevices", name),
  }));
}

/** Moves every linux.netDevices entry into the network namespace of `initPid`. */
export function moveNetDevices(spec: Spec, initPid: number): void {
  const devices = netDeviceMoves(spec);
  if (devices.length === 0) return;
  const netns = open(`/proc/${initPid}/ns/net`, O_RDONLY);
  try {
    using host = routeSocket();
    using inner = routeSocket(netns);
    for (const d of devices) moveOne(host, inner, netns, d.name, d.newName, d.pointer);
  } finally {
    close(netns);
  }
}
