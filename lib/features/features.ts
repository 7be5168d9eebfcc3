// The OCI features document (runtime spec "features.md", runc's `features`
// command): what this runo can do. Each claim is derived from the code that
// does it wherever the code has a table (mount options through the mount
// option parser, namespaces, capabilities, seccomp actions and operators),
// so the document cannot drift from the implementation; the rest is stated
// here with the reason. The host facts (libseccomp present, kernel
// version) come from lib/features/probe.ts.
//
// Permissions: none.

import { CLONE_FLAG } from "../bootstrap/clone_flags.ts";
import { CAPABILITIES } from "../../init/capabilities.ts";
import { MOUNT_OPTION_NAMES, parseMountOptions } from "../../init/mount_options.ts";
import { mountsPlan } from "../../init/mounts.ts";
import { ACTION_BASE, actionValue, FILTER_FLAGS, OPERATORS } from "../seccomp/profile.ts";
import type { HookPhase } from "../spec/hooks.ts";
import { OCI_VERSION } from "../version.ts";
import { MPOL_FLAGS, MPOL_MODES } from "../../init/memory_policy.ts";

export const OCI_VERSION_MIN = "1.0.0";
/** The runtime spec version runo implements (state.json says the same). */
export const OCI_VERSION_MAX = OCI_VERSION;

export interface FeatureFacts {
  /** libseccomp's version ("2.5.4"), or null when it cannot be loaded. */
  readonly libseccomp: string | null;
  /** The kernel release ("6.18.0"), or null when unknown. */
  readonly kernel: string | null;
  /** runo's own version, as an annotation. */
  readonly runoVersion: string;
}

export interface Features {
  readonly ociVersionMin: string;
  readonly ociVersionMax: string;
  readonly hooks: readonly HookPhase[];
  readonly mountOptions: readonly string[];
  readonly linux: {
    readonly namespaces: readonly string[];
    readonly capabilities: readonly string[];
    readonly cgroup: Readonly<Record<"v1" | "v2" | "systemd" | "systemdUser" | "rdma", boolean>>;
    readonly seccomp: {
      readonly enabled: boolean;
      readonly actions?: readonly string[];
      readonly operators?: readonly string[];
      readonly archs?: readonly string[];
      readonly knownFlags?: readonly string[];
      readonly supportedFlags?: readonly string[];
    };
    readonly apparmor: { readonly enabled: boolean };
    readonly selinux: { readonly enabled: boolean };
    readonly intelRdt: {
      readonly enabled: boolean;
      readonly schemata: boolean;
      readonly monitoring: boolean;
    };
    readonly mountExtensions: { readonly idmap: { readonly enabled: boolean } };
    readonly netDevices: { readonly enabled: boolean };
    readonly memoryPolicy: { readonly modes: readonly string[]; readonly flags: readonly string[] };
  };
  readonly annotations: Readonly<Record<string, string>>;
}

/** Every hook phase: lib/hooks runs all six. */
const HOOKS: readonly HookPhase[] = [
  "prestart",
  "createRuntime",
  "createContainer",
  "startContainer",
  "poststart",
  "poststop",
];

/**
 * Options the parser turns into flags, propagation or attributes (not fs
 * data) and the mount planner accepts (it refuses some it parses).
 */
export function supportedMountOptions(): string[] {
  return MOUNT_OPTION_NAMES.filter((o) => {
    if (o === "defaults") return true; // accepted and dropped, as mount(8) does
    const p = parseMountOptions([o]);
    return p.data === "" && !p.tmpcopyup && plans(o);
  }).sort();
}

/** The planner accepts a bind mount with this option. */
function plans(option: string): boolean {
  const spec = {
    ociVersion: OCI_VERSION_MAX,
    mounts: [{ destination: "/m", type: "bind", source: "/m", options: ["bind", option] }],
  };
  const ctx = {
    bundle: "/",
    cgroup: { mode: "unified" },
    userns: false,
    cgroupns: false,
    // An idmapped bind is attached from a tree the parent prepared.
    treeFds: new Map([[0, 3]]),
  } as const;
  try {
    mountsPlan(spec, ctx);
    return true;
  } catch {
    return false;
  }
}

/** The parser's actions (lib/spec/parse_seccomp.ts) that profile.ts maps to a value. */
function supportedActions(): string[] {
  return Object.keys(ACTION_BASE).filter((a) => {
    try {
      actionValue(a, undefined, "");
      return true;
    } catch {
      return false;
    }
  }).sort();
}

