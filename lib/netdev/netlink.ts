// The rtnetlink messages linux.netDevices needs, encoded and decoded here
// (pure): look a link up by name or index, set it down or up, move and
// rename it into a network namespace (RTM_NEWLINK with IFLA_NET_NS_FD and
// IFLA_IFNAME, as runc does), list and add its addresses. Layouts from
// <linux/netlink.h>, <linux/rtnetlink.h>, <linux/if_link.h>,
// <linux/if_addr.h>; native byte order (little endian on runo's targets).
//
// Permissions: none.

export const RTM = { NEWLINK: 16, GETLINK: 18, NEWADDR: 20, GETADDR: 22 } as const;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
const NLM_F_REQUEST = 0x1;
const NLM_F_ACK = 0x4;
const NLM_F_DUMP = 0x300;
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;
const IFLA_IFNAME = 3;
const IFLA_MTU = 4;
const IFLA_NET_NS_FD = 28;
const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const IFA_BROADCAST = 4;
const IFA_FLAGS = 8;
export const IFF_UP = 0x1;
export const IFA_F_PERMANENT = 0x80;
export const RT_SCOPE_UNIVERSE = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;

const align4 = (n: number) => (n + 3) & ~3;

/** One rtattr: {u16 len, u16 type, payload, pad}. */
function attr(type: number, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(align4(4 + payload.length));
  const v = new DataView(out.buffer);
  v.setUint16(0, 4 + payload.length, true);
  v.setUint16(2, type, true);
  out.set(payload, 4);
  return out;
}

const cString = (s: string) => new TextEncoder().encode(s + "\0");
const u32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
};

/** nlmsghdr + body + attributes. */
function message(
  type: number,
  flags: number,
  seq: number,
  body: Uint8Array,
  attrs: Uint8Array[],
): Uint8Array<ArrayBuffer> {
  const len = 16 + body.length + attrs.reduce((n, a) => n + a.length, 0);
  const out = new Uint8Array(len);
  const v = new DataView(out.buffer);
  v.setUint32(0, len, true);
  v.setUint16(4, type, true);
  v.setUint16(6, flags | NLM_F_REQUEST, true);
  v.setUint32(8, seq, true);
  out.set(body, 16);
  let at = 16 + body.length;
  for (const a of attrs) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** struct ifinfomsg (16 bytes). */
function ifinfo(index: number, flags = 0, change = 0): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setInt32(4, index, true);
  v.setUint32(8, flags, true);
  v.setUint32(12, change, true);
  return b;
}

/** RTM_GETLINK of one link, by name (index 0) or by index. */
export function getLink(
  seq: number,
  by: { name: string } | { index: number },
): Uint8Array<ArrayBuffer> {
  if ("name" in by) {
    return message(RTM.GETLINK, 0, seq, ifinfo(0), [attr(IFLA_IFNAME, cString(by.name))]);
  }
  return message(RTM.GETLINK, 0, seq, ifinfo(by.index), []);
}

/** RTM_NEWLINK setting IFF_UP on or off. */
export function setLinkUp(seq: number, index: number, up: boolean): Uint8Array<ArrayBuffer> {
  return message(RTM.NEWLINK, NLM_F_ACK, seq, ifinfo(index, up ? IFF_UP : 0, IFF_UP), []);
}

/** RTM_NEWLINK moving link `index` into the namespace of `netnsFd` under `name`. */
export function moveLink(
  seq: number,
  index: number,
  name: string,
  netnsFd: number,
): Uint8Array<ArrayBuffer> {
  return message(RTM.NEWLINK, NLM_F_ACK, seq, ifinfo(index), [
    attr(IFLA_IFNAME, cString(name)),
    attr(IFLA_NET_NS_FD, u32(netnsFd)),
  ]);
}

/** RTM_GETADDR dump of every address (the caller keeps one link's). */
export function getAddrs(seq: number): Uint8Array<ArrayBuffer> {
  return message(RTM.GETADDR, NLM_F_DUMP, seq, new Uint8Array(8), []);
}

export interface Address {
  readonly family: number;
  readonly prefixlen: number;
  readonly scope: number;
  /** IFA_FLAGS when present (32 bits), else ifa_flags (8 bits). */
  readonly flags: number;
  readonly index: number;
  /** IFA_LOCAL for IPv4 (the interface's own address), IFA_ADDRESS otherwise. */
  readonly address: Uint8Array;
}

