import { assertEquals, assertThrows } from "../testing/assert.ts";
import { parseSpec } from "./parse.ts";
import { parseExecProcess, parseProcess, RLIMIT_TYPES } from "./parse_process.ts";
import { ConfigError } from "./config_error.ts";
import { assertConfigError, type Case, edited, testRejections } from "./_testing.ts";

const sched = (fields: Record<string, unknown>) => (c: { process: Record<string, unknown> }) =>
  c.process.scheduler = { policy: "SCHED_OTHER", ...fields };

testRejections(
  "parseSpec()",
  parseSpec,
  [
    ["process", "it is a string", (c) => c.process = "sh", "/process", "must be an object"],
    ["process.cwd", "it is missing", (c) => delete c.process.cwd, "/process/cwd", "is required"],
    [
      "process.cwd",
      "it is relative",
      (c) => c.process.cwd = "tmp",
      "/process/cwd",
      "absolute path",
    ],
    ["process.user", "it is missing", (c) => delete c.process.user, "/process/user", "is required"],
    [
      "user.uid",
      "it is missing",
      (c) => delete c.process.user.uid,
      "/process/user/uid",
      "required",
    ],
    [
      "user.gid",
      "it is missing",
      (c) => delete c.process.user.gid,
      "/process/user/gid",
      "required",
    ],
    ["user.uid", "it is negative", (c) => c.process.user.uid = -1, "/process/user/uid", "got -1"],
    [
      "user.uid",
      "it is a fraction",
      (c) => c.process.user.uid = 1.5,
      "/process/user/uid",
      "integer",
    ],
    ["user.uid", "it is a string", (c) => c.process.user.uid = "0", "/process/user/uid", 'got "0"'],
    [
      "user.gid",
      "it is 2^32",
      (c) => c.process.user.gid = 2 ** 32,
      "/process/user/gid",
      "from 0 to 4294967295",
    ],
    [
      "user.additionalGids",
      "an entry is a string",
      (c) => c.process.user.additionalGids = [0, "5"],
      "/process/user/additionalGids/1",
      "integer",
    ],
    ["user.umask", "it is negative", (c) => c.process.user.umask = -1, "/process/user/umask", "-1"],
    ["process.args", "it is a string", (c) => c.process.args = "sh", "/process/args", "array"],
    [
      "process.args",
      "an entry is null",
      (c) => c.process.args = [null],
      "/process/args/0",
      "string",
    ],
    [
      "process.env",
      "an entry has no '='",
      (c) => c.process.env = ["A=1", "FOO"],
      "/process/env/1",
      'invalid environment variable "FOO": no "="',
    ],
    [
      "process.env",
      "a name is empty",
      (c) => c.process.env = ["=x"],
      "/process/env/0",
      "empty name",
    ],
    ["process.env", "it holds a NUL", (c) => c.process.env = ["A=\0"], "/process/env/0", "NUL"],
    [
      "process.terminal",
      "it is a string",
      (c) => c.process.terminal = "true",
      "/process/terminal",
      "boolean",
    ],
    [
      "process.consoleSize",
      "width is above 65535",
      (c) => c.process.consoleSize = { height: 24, width: 70000 },
      "/process/consoleSize/width",
      "from 0 to 65535",
    ],
    [
      "process.consoleSize",
      "height is missing",
      (c) => c.process.consoleSize = { width: 80 },
      "/process/consoleSize/height",
      "is required",
    ],
    [
      "a capability",
      "it is lower case",
      (c) => c.process.capabilities = { bounding: ["cap_kill"] },
      "/process/capabilities/bounding/0",
      'invalid capability "cap_kill": must look like CAP_[A-Z_]+',
    ],
    [
      "a capability",
      "it lacks the CAP_ prefix",
      (c) => c.process.capabilities = { ambient: ["CAP_KILL", "SYS_ADMIN"] },
      "/process/capabilities/ambient/1",
      "invalid capability",
    ],
    ...["effective", "inheritable", "permitted"].map((set): Case => [
      `capabilities.${set}`,
      "it is not an array",
      (c) => c.process.capabilities = { [set]: "CAP_KILL" },
      `/process/capabilities/${set}`,
      "must be an array",
    ]),
    [
      "an rlimit",
      "its type is unknown",
      (c) => c.process.rlimits = [{ type: "RLIMIT_FOO", soft: 1, hard: 1 }],
      "/process/rlimits/0/type",
      'unknown rlimit type "RLIMIT_FOO"',
    ],
    [
      "an rlimit",
      "soft is above hard",
      (c) => c.process.rlimits = [{ type: "RLIMIT_NOFILE", soft: 2048, hard: 1024 }],
      "/process/rlimits/0",
      "soft limit 2048 is above hard limit 1024 for RLIMIT_NOFILE",
    ],
    [
      "an rlimit",
      "hard is missing",
      (c) => c.process.rlimits = [{ type: "RLIMIT_CORE", soft: 0 }],
      "/process/rlimits/0/hard",
      "is required",
    ],
    [
      "an rlimit",
      "soft is negative",
      (c) => c.process.rlimits = [{ type: "RLIMIT_CORE", soft: -1, hard: 0 }],
      "/process/rlimits/0/soft",
      "non-negative integer",
    ],
    [
      "rlimits",
      "a type comes twice",
      (c) =>
        c.process.rlimits = [
          { type: "RLIMIT_NOFILE", soft: 1, hard: 1 },
          { type: "RLIMIT_CORE", soft: 1, hard: 1 },
          { type: "RLIMIT_NOFILE", soft: 2, hard: 2 },
        ],
      "/process/rlimits/2/type",
      'duplicate rlimit type "RLIMIT_NOFILE"',
    ],
    [
      "process.oomScoreAdj",
      "it is above 1000",
      (c) => c.process.oomScoreAdj = 1001,
      "/process/oomScoreAdj",
      "from -1000 to 1000",
    ],
    [
      "process.noNewPrivileges",
      "it is 1",
      (c) => c.process.noNewPrivileges = 1,
      "/process/noNewPrivileges",
      "boolean",
    ],
    [
      "process.ioPriority",
      "its class is unknown",
      (c) => c.process.ioPriority = { class: "IOPRIO_CLASS_NONE", priority: 0 },
      "/process/ioPriority/class",
      'unknown I/O priority class "IOPRIO_CLASS_NONE"',
    ],
    [
      "process.ioPriority",
      "priority is 8",
      (c) => c.process.ioPriority = { class: "IOPRIO_CLASS_BE", priority: 8 },
      "/process/ioPriority/priority",
      "from 0 to 7",
    ],
    [
      "process.scheduler",
      "its policy is unknown",
      sched({ policy: "SCHED_FAIR" }),
      "/process/scheduler/policy",
      'unknown scheduler policy "SCHED_FAIR"',
    ],
    [
      "process.scheduler",
      "nice is 20",
      sched({ nice: 20 }),
      "/process/scheduler/nice",
      "from -20 to 19",
    ],
    [
      "process.scheduler",
      "priority is set for SCHED_OTHER",
      sched({ priority: 10 }),
      "/process/scheduler/priority",
      "only be set for SCHED_FIFO or SCHED_RR",
    ],
    [
      "process.scheduler",
      "runtime is set for SCHED_FIFO",
      sched({ policy: "SCHED_FIFO", priority: 1, runtime: 100 }),
      "/process/scheduler/runtime",
      "only be set for SCHED_DEADLINE",
    ],
    [
      "process.scheduler",
      "a flag is unknown",
      sched({ flags: ["SCHED_FLAG_FAST"] }),
      "/process/scheduler/flags/0",
      "unknown scheduler flag",
    ],
    [
      "process.execCPUAffinity",
      "initial is not a CPU list",
      (c) => c.process.execCPUAffinity = { initial: "a-b" },
      "/process/execCPUAffinity/initial",
      "invalid CPU list",
    ],
    [
      "process.apparmorProfile",
      "it is a number",
      (c) => c.process.apparmorProfile = 0,
      "/process/apparmorProfile",
      "string",
    ],
  ] satisfies Case[],
);

