// Test helper: loads runo's cgroup v2 device filter for RULES_JSON into the
// kernel and attaches it to the cgroup2 directory DIR, in place of the
// filter attached there before; prints how many device programs DIR has.
// Usage: deno run --allow-ffi --allow-read --allow-env attach_device_filter.ts DIR RULES_JSON
//
// Permissions: --allow-ffi, --allow-read, --allow-env.

import { attachDeviceFilter } from "../../../lib/cgroups/v2/device_filter_attach.ts";
import { attachedDevicePrograms } from "../../../ffi/bpf.ts";

const [dir, rules] = Deno.args;
attachDeviceFilter(dir, JSON.parse(rules));
console.log(`attached ${attachedDevicePrograms(dir).length}`);
