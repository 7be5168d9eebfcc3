import { assertEquals } from "../testing/assert.ts";
import { parseSpec } from "./parse.ts";
import { ROOTFS_PROPAGATIONS } from "./parse_linux.ts";
import { NAMESPACE_TYPES } from "./types.ts";
import { assertConfigError, type Case, edited, testRejections } from "./_testing.ts";

const map = (fields: Record<string, unknown> = {}) => [
  { containerID: 0, hostID: 1000, size: 1, ...fields },
];

testRejections(
  "parseSpec()",
  parseSpec,
  [
    ["linux", "it is an array", (c) => c.linux = [], "/linux", "must be an object"],
    [
      "a namespace",
      "its type is unknown",
      (c) => c.linux.namespaces[2].type = "usr",
      "/linux/namespaces/2/type",
      'unknown namespace type "usr"',
    ],
    [
      "a namespace",
      "it has no type",
      (c) => c.linux.namespaces.push({ path: "/proc/1/ns/net" }),
      "/linux/namespaces/4/type",
      "is required",
    ],
    [
      "namespaces",
      "a type comes twice",
      (c) => c.linux.namespaces.push({ type: "pid", path: "/proc/1/ns/pid" }),
      "/linux/namespaces/4/type",
      'duplicate namespace type "pid"',
    ],
    [
      "a namespace",
      "its path is relative",
      (c) => c.linux.namespaces[0].path = "proc/1/ns/pid",
      "/linux/namespaces/0/path",
      "absolute path",
    ],
    [
      "linux.uidMappings",
      "a size is 0",
      (c) => c.linux.uidMappings = map({ size: 0 }),
      "/linux/uidMappings/0/size",
      "must be greater than 0",
    ],
    [
      "linux.uidMappings",
      "a containerID is negative",
      (c) => c.linux.uidMappings = map({ containerID: -1 }),
      "/linux/uidMappings/0/containerID",
      "from 0 to 4294967295",
    ],
    [
      "linux.gidMappings",
      "a range runs past 2^32 - 1",
      (c) => c.linux.gidMappings = map({ hostID: 4294967295 }),
      "/linux/gidMappings/0/size",
      "runs past 4294967294",
    ],
    [
      "linux.gidMappings",
      "hostID is missing",
      (c) => c.linux.gidMappings = [{ containerID: 0, size: 1 }],
      "/linux/gidMappings/0/hostID",
      "is required",
    ],
    [
      "a device",
      "its type is unknown",
      (c) => c.linux.devices = [{ type: "x", path: "/dev/x" }],
      "/linux/devices/0/type",
      'unknown device type "x"',
    ],
    [
      "a device",
      "its path is relative",
      (c) => c.linux.devices = [{ type: "p", path: "dev/fifo" }],
      "/linux/devices/0/path",
      "absolute path",
    ],
    [
      "a character device",
      "it has no major",
      (c) => c.linux.devices = [{ type: "c", path: "/dev/null", minor: 3 }],
      "/linux/devices/0/major",
      'is required for a device of type "c"',
    ],
    [
      "a block device",
      "it has no minor",
      (c) => c.linux.devices = [{ type: "b", path: "/dev/sda", major: 8 }],
      "/linux/devices/0/minor",
      'is required for a device of type "b"',
    ],
    [
      "a device",
      "fileMode has bits beyond the file type and 07777",
      (c) => c.linux.devices = [{ type: "p", path: "/dev/f", fileMode: 0o200666 }],
      "/linux/devices/0/fileMode",
      "bits beyond the file type",
    ],
    [
      "a device",
      "fileMode's file type is a block device's, its type a character device",
      (c) =>
        c.linux.devices = [{ type: "c", path: "/dev/f", major: 1, minor: 3, fileMode: 0o60666 }],
      "/linux/devices/0/fileMode",
      'do not match device type "c"',
    ],
    [
      "a device",
      "fileMode is negative",
      (c) => c.linux.devices = [{ type: "p", path: "/dev/f", fileMode: -1 }],
      "/linux/devices/0/fileMode",
      "from 0 to 4294967295",
    ],
    [
      "a device",
      "its uid is negative",
      (c) => c.linux.devices = [{ type: "p", path: "/dev/f", uid: -1 }],
      "/linux/devices/0/uid",
      "from 0 to 4294967295",
    ],
    [
      "linux.rootfsPropagation",
      "it is unknown",
      (c) => c.linux.rootfsPropagation = "recursive",
      "/linux/rootfsPropagation",
      'unknown rootfs propagation "recursive"',
    ],
    [
      "linux.sysctl",
      "a value is a number",
      (c) => c.linux.sysctl = { "net.core.somaxconn": 256 },
      "/linux/sysctl/net.core.somaxconn",
      "must be a string",
    ],
    [
      "linux.maskedPaths",
      "a path is relative",
      (c) => c.linux.maskedPaths = ["proc/kcore"],
      "/linux/maskedPaths/0",
      "absolute path",
    ],
    [
      "linux.readonlyPaths",
      "an entry is not a string",
      (c) => c.linux.readonlyPaths = ["/proc/sys", {}],
      "/linux/readonlyPaths/1",
      "must be a string, got an object",
    ],
    [
      "linux.personality",
      "its domain is unknown",
      (c) => c.linux.personality = { domain: "LINUX64" },
      "/linux/personality/domain",
      'unknown personality domain "LINUX64"',
    ],
    [
      "linux.timeOffsets",
      "a clock is unknown",
      (c) => c.linux.timeOffsets = { realtime: { secs: 1 } },
      "/linux/timeOffsets/realtime",
      'unknown clock "realtime"',
    ],
    [
      "linux.timeOffsets",
      "nanosecs reach a second",
      (c) => c.linux.timeOffsets = { monotonic: { nanosecs: 1e9 } },
      "/linux/timeOffsets/monotonic/nanosecs",
      "from 0 to 999999999",
    ],
    [
      "a network device",
      "its name is a number",
      (c) => c.linux.netDevices = { eth0: { name: 23 } },
      "/linux/netDevices/eth0/name",
      "must be a string, got 23",
    ],
    [
      "a network device",
      "its host name holds a '/'",
      (c) => c.linux.netDevices = { "a/b": {} },
      "/linux/netDevices/a~1b",
      'invalid network interface name "a/b"',
    ],
    [
      "a network device",
      "its new name is longer than 15 bytes",
      (c) => c.linux.netDevices = { eth0: { name: "container_eth0_x" } },
      "/linux/netDevices/eth0/name",
      "invalid network interface name",
    ],
    [
      "linux.intelRdt",
      "closID is '..'",
      (c) => c.linux.intelRdt = { closID: ".." },
      "/linux/intelRdt/closID",
      'invalid closID ".."',
    ],
    [
      "linux.intelRdt",
      "memBwSchema does not start with MB:",
      (c) => c.linux.intelRdt = { memBwSchema: "L3:0=ff" },
      "/linux/intelRdt/memBwSchema",
      "invalid memBwSchema",
    ],
    [
      "linux.memoryPolicy",
      "its mode is unknown",
      (c) => c.linux.memoryPolicy = { mode: "MPOL_FOO" },
      "/linux/memoryPolicy/mode",
      'unknown memory policy mode "MPOL_FOO"',
    ],
    [
      "linux.memoryPolicy",
      "a flag is unknown",
      (c) => c.linux.memoryPolicy = { mode: "MPOL_BIND", flags: ["MPOL_F_X"] },
      "/linux/memoryPolicy/flags/0",
      "unknown memory policy flag",
    ],
    [
      "linux.cgroupsPath",
      "it is a number",
      (c) => c.linux.cgroupsPath = 1,
      "/linux/cgroupsPath",
      "must be a string",
    ],
    [
      "linux.mountLabel",
      "it is a boolean",
      (c) => c.linux.mountLabel = false,
      "/linux/mountLabel",
      "must be a string",
    ],
  ] satisfies Case[],
);

