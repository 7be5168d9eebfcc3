import { deepStrictEqual, equal } from "node:assert/strict";
import { isBind, MOUNT_ATTR, MS, parseMountOptions } from "./mount_options.ts";

Deno.test("parseMountOptions() maps the usual proc/sysfs options to flags", () => {
  const o = parseMountOptions(["nosuid", "noexec", "nodev", "ro"]);
  equal(o.flags, MS.NOSUID | MS.NOEXEC | MS.NODEV | MS.RDONLY);
  equal(o.clearedFlags, 0);
  equal(o.data, "");
  deepStrictEqual(o.propagation, []);
});

Deno.test("parseMountOptions() lets a later option win and records cleared flags", () => {
  const o = parseMountOptions(["ro", "rw", "nosuid", "suid", "dev", "exec", "async", "atime"]);
  equal(o.flags, 0);
  equal(o.clearedFlags, MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC | MS.SYNCHRONOUS | MS.NOATIME);
  const p = parseMountOptions(["rw", "ro"]);
  equal(p.flags, MS.RDONLY);
  equal(p.clearedFlags, 0);
});

Deno.test("parseMountOptions() covers every flag option of runc's table", () => {
  const set: [string, number][] = [
    ["sync", MS.SYNCHRONOUS],
    ["dirsync", MS.DIRSYNC],
    ["remount", MS.REMOUNT],
    ["mand", MS.MANDLOCK],
    ["noatime", MS.NOATIME],
    ["nodiratime", MS.NODIRATIME],
    ["relatime", MS.RELATIME],
    ["strictatime", MS.STRICTATIME],
    ["bind", MS.BIND],
    ["rbind", MS.BIND | MS.REC],
    ["nosymfollow", MS.NOSYMFOLLOW],
    ["iversion", MS.I_VERSION],
    ["lazytime", MS.LAZYTIME],
    ["silent", MS.SILENT],
  ];
  for (const [name, flag] of set) equal(parseMountOptions([name]).flags, flag, name);
  const cleared: [string, number][] = [
    ["nomand", MS.MANDLOCK],
    ["diratime", MS.NODIRATIME],
    ["norelatime", MS.RELATIME],
    ["nostrictatime", MS.STRICTATIME],
    ["loud", MS.SILENT],
    ["symfollow", MS.NOSYMFOLLOW],
  ];
  for (const [name, flag] of cleared) equal(parseMountOptions([name]).clearedFlags, flag, name);
});

Deno.test("parseMountOptions() keeps propagation options in order", () => {
  const o = parseMountOptions(["rprivate", "shared", "rslave", "unbindable"]);
  deepStrictEqual(o.propagation, [
    MS.PRIVATE | MS.REC,
    MS.SHARED,
    MS.SLAVE | MS.REC,
    MS.UNBINDABLE,
  ]);
  deepStrictEqual(parseMountOptions(["private", "rshared", "slave", "runbindable"]).propagation, [
    MS.PRIVATE,
    MS.SHARED | MS.REC,
    MS.SLAVE,
    MS.UNBINDABLE | MS.REC,
  ]);
});

Deno.test("parseMountOptions() joins unknown options into data with commas", () => {
  const o = parseMountOptions(["nosuid", "mode=755", "size=65536k", "acl"]);
  equal(o.data, "mode=755,size=65536k,acl");
  equal(o.flags, MS.NOSUID);
});

Deno.test("parseMountOptions() drops 'defaults'", () => {
  const o = parseMountOptions(["defaults", "newinstance"]);
  equal(o.flags, 0);
  equal(o.data, "newinstance");
});

Deno.test("parseMountOptions() collects recursive attributes (atime ones also clear ATIME)", () => {
  deepStrictEqual(parseMountOptions(["rro", "rnosuid"]).recAttr, {
    set: MOUNT_ATTR.RDONLY | MOUNT_ATTR.NOSUID,
    clear: 0,
  });
  deepStrictEqual(parseMountOptions(["rnoatime"]).recAttr, {
    set: MOUNT_ATTR.NOATIME,
    clear: MOUNT_ATTR.ATIME_MASK,
  });
  deepStrictEqual(parseMountOptions(["rro", "rrw"]).recAttr, { set: 0, clear: MOUNT_ATTR.RDONLY });
  equal(parseMountOptions(["ro"]).recAttr, undefined);
});

Deno.test("parseMountOptions() notes idmap, ridmap and tmpcopyup", () => {
  equal(parseMountOptions(["idmap"]).idmap, "idmap");
  equal(parseMountOptions(["ridmap"]).idmap, "ridmap");
  equal(parseMountOptions(["tmpcopyup"]).tmpcopyup, true);
  equal(parseMountOptions([]).tmpcopyup, false);
  equal(parseMountOptions(["tmpcopyup"]).data, "");
});

Deno.test("isBind() is true for bind and rbind only", () => {
  equal(isBind(parseMountOptions(["rbind", "ro"])), true);
  equal(isBind(parseMountOptions(["bind"])), true);
  equal(isBind(parseMountOptions(["ro"])), false);
  equal(isBind(parseMountOptions(undefined)), false);
});
