// checkSeccompSupport() against hosts that lack an action or a flag: the
// refusal names the field's pointer and the feature (libseccomp release or
// kernel), in one line; a host with everything takes every action and
// flag the spec lists.
//
// Permissions: none.

import { assertEquals, assertThrows } from "../testing/assert.ts";
import { ConfigError } from "../spec/config_error.ts";
import { SECCOMP_ACTIONS, SECCOMP_FLAGS } from "../spec/parse_seccomp.ts";
import { ACTION_BASE, FILTER_FLAGS, FLAG_NEW_LISTENER } from "./profile.ts";
import { checkSeccompSupport, type SeccompHost } from "./support.ts";

const everything: SeccompHost = {
  libseccomp: "2.5.4",
  actionAvailable: () => true,
  flagsKnown: () => true,
};

Deno.test("a host with everything takes every action and flag the spec lists", () => {
  checkSeccompSupport({
    defaultAction: "SCMP_ACT_ALLOW",
    flags: [...SECCOMP_FLAGS],
    syscalls: SECCOMP_ACTIONS.map((action) => ({ names: ["getpid"], action })),
  }, everything);
});

Deno.test("an action the kernel lacks is refused at its pointer", () => {
  const host = { ...everything, actionAvailable: (a: number) => a !== ACTION_BASE.SCMP_ACT_NOTIFY };
  const err = assertThrows(() =>
    checkSeccompSupport({
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [{ names: ["read"], action: "SCMP_ACT_LOG" }, {
        names: ["mkdir"],
        action: "SCMP_ACT_NOTIFY",
      }],
    }, host), ConfigError);
  assertEquals(err.pointer, "/linux/seccomp/syscalls/1/action");
  assertEquals(err.reason, "SCMP_ACT_NOTIFY is not available in this kernel (Linux 5.0 added it)");
});

Deno.test("an action an older libseccomp cannot compile is refused naming the release", () => {
  const err = assertThrows(
    () =>
      checkSeccompSupport({ defaultAction: "SCMP_ACT_KILL_PROCESS" }, {
        ...everything,
        libseccomp: "2.3.3",
      }),
    ConfigError,
  );
  assertEquals(err.pointer, "/linux/seccomp/defaultAction");
  assertEquals(
    err.reason,
    "SCMP_ACT_KILL_PROCESS needs libseccomp 2.4.0 or later; this host has 2.3.3",
  );
});

Deno.test("a flag the kernel refuses is named; WAIT_KILLABLE_RECV is probed beside a listener", () => {
  const probed: number[] = [];
  const host = {
    ...everything,
    flagsKnown: (
      f: number,
    ) => (probed.push(f),
      f !== (FILTER_FLAGS.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV | FLAG_NEW_LISTENER)),
  };
  const err = assertThrows(() =>
    checkSeccompSupport({
      defaultAction: "SCMP_ACT_ALLOW",
      flags: ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
    }, host), ConfigError);
  assertEquals(err.pointer, "/linux/seccomp/flags/1");
  assertEquals(
    err.reason,
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is not supported by this kernel (Linux 5.19 added it)",
  );
  assertEquals(probed, [
    FILTER_FLAGS.SECCOMP_FILTER_FLAG_LOG,
    FILTER_FLAGS.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV | FLAG_NEW_LISTENER,
  ]);
});
