// Namespaces: each one the config asks for is new (its /proc/self/ns link
// differs from the host's), the others are the host's, and a namespace
// given by path is joined.
//
// Deno wants --allow-all for /proc, so the host's links are read by
// readlink(1) in a shell of our own (hostNamespace()).
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { createBundle } from "../fixtures/bundle.ts";
import { running } from "../fixtures/container.ts";
import { shIn } from "../fixtures/container.ts";
import {
  exists,
  hostNamespace,
  isRunc,
  requires,
  sandbox,
  stateOf,
  uniqueId,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli");

/** OCI namespace type → the name under /proc/<pid>/ns/. */
const PROC_NAME: Record<string, string> = {
  pid: "pid",
  network: "net",
  ipc: "ipc",
  uts: "uts",
  mount: "mnt",
  cgroup: "cgroup",
  user: "user",
};

const LIST_NS =
  "for t in pid net ipc uts mnt cgroup user; do echo $t $(readlink /proc/self/ns/$t); done";

function parseLinks(out: string): Map<string, string> {
  return new Map(out.trim().split("\n").map((l) => l.split(" ") as [string, string]));
}

async function hostLinks(): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const t of Object.values(PROC_NAME)) m.set(t, await hostNamespace(t));
  return m;
}

Deno.test({
  name: "each namespace of the default config is new, the others are the host's",
  ...needs,
  async fn() {
    const host = await hostLinks();
    const inside = parseLinks(await shIn(LIST_NS));
    for (const t of ["pid", "network", "ipc", "uts", "mount"]) {
      const n = PROC_NAME[t];
      assert.match(inside.get(n) ?? "", new RegExp(`^${n}:\\[\\d+\\]$`), `${t} link inside`);
      assert.notEqual(inside.get(n), host.get(n), `${t} namespace is the host's`);
    }
    for (const n of ["cgroup", "user"]) {
      assert.equal(inside.get(n), host.get(n), `${n} namespace not asked for but new`);
    }
  },
});

Deno.test({
  name: "a cgroup namespace is new when the config asks for it",
  ...needs,
  async fn() {
    const host = await hostNamespace("cgroup");
    const inside = parseLinks(
      await shIn(LIST_NS, {
        config: (c) => c.linux!.namespaces!.push({ type: "cgroup" }),
      }),
    );
    assert.notEqual(inside.get("cgroup"), host);
  },
});

Deno.test({
  name: "a namespace left out of the config is the host's",
  ...needs,
  async fn() {
    const host = await hostLinks();
    const inside = parseLinks(
      await shIn(LIST_NS, {
        config: (c) => {
          c.linux!.namespaces = c.linux!.namespaces!.filter((n) =>
            !["network", "ipc"].includes(n.type)
          );
        },
      }),
    );
    assert.equal(inside.get("net"), host.get("net"));
    assert.equal(inside.get("ipc"), host.get("ipc"));
    assert.notEqual(inside.get("uts"), host.get("uts"));
  },
});

Deno.test({
  name: "a network namespace given by path is joined",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using first = await createBundle({ args: ["sleep", "30"] });
    const id = await running(sb, first);
    const { pid } = await stateOf(sb, id);
    const theirs = parseLinks(
      await shIn(LIST_NS, {
        config: (c) => {
          c.linux!.namespaces = c.linux!.namespaces!.map((n) =>
            n.type === "network" ? { type: "network", path: `/proc/${pid}/ns/net` } : n
          );
        },
      }),
    );
    const want = await new Deno.Command("readlink", {
      args: [`/proc/${pid}/ns/net`],
      stdout: "piped",
    }).output();
    assert.equal(theirs.get("net"), new TextDecoder().decode(want.stdout).trim());
  },
});

Deno.test({
  name: "a user namespace maps the configured ids",
  ...needs,
  async fn() {
    const host = await hostNamespace("user");
    const out = await shIn(`${LIST_NS}; echo uid_map $(cat /proc/self/uid_map); id -u`, {
      config: (c) => {
        c.linux!.namespaces!.push({ type: "user" });
        c.linux!.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
        c.linux!.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
        // sysfs and cgroupfs cannot be mounted from a user namespace that
        // does not own the network/cgroup namespace; bind the host's as runc
        // rootless does.
        c.mounts = c.mounts!.filter((m) => m.destination !== "/sys/fs/cgroup");
        const sys = c.mounts.find((m) => m.destination === "/sys")!;
        Object.assign(sys, {
          type: "none",
          source: "/sys",
          options: ["rbind", "nosuid", "noexec", "nodev", "ro"],
        });
      },
    });
    const lines = out.trim().split("\n");
    const inside = parseLinks(lines.slice(0, 7).join("\n"));
    assert.notEqual(inside.get("user"), host);
    assert.equal(lines[7].replace(/\s+/g, " "), "uid_map 0 100000 65536");
    assert.equal(lines[8], "0");
  },
});

