// Runs the container of a bundle in the foreground, collects what it
// printed, and reports it with the exit code. As root:
//
//   deno run --allow-ffi --allow-read --allow-write --allow-env \
//     examples/run_container.ts [--root DIR] /path/to/bundle [id]
//
// --root is the state directory (default /run/runo), as the CLI's.
//
// Permissions: --allow-ffi, --allow-read, --allow-write, --allow-env.

import { parseArgs } from "node:util";
import { Runtime } from "../mod.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: { root: { type: "string", default: "/run/runo" } },
  allowPositionals: true,
});
const [bundle, id = `example-${Date.now()}`] = positionals;
if (!bundle) {
  console.error("usage: run_container.ts [--root DIR] BUNDLE [ID]");
  Deno.exit(2);
}

const runtime = new Runtime({ root: values.root });
try {
  const { code, stdout, stderr } = await runtime.output(id, bundle);
  console.log(`exit code: ${code}`);
  console.log(`stdout: ${JSON.stringify(stdout)}`);
  console.log(`stderr: ${JSON.stringify(stderr)}`);
  Deno.exit(code === 0 ? 0 : 1);
} catch (err) {
  console.error(`run_container: ${(err as Error).message}`);
  Deno.exit(1);
}
