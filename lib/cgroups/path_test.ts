import { assertEquals, assertThrows } from "../testing/assert.ts";
import { cgroupDir, resolveCgroupPath } from "./path.ts";
import { ConfigError } from "../spec/config_error.ts";

Deno.test("resolveCgroupPath() keeps an absolute path from the hierarchy root", () => {
  assertEquals(resolveCgroupPath("/a/b", "c1", "/own"), "/a/b");
});

Deno.test("resolveCgroupPath() puts a relative path under the runtime's own cgroup", () => {
  assertEquals(resolveCgroupPath("a/b", "c1", "/user.slice/x"), "/user.slice/x/a/b");
});

Deno.test("resolveCgroupPath() defaults to the id under the runtime's cgroup when empty", () => {
  assertEquals(resolveCgroupPath(undefined, "c1", "/"), "/c1");
  assertEquals(resolveCgroupPath("", "c1", "/p"), "/p/c1");
});

Deno.test("resolveCgroupPath() refuses .. with the config pointer", () => {
  const err = assertThrows(() => resolveCgroupPath("/a/../../etc", "c1", "/"), ConfigError);
  assertEquals(err.pointer, "/linux/cgroupsPath");
});

Deno.test("cgroupDir() joins the mountpoint and the path", () => {
  assertEquals(cgroupDir("/sys/fs/cgroup/pids", "/"), "/sys/fs/cgroup/pids");
  assertEquals(cgroupDir("/sys/fs/cgroup/pids", "/a"), "/sys/fs/cgroup/pids/a");
});
