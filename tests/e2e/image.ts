// E2E fixture: the busybox test image, made offline from the same rootfs
// the integration tests use (tests/fixtures/bundle.ts), in the two forms
// the engines import:
// - a plain tar of the rootfs, for `podman import`;
// - an OCI image layout tar (oci-layout, index.json, blobs/sha256/…) with
//   one uncompressed layer, for `ctr images import`. containerd names the
//   image from the index's `io.containerd.image.name` annotation.
//
// Permissions: read, write, run (tar, busybox --list).

import { createBundle } from "../fixtures/bundle.ts";

export interface ImageFiles {
  /** Plain rootfs tar (podman import). */
  readonly rootfsTar: string;
  /** OCI image layout tar (ctr images import). */
  readonly ociTar: string;
}

async function tar(args: string[]): Promise<void> {
  const out = await new Deno.Command("tar", { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`tar ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Writes `bytes` as a blob of the layout; returns its descriptor. */
async function blob(
  layout: string,
  mediaType: string,
  bytes: Uint8Array,
): Promise<{ mediaType: string; digest: string; size: number }> {
  const hex = await sha256(bytes);
  await Deno.writeFile(`${layout}/blobs/sha256/${hex}`, bytes);
  return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** Builds both image files under `dir` for the image reference `ref`. */
export async function makeImageFiles(dir: string, ref: string): Promise<ImageFiles> {
  const bundle = await createBundle({ dir: `${dir}/bundle` });
  const rootfsTar = `${dir}/rootfs.tar`;
  await tar(["--numeric-owner", "-C", bundle.rootfs, "-cf", rootfsTar, "."]);
  await bundle.cleanup();
  const ociTar = await ociImageTar(dir, ref, rootfsTar, {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    Cmd: ["sh"],
    WorkingDir: "/",
  });
  return { rootfsTar, ociTar };
}

/**
 * A pod's pause image, built here: tests/e2e/pause.c compiled static as
 * /pause, its entrypoint. Returns the OCI layout tar.
 */
export async function makePauseImage(dir: string, ref: string): Promise<string> {
  await Deno.mkdir(`${dir}/pause-rootfs`, { recursive: true });
  const cc = await new Deno.Command("cc", {
    args: [
      "-O2",
      "-static",
      "-s",
      "-o",
      `${dir}/pause-rootfs/pause`,
      `${import.meta.dirname}/pause.c`,
    ],
    stderr: "piped",
  }).output();
  if (!cc.success) throw new Error(`cc pause.c: ${new TextDecoder().decode(cc.stderr)}`);
  const rootfsTar = `${dir}/pause-rootfs.tar`;
  await tar(["--numeric-owner", "-C", `${dir}/pause-rootfs`, "-cf", rootfsTar, "."]);
  return await ociImageTar(`${dir}/pause`, ref, rootfsTar, { Entrypoint: ["/pause"] });
}

/** An OCI image layout tar of one uncompressed layer, named `ref`. */
async function ociImageTar(
  dir: string,
  ref: string,
  rootfsTar: string,
  imageConfig: Record<string, unknown>,
): Promise<string> {
  const layout = `${dir}/oci`;
  await Deno.mkdir(`${layout}/blobs/sha256`, { recursive: true });
  const layerBytes = await Deno.readFile(rootfsTar);
  const layer = await blob(layout, "application/vnd.oci.image.layer.v1.tar", layerBytes);
  const config = await blob(
    layout,
    "application/vnd.oci.image.config.v1+json",
    json({
      architecture: "amd64",
      os: "linux",
      config: imageConfig,
      // Uncompressed layer: its diff id is its own digest.
      rootfs: { type: "layers", diff_ids: [layer.digest] },
    }),
  );
  const manifest = await blob(
    layout,
    "application/vnd.oci.image.manifest.v1+json",
    json({ schemaVersion: 2, config, layers: [layer] }),
  );
  await Deno.writeTextFile(`${layout}/oci-layout`, JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  await Deno.writeTextFile(
    `${layout}/index.json`,
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{
        ...manifest,
        platform: { architecture: "amd64", os: "linux" },
        annotations: {
          "io.containerd.image.name": ref,
          "org.opencontainers.image.ref.name": "e2e",
        },
      }],
    }),
  );
  const ociTar = `${dir}/oci.tar`;
  await tar(["-C", layout, "-cf", ociTar, "."]);
  await Deno.remove(layout, { recursive: true });
  return ociTar;
}
