import { assertEquals } from "../testing/assert.ts";
import {
  DEFAULT_ALLOWED,
  deviceRules,
  normalizeRule,
  ruleText,
  updateDeviceRules,
} from "./devices.ts";
import type { Spec } from "../spec/types.ts";

Deno.test("normalizeRule() fills type a, wildcards and rwm", () => {
  assertEquals(normalizeRule({ allow: false }), {
    allow: false,
    type: "a",
    major: -1,
    minor: -1,
    access: "rwm",
  });
});

Deno.test("ruleText() prints wildcards as *", () => {
  assertEquals(ruleText(normalizeRule({ allow: true, type: "c", major: 136 })), "c 136:* rwm");
});

Deno.test("deviceRules() appends runc's defaults after the config's rules, and no rule for a created device", () => {
  const spec = {
    ociVersion: "1.2.0",
    linux: {
      resources: { devices: [{ allow: false, access: "rwm" }] },
      devices: [{ type: "c", path: "/dev/fuse", major: 10, minor: 229 }],
    },
  } as unknown as Spec;
  const rules = deviceRules(spec);
  assertEquals(rules.length, 1 + DEFAULT_ALLOWED.length);
  assertEquals(ruleText(rules[0]), "a *:* rwm");
  assertEquals(rules[0].allow, false);
  assertEquals(rules.slice(1), [...DEFAULT_ALLOWED]);
  assertEquals(rules.some((r) => r.major === 10 && r.minor === 229), false);
});

Deno.test("updateDeviceRules() puts the update's rules after the defaults, so they can revoke them", () => {
  const rules = updateDeviceRules([{
    allow: false,
    type: "c",
    major: 1,
    minor: 3,
    access: "rw",
  }]);
  assertEquals(rules.length, DEFAULT_ALLOWED.length + 1);
  assertEquals(rules.slice(0, -1), [...DEFAULT_ALLOWED]);
  assertEquals(ruleText(rules.at(-1)!), "c 1:3 rw");
  assertEquals(rules.at(-1)!.allow, false);
});
