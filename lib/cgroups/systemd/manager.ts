// The systemd driver's manager: systemd makes the unit and its cgroups
// (StartTransientUnit with the init's pid), then the cgroupfs manager on
// the paths systemd made does everything else, as runc's systemd managers
// wrap fs/fs2: limits, freeze, pids, stats. Delete stops the unit and
// removes what is left (v1 hierarchies systemd does not manage).
//
// Permissions: as the cgroupfs manager; apply and destroy also --allow-ffi
// for the D-Bus socket (lib/cgroups/systemd/systemd1.ts, loaded then).

import type { Resources } from "../../spec/types.ts";
import type { CgroupManager, CgroupRecord, SystemdRecord } from "../manager.ts";
import type { DeviceCgroupRule } from "../devices.ts";
import type { Stats } from "../stats.ts";
import { load } from "../../lazy.ts";
import { CgroupInUseError } from "../shell.ts";

type Systemd1 = typeof import("./systemd1.ts");

export class SystemdManager implements CgroupManager {
  readonly #fs: CgroupManager;
  readonly #systemd: SystemdRecord;
  /** Starts the unit with the init in it; only at create. */
  readonly #start?: (pid: number) => Promise<void>;

  constructor(fs: CgroupManager, systemd: SystemdRecord, start?: (pid: number) => Promise<void>) {
    this.#fs = fs;
    this.#systemd = systemd;
    this.#start = start;
  }

  get record(): CgroupRecord {
    return { ...this.#fs.record, systemd: this.#systemd };
  }

  async apply(pid: number): Promise<void> {
    if (!this.#start) throw new Error(`systemd unit ${this.#systemd.unit} is already started`);
    await this.#start(pid);
    // A unit's cgroup with someone else's processes is refused (runc's
    // systemd driver fails to start an existing unit too).
    const others = this.#fs.pids().filter((p) => p !== pid);
    if (others.length > 0) throw new CgroupInUseError(this.#systemd.unit, others);
    // The hierarchies systemd does not manage (v1 controllers under a user
    // manager) are joined by hand, as runc's joinCgroups.
    await this.#fs.apply(pid);
  }

  set(resources: Resources, devices?: readonly DeviceCgroupRule[]): string[] {
    return this.#fs.set(resources, devices);
  }

  async updateUnit(resources: Resources): Promise<void> {
    const sd = await load<typeof import("./systemd1.ts")>("lib/cgroups/systemd/systemd1.ts");
    const { resourceProperties, systemdMajor } = await load<typeof import("./unit.ts")>(
      "lib/cgroups/systemd/unit.ts",
    );
    const conn = await sd.reopenSystemd({ path: this.#systemd.socket, bus: this.#systemd.bus });
    try {
      const systemdVersion = systemdMajor(String(await sd.managerProperty(conn, "Version")));
      const props = resourceProperties(resources, { version: this.record.version, systemdVersion });
      await sd.setUnitProperties(conn, this.#systemd.unit, props);
    } finally {
      conn.conn.close();
    }
  }

  freeze(): Promise<void> {
    return this.#fs.freeze();
  }

  thaw(): void {
    this.#fs.thaw();
  }

  isFrozen(): boolean {
    return this.#fs.isFrozen();
  }

  pids(): number[] {
    return this.#fs.pids();
  }

  stats(): Stats {
    return this.#fs.stats();
  }

  oomKills(): number {
    return this.#fs.oomKills();
  }

  /**
   * runc's Destroy: stop the unit, then remove every path either way (some
   * were made by apply, not systemd); the stop error wins. A manager that
   * is gone took its units with it.
   */
  async destroy(): Promise<void> {
    const sd = await load<typeof import("./systemd1.ts")>("lib/cgroups/systemd/systemd1.ts");
    const { unit, socket, bus } = this.#systemd;
    let stopError: unknown;
    let conn: Awaited<ReturnType<Systemd1["reopenSystemd"]>> | undefined;
    try {
      conn = await sd.reopenSystemd({ path: socket, bus });
    } catch {
      // unreachable: no unit left to stop
    }
    if (conn) {
      try {
        await sd.stopUnit(conn, unit);
      } catch (err) {
        stopError = err;
      } finally {
        conn.conn.close();
      }
    }
    await this.#fs.destroy();
    if (stopError) throw stopError;
  }

  v1Paths(): { mountpoint: string; path: string }[] {
    return this.#fs.v1Paths();
  }
}
