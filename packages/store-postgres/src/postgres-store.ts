import type { ConversationStore, ListEventsOptions, NewRoomEvent } from "@roomkit/core";
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
import postgres, { type Sql } from "postgres";
import { type AppendOutcome, AppendBatcher } from "./append-batcher.ts";
import { type MigrationResult, migrate, quoteIdentifier } from "./migrations.ts";
import {
  POSTGRES_STORE_ACCEPTED,
  type PostgresConversationStoreOptions,
  postgresStoreOptionsSchema,
} from "./options.ts";
import { redactUrl, storeClosed, toStoreError } from "./postgres-errors.ts";

const STORE = "PostgresConversationStore";
const DEFAULT_PAGE_SIZE = 50;

interface RoomRow {
  id: string;
  status: Room["status"];
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  metadata: Record<string, unknown>;
  event_count: number;
}
interface EventRow {
  idx: number;
  created_at: Date;
  data: Omit<RoomEvent, "createdAt" | "index">;
}
interface BindingRow {
  attached_at: Date;
  data: Omit<ChannelBinding, "attachedAt">;
}
interface AppendItem {
  roomId: string;
  id: string;
  createdAt: string;
  data: Omit<NewRoomEvent, "createdAt">;
}

/**
 * A `ConversationStore` on PostgreSQL through the `postgres` client (pure JavaScript, runs under Bun and Node), so
 * every node of a cluster reads and writes the same rooms and timelines.
 *
 * - Migrations: the constructor brings the schema up to date (versioned, one transaction, advisory-locked so nodes
 *   starting together are safe) before the first operation runs; `open()` does the same and rejects on failure.
 *   A database whose schema is newer than this code is refused (`SchemaVersionError`).
 * - Pooling: up to `maxConnections` connections, opened lazily.
 * - Appends: one round trip for all the appends in flight (group commit through a database function), each room's
 *   appends applied in order; the room row is locked while its next index is read, so concurrent nodes never assign
 *   one index twice.
 * - Errors: `RoomNotFoundError`, `RoomAlreadyExistsError`, `EventAlreadyExistsError`, `StoreClosedError`, and
 *   `StoreError` with `code` `store_unreachable` / `store_busy` (recoverable), `store_authentication`,
 *   `store_schema_too_new` or `store_error`; messages name the URL without its password.
 */
export class PostgresConversationStore implements ConversationStore {
  /** The connection URL without its password. */
  readonly url: string;
  readonly schema: string;
  /** Settles once migrations ran (rejects with the typed error that stops every operation). */
  readonly ready: Promise<MigrationResult>;
  readonly #sql: Sql;
  readonly #rawUrl: string;
  readonly #tables: { rooms: string; bindings: string; events: string; append: string };
  readonly #batcher: AppendBatcher<AppendItem> | undefined;
  #closed = false;

