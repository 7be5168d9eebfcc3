import { deepStrictEqual, equal, throws } from "node:assert/strict";
import {
  boundingOps,
  CAPABILITIES,
  capMask,
  capMasks,
  capsetOps,
  unsupportedCaps,
} from "./capabilities.ts";
import { ConfigError } from "../lib/spec/config_error.ts";

Deno.test("CAPABILITIES numbers CAP_CHOWN 0 to CAP_CHECKPOINT_RESTORE 40", () => {
  equal(CAPABILITIES.CAP_CHOWN, 0);
  equal(CAPABILITIES.CAP_NET_BIND_SERVICE, 10);
  equal(CAPABILITIES.CAP_SYS_ADMIN, 21);
  equal(CAPABILITIES.CAP_AUDIT_WRITE, 29);
  equal(CAPABILITIES.CAP_SETFCAP, 31);
  equal(CAPABILITIES.CAP_CHECKPOINT_RESTORE, 40);
  equal(Object.keys(CAPABILITIES).length, 41);
});

Deno.test("capMask() sets one bit per capability", () => {
  equal(capMask(["CAP_CHOWN", "CAP_KILL", "CAP_BPF"], "/p"), 1n | (1n << 5n) | (1n << 39n));
  equal(capMask([], "/p"), 0n);
});

Deno.test("capMask() refuses an unknown name, naming its pointer", () => {
  throws(
    () => capMask(["CAP_CHOWN", "CAP_FOO"], "/process/capabilities/bounding"),
    (e: unknown) =>
      e instanceof ConfigError && e.pointer === "/process/capabilities/bounding/1" &&
      /Unknown capability "CAP_FOO"/.test(e.message),
  );
});

Deno.test("boundingOps() and capsetOps() plan nothing without a capabilities object", () => {
  deepStrictEqual(boundingOps(undefined, "s", 40), []);
  deepStrictEqual(capsetOps(undefined, "s"), []);
});

Deno.test("capsetOps() gives each capability set its own mask", () => {
  const caps = {
    bounding: ["CAP_KILL", "CAP_CHOWN"],
    effective: ["CAP_KILL"],
    permitted: ["CAP_KILL", "CAP_CHOWN"],
    inheritable: [],
    ambient: ["CAP_KILL"],
  };
  deepStrictEqual(boundingOps(caps, "s", 40), [
    { op: "CAP_BOUNDING", step: "s", bounding: 0x21n, num: 40 },
  ]);
  deepStrictEqual(capsetOps(caps, "s"), [
    { op: "CAPSET", step: "s", effective: 0x20n, permitted: 0x21n, inheritable: 0n },
    { op: "CAP_AMBIENT", step: "s", ambient: 0n },
  ]);
});

Deno.test("boundingOps() carries the host's cap_last_cap, so the init reads no /proc for it", () => {
  const caps = { bounding: ["CAP_KILL", "CAP_CHECKPOINT_RESTORE"] };
  deepStrictEqual(boundingOps(caps, "s", 39), [
    { op: "CAP_BOUNDING", step: "s", bounding: 0x20n, num: 39 },
  ]);
  throws(() => boundingOps(caps, "s", 64), RangeError);
  throws(() => boundingOps(caps, "s", NaN), RangeError);
});

Deno.test("capsetOps() raises only ambient caps that are permitted and inheritable", () => {
  const caps = {
    permitted: ["CAP_KILL", "CAP_CHOWN", "CAP_NET_RAW"],
    inheritable: ["CAP_KILL", "CAP_NET_RAW"],
    ambient: ["CAP_KILL", "CAP_CHOWN"],
  };
  deepStrictEqual(capsetOps(caps, "s")[1], { op: "CAP_AMBIENT", step: "s", ambient: 0x20n });
});

Deno.test("capMasks() drops capabilities above the kernel's last cap", () => {
  const m = capMasks({ bounding: ["CAP_CHOWN", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"] }, 38);
  deepStrictEqual(m.bounding, 1n);
  deepStrictEqual(capMasks({ bounding: ["CAP_CHECKPOINT_RESTORE"] }, 40).bounding, 1n << 40n);
});

Deno.test("unsupportedCaps() lists known names above the last cap, by set", () => {
  deepStrictEqual(
    unsupportedCaps({ bounding: ["CAP_BPF", "CAP_KILL"], ambient: ["CAP_PERFMON"] }, 37),
    ["bounding: CAP_BPF", "ambient: CAP_PERFMON"],
  );
  deepStrictEqual(unsupportedCaps(undefined, 40), []);
});
