import { expect, test } from "bun:test";
import { type ChannelBinding, InvalidArgumentError, type Room, RoomKitError, StoreError } from "@roomkit/spec";
import { MemoryConversationStore } from "./memory-store.ts";
import { SqliteConversationStore } from "./sqlite-store.ts";

// Found by scripts/fuzz (store-memory): metadata with a throwing getter, or an id that cannot become a string, made the
// memory store throw synchronously out of a Promise-returning method (a `.catch` on the call never saw it).
function room(id: unknown, metadata: unknown): Room {
  const now = new Date(0);
  return {
    id: id as string,
    status: "active",
    createdAt: now,
    updatedAt: now,
    metadata: metadata as Record<string, unknown>,
    eventCount: 0,
    latestIndex: -1,
  };
}

const throwingGetter = {
  get boom(): never {
    throw new Error("getter throws");
  },
};

for (const [name, open] of [
  ["memory", () => new MemoryConversationStore()],
  ["sqlite", () => new SqliteConversationStore({ path: ":memory:" })],
] as const) {
  test(`${name} store: metadata with a throwing getter ⇒ a rejected StoreError, nothing stored`, async () => {
    const store = open();
    let result: Promise<Room> | undefined;
    expect(() => {
      result = store.createRoom(room("r1", throwingGetter));
    }).not.toThrow();
    const error = await result!.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).cause).toBeInstanceOf(Error);
    expect(await store.getRoom("r1")).toBeUndefined();
    await store.close();
  });

  test(`${name} store: an id whose string conversion throws ⇒ a rejection, not a synchronous throw`, async () => {
    const store = open();
    const hostileId = JSON.parse('{"__proto__":{"polluted":true}}');
    await store.createRoom(room("r1", {}));
    let result: Promise<unknown> | undefined;
    expect(() => {
      result = store.updateRoom(room(Object.create(null), {}));
    }).not.toThrow();
    await expect(result!).rejects.toBeDefined();
    expect(() => {
      result = store.appendEvent({ roomId: hostileId, id: "e1" } as never);
    }).not.toThrow();
    await expect(result!).rejects.toBeDefined();
    await store.close();
  });

  // Found by the long fuzz run (store-memory): a 300,000-character string as metadata was spread into 300,000 keys
  // (0.1–1 s per call). Metadata that is not an object is refused, in both stores, for rooms and bindings.
  test.each([["x".repeat(300_000)], [42], [null], [["a"]]])(
    `${name} store: metadata %# that is not an object ⇒ InvalidArgumentError`,
    async (metadata) => {
      const store = open();
      await expect(store.createRoom(room("r1", metadata))).rejects.toBeInstanceOf(InvalidArgumentError);
      expect(await store.getRoom("r1")).toBeUndefined();
      await store.createRoom(room("r2", { kept: true }));
      await expect(store.updateRoom(room("r2", metadata))).rejects.toBeInstanceOf(InvalidArgumentError);
      expect((await store.getRoom("r2"))?.metadata).toEqual({ kept: true });
      const binding = {
        roomId: "r2",
        channelId: "voice",
        attachedAt: new Date(0),
        metadata,
      } as unknown as ChannelBinding;
      await expect(store.putBinding(binding)).rejects.toBeInstanceOf(InvalidArgumentError);
      expect(await store.getBinding("r2", "voice")).toBeUndefined();
      await store.close();
    },
  );

  // Found by the long fuzz run (store-sqlite): an id whose string conversion throws made the duplicate check's own
  // error message throw a TypeError. Error messages now show ids safely, and at most 200 characters of them.
  test(`${name} store: ids that cannot become strings, and huge ids, give typed errors with bounded messages`, async () => {
    const store = open();
    for (const id of [[Object.create(null)], [], Object.create(null)]) {
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await store.createRoom(room(id, {})).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        if (error !== undefined) expect(RoomKitError.isInstance(error)).toBe(true);
      }
    }
    const huge = "r".repeat(300_000);
    const missing = await store.updateRoom(room(huge, {})).catch((caught: unknown) => caught);
    expect(RoomKitError.isInstance(missing)).toBe(true);
    expect((missing as Error).message.length).toBeLessThan(400);
    await store.close();
  });
}

// Found by the long fuzz run (store-sqlite): on Bun, JSON.stringify of a cyclic value with a deep branch takes seconds
// before it throws (2.8 s at 1,000 levels). The SQLite store refuses cycles and nesting beyond 512 levels first.
function nested(levels: number): unknown {
  let value: unknown = "leaf";
  for (let level = 0; level < levels; level++) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}

test("sqlite store: a cycle with a deep branch, or nesting past 512 levels ⇒ InvalidArgumentError; 500 levels are stored", async () => {
  const store = new SqliteConversationStore({ path: ":memory:" });
  await store.createRoom(room("r1", {}));
  const cyclic: Record<string, unknown> = { deep: nested(300) };
  cyclic.self = cyclic;
  const binding = (metadata: unknown) =>
    ({ roomId: "r1", channelId: "voice", attachedAt: new Date(0), metadata }) as unknown as ChannelBinding;
  await expect(store.putBinding(binding(cyclic))).rejects.toThrow("contains a cycle");
  await expect(store.updateRoom(room("r1", { deep: nested(600) }))).rejects.toThrow("deeper than 512 levels");
  await expect(store.putBinding(binding({ deep: nested(600) }))).rejects.toBeInstanceOf(InvalidArgumentError);
  const event = {
    id: "e1",
    roomId: "r1",
    createdAt: new Date(0),
    content: { type: "text", body: nested(600) },
  } as never;
  await expect(store.appendEvent(event)).rejects.toBeInstanceOf(InvalidArgumentError);
  await store.updateRoom(room("r1", { deep: nested(500) }));
  expect(JSON.stringify((await store.getRoom("r1"))?.metadata)).toBe(JSON.stringify({ deep: nested(500) }));
  await store.close();
});
