import { expect, test } from "bun:test";
import { type RoomEvent, silentLogger } from "@roomkit/spec";
import { ManualClock, settle } from "@roomkit/testing";
import { RoomSequencer } from "./room-sequencer.ts";

function roomEvent(roomId: string, index: number): RoomEvent {
  return {
    id: `${roomId}-${index}`,
    roomId,
    index,
    type: "message",
    source: { channelId: "c", channelType: "mock", direction: "inbound" },
    content: { type: "text", body: String(index) },
    status: "delivered",
    visibility: "all",
    chainDepth: 0,
    createdAt: new Date(0),
    metadata: {},
  };
}

function setup(stored: Record<string, number> = {}) {
  const clock = new ManualClock();
  const delivered: string[] = [];
  const fetches: Array<[string, number, number]> = [];
  const sequencer = new RoomSequencer({
    deliver: async (event) => {
      delivered.push(event.id);
    },
    fetchMissing: async (roomId, afterIndex, beforeIndex) => {
      fetches.push([roomId, afterIndex, beforeIndex]);
      const count = stored[roomId] ?? 0;
      const events = [];
      for (let index = afterIndex + 1; index < Math.min(beforeIndex, count); index++)
        events.push(roomEvent(roomId, index));
      return events;
    },
    gapWaitMs: 100,
    clock,
    logger: silentLogger,
  });
  return { clock, delivered, fetches, sequencer };
}

test("in-order events are delivered at once; a room's duplicates are dropped", async () => {
  const { sequencer, delivered } = setup();
  for (const index of [3, 4, 4, 5, 3]) sequencer.arrive(roomEvent("r", index));
  await sequencer.idle();
  expect(delivered).toEqual(["r-3", "r-4", "r-5"]);
});

test("an event ahead of the sequence waits for the missing one and then both go out in order", async () => {
  const { sequencer, delivered, clock, fetches } = setup();
  sequencer.arrive(roomEvent("r", 0));
  sequencer.arrive(roomEvent("r", 2));
  sequencer.arrive(roomEvent("other", 7));
  await sequencer.idle();
  expect(delivered).toEqual(["r-0", "other-7"]);
  clock.advance(50);
  sequencer.arrive(roomEvent("r", 1));
  await sequencer.idle();
  expect(delivered).toEqual(["r-0", "other-7", "r-1", "r-2"]);
  clock.advance(500);
  expect(fetches).toEqual([]);
});

test("a gap still open after gapWaitMs is filled from the store", async () => {
  const { sequencer, delivered, clock, fetches } = setup({ r: 10 });
  sequencer.arrive(roomEvent("r", 0));
  sequencer.arrive(roomEvent("r", 4));
  await clock.advanceAsync(100);
  await settle(3);
  await sequencer.idle();
  expect(fetches).toEqual([["r", 0, 4]]);
  expect(delivered).toEqual(["r-0", "r-1", "r-2", "r-3", "r-4"]);
});

test("events this node published advance the sequence without being delivered again", async () => {
  const { sequencer, delivered } = setup();
  sequencer.arrive(roomEvent("r", 0));
  sequencer.own(roomEvent("r", 2));
  sequencer.arrive(roomEvent("r", 1));
  sequencer.arrive(roomEvent("r", 2));
  sequencer.arrive(roomEvent("r", 3));
  await sequencer.idle();
  expect(delivered).toEqual(["r-0", "r-1", "r-3"]);
});

test("events the store does not have either are skipped after the wait, not waited for forever", async () => {
  const { sequencer, delivered, clock } = setup({ r: 0 });
  sequencer.arrive(roomEvent("r", 0));
  sequencer.arrive(roomEvent("r", 3));
  await clock.advanceAsync(100);
  await settle(3);
  await sequencer.idle();
  expect(delivered).toEqual(["r-0", "r-3"]);
  expect(clock.pendingTimers).toBe(0);
});

test("catchUp reads what each known room has past its position", async () => {
  const { sequencer, delivered, fetches } = setup({ r: 6 });
  sequencer.arrive(roomEvent("r", 2));
  await sequencer.catchUp();
  await sequencer.idle();
  expect(fetches[0]).toEqual(["r", 2, Number.MAX_SAFE_INTEGER]);
  expect(delivered).toEqual(["r-2", "r-3", "r-4", "r-5"]);
});
