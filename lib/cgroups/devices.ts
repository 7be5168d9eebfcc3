// The device rules a container's cgroup enforces: the config's rules, then
// runc's always-allowed defaults and the devices the config creates
// (runc's specconv.AllowedDevices + CreateCgroupConfig), and their v1
// devices.allow/deny form.
//
// Permissions: none.

import type { DeviceRule, Spec } from "../spec/types.ts";
import { type CgroupWrite, type ControllerPlan, w } from "./write.ts";

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
 * v1: deny everything, then replay the rules. A whole-type "a" allow rule
 * turns the list into a deny list, as the kernel's own semantics do.
 */
export function devicesV1Plan(rules: readonly DeviceCgroupRule[]): ControllerPlan {
  const writes: CgroupWrite[] = [w("devices.deny", "a")];
  for (const r of rules) writes.push(w(r.allow ? "devices.allow" : "devices.deny", ruleText(r)));
  return { writes, warnings: [] };
}
