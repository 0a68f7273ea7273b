import {
  Access,
  type ChannelBinding,
  type ChannelCategory,
  type ChannelDirection,
  type Visibility,
} from "@roomkit/spec";
import type { ChannelLike } from "./channel-like.ts";

/** Options of `RoomKit.attachChannel`. */
export interface AttachChannelOptions {
  category?: ChannelCategory;
  access?: Access;
  visibility?: Visibility;
  direction?: ChannelDirection;
  muted?: boolean;
  outputMuted?: boolean;
  participantId?: string;
  metadata?: Record<string, unknown>;
}

export function createBinding(
  roomId: string,
  channel: ChannelLike,
  options: AttachChannelOptions,
  attachedAt: Date,
): ChannelBinding {
  const binding: ChannelBinding = {
    channelId: channel.channelId,
    roomId,
    channelType: channel.channelType,
    category: options.category ?? channel.category,
    direction: options.direction ?? channel.direction,
    access: options.access ?? Access.READ_WRITE,
    muted: options.muted ?? false,
    outputMuted: options.outputMuted ?? false,
    visibility: options.visibility ?? "all",
    attachedAt,
    metadata: { ...(options.metadata ?? {}) },
  };
  if (options.participantId !== undefined) binding.participantId = options.participantId;
  return binding;
}

/** Whether a binding may receive broadcasts: WRITE_ONLY and NONE do not read. Muted bindings still read. */
export function canRead(binding: Pick<ChannelBinding, "access">): boolean {
  return binding.access === Access.READ_WRITE || binding.access === Access.READ_ONLY;
}

/** `blocked_by` for an event from a binding that cannot write. */
export function writeBlockReason(binding: Pick<ChannelBinding, "access" | "muted">): string {
  if (binding.access === Access.READ_ONLY || binding.access === Access.NONE) return "source_read_only";
  return "source_muted";
}
