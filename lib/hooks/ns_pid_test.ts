import { assertEquals } from "../testing/assert.ts";
import { innermostPid } from "./ns_pid.ts";

Deno.test("innermostPid() reads the last NSpid field, null without one", () => {
  assertEquals(innermostPid("Name:\tsh\nNSpid:\t4242\t1\nNSpgid:\t4242\t1\n"), 1);
  assertEquals(innermostPid("Name:\tsh\nNSpid:\t4242\n"), 4242);
  assertEquals(innermostPid("Name:\tsh\n"), null);
});
