// --help in runc's layout for runo and for every command it lists (taken
// from `runo --help`, so commands added later are checked too), `help`,
// `--version`, and "did you mean" hints for mistyped flags.
//
// Permissions: read, write, run, env.

import assert from "node:assert/strict";
import { isRunc, oneLineError, requires, runo } from "../fixtures/runo.ts";

const needs = { ...requires("cli"), ignore: requires("cli").ignore || isRunc() };

/** The command names of the COMMANDS section of `runo --help`. */
function commandsOf(help: string): string[] {
  const section = /^COMMANDS:\n((?: {3}\S.*\n?)+)/m.exec(help);
  assert.ok(section, `no COMMANDS section in:\n${help}`);
  return section[1].trimEnd().split("\n").map((l) => l.trim().split(/\s+/)[0])
    .filter((name) => name !== "help,"); // "help, h": help itself
}

Deno.test({
  name: "runo --help shows NAME, USAGE, VERSION, COMMANDS and GLOBAL OPTIONS",
  ...needs,
  async fn() {
    const r = await runo(["--help"]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, "");
    for (const head of ["NAME:", "USAGE:", "VERSION:", "COMMANDS:", "GLOBAL OPTIONS:"]) {
      assert.match(r.stdout, new RegExp(`^${head}$`, "m"), head);
    }
    const names = commandsOf(r.stdout);
    for (const c of ["create", "start", "run", "state", "kill", "delete", "list", "spec"]) {
      assert.ok(names.includes(c), `${c} missing from ${names.join(", ")}`);
    }
    for (const flag of ["--root DIR", "--log FILE", "--log-format", "--debug", "--version, -v"]) {
      assert.ok(r.stdout.includes(flag), flag);
    }
    assert.equal((await runo(["-h"])).stdout, r.stdout);
    assert.equal((await runo(["help"])).stdout, r.stdout);
    const bare = await runo([]);
    assert.equal(bare.stdout, r.stdout);
    assert.equal(bare.code, 0, "runc prints its help and exits 0 without arguments");
  },
});

Deno.test({
  name: "every command's --help (and help <command>) shows its NAME, USAGE and each flag's help",
  ...needs,
  async fn() {
    const names = commandsOf((await runo(["--help"])).stdout);
    for (const name of names) {
      const r = await runo([name, "--help"]);
      assert.equal(r.code, 0, `${name} --help: ${r.stderr}`);
      assert.equal(r.stderr, "", name);
      assert.match(r.stdout, new RegExp(`^NAME:\\n   runo ${name} - \\S`), name);
      assert.match(r.stdout, new RegExp(`^USAGE:\\n   runo ${name}\\b`, "m"), name);
      // OPTIONS runs to the first blank line (update's notes follow it).
      const options = /^OPTIONS:\n([\s\S]*?)(?:\n\n|$)/m.exec(r.stdout)?.[1] ?? "";
      for (const line of options.split("\n").filter(Boolean)) {
        assert.match(
          line,
          /^ {3}-{1,2}\w[\w-]*.* {2,}\S/,
          `${name}: flag line "${line}" has no help`,
        );
      }
      assert.equal((await runo([name, "-h"])).stdout, r.stdout, `${name} -h`);
      assert.equal((await runo(["help", name])).stdout, r.stdout, `help ${name}`);
    }
  },
});

Deno.test({
  name: "runo --help gives each command the summary of its own --help, and lists help, h",
  ...needs,
  async fn() {
    const help = (await runo(["--help"])).stdout;
    assert.match(help, /^ {3}help, h +\S/m);
    for (const name of commandsOf(help)) {
      const listed = new RegExp(`^ {3}${name} +(.*)$`, "m").exec(help)?.[1];
      const own = new RegExp(`^ {3}runo ${name} - (.*)$`, "m").exec(
        (await runo([name, "--help"])).stdout,
      )?.[1];
      assert.equal(listed, own, name);
    }
    // A summary does not repeat its command's name as a verb ("resume resumes").
    assert.doesNotMatch(help, /^ {3}resume +resume\b/m);
  },
});

