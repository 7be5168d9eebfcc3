// The device rules a container's cgroup enforces: the config's rules, then
// runc's always-allowed defaults (runc's specconv.AllowedDevices +
// CreateCgroupConfig). A device in linux.devices is created, not allowed:
// only linux.resources.devices and the defaults decide access, as in runc
// and crun. v1/devices.ts writes them to the devices controller,
// v2/device_filter.ts compiles them.
//
// Permissions: none.

import type { DeviceRule, Spec } from "../spec/types.ts";

/** A rule with every field resolved: type "a"|"c"|"b", major/minor -1 for "*". */
export interface DeviceCgroupRule {
  readonly allow: boolean;
  readonly type: "a" | "c" | "b";
  readonly major: number;
  readonly minor: number;
  readonly access: string;
}

const rule = (type: "c" | "b", major: number, minor: number, access: string) => ({
  allow: true,
  type,
  major,
  minor,
  access,
});

/** runc's AllowedDevices: mknod of anything; null, zero, full, tty, random, urandom, pts, ptmx, tun. */
export const DEFAULT_ALLOWED: readonly DeviceCgroupRule[] = [
  rule("c", -1, -1, "m"),
  rule("b", -1, -1, "m"),
  rule("c", 1, 3, "rwm"),
  rule("c", 1, 8, "rwm"),
  rule("c", 1, 7, "rwm"),
  rule("c", 5, 0, "rwm"),
  rule("c", 1, 5, "rwm"),
  rule("c", 1, 9, "rwm"),
  rule("c", 136, -1, "rwm"),
  rule("c", 5, 2, "rwm"),
  rule("c", 10, 200, "rwm"),
];

export function normalizeRule(r: DeviceRule): DeviceCgroupRule {
  return {
    allow: r.allow,
    type: (r.type ?? "a") as "a" | "c" | "b",
    major: r.major ?? -1,
    minor: r.minor ?? -1,
    access: r.access || "rwm",
  };
}

/** The effective rule list, in order; later rules win. */
export function deviceRules(spec: Spec): DeviceCgroupRule[] {
  const fromConfig = (spec.linux?.resources?.devices ?? []).map(normalizeRule);
  return [...fromConfig, ...DEFAULT_ALLOWED];
}

/** "c 1:3 rwm", "a *:* rwm" as devices.allow and devices.deny take it. */
export function ruleText(r: DeviceCgroupRule): string {
  const n = (x: number) => (x < 0 ? "*" : String(x));
  return `${r.type} ${n(r.major)}:${n(r.minor)} ${r.access}`;
}

/**
 * The rule list of `runo update` with `devices`: runc's defaults, then the
 * update's rules. They come last (at create the config's rules come first)
 * so an update can take back any device, /dev/null included.
 */
export function updateDeviceRules(devices: readonly DeviceRule[]): DeviceCgroupRule[] {
  return [...DEFAULT_ALLOWED, ...devices.map(normalizeRule)];
}
