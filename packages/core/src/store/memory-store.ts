import {
  type ChannelBinding,
  EventAlreadyExistsError,
  type Room,
  RoomAlreadyExistsError,
  type RoomEvent,
  RoomNotFoundError,
} from "@roomkit/spec";
import {
  type ConversationStore,
  type ListEventsOptions,
  type NewRoomEvent,
  selectEventPage,
} from "./conversation-store.ts";
import { idText, metadataObject } from "./store-input.ts";
import { storeClosed, toStoreError } from "./store-failure.ts";

const STORE = "MemoryConversationStore";

interface RoomRecord {
  room: Room;
  bindings: Map<string, ChannelBinding>;
  events: RoomEvent[];
  eventsById: Map<string, RoomEvent>;
}

/** The default store: everything in process memory, gone when the process exits. After `close()` every call rejects. */
export class MemoryConversationStore implements ConversationStore {
  private readonly rooms = new Map<string, RoomRecord>();
  private closed = false;

  createRoom(room: Room): Promise<Room> {
    return this.guard("createRoom", () => {
      if (this.rooms.has(room.id)) {
        return Promise.reject(new RoomAlreadyExistsError(`room ${idText(room.id)} already exists`));
      }
      const stored: Room = {
        ...room,
        metadata: { ...metadataObject(room.metadata, "room.metadata") },
        eventCount: 0,
        latestIndex: -1,
      };
      this.rooms.set(room.id, { room: stored, bindings: new Map(), events: [], eventsById: new Map() });
      return Promise.resolve({ ...stored });
    });
  }

  getRoom(roomId: string): Promise<Room | undefined> {
    return this.guard("getRoom", () => {
      const record = this.rooms.get(roomId);
      return Promise.resolve(record ? { ...record.room } : undefined);
    });
  }

  updateRoom(room: Room): Promise<Room> {
    return this.guard("updateRoom", () => {
      const record = this.rooms.get(room.id);
      if (!record) return Promise.reject(new RoomNotFoundError(`room ${idText(room.id)} not found`));
      record.room = {
        ...record.room,
        status: room.status,
        updatedAt: room.updatedAt,
        closedAt: room.closedAt,
        metadata: { ...metadataObject(room.metadata, "room.metadata") },
      };
      return Promise.resolve({ ...record.room });
    });
  }

  listRooms(options: { offset?: number; limit?: number } = {}): Promise<Room[]> {
    return this.guard("listRooms", () => {
      const offset = options.offset ?? 0;
      const limit = options.limit ?? 50;
      const rooms = [...this.rooms.values()].map((record) => ({ ...record.room }));
      rooms.sort((left, right) => left.createdAt.getTime() - right.createdAt.getTime());
      return Promise.resolve(rooms.slice(offset, offset + limit));
    });
  }

  putBinding(binding: ChannelBinding): Promise<ChannelBinding> {
    return this.guard("putBinding", () => {
      const record = this.rooms.get(binding.roomId);
      if (!record) return Promise.reject(new RoomNotFoundError(`room ${idText(binding.roomId)} not found`));
      const stored = { ...binding, metadata: { ...metadataObject(binding.metadata, "binding.metadata") } };
      record.bindings.set(binding.channelId, stored);
      return Promise.resolve({ ...stored });
    });
  }

  getBinding(roomId: string, channelId: string): Promise<ChannelBinding | undefined> {
    return this.guard("getBinding", () => {
      const binding = this.rooms.get(roomId)?.bindings.get(channelId);
      return Promise.resolve(binding ? { ...binding } : undefined);
    });
  }

  listBindings(roomId: string): Promise<ChannelBinding[]> {
    return this.guard("listBindings", () => {
      const record = this.rooms.get(roomId);
      return Promise.resolve(record ? [...record.bindings.values()].map((binding) => ({ ...binding })) : []);
    });
  }

  removeBinding(roomId: string, channelId: string): Promise<boolean> {
    return this.guard("removeBinding", () => {
      return Promise.resolve(this.rooms.get(roomId)?.bindings.delete(channelId) ?? false);
    });
  }

  appendEvent(event: NewRoomEvent): Promise<RoomEvent> {
    return this.guard("appendEvent", () => {
      const record = this.rooms.get(event.roomId);
      if (!record) return Promise.reject(new RoomNotFoundError(`room ${idText(event.roomId)} not found`));
      if (record.eventsById.has(event.id))
        return Promise.reject(
          new EventAlreadyExistsError(`event ${idText(event.id)} already stored in room ${idText(event.roomId)}`),
        );
      const index = record.room.eventCount;
      const stored: RoomEvent = { ...event, index };
      record.events.push(stored);
      record.eventsById.set(stored.id, stored);
      record.room.eventCount = index + 1;
      record.room.latestIndex = index;
      return Promise.resolve(stored);
    });
  }

  getEvent(roomId: string, eventId: string): Promise<RoomEvent | undefined> {
    return this.guard("getEvent", () => {
      return Promise.resolve(this.rooms.get(roomId)?.eventsById.get(eventId));
    });
  }

  listEvents(roomId: string, options?: ListEventsOptions): Promise<RoomEvent[]> {
    return this.guard("listEvents", () => {
      const record = this.rooms.get(roomId);
      return Promise.resolve(record ? selectEventPage(record.events, options) : []);
    });
  }

  /**
   * Runs one operation so that every failure is a rejection (never a synchronous throw) with a typed error: a
   * closed store rejects with `StoreClosedError`, and a value the store cannot copy (a throwing getter in metadata,
   * an id whose string conversion throws) with a `StoreError` whose cause is the original error.
   */
  private guard<Result>(operation: string, work: () => Promise<Result>): Promise<Result> {
    if (this.closed) return Promise.reject(storeClosed(STORE, operation));
    try {
      return work();
    } catch (error) {
      return Promise.reject(toStoreError(STORE, operation, error));
    }
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
