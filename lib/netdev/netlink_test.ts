// The rtnetlink encoder and decoder against the kernel's layouts
// (<linux/netlink.h> nlmsghdr 16 bytes, <linux/rtnetlink.h> ifinfomsg 16
// and ifaddrmsg 8 bytes, rtattr {u16 len, u16 type} padded to 4).
//
// Permissions: none.

import { assertEquals } from "../testing/assert.ts";
import {
  addAddr,
  addressOf,
  AF_INET,
  formatAddress,
  getLink,
  IFA_F_PERMANENT,
  linkOf,
  moveLink,
  parseReplies,
  setLinkUp,
} from "./netlink.ts";

const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const le16 = (n: number) => [n & 0xff, n >> 8];

Deno.test("moveLink() is RTM_NEWLINK|ACK with ifindex, IFLA_IFNAME and IFLA_NET_NS_FD", () => {
  const msg = moveLink(7, 5, "eth1", 9);
  const name = [..."eth1"].map((c) => c.charCodeAt(0));
  const expected = [
    ...le32(16 + 16 + 12 + 8),
    ...le16(16),
    ...le16(0x1 | 0x4),
    ...le32(7),
    ...le32(0),
    0,
    0,
    ...le16(0),
    ...le32(5),
    ...le32(0),
    ...le32(0), // ifinfomsg
    ...le16(4 + 5),
    ...le16(3),
    ...name,
    0,
    0,
    0,
    0, // IFLA_IFNAME "eth1\0" + pad
    ...le16(8),
    ...le16(28),
    ...le32(9), // IFLA_NET_NS_FD
  ]; // deno-fmt-ignore
  assertEquals([...msg], expected);
});

Deno.test("setLinkUp() changes only IFF_UP; getLink() by name carries IFLA_IFNAME", () => {
  const up = setLinkUp(1, 3, true);
  assertEquals([...up.subarray(24, 32)], [...le32(1), ...le32(1)]);
  const down = setLinkUp(1, 3, false);
  assertEquals([...down.subarray(24, 32)], [...le32(0), ...le32(1)]);
  const get = getLink(2, { name: "lo" });
  assertEquals(new DataView(get.buffer).getUint16(4, true), 18); // RTM_GETLINK
  assertEquals([...get.subarray(32)], [...le16(7), ...le16(3), 108, 111, 0, 0]);
});

Deno.test("parseReplies() reads an ACK, an error and a link; linkOf() its name and flags", () => {
  const ack = [
    ...le32(36),
    ...le16(2),
    ...le16(0),
    ...le32(4),
    ...le32(0),
    ...le32(0),
    ...new Array(16).fill(0),
  ];
  const err = [
    ...le32(36),
    ...le16(2),
    ...le16(0),
    ...le32(5),
    ...le32(0),
    ...le32(-17 >>> 0),
    ...new Array(16).fill(0),
  ];
  const link = [
    ...le32(16 + 16 + 8 + 8),
    ...le16(16),
    ...le16(0),
    ...le32(6),
    ...le32(0),
    0,
    0,
    ...le16(1),
    ...le32(8),
    ...le32(0x1043),
    ...le32(0),
    ...le16(8),
    ...le16(3),
    99,
    116,
    114,
    0, // IFLA_IFNAME "ctr"
    ...le16(8),
    ...le16(4),
    ...le32(1400), // IFLA_MTU
  ]; // deno-fmt-ignore
  const replies = parseReplies(new Uint8Array([...ack, ...err, ...link]));
  assertEquals(replies.map((r) => [r.type, r.seq, r.error]), [[2, 4, 0], [2, 5, -17], [
    16,
    6,
    undefined,
  ]]);
  assertEquals(linkOf(replies[2]), { index: 8, flags: 0x1043, name: "ctr", mtu: 1400 });
});

Deno.test("addressOf() keeps IFA_LOCAL of IPv4 and IFA_FLAGS; addAddr() adds the broadcast", () => {
  const reply = [
    ...le32(16 + 8 + 8 + 8),
    ...le16(20),
    ...le16(0),
    ...le32(3),
    ...le32(0),
    AF_INET,
    24,
    0x80,
    0,
    ...le32(8), // ifaddrmsg: /24, IFA_F_PERMANENT, global, index 8
    ...le16(8),
    ...le16(2),
    10,
    1,
    2,
    3, // IFA_LOCAL
    ...le16(8),
    ...le16(8),
    ...le32(0x80 | 0x100), // IFA_FLAGS
  ]; // deno-fmt-ignore
  const a = addressOf(parseReplies(new Uint8Array(reply))[0]);
  assertEquals(a.flags & IFA_F_PERMANENT, IFA_F_PERMANENT);
  assertEquals([formatAddress(a), a.index, a.scope], ["10.1.2.3/24", 8, 0]);
  const add = addAddr(9, 12, a);
  const attrs = [...add.subarray(24)];
  assertEquals(attrs, [
    ...le16(8),
    ...le16(2),
    10,
    1,
    2,
    3, // IFA_LOCAL
    ...le16(8),
    ...le16(1),
    10,
    1,
    2,
    3, // IFA_ADDRESS
    ...le16(8),
    ...le16(4),
    10,
    1,
    2,
    255, // IFA_BROADCAST
  ]); // deno-fmt-ignore
  assertEquals(new DataView(add.buffer).getUint32(20, true), 12, "the new index");
});
