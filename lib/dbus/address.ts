// Which socket reaches systemd: D-Bus server addresses ("unix:path=…;…",
// D-Bus specification "Server Addresses") and the candidates runc's
// go-systemd tries. As root: the system bus ($DBUS_SYSTEM_BUS_ADDRESS or
// /run/dbus/system_bus_socket), then systemd's private socket
// /run/systemd/private, which speaks D-Bus peer to peer (no bus daemon,
// no Hello). Rootless: the user's bus ($DBUS_SESSION_BUS_ADDRESS or
// $XDG_RUNTIME_DIR/bus), then the user manager's $XDG_RUNTIME_DIR/systemd/private.
//
// Permissions: none.

/** One socket to try; `bus` is false for a peer-to-peer systemd socket. */
export interface BusCandidate {
  readonly path: string;
  readonly bus: boolean;
}

/** The unix socket paths of an address list; abstract and TCP ones are skipped. */
export function parseAddress(address: string): string[] {
  const paths: string[] = [];
  for (const entry of address.split(";")) {
    const colon = entry.indexOf(":");
    if (colon < 0 || entry.slice(0, colon) !== "unix") continue;
    for (const kv of entry.slice(colon + 1).split(",")) {
      const eq = kv.indexOf("=");
      if (eq > 0 && kv.slice(0, eq) === "path") paths.push(unescape(kv.slice(eq + 1)));
    }
  }
  return paths;
}

/** Address values escape bytes as %xx. */
function unescape(v: string): string {
  return v.replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

export interface AddressEnv {
  get(name: string): string | undefined;
}

/** The sockets to try in order, for root (system manager) or a rootless user. */
export function busCandidates(rootless: boolean, env: AddressEnv): BusCandidate[] {
  if (!rootless) {
    const sys = env.get("DBUS_SYSTEM_BUS_ADDRESS");
    const fromEnv = sys ? parseAddress(sys) : ["/run/dbus/system_bus_socket"];
    return [
      ...fromEnv.map((path) => ({ path, bus: !isPrivate(path) })),
      { path: "/run/systemd/private", bus: false },
    ];
  }
  const runtime = env.get("XDG_RUNTIME_DIR");
  const session = env.get("DBUS_SESSION_BUS_ADDRESS");
  const out: BusCandidate[] = [];
  if (session) out.push(...parseAddress(session).map((path) => ({ path, bus: !isPrivate(path) })));
  else if (runtime) out.push({ path: `${runtime}/bus`, bus: true });
  if (runtime) out.push({ path: `${runtime}/systemd/private`, bus: false });
  return out;
}

/** systemd's own sockets speak D-Bus directly, without a bus daemon. */
function isPrivate(path: string): boolean {
  return path.endsWith("/systemd/private");
}
