import { assertEquals } from "../testing/assert.ts";
import { busCandidates, parseAddress } from "./address.ts";

function env(vars: Record<string, string>) {
  return { get: (k: string) => vars[k] };
}

Deno.test("parseAddress() keeps unix paths, unescapes them, skips other transports", () => {
  assertEquals(
    parseAddress("unix:abstract=/tmp/x;tcp:host=a,port=1;unix:path=/run/a%20b/bus,guid=ab"),
    ["/run/a b/bus"],
  );
});

Deno.test("busCandidates() as root: the system bus, then systemd's private socket", () => {
  assertEquals(busCandidates(false, env({})), [
    { path: "/run/dbus/system_bus_socket", bus: true },
    { path: "/run/systemd/private", bus: false },
  ]);
  assertEquals(
    busCandidates(false, env({ DBUS_SYSTEM_BUS_ADDRESS: "unix:path=/x/systemd/private" }))[0],
    { path: "/x/systemd/private", bus: false },
  );
});

Deno.test("busCandidates() rootless: the session bus or $XDG_RUNTIME_DIR/bus, then the user manager", () => {
  assertEquals(busCandidates(true, env({ XDG_RUNTIME_DIR: "/run/user/1000" })), [
    { path: "/run/user/1000/bus", bus: true },
    { path: "/run/user/1000/systemd/private", bus: false },
  ]);
  assertEquals(
    busCandidates(
      true,
      env({ XDG_RUNTIME_DIR: "/r", DBUS_SESSION_BUS_ADDRESS: "unix:path=/s/bus" }),
    ),
    [{ path: "/s/bus", bus: true }, { path: "/r/systemd/private", bus: false }],
  );
  assertEquals(busCandidates(true, env({})), []);
});
