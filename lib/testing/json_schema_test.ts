import { assertEquals, assertThrows } from "./assert.ts";
import { validate } from "./json_schema.ts";

const FILES: Record<string, unknown> = {
  "main.json": {
    type: "object",
    required: ["a"],
    properties: {
      a: { $ref: "defs.json#/definitions/name" },
      list: { type: "array", items: { type: "string", enum: ["x", "y"] } },
      map: { type: "object", patternProperties: { ".{1,}": { type: "string" } } },
      n: { type: "integer" },
    },
  },
  "defs.json": { definitions: { name: { type: "string", pattern: "^CAP_[A-Z_]+$" } } },
  "odd.json": { type: "object", oneOf: [] },
};
const load = (f: string) => FILES[f];

Deno.test("validate() accepts a document that follows the schema", () => {
  assertEquals(validate({ a: "CAP_X", list: ["x"], map: { k: "v" }, n: 3 }, "main.json", load), []);
});

Deno.test("validate() reports each problem with its JSON pointer", () => {
  assertEquals(validate({ list: ["z", 1], map: { k: 2 }, n: 1.5 }, "main.json", load), [
    '/: missing required property "a"',
    '/list/0: "z" is not one of ["x","y"]',
    '/list/1: expected "string", got integer',
    '/map/k: expected "string", got integer',
    '/n: expected "integer", got number',
  ]);
  assertEquals(validate({ a: "cap_x" }, "main.json", load), [
    '/a: "cap_x" does not match ^CAP_[A-Z_]+$',
  ]);
});

Deno.test("validate() refuses a schema keyword outside its subset", () => {
  assertThrows(() => validate({}, "odd.json", load), Error, 'Unsupported schema keyword "oneOf"');
});
