import type { RoomEvent } from "@roomkit/spec";
import type { ConversationStore } from "../store/conversation-store.ts";

/** Rooms whose recent events stay cached (least recently used first out). */
const DEFAULT_MAX_ROOMS = 1000;

/**
 * The last N events per room, kept beside the store so building a RoomContext costs no store query.
 * Loaded from the store the first time a room is asked for; appended to by RoomKit after each write
 * (writes that land while a load is in flight are merged in by index). Only the `maxRooms` most recently used
 * rooms stay cached, so a long-running server does not keep every room it ever served in memory; a room that
 * falls out is loaded from the store again when asked for.
 */
export class RecentEvents {
  private readonly rooms = new Map<string, RoomEvent[]>();
  private readonly loading = new Map<string, { promise: Promise<RoomEvent[]>; pending: RoomEvent[] }>();
  private readonly limit: number;
  private readonly maxRooms: number;
  private readonly store: ConversationStore;

  constructor(store: ConversationStore, limit: number, options: { maxRooms?: number } = {}) {
    this.store = store;
    this.limit = limit;
    this.maxRooms = options.maxRooms ?? DEFAULT_MAX_ROOMS;
  }

  /** Rooms currently cached. */
  get cachedRooms(): number {
    return this.rooms.size;
  }

  get(roomId: string): Promise<readonly RoomEvent[]> | readonly RoomEvent[] {
    const cached = this.rooms.get(roomId);
    if (cached) {
      // most recently used goes last (Map keeps insertion order)
      this.rooms.delete(roomId);
      this.rooms.set(roomId, cached);
      return cached;
    }
    if (this.limit === 0) return [];
    const inFlight = this.loading.get(roomId);
    if (inFlight) return inFlight.promise;
    const load = { promise: this.load(roomId), pending: [] as RoomEvent[] };
    this.loading.set(roomId, load);
    return load.promise;
  }

  /** Records a stored event (an uncached room loads it from the store later). */
  add(event: RoomEvent): void {
    if (this.limit === 0) return;
    const events = this.rooms.get(event.roomId);
    if (events) {
      events.push(event);
      if (events.length > this.limit) events.splice(0, events.length - this.limit);
      return;
    }
    this.loading.get(event.roomId)?.pending.push(event);
  }

  forget(roomId: string): void {
    this.rooms.delete(roomId);
  }

  private async load(roomId: string): Promise<RoomEvent[]> {
    try {
      const events = await this.store.listEvents(roomId, { limit: this.limit, newestFirst: true });
      const pending = this.loading.get(roomId)?.pending ?? [];
      const lastIndex = events.length > 0 ? (events[events.length - 1] as RoomEvent).index : -1;
      for (const event of pending) if (event.index > lastIndex) events.push(event);
      if (events.length > this.limit) events.splice(0, events.length - this.limit);
      this.rooms.set(roomId, events);
      while (this.rooms.size > this.maxRooms) this.rooms.delete(this.rooms.keys().next().value!);
      return events;
    } finally {
      this.loading.delete(roomId);
    }
  }
}
