import {
  type Access,
  type ChannelBinding,
  ChannelNotFoundError,
  type Clock,
  createConsoleLogger,
  createId,
  type EventContent,
  type FrameworkEvent,
  type HookFunction,
  type HookOptions,
  HookTrigger,
  type Logger,
  parseOptions,
  type Room,
  type RoomContext,
  type RoomEvent,
  RoomKitClosedError,
  systemClock,
  UnsupportedOperationError,
  type Visibility,
} from "@roomkit/spec";
import { BindingOperations } from "./channels/binding-operations.ts";
import type { AttachChannelOptions } from "./channels/bindings.ts";
import type {
  ChannelFramework,
  HookDispatchOrigin,
  SendEventOptions,
  SyncHookOutcome,
} from "./channels/channel-framework.ts";
import type { ChannelLike } from "./channels/channel-like.ts";
import { ChannelRegistry } from "./channels/channel-registry.ts";
import { EventPipeline } from "./events/event-pipeline.ts";
import { FrameworkEventBus, type FrameworkEventHandler } from "./events/framework-event-bus.ts";
import { RecentEvents } from "./events/recent-events.ts";
import { createRegistration } from "./hooks/create-registration.ts";
import { HookEngine } from "./hooks/hook-engine.ts";
import { HookRegistry } from "./hooks/hook-registry.ts";
import type { FrameworkEventInit, KitServices } from "./kit-services.ts";
import { KeyedAsyncLock } from "./locks/keyed-async-lock.ts";
import { OperationTracker } from "./locks/operation-tracker.ts";
import * as schemas from "./options/schemas.ts";
import { type CreateRoomOptions, RoomService } from "./rooms/room-service.ts";
import type { RoomEventBus } from "./bus/room-event-bus.ts";
import type { ConversationStore, ListEventsOptions } from "./store/conversation-store.ts";
import { MemoryConversationStore } from "./store/memory-store.ts";

export interface RoomKitOptions {
  /** Default: a new `MemoryConversationStore`. RoomKit closes it in `close()`. */
  store?: ConversationStore;
  /**
   * Fans stored events out to the other nodes sharing `store`, and delivers theirs to this node's channels. Default:
   * none (one process). RoomKit closes it in `close()`.
   */
  bus?: RoomEventBus;
  logger?: Logger;
  /** Used for hook timeouts. */
  clock?: Clock;
  /** How many recent events a RoomContext carries. Default 50. */
  recentEventsLimit?: number;
  /** How long a broadcast waits for one channel's onEvent/deliver before reporting it failed. Default 30 000 ms. */
  deliveryTimeoutMs?: number;
  /** How long `close()` waits for channels to close and for in-flight room operations. Default 5 000 ms. */
  closeTimeoutMs?: number;
}

export interface JoinOptions {
  participantId?: string;
  connection?: unknown;
  metadata?: Record<string, unknown>;
  /** Aborts the session start (the caller hung up during the handshake); passed to `startSession`. */
  signal?: AbortSignal;
}

/**
 * The framework: rooms, channel bindings, the event pipeline, hooks and framework events.
 * A thin facade over the modules in rooms/, channels/, events/, hooks/, store/ and locks/.
 */
export class RoomKit implements ChannelFramework {
  private readonly services: KitServices;
  private readonly bus: FrameworkEventBus;
  private readonly pipeline: EventPipeline;
  private readonly bindingOperations: BindingOperations;
  private closing: Promise<void> | undefined;
  private readonly closeTimeoutMs: number;
  private readonly operations = new OperationTracker();
  private readonly unsubscribeBus: (() => void) | undefined;

  constructor(options?: RoomKitOptions) {
    const parsed = parseOptions("RoomKit", schemas.roomKitOptionsSchema, options, schemas.ROOM_KIT_ACCEPTED) ?? {};
    const store = (parsed.store as ConversationStore | undefined) ?? new MemoryConversationStore();
    const logger = (parsed.logger as Logger | undefined) ?? createConsoleLogger({ name: "roomkit" });
    const clock = (parsed.clock as Clock | undefined) ?? systemClock;
    const hookRegistry = new HookRegistry();
    this.bus = new FrameworkEventBus(logger);
    const emit = (type: string, init: FrameworkEventInit) => this.emitFrameworkEvent(type, init);
    const rooms = new RoomService(store);
    const recent = new RecentEvents(store, parsed.recentEventsLimit ?? 50);
    const hooks = new HookEngine({
      registry: hookRegistry,
      clock,
      logger,
      buildContext: (roomId) => (roomId === undefined ? Promise.resolve(detachedContext()) : this.buildContext(roomId)),
      emit: (type, roomId, data) => emit(type, { roomId, data }),
    });
    this.services = {
      store,
      bus: parsed.bus as RoomEventBus | undefined,
      channels: new ChannelRegistry(),
      rooms,
      lock: new KeyedAsyncLock({ reentrant: { maxDepth: 5 } }),
      hookRegistry,
      hooks,
      recent,
      logger,
      clock,
      deliveryTimeoutMs: parsed.deliveryTimeoutMs ?? 30_000,
      emit,
    };
    this.closeTimeoutMs = parsed.closeTimeoutMs ?? 5_000;
    this.pipeline = new EventPipeline(this.services);
    this.bindingOperations = new BindingOperations(this.services);
    this.unsubscribeBus = this.services.bus?.subscribe((event) =>
      this.operations.track(() => this.pipeline.deliverRemote(event)),
    );
  }

