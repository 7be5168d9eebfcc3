import { assertEquals } from "../testing/assert.ts";
import { listenerState } from "./notify.ts";

Deno.test("listenerState() is runc's ContainerProcessState with the fd named seccompFd", () => {
  const s = JSON.parse(listenerState(
    { ociVersion: "1.2.0", id: "c1", bundle: "/b", annotations: { a: "b" } },
    { defaultAction: "SCMP_ACT_ALLOW", listenerPath: "/run/a.sock", listenerMetadata: "meta" },
    42,
  ));
  assertEquals(s, {
    ociVersion: "1.2.0",
    fds: ["seccompFd"],
    pid: 42,
    metadata: "meta",
    state: {
      ociVersion: "1.2.0",
      id: "c1",
      status: "creating",
      pid: 42,
      bundle: "/b",
      annotations: { a: "b" },
    },
  });
});

Deno.test("listenerState() leaves out empty metadata and annotations", () => {
  const s = JSON.parse(
    listenerState({ ociVersion: "1.2.0", id: "c", bundle: "/b" }, { defaultAction: "X" }, 1),
  );
  assertEquals(Object.keys(s), ["ociVersion", "fds", "pid", "state"]);
  assertEquals(Object.keys(s.state), ["ociVersion", "id", "status", "pid", "bundle"]);
});
