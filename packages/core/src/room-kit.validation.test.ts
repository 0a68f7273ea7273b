import { describe, expect, test } from "bun:test";
import { type HookTrigger, InvalidArgumentError, silentLogger } from "@roomkit/spec";
import { MockChannel } from "@roomkit/testing";
import { RoomKit } from "./room-kit.ts";

async function setup() {
  const kit = new RoomKit({ logger: silentLogger });
  const channel = new MockChannel("a");
  kit.registerChannel(channel);
  await kit.createRoom({ roomId: "r1" });
  await kit.attachChannel("r1", "a");
  return { kit, channel };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof InvalidArgumentError)) throw new Error(`expected InvalidArgumentError, got ${String(error)}`);
  return error;
}

const bad = <T>(value: unknown) => value as T;

describe("RoomKit input validation (InvalidArgumentError naming the field)", () => {
  test("constructor options", () => {
    expect(() => new RoomKit(bad({ store: {} }))).toThrow(/store/);
    expect(() => new RoomKit(bad({ clock: 5 }))).toThrow(/clock/);
    expect(() => new RoomKit(bad({ recentEventsLimit: -1 }))).toThrow(/recentEventsLimit/);
  });

  test("createRoom", async () => {
    const { kit } = await setup();
    expect((await rejection(kit.createRoom({ roomId: "" }))).message).toContain("roomId");
    expect((await rejection(kit.createRoom(bad({ metadata: "x" })))).message).toContain("metadata");
  });

  test("attachChannel", async () => {
    const { kit } = await setup();
    expect((await rejection(kit.attachChannel("r1", "a", bad({ access: "sometimes" })))).message).toContain("access");
    expect((await rejection(kit.attachChannel("r1", "a", bad({ category: "robot" })))).message).toContain("category");
    expect((await rejection(kit.attachChannel("r1", "a", { visibility: "" }))).message).toContain("visibility");
    expect((await rejection(kit.attachChannel("r1", "a", bad({ muted: "yes" })))).message).toContain("muted");
  });

  test("sendEvent content and options", async () => {
    const { kit } = await setup();
    expect((await rejection(kit.sendEvent("r1", "a", bad({ type: "text" })))).message).toContain("body");
    expect((await rejection(kit.sendEvent("r1", "a", bad({ type: "video" })))).message).toContain("type");
    expect((await rejection(kit.sendEvent("r1", "a", bad(null)))).message).toContain("sendEvent content");
    const text = { type: "text" as const, body: "x" };
    expect((await rejection(kit.sendEvent("r1", "a", text, bad({ createdAt: "yesterday" })))).message).toContain(
      "createdAt",
    );
    expect((await rejection(kit.sendEvent("r1", "a", text, bad({ direction: "sideways" })))).message).toContain(
      "direction",
    );
    expect((await rejection(kit.sendEvent("r1", "a", text, bad({ metadata: [] })))).message).toContain("metadata");
    expect((await kit.getTimeline("r1")).filter((event) => event.type === "message")).toHaveLength(0);
  });

  test("hook registration", async () => {
    const { kit } = await setup();
    expect(() => kit.hook(bad<HookTrigger>("on_everything"), () => undefined)).toThrow(/trigger/);
    expect(() => kit.hook("before_broadcast", bad(null))).toThrow(/fn/);
    expect(() => kit.hook("before_broadcast", () => undefined, { timeout: -1 })).toThrow(/timeout/);
    expect(() => kit.hook("before_broadcast", () => undefined, { priority: Number.NaN })).toThrow(/priority/);
    expect(() => kit.hook("before_broadcast", () => undefined, bad({ execution: "later" }))).toThrow(/execution/);
    expect(() => kit.hook("before_broadcast", () => undefined, bad({ channelIds: "a" }))).toThrow(/channelIds/);
    expect(() => kit.addRoomHook("", "before_broadcast", () => undefined)).toThrow(/roomId/);
    expect(kit.hasHooks("before_broadcast")).toBe(false);
  });

  test("binding setters, timeline, join, typing, on, registerChannel", async () => {
    const { kit } = await setup();
    expect((await rejection(kit.setAccess("r1", "a", bad("admin")))).message).toContain("access");
    expect((await rejection(kit.setVisibility("r1", "a", ""))).message).toContain("visibility");
    expect((await rejection(kit.getTimeline("r1", { limit: 0 }))).message).toContain("limit");
    expect((await rejection(kit.getTimeline("r1", { offset: -1 }))).message).toContain("offset");
    expect((await rejection(kit.join("r1", "a", bad({ participantId: 5 })))).message).toContain("participantId");
    expect(() => kit.publishTyping("r1", bad(undefined), true)).toThrow(InvalidArgumentError);
    expect(() => kit.on("", () => undefined)).toThrow(InvalidArgumentError);
    expect(() => kit.registerChannel(bad(null))).toThrow(InvalidArgumentError);
    expect(() => kit.registerChannel(bad({ channelId: "" }))).toThrow(/channelId/);
    await expect(kit.leave(bad(null))).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
