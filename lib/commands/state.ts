// runo state <container-id>
// Permissions: as lib/container/query.ts.
import type { Command } from "./command.ts";
import { containerId } from "./command.ts";
import { containerState } from "../container/query.ts";

export const command: Command = {
  name: "state",
  usage: "runo state <container-id>",
  summary: "output the state of a container",
  args: { min: 1, max: 1 },
  description:
    "The state command prints the OCI state of a container as JSON: id, status (created, running, paused or stopped), init pid, bundle, annotations.",
  flags: [],
  run(ctx, parsed) {
    console.log(JSON.stringify(containerState(ctx.root, containerId(parsed, "state")), null, 2));
    return Promise.resolve(0);
  },
};
