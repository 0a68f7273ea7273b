import { describe, expect, test } from "bun:test";
import {
  createRecordingLogger,
  type FrameworkEvent,
  HookResult,
  HookTrigger,
  type RoomContext,
  RoomKitClosedError,
  silentLogger,
} from "@roomkit/spec";
import { ManualClock, MockChannel, settle, waitFor } from "@roomkit/testing";
import type { ChannelFramework } from "./channels/channel-framework.ts";
import { RoomKit } from "./room-kit.ts";

describe("RoomKit as ChannelFramework", () => {
  test("hasHooks is per trigger and room; hook() returns a remover; removeHook by name", async () => {
    const kit = new RoomKit({ logger: silentLogger });
    const framework: ChannelFramework = kit;
    expect(framework.hasHooks(HookTrigger.ON_TRANSCRIPTION, "r1")).toBe(false);
    const remove = kit.hook(HookTrigger.ON_TRANSCRIPTION, () => undefined, { name: "t" });
    expect(framework.hasHooks(HookTrigger.ON_TRANSCRIPTION, "r1")).toBe(true);
    expect(framework.hasHooks(HookTrigger.ON_SPEECH_START, "r1")).toBe(false);
    expect(remove()).toBe(true);
    expect(framework.hasHooks(HookTrigger.ON_TRANSCRIPTION)).toBe(false);
    kit.hook(HookTrigger.ON_SPEECH_START, () => undefined, { name: "s" });
    expect(kit.removeHook("s")).toBe(true);
    expect(kit.removeHook("s")).toBe(false);
    kit.addRoomHook("r9", HookTrigger.ON_BARGE_IN, () => undefined);
    expect(framework.hasHooks(HookTrigger.ON_BARGE_IN, "r9")).toBe(true);
    expect(framework.hasHooks(HookTrigger.ON_BARGE_IN, "r1")).toBe(false);
  });

  test("ON_REALTIME_TOOL_CALL is ON_TOOL_CALL; a hook setting event.metadata.result or returning { result } answers", async () => {
    const kit = new RoomKit({ logger: silentLogger });
    await kit.createRoom({ roomId: "r1" });
    kit.hook(HookTrigger.ON_REALTIME_TOOL_CALL, (event: { metadata: Record<string, unknown> }) => {
      if (event.metadata.name === "get_weather") event.metadata.result = { sunny: true };
    });
    kit.hook(HookTrigger.ON_TOOL_CALL, (event: { metadata: Record<string, unknown> }) =>
      event.metadata.name === "get_time" ? { result: "noon" } : undefined,
    );
    const weather = { kind: "tool_call", metadata: { name: "get_weather", arguments: { city: "Oslo" } } };
    await kit.runSyncHooks(HookTrigger.ON_TOOL_CALL, weather, { roomId: "r1", channelId: "voice" });
    expect(weather.metadata).toMatchObject({ result: { sunny: true } });
    const time = await kit.runSyncHooks(
      HookTrigger.ON_TOOL_CALL,
      { kind: "tool_call", metadata: { name: "get_time" } },
      {
        roomId: "r1",
      },
    );
    expect(time.result).toBe("noon");
  });

  test("runSyncHooks builds the room context (room, bindings, recent events) when none is given", async () => {
    const kit = new RoomKit({ logger: silentLogger });
    const channel = new MockChannel("voice");
    kit.registerChannel(channel);
    await kit.createRoom({ roomId: "r1" });
    await kit.attachChannel("r1", "voice");
    let context: RoomContext | undefined;
    kit.hook(HookTrigger.ON_TRANSCRIPTION, (_event, ctx) => {
      context = ctx;
      return HookResult.allow();
    });
    await kit.runSyncHooks(
      HookTrigger.ON_TRANSCRIPTION,
      { kind: "realtime_transcription" },
      { roomId: "r1", channelId: "voice" },
    );
    expect(context?.room.id).toBe("r1");
    expect(context?.bindings.map((binding) => binding.channelId)).toEqual(["voice"]);
    expect(context?.recentEvents.map((event) => event.content.type)).toEqual(["system"]);
    const built = await kit.buildContext("r1");
    expect(built.room.eventCount).toBe(1);
  });

  test("the default hook timeout is 30 s on the injected clock, and emits hook_timeout", async () => {
    const clock = new ManualClock();
    const kit = new RoomKit({ logger: silentLogger, clock });
    const timeouts: FrameworkEvent[] = [];
    kit.on("hook_timeout", (event) => {
      timeouts.push(event);
    });
    let started = false;
    kit.hook(
      HookTrigger.ON_TRANSCRIPTION,
      () => {
        started = true;
        return new Promise(() => {});
      },
      { name: "never" },
    );
    const running = kit.runSyncHooks(
      HookTrigger.ON_TRANSCRIPTION,
      { kind: "realtime_transcription" },
      { channelId: "v" },
    );
    await waitFor(() => started);
    clock.advance(29_999);
    await Promise.resolve();
    expect(timeouts).toHaveLength(0);
    clock.advance(1);
    const outcome = await running;
    expect(outcome.allowed).toBe(false);
    expect(timeouts[0]?.data).toEqual({ hookName: "never", trigger: "on_transcription", timeout: 30_000 });
    expect(clock.pendingTimers).toBe(0);
  });

  test("runAsyncHooks and emitFrameworkEvent for channels", async () => {
    const kit = new RoomKit({ logger: silentLogger });
    const seen: unknown[] = [];
    kit.hook(
      HookTrigger.ON_SPEECH_START,
      (event) => {
        seen.push(event);
      },
      { channelTypes: ["realtime_voice"] },
    );
    await kit.runAsyncHooks(HookTrigger.ON_SPEECH_START, "session-1", { channelType: "realtime_voice" });
    await kit.runAsyncHooks(HookTrigger.ON_SPEECH_START, "session-2", { channelType: "voice" });
    expect(seen).toEqual(["session-1"]);
    const all: FrameworkEvent[] = [];
    kit.on("*", (event) => {
      all.push(event);
    });
    kit.emitFrameworkEvent("voice_session_started", { roomId: "r1", channelId: "v", data: { session_id: "s" } });
    expect(all[0]).toMatchObject({
      type: "voice_session_started",
      roomId: "r1",
      channelId: "v",
      data: { session_id: "s" },
    });
    expect(all[0]?.timestamp).toBeInstanceOf(Date);
  });

  test("framework event handlers: unsubscribe works; a throwing or rejecting handler is logged, others still run", async () => {
    const logger = createRecordingLogger();
    const kit = new RoomKit({ logger });
    const calls: string[] = [];
    kit.on("x", () => {
      throw new Error("sync handler bug");
    });
    kit.on("x", () => Promise.reject(new Error("async handler bug")));
    const unsubscribe = kit.on("x", () => {
      calls.push("third");
    });
    kit.emitFrameworkEvent("x");
    unsubscribe();
    kit.emitFrameworkEvent("x");
    expect(calls).toEqual(["third"]);
    await waitFor(
      () => logger.entries.filter((entry) => entry.message === "framework event handler failed").length === 2,
    );
  });
});

