import { assertEquals, assertThrows } from "../testing/assert.ts";
import {
  checkId,
  type ContainerState,
  deriveStatus,
  ociState,
  parseProcStat,
  parseStateFile,
  StateError,
} from "./state.ts";

const state: ContainerState = {
  ociVersion: "1.2.0",
  id: "c1",
  pid: 42,
  bundle: "/b",
  rootfs: "/b/rootfs",
  created: "2026-01-01T00:00:00Z",
  owner: "",
  initStartTime: "1000",
  config: { ociVersion: "1.2.0" },
};

Deno.test("checkId() accepts runc's id alphabet and refuses the rest", () => {
  for (const ok of ["a", "A-b_c.d+e", "123", "..a", "x".repeat(255)]) checkId(ok);
  for (const bad of ["", ".", "..", "a/b", "../x", "a b", "é", "x".repeat(256)]) {
    assertThrows(() => checkId(bad), StateError);
  }
});

Deno.test("parseProcStat() reads state and start time past a comm with spaces", () => {
  const line =
    "42 (runo:[2: INIT) x) S 1 42 42 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 98765 1000 10";
  assertEquals(parseProcStat(line), { state: "S", startTime: "98765" });
});

Deno.test("deriveStatus() follows runc's rules", () => {
  const alive = { state: "S", startTime: "1000" };
  assertEquals(deriveStatus(state, { stat: null, fifoExists: true, frozen: false }), "stopped");
  assertEquals(
    deriveStatus(state, { stat: { ...alive, state: "Z" }, fifoExists: false, frozen: false }),
    "stopped",
  );
  assertEquals(
    deriveStatus(state, { stat: { ...alive, startTime: "2" }, fifoExists: true, frozen: false }),
    "stopped",
  );
  assertEquals(deriveStatus(state, { stat: alive, fifoExists: true, frozen: false }), "created");
  assertEquals(deriveStatus(state, { stat: alive, fifoExists: false, frozen: false }), "running");
  assertEquals(deriveStatus(state, { stat: alive, fifoExists: false, frozen: true }), "paused");
});

Deno.test("ociState() reports pid 0 once stopped", () => {
  assertEquals(ociState(state, "stopped").pid, 0);
  assertEquals(ociState(state, "running").pid, 42);
});

Deno.test("parseStateFile() names the file on garbage", () => {
  assertThrows(() => parseStateFile("{", "/r/c1/state.json"), Error, "/r/c1/state.json");
  assertThrows(() => parseStateFile('{"id":1}', "/r/c1/state.json"), Error, "not a runo state");
  assertEquals(parseStateFile(JSON.stringify(state), "f").pid, 42);
});
