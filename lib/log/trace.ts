// Phase timings of one runo command (RUNO_TRACE=1 or --debug): where a
// command's time goes, one line per phase. A phase ends where the next
// begins, so the lines add up to the command's time from Deno's start
// (performance.timeOrigin) to its exit. Off, each mark is one branch.
//
// This module is cli.ts's first import: its own evaluation marks the end of
// Deno's start (and of the fetch and compile of cli.ts's static graph).
//
// Permissions: none.

const STARTED = performance.now();

let on = false;
let last = 0;
const phases: { name: string; ms: number }[] = [];

/**
 * Starts recording; the first phase is Deno's start up to this module.
 * From the bundle, `dispatchedAt` is when its entry (packaging/dispatch.ts)
 * ran: Deno's start ends there, and the command's file loads up to here.
 */
export function startTrace(dispatchedAt?: number): void {
  if (on) return;
  on = true;
  if (dispatchedAt !== undefined && dispatchedAt <= STARTED) {
    phases.push({ name: "deno start", ms: dispatchedAt });
    phases.push({ name: "command bundle file", ms: STARTED - dispatchedAt });
  } else {
    phases.push({ name: "deno start", ms: STARTED });
  }
  last = STARTED;
}

/** Whether marks are recorded (to guard a phase name that costs to build). */
export function tracing(): boolean {
  return on;
}

/**
 * Ends the current phase, naming it: the time since the previous mark.
 * `detail` is appended to the name only when tracing.
 */
export function phase(name: string, detail?: string): void {
  if (!on) return;
  const now = performance.now();
  phases.push({ name: detail === undefined ? name : `${name} ${detail}`, ms: now - last });
  last = now;
}

/** The recorded phases, and their total, as lines of text. */
export function traceLines(): string[] {
  if (!on) return [];
  const width = Math.max(5, ...phases.map((p) => p.name.length));
  const lines = phases.map((p) => `runo trace: ${p.name.padEnd(width)} ${p.ms.toFixed(2)} ms`);
  lines.push(`runo trace: ${"total".padEnd(width)} ${last.toFixed(2)} ms`);
  return lines;
}
