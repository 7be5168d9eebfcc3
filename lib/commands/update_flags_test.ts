import { assertEquals, assertThrows } from "../testing/assert.ts";
import { parseBytes, resourcesFromFlags } from "./update_flags.ts";
import { UsageError } from "./args.ts";

Deno.test("parseBytes() takes binary units as runc's RAMInBytes", () => {
  assertEquals(parseBytes("memory", "64m"), 64 * 1024 * 1024);
  assertEquals(parseBytes("memory", "1G"), 1024 ** 3);
  assertEquals(parseBytes("memory", "-1"), -1);
  assertThrows(() => parseBytes("memory", "lots"), UsageError, "--memory");
});

Deno.test("resourcesFromFlags() groups the flags into OCI resources", () => {
  const parsed = {
    values: { memory: "32m", "cpu-quota": "50000", "cpuset-cpus": "0", "pids-limit": "10" },
    positionals: ["c1"],
  };
  assertEquals(resourcesFromFlags(parsed), {
    cpu: { quota: 50000, cpus: "0" },
    memory: { limit: 33554432 },
    pids: { limit: 10 },
  });
});
