// What the systemd driver asks of org.freedesktop.systemd1 over D-Bus, as
// runc's dbus manager does: the manager's own cgroup and version, starting
// a transient unit and waiting for its job (JobRemoved "done"), stopping
// one. Loaded only with --systemd-cgroup.
//
// Permissions: --allow-ffi (the socket), --allow-read (/run/systemd/system).

import type { Value } from "../../dbus/marshal.ts";
import { type BusCandidate, busCandidates } from "../../dbus/address.ts";
import { type Connection, DBusError } from "../../dbus/connection.ts";
import { connectFirst } from "../../dbus/unix.ts";
import { CgroupInUseError } from "../shell.ts";

const DEST = "org.freedesktop.systemd1";
const PATH = "/org/freedesktop/systemd1";
const MANAGER = "org.freedesktop.systemd1.Manager";

export interface Systemd {
  readonly conn: Connection;
  readonly candidate: BusCandidate;
}

/** Connects to the system manager (root) or the user's (rootless). */
export async function openSystemd(rootless: boolean, env = Deno.env): Promise<Systemd> {
  const candidates = busCandidates(rootless, env);
  try {
    return await connectFirst(candidates);
  } catch (err) {
    throw new Error(unreachable(rootless, (err as Error).message), { cause: err });
  }
}

/** Reconnects to the socket a container's record names (delete, update). */
export async function reopenSystemd(candidate: BusCandidate): Promise<Systemd> {
  return await connectFirst([candidate]);
}

function unreachable(rootless: boolean, detail: string): string {
  let running = true;
  try {
    running = Deno.statSync("/run/systemd/system").isDirectory;
  } catch {
    running = false;
  }
  const why = running
    ? `no ${rootless ? "user" : "system"} manager answers`
    : "systemd is not running on this host (no /run/systemd/system)";
  return `Cannot use --systemd-cgroup: ${why}; ${detail.replace(/^Cannot reach/, "cannot reach")}`;
}

export async function managerProperty(sd: Systemd, name: string): Promise<Value> {
  const [v] = await sd.conn.call({
    destination: DEST,
    path: PATH,
    interface: "org.freedesktop.DBus.Properties",
    member: "Get",
    signature: "ss",
    body: [MANAGER, name],
  });
  return (v as { value: Value }).value;
}

function manager(sd: Systemd, member: string, signature: string, body: Value[]) {
  return sd.conn.call({
    destination: DEST,
    path: PATH,
    interface: MANAGER,
    member,
    signature,
    body,
  });
}

/** On a bus, signals come only to those who asked for them (AddMatch). */
async function watchJobs(sd: Systemd): Promise<void> {
  if (!sd.candidate.bus) return;
  await sd.conn.call({
    destination: "org.freedesktop.DBus",
    path: "/org/freedesktop/DBus",
    interface: "org.freedesktop.DBus",
    member: "AddMatch",
    signature: "s",
    body: [
      `type='signal',sender='${DEST}',path='${PATH}',interface='${MANAGER}',member='JobRemoved'`,
    ],
  });
}

/** Waits for the JobRemoved of `job`; returns its result ("done", "failed", …). */
async function jobResult(sd: Systemd, job: string, unit: string): Promise<string> {
  const m = await sd.conn.signal(
    (m) => m.member === "JobRemoved" && m.interface === MANAGER && m.body?.[1] === job,
    `the job of unit ${unit}`,
  );
  return String(m.body?.[3]);
}

/**
 * Another live unit has the name: its cgroup is someone else's, so a
 * failed create must not stop it or kill what is in it.
 */
export class UnitExistsError extends CgroupInUseError {
  constructor(unit: string) {
    super(unit, []);
    this.name = "UnitExistsError";
    this.message = `Cannot start systemd unit ${unit}: it already exists`;
  }
}

type Property = [string, { signature: string; value: Value }];

/**
 * StartTransientUnit(unit, "replace", props) and its job done. A unit of
 * the same name left failed by an earlier run is reset and tried once
 * more (runc); a live one is refused.
 */
export async function startUnit(sd: Systemd, unit: string, props: Property[]): Promise<void> {
  await watchJobs(sd);
  for (let attempt = 0;; attempt++) {
    let job: string;
    try {
      [job] = await manager(sd, "StartTransientUnit", "ssa(sv)a(sa(sv))", [
        unit,
        "replace",
        props,
        [],
      ]) as [string];
    } catch (err) {
      const exists = err instanceof DBusError && err.errorName.endsWith(".UnitExists");
      if (exists && attempt === 0) {
        await resetFailed(sd, unit);
        continue;
      }
      if (exists) throw new UnitExistsError(unit);
      throw new Error(`Cannot start systemd unit ${unit}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const result = await jobResult(sd, job, unit);
    if (result !== "done") {
      throw new Error(`Cannot start systemd unit ${unit}: its job ended "${result}"`);
    }
    return;
  }
}

/** SetUnitProperties(unit, runtime, props): the limits systemd keeps for the unit. */
export async function setUnitProperties(
  sd: Systemd,
  unit: string,
  props: Property[],
): Promise<void> {
  if (props.length === 0) return;
  try {
    await manager(sd, "SetUnitProperties", "sba(sv)", [unit, true, props]);
  } catch (err) {
    throw new Error(`Cannot update systemd unit ${unit}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** StopUnit and its job; a unit already gone is fine. Then forget its failure. */
export async function stopUnit(sd: Systemd, unit: string): Promise<void> {
  await watchJobs(sd);
  try {
    const [job] = await manager(sd, "StopUnit", "ss", [unit, "replace"]) as [string];
    const result = await jobResult(sd, job, unit);
    if (result !== "done") {
      throw new Error(`Cannot stop systemd unit ${unit}: its job ended "${result}"`);
    }
  } catch (err) {
    if (!(err instanceof DBusError && err.errorName.endsWith(".NoSuchUnit"))) throw err;
  }
  await resetFailed(sd, unit);
}

async function resetFailed(sd: Systemd, unit: string): Promise<void> {
  try {
    await manager(sd, "ResetFailedUnit", "s", [unit]);
  } catch {
    // not failed, or already gone: nothing to reset
  }
}