  get store(): ConversationStore {
    return this.services.store;
  }

  /** True once `close()` started. */
  get isClosing(): boolean {
    return this.closing !== undefined;
  }

  // -- channels --

  /** Registers a channel and hands it this framework (`channel.setFramework(kit)`). */
  registerChannel(channel: ChannelLike): void {
    this.assertOpen();
    parseOptions("RoomKit.registerChannel", schemas.registerChannelArgumentSchema, { channel });
    this.services.channels.add(channel);
    channel.setFramework(this);
    this.emitFrameworkEvent("channel_registered", {
      channelId: channel.channelId,
      data: { channelType: channel.channelType },
    });
  }

  /** Removes and returns the channel; the caller closes it. Throws `ChannelNotFoundError` for an unknown id. */
  unregisterChannel(channelId: string): ChannelLike {
    const channel = this.services.channels.get(channelId);
    this.services.channels.remove(channelId);
    this.emitFrameworkEvent("channel_unregistered", { channelId });
    return channel;
  }

  getChannel(channelId: string): ChannelLike | undefined {
    return this.services.channels.find(channelId);
  }

  attachChannel(roomId: string, channelId: string, options?: AttachChannelOptions): Promise<ChannelBinding> {
    return this.guard(async () => {
      const parsed = parseOptions("RoomKit.attachChannel", schemas.attachChannelOptionsSchema, options) ?? {};
      return this.bindingOperations.attach(roomId, channelId, parsed as AttachChannelOptions);
    });
  }

  detachChannel(roomId: string, channelId: string): Promise<ChannelBinding> {
    return this.guard(() => this.bindingOperations.detach(roomId, channelId));
  }

  getBinding(roomId: string, channelId: string): Promise<ChannelBinding | undefined> {
    return this.services.store.getBinding(roomId, channelId);
  }

  listBindings(roomId: string): Promise<ChannelBinding[]> {
    return this.services.store.listBindings(roomId);
  }

  mute(roomId: string, channelId: string): Promise<ChannelBinding> {
    return this.guard(() => this.bindingOperations.mute(roomId, channelId));
  }

  unmute(roomId: string, channelId: string): Promise<ChannelBinding> {
    return this.guard(() => this.bindingOperations.unmute(roomId, channelId));
  }

  muteOutput(roomId: string, channelId: string): Promise<ChannelBinding> {
    return this.guard(() => this.bindingOperations.setOutputMuted(roomId, channelId, true));
  }

  unmuteOutput(roomId: string, channelId: string): Promise<ChannelBinding> {
    return this.guard(() => this.bindingOperations.setOutputMuted(roomId, channelId, false));
  }

  setAccess(roomId: string, channelId: string, access: Access): Promise<ChannelBinding> {
    return this.guard(() => {
      const parsed = parseOptions("RoomKit.setAccess", schemas.accessArgumentSchema, { access }).access as Access;
      return this.bindingOperations.setAccess(roomId, channelId, parsed);
    });
  }

  setVisibility(roomId: string, channelId: string, visibility: Visibility): Promise<ChannelBinding> {
    return this.guard(() => {
      const parsed = parseOptions("RoomKit.setVisibility", schemas.visibilityArgumentSchema, { visibility }).visibility;
      return this.bindingOperations.setVisibility(roomId, channelId, parsed);
    });
  }

  // -- sessions --