Deno.test({
  name: "--root's help shows its default, the one runo uses",
  ...needs,
  async fn() {
    const { DEFAULT_ROOT } = await import("../../lib/state/store.ts");
    const help = (await runo(["--help"])).stdout;
    const line = /^ {3}--root DIR .*$/m.exec(help)?.[0] ?? "";
    assert.ok(line.includes(`(default: ${DEFAULT_ROOT}`), line);
    assert.ok(line.includes("$XDG_RUNTIME_DIR/runo"), line);
  },
});

Deno.test({
  name: "update --help shows the --resources JSON, with every field its flags set",
  ...needs,
  async fn() {
    const help = (await runo(["update", "--help"])).stdout;
    const json = /^ {3}(\{\n[\s\S]*?\n {3}\})$/m.exec(help)?.[1];
    assert.ok(json, `no JSON block in:\n${help}`);
    const doc = JSON.parse(json);
    // Each flag's help says which field it sets: "set linux.resources.memory.limit".
    for (const [, group, field] of help.matchAll(/set linux\.resources\.(\w+)\.(\w+)/g)) {
      assert.ok(group in doc && field in doc[group], `${group}.${field} missing from the JSON`);
    }
    assert.ok(doc.memory && "limit" in doc.memory && doc.cpu && "quota" in doc.cpu);
  },
});

Deno.test({
  name: "the lifecycle commands' --help has a DESCRIPTION wrapped at 80 columns, as runc's",
  ...needs,
  async fn() {
    for (
      const name of ["create", "run", "start", "state", "kill", "delete", "list", "exec", "spec"]
    ) {
      const r = await runo([name, "--help"]);
      const description = /^DESCRIPTION:\n((?: {3}\S.*\n)+)/m.exec(r.stdout)?.[1];
      assert.ok(description, `${name}: no DESCRIPTION in\n${r.stdout}`);
      for (const line of description.split("\n").filter(Boolean)) {
        assert.ok(line.length <= 80, `${name}: line longer than 80: "${line}"`);
      }
    }
    assert.match((await runo(["create", "--help"])).stdout, /<container-id> names this instance/);
  },
});

Deno.test({
  name: "runo --version prints runo's version, its commit, the spec's and Deno's in runc's layout",
  ...needs,
  async fn() {
    const r = await runo(["--version"]);
    assert.equal(r.code, 0);
    // As runc: "runc version X" first, then "key: value" lines.
    assert.match(r.stdout, /^runo version \d+\.\d+\.\d+\n(?:[\w-]+: \S.*\n)+$/);
    // runc's own test (tests/integration/version.bats): commit second, spec third.
    const lines = r.stdout.split("\n");
    assert.match(lines[1], /^commit: \S+$/);
    assert.match(lines[2], /^spec: \d+\.\d+\.\d+$/);
    assert.match(r.stdout, /^deno: \d+\.\d+\.\d+$/m);
    assert.equal((await runo(["-v"])).stdout, r.stdout);
  },
});

Deno.test({
  name: "a mistyped flag fails in one line that suggests the right one",
  ...needs,
  async fn() {
    const cases: [string[], string][] = [
      [["run", "--bundel", "/x", "id"], "--bundle"],
      [["--rot", "/tmp", "list"], "--root"],
      [["delete", "--forse", "id"], "--force"],
      [["create", "--pid-fil", "/x", "id"], "--pid-file"],
    ];
    for (const [args, want] of cases) {
      const r = await runo(args);
      assert.notEqual(r.code, 0, args.join(" "));
      const line = oneLineError(r.stderr);
      assert.ok(line.includes("flag provided but not defined"), line);
      assert.ok(line.includes(`did you mean ${want}?`), `${args.join(" ")}: ${line}`);
    }
  },
});

Deno.test({
  name: "help for an unknown command fails in one line naming it",
  ...needs,
  async fn() {
    const r = await runo(["frobnicate", "--help"]);
    assert.notEqual(r.code, 0);
    assert.match(oneLineError(r.stderr), /frobnicate/);
  },
});
