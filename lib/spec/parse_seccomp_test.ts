import { assertEquals } from "../testing/assert.ts";
import { parseSpec } from "./parse.ts";
import { SECCOMP_ACTIONS, SECCOMP_ARCHES, SECCOMP_OPERATORS } from "./parse_seccomp.ts";
import { type Case, edited, type Json, testRejections } from "./_testing.ts";

const S = "/linux/seccomp";
const seccomp = (fields: Json) => (c: Json) =>
  c.linux.seccomp = { defaultAction: "SCMP_ACT_ERRNO", ...fields };
const rule = (fields: Json) => ({ names: ["getcwd"], action: "SCMP_ACT_ALLOW", ...fields });

testRejections(
  "parseSpec()",
  parseSpec,
  [
    [
      "seccomp",
      "defaultAction is missing",
      (c) => c.linux.seccomp = { syscalls: [] },
      `${S}/defaultAction`,
      "is required",
    ],
    [
      "seccomp",
      "defaultAction is unknown",
      seccomp({ defaultAction: "SCMP_ACT_FOO" }),
      `${S}/defaultAction`,
      'unknown seccomp action "SCMP_ACT_FOO"',
    ],
    [
      "seccomp",
      "an architecture is unknown",
      seccomp({ architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"] }),
      `${S}/architectures/1`,
      'unknown seccomp architecture "SCMP_ARCH_VAX"',
    ],
    [
      "seccomp",
      "a flag is unknown",
      seccomp({ flags: ["SECCOMP_FILTER_FLAG_NEW_LISTENER"] }),
      `${S}/flags/0`,
      "unknown seccomp flag",
    ],
    [
      "a seccomp rule",
      "names is empty",
      seccomp({ syscalls: [rule({ names: [] })] }),
      `${S}/syscalls/0/names`,
      "must not be empty",
    ],
    [
      "a seccomp rule",
      "a name is empty",
      seccomp({ syscalls: [rule({ names: ["read", ""] })] }),
      `${S}/syscalls/0/names/1`,
      "must not be empty",
    ],
    [
      "a seccomp rule",
      "its action is unknown",
      seccomp({ syscalls: [rule({}), rule({ action: "SCMP_ACT_DENY" })] }),
      `${S}/syscalls/1/action`,
      'unknown seccomp action "SCMP_ACT_DENY"',
    ],
    [
      "a seccomp argument",
      "its operator is unknown",
      seccomp({ syscalls: [rule({ args: [{ index: 0, value: 1, op: "SCMP_CMP_IN" }] })] }),
      `${S}/syscalls/0/args/0/op`,
      'unknown seccomp operator "SCMP_CMP_IN"',
    ],
    [
      "a seccomp argument",
      "its index is 6",
      seccomp({ syscalls: [rule({ args: [{ index: 6, value: 1, op: "SCMP_CMP_EQ" }] })] }),
      `${S}/syscalls/0/args/0/index`,
      "from 0 to 5",
    ],
    [
      "a seccomp argument",
      "it has no value",
      seccomp({ syscalls: [rule({ args: [{ index: 0, op: "SCMP_CMP_EQ" }] })] }),
      `${S}/syscalls/0/args/0/value`,
      "is required",
    ],
    [
      "a seccomp rule",
      "errnoRet comes with SCMP_ACT_ALLOW",
      seccomp({ syscalls: [rule({ errnoRet: 1 })] }),
      `${S}/syscalls/0/errnoRet`,
      "SCMP_ACT_ALLOW takes no errno",
    ],
    [
      "seccomp",
      "defaultErrnoRet comes with SCMP_ACT_KILL",
      seccomp({ defaultAction: "SCMP_ACT_KILL", defaultErrnoRet: 1 }),
      `${S}/defaultErrnoRet`,
      "SCMP_ACT_KILL takes no errno",
    ],
    [
      "seccomp",
      "defaultAction is SCMP_ACT_NOTIFY",
      seccomp({ defaultAction: "SCMP_ACT_NOTIFY", listenerPath: "/run/agent.sock" }),
      `${S}/defaultAction`,
      "SCMP_ACT_NOTIFY cannot be used as default action",
    ],
    [
      "a seccomp rule",
      "it notifies on write",
      seccomp({
        listenerPath: "/run/agent.sock",
        syscalls: [rule({ names: ["read", "write"], action: "SCMP_ACT_NOTIFY" })],
      }),
      `${S}/syscalls/0/names/1`,
      "SCMP_ACT_NOTIFY cannot be used for the write syscall",
    ],
    [
      "seccomp",
      "a rule notifies with no listenerPath",
      seccomp({ syscalls: [rule({}), rule({ names: ["mount"], action: "SCMP_ACT_NOTIFY" })] }),
      `${S}/syscalls/1/action`,
      "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath",
    ],
  ] satisfies Case[],
);

Deno.test("parseSpec() accepts every seccomp action, operator and architecture", () => {
  const syscalls = SECCOMP_ACTIONS.map((action, i) =>
    rule({
      names: [`call${i}`],
      action,
      args: SECCOMP_OPERATORS.map((op, index) => ({ index: index % 6, value: 1, op })),
    })
  );
  const config = {
    defaultAction: "SCMP_ACT_ERRNO",
    defaultErrnoRet: 38,
    architectures: [...SECCOMP_ARCHES],
    flags: ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
    listenerPath: "/run/agent.sock",
    listenerMetadata: "m",
    syscalls,
  };
  assertEquals(parseSpec(edited((c) => c.linux.seccomp = config)).linux?.seccomp, config);
});

Deno.test("parseSpec() accepts errnoRet with SCMP_ACT_ERRNO and SCMP_ACT_TRACE", () => {
  const syscalls = [
    rule({ action: "SCMP_ACT_ERRNO", errnoRet: 1 }),
    rule({
      action: "SCMP_ACT_TRACE",
      errnoRet: 2,
      args: [{ index: 1, value: 2, valueTwo: 3, op: "SCMP_CMP_MASKED_EQ" }],
    }),
  ];
  const spec = parseSpec(
    edited(seccomp({ defaultAction: "SCMP_ACT_TRACE", defaultErrnoRet: 1, syscalls })),
  );
  assertEquals(spec.linux?.seccomp?.syscalls, syscalls);
});
