import {
  type ChannelBinding,
  canWrite,
  ChannelNotFoundError,
  type EventContent,
  EventStatus,
  EventType,
  HookTrigger,
  type Room,
  type RoomContext,
  type RoomEvent,
} from "@roomkit/spec";
import { writeBlockReason } from "../channels/bindings.ts";
import type { HookDispatchOrigin, SendEventOptions } from "../channels/channel-framework.ts";
import type { KitServices } from "../kit-services.ts";
import { eventContentSchema } from "../options/schemas.ts";
import { assertWritable } from "../rooms/room-service.ts";
import type { NewRoomEvent } from "../store/conversation-store.ts";
import { type BroadcastFailure, broadcast, selectTargets } from "./broadcast-router.ts";
import { createMessageEvent, isRoomEventLike } from "./room-events.ts";

interface LockedResult {
  stored: RoomEvent;
  origin: HookDispatchOrigin;
  context: RoomContext | undefined;
  room: Room;
  bindings: ChannelBinding[];
  broadcasted: boolean;
  failures: BroadcastFailure[];
}

/**
 * `sendEvent`: under the room lock, BEFORE_BROADCAST sync hooks → source write gate (a blocked event is stored
 * as BLOCKED with `blockedBy`) → persist with the next index → broadcast. After the lock: delivery failures are
 * reported (ON_ERROR + `delivery_failed`), then AFTER_BROADCAST hooks run (awaited, errors logged).
 */
export class EventPipeline {
  private readonly services: KitServices;

  constructor(services: KitServices) {
    this.services = services;
  }

  async send(
    roomId: string,
    channelId: string,
    content: EventContent,
    options: SendEventOptions | undefined,
  ): Promise<RoomEvent> {
    const { lock, hooks, hookRegistry } = this.services;
    options?.signal?.throwIfAborted();
    const result = await lock.run(roomId, () => this.sendLocked(roomId, channelId, content, options));
    if (result.failures.length > 0) await this.reportFailures(result);
    if (result.broadcasted && hookRegistry.hasHooks(HookTrigger.AFTER_BROADCAST, roomId)) {
      const context = result.context ?? (await this.contextFor(result.room, result.bindings));
      await hooks.runAsync(HookTrigger.AFTER_BROADCAST, result.stored, result.origin, context);
    }
    return result.stored;
  }

  /** A RoomContext from data the pipeline already holds (no extra store queries). */
  async contextFor(room: Room, bindings: ChannelBinding[]): Promise<RoomContext> {
    const recent = await this.services.recent.get(room.id);
    return { room, bindings, recentEvents: recent.slice() };
  }

  private async sendLocked(
    roomId: string,
    channelId: string,
    content: EventContent,
    options: SendEventOptions | undefined,
  ): Promise<LockedResult> {
    const { store, rooms, hookRegistry, hooks } = this.services;
    options?.signal?.throwIfAborted();
    const room = await rooms.require(roomId);
    assertWritable(room);
    const bindings = await store.listBindings(roomId);
    const binding = bindings.find((candidate) => candidate.channelId === channelId);
    if (!binding) throw new ChannelNotFoundError(`channel ${channelId} is not attached to room ${roomId}`);

    let event: NewRoomEvent = createMessageEvent({
      roomId,
      binding,
      content,
      participantId: options?.participantId,
      provider: options?.provider,
      direction: options?.direction,
      visibility: options?.visibility,
      metadata: options?.metadata,
      createdAt: options?.createdAt,
    });
    const origin: HookDispatchOrigin = {
      roomId,
      channelId,
      channelType: binding.channelType,
      direction: event.source.direction,
    };
    let context: RoomContext | undefined;
    const result = (stored: RoomEvent, broadcasted: boolean, failures: BroadcastFailure[] = []): LockedResult => ({
      stored,
      origin,
      context,
      room,
      bindings,
      broadcasted,
      failures,
    });

    if (hookRegistry.hasHooks(HookTrigger.BEFORE_BROADCAST, roomId)) {
      context = await this.contextFor(room, bindings);
      const outcome = await hooks.runSync(HookTrigger.BEFORE_BROADCAST, event as RoomEvent, origin, context);
      if (outcome.event !== event) {
        if (isRoomEventLike(outcome.event) && eventContentSchema.safeParse(outcome.event.content).success) {
          event = { ...outcome.event, id: event.id, roomId, status: event.status };
        } else {
          this.services.logger.warn("BEFORE_BROADCAST modify ignored: not a RoomEvent with valid content", { roomId });
        }
      }
      if (Object.keys(outcome.metadata).length > 0) event.metadata = { ...event.metadata, ...outcome.metadata };
      if (!outcome.allowed) {
        event.status = EventStatus.BLOCKED;
        event.blockedBy = outcome.blockedBy ?? "hook";
        if (outcome.reason !== undefined) event.metadata = { ...event.metadata, blockedReason: outcome.reason };
        return result(await this.persist(event), false);
      }
    }

    if (!canWrite(binding)) {
      event.status = EventStatus.BLOCKED;
      event.blockedBy = writeBlockReason(binding);
      return result(await this.persist(event), false);
    }

    event.status = EventStatus.DELIVERED;
    const stored = await this.persist(event);
    const targets = selectTargets(stored, bindings, this.services.channels);
    if (targets.length === 0) return result(stored, true);
    context = await this.contextFor(room, bindings);
    const failures = await broadcast(stored, targets, context, {
      clock: this.services.clock,
      timeoutMs: this.services.deliveryTimeoutMs,
    });
    return result(stored, true, failures);
  }

