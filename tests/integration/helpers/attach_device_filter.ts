// Test helper: loads runo's cgroup v2 device filter for RULES_JSON into the
// kernel and attaches it to the cgroup2 directory DIR, in place of the
// filters attached there before (with --add: beside them); prints how many
// device programs DIR has then.
// Usage: deno run --allow-ffi --allow-read --allow-env attach_device_filter.ts [--add] DIR RULES_JSON
//
// Permissions: --allow-ffi, --allow-read, --allow-env.

import { attachDeviceFilter } from "../../../lib/cgroups/v2/device_filter_attach.ts";
import { deviceFilterProgram, encodeProgram } from "../../../lib/cgroups/v2/device_filter.ts";
import { addDeviceProgram, attachedDevicePrograms, loadDeviceProgram } from "../../../ffi/bpf.ts";

const add = Deno.args[0] === "--add";
const [dir, rules] = Deno.args.slice(add ? 1 : 0);
if (add) {
  addDeviceProgram(dir, loadDeviceProgram(encodeProgram(deviceFilterProgram(JSON.parse(rules)))));
} else attachDeviceFilter(dir, JSON.parse(rules));
console.log(`attached ${attachedDevicePrograms(dir).length}`);
