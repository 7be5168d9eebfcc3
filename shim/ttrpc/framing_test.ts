// Permissions: none.
import { assertEquals } from "../../lib/testing/assert.ts";
import { encodeFrame, FrameReader, MAX_DATA, MessageType, OversizedFrame } from "./framing.ts";

Deno.test("encodeFrame() writes ttrpc's 10-byte header: length, stream id, type, flags", () => {
  const f = encodeFrame(0x01020304, MessageType.RESPONSE, new Uint8Array([9, 8]), 0x4);
  assertEquals([...f], [0, 0, 0, 2, 1, 2, 3, 4, 2, 4, 9, 8]);
});

Deno.test("FrameReader yields frames split across reads and several in one read", () => {
  const a = encodeFrame(1, MessageType.REQUEST, new Uint8Array([1, 2, 3]));
  const b = encodeFrame(3, MessageType.REQUEST, new Uint8Array());
  const all = new Uint8Array([...a, ...b]);
  const r = new FrameReader();
  const got = [
    ...r.push(all.subarray(0, 5)),
    ...r.push(all.subarray(5, 12)),
    ...r.push(all.subarray(12)),
  ];
  assertEquals(got.map((f) => f instanceof OversizedFrame ? "big" : [f.streamId, [...f.data]]), [
    [1, [1, 2, 3]],
    [3, []],
  ]);
});

Deno.test("FrameReader skips an oversized frame's data, reports it once, and goes on", () => {
  const header = new Uint8Array(10);
  new DataView(header.buffer).setUint32(0, MAX_DATA + 1);
  new DataView(header.buffer).setUint32(4, 5);
  const r = new FrameReader();
  const first = [...r.push(header)];
  assertEquals(first.length, 1);
  assertEquals((first[0] as OversizedFrame).streamId, 5);
  assertEquals([...r.push(new Uint8Array(MAX_DATA))], []); // the data, still skipped
  const next = encodeFrame(7, MessageType.REQUEST, new Uint8Array([42]));
  const rest = [...r.push(new Uint8Array([0, ...next]))]; // the oversized data's last byte, then a frame
  assertEquals(rest.map((f) => (f as { streamId: number }).streamId), [7]);
});
