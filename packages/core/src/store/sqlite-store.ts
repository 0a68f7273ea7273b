import {
  type ChannelBinding,
  EventAlreadyExistsError,
  parseOptions,
  type Room,
  RoomAlreadyExistsError,
  type RoomEvent,
  type RoomKitError,
  RoomNotFoundError,
} from "@roomkit/spec";
import { SQLITE_STORE_ACCEPTED, sqliteStoreOptionsSchema } from "../options/component-schemas.ts";
import {
  type ConversationStore,
  DEFAULT_EVENT_PAGE_SIZE,
  type ListEventsOptions,
  type NewRoomEvent,
} from "./conversation-store.ts";
import { openSqliteDatabase, type SqliteDatabase, type SqliteStatement as Statement } from "./sqlite-driver.ts";
import { SQLITE_SCHEMA } from "./sqlite-schema.ts";
import { idText, metadataObject, storedJson } from "./store-input.ts";
import { storeClosed, toStoreError } from "./store-failure.ts";

const STORE = "SqliteConversationStore";

export interface SqliteConversationStoreOptions {
  /** A file path (created if missing; durable across restarts) or `":memory:"`. */
  path: string;
}

interface RoomRow {
  id: string;
  status: Room["status"];
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  metadata: string;
  latest_index: number;
}
interface EventRow {
  idx: number;
  created_at: number;
  data: string;
}
interface BindingRow {
  attached_at: number;
  data: string;
}

/**
 * A `ConversationStore` on `bun:sqlite` (Bun) or `node:sqlite` (Node ≥ 22.13), see `sqlite-driver.ts`. Prepared statements; each append is one transaction (room check,
 * next index from the primary key, insert). File databases use WAL with `synchronous=NORMAL`. Values are stored as JSON: metadata must be
 * JSON-serialisable (Dates inside metadata come back as strings).
 */
export class SqliteConversationStore implements ConversationStore {
  readonly path: string;
  private readonly database: SqliteDatabase;
  private closed = false;
  private readonly statements: {
    insertRoom: Statement;
    selectRoom: Statement<RoomRow>;
    updateRoom: Statement;
    listRooms: Statement<RoomRow>;
    upsertBinding: Statement;
    selectBinding: Statement<BindingRow>;
    listBindings: Statement<BindingRow>;
    deleteBinding: Statement;
    selectRoomExists: Statement<{ found: number }>;
    selectNextIndex: Statement<{ next_index: number }>;
    insertEvent: Statement;
    selectEvent: Statement<EventRow>;
    listEvents: Statement<EventRow>;
    listEventsAfter: Statement<EventRow>;
    listEventsNewest: Statement<EventRow>;
  };
  private readonly appendTransaction: {
    (event: NewRoomEvent): RoomEvent;
    immediate: (event: NewRoomEvent) => RoomEvent;
  };