  private async persist(event: NewRoomEvent): Promise<RoomEvent> {
    const stored = await this.services.store.appendEvent(event);
    this.services.recent.add(stored);
    this.services.bus?.publish(stored); // under the room lock: the bus sees a room's events in index order
    return stored;
  }

  /**
   * An event another node stored and published: delivered to the channels registered here (selected and broadcast
   * as for a local event, under the room lock), failures reported as `delivery_failed`. Not stored again; hooks ran
   * on the node that stored it. Only what the origin broadcast reaches channels: a blocked event or a SYSTEM event
   * (binding changes) only invalidates the recent-events cache.
   */
  async deliverRemote(event: RoomEvent): Promise<void> {
    const { lock, recent, store, channels } = this.services;
    await lock.run(event.roomId, async () => {
      recent.forget(event.roomId);
      if (event.status !== EventStatus.DELIVERED || event.type === EventType.SYSTEM) return;
      const room = await store.getRoom(event.roomId);
      if (!room) return;
      const bindings = await store.listBindings(event.roomId);
      const targets = selectTargets(event, bindings, channels);
      if (targets.length === 0) return;
      const context = await this.contextFor(room, bindings);
      const failures = await broadcast(event, targets, context, {
        clock: this.services.clock,
        timeoutMs: this.services.deliveryTimeoutMs,
      });
      if (failures.length > 0) {
        await this.reportFailures({
          stored: event,
          origin: remoteOrigin(event),
          context,
          room,
          bindings,
          broadcasted: true,
          failures,
        });
      }
    });
  }

  private async reportFailures(result: LockedResult): Promise<void> {
    const { hookRegistry, hooks, logger, emit } = this.services;
    for (const failure of result.failures) {
      const message = failure.error instanceof Error ? failure.error.message : String(failure.error);
      logger.error("channel failed to receive a broadcast", {
        channelId: failure.channelId,
        eventId: result.stored.id,
        error: message,
      });
      emit("delivery_failed", {
        roomId: result.room.id,
        channelId: failure.channelId,
        eventId: result.stored.id,
        data: { error: message, sourceChannelId: result.stored.source.channelId },
      });
      if (!hookRegistry.hasHooks(HookTrigger.ON_ERROR, result.room.id)) continue;
      const errorEvent: RoomEvent = {
        ...result.stored,
        id: `${result.stored.id}-error-${failure.channelId}`,
        type: "system",
        source: { channelId: failure.channelId, channelType: failure.binding.channelType, direction: "outbound" },
        content: { type: "text", body: message },
        status: EventStatus.FAILED,
        parentEventId: result.stored.id,
        metadata: {
          error: message,
          error_type: failure.error instanceof Error ? failure.error.name : "unknown",
          error_category: "broadcast_delivery",
          event_id: result.stored.id,
        },
      };
      const origin: HookDispatchOrigin = {
        roomId: result.room.id,
        channelId: failure.channelId,
        channelType: failure.binding.channelType,
        direction: "outbound",
      };
      const context = result.context ?? (await this.contextFor(result.room, result.bindings));
      await hooks.runAsync(HookTrigger.ON_ERROR, errorEvent, origin, context);
    }
  }
}

function remoteOrigin(event: RoomEvent): HookDispatchOrigin {
  return {
    roomId: event.roomId,
    channelId: event.source.channelId,
    channelType: event.source.channelType,
    direction: event.source.direction,
  };
}
