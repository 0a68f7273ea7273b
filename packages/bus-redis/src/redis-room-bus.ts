import type { ConversationStore, RoomEventBus } from "@roomkit/core";
import { createConsoleLogger, createId, type Logger, parseOptions, type RoomEvent, systemClock } from "@roomkit/spec";
import type { Redis } from "ioredis";
import { connectRedis, quit, type RedisFactory, withinConnectTimeout } from "./redis-connection.ts";
import { REDIS_ROOM_BUS_ACCEPTED, redisRoomBusOptionsSchema } from "./options.ts";
import { RoomSequencer } from "./room-sequencer.ts";
import { decodeEvent, encodeEvent } from "./wire.ts";

export interface RedisRoomBusOptions {
  /** `redis://host:port` (credentials allowed; never logged). */
  url: string;
  /** The store every node shares: missing events are read from it. */
  store: ConversationStore;
  /** This node's id (unique in the cluster). Default: a random id. */
  nodeId?: string;
  /** Key and channel prefix, so several clusters can share one Redis. Default `roomkit`. */
  prefix?: string;
  /** How long `ready` waits for Redis before it rejects (code `bus_unreachable`). Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** How long an out-of-order event waits before the missing ones are read from the store. Default 250 ms. */
  gapWaitMs?: number;
  logger?: Logger;
  /** Creates the Redis connections (tests inject; default: ioredis). */
  createRedis?: RedisFactory;
}

interface Envelope {
  node: string;
  event: Record<string, unknown>;
}

/**
 * A `RoomEventBus` on Redis pub/sub. Every node publishes the events it stores on one channel; each node hands the
 * others' events to its RoomKit in per-room index order, each once (see `RoomSequencer`), reading any it missed
 * (a Redis restart, a node that died mid-publish) from the shared store. Publishing never blocks a call: while Redis
 * is down the client queues and the room's audio path does not notice. Works under Bun and Node (ioredis).
 */
export class RedisRoomBus implements RoomEventBus {
  readonly nodeId: string;
  readonly #channel: string;
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #sequencer: RoomSequencer;
  readonly #logger: Logger;
  #deliver: ((event: RoomEvent) => Promise<void>) | undefined;
  #closed = false;
  /** Resolves once subscribed; rejects with a `bus_unreachable` RoomKitError when Redis cannot be reached in time. */
  readonly ready: Promise<void>;

  constructor(options: RedisRoomBusOptions) {
    const parsed = parseOptions("RedisRoomBus", redisRoomBusOptionsSchema, options, REDIS_ROOM_BUS_ACCEPTED);
    this.nodeId = parsed.nodeId ?? `node-${createId().slice(0, 12)}`;
    this.#logger = (parsed.logger as Logger | undefined) ?? createConsoleLogger({ name: "roomkit-bus-redis" });
    this.#channel = `${parsed.prefix ?? "roomkit"}:room-events`;
    const store = options.store;
    this.#sequencer = new RoomSequencer({
      deliver: (event) => this.#deliver?.(event) ?? Promise.resolve(),
      fetchMissing: async (roomId, afterIndex, beforeIndex) => {
        const limit = Math.min(1_000, beforeIndex - afterIndex - 1);
        const events = await store.listEvents(roomId, { afterIndex, limit });
        return events.filter((event) => event.index < beforeIndex);
      },
      gapWaitMs: parsed.gapWaitMs ?? 250,
      clock: systemClock,
      logger: this.#logger,
    });
    const connect = options.createRedis ?? connectRedis;
    this.#publisher = connect(parsed.url, "publisher");
    this.#subscriber = connect(parsed.url, "subscriber");
    this.#subscriber.on("messageBuffer", (_channel: Buffer, message: Buffer) => this.#onMessage(message));
    let subscribedOnce = false;
    this.#subscriber.on("ready", () => {
      // ioredis resubscribes by itself after a reconnect; messages published meanwhile are read from the store.
      if (subscribedOnce) void this.#sequencer.catchUp();
    });
    this.ready = withinConnectTimeout(this.#subscriber, this.#subscriber.subscribe(this.#channel), {
      component: "RedisRoomBus",
      url: parsed.url,
      timeoutMs: parsed.connectTimeoutMs ?? 10_000,
    }).then(() => {
      subscribedOnce = true;
    });
    this.ready.catch((error: unknown) => this.#logger.error("bus: subscribe failed", { error: String(error) }));
  }

  publish(event: RoomEvent): void {
    if (this.#closed) return;
    this.#sequencer.own(event);
    const envelope: Envelope = { node: this.nodeId, event: encodeEvent(event) };
    this.#publisher.publish(this.#channel, JSON.stringify(envelope)).catch((error: unknown) => {
      // Other nodes read it from the store when the room's next event shows the gap.
      this.#logger.warn("bus: publish failed", { roomId: event.roomId, index: event.index, error: String(error) });
    });
  }

  subscribe(deliver: (event: RoomEvent) => Promise<void>): () => void {
    this.#deliver = deliver;
    return () => {
      if (this.#deliver === deliver) this.#deliver = undefined;
    };
  }

  /** Resolves once the events received so far were handed to RoomKit. */
  idle(): Promise<void> {
    return this.#sequencer.idle();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#sequencer.close();
    await Promise.all([quit(this.#publisher), quit(this.#subscriber)]);
  }

  #onMessage(message: Buffer): void {
    let envelope: Envelope;
    let event: RoomEvent;
    try {
      envelope = JSON.parse(message.toString("utf8")) as Envelope;
      event = decodeEvent(envelope.event);
    } catch (error) {
      this.#logger.warn("bus: malformed message dropped", { error: String(error) });
      return;
    }
    if (envelope.node === this.nodeId) return;
    this.#sequencer.arrive(event);
  }
}
