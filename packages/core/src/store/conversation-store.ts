import type { ChannelBinding, Room, RoomEvent } from "@roomkit/spec";

/** An event before the store assigned its per-room `index`. */
export type NewRoomEvent = Omit<RoomEvent, "index">;

export interface ListEventsOptions {
  /** Events to skip (oldest first, or newest first with `newestFirst`). Default 0. */
  offset?: number;
  /** Maximum number of events. Default 50. */
  limit?: number;
  /** Only events with `index > afterIndex` (offset is then ignored). */
  afterIndex?: number;
  /** Take the most recent `limit` events (still returned in ascending index order). */
  newestFirst?: boolean;
}

/**
 * Where rooms, bindings and timelines live. Every method may be called concurrently for different rooms;
 * `appendEvent` for one room is serialised by RoomKit's per-room lock, and the store assigns the index.
 * Returned objects must be treated as read-only.
 *
 * Failures reject with `RoomKitError` subclasses from `@roomkit/spec` (the contract suite checks them): an unknown room
 * is `RoomNotFoundError`, a duplicate id `RoomAlreadyExistsError` / `EventAlreadyExistsError`, any call after `close()`
 * `StoreClosedError`, and a failure of the storage itself `StoreError` (`recoverable: true` when a retry may succeed).
 */
export interface ConversationStore {
  /** Rejects with `RoomAlreadyExistsError` when the id is taken (the stored room is unchanged). */
  createRoom(room: Room): Promise<Room>;
  getRoom(roomId: string): Promise<Room | undefined>;
  /** Replaces status, updatedAt, closedAt and metadata (counters are store-managed). */
  updateRoom(room: Room): Promise<Room>;
  listRooms(options?: { offset?: number; limit?: number }): Promise<Room[]>;

  /** Creates or replaces the binding of `binding.channelId` in `binding.roomId`. */
  putBinding(binding: ChannelBinding): Promise<ChannelBinding>;
  getBinding(roomId: string, channelId: string): Promise<ChannelBinding | undefined>;
  listBindings(roomId: string): Promise<ChannelBinding[]>;
  /** True when a binding was removed. */
  removeBinding(roomId: string, channelId: string): Promise<boolean>;

  /**
   * Stores the event with the room's next index (0, 1, 2, ...) and updates the room's `eventCount` and
   * `latestIndex`. Rejects with `RoomNotFoundError` for an unknown room and `EventAlreadyExistsError` for an id
   * already stored in the room (nothing is written).
   */
  appendEvent(event: NewRoomEvent): Promise<RoomEvent>;
  getEvent(roomId: string, eventId: string): Promise<RoomEvent | undefined>;
  listEvents(roomId: string, options?: ListEventsOptions): Promise<RoomEvent[]>;

  /** Idempotent; every later call rejects with `StoreClosedError`. */
  close(): Promise<void>;
}

export const DEFAULT_EVENT_PAGE_SIZE = 50;

/** Applies `ListEventsOptions` to an ascending array of events (shared by the stores). */
export function selectEventPage(events: readonly RoomEvent[], options: ListEventsOptions = {}): RoomEvent[] {
  const limit = options.limit ?? DEFAULT_EVENT_PAGE_SIZE;
  if (limit <= 0) return [];
  if (options.afterIndex !== undefined) {
    const after = options.afterIndex;
    const start = firstIndexAfter(events, after);
    return events.slice(start, start + limit);
  }
  const offset = options.offset ?? 0;
  if (options.newestFirst) {
    const end = Math.max(0, events.length - offset);
    return events.slice(Math.max(0, end - limit), end);
  }
  return events.slice(offset, offset + limit);
}

function firstIndexAfter(events: readonly RoomEvent[], after: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((events[middle] as RoomEvent).index <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}
