import { assertEquals, assertThrows } from "../testing/assert.ts";
import {
  CGROUP2_SUPER_MAGIC,
  CGROUP_SUPER_MAGIC,
  CgroupRecordError,
  checkCgroupRecord,
} from "./record_check.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";

const TMPFS_MAGIC = 0x01021994;
const fake = (types: Record<string, number>) => (path: string) => {
  if (!(path in types)) throw new SyscallError("statfs", 2, { path });
  return types[path];
};

Deno.test("checkCgroupRecord() accepts directories on cgroup v1 and cgroup2, and missing ones", () => {
  const statfs = fake({ "/sys/fs/cgroup/pids/c": CGROUP_SUPER_MAGIC, "/u/c": CGROUP2_SUPER_MAGIC });
  checkCgroupRecord({ version: 1, paths: { pids: "/sys/fs/cgroup/pids/c", "": "/u/c" } }, statfs);
  checkCgroupRecord({ version: 2, paths: { "": "/sys/fs/cgroup/gone" } }, statfs);
});

Deno.test("checkCgroupRecord() refuses a directory of another file system", () => {
  const statfs = fake({ "/tmp/fake": TMPFS_MAGIC });
  assertThrows(
    () => checkCgroupRecord({ version: 2, paths: { "": "/tmp/fake" } }, statfs),
    CgroupRecordError,
    'refusing the recorded cgroup "/tmp/fake": not on a cgroup file system (statfs f_type 0x1021994)',
  );
});

Deno.test("checkCgroupRecord() refuses relative paths and . or .. steps before any statfs", () => {
  const statfs = () => {
    throw new Error("statfs called");
  };
  for (const path of ["sys/fs/cgroup/x", "/sys/fs/cgroup/pids/../../../tmp/x", "/a/./b"]) {
    assertThrows(
      () => checkCgroupRecord({ version: 1, paths: { pids: path } }, statfs),
      CgroupRecordError,
    );
  }
});

Deno.test("checkCgroupRecord() takes a systemd unit only as the scope or slice its directories belong to", () => {
  const statfs = () => CGROUP_SUPER_MAGIC;
  const systemd = (unit: string) => ({ unit, socket: "/run/systemd/private", bus: false });
  const at = (leaf: string) => ({
    pids: `/sys/fs/cgroup/pids/system.slice/${leaf}`,
    "": `/sys/fs/cgroup/unified/system.slice/${leaf}`,
  });
  checkCgroupRecord(
    { version: 1, paths: at("runo-c.scope"), systemd: systemd("runo-c.scope") },
    statfs,
  );
  checkCgroupRecord({ version: 1, paths: at("a-b.slice"), systemd: systemd("a-b.slice") }, statfs);
  for (
    const [leaf, unit, why] of [
      ["sshd.service", "sshd.service", "not a systemd scope or slice unit"],
      ["runo-c.scope", "other.scope", "not the cgroup of the recorded unit other.scope"],
    ]
  ) {
    const err = assertThrows(
      () => checkCgroupRecord({ version: 1, paths: at(leaf), systemd: systemd(unit) }, statfs),
      CgroupRecordError,
    );
    assertEquals(err.message.endsWith(why), true, err.message);
  }
});
