import { describe, expect, test } from "bun:test";
import {
  ChannelNotFoundError,
  type FrameworkEvent,
  HookResult,
  HookTrigger,
  type RoomEvent,
  RoomNotFoundError,
  silentLogger,
} from "@roomkit/spec";
import { MockChannel } from "@roomkit/testing";
import type { AttachChannelOptions } from "./channels/bindings.ts";
import { RoomKit } from "./room-kit.ts";
import { MemoryConversationStore } from "./store/memory-store.ts";

async function setup(attach: Record<string, AttachChannelOptions> = { a: {}, b: {} }) {
  const store = new MemoryConversationStore();
  const kit = new RoomKit({ logger: silentLogger, store });
  const channels: Record<string, MockChannel> = {};
  for (const [channelId, options] of Object.entries(attach)) {
    const channel = new MockChannel(channelId, { category: options.category });
    channels[channelId] = channel;
    kit.registerChannel(channel);
  }
  await kit.createRoom({ roomId: "r1" });
  for (const [channelId, options] of Object.entries(attach)) await kit.attachChannel("r1", channelId, options);
  const get = (channelId: string) => channels[channelId] as MockChannel;
  return { kit, store, get };
}

const messages = (events: RoomEvent[]) => events.filter((event) => event.type === "message");

describe("RoomKit.sendEvent", () => {
  test("stores a DELIVERED message with source, provider, metadata and the next index", async () => {
    const { kit } = await setup();
    const createdAt = new Date("2026-01-01T00:00:00Z");
    const event = await kit.sendEvent(
      "r1",
      "a",
      { type: "text", body: "hello" },
      {
        participantId: "alice",
        provider: "OpenAIRealtimeProvider",
        metadata: { role: "user", source: "realtime_voice" },
        createdAt,
      },
    );
    expect(event.id).toMatch(/^[0-9a-f]{32}$/);
    expect(event).toMatchObject({
      roomId: "r1",
      type: "message",
      status: "delivered",
      index: 2,
      visibility: "all",
      chainDepth: 0,
      content: { type: "text", body: "hello" },
      source: {
        channelId: "a",
        channelType: "mock",
        direction: "inbound",
        participantId: "alice",
        provider: "OpenAIRealtimeProvider",
      },
      metadata: { role: "user", source: "realtime_voice" },
    });
    expect(event.createdAt.getTime()).toBe(createdAt.getTime());
    const second = await kit.sendEvent("r1", "b", { type: "text", body: "again" });
    expect(second.index).toBe(3);
    expect((await kit.getRoom("r1")).latestIndex).toBe(3);
  });

  test("broadcast: the other channel gets onEvent then deliver (transport); the source gets nothing", async () => {
    const { kit, get } = await setup({ a: {}, b: {}, ai: { category: "intelligence" } });
    const event = await get("a").send("r1", "hi");
    expect(
      get("b")
        .calls.filter((call) => call.method === "onEvent" || call.method === "deliver")
        .map((c) => c.method),
    ).toEqual(["onEvent", "deliver"]);
    expect(get("b").received[0]?.id).toBe(event.id);
    expect(get("ai").callsOf("onEvent")).toHaveLength(1);
    expect(get("ai").callsOf("deliver")).toHaveLength(0);
    expect(get("a").callsOf("onEvent")).toHaveLength(0);
    const context = get("b").callsOf("onEvent")[0]?.context;
    expect(context?.room.id).toBe("r1");
    expect(context?.bindings.map((binding) => binding.channelId).sort()).toEqual(["a", "ai", "b"]);
    expect(context?.recentEvents.at(-1)?.id).toBe(event.id);
    expect(kit.isClosing).toBe(false);
  });

  test("targets: muted still receives; read_only receives; write_only and none do not", async () => {
    const { kit, get } = await setup({
      a: {},
      muted: {},
      reader: { access: "read_only" },
      writer: { access: "write_only" },
      off: { access: "none" },
    });
    await kit.mute("r1", "muted");
    await get("a").send("r1", "to everyone who reads");
    expect(get("muted").receivedTexts()).toEqual(["to everyone who reads"]);
    expect(get("reader").receivedTexts()).toEqual(["to everyone who reads"]);
    expect(get("writer").received).toHaveLength(0);
    expect(get("off").received).toHaveLength(0);
  });

  test("visibility: option, keywords, channel ids, and the source binding's visibility as default", async () => {
    const { kit, get } = await setup({ a: {}, b: {}, ai: { category: "intelligence" }, quiet: { visibility: "ai" } });
    await get("a").send("r1", "only ai", { visibility: "intelligence" });
    await get("a").send("r1", "only b", { visibility: "b" });
    await get("a").send("r1", "b and ai", { visibility: "b,ai" });
    await get("a").send("r1", "nobody", { visibility: "none" });
    const fromQuiet = await get("quiet").send("r1", "binding says ai");
    expect(fromQuiet.visibility).toBe("ai");
    expect(get("ai").receivedTexts()).toEqual(["only ai", "b and ai", "binding says ai"]);
    expect(get("b").receivedTexts()).toEqual(["only b", "b and ai"]);
    expect(get("quiet").receivedTexts()).toEqual([]);
    expect(messages(await kit.getTimeline("r1"))).toHaveLength(5);
  });

  test("write gate: muted source ⇒ BLOCKED source_muted; read_only/none ⇒ source_read_only; write_only passes", async () => {
    const { kit, get } = await setup({
      a: {},
      b: {},
      ro: { access: "read_only" },
      none: { access: "none" },
      wo: { access: "write_only" },
    });
    await kit.mute("r1", "a");
    const muted = await get("a").send("r1", "shh");
    expect(muted.status).toBe("blocked");
    expect(muted.blockedBy).toBe("source_muted");
    expect((await get("ro").send("r1", "ro")).blockedBy).toBe("source_read_only");
    expect((await get("none").send("r1", "none")).blockedBy).toBe("source_read_only");
    const writeOnly = await get("wo").send("r1", "wo");
    expect(writeOnly.status).toBe("delivered");
    expect(get("b").receivedTexts()).toEqual(["wo"]);
    const stored = messages(await kit.getTimeline("r1"));
    expect(stored.map((event) => event.status)).toEqual(["blocked", "blocked", "blocked", "delivered"]);
  });

  test("BEFORE_BROADCAST runs before the write gate, can block (stored BLOCKED, no broadcast, no AFTER_BROADCAST)", async () => {
    const { kit, get } = await setup();
    const order: string[] = [];
    let after = 0;
    kit.hook(
      HookTrigger.BEFORE_BROADCAST,
      (event: RoomEvent) => {
        order.push("before");
        return textOf(event).includes("spam") ? HookResult.block("spam filter") : HookResult.allow();
      },
      { name: "moderation" },
    );
    kit.hook(
      HookTrigger.AFTER_BROADCAST,
      () => {
        after += 1;
      },
      { execution: "async" },
    );
    const blocked = await get("a").send("r1", "buy spam now");
    expect(blocked).toMatchObject({
      status: "blocked",
      blockedBy: "moderation",
      metadata: { blockedReason: "spam filter" },
    });
    expect(get("b").received).toHaveLength(0);
    expect(after).toBe(0);
    await kit.mute("r1", "a");
    await get("a").send("r1", "muted but hooked");
    expect(order).toEqual(["before", "before"]);
    expect(messages(await kit.getTimeline("r1")).map((event) => event.blockedBy)).toEqual([
      "moderation",
      "source_muted",
    ]);
  });

  test("BEFORE_BROADCAST modify replaces the content (stored and broadcast) and merges metadata", async () => {
    const { kit, get } = await setup();
    kit.hook(HookTrigger.BEFORE_BROADCAST, (event: RoomEvent) =>
      HookResult.modify(
        { ...event, content: { type: "text", body: textOf(event).replace("1234", "****") } },
        { redacted: true },
      ),
    );
    const stored = await get("a").send("r1", "card 1234");
    expect(stored.content).toEqual({ type: "text", body: "card ****" });
    expect(stored.metadata).toMatchObject({ redacted: true });
    expect(get("b").receivedTexts()).toEqual(["card ****"]);
  });

  test("AFTER_BROADCAST sees the stored event (with index) after delivery, and sendEvent waits for it", async () => {
    const { kit, get } = await setup();
    const seen: Array<{ index: number; receivedByB: number }> = [];
    kit.hook(
      HookTrigger.AFTER_BROADCAST,
      async (event: RoomEvent) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push({ index: event.index, receivedByB: get("b").received.length });
      },
      { execution: "async" },
    );
    const stored = await get("a").send("r1", "x");
    expect(seen).toEqual([{ index: stored.index, receivedByB: 1 }]);
  });

  test("hook filters apply to the pipeline: a hook for another channel does not run", async () => {
    const { kit, get } = await setup();
    let calls = 0;
    kit.hook(
      HookTrigger.BEFORE_BROADCAST,
      () => {
        calls += 1;
        return HookResult.block("only b is moderated");
      },
      { channelIds: ["b"] },
    );
    expect((await get("a").send("r1", "free")).status).toBe("delivered");
    expect((await get("b").send("r1", "moderated")).status).toBe("blocked");
    expect(calls).toBe(1);
  });

  test("room hooks apply to their room only", async () => {
    const { kit, get } = await setup();
    await kit.createRoom({ roomId: "r2" });
    await kit.attachChannel("r2", "a");
    const remove = kit.addRoomHook(
      "r1",
      HookTrigger.BEFORE_BROADCAST,
      () => HookResult.block("r1 is read-only today"),
      {
        name: "r1-freeze",
      },
    );
    expect((await get("a").send("r1", "x")).status).toBe("blocked");
    expect((await get("a").send("r2", "x")).status).toBe("delivered");
    expect(kit.removeRoomHook("r1", "r1-freeze")).toBe(true);
    expect(remove()).toBe(false);
    expect((await get("a").send("r1", "y")).status).toBe("delivered");
  });

  test("a channel that throws during broadcast does not stop the others; ON_ERROR + delivery_failed report it", async () => {
    const { kit, get } = await setup({ a: {}, broken: {}, c: {} });
    get("broken").options.failOnEvent = true;
    const errors: RoomEvent[] = [];
    kit.hook(
      HookTrigger.ON_ERROR,
      (event: RoomEvent) => {
        errors.push(event);
      },
      { execution: "async" },
    );
    const failures: FrameworkEvent[] = [];
    kit.on("delivery_failed", (event) => {
      failures.push(event);
    });
    const stored = await get("a").send("r1", "still delivered");
    expect(stored.status).toBe("delivered");
    expect(get("c").receivedTexts()).toEqual(["still delivered"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.source.channelId).toBe("broken");
    expect(errors[0]?.metadata).toMatchObject({
      error: "MockChannel broken failed in onEvent",
      error_category: "broadcast_delivery",
    });
    expect(errors[0]?.parentEventId).toBe(stored.id);
    expect(failures.map((event) => [event.channelId, event.eventId])).toEqual([["broken", stored.id]]);
  });

  test("a failing deliver is reported the same way", async () => {
    const { kit, get } = await setup({ a: {}, flaky: {} });
    get("flaky").options.failDeliver = true;
    const failures: FrameworkEvent[] = [];
    kit.on("delivery_failed", (event) => {
      failures.push(event);
    });
    await get("a").send("r1", "x");
    expect(failures[0]?.data.error).toBe("MockChannel flaky failed in deliver");
  });

  test("no hooks: the RoomContext for delivery needs no store query per event", async () => {
    const { store, get } = await setup();
    let listEventsCalls = 0;
    const original = store.listEvents.bind(store);
    store.listEvents = (...args) => {
      listEventsCalls += 1;
      return original(...args);
    };
    for (let i = 0; i < 20; i++) await get("a").send("r1", `m${i}`);
    expect(listEventsCalls).toBeLessThanOrEqual(1);
    expect(get("b").received).toHaveLength(20);
  });

  test("errors: unknown room, unregistered channel, channel not attached, aborted signal", async () => {
    const { kit, get } = await setup();
    await expect(kit.sendEvent("ghost", "a", { type: "text", body: "x" })).rejects.toBeInstanceOf(RoomNotFoundError);
    await expect(kit.sendEvent("r1", "ghost", { type: "text", body: "x" })).rejects.toBeInstanceOf(
      ChannelNotFoundError,
    );
    kit.registerChannel(new MockChannel("loose"));
    await expect(kit.sendEvent("r1", "loose", { type: "text", body: "x" })).rejects.toBeInstanceOf(
      ChannelNotFoundError,
    );
    const controller = new AbortController();
    controller.abort();
    await expect(get("a").send("r1", "x", { signal: controller.signal })).rejects.toThrow();
    expect(messages(await kit.getTimeline("r1"))).toHaveLength(0);
  });

  test("getTimeline: oldest first, limit/offset/afterIndex/newestFirst; unknown room", async () => {
    const { kit, get } = await setup();
    for (let i = 0; i < 5; i++) await get("a").send("r1", `m${i}`);
    const all = await kit.getTimeline("r1");
    expect(all.map((event) => event.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect((await kit.getTimeline("r1", { offset: 2, limit: 2 })).map((event) => event.index)).toEqual([2, 3]);
    expect((await kit.getTimeline("r1", { afterIndex: 5 })).map((event) => event.index)).toEqual([6]);
    expect((await kit.getTimeline("r1", { newestFirst: true, limit: 2 })).map((event) => event.index)).toEqual([5, 6]);
    await expect(kit.getTimeline("ghost")).rejects.toBeInstanceOf(RoomNotFoundError);
  });

  test("publishTyping is ephemeral: a typing framework event, nothing stored", async () => {
    const { kit } = await setup();
    const typing: FrameworkEvent[] = [];
    const unsubscribe = kit.on("typing", (event) => {
      typing.push(event);
    });
    kit.publishTyping("r1", "assistant", true, { session_id: "s1", source: "realtime_voice" });
    expect(typing[0]).toMatchObject({
      type: "typing",
      roomId: "r1",
      data: { userId: "assistant", isTyping: true, session_id: "s1", source: "realtime_voice" },
    });
    unsubscribe();
    kit.publishTyping("r1", "assistant", false);
    expect(typing).toHaveLength(1);
    expect(messages(await kit.getTimeline("r1"))).toHaveLength(0);
  });
});

function textOf(event: RoomEvent): string {
  return event.content.type === "text" ? event.content.body : "";
}
