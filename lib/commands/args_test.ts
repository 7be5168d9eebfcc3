import { assertEquals, assertThrows } from "../testing/assert.ts";
import { type FlagSpec, mergeValues, parseFlags, UsageError } from "./args.ts";

const FLAGS: FlagSpec[] = [
  { name: "bundle", alias: "b", kind: "string", help: "" },
  { name: "detach", alias: "d", kind: "bool", help: "" },
  { name: "pid-file", kind: "string", help: "" },
];

Deno.test("parseFlags() takes runc's flag spellings", () => {
  const p = parseFlags(["-b", "/x", "--pid-file=/p", "-detach", "id1"], FLAGS);
  assertEquals(p.values, { bundle: "/x", "pid-file": "/p", detach: true });
  assertEquals(p.positionals, ["id1"]);
  assertEquals(parseFlags(["--bundle", "/y", "id"], FLAGS).values.bundle, "/y");
  assertEquals(parseFlags(["--detach=false", "id"], FLAGS).values.detach, false);
});

Deno.test("parseFlags() stops at the first positional when asked, and at --", () => {
  const p = parseFlags(["--bundle", "b", "cmd", "--detach"], FLAGS, true);
  assertEquals(p.positionals, ["cmd", "--detach"]);
  assertEquals(parseFlags(["--", "-d"], FLAGS).positionals, ["-d"]);
});

Deno.test("parseFlags() names an unknown flag and suggests the closest", () => {
  assertThrows(() => parseFlags(["--bundel", "x"], FLAGS), UsageError, "did you mean --bundle?");
  assertThrows(() => parseFlags(["--zzzzzzz"], FLAGS), UsageError, "not defined: --zzzzzzz");
  assertThrows(() => parseFlags(["--bundle"], FLAGS), UsageError, "needs an argument");
});

Deno.test("parseFlags() keeps every value of a list flag, in order", () => {
  const flags: FlagSpec[] = [...FLAGS, { name: "env", alias: "e", kind: "list", help: "" }];
  const p = parseFlags(["-e", "A=1", "--env=B=2", "id", "--env", "C=3"], flags);
  assertEquals(p.values.env, ["A=1", "B=2", "C=3"]);
  assertEquals(parseFlags(["id"], flags).values.env, undefined);
  assertThrows(() => parseFlags(["--env"], flags), UsageError, "needs an argument");
});

Deno.test("parseFlags() types each value by its flag's kind", () => {
  const flags = [
    { name: "bundle", kind: "string", help: "" },
    { name: "detach", kind: "bool", help: "" },
    { name: "env", kind: "list", help: "" },
  ] as const satisfies readonly FlagSpec[];
  const v = parseFlags(["--bundle", "/b", "-detach", "--env", "A=1"], flags).values;
  // Each line fails `deno check` if the value's type is not its kind's.
  const bundle: string | undefined = v.bundle;
  const detach: boolean | undefined = v.detach;
  const env: readonly string[] | undefined = v.env;
  // @ts-expect-error: a name the table does not hold is a type error
  assertEquals(v.bundel, undefined);
  assertEquals([bundle, detach, env], ["/b", true, ["A=1"]]);
});

Deno.test("mergeValues() joins list values and keeps the later scalar", () => {
  const flags: FlagSpec[] = [...FLAGS, { name: "env", kind: "list", help: "" }];
  const a = parseFlags(["-b", "/x", "--env", "A=1"], flags).values;
  const b = parseFlags(["-b", "/y", "--env", "B=2", "-d"], flags).values;
  assertEquals(mergeValues(a, b), { bundle: "/y", env: ["A=1", "B=2"], detach: true });
});
