// Turns the hyperfine JSON of bench/run.sh into one table (mean, median,
// min, ratios to runc and crun, the target: 1.25 × (empty deno run
// + crun's time for the same command)), a JSON summary and an SVG chart.
//
// Permissions: --allow-read, --allow-write (bench/results).

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
  const target = floor && crun ? 1.25 * (floor.median + crun.median) : undefined;
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
const memLines = memory.trim().split("\n").filter(Boolean).map((l) => {
  const [rt, key, kb] = l.split(" ");
  return `| ${rt} | ${key} | ${kb} |`;
});

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

const md = [
  `Benchmark run of ${new Date().toISOString()} (medians; hyperfine; busybox bundle)`,
  "",
  ...lines,
  "",
  shimLine,
  "",
  "| runtime | memory | kB |",
  "|---|---|---|",
  ...memLines,
  "",
  "| library (100 containers to exit) | ms/container | containers/s | ×runc run loop |",
  "|---|---|---|---|",
  ...libLines,
  "",
].join("\n");
Deno.writeTextFileSync(`${dir}/latest.md`, md);
Deno.writeTextFileSync(
  `${dir}/latest.json`,
  JSON.stringify({ latency: summary, memory, library }, null, 2),
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
