// A read-only bind whose destination goes through a volume another party
// shares and swaps (issue 15; the audit's "re-resolved mount targets"):
// the bind, its propagation and its ro remount are separate operations,
// and a remount that resolves the destination again can land on another
// mount while the bind stays writable. The racer (a host process) swaps
// the volume's `sub` for a symlink to `alt` and back, where every
// `alt/m<i>` is a mount point of its own. runo's remount acts on the mount
// the bind made (MountOpt.ON_LAST_MOUNT): the source must never be written
// from inside, and every run either works or is refused in one line.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import { host, isRunc, requires, sandbox, uniqueId } from "../fixtures/runo.ts";
import { swapper } from "../fixtures/swapper.ts";

const needs = requires("root", "busybox", "cli");
const RUNS = 25;
const BINDS = 20;

/** The shared volume: sub/ and alt/ with m<i> in each, alt's as mount points. */
async function sharedVolume(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "runo-shared-vol-" });
  for (const d of ["sub", "alt"]) {
    for (let i = 0; i < BINDS; i++) await Deno.mkdir(`${dir}/${d}/m${i}`, { recursive: true });
  }
  for (let i = 0; i < BINDS; i++) {
    const m = await host("mount", ["--bind", `${dir}/alt/m${i}`, `${dir}/alt/m${i}`]);
    assert.equal(m.code, 0, m.stderr);
  }
  await Deno.symlink("alt", `${dir}/sub.swap`);
  return dir;
}

Deno.test({
  name: "a read-only bind through a volume swapped under it is never left writable",
  ...needs,
  async fn() {
    const vol = await sharedVolume();
    const src = await Deno.makeTempDir({ prefix: "runo-ro-src-" });
    await Deno.writeTextFile(`${src}/RO_MARK`, "source\n");
    await using sb = await sandbox();
    // Each bind's source written to through whichever of sub or alt shows it.
    // (cd first: the volume keeps being swapped while the probe runs.)
    const probe = `for d in /v/sub /v/alt; do for m in $d/m*; do ` +
      `(cd $m 2>/dev/null && [ -f RO_MARK ] && ` +
      `{ echo "in $d"; touch WRITTEN 2>/dev/null && echo RW; }); done; done; echo END`;
    await using victim = await createBundle({
      args: ["sh", "-c", probe],
      config: (c: Config) => {
        c.mounts!.push({ destination: "/v", type: "bind", source: vol, options: ["rbind", "rw"] });
        for (let i = 0; i < BINDS; i++) {
          c.mounts!.push({
            destination: `/v/sub/m${i}`,
            type: "bind",
            source: src,
            options: ["bind", "ro", "nosuid"],
          });
        }
      },
    });
    const racer = new Deno.Command(await swapper(), {
      args: [vol, "sub", "sub.swap"],
      stdout: "null",
      stderr: "null",
    }).spawn();
    let ran = 0, refused = 0, metSwap = 0, rw = 0;
    try {
      for (let i = 0; i < RUNS; i++) {
        const r = await sb.runo(["run", "-b", victim.dir, sb.track(uniqueId())], {
          timeoutMs: 20_000,
        });
        if (r.stdout.includes("RW")) rw++;
        if (r.stdout.includes("in /v/alt")) metSwap++;
        if (r.code === 0 && r.stdout.includes("END")) ran++;
        else if (r.code !== 0 && !r.stderr.trim().includes("\n")) refused++;
        else console.log(`run ${i}: code ${r.code}: ${r.stdout} ${r.stderr}`);
      }
    } finally {
      await Deno.writeTextFile(`${vol}/stop`, "");
      await racer.status;
      await sb.cleanup();
    }
    const rounds = Number(await Deno.readTextFile(`${vol}/count`).catch(() => "0"));
    const written = [...Deno.readDirSync(src)].map((e) => e.name);
    for (let i = 0; i < BINDS; i++) await host("umount", ["-l", `${vol}/alt/m${i}`]);
    await Deno.remove(vol, { recursive: true });
    await Deno.remove(src, { recursive: true });
    console.log(
      `${rounds} swaps: ran ${ran}, refused ${refused}, met the swap ${metSwap}, rw ${rw}`,
    );
    // Controls: the racer swapped while the victims started, and some met it.
    assert.ok(rounds > RUNS, `the racer made only ${rounds} swaps`);
    assert.ok(metSwap + refused > 0, "no victim met a swapped volume");
    assert.equal(ran + refused, RUNS, "unexpected outcomes (printed above)");
    // runo differs on purpose: runc 1.1.5 remounts the bind by path too, so a swap can
    // leave it writable (not seen in 4 runs here); the outcomes are printed for runc.
    if (!isRunc()) {
      assert.deepEqual(written, ["RO_MARK"], "the read-only source was written from inside");
      assert.equal(rw, 0);
    }
  },
});
