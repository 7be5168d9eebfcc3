// runo state <container-id>
// Permissions: as lib/container/query.ts.
import type { Command } from "./command.ts";
import { containerId } from "./command.ts";
import { containerState } from "../container/query.ts";

export const command: Command = {
  name: "state",
  usage: "runo state <container-id>",
  summary: "output the state of a container",
  flags: [],
  run(ctx, parsed) {
    console.log(JSON.stringify(containerState(ctx.root, containerId(parsed, "state")), null, 2));
    return Promise.resolve(0);
  },
};
