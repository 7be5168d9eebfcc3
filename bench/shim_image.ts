// bench/shim.sh's image: the e2e busybox image as an OCI layout tar.
// Prints the tar's path.
//
// Permissions: --allow-read, --allow-write, --allow-run (tar).

import { makeImageFiles } from "../tests/e2e/image.ts";

const files = await makeImageFiles(Deno.args[0], "docker.io/library/runo-busybox:bench");
console.log(files.ociTar);