Deno.test("parseSpec() rejects the spec's example of an unknown namespace type with its message", () => {
  const err = assertConfigError(
    () => parseSpec(edited((c) => c.linux.namespaces[2].type = "usr")),
    "/linux/namespaces/2/type",
    "",
  );
  assertEquals(err.message, 'config.json: /linux/namespaces/2/type: unknown namespace type "usr"');
});

Deno.test("parseSpec() accepts every namespace type and rootfs propagation", () => {
  const namespaces = NAMESPACE_TYPES.map((type) => ({ type }));
  for (const rootfsPropagation of ROOTFS_PROPAGATIONS) {
    const linux = { namespaces, rootfsPropagation };
    assertEquals(parseSpec(edited((c) => c.linux = linux)).linux, linux);
  }
});

Deno.test("parseSpec() accepts a fifo without device numbers and keeps device fields", () => {
  const devices = [
    { type: "p", path: "/dev/fifo" },
    { type: "c", path: "/dev/fuse", major: 10, minor: 229, fileMode: 0o666, uid: 0, gid: 0 },
    { type: "u", path: "/dev/u", major: 1, minor: 2, fileMode: 0o4755 },
    // podman's st_mode: S_IFCHR|0666, S_IFBLK|0660, S_IFIFO|0644.
    { type: "c", path: "/dev/null2", major: 1, minor: 3, fileMode: 8630 },
    { type: "b", path: "/dev/b", major: 7, minor: 0, fileMode: 0o60660 },
    { type: "p", path: "/dev/p", fileMode: 0o10644 },
  ];
  assertEquals<unknown>(
    parseSpec(edited((c) => c.linux.devices = devices)).linux?.devices,
    devices,
  );
});

Deno.test("parseSpec() keeps the small linux sections as given", () => {
  const linux = {
    timeOffsets: { monotonic: { secs: -10, nanosecs: 5 }, boottime: { secs: 604800 } },
    personality: { domain: "LINUX32", flags: [] },
    intelRdt: { closID: "guaranteed", schemata: ["L3:0=ff"], memBwSchema: "MB:0=50" },
    netDevices: { eth0: { name: "ctr0" }, ens4: {} },
    memoryPolicy: { mode: "MPOL_INTERLEAVE", nodes: "0-1", flags: ["MPOL_F_STATIC_NODES"] },
    sysctl: { "net.ipv4.ip_forward": "1" },
    uidMappings: map(),
    gidMappings: map({ containerID: 1, size: 65535 }),
  };
  assertEquals(parseSpec(edited((c) => c.linux = linux)).linux, linux);
});
