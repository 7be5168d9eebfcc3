// exec: run a new process inside a running container, as runc's exec
// does. TypeScript builds the whole plan here (the user resolved in the
// container's /etc/passwd and /etc/group, read through /proc/<init>/root
// with every symlink kept inside it); the C init joins the container's
// namespaces by path (user first, mount included), lands in its cgroups
// before anything runs, and carries the plan out. No Deno process ever
// enters the container. In the foreground the exec'd process is runo's
// child (CLONE_PARENT from stage 1): runo waits for it, forwards signals
// and returns its exit code.
//
// Permissions: --allow-ffi, --allow-read, --allow-write, --allow-env.

import { load } from "../lazy.ts";
import type { Spec } from "../spec/types.ts";
import { setnsInitPlan } from "../../init/setns_init.ts";
import type { SeccompProgram } from "../../init/seccomp.ts";
import { hasNamespace } from "../spec/namespaces.ts";
import { CLONE_FLAG, JOIN_ORDER } from "../bootstrap/clone_flags.ts";
import { envHasHome, homeFor } from "./passwd.ts";
import { encodeBootstrap } from "../bootstrap/encode.ts";
import { LogLevel } from "../bootstrap/ids.ts";
import type { Plan } from "../bootstrap/plan.ts";
import { launchInit } from "../process/init_process.ts";
import { ChildFds } from "../process/child_fds.ts";
import { consoleFor } from "../process/console.ts";
import { waitInForeground } from "../process/foreground.ts";
import { killAndReap } from "../process/reap.ts";
import { listenerAgent } from "../seccomp/notify.ts";
import { joinCgroupsOf, primeJoin } from "../process/join_cgroups.ts";
import { hostMounts } from "../mounts/host_mounts.ts";
import { readState, writePidFile } from "../state/store.ts";
import { type ContainerState, StateError } from "../state/state.ts";
import { readKernelFileIfExists } from "../../ffi/kernfs.ts";
import { readRootfsFile } from "./rootfs_files.ts";
import { containerStatus } from "./status.ts";
import { execHostFacts } from "./host_facts.ts";
import { execProcess, type ExecRequest } from "./exec_process.ts";
import { execAffinityPlan } from "../process/cpu_affinity.ts";
import { openPidfdSocket } from "../process/pidfd_socket.ts";
import type { SubCgroups } from "../process/sub_cgroups.ts";
import type { MountInfo } from "../mounts/mountinfo.ts";
import { phase } from "../log/trace.ts";

export interface ExecOptions {
  readonly root: string;
  readonly id: string;
  /** As CreateOptions.cgroupWarm: a warming the caller started, which exec ends. */
  readonly cgroupWarm?: Disposable;
  readonly request: ExecRequest;
  readonly detach?: boolean;
  readonly pidFile?: string;
  /** Unix socket that receives the pty master (with a terminal). */
  readonly consoleSocket?: string;
  /** Unix socket that receives a pidfd of the process (runc --pidfd-socket). */
  readonly pidfdSocket?: string;
  /** How many fds after 0–2 the process inherits. */
  readonly preserveFds?: number;
  /** Exec into a paused container too. */
  readonly ignorePaused?: boolean;
  /** exec --cgroup: sub-cgroups to join instead of the container's own. */
  readonly subCgroups?: SubCgroups;
  /** The process's fds 0–2; the caller's own by default. */
  readonly stdio?: readonly [number, number, number];
  readonly onPlan?: (plan: Plan) => void;
  readonly onLog?: (level: string, msg: string) => void;
  readonly logLevel?: number;
  /** Called with the process's host pid once it runs (the library's onStarted). */
  readonly onStarted?: (pid: number) => void;
}

/** /proc/<pid>/ns/<name> of each OCI namespace type. */
const PROC_NS: Readonly<Record<string, string>> = {
  user: "user",
  ipc: "ipc",
  uts: "uts",
  network: "net",
  pid: "pid",
  mount: "mnt",
  cgroup: "cgroup",
  time: "time",
};

/** Every namespace of the container, as paths under its init, user first. */
export function joinPaths(spec: Spec, initPid: number): { flag: number; path: string }[] {
  const types = new Set((spec.linux?.namespaces ?? []).map((ns) => ns.type));
  return JOIN_ORDER.filter((t) => types.has(t)).map((t) => ({
    flag: CLONE_FLAG[t],
    path: `/proc/${initPid}/ns/${PROC_NS[t]}`,
  }));
}

