// create: bundle → validated spec → plan → init waiting on the exec fifo,
// recorded in <root>/<id>/state.json. On failure nothing is left behind:
// the init is killed and reaped and the state directory removed.
//
// Permissions: --allow-ffi, --allow-read, --allow-write, --allow-env.

import { load } from "../lazy.ts";
import { loadBundleSpec, validateForCreate } from "../spec/mod.ts";
import { type HostSteps, hostSteps } from "./host_steps.ts";
import { configWarnings } from "../spec/warned_fields.ts";
import type { Spec } from "../spec/types.ts";
import { standardInitPlan } from "../../init/standard_init.ts";
import type { HostFacts } from "../bootstrap/host_facts.ts";
import { unsupportedCaps } from "../../init/capabilities.ts";
import { lsmWarnings } from "../../init/lsm.ts";
import type { SeccompProgram } from "../../init/seccomp.ts";
import { log } from "../log/log.ts";
import { phase } from "../log/trace.ts";
import { hasNamespace, hostIdOf, namespaceBootstrap } from "../../init/namespaces.ts";
import { checkJoinPaths } from "../namespaces/join.ts";
import { bindTrees } from "../namespaces/idmap_trees.ts";
import { rootlessSetup, type RootlessUserns } from "../rootless/setup.ts";
import { encodeBootstrap } from "../bootstrap/encode.ts";
import { LogLevel } from "../bootstrap/ids.ts";
import type { Plan } from "../bootstrap/plan.ts";
import { type InitProcess, launchInit } from "../process/init_process.ts";
import { ChildFds } from "../process/child_fds.ts";
import { checkId, type ContainerState } from "../state/state.ts";
import {
  containerDir,
  createContainerDir,
  fifoPath,
  lockDir,
  removeContainerDir,
  writePidFile,
  writeState,
} from "../state/store.ts";
import { close, mkfifo, O_PATH, open } from "../../ffi/syscalls.ts";
import { killAndReap } from "../process/reap.ts";
import { hostFacts } from "./host_facts.ts";
import { envHasHome, homeFor } from "./passwd.ts";
import { readRootfsFile } from "./rootfs_files.ts";
import { procStat } from "./status.ts";
import { faultPoint, initStallMs } from "../process/fault.ts";
import { recordCreating } from "./crashed.ts";
import type { ContainerCgroups } from "../cgroups/container.ts";
import { hostCgroupLayout } from "../cgroups/host.ts";
import { hostMounts } from "../mounts/host_mounts.ts";
import type { MountInfo } from "../mounts/mountinfo.ts";
import { ownProcsFile } from "../cgroups/layout.ts";
import { primeCgroupMoves } from "../cgroups/prime.ts";
import { type CreateHooks, prepareCreateHooks } from "../hooks/lifecycle.ts";
import { consoleFor } from "../process/console.ts";
import { inheritedFds, withEnv } from "../process/listen_fds.ts";
import { withNotifySocket } from "../notify/plan.ts";
import { listenerAgent } from "../seccomp/notify.ts";
import { HostRootfsMount } from "./host_rootfs.ts";
import { OCI_VERSION } from "../version.ts";
import { INIT_AFFINITY } from "../process/cpu_affinity.ts";
import { openPidfdSocket } from "../process/pidfd_socket.ts";

export interface CreateOptions {
  readonly root: string;
  readonly id: string;
  readonly bundle: string;
  readonly pidFile?: string;
  readonly noPivot?: boolean;
  /** How many fds after 0–2 the container inherits (runc --preserve-fds). */
  readonly preserveFds?: number;
  /** The container's fds 0–2; the caller's own by default. */
  readonly stdio?: readonly [number, number, number];
  /** Called with the plan before it runs (`--debug` prints it). */
  readonly onPlan?: (plan: Plan) => void;
  readonly onLog?: (level: string, msg: string) => void;
  readonly logLevel?: number;
  /** The global --systemd-cgroup flag. */
  readonly systemdCgroup?: boolean;
  /** The global --rootless value; auto (the default) detects it (lib/rootless). */
  readonly rootless?: string;
  /** Unix socket that receives the pty master when process.terminal is set. */
  readonly consoleSocket?: string;
  /** Foreground run: receives the pty master instead of a console socket. */
  readonly onConsoleMaster?: (master: number) => void;
  /** Unix socket that receives a pidfd of the init (runc --pidfd-socket). */
  readonly pidfdSocket?: string;
  /**
   * The cgroup migration lock's warming (lib/cgroups/prime.ts) when the
   * caller started it earlier (the CLI's bundle entry); create ends it.
   */
  readonly cgroupWarm?: Disposable;
}

