// Time namespaces: linux.timeOffsets shift the container's monotonic and
// boottime clocks (/proc/uptime follows boottime), the offsets are those
// configured (/proc/self/timens_offsets), and a time namespace without
// offsets keeps the host's clocks.
//
// Permissions: read, write, run, env. Needs root.

import assert from "node:assert/strict";
import { hostNamespace, isRunc, requires } from "../fixtures/runo.ts";
import { BASE, hostSh, type Run, runSh, withUserns } from "./helpers/userns.ts";

const needs = requires("root", "busybox", "cli");

const DAY = 86400;

/**
 * runo differs on purpose: runc 1.1.5 knows no time namespace and refuses
 * the config ("namespace {"time" ""} does not exist"), leaving nothing;
 * runc >= 1.2 makes it, as the spec (1.1) has it. True when runc refused.
 */
function refusedByOldRunc(r: Run): boolean {
  if (!isRunc()) return false;
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /namespace \{\\?"time\\?" \\?"\\?"\} does not exist/);
  assert.ok(r.stateRemoved, "runc left its state dir");
  return true;
}

async function hostUptime(): Promise<number> {
  return Number((await hostSh("cat /proc/uptime")).split(" ")[0]);
}

function timens(offsets?: Record<string, { secs?: number; nanosecs?: number }>) {
  return (c: { linux?: { namespaces?: { type: string }[]; timeOffsets?: unknown } }) => {
    c.linux!.namespaces!.push({ type: "time" });
    if (offsets) c.linux!.timeOffsets = offsets;
  };
}

Deno.test({
  name: "timens: a boottime offset shifts /proc/uptime; both offsets are the configured ones",
  ...needs,
  async fn() {
    const before = await hostUptime();
    const r = await runSh(
      "cut -d' ' -f1 /proc/uptime; cat /proc/self/timens_offsets; readlink /proc/self/ns/time",
      timens({ monotonic: { secs: 7 * DAY, nanosecs: 5 }, boottime: { secs: 10 * DAY } }),
    );
    const after = await hostUptime();
    if (refusedByOldRunc(r)) return;
    assert.equal(r.code, 0, r.stderr);
    const [uptime, ...rest] = r.stdout.trim().split("\n").map((l) => l.trim().replace(/\s+/g, " "));
    assert.ok(
      Number(uptime) >= before + 10 * DAY && Number(uptime) <= after + 10 * DAY,
      `uptime ${uptime} not host ${before}..${after} + 10 days`,
    );
    assert.deepEqual(rest.slice(0, 2).sort(), [`boottime ${10 * DAY} 0`, `monotonic ${7 * DAY} 5`]);
    assert.notEqual(rest[2], await hostNamespace("time"));
  },
});

Deno.test({
  name: "timens: without offsets the clocks are the host's",
  ...needs,
  async fn() {
    const before = await hostUptime();
    const r = await runSh("cut -d' ' -f1 /proc/uptime; cat /proc/self/timens_offsets", timens());
    const after = await hostUptime();
    if (refusedByOldRunc(r)) return;
    assert.equal(r.code, 0, r.stderr);
    const [uptime, ...offsets] = r.stdout.trim().split("\n").map((l) =>
      l.trim().replace(/\s+/g, " ")
    );
    assert.ok(
      Number(uptime) >= before && Number(uptime) <= after,
      `${uptime} vs ${before}..${after}`,
    );
    assert.deepEqual(offsets.sort(), ["boottime 0 0", "monotonic 0 0"]);
  },
});

Deno.test({
  name: "timens: a negative monotonic offset is applied",
  ...needs,
  async fn() {
    const r = await runSh("cat /proc/self/timens_offsets", timens({ monotonic: { secs: -60 } }));
    if (refusedByOldRunc(r)) return;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^monotonic\s+-60\s+0$/m);
  },
});

Deno.test({
  name: "timens: offsets in a time namespace owned by a new user namespace",
  ...needs,
  async fn() {
    const before = await hostUptime();
    const r = await runSh("cut -d' ' -f1 /proc/uptime; cat /proc/self/uid_map", (c) => {
      withUserns(c);
      timens({ boottime: { secs: DAY } })(c);
    });
    if (refusedByOldRunc(r)) return;
    assert.equal(r.code, 0, r.stderr);
    const [uptime, map] = r.stdout.trim().split("\n").map((l) => l.trim().replace(/\s+/g, " "));
    assert.ok(Number(uptime) >= before + DAY, `uptime ${uptime} not shifted by a day`);
    assert.equal(map, `0 ${BASE} 65536`);
  },
});