/** "type link" of each namespace of process `pid`, then "root <its root>", read on the host. */
async function initLinks(pid: number): Promise<string> {
  const script = `${LIST_NS.replaceAll("/proc/self/", `/proc/${pid}/`)}; ` +
    `echo root $(readlink /proc/${pid}/root)`;
  const out = await new Deno.Command("sh", { args: ["-c", script], stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout);
}

/** Mount points of the host's mount table under `dir`. */
async function hostMountsUnder(dir: string): Promise<string[]> {
  const out = await new Deno.Command("cat", { args: ["/proc/self/mountinfo"], stdout: "piped" })
    .output();
  return new TextDecoder().decode(out.stdout).split("\n").map((l) => l.split(" ")[4])
    .filter((m) => m === dir || m?.startsWith(`${dir}/`));
}

/** Unmounts what a runtime left under rootfs and the rootfs bind itself (runc 1.1.5 leaves them). */
async function unmountLeft(rootfs: string): Promise<void> {
  for (const m of [...(await hostMountsUnder(rootfs)).toReversed(), rootfs]) {
    await new Deno.Command("umount", { args: ["-l", m], stderr: "null" }).output();
  }
}

Deno.test({
  // The spec: "If a namespace type is not specified in the namespaces array,
  // the container inherits the runtime namespace of that type" — the mount
  // namespace too (the OCI suite's linux_ns_itype).
  name: "no namespaces at all: each is the host's, exec sees the container's root, delete unmounts",
  ...needs,
  async fn() {
    const host = await hostLinks();
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done"],
      config: (c) => {
        c.linux!.namespaces = [];
        delete c.hostname;
        delete c.linux!.maskedPaths; // refused without a mount namespace (runc too)
        delete c.linux!.readonlyPaths;
      },
    });
    await Deno.writeTextFile(`${bundle.rootfs}/runo-marker`, "the container's root\n");
    try {
      const id = await running(sb, bundle);
      // Positive control: the config's mounts are in the host's table.
      const during = await hostMountsUnder(bundle.rootfs);
      assert.ok(during.includes(`${bundle.rootfs}/proc`), during.join(" "));
      // The init, seen from the host: the host's namespaces, the container's root.
      const init = parseLinks(await initLinks((await stateOf(sb, id)).pid));
      for (const n of Object.values(PROC_NAME)) {
        assert.equal(init.get(n), host.get(n), `${n} namespace of the init is inherited`);
      }
      assert.equal(init.get("root"), bundle.rootfs);
      const e = await sb.runo(["exec", id, "sh", "-c", `${LIST_NS}; cat /runo-marker 2>&1`]);
      if (isRunc()) {
        // runo differs on purpose: runc 1.1.5 cannot exec here ("ns paths are
        // empty"), and leaves the mounts on the host after delete; runo
        // chroots an exec'd process into the container's root and removes them.
        assert.match(e.stderr, /ns paths are empty/);
        assert.equal((await sb.runo(["delete", "--force", id])).code, 0);
        assert.ok((await hostMountsUnder(bundle.rootfs)).length > 0);
        return;
      }
      assert.equal(e.code, 0, e.stderr);
      const inside = parseLinks(e.stdout.split("\n").slice(0, 7).join("\n"));
      for (const n of Object.values(PROC_NAME)) {
        assert.equal(inside.get(n), host.get(n), `${n} namespace is inherited`);
      }
      assert.match(e.stdout, /the container's root/);
      const r = await sb.runo(["delete", "--force", id]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await hostMountsUnder(bundle.rootfs), [], "delete left mounts on the host");
    } finally {
      await unmountLeft(bundle.rootfs);
    }
  },
});

Deno.test({
  name: "no mount namespace: a create that fails half-way leaves no mount on the host",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: ["true"],
      config: (c) => {
        c.linux!.namespaces = [];
        delete c.hostname;
        delete c.linux!.maskedPaths;
        delete c.linux!.readonlyPaths;
        // After /proc and /dev are mounted, a bind whose source is missing.
        c.mounts!.push({ destination: "/x", type: "bind", source: "/runo-no-such-source" });
      },
    });
    try {
      const id = sb.track(uniqueId());
      const r = await sb.runo(["create", "-b", bundle.dir, id]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /runo-no-such-source/);
      assert.equal(await exists(`${sb.root}/${id}`), false);
      if (isRunc()) {
        // runo differs on purpose (nothing left behind): runc 1.1.5 leaves on
        // the host the mounts it made before the failure (the set-up took effect).
        assert.ok((await hostMountsUnder(bundle.rootfs)).length > 0);
        return;
      }
      assert.deepEqual(await hostMountsUnder(bundle.rootfs), []);
    } finally {
      await unmountLeft(bundle.rootfs);
    }
  },
});
