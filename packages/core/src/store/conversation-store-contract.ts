import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  type ChannelBinding,
  EventAlreadyExistsError,
  type Room,
  RoomAlreadyExistsError,
  RoomKitError,
  RoomNotFoundError,
  StoreClosedError,
  StoreError,
} from "@roomkit/spec";
import type { ConversationStore, NewRoomEvent } from "./conversation-store.ts";

/**
 * The behaviour every `ConversationStore` must have. Run it from each store's test file:
 * `describeConversationStoreContract("memory", () => new MemoryConversationStore())`.
 * (Test-only module: it imports bun:test and is not exported from the package.)
 */
export function describeConversationStoreContract(
  name: string,
  createStore: () => ConversationStore | Promise<ConversationStore>,
): void {
  describe(`ConversationStore contract: ${name}`, () => {
    let store: ConversationStore;
    beforeEach(async () => {
      store = await createStore();
    });
    afterEach(async () => {
      await store.close();
    });

    test("createRoom then getRoom returns the room; unknown ids give undefined", async () => {
      const created = await store.createRoom(room("r1", { topic: "support" }));
      expect(created.id).toBe("r1");
      expect(created.eventCount).toBe(0);
      expect(created.latestIndex).toBe(-1);
      const fetched = await store.getRoom("r1");
      expect(fetched?.status).toBe("active");
      expect(fetched?.metadata).toEqual({ topic: "support" });
      expect(fetched?.createdAt.getTime()).toBe(created.createdAt.getTime());
      expect(await store.getRoom("nope")).toBeUndefined();
    });

    test("createRoom refuses a duplicate id with RoomAlreadyExistsError and keeps the first room", async () => {
      await store.createRoom(room("r1", { first: true }));
      const error = await store.createRoom(room("r1", { first: false })).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RoomAlreadyExistsError);
      expect((error as RoomAlreadyExistsError).code).toBe("room_already_exists");
      expect((error as Error).message).toContain("r1");
      expect((await store.getRoom("r1"))?.metadata).toEqual({ first: true });
    });

    test("updateRoom replaces status, closedAt and metadata; unknown room is RoomNotFoundError", async () => {
      await store.createRoom(room("r1"));
      const closedAt = new Date(1_700_000_000_000);
      const updated = await store.updateRoom({
        ...room("r1", { a: 1 }),
        status: "closed",
        closedAt,
        updatedAt: closedAt,
      });
      expect(updated.status).toBe("closed");
      expect(updated.closedAt?.getTime()).toBe(closedAt.getTime());
      expect((await store.getRoom("r1"))?.metadata).toEqual({ a: 1 });
      const error = await store.updateRoom(room("ghost")).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RoomNotFoundError);
      expect(RoomKitError.isInstance(error) && error.code).toBe("room_not_found");
    });

    test("listRooms pages in creation order", async () => {
      for (let i = 0; i < 5; i++) await store.createRoom(room(`r${i}`, {}, 1_000 + i));
      expect((await store.listRooms()).map((r) => r.id)).toEqual(["r0", "r1", "r2", "r3", "r4"]);
      expect((await store.listRooms({ offset: 1, limit: 2 })).map((r) => r.id)).toEqual(["r1", "r2"]);
    });

    test("bindings: put, get, replace, list, remove", async () => {
      await store.createRoom(room("r1"));
      await store.putBinding(binding("r1", "a"));
      await store.putBinding(binding("r1", "b"));
      const fetched = await store.getBinding("r1", "a");
      expect(fetched?.access).toBe("read_write");
      expect(fetched?.attachedAt.getTime()).toBe(2_000);
      expect(fetched?.metadata).toEqual({ k: "a" });
      await store.putBinding({ ...binding("r1", "a"), muted: true, access: "read_only" });
      const replaced = await store.getBinding("r1", "a");
      expect(replaced?.muted).toBe(true);
      expect(replaced?.access).toBe("read_only");
      expect((await store.listBindings("r1")).map((b) => b.channelId).sort()).toEqual(["a", "b"]);
      expect(await store.removeBinding("r1", "a")).toBe(true);
      expect(await store.removeBinding("r1", "a")).toBe(false);
      expect(await store.getBinding("r1", "a")).toBeUndefined();
      expect(await store.listBindings("other")).toEqual([]);
    });

    test("putBinding for an unknown room is RoomNotFoundError", async () => {
      const error = await store.putBinding(binding("ghost", "a")).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RoomNotFoundError);
    });

    test("appendEvent assigns 0, 1, 2 per room and updates the room counters", async () => {
      await store.createRoom(room("r1"));
      await store.createRoom(room("r2"));
      const first = await store.appendEvent(event("r1", "e1", "hello"));
      const second = await store.appendEvent(event("r1", "e2", "world"));
      const other = await store.appendEvent(event("r2", "e3", "elsewhere"));
      expect([first.index, second.index, other.index]).toEqual([0, 1, 0]);
      const r1 = await store.getRoom("r1");
      expect(r1?.eventCount).toBe(2);
      expect(r1?.latestIndex).toBe(1);
    });

    test("appendEvent to an unknown room is RoomNotFoundError and stores nothing", async () => {
      const error = await store.appendEvent(event("ghost", "e1", "x")).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RoomNotFoundError);
      expect(await store.listEvents("ghost")).toEqual([]);
    });

    test("appendEvent with an id already stored in the room is EventAlreadyExistsError and changes nothing", async () => {
      await store.createRoom(room("r1"));
      await store.appendEvent(event("r1", "e1", "first"));
      const error = await store.appendEvent(event("r1", "e1", "again")).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EventAlreadyExistsError);
      expect((error as EventAlreadyExistsError).code).toBe("event_already_exists");
      expect((error as Error).message).toContain("e1");
      expect((await store.getRoom("r1"))?.eventCount).toBe(1);
      expect((await store.listEvents("r1")).map((e) => (e.content.type === "text" ? e.content.body : ""))).toEqual([
        "first",
      ]);
      expect((await store.appendEvent(event("r1", "e2", "next"))).index).toBe(1);
    });

    test("getEvent round-trips every field", async () => {
      await store.createRoom(room("r1"));
      const original: NewRoomEvent = {
        ...event("r1", "e1", "hi"),
        status: "blocked",
        blockedBy: "source_muted",
        visibility: "transport",
        parentEventId: "p1",
        metadata: { role: "user", nested: { n: 1 } },
      };
      await store.appendEvent(original);
      const fetched = await store.getEvent("r1", "e1");
      expect(fetched).toEqual({ ...original, index: 0 });
      expect(fetched?.createdAt).toBeInstanceOf(Date);
      expect(await store.getEvent("r1", "missing")).toBeUndefined();
    });

    test("listEvents: oldest first, offset/limit, afterIndex, newestFirst, limit 0", async () => {
      await store.createRoom(room("r1"));
      for (let i = 0; i < 60; i++) await store.appendEvent(event("r1", `e${i}`, `m${i}`));
      const firstPage = await store.listEvents("r1");
      expect(firstPage).toHaveLength(50);
      expect(firstPage[0]?.index).toBe(0);
      expect((await store.listEvents("r1", { offset: 10, limit: 3 })).map((e) => e.index)).toEqual([10, 11, 12]);
      expect((await store.listEvents("r1", { afterIndex: 57 })).map((e) => e.index)).toEqual([58, 59]);
      expect((await store.listEvents("r1", { afterIndex: -1, limit: 2 })).map((e) => e.index)).toEqual([0, 1]);
      expect((await store.listEvents("r1", { newestFirst: true, limit: 3 })).map((e) => e.index)).toEqual([57, 58, 59]);
      expect((await store.listEvents("r1", { newestFirst: true, limit: 2, offset: 1 })).map((e) => e.index)).toEqual([
        57, 58,
      ]);
      expect(await store.listEvents("r1", { limit: 0 })).toEqual([]);
    });

    test("after close every method rejects with StoreClosedError (a StoreError, not recoverable)", async () => {
      await store.createRoom(room("r1"));
      await store.close();
      const calls: Array<[string, () => Promise<unknown>]> = [
        ["createRoom", () => store.createRoom(room("r2"))],
        ["getRoom", () => store.getRoom("r1")],
        ["updateRoom", () => store.updateRoom(room("r1"))],
        ["listRooms", () => store.listRooms()],
        ["putBinding", () => store.putBinding(binding("r1", "a"))],
        ["getBinding", () => store.getBinding("r1", "a")],
        ["listBindings", () => store.listBindings("r1")],
        ["removeBinding", () => store.removeBinding("r1", "a")],
        ["appendEvent", () => store.appendEvent(event("r1", "e1", "late"))],
        ["getEvent", () => store.getEvent("r1", "e1")],
        ["listEvents", () => store.listEvents("r1")],
      ];
      for (const [operation, call] of calls) {
        const error = await call().then(
          () => new Error(`${operation} resolved on a closed store`),
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(StoreClosedError);
        expect(error).toBeInstanceOf(StoreError);
        expect((error as StoreClosedError).recoverable).toBe(false);
        expect((error as Error).message).toContain(operation);
      }
    });

    test("close is idempotent", async () => {
      await store.close();
      await store.close();
      store = await createStore();
    });
  });
}

export function room(id: string, metadata: Record<string, unknown> = {}, createdAtMs = 1_000): Room {
  const at = new Date(createdAtMs);
  return { id, status: "active", createdAt: at, updatedAt: at, metadata, eventCount: 0, latestIndex: -1 };
}

export function binding(roomId: string, channelId: string): ChannelBinding {
  return {
    channelId,
    roomId,
    channelType: "mock",
    category: "transport",
    direction: "bidirectional",
    access: "read_write",
    muted: false,
    outputMuted: false,
    visibility: "all",
    attachedAt: new Date(2_000),
    metadata: { k: channelId },
  };
}

export function event(roomId: string, id: string, body: string): NewRoomEvent {
  return {
    id,
    roomId,
    type: "message",
    source: { channelId: "a", channelType: "mock", direction: "inbound", participantId: "p" },
    content: { type: "text", body },
    status: "delivered",
    visibility: "all",
    chainDepth: 0,
    createdAt: new Date(3_000),
    metadata: {},
  };
}
