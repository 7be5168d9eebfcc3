// What is at a tmpfs or mqueue destination in the image: a symlink (inside
// the rootfs, climbing out of it, dangling), a FIFO, a device node. runc
// (1.1.5, checked with RUNO_BIN=runc) follows a symlink inside the rootfs
// and mounts on the directory it leads to, and refuses a FIFO or a device
// node ("not a directory"); runo does the same, resolving the destination
// with RESOLVE_IN_ROOT and attaching onto that fd. A dangling symlink runo
// refuses, as runc 1.2 and later do (MkdirAllInRoot; runc #5090), where
// runc 1.1.5 creates the directory it names. A host directory a climbing
// symlink names is never touched.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import {
  exists,
  host,
  isRunc,
  oneLineError,
  requires,
  sandbox,
  uniqueId,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

interface Case {
  readonly name: string;
  readonly type: "tmpfs" | "mqueue";
  /** Makes the destination "/d" in the rootfs; `decoy` is a host directory. */
  readonly make: (rootfs: string, decoy: string) => Promise<void>;
  /** Where the mount must land, as a container path; undefined: refused. */
  readonly lands?: (decoy: string) => string;
  /** Dangling: runo refuses it; runc 1.1.5 mounts where `lands` says. */
  readonly dangling?: true;
}

const symlink = (to: string) => (rootfs: string) => Deno.symlink(to, `${rootfs}/d`);

const CASES: Case[] = [
  ...(["tmpfs", "mqueue"] as const).flatMap((type): Case[] => [
    {
      name: `${type} on a symlink to a directory of the image`,
      type,
      make: async (r) => {
        await Deno.mkdir(`${r}/real`);
        await Deno.symlink("/real", `${r}/d`);
      },
      lands: () => "/real",
    },
    {
      name: `${type} on a symlink climbing out of the rootfs to a host directory`,
      type,
      make: async (r, decoy) => {
        await Deno.mkdir(`${r}${decoy}`, { recursive: true });
        await Deno.symlink(`../../../../../../../..${decoy}`, `${r}/d`);
      },
      lands: (decoy) => decoy,
    },
    {
      name: `${type} on a dangling symlink`,
      type,
      make: symlink("/nowhere/deep"),
      lands: () => "/nowhere/deep",
      dangling: true,
    },
    {
      name: `${type} on a FIFO`,
      type,
      make: async (r) => {
        const m = await host("mkfifo", [`${r}/d`]);
        assert.equal(m.code, 0, m.stderr);
      },
    },
    {
      name: `${type} on a device node`,
      type,
      make: async (r) => {
        const m = await host("mknod", [`${r}/d`, "c", "1", "3"]);
        assert.equal(m.code, 0, m.stderr);
      },
    },
  ]),
];

for (const c of CASES) {
  Deno.test({
    name: `${c.name}: ${
      c.lands && !c.dangling ? "mounted where it leads inside the rootfs" : "refused"
    }`,
    ...needs,
    async fn() {
      const decoy = await Deno.makeTempDir({ prefix: "runo-decoy-" });
      await Deno.writeTextFile(`${decoy}/MARK`, "decoy\n");
      await using sb = await sandbox();
      await using b = await createBundle({
        args: ["sh", "-c", "cat /proc/self/mountinfo; echo END"],
        config: (cfg: Config) =>
          cfg.mounts!.push({
            destination: "/d",
            type: c.type,
            source: c.type,
            options: ["nosuid"],
          }),
      });
      await c.make(b.rootfs, decoy);
      const r = await sb.runo(["run", "-b", b.dir, sb.track(uniqueId())]);
      const names = [...Deno.readDirSync(decoy)].map((e) => e.name);
      await Deno.remove(decoy, { recursive: true });
      assert.deepEqual(names, ["MARK"], "the host directory changed");
      if (!c.lands) {
        assert.notEqual(r.code, 0, `not refused: ${r.stdout}`);
        // (runc escapes the quotes of its message.)
        assert.match(oneLineError(r.stderr), /\\?"\/d\\?".*not a directory/i);
        return;
      }
      if (c.dangling && !isRunc()) {
        assert.notEqual(r.code, 0, `not refused: ${r.stdout}`);
        assert.match(oneLineError(r.stderr), /"\/d" in root: No such file or directory/);
        assert.ok(!(await exists(`${b.rootfs}/nowhere`)), "created where it led");
        return;
      }
      assert.equal(r.code, 0, r.stderr);
      const points = r.stdout.split("\n").filter((l) => l.includes(` - ${c.type} `))
        .map((l) => l.split(" ")[4]);
      assert.ok(points.includes(c.lands(decoy)), `no ${c.type} on ${c.lands(decoy)}: ${points}`);
      assert.ok(!points.includes("/d"), "mounted on the symlink itself");
      // The rootfs's own directory got it (created there when missing).
      const st = await Deno.lstat(`${b.rootfs}${c.lands(decoy)}`);
      assert.ok(st.isDirectory);
    },
  });
}
