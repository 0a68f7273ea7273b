import {
  type ChannelDirection,
  ChannelType,
  createId,
  EventStatus,
  EventType,
  type RoomEvent,
  type VoiceSession,
} from "@roomkit/spec";
import type { ChannelRuntime } from "../runtime.ts";

/** A RoomEvent made up for a hook payload (injected text, provider errors); never stored. */
export function channelTextEvent(
  runtime: ChannelRuntime,
  session: VoiceSession,
  init: { body: string; direction: ChannelDirection; participantId?: string; metadata: Record<string, unknown> },
): RoomEvent {
  return {
    id: createId(),
    roomId: session.roomId,
    type: EventType.MESSAGE,
    source: {
      channelId: runtime.channelId,
      channelType: ChannelType.REALTIME_VOICE,
      direction: init.direction,
      ...(init.participantId !== undefined && { participantId: init.participantId }),
    },
    content: { type: "text", body: init.body },
    status: EventStatus.DELIVERED,
    visibility: "all",
    index: 0,
    chainDepth: 0,
    createdAt: new Date(),
    metadata: init.metadata,
  };
}
