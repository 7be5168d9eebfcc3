// The classic runc escapes, tried against runo from inside real containers
// (and from the host where the attacker's view is the host's):
//   CVE-2019-5736  overwrite the runtime's binary through /proc/<pid>/exe
//   CVE-2016-9962  ptrace//proc access to a dumpable init during create
//   CVE-2024-21626 a leaked host fd, or a cwd outside the rootfs
// Each test first shows that the attacker really reached its target (saw
// the init, held an fd, ran in the container), so a passing run means the
// defence held, not that the attack went astray.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Bundle, createBundle } from "../fixtures/bundle.ts";
import { runContainer } from "../fixtures/container.ts";
import {
  host,
  isRunc,
  REPO_ROOT,
  requires,
  runoBin,
  type Sandbox,
  sandbox,
  stateOf,
  uniqueId,
  waitFor,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

/**
 * The binary the created init runs a copy of, and a sh case pattern for
 * that copy's /proc/<pid>/exe: runo's sealed memfd; runc 1.1.5 (Debian's,
 * with the 1.1.12 rework) runs a read-only bind of itself, shown as "/".
 */
const INIT = isRunc()
  ? {
    bin: new TextDecoder().decode(
      new Deno.Command("sh", { args: ["-c", "command -v runc"], stdout: "piped" }).outputSync()
        .stdout,
    ).trim(),
    exe: "/",
  }
  : { bin: `${REPO_ROOT}/build/runo-init`, exe: "*memfd:runo*" };

async function sha(path: string): Promise<string> {
  const r = await host("sha256sum", [path]);
  return r.stdout.split(" ")[0];
}

/** create (not start) a container running `args`; returns its init pid. */
async function created(sb: Sandbox, b: Bundle, id: string): Promise<number> {
  sb.track(id);
  const r = await sb.runo(["create", "-b", b.dir, id]);
  assert.equal(r.code, 0, `create: ${r.stderr}`);
  return (await stateOf(sb, id)).pid;
}

Deno.test({
  name:
    "CVE-2019-5736: the created init's exe is a sealed memfd, unwritable even through an fd held past its exec",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: ["sleep", "30"] });
    const before = await sha(INIT.bin);
    const id = uniqueId();
    const pid = await created(sb, b, id);
    const link = await host("readlink", [`/proc/${pid}/exe`]);
    // (runc: "/", its read-only bind; the writes below are refused all the same.)
    if (!isRunc()) {
      assert.match(link.stdout, /^\/memfd:runo-init/, "the init runs from a memfd copy");
    }
    // The runc attack: keep an fd on the exe while the runtime runs, write
    // through it once the runtime has exec'd (no longer ETXTBSY). Only the
    // memfd's write seal stops the second write.
    const py = `
import os, subprocess, sys
fd = os.open("/proc/${pid}/exe", os.O_PATH)
for how in ("direct", "held"):
    path = "/proc/${pid}/exe" if how == "direct" else "/proc/self/fd/%d" % fd
    try:
        w = os.open(path, os.O_WRONLY)
        os.write(w, b"pwn")
        print(how, "WROTE")
    except OSError as e:
        print(how, "denied", e.errno)
    if how == "direct":
        subprocess.run([sys.argv[1], "--root", sys.argv[2], "start", sys.argv[3]], check=True)
        # start returns once the fifo is read; the init then execs sleep.
        for _ in range(200):
            if os.readlink("/proc/${pid}/exe").endswith("busybox"):
                break
            os.sched_yield()
print("now", os.readlink("/proc/${pid}/exe"))
`;
    const r = await host("python3", ["-c", py, runoBin(), sb.root, id]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^direct denied 26$/m, "ETXTBSY while the init runs"); // ETXTBSY
    // EPERM from F_SEAL_WRITE after the exec (runc: EROFS or ETXTBSY, from its read-only bind).
    assert.match(r.stdout, isRunc() ? /^held denied (30|26)$/m : /^held denied 1$/m, "held write");
    assert.match(r.stdout, /^now \/.*busybox$/m, "the held fd outlived the exec");
    assert.equal(await sha(INIT.bin), before);
  },
});

/**
 * A busybox loop for a container with CAP_SYS_PTRACE in the host pid
 * namespace: for every runo init it can see, write its /proc/<pid>/exe, and
 * hold it open to write again once the init has exec'd. Targets only
 * memfd:runo* exes in cgroups named after this test's victims (other
 * containers may run on the machine), so a broken seal would damage
 * nothing but a victim's copy.
 */
