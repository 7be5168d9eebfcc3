// `runo features` against the runtime spec's features schema: the schema's
// own good and bad examples first (so the validator is known to catch a
// bad document), then runo's document for several hosts, then the claims
// that are easy to get wrong checked against the code that does the work.
//
// The schema comes from tests/fixtures/oci_schema.ts; where it is not on
// this machine the schema tests are ignored with the reason.
//
// Permissions: --allow-read (the schema files), --allow-env=RUNO_OCI_SCHEMA_DIR.

import { assert, assertEquals } from "../../lib/testing/assert.ts";
import { validate } from "../../lib/testing/json_schema.ts";
import { buildFeatures, type FeatureFacts, versionAtLeast } from "../../lib/features/features.ts";
import { OCI_VERSION } from "../../lib/version.ts";
import { standardInitPlan } from "../../init/standard_init.ts";
import type { Spec } from "../../lib/spec/types.ts";
import { ociSchema } from "../fixtures/oci_schema.ts";

const schema = ociSchema("features-schema.json");
const examples = ociSchema("features-schema.json", "test/features/good", "test/features/bad");
const check = (doc: unknown, from = schema) =>
  validate(doc, "features-schema.json", (f) => from.load(f));
const example = (kind: string, name: string) =>
  JSON.parse(Deno.readTextFileSync(`${examples.dir}/test/features/${kind}/${name}`));

Deno.test({
  name: examples.testName(
    "the validator accepts the schema's good examples and rejects its bad one",
  ),
  ignore: examples.ignore,
  fn: validatorCatchesBadExamples,
});

function validatorCatchesBadExamples() {
  for (const e of Deno.readDirSync(`${examples.dir}/test/features/good/`)) {
    assertEquals(check(example("good", e.name), examples), [], e.name);
  }
  for (const e of Deno.readDirSync(`${examples.dir}/test/features/bad/`)) {
    assert(check(example("bad", e.name), examples).length > 0, `${e.name} passed validation`);
  }
  // A wrong enum value deep inside is caught too.
  const runc = example("good", "runc.json");
  runc.linux.seccomp.actions.push("SCMP_ACT_MAYBE");
  assertEquals(check(runc, examples), [
    `/linux/seccomp/actions/${
      runc.linux.seccomp.actions.length - 1
    }: "SCMP_ACT_MAYBE" is not one of ` +
    JSON.stringify(
      (examples.load("defs-linux.json") as never as {
        definitions: { SeccompAction: { enum: string[] } };
      }).definitions.SeccompAction.enum,
    ),
  ]);
}

const HOSTS: Record<string, FeatureFacts> = {
  "libseccomp 2.5.4, kernel 6.18": { libseccomp: "2.5.4", kernel: "6.18.0", runoVersion: "0.1.0" },
  "libseccomp 2.6.0, old kernel": { libseccomp: "2.6.0", kernel: "4.19.0-x", runoVersion: "0.1.0" },
  "no libseccomp, kernel unknown": { libseccomp: null, kernel: null, runoVersion: "0.1.0" },
};

for (const [name, facts] of Object.entries(HOSTS)) {
  Deno.test({
    name: schema.testName(`buildFeatures() validates against features-schema.json (${name})`),
    ignore: schema.ignore,
    fn() {
      // A JSON round trip: what `runo features` prints.
      assertEquals(check(JSON.parse(JSON.stringify(buildFeatures(facts)))), []);
    },
  });
}

Deno.test("buildFeatures() reports seccomp from the host's libseccomp and kernel", () => {
  const f = buildFeatures(HOSTS["libseccomp 2.5.4, kernel 6.18"]).linux.seccomp;
  assert(f.enabled);
  assert(f.archs!.includes("SCMP_ARCH_X86_64") && f.archs!.includes("SCMP_ARCH_RISCV64"));
  assert(!f.archs!.includes("SCMP_ARCH_LOONGARCH64"), "loongarch64 came in libseccomp 2.6");
  assertEquals(f.supportedFlags, f.knownFlags);
  const old = buildFeatures(HOSTS["libseccomp 2.6.0, old kernel"]).linux.seccomp;
  assert(old.archs!.includes("SCMP_ARCH_LOONGARCH64"));
  assertEquals(old.supportedFlags, [
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_TSYNC",
  ]);
  assertEquals(buildFeatures(HOSTS["no libseccomp, kernel unknown"]).linux.seccomp, {
    enabled: false,
  });
});

Deno.test("versionAtLeast() compares release strings by their leading numbers", () => {
  assert(versionAtLeast("6.18.0-1-amd64", "5.19.0"));
  assert(!versionAtLeast("5.4.0", "5.19.0"));
  assert(versionAtLeast("2.5.4", "2.5.0") && !versionAtLeast("2.5.4", "2.6.0"));
});

const spec = (mountOptions: string[]): Spec => ({
  ociVersion: "1.2.0",
  root: { path: "rootfs" },
  process: { user: { uid: 0, gid: 0 }, args: ["sh"], cwd: "/" },
  mounts: [{ destination: "/m", type: "tmpfs", source: "tmpfs", options: mountOptions }],
  linux: { namespaces: [{ type: "mount" }] },
});
const plan = (s: Spec, treeFds?: ReadonlyMap<number, number>) =>
  standardInitPlan({
    spec: s,
    bundle: "/b",
    rootfs: "/b/rootfs",
    noPivot: false,
    execFifoFd: 5,
    preservedFds: 0,
    host: { kcoreExists: false, capLastCap: 40, cgroup: { mode: "unified" } },
    ...(treeFds ? { treeFds } : {}),
  });

Deno.test("features' claims match what the planner does", () => {
  const f = buildFeatures(HOSTS["libseccomp 2.5.4, kernel 6.18"]);
  assertEquals(f.ociVersionMax, OCI_VERSION, "the version runo records in state.json");
  assertEquals(f.hooks.length, 6);
  // Idmapped mounts: claimed exactly when the planner attaches the tree
  // the parent prepared for them (and the kernel is new enough).
  const idmap = spec(["idmap"]);
  (idmap.mounts![0] as { type: string }).type = "bind";
  let planned = true;
  try {
    plan(
      { ...idmap, linux: { namespaces: [{ type: "mount" }, { type: "user" }] } },
      new Map([[0, 9]]),
    );
  } catch {
    planned = false;
  }
  assertEquals(f.linux.mountExtensions.idmap.enabled, planned);
  assertEquals(f.mountOptions.includes("idmap"), planned);
  const oldKernel = buildFeatures({ ...HOSTS["libseccomp 2.5.4, kernel 6.18"], kernel: "5.4.0" });
  assertEquals(oldKernel.linux.mountExtensions.idmap.enabled, false);
  assert(!oldKernel.mountOptions.includes("idmap") && !oldKernel.mountOptions.includes("ridmap"));
  // Every listed option plans; none reaches the filesystem as data.
  for (const o of f.mountOptions) {
    const mount = plan(spec([o])).find((op) => op.target === "/m" || op.target?.endsWith("/m"));
    assert(!mount?.data?.includes(o), `${o} passed on as fs data`);
  }
  assert(!f.mountOptions.includes("tmpcopyup"), "tmpcopyup is ignored by runo");
});