  /** Starts a session on a channel that supports them (`channel.startSession`). Requires the room and the binding. */
  join(roomId: string, channelId: string, options?: JoinOptions): Promise<unknown> {
    return this.guard(async () => {
      const parsed = parseOptions("RoomKit.join", schemas.joinOptionsSchema, options) ?? {};
      parsed.signal?.throwIfAborted();
      await this.services.rooms.requireWritable(roomId);
      const channel = this.services.channels.get(channelId);
      if (!(await this.services.store.getBinding(roomId, channelId))) {
        throw new ChannelNotFoundError(`channel ${channelId} is not attached to room ${roomId}`);
      }
      if (typeof channel.startSession !== "function") {
        throw new UnsupportedOperationError(`channel ${channelId} does not support sessions`);
      }
      const participantId = parsed.participantId ?? `participant-${createId().slice(0, 8)}`;
      return channel.startSession(roomId, participantId, {
        connection: parsed.connection,
        metadata: parsed.metadata,
        ...(parsed.signal !== undefined && { signal: parsed.signal }),
      });
    });
  }

  /** Ends a session started with `join` (looked up by `session.channelId`). */
  async leave(session: { channelId: string }): Promise<void> {
    parseOptions("RoomKit.leave", schemas.leaveArgumentSchema, { session });
    const channel = this.services.channels.get(session.channelId);
    if (typeof channel.endSession !== "function") {
      throw new UnsupportedOperationError(`channel ${session.channelId} does not support sessions`);
    }
    await channel.endSession(session);
  }

  // -- rooms --

  createRoom(options?: CreateRoomOptions): Promise<Room> {
    return this.guard(async () => {
      const parsed = parseOptions("RoomKit.createRoom", schemas.createRoomOptionsSchema, options) ?? {};
      const room = await this.services.rooms.create(parsed);
      this.emitFrameworkEvent("room_created", { roomId: room.id });
      await this.services.hooks.runAsync(HookTrigger.ON_ROOM_CREATED, room, { roomId: room.id });
      return room;
    });
  }

  /** Throws `RoomNotFoundError` for an unknown id. */
  getRoom(roomId: string): Promise<Room> {
    return this.services.rooms.require(roomId);
  }

  /** Marks the room closed (later writes throw `RoomClosedError`), runs ON_ROOM_CLOSED, then drops the room's own hooks; idempotent. */
  closeRoom(roomId: string): Promise<Room> {
    return this.guard(async () => {
      const closed = await this.services.lock.run(roomId, () => this.services.rooms.close(roomId));
      if (!closed) return this.services.rooms.require(roomId);
      this.services.recent.forget(roomId);
      this.emitFrameworkEvent("room_closed", { roomId });
      try {
        await this.services.hooks.runAsync(HookTrigger.ON_ROOM_CLOSED, closed, { roomId });
      } finally {
        // The room takes no more writes: its own hooks would only be kept in memory for the life of the process.
        this.services.hookRegistry.clearRoom(roomId);
      }
      return closed;
    });
  }

  // -- events --

  /** The full inbound pipeline (see `EventPipeline`). Returns the stored event (status DELIVERED or BLOCKED). */
  sendEvent(roomId: string, channelId: string, content: EventContent, options?: SendEventOptions): Promise<RoomEvent> {
    return this.guard(() => {
      const parsed = parseOptions("RoomKit.sendEvent", schemas.sendEventArgumentsSchema, { content, options });
      this.services.channels.get(channelId);
      return this.pipeline.send(
        roomId,
        channelId,
        parsed.content as EventContent,
        parsed.options as SendEventOptions | undefined,
      );
    });
  }

  /** Stored events, oldest first (default: the first 50). */
  getTimeline(roomId: string, options?: ListEventsOptions): Promise<RoomEvent[]> {
    return this.guard(async () => {
      const parsed = parseOptions("RoomKit.getTimeline", schemas.timelineOptionsSchema, options);
      await this.services.rooms.require(roomId);
      return this.services.store.listEvents(roomId, parsed);
    });
  }

  /** Ephemeral typing/presence: a `typing` framework event (`kit.on("typing", ...)`), never stored. */
  publishTyping(roomId: string, userId: string, isTyping: boolean, data?: Record<string, unknown>): void {
    parseOptions("RoomKit.publishTyping", schemas.typingArgumentsSchema, { roomId, userId, isTyping, data });
    this.emitFrameworkEvent("typing", { roomId, data: { ...(data ?? {}), userId, isTyping } });
  }

  // -- hooks --

  /** Registers a global hook; returns a function that removes it. */
  hook(trigger: HookTrigger, fn: HookFunction, options?: HookOptions): () => boolean {
    const registration = createRegistration("RoomKit.hook", { trigger, fn, options });
    this.services.hookRegistry.add(registration);
    return () => this.services.hookRegistry.remove(registration);
  }

  /** Registers a hook for one room; returns a function that removes it. */
  addRoomHook(roomId: string, trigger: HookTrigger, fn: HookFunction, options?: HookOptions): () => boolean {
    parseOptions("RoomKit.addRoomHook", schemas.roomIdArgumentSchema, { roomId });
    const registration = createRegistration("RoomKit.addRoomHook", { trigger, fn, options, roomId });
    this.services.hookRegistry.add(registration);
    return () => this.services.hookRegistry.remove(registration);
  }

