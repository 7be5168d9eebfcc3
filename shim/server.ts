// The shim server: the long-lived process `start` spawns. It listens on
// the group's socket, reaps as a child subreaper, serves the Task service
// and runo's Claim, and exits once it has no task and no pending claim
// for LINGER ms after containerd's Shutdown (so that a stream of short
// containers finds it warm; RUNO_SHIM_LINGER_MS=0 exits at once).
//
// Permissions: --allow-ffi, --allow-read, --allow-write, --allow-env,
// --allow-net (unix:<socket>, unix:<TTRPC_ADDRESS>).

import type { ShimFlags } from "./flags.ts";
import { TtrpcServer } from "./ttrpc/server.ts";
import { Reaper } from "../ffi/reaper.ts";
import { Publisher } from "./events.ts";
import { TaskService } from "./task/service.ts";
import { registerTaskService } from "./task/register.ts";
import { removeEmptyRoots } from "./task/options.ts";
import { ClaimRequest, ClaimResponse, MANAGER_SERVICE } from "./proto/manager.ts";
import { shimLog } from "./log.ts";
import { runBinary } from "./binary.ts";

/** How long a claim keeps an idle server for a Create that may not come. */
const CLAIM_MS = 30_000;

export async function serve(flags: ShimFlags): Promise<void> {
  const log = shimLog(flags.socket, flags.debug);
  const listener = await listen(flags.socket);
  if (!listener) return; // another server of the group answers there
  const lingerMs = Number(Deno.env.get("RUNO_SHIM_LINGER_MS") ?? "2000");
  const reaper = new Reaper();
  reaper.start();
  const publisher = new Publisher({
    namespace: flags.namespace,
    ttrpcAddress: Deno.env.get("TTRPC_ADDRESS") ?? "",
    address: flags.address,
    publishBinary: flags.publishBinary,
    log,
    runBinary: (args, stdin) => runBinary(args, stdin, reaper),
  });
  const server = new TtrpcServer();
  const claims = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closing = false;
  const idle = () => service.tasks.size === 0 && [...claims.values()].every((t) => t < Date.now());
  const exitLater = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!idle()) return;
      log("no task left: exiting");
      // The socket goes in the same turn as the idle check, before any
      // await: a Claim is then either answered before it (and keeps the
      // server) or refused after it (start spawns a new server on the
      // free path). Closing the server ends serve(), and the process.
      closing = true;
      try {
        Deno.removeSync(flags.socket);
      } catch { /* gone already */ }
      removeEmptyRoots();
      await publisher.flushed();
      reaper.stop();
      server.close();
    }, ms);
  };
  const service = new TaskService({
    namespace: flags.namespace,
    publisher,
    reaper,
    log,
    onIdle: (now) => exitLater(now ? 0 : lingerMs),
  });
  registerTaskService(
    server,
    service,
    flags.debug || Deno.env.get("RUNO_SHIM_TRACE") ? log : undefined,
  );
  server.register(MANAGER_SERVICE, "Claim", (payload) => {
    const { id } = ClaimRequest.decode(payload);
    if (closing) return Promise.reject(new Error("the shim server is exiting"));
    claims.set(id, Date.now() + CLAIM_MS);
    clearTimeout(timer);
    exitLater(CLAIM_MS + 100); // a claim that no Create follows expires
    return Promise.resolve(ClaimResponse.encode({ pid: Deno.pid }));
  });
  const create = service.create.bind(service);
  service.create = async (r) => {
    try {
      return await create(r);
    } finally {
      claims.delete(r.id);
    }
  };
  log(`serving ${flags.socket} for namespace ${flags.namespace}`);
  await server.serve(listener);
}

/** Listens on `path`; undefined when a live server holds it already. */
async function listen(path: string): Promise<Deno.Listener | undefined> {
  await Deno.mkdir(path.replace(/\/[^/]*$/, ""), { recursive: true, mode: 0o711 });
  try {
    return Deno.listen({ transport: "unix", path });
  } catch (err) {
    if (!(err instanceof Deno.errors.AddrInUse)) throw err;
  }
  try {
    (await Deno.connect({ transport: "unix", path })).close();
    return undefined;
  } catch {
    await Deno.remove(path).catch(() => {});
    return Deno.listen({ transport: "unix", path });
  }
}