/** Architectures libseccomp resolves, by the version that added them. */
const ARCHS_SINCE: readonly (readonly [string, string])[] = [
  ["SCMP_ARCH_X86", "2.0.0"],
  ["SCMP_ARCH_X86_64", "2.0.0"],
  ["SCMP_ARCH_X32", "2.1.0"],
  ["SCMP_ARCH_ARM", "2.1.0"],
  ["SCMP_ARCH_AARCH64", "2.2.0"],
  ["SCMP_ARCH_MIPS", "2.2.0"],
  ["SCMP_ARCH_MIPS64", "2.2.0"],
  ["SCMP_ARCH_MIPS64N32", "2.2.0"],
  ["SCMP_ARCH_MIPSEL", "2.2.0"],
  ["SCMP_ARCH_MIPSEL64", "2.2.0"],
  ["SCMP_ARCH_MIPSEL64N32", "2.2.0"],
  ["SCMP_ARCH_PPC", "2.3.0"],
  ["SCMP_ARCH_PPC64", "2.2.0"],
  ["SCMP_ARCH_PPC64LE", "2.2.0"],
  ["SCMP_ARCH_S390", "2.2.0"],
  ["SCMP_ARCH_S390X", "2.2.0"],
  ["SCMP_ARCH_PARISC", "2.4.0"],
  ["SCMP_ARCH_PARISC64", "2.4.0"],
  ["SCMP_ARCH_RISCV64", "2.5.0"],
  ["SCMP_ARCH_LOONGARCH64", "2.6.0"],
  ["SCMP_ARCH_M68K", "2.6.0"],
  ["SCMP_ARCH_SH", "2.6.0"],
  ["SCMP_ARCH_SHEB", "2.6.0"],
]; // deno-fmt-ignore

/** Kernel version that accepts each seccomp(2) filter flag. */
const FLAG_SINCE: Readonly<Record<string, string>> = {
  SECCOMP_FILTER_FLAG_TSYNC: "3.17.0",
  SECCOMP_FILTER_FLAG_LOG: "4.14.0",
  SECCOMP_FILTER_FLAG_SPEC_ALLOW: "4.17.0",
  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: "5.19.0",
};

/** "6.18.0-1-amd64" ≥ "5.19.0"? Compares the leading numbers. */
export function versionAtLeast(version: string, min: string): boolean {
  const nums = (v: string) => (v.match(/^\d+(\.\d+)*/)?.[0] ?? "0").split(".").map(Number);
  const a = nums(version), b = nums(min);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

function seccompFeatures(facts: FeatureFacts): Features["linux"]["seccomp"] {
  const lib = facts.libseccomp;
  if (lib === null) return { enabled: false };
  const known = Object.keys(FILTER_FLAGS).sort();
  const kernel = facts.kernel;
  return {
    enabled: true,
    actions: supportedActions(),
    operators: Object.keys(OPERATORS).sort(),
    archs: ARCHS_SINCE.filter(([, since]) => versionAtLeast(lib, since)).map(([a]) => a).sort(),
    knownFlags: known,
    supportedFlags: kernel === null
      ? []
      : known.filter((f) => versionAtLeast(kernel, FLAG_SINCE[f] ?? "999")),
  };
}

/**
 * Idmapped bind mounts: the planner carries them out (init/mounts.ts) and
 * the kernel has mount_setattr(2) with MOUNT_ATTR_IDMAP (5.12).
 */
function idmapSupported(facts: FeatureFacts): boolean {
  return plans("idmap") && (facts.kernel === null || versionAtLeast(facts.kernel, "5.12.0"));
}

export function buildFeatures(facts: FeatureFacts): Features {
  const annotations: Record<string, string> = {
    "org.opencontainers.runc.checkpoint.enabled": "false",
    "io.github.runo.version": facts.runoVersion,
    // process.execCPUAffinity (lib/process/cpu_affinity.ts): features.md has
    // no entry for it; runo says here that exec applies both lists.
    "io.github.runo.execCPUAffinity": "initial,final",
  };
  if (facts.libseccomp !== null) {
    annotations["io.github.seccomp.libseccomp.version"] = facts.libseccomp;
  }
  return {
    ociVersionMin: OCI_VERSION_MIN,
    ociVersionMax: OCI_VERSION_MAX,
    hooks: HOOKS,
    mountOptions: supportedMountOptions().filter((o) =>
      idmapSupported(facts) || (o !== "idmap" && o !== "ridmap")
    ),
    linux: {
      namespaces: Object.keys(CLONE_FLAG).sort(),
      capabilities: Object.entries(CAPABILITIES).sort((a, b) => a[1] - b[1]).map(([n]) => n),
      // lib/cgroups: a v1 manager per hierarchy (rdma among them), a v2 one,
      // and the systemd driver (lib/cgroups/systemd), rootless through the
      // user's manager on cgroup v2 hosts, as runc.
      cgroup: { v1: true, v2: true, systemd: true, systemdUser: true, rdma: true },
      seccomp: seccompFeatures(facts),
      // "enabled" means the runtime supports it (init/lsm.ts), not that the
      // host runs it (spec: features-linux.md).
      apparmor: { enabled: true },
      selinux: { enabled: true },
      // lib/intelrdt: through resctrl where it is mounted (the spec: "irrelevant
      // to the availability of Intel RDT on the host"), refused elsewhere.
      intelRdt: { enabled: true, schemata: true, monitoring: true },
      mountExtensions: { idmap: { enabled: idmapSupported(facts) } },
      // lib/netdev/move.ts moves them at create (rootless: refused).
      netDevices: { enabled: true },
      // What init/memory_policy.ts maps to set_mempolicy(2) values.
      memoryPolicy: {
        modes: Object.keys(MPOL_MODES).sort(),
        flags: Object.keys(MPOL_FLAGS).sort(),
      },
    },
    annotations,
  };
}