  constructor(options: SqliteConversationStoreOptions) {
    const { path } = parseOptions("SqliteConversationStore", sqliteStoreOptionsSchema, options, SQLITE_STORE_ACCEPTED);
    this.path = path;
    try {
      this.database = openSqliteDatabase(path);
      if (path !== ":memory:") {
        this.database.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
      }
      // Another process writing the same file makes us wait (up to 5 s) instead of failing with SQLITE_BUSY.
      this.database.exec("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
      this.database.exec(SQLITE_SCHEMA);
    } catch (error) {
      // Cannot open the file (missing directory, permissions) or it is not a database: a StoreError with the cause.
      throw toStoreError(STORE, "open", error);
    }
    const db = this.database;
    this.statements = {
      insertRoom: db.prepare(
        "INSERT INTO rooms (id, status, created_at, updated_at, closed_at, metadata) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      selectRoom: db.prepare<RoomRow, [string]>(
        "SELECT id, status, created_at, updated_at, closed_at, metadata, COALESCE((SELECT MAX(idx) FROM events WHERE room_id = rooms.id), -1) AS latest_index FROM rooms WHERE id = ?",
      ),
      updateRoom: db.prepare("UPDATE rooms SET status = ?, updated_at = ?, closed_at = ?, metadata = ? WHERE id = ?"),
      listRooms: db.prepare<RoomRow, [number, number]>(
        "SELECT id, status, created_at, updated_at, closed_at, metadata, COALESCE((SELECT MAX(idx) FROM events WHERE room_id = rooms.id), -1) AS latest_index FROM rooms ORDER BY created_at, rowid LIMIT ? OFFSET ?",
      ),
      upsertBinding: db.prepare(
        "INSERT INTO bindings (room_id, channel_id, attached_at, data) VALUES (?, ?, ?, ?) ON CONFLICT (room_id, channel_id) DO UPDATE SET attached_at = excluded.attached_at, data = excluded.data",
      ),
      selectBinding: db.prepare<BindingRow, [string, string]>(
        "SELECT attached_at, data FROM bindings WHERE room_id = ? AND channel_id = ?",
      ),
      listBindings: db.prepare<BindingRow, [string]>(
        "SELECT attached_at, data FROM bindings WHERE room_id = ? ORDER BY rowid",
      ),
      deleteBinding: db.prepare("DELETE FROM bindings WHERE room_id = ? AND channel_id = ?"),
      selectRoomExists: db.prepare<{ found: number }, [string]>("SELECT 1 AS found FROM rooms WHERE id = ?"),
      selectNextIndex: db.prepare<{ next_index: number }, [string]>(
        "SELECT COALESCE(MAX(idx), -1) + 1 AS next_index FROM events WHERE room_id = ?",
      ),
      insertEvent: db.prepare("INSERT INTO events (room_id, idx, id, created_at, data) VALUES (?, ?, ?, ?, ?)"),
      selectEvent: db.prepare<EventRow, [string, string]>(
        "SELECT idx, created_at, data FROM events WHERE room_id = ? AND id = ?",
      ),
      listEvents: db.prepare<EventRow, [string, number, number]>(
        "SELECT idx, created_at, data FROM events WHERE room_id = ? ORDER BY idx LIMIT ? OFFSET ?",
      ),
      listEventsAfter: db.prepare<EventRow, [string, number, number]>(
        "SELECT idx, created_at, data FROM events WHERE room_id = ? AND idx > ? ORDER BY idx LIMIT ?",
      ),
      listEventsNewest: db.prepare<EventRow, [string, number, number]>(
        "SELECT * FROM (SELECT idx, created_at, data FROM events WHERE room_id = ? ORDER BY idx DESC LIMIT ? OFFSET ?) ORDER BY idx",
      ),
    };
    this.appendTransaction = db.transaction((event: NewRoomEvent): RoomEvent => {
      if (!this.statements.selectRoomExists.get(event.roomId)) {
        throw new RoomNotFoundError(`room ${idText(event.roomId)} not found`);
      }
      const index = (this.statements.selectNextIndex.get(event.roomId) as { next_index: number }).next_index;
      const { createdAt, ...rest } = event;
      this.statements.insertEvent.run(event.roomId, index, event.id, createdAt.getTime(), storedJson(rest, "event"));
      return { ...event, index };
    });
  }

  createRoom(room: Room): Promise<Room> {
    const duplicate = () => new RoomAlreadyExistsError(`room ${idText(room.id)} already exists`);
    return this.attemptUnique("createRoom", duplicate, () => {
      if (this.statements.selectRoom.get(room.id)) throw duplicate();
      this.statements.insertRoom.run(
        room.id,
        room.status,
        room.createdAt.getTime(),
        room.updatedAt.getTime(),
        room.closedAt ? room.closedAt.getTime() : null,
        storedJson(metadataObject(room.metadata, "room.metadata"), "room.metadata"),
      );
      return this.readRoom(room.id) as Room;
    });
  }

  getRoom(roomId: string): Promise<Room | undefined> {
    return this.attempt("getRoom", () => this.readRoom(roomId));
  }

  updateRoom(room: Room): Promise<Room> {
    return this.attempt("updateRoom", () => {
      const changes = this.statements.updateRoom.run(
        room.status,
        room.updatedAt.getTime(),
        room.closedAt ? room.closedAt.getTime() : null,
        storedJson(metadataObject(room.metadata, "room.metadata"), "room.metadata"),
        room.id,
      ).changes;
      if (changes === 0) throw new RoomNotFoundError(`room ${idText(room.id)} not found`);
      return this.readRoom(room.id) as Room;
    });
  }

  listRooms(options: { offset?: number; limit?: number } = {}): Promise<Room[]> {
    return this.attempt("listRooms", () =>
      this.statements.listRooms.all(options.limit ?? 50, options.offset ?? 0).map(toRoom),
    );
  }

  putBinding(binding: ChannelBinding): Promise<ChannelBinding> {
    return this.attempt("putBinding", () => {
      if (!this.statements.selectRoomExists.get(binding.roomId)) {
        throw new RoomNotFoundError(`room ${idText(binding.roomId)} not found`);
      }
      const metadata = metadataObject(binding.metadata, "binding.metadata");
      const { attachedAt, ...rest } = binding;
      this.statements.upsertBinding.run(
        binding.roomId,
        binding.channelId,
        attachedAt.getTime(),
        storedJson(rest, "binding"),
      );
      return { ...binding, metadata: { ...metadata } };
    });
  }

  getBinding(roomId: string, channelId: string): Promise<ChannelBinding | undefined> {
    return this.attempt("getBinding", () => {
      const row = this.statements.selectBinding.get(roomId, channelId);
      return row ? toBinding(row) : undefined;
    });
  }

  listBindings(roomId: string): Promise<ChannelBinding[]> {
    return this.attempt("listBindings", () => this.statements.listBindings.all(roomId).map(toBinding));
  }

  removeBinding(roomId: string, channelId: string): Promise<boolean> {
    return this.attempt("removeBinding", () => this.statements.deleteBinding.run(roomId, channelId).changes > 0);
  }

  appendEvent(event: NewRoomEvent): Promise<RoomEvent> {
    // IMMEDIATE: take the write lock before reading the next index, so two processes never compute the same one.
    const duplicate = () =>
      new EventAlreadyExistsError(`event ${idText(event.id)} already stored in room ${idText(event.roomId)}`);
    return this.attemptUnique("appendEvent", duplicate, () => this.appendTransaction.immediate(event));
  }

  getEvent(roomId: string, eventId: string): Promise<RoomEvent | undefined> {
    return this.attempt("getEvent", () => {
      const row = this.statements.selectEvent.get(roomId, eventId);
      return row ? toEvent(row) : undefined;
    });
  }

  listEvents(roomId: string, options: ListEventsOptions = {}): Promise<RoomEvent[]> {
    return this.attempt("listEvents", () => {
      const limit = options.limit ?? DEFAULT_EVENT_PAGE_SIZE;
      if (limit <= 0) return [];
      const offset = options.offset ?? 0;
      let rows: EventRow[];
      if (options.afterIndex !== undefined)
        rows = this.statements.listEventsAfter.all(roomId, options.afterIndex, limit);
      else if (options.newestFirst) rows = this.statements.listEventsNewest.all(roomId, limit, offset);
      else rows = this.statements.listEvents.all(roomId, limit, offset);
      return rows.map(toEvent);
    });
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.database.close();
    }
    return Promise.resolve();
  }

