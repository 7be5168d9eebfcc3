import { assertEquals } from "../testing/assert.ts";
import { parsePsArgs } from "./ps.ts";

Deno.test("parsePsArgs() ends flags at the container id; the rest goes to ps", () => {
  assertEquals(parsePsArgs(["-f", "json", "c1"]).values.format, "json");
  assertEquals(parsePsArgs(["c1", "-o", "pid,comm"]).positionals, ["c1", "-o", "pid,comm"]);
  assertEquals(parsePsArgs(["--format=table", "c1", "--", "-ef"]).positionals, ["c1", "-ef"]);
  assertEquals(parsePsArgs(["--", "c1", "aux"]).positionals, ["c1", "aux"]);
});
