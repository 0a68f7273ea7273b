import type { Access, ChannelCategory, ChannelDirection, ChannelType, Visibility } from "./channel-types.ts";

/** How a channel is attached to a room (RFC §7.5). */
export interface ChannelBinding {
  channelId: string;
  roomId: string;
  channelType: ChannelType;
  category: ChannelCategory;
  direction: ChannelDirection;
  access: Access;
  muted: boolean;
  outputMuted: boolean;
  visibility: Visibility;
  participantId?: string;
  attachedAt: Date;
  metadata: Record<string, unknown>;
}

/** True when the channel may write into the room: access allows writes and the binding is not muted. */
export function canWrite(binding: Pick<ChannelBinding, "access" | "muted">): boolean {
  return (binding.access === "read_write" || binding.access === "write_only") && !binding.muted;
}

/** True when audio from the caller may reach the provider (the realtime inbound gate). */
export function canSendInboundAudio(binding: Pick<ChannelBinding, "access" | "muted">): boolean {
  return binding.access !== "read_only" && binding.access !== "none" && !binding.muted;
}
