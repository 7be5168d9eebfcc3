// Events to containerd: /tasks/create, /tasks/start, /tasks/exit, … as
// containerd's shims send them. containerd 1.6 and 2.x both give a shim
// TTRPC_ADDRESS, and the shim forwards each event there
// (containerd.services.events.ttrpc.v1.Events/Forward); without it, the
// publish binary (`containerd publish --topic T --namespace NS`, the event
// as an Any on stdin) is run, as containerd 1.2's shims did. Events go out
// one at a time, in order; one that fails is retried, then dropped with a
// log line (containerd's shims do the same).
//
// Permissions: --allow-net (unix:<TTRPC_ADDRESS>), --allow-ffi (publish binary).

import type { MessageType } from "./proto/schema.ts";
import { Any, timestampOf } from "./proto/types.ts";
import { Envelope, ForwardRequest } from "./proto/events.ts";
import { TtrpcClient } from "./ttrpc/client.ts";

const RETRIES = 3;

export interface PublisherOptions {
  readonly namespace: string;
  /** containerd's ttrpc socket (TTRPC_ADDRESS), "" when not given. */
  readonly ttrpcAddress: string;
  /** containerd's grpc address and binary, for the publish-binary fallback. */
  readonly address: string;
  readonly publishBinary: string;
  readonly log: (msg: string) => void;
  /** Runs the publish binary with `stdin` bytes; resolves to its exit code. */
  readonly runBinary?: (args: string[], stdin: Uint8Array) => Promise<number>;
}

export class Publisher {
  #queue: Promise<void> = Promise.resolve();
  readonly #client: TtrpcClient | undefined;

  constructor(readonly options: PublisherOptions) {
    const path = options.ttrpcAddress.replace(/^unix:\/\//, "");
    this.#client = path
      ? new TtrpcClient(path, { "containerd-namespace-ttrpc": options.namespace })
      : undefined;
  }

  /** Queues event `value` of `type` under `topic` ("/tasks/exit"). */
  publish<T>(topic: string, type: MessageType<T>, value: Partial<T>): void {
    const event: Any = { typeUrl: type.typeName, value: type.encode(value) };
    const timestamp = timestampOf(Date.now());
    this.#queue = this.#queue.then(() => this.#send(topic, event, timestamp));
  }

  /** Resolves once every queued event went out (or was dropped). */
  flushed(): Promise<void> {
    return this.#queue;
  }

  close(): void {
    this.#client?.close();
  }

  async #send(topic: string, event: Any, timestamp: ReturnType<typeof timestampOf>) {
    for (let attempt = 1; attempt <= RETRIES; attempt++) {
      try {
        if (this.#client) {
          const envelope = { timestamp, namespace: this.options.namespace, topic, event };
          await this.#client.call(
            "containerd.services.events.ttrpc.v1.Events",
            "Forward",
            ForwardRequest.encode({ envelope: Envelope.create(envelope) }),
          );
        } else {
          await this.#publishBinary(topic, event);
        }
        return;
      } catch (err) {
        if (attempt === RETRIES) {
          this.options.log(`dropped event ${topic}: ${(err as Error).message}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  async #publishBinary(topic: string, event: Any): Promise<void> {
    const { address, publishBinary, namespace, runBinary } = this.options;
    if (!runBinary) throw new Error("no TTRPC_ADDRESS and no way to run the publish binary");
    const args = ["--address", address, "publish", "--topic", topic, "--namespace", namespace];
    const code = await runBinary([publishBinary, ...args], Any.encode(event));
    if (code !== 0) throw new Error(`${publishBinary} publish exited ${code}`);
  }
}
