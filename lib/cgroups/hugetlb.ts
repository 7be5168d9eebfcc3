// Huge page sizes and hugetlb statistics, for cgroup v1 and v2 alike
// (runc's fs/hugetlb.go, fs2/hugetlb.go, and its page-size names).
//
// Permissions: none; the caller reads the files.

import { parseFlatKeyed, parseNumber, type Stats } from "./stats.ts";

/** Where the kernel lists its huge page sizes, one "hugepages-<n>kB" directory each. */
export const HUGEPAGES_DIR = "/sys/kernel/mm/hugepages";

/** "hugepages-2048kB" → "2MB", "hugepages-1048576kB" → "1GB", as cgroup file names spell them. */
export function pageSizeName(dirName: string): string | undefined {
  const m = /^hugepages-(\d+)kB$/.exec(dirName);
  if (!m) return undefined;
  let n = Number(m[1]);
  for (const unit of ["KB", "MB", "GB", "TB"]) {
    if (n < 1024 || n % 1024 !== 0) return `${n}${unit}`;
    n /= 1024;
  }
  return `${n}PB`;
}

/** The page sizes named by a listing of HUGEPAGES_DIR, sorted as the kernel lists them. */
export function pageSizes(dirNames: readonly string[]): string[] {
  return dirNames.map(pageSizeName).filter((s): s is string => s !== undefined).sort();
}

/** v1: usage_in_bytes, max_usage_in_bytes and failcnt of each size. */
export function hugetlbStatsV1(
  read: (file: string) => string | null,
  sizes: readonly string[],
): Stats["hugetlb"] {
  const out: Stats["hugetlb"] = {};
  for (const size of sizes) {
    const usage = parseNumber(read(`hugetlb.${size}.usage_in_bytes`));
    if (usage === undefined) continue;
    out[size] = {
      usage,
      max: parseNumber(read(`hugetlb.${size}.max_usage_in_bytes`)),
      failcnt: parseNumber(read(`hugetlb.${size}.failcnt`)) ?? 0,
    };
  }
  return out;
}

/** v2: hugetlb.<size>.current, and failcnt from the "max" count of hugetlb.<size>.events. */
export function hugetlbStatsV2(
  read: (file: string) => string | null,
  sizes: readonly string[],
): Stats["hugetlb"] {
  const out: Stats["hugetlb"] = {};
  for (const size of sizes) {
    const usage = parseNumber(read(`hugetlb.${size}.current`));
    if (usage === undefined) continue;
    out[size] = { usage, failcnt: parseFlatKeyed(read(`hugetlb.${size}.events`)).max ?? 0 };
  }
  return out;
}
