import { assertEquals, assertThrows } from "../lib/testing/assert.ts";
import { consoleOps, stdioOwnerOps } from "./console.ts";
import type { Process } from "../lib/spec/types.ts";

const proc: Process = { user: { uid: 0, gid: 0 }, cwd: "/", args: ["sh"], terminal: true };

Deno.test("consoleOps() plans nothing without process.terminal", () => {
  assertEquals(consoleOps({ ...proc, terminal: false }, 7, true, "console"), []);
});

Deno.test("consoleOps() sends the master on the socket fd and mounts /dev/console when asked", () => {
  assertEquals(consoleOps(proc, 7, true, "console"), [
    { op: "CONSOLE", step: "console", source: "/dev/pts/ptmx", fd: 7, target: "/dev/console" },
  ]);
  assertEquals(consoleOps(proc, 7, false, "console")[0].target, undefined);
});

Deno.test("consoleOps() carries consoleSize as rows and columns", () => {
  const [op] = consoleOps({ ...proc, consoleSize: { height: 40, width: 120 } }, 7, false, "c");
  assertEquals([op.value, op.value2], [40n, 120n]);
});

Deno.test("consoleOps() refuses a terminal without a console socket", () => {
  assertThrows(() => consoleOps(proc, undefined, false, "console"), Error, "console socket");
});

Deno.test("stdioOwnerOps() chowns the stdio to the user only with a terminal (runc's fixStdioPermissions)", () => {
  assertEquals(stdioOwnerOps({ ...proc, user: { uid: 1000, gid: 5 } }, "s"), [
    { op: "CHOWN_STDIO", step: "s", uid: 1000 },
  ]);
  assertEquals(stdioOwnerOps({ ...proc, terminal: false }, "s"), []);
});
