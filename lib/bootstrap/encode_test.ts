import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { encodeBootstrap } from "./encode.ts";
import { Attr, Field, INIT_MSG, MAX_BOOTSTRAP, Op } from "./ids.ts";
import type { Bootstrap, PlanOp } from "./plan.ts";

interface RawAttr {
  readonly type: number;
  readonly len: number;
  readonly payload: Uint8Array;
}

/** A tiny netlink attribute walker, strict about lengths and padding. */
function attrs(buf: Uint8Array): RawAttr[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: RawAttr[] = [];
  let off = 0;
  while (off < buf.length) {
    const len = view.getUint16(off, true);
    const type = view.getUint16(off + 2, true);
    if (len < 4 || off + len > buf.length) throw new Error(`bad attribute at ${off}`);
    out.push({ type, len, payload: buf.subarray(off + 4, off + len) });
    const next = off + ((len + 3) & ~3);
    for (let i = off + len; i < next; i++) if (buf[i] !== 0) throw new Error("non-zero pad");
    off = next;
  }
  return out;
}

function decode(msg: Uint8Array) {
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  return {
    len: view.getUint32(0, true),
    type: view.getUint16(4, true),
    flags: view.getUint16(6, true),
    seq: view.getUint32(8, true),
    pid: view.getUint32(12, true),
    attrs: attrs(msg.subarray(16)),
  };
}

const str = (p: Uint8Array) => {
  equal(p[p.length - 1], 0, "string ends in NUL");
  return new TextDecoder().decode(p.subarray(0, -1));
};
const u32 = (p: Uint8Array) => new DataView(p.buffer, p.byteOffset).getUint32(0, true);
const u64 = (p: Uint8Array) => new DataView(p.buffer, p.byteOffset).getBigUint64(0, true);

const minimal: Bootstrap = { cloneFlags: 0, nsPaths: [], logLevel: 1, plan: [] };

Deno.test("encodeBootstrap() writes the nlmsghdr with the total length and INIT_MSG", () => {
  const msg = encodeBootstrap(minimal);
  const d = decode(msg);
  deepStrictEqual([d.len, d.type, d.flags, d.seq, d.pid], [msg.length, INIT_MSG, 0, 0, 0]);
  deepStrictEqual(d.attrs.map((a) => a.type), [Attr.CLONE_FLAGS, Attr.LOG_LEVEL]);
  equal(msg.length, 16 + 8 + 8);
});

Deno.test("encodeBootstrap() writes joinPidfd as one JOIN_PIDFD: i32 fd, u32 flags", () => {
  const msg = encodeBootstrap({ ...minimal, joinPidfd: { fd: 9, flags: 0x30020000 } });
  const a = decode(msg).attrs.find((x) => x.type === Attr.JOIN_PIDFD);
  deepStrictEqual([...a!.payload], [9, 0, 0, 0, 0x00, 0x00, 0x02, 0x30]);
  equal(decode(encodeBootstrap(minimal)).attrs.some((x) => x.type === Attr.JOIN_PIDFD), false);
  throws(
    () => encodeBootstrap({ ...minimal, joinPidfd: { fd: 9, flags: -1 } }),
    /Cannot encode joinPidfd: -1 is not a u32/,
  );
});

Deno.test("encodeBootstrap() writes u32 attributes little endian with len 8", () => {
  const msg = encodeBootstrap({ ...minimal, cloneFlags: 0x20020000 });
  deepStrictEqual([...msg.subarray(16, 24)], [8, 0, 0x91, 0x6a, 0x00, 0x00, 0x02, 0x20]);
});

Deno.test("encodeBootstrap() writes NS_PATH as u32 flag then a NUL-terminated path", () => {
  const d = decode(encodeBootstrap({
    ...minimal,
    nsPaths: [{ flag: 0x10000000, path: "/proc/1/ns/user" }, { flag: 0x40000000, path: "/n" }],
  }));
  const ns = d.attrs.filter((a) => a.type === Attr.NS_PATH);
  equal(ns.length, 2);
  equal(u32(ns[0].payload), 0x10000000);
  equal(str(ns[0].payload.subarray(4)), "/proc/1/ns/user");
  equal(ns[1].len, 4 + 4 + 3, "len counts header and payload, not the pad");
  equal(str(ns[1].payload.subarray(4)), "/n");
});

