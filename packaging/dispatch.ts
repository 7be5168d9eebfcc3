// The bundle's entry (build/bundle/cli.js, what the launchers run): reads
// which command argv asks for and loads that command's one file of the
// bundle (cmd/<name>.js, or cmd/_main.js for help, --version and errors),
// which holds cli.ts and everything the command may load. See
// packaging/bundle.sh.
//
// For create, run and exec it first starts warming the kernel's cgroup
// migration lock (lib/cgroups/prime.ts), whose first wait (7-15 ms) then
// overlaps the load of the command's file, and hands the warming over to
// the command. That takes a binding of libnsexec.so of its own (the same
// library, loaded once); otherwise nothing here keeps state: the
// command's file has the only log queue, FFI handle and trace.
//
// Permissions: --allow-read (the bundle); create, run, exec: --allow-ffi.

import { commandToLoad } from "../lib/commands/table.ts";
import { warmOwnCgroupMoves } from "../lib/cgroups/prime.ts";

const WARMED = new Set(["create", "run", "exec"]);

const dispatchedAt = performance.now();
const name = commandToLoad(Deno.args);
const cgroupWarm = name && WARMED.has(name) ? warmEarly() : undefined;
const file = `./cmd/${name ?? "_main"}.js`;
const { runCli } = await import(new URL(file, import.meta.url).href);
await runCli(Deno.args, { dispatchedAt, cgroupWarm });

/** Only a gain: without FFI, or when anything fails, the command warms by itself. */
function warmEarly(): Disposable | undefined {
  try {
    return warmOwnCgroupMoves();
  } catch {
    return undefined;
  }
}
