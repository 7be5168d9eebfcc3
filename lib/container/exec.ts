// exec: run a new process inside a running container, as runc's exec
// does. TypeScript builds the whole plan here (the user resolved in the
// container's /etc/passwd and /etc/group, read through /proc/<init>/root
// with every symlink kept inside it); the C init joins the container's
// namespaces through a pidfd of its init (one setns(2), user first, mount
// included), lands in its cgroups before anything runs, and carries the
// plan out. The pidfd pins the init from the status check on
// (init_pin.ts): what runo read under /proc/<pid> is used only while the
// init still lives, so a pid reused by another process is refused, never
// joined. No Deno process ever enters the container. In the foreground the exec'd process is runo's
// child (CLONE_PARENT from stage 1): runo waits for it, forwards signals
// and returns its exit code.
//
// Permissions: --allow-ffi, --allow-read, --allow-write, --allow-env.

import { load } from "../lazy.ts";
import type { Spec } from "../spec/types.ts";
import { setnsInitPlan } from "../../init/setns_init.ts";
import type { SeccompProgram } from "../../init/seccomp.ts";
import { hasNamespace } from "../spec/namespaces.ts";
import { CLONE_FLAG } from "../bootstrap/clone_flags.ts";
import { envHasHome, homeFor } from "./passwd.ts";
import { encodeBootstrap } from "../bootstrap/encode.ts";
import { LogLevel } from "../bootstrap/ids.ts";
import type { Plan } from "../bootstrap/plan.ts";
import { launchInit } from "../process/init_process.ts";
import { ChildFds } from "../process/child_fds.ts";
import { type ConsoleChannel, consoleFor } from "../process/console.ts";
import { waitInForeground } from "../process/foreground.ts";
import { killAndReap } from "../process/reap.ts";
import { listenerAgent } from "../seccomp/notify.ts";
import { joinContainerCgroups, primeJoin } from "../process/join_cgroups.ts";
import { hostMounts } from "../mounts/host_mounts.ts";
import { readState, writePidFile } from "../state/store.ts";
import { type ContainerState, StateError } from "../state/state.ts";
import { readKernelFile, readKernelFileIfExists } from "../../ffi/kernfs.ts";
import { close, O_DIRECTORY, O_PATH, open } from "../../ffi/syscalls.ts";
import { readRootfsFile } from "./rootfs_files.ts";
import { pinInit, type PinnedInit } from "./init_pin.ts";
import { execHostFacts } from "./host_facts.ts";
import { execProcess, type ExecRequest } from "./exec_process.ts";
import { execAffinityPlan } from "../process/cpu_affinity.ts";
import { openPidfdSocket, type PidfdSocket } from "../process/pidfd_socket.ts";
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

/**
 * The CLONE_NEW* flags of every namespace of the container, joined as its
 * init's (one setns(2) on its pidfd orders them, user first); 0 for none.
 */
export function joinFlags(spec: Spec): number {
  let flags = 0;
  for (const ns of spec.linux?.namespaces ?? []) flags |= CLONE_FLAG[ns.type];
  return flags;
}

/** What exec reads of the container under /proc/<init>, before it may trust it. */
interface InitFacts extends Disposable {
  /** /proc/<init>/setgroups says "deny". */
  readonly setgroupsDeny: boolean;
  /** /proc/<init>/cgroup, the cgroups stage 0 joins. */
  readonly procCgroup: string;
  /** The init's root, opened (O_PATH), when the container has no mount namespace; closed at dispose. */
  readonly jailFd?: number;
}

