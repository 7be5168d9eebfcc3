import { assertEquals } from "../testing/assert.ts";
import type { Spec } from "../spec/types.ts";
import {
  hostMessages,
  notifySocketPath,
  readyLine,
  socketPathProblem,
  withNotifySocket,
} from "./plan.ts";

const none = { permissions: "none" } as const;

Deno.test({
  name: "readyLine() finds READY=1 among other assignments",
  ...none,
  fn() {
    assertEquals(readyLine("READY=1"), "READY=1");
    assertEquals(readyLine("STATUS=up\nREADY=1\nMAINPID=7\n"), "READY=1");
  },
});

Deno.test({
  name: "readyLine() is null without a READY=1 line",
  ...none,
  fn() {
    assertEquals(readyLine("STATUS=starting\n"), null);
    assertEquals(readyLine("STATUS=READY=1"), null);
    assertEquals(readyLine("READY=0"), null);
    assertEquals(readyLine(""), null);
  },
});

Deno.test({
  name: "hostMessages() sends the ready line then MAINPID, each newline-ended",
  ...none,
  fn() {
    assertEquals(hostMessages("READY=1", 42), ["READY=1\n", "MAINPID=42\n"]);
  },
});

Deno.test({
  name: "withNotifySocket() adds a read-only bind of <dir>/notify and replaces NOTIFY_SOCKET",
  ...none,
  fn() {
    const spec = {
      ociVersion: "1.0.2",
      root: { path: "rootfs" },
      process: {
        cwd: "/",
        args: ["sh"],
        env: ["A=1", "NOTIFY_SOCKET=/x"],
        user: { uid: 0, gid: 0 },
      },
      mounts: [{ destination: "/proc", type: "proc", source: "proc" }],
    } as unknown as Spec;
    const out = withNotifySocket(spec, "/run/runo/c1");
    assertEquals(out.process?.env, ["A=1", "NOTIFY_SOCKET=/run/notify/notify.sock"]);
    assertEquals(out.mounts?.length, 2);
    assertEquals(out.mounts?.[1], {
      destination: "/run/notify",
      source: "/run/runo/c1/notify",
      type: "bind",
      options: ["bind", "nosuid", "noexec", "nodev", "ro"],
    });
    assertEquals(spec.process?.env, ["A=1", "NOTIFY_SOCKET=/x"], "the input is not changed");
  },
});

Deno.test({
  name: "socketPathProblem() rejects relative, abstract and too long paths",
  ...none,
  fn() {
    assertEquals(socketPathProblem("/run/systemd/notify"), null);
    assertEquals(socketPathProblem(notifySocketPath("/run/runo/c1")), null);
    assertEquals(socketPathProblem("x.sock"), "not an absolute path");
    assertEquals(socketPathProblem("@abstract"), "abstract sockets are not supported");
    assertEquals(
      socketPathProblem("/" + "a".repeat(107)),
      "108 bytes long, a unix socket path holds 107",
    );
  },
});
