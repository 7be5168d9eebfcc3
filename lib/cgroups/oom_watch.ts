// A cgroup's OOM notifications as one pollable fd, for `events`: v1 an
// eventfd registered for memory.oom_control (runc's notify_linux.go), v2
// inotify on memory.events and its oom_kill counter (runc's fs2 OOM
// notifier). Without a notifier the counter is compared at each wake.
//
// Permissions: --allow-ffi.

import type { OomNotifier } from "./manager.ts";
import { drainFd, memcgEventfd, watchModified } from "../../ffi/event_fds.ts";
import { close } from "../../ffi/syscalls.ts";
import { readKernelFileIfExists } from "../../ffi/kernfs.ts";
import { SyscallError } from "../../ffi/syscall_error.ts";
import { ENOENT } from "../../ffi/errno.ts";

export interface OomWatch extends Disposable {
  /** Readable when an OOM may have happened; -1: nothing to wait on. */
  readonly fd: number;
  /** The OOM events since the last call; drains fd. */
  take(): number;
}

/** Starts watching; `count` is the cgroup's OOM-kill counter (CgroupManager.oomKills). */
export function watchOom(n: OomNotifier | undefined, count: () => number): OomWatch {
  try {
    if (n?.kind === "eventfd") return eventfdWatch(n.control, n.eventControl);
    if (n?.kind === "inotify") return inotifyWatch(n.file, count);
  } catch (err) {
    // No memory controller files (v2 without memory delegated, or the
    // cgroup just removed): fall back to the counter.
    if (!(err instanceof SyscallError && err.errno === ENOENT)) throw err;
  }
  return counterWatch(-1, count);
}

function eventfdWatch(control: string, eventControl: string): OomWatch {
  let fd = memcgEventfd(control, eventControl);
  return {
    get fd() {
      return fd;
    },
    take() {
      if (fd < 0 || drainFd(fd) === 0) return 0;
      // The kernel signals the eventfd once more as the cgroup is removed
      // (memcg_event_remove): that is no OOM, and the end of the watch.
      if (readKernelFileIfExists(control) === null) {
        close(fd);
        fd = -1;
        return 0;
      }
      // One event per wake, as runc: the eventfd's counter sums the
      // notifications of one OOM episode.
      return 1;
    },
    [Symbol.dispose]() {
      if (fd >= 0) close(fd);
      fd = -1;
    },
  };
}

function inotifyWatch(file: string, count: () => number): OomWatch {
  // Watched before the first read, so no kill falls between the two.
  return counterWatch(watchModified(file), count);
}

function counterWatch(fd: number, count: () => number): OomWatch {
  let seen = count();
  return {
    fd,
    take() {
      if (fd >= 0) drainFd(fd);
      const now = count();
      const rise = Math.max(0, now - seen);
      seen = now;
      return rise;
    },
    [Symbol.dispose]() {
      if (fd >= 0) close(fd);
    },
  };
}
