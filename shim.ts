// containerd-shim-runo-v2: containerd's runtime v2 shim for runo
// (runtime name io.containerd.runo.v2). containerd runs it as
// `… start` (print the address of a server for the task), `… delete`
// (clean up after a closed connection or a dead server), and `start`
// spawns the server itself (no action, -socket). The server runs
// containers in-process through mod.ts; no runo CLI is spawned. See
// shim/README.md.
//
// Permissions: start --allow-ffi --allow-read --allow-write --allow-env
// --allow-run; delete the same less --allow-run; the server what
// shim/server.ts says.

import { load } from "./lib/lazy.ts";
import { FlagError, parseShimFlags } from "./shim/flags.ts";
import { RUNO_VERSION } from "./lib/version.ts";

const NAME = "containerd-shim-runo-v2";

async function main(argv: readonly string[]): Promise<number> {
  const flags = parseShimFlags(argv);
  if (flags.version) {
    console.log(`${NAME}:\n  Version:  runo ${RUNO_VERSION}`);
    return 0;
  }
  if (flags.namespace === "") throw new FlagError("shim namespace cannot be empty");
  switch (flags.action) {
    case "start": {
      const { startShim } = await load<typeof import("./shim/start.ts")>("shim/start.ts");
      await Deno.stdout.write(new TextEncoder().encode(await startShim(flags)));
      return 0;
    }
    case "delete": {
      const { deleteShim } = await load<typeof import("./shim/delete.ts")>("shim/delete.ts");
      await Deno.stdout.write(await deleteShim(flags));
      return 0;
    }
    case "": {
      if (flags.socket === "") {
        throw new FlagError("the server needs -socket (it is started by start)");
      }
      const { serve } = await load<typeof import("./shim/server.ts")>("shim/server.ts");
      await serve(flags);
      return 0;
    }
    default:
      throw new FlagError(`unknown action "${flags.action}": want start or delete`);
  }
}

try {
  Deno.exit(await main(Deno.args));
} catch (err) {
  console.error(`${NAME}: ${(err as Error).message}`);
  Deno.exit(1);
}
