import { describe, expect, test } from "bun:test";
import {
  type FrameworkEvent,
  HookResult,
  HookTrigger,
  type RoomEvent,
  RoomKitError,
  silentLogger,
} from "@roomkit/spec";
import { MockChannel, within } from "@roomkit/testing";
import { RoomKit } from "./room-kit.ts";
import { SqliteConversationStore } from "./store/sqlite-store.ts";

// Real timers: a deadlock would only end at the 30 s hook/delivery timeout, so "finished within 2 s" proves none.
const NO_DEADLOCK = { timeoutMs: 2000 };

async function setup(store?: SqliteConversationStore) {
  const kit = new RoomKit({ logger: silentLogger, ...(store && { store }) });
  const a = new MockChannel("a");
  const b = new MockChannel("b");
  kit.registerChannel(a);
  kit.registerChannel(b);
  await kit.createRoom({ roomId: "r1" });
  await kit.attachChannel("r1", "a");
  await kit.attachChannel("r1", "b");
  return { kit, a, b };
}

const bodies = (events: RoomEvent[]) =>
  events.filter((event) => event.type === "message").map((event) => (event.content as { body: string }).body);

describe("sendEvent from inside the same room's pipeline (re-entrancy)", () => {
  test("a BEFORE_BROADCAST hook that awaits sendEvent on the same room does not deadlock", async () => {
    const { kit } = await setup();
    kit.hook(HookTrigger.BEFORE_BROADCAST, async (event: RoomEvent) => {
      if ((event.content as { body?: string }).body === "question") {
        await kit.sendEvent("r1", "b", { type: "text", body: "note" });
      }
      return HookResult.allow();
    });
    const stored = await within(kit.sendEvent("r1", "a", { type: "text", body: "question" }), NO_DEADLOCK);
    expect(stored.status).toBe("delivered");
    const timeline = await kit.getTimeline("r1", { limit: 100 });
    expect(bodies(timeline).sort()).toEqual(["note", "question"]);
    const indexes = timeline.map((event) => event.index);
    expect(new Set(indexes).size).toBe(indexes.length);
    await kit.close();
  });

  test("a channel that answers a broadcast from its onEvent (awaited) is not reported as a failed delivery", async () => {
    const { kit, b } = await setup();
    const failures: FrameworkEvent[] = [];
    kit.on("delivery_failed", (event) => void failures.push(event));
    const original = b.onEvent.bind(b);
    b.onEvent = async (event, binding, context) => {
      const output = await original(event, binding, context);
      if ((event.content as { body?: string }).body === "hi") {
        await kit.sendEvent("r1", "b", { type: "text", body: "hello back" });
      }
      return output;
    };
    await within(kit.sendEvent("r1", "a", { type: "text", body: "hi" }), NO_DEADLOCK);
    expect(failures).toEqual([]);
    expect(bodies(await kit.getTimeline("r1", { limit: 100 }))).toEqual(["hi", "hello back"]);
    await kit.close();
  });

  test("fire-and-forget from a hook still works, and outside callers never interleave with it (sqlite)", async () => {
    const { kit } = await setup(new SqliteConversationStore({ path: ":memory:" }));
    const nested: Array<Promise<RoomEvent>> = [];
    kit.hook(HookTrigger.BEFORE_BROADCAST, (event: RoomEvent) => {
      const body = (event.content as { body?: string }).body ?? "";
      if (body.startsWith("outer")) nested.push(kit.sendEvent("r1", "b", { type: "text", body: `echo ${body}` }));
      return HookResult.allow();
    });
    const outside = Array.from({ length: 20 }, (_, index) =>
      kit.sendEvent("r1", index % 2 === 0 ? "a" : "b", {
        type: "text",
        body: index % 4 === 0 ? `outer ${index}` : `plain ${index}`,
      }),
    );
    await within(Promise.all(outside), NO_DEADLOCK);
    await within(Promise.all(nested), NO_DEADLOCK);
    const timeline = await kit.getTimeline("r1", { limit: 100 });
    expect(bodies(timeline)).toHaveLength(25);
    expect(timeline.map((event) => event.index)).toEqual(timeline.map((_, position) => position));
    await kit.close();
  });

  test("an endless chain (every event answered from inside the pipeline) stops with a clear error", async () => {
    const { kit } = await setup();
    const errors: unknown[] = [];
    kit.hook(HookTrigger.BEFORE_BROADCAST, async (event: RoomEvent) => {
      try {
        await kit.sendEvent("r1", "b", { type: "text", body: `re: ${(event.content as { body: string }).body}` });
      } catch (error) {
        errors.push(error);
      }
      return HookResult.allow();
    });
    await within(kit.sendEvent("r1", "a", { type: "text", body: "start" }), NO_DEADLOCK);
    expect(errors).toHaveLength(1);
    expect(RoomKitError.isInstance(errors[0])).toBe(true);
    expect((errors[0] as RoomKitError).code).toBe("chain_depth_exceeded");
    expect((errors[0] as Error).message).toContain("r1");
    expect(bodies(await kit.getTimeline("r1", { limit: 100 })).length).toBeLessThanOrEqual(10);
    await kit.close();
  });
});
