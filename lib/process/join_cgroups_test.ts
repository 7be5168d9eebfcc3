import { assertEquals, assertThrows } from "../testing/assert.ts";
import { cgroupDirs, joinContainerCgroups, type JoinIo } from "./join_cgroups.ts";
import type { CgroupRecord } from "../cgroups/manager.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";
import { EBUSY } from "../../ffi/errno.ts";
import type { MountInfo } from "../mounts/mountinfo.ts";

const mount = (
  mountPoint: string,
  fsType: string,
  superOptions: string,
  root = "/",
): MountInfo => ({
  mountPoint,
  root,
  fsType,
  source: fsType,
  superOptions,
});

Deno.test("cgroupDirs() finds each hierarchy of /proc/<pid>/cgroup (hybrid host)", () => {
  const mounts = [
    mount("/sys/fs/cgroup/unified", "cgroup2", "rw,nsdelegate"),
    mount("/sys/fs/cgroup/cpu,cpuacct", "cgroup", "rw,cpu,cpuacct"),
    mount("/sys/fs/cgroup/systemd", "cgroup", "rw,xattr,name=systemd"),
    mount("/sys/fs/cgroup/memory", "cgroup", "rw,memory", "/outer"),
  ];
  const text = "4:memory:/outer/c1\n3:name=systemd:/c1\n2:cpu,cpuacct:/c1\n0::/\n";
  assertEquals(cgroupDirs(text, mounts), [
    "/sys/fs/cgroup/memory/c1",
    "/sys/fs/cgroup/systemd/c1",
    "/sys/fs/cgroup/cpu,cpuacct/c1",
    "/sys/fs/cgroup/unified",
  ]);
});

Deno.test("cgroupDirs() skips hierarchies that are not mounted", () => {
  assertEquals(cgroupDirs("5:pids:/x\n", [mount("/sys/fs/cgroup/cpu", "cgroup", "rw,cpu")]), []);
});

const V2 = [mount("/sys/fs/cgroup", "cgroup2", "rw,nsdelegate")];
const V1 = [
  mount("/sys/fs/cgroup/pids", "cgroup", "rw,pids"),
  mount("/sys/fs/cgroup/memory", "cgroup", "rw,memory"),
];

/** Fake kernel files: the pid's own /proc/<pid>/cgroup, and the writes made (EBUSY where asked). */
function fakeIo(own: string, busy: string[] = []) {
  const writes: string[] = [];
  const checked: CgroupRecord[] = [];
  const io: JoinIo = {
    read: () => own,
    write: (path, data) => {
      if (busy.includes(path)) throw new SyscallError("write", EBUSY, { path });
      writes.push(`${path} ${data}`);
    },
    checkRecord: (record) => void checked.push(record),
  };
  return { io, writes, checked };
}

Deno.test("joinContainerCgroups() joins the recorded cgroups, not the init's sub-cgroup", () => {
  const record: CgroupRecord = {
    version: 1,
    paths: { pids: "/sys/fs/cgroup/pids/c1", memory: "/sys/fs/cgroup/memory/c1" },
  };
  const f = fakeIo("5:pids:/\n4:memory:/\n");
  joinContainerCgroups(record, "5:pids:/c1/moved\n4:memory:/c1/moved\n", 42, V1, undefined, f.io);
  assertEquals(f.checked, [record]);
  assertEquals(f.writes, [
    "/sys/fs/cgroup/pids/c1/cgroup.procs 42",
    "/sys/fs/cgroup/memory/c1/cgroup.procs 42",
  ]);
});

Deno.test("joinContainerCgroups() skips the cgroups the process is in already", () => {
  const record: CgroupRecord = {
    version: 1,
    paths: { pids: "/sys/fs/cgroup/pids/c1", memory: "/sys/fs/cgroup/memory/c1" },
  };
  const f = fakeIo("5:pids:/c1\n4:memory:/\n");
  joinContainerCgroups(record, "", 42, V1, undefined, f.io);
  assertEquals(f.writes, ["/sys/fs/cgroup/memory/c1/cgroup.procs 42"]);
});

Deno.test("joinContainerCgroups() without a record joins the init's cgroups", () => {
  const f = fakeIo("0::/\n");
  joinContainerCgroups(undefined, "0::/c1/init\n", 7, V2, undefined, f.io);
  assertEquals(f.checked, []);
  assertEquals(f.writes, ["/sys/fs/cgroup/c1/init/cgroup.procs 7"]);
});

Deno.test("joinContainerCgroups() on cgroup2 EBUSY joins the init's cgroup, as runc", () => {
  const record: CgroupRecord = { version: 2, paths: { "": "/sys/fs/cgroup/c1" } };
  const f = fakeIo("0::/\n", ["/sys/fs/cgroup/c1/cgroup.procs"]);
  joinContainerCgroups(record, "0::/c1/init.scope\n", 7, V2, undefined, f.io);
  assertEquals(f.writes, ["/sys/fs/cgroup/c1/init.scope/cgroup.procs 7"]);
});

Deno.test("joinContainerCgroups(): EBUSY of a v1 hierarchy or of a --cgroup sub-cgroup is an error", () => {
  const v1: CgroupRecord = { version: 1, paths: { pids: "/sys/fs/cgroup/pids/c1" } };
  const busyV1 = fakeIo("5:pids:/\n", ["/sys/fs/cgroup/pids/c1/cgroup.procs"]);
  assertThrows(
    () => joinContainerCgroups(v1, "5:pids:/c1/x\n", 7, V1, undefined, busyV1.io),
    SyscallError,
  );
  assertEquals(busyV1.writes, []);
  const v2: CgroupRecord = { version: 2, paths: { "": "/sys/fs/cgroup/c1" } };
  const busySub = fakeIo("0::/\n", ["/sys/fs/cgroup/c1/sub/cgroup.procs"]);
  assertThrows(
    () => joinContainerCgroups(v2, "0::/c1/sub\n", 7, V2, new Map([["", "sub"]]), busySub.io),
    Error,
    "--cgroup: cannot join sub-cgroup /sys/fs/cgroup/c1/sub",
  );
  assertEquals(busySub.writes, []);
});

Deno.test("joinContainerCgroups(): a --cgroup controller with no hierarchy is refused before any join", () => {
  const v1: CgroupRecord = {
    version: 1,
    paths: { pids: "/sys/fs/cgroup/pids/c1", memory: "/sys/fs/cgroup/memory/c1" },
  };
  const f = fakeIo("5:pids:/\n4:memory:/\n");
  const sub = new Map([["pids", "sub"], ["whaaat", "/"]]);
  assertThrows(
    () => joinContainerCgroups(v1, "", 7, V1, sub, f.io),
    Error,
    "--cgroup: unknown controller whaaat (the container's hierarchies are pids, memory)",
  );
  assertEquals(f.writes, []);
  const v2: CgroupRecord = { version: 2, paths: { "": "/sys/fs/cgroup/c1" } };
  const g = fakeIo("0::/\n");
  assertThrows(
    () => joinContainerCgroups(v2, "", 7, V2, new Map([["pids", "sub"]]), g.io),
    Error,
    "--cgroup: unknown controller pids (cgroup v2 has one hierarchy",
  );
  assertEquals(g.writes, []);
});
