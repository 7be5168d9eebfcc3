import { assertEquals } from "../testing/assert.ts";
import {
  parseBlkioEntries,
  parseFlatKeyed,
  parseIoStat,
  parseNumber,
  parseNumberList,
} from "./stats.ts";

Deno.test("parseFlatKeyed() reads key value lines and skips the rest", () => {
  assertEquals(parseFlatKeyed("cache 1\nrss 2\nbogus\n"), { cache: 1, rss: 2 });
  assertEquals(parseFlatKeyed(null), {});
});

Deno.test("parseNumber() reads numbers; max is 0 as runc reports it", () => {
  assertEquals(parseNumber("42\n"), 42);
  assertEquals(parseNumber("max\n"), 0);
  assertEquals(parseNumber(null), undefined);
});

Deno.test("parseBlkioEntries() reads device op value lines", () => {
  assertEquals(parseBlkioEntries("8:0 Read 10\n8:0 Write 5\nTotal 15\n"), [
    { major: 8, minor: 0, op: "Read", value: 10 },
    { major: 8, minor: 0, op: "Write", value: 5 },
  ]);
});

Deno.test("parseIoStat() turns io.stat into runc's v1-shaped entries", () => {
  const s = parseIoStat("8:0 rbytes=1 wbytes=2 rios=3 wios=4\n");
  assertEquals(s.ioServicedRecursive, [
    { major: 8, minor: 0, op: "Read", value: 3 },
    { major: 8, minor: 0, op: "Write", value: 4 },
  ]);
});

Deno.test("parseNumberList() reads cpuacct.usage_percpu", () => {
  assertEquals(parseNumberList("1 2 3 \n"), [1, 2, 3]);
});
