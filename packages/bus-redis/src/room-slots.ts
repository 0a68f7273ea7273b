import type { RoomEvent } from "@roomkit/spec";

/** The slot of a room: FNV-1a (32 bit) of its id, modulo `slots`. Every node computes the same one. */
export function roomSlot(roomId: string, slots: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < roomId.length; index++) {
    hash ^= roomId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % slots;
}

/** What the bus must do after a room's watch changed. */
export interface SlotChange {
  /** A slot to subscribe to (its first watched room). */
  subscribe?: number;
  /** A slot to unsubscribe from (its last watched room went). */
  unsubscribe?: number;
  /** A room no longer watched: its sequence is dropped (a later watch starts afresh). */
  forget?: string;
}

const MANUAL = "\u0000watchRoom";

/**
 * Which rooms this node needs other nodes' events for, and so which slots it subscribes to. A room is watched while
 * a channel registered here is bound in it (seen from the `channel_attached` events this node stores — attaching
 * needs the channel registered on the attaching node — until a `channel_detached` for it, stored on any node) or
 * after `watch()`. A slot is subscribed while one of its rooms is watched.
 */
export class RoomSlots {
  readonly slots: number;
  readonly #holders = new Map<string, Set<string>>();
  readonly #watchedPerSlot = new Map<number, number>();

  constructor(slots: number) {
    this.slots = slots;
  }

  isWatched(roomId: string): boolean {
    return this.#holders.has(roomId);
  }

  /** Subscribed slots, ascending. */
  subscribedSlots(): number[] {
    return [...this.#watchedPerSlot.keys()].sort((left, right) => left - right);
  }

  watch(roomId: string): SlotChange | undefined {
    return this.#hold(roomId, MANUAL);
  }

  unwatch(roomId: string): SlotChange | undefined {
    return this.#release(roomId, MANUAL);
  }

  /** An event this node stored: a channel attached here starts a watch. */
  observeOwn(event: RoomEvent): SlotChange | undefined {
    const channelId = systemChannelId(event, "channel_attached");
    if (channelId !== undefined) return this.#hold(event.roomId, channelId);
    return this.observeDetach(event);
  }

  /** A detach (stored on any node) of a channel attached here ends that channel's hold on the room. */
  observeDetach(event: RoomEvent): SlotChange | undefined {
    const channelId = systemChannelId(event, "channel_detached");
    return channelId === undefined ? undefined : this.#release(event.roomId, channelId);
  }

  #hold(roomId: string, holder: string): SlotChange | undefined {
    const holders = this.#holders.get(roomId);
    if (holders) {
      holders.add(holder);
      return undefined;
    }
    this.#holders.set(roomId, new Set([holder]));
    const slot = roomSlot(roomId, this.slots);
    const watched = this.#watchedPerSlot.get(slot) ?? 0;
    this.#watchedPerSlot.set(slot, watched + 1);
    return watched === 0 ? { subscribe: slot } : undefined;
  }

  #release(roomId: string, holder: string): SlotChange | undefined {
    const holders = this.#holders.get(roomId);
    if (!holders?.delete(holder) || holders.size > 0) return undefined;
    this.#holders.delete(roomId);
    const slot = roomSlot(roomId, this.slots);
    const watched = (this.#watchedPerSlot.get(slot) ?? 1) - 1;
    if (watched > 0) {
      this.#watchedPerSlot.set(slot, watched);
      return { forget: roomId };
    }
    this.#watchedPerSlot.delete(slot);
    return { unsubscribe: slot, forget: roomId };
  }
}

function systemChannelId(event: RoomEvent, code: string): string | undefined {
  const content = event.content as { type: string; code?: string; data?: Record<string, unknown> };
  if (content.type !== "system" || content.code !== code) return undefined;
  const channelId = content.data?.channelId;
  return typeof channelId === "string" ? channelId : undefined;
}
