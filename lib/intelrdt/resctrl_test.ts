// linux.intelRdt on an in-memory resctrl tree (this machine has none):
// the group, schemata, tasks and monitoring writes runc's intelrdt makes,
// the refusals, and what delete removes. resctrlFacts() reads a resctrl
// mount out of mountinfo text.
//
// Permissions: none.

import { assertEquals, assertThrows } from "../testing/assert.ts";
import { MemCgroupFs } from "../cgroups/memfs.ts";
import { ConfigError } from "../spec/config_error.ts";
import {
  applyIntelRdt,
  checkIntelRdt,
  destroyIntelRdt,
  type ResctrlFacts,
  schemataText,
  updateIntelRdt,
} from "./resctrl.ts";
import { resctrlFacts } from "./host.ts";

const R = "/sys/fs/resctrl";
const FULL: ResctrlFacts = { mountpoint: R, cat: true, mba: true, monitoring: true };

function tree() {
  return new MemCgroupFs({
    [`${R}/schemata`]: "L3:0=fff\nMB:0=100\n",
    [`${R}/tasks`]: "",
    [`${R}/info/L3/cbm_mask`]: "fff",
    [`${R}/info/MB/min_bandwidth`]: "10",
    [`${R}/info/L3_MON/mon_features`]: "llc_occupancy\n",
    [`${R}/info/last_cmd_status`]: "ok",
  });
}

Deno.test("applyIntelRdt() makes <resctrl>/<id>, writes the schemata lines and the init's pid", () => {
  const fs = tree();
  const rdt = { l3CacheSchema: "L3:0=f0", memBwSchema: "MB:0=20", schemata: ["L2:0=3"] };
  const record = applyIntelRdt(fs, FULL, rdt, "c1", 42);
  assertEquals(record, { path: `${R}/c1`, created: true, shared: false });
  assertEquals(fs.log, [`${R}/c1/schemata=L3:0=f0\nMB:0=20\nL2:0=3\n`, `${R}/c1/tasks=42`]);
  destroyIntelRdt(fs, record);
  assertEquals(fs.dirs.has(`${R}/c1`), false, "runo's own group is removed");
});

Deno.test("a closID group is joined, never removed; enableMonitoring adds mon_groups/<id>", () => {
  const fs = tree();
  fs.mkdir(`${R}/gold`);
  fs.files.set(`${R}/gold/schemata`, "L3:0=ff\n");
  const record = applyIntelRdt(fs, FULL, { closID: "gold", enableMonitoring: true }, "c2", 7);
  assertEquals(record, {
    path: `${R}/gold`,
    created: false,
    shared: true,
    monPath: `${R}/gold/mon_groups/c2`,
  });
  assertEquals(fs.log, [`${R}/gold/tasks=7`, `${R}/gold/mon_groups/c2/tasks=7`]);
  destroyIntelRdt(fs, record);
  assertEquals([fs.dirs.has(`${R}/gold`), fs.dirs.has(`${R}/gold/mon_groups/c2`)], [true, false]);
});

Deno.test("a closID without schemas must exist beforehand (runc)", () => {
  const err = assertThrows(
    () => applyIntelRdt(tree(), FULL, { closID: "none" }, "c", 1),
    ConfigError,
  );
  assertEquals(err.pointer, "/linux/intelRdt/closID");
});

Deno.test("checkIntelRdt() refuses without resctrl, and each schema without its feature", () => {
  const cases: [Parameters<typeof checkIntelRdt>, string][] = [
    [[{}, null], "/linux/intelRdt"],
    [[{ l3CacheSchema: "L3:0=f" }, { ...FULL, cat: false }], "/linux/intelRdt/l3CacheSchema"],
    [[{ memBwSchema: "MB:0=20" }, { ...FULL, mba: false }], "/linux/intelRdt/memBwSchema"],
    [
      [{ enableMonitoring: true }, { ...FULL, monitoring: false }],
      "/linux/intelRdt/enableMonitoring",
    ],
  ];
  for (const [args, pointer] of cases) {
    const err = assertThrows(() => checkIntelRdt(...args), ConfigError);
    assertEquals(err.pointer, pointer);
    assertEquals(err.message.includes("\n"), false);
  }
  checkIntelRdt({ l3CacheSchema: "L3:0=f", memBwSchema: "MB:0=1" }, FULL);
  checkIntelRdt(undefined, null);
});

Deno.test("a refused schemata write is undone and reported with last_cmd_status", () => {
  const fs = tree();
  fs.failing.set(`${R}/c3/schemata`, 22);
  fs.files.set(`${R}/info/last_cmd_status`, "Invalid schemata\n");
  assertThrows(
    () => applyIntelRdt(fs, FULL, { l3CacheSchema: "L3:0=zz" }, "c3", 9),
    Error,
    "last_cmd_status: Invalid schemata",
  );
  assertEquals(fs.dirs.has(`${R}/c3`), false, "the group made for it is gone");
});

Deno.test("updateIntelRdt() rewrites the schemata of the recorded group", () => {
  const fs = tree();
  const record = applyIntelRdt(fs, FULL, { l3CacheSchema: "L3:0=f" }, "c4", 5);
  updateIntelRdt(fs, FULL, record, { l3CacheSchema: "L3:0=3", memBwSchema: "MB:0=50" });
  assertEquals(fs.read(`${R}/c4/schemata`), "L3:0=3\nMB:0=50\n");
  assertThrows(
    () => updateIntelRdt(fs, FULL, undefined, { l3CacheSchema: "L3:0=3" }),
    Error,
    "non-existent",
  );
  assertEquals(schemataText({}), "");
});

Deno.test("resctrlFacts() finds resctrl in mountinfo and its features under info/", () => {
  const mountinfo = "22 1 0:20 / / rw - ext4 /dev/vda rw\n" +
    `40 22 0:35 / ${R} rw,relatime shared:20 - resctrl resctrl rw\n`;
  assertEquals(resctrlFacts(tree(), mountinfo), FULL);
  const bare = new MemCgroupFs({ [`${R}/schemata`]: "" });
  assertEquals(resctrlFacts(bare, mountinfo), {
    mountpoint: R,
    cat: false,
    mba: false,
    monitoring: false,
  });
  assertEquals(resctrlFacts(tree(), "22 1 0:20 / / rw - ext4 /dev/vda rw\n"), null);
});