Deno.test("encodeBootstrap() writes optional strings and leaves absent ones out", () => {
  const d = decode(encodeBootstrap({
    ...minimal,
    uidMap: "0 1000 1\n",
    setgroupsDeny: true,
    oomScoreAdj: -500,
  }));
  deepStrictEqual(d.attrs.map((a) => a.type), [
    Attr.CLONE_FLAGS,
    Attr.UID_MAP,
    Attr.SETGROUPS_DENY,
    Attr.OOM_SCORE_ADJ,
    Attr.LOG_LEVEL,
  ]);
  equal(str(d.attrs[1].payload), "0 1000 1\n");
  deepStrictEqual([...d.attrs[2].payload], [1]);
  equal(d.attrs[2].len, 5);
  equal(str(d.attrs[3].payload), "-500");
});

Deno.test("encodeBootstrap() nests an operation's fields, CODE first", () => {
  const op: PlanOp = {
    op: "MOUNT_IN_ROOT",
    step: "mounts[0]",
    source: "proc",
    target: "/proc",
    fstype: "proc",
    flags: 0xe,
    opts: 1,
  };
  const d = decode(encodeBootstrap({ ...minimal, plan: [op] }));
  const [opAttr] = d.attrs.filter((a) => a.type === Attr.OP);
  const fields = attrs(opAttr.payload);
  deepStrictEqual(fields.map((f) => f.type), [
    Field.CODE,
    Field.SOURCE,
    Field.TARGET,
    Field.FSTYPE,
    Field.FLAGS,
    Field.OPTS,
  ]);
  equal(u32(fields[0].payload), Op.MOUNT_IN_ROOT);
  equal(str(fields[2].payload), "/proc");
  equal(fields[4].len, 12);
  equal(u64(fields[4].payload), 0xen);
  equal(u32(fields[5].payload), 1);
});

Deno.test("encodeBootstrap() round-trips every field type", () => {
  const plan: PlanOp[] = [
    { op: "EXEC", step: "finish", args: ["sh", "-c", ""], env: ["A=1"] },
    {
      op: "MKNOD_IN_ROOT",
      step: "devices",
      target: "/d",
      mode: 0o644,
      dev: 259,
      uid: 1000,
      gid: 1001,
    },
    { op: "ATTACH_TREE_IN_ROOT", step: "mounts[0]", target: "/t", fd: -1 },
    { op: "SETGROUPS", step: "user", ids: [10, 20] },
    { op: "SETRLIMIT", step: "rlimits", num: 7, value: (1n << 64n) - 1n, value2: 1n << 40n },
    { op: "SCHED_SETATTR", step: "scheduler", bytes: Uint8Array.of(1, 2, 3) },
    { op: "CAPSET", step: "caps", effective: 1n, permitted: 1n << 40n, inheritable: 3n },
    { op: "CAP_AMBIENT", step: "caps", ambient: 4n },
    { op: "CAP_BOUNDING", step: "caps", bounding: 5n, num: 40 },
  ];
  const ops = decode(encodeBootstrap({ ...minimal, plan })).attrs.filter((a) => a.type === Attr.OP);
  const f = ops.flatMap((o) => attrs(o.payload));
  const of = (type: number) => f.filter((x) => x.type === type).map((x) => x.payload);
  equal(u32(of(Field.CODE)[0]), Op.EXEC);
  equal(u32(of(Field.MODE)[0]), 0o644);
  equal(u64(of(Field.DEV)[0]), 259n);
  deepStrictEqual([u32(of(Field.UID)[0]), u32(of(Field.GID)[0])], [1000, 1001]);
  equal(new DataView(of(Field.FD)[0].buffer, of(Field.FD)[0].byteOffset).getInt32(0, true), -1);
  deepStrictEqual(of(Field.ARG).map(str), ["sh", "-c", ""]);
  deepStrictEqual(of(Field.ENV).map(str), ["A=1"]);
  deepStrictEqual([...of(Field.IDS)[0]], [10, 0, 0, 0, 20, 0, 0, 0]);
  equal(u32(of(Field.NUM)[0]), 7);
  equal(u64(of(Field.VALUE)[0]), (1n << 64n) - 1n);
  equal(u64(of(Field.VALUE2)[0]), 1n << 40n);
  deepStrictEqual([...of(Field.BYTES)[0]], [1, 2, 3]);
  equal(of(Field.BYTES)[0].length, 3);
  deepStrictEqual(
    [Field.EFFECTIVE, Field.PERMITTED, Field.INHERITABLE, Field.AMBIENT, Field.BOUNDING].map((t) =>
      u64(of(t)[0])
    ),
    [1n, 1n << 40n, 3n, 4n, 5n],
  );
});

