// E2E: Kubernetes' view. containerd's CRI plugin, with a `runo` runtime
// handler (runtime_type io.containerd.runo.v2, as the README configures
// it), runs a pod's whole life as kubelet would ask for it, through the
// CRI gRPC API (tests/e2e/helpers/cri_pod.ts; crictl is not packaged
// here): RunPodSandbox with a pause image built here, CreateContainer,
// StartContainer, ExecSync, ContainerStats, StopContainer, StopPodSandbox,
// RemovePodSandbox. Then nothing of the pod may be left. A private
// containerd, no CNI (the pod uses the host's network).
// RUNO_E2E_SHIM=io.containerd.runc.v2 runs the same pod through runc's shim.
//
// Permissions: read, write, run, env (as root).

import { assertEquals, assertMatch } from "../../lib/testing/assert.ts";
import { host, REPO_ROOT } from "../fixtures/runo.ts";
import { childCgroups, listDir, mountsUnder, pidsMentioning } from "./engines.ts";
import { Containerd } from "./containerd_engine.ts";
import { makeImageFiles, makePauseImage } from "./image.ts";
import { scenario } from "./scenarios.ts";
import { socketPath } from "../../shim/address.ts";

const RUNTIME = Deno.env.get("RUNO_E2E_SHIM") || "io.containerd.runo.v2";
const PAUSE = "localhost/runo-pause:e2e";
const IMAGE = "localhost/runo-busybox:cri";

/** The CRI plugin's config, as README.md's Kubernetes section gives it. */
function criConfig(dir: string): string {
  return [
    '[plugins."io.containerd.grpc.v1.cri"]',
    `  sandbox_image = "${PAUSE}"`,
    '  stream_server_address = "127.0.0.1"',
    '  stream_server_port = "0"',
    // No CAP_SYS_RESOURCE here: the pause's oom_score_adj of -998 cannot be
    // written (by runc either); the CRI then keeps containerd's own.
    "  restrict_oom_score_adj = true",
    '  [plugins."io.containerd.grpc.v1.cri".containerd]',
    '    snapshotter = "native"',
    '    default_runtime_name = "runo"',
    '    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runo]',
    `      runtime_type = "${RUNTIME}"`,
    '  [plugins."io.containerd.grpc.v1.cri".cni]',
    `    bin_dir = "${dir}/cni/bin"`,
    `    conf_dir = "${dir}/cni/conf"`,
  ].join("\n");
}

scenario("cri", "a pod's whole lifecycle through the CRI API on the runo handler", async () => {
  Deno.env.set("RUNO_SHIM_LINGER_MS", "300");
  const c = await Containerd.start({ path: [`${REPO_ROOT}/build`], cri: criConfig });
  try {
    const pause = await makePauseImage(`${c.dir}/pause-image`, PAUSE);
    const busybox = await makeImageFiles(`${c.dir}/cri-image`, IMAGE);
    for (const tar of [pause, busybox.ociTar]) {
      const imp = await c.ctrIn("k8s.io", ["images", "import", "--snapshotter", "native", tar]);
      assertEquals(imp.code, 0, imp.stderr);
    }
    const logDir = `${c.dir}/pod-logs`;
    await Deno.mkdir(logDir);
    // The pod's cgroup parent is the fixture's namespace: its clean-up reaps it.
    const cgroupParent = `/${c.namespace}`;
    const r = await host(Deno.execPath(), [
      "run",
      "--no-prompt",
      `--allow-net=unix:${c.socket}`,
      "--allow-read",
      `--allow-write=${c.socket}`,
      "--allow-env",
      `${REPO_ROOT}/tests/e2e/helpers/cri_pod.ts`,
      c.socket,
      "runo",
      IMAGE,
      logDir,
      cgroupParent,
    ], { timeoutMs: 120_000 });
    const seen = JSON.parse(r.stdout.trim().split("\n").pop() || "{}");
    assertEquals(seen.error, undefined, `${r.stdout}\n${r.stderr}`);
    assertEquals(seen.pod, true);
    assertEquals(seen.container, true);
    // The exec'd process shares the pod's pid namespace: its pid 1 is the pause.
    assertMatch(seen.exec.stdout, /^exec \S+ \/pause\n$/);
    assertEquals([seen.exec.stderr, seen.exec.exitCode], ["oops\n", 3]);
    assertEquals(seen.stats, { id: true, cpu: true, memory: true });
    assertEquals(seen.removed, true);
    // The container's stdout reached the CRI's log through the shim's fifos.
    assertMatch(seen.log, /stdout F started\n/);
    // Nothing of the pod is left: tasks, runo state, shim server, mounts, cgroups.
    const tasks = await c.ctrIn("k8s.io", ["tasks", "list", "--quiet"]);
    assertEquals(tasks.stdout, "");
    assertEquals(await listDir("/run/containerd/runo/k8s.io"), []);
    // Shims are started with -address <containerd's socket>; runo's lingers 300 ms.
    for (let i = 0; i < 100 && (await pidsMentioning(c.socket)).length; i++) {
      await new Promise((ok) => setTimeout(ok, 50));
    }
    assertEquals(await pidsMentioning(c.socket), []);
    assertEquals(await mountsUnder(`${c.dir}/state`), []);
    assertEquals(await childCgroups(c.namespace), []);
  } finally {
    await c.stop();
    const log = socketPath(c.socket, "k8s.io").replace(/.*\//, "");
    await Deno.remove(`/run/runo-shim/${log}.log`).catch(() => {});
  }
});
