// The one list of config fields runo accepts without carrying them out on
// some host, warning instead, where runc warns (or where runc ignores them
// in silence; runo then warns). Everything else a config may hold is
// applied or refused with an error naming its JSON pointer:
// tests/unit/config_fields_test.ts walks the runtime spec's schema and
// fails on any field that is parsed but has no effect, no refusal and no
// warning listed here. Each warning names the field (dotted, as
// "linux.resources.memory.kernel").
//
// Permissions: none.

import type { Spec } from "./types.ts";

/** JSON pointer pattern ("*": any array index or map key) → when runo warns. */
export const WARNED_FIELDS: Readonly<Record<string, string>> = {
  "/linux/resources/memory/kernel": "always: kernel memory limits are deprecated (runc 1.2+)",
  "/linux/resources/memory/kernelTCP": "cgroup v2, and v1 kernels without memory.kmem.tcp",
  "/linux/resources/memory/swappiness": "cgroup v2 (no swappiness file)",
  "/linux/resources/memory/disableOOMKiller": "cgroup v2 (no memory.oom_control)",
  "/linux/resources/cpu/realtimeRuntime": "cgroup v2 (no rt bandwidth)",
  "/linux/resources/cpu/realtimePeriod": "cgroup v2 (no rt bandwidth)",
  "/linux/resources/network/classID": "cgroup v2 (no net_cls)",
  "/linux/resources/network/priorities/*/name": "cgroup v2 (no net_prio)",
  "/linux/resources/network/priorities/*/priority": "cgroup v2 (no net_prio)",
  "/linux/resources/blockIO/leafWeight": "BFQ and cgroup v2 (no leaf weight)",
  "/linux/resources/blockIO/weightDevice/*/leafWeight": "BFQ and cgroup v2 (no leaf weight)",
  "/linux/resources/memory/useHierarchy": "cgroup v2 (always hierarchical)",
  "/linux/personality/flags": "always: no personality flag is supported (runc warns too)",
};

/** The warnings a config gets whatever the host (create logs them; cgroups add theirs). */
export function configWarnings(spec: Spec): string[] {
  const flags = spec.linux?.personality?.flags ?? [];
  // runc: "ignoring unsupported personality flags ... has not supported at this time".
  return flags.length > 0
    ? [
      `linux.personality.flags are ignored: no personality flag is supported (${flags.join(", ")})`,
    ]
    : [];
}
