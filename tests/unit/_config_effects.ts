// What runo does with a config, as data, for tests/unit/config_fields_test.ts:
// the planners and plans the runtime itself uses (the init's plan, the
// bootstrap's namespaces, each cgroup controller's writes on a v1 and a v2
// host, the device rules, the hooks, the seccomp filter and its agent's
// state, the netDevices moves, the resctrl writes, exec's CPU affinity and
// its plan, the cgroup path), run without the kernel. Two configs that
// differ in a field the runtime carries out give different actions.
//
// Permissions: none.

import type { Hook, Spec } from "../../lib/spec/types.ts";
import { validateForCreate, validateSpec } from "../../lib/spec/validate.ts";
import { standardInitPlan } from "../../init/standard_init.ts";
import { setnsInitPlan } from "../../init/setns_init.ts";
import { namespaceBootstrap } from "../../init/namespaces.ts";
import { planJson } from "../../lib/bootstrap/plan.ts";
import { memoryPlan } from "../../lib/cgroups/v1/memory.ts";
import { cpuPlan, cpusetPlan } from "../../lib/cgroups/v1/cpu.ts";
import { pidsPlan } from "../../lib/cgroups/v1/pids.ts";
import { blkioPlan } from "../../lib/cgroups/v1/blkio.ts";
import { hugetlbPlan, netClsPlan, netPrioPlan, rdmaPlan } from "../../lib/cgroups/v1/misc.ts";
import { v2Plan } from "../../lib/cgroups/v2/plan.ts";
import { deviceRules } from "../../lib/cgroups/devices.ts";
import { resolveCgroupPath } from "../../lib/cgroups/path.ts";
import { filterSpec } from "../../lib/seccomp/profile.ts";
import { listenerState } from "../../lib/seccomp/notify.ts";
import { netDeviceMoves } from "../../lib/netdev/move.ts";
import { applyIntelRdt, checkIntelRdt, type ResctrlFacts } from "../../lib/intelrdt/resctrl.ts";
import { execAffinityPlan } from "../../lib/process/cpu_affinity.ts";
import { hookArgv } from "../../lib/spec/hooks.ts";
import { MemCgroupFs } from "../../lib/cgroups/memfs.ts";
import { checkNoUnified } from "../../lib/cgroups/v1/manager.ts";
import { idmapRequests } from "../../init/idmapped_mounts.ts";
import { configWarnings } from "../../lib/spec/warned_fields.ts";
import { memoryUpdateCheck } from "../../lib/container/update.ts";
import type { ControllerPlan } from "../../lib/cgroups/write.ts";

export type HostKind = "v1" | "v2";

export interface Observation {
  /** Everything runo would do, as one JSON text. */
  readonly actions: string;
  readonly warnings: readonly string[];
}

const RESCTRL: ResctrlFacts = {
  mountpoint: "/sys/fs/resctrl",
  cat: true,
  mba: true,
  monitoring: true,
};

function cgroupPlans(spec: Spec, host: HostKind): ControllerPlan[] {
  const r = spec.linux?.resources ?? {};
  if (host === "v1") checkNoUnified(r);
  if (host === "v2") {
    return [
      v2Plan(r, {
        controllers: ["cpu", "memory", "io", "pids", "hugetlb", "rdma", "cpuset"],
        bfq: false,
      }),
    ];
  }
  return [
    memoryPlan(r.memory, { limit: -1, kmemTcp: false }),
    cpuPlan(r.cpu),
    cpusetPlan(r.cpu),
    pidsPlan(r.pids),
    blkioPlan(r.blockIO, { weightPrefix: "blkio." }),
    hugetlbPlan(r.hugepageLimits),
    netClsPlan(r.network),
    netPrioPlan(r.network),
    rdmaPlan(r.rdma),
  ];
}

