// Turns the hyperfine JSON of bench/run.sh into one table (mean, median,
// min, ratios to runc and crun, the target: 1.25 × (empty deno run
// (three for create→start→delete) + crun's time for the same command)), a
// JSON summary and an SVG chart.
//
// Permissions: --allow-read, --allow-write (bench/results).

import type { PhaseRun } from "./phases.ts";

interface HfResult {
  readonly command: string;
  readonly mean: number;
  readonly median: number;
  readonly min: number;
}

const dir = Deno.args[0] ?? "bench/results";
const SCENARIOS = ["run", "cycle", "state", "exec", "shim"] as const;
const ms = (s: number) => (s * 1000).toFixed(1);

function load(name: string): HfResult[] {
  try {
    return JSON.parse(Deno.readTextFileSync(`${dir}/${name}.json`)).results;
  } catch {
    return [];
  }
}

interface Row {
  scenario: string;
  runtime: string;
  mean: number;
  median: number;
  min: number;
}

const rows: Row[] = [];
for (const scenario of SCENARIOS) {
  for (const r of load(scenario)) {
    const runtime = r.command.startsWith("deno") ? "deno-floor" : r.command.split(" ")[0];
    rows.push({ scenario, runtime, mean: r.mean, median: r.median, min: r.min });
  }
}

const find = (s: string, rt: string) => rows.find((r) => r.scenario === s && r.runtime === rt);
const lines = [
  "| scenario | runtime | mean ms | median ms | min ms | ×runc | ×crun | target ms | met |",
  "|---|---|---|---|---|---|---|---|---|",
];
const summary: Record<string, unknown>[] = [];
for (const r of rows) {
  const runc = find(r.scenario, "runc");
  const crun = find(r.scenario, "crun");
  const floor = find(r.scenario, "deno-floor");
  // create→start→delete is three Deno starts: 1.25 × (3 × empty deno + crun's cycle).
  const starts = r.scenario === "cycle" ? 3 : 1;
  const target = floor && crun ? 1.25 * (starts * floor.median + crun.median) : undefined;
  const ratio = (o?: Row) => (o ? (r.median / o.median).toFixed(2) : "–");
  const met = r.runtime === "runo" && target !== undefined
    ? (r.median <= target ? "yes" : "no")
    : "";
  lines.push(
    `| ${r.scenario} | ${r.runtime} | ${ms(r.mean)} | ${ms(r.median)} | ${ms(r.min)} | ${
      ratio(runc)
    } | ${ratio(crun)} | ${r.runtime === "runo" && target ? ms(target) : ""} | ${met} |`,
  );
  summary.push({
    ...r,
    xRunc: runc && r.median / runc.median,
    xCrun: crun && r.median / crun.median,
  });
}

let memory = "";
try {
  memory = Deno.readTextFileSync(`${dir}/memory.txt`);
} catch { /* memory step skipped */ }
const memLines = memoryTable(memory);

let phaseRuns: PhaseRun[] = [];
try {
  phaseRuns = JSON.parse(Deno.readTextFileSync(`${dir}/phases.json`));
} catch { /* phases step skipped */ }
const phaseLines = phaseTable(phaseRuns);

interface LibraryResult {
  readonly label: string;
  readonly perContainerMs: number;
  readonly perSecond: number;
}
let library: LibraryResult[] = [];
try {
  library = JSON.parse(Deno.readTextFileSync(`${dir}/library.json`));
} catch { /* library step skipped */ }
const runcLoop = library.find((r) => r.label.startsWith("runc"));
const libLines = library.map((r) =>
  `| ${r.label} | ${r.perContainerMs.toFixed(1)} | ${r.perSecond.toFixed(1)} | ${
    runcLoop ? (r.perContainerMs / runcLoop.perContainerMs).toFixed(2) : "–"
  } |`
);

// The shim's goal (issue 21): ctr run --rm through runo's shim ≤ 0.8 × through runc's.
const shimRuno = find("shim", "runo");
const shimRunc = find("shim", "runc");
const shimLine = shimRuno && shimRunc
  ? `ctr run --rm per container: runo shim ${ms(shimRuno.mean)} ms, runc shim ${
    ms(shimRunc.mean)
  } ms (mean), ×${(shimRuno.mean / shimRunc.mean).toFixed(2)}; goal ≤ 0.80: ${
    shimRuno.mean <= 0.8 * shimRunc.mean ? "met" : "not met"
  }`
  : "shim scenario skipped (no containerd)";
// Issue 20: runo as the runc of runc's shim (one runo process per runc call) ≤ 1.3 × runc.
const asRunc = find("shim", "runo-as-runc");
const asRuncLine = asRunc && shimRunc
  ? `ctr run --rm per container, runc's shim with runo as its runc: ${
    ms(asRunc.median)
  } ms, with runc ${ms(shimRunc.median)} ms (medians), ×${
    (asRunc.median / shimRunc.median).toFixed(2)
  }; goal ≤ 1.30: ${asRunc.median <= 1.3 * shimRunc.median ? "met" : "not met"}`
  : "";