const ATTACK = `
seen=""
while [ ! -e /stop ]; do
  for d in /proc/[0-9]*; do
    case "$(readlink $d/exe 2>/dev/null)" in
    $EXE)
      grep -q "$VICTIM" $d/cgroup 2>/dev/null || continue
      p=\${d#/proc/}
      case " $seen " in *" $p "*) continue;; esac
      seen="$seen $p"
      echo "SAW $p" >>/log
      if (echo pwn >$d/exe) 2>/dev/null; then echo "WROTE $p" >>/log; else echo "DENIED $p" >>/log; fi
      ( exec 5<$d/exe || exit 0; echo "HELD $p" >>/log
        while case "$(readlink $d/exe 2>/dev/null)" in $EXE) true;; *) false;; esac; do :; done
        if (echo pwn >/proc/self/fd/5) 2>/dev/null; then echo "WROTE-HELD $p" >>/log
        else echo "DENIED-HELD $p" >>/log; fi ) &
      ;;
    esac
  done
done
wait
echo DONE >>/log
`;

Deno.test({
  name:
    "CVE-2019-5736: a CAP_SYS_PTRACE container in the host pid ns cannot write inits' exe during create, start or exec",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using attacker = await createBundle({
      args: ["sh", "-c", ATTACK],
      config: (c) => {
        c.root!.readonly = false; // the log and the stop file
        c.process!.env!.push(`VICTIM=vic${Deno.pid}-`, `EXE=${INIT.exe}`);
        c.linux!.namespaces = c.linux!.namespaces!.filter((n) => n.type !== "pid");
        const caps = ["CAP_SYS_PTRACE", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH"];
        for (const set of ["bounding", "effective", "permitted"] as const) {
          c.process!.capabilities![set] = [...c.process!.capabilities![set]!, ...caps];
        }
      },
    });
    await using victim = await createBundle({ args: ["sleep", "30"] });
    const initBefore = await sha(INIT.bin);
    const a = sb.track(uniqueId("atk"));
    assert.equal((await sb.runo(["run", "-d", "-b", attacker.dir, a])).code, 0);
    const pids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const v = uniqueId("vic");
      pids.push(await created(sb, victim, v));
      // Let the attacker see the init in created state, then start it.
      await waitFor(async () => (await logOf(attacker)).includes(`SAW ${pids.at(-1)}`), 5000);
      assert.equal((await sb.runo(["start", v])).code, 0);
      // exec: stage 2 runs the setns plan from the same memfd before execve.
      const e = await sb.runo(["exec", v, "sh", "-c", "sleep 0.3"]);
      assert.equal(e.code, 0, e.stderr);
      assert.equal((await sb.runo(["delete", "-f", v])).code, 0);
    }
    await Deno.writeTextFile(`${attacker.rootfs}/stop`, "");
    await waitFor(async () => (await logOf(attacker)).includes("DONE"), 5000);
    const log = await logOf(attacker);
    for (const pid of pids) {
      assert.match(log, new RegExp(`^DENIED ${pid}$`, "m"), `no denied write of ${pid}:\n${log}`);
      assert.match(log, new RegExp(`^HELD ${pid}$`, "m"), `attacker held no fd on ${pid}:\n${log}`);
    }
    assert.doesNotMatch(log, /WROTE/, log);
    assert.match(log, /DENIED-HELD/, `no write through a held fd was tried:\n${log}`);
    assert.equal(await sha(INIT.bin), initBefore);
  },
});

async function logOf(b: Bundle): Promise<string> {
  return await Deno.readTextFile(`${b.rootfs}/log`).catch(() => "");
}

Deno.test({
  name:
    "CVE-2016-9962: a process exec'd into a created container cannot read the non-dumpable init's environ, mem, fds or exe",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({
      args: ["sleep", "30"],
      config: (c) => void c.process!.env!.push("SECRET=hunter2"),
    });
    const id = uniqueId();
    await created(sb, b, id);
    const probe = [
      "cat /proc/1/environ",
      // The first page of the init's static, non-PIE binary (runo-init, then
      // busybox's sleep): read only where ptrace would be allowed.
      "dd if=/proc/1/mem bs=4096 skip=1024 count=1 2>/dev/null | grep -q ELF",
      "readlink /proc/1/fd/0",
      "readlink /proc/1/exe",
      "readlink /proc/1/cwd",
    ].map((c) => `if ${c} >/dev/null 2>&1; then echo "OPEN ${c}"; else echo "DENIED ${c}"; fi`)
      .join("; ");
    const during = await sb.runo(["exec", id, "sh", "-c", probe]);
    assert.equal(during.code, 0, during.stderr);
    if (isRunc()) {
      // runo differs on purpose: runc 1.1.5's created init, waiting on its exec
      // fifo, is dumpable: a process exec'd into the container reads its
      // environ and its fd, exe and cwd links (the exposure CVE-2016-9962 was
      // about); runo's init stays non-dumpable until its execve.
      for (const p of ["cat /proc/1/environ", "readlink /proc/1/fd/0", "readlink /proc/1/cwd"]) {
        assert.ok(during.stdout.includes(`OPEN ${p}`), during.stdout);
      }
    } else {
      assert.doesNotMatch(during.stdout, /OPEN/, during.stdout);
      assert.equal(during.stdout.match(/DENIED/g)?.length, 5, during.stdout);
    }
    // Control: once the init has exec'd sleep (dumpable again), the same
    // probes succeed, so the denials above came from the non-dumpable init.
    assert.equal((await sb.runo(["start", id])).code, 0);
    const after = await sb.runo([
      "exec",
      id,
      "sh",
      "-c",
      `${probe}; tr '\\0' '\\n' </proc/1/environ`,
    ]);
    assert.match(after.stdout, /OPEN cat \/proc\/1\/environ/, after.stdout);
    assert.match(after.stdout, /OPEN dd if=\/proc\/1\/mem/, after.stdout);
    assert.match(after.stdout, /^SECRET=hunter2$/m);
  },
});

