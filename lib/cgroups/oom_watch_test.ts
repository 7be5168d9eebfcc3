import { assertEquals } from "../testing/assert.ts";
import { watchOom } from "./oom_watch.ts";

Deno.test("watchOom() without a notifier has no fd and reports the counter's rise", () => {
  let kills = 2;
  using w = watchOom(undefined, () => kills);
  assertEquals(w.fd, -1);
  assertEquals(w.take(), 0);
  kills = 5;
  assertEquals(w.take(), 3);
  assertEquals(w.take(), 0);
});
