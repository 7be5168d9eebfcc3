// runo update [--resources FILE|-] [--memory …] <container-id>
// Permissions: as lib/container/update.ts.
import { defineCommand } from "./command.ts";
import { parseResourcesJson, updateContainer } from "../container/update.ts";
import {
  intelRdtFromFlags,
  kernelMemoryWarning,
  resourcesExample,
  resourcesFromFlags,
  UPDATE_FLAGS,
} from "./update_flags.ts";
import { log } from "../log/log.ts";
import type { Resources } from "../spec/types.ts";
import { CONFIG_MAX } from "../spec/load.ts";
import { readBoundedFile, readStreamUpTo } from "../bounded_file.ts";

function readResources(path: string): Resources {
  if (path === "-") {
    // A stream that goes on (`< /dev/zero`) is refused.
    const text = readStreamUpTo(Deno.stdin, CONFIG_MAX);
    if (text === null) {
      throw new Error(`Cannot read --resources from stdin: more than ${CONFIG_MAX} bytes`);
    }
    return parseResourcesJson(text, "<stdin>");
  }
  const as = { action: "read --resources file", path };
  return parseResourcesJson(readBoundedFile(path, { max: CONFIG_MAX }, as), path);
}

export const command = defineCommand({
  name: "update",
  usage: "runo update [command options] <container-id>",
  summary: "update container resource constraints",
  args: { min: 1, max: 1 },
  description:
    "The update command changes the cgroup limits of a running or paused container, from the flags or from --resources: a JSON file (or '-' for stdin) holding an OCI linux.resources object, as config.json's. Each group it names is merged field by field into the container's resources; values left out are unchanged. With --resources, the other flags are ignored, as in runc.",
  flags: UPDATE_FLAGS,
  notes:
    `The --resources format (any OCI linux.resources field; these are the flags' own):\n\n${resourcesExample()}`,
  async run(ctx, parsed) {
    const file = parsed.values.resources;
    // As runc: --resources replaces the individual flags (not the RDT ones).
    const req = file !== undefined ? readResources(file) : resourcesFromFlags(parsed);
    const kernel = file === undefined ? kernelMemoryWarning(parsed) : undefined;
    if (kernel) log.warn(kernel);
    const rdt = intelRdtFromFlags(parsed);
    for (const w of await updateContainer(ctx.root, parsed.positionals[0], req, rdt)) log.warn(w);
    return 0;
  },
});
