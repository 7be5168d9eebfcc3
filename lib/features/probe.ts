// The host facts `runo features` reports: libseccomp's version (the
// library is loaded only here, lazily) and the kernel release.
//
// Permissions: --allow-ffi, --allow-read (libnsexec.so and the kernel file).

import { load } from "../lazy.ts";
import type { FeatureFacts } from "./features.ts";
import { readKernelFileIfExists } from "../../ffi/kernfs.ts";

/** libseccomp's version, or null when the library cannot be loaded. */
export async function libseccompVersion(): Promise<string | null> {
  try {
    const { seccompVersion } = await load<typeof import("../../ffi/libseccomp.ts")>(
      "ffi/libseccomp.ts",
    );
    return seccompVersion();
  } catch {
    return null;
  }
}

export async function probeFeatureFacts(runoVersion: string): Promise<FeatureFacts> {
  let kernel: string | null = null;
  try {
    kernel = readKernelFileIfExists("/proc/sys/kernel/osrelease")?.trim() ?? null;
  } catch {
    kernel = null;
  }
  return { libseccomp: await libseccompVersion(), kernel, runoVersion };
}
