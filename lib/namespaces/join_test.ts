import { assertEquals } from "../testing/assert.ts";
import { joinMismatch, typeOfFlag } from "./join.ts";

Deno.test("a namespace file of the entry's type fits", () => {
  assertEquals(joinMismatch("network", "/proc/1/ns/net", 0x40000000), undefined);
});

Deno.test("a namespace of another type is named", () => {
  assertEquals(
    joinMismatch("network", "/proc/1/ns/uts", 0x04000000),
    '"/proc/1/ns/uts" is a uts namespace, not network',
  );
});

Deno.test("a file that is no namespace is said so", () => {
  assertEquals(joinMismatch("pid", "/etc/passwd", 0), '"/etc/passwd" is not a namespace file');
});

Deno.test("every CLONE_NEW flag has its type", () => {
  assertEquals(typeOfFlag(0x00000080), "time");
  assertEquals(typeOfFlag(0x10000000), "user");
  assertEquals(typeOfFlag(1), undefined);
});
