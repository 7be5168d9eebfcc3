// Permissions: none.
import { assertEquals, assertThrows } from "../lib/testing/assert.ts";
import { FlagError, parseShimFlags } from "./flags.ts";

Deno.test("parseShimFlags() reads containerd's start command line", () => {
  const f = parseShimFlags([
    "-namespace",
    "k8s.io",
    "-address",
    "/run/containerd/containerd.sock",
    "-publish-binary",
    "/usr/bin/containerd",
    "-id",
    "abc",
    "-debug",
    "start",
  ]);
  assertEquals([f.namespace, f.address, f.publishBinary, f.id, f.debug, f.action], [
    "k8s.io",
    "/run/containerd/containerd.sock",
    "/usr/bin/containerd",
    "abc",
    true,
    "start",
  ]);
});

Deno.test("parseShimFlags() takes -flag=value and --flag, and no action means serve", () => {
  const f = parseShimFlags(["--namespace=ns", "-bundle=/b", "-socket", "/s"]);
  assertEquals([f.namespace, f.bundle, f.socket, f.action], ["ns", "/b", "/s", ""]);
});

Deno.test("parseShimFlags() refuses an unknown flag and a flag without its value", () => {
  assertThrows(
    () => parseShimFlags(["-nope", "x"]),
    FlagError,
    "flag provided but not defined: -nope",
  );
  assertThrows(() => parseShimFlags(["-id"]), FlagError, "flag needs an argument: -id");
});