Deno.test("parseSpec() accepts a full process and keeps every field", () => {
  const process = {
    terminal: true,
    consoleSize: { height: 24, width: 80 },
    user: { uid: 1000, gid: 1000, umask: 18, additionalGids: [5, 6], username: "alice" },
    args: ["sh", "-c", "true"],
    commandLine: "sh",
    env: ["PATH=/bin", "EMPTY=", "EQ=a=b"],
    cwd: "/home/alice",
    capabilities: { bounding: ["CAP_KILL"], inheritable: [], ambient: ["CAP_CHECKPOINT_RESTORE"] },
    rlimits: [{ type: "RLIMIT_NOFILE", soft: 1024, hard: 18446744073709551615 }],
    noNewPrivileges: true,
    apparmorProfile: "p",
    oomScoreAdj: -1000,
    selinuxLabel: "l",
    ioPriority: { class: "IOPRIO_CLASS_RT", priority: 7 },
    scheduler: { policy: "SCHED_DEADLINE", nice: -20, runtime: 1, deadline: 2, period: 3 },
    execCPUAffinity: { initial: "0-3, 7", final: "1" },
  };
  assertEquals(parseSpec(edited((c) => c.process = process)).process, process);
});

Deno.test("parseSpec() accepts every RLIMIT_* name", () => {
  const rlimits = RLIMIT_TYPES.map((type) => ({ type, soft: 0, hard: 0 }));
  assertEquals(parseSpec(edited((c) => c.process.rlimits = rlimits)).process?.rlimits, rlimits);
});

Deno.test("parseProcess() points below the base it is given", () => {
  assertConfigError(
    () => parseProcess({ user: { uid: 0, gid: 0 }, cwd: "x" }, ""),
    "/cwd",
    "absolute",
  );
  assertConfigError(() => parseProcess({ cwd: "/" }), "/process/user", "is required");
});

Deno.test("parseProcess() reads an exec process file", () => {
  const p = { user: { uid: 0, gid: 0 }, cwd: "/", args: ["ls"], terminal: false };
  assertEquals(parseProcess(p, ""), p);
});

Deno.test("parseExecProcess() needs only args and cwd; no user means 0:0 (runc exec)", () => {
  const p = parseExecProcess({ args: ["sh"], cwd: "/" });
  assertEquals(p.user, { uid: 0, gid: 0 });
  assertEquals(p.args, ["sh"]);
  assertEquals(parseExecProcess({ args: ["id"], cwd: "/", user: { uid: 7, gid: 8 } }).user, {
    uid: 7,
    gid: 8,
  });
  const noArgs = assertThrows(() => parseExecProcess({ cwd: "/" }), ConfigError);
  assertEquals(noArgs.pointer, "/args");
  assertEquals(
    assertThrows(() => parseExecProcess({ args: [], cwd: "/" }), ConfigError).pointer,
    "/args",
  );
  assertEquals(assertThrows(() => parseExecProcess({ args: ["sh"] }), ConfigError).pointer, "/cwd");
});
