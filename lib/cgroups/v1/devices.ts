// The v1 devices controller as runc 1.1+ drives it (libcontainer/cgroups/
// devices/v1.go): the cgroup's current state (devices.list) and the
// wanted state (the rules replayed as the kernel would) are compared, and
// only the difference is written. A running container so never loses,
// even briefly, a device both states allow; only a change of default
// (allow-all ↔ deny-all) needs the disruptive "a" rule first.
//
// Permissions: none.

import type { DeviceCgroupRule } from "../devices.ts";
import { type CgroupWrite, type ControllerPlan, w } from "../write.ts";

/** A devices cgroup as the kernel holds it: a default and exceptions keyed "type major:minor". */
export interface DeviceState {
  readonly defaultAllow: boolean;
  /** Key → access letters, a subset of "rwm". */
  readonly exceptions: ReadonlyMap<string, string>;
}

const key = (r: { type: string; major: number; minor: number }) =>
  `${r.type} ${r.major < 0 ? "*" : r.major}:${r.minor < 0 ? "*" : r.minor}`;

const union = (a: string, b: string) =>
  "rwm".split("").filter((c) => a.includes(c) || b.includes(c)).join("");
const minus = (a: string, b: string) =>
  "rwm".split("").filter((c) => a.includes(c) && !b.includes(c)).join("");

/**
 * The state after writing `rules` in order from `start` (deny-all by
 * default, as runc's emulator and the v2 filter), with the kernel's semantics
 * (security/device_cgroup.c): an "a" rule resets the default and drops
 * every exception; a rule of the default's kind removes access from the
 * exception with exactly its key; the other kind adds to it.
 */
export function emulateRules(
  rules: readonly DeviceCgroupRule[],
  start: DeviceState = { defaultAllow: false, exceptions: new Map() },
): DeviceState {
  let defaultAllow = start.defaultAllow;
  const ex = new Map(start.exceptions);
  for (const r of rules) {
    if (r.type === "a") {
      defaultAllow = r.allow;
      ex.clear();
      continue;
    }
    const k = key(r);
    const access = r.allow === defaultAllow
      ? minus(ex.get(k) ?? "", r.access)
      : union(ex.get(k) ?? "", r.access);
    if (access) ex.set(k, access);
    else ex.delete(k);
  }
  return { defaultAllow, exceptions: ex };
}

/**
 * devices.list: "a *:* rwm" alone is the allow-all default (the kernel
 * cannot list its deny exceptions); anything else is deny-all with these
 * allow exceptions. null (no file) counts as a fresh cgroup: allow-all.
 */
export function parseDevicesList(text: string | null): DeviceState {
  const lines = (text ?? "a *:* rwm").split("\n").map((l) => l.trim()).filter((l) => l !== "");
  if (lines.some((l) => l.startsWith("a "))) return { defaultAllow: true, exceptions: new Map() };
  const ex = new Map<string, string>();
  for (const l of lines) {
    const [type, dev, access] = l.split(/\s+/);
    ex.set(`${type} ${dev}`, union(ex.get(`${type} ${dev}`) ?? "", access ?? ""));
  }
  return { defaultAllow: false, exceptions: ex };
}

// Sorted (runc's orderedEntries) where no order is given: the same
// transition always writes the same lines.
const sorted = (m: ReadonlyMap<string, string>) =>
  [...m.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);

/**
 * The writes that take a cgroup from `current` (its devices.list) to the
 * state `rules` describe (runc's Emulator.Transition). An allow-all
 * current state gets the disruptive rule too, since its deny exceptions
 * cannot be read back.
 */
export function devicesV1Transition(
  current: string | null,
  rules: readonly DeviceCgroupRule[],
): ControllerPlan {
  const from = parseDevicesList(current);
  const to = emulateRules(rules);
  const writes: CgroupWrite[] = [];
  // The file that adds an exception to `to`'s default, and the one that removes.
  const adds = to.defaultAllow ? "devices.deny" : "devices.allow";
  const removes = to.defaultAllow ? "devices.allow" : "devices.deny";
  let old = from.exceptions;
  if (from.defaultAllow || from.defaultAllow !== to.defaultAllow) {
    writes.push(w(to.defaultAllow ? "devices.allow" : "devices.deny", "a *:* rwm"));
    old = new Map();
  }
  for (const [k, access] of sorted(old)) {
    const dropped = minus(access, to.exceptions.get(k) ?? "");
    if (dropped) writes.push(w(removes, `${k} ${dropped}`));
  }
  // In the rules' order: the kernel lists exceptions in the order they were
  // added, and the spec says "MUST apply entries in the listed order".
  for (const [k, access] of to.exceptions) {
    const gained = minus(access, old.get(k) ?? "");
    if (gained) writes.push(w(adds, `${k} ${gained}`));
  }
  return { writes, warnings: [] };
}

/** The state's rule text, one "c 1:3 rwm" per exception (for messages and tests). */
export function stateText(s: DeviceState): string[] {
  return sorted(s.exceptions).map(([k, a]) => `${k} ${a}`);
}
