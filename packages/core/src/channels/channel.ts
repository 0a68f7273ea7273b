import {
  ChannelCategory,
  ChannelDirection,
  type ChannelBinding,
  type ChannelType,
  parseOptions,
  type RoomContext,
  type RoomEvent,
} from "@roomkit/spec";
import { CHANNEL_ID_ACCEPTED, channelIdArgumentSchema } from "../options/component-schemas.ts";
import type { ChannelFramework } from "./channel-framework.ts";

/** What a channel returns from `onEvent`/`deliver`; empty for channels that only observe. */
export interface ChannelOutput {
  responded: boolean;
  events: RoomEvent[];
}

export const EMPTY_CHANNEL_OUTPUT: ChannelOutput = Object.freeze({ responded: false, events: [] }) as ChannelOutput;

export interface ChannelCapabilities {
  media: readonly string[];
  supportsAudio?: boolean;
  custom?: Record<string, unknown>;
}

/**
 * A channel: a way messages enter and leave rooms. Registered with `kit.registerChannel(channel)`, attached to rooms
 * with `kit.attachChannel(roomId, channelId, ...)`. Broadcasts reach it through `onEvent`.
 */
export abstract class Channel {
  readonly channelId: string;
  abstract readonly channelType: ChannelType;
  readonly category: ChannelCategory = ChannelCategory.TRANSPORT;
  readonly direction: ChannelDirection = ChannelDirection.BIDIRECTIONAL;
  protected framework: ChannelFramework | undefined;

  /** Throws `RoomKitConfigError` (component: the subclass's name) unless `channelId` is a non-empty string. */
  constructor(channelId: string) {
    parseOptions(new.target.name, channelIdArgumentSchema, { channelId }, CHANNEL_ID_ACCEPTED);
    this.channelId = channelId;
  }

  /** Called by `kit.registerChannel`. */
  setFramework(framework: ChannelFramework | undefined): void {
    this.framework = framework;
  }

  /** A broadcast from another channel in a room this channel is attached to. */
  onEvent(_event: RoomEvent, _binding: ChannelBinding, _context: RoomContext): Promise<ChannelOutput> {
    return Promise.resolve(EMPTY_CHANNEL_OUTPUT);
  }

  deliver(_event: RoomEvent, _binding: ChannelBinding, _context: RoomContext): Promise<ChannelOutput> {
    return Promise.resolve(EMPTY_CHANNEL_OUTPUT);
  }

  /** The binding changed (mute, access, output mute). */
  updateBinding(_roomId: string, _binding: ChannelBinding): void {}

  /** Called by `attachChannel`; throwing rolls the attachment back. */
  onRoomAttached(_roomId: string, _binding: ChannelBinding): Promise<void> {
    return Promise.resolve();
  }

  onRoomDetached(_roomId: string): Promise<void> {
    return Promise.resolve();
  }

  capabilities(): ChannelCapabilities {
    return { media: ["text"] };
  }

  /** For channels with sessions (`kit.join`); realtime channels override. */
  startSession?(
    roomId: string,
    participantId: string,
    options?: { connection?: unknown; metadata?: Record<string, unknown>; signal?: AbortSignal },
  ): Promise<unknown>;
  endSession?(session: unknown): Promise<void>;

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The text body of a text event, else "". */
  static extractText(event: RoomEvent): string {
    return event.content.type === "text" ? event.content.body : "";
  }
}
