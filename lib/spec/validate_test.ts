import { assertEquals } from "../testing/assert.ts";
import { parseSpec } from "./parse.ts";
import { SPEC_RULES, sysctlDotted, validateForCreate, validateSpec } from "./validate.ts";
import {
  assertConfigError,
  base,
  type Case,
  edited,
  type Json,
  testRejections,
} from "./_testing.ts";

const validate = (config: Json) => validateSpec(parseSpec(config));
const forCreate = (config: Json) => validateForCreate(parseSpec(config));

/** Removes namespace `type` from c.linux.namespaces. */
const without = (c: Json, type: string) =>
  c.linux.namespaces = c.linux.namespaces.filter((ns: Json) => ns.type !== type);

const userns = (c: Json, maps = [{ containerID: 0, hostID: 1000, size: 10 }]) => {
  c.linux.namespaces.push({ type: "user" });
  c.linux.uidMappings = maps;
  c.linux.gidMappings = maps;
};

testRejections(
  "validateSpec()",
  validate,
  [
    [
      "hostname",
      "there is no UTS namespace",
      (c) => (c.hostname = "box", without(c, "uts")),
      "/hostname",
      "unable to set hostname without a private UTS namespace",
    ],
    [
      "domainname",
      "there is no UTS namespace",
      (c) => (c.domainname = "example.org", without(c, "uts")),
      "/domainname",
      "unable to set domainname without a private UTS namespace",
    ],
    [
      "maskedPaths",
      "there is no mount namespace",
      (c) => (c.linux.maskedPaths = ["/proc/kcore"], without(c, "mount")),
      "/linux/maskedPaths",
      "without a private mount namespace",
    ],
    [
      "readonlyPaths",
      "there is no mount namespace",
      (c) => (c.linux.readonlyPaths = ["/proc/sys"], without(c, "mount")),
      "/linux/readonlyPaths",
      "without a private mount namespace",
    ],
    [
      "uidMappings",
      "there is no user namespace",
      (c) => (userns(c), without(c, "user")),
      "/linux/uidMappings",
      "uidMappings need a user namespace",
    ],
    [
      "gidMappings",
      "there is no user namespace",
      (c) => c.linux.gidMappings = [{ containerID: 0, hostID: 1, size: 1 }],
      "/linux/gidMappings",
      "gidMappings need a user namespace",
    ],
    [
      "a new user namespace",
      "it has no uidMappings",
      (c) => (userns(c), delete c.linux.uidMappings),
      "/linux/uidMappings",
      "a new user namespace needs uidMappings",
    ],
    [
      "a new user namespace",
      "its gidMappings are empty",
      (c) => (userns(c), c.linux.gidMappings = []),
      "/linux/gidMappings",
      "a new user namespace needs gidMappings",
    ],
    [
      "process.user.uid",
      "it is not mapped",
      (c) => (userns(c), c.process.user.uid = 10),
      "/process/user/uid",
      "uid 10 is not mapped in linux.uidMappings",
    ],
    [
      "process.user.gid",
      "it is not mapped",
      (c) => (userns(c), c.process.user.gid = 20),
      "/process/user/gid",
      "gid 20 is not mapped in linux.gidMappings",
    ],
    [
      "process.user.additionalGids",
      "one is not mapped",
      (c) => (userns(c), c.process.user.additionalGids = [5, 65534]),
      "/process/user/additionalGids/1",
      "gid 65534 is not mapped",
    ],
    [
      "timeOffsets",
      "there is no time namespace",
      (c) => c.linux.timeOffsets = { monotonic: { secs: 1 } },
      "/linux/timeOffsets",
      "time offsets need a time namespace",
    ],
    [
      "timeOffsets",
      "the time namespace is joined by path",
      (
        c,
      ) => (c.linux.timeOffsets = {},
        c.linux.namespaces.push({ type: "time", path: "/proc/1/ns/time" })),
      "/linux/timeOffsets",
      "cannot be set on a time namespace joined by path",
    ],
    [
      "a net.* sysctl",
      "there is no network namespace",
      (c) => c.linux.sysctl = { "net.ipv4.ip_forward": "1" },
      "/linux/sysctl/net.ipv4.ip_forward",
      'sysctl "net.ipv4.ip_forward" needs a private network namespace',
    ],
    [
      "a sysctl written with '/'",
      "it is a net.* one without a network namespace",
      (c) => c.linux.sysctl = { "net/ipv4/conf/eth0.100/rp_filter": "1" },
      "/linux/sysctl/net~1ipv4~1conf~1eth0.100~1rp_filter",
      'sysctl "net.ipv4.conf.eth0/100.rp_filter" needs a private network namespace',
    ],
    [
      "an IPC sysctl",
      "there is no IPC namespace",
      (c) => (c.linux.sysctl = { "kernel.shmmax": "1" }, without(c, "ipc")),
      "/linux/sysctl/kernel.shmmax",
      'sysctl "kernel.shmmax" needs a private IPC namespace',
    ],
    [
      "an fs.mqueue sysctl",
      "there is no IPC namespace",
      (c) => (c.linux.sysctl = { "fs.mqueue.msg_max": "10" }, without(c, "ipc")),
      "/linux/sysctl/fs.mqueue.msg_max",
      "needs a private IPC namespace",
    ],
    [
      "kernel.hostname",
      "set as a sysctl",
      (c) => c.linux.sysctl = { "kernel.hostname": "x" },
      "/linux/sysctl/kernel.hostname",
      'conflicts with the "hostname" field',
    ],
    [
      "kernel.domainname",
      "there is no UTS namespace",
      (c) => (c.linux.sysctl = { "kernel.domainname": "x" }, without(c, "uts")),
      "/linux/sysctl/kernel.domainname",
      "is not in a separate kernel namespace",
    ],
    [
      "a host-wide sysctl",
      "it is set at all",
      (c) => c.linux.sysctl = { "vm.swappiness": "10" },
      "/linux/sysctl/vm.swappiness",
      'sysctl "vm.swappiness" is not in a separate kernel namespace',
    ],
  ] satisfies Case[],
);

