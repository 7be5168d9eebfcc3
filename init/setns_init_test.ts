import { assertEquals, assertThrows } from "../lib/testing/assert.ts";
import { type SetnsInitInput, setnsInitPlan, STEPS } from "./setns_init.ts";
import type { Process, Spec } from "../lib/spec/types.ts";
import { ConfigError } from "../lib/spec/config_error.ts";
import { encodeBootstrap } from "../lib/bootstrap/encode.ts";

const proc: Process = {
  user: { uid: 1000, gid: 1000, additionalGids: [10] },
  args: ["id"],
  env: ["PATH=/bin", "A=1"],
  cwd: "/tmp",
  capabilities: { bounding: ["CAP_KILL"], effective: ["CAP_KILL"], permitted: ["CAP_KILL"] },
};
const spec: Spec = { ociVersion: "1.2.0", process: proc };

function input(extra: Partial<SetnsInitInput> = {}): SetnsInitInput {
  return {
    spec,
    process: proc,
    preservedFds: 0,
    lsm: { apparmor: false, selinux: false },
    capLastCap: 40,
    ...extra,
  };
}

const ops = (i: SetnsInitInput) => setnsInitPlan(i).map((o) => o.op);

Deno.test("setnsInitPlan() mirrors runc's setns init and ends in execve", () => {
  assertEquals(ops(input()), [
    "SET_ROOT",
    "CLOEXEC_FROM",
    "CHDIR",
    "CAP_BOUNDING",
    "KEEPCAPS",
    "SETGROUPS",
    "SETGID",
    "SETUID",
    "KEEPCAPS",
    "CAPSET",
    "CAP_AMBIENT",
    "LOOKUP_EXEC",
    "CLOSE_INIT_PIPE",
    "EXEC",
  ]);
  assertEquals(STEPS.map(([n]) => n).slice(0, 3), ["jail", "setRoot", "console"]);
});

Deno.test("setnsInitPlan() sets the user, groups, cwd and env with HOME added", () => {
  const plan = setnsInitPlan(input({ home: "/home/alice" }));
  const by = (op: string) => plan.find((o) => o.op === op)!;
  assertEquals(by("SETUID").uid, 1000);
  assertEquals(by("SETGID").gid, 1000);
  assertEquals(by("SETGROUPS").ids, [10]);
  assertEquals(by("CHDIR").target, "/tmp");
  assertEquals(by("LOOKUP_EXEC"), {
    op: "LOOKUP_EXEC",
    step: "lookupExec",
    source: "id",
    data: "/bin",
  });
  assertEquals(by("EXEC").env, ["PATH=/bin", "A=1", "HOME=/home/alice"]);
  assertEquals(by("EXEC").args, ["id"]);
});

Deno.test("setnsInitPlan() starts with the console, keeps preserved fds and skips denied setgroups", () => {
  const plan = setnsInitPlan(input({
    process: { ...proc, terminal: true },
    consoleSocketFd: 8,
    preservedFds: 2,
    setgroupsDeny: true,
  }));
  assertEquals(plan[0], { op: "SET_ROOT", step: "setRoot", target: "/" });
  assertEquals(plan[1].op, "CONSOLE");
  assertEquals(plan[1].fd, 8);
  assertEquals(plan[1].target, undefined); // no /dev/console mount for exec
  assertEquals(plan.find((o) => o.op === "CLOEXEC_FROM")!.num, 5);
  // runc's fixStdioPermissions, before the user change.
  const chown = plan.findIndex((o) => o.op === "CHOWN_STDIO");
  assertEquals(plan[chown].uid, 1000);
  assertEquals(chown < plan.findIndex((o) => o.op === "SETUID"), true);
  assertEquals(plan.some((o) => o.op === "SETGROUPS"), false);
});

Deno.test("setnsInitPlan() places no_new_privs, rlimits and seccomp as runc does", () => {
  const seccomp = { bpf: new Uint8Array(8), flags: 0, notify: false };
  const withSeccomp: Spec = { ...spec, linux: { seccomp: { defaultAction: "SCMP_ACT_ALLOW" } } };
  const early = ops(input({ spec: withSeccomp, seccomp }));
  assertEquals(early.indexOf("SECCOMP") < early.indexOf("CHDIR"), true);
  const p: Process = {
    ...proc,
    noNewPrivileges: true,
    rlimits: [{ type: "RLIMIT_NOFILE", soft: 10, hard: 20 }],
  };
  const late = ops(input({ spec: withSeccomp, process: p, seccomp }));
  assertEquals(late.slice(0, 3), ["SET_ROOT", "NO_NEW_PRIVS", "SETRLIMIT"]);
  assertEquals(late.indexOf("SECCOMP") > late.indexOf("LOOKUP_EXEC"), true);
  // No close_range after either filter: profiles older than it must work.
  assertEquals(early.indexOf("CLOEXEC_FROM") < early.indexOf("SECCOMP"), true);
  assertEquals(late.indexOf("CLOEXEC_FROM") < late.indexOf("SECCOMP"), true);
});

Deno.test("setnsInitPlan() chroots first into the root of a container without a mount namespace", () => {
  const plan = setnsInitPlan(input({ jail: { path: "/proc/42/root", fd: 9 } }));
  assertEquals(plan[0], { op: "CHROOT", step: "jail", target: "/proc/42/root", fd: 9 });
  assertEquals(plan[1], { op: "SET_ROOT", step: "setRoot", target: "/" });
  assertEquals(setnsInitPlan(input()).some((o) => o.op === "CHROOT"), false);
});

Deno.test("setnsInitPlan() refuses an AppArmor profile on a host without AppArmor", () => {
  const p = { ...proc, apparmorProfile: "runo-test" };
  assertThrows(() => setnsInitPlan(input({ process: p })), ConfigError, "AppArmor");
  const plan = setnsInitPlan(input({ process: p, lsm: { apparmor: true, selinux: false } }));
  assertEquals(plan.find((o) => o.step === "apparmor")?.data, "exec runo-test");
});

Deno.test("setnsInitPlan() refuses a process without args", () => {
  assertThrows(() => setnsInitPlan(input({ process: { ...proc, args: [] } })), ConfigError);
});

Deno.test("setnsInitPlan() output encodes", () => {
  encodeBootstrap({ cloneFlags: 0, nsPaths: [], logLevel: 0, plan: setnsInitPlan(input()) });
});
