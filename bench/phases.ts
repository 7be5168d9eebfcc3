// Where a runo command's time goes: runs it `runs` times with RUNO_TRACE=1
// and takes, per phase (lib/log/trace.ts), the median over the runs; the
// wall time seen from here (spawn to exit) beside the traced total shows
// what lies outside the trace (exec of deno before performance.timeOrigin,
// Deno's exit). Appends { label, runs, phases, wall, traced } to the JSON
// array in <out>.
//
// Usage: deno run --allow-read --allow-write --allow-run --allow-env
//   bench/phases.ts <out.json> <label> <runs> <command> [args...]
//
// Permissions: --allow-read, --allow-write (<out>), --allow-run, --allow-env.

export interface PhaseStat {
  readonly name: string;
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
}

export interface PhaseRun {
  readonly label: string;
  readonly runs: number;
  readonly phases: PhaseStat[];
  readonly wall: PhaseStat;
  readonly traced: PhaseStat;
}

const LINE = /^runo trace: (.*\S)\s+([0-9.]+) ms$/;

/** The trace lines of one run as phase → ms (a repeated phase adds up). */
export function parseTrace(stderr: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of stderr.split("\n")) {
    const m = LINE.exec(line);
    if (m) out.set(m[1], (out.get(m[1]) ?? 0) + Number(m[2]));
  }
  return out;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

export function stat(name: string, values: readonly number[]): PhaseStat {
  const s = [...values].sort((a, b) => a - b);
  return { name, median: quantile(s, 0.5), p25: quantile(s, 0.25), p75: quantile(s, 0.75) };
}

/** Medians per phase, in the order the phases first appeared. */
export function summarize(label: string, traces: readonly Map<string, number>[], wall: number[]) {
  const names: string[] = [];
  for (const t of traces) for (const n of t.keys()) if (!names.includes(n)) names.push(n);
  const phases = names.filter((n) => n !== "total").map((n) =>
    stat(n, traces.map((t) => t.get(n) ?? 0))
  );
  return {
    label,
    runs: traces.length,
    phases,
    wall: stat("wall", wall),
    traced: stat("total", traces.map((t) => t.get("total") ?? 0)),
  };
}

async function main(): Promise<void> {
  const [out, label, runsText, cmd, ...args] = Deno.args;
  const runs = Number(runsText);
  if (!out || !label || !(runs > 0) || !cmd) {
    throw new Error("usage: phases.ts <out.json> <label> <runs> <command> [args...]");
  }
  const traces: Map<string, number>[] = [];
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = await new Deno.Command(cmd, {
      args,
      env: { RUNO_TRACE: "1" },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    wall.push(performance.now() - t0);
    const text = new TextDecoder().decode(r.stderr);
    if (!r.success) throw new Error(`${label}: exit ${r.code}: ${text.slice(-500)}`);
    traces.push(parseTrace(text));
  }
  let all: PhaseRun[] = [];
  try {
    all = JSON.parse(Deno.readTextFileSync(out));
  } catch { /* first scenario */ }
  all.push(summarize(label, traces, wall));
  Deno.writeTextFileSync(out, JSON.stringify(all, null, 2));
}

if (import.meta.main) await main();
