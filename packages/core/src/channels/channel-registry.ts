import { ChannelAlreadyRegisteredError, ChannelNotFoundError } from "@roomkit/spec";
import type { ChannelLike } from "./channel-like.ts";

/** The channels a RoomKit knows, by id. */
export class ChannelRegistry {
  private readonly channels = new Map<string, ChannelLike>();

  add(channel: ChannelLike): void {
    if (this.channels.has(channel.channelId)) {
      throw new ChannelAlreadyRegisteredError(`channel ${channel.channelId} is already registered`);
    }
    this.channels.set(channel.channelId, channel);
  }

  remove(channelId: string): ChannelLike | undefined {
    const channel = this.channels.get(channelId);
    this.channels.delete(channelId);
    return channel;
  }

  find(channelId: string): ChannelLike | undefined {
    return this.channels.get(channelId);
  }

  /** Throws `ChannelNotFoundError` for an unknown id. */
  get(channelId: string): ChannelLike {
    const channel = this.channels.get(channelId);
    if (!channel) throw new ChannelNotFoundError(`channel ${channelId} is not registered`);
    return channel;
  }

  all(): ChannelLike[] {
    return [...this.channels.values()];
  }

  clear(): void {
    this.channels.clear();
  }
}