Deno.test("validateSpec() accepts the namespaced sysctls", () => {
  validate(edited((c) => {
    c.linux.namespaces.push({ type: "network", path: "/var/run/netns/x" });
    c.linux.sysctl = {
      "net.core.somaxconn": "256",
      "kernel.msgmax": "1",
      "fs.mqueue.queues_max": "1",
      "kernel.domainname": "example.org",
    };
  }));
});

Deno.test("validateSpec() accepts an empty hostname without a UTS namespace", () => {
  validate(edited((c) => (c.hostname = "", without(c, "uts"))));
});

Deno.test("validateSpec() accepts a user namespace joined by path without mappings", () => {
  validate(edited((c) => c.linux.namespaces.push({ type: "user", path: "/proc/1/ns/user" })));
});

Deno.test("validateSpec() accepts mapped process ids and a new time namespace with offsets", () => {
  validate(edited((c) => {
    userns(c, [{ containerID: 0, hostID: 100000, size: 65536 }]);
    c.process.user = { uid: 1000, gid: 1000, additionalGids: [5, 65535] };
    c.linux.namespaces.push({ type: "time" });
    c.linux.timeOffsets = { boottime: { secs: 1 } };
  }));
});

Deno.test("validateSpec() accepts a config without a linux section", () => {
  validate(edited((c) => delete c.linux));
});

Deno.test("SPEC_RULES have distinct names", () => {
  const names = SPEC_RULES.map(([name]) => name);
  assertEquals(new Set(names).size, names.length);
});

Deno.test("sysctlDotted() swaps '/' and '.' only when '/' comes first", () => {
  assertEquals(sysctlDotted("net.ipv4.ip_forward"), "net.ipv4.ip_forward");
  assertEquals(sysctlDotted("net/ipv4/ip_forward"), "net.ipv4.ip_forward");
  assertEquals(
    sysctlDotted("net/ipv4/conf/eno2.100/rp_filter"),
    "net.ipv4.conf.eno2/100.rp_filter",
  );
  assertEquals(
    sysctlDotted("net.ipv4.conf.eno2/100.rp_filter"),
    "net.ipv4.conf.eno2/100.rp_filter",
  );
  assertEquals(sysctlDotted("kernel"), "kernel");
});

testRejections(
  "validateForCreate()",
  forCreate,
  [
    [
      "a config",
      "it has no root",
      (c) => delete c.root,
      "/root",
      "is required to create a container",
    ],
    ["a config", "it has no process", (c) => delete c.process, "/process", "is required to create"],
    [
      "process.args",
      "it is missing",
      (c) => delete c.process.args,
      "/process/args",
      "process.args must not be empty",
    ],
    [
      "process.args",
      "it is empty",
      (c) => c.process.args = [],
      "/process/args",
      "process.args must not be empty",
    ],
    [
      "netDevices",
      "there is no network namespace",
      (c) => c.linux.netDevices = { eth1: {} },
      "/linux/netDevices",
      "unable to move network devices without a private network namespace",
    ],
  ] satisfies Case[],
);

Deno.test("validateForCreate() accepts the base config and network devices with a netns", () => {
  forCreate(base());
  forCreate(
    edited((
      c,
    ) => (c.linux.netDevices = { eth1: {} }, c.linux.namespaces.push({ type: "network" }))),
  );
});

Deno.test("validateForCreate() says exactly 'process.args must not be empty'", () => {
  const err = assertConfigError(
    () => forCreate(edited((c) => c.process.args = [])),
    "/process/args",
    "",
  );
  assertEquals(err.message, "config.json: /process/args: process.args must not be empty");
});