const md = [
  `Benchmark run of ${new Date().toISOString()} (medians; hyperfine; busybox bundle)`,
  "",
  ...lines,
  "",
  shimLine,
  "",
  asRuncLine,
  "",
  ...memLines,
  "",
  ...phaseLines,
  "",
  "| library (100 containers to exit) | ms/container | containers/s | ×runc run loop |",
  "|---|---|---|---|",
  ...libLines,
  "",
].join("\n");
Deno.writeTextFileSync(`${dir}/latest.md`, md);
Deno.writeTextFileSync(
  `${dir}/latest.json`,
  JSON.stringify({ latency: summary, memory, library, phases: phaseRuns }, null, 2),
);
Deno.writeTextFileSync(`${dir}/latest.svg`, chart(rows));
console.log(md);

/** A grouped horizontal bar chart of medians, one group per scenario. */
function chart(rows: readonly Row[]): string {
  const colors: Record<string, string> = {
    runo: "#2b8a3e",
    runc: "#1864ab",
    crun: "#e67700",
    "deno-floor": "#868e96",
  };
  const max = Math.max(...rows.map((r) => r.median), 0.001);
  const bar = 18, gap = 10, left = 210, width = 460;
  let y = 30;
  const parts: string[] = [];
  for (const scenario of SCENARIOS) {
    const group = rows.filter((r) => r.scenario === scenario);
    if (!group.length) continue;
    parts.push(`<text x="10" y="${y + 12}" font-weight="bold">${scenario}</text>`);
    for (const r of group) {
      const w = Math.max(1, (r.median / max) * width);
      parts.push(
        `<text x="${left - 8}" y="${y + 13}" text-anchor="end">${r.runtime}</text>`,
        `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${bar}" fill="${
          colors[r.runtime] ?? "#555"
        }"/>`,
        `<text x="${left + w + 6}" y="${y + 13}">${ms(r.median)} ms</text>`,
      );
      y += bar + 4;
    }
    y += gap;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 90}" height="${
    y + 10
  }" font-family="sans-serif" font-size="12">` +
    `<text x="10" y="16">median latency (ms), lower is better</text>${parts.join("")}</svg>\n`;
}

/** memory.txt ("runtime key kB" lines) as one row per key, one column per runtime. */
function memoryTable(text: string): string[] {
  const rows = new Map<string, Map<string, string>>();
  const runtimes: string[] = [];
  for (const line of text.trim().split("\n").filter(Boolean)) {
    const [rt, key, kb] = line.split(" ");
    if (!runtimes.includes(rt)) runtimes.push(rt);
    if (!rows.has(key)) rows.set(key, new Map());
    rows.get(key)!.set(rt, kb);
  }
  if (rows.size === 0) return [];
  const mb = (kb?: string) => (kb && /^\d+$/.test(kb) ? (Number(kb) / 1024).toFixed(2) : "–");
  const label = (key: string) =>
    key === "init_rss_kb"
      ? "init RSS while created"
      : `peak RSS of ${key.replace(/^peak_rss_kb_/, "")}`;
  return [
    `| memory (MB) | ${runtimes.join(" | ")} |`,
    `|---|${runtimes.map(() => "---").join("|")}|`,
    ...[...rows].map(([key, by]) =>
      `| ${label(key)} | ${runtimes.map((r) => mb(by.get(r))).join(" | ")} |`
    ),
  ];
}

/**
 * runo's phases (bench/phases.ts): one row per phase, the median ms of each
 * traced command in its column; then the traced total and the wall time
 * seen from outside (the difference: exec of deno before its time origin,
 * and its exit).
 */
function phaseTable(runs: readonly PhaseRun[]): string[] {
  if (runs.length === 0) return [];
  const names: string[] = [];
  for (const r of runs) for (const p of r.phases) if (!names.includes(p.name)) names.push(p.name);
  const cell = (r: PhaseRun, name: string) => {
    const p = r.phases.find((x) => x.name === name);
    return p ? p.median.toFixed(2) : "";
  };
  return [
    `| runo phase (median ms of ${runs[0].runs} runs) | ${runs.map((r) => r.label).join(" | ")} |`,
    `|---|${runs.map(() => "---").join("|")}|`,
    ...names.map((n) => `| ${n} | ${runs.map((r) => cell(r, n)).join(" | ")} |`),
    `| **traced total** | ${runs.map((r) => r.traced.median.toFixed(2)).join(" | ")} |`,
    `| **wall (spawn to exit)** | ${runs.map((r) => r.wall.median.toFixed(2)).join(" | ")} |`,
  ];
}
