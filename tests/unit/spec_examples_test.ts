// The runtime spec's own example configs (schema/test/config/{good,bad}),
// run through parseSpec() and validateSpec(): every Linux-relevant good
// one is accepted, every bad one refused at the pointer of its fault.
//
// The examples come from tests/fixtures/oci_schema.ts (Debian's package
// has none); where they are not on this machine, one ignored test says why.
//
// Permissions: --allow-read, --allow-env=RUNO_OCI_SCHEMA_DIR.

import { assert, assertEquals, assertThrows } from "../../lib/testing/assert.ts";
import { ConfigError, parseSpec, parseSpecText, validateSpec } from "../../lib/spec/mod.ts";
import { ociSchema } from "../fixtures/oci_schema.ts";

const schema = ociSchema("test/config/good", "test/config/bad");
const DIR = `${schema.dir}/test/config`;

function examples(kind: "good" | "bad"): string[] {
  if (schema.ignore) return [];
  return [...Deno.readDirSync(`${DIR}/${kind}`)]
    .filter((e) => e.name.endsWith(".json")).map((e) => e.name).sort();
}

const read = (kind: string, name: string) => Deno.readTextFileSync(`${DIR}/${kind}/${name}`);

/** Good examples not checked, with why. */
const SKIPPED_GOOD: Record<string, string> = {
  // A FreeBSD jail config: it sets a hostname with no Linux UTS namespace
  // (FreeBSD jails give one by default) and no process.user, as FreeBSD's
  // section allows; on Linux both rules rightly refuse it.
  "freebsd-example.json": "FreeBSD config, not Linux",
  // A z/OS config: its namespaces live under "zos", so its hostname has no
  // Linux UTS namespace; it also declares spec version 0.5.0-dev.
  "zos-example.json": "z/OS config, not Linux",
};

/** Good examples checked with one field changed, and why. */
const ADJUSTED_GOOD: Record<
  string,
  [edit: (config: Record<string, unknown>) => void, why: string]
> = {
  // runo reads 1.x configs only (see parse.ts); this example has carried
  // "0.5.0-dev" since before 1.0 while its content follows the current
  // spec. Checked as refused at /ociVersion, then accepted as 1.0.0.
  "spec-example.json": [(c) => c.ociVersion = "1.0.0", "declares 0.5.0-dev"],
};

/** Bad examples and the pointer each must be refused at. */
const BAD: Record<string, string> = {
  "invalid-json.json": "",
  "linux-hugepage.json": "/linux/resources/hugepageLimits/0/pageSize",
  "linux-netdevice.json": "/linux/netDevices/eth0/name",
  "linux-rdma.json": "/linux/resources/rdma/mlx5_1/hcaHandles",
};

/**
 * Bad examples whose fault is in another platform's section, which runo,
 * like runc, ignores on Linux. Asserted accepted, so a change is noticed.
 */
const OTHER_PLATFORM_BAD: Record<string, string> = {
  "freebsd-vnet-disable.json": 'freebsd.jail.vnet may not be "disable"',
};

for (const name of examples("good")) {
  if (name in SKIPPED_GOOD) {
    Deno.test({ name: `spec example good/${name} (${SKIPPED_GOOD[name]})`, ignore: true, fn() {} });
    continue;
  }
  Deno.test(`parseSpec() and validateSpec() accept the spec's example good/${name}`, () => {
    const adjusted = ADJUSTED_GOOD[name];
    if (!adjusted) {
      validateSpec(parseSpecText(read("good", name), name));
      return;
    }
    const config = JSON.parse(read("good", name));
    assertThrows(() => parseSpec(config), ConfigError, "/ociVersion");
    adjusted[0](config);
    validateSpec(parseSpec(config));
  });
}

for (const name of examples("bad")) {
  if (name in OTHER_PLATFORM_BAD) {
    Deno.test(`parseSpec() ignores the non-Linux fault of bad/${name}`, () => {
      validateSpec(parseSpecText(read("bad", name), name));
    });
    continue;
  }
  Deno.test(`parseSpec() rejects the spec's example bad/${name}`, () => {
    assert(name in BAD, `bad/${name} is new: add the pointer it must be refused at to BAD`);
    const err = assertThrows(() => {
      validateSpec(parseSpecText(read("bad", name), name));
    }, ConfigError);
    assertEquals(err.pointer, BAD[name], err.message);
  });
}

Deno.test({
  name: schema.testName("spec examples: every listed example exists"),
  ignore: schema.ignore,
  fn: everyListedExampleExists,
});

function everyListedExampleExists() {
  const good = examples("good");
  const bad = examples("bad");
  for (const name of [...Object.keys(SKIPPED_GOOD), ...Object.keys(ADJUSTED_GOOD)]) {
    assert(good.includes(name), `good/${name} is listed here but missing`);
  }
  for (const name of [...Object.keys(BAD), ...Object.keys(OTHER_PLATFORM_BAD)]) {
    assert(bad.includes(name), `bad/${name} is listed here but missing`);
  }
}