export async function createContainer(opts: CreateOptions): Promise<ContainerState> {
  checkId(opts.id);
  // onSpawn's cgroup writes find the migration lock warm (lib/cgroups/prime.ts).
  const mounts = hostMounts();
  const layout = hostCgroupLayout(mounts);
  using _warm = opts.cgroupWarm ?? primeCgroupMoves((own) => ownProcsFile(layout, own));
  const notify = await notifySetup(containerDir(opts.root, opts.id));
  const { spec, bundle, rootfs } = await loadBundleSpec(opts.bundle);
  validateForCreate(spec);
  phase("bundle read + validation");
  await checkJoinPaths(spec);
  const { userns, cgroups, rootless } = await rootlessSetup(
    spec,
    opts.id,
    opts.rootless,
    opts.systemdCgroup,
    layout,
  );
  phase("rootless + cgroup manager");
  const steps = await hostSteps(spec, opts.id, rootless);
  using pidfdSocket = openPidfdSocket(opts.pidfdSocket);
  const dir = createContainerDir(opts.root, opts.id);
  faultPoint("dir");
  let state: ContainerState | undefined;
  let hostRootfs: HostRootfsMount | undefined;
  try {
    using _lock = lockDir(dir);
    cgroups.checkExisting();
    hostRootfs = HostRootfsMount.of(hasNamespace(spec, "mount"), rootfs);
    recordCreating(dir, { cgroup: cgroups.record, hostRootfs: hostRootfs?.before });
    notify?.makeDir();
    const launch = {
      cgroups,
      rootless,
      userns,
      notifySocket: notify?.host,
      hostRootfs,
      steps,
      mounts,
    };
    phase("state dir + lock");
    state = await startInit(opts, dir, spec, bundle, rootfs, launch);
    faultPoint("state");
    pidfdSocket?.send(state.pid, "standard");
    writeState(dir, state);
    if (opts.pidFile) writePidFile(opts.pidFile, state.pid);
    phase("state write");
    return state;
  } catch (err) {
    // The init is our child (CLONE_PARENT from stage 1).
    if (state) killAndReap(state.pid);
    hostRootfs?.undo();
    steps.cleanup();
    await cgroups.cleanup();
    removeContainerDir(opts.root, opts.id);
    throw err;
  }
}

/** What create set up before the init is launched. */
interface Launch {
  readonly cgroups: ContainerCgroups;
  /** runo runs rootless (lib/rootless): it cannot clone bind sources. */
  readonly rootless: boolean;
  readonly userns: RootlessUserns;
  readonly notifySocket: string | undefined;
  /** No mount namespace: the rootfs bind the init makes on the host. */
  readonly hostRootfs: HostRootfsMount | undefined;
  /** netDevices and intelRdt, at procReady (lib/container/host_steps.ts). */
  readonly steps: HostSteps;
  /** The host's mount table, read once at the start of create. */
  readonly mounts: readonly MountInfo[];
}

async function startInit(
  opts: CreateOptions,
  dir: string,
  spec: Spec,
  bundle: string,
  rootfs: string,
  launch: Launch,
): Promise<ContainerState> {
  const { cgroups, rootless, userns, notifySocket } = launch;
  const inherited = inheritedFds(
    opts.preserveFds ?? 0,
    Deno.env.get("LISTEN_FDS"),
    Deno.env.get("LISTEN_PID"),
    Deno.pid,
  );
  using tty = consoleFor(
    spec.process?.terminal === true,
    opts.consoleSocket,
    opts.onConsoleMaster !== undefined,
  );
  const fifo = makeExecFifo(dir, spec);
  try {
    const base = { ociVersion: OCI_VERSION, id: opts.id, bundle, annotations: spec.annotations };
    using hooks = prepareCreateHooks(dir, base, spec);
    const fds = new ChildFds(inherited.fds);
    const execFifoFd = fds.add(fifo);
    const hookStateFd = hooks.stateFd === undefined ? undefined : fds.add(hooks.stateFd);
    const consoleSocketFd = tty ? fds.add(tty.initEnd) : undefined;
    phase("exec fifo + hooks + fds");
    const host = cgroups.hostFacts(hostFacts(rootfs, launch.mounts));
    phase("host facts");
    using trees = await bindTrees(spec, bundle, fds, rootless);
    const seccomp = await securityChecks(spec, host);
    phase("idmaps + caps + seccomp");
    const plan = standardInitPlan({
      spec: withEnv(notifySocket ? withNotifySocket(spec, dir) : spec, inherited.env),
      bundle,
      rootfs,
      noPivot: opts.noPivot ?? false,
      execFifoFd,
      preservedFds: fds.preserved.length,
      hookStateFd,
      consoleSocketFd,
      host,
      seccomp,
      home: homeOf(spec, rootfs),
      treeFds: trees.initFds,
      setgroupsDeny: userns.setgroupsDeny,
    });
    phase("planning");
    opts.onPlan?.(plan);
    const listener = listenerAgent(spec.linux?.seccomp, base);
    const init = await spawnInit(opts, spec, plan, fds, launch, hooks, listener);
    await tty?.handOff(opts.onConsoleMaster);
    phase("console hand-off");
    return createdState(init.pid, { ...base, rootfs, spec, launch });
  } finally {
    close(fifo);
  }
}