Deno.test("encodeBootstrap() writes each operation's fields in Field order, CODE first", () => {
  const op: PlanOp = {
    op: "RUN_HOOK",
    step: "startContainerHooks[0]",
    value: 5000n,
    num: 1,
    fd: 4,
    env: ["A=1"],
    args: ["h", "x"],
    data: "startContainer",
    source: "/bin/h",
  };
  const [opAttr] = decode(encodeBootstrap({ ...minimal, plan: [op] })).attrs.filter((a) =>
    a.type === Attr.OP
  );
  deepStrictEqual(attrs(opAttr.payload).map((f) => f.type), [
    Field.CODE,
    Field.SOURCE,
    Field.DATA,
    Field.FD,
    Field.ARG,
    Field.ARG,
    Field.ENV,
    Field.NUM,
    Field.VALUE,
  ]);
});

Deno.test("encodeBootstrap() refuses a missing required field, naming it", () => {
  const plan = [{ op: "CHDIR", step: "finalizeNamespace" }] as unknown as PlanOp[];
  throws(
    () => encodeBootstrap({ ...minimal, plan }),
    /operation 0 \(CHDIR, step "finalizeNamespace"\) field TARGET: the operation needs it/,
  );
});

Deno.test("encodeBootstrap() refuses a field the operation does not take", () => {
  const plan = [{ op: "CHDIR", step: "cwd", target: "/", mode: 1 }] as unknown as PlanOp[];
  throws(() => encodeBootstrap({ ...minimal, plan }), /operation 0 \(CHDIR.*no field "mode"/);
  // An absent optional field may be spelled as undefined.
  encodeBootstrap({
    ...minimal,
    plan: [{ op: "MKDIR_IN_ROOT", step: "s", target: "/", mode: undefined }],
  });
});

Deno.test("encodeBootstrap() refuses a bigint where a number is due, and the reverse", () => {
  const flags = [{ op: "MOUNT", step: "m", target: "/", flags: 1n }] as unknown as PlanOp[];
  throws(() => encodeBootstrap({ ...minimal, plan: flags }), /field FLAGS: bigint is not a number/);
  const caps = [{ op: "CAP_AMBIENT", step: "c", ambient: 1 }] as unknown as PlanOp[];
  throws(
    () => encodeBootstrap({ ...minimal, plan: caps }),
    /field AMBIENT: number is not a bigint/,
  );
});

Deno.test("encodeBootstrap() sends an empty IDS for setgroups([])", () => {
  const plan: PlanOp[] = [{ op: "SETGROUPS", step: "user", ids: [] }];
  const [opAttr] = decode(encodeBootstrap({ ...minimal, plan })).attrs.filter((a) =>
    a.type === Attr.OP
  );
  const f = attrs(opAttr.payload);
  deepStrictEqual(f.map((x) => [x.type, x.len]), [[Field.CODE, 8], [Field.IDS, 4]]);
});

Deno.test("encodeBootstrap() refuses an attribute over 65535 bytes, naming the operation", () => {
  const plan: PlanOp[] = [
    { op: "SYNC_READY", step: "syncReady" },
    { op: "EXEC", step: "finish", args: ["x"], env: ["A=" + "x".repeat(70000)] },
  ];
  throws(
    () => encodeBootstrap({ ...minimal, plan }),
    /operation 1 \(EXEC, step "finish"\) field ENV\[0\]: attribute is 70007 bytes/,
  );
});

Deno.test("encodeBootstrap() refuses an operation whose fields together exceed 65535", () => {
  const env = Array.from({ length: 5 }, () => "A=" + "x".repeat(20000));
  throws(
    () => encodeBootstrap({ ...minimal, plan: [{ op: "EXEC", step: "finish", args: [], env }] }),
    /Cannot encode operation 0 \(EXEC, step "finish"\): attribute is \d+ bytes, the limit is 65535/,
  );
});

Deno.test("encodeBootstrap() refuses a message over MAX_BOOTSTRAP", () => {
  const plan: PlanOp[] = Array.from({ length: 40 }, (_, i) => ({
    op: "WRITE_FILE",
    step: `sysctl`,
    target: `/proc/sys/x${i}`,
    data: "y".repeat(30000),
  }));
  throws(() => encodeBootstrap({ ...minimal, plan }), new RegExp(`limit is ${MAX_BOOTSTRAP}`));
});

Deno.test("encodeBootstrap() refuses NUL bytes in strings and out-of-range integers", () => {
  throws(
    () => encodeBootstrap({ ...minimal, plan: [{ op: "CHDIR", step: "cwd", target: "/a\0b" }] }),
    /field TARGET: it contains a NUL byte/,
  );
  throws(() => encodeBootstrap({ ...minimal, cloneFlags: -1 }), /cloneFlags: -1 is not a u32/);
  throws(
    () => encodeBootstrap({ ...minimal, plan: [{ op: "UMASK", step: "u", mode: 1.5 }] }),
    /field MODE: 1.5 is not a u32/,
  );
  throws(
    () =>
      encodeBootstrap({
        ...minimal,
        plan: [{ op: "CAPSET", step: "c", effective: 1n << 64n, permitted: 0n, inheritable: 0n }],
      }),
    /field EFFECTIVE: .* is not a u64/,
  );
});

Deno.test("encodeBootstrap() writes number u64 fields (FLAGS, DEV) above 2^32 exactly", () => {
  const plan: PlanOp[] = [
    { op: "MOUNT", step: "m", target: "/", flags: 2 ** 40 + 5 },
    { op: "MKNOD_IN_ROOT", step: "d", target: "/d", mode: 0, dev: Number.MAX_SAFE_INTEGER },
  ];
  const f = decode(encodeBootstrap({ ...minimal, plan })).attrs.filter((a) => a.type === Attr.OP)
    .flatMap((o) => attrs(o.payload));
  const of = (t: number) => f.filter((x) => x.type === t).map((x) => x.payload);
  equal(u64(of(Field.FLAGS)[0]), (1n << 40n) + 5n);
  equal(u64(of(Field.DEV)[0]), BigInt(Number.MAX_SAFE_INTEGER));
  throws(
    () =>
      encodeBootstrap({ ...minimal, plan: [{ op: "MOUNT", step: "m", target: "/", flags: -1 }] }),
    /operation 0 \(MOUNT, step "m"\) field FLAGS: -1 is not a u64/,
  );
  throws(
    () =>
      encodeBootstrap({
        ...minimal,
        plan: [{ op: "MKNOD_IN_ROOT", step: "d", target: "/d", mode: 0, dev: 2 ** 53 }],
      }),
    /field DEV: 9007199254740992 is not a u64/,
  );
  throws(
    () => encodeBootstrap({ ...minimal, nsPaths: [{ flag: 1, path: "/a\0" }] }),
    /Cannot encode nsPaths\[0\]: it contains a NUL byte/,
  );
});

Deno.test("encodeBootstrap() writes a mount slot as a u32 SLOT field, and DROP_MOUNT_SLOTS bare", () => {
  const plan: PlanOp[] = [
    { op: "REMOUNT", step: "mounts[1]", target: "/run", flags: 1, slot: 7 },
    { op: "DROP_MOUNT_SLOTS", step: "finalizeRootfs" },
  ];
  const ops = decode(encodeBootstrap({ ...minimal, plan })).attrs.filter((a) => a.type === Attr.OP);
  const remount = attrs(ops[0].payload);
  deepStrictEqual(remount.map((f) => f.type), [Field.CODE, Field.TARGET, Field.FLAGS, Field.SLOT]);
  equal(remount[3].len, 8);
  equal(u32(remount[3].payload), 7);
  deepStrictEqual(attrs(ops[1].payload).map((f) => [f.type, u32(f.payload)]), [
    [Field.CODE, Op.DROP_MOUNT_SLOTS],
  ]);
});

Deno.test("encodeBootstrap() writes under as a u32 UNDER field and subpath as a SUBPATH string", () => {
  const plan: PlanOp[] = [
    {
      op: "MKNOD_IN_ROOT",
      step: "devices",
      target: "/dev/null",
      mode: 1,
      dev: 2,
      under: 3,
      subpath: "null",
    },
  ];
  const ops = decode(encodeBootstrap({ ...minimal, plan })).attrs.filter((a) => a.type === Attr.OP);
  const f = attrs(ops[0].payload);
  deepStrictEqual(f.map((x) => x.type).slice(-2), [Field.UNDER, Field.SUBPATH]);
  equal(u32(f.at(-2)!.payload), 3);
  deepStrictEqual([...f.at(-1)!.payload], [...new TextEncoder().encode("null\0")]);
});
