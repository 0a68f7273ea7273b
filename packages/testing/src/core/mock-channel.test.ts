import { describe, expect, test } from "bun:test";
import type { ChannelBinding, RoomContext, RoomEvent } from "@roomkit/spec";
import { MockChannel, type MockChannelFramework } from "./mock-channel.ts";

const binding = { channelId: "m", roomId: "r1", access: "read_write", muted: false } as ChannelBinding;
const context = { room: { id: "r1" }, bindings: [], recentEvents: [] } as unknown as RoomContext;
const event = (body: string) => ({ id: body, content: { type: "text", body } }) as RoomEvent;

describe("MockChannel", () => {
  test("records every call in order, with its arguments", async () => {
    const channel = new MockChannel("m", { channelType: "sms", category: "intelligence" });
    expect([channel.channelId, channel.channelType, channel.category, channel.direction]).toEqual([
      "m",
      "sms",
      "intelligence",
      "bidirectional",
    ]);
    await channel.onRoomAttached("r1", binding);
    await channel.onEvent(event("hi"), binding, context);
    await channel.deliver(event("hi"), binding, context);
    channel.updateBinding("r1", { ...binding, muted: true });
    const session = await channel.startSession("r1", "alice", { metadata: { x: 1 } });
    await channel.endSession(session);
    await channel.onRoomDetached("r1");
    await channel.close();
    expect(channel.calls.map((call) => call.method)).toEqual([
      "onRoomAttached",
      "onEvent",
      "deliver",
      "updateBinding",
      "startSession",
      "endSession",
      "onRoomDetached",
      "close",
    ]);
    expect(channel.receivedTexts()).toEqual(["hi"]);
    expect(channel.delivered).toHaveLength(1);
    expect(channel.callsOf("updateBinding")[0]?.binding.muted).toBe(true);
    expect(session).toMatchObject({ roomId: "r1", channelId: "m", participantId: "alice", ended: true });
    expect(channel.bindings.has("r1")).toBe(false);
    expect(channel.closeCount).toBe(1);
  });

  test("failure switches make the matching calls reject (and are still recorded)", async () => {
    const channel = new MockChannel("m", {
      failOnEvent: (e) => e.id === "bad",
      failDeliver: true,
      failOnRoomAttached: true,
      failClose: true,
    });
    await expect(channel.onEvent(event("bad"), binding, context)).rejects.toThrow("failed in onEvent");
    await channel.onEvent(event("good"), binding, context);
    await expect(channel.deliver(event("good"), binding, context)).rejects.toThrow("failed in deliver");
    await expect(channel.onRoomAttached("r1", binding)).rejects.toThrow("refused room r1");
    await expect(channel.close()).rejects.toThrow("failed to close");
    expect(channel.receivedTexts()).toEqual(["good"]);
    expect(channel.callsOf("onEvent")).toHaveLength(2);
  });

  test("send goes through the framework it was given; without one it rejects", async () => {
    const channel = new MockChannel("m");
    await expect(channel.send("r1", "x")).rejects.toThrow("not registered");
    const sent: unknown[] = [];
    const framework: MockChannelFramework = {
      sendEvent: (roomId, channelId, content) => {
        sent.push([roomId, channelId, content]);
        return Promise.resolve(event("x"));
      },
    };
    channel.setFramework(framework);
    await channel.send("r1", "hello");
    expect(sent).toEqual([["r1", "m", { type: "text", body: "hello" }]]);
    channel.reset();
    expect(channel.calls).toHaveLength(0);
  });
});
