import { assertEquals, assertThrows } from "../testing/assert.ts";
import { ConfigError } from "../spec/config_error.ts";
import {
  actionValue,
  archName,
  condition,
  filterSpec,
  FLAG_NEW_LISTENER,
  loadFlags,
  OPERATORS,
} from "./profile.ts";

Deno.test("actionValue() maps every OCI action to libseccomp's value", () => {
  assertEquals(actionValue("SCMP_ACT_KILL", undefined, "/a"), 0);
  assertEquals(actionValue("SCMP_ACT_KILL_THREAD", undefined, "/a"), 0);
  assertEquals(actionValue("SCMP_ACT_KILL_PROCESS", undefined, "/a"), 0x80000000);
  assertEquals(actionValue("SCMP_ACT_TRAP", undefined, "/a"), 0x00030000);
  assertEquals(actionValue("SCMP_ACT_LOG", undefined, "/a"), 0x7ffc0000);
  assertEquals(actionValue("SCMP_ACT_ALLOW", undefined, "/a"), 0x7fff0000);
  assertEquals(actionValue("SCMP_ACT_NOTIFY", undefined, "/a"), 0x7fc00000);
});

Deno.test("actionValue() puts errnoRet in the low bits; EPERM when absent", () => {
  assertEquals(actionValue("SCMP_ACT_ERRNO", 28, "/a"), 0x0005001c);
  assertEquals(actionValue("SCMP_ACT_ERRNO", undefined, "/a"), 0x00050001);
  assertEquals(actionValue("SCMP_ACT_TRACE", 38, "/a"), 0x7ff00026);
  assertEquals(actionValue("SCMP_ACT_TRACE", undefined, "/a"), 0x7ff00001);
});

Deno.test("actionValue() refuses an unknown action at its pointer", () => {
  const e = assertThrows(() => actionValue("SCMP_ACT_NOPE", undefined, "/x/action"), ConfigError);
  assertEquals(e.pointer, "/x/action");
});

Deno.test("archName() gives libseccomp's names", () => {
  assertEquals(archName("SCMP_ARCH_X86_64"), "x86_64");
  assertEquals(archName("SCMP_ARCH_X86"), "x86");
  assertEquals(archName("SCMP_ARCH_MIPSEL64N32"), "mipsel64n32");
});

Deno.test("condition() maps operators and values; valueTwo defaults to 0", () => {
  assertEquals(Object.keys(OPERATORS).length, 7);
  assertEquals(condition({ index: 2, value: 5, op: "SCMP_CMP_GE" }, "/p"), {
    arg: 2,
    op: 5,
    a: 5n,
    b: 0n,
  });
  assertEquals(condition({ index: 0, value: 7, valueTwo: 3, op: "SCMP_CMP_MASKED_EQ" }, "/p"), {
    arg: 0,
    op: 7,
    a: 7n,
    b: 3n,
  });
  const e = assertThrows(
    () => condition({ index: 0, value: 1, op: "SCMP_CMP_X" }, "/p"),
    ConfigError,
  );
  assertEquals(e.pointer, "/p/op");
});

Deno.test("filterSpec() makes one rule per name, with all conditions ANDed", () => {
  const f = filterSpec({
    defaultAction: "SCMP_ACT_ALLOW",
    syscalls: [{
      names: ["a", "b"],
      action: "SCMP_ACT_ERRNO",
      errnoRet: 1,
      args: [{ index: 0, value: 1, op: "SCMP_CMP_EQ" }, { index: 1, value: 2, op: "SCMP_CMP_NE" }],
    }],
  });
  assertEquals(f.rules.map((r) => [r.name, r.conditions.length]), [["a", 2], ["b", 2]]);
  assertEquals(f.defaultAction, 0x7fff0000);
  assertEquals(f.notify, false);
});

Deno.test("filterSpec() splits conditions on a repeated index into separate rules, as runc", () => {
  const f = filterSpec({
    defaultAction: "SCMP_ACT_ALLOW",
    syscalls: [{
      names: ["umask"],
      action: "SCMP_ACT_ERRNO",
      args: [{ index: 0, value: 1, op: "SCMP_CMP_EQ" }, { index: 0, value: 2, op: "SCMP_CMP_EQ" }],
    }],
  });
  assertEquals(f.rules.map((r) => r.conditions.map((c) => c.a)), [[1n], [2n]]);
});

Deno.test("filterSpec() drops rules whose action is the default action", () => {
  const f = filterSpec({
    defaultAction: "SCMP_ACT_ERRNO",
    defaultErrnoRet: 38,
    syscalls: [
      { names: ["same"], action: "SCMP_ACT_ERRNO", errnoRet: 38 },
      { names: ["other"], action: "SCMP_ACT_ERRNO", errnoRet: 1 },
      { names: ["read"], action: "SCMP_ACT_ALLOW" },
    ],
  });
  assertEquals(f.defaultAction, 0x00050026);
  assertEquals(f.rules.map((r) => r.name), ["other", "read"]);
});

Deno.test("filterSpec() maps flags and adds NEW_LISTENER when a rule notifies", () => {
  const f = filterSpec({
    defaultAction: "SCMP_ACT_ALLOW",
    flags: ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
    listenerPath: "/run/agent.sock",
    syscalls: [{ names: ["mkdir"], action: "SCMP_ACT_NOTIFY" }],
  });
  assertEquals(f.flags, 2 | 4 | FLAG_NEW_LISTENER);
  assertEquals(f.notify, true);
  assertEquals(f.arches, []);
  const t = filterSpec({ defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_TSYNC"] });
  assertEquals(t.flags, 1);
  const e = assertThrows(
    () => filterSpec({ defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_X"] }),
    ConfigError,
  );
  assertEquals(e.pointer, "/linux/seccomp/flags/0");
});

Deno.test("loadFlags() keeps WAIT_KILLABLE_RECV only with a listener; TSYNC gets TSYNC_ESRCH", () => {
  assertEquals(loadFlags(32 | 2, false), 2);
  assertEquals(loadFlags(32, true), 32 | 8);
  assertEquals(loadFlags(1, true), 1 | 8 | 16);
  assertEquals(loadFlags(1, false), 1);
});