function initPlan(spec: Spec, host: HostKind): string {
  const cgroup = host === "v2"
    ? { mode: "unified" as const }
    : { mode: "hybrid" as const, v1: [{ mountpoint: "/sys/fs/cgroup/memory", path: "/c" }] };
  const seccomp = spec.linux?.seccomp
    ? {
      bpf: new Uint8Array(8),
      flags: filterSpec(spec.linux.seccomp).flags,
      notify: filterSpec(spec.linux.seccomp).notify,
    }
    : undefined;
  const treeFds = new Map(
    (spec.mounts ?? []).map((_m, i) => [i, 20 + i] as const).filter(([i]) =>
      spec.mounts![i].uidMappings
    ),
  );
  return planJson(standardInitPlan({
    spec,
    bundle: "/b",
    rootfs: `/b/${spec.root?.path ?? "rootfs"}`,
    noPivot: false,
    execFifoFd: 5,
    preservedFds: 0,
    host: { kcoreExists: false, cgroup, capLastCap: 40, lsm: { apparmor: true, selinux: true } },
    seccomp,
    hookStateFd: 6,
    consoleSocketFd: spec.process?.terminal ? 7 : undefined,
    treeFds,
  }));
}

function execPlan(spec: Spec): string {
  const process = spec.process!;
  return planJson(setnsInitPlan({
    spec,
    process,
    preservedFds: 0,
    consoleSocketFd: process.terminal ? 7 : undefined,
    lsm: { apparmor: true, selinux: true },
    capLastCap: 40,
  }));
}

function rdtWrites(spec: Spec): string[] {
  const rdt = spec.linux?.intelRdt;
  if (!rdt) return [];
  checkIntelRdt(rdt, RESCTRL);
  const fs = new MemCgroupFs({
    "/sys/fs/resctrl/schemata": "",
    "/sys/fs/resctrl/gold/schemata": "",
  });
  applyIntelRdt(fs, RESCTRL, rdt, "c", 1);
  return fs.log;
}

function updateCheck(spec: Spec): string {
  const resources = spec.linux?.resources ?? {};
  try {
    memoryUpdateCheck(resources, { memory: { limit: 1 << 20 } }, 1 << 30);
    return "written";
  } catch (err) {
    return (err as Error).message;
  }
}

/** What runo does with `spec` on a `host` kind of cgroup setup; throws its refusals. */
export function observe(spec: Spec, host: HostKind): Observation {
  validateSpec(spec);
  validateForCreate(spec);
  const plans = cgroupPlans(spec, host);
  const seccomp = spec.linux?.seccomp;
  const actions = {
    init: initPlan(spec, host),
    exec: execPlan(spec),
    bootstrap: { ...namespaceBootstrap(spec), oomScoreAdj: spec.process?.oomScoreAdj },
    cgroupPath: resolveCgroupPath(spec.linux?.cgroupsPath, "c", "/own"),
    cgroupWrites: plans.flatMap((p) => p.writes),
    devices: deviceRules(spec),
    hooks: Object.fromEntries(
      Object.entries(spec.hooks ?? {}).map(([phase, list]) => [
        phase,
        ((list ?? []) as readonly Hook[]).map((h) => ({
          path: h.path,
          argv: hookArgv(h),
          env: h.env,
          timeout: h.timeout,
        })),
      ]),
    ),
    seccomp: seccomp && {
      filter: filterSpec(seccomp),
      agent: seccomp.listenerPath &&
        {
          to: seccomp.listenerPath,
          state: listenerState({ ociVersion: "1", id: "c", bundle: "/b" }, seccomp, 1),
        },
    },
    netDevices: netDeviceMoves(spec),
    // The parent builds each idmapped tree with these maps (lib/namespaces/idmap_trees.ts).
    idmapTrees: idmapRequests(spec, "/b"),
    intelRdt: rdtWrites(spec),
    execAffinity: execAffinityPlan(spec.process?.execCPUAffinity),
    // Copied into the state (runo state, hooks, the seccomp agent).
    annotations: spec.annotations,
    // `update` of the memory limit to 1 MiB while 1 GiB is in use.
    update: updateCheck(spec),
  };
  return {
    actions: JSON.stringify(
      actions,
      (_k, v) => typeof v === "bigint" ? String(v) : v instanceof Uint8Array ? [...v].join(",") : v,
    ),
    warnings: [...configWarnings(spec), ...plans.flatMap((p) => p.warnings)],
  };
}