/** `ls /proc/$$/fd` and each fd's target, from inside the container's shell. */
// (ls in a child: a glob in the shell itself would hold the dir open as fd 3.)
const FD_PROBE = "ls -l /proc/$$/fd";

function fdsOf(out: string): string[] {
  return [...out.matchAll(/ (\d+) -> /g)].map((m) => m[1]);
}

Deno.test({
  name: "CVE-2024-21626: run and exec see only fds 0-2, plus exactly the preserved ones",
  ...needs,
  async fn() {
    const r = await runContainer(["sh", "-c", FD_PROBE]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fdsOf(r.stdout), ["0", "1", "2"], r.stdout);

    await using sb = await sandbox();
    await using b = await createBundle({ args: ["sh", "-c", `${FD_PROBE}; sleep 30`] });
    const id = sb.track(uniqueId());
    // The caller holds a host directory at fd 3 and a file at fd 4; with
    // --preserve-fds 1 only fd 3 may cross (runc's contract), nothing else.
    const cmd =
      `exec 3</tmp 4</etc/hostname 9</; exec "$0" --root "$1" run -d --preserve-fds 1 -b "$2" "$3"`;
    const out = `${b.dir}/out`;
    const started = await host("/bin/sh", [
      "-c",
      `${cmd} >${out} 2>&1`,
      runoBin(),
      sb.root,
      b.dir,
      id,
    ]);
    assert.equal(started.code, 0, await Deno.readTextFile(out));
    await waitFor(async () => (await Deno.readTextFile(out)).includes(" 3 -> "), 5000);
    const text = await Deno.readTextFile(out);
    assert.deepEqual(fdsOf(text), ["0", "1", "2", "3"], text);
    assert.match(text, / 3 -> \/tmp$/m, "the preserved fd is the caller's fd 3");
    const ex = await sb.runo(["exec", id, "sh", "-c", FD_PROBE]);
    assert.equal(ex.code, 0, ex.stderr);
    assert.deepEqual(fdsOf(ex.stdout), ["0", "1", "2"], ex.stdout);
  },
});

/** Climbs from the cwd and looks for the host's repo: present only outside the rootfs. */
const CWD_PROBE =
  'cd ../../../../../../../.. 2>/dev/null; if [ -d work/main/lib ] || [ -d .git ]; then echo ESCAPED; fi; echo "pwd=$(pwd)"';

Deno.test({
  name:
    "CVE-2024-21626: a process.cwd or exec --cwd of /proc/self/fd/N never lands outside the rootfs",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({ args: ["sleep", "30"] });
    const id = sb.track(uniqueId());
    const started = await sb.runo(["run", "-d", "-b", b.dir, id]);
    assert.equal(started.code, 0, started.stderr);
    let refused = 0;
    for (let n = 3; n <= 9; n++) {
      const cwd = `/proc/self/fd/${n}`;
      const r = await runContainer(["sh", "-c", CWD_PROBE], {
        config: (c) => void (c.process!.cwd = cwd),
      });
      assert.doesNotMatch(r.stdout, /ESCAPED/, `run cwd ${cwd}: ${r.stdout}`);
      const e = await sb.runo(["exec", "--cwd", cwd, id, "sh", "-c", CWD_PROBE]);
      assert.doesNotMatch(e.stdout, /ESCAPED/, `exec cwd ${cwd}: ${e.stdout}`);
      for (const x of [r, e]) {
        if (x.code !== 0) {
          refused++;
          assert.match(
            x.stderr.trim(),
            /^[^\n]*\/proc\/self\/fd\/\d[^\n]*$/,
            `unclear error: ${x.stderr}`,
          );
        }
      }
    }
    // The probe can tell: run from the host's repo, it reports an escape.
    const control = await host("/bin/sh", ["-c", CWD_PROBE], { cwd: `${REPO_ROOT}/lib/spec` });
    assert.match(control.stdout, /ESCAPED/);
    console.log(`cwd /proc/self/fd/3..9: ${refused} of 14 refused, the rest stayed inside`);
  },
});
