import { describe, expect, test } from "bun:test";
import type { RoomEvent } from "@roomkit/spec";
import { event, room } from "../store/conversation-store-contract.ts";
import { MemoryConversationStore } from "../store/memory-store.ts";
import { RecentEvents } from "./recent-events.ts";

async function storeWith(count: number) {
  const store = new MemoryConversationStore();
  await store.createRoom(room("r1"));
  const stored: RoomEvent[] = [];
  for (let i = 0; i < count; i++) stored.push(await store.appendEvent(event("r1", `e${i}`, `m${i}`)));
  return { store, stored };
}

describe("RecentEvents", () => {
  test("loads the newest N once, then follows appends and trims to N", async () => {
    const { store } = await storeWith(5);
    const recent = new RecentEvents(store, 3);
    expect((await recent.get("r1")).map((e) => e.index)).toEqual([2, 3, 4]);
    recent.add(await store.appendEvent(event("r1", "e5", "m5")));
    expect((await recent.get("r1")).map((e) => e.index)).toEqual([3, 4, 5]);
  });

  test("an append that lands while the first load is in flight is not lost", async () => {
    const { store } = await storeWith(2);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const original = store.listEvents.bind(store);
    store.listEvents = async (...args) => {
      const snapshot = await original(...args);
      await gate;
      return snapshot;
    };
    const recent = new RecentEvents(store, 10);
    const loading = recent.get("r1");
    const late = await store.appendEvent(event("r1", "late", "late"));
    recent.add(late);
    release();
    expect((await loading).map((e) => e.id)).toEqual(["e0", "e1", "late"]);
    expect((await recent.get("r1")).map((e) => e.id)).toEqual(["e0", "e1", "late"]);
  });

  test("limit 0 keeps nothing and never queries", async () => {
    const { store } = await storeWith(2);
    let queries = 0;
    store.listEvents = () => {
      queries += 1;
      return Promise.resolve([]);
    };
    const recent = new RecentEvents(store, 0);
    expect(await recent.get("r1")).toEqual([]);
    expect(queries).toBe(0);
  });
});

describe("RecentEvents memory", () => {
  test("only the most recently used rooms stay cached (a long-running server touches many rooms)", async () => {
    const store = new MemoryConversationStore();
    const recent = new RecentEvents(store, 5, { maxRooms: 3 });
    for (let index = 0; index < 20; index++) {
      await store.createRoom(room(`room-${index}`));
      recent.add(await store.appendEvent(event(`room-${index}`, `e${index}`, "m")));
      await recent.get(`room-${index}`);
    }
    expect(recent.cachedRooms).toBeLessThanOrEqual(3);
    // an evicted room reloads from the store
    expect((await recent.get("room-0")).map((e) => e.id)).toEqual(["e0"]);
  });

  test("forget drops a room's cache", async () => {
    const { store } = await storeWith(2);
    const recent = new RecentEvents(store, 5);
    await recent.get("r1");
    expect(recent.cachedRooms).toBe(1);
    recent.forget("r1");
    expect(recent.cachedRooms).toBe(0);
  });
});
