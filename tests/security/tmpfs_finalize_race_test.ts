// Read-only tmpfs and /dev mounts whose destination goes through a path
// another party shares and swaps (the model of bind_remount_race_test.ts):
// a tmpfs is mounted writable, its propagation applied, and it is made
// read-only only after pivot_root (runc's finalizeRootfs). Each of those
// that resolved the destination again could land on another mount while
// the tmpfs stays writable and the other mount changes. runo acts on the
// mount it made (ON_LAST_MOUNT, then its mount slot after the pivot), so
// in the container's mountinfo every tmpfs of the config is read-only and
// shared as asked, nothing else under the swapped path is read-only or
// shared, and on the host the mounts of the shared path are as they were.
// Every run either works or is refused in one line.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import {
  exists,
  host,
  isRunc,
  REPO_ROOT,
  requires,
  type RunResult,
  type Sandbox,
  sandbox,
  uniqueId,
  waitFor,
} from "../fixtures/runo.ts";
import { swapper } from "../fixtures/swapper.ts";

const needs = requires("root", "busybox", "cli");
const RUNS = 25;
const MOUNTS = 20;

interface Line {
  /** The path inside its filesystem that is mounted ("/" for a whole one). */
  root: string;
  point: string;
  options: string[];
  tags: string;
  type: string;
  superOptions: string;
}

/** proc(5) mountinfo lines. */
function mountinfo(text: string): Line[] {
  return text.split("\n").filter((l) => l.includes(" - ")).map((line) => {
    const [left, right] = line.split(" - ");
    const f = left.split(" ");
    const [type, , superOptions] = right.split(" ");
    return {
      root: f[3],
      point: f[4],
      options: f[5].split(","),
      tags: f.slice(6).join(" "),
      type,
      superOptions,
    };
  });
}

/** The host's mountinfo lines under dir: mount point, options, propagation kinds. */
async function hostMounts(dir: string): Promise<string[]> {
  // (cat: Deno would want --allow-all for /proc.)
  const r = await host("cat", ["/proc/self/mountinfo"]);
  return mountinfo(r.stdout).filter((m) => m.point.startsWith(`${dir}/`))
    .map((m) => `${m.point} ${m.options.join(",")} ${m.tags.replace(/:\d+/g, "")}`).sort();
}

/** A directory with sub/ and alt/, m<i> in each, alt's bound onto themselves. */
async function sharedVolume(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "runo-shared-tmpfs-" });
  for (const d of ["sub", "alt"]) {
    for (let i = 0; i < MOUNTS; i++) await Deno.mkdir(`${dir}/${d}/m${i}`, { recursive: true });
  }
  for (let i = 0; i < MOUNTS; i++) {
    const m = await host("mount", ["--bind", `${dir}/alt/m${i}`, `${dir}/alt/m${i}`]);
    assert.equal(m.code, 0, m.stderr);
  }
  await Deno.symlink("alt", `${dir}/sub.swap`);
  return dir;
}

interface Outcomes {
  ran: number;
  refused: number;
  /** Runs where some tmpfs was not on its own sub/m<i>: the swap was met. */
  metSwap: number;
  /** What went wrong inside a run that worked, one line each. */
  wrong: string[];
  /** The first refusal's message, for the log. */
  refusal?: string;
}

/** One `runo run` of the victim; its stdout has the container's output. */
type RunOnce = (sb: Sandbox, bundle: string, id: string) => Promise<RunResult>;

const plainRun: RunOnce = (sb, bundle, id) =>
  sb.runo(["run", "-b", bundle, id], { timeoutMs: 20_000 });

/**
 * A run with process.terminal: the pty master goes to the console-socket
 * receiver (tests/fixtures/console_receiver.ts), whose output, the
 * terminal's, is returned as stdout.
 */
const consoleRun: RunOnce = async (sb, bundle, id) => {
  const dir = await Deno.makeTempDir({ prefix: "runo-console-" });
  const socket = `${dir}/console.sock`;
  const receiver = `${REPO_ROOT}/tests/fixtures/console_receiver.ts`;
  const rx = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--allow-ffi", "--allow-read", "--allow-write", "--allow-env"]
      .concat([receiver, socket, "", "END"]),
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const kill = () => {
    try {
      rx.kill("SIGKILL");
    } catch { /* it has exited */ }
  };
  try {
    assert.ok(await waitFor(() => exists(socket), 10_000), "the console receiver did not listen");
    // runc refuses --console-socket without -d ("cannot use console socket if
    // runc will not detach or allocate tty"); the receiver gets the output either way.
    const detach = isRunc() ? ["-d"] : [];
    const r = await sb.runo(["run", ...detach, "--console-socket", socket, "-b", bundle, id], {
      timeoutMs: 20_000,
    });
    if (r.code !== 0) kill(); // it may never have been sent a master
    return { ...r, stdout: new TextDecoder().decode((await rx.output()).stdout) };
  } finally {
    kill();
    await Deno.remove(dir, { recursive: true });
  }
};