/** RTM_NEWADDR of `a` on link `index` (the broadcast of IPv4, as ip(8) and runc's netlink compute it). */
export function addAddr(seq: number, index: number, a: Address): Uint8Array<ArrayBuffer> {
  const body = new Uint8Array(8);
  const v = new DataView(body.buffer);
  v.setUint8(0, a.family);
  v.setUint8(1, a.prefixlen);
  v.setUint8(3, a.scope);
  v.setUint32(4, index, true);
  const attrs = [attr(IFA_LOCAL, a.address), attr(IFA_ADDRESS, a.address)];
  if (a.family === AF_INET && a.prefixlen < 31) attrs.push(attr(IFA_BROADCAST, broadcast(a)));
  return message(RTM.NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, seq, body, attrs);
}

function broadcast(a: Address): Uint8Array<ArrayBuffer> {
  const host = 32 - a.prefixlen;
  const ip = new DataView(a.address.slice().buffer).getUint32(0);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, (ip | (host === 32 ? 0xffffffff : (2 ** host - 1))) >>> 0);
  return out;
}

export interface Reply {
  readonly type: number;
  readonly seq: number;
  /** NLMSG_ERROR's code: 0 an ACK, else -errno. */
  readonly error?: number;
  readonly body: Uint8Array;
  readonly attrs: ReadonlyMap<number, Uint8Array>;
}

/** The netlink messages in one datagram. */
export function parseReplies(buf: Uint8Array): Reply[] {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: Reply[] = [];
  for (let at = 0; at + 16 <= buf.length;) {
    const len = v.getUint32(at, true);
    if (len < 16 || at + len > buf.length) throw new Error(`netlink: bad message length ${len}`);
    const type = v.getUint16(at + 4, true);
    const seq = v.getUint32(at + 8, true);
    const payload = buf.subarray(at + 16, at + len);
    if (type === NLMSG_ERROR) {
      out.push({
        type,
        seq,
        error: new DataView(payload.slice(0, 4).buffer).getInt32(0, true),
        body: payload,
        attrs: new Map(),
      });
    } else {
      const head = type === RTM.NEWADDR ? 8 : type === RTM.NEWLINK ? 16 : 0;
      out.push({
        type,
        seq,
        body: payload.subarray(0, head),
        attrs: parseAttrs(payload.subarray(head)),
      });
    }
    at += align4(len);
  }
  return out;
}

function parseAttrs(buf: Uint8Array): Map<number, Uint8Array> {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Map<number, Uint8Array>();
  for (let at = 0; at + 4 <= buf.length;) {
    const len = v.getUint16(at, true);
    if (len < 4) break;
    out.set(v.getUint16(at + 2, true) & 0x3fff, buf.subarray(at + 4, at + len));
    at += align4(len);
  }
  return out;
}

export interface Link {
  readonly index: number;
  readonly name: string;
  readonly flags: number;
  readonly mtu?: number;
}

/** An RTM_NEWLINK reply as a Link. */
export function linkOf(r: Reply): Link {
  const v = new DataView(r.body.buffer, r.body.byteOffset, r.body.byteLength);
  const name = r.attrs.get(IFLA_IFNAME);
  const mtu = r.attrs.get(IFLA_MTU);
  return {
    index: v.getInt32(4, true),
    flags: v.getUint32(8, true),
    name: name ? new TextDecoder().decode(name).replace(/\0.*$/s, "") : "",
    ...(mtu ? { mtu: new DataView(mtu.slice().buffer).getUint32(0, true) } : {}),
  };
}

/** An RTM_NEWADDR reply as an Address. */
export function addressOf(r: Reply): Address {
  const v = new DataView(r.body.buffer, r.body.byteOffset, r.body.byteLength);
  const family = v.getUint8(0);
  const flags32 = r.attrs.get(IFA_FLAGS);
  const address = (family === AF_INET ? r.attrs.get(IFA_LOCAL) : undefined) ??
    r.attrs.get(IFA_ADDRESS) ?? new Uint8Array(0);
  return {
    family,
    prefixlen: v.getUint8(1),
    flags: flags32 ? new DataView(flags32.slice().buffer).getUint32(0, true) : v.getUint8(2),
    scope: v.getUint8(3),
    index: v.getUint32(4, true),
    address: address.slice(),
  };
}

/** "10.1.2.3/24" or "fd00::1/64", for messages. */
export function formatAddress(a: Address): string {
  if (a.family === AF_INET) return `${[...a.address].join(".")}/${a.prefixlen}`;
  const words: string[] = [];
  for (let i = 0; i + 1 < a.address.length; i += 2) {
    words.push(((a.address[i] << 8) | a.address[i + 1]).toString(16));
  }
  return `${words.join(":")}/${a.prefixlen}`;
}
