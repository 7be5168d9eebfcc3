// The file operations a cgroup manager performs, behind one interface: the
// kernel's cgroupfs (through ffi/), or an in-memory tree in tests.
//
// Permissions: none to import; kernelCgroupFs() needs --allow-ffi.

import { readKernelFileIfExists, writeKernelFile } from "../../ffi/kernfs.ts";
import { listSubdirsKernel, mkdirKernel, rmdirKernel } from "../../ffi/cgroupfs.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";
import { ENOENT } from "../../ffi/errno.ts";

export interface CgroupFs {
  /** The file's text; null when it does not exist. */
  read(path: string): string | null;
  /** One write(2) of `value`; throws naming the file and errno. */
  write(path: string, value: string): void;
  /** mkdir; true when it was created (false: it existed). */
  mkdir(path: string): boolean;
  /** rmdir; throws (EBUSY while processes or child cgroups remain). */
  rmdir(path: string): void;
  /** Names of the child cgroups of `path`; [] when it does not exist. */
  subdirs(path: string): string[];
}

export function kernelCgroupFs(): CgroupFs {
  return {
    read: (path) => readKernelFileIfExists(path, 1 << 20),
    write: (path, value) => writeKernelFile(path, value),
    mkdir: (path) => mkdirKernel(path),
    rmdir: (path) => rmdirKernel(path),
    subdirs: (path) => listSubdirsKernel(path),
  };
}

/** Reads a file that must exist. */
export function readRequired(fs: CgroupFs, path: string): string {
  const text = fs.read(path);
  if (text === null) throw new SyscallError("open", ENOENT, { path });
  return text;
}

/** Every pid in `dir` and its child cgroups (runc's GetAllPids). */
export function allPids(fs: CgroupFs, dir: string): number[] {
  const own = parsePids(fs.read(`${dir}/cgroup.procs`));
  return [...own, ...fs.subdirs(dir).flatMap((d) => allPids(fs, `${dir}/${d}`))];
}

/** The pids in a cgroup.procs file. */
export function parsePids(text: string | null): number[] {
  if (!text) return [];
  return text.split("\n").filter((l) => l.trim() !== "").map(Number);
}
