// linux.seccomp, compiled by libseccomp in the parent and loaded by the C
// init, checked from inside real containers: the filter is installed
// (Seccomp lines of /proc/self/status), blocked syscalls return the
// configured errno, argument conditions select what is blocked, unknown
// syscall names are skipped, and the filter is loaded on both paths (early
// without no_new_privs, late with it). SCMP_ACT_NOTIFY and its agent:
// seccomp_notify_test.ts.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import { runContainer, shIn, withSeccomp } from "../fixtures/container.ts";
import { isRunc, oneLineError, requires, sandbox, uniqueId } from "../fixtures/runo.ts";
import type { Seccomp } from "../../lib/spec/types.ts";
import { buildSysno, sysnoResults } from "./helpers/sysno.ts";

const needs = requires("root", "busybox", "cli");

const BLOCK_MKDIR: Seccomp = {
  defaultAction: "SCMP_ACT_ALLOW",
  syscalls: [{ names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 28 }],
};

Deno.test({
  name: "seccomp: a rule returns its errnoRet (ENOSPC) and the filter shows in status",
  ...needs,
  async fn() {
    const out = await shIn(
      "grep -E '^Seccomp(_filters)?:' /proc/self/status; mkdir /tmp/x 2>&1; echo rc=$?; " +
        "touch /dev/shm/y && echo touched",
      { config: withSeccomp(BLOCK_MKDIR) },
    );
    assert.match(out, /^Seccomp:\s+2$/m);
    assert.match(out, /^Seccomp_filters:\s+1$/m);
    assert.match(out, /No space left on device/);
    assert.match(out, /^rc=1$/m);
    assert.match(out, /^touched$/m, "other syscalls are allowed");
  },
});

