import {
  type ChannelBinding,
  ChannelDirection,
  createId,
  type EventContent,
  type EventSource,
  EventStatus,
  EventType,
  type RoomEvent,
  type Visibility,
} from "@roomkit/spec";
import type { NewRoomEvent } from "../store/conversation-store.ts";

/** The source of framework-written SYSTEM events. */
export const SYSTEM_SOURCE: EventSource = Object.freeze({
  channelId: "system",
  channelType: "system",
  direction: ChannelDirection.INBOUND,
}) as EventSource;

export interface MessageEventInit {
  roomId: string;
  binding: ChannelBinding;
  content: EventContent;
  participantId?: string;
  provider?: string;
  direction?: ChannelDirection;
  visibility?: Visibility;
  metadata?: Record<string, unknown>;
  createdAt?: Date;
}

/** A MESSAGE event from a bound channel, before the store gives it an index. Visibility defaults to the binding's. */
export function createMessageEvent(init: MessageEventInit): NewRoomEvent {
  const source: EventSource = {
    channelId: init.binding.channelId,
    channelType: init.binding.channelType,
    direction: init.direction ?? ChannelDirection.INBOUND,
  };
  const participantId = init.participantId ?? init.binding.participantId;
  if (participantId !== undefined) source.participantId = participantId;
  if (init.provider !== undefined) source.provider = init.provider;
  return {
    id: createId(),
    roomId: init.roomId,
    type: EventType.MESSAGE,
    source,
    content: init.content,
    status: EventStatus.PENDING,
    visibility: init.visibility ?? init.binding.visibility,
    chainDepth: 0,
    createdAt: init.createdAt ?? new Date(),
    metadata: init.metadata ? { ...init.metadata } : {},
  };
}

/** A SYSTEM audit event (attach, detach, mute, access, visibility, room closed): stored, never broadcast. */
export function createSystemEvent(
  roomId: string,
  code: string,
  body: string,
  data: Record<string, unknown>,
): NewRoomEvent {
  return {
    id: createId(),
    roomId,
    type: EventType.SYSTEM,
    source: SYSTEM_SOURCE,
    content: { type: "system", code, body, data },
    status: EventStatus.DELIVERED,
    visibility: "internal",
    chainDepth: 0,
    createdAt: new Date(),
    metadata: {},
  };
}

/** True for the spec's `RoomEvent` shape (used to accept a hook's `modify` on BEFORE_BROADCAST). */
export function isRoomEventLike(value: unknown): value is RoomEvent {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<RoomEvent>;
  return (
    typeof candidate.content === "object" &&
    candidate.content !== null &&
    typeof (candidate.content as { type?: unknown }).type === "string" &&
    typeof candidate.source === "object"
  );
}
