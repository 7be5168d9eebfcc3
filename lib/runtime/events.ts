// Runtime.events: the container module's callback stream (emit per event)
// as an async iterable, which ends when the container stops, the caller's
// signal aborts, or the caller stops iterating.
//
// Permissions: --allow-ffi, --allow-read.

import type { ContainerEvent } from "./types.ts";
import { streamEvents } from "../container/events.ts";

/** The events of container `id` under `root`, as they happen. */
export async function* eventStream(
  root: string,
  id: string,
  intervalMs: number,
  signal?: AbortSignal,
): AsyncGenerator<ContainerEvent> {
  const stop = new AbortController();
  const queue: ContainerEvent[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let failure: unknown;
  const both = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const done = streamEvents(root, id, intervalMs, (e) => {
    queue.push(e);
    wake?.();
  }, both).then(
    () => {
      ended = true;
      wake?.();
    },
    (err) => {
      failure = err;
      ended = true;
      wake?.();
    },
  );
  try {
    while (true) {
      if (queue.length > 0) {
        yield queue.shift()!;
        continue;
      }
      if (ended) break;
      await new Promise<void>((resolve) => wake = resolve);
      wake = undefined;
    }
    if (failure !== undefined) throw failure;
  } finally {
    stop.abort();
    await done;
  }
}
