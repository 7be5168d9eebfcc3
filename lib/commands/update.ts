// runo update [--resources FILE|-] [--memory …] <container-id>
// Permissions: as lib/container/update.ts.
import type { Command } from "./command.ts";
import { exactArgs } from "./command.ts";
import { parseResourcesJson, updateContainer } from "../container/update.ts";
import {
  intelRdtFromFlags,
  kernelMemoryWarning,
  resourcesFromFlags,
  UPDATE_FLAGS,
} from "./update_flags.ts";
import { log } from "../log/log.ts";
import type { Resources } from "../spec/types.ts";

async function readResources(path: string): Promise<Resources> {
  if (path === "-") {
    const text = await new Response(Deno.stdin.readable).text();
    return parseResourcesJson(text, "<stdin>");
  }
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    throw new Error(`Cannot read --resources file "${path}": ${(err as Error).message}`);
  }
  return parseResourcesJson(text, path);
}

export const command: Command = {
  name: "update",
  usage: "runo update [command options] <container-id>",
  summary: "update container resource constraints",
  flags: UPDATE_FLAGS,
  async run(ctx, parsed) {
    exactArgs(parsed, "update", 1);
    const file = parsed.values.resources as string | undefined;
    // As runc: --resources replaces the individual flags (not the RDT ones).
    const req = file !== undefined ? await readResources(file) : resourcesFromFlags(parsed);
    const kernel = file === undefined ? kernelMemoryWarning(parsed) : undefined;
    if (kernel) log.warn(kernel);
    const rdt = intelRdtFromFlags(parsed);
    for (const w of await updateContainer(ctx.root, parsed.positionals[0], req, rdt)) log.warn(w);
    return 0;
  },
};
