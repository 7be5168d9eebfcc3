// Decoding of init → parent packets. Pure, so framing and bad input are
// unit-tested without a process.
//
// Permissions: none.

import type { FromInit } from "./messages.ts";

const decoder = new TextDecoder();

export class ProtocolError extends Error {
  constructor(message: string) {
    super(`Bad message from the init: ${message}`);
    this.name = "ProtocolError";
  }
}

function int(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new ProtocolError(`${what} is not an integer`);
  }
  return v;
}

/**
 * A pid the parent may kill(2): a pid of 0 or below would signal a process
 * group or every process, so it is refused however it arrives.
 */
function pid(v: unknown, what: string): number {
  const n = int(v, what);
  if (n <= 0 || n > 4194304) throw new ProtocolError(`${what} ${n} is not a pid`);
  return n;
}

/** One packet's bytes → a message; throws ProtocolError on anything else. */
export function parseFromInit(packet: Uint8Array): FromInit {
  let v: unknown;
  try {
    v = JSON.parse(decoder.decode(packet));
  } catch {
    throw new ProtocolError(`not JSON: ${JSON.stringify(decoder.decode(packet.subarray(0, 80)))}`);
  }
  if (typeof v !== "object" || v === null) throw new ProtocolError("not an object");
  const m = v as Record<string, unknown>;
  switch (m.type) {
    case "procPids":
      return {
        type: "procPids",
        stage1_pid: pid(m.stage1_pid, "stage1_pid"),
        stage2_pid: pid(m.stage2_pid, "stage2_pid"),
      };
    case "procReady":
      return { type: "procReady" };
    case "procSeccomp":
      return { type: "procSeccomp" };
    case "procError":
      return {
        type: "procError",
        op: int(m.op, "op"),
        errno: int(m.errno, "errno"),
        message: typeof m.message === "string" ? m.message : "",
      };
    default:
      throw new ProtocolError(`unknown type ${JSON.stringify(m.type)}`);
  }
}
