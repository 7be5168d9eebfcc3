// linux.seccomp → BPF bytes, built by libseccomp in the parent (runc builds
// the filter with libseccomp-golang in its init; runo's init is a small C
// program without libseccomp, so it receives the exported program and loads
// it with seccomp(2)). Syscall names libseccomp does not know are skipped
// with a debug log, as runc does: a profile may name syscalls newer than
// this kernel or library. runc's -ENOSYS stub (enosys.ts) goes in front.
//
// Permissions: --allow-ffi (libseccomp, libnsexec.so), --allow-read, --allow-env.

import type { Seccomp } from "../spec/types.ts";
import { ConfigError } from "../spec/config_error.ts";
import {
  archToken,
  FilterAttr,
  SeccompFilter,
  seccompVersion,
  syscallNumber,
  syscallNumberOn,
} from "../../ffi/libseccomp.ts";
import { seccompActionAvailable, seccompFlagsKnown } from "../../ffi/seccomp_probe.ts";
import { checkSeccompSupport } from "./support.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";
import { archName, filterSpec } from "./profile.ts";
import { type ArchMax, enosysStub, needsEnosysStub } from "./enosys.ts";

export interface CompiledSeccomp {
  /** struct sock_filter[] as libseccomp exported it. */
  readonly bpf: Uint8Array;
  /** SECCOMP_FILTER_FLAG_* for seccomp(2), NEW_LISTENER included when notifying. */
  readonly flags: number;
  /** A rule uses SCMP_ACT_NOTIFY: the listener fd goes to listenerPath. */
  readonly notify: boolean;
}

/** Compiles the profile; `debug` receives one line per skipped syscall name. */
export function compileSeccomp(s: Seccomp, debug?: (msg: string) => void): CompiledSeccomp {
  const spec = filterSpec(s);
  checkSeccompSupport(s, {
    libseccomp: seccompVersion(),
    actionAvailable: seccompActionAvailable,
    flagsKnown: seccompFlagsKnown,
  });
  using filter = new SeccompFilter(spec.defaultAction);
  // The init sets no_new_privs itself when the config asks for it; runc
  // likewise clears libseccomp's NNP attribute.
  filter.setAttr(FilterAttr.CTL_NNP, 0);
  spec.arches.forEach((arch, i) => {
    try {
      filter.addArch(arch);
    } catch (err) {
      throw new ConfigError(
        `/linux/seccomp/architectures/${i}`,
        `Cannot add seccomp architecture "${arch}": ${(err as Error).message}`,
      );
    }
  });
  for (const rule of spec.rules) {
    const nr = syscallNumber(rule.name);
    if (nr === null) {
      debug?.(`seccomp: unknown syscall "${rule.name}" skipped (${rule.pointer})`);
      continue;
    }
    try {
      filter.addRule(nr, rule.action, rule.conditions, rule.name);
    } catch (err) {
      if (err instanceof SyscallError) {
        throw new ConfigError(
          rule.pointer,
          `Cannot add the seccomp rule for "${rule.name}": ${err.message}`,
        );
      }
      throw err;
    }
  }
  const bpf = filter.exportBpf();
  const stub = needsEnosysStub(s) ? enosysStub(archMaxes(s)) : new Uint8Array(0);
  return { bpf: concat(stub, bpf), flags: spec.flags, notify: spec.notify };
}

/** The largest syscall number the profile names, per listed arch (runc's findLastSyscalls). */
function archMaxes(s: Seccomp): ArchMax[] {
  const names = (s.syscalls ?? []).flatMap((c) => c.names);
  return [...new Set(s.architectures ?? [])].map((arch) => {
    const token = archToken(archName(arch));
    const max = names.reduce((m, n) => Math.max(m, syscallNumberOn(token, n) ?? 0), 0);
    return { token, max };
  }).filter((a) => a.token !== 0);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