  removeRoomHook(roomId: string, name: string): boolean {
    return this.services.hookRegistry.removeFromRoom(roomId, name);
  }

  removeHook(name: string): boolean {
    return this.services.hookRegistry.removeGlobal(name);
  }

  hasHooks(trigger: HookTrigger, roomId?: string): boolean {
    return this.services.hookRegistry.hasHooks(trigger, roomId);
  }

  runSyncHooks<Event>(
    trigger: HookTrigger,
    event: Event,
    origin: HookDispatchOrigin,
    context?: RoomContext,
  ): Promise<SyncHookOutcome<Event>> {
    return this.services.hooks.runSync(trigger, event, origin, context);
  }

  runAsyncHooks(
    trigger: HookTrigger,
    event: unknown,
    origin: HookDispatchOrigin,
    context?: RoomContext,
  ): Promise<void> {
    return this.services.hooks.runAsync(trigger, event, origin, context);
  }

  /** `{ room, bindings, recentEvents }` for hooks and channels. Throws `RoomNotFoundError`. */
  async buildContext(roomId: string): Promise<RoomContext> {
    const room = await this.services.rooms.require(roomId);
    const bindings = await this.services.store.listBindings(roomId);
    return this.pipeline.contextFor(room, bindings);
  }

  // -- framework events --

  /** Subscribes to a framework event type (`"*"` for all); returns the unsubscribe function. */
  on(type: string, handler: FrameworkEventHandler): () => void {
    parseOptions("RoomKit.on", schemas.onArgumentsSchema, { type, handler });
    return this.bus.on(type, handler);
  }

  emitFrameworkEvent(type: string, init: FrameworkEventInit = {}): void {
    if (!this.bus.hasListeners(type)) return;
    const event: FrameworkEvent = { type, timestamp: new Date(), data: init.data ?? {} };
    if (init.roomId !== undefined) event.roomId = init.roomId;
    if (init.channelId !== undefined) event.channelId = init.channelId;
    if (init.eventId !== undefined) event.eventId = init.eventId;
    this.bus.emit(event);
  }

  // -- lifecycle --

  /**
   * Closes every channel (errors logged), waits for in-flight room operations, then closes the store; each wait is
   * capped by `closeTimeoutMs`. Idempotent; sets `isClosing` at once (new operations are refused).
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = this.closeAll();
    return this.closing;
  }

  private async closeAll(): Promise<void> {
    const { channels, clock, logger, store } = this.services;
    this.unsubscribeBus?.();
    const all = channels.all();
    const limit = this.closeTimeoutMs;
    const closedChannels = Promise.all(
      all.map(async (channel) => {
        try {
          await channel.close();
        } catch (error) {
          logger.error("channel failed to close", { channelId: channel.channelId, error: String(error) });
        }
      }),
    );
    if (!(await settlesWithin(closedChannels, limit, clock))) {
      logger.warn("channels did not close in time; closing the store anyway", { timeoutMs: limit });
    }
    if (!(await settlesWithin(this.operations.whenIdle(), limit, clock))) {
      logger.warn("room operations still running at close; closing the store anyway", { timeoutMs: limit });
    }
    try {
      await this.services.bus?.close();
    } catch (error) {
      logger.error("bus failed to close", { error: String(error) });
    }
    try {
      await store.close();
    } catch (error) {
      logger.error("store failed to close", { error: String(error) });
    }
    this.emitFrameworkEvent("framework_closed", { data: { channels: all.length } });
  }

  private assertOpen(): void {
    if (this.closing) throw new RoomKitClosedError("RoomKit is closed");
  }

  /** Runs an async operation, turning synchronous throws (validation, closed kit) into rejections. */
  private async guard<Result>(operation: () => Promise<Result>): Promise<Result> {
    this.assertOpen();
    return this.operations.track(operation);
  }
}

/** True when `promise` settles within `timeoutMs` on the clock. */
function settlesWithin(promise: Promise<unknown>, timeoutMs: number, clock: Clock): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(() => resolve(false), timeoutMs);
    promise.then(
      () => {
        clock.clearTimeout(timer);
        resolve(true);
      },
      () => {
        clock.clearTimeout(timer);
        resolve(true);
      },
    );
  });
}

function detachedContext(): RoomContext {
  const epoch = new Date(0);
  return {
    room: {
      id: "",
      status: "active",
      createdAt: epoch,
      updatedAt: epoch,
      metadata: {},
      eventCount: 0,
      latestIndex: -1,
    },
    bindings: [],
    recentEvents: [],
  };
}