describe("RoomKit.close", () => {
  test("idempotent; closes every channel once (errors logged); isClosing at once; later calls refused", async () => {
    const logger = createRecordingLogger();
    const kit = new RoomKit({ logger });
    const good = new MockChannel("good");
    const bad = new MockChannel("bad", { failClose: true });
    kit.registerChannel(good);
    kit.registerChannel(bad);
    await kit.createRoom({ roomId: "r1" });
    await kit.attachChannel("r1", "good");
    const closed: FrameworkEvent[] = [];
    kit.on("framework_closed", (event) => {
      closed.push(event);
    });
    const first = kit.close();
    expect(kit.isClosing).toBe(true);
    const second = kit.close();
    expect(second).toBe(first);
    await first;
    expect(good.closeCount).toBe(1);
    expect(bad.closeCount).toBe(1);
    expect(logger.entries.some((entry) => entry.message === "channel failed to close")).toBe(true);
    expect(closed).toHaveLength(1);
    await expect(good.send("r1", "late")).rejects.toBeInstanceOf(RoomKitClosedError);
    await expect(kit.createRoom()).rejects.toBeInstanceOf(RoomKitClosedError);
    expect(() => kit.registerChannel(new MockChannel("new"))).toThrow(RoomKitClosedError);
  });

  test("a channel whose close never settles does not hang close() (capped by closeTimeoutMs)", async () => {
    const clock = new ManualClock();
    const logger = createRecordingLogger();
    const kit = new RoomKit({ logger, clock, closeTimeoutMs: 2_000 });
    const stuck = new MockChannel("stuck");
    stuck.close = () => new Promise(() => {});
    kit.registerChannel(stuck);
    let closed = false;
    const closing = kit.close().then(() => {
      closed = true;
    });
    await waitFor(() => clock.pendingTimers === 1);
    expect(closed).toBe(false);
    clock.advance(2_000);
    await closing;
    expect(logger.entries.some((entry) => entry.message.startsWith("channels did not close in time"))).toBe(true);
  });

  test("close waits for an in-flight sendEvent before closing the store", async () => {
    const kit = new RoomKit({ logger: silentLogger });
    const source = new MockChannel("source");
    let release!: () => void;
    class SlowChannel extends MockChannel {
      override onEvent(...args: Parameters<MockChannel["onEvent"]>) {
        return new Promise<void>((resolve) => (release = resolve)).then(() => super.onEvent(...args));
      }
    }
    const slow = new SlowChannel("slow");
    kit.registerChannel(source);
    kit.registerChannel(slow);
    await kit.createRoom({ roomId: "r1" });
    await kit.attachChannel("r1", "source");
    await kit.attachChannel("r1", "slow");
    const sending = source.send("r1", "in flight");
    await waitFor(() => release !== undefined);
    const storeClose = kit.store.close.bind(kit.store);
    let receivedWhenStoreClosed = -1;
    kit.store.close = () => {
      receivedWhenStoreClosed = slow.received.length;
      return storeClose();
    };
    const closing = kit.close();
    await settle(5);
    release();
    expect((await sending).status).toBe("delivered");
    await closing;
    expect(receivedWhenStoreClosed).toBe(1);
    expect(slow.receivedTexts()).toEqual(["in flight"]);
  });
});

test("closeRoom runs the room's ON_ROOM_CLOSED hooks, then drops the room's hooks", async () => {
  const kit = new RoomKit({ logger: silentLogger });
  await kit.createRoom({ roomId: "r1" });
  let closedHookRan = false;
  kit.addRoomHook("r1", HookTrigger.ON_ROOM_CLOSED, () => {
    closedHookRan = true;
  });
  kit.addRoomHook("r1", HookTrigger.BEFORE_BROADCAST, () => undefined);
  await kit.closeRoom("r1");
  expect(closedHookRan).toBe(true);
  expect(kit.hasHooks(HookTrigger.BEFORE_BROADCAST, "r1")).toBe(false);
  expect(kit.hasHooks(HookTrigger.ON_ROOM_CLOSED, "r1")).toBe(false);
  await kit.close();
});