  constructor(options: PostgresConversationStoreOptions) {
    const parsed = parseOptions(STORE, postgresStoreOptionsSchema, options, POSTGRES_STORE_ACCEPTED);
    this.#rawUrl = parsed.url;
    this.url = redactUrl(parsed.url);
    this.schema = parsed.schema ?? "roomkit";
    const schema = quoteIdentifier(this.schema);
    this.#tables = {
      rooms: `${schema}.rooms`,
      bindings: `${schema}.bindings`,
      events: `${schema}.events`,
      append: `${schema}.append_events`,
    };
    this.#sql = postgres(parsed.url, {
      max: parsed.maxConnections ?? 10,
      connect_timeout: parsed.connectTimeoutSeconds ?? 10,
      idle_timeout: parsed.idleTimeoutSeconds ?? 60,
      onnotice: () => {},
      // Dates are stored as timestamptz; a jsonb column comes back parsed.
    });
    const context = { store: STORE, operation: "migrate", url: this.#rawUrl };
    this.ready = migrate(this.#sql, this.schema).catch((error: unknown) => {
      throw toStoreError(context, error);
    });
    // Reported by the first operation (or by open()); never an unhandled rejection.
    this.ready.catch(() => {});
    this.#batcher =
      parsed.batchAppends === false
        ? undefined
        : new AppendBatcher<AppendItem>({
            write: (items) => this.#appendBatch(items),
            maxBatchSize: parsed.maxBatchSize ?? 256,
            maxInFlight: Math.max(1, Math.floor((parsed.maxConnections ?? 10) / 2)),
          });
  }

  /** Creates the store and waits for the server and the migrations; rejects (and closes) when either fails. */
  static async open(options: PostgresConversationStoreOptions): Promise<PostgresConversationStore> {
    const store = new PostgresConversationStore(options);
    try {
      await store.ready;
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  createRoom(room: Room): Promise<Room> {
    const duplicate = () => new RoomAlreadyExistsError(`room ${room.id} already exists`);
    return this.#run("createRoom", duplicate, async (sql) => {
      const rows = await sql.unsafe<RoomRow[]>(
        `INSERT INTO ${this.#tables.rooms} (id, status, created_at, updated_at, closed_at, metadata)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING
         RETURNING id, status, created_at, updated_at, closed_at, metadata, event_count`,
        [room.id, room.status, room.createdAt, room.updatedAt, room.closedAt ?? null, this.#json(room.metadata ?? {})],
        { prepare: true },
      );
      if (!rows[0]) throw duplicate();
      return toRoom(rows[0]);
    });
  }

  getRoom(roomId: string): Promise<Room | undefined> {
    return this.#run("getRoom", undefined, async (sql) => {
      const rows = await sql.unsafe<RoomRow[]>(
        `SELECT id, status, created_at, updated_at, closed_at, metadata, event_count FROM ${this.#tables.rooms} WHERE id = $1`,
        [roomId],
        { prepare: true },
      );
      return rows[0] ? toRoom(rows[0]) : undefined;
    });
  }

  updateRoom(room: Room): Promise<Room> {
    return this.#run("updateRoom", undefined, async (sql) => {
      const rows = await sql.unsafe<RoomRow[]>(
        `UPDATE ${this.#tables.rooms} SET status = $1, updated_at = $2, closed_at = $3, metadata = $4 WHERE id = $5
         RETURNING id, status, created_at, updated_at, closed_at, metadata, event_count`,
        [room.status, room.updatedAt, room.closedAt ?? null, this.#json(room.metadata ?? {}), room.id],
        { prepare: true },
      );
      if (!rows[0]) throw new RoomNotFoundError(`room ${room.id} not found`);
      return toRoom(rows[0]);
    });
  }

  listRooms(options: { offset?: number; limit?: number } = {}): Promise<Room[]> {
    return this.#run("listRooms", undefined, async (sql) => {
      const rows = await sql.unsafe<RoomRow[]>(
        `SELECT id, status, created_at, updated_at, closed_at, metadata, event_count FROM ${this.#tables.rooms}
         ORDER BY created_at, seq LIMIT $1 OFFSET $2`,
        [options.limit ?? DEFAULT_PAGE_SIZE, options.offset ?? 0],
        { prepare: true },
      );
      return rows.map(toRoom);
    });
  }

  putBinding(binding: ChannelBinding): Promise<ChannelBinding> {
    return this.#run("putBinding", undefined, async (sql) => {
      const { attachedAt, ...rest } = binding;
      // The room must exist: the foreign key refuses the insert otherwise (checked first for a clear error).
      const rows = await sql.unsafe<{ room_id: string }[]>(
        `INSERT INTO ${this.#tables.bindings} (room_id, channel_id, attached_at, data)
         SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM ${this.#tables.rooms} WHERE id = $1)
         ON CONFLICT (room_id, channel_id) DO UPDATE SET attached_at = excluded.attached_at, data = excluded.data
         RETURNING room_id`,
        [binding.roomId, binding.channelId, attachedAt, this.#json(rest)],
        { prepare: true },
      );
      if (!rows[0]) throw new RoomNotFoundError(`room ${binding.roomId} not found`);
      return { ...binding, metadata: { ...binding.metadata } };
    });
  }

  getBinding(roomId: string, channelId: string): Promise<ChannelBinding | undefined> {
    return this.#run("getBinding", undefined, async (sql) => {
      const rows = await sql.unsafe<BindingRow[]>(
        `SELECT attached_at, data FROM ${this.#tables.bindings} WHERE room_id = $1 AND channel_id = $2`,
        [roomId, channelId],
        { prepare: true },
      );
      return rows[0] ? toBinding(rows[0]) : undefined;
    });
  }

  listBindings(roomId: string): Promise<ChannelBinding[]> {
    return this.#run("listBindings", undefined, async (sql) => {
      const rows = await sql.unsafe<BindingRow[]>(
        `SELECT attached_at, data FROM ${this.#tables.bindings} WHERE room_id = $1 ORDER BY seq`,
        [roomId],
        { prepare: true },
      );
      return rows.map(toBinding);
    });
  }

  removeBinding(roomId: string, channelId: string): Promise<boolean> {
    return this.#run("removeBinding", undefined, async (sql) => {
      const result = await sql.unsafe(
        `DELETE FROM ${this.#tables.bindings} WHERE room_id = $1 AND channel_id = $2`,
        [roomId, channelId],
        { prepare: true },
      );
      return result.count > 0;
    });
  }

  appendEvent(event: NewRoomEvent): Promise<RoomEvent> {
    return this.#run("appendEvent", undefined, async () => {
      const { createdAt, ...data } = event;
      const item: AppendItem = { roomId: event.roomId, id: event.id, createdAt: createdAt.toISOString(), data };
      const outcome = this.#batcher
        ? await this.#batcher.submit(event.roomId, item)
        : ((await this.#appendBatch([item]))[0] as AppendOutcome);
      if (outcome.outcome !== "stored") {
        throw outcome.outcome === "room_not_found"
          ? new RoomNotFoundError(`room ${event.roomId} not found`)
          : new EventAlreadyExistsError(`event ${event.id} already stored in room ${event.roomId}`);
      }
      return { ...event, index: outcome.index };
    });
  }

  getEvent(roomId: string, eventId: string): Promise<RoomEvent | undefined> {
    return this.#run("getEvent", undefined, async (sql) => {
      const rows = await sql.unsafe<EventRow[]>(
        `SELECT idx, created_at, data FROM ${this.#tables.events} WHERE room_id = $1 AND id = $2`,
        [roomId, eventId],
        { prepare: true },
      );
      return rows[0] ? toEvent(rows[0]) : undefined;
    });
  }

  listEvents(roomId: string, options: ListEventsOptions = {}): Promise<RoomEvent[]> {
    return this.#run("listEvents", undefined, async (sql) => {
      const limit = options.limit ?? DEFAULT_PAGE_SIZE;
      if (limit <= 0) return [];
      const offset = options.offset ?? 0;
      const columns = `SELECT idx, created_at, data FROM ${this.#tables.events} WHERE room_id = $1`;
      let rows: EventRow[];
      if (options.afterIndex !== undefined) {
        rows = await sql.unsafe<EventRow[]>(`${columns} AND idx > $2 ORDER BY idx LIMIT $3`, [
          roomId,
          options.afterIndex,
          limit,
        ]);
      } else if (options.newestFirst) {
        rows = await sql.unsafe<EventRow[]>(
          `SELECT * FROM (${columns} ORDER BY idx DESC LIMIT $2 OFFSET $3) AS page ORDER BY idx`,
          [roomId, limit, offset],
        );
      } else {
        rows = await sql.unsafe<EventRow[]>(`${columns} ORDER BY idx LIMIT $2 OFFSET $3`, [roomId, limit, offset]);
      }
      return rows.map(toEvent);
    });
  }

  /** Waits for queued appends, then closes the pool. Idempotent; later calls reject with `StoreClosedError`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#batcher?.drain();
    await this.#sql.end({ timeout: 5 });
  }

  /** A jsonb parameter (serialised once by the client; a plain array would be sent as a PostgreSQL array). */
  #json(value: unknown): never {
    return this.#sql.json(value as Parameters<Sql["json"]>[0]) as never;
  }

  async #appendBatch(items: AppendItem[]): Promise<AppendOutcome[]> {
    const rows = await this.#sql.unsafe<{ item_position: number; item_index: number | null; item_outcome: string }[]>(
      `SELECT item_position, item_index, item_outcome FROM ${this.#tables.append}($1::jsonb)`,
      [this.#json(items)],
      { prepare: true },
    );
    const outcomes: AppendOutcome[] = new Array(items.length);
    for (const row of rows) {
      outcomes[row.item_position] =
        row.item_outcome === "stored"
          ? { outcome: "stored", index: row.item_index as number }
          : { outcome: row.item_outcome as "room_not_found" | "duplicate" };
    }
    return outcomes;
  }

  /** Runs one operation after the migrations: `StoreClosedError` after `close()`, a typed error on failure. */
  async #run<Result>(
    operation: string,
    onUnique: (() => RoomKitError) | undefined,
    body: (sql: Sql) => Promise<Result>,
  ): Promise<Result> {
    if (this.#closed) throw storeClosed(STORE, operation);
    await this.ready;
    try {
      return await body(this.#sql);
    } catch (error) {
      if (this.#closed && isEndedConnection(error)) throw storeClosed(STORE, operation);
      throw toStoreError({ store: STORE, operation, url: this.#rawUrl }, error, onUnique);
    }
  }
}

function isEndedConnection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "CONNECTION_ENDED" || code === "CONNECTION_DESTROYED";
}

function toRoom(row: RoomRow): Room {
  const room: Room = {
    id: row.id,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    metadata: row.metadata,
    eventCount: row.event_count,
    latestIndex: row.event_count - 1,
  };
  if (row.closed_at !== null) room.closedAt = row.closed_at;
  return room;
}

function toBinding(row: BindingRow): ChannelBinding {
  return { ...row.data, attachedAt: row.attached_at };
}

function toEvent(row: EventRow): RoomEvent {
  return { ...row.data, index: row.idx, createdAt: row.created_at };
}
