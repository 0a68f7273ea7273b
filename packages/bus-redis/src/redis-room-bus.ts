import type { ConversationStore, RoomEventBus } from "@roomkit/core";
import { createConsoleLogger, createId, type Logger, parseOptions, type RoomEvent, systemClock } from "@roomkit/spec";
import type { Redis } from "ioredis";
import { connectRedis, quit, type RedisFactory, withinConnectTimeout } from "./redis-connection.ts";
import { REDIS_ROOM_BUS_ACCEPTED, redisRoomBusOptionsSchema } from "./options.ts";
import { RoomSequencer } from "./room-sequencer.ts";
import { RoomSlots, roomSlot, type SlotChange } from "./room-slots.ts";
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
  /**
   * Shard room events over this many Redis channels (a room's slot: a hash of its id). A node then receives only the
   * events of rooms it watches: rooms where a channel registered on it was attached while it ran (until detached),
   * and rooms given to `watchRoom()` (do that for bindings made before the node started). Default: one channel,
   * every node receives every room's events. All nodes of a cluster must use the same value.
   */
  roomSlots?: number;
  logger?: Logger;
  /** Creates the Redis connections (tests inject; default: ioredis). */
  createRedis?: RedisFactory;
}

interface Envelope {
  node: string;
  event: Record<string, unknown>;
}

/**
 * A `RoomEventBus` on Redis pub/sub. Every node publishes the events it stores on one channel (or, with `roomSlots`,
 * on its room's slot channel, subscribed only by the nodes watching a room in that slot); each node hands the
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
  readonly #slots: RoomSlots | undefined;
  #deliver: ((event: RoomEvent) => Promise<void>) | undefined;
  #closed = false;
  /** Resolves once subscribed; rejects with a `bus_unreachable` RoomKitError when Redis cannot be reached in time. */
  readonly ready: Promise<void>;

  constructor(options: RedisRoomBusOptions) {
    const parsed = parseOptions("RedisRoomBus", redisRoomBusOptionsSchema, options, REDIS_ROOM_BUS_ACCEPTED);
    this.nodeId = parsed.nodeId ?? `node-${createId().slice(0, 12)}`;
    this.#logger = (parsed.logger as Logger | undefined) ?? createConsoleLogger({ name: "roomkit-bus-redis" });
    this.#channel = `${parsed.prefix ?? "roomkit"}:room-events`;
    this.#slots = parsed.roomSlots === undefined ? undefined : new RoomSlots(parsed.roomSlots);
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
    // Sharded, nothing is subscribed until a room is watched: a PING proves the connection instead.
    const first = this.#slots ? this.#subscriber.ping() : this.#subscriber.subscribe(this.#channel);
    this.ready = withinConnectTimeout(this.#subscriber, first, {
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
    if (this.#slots) void this.#apply(this.#slots.observeOwn(event));
    const envelope: Envelope = { node: this.nodeId, event: encodeEvent(event) };
    this.#publisher.publish(this.#channelOf(event.roomId), JSON.stringify(envelope)).catch((error: unknown) => {
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

  /**
   * With `roomSlots`: receive this room's events from other nodes from now on (for channels registered here whose
   * bindings were made before this node started); resolves once subscribed. Without `roomSlots` every room is
   * received anyway.
   */
  async watchRoom(roomId: string): Promise<void> {
    if (this.#slots && !this.#closed) await this.#apply(this.#slots.watch(roomId), roomId);
  }

  /** Ends a `watchRoom()` (rooms with channels attached here stay watched until those are detached). */
  unwatchRoom(roomId: string): void {
    if (this.#slots && !this.#closed) void this.#apply(this.#slots.unwatch(roomId));
  }

  /** The slots this node subscribes to (with `roomSlots`), ascending; empty without. */
  subscribedSlots(): number[] {
    return this.#slots?.subscribedSlots() ?? [];
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
    if (this.#slots) {
      // Other rooms of a subscribed slot are not for this node.
      if (!this.#slots.isWatched(event.roomId)) return;
      this.#sequencer.arrive(event);
      void this.#apply(this.#slots.observeDetach(event));
      return;
    }
    this.#sequencer.arrive(event);
  }

  #channelOf(roomId: string): string {
    return this.#slots ? `${this.#channel}:${roomSlot(roomId, this.#slots.slots)}` : this.#channel;
  }

  /**
   * Subscribes or unsubscribes a slot after a watch changed. Events other nodes published in a newly watched room
   * before the subscription took effect are read from the store once it has (`catchUpRoom`), so none is missed.
   */
  async #apply(change: SlotChange | undefined, watchedRoomId?: string): Promise<void> {
    if (!change) return;
    if (change.forget !== undefined) this.#sequencer.forget(change.forget);
    if (change.unsubscribe !== undefined) {
      this.#subscriber.unsubscribe(`${this.#channel}:${change.unsubscribe}`).catch((error: unknown) => {
        this.#logger.warn("bus: unsubscribe failed", { slot: change.unsubscribe, error: String(error) });
      });
    }
    if (change.subscribe !== undefined) {
      const slot = change.subscribe;
      try {
        await this.#subscriber.subscribe(`${this.#channel}:${slot}`);
        await (watchedRoomId === undefined ? this.#catchUpSlot(slot) : this.#sequencer.catchUpRoom(watchedRoomId));
      } catch (error) {
        this.#logger.warn("bus: subscribe failed", { slot, error: String(error) });
      }
    }
  }

  #catchUpSlot(slot: number): Promise<void> {
    const slots = this.#slots as RoomSlots;
    const rooms = this.#sequencer.positions().filter(({ roomId }) => roomSlot(roomId, slots.slots) === slot);
    return Promise.all(rooms.map(({ roomId }) => this.#sequencer.catchUpRoom(roomId))).then(() => {});
  }
}
