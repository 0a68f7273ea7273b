import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@roomkit/spec";
import { MockChannel } from "@roomkit/testing";
import { RoomKit } from "./room-kit.ts";
import type { ConversationStore } from "./store/conversation-store.ts";
import { MemoryConversationStore } from "./store/memory-store.ts";
import { SqliteConversationStore } from "./store/sqlite-store.ts";

const directory = mkdtempSync(join(tmpdir(), "roomkit-concurrency-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const stores: Array<[string, () => ConversationStore]> = [
  ["memory", () => new MemoryConversationStore()],
  ["sqlite :memory:", () => new SqliteConversationStore({ path: ":memory:" })],
  ["sqlite file", () => new SqliteConversationStore({ path: join(directory, "concurrency.db") })],
];

describe("1,000 concurrent sendEvent calls on one room", () => {
  for (const [name, createStore] of stores) {
    test(`${name}: 1,000 stored, indexes contiguous, none lost or duplicated, delivered in index order`, async () => {
      const store = createStore();
      const kit = new RoomKit({ logger: silentLogger, store });
      const source = new MockChannel("source");
      const target = new MockChannel("target");
      kit.registerChannel(source);
      kit.registerChannel(target);
      await kit.createRoom({ roomId: "busy" });
      await kit.attachChannel("busy", "source");
      await kit.attachChannel("busy", "target");
      const base = (await kit.getRoom("busy")).eventCount;

      const sent = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => kit.sendEvent("busy", "source", { type: "text", body: `m${i}` })),
      );

      const indexes = sent.map((event) => event.index).sort((left, right) => left - right);
      expect(indexes).toEqual(Array.from({ length: 1000 }, (_, i) => base + i));
      const timeline = await kit.getTimeline("busy", { afterIndex: base - 1, limit: 2000 });
      const messages = timeline.filter((event) => event.type === "message");
      expect(messages).toHaveLength(1000);
      expect(new Set(messages.map((event) => event.id)).size).toBe(1000);
      expect(new Set(messages.map((event) => (event.content.type === "text" ? event.content.body : ""))).size).toBe(
        1000,
      );
      const room = await kit.getRoom("busy");
      expect(room.eventCount).toBe(base + 1000);
      expect(room.latestIndex).toBe(base + 999);
      // FIFO lock: call order = index order = delivery order
      expect(sent.map((event) => event.index)).toEqual(indexes);
      expect(target.received.map((event) => event.index)).toEqual(indexes);
      const full = await kit.getTimeline("busy", { limit: 2000 });
      expect(full.map((event) => event.index)).toEqual(Array.from({ length: base + 1000 }, (_, i) => i));
      await kit.close();
    });
  }
});