  /** Runs one operation: rejects with `StoreClosedError` after `close()`, and with a typed error on failure. */
  private attempt<Result>(operation: string, run: () => Result): Promise<Result> {
    return this.attemptUnique(operation, undefined, run);
  }

  /** `attempt`, where a constraint violation means a duplicate id (`duplicate()` is the rejection). */
  private attemptUnique<Result>(
    operation: string,
    duplicate: (() => RoomKitError) | undefined,
    run: () => Result,
  ): Promise<Result> {
    if (this.closed) return Promise.reject(storeClosed(STORE, operation));
    try {
      return Promise.resolve(run());
    } catch (error) {
      return Promise.reject(toStoreError(STORE, operation, error, duplicate));
    }
  }

  private readRoom(roomId: string): Room | undefined {
    const row = this.statements.selectRoom.get(roomId);
    return row ? toRoom(row) : undefined;
  }
}

function toRoom(row: RoomRow): Room {
  const room: Room = {
    id: row.id,
    status: row.status,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    eventCount: row.latest_index + 1,
    latestIndex: row.latest_index,
  };
  if (row.closed_at !== null) room.closedAt = new Date(row.closed_at);
  return room;
}

function toBinding(row: BindingRow): ChannelBinding {
  return { ...(JSON.parse(row.data) as Omit<ChannelBinding, "attachedAt">), attachedAt: new Date(row.attached_at) };
}

function toEvent(row: EventRow): RoomEvent {
  const event = JSON.parse(row.data) as Omit<RoomEvent, "createdAt" | "index">;
  return { ...event, index: row.idx, createdAt: new Date(row.created_at) };
}
