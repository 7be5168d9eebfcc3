// encodeBootstrap on a realistic plan: runc's default config (`runo spec`)
// with a seccomp program, a user namespace and a few bind mounts, as create
// sends it. Run: deno bench --no-prompt bench/encode_bench.ts
//
// Permissions: none.

import { defaultSpec } from "../lib/spec/mod.ts";
import type { Spec } from "../lib/spec/types.ts";
import { standardInitPlan } from "../init/standard_init.ts";
import { encodeBootstrap } from "../lib/bootstrap/encode.ts";
import type { Bootstrap } from "../lib/bootstrap/plan.ts";

const base = defaultSpec();
const spec: Spec = {
  ...base,
  process: { ...base.process!, terminal: false, env: ["PATH=/bin", "HOME=/root", "TERM=xterm"] },
  mounts: [
    ...(base.mounts ?? []),
    ...Array.from({ length: 6 }, (_, i) => ({
      destination: `/data${i}`,
      source: `/srv/data${i}`,
      type: "bind",
      options: ["rbind", "ro", "nosuid"],
    })),
  ],
  linux: { ...base.linux, seccomp: { defaultAction: "SCMP_ACT_ERRNO" } },
};

const plan = standardInitPlan({
  spec,
  bundle: "/b",
  rootfs: "/b/rootfs",
  noPivot: false,
  execFifoFd: 5,
  preservedFds: 0,
  host: { kcoreExists: true, cgroup: { mode: "unified" }, capLastCap: 40 },
  seccomp: { bpf: new Uint8Array(8 * 300), flags: 0, notify: false },
});

export const bootstrap: Bootstrap = {
  cloneFlags: 0x7e020000,
  nsPaths: [],
  uidMap: "0 100000 65536\n",
  gidMap: "0 100000 65536\n",
  logLevel: 1,
  plan,
};

Deno.bench("encodeBootstrap() of a default-config plan", () => {
  encodeBootstrap(bootstrap);
});
