import { assertEquals } from "../../testing/assert.ts";
import { DEFAULT_ALLOWED, normalizeRule, ruleText } from "../devices.ts";
import { devicesV1Transition, emulateRules, parseDevicesList, stateText } from "./devices.ts";

const DENY_ALL = normalizeRule({ allow: false, access: "rwm" });
const rule = (allow: boolean, type: "c" | "b", major: number, minor: number, access: string) =>
  normalizeRule({ allow, type, major, minor, access });
const lines = (p: { writes: { file: string; value: string }[] }) =>
  p.writes.map((x) => `${x.file}=${x.value}`);

Deno.test("emulateRules() replays as the kernel: deny removes from the exact exception, a resets", () => {
  const s = emulateRules([
    DENY_ALL,
    rule(true, "c", 1, 3, "rwm"),
    rule(true, "c", 1, 3, "r"),
    rule(true, "c", -1, -1, "m"),
    rule(false, "c", 1, 3, "rw"),
    rule(false, "c", 1, 5, "r"), // no such exception: nothing
  ]);
  assertEquals(s.defaultAllow, false);
  assertEquals(stateText(s), ["c *:* m", "c 1:3 m"]);
  const open = emulateRules([rule(true, "c", 1, 3, "rwm"), normalizeRule({ allow: true })]);
  assertEquals(open.defaultAllow, true);
  assertEquals(stateText(open), []);
});

Deno.test("parseDevicesList() reads allow-all and deny-all lists; no file is a fresh cgroup", () => {
  assertEquals(parseDevicesList("a *:* rwm\n").defaultAllow, true);
  assertEquals(parseDevicesList(null).defaultAllow, true);
  const s = parseDevicesList("c 1:3 rwm\nc *:* m\nb *:* m\n");
  assertEquals(s.defaultAllow, false);
  assertEquals(stateText(s), ["b *:* m", "c *:* m", "c 1:3 rwm"]);
  assertEquals(stateText(parseDevicesList("")), []);
});

Deno.test("devicesV1Transition() on a fresh cgroup denies all, then allows each exception", () => {
  const p = devicesV1Transition("a *:* rwm\n", [
    DENY_ALL,
    rule(true, "c", 1, 3, "rw"),
    rule(false, "b", 8, -1, "rwm"),
  ]);
  assertEquals(lines(p), ["devices.deny=a *:* rwm", "devices.allow=c 1:3 rw"]);
});

Deno.test("devicesV1Transition() between deny-all states writes only the difference", () => {
  const current = "c 1:3 rwm\nc 1:5 rwm\nc 136:* rwm\n";
  const p = devicesV1Transition(current, [
    DENY_ALL,
    rule(true, "c", 1, 3, "rwm"),
    rule(true, "c", 1, 5, "rwm"),
    rule(true, "c", 136, -1, "rwm"),
    rule(false, "c", 1, 3, "rw"),
    rule(true, "c", 10, 200, "rwm"),
  ]);
  // No "a" rule: /dev/zero and the ptys are never revoked, even for a moment.
  assertEquals(lines(p), ["devices.deny=c 1:3 rw", "devices.allow=c 10:200 rwm"]);
  const same = devicesV1Transition(current, [
    DENY_ALL,
    rule(true, "c", 1, 3, "rwm"),
    rule(true, "c", 1, 5, "rwm"),
    rule(true, "c", 136, -1, "rwm"),
  ]);
  assertEquals(lines(same), []);
});

Deno.test("devicesV1Transition() from deny-all to allow-all writes the disruptive rule first", () => {
  const p = devicesV1Transition("c 1:3 rwm\n", [
    normalizeRule({ allow: true }),
    rule(false, "c", 1, 9, "w"),
  ]);
  assertEquals(lines(p), ["devices.allow=a *:* rwm", "devices.deny=c 1:9 w"]);
});

Deno.test("devicesV1Transition() of the defaults lists each default once, in their order", () => {
  const p = devicesV1Transition(null, [DENY_ALL, ...DEFAULT_ALLOWED]);
  assertEquals(p.writes[0].value, "a *:* rwm");
  assertEquals(p.writes.length, 1 + DEFAULT_ALLOWED.length);
  assertEquals(p.writes.slice(1).every((x) => x.file === "devices.allow"), true);
  assertEquals(p.writes.slice(1).map((x) => x.value), DEFAULT_ALLOWED.map(ruleText));
});

Deno.test("devicesV1Transition() allows the config's rules in the listed order, before the defaults", () => {
  // The suite's linux_cgroups_devices: devices.list must start with these, in order.
  const config = [
    rule(true, "c", 10, 229, "rwm"),
    rule(true, "b", 8, 20, "rw"),
    rule(true, "b", 10, 200, "r"),
  ];
  const p = devicesV1Transition(null, [DENY_ALL, ...config, ...DEFAULT_ALLOWED]);
  assertEquals(lines(p).slice(0, 4), [
    "devices.deny=a *:* rwm",
    "devices.allow=c 10:229 rwm",
    "devices.allow=b 8:20 rw",
    "devices.allow=b 10:200 r",
  ]);
  // A later rule for the same device widens it where it stands, as the kernel merges.
  const merged = devicesV1Transition(null, [DENY_ALL, ...config, rule(true, "c", 10, 229, "r")]);
  assertEquals(lines(merged)[1], "devices.allow=c 10:229 rwm");
});
