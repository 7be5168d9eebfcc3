// runo spec [--bundle DIR] [--rootless]: write a default config.json.
// Permissions: --allow-write (the bundle), --allow-read.
import { defineCommand } from "./command.ts";
import { defaultSpec } from "../spec/default.ts";
import { readKernelFile } from "../../ffi/kernfs.ts";
import { FileError } from "../file_error.ts";

export const command = defineCommand({
  name: "spec",
  usage: "runo spec [command options]",
  summary: "create a new specification file",
  args: { min: 0, max: 0 },
  description:
    "The spec command writes a config.json for a bundle: runc spec's default, which runs sh in the rootfs directory beside it. Edit it before use; --rootless writes the variant for a user namespace mapping the caller to root.",
  flags: [
    { name: "bundle", alias: "b", kind: "string", value: "DIR", help: "path to the bundle" },
    { name: "rootless", kind: "bool", help: "generate a configuration for a rootless container" },
  ],
  run(_ctx, parsed) {
    const dir = parsed.values.bundle ?? ".";
    const file = `${dir}/config.json`;
    const spec = parsed.values.rootless === true
      ? defaultSpec({ rootless: true, ...currentIds() })
      : defaultSpec();
    const text = JSON.stringify(spec, null, "\t") + "\n";
    try {
      // O_EXCL: never over an existing file, nor through a symlink.
      Deno.writeTextFileSync(file, text, { mode: 0o666, createNew: true });
    } catch (err) {
      if (err instanceof Deno.errors.AlreadyExists) {
        throw new Error(`File ${file} exists. Remove it first`);
      }
      throw new FileError("write", file, err);
    }
    return Promise.resolve(0);
  },
});

/** The caller's uid and gid, from /proc (Deno.uid() would need --allow-sys). */
function currentIds(): { uid: number; gid: number } {
  const status = readKernelFile("/proc/self/status");
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
  return { uid: field("Uid"), gid: field("Gid") };
}
