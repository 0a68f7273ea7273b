import type { RoomEvent } from "@roomkit/spec";
import type { ConversationStore } from "../store/conversation-store.ts";

/**
 * The last N events per room, kept beside the store so building a RoomContext costs no store query.
 * Loaded from the store the first time a room is asked for; appended to by RoomKit after each write.
 */
export class RecentEvents {
  private readonly rooms = new Map<string, RoomEvent[]>();
  private readonly limit: number;
  private readonly store: ConversationStore;

  constructor(store: ConversationStore, limit: number) {
    this.store = store;
    this.limit = limit;
  }

  async get(roomId: string): Promise<readonly RoomEvent[]> {
    let events = this.rooms.get(roomId);
    if (!events) {
      events = this.limit === 0 ? [] : await this.store.listEvents(roomId, { limit: this.limit, newestFirst: true });
      const raced = this.rooms.get(roomId);
      if (raced) return raced;
      this.rooms.set(roomId, events);
    }
    return events;
  }

  /** Records a stored event if the room is cached (an uncached room loads it from the store later). */
  add(event: RoomEvent): void {
    const events = this.rooms.get(event.roomId);
    if (!events || this.limit === 0) return;
    events.push(event);
    if (events.length > this.limit) events.splice(0, events.length - this.limit);
  }

  forget(roomId: string): void {
    this.rooms.delete(roomId);
  }
}
