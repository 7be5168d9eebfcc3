// The fixture of tests/e2e/shim_test.ts: one private containerd for the
// file, whose runtime is runo's shim (io.containerd.runo.v2) or, with
// RUNO_E2E_SHIM=io.containerd.runc.v2, runc's; ctr helpers, and one Task
// call straight to runo's shim server.
//
// Permissions: read, write, run, env (as root).

import { assertEquals } from "../../lib/testing/assert.ts";
import { host, REPO_ROOT } from "../fixtures/runo.ts";
import { Containerd } from "./containerd_engine.ts";
import { socketPath } from "../../shim/address.ts";

export const IMAGE = "docker.io/library/runo-busybox:e2e";
export const RUNTIME = Deno.env.get("RUNO_E2E_SHIM") || "io.containerd.runo.v2";
export const IS_RUNO = RUNTIME === "io.containerd.runo.v2";

let engine: Containerd | undefined;
export async function ctrd(): Promise<Containerd> {
  // A short linger: the leak checks wait for the server to go.
  Deno.env.set("RUNO_SHIM_LINGER_MS", "300");
  engine ??= await Containerd.start({ path: [`${REPO_ROOT}/build`] });
  return engine;
}

/** The file's containerd, handed over to be stopped: the next ctrd() starts another. */
export async function takeCtrd(): Promise<Containerd> {
  const c = await ctrd();
  engine = undefined;
  return c;
}

export const flags = () => ["--snapshotter", "native", "--runtime", RUNTIME];
export const show = (r: { code: number; stdout: string; stderr: string }) =>
  `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
export const stateRoot = (c: Containerd) =>
  `/run/containerd/${IS_RUNO ? "runo" : "runc"}/${c.namespace}`;
/** Scenarios that speak to runo's server socket or state directly. */
export const RUNO_ONLY = IS_RUNO
  ? {}
  : { ignore: "speaks to runo's shim socket and state directly" };
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(what: string, f: () => Promise<boolean>, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (await f()) return;
  throw new Error(`timed out waiting for ${what}`);
}

export async function runDetached(c: Containerd, id: string, ...args: string[]): Promise<void> {
  const r = await c.ctr(["run", "--detach", ...flags(), IMAGE, id, ...args]);
  assertEquals(r.code, 0, show(r));
}

export async function remove(c: Containerd, id: string): Promise<void> {
  await c.ctr(["tasks", "kill", "--signal", "SIGKILL", id]);
  await until(`${id} to stop`, async () => !/RUNNING|PAUSED/.test(await taskLine(c, id)));
  await c.ctr(["tasks", "delete", "--force", id]);
  await c.ctr(["containers", "delete", id]);
}

export async function taskLine(c: Containerd, id: string): Promise<string> {
  const ls = await c.ctr(["tasks", "list"]);
  return ls.stdout.split("\n").find((l) => l.startsWith(`${id} `)) ?? "";
}

/** One Task call on runo's server; the gRPC code of the answer ("0": success). */
export async function taskCall(c: Containerd, method: string, req: unknown): Promise<string> {
  const sock = serverSocket(c);
  const r = await host(Deno.execPath(), [
    "run",
    "--no-prompt",
    `--allow-net=unix:${sock}`,
    `--allow-read=${sock}`,
    `--allow-write=${sock}`,
    `${REPO_ROOT}/tests/e2e/helpers/task_call.ts`,
    sock,
    c.namespace,
    method,
    JSON.stringify(req),
  ]);
  return r.stdout.trim().split(" ")[0] || r.stderr;
}

/** The shim server of this containerd's namespace (runo's socket naming). */
export function serverSocket(c: Containerd): string {
  return socketPath(c.socket, c.namespace);
}
