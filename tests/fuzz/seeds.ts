// Writes seed inputs for the bootstrap decoder fuzzer: real bootstrap
// messages as create would send them (runc's default config, and one with
// a user namespace, id maps, namespace paths and extra mounts, and one that
// joins a process's namespaces through a pidfd as exec does, and one whose
// tmpfs mounts are kept in mount slots for their read-only remount and
// recursive attributes after pivot_root, and one whose device nodes, /dev
// symlinks, mounts under /dev and /dev/console bind resolve in the /dev
// mount's slot: UNDER and SUBPATH), encoded by the production encoder. Usage: deno run --allow-write seeds.ts <dir>
//
// Permissions: --allow-write (the output dir).

import { defaultSpec } from "../../lib/spec/mod.ts";
import type { Spec } from "../../lib/spec/types.ts";
import { standardInitPlan } from "../../init/standard_init.ts";
import { namespaceBootstrap } from "../../init/namespaces.ts";
import { encodeBootstrap } from "../../lib/bootstrap/encode.ts";
import { LogLevel } from "../../lib/bootstrap/ids.ts";

function bootstrapOf(
  spec: Spec,
  joinPidfd?: { fd: number; flags: number },
  consoleSocketFd?: number,
): Uint8Array {
  const plan = standardInitPlan({
    consoleSocketFd,
    spec,
    bundle: "/b",
    rootfs: "/b/rootfs",
    noPivot: false,
    execFifoFd: 5,
    preservedFds: 0,
    host: { kcoreExists: false, capLastCap: 40, cgroup: { mode: "unified" } },
  });
  return encodeBootstrap({
    ...namespaceBootstrap(spec),
    ...(joinPidfd ? { cloneFlags: 0, joinPidfd } : {}),
    oomScoreAdj: 100,
    logLevel: LogLevel.debug,
    plan,
  });
}

const base = defaultSpec();
const plain: Spec = { ...base, process: { ...base.process!, terminal: false } };
const userns: Spec = {
  ...plain,
  linux: {
    ...plain.linux,
    namespaces: [
      ...(plain.linux?.namespaces ?? []).filter((n) => n.type !== "network"),
      { type: "user" },
      { type: "network", path: "/proc/1/ns/net" },
    ],
    uidMappings: [{ containerID: 0, hostID: 100000, size: 65536 }],
    gidMappings: [{ containerID: 0, hostID: 100000, size: 65536 }],
    sysctl: { "kernel.domainname": "x" },
  },
  mounts: [...(plain.mounts ?? []), {
    destination: "/data",
    source: "/tmp",
    type: "bind",
    options: ["rbind", "ro", "nosuid"],
  }],
  process: { ...plain.process!, env: ["A=1", "PATH=/bin"], args: ["sh", "-c", "true"] },
};

const slots: Spec = {
  ...plain,
  mounts: [
    ...(plain.mounts ?? []),
    { destination: "/run", type: "tmpfs", source: "tmpfs", options: ["ro", "rshared", "size=1m"] },
    { destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["rnosuid", "rnoexec"] },
  ],
};

// The console too (its bind onto /dev/console), and devices in a subdirectory.
const devSlot: Spec = {
  ...base,
  linux: {
    ...base.linux,
    devices: [
      { path: "/dev/fuse", type: "c", major: 10, minor: 229, fileMode: 0o600, uid: 0, gid: 0 },
      { path: "/dev/net/tun", type: "c", major: 10, minor: 200 },
    ],
  },
};

const dir = Deno.args[0];
if (!dir) throw new Error("usage: seeds.ts <dir>");
Deno.mkdirSync(dir, { recursive: true });
Deno.writeFileSync(`${dir}/default`, bootstrapOf(plain));
Deno.writeFileSync(`${dir}/userns`, bootstrapOf(userns));
Deno.writeFileSync(`${dir}/slots`, bootstrapOf(slots));
Deno.writeFileSync(`${dir}/dev_slot`, bootstrapOf(devSlot, undefined, 6));
// CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC, as exec's joinFlags gives.
const execFlags = 0x00020000 | 0x20000000 | 0x04000000 | 0x08000000;
Deno.writeFileSync(`${dir}/exec_pidfd`, bootstrapOf(plain, { fd: 7, flags: execFlags }));
