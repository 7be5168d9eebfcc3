// `containerd-shim-runo-v2 … start`: print the address of a server that
// will serve task -id. The group's server (one per containerd address and
// namespace) is claimed if it runs; otherwise one is spawned (detached,
// its own session, no stdio: containerd waits for start's output to
// close) with exactly the permissions it needs, its --allow-net scoped to
// its socket and containerd's ttrpc socket. The address is also written
// to the bundle's `address` file, where containerd looks after a restart.
//
// Permissions: --allow-ffi, --allow-read, --allow-write (address file),
// --allow-env, --allow-run (the server).

import type { ShimFlags } from "./flags.ts";
import { socketPath, unixAddress } from "./address.ts";
import { claim } from "./claim.ts";

const WAIT_MS = 10_000;

export async function startShim(flags: ShimFlags): Promise<string> {
  await drainStdin(); // containerd writes the task options there
  const path = socketPath(flags.address, flags.namespace);
  if (!claim(path, flags.id)) {
    spawnServer(flags, path);
    const deadline = Date.now() + WAIT_MS;
    while (!claim(path, flags.id)) {
      if (Date.now() > deadline) throw new Error(`the shim server did not listen on ${path}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  const address = unixAddress(path);
  Deno.writeTextFileSync("address", address);
  return address;
}

function spawnServer(flags: ShimFlags, path: string): void {
  const ttrpc = (Deno.env.get("TTRPC_ADDRESS") ?? "").replace(/^unix:\/\//, "");
  const net = [path, ...(ttrpc ? [ttrpc] : [])].map((p) => `unix:${p}`).join(",");
  const args = [
    "run",
    "--no-prompt",
    "--no-config",
    "--no-npm",
    "--no-remote",
    "--allow-ffi",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    `--allow-net=${net}`,
    Deno.mainModule,
    "-namespace",
    flags.namespace,
    "-address",
    flags.address,
    "-publish-binary",
    flags.publishBinary,
    "-socket",
    path,
    ...(flags.debug ? ["-debug"] : []),
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: "/",
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  child.unref();
}

async function drainStdin(): Promise<void> {
  if (Deno.stdin.isTerminal()) return;
  for await (const _ of Deno.stdin.readable) { /* the options: Create carries them too */ }
}