/** Returns the exit code of the process (0 once started when detached). */
export async function execInContainer(opts: ExecOptions): Promise<number> {
  // onSpawn's cgroup moves find the migration lock warm (lib/cgroups/prime.ts).
  const mounts = hostMounts();
  using _warm = opts.cgroupWarm ?? primeJoin(mounts);
  phase("mounts + cgroup warming");
  const state = runningState(opts);
  phase("state read + status");
  const initRoot = `/proc/${state.pid}/root`;
  const passwd = readRootfsFile(initRoot, "/etc/passwd");
  const process = execProcess(state.config, opts.request, {
    passwd,
    group: readRootfsFile(initRoot, "/etc/group"),
  });
  phase("process + passwd");
  // The preserved fds keep their numbers: our 3, 4, … are the process's.
  const fds = new ChildFds(Array.from({ length: opts.preserveFds ?? 0 }, (_, i) => 3 + i));
  using tty = consoleFor(process.terminal === true, opts.consoleSocket, !opts.detach);
  const consoleSocketFd = tty ? fds.add(tty.initEnd) : undefined;
  using pidfdSocket = openPidfdSocket(opts.pidfdSocket);
  phase("console + fds");
  const host = execHostFacts();
  // A joined user namespace that denies setgroups(2) refuses it to us too.
  const setgroupsDeny = readKernelFileIfExists(`/proc/${state.pid}/setgroups`)?.trim() === "deny";
  phase("host facts");
  const seccomp = await compileSeccompOf(state.config);
  phase("seccomp");
  const plan = setnsInitPlan({
    spec: state.config,
    process,
    consoleSocketFd,
    preservedFds: fds.preserved.length,
    home: envHasHome(process.env) ? undefined : homeFor(passwd, process.user.uid),
    setgroupsDeny,
    seccomp,
    lsm: host.lsm ?? { apparmor: false, selinux: false },
    capLastCap: host.capLastCap,
    numaNodes: host.numaNodes,
    jail: hasNamespace(state.config, "mount") ? undefined : initRoot,
  });
  phase("planning");
  opts.onPlan?.(plan);
  const bootstrap = encodeBootstrap({
    cloneFlags: 0,
    nsPaths: joinPaths(state.config, state.pid),
    setgroupsDeny,
    oomScoreAdj: process.oomScoreAdj,
    logLevel: opts.logLevel ?? LogLevel.warn,
    plan,
  });
  phase("encode");
  const init = await launchInit({
    bootstrap,
    plan,
    stdio: opts.stdio ?? [0, 1, 2],
    fds,
    onSpawn: (stage0) => joinContainer(state, stage0, mounts, opts.subCgroups),
    // The exec'd process's listener goes where the container's went (runc's setnsProcess).
    onSeccompListener: listenerAgent(state.config.linux?.seccomp, state, { initPid: state.pid }),
    onLog: opts.onLog,
    affinity: execAffinityPlan(process.execCPUAffinity),
  });
  tty?.releaseInitEnd();
  try {
    pidfdSocket?.send(init.pid, "setns");
  } catch (err) {
    killAndReap(init.pid);
    throw err;
  }
  if (opts.pidFile) writePidFile(opts.pidFile, init.pid);
  opts.onStarted?.(init.pid);
  if (opts.detach) return 0;
  const master = tty && opts.consoleSocket === undefined ? (await tty.receive()).fd : undefined;
  return await waitInForeground(init.pid, { master });
}

/** The container's state, when it runs (or is paused and --ignore-paused). */
function runningState(opts: ExecOptions): ContainerState {
  const state = readState(opts.root, opts.id);
  const status = containerStatus(opts.root, state);
  if (status === "stopped") throw new StateError(opts.id, "cannot exec in a stopped container");
  if (status === "paused" && !opts.ignorePaused) {
    throw new StateError(opts.id, "cannot exec in a paused container (use --ignore-paused)");
  }
  return state;
}

/** Stage 0 joins the container's cgroups (or sub-cgroups) and its resctrl group. */
async function joinContainer(
  state: ContainerState,
  stage0: number,
  mounts: readonly MountInfo[],
  subCgroups: SubCgroups | undefined,
): Promise<void> {
  joinCgroupsOf(state.pid, stage0, mounts, subCgroups);
  if (state.intelRdt) {
    const { joinRdt } = await load<typeof import("../intelrdt/host.ts")>("lib/intelrdt/host.ts");
    joinRdt(state.intelRdt, stage0);
  }
}

/** linux.seccomp compiled; libseccomp is loaded only when there is a profile. */
async function compileSeccompOf(spec: Spec): Promise<SeccompProgram | undefined> {
  const profile = spec.linux?.seccomp;
  if (!profile) return undefined;
  const { compileSeccomp } = await load<typeof import("../seccomp/compile.ts")>(
    "lib/seccomp/compile.ts",
  );
  return compileSeccomp(profile);
}
