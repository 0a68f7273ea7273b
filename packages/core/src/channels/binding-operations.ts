import {
  type Access,
  type ChannelBinding,
  ChannelNotFoundError,
  HookTrigger,
  type RoomEvent,
  type Visibility,
} from "@roomkit/spec";
import { createSystemEvent } from "../events/room-events.ts";
import type { KitServices } from "../kit-services.ts";
import { type AttachChannelOptions, createBinding } from "./bindings.ts";

interface BindingChange {
  patch: Partial<Pick<ChannelBinding, "muted" | "outputMuted" | "access" | "visibility">>;
  /** Push the new binding to the channel with `updateBinding` (mute, output mute, access). */
  push: boolean;
  system?: { code: string; body: string; data: Record<string, unknown> };
  trigger?: HookTrigger;
}

/** attach/detach and the binding mutations (mute, output mute, access, visibility), each under the room lock. */
export class BindingOperations {
  private readonly services: KitServices;

  constructor(services: KitServices) {
    this.services = services;
  }

  async attach(roomId: string, channelId: string, options: AttachChannelOptions): Promise<ChannelBinding> {
    const { channels, lock, rooms, store } = this.services;
    const channel = channels.get(channelId);
    const { binding, systemEvent } = await lock.run(roomId, async () => {
      await rooms.requireWritable(roomId);
      const previous = await store.getBinding(roomId, channelId);
      const created = createBinding(roomId, channel, options, new Date());
      await store.putBinding(created);
      try {
        await channel.onRoomAttached(roomId, created);
      } catch (error) {
        if (previous) await store.putBinding(previous);
        else await store.removeBinding(roomId, channelId);
        throw error;
      }
      const system = await this.persistSystemEvent(roomId, "channel_attached", `Channel ${channelId} attached`, {
        channelId,
        channelType: created.channelType,
        category: created.category,
        access: created.access,
        visibility: created.visibility,
      });
      return { binding: created, systemEvent: system };
    });
    await this.afterChange(binding, systemEvent, HookTrigger.ON_CHANNEL_ATTACHED, "channel_attached");
    return binding;
  }

  async detach(roomId: string, channelId: string): Promise<ChannelBinding> {
    const { channels, lock, rooms, store, logger } = this.services;
    const { binding, systemEvent } = await lock.run(roomId, async () => {
      await rooms.require(roomId);
      const existing = await this.requireBinding(roomId, channelId);
      await store.removeBinding(roomId, channelId);
      const channel = channels.find(channelId);
      if (channel) {
        try {
          await channel.onRoomDetached(roomId);
        } catch (error) {
          logger.error("channel failed in onRoomDetached", { channelId, roomId, error: String(error) });
        }
      }
      const system = await this.persistSystemEvent(roomId, "channel_detached", `Channel ${channelId} detached`, {
        channelId,
      });
      return { binding: existing, systemEvent: system };
    });
    await this.afterChange(binding, systemEvent, HookTrigger.ON_CHANNEL_DETACHED, "channel_detached");
    return binding;
  }

  mute(roomId: string, channelId: string): Promise<ChannelBinding> {
    return this.change(roomId, channelId, {
      patch: { muted: true },
      push: true,
      system: { code: "channel_muted", body: `Channel ${channelId} muted`, data: { channelId } },
      trigger: HookTrigger.ON_CHANNEL_MUTED,
    });
  }

  unmute(roomId: string, channelId: string): Promise<ChannelBinding> {
    return this.change(roomId, channelId, {
      patch: { muted: false },
      push: true,
      system: { code: "channel_unmuted", body: `Channel ${channelId} unmuted`, data: { channelId } },
      trigger: HookTrigger.ON_CHANNEL_UNMUTED,
    });
  }

  setOutputMuted(roomId: string, channelId: string, outputMuted: boolean): Promise<ChannelBinding> {
    return this.change(roomId, channelId, { patch: { outputMuted }, push: true });
  }

  setAccess(roomId: string, channelId: string, access: Access): Promise<ChannelBinding> {
    return this.change(roomId, channelId, {
      patch: { access },
      push: true,
      system: {
        code: "channel_access_changed",
        body: `Channel ${channelId} access: ${access}`,
        data: { channelId, access },
      },
    });
  }

  setVisibility(roomId: string, channelId: string, visibility: Visibility): Promise<ChannelBinding> {
    return this.change(roomId, channelId, {
      patch: { visibility },
      push: false,
      system: {
        code: "channel_visibility_changed",
        body: `Channel ${channelId} visibility: ${visibility}`,
        data: { channelId, visibility },
      },
    });
  }

  private async change(roomId: string, channelId: string, change: BindingChange): Promise<ChannelBinding> {
    const { channels, lock, rooms, store, logger } = this.services;
    const { binding, systemEvent } = await lock.run(roomId, async () => {
      await rooms.require(roomId);
      const existing = await this.requireBinding(roomId, channelId);
      const previous: Record<string, unknown> = {};
      for (const key of Object.keys(change.patch)) previous[key] = existing[key as keyof ChannelBinding];
      const updated: ChannelBinding = { ...existing, ...change.patch };
      await store.putBinding(updated);
      if (change.push) {
        try {
          channels.find(channelId)?.updateBinding(roomId, updated);
        } catch (error) {
          logger.error("channel failed in updateBinding", { channelId, roomId, error: String(error) });
        }
      }
      const system = change.system
        ? await this.persistSystemEvent(roomId, change.system.code, change.system.body, {
            ...change.system.data,
            previous,
          })
        : undefined;
      return { binding: updated, systemEvent: system };
    });
    if (change.system) await this.afterChange(binding, systemEvent, change.trigger, change.system.code);
    return binding;
  }

  private async requireBinding(roomId: string, channelId: string): Promise<ChannelBinding> {
    const binding = await this.services.store.getBinding(roomId, channelId);
    if (!binding) throw new ChannelNotFoundError(`channel ${channelId} is not attached to room ${roomId}`);
    return binding;
  }

  private async persistSystemEvent(
    roomId: string,
    code: string,
    body: string,
    data: Record<string, unknown>,
  ): Promise<RoomEvent> {
    const stored = await this.services.store.appendEvent(createSystemEvent(roomId, code, body, data));
    this.services.recent.add(stored);
    this.services.bus?.publish(stored); // keeps the room's index sequence on the bus without gaps
    return stored;
  }

  /** Outside the lock: the lifecycle hook (async, with the SYSTEM event as payload) and the framework event. */
  private async afterChange(
    binding: ChannelBinding,
    systemEvent: RoomEvent | undefined,
    trigger: HookTrigger | undefined,
    frameworkType: string,
  ): Promise<void> {
    this.services.emit(frameworkType, {
      roomId: binding.roomId,
      channelId: binding.channelId,
      eventId: systemEvent?.id,
      data: { ...(systemEvent?.content.type === "system" ? systemEvent.content.data : {}) },
    });
    if (!trigger || !systemEvent || !this.services.hookRegistry.hasHooks(trigger, binding.roomId)) return;
    await this.services.hooks.runAsync(trigger, systemEvent, {
      roomId: binding.roomId,
      channelId: binding.channelId,
      channelType: binding.channelType,
      direction: binding.direction,
    });
  }
}
