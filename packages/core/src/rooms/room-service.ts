import { createId, type Room, RoomAlreadyExistsError, RoomClosedError, RoomNotFoundError } from "@roomkit/spec";
import type { ConversationStore } from "../store/conversation-store.ts";

export interface CreateRoomOptions {
  roomId?: string;
  metadata?: Record<string, unknown>;
}

/** Room records: creation, lookup with typed errors, closing. */
export class RoomService {
  private readonly store: ConversationStore;

  constructor(store: ConversationStore) {
    this.store = store;
  }

  async create(options: CreateRoomOptions): Promise<Room> {
    const id = options.roomId ?? createId();
    if (await this.store.getRoom(id)) throw new RoomAlreadyExistsError(`room ${id} already exists`);
    const now = new Date();
    return this.store.createRoom({
      id,
      status: "active",
      createdAt: now,
      updatedAt: now,
      metadata: { ...(options.metadata ?? {}) },
      eventCount: 0,
      latestIndex: -1,
    });
  }

  /** Throws `RoomNotFoundError` for an unknown id. */
  async require(roomId: string): Promise<Room> {
    const room = await this.store.getRoom(roomId);
    if (!room) throw new RoomNotFoundError(`room ${roomId} not found`);
    return room;
  }

  /** Throws `RoomNotFoundError` or `RoomClosedError`. */
  async requireWritable(roomId: string): Promise<Room> {
    const room = await this.require(roomId);
    assertWritable(room);
    return room;
  }

  /** Marks the room closed; returns undefined when it already was. */
  async close(roomId: string): Promise<Room | undefined> {
    const room = await this.require(roomId);
    if (room.status === "closed" || room.status === "archived") return undefined;
    const now = new Date();
    return this.store.updateRoom({ ...room, status: "closed", closedAt: now, updatedAt: now });
  }
}

export function assertWritable(room: Room): void {
  if (room.status === "closed" || room.status === "archived") {
    throw new RoomClosedError(`room ${room.id} is ${room.status}`);
  }
}
