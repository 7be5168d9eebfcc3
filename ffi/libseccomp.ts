// The Deno.dlopen binding of libseccomp.so.2, opened lazily on the first
// config that has linux.seccomp, so no other command pays for it. A filter
// is built here and exported as BPF bytes; the C init loads those bytes
// with seccomp(2). libseccomp returns -errno, which becomes SyscallError.
//
// Permissions: --allow-ffi (and --allow-read/--allow-env for libnsexec.so,
// whose memfd receives the export).

import { nsexec } from "./libnsexec.ts";
import { close, cstr } from "./syscalls.ts";
import { SyscallError } from "./syscall_error.ts";
import { EEXIST, EINVAL } from "./errno.ts";

const SYMBOLS = {
  seccomp_init: { parameters: ["u32"], result: "pointer" },
  seccomp_release: { parameters: ["pointer"], result: "void" },
  seccomp_arch_add: { parameters: ["pointer", "u32"], result: "i32" },
  seccomp_arch_resolve_name: { parameters: ["buffer"], result: "u32" },
  seccomp_syscall_resolve_name: { parameters: ["buffer"], result: "i32" },
  seccomp_syscall_resolve_name_arch: { parameters: ["u32", "buffer"], result: "i32" },
  seccomp_rule_add_array: {
    parameters: ["pointer", "u32", "i32", "u32", "buffer"],
    result: "i32",
  },
  seccomp_attr_set: { parameters: ["pointer", "u32", "u32"], result: "i32" },
  seccomp_export_bpf: { parameters: ["pointer", "i32"], result: "i32" },
  seccomp_version: { parameters: [], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

type Symbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let symbols: Symbols | undefined;

const LIBRARY = "libseccomp.so.2";

function lib(): Symbols {
  if (symbols) return symbols;
  try {
    symbols = Deno.dlopen(LIBRARY, SYMBOLS).symbols;
  } catch (err) {
    if (err instanceof Deno.errors.NotCapable) {
      throw new Error(`runo needs --allow-ffi to load ${LIBRARY}`, { cause: err });
    }
    throw new Error(
      `Cannot load ${LIBRARY} (Debian: apt-get install libseccomp2): ${(err as Error).message}`,
      { cause: err },
    );
  }
  return symbols;
}

/** libseccomp's version as "2.5.4". */
export function seccompVersion(): string {
  const p = lib().seccomp_version();
  if (p === null) return "unknown";
  const v = new Deno.UnsafePointerView(p);
  return `${v.getUint32(0)}.${v.getUint32(4)}.${v.getUint32(8)}`;
}

/** The native syscall number of `name`, or null when libseccomp does not know it. */
export function syscallNumber(name: string): number | null {
  const nr = lib().seccomp_syscall_resolve_name(cstr(name));
  return nr === -1 ? null : nr; // __NR_SCMP_ERROR
}

/** libseccomp's token of an arch name ("x86_64"); 0 when unknown. */
export function archToken(name: string): number {
  return lib().seccomp_arch_resolve_name(cstr(name));
}

/** `name`'s number on the arch `token`; null when unknown or a pseudo-syscall (< 0). */
export function syscallNumberOn(token: number, name: string): number | null {
  const nr = lib().seccomp_syscall_resolve_name_arch(token, cstr(name));
  return nr < 0 ? null : nr;
}

/** enum scmp_filter_attr values runo sets. */
export const FilterAttr = { CTL_NNP: 3, CTL_TSYNC: 4 } as const;

/** struct scmp_arg_cmp {u32 arg; u32 op; u64 datum_a; u64 datum_b}. */
export interface ArgCmp {
  readonly arg: number;
  readonly op: number;
  readonly a: bigint;
  readonly b: bigint;
}

function check(rc: number, call: string, path?: string): void {
  if (rc < 0) throw new SyscallError(call, -rc, { path });
}

/** A libseccomp filter context; release it with `using`. */
export class SeccompFilter implements Disposable {
  #ctx: Deno.PointerObject;

  constructor(defaultAction: number) {
    const ctx = lib().seccomp_init(defaultAction >>> 0);
    if (ctx === null) {
      throw new SyscallError("seccomp_init", EINVAL, { path: `0x${defaultAction.toString(16)}` });
    }
    this.#ctx = ctx;
  }

  /** Adds an architecture by libseccomp name; the native one is there already. */
  addArch(name: string): void {
    const token = lib().seccomp_arch_resolve_name(cstr(name));
    if (token === 0) throw new SyscallError("seccomp_arch_resolve_name", EINVAL, { path: name });
    const rc = lib().seccomp_arch_add(this.#ctx, token);
    if (rc !== -EEXIST) check(rc, "seccomp_arch_add", name); // EEXIST: native
  }

  setAttr(attr: number, value: number): void {
    check(lib().seccomp_attr_set(this.#ctx, attr, value >>> 0), "seccomp_attr_set");
  }

  addRule(nr: number, action: number, conds: readonly ArgCmp[], what: string): void {
    const buf = new Uint8Array(Math.max(1, conds.length) * 24);
    const view = new DataView(buf.buffer);
    conds.forEach((c, i) => {
      view.setUint32(i * 24, c.arg, true);
      view.setUint32(i * 24 + 4, c.op, true);
      view.setBigUint64(i * 24 + 8, c.a, true);
      view.setBigUint64(i * 24 + 16, c.b, true);
    });
    const rc = lib().seccomp_rule_add_array(this.#ctx, action >>> 0, nr, conds.length, buf);
    check(rc, "seccomp_rule_add_array", what);
  }

  /** The filter as classic BPF (struct sock_filter[]), through a memfd. */
  exportBpf(): Uint8Array {
    const fd = Number(nsexec().runo_memfd(cstr("runo-seccomp")));
    if (fd < 0) throw new SyscallError("memfd_create", -fd);
    try {
      check(lib().seccomp_export_bpf(this.#ctx, fd), "seccomp_export_bpf");
      // A fresh open of /proc/self/fd/N starts at offset 0.
      const path = `/proc/self/fd/${fd}`;
      const buf = new Uint8Array(1 << 20);
      const n = Number(nsexec().runo_read_file(cstr(path), buf, BigInt(buf.length)));
      if (n < 0) throw new SyscallError("read", -n, { path });
      return buf.slice(0, n);
    } finally {
      close(fd);
    }
  }

  [Symbol.dispose](): void {
    lib().seccomp_release(this.#ctx);
  }
}
