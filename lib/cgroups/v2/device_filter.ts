// cgroup v2 device rules as an eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE),
// generated here and loaded by ffi/bpf.ts. Same logic as runc's
// libcontainer/cgroups/devices/devicefilter.go: the rules are checked
// last to first, the first match decides, and no match denies.
//
// The program reads struct bpf_cgroup_dev_ctx { u32 access_type; u32 major;
// u32 minor; }, access_type = access << 16 | type.
//
// Permissions: none.

import type { DeviceCgroupRule } from "../devices.ts";

// Instruction classes and opcodes (linux/bpf_common.h, linux/bpf.h).
const LDXW = 0x61; // BPF_LDX | BPF_MEM | BPF_W
const AND32_K = 0x54; // BPF_ALU | BPF_AND | BPF_K
const RSH32_K = 0x74; // BPF_ALU | BPF_RSH | BPF_K
const MOV32_X = 0xbc; // BPF_ALU | BPF_MOV | BPF_X
const MOV32_K = 0xb4; // BPF_ALU | BPF_MOV | BPF_K
const JNE_K = 0x55; // BPF_JMP | BPF_JNE | BPF_K
const JNE_X = 0x5d; // BPF_JMP | BPF_JNE | BPF_X
const EXIT = 0x95; // BPF_JMP | BPF_EXIT

const DEV_BLOCK = 1; // BPF_DEVCG_DEV_BLOCK
const DEV_CHAR = 2; // BPF_DEVCG_DEV_CHAR
const ACC_MKNOD = 1; // BPF_DEVCG_ACC_MKNOD
const ACC_READ = 2;
const ACC_WRITE = 4;

export interface Insn {
  readonly code: number;
  readonly dst: number;
  readonly src: number;
  readonly off: number;
  readonly imm: number;
}

const insn = (code: number, dst: number, src: number, off: number, imm: number): Insn => ({
  code,
  dst,
  src,
  off,
  imm,
});

export function accessBits(access: string): number {
  let bits = 0;
  if (access.includes("m")) bits |= ACC_MKNOD;
  if (access.includes("r")) bits |= ACC_READ;
  if (access.includes("w")) bits |= ACC_WRITE;
  return bits;
}

/** r2 = type, r3 = access, r4 = major, r5 = minor. */
const PROLOGUE: readonly Insn[] = [
  insn(LDXW, 2, 1, 0, 0),
  insn(AND32_K, 2, 0, 0, 0xffff),
  insn(LDXW, 3, 1, 0, 0),
  insn(RSH32_K, 3, 0, 0, 16),
  insn(LDXW, 4, 1, 4, 0),
  insn(LDXW, 5, 1, 8, 0),
];

/** One rule: its checks jump past the block when they fail. */
function ruleBlock(r: DeviceCgroupRule): Insn[] {
  const body: Omit<Insn, "off">[] = [];
  if (r.type !== "a") {
    body.push({ code: JNE_K, dst: 2, src: 0, imm: r.type === "b" ? DEV_BLOCK : DEV_CHAR });
  }
  const bits = accessBits(r.access);
  if (bits !== (ACC_MKNOD | ACC_READ | ACC_WRITE)) {
    // Every access asked for must be in the rule's: (r3 & bits) == r3.
    body.push({ code: MOV32_X, dst: 1, src: 3, imm: 0 });
    body.push({ code: AND32_K, dst: 1, src: 0, imm: bits });
    body.push({ code: JNE_X, dst: 1, src: 3, imm: 0 });
  }
  if (r.major >= 0) body.push({ code: JNE_K, dst: 4, src: 0, imm: r.major });
  if (r.minor >= 0) body.push({ code: JNE_K, dst: 5, src: 0, imm: r.minor });
  const total = body.length + 2;
  const out = body.map((b, i) => ({
    ...b,
    // Jumps land after this block's "r0 = verdict; exit".
    off: b.code === JNE_K || b.code === JNE_X ? total - i - 1 : 0,
  }));
  out.push(insn(MOV32_K, 0, 0, 0, r.allow ? 1 : 0), insn(EXIT, 0, 0, 0, 0));
  return out;
}

/** The whole program: rules last to first, then deny. */
export function deviceFilterProgram(rules: readonly DeviceCgroupRule[]): Insn[] {
  const prog: Insn[] = [...PROLOGUE];
  for (let i = rules.length - 1; i >= 0; i--) {
    const block = ruleBlock(rules[i]);
    prog.push(...block);
    // A catch-all rule decides everything: the verifier refuses the
    // unreachable code that would follow it (runc stops there too).
    if (block.length === 2) return prog;
  }
  prog.push(insn(MOV32_K, 0, 0, 0, 0), insn(EXIT, 0, 0, 0, 0));
  return prog;
}

/** struct bpf_insn bytes: code, dst:4|src:4 (dst in the low nibble), s16 off, s32 imm. */
export function encodeProgram(prog: readonly Insn[]): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(prog.length * 8);
  const view = new DataView(bytes.buffer);
  prog.forEach((p, i) => {
    view.setUint8(i * 8, p.code);
    view.setUint8(i * 8 + 1, (p.src << 4) | p.dst);
    view.setInt16(i * 8 + 2, p.off, true);
    view.setInt32(i * 8 + 4, p.imm, true);
  });
  return bytes;
}

/**
 * Runs the program on one access, as the kernel would: for unit tests of
 * the generated code without loading it.
 */
export function runProgram(
  prog: readonly Insn[],
  ctx: { type: "b" | "c"; access: string; major: number; minor: number },
): number {
  const ctxWords = [
    (accessBits(ctx.access) << 16) | (ctx.type === "b" ? DEV_BLOCK : DEV_CHAR),
    ctx.major,
    ctx.minor,
  ];
  const r = new Array<number>(11).fill(0);
  for (let pc = 0; pc < prog.length; pc++) {
    const p = prog[pc];
    switch (p.code) {
      case LDXW:
        r[p.dst] = ctxWords[p.off / 4] >>> 0;
        break;
      case AND32_K:
        r[p.dst] = (r[p.dst] & p.imm) >>> 0;
        break;
      case RSH32_K:
        r[p.dst] = r[p.dst] >>> p.imm;
        break;
      case MOV32_X:
        r[p.dst] = r[p.src];
        break;
      case MOV32_K:
        r[p.dst] = p.imm >>> 0;
        break;
      case JNE_K:
        if (r[p.dst] !== p.imm >>> 0) pc += p.off;
        break;
      case JNE_X:
        if (r[p.dst] !== r[p.src]) pc += p.off;
        break;
      case EXIT:
        return r[0];
      default:
        throw new Error(`unknown BPF opcode 0x${p.code.toString(16)}`);
    }
  }
  throw new Error("BPF program fell off its end");
}
