// An in-memory CgroupFs for tests: a map of files and a set of directories
// that behaves like cgroupfs where the managers depend on it (rmdir of a
// cgroup with processes is EBUSY, writes to cgroup.procs add a pid).
//
// Permissions: none.

import type { CgroupFs } from "./fs.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";
import { EBUSY, ENOENT } from "../../ffi/errno.ts";

export class MemCgroupFs implements CgroupFs {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>();
  /** Every write, in order: "path=value". */
  readonly log: string[] = [];
  /** Files that reject writes with this errno. */
  readonly failing = new Map<string, number>();
  /** Called after each write, to mimic the kernel's reaction (e.g. cgroup.events). */
  onWrite?: (path: string, value: string) => void;

  constructor(files: Record<string, string> = {}) {
    for (const [p, v] of Object.entries(files)) {
      this.files.set(p, v);
      this.dirs.add(p.slice(0, p.lastIndexOf("/")));
    }
  }

  read(path: string): string | null {
    return this.files.get(path) ?? null;
  }

  write(path: string, value: string): void {
    const errno = this.failing.get(path);
    if (errno) throw new SyscallError("write", errno, { path });
    const dir = path.slice(0, path.lastIndexOf("/"));
    if (!this.dirs.has(dir)) throw new SyscallError("open", ENOENT, { path });
    this.log.push(`${path}=${value}`);
    if (path.endsWith("/cgroup.procs")) {
      const old = this.files.get(path) ?? "";
      this.files.set(path, old + value + "\n");
    } else {
      this.files.set(path, value);
    }
    this.onWrite?.(path, value);
  }

  mkdir(path: string): boolean {
    if (this.dirs.has(path)) return false;
    this.dirs.add(path);
    return true;
  }

  subdirs(path: string): string[] {
    return [...this.dirs].filter((d) =>
      d.startsWith(`${path}/`) && !d.slice(path.length + 1).includes("/")
    )
      .map((d) => d.slice(path.length + 1));
  }

  rmdir(path: string): void {
    if (!this.dirs.has(path)) throw new SyscallError("rmdir", ENOENT, { path });
    if (this.subdirs(path).length > 0) throw new SyscallError("rmdir", EBUSY, { path });
    if ((this.files.get(`${path}/cgroup.procs`) ?? "").trim() !== "") {
      throw new SyscallError("rmdir", EBUSY, { path });
    }
    this.dirs.delete(path);
    for (const f of [...this.files.keys()]) if (f.startsWith(`${path}/`)) this.files.delete(f);
  }
}
