// The README says what the code does: its command table names every flag
// of every command (from the commands' own flag specs, so a flag added
// without a README line fails here), its global flags paragraph every
// global flag, and its Quick start every package `make deps` installs.
//
// Permissions: --allow-read (README.md, the sources).

import { assertEquals } from "../../lib/testing/assert.ts";
import { GLOBAL_FLAGS } from "../../lib/commands/global_flags.ts";
import type { Command } from "../../lib/commands/command.ts";
import type { FlagSpec } from "../../lib/commands/args.ts";

const ROOT = new URL("../../", import.meta.url);
const README = Deno.readTextFileSync(new URL("README.md", ROOT));

/** Every -x / --xyz token of a piece of markdown. */
function flagsIn(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<![\w-])(--?[a-z][\w-]*)/g)].map((m) => m[1]));
}

function specNames(flags: readonly FlagSpec[]): Set<string> {
  const names = flags.flatMap((f) => f.alias ? [f.name, f.alias] : [f.name]);
  return new Set(names.map((n) => (n.length === 1 ? "-" : "--") + n));
}

/** The Commands section's table: command name → the flags its row names. */
function readmeTable(): Map<string, Set<string>> {
  const section = README.slice(README.indexOf("## Commands"));
  const rows = new Map<string, Set<string>>();
  for (const line of section.split("\n")) {
    // Cells may hold an escaped pipe: `table\|json`.
    const m = /^\| `runo (\w+)(?:[^|\\]|\\.)*\|((?:[^|\\]|\\.)*)\|/.exec(line);
    if (!m) continue;
    const flags = flagsIn(m[2]);
    // "as `create`, and …": the row of create, plus these.
    const as = /as `(\w+)`/.exec(m[2]);
    if (as) { for (const f of rows.get(as[1]) ?? []) flags.add(f); }
    rows.set(m[1], flags);
  }
  return rows;
}

const sorted = (s: Iterable<string>) => [...s].sort();

/** Every command: the modules of lib/commands/ that export one (cli.ts loads them by name). */
async function commands(): Promise<Command[]> {
  const out: Command[] = [];
  for (const e of Deno.readDirSync(new URL("lib/commands/", ROOT))) {
    if (!e.name.endsWith(".ts") || e.name.endsWith("_test.ts")) continue;
    const mod = await import(`../../lib/commands/${e.name}`) as { command?: Command };
    if (mod.command) out.push(mod.command);
  }
  return out;
}

Deno.test("the README's command table lists every command and exactly its flags", async () => {
  const table = readmeTable();
  const all = await commands();
  for (const command of all) {
    assertEquals(
      sorted(table.get(command.name) ?? ["(no row)"]),
      sorted(specNames(command.flags)),
      `README row of "runo ${command.name}"`,
    );
  }
  assertEquals(sorted(table.keys()), sorted([...all.map((c) => c.name), "help"]));
});

Deno.test("the README's global flags paragraph names every global flag", () => {
  const section = README.slice(README.indexOf("## Commands"));
  const start = section.search(/Global\s+flags/);
  const paragraph = section.slice(start, section.indexOf("\n\n", start));
  assertEquals(sorted(flagsIn(paragraph)), sorted(specNames(GLOBAL_FLAGS)));
});

Deno.test("the README's Quick start lists exactly the packages `make deps` installs", () => {
  const script = Deno.readTextFileSync(new URL("tests/fixtures/install-deps.sh", ROOT));
  const installed = new Set<string>();
  for (const m of script.matchAll(/^PKGS_\w+="([^"]*)"/gm)) {
    for (const p of m[1].split(/\s+/).filter(Boolean)) installed.add(p);
  }
  const start = README.indexOf("## Quick start");
  const quick = README.slice(start, README.indexOf("\n## ", start + 1));
  const list = quick.slice(
    quick.indexOf("- to build:"),
    quick.indexOf("\n\n", quick.indexOf("- to build:")),
  );
  const named = new Set([...list.matchAll(/`([a-z0-9][a-z0-9.+-]*)`/g)].map((m) => m[1]));
  assertEquals(sorted(named), sorted(installed));
});
