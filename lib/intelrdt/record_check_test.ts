import assert from "node:assert/strict";
import { checkRdtRecord, RDTGROUP_SUPER_MAGIC, RdtRecordError } from "./record_check.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";
import { ENOENT } from "../../ffi/errno.ts";

const TMPFS_MAGIC = 0x01021994;
const on = (types: Record<string, number>) => (path: string) => {
  if (!(path in types)) throw new SyscallError("statfs", ENOENT, { path });
  return types[path];
};

Deno.test("checkRdtRecord() accepts groups on resctrl, and groups that are gone", () => {
  const statfs = on({ "/sys/fs/resctrl/c": RDTGROUP_SUPER_MAGIC });
  checkRdtRecord({ path: "/sys/fs/resctrl/c", created: true, shared: false }, statfs);
  checkRdtRecord(
    {
      path: "/sys/fs/resctrl/gone",
      monPath: "/sys/fs/resctrl/mon_groups/x",
      created: true,
      shared: false,
    },
    statfs,
  );
});

Deno.test("checkRdtRecord() refuses a group or monitoring group on another file system", () => {
  const statfs = on({ "/sys/fs/resctrl/c": RDTGROUP_SUPER_MAGIC, "/tmp/fake": TMPFS_MAGIC });
  for (
    const record of [
      { path: "/tmp/fake", created: true, shared: false },
      { path: "/sys/fs/resctrl/c", monPath: "/tmp/fake", created: true, shared: false },
    ]
  ) {
    assert.throws(() => checkRdtRecord(record, statfs), (err: unknown) => {
      assert.ok(err instanceof RdtRecordError);
      assert.equal(
        err.message,
        'refusing the recorded resctrl group "/tmp/fake": not on resctrl (statfs f_type 0x1021994)',
      );
      return true;
    });
  }
});

Deno.test("checkRdtRecord() refuses relative paths and . or .. steps before any statfs", () => {
  const statfs = () => assert.fail("statfs called");
  for (const path of ["sys/fs/resctrl/c", "/sys/fs/resctrl/../../tmp", "/sys/fs/resctrl/./c"]) {
    assert.throws(
      () => checkRdtRecord({ path, created: true, shared: false }, statfs),
      RdtRecordError,
    );
  }
});
