// The bundle's entry (build/bundle/cli.js, what the launchers run): reads
// which command argv asks for and loads that command's one file of the
// bundle (cmd/<name>.js, or cmd/_main.js for help, --version and errors),
// which holds cli.ts and everything the command may load. Nothing here
// keeps state: the command's file has the only log queue, FFI handle and
// trace. See packaging/bundle.sh.
//
// Permissions: --allow-read (the bundle).

import { commandToLoad } from "../lib/commands/table.ts";

const dispatchedAt = performance.now();
const file = `./cmd/${commandToLoad(Deno.args) ?? "_main"}.js`;
const { runCli } = await import(new URL(file, import.meta.url).href);
await runCli(Deno.args, { dispatchedAt });
