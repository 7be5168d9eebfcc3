import { deepStrictEqual, equal } from "node:assert/strict";
import { ChildFds } from "./child_fds.ts";

Deno.test("ChildFds puts stdio, preserved fds, init pipe and log pipe first", () => {
  const fds = new ChildFds([40, 41]);
  equal(fds.initPipe, 5);
  equal(fds.logPipe, 6);
  deepStrictEqual(fds.spawnFds([10, 11, 12], 50, 51), [10, 11, 12, 40, 41, 50, 51]);
});

Deno.test("ChildFds.add() returns the child's number of each fd, in the order added", () => {
  const fds = new ChildFds([]);
  equal(fds.add(30), 5);
  equal(fds.add(31), 6);
  equal(fds.add(32), 7);
  const spawned = fds.spawnFds([0, 1, 2], 20, 21);
  deepStrictEqual(spawned, [0, 1, 2, 20, 21, 30, 31, 32]);
  // Each number add() returned indexes the very fd that was added.
  deepStrictEqual([spawned[5], spawned[6], spawned[7]], [30, 31, 32]);
});

Deno.test("ChildFds keeps its own copy of the preserved list", () => {
  const preserved = [3, 4];
  const fds = new ChildFds(preserved);
  preserved.push(5);
  deepStrictEqual(fds.preserved, [3, 4]);
  equal(fds.add(9), 7);
});
