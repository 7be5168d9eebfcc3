// The device rules a container's cgroup enforces: the config's rules, then
// runc's always-allowed defaults and the devices the config creates
// (runc's specconv.AllowedDevices + CreateCgroupConfig). v1/devices.ts
// writes them to the devices controller, v2/device_filter.ts compiles them.
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
  const created = (spec.linux?.devices ?? [])
    .filter((d) => d.type === "c" || d.type === "b" || d.type === "u")
    .map((d) => rule(d.type === "b" ? "b" : "c", d.major ?? -1, d.minor ?? -1, "rwm"));
  return [...fromConfig, ...DEFAULT_ALLOWED, ...created];
}

/** "c 1:3 rwm", "a *:* rwm" as devices.allow and devices.deny take it. */
export function ruleText(r: DeviceCgroupRule): string {
  const n = (x: number) => (x < 0 ? "*" : String(x));
  return `${r.type} ${n(r.major)}:${n(r.minor)} ${r.access}`;
}

/**
 * The rule list of `runo update` with `devices`: runc's defaults and the
 * created devices, then the update's rules. They come last (at create the
 * config's rules come first) so an update can take back any device,
 * /dev/null or a device the config created included.
 */
export function updateDeviceRules(spec: Spec, devices: readonly DeviceRule[]): DeviceCgroupRule[] {
  const created = deviceRules({ ...spec, linux: { ...spec.linux, resources: {} } });
  return [...created, ...devices.map(normalizeRule)];
}
