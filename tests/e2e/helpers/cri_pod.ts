// One pod's whole life through containerd's CRI gRPC API (what kubelet
// asks), with @grpc/grpc-js and the messages of tests/e2e/cri: prints a
// JSON line of what each step returned. Usage:
//   cri_pod.ts SOCKET HANDLER IMAGE LOGDIR CGROUP_PARENT
// Run with --allow-net=unix:SOCKET, --allow-read, --allow-write=SOCKET,
// --allow-env (grpc-js reads its GRPC_* settings).
//
// Permissions: --allow-net, --allow-read, --allow-write, --allow-env.

import * as grpc from "@grpc/grpc-js";
import type { MessageType } from "../../../shim/proto/schema.ts";
import * as M from "../cri/messages.ts";

const [socket, handler, image, logDir, cgroupParent] = Deno.args;
const client = new grpc.Client(`unix://${socket}`, grpc.credentials.createInsecure());

function call<Q, R>(method: string, req: MessageType<Q>, res: MessageType<R>, value: Partial<Q>) {
  return new Promise<R>((resolve, reject) => {
    client.makeUnaryRequest(
      `/runtime.v1.RuntimeService/${method}`,
      (v: Partial<Q>) => Buffer.from(req.encode(v)),
      (b: Buffer) => res.decode(new Uint8Array(b)),
      value,
      new grpc.Metadata(),
      { deadline: Date.now() + 60_000 },
      (err: grpc.ServiceError | null, r?: R) => err ? reject(err) : resolve(r!),
    );
  });
}

const seen: Record<string, unknown> = {};
const uid = crypto.randomUUID();
const sandboxConfig = M.PodSandboxConfig.create({
  metadata: { name: "runo-pod", uid, namespace: "e2e", attempt: 0 },
  logDirectory: logDir,
  // Host network: no CNI here.
  linux: {
    cgroupParent,
    securityContext: { namespaceOptions: { network: M.NODE, pid: 0, ipc: 0 } },
  },
});
let podId = "";
try {
  ({ podSandboxId: podId } = await call(
    "RunPodSandbox",
    M.RunPodSandboxRequest,
    M.RunPodSandboxResponse,
    {
      config: sandboxConfig,
      runtimeHandler: handler,
    },
  ));
  seen.pod = podId !== "";
  const { containerId } = await call(
    "CreateContainer",
    M.CreateContainerRequest,
    M.CreateContainerResponse,
    {
      podSandboxId: podId,
      config: M.ContainerConfig.create({
        metadata: { name: "app", attempt: 0 },
        image: { image },
        command: ["sh", "-c", "echo started; exec sleep 1000"],
        logPath: "app.log",
      }),
      sandboxConfig,
    },
  );
  seen.container = containerId !== "";
  await call("StartContainer", M.ContainerIdRequest, M.Empty, { containerId });
  const ex = await call("ExecSync", M.ExecSyncRequest, M.ExecSyncResponse, {
    containerId,
    cmd: [
      "sh",
      "-c",
      "echo exec $(hostname) $(cat /proc/1/cmdline | tr '\\0' ' '); echo oops >&2; exit 3",
    ],
    timeout: 20n,
  });
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  seen.exec = { stdout: text(ex.stdout), stderr: text(ex.stderr), exitCode: ex.exitCode };
  const { stats } = await call("ContainerStats", M.ContainerIdRequest, M.ContainerStatsResponse, {
    containerId,
  });
  seen.stats = {
    id: stats?.attributes?.id === containerId,
    cpu: Number(stats?.cpu?.usageCoreNanoSeconds?.value ?? 0n) > 0,
    memory: Number(stats?.memory?.workingSetBytes?.value ?? 0n) > 0,
  };
  await call("StopContainer", M.StopContainerRequest, M.Empty, { containerId, timeout: 2n });
  await call("StopPodSandbox", M.PodSandboxIdRequest, M.Empty, { podSandboxId: podId });
  await call("RemovePodSandbox", M.PodSandboxIdRequest, M.Empty, { podSandboxId: podId });
  seen.removed = true;
  seen.log = await Deno.readTextFile(`${logDir}/app.log`).catch((e) => `${e}`);
} catch (err) {
  seen.error = (err as Error).message;
  if (podId) {
    await call("StopPodSandbox", M.PodSandboxIdRequest, M.Empty, { podSandboxId: podId }).catch(
      () => {},
    );
    await call("RemovePodSandbox", M.PodSandboxIdRequest, M.Empty, { podSandboxId: podId }).catch(
      () => {},
    );
  }
} finally {
  client.close();
}
console.log(JSON.stringify(seen));