/** Returns the exit code of the process (0 once started when detached). */
export async function execInContainer(opts: ExecOptions): Promise<number> {
  // onSpawn's cgroup moves find the migration lock warm (lib/cgroups/prime.ts).
  const mounts = hostMounts();
  using _warm = opts.cgroupWarm ?? primeJoin(mounts);
  phase("mounts + cgroup warming");
  const { state, init } = runningState(opts);
  using _pin = init;
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
  using facts = readInitFacts(state, init);
  const { setgroupsDeny } = facts;
  phase("host facts + init facts");
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
    jail: facts.jailFd === undefined ? undefined : { path: initRoot, fd: fds.add(facts.jailFd) },
  });
  phase("planning");
  opts.onPlan?.(plan);
  const flags = joinFlags(state.config);
  const bootstrap = encodeBootstrap({
    cloneFlags: 0,
    joinPidfd: flags === 0 ? undefined : { fd: fds.add(init.fd), flags },
    nsPaths: [],
    setgroupsDeny,
    oomScoreAdj: process.oomScoreAdj,
    logLevel: opts.logLevel ?? LogLevel.warn,
    plan,
  });
  phase("encode");
  let pid: number;
  try {
    ({ pid } = await launchInit({
      bootstrap,
      plan,
      stdio: opts.stdio ?? [0, 1, 2],
      fds,
      onSpawn: (stage0) => joinContainer(state, facts.procCgroup, stage0, mounts, opts.subCgroups),
      // The exec'd process's listener goes where the container's went (runc's setnsProcess).
      onSeccompListener: listenerAgent(state.config.linux?.seccomp, state, { initPid: state.pid }),
      onLog: opts.onLog,
      affinity: execAffinityPlan(process.execCPUAffinity),
    }));
  } catch (err) {
    // Exited since readInitFacts: setns(2) on its pidfd failed (ESRCH). Say why.
    throw init.exited() ? init.exitedError(err) : err;
  }
  return await started(pid, opts, tty, pidfdSocket);
}

/** The process runs: hand it on, then wait for it in the foreground (0 when detached). */
async function started(
  pid: number,
  opts: ExecOptions,
  tty: ConsoleChannel | undefined,
  pidfdSocket: PidfdSocket | undefined,
): Promise<number> {
  tty?.releaseInitEnd();
  try {
    pidfdSocket?.send(pid, "setns");
  } catch (err) {
    killAndReap(pid);
    throw err;
  }
  if (opts.pidFile) writePidFile(opts.pidFile, pid);
  opts.onStarted?.(pid);
  if (opts.detach) return 0;
  const master = tty && opts.consoleSocket === undefined ? (await tty.receive()).fd : undefined;
  return await waitInForeground(pid, { master });
}

/**
 * The container's state and a pin of its init, when it runs (or is paused
 * and --ignore-paused).
 */
function runningState(opts: ExecOptions): { state: ContainerState; init: PinnedInit } {
  const state = readState(opts.root, opts.id);
  const { status, init } = pinInit(opts.root, state, "exec");
  if (!init) throw new StateError(opts.id, "cannot exec in a stopped container");
  if (status === "paused" && !opts.ignorePaused) {
    init[Symbol.dispose]();
    throw new StateError(opts.id, "cannot exec in a paused container (use --ignore-paused)");
  }
  return { state, init };
}

/**
 * Reads the init's setgroups and cgroups, and opens its root for a jail;
 * then checks the init still lives (else throws, nothing kept open): until
 * it exits its pid is its own, so all of this is surely the init's.
 */
function readInitFacts(state: ContainerState, init: PinnedInit): InitFacts {
  const proc = `/proc/${state.pid}`;
  let jailFd: number | undefined;
  const closeJail = () => {
    if (jailFd !== undefined) close(jailFd);
  };
  let facts: InitFacts;
  try {
    if (!hasNamespace(state.config, "mount")) jailFd = open(`${proc}/root`, O_PATH | O_DIRECTORY);
    facts = {
      // A joined user namespace that denies setgroups(2) refuses it to us too.
      setgroupsDeny: readKernelFileIfExists(`${proc}/setgroups`)?.trim() === "deny",
      procCgroup: readKernelFile(`${proc}/cgroup`),
      jailFd,
      [Symbol.dispose]: closeJail,
    };
  } catch (err) {
    closeJail();
    throw init.exited() ? init.exitedError(err) : err;
  }
  if (!init.exited()) return facts;
  closeJail();
  throw init.exitedError();
}

/** Stage 0 joins the container's cgroups (or sub-cgroups) and its resctrl group. */
async function joinContainer(
  state: ContainerState,
  procCgroup: string,
  stage0: number,
  mounts: readonly MountInfo[],
  subCgroups: SubCgroups | undefined,
): Promise<void> {
  joinContainerCgroups(state.cgroup, procCgroup, stage0, mounts, subCgroups);
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
