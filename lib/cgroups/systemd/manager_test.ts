import { assertEquals, assertRejects } from "../../testing/assert.ts";
import { loadCgroupManager } from "../manager.ts";
import { MemCgroupFs } from "../memfs.ts";
import { SystemdManager } from "./manager.ts";

const U = "/sys/fs/cgroup";
const SCOPE = `${U}/system.slice/runo-x.scope`;
const SYSTEMD = { unit: "runo-x.scope", socket: "/run/systemd/private", bus: false };

function tree(): MemCgroupFs {
  const fs = new MemCgroupFs({
    [`${U}/cgroup.controllers`]: "memory pids",
    [`${U}/cgroup.subtree_control`]: "",
  });
  const mkdir = fs.mkdir.bind(fs);
  fs.mkdir = (path) => {
    const made = mkdir(path);
    fs.files.set(`${path}/cgroup.controllers`, "memory pids");
    if (!fs.files.has(`${path}/cgroup.procs`)) fs.files.set(`${path}/cgroup.procs`, "");
    return made;
  };
  return fs;
}

Deno.test("SystemdManager.apply() starts the unit first, then joins the paths systemd made", async () => {
  const fs = tree();
  const order: string[] = [];
  const inner = loadCgroupManager({ version: 2, paths: { "": SCOPE } }, fs);
  const m = new SystemdManager(inner, SYSTEMD, (pid) => {
    order.push(`start ${pid}`);
    // systemd made the scope and put the pid in it already.
    fs.mkdir(`${U}/system.slice`);
    fs.mkdir(SCOPE);
    fs.files.set(`${SCOPE}/cgroup.procs`, `${pid}\n`);
    return Promise.resolve();
  });
  await m.apply(42);
  order.push(...fs.log);
  assertEquals(order[0], "start 42");
  assertEquals(fs.log.at(-1), `${SCOPE}/cgroup.procs=42`);
  assertEquals(m.record, { version: 2, paths: { "": SCOPE }, systemd: SYSTEMD });
});

Deno.test("SystemdManager.apply() still refuses a unit cgroup holding someone else's processes", async () => {
  const fs = tree();
  const inner = loadCgroupManager({ version: 2, paths: { "": SCOPE } }, fs);
  const m = new SystemdManager(inner, SYSTEMD, () => {
    fs.mkdir(`${U}/system.slice`);
    fs.mkdir(SCOPE);
    fs.files.set(`${SCOPE}/cgroup.procs`, "7\n42\n");
    return Promise.resolve();
  });
  await assertRejects(() => m.apply(42), Error, "already has processes (7)");
});

Deno.test("loadCgroupManager() gives a systemd manager for a record with a unit, limits through cgroupfs", () => {
  const fs = tree();
  fs.mkdir(`${U}/system.slice`);
  fs.mkdir(SCOPE);
  const m = loadCgroupManager({ version: 2, paths: { "": SCOPE }, systemd: SYSTEMD }, fs);
  assertEquals(m instanceof SystemdManager, true);
  assertEquals(m.record.systemd, SYSTEMD);
  m.set({ pids: { limit: 42 } });
  assertEquals(fs.read(`${SCOPE}/pids.max`), "42");
});

Deno.test("SystemdManager.apply() of a recorded container is refused (its unit exists)", async () => {
  const m = loadCgroupManager({ version: 2, paths: { "": SCOPE }, systemd: SYSTEMD }, tree());
  await assertRejects(async () => await m.apply(1), Error, "already started");
});
