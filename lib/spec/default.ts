// The config `runo spec` writes: field for field (and key for key, so the
// JSON text matches) what `runc spec` 1.1 writes, and with `rootless` what
// `runc spec --rootless` writes.
//
// Permissions: none (the caller passes the uid and gid to map).

import type { Linux, NamespaceType, Spec } from "./types.ts";

/** The runtime spec version runo's configs declare (runc 1.1's). */
export const SPEC_VERSION = "1.0.2-dev";

export type DefaultSpecOptions =
  | { readonly rootless?: false }
  /** uid and gid: the host ids mapped to root in the container (runc uses its euid/egid). */
  | { readonly rootless: true; readonly uid: number; readonly gid: number };

const CAPS = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];

const MASKED_PATHS = [
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

const READONLY_PATHS = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

// Without CAP_SYS_ADMIN in the host's user namespace a fresh sysfs cannot
// be mounted, so rootless binds the host's; and group 5 (tty) is unmapped.
function mounts(rootless: boolean) {
  return [
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
      options: [
        "nosuid",
        "noexec",
        "newinstance",
        "ptmxmode=0666",
        "mode=0620",
        ...(rootless ? [] : ["gid=5"]),
      ],
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
    rootless
      ? {
        destination: "/sys",
        type: "none",
        source: "/sys",
        options: ["rbind", "nosuid", "noexec", "nodev", "ro"],
      }
      : {
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
  ];
}

const namespaces = (...types: NamespaceType[]) => types.map((type) => ({ type }));

// Rootless: a user namespace mapping root to the caller, and no network
// namespace (nothing could configure one) nor device cgroup rules (runc
// drops linux.resources when rootless).
function linux(options: DefaultSpecOptions): Linux {
  const common = {
    maskedPaths: [...MASKED_PATHS],
    readonlyPaths: [...READONLY_PATHS],
  };
  if (!options.rootless) {
    return {
      resources: { devices: [{ allow: false, access: "rwm" }] },
      namespaces: namespaces("pid", "network", "ipc", "uts", "mount"),
      ...common,
    };
  }
  return {
    uidMappings: [{ containerID: 0, hostID: options.uid, size: 1 }],
    gidMappings: [{ containerID: 0, hostID: options.gid, size: 1 }],
    namespaces: namespaces("pid", "ipc", "uts", "mount", "user"),
    ...common,
  };
}

/** A fresh default config each call (callers may edit the copy they get). */
export function defaultSpec(options: DefaultSpecOptions = {}): Spec {
  return {
    ociVersion: SPEC_VERSION,
    process: {
      terminal: true,
      user: { uid: 0, gid: 0 },
      args: ["sh"],
      env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
      cwd: "/",
      capabilities: {
        bounding: [...CAPS],
        effective: [...CAPS],
        permitted: [...CAPS],
        ambient: [...CAPS],
      },
      rlimits: [{ type: "RLIMIT_NOFILE", hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: "rootfs", readonly: true },
    hostname: "runc",
    mounts: mounts(options.rootless === true),
    linux: linux(options),
  };
}
