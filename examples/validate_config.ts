// Validates a bundle's config.json read from stdin, with no permission at
// all (Deno lets every program read its own stdin):
//
//   deno run examples/validate_config.ts < /path/to/bundle/config.json
//
// Prints what the container would run, or the first problem with its JSON
// pointer, and exits 1 on a bad config.
//
// Permissions: none.

import { ConfigError, validateConfig } from "../mod.ts";

const text = await new Response(Deno.stdin.readable).text();
try {
  const spec = validateConfig(text);
  const args = spec.process?.args?.join(" ") ?? "";
  console.log(`valid: OCI ${spec.ociVersion}, runs "${args}" in ${spec.root?.path}`);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`invalid: ${err.message}`);
  Deno.exit(1);
}
