import { assert, assertEquals } from "../testing/assert.ts";
import { defaultSpec } from "./default.ts";
import { parseSpec } from "./parse.ts";
import { validateForCreate, validateSpec } from "./validate.ts";

const CAPS = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];
const MASKED = [
  "/proc/acpi",
  "/proc/asound",
  "/proc/kcore",
  "/proc/keys",
  "/proc/latency_stats",
  "/proc/timer_list",
  "/proc/timer_stats",
  "/proc/sched_debug",
  "/sys/firmware",
  "/proc/scsi",
];
const READONLY = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

// `runc spec` (runc 1.1.5, spec 1.0.2-dev), as it wrote config.json here.
const RUNC_SPEC = {
  ociVersion: "1.0.2-dev",
  process: {
    terminal: true,
    user: { uid: 0, gid: 0 },
    args: ["sh"],
    env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
    cwd: "/",
    capabilities: { bounding: CAPS, effective: CAPS, permitted: CAPS, ambient: CAPS },
    rlimits: [{ type: "RLIMIT_NOFILE", hard: 1024, soft: 1024 }],
    noNewPrivileges: true,
  },
  root: { path: "rootfs", readonly: true },
  hostname: "runc",
  mounts: [
    { destination: "/proc", type: "proc", source: "proc" },
    {
      destination: "/dev",
      type: "tmpfs",
      source: "tmpfs",
      options: ["nosuid", "strictatime", "mode=755", "size=65536k"],
    },
    {
      destination: "/dev/pts",
      type: "devpts",
      source: "devpts",
      options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
    },
    {
      destination: "/dev/shm",
      type: "tmpfs",
      source: "shm",
      options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
    },
    {
      destination: "/dev/mqueue",
      type: "mqueue",
      source: "mqueue",
      options: ["nosuid", "noexec", "nodev"],
    },
    {
      destination: "/sys",
      type: "sysfs",
      source: "sysfs",
      options: ["nosuid", "noexec", "nodev", "ro"],
    },
    {
      destination: "/sys/fs/cgroup",
      type: "cgroup",
      source: "cgroup",
      options: ["nosuid", "noexec", "nodev", "relatime", "ro"],
    },
  ],
  linux: {
    resources: { devices: [{ allow: false, access: "rwm" }] },
    namespaces: [
      { type: "pid" },
      { type: "network" },
      { type: "ipc" },
      { type: "uts" },
      { type: "mount" },
    ],
    maskedPaths: MASKED,
    readonlyPaths: READONLY,
  },
};

// `runc spec --rootless`, run as uid 0 gid 0: only these parts differ.
function runcRootless(uid: number, gid: number) {
  const mounts = structuredClone(RUNC_SPEC.mounts);
  mounts[2].options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"];
  mounts[5] = {
    destination: "/sys",
    type: "none",
    source: "/sys",
    options: ["rbind", "nosuid", "noexec", "nodev", "ro"],
  };
  return {
    ...RUNC_SPEC,
    mounts,
    linux: {
      uidMappings: [{ containerID: 0, hostID: uid, size: 1 }],
      gidMappings: [{ containerID: 0, hostID: gid, size: 1 }],
      namespaces: [
        { type: "pid" },
        { type: "ipc" },
        { type: "uts" },
        { type: "mount" },
        { type: "user" },
      ],
      maskedPaths: MASKED,
      readonlyPaths: READONLY,
    },
  };
}

Deno.test("defaultSpec() is runc spec's config, key order included", () => {
  assertEquals<unknown>(defaultSpec(), RUNC_SPEC);
  assertEquals(JSON.stringify(defaultSpec(), null, "\t"), JSON.stringify(RUNC_SPEC, null, "\t"));
});

Deno.test("defaultSpec() with rootless is runc spec --rootless's config for the ids given", () => {
  const spec = defaultSpec({ rootless: true, uid: 0, gid: 0 });
  assertEquals(JSON.stringify(spec, null, "\t"), JSON.stringify(runcRootless(0, 0), null, "\t"));
  assertEquals<unknown>(
    defaultSpec({ rootless: true, uid: 1000, gid: 100 }),
    runcRootless(1000, 100),
  );
});

Deno.test("defaultSpec() passes parsing, validation and the create rules unchanged", () => {
  for (const spec of [defaultSpec(), defaultSpec({ rootless: true, uid: 1000, gid: 1000 })]) {
    const parsed = parseSpec(spec);
    assertEquals(parsed, spec);
    validateSpec(parsed);
    validateForCreate(parsed);
  }
});

Deno.test("defaultSpec() returns a fresh object each call", () => {
  const a = defaultSpec();
  (a.process!.capabilities!.bounding as string[]).push("CAP_SYS_ADMIN");
  (a.linux!.maskedPaths as string[]).length = 0;
  assertEquals<unknown>(defaultSpec(), RUNC_SPEC);
  assert(a.mounts !== defaultSpec().mounts);
});
