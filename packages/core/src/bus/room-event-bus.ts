import type { RoomEvent } from "@roomkit/spec";

/**
 * Carries stored room events between RoomKit nodes that share one `ConversationStore` (for example a Redis bus). The
 * single-process default is no bus.
 *
 * RoomKit calls `publish` for every event it stores, in index order, while it holds the room's lock; the bus must keep
 * that order and must not block (queue, then send). It hands RoomKit the events other nodes published through the
 * `deliver` callback given to `subscribe`, one room's events in order and each once; RoomKit then delivers them to
 * the channels registered on this node (the event is already stored: it is not stored again and hooks do not run
 * again). RoomKit closes the bus in `close()`, before the store.
 */
export interface RoomEventBus {
  publish(event: RoomEvent): void;
  /** Registers RoomKit's receiver for other nodes' events; returns a function that unregisters it. */
  subscribe(deliver: (event: RoomEvent) => Promise<void>): () => void;
  close(): Promise<void>;
}
