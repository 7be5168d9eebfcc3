// Recursive mount attributes (issue 16, item 6): "rro", "rnosuid", … are
// applied with mount_setattr(AT_RECURSIVE) to a mount and every mount
// under it, and `features` lists them. The bind source is a host
// directory with a tmpfs mounted inside it, so an rbind brings a
// submount; mountinfo inside the container is read to see which mounts
// are read-only. "ro" alone, the control, leaves the submount writable.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { runContainer } from "../fixtures/container.ts";
import { host, requires, runo } from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

/** Per-mount options (mountinfo field 6) of the mounts at and under /data. */
const PROBE =
  "awk '$5 ~ /^\\/data/ {print $5, $6}' /proc/self/mountinfo; touch /data/sub/w 2>/dev/null && echo SUBWRITABLE; true";

async function withSubmount<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "runo-recattr-" });
  await Deno.mkdir(`${dir}/sub`);
  const m = await host("mount", ["-t", "tmpfs", "-o", "size=1m", "runo-recattr", `${dir}/sub`]);
  assert.equal(m.code, 0, m.stderr);
  try {
    return await fn(dir);
  } finally {
    await host("umount", ["-l", `${dir}/sub`]);
    await Deno.remove(dir, { recursive: true });
  }
}

function perMount(out: string): Record<string, string[]> {
  return Object.fromEntries(
    out.split("\n").filter((l) => l.startsWith("/data")).map((l) => {
      const [mp, opts] = l.split(" ");
      return [mp, opts.split(",")];
    }),
  );
}

for (const options of [["rbind", "rro"], ["rbind", "ro", "rro"], ["rbind", "rro", "rnosuid"]]) {
  Deno.test({
    name: `a bind with ${options.join(",")} is read-only on every submount`,
    ...needs,
    async fn() {
      await withSubmount(async (dir) => {
        const r = await runContainer(["sh", "-c", PROBE], {
          config: (c) =>
            void c.mounts!.push({ destination: "/data", type: "bind", source: dir, options }),
        });
        assert.equal(r.code, 0, r.stderr);
        const mounts = perMount(r.stdout);
        assert.deepEqual(Object.keys(mounts).sort(), ["/data", "/data/sub"], r.stdout);
        for (const [mp, o] of Object.entries(mounts)) {
          assert.ok(o.includes("ro"), `${mp} is not read-only: ${o}`);
          if (options.includes("rnosuid")) assert.ok(o.includes("nosuid"), `${mp}: ${o}`);
        }
        assert.doesNotMatch(r.stdout, /SUBWRITABLE/);
      });
    },
  });
}

Deno.test({
  name: "a bind with ro alone (the control) leaves its submount writable",
  ...needs,
  async fn() {
    await withSubmount(async (dir) => {
      const r = await runContainer(["sh", "-c", PROBE], {
        config: (c) =>
          void c.mounts!.push({
            destination: "/data",
            type: "bind",
            source: dir,
            options: ["rbind", "ro"],
          }),
      });
      assert.equal(r.code, 0, r.stderr);
      const mounts = perMount(r.stdout);
      assert.ok(mounts["/data"]?.includes("ro"), r.stdout);
      assert.ok(mounts["/data/sub"]?.includes("rw"), r.stdout);
      assert.match(r.stdout, /SUBWRITABLE/);
    });
  },
});

Deno.test({
  name: "features lists the recursive mount attributes runc lists",
  ...needs,
  async fn() {
    const r = await runo(["features"]);
    assert.equal(r.code, 0, r.stderr);
    const listed: string[] = JSON.parse(r.stdout).mountOptions;
    for (const o of ["rro", "rrw", "rnosuid", "rnodev", "rnoexec", "rnoatime", "rrelatime"]) {
      assert.ok(listed.includes(o), `${o} is not listed`);
    }
    for (const o of ["rnorelatime", "rstrictatime", "rnosymfollow"]) {
      assert.ok(listed.includes(o), `${o} is not listed`);
    }
  },
});
