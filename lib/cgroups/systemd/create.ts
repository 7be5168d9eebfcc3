// The systemd driver at create: ask the manager where its units' cgroups
// live (its ControlGroup) and its version, name the unit from cgroupsPath,
// and return a manager whose apply starts the unit with the init in it.
//
// Permissions: --allow-ffi, --allow-read, --allow-env.

import type { Spec } from "../../spec/types.ts";
import type { CgroupLayout } from "../layout.ts";
import type { CgroupFs } from "../fs.ts";
import type { DeviceFilterAttacher } from "../v2/manager.ts";
import { loadCgroupManager } from "../manager.ts";
import { layoutRecord } from "../layout.ts";
import { SystemdManager } from "./manager.ts";
import { managerProperty, openSystemd, startUnit } from "./systemd1.ts";
import { systemdMajor, systemdUnit, unitCgroupPath, unitProperties } from "./unit.ts";

export interface SystemdOptions {
  readonly spec: Spec;
  readonly id: string;
  readonly rootless: boolean;
  readonly layout: CgroupLayout;
  readonly fs: CgroupFs;
  readonly attachDevices?: DeviceFilterAttacher;
}

export async function systemdCgroupManager(opts: SystemdOptions): Promise<SystemdManager> {
  const { layout, spec, id } = opts;
  if (opts.rootless && layout.mode !== "unified") {
    // A user manager is given no v1 controllers; runc refuses it too.
    throw new Error("Cannot use --systemd-cgroup rootless on a cgroup v1 host: it needs cgroup v2");
  }
  const unit = systemdUnit(spec.linux?.cgroupsPath, id, opts.rootless);
  const sd = await openSystemd(opts.rootless);
  try {
    const managerCgroup = String(await managerProperty(sd, "ControlGroup"));
    const systemdVersion = systemdMajor(String(await managerProperty(sd, "Version")));
    const inner = unitCgroupPath(managerCgroup, unit);
    const record = layoutRecord(layout, () => inner);
    const version = record.version;
    const fs = loadCgroupManager(record, opts.fs, { layout, attachDevices: opts.attachDevices });
    const start = async (pid: number) => {
      try {
        const props = unitProperties(unit, pid, id, spec.linux?.resources ?? {}, {
          version,
          systemdVersion,
        });
        await startUnit(sd, unit.unit, props);
      } finally {
        sd.conn.close();
      }
    };
    return new SystemdManager(
      fs,
      { unit: unit.unit, socket: sd.candidate.path, bus: sd.candidate.bus },
      start,
    );
  } catch (err) {
    sd.conn.close();
    throw err;
  }
}
