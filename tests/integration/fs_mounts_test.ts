// Filesystem mounts made detached (fsopen/fsconfig/fsmount, then attached
// by fd) against runc's mount(2): the container's /proc/self/mountinfo,
// read from inside, must show the same mount options, superblock options,
// source and type for every mount of the config, runo's and runc's run of
// the same bundle side by side. (Not compared, and different: the mode of
// a tmpfs's root over a directory the image already has. runc 1.1.5
// chmods it to that directory's mode after mounting, overriding a mode=
// option; runo leaves the tmpfs its mode= or the kernel's 1777.)
//
// Permissions: read, write, run, env. Needs root (and runc for the
// comparisons).

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import { host, hostHas, isRunc, requires, sandbox, uniqueId } from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");
const withRunc = requires(
  "root",
  "busybox",
  "cli",
  hostHas("command -v runc", "runc is not installed: nothing to compare with"),
);

/** What two runtimes must agree on for one mount point. */
interface Seen {
  options: string;
  type: string;
  source: string;
  superOptions: string;
  /** Propagation tags without their peer group numbers ("shared master"). */
  propagation: string;
}

/** mountinfo (proc(5)) by mount point, the last (visible) mount of each. */
function mountinfo(text: string): Map<string, Seen> {
  const out = new Map<string, Seen>();
  for (const line of text.trim().split("\n")) {
    const [left, right] = line.split(" - ");
    if (right === undefined) continue;
    const f = left.split(" ");
    const [type, source, superOptions] = right.split(" ");
    const propagation = f.slice(6).map((t) => t.replace(/:\d+$/, "")).join(" ");
    out.set(f[4], { options: f[5], type, source, superOptions, propagation });
  }
  return out;
}

/** The mounts compared: tmpfs with options, mqueue, devpts, cgroup2, flags. */
const MOUNTS: NonNullable<Config["mounts"]> = [
  {
    destination: "/t/sized",
    type: "tmpfs",
    source: "tmpfs",
    options: ["size=1m", "mode=700", "uid=1000", "gid=1000", "nr_inodes=100"],
  },
  { destination: "/t/ro", type: "tmpfs", source: "tmpfs", options: ["ro", "mode=755"] },
  {
    destination: "/t/flags",
    type: "tmpfs",
    source: "shm",
    options: ["nosuid", "nodev", "noexec", "noatime", "nodiratime"],
  },
  {
    destination: "/t/sb",
    type: "tmpfs",
    options: ["sync", "dirsync", "lazytime", "strictatime", "rprivate"],
  },
  { destination: "/t/shared", type: "tmpfs", source: "tmpfs", options: ["rshared"] },
  { destination: "/t/mq", type: "mqueue", source: "mqueue", options: ["nosuid", "nodev"] },
  {
    destination: "/t/pts",
    type: "devpts",
    source: "devpts",
    options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
  },
  { destination: "/t/cg2", type: "cgroup2", source: "cgroup2", options: ["nosuid", "ro"] },
];

/** One runtime's run of a bundle with MOUNTS: its mountinfo, and the masked paths. */
async function seenBy(
  runtime: "runo" | "runc",
  cgroupns: boolean,
): Promise<{ seen: Map<string, Seen>; masked: string[] }> {
  await using sb = await sandbox();
  await using b = await createBundle({
    args: ["cat", "/proc/self/mountinfo"],
    config: (c: Config) => {
      c.mounts!.push(...MOUNTS);
      if (cgroupns) c.linux!.namespaces!.push({ type: "cgroup" });
    },
  });
  const id = uniqueId();
  const r = runtime === "runo"
    ? await sb.runo(["run", "-b", b.dir, sb.track(id)])
    : await host("runc", ["--root", sb.root, "run", "-b", b.dir, id]);
  assert.equal(r.code, 0, `${runtime}: ${r.stderr}`);
  return { seen: mountinfo(r.stdout), masked: b.config.linux?.maskedPaths ?? [] };
}

/** Every mount point runc shows but the masked paths, compared with runo's. */
async function compare(cgroupns: boolean): Promise<Map<string, Seen>> {
  const { seen: runo, masked } = await seenBy("runo", cgroupns);
  const { seen: runc } = await seenBy("runc", cgroupns);
  // The default config's own mounts (/proc, /dev, /dev/pts, /dev/shm,
  // /dev/mqueue, /sys, the cgroup tree) are compared as well as MOUNTS;
  // the masks are MASK_PATH's, another story.
  const points = [...runc.keys()].filter((p) => !masked.includes(p));
  for (const m of MOUNTS) assert.ok(points.includes(m.destination), `runc: no ${m.destination}`);
  assert.ok(points.filter((p) => p.startsWith("/sys/fs/cgroup")).length > 0);
  for (const point of points) {
    const ours = runo.get(point), theirs = runc.get(point)!;
    assert.ok(ours, `runo has nothing on ${point}`);
    const m = MOUNTS.find((x) => x.destination === point);
    if (m && m.source === undefined && !isRunc()) {
      // On purpose: without a source runo names the filesystem type (what
      // mount(8) users expect to see), where runc passes "" to mount(2).
      assert.equal(ours.source, m.type, point);
      assert.equal(theirs.source, "", point);
      ours.source = theirs.source;
    }
    assert.deepEqual(ours, theirs, point);
  }
  return runo;
}

Deno.test({
  name: "tmpfs, mqueue, devpts and cgroup2 mounts look as runc's do in mountinfo",
  ...withRunc,
  async fn() {
    const runo = await compare(false);
    // What the comparison stands on, whoever runs it.
    assert.equal(runo.get("/t/ro")!.options.split(",")[0], "ro");
    assert.match(
      runo.get("/t/sized")!.superOptions,
      /size=1024k,nr_inodes=100,mode=700,uid=1000,gid=1000/,
    );
    assert.match(runo.get("/t/sb")!.superOptions, /^rw,sync,dirsync,lazytime/);
    assert.match(runo.get("/t/shared")!.propagation, /shared/);
    assert.match(runo.get("/t/pts")!.superOptions, /gid=5,mode=620,ptmxmode=666/);
    assert.equal(runo.get("/t/cg2")!.type, "cgroup2");
  },
});

Deno.test({
  name: "with a cgroup namespace, fresh cgroup hierarchies look as runc's do in mountinfo",
  ...withRunc,
  async fn() {
    const runo = await compare(true);
    const hierarchies = [...runo.entries()].filter(([p]) => p.startsWith("/sys/fs/cgroup/"));
    assert.ok(hierarchies.length > 0, "no cgroup hierarchy under /sys/fs/cgroup");
    // Fresh v1 hierarchies on a hybrid or legacy host, a cgroup2 on a unified one.
    assert.ok(hierarchies.every(([, m]) => m.type === "cgroup" || m.type === "cgroup2"));
  },
});

Deno.test({
  name: "a tmpfs option the kernel refuses fails the run in one line naming the option",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using b = await createBundle({
      args: ["true"],
      config: (c: Config) =>
        c.mounts!.push({ destination: "/t", type: "tmpfs", options: ["size=lots"] }),
    });
    const r = await sb.runo(["run", "-b", b.dir, sb.track(uniqueId())]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    if (!Deno.env.get("RUNO_BIN")) {
      assert.match(r.stderr, /"\/t".*option "size=lots".*Invalid argument/, r.stderr);
    }
  },
});
