import type {
  ChannelBinding,
  ChannelCategory,
  ChannelDirection,
  ChannelType,
  RoomContext,
  RoomEvent,
} from "@roomkit/spec";
import type { ChannelCapabilities, ChannelOutput } from "./channel.ts";
import type { ChannelFramework } from "./channel-framework.ts";

/**
 * The public shape RoomKit needs from a channel. `Channel` (the abstract base) satisfies it; test doubles
 * (e.g. `MockChannel` in @roomkit/testing, which cannot import core without a package cycle) satisfy it
 * structurally.
 */
export interface ChannelLike {
  readonly channelId: string;
  readonly channelType: ChannelType;
  readonly category: ChannelCategory;
  readonly direction: ChannelDirection;
  setFramework(framework: ChannelFramework | undefined): void;
  onEvent(event: RoomEvent, binding: ChannelBinding, context: RoomContext): Promise<ChannelOutput>;
  deliver(event: RoomEvent, binding: ChannelBinding, context: RoomContext): Promise<ChannelOutput>;
  updateBinding(roomId: string, binding: ChannelBinding): void;
  onRoomAttached(roomId: string, binding: ChannelBinding): Promise<void>;
  onRoomDetached(roomId: string): Promise<void>;
  capabilities(): ChannelCapabilities;
  startSession?(
    roomId: string,
    participantId: string,
    options?: { connection?: unknown; metadata?: Record<string, unknown>; signal?: AbortSignal },
  ): Promise<unknown>;
  endSession?(session: unknown): Promise<void>;
  close(): Promise<void>;
}
