// linux.netDevices (runtime spec 1.3): a host interface is moved into the
// container's network namespace, renamed, with its permanent global
// addresses and its MTU, and set up; checked from inside with busybox's
// `ip`. The device is one end of a veth pair made for the test (this
// machine has no dummy driver): a virtual device, so the kernel destroys it
// with the namespace. A physical device (moved back to the host by the
// kernel, under its container name) cannot be simulated here: untested.
// runc 1.1.5 predates netDevices (it ignores the field): under
// RUNO_BIN=runc these tests are ignored with that reason.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { type Config, createBundle } from "../fixtures/bundle.ts";
import { SLEEPER } from "../fixtures/container.ts";
import {
  host,
  isRunc,
  oneLineError,
  requires,
  sandbox,
  uniqueId,
  waitFor,
} from "../fixtures/runo.ts";

const needs = requires("root", "busybox", "cli", {
  met: !isRunc(),
  reason: "need linux.netDevices, which runc 1.1.5 lacks (runc 1.4 has it)",
});

const ip = (...args: string[]) => host("ip", args);

/** A veth pair with unique names; `a` carries 10.x.y.2/24, fd00::…/64 and MTU 1400. */
async function vethPair() {
  const tag = Math.floor(Math.random() * 0xfffff).toString(16);
  const a = `rn${tag}a`, b = `rn${tag}b`;
  const r = await ip("link", "add", a, "type", "veth", "peer", "name", b);
  assert.equal(r.code, 0, `ip link add: ${r.stderr}`);
  const octet = 1 + Math.floor(Math.random() * 250);
  for (
    const args of [
      ["addr", "add", `10.213.${octet}.2/24`, "dev", a],
      ["-6", "addr", "add", `fd00:213:${octet}::2/64`, "dev", a, "nodad"],
      ["link", "set", a, "mtu", "1400"],
      ["link", "set", a, "up"],
    ]
  ) assert.equal((await ip(...args)).code, 0, args.join(" "));
  return {
    a,
    b,
    v4: `10.213.${octet}.2/24`,
    v6: `fd00:213:${octet}::2/64`,
    async [Symbol.asyncDispose]() {
      await ip("link", "del", a);
      await ip("link", "del", b);
    },
  };
}

const exists = async (name: string) => (await ip("link", "show", name)).code === 0;

function withNet(devices: Record<string, { name?: string }>, netns = true) {
  return (c: Config) => {
    c.linux!.netDevices = devices;
    if (!netns) c.linux!.namespaces = c.linux!.namespaces!.filter((n) => n.type !== "network");
  };
}

Deno.test({
  name: "netDevices: the device is in the container, renamed, with its addresses and MTU, up",
  ...needs,
  async fn() {
    await using pair = await vethPair();
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: SLEEPER,
      config: withNet({ [pair.a]: { name: "ctr0" } }),
    });
    const id = sb.track(uniqueId());
    const r = await sb.runo(["run", "-d", "-b", bundle.dir, id]);
    assert.equal(r.code, 0, r.stderr);
    const inside = await sb.runo(["exec", id, "ip", "addr", "show", "ctr0"]);
    assert.equal(inside.code, 0, inside.stderr);
    assert.match(inside.stdout, /ctr0.*<[^>]*\bUP\b[^>]*> mtu 1400/);
    assert.ok(inside.stdout.includes(`inet ${pair.v4}`), inside.stdout);
    assert.ok(inside.stdout.includes(`inet6 ${pair.v6}`), inside.stdout);
    assert.equal(await exists(pair.a), false, "no longer on the host");
    const links = await sb.runo(["exec", id, "ip", "-o", "link"]);
    assert.doesNotMatch(links.stdout, new RegExp(pair.a), "only under its new name");
    // Virtual: it goes with the namespace (and takes its peer along).
    assert.equal((await sb.runo(["delete", "--force", id])).code, 0);
    assert.ok(await waitFor(async () => !(await exists(pair.b))), "the veth pair is gone");
  },
});

Deno.test({
  name: "netDevices: a missing device, or no network namespace, fails in one line first",
  ...needs,
  async fn() {
    await using sb = await sandbox();
    const missing = `rnmiss${Math.floor(Math.random() * 0xfff).toString(16)}`;
    for (
      const [edit, pointer] of [
        [withNet({ [missing]: {} }), `/linux/netDevices/${missing}`],
        [withNet({ lo: {} }, false), "/linux/netDevices"],
      ] as const
    ) {
      await using bundle = await createBundle({ args: SLEEPER, config: edit });
      const id = sb.track(uniqueId());
      const r = await sb.runo(["run", "-d", "-b", bundle.dir, id]);
      assert.notEqual(r.code, 0);
      assert.ok(oneLineError(r.stderr).includes(pointer), r.stderr);
      assert.equal((await sb.runo(["state", id])).code, 1, "no container left");
    }
  },
});

Deno.test({
  name:
    "netDevices: a name taken in the container (lo) is refused; the device stays on the host, up",
  ...needs,
  async fn() {
    await using pair = await vethPair();
    await using sb = await sandbox();
    await using bundle = await createBundle({
      args: SLEEPER,
      config: withNet({ [pair.a]: { name: "lo" } }),
    });
    const id = sb.track(uniqueId());
    const r = await sb.runo(["run", "-d", "-b", bundle.dir, id]);
    assert.notEqual(r.code, 0);
    assert.match(oneLineError(r.stderr), new RegExp(`/linux/netDevices/${pair.a}.*"lo".*EEXIST`));
    assert.equal((await sb.runo(["state", id])).code, 1, "no container left");
    const shown = await ip("-o", "link", "show", pair.a);
    assert.equal(shown.code, 0, "still on the host");
    assert.match(shown.stdout, /<[^>]*\bUP\b/, "and up again");
    assert.match(
      (await ip("-o", "addr", "show", pair.a)).stdout,
      new RegExp(pair.v4.replace(".", "\\.")),
    );
  },
});
