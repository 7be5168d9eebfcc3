// Linux's list format for CPUs and NUMA nodes ("0-3,5,7-9", cpuset(7)), as
// runc's configs.ToCPUSet reads it: spaces around an element and empty
// elements are allowed, ids above MAX_CPU_ID are refused. Used by
// process.execCPUAffinity and linux.memoryPolicy.nodes.
//
// Permissions: none.

/** runc's MaxCPU: the highest CPU or node id accepted. */
export const MAX_CPU_ID = 64 * 1024;

/** The ids of `list` in ascending order, or a reason it is not a list. */
export function parseIdList(list: string): number[] | string {
  const ids = new Set<number>();
  for (const raw of list.split(",")) {
    const part = raw.trim();
    if (part === "") continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return `invalid element "${part}"`;
    const start = Number(m[1]), end = m[2] === undefined ? start : Number(m[2]);
    if (start > MAX_CPU_ID || end > MAX_CPU_ID) {
      return `values larger than ${MAX_CPU_ID} are not supported`;
    }
    if (start > end) return `invalid range "${part}"`;
    for (let i = start; i <= end; i++) ids.add(i);
  }
  return [...ids].sort((a, b) => a - b);
}

/** A bit mask of `ids` (bit i of byte i/8), `bytes` long at least. */
export function idMask(ids: readonly number[], bytes = 0): Uint8Array<ArrayBuffer> {
  const max = ids.length === 0 ? -1 : Math.max(...ids);
  const mask = new Uint8Array(Math.max(bytes, Math.floor(max / 8) + 1, 8));
  for (const id of ids) mask[id >> 3] |= 1 << (id & 7);
  return mask;
}

/** "0-2,5" for [0, 1, 2, 5]: the kernel's own way of printing a list. */
export function formatIdList(ids: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ids.length;) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j] + 1) j++;
    out.push(i === j ? `${ids[i]}` : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return out.join(",");
}
