// The public types of the library API (mod.ts). They are declared here,
// documented, rather than re-exported from the internal modules, so the
// API stays stable while lib/ changes; the compiler checks that the
// internal values still fit them (lib/runtime/runtime.ts assigns one to
// the other).
//
// Permissions: none.

import type { Process } from "../spec/types.ts";

/** A container's status, as the OCI runtime spec names them. */
export type ContainerStatus = "creating" | "created" | "running" | "paused" | "stopped";

/** The OCI state of a container (runtime spec "State"), as `runo state` prints it. */
export interface ContainerInfo {
  /** The runtime spec version of the state document. */
  readonly ociVersion: string;
  /** The container's id, unique under the runtime's root. */
  readonly id: string;
  /** The init's pid in the host's pid namespace; 0 once stopped. */
  readonly pid: number;
  /** created, running, paused or stopped. */
  readonly status: ContainerStatus;
  /** The bundle directory the container was created from. */
  readonly bundle: string;
  /** The root filesystem's absolute path. */
  readonly rootfs: string;
  /** When it was created, RFC 3339. */
  readonly created: string;
  /** The user who created it (empty for root, as runc). */
  readonly owner: string;
  /** The config's annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The containers under a runtime's root, as {@linkcode Runtime.list} returns them. */
export interface ContainerList {
  /** Every container whose state could be read. */
  readonly containers: ContainerInfo[];
  /** Entries that could not be read, one line each ("id: why"). */
  readonly problems: string[];
}

/** A container {@linkcode Runtime.create} made: `await using` deletes it (force). */
export type CreatedContainer = ContainerInfo & AsyncDisposable;

/** Options of {@linkcode Runtime}. */
export interface RuntimeOptions {
  /** The directory of container state; default `/run/runo`, as the CLI's `--root`. */
  readonly root?: string;
  /**
   * Where libnsexec.so and runo-init are; default: `$RUNO_LIBDIR`, then
   * the source tree's `build/` (see ffi/libdir.ts for the whole order).
   */
  readonly libDir?: string;
  /** Receives the container init's log lines (level, message). */
  readonly log?: (level: string, message: string) => void;
  /** Put containers in systemd units' cgroups (the CLI's `--systemd-cgroup`). */
  readonly systemdCgroup?: boolean;
}

/** Options of {@linkcode Runtime.create}. */
export interface CreateOptions {
  /** Write the init's pid to this file, as `runo create --pid-file`. */
  readonly pidFile?: string;
  /** Use chroot-like MS_MOVE instead of pivot_root (`--no-pivot`). */
  readonly noPivot?: boolean;
  /** How many fds after 0–2 the container inherits (`--preserve-fds`). */
  readonly preserveFds?: number;
  /**
   * The container's stdin, stdout and stderr as fd numbers of this
   * process; default this process's own 0, 1, 2. Deno has no public fd
   * numbers for its files: {@linkcode Runtime.output} collects the output
   * for you.
   */
  readonly stdio?: readonly [number, number, number];
  /**
   * A unix socket path that receives the pty master (SCM_RIGHTS) when the
   * config sets process.terminal (`--console-socket`).
   */
  readonly consoleSocket?: string;
}

/** Options of {@linkcode Runtime.run}. */
export interface RunOptions extends CreateOptions {
  /** Return once the process started instead of waiting for its exit. */
  readonly detach?: boolean;
  /** Keep the stopped container's state (`runo run --keep`). */
  readonly keep?: boolean;
  /**
   * In the foreground: aborting kills the container (SIGKILL), deletes it
   * unless `keep`, and rejects with the signal's reason.
   */
  readonly signal?: AbortSignal;
}

/** What {@linkcode Runtime.output} returns. */
export interface ContainerOutput {
  /** The exit code; 128+n when signal n killed the process. */
  readonly code: number;
  /** Everything the container wrote to its stdout, decoded as UTF-8. */
  readonly stdout: string;
  /** Everything the container wrote to its stderr, decoded as UTF-8. */
  readonly stderr: string;
}

/** Options of {@linkcode Runtime.output}. */
export interface OutputOptions {
  /** Bytes for the container's stdin; default none (/dev/null). */
  readonly stdin?: Uint8Array | string;
  /** Use chroot-like MS_MOVE instead of pivot_root (`--no-pivot`). */
  readonly noPivot?: boolean;
  /** Aborting kills the container (SIGKILL) and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Options of {@linkcode Runtime.kill}. */
export interface KillOptions {
  /** Signal every process of the container, not only its init (`--all`). */
  readonly all?: boolean;
}

/** Options of {@linkcode Runtime.delete}. */
export interface DeleteOptions {
  /** Kill a running container first (`--force`). */
  readonly force?: boolean;
}

/** One cgroup memory counter of {@linkcode ContainerStats}, in bytes. */
export interface MemoryCounter {
  /** The limit (the kernel's "max" when unlimited). */
  readonly limit: number;
  /** Current usage. */
  readonly usage?: number;
  /** Highest usage seen. */
  readonly max?: number;
  /** How often the limit was hit. */
  readonly failcnt: number;
}

/** One block-I/O counter of {@linkcode ContainerStats}. */
export interface BlkioCounter {
  /** The device's major number. */
  readonly major: number;
  /** The device's minor number. */
  readonly minor: number;
  /** Read, Write, Sync, Async, Discard or Total. */
  readonly op: string;
  /** Bytes or operations. */
  readonly value: number;
}

/** A container's cgroup statistics, in the shape `runc events` prints. */
export interface ContainerStats {
  /** CPU time in nanoseconds and CFS throttling. */
  readonly cpu: {
    /** Time used: total, per CPU, in kernel and user mode. */
    readonly usage: {
      readonly total?: number;
      readonly percpu?: readonly number[];
      readonly percpu_kernel?: readonly number[];
      readonly percpu_user?: readonly number[];
      readonly kernel: number;
      readonly user: number;
    };
    /** CFS periods, throttled periods and throttled time. */
    readonly throttling: {
      readonly periods?: number;
      readonly throttledPeriods?: number;
      readonly throttledTime?: number;
    };
  };
  /** Memory counters; `raw` holds memory.stat's fields. */
  readonly memory: {
    readonly cache?: number;
    readonly usage?: MemoryCounter;
    readonly swap?: MemoryCounter;
    readonly kernel?: MemoryCounter;
    readonly kernelTCP?: MemoryCounter;
    readonly raw?: Readonly<Record<string, number>>;
  };
  /** The cpuset: its CPUs and memory nodes (v1 also its flag files). */
  readonly cpuset: { readonly cpus?: readonly number[]; readonly mems?: readonly number[] };
  /** resctrl's schemata and counters (linux.intelRdt); {} without it. */
  readonly intel_rdt: Readonly<Record<string, unknown>>;
  /** Interfaces of the container's network namespace (loopback left out); null without one. */
  readonly network_interfaces:
    | readonly { readonly Name: string; readonly RxBytes: number }[]
    | null;
  /** The number of tasks and their limit. */
  readonly pids: { readonly current?: number; readonly limit?: number };
  /** Bytes and operations per device. */
  readonly blkio: {
    readonly ioServiceBytesRecursive?: readonly BlkioCounter[];
    readonly ioServicedRecursive?: readonly BlkioCounter[];
  };
  /** Huge-page usage per page size. */
  readonly hugetlb: Readonly<
    Record<string, { readonly usage?: number; readonly max?: number; readonly failcnt: number }>
  >;
}

/** An event of {@linkcode Runtime.events}, as `runc events` prints it. */
export interface ContainerEvent {
  /** "stats" every interval, "oom" per OOM kill in the container. */
  readonly type: "stats" | "oom";
  /** The container's id. */
  readonly id: string;
  /** The statistics of a "stats" event. */
  readonly data?: ContainerStats;
}

/** Options of {@linkcode Runtime.events}. */
export interface EventsOptions {
  /** How often to emit statistics; default 5000 ms, as runc. */
  readonly intervalMs?: number;
  /** Ends the stream when aborted. */
  readonly signal?: AbortSignal;
}

/** Options of {@linkcode Runtime.exec}: what runc exec's flags say. */
export interface ExecOptions {
  /** Extra environment variables, KEY=value (added to the config's). */
  readonly env?: readonly string[];
  /** The working directory; default the config's. */
  readonly cwd?: string;
  /** "uid[:gid]" or names from the container's /etc/passwd and /etc/group. */
  readonly user?: string;
  /** Supplementary group ids. */
  readonly additionalGids?: readonly number[];
  /** Capabilities added to the config's. */
  readonly caps?: readonly string[];
  /** Set no_new_privs for this process. */
  readonly noNewPrivs?: boolean;
  /** Return once the process started instead of waiting for its exit. */
  readonly detach?: boolean;
  /** Exec into a paused container too. */
  readonly ignorePaused?: boolean;
  /** The process's stdin, stdout, stderr as fds; default this process's 0, 1, 2. */
  readonly stdio?: readonly [number, number, number];
  /** Give the process a pty (`--tty`); with `detach`, `consoleSocket` receives it. */
  readonly tty?: boolean;
  /** A unix socket path that receives the pty master (`--console-socket`). */
  readonly consoleSocket?: string;
  /** Write the process's host pid to this file (`--pid-file`). */
  readonly pidFile?: string;
  /** How many fds after 0–2 the process inherits (`--preserve-fds`). */
  readonly preserveFds?: number;
  /**
   * The whole OCI process to run (`--process`): args, env, cwd, user,
   * capabilities… as in config.json; the other options add to it.
   */
  readonly process?: Process;
  /** Called with the process's host pid once it runs (before the wait). */
  readonly onStarted?: (pid: number) => void;
  /** In the foreground: aborting kills the process and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}