/**
 * The plan encoded and the init started in its cgroups; at procReady the
 * host's steps, then the prestart hooks (the devices are in place before
 * they run, as runc's).
 */
function spawnInit(
  opts: CreateOptions,
  spec: Spec,
  plan: Plan,
  fds: ChildFds,
  launch: Launch,
  hooks: CreateHooks,
  onSeccompListener: ((fd: number, pid: number) => void) | undefined,
): Promise<InitProcess> {
  const { cgroups, userns, hostRootfs, steps } = launch;
  const bootstrap = encodeBootstrap({
    ...namespaceBootstrap(spec),
    ...userns,
    oomScoreAdj: spec.process?.oomScoreAdj,
    logLevel: opts.logLevel ?? LogLevel.warn,
    plan,
  });
  phase("encode");
  return launchInit({
    bootstrap,
    plan,
    stdio: opts.stdio ?? [0, 1, 2],
    fds,
    onSpawn: cgroups.onSpawn,
    onReady: cgroups.onReady(async (pid) => {
      phase("procReady: cgroup limits");
      hostRootfs?.onReady();
      steps.onReady(pid);
      await hooks.onReady(pid);
      phase("procReady: hooks");
    }),
    onLog: opts.onLog,
    affinity: INIT_AFFINITY,
    stall: { ms: initStallMs(), onStall: cgroups.thaw },
    onSeccompListener,
  });
}

/**
 * <dir>/exec.fifo, opened O_PATH for the init. As runc: the container's
 * root must be able to open it for writing, whatever our umask and
 * whichever host uid it maps to.
 */
function makeExecFifo(dir: string, spec: Spec): number {
  mkfifo(fifoPath(dir), 0o622);
  Deno.chmodSync(fifoPath(dir), 0o622);
  Deno.chownSync(
    fifoPath(dir),
    hostIdOf(spec.linux?.uidMappings, 0),
    hostIdOf(spec.linux?.gidMappings, 0),
  );
  return open(fifoPath(dir), O_PATH);
}

/** HOME from the rootfs's /etc/passwd, when process.env sets none (runc's prepareEnv). */
function homeOf(spec: Spec, rootfs: string): string | undefined {
  if (envHasHome(spec.process?.env)) return undefined;
  return homeFor(readRootfsFile(rootfs, "/etc/passwd"), spec.process?.user.uid ?? 0);
}

/** The state.json of a container whose init `pid` waits on the exec fifo. */
function createdState(
  pid: number,
  c: {
    readonly ociVersion: string;
    readonly id: string;
    readonly bundle: string;
    readonly rootfs: string;
    readonly spec: Spec;
    readonly launch: Launch;
  },
): ContainerState {
  const { cgroups, steps, notifySocket, hostRootfs } = c.launch;
  return {
    ociVersion: c.ociVersion,
    id: c.id,
    pid,
    bundle: c.bundle,
    rootfs: c.rootfs,
    created: new Date().toISOString(),
    owner: "",
    annotations: c.spec.annotations,
    initStartTime: procStat(pid)?.startTime ?? "",
    config: c.spec,
    cgroup: cgroups.record,
    ...steps.record(),
    ...(notifySocket ? { notifySocket } : {}),
    ...(hostRootfs?.record ? { hostRootfsMount: hostRootfs.record } : {}),
  };
}

/**
 * NOTIFY_SOCKET in runo's environment (systemd, conmon): the host's socket,
 * checked before anything is made, and the maker of <state dir>/notify.
 */
async function notifySetup(
  dir: string,
): Promise<{ host: string; makeDir: () => void } | undefined> {
  const host = Deno.env.get("NOTIFY_SOCKET");
  if (!host) return undefined;
  const { checkHostSocket, makeNotifyDir } = await load<typeof import("../notify/socket.ts")>(
    "lib/notify/socket.ts",
  );
  checkHostSocket(host, dir);
  return { host, makeDir: () => makeNotifyDir(dir) };
}

/**
 * Warns about capabilities the kernel lacks (runc does too) and compiles
 * linux.seccomp; libseccomp is loaded only when the config has a profile.
 */
async function securityChecks(spec: Spec, host: HostFacts): Promise<SeccompProgram | undefined> {
  const missing = unsupportedCaps(spec.process?.capabilities, host.capLastCap);
  for (const m of missing) log.warn(`capability not supported by this kernel, ignored: ${m}`);
  for (const w of configWarnings(spec)) log.warn(w);
  for (const w of host.lsm ? lsmWarnings(spec, host.lsm) : []) log.warn(w);
  const profile = spec.linux?.seccomp;
  if (!profile) return undefined;
  const { compileSeccomp } = await load<typeof import("../seccomp/compile.ts")>(
    "lib/seccomp/compile.ts",
  );
  return compileSeccomp(profile, (msg) => log.debug(msg));
}
