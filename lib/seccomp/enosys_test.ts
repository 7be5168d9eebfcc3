import { assertEquals } from "../testing/assert.ts";
import { enosysStub, needsEnosysStub } from "./enosys.ts";

const ALLOW = 0x7fff0000, ENOSYS = 0x00050026;
const X86_64 = 0xc000003e, I386 = 0x40000003, X32 = 0x4000003e;

/** A classic-BPF interpreter for the few opcodes the stub uses. */
function run(prog: Uint8Array, arch: number, nr: number): number {
  const v = new DataView(prog.buffer, prog.byteOffset, prog.byteLength);
  let a = 0;
  for (let pc = 0; pc * 8 < prog.length;) {
    const code = v.getUint16(pc * 8, true), jt = v.getUint8(pc * 8 + 2);
    const jf = v.getUint8(pc * 8 + 3), k = v.getUint32(pc * 8 + 4, true);
    pc++;
    if (code === 0x20) a = k === 0 ? nr >>> 0 : arch >>> 0;
    else if (code === 0x06) return k;
    else if (code === 0x05) pc += k;
    else if (code === 0x15) pc += a === k ? jt : jf;
    else if (code === 0x25) pc += a > k ? jt : jf;
    else if (code === 0x45) pc += (a & k) !== 0 ? jt : jf;
    else throw new Error(`opcode 0x${code.toString(16)}`);
  }
  throw new Error("fell off the program");
}

/** The stub followed by a "filter" that allows everything. */
function withFilter(stub: Uint8Array): Uint8Array {
  const out = new Uint8Array(stub.length + 8);
  out.set(stub);
  new DataView(out.buffer).setUint16(stub.length, 0x06, true);
  new DataView(out.buffer).setUint32(stub.length + 4, ALLOW, true);
  return out;
}

Deno.test("enosysStub() returns ENOSYS above the largest named syscall, per arch", () => {
  const p = withFilter(enosysStub([{ token: X86_64, max: 436 }, { token: I386, max: 400 }]));
  assertEquals(run(p, X86_64, 436), ALLOW);
  assertEquals(run(p, X86_64, 437), ENOSYS);
  assertEquals(run(p, I386, 400), ALLOW);
  assertEquals(run(p, I386, 401), ENOSYS);
  // Another arch, and x32 calls when only x86_64 is listed, go to the filter.
  assertEquals(run(p, 0xc00000b7, 999), ALLOW);
  assertEquals(run(p, X86_64, 0x40000000 + 999), ALLOW);
});

Deno.test("enosysStub() tells x32 from x86_64 by bit 30", () => {
  const p = withFilter(
    enosysStub([{ token: X86_64, max: 300 }, { token: X32, max: 0x40000000 + 200 }]),
  );
  assertEquals(run(p, X86_64, 300), ALLOW);
  assertEquals(run(p, X86_64, 301), ENOSYS);
  assertEquals(run(p, X86_64, 0x40000000 + 200), ALLOW);
  assertEquals(run(p, X86_64, 0x40000000 + 201), ENOSYS);
  const only32 = withFilter(enosysStub([{ token: X32, max: 0x40000000 + 200 }]));
  assertEquals(run(only32, X86_64, 999), ALLOW);
  assertEquals(run(only32, X86_64, 0x40000000 + 201), ENOSYS);
});

Deno.test("enosysStub() is empty when no arch has a syscall", () => {
  assertEquals(enosysStub([]).length, 0);
  assertEquals(enosysStub([{ token: X86_64, max: 0 }]).length, 0);
});

Deno.test("needsEnosysStub() follows runc: not for permissive defaults or ENOSYS, only with arches", () => {
  const arches = ["SCMP_ARCH_X86_64"];
  assertEquals(needsEnosysStub({ defaultAction: "SCMP_ACT_ERRNO", architectures: arches }), true);
  assertEquals(needsEnosysStub({ defaultAction: "SCMP_ACT_KILL", architectures: arches }), true);
  assertEquals(needsEnosysStub({ defaultAction: "SCMP_ACT_ALLOW", architectures: arches }), false);
  assertEquals(needsEnosysStub({ defaultAction: "SCMP_ACT_LOG", architectures: arches }), false);
  assertEquals(
    needsEnosysStub({
      defaultAction: "SCMP_ACT_ERRNO",
      defaultErrnoRet: 38,
      architectures: arches,
    }),
    false,
  );
  assertEquals(needsEnosysStub({ defaultAction: "SCMP_ACT_ERRNO" }), false);
});