/** Runs the victim RUNS times while the swapper swaps NAME and NAME.swap in dir. */
async function race(
  dir: string,
  name: string,
  bundle: string,
  check: (mounts: Line[]) => { met: boolean; wrong: string[] },
  runOnce = plainRun,
): Promise<Outcomes & { rounds: number }> {
  await using sb = await sandbox();
  const racer = new Deno.Command(await swapper(), {
    args: [dir, name, `${name}.swap`],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const out: Outcomes = { ran: 0, refused: 0, metSwap: 0, wrong: [] };
  try {
    for (let i = 0; i < RUNS; i++) {
      const r = await runOnce(sb, bundle, sb.track(uniqueId()));
      if (r.code === 0 && r.stdout.includes("END")) {
        out.ran++;
        const { met, wrong } = check(mountinfo(r.stdout));
        if (met) out.metSwap++;
        out.wrong.push(...wrong.map((w) => `run ${i}: ${w}`));
      } else if (r.code !== 0 && !r.stderr.trim().includes("\n")) {
        out.refused++;
        out.refusal ??= r.stderr.trim();
      } else {
        out.wrong.push(`run ${i}: code ${r.code}: ${r.stdout} ${r.stderr}`);
      }
    }
  } finally {
    await Deno.writeTextFile(`${dir}/stop`, "");
    await racer.status;
    await Deno.remove(`${dir}/stop`);
  }
  const rounds = Number(await Deno.readTextFile(`${dir}/count`).catch(() => "0"));
  await Deno.remove(`${dir}/count`).catch(() => {});
  return { ...out, rounds };
}

/** The config's tmpfs under /v: read-only and shared; the rest there: neither. */
function checkVolume(mounts: Line[]): { met: boolean; wrong: string[] } {
  const under = mounts.filter((m) => m.point.startsWith("/v/"));
  const tmpfs = under.filter((m) => m.type === "tmpfs");
  const wrong: string[] = [];
  if (tmpfs.length !== MOUNTS) wrong.push(`${tmpfs.length} tmpfs mounts under /v, not ${MOUNTS}`);
  for (const m of tmpfs) {
    if (!m.options.includes("ro")) wrong.push(`tmpfs on ${m.point} is writable`);
    if (!m.tags.includes("shared:")) wrong.push(`tmpfs on ${m.point} is not shared`);
  }
  for (const m of under.filter((x) => x.type !== "tmpfs")) {
    if (m.options.includes("ro")) wrong.push(`${m.type} on ${m.point} became read-only`);
    if (m.tags.includes("shared:")) wrong.push(`${m.type} on ${m.point} became shared`);
  }
  return { met: tmpfs.some((m) => !/^\/v\/sub\/m\d+$/.test(m.point)), wrong };
}

Deno.test({
  name:
    "read-only rshared tmpfs mounts through a swapped volume: the remount and propagation land on them alone",
  ...needs,
  async fn() {
    const vol = await sharedVolume();
    const before = await hostMounts(vol);
    await using victim = await createBundle({
      args: ["sh", "-c", "cat /proc/self/mountinfo; echo END"],
      config: (c: Config) => {
        c.mounts!.push({ destination: "/v", type: "bind", source: vol, options: ["rbind", "rw"] });
        for (let i = 0; i < MOUNTS; i++) {
          c.mounts!.push({
            destination: `/v/sub/m${i}`,
            type: "tmpfs",
            source: "tmpfs",
            options: ["ro", "rshared", "size=64k"],
          });
        }
      },
    });
    let out, after;
    try {
      out = await race(vol, "sub", victim.dir, checkVolume);
      after = await hostMounts(vol);
    } finally {
      for (let i = 0; i < MOUNTS; i++) await host("umount", ["-l", `${vol}/alt/m${i}`]);
    }
    const written = [...Deno.readDirSync(`${vol}/alt/m0`)].map((e) => e.name);
    await Deno.remove(vol, { recursive: true });
    const { rounds, ran, refused, metSwap, wrong, refusal } = out;
    console.log(`${rounds} swaps: ran ${ran}, refused ${refused}, met the swap ${metSwap}`);
    if (refusal) console.log(`first refusal: ${refusal}`);
    for (const w of wrong.slice(0, 20)) console.log(w);
    // The host's side: the shared volume's mounts are as they were.
    assert.equal(before.length, MOUNTS);
    assert.deepEqual(after, before, "a mount of the shared volume changed on the host");
    assert.deepEqual(written, []);
    // Controls: the racer swapped while the victims started, and some met it.
    assert.ok(rounds > RUNS, `the racer made only ${rounds} swaps`);
    assert.ok(metSwap + refused > 0, "no victim met a swapped volume");
    assert.equal(ran + refused, RUNS, "unexpected outcomes (printed above)");
    // runo differs on purpose: runc 1.1.5 remounts and sets propagation by path,
    // so a swap can leave a tmpfs writable and make another mount read-only
    // (its outcomes are printed above); runo acts on the mount it made.
    if (!isRunc()) assert.deepEqual(wrong, []);
  },
});

/**
 * The entries of the rootfs's alt and dev directories (either name of the
 * swapped pair: whichever is the directory, not the symlink), as
 * "alt/null": all of them were empty before the runs.
 */
function hostVisible(root: string): string[] {
  return ["alt", "dev", "dev.swap"].filter((d) => Deno.lstatSync(`${root}/${d}`).isDirectory)
    .flatMap((d) => [...Deno.readDirSync(`${root}/${d}`)].map((e) => `${d}/${e.name}`)).sort();
}

/** The size the /dev tmpfs asks for, as mountinfo shows it: how it is told apart. */
const DEV_SIZE = "size=6144k";

/** The /dev tmpfs read-only; nothing else (the swapped-in bind, /dev's submounts) changed. */
function checkDev(mounts: Line[]): { met: boolean; wrong: string[] } {
  // (Masked files are binds of its null: root "/null".)
  const dev = mounts.filter((m) =>
    m.type === "tmpfs" && m.root === "/" && m.superOptions.includes(DEV_SIZE)
  );
  const alt = mounts.filter((m) =>
    ["/alt", "/dev", "/dev.swap"].includes(m.point) &&
    m.type !== "tmpfs"
  );
  const wrong: string[] = [];
  if (dev.length !== 1) wrong.push(`${dev.length} /dev tmpfs mounts, not 1`);
  for (const m of dev) if (!m.options.includes("ro")) wrong.push(`tmpfs on ${m.point} is writable`);
  if (alt.length !== 1) wrong.push(`${alt.length} binds of alt, not 1`);
  for (const m of alt) {
    if (m.options.includes("ro")) wrong.push(`${m.type} on ${m.point} became read-only`);
    if (m.tags.includes("shared:")) wrong.push(`${m.type} on ${m.point} became shared`);
  }
  for (const m of mounts.filter((x) => ["devpts", "mqueue"].includes(x.type))) {
    if (m.options.includes("ro")) wrong.push(`${m.type} on ${m.point} became read-only`);
  }
  return { met: dev.some((m) => m.point !== "/dev"), wrong };
}

/**
 * The /dev tmpfs race; with a terminal, the /dev/console bind after the
 * pivot is made too (in the /dev mount, as everything under /dev).
 */
async function devRace(terminal: boolean): Promise<void> {
  await using victim = await createBundle({
    args: ["sh", "-c", "cat /proc/self/mountinfo; echo END"],
    config: (c: Config) => {
      const dev = c.mounts!.find((m) => m.destination === "/dev")!;
      dev.options = ["nosuid", "strictatime", "mode=755", DEV_SIZE.replace("6144k", "6m"), "ro"];
      c.process!.terminal = terminal;
    },
  });
  const root = victim.rootfs;
  await Deno.mkdir(`${root}/alt`);
  const m = await host("mount", ["--bind", `${root}/alt`, `${root}/alt`]);
  assert.equal(m.code, 0, m.stderr);
  await Deno.symlink("alt", `${root}/dev.swap`);
  assert.deepEqual(hostVisible(root), []);
  const before = await hostMounts(root);
  let out, after;
  try {
    out = await race(root, "dev", victim.dir, checkDev, terminal ? consoleRun : plainRun);
    after = await hostMounts(root);
  } finally {
    await host("umount", ["-l", `${root}/alt`]);
  }
  // What the runs left in the rootfs's own directories, which the host
  // sees: device nodes, /dev symlinks or mount points that a swap sent
  // there would be made by path instead of inside the /dev tmpfs.
  const leaked = hostVisible(root);
  console.log(`host-visible in alt, dev: ${leaked.join(", ") || "nothing"}`);
  const { rounds, ran, refused, metSwap, wrong, refusal } = out;
  console.log(`${rounds} swaps: ran ${ran}, refused ${refused}, met the swap ${metSwap}`);
  if (refusal) console.log(`first refusal: ${refusal}`);
  for (const w of wrong.slice(0, 20)) console.log(w);
  assert.equal(before.length, 1);
  assert.deepEqual(after, before, "the rootfs's alt mount changed on the host");
  assert.ok(rounds > RUNS, `the racer made only ${rounds} swaps`);
  assert.ok(metSwap + refused > 0, "no victim met a swapped /dev");
  assert.equal(ran + refused, RUNS, "unexpected outcomes (printed above)");
  // runo differs on purpose: runc 1.1.5 remounts /dev and makes its nodes
  // by path, so a swap can send them into the rootfs's own directories (its
  // outcomes and leaks are printed above); runo makes them in its /dev mount.
  if (!isRunc()) {
    assert.deepEqual(wrong, []);
    assert.deepEqual(leaked, [], "runo made files in a host-visible directory of the rootfs");
  }
}

Deno.test({
  name: "a read-only /dev tmpfs in a rootfs whose dev is swapped: the remount lands on it alone",
  ...needs,
  fn: () => devRace(false),
});

Deno.test({
  name:
    "a read-only /dev tmpfs in a rootfs whose dev is swapped, with a terminal: nothing, /dev/console included, lands outside it",
  ...needs,
  fn: () => devRace(true),
});
