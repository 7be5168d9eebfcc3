import { equal } from "node:assert/strict";
import { cleanPath } from "./mount_paths.ts";

Deno.test("cleanPath() cleans lexically and never leaves /", () => {
  equal(cleanPath("/a/./b/../c/"), "/a/c");
  equal(cleanPath("/../../etc"), "/etc");
  equal(cleanPath("/"), "/");
  equal(cleanPath("dev//pts"), "/dev/pts");
});
