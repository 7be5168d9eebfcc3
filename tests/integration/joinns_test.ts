// Joining existing namespaces by path: another container's network,
// uts, ipc, pid, cgroup and user namespaces are joined (checked from
// inside: the same links, its hostname, its processes, its uid_map), and a
// path that is not a namespace of the entry's type is refused in one line
// naming the entry, before anything is made.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import { running } from "../fixtures/container.ts";
import { exists, isRunc, requires, sandbox, stateOf, uniqueId } from "../fixtures/runo.ts";
import { shIn } from "../fixtures/container.ts";
import { BASE, hostExists, hostSh, withUserns } from "./helpers/userns.ts";

const needs = requires("root", "busybox", "cli");

const PROC_NAME: Record<string, string> = {
  network: "net",
  uts: "uts",
  ipc: "ipc",
  pid: "pid",
  cgroup: "cgroup",
  user: "user",
  mount: "mnt",
};

/** Runs a first container (sleep) with `config`, then `fn` with its pid. */
async function withFirst(
  config: (c: Config) => void,
  fn: (pid: number) => Promise<void>,
): Promise<void> {
  await using sb = await sandbox();
  await using first = await createBundle({ args: ["sleep", "60"], config });
  const id = await running(sb, first);
  await fn((await stateOf(sb, id)).pid);
}

function join(pid: number, types: string[]) {
  return (c: Config) => {
    c.linux!.namespaces = c.linux!.namespaces!.filter((n) => !types.includes(n.type));
    for (const t of types) {
      c.linux!.namespaces.push({ type: t as "network", path: `/proc/${pid}/ns/${PROC_NAME[t]}` });
    }
  };
}

async function linkOf(pid: number, name: string): Promise<string> {
  return (await hostSh(`readlink /proc/${pid}/ns/${name}`)).trim();
}

Deno.test({
  name:
    "joinns: two containers share a network namespace (the first's lo set down, seen by the second)",
  ...needs,
  async fn() {
    await withFirst((c) => {
      c.process!.args = ["sh", "-c", "ip link set lo down && exec sleep 60"];
      for (const set of ["bounding", "effective", "permitted"] as const) {
        c.process!.capabilities![set]!.push("CAP_NET_ADMIN");
      }
    }, async (pid) => {
      const out = await shIn("readlink /proc/self/ns/net; ip -o link show lo", {
        config: join(pid, ["network"]),
      });
      const [link, lo] = out.trim().split("\n");
      assert.equal(link, await linkOf(pid, "net"));
      // A joined namespace is left as it is: lo stays as the first set it.
      assert.match(lo, /<LOOPBACK>/, "lo set down by the first container");
    });
    // A container of its own has lo up (runc's loopback): the check above can fail.
    assert.match(await shIn("ip -o link show lo"), /<LOOPBACK,UP,LOWER_UP>/);
  },
});

Deno.test({
  name: "joinns: uts, ipc, pid and cgroup namespaces of another container are joined",
  ...needs,
  async fn() {
    await withFirst((c) => {
      c.hostname = "first-host";
      c.linux!.namespaces!.push({ type: "cgroup" });
    }, async (pid) => {
      const out = await shIn(
        "hostname; for t in uts ipc pid cgroup; do readlink /proc/self/ns/$t; done; cat /proc/1/cmdline | tr '\\0' ' '",
        {
          config: (c) => {
            c.hostname = undefined;
            join(pid, ["uts", "ipc", "pid", "cgroup"])(c);
          },
        },
      );
      const lines = out.trim().split("\n");
      assert.equal(lines[0], "first-host");
      for (const [i, t] of ["uts", "ipc", "pid", "cgroup"].entries()) {
        assert.equal(lines[i + 1], await linkOf(pid, t), `${t} not joined`);
      }
      assert.equal(lines[5].trim(), "sleep 60", "pid 1 is the first container's init");
    });
  },
});

Deno.test({
  name: "joinns: a joined user namespace keeps its maps (none are written)",
  ...needs,
  async fn() {
    await withFirst(withUserns, async (pid) => {
      const out = await shIn("readlink /proc/self/ns/user; cat /proc/self/uid_map; id -u", {
        config: (c) => {
          withUserns(c);
          // The maps of a joined namespace are its own: these must be ignored.
          c.linux!.uidMappings = [{ containerID: 0, hostID: 555555, size: 1 }];
          c.linux!.gidMappings = [{ containerID: 0, hostID: 555555, size: 1 }];
          join(pid, ["user", "network"])(c);
        },
      });
      const [link, map, uid] = out.trim().split("\n").map((l) => l.trim().replace(/\s+/g, " "));
      assert.equal(link, await linkOf(pid, "user"));
      assert.equal(map, `0 ${BASE} 65536`);
      assert.equal(uid, "0");
    });
  },
});

async function refused(ns: { type: string; path: string }, want: RegExp): Promise<void> {
  await using sb = await sandbox();
  await using b = await createBundle({
    args: ["true"],
    config: (c) => {
      c.linux!.namespaces = c.linux!.namespaces!.filter((n) => n.type !== ns.type);
      c.linux!.namespaces.push(ns as { type: "network"; path: string });
    },
  });
  const id = uniqueId();
  const r = await sb.runo(["run", "-b", b.dir, id]);
  assert.equal(r.code, 1, r.stdout);
  // runo's own words, before anything is made; runc fails later, in its
  // nsexec ("failed to setns into net namespace: Invalid argument"), over
  // several lines, or at the lstat of a missing path.
  if (!isRunc()) {
    assert.match(r.stderr.trim(), want);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
  assert.ok(!(await exists(`${sb.root}/${id}`)), "state left behind");
  assert.ok(!(await hostExists(`/sys/fs/cgroup/pids/${id}`)), "cgroup left behind");
}

Deno.test({
  name: "joinns: a namespace of another type is refused, naming the entry and both types",
  ...needs,
  async fn() {
    await refused(
      { type: "network", path: "/proc/self/ns/uts" },
      /^runo: config\.json: \/linux\/namespaces\/\d+\/path: "\/proc\/self\/ns\/uts" is a uts namespace, not network$/,
    );
    await refused(
      { type: "pid", path: "/proc/self/ns/mnt" },
      /\/path: "\/proc\/self\/ns\/mnt" is a mount namespace, not pid$/,
    );
  },
});

Deno.test({
  name: "joinns: a path that is no namespace, or missing, is refused",
  ...needs,
  async fn() {
    await refused(
      { type: "ipc", path: "/etc/hostname" },
      /\/linux\/namespaces\/\d+\/path: "\/etc\/hostname" is not a namespace file$/,
    );
    await refused(
      { type: "uts", path: "/proc/999999999/ns/uts" },
      /\/linux\/namespaces\/\d+\/path: Cannot open "\/proc\/999999999\/ns\/uts": No such file/,
    );
  },
});
