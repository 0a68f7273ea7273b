import fc from "fast-check";
import {
  type ConversationStore,
  MemoryConversationStore,
  SqliteConversationStore,
} from "../../../packages/core/src/index.ts";
import { RoomKitError } from "../../../packages/spec/src/index.ts";
import type { FuzzTarget } from "../engine.ts";
import { hostileJsValue, interestingValue, mutateRecord } from "../hand-mutator.ts";
import type { Random } from "../random.ts";

/** One store input: the ids and metadata an application (or a caller, through it) can put in. */
export interface StoreInput {
  roomId: unknown;
  eventId: unknown;
  channelId: unknown;
  participantId: unknown;
  roomMetadata: unknown;
  eventMetadata: unknown;
  body: unknown;
}

const SEED: StoreInput = {
  roomId: "room-1",
  eventId: "event-1",
  channelId: "voice",
  participantId: "caller-1",
  roomMetadata: { tenant: "acme", tags: ["a", "b"] },
  eventMetadata: { source: "realtime" },
  body: "hello",
};

const RECREATE_EVERY = 2000;

/**
 * Hostile room ids, participant ids, channel ids and metadata into a store: create, append, bind, read back, update.
 * Each operation must resolve or reject with a typed `RoomKitError` (StoreError, RoomNotFoundError...), never throw
 * anything else; what was stored must read back. The store is replaced every 2000 inputs (its growth is by design).
 */
export function createStoreTarget(kind: "memory" | "sqlite"): FuzzTarget<StoreInput> {
  let store: ConversationStore;
  let sinceCreate = 0;
  let counter = 0;
  const open = () =>
    kind === "memory" ? new MemoryConversationStore() : new SqliteConversationStore({ path: ":memory:" });

  return {
    name: `store-${kind}`,
    async setup() {
      store = open();
    },
    isExpected(error) {
      return RoomKitError.isInstance(error);
    },
    async run(input) {
      counter++;
      const now = new Date();
      const roomId = input.roomId as string;
      const created = await store
        .createRoom({
          id: roomId,
          status: "active",
          createdAt: now,
          updatedAt: now,
          metadata: input.roomMetadata as Record<string, unknown>,
          eventCount: 0,
          latestIndex: -1,
        })
        .catch((error: unknown) => {
          if (RoomKitError.isInstance(error)) return undefined;
          throw error;
        });
      if (created !== undefined) {
        const read = await store.getRoom(roomId);
        if (read === undefined) throw new Error("created room not found by its id");
      }
      await store.putBinding({
        channelId: input.channelId as string,
        roomId,
        channelType: "realtime_voice" as never,
        category: "transport" as never,
        direction: "bidirectional" as never,
        access: "read_write" as never,
        muted: false,
        outputMuted: false,
        visibility: "all",
        participantId: input.participantId as string,
        attachedAt: now,
        metadata: input.eventMetadata as Record<string, unknown>,
      });
      const appended = await store.appendEvent({
        id: (typeof input.eventId === "string" ? `${input.eventId}-${counter}` : input.eventId) as string,
        roomId,
        type: "message" as never,
        source: { channelId: input.channelId, participantId: input.participantId } as never,
        content: { type: "text", body: input.body } as never,
        status: "delivered" as never,
        visibility: "all",
        chainDepth: 0,
        createdAt: now,
        metadata: input.eventMetadata as Record<string, unknown>,
      });
      const events = await store.listEvents(roomId, { afterIndex: appended.index - 1 });
      if (events.length !== 1 || events[0]!.index !== appended.index) throw new Error("appended event not read back");
      await store.updateRoom({
        id: roomId,
        status: "active",
        createdAt: now,
        updatedAt: new Date(),
        metadata: input.roomMetadata as Record<string, unknown>,
        eventCount: 0,
        latestIndex: -1,
      });
    },
    async check() {
      sinceCreate += 256;
      if (sinceCreate >= RECREATE_EVERY) {
        await store.close();
        store = open();
        sinceCreate = 0;
      }
      return undefined;
    },
    async teardown() {
      await store.close();
    },
    mutate(random: Random) {
      return mutateRecord(random, SEED as unknown as Record<string, unknown>) as unknown as StoreInput;
    },
    arbitrary() {
      const id = fc.oneof(
        fc.string({ unit: "binary", maxLength: 64 }),
        fc.string({ unit: "grapheme", minLength: 2000, maxLength: 5000 }),
        fc.constantFrom("__proto__", "constructor", "", "\u0000", "\ud800"),
        fc.anything(),
      );
      const metadata = fc.oneof(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.object(),
        fc.anything(),
        fc.integer().map(() => hostileJsValue(randomFromInteger())),
      );
      return fc.record({
        roomId: id,
        eventId: id,
        channelId: id,
        participantId: id,
        roomMetadata: metadata,
        eventMetadata: metadata,
        body: fc.oneof(fc.string(), fc.anything()),
      });
    },
    describe(input) {
      return describeStoreInput(input);
    },
  };
}

let hostileIndex = 0;
/** A deterministic stand-in Random for fast-check's map (it cycles through the hostile values). */
function randomFromInteger(): Random {
  const value = hostileIndex++;
  return { below: (bound: number) => value % bound } as unknown as Random;
}

function describeStoreInput(input: StoreInput): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    let shown: string;
    try {
      shown =
        typeof value === "string"
          ? `string(${value.length}) ${JSON.stringify(value.slice(0, 40))}`
          : String(JSON.stringify(value)).slice(0, 60);
    } catch {
      shown = `<${typeof value}, not serialisable>`;
    }
    parts.push(`${key}=${shown}`);
  }
  void interestingValue;
  return parts.join(" ");
}
