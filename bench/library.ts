// Library throughput: containers run to exit through mod.ts inside one
// Deno process — 100 one after another, then 100 with 8 at a time — beside
// a shell loop of `runc run` and `crun run` on the same bundle. Prints the
// per-container time and containers per second, and writes
// bench/results/library.json.
//
// Usage (root): deno run --allow-ffi --allow-read --allow-write --allow-env
//   --allow-run bench/library.ts <bundle-of-/bin/true> [count]
//
// Permissions: --allow-ffi, --allow-read, --allow-write, --allow-env,
// --allow-run (the runc/crun loops).

import { Runtime } from "../mod.ts";

const bundle = Deno.args[0];
const count = Number(Deno.args[1] ?? 100);
if (!bundle) throw new Error("usage: library.ts <bundle> [count]");
const root = Deno.makeTempDirSync({ prefix: "runo-lib-bench-" });
const runtime = new Runtime({ root });

async function runOne(id: string): Promise<void> {
  // The bundle's process is /bin/true: it writes nothing to our stdio.
  const code = await runtime.run(id, bundle);
  if (code !== 0) throw new Error(`container ${id} exited ${code}`);
}

async function timed(label: string, f: () => Promise<void>) {
  const t = performance.now();
  await f();
  const ms = performance.now() - t;
  return { label, count, totalMs: ms, perContainerMs: ms / count, perSecond: count / (ms / 1000) };
}

const results = [];
await runOne("warm"); // the first container pays for imports and the FFI load
results.push(
  await timed("runo library, sequential", async () => {
    for (let i = 0; i < count; i++) await runOne(`s${i}`);
  }),
);
results.push(
  await timed("runo library, 8 at a time", async () => {
    let next = 0;
    const worker = async () => {
      while (next < count) await runOne(`p${next++}`);
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }),
);
for (const rt of ["runc", "crun"]) {
  const which = new Deno.Command("sh", { args: ["-c", `command -v ${rt}`], stdout: "piped" })
    .outputSync();
  if (!which.success) continue;
  const dir = Deno.makeTempDirSync({ prefix: `${rt}-bench-` });
  const script = `for i in $(seq ${count}); do ${rt} --root ${dir} run -b ${bundle} x$i ` +
    `>/dev/null || exit 1; done`;
  results.push(
    await timed(`${rt} run, shell loop`, async () => {
      const out = await new Deno.Command("sh", { args: ["-c", script] }).output();
      if (!out.success) {
        throw new Error(`${rt} loop failed: ${new TextDecoder().decode(out.stderr)}`);
      }
    }),
  );
  Deno.removeSync(dir, { recursive: true });
}
Deno.removeSync(root, { recursive: true });

for (const r of results) {
  console.log(
    `${r.label.padEnd(28)} ${r.perContainerMs.toFixed(1).padStart(7)} ms/container ` +
      `${r.perSecond.toFixed(1).padStart(7)} containers/s`,
  );
}
Deno.mkdirSync(new URL("results/", import.meta.url), { recursive: true });
Deno.writeTextFileSync(
  new URL("results/library.json", import.meta.url),
  JSON.stringify(results, null, 2) + "\n",
);
