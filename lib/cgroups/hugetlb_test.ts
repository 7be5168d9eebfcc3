import { assertEquals } from "../testing/assert.ts";
import { hugetlbStatsV1, hugetlbStatsV2, pageSizeName, pageSizes } from "./hugetlb.ts";

const test = Deno.test;

test("pageSizeName() spells sizes as cgroup files do", () => {
  assertEquals(pageSizeName("hugepages-2048kB"), "2MB");
  assertEquals(pageSizeName("hugepages-1048576kB"), "1GB");
  assertEquals(pageSizeName("hugepages-64kB"), "64KB");
  assertEquals(pageSizeName("hugepages-32768kB"), "32MB");
  assertEquals(pageSizeName("hugepages-16777216kB"), "16GB");
  assertEquals(pageSizeName("hugepages-1536kB"), "1536KB");
  assertEquals(pageSizeName("something-else"), undefined);
});

test("pageSizes() keeps only hugepages-* entries", () => {
  assertEquals(pageSizes(["hugepages-2048kB", "x", "hugepages-1048576kB"]), ["1GB", "2MB"]);
});

test("hugetlbStatsV1() reads usage, max usage and failcnt of each size present", () => {
  const files: Record<string, string> = {
    "hugetlb.2MB.usage_in_bytes": "4194304\n",
    "hugetlb.2MB.max_usage_in_bytes": "6291456\n",
    "hugetlb.2MB.failcnt": "3\n",
  };
  assertEquals(hugetlbStatsV1((f) => files[f] ?? null, ["1GB", "2MB"]), {
    "2MB": { usage: 4194304, max: 6291456, failcnt: 3 },
  });
});

test("hugetlbStatsV2() reads current and the max count of events", () => {
  const files: Record<string, string> = {
    "hugetlb.2MB.current": "2097152\n",
    "hugetlb.2MB.events": "max 7\n",
    "hugetlb.1GB.current": "0\n",
    "hugetlb.1GB.events": "max 0\n",
  };
  assertEquals(hugetlbStatsV2((f) => files[f] ?? null, ["1GB", "2MB"]), {
    "1GB": { usage: 0, failcnt: 0 },
    "2MB": { usage: 2097152, failcnt: 7 },
  });
});