/** Every x86_64 syscall name the kernel headers list (libc6-dev). */
async function allSyscallNames(): Promise<string[]> {
  const h = await Deno.readTextFile("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
  return [...h.matchAll(/#define __NR_(\w+)/g)].map((m) => m[1]);
}

Deno.test({
  name: "seccomp: an allow-list with defaultAction ERRNO returns defaultErrnoRet for the rest",
  ...needs,
  async fn() {
    const names = (await allSyscallNames()).filter((n) => n !== "mkdir" && n !== "mkdirat");
    assert.ok(names.length > 300);
    const out = await shIn("mkdir /tmp/x 2>&1; echo rc=$?; grep '^Seccomp:' /proc/self/status", {
      config: withSeccomp({
        defaultAction: "SCMP_ACT_ERRNO",
        defaultErrnoRet: 38, // ENOSYS
        architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        syscalls: [{ names, action: "SCMP_ACT_ALLOW" }],
      }),
    });
    assert.match(out, /Function not implemented/);
    assert.match(out, /^rc=1$/m);
    assert.match(out, /^Seccomp:\s+2$/m);
  },
});

Deno.test({
  name:
    "seccomp: runc's ENOSYS stub: above the profile's last syscall ENOSYS, below it the default",
  ...needs,
  async fn() {
    const names = await allSyscallNames();
    const h = await Deno.readTextFile("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
    const nr = new Map([...h.matchAll(/#define __NR_(\w+) (\d+)/g)].map((m) => [m[1], +m[2]]));
    // Everything up to close_range (436) except mkdir (83); default EPERM.
    const allowed = names.filter((n) => (nr.get(n) ?? 999) <= 436 && n !== "mkdir");
    await using sb = await sandbox();
    await using bundle = await createBundle({ args: ["/sysno", "83", "436", "437", "450"] });
    await buildSysno(bundle.dir, bundle.rootfs);
    withSeccomp({
      defaultAction: "SCMP_ACT_ERRNO",
      architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
      syscalls: [{ names: allowed, action: "SCMP_ACT_ALLOW" }],
    })(bundle.config);
    await bundle.write();
    const id = sb.track(uniqueId());
    const r = await sb.runo(["run", "-b", bundle.dir, id]);
    assert.equal(r.code, 0, r.stderr);
    // 83 is below the last named syscall: the default EPERM; 436 allowed
    // (EBADF from its zero arguments is not a filter answer, 0 is not
    // either: anything but 1 and 38); 437 and 450 are above it: ENOSYS.
    const got = sysnoResults(r.stdout);
    assert.equal(got["83"], "1");
    assert.ok(got["436"] !== "1" && got["436"] !== "38", `close_range: ${got["436"]}`);
    assert.equal(got["437"], "38");
    assert.equal(got["450"], "38");
  },
});

Deno.test({
  name: "seccomp: SCMP_ACT_ERRNO without errnoRet returns EPERM",
  ...needs,
  async fn() {
    const out = await shIn("mkdir /tmp/x 2>&1; true", {
      config: withSeccomp({
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{ names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO" }],
      }),
    });
    assert.match(out, /Operation not permitted/);
  },
});

Deno.test({
  name: "seccomp: loaded early without no_new_privs, late with it; both work",
  ...needs,
  async fn() {
    for (const nnp of [false, true]) {
      const out = await shIn(
        "grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status; mkdir /x 2>&1; true",
        {
          config: withSeccomp(BLOCK_MKDIR, (c) => void (c.process!.noNewPrivileges = nnp)),
        },
      );
      assert.match(out, /^Seccomp:\s+2$/m, `nnp ${nnp}`);
      assert.match(out, new RegExp(`^NoNewPrivs:\\s+${nnp ? 1 : 0}$`, "m"));
      assert.match(out, /No space left on device/, `nnp ${nnp}`);
    }
  },
});

// The container inherits its nice value from whoever ran the test (a CI
// job or a loaded machine may run it at nice 10), so the setpriority tests
// set absolute values (busybox `renice N`, without -n), with CAP_SYS_NICE
// so that a lower value than the inherited one is allowed, and block with
// ENOSPC, which setpriority(2) itself never returns.
function withSysNice(c: Config): void {
  const caps = c.process!.capabilities as Record<string, string[]>;
  for (const set of ["bounding", "effective", "permitted"]) caps[set].push("CAP_SYS_NICE");
}

Deno.test({
  name: "seccomp: argument conditions, two indexes ANDed (setpriority which==0 && prio>=5)",
  ...needs,
  async fn() {
    const out = await shIn(
      "renice 3 -p $$ >/dev/null 2>&1; echo a=$?; renice 6 -p $$ 2>&1; echo b=$?; " +
        "read -r l < /proc/self/stat; set -- $l; echo nice=${19}",
      {
        config: withSeccomp({
          defaultAction: "SCMP_ACT_ALLOW",
          syscalls: [{
            names: ["setpriority"],
            action: "SCMP_ACT_ERRNO",
            errnoRet: 28,
            args: [
              { index: 0, value: 0, op: "SCMP_CMP_EQ" },
              { index: 2, value: 5, op: "SCMP_CMP_GE" },
            ],
          }],
        }, withSysNice),
      },
    );
    // nice 3 allowed; nice 6 blocked by the rule (ENOSPC), so 3 stays.
    assert.match(out, /^a=0$/m);
    assert.match(out, /No space left on device\nb=1$/m);
    assert.match(out, /^nice=3$/m);
  },
});

Deno.test({
  name: "seccomp: a MASKED_EQ condition selects umask values",
  ...needs,
  async fn() {
    // umask(2) never fails in libc's eyes, so a blocked call leaves the
    // mask unchanged: that is what the shell prints back.
    const out = await shIn("umask 0077; umask; umask 0027; umask; umask 0070; umask", {
      config: withSeccomp({
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [
          // Blocks masks whose "other" bits are exactly 7 …
          {
            names: ["umask"],
            action: "SCMP_ACT_ERRNO",
            args: [{ index: 0, value: 0o7, valueTwo: 0o7, op: "SCMP_CMP_MASKED_EQ" }],
          },
        ],
      }, (c) => void (c.process!.user.umask = 0o022)),
    });
    // 0077 blocked (stays 0022), 0027 blocked (stays 0022), 0070 allowed.
    assert.deepEqual(out.trim().split("\n"), ["0022", "0022", "0070"]);
  },
});

Deno.test({
  name: "seccomp: LT, GT, LE and NE conditions",
  ...needs,
  async fn() {
    const out = await shIn(
      "umask 0077; umask; umask 0027; umask; " +
        "kill -0 $$ 2>/dev/null; echo k0=$?; kill -CONT $$; echo kc=$?; renice 3 -p $$ >/dev/null; " +
        "renice 1 -p $$ 2>/dev/null; echo r1=$?; renice 2 -p $$ >/dev/null; echo r2=$?",
      {
        config: withSeccomp({
          defaultAction: "SCMP_ACT_ALLOW",
          syscalls: [
            {
              // The shell reads the mask with umask(0), which must pass.
              names: ["umask"],
              action: "SCMP_ACT_ERRNO",
              args: [{ index: 0, value: 0o070, op: "SCMP_CMP_GT" }],
            },
            {
              names: ["kill"],
              action: "SCMP_ACT_ERRNO",
              args: [{ index: 1, value: 1, op: "SCMP_CMP_LT" }],
            },
            {
              names: ["setpriority"],
              action: "SCMP_ACT_ERRNO",
              errnoRet: 28,
              args: [
                { index: 0, value: 1, op: "SCMP_CMP_NE" },
                { index: 2, value: 1, op: "SCMP_CMP_LE" },
              ],
            },
          ],
        }, (c) => {
          c.process!.user.umask = 0o022;
          withSysNice(c);
        }),
      },
    );
    // umask 0077 > 0070 blocked, 0027 allowed; kill with signal 0 < 1
    // blocked, SIGCONT allowed; from nice 3 (3 > 1: allowed),
    // setpriority(PRIO_PROCESS (0 != 1), pid, 1 <= 1) blocked, then 2 allowed.
    assert.deepEqual(out.trim().split("\n"), ["0022", "0027", "k0=1", "kc=0", "r1=1", "r2=0"]);
  },
});

Deno.test({
  name: "seccomp: conditions on one index twice become separate rules (runc's OR)",
  ...needs,
  async fn() {
    const out = await shIn("umask 0011; umask; umask 0022; umask; umask 0033; umask", {
      config: withSeccomp({
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{
          names: ["umask"],
          action: "SCMP_ACT_ERRNO",
          args: [
            { index: 0, value: 0o11, op: "SCMP_CMP_EQ" },
            { index: 0, value: 0o33, op: "SCMP_CMP_EQ" },
          ],
        }],
      }, (c) => void (c.process!.user.umask = 0o002)),
    });
    assert.deepEqual(out.trim().split("\n"), ["0002", "0022", "0022"]);
  },
});

Deno.test({
  name: "seccomp: unknown syscall names are skipped; architectures and flags are accepted",
  ...needs,
  async fn() {
    const profile = (flags?: string[]) =>
      withSeccomp({
        defaultAction: "SCMP_ACT_ALLOW",
        architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        ...(flags ? { flags } : {}),
        syscalls: [{
          names: ["no_such_syscall_runo", "mkdir", "mkdirat"],
          action: "SCMP_ACT_ERRNO",
          errnoRet: 28,
        }],
      });
    // WAIT_KILLABLE_RECV without a listener is dropped, as libseccomp does.
    const flags = [
      "SECCOMP_FILTER_FLAG_TSYNC",
      "SECCOMP_FILTER_FLAG_LOG",
      "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
      "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    ];
    if (isRunc()) {
      // runo differs on purpose: runc 1.1.5 refuses any seccomp flag ("seccomp
      // flags are not yet supported by runc"); runc >= 1.2 takes these (spec 1.1).
      const r = await runContainer(["true"], { config: profile(flags) });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /seccomp flags are not yet supported/);
      assert.ok(r.stateRemoved);
    }
    const script = "mkdir /tmp/x 2>&1; grep '^Seccomp:' /proc/self/status";
    const out = await shIn(script, { config: profile(isRunc() ? undefined : flags) });
    assert.match(out, /No space left on device/);
    assert.match(out, /^Seccomp:\s+2$/m);
  },
});

Deno.test({
  name: "seccomp: SCMP_ACT_KILL_PROCESS kills the container process with SIGSYS",
  ...needs,
  async fn() {
    const r = await runContainer(["mkdir", "/tmp/x"], {
      config: withSeccomp({
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{ names: ["mkdir", "mkdirat"], action: "SCMP_ACT_KILL_PROCESS" }],
      }),
    });
    // runc reports a signal death as 128 + signo; SIGSYS is 31.
    assert.equal(r.code, 128 + 31, r.stderr);
  },
});

Deno.test({
  name: "seccomp: an unknown action is refused with its JSON pointer, nothing left behind",
  ...needs,
  async fn() {
    const r = await runContainer(["true"], {
      config: withSeccomp({
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{ names: ["mkdir"], action: "SCMP_ACT_EXPLODE" }],
      }),
    });
    assert.notEqual(r.code, 0);
    // runc: "string SCMP_ACT_EXPLODE is not a valid action for seccomp".
    assert.match(oneLineError(r.stderr), /SCMP_ACT_EXPLODE/);
    if (!isRunc()) assert.match(oneLineError(r.stderr), /\/linux\/seccomp\/syscalls\/0\/action/);
    assert.ok(r.stateRemoved);
  },
});
