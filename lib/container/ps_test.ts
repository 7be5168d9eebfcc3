import { assertEquals, assertThrows } from "../testing/assert.ts";
import { filterPsOutput } from "./ps.ts";

const PS = `UID          PID    PPID  C STIME TTY          TIME CMD
root           1       0  0 07:00 ?        00:00:01 /sbin/init
root         300       1  0 07:01 ?        00:00:00 sh -c sleep 9
root         301     300  0 07:01 ?        00:00:00 sleep 9
`;

Deno.test("filterPsOutput() keeps the header and the container's pids", () => {
  assertEquals(filterPsOutput(PS, [300, 301]).split("\n").length, 4);
  assertEquals(filterPsOutput(PS, [301]).split("\n")[1].includes("sleep 9"), true);
});

Deno.test("filterPsOutput() refuses output without a PID column", () => {
  assertThrows(() => filterPsOutput("USER CMD\nroot sh\n", [1]), Error, "PID column");
});
