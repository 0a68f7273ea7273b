import type { ChannelDirection, ChannelType, Visibility } from "./channel-types.ts";

export interface TextContent {
  type: "text";
  body: string;
  language?: string;
}
export interface AudioContent {
  type: "audio";
  url?: string;
  mimeType?: string;
  durationMs?: number;
  transcript?: string;
}
export interface SystemContent {
  type: "system";
  code: string;
  body?: string;
  data?: Record<string, unknown>;
}
export interface ToolCallContent {
  type: "tool_call";
  toolCallId: string;
  name: string;
  arguments: Record<string, unknown>;
  result?: string;
}
export type EventContent = TextContent | AudioContent | SystemContent | ToolCallContent;

export const EventStatus = {
  PENDING: "pending",
  DELIVERED: "delivered",
  READ: "read",
  FAILED: "failed",
  BLOCKED: "blocked",
} as const;
export type EventStatus = (typeof EventStatus)[keyof typeof EventStatus];

export const EventType = { MESSAGE: "message", SYSTEM: "system" } as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export interface EventSource {
  channelId: string;
  channelType: ChannelType;
  direction: ChannelDirection;
  participantId?: string;
  externalId?: string;
  /** The service that produced the content (for realtime transcripts: the AI provider's name). */
  provider?: string;
}

/** One entry of a room's timeline. `index` increases by one per room, from 0. */
export interface RoomEvent {
  id: string;
  roomId: string;
  type: EventType;
  source: EventSource;
  content: EventContent;
  status: EventStatus;
  blockedBy?: string;
  visibility: Visibility;
  index: number;
  chainDepth: number;
  parentEventId?: string;
  correlationId?: string;
  createdAt: Date;
  metadata: Record<string, unknown>;
}

export type RoomStatus = "active" | "paused" | "closed" | "archived";

export interface Room {
  id: string;
  status: RoomStatus;
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date;
  metadata: Record<string, unknown>;
  eventCount: number;
  latestIndex: number;
}

/** A framework-level notification (`kit.on(type, handler)`). */
export interface FrameworkEvent {
  type: string;
  roomId?: string;
  channelId?: string;
  eventId?: string;
  timestamp: Date;
  data: Record<string, unknown>;
}
