// runo features: the OCI features document (runtime spec features.md), as
// `runc features` prints it.
// Permissions: as lib/features/probe.ts.
import type { Command } from "./command.ts";
import { buildFeatures } from "../features/features.ts";
import { probeFeatureFacts } from "../features/probe.ts";
import { RUNO_VERSION } from "../version.ts";

export const command: Command = {
  name: "features",
  usage: "runo features",
  summary: "show the enabled features",
  args: { min: 0, max: 0 },
  flags: [],
  async run() {
    const features = buildFeatures(await probeFeatureFacts(RUNO_VERSION));
    console.log(JSON.stringify(features, null, 4));
    return 0;
  },
};
