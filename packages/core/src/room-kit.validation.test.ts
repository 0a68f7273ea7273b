import { describe, expect, test } from "bun:test";
import { type HookTrigger, InvalidArgumentError, RoomKitConfigError, silentLogger } from "@roomkit/spec";
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

/** Method arguments go through the same `parseOptions` as constructors: a RoomKitConfigError (an InvalidArgumentError). */
async function rejection(promise: Promise<unknown>): Promise<RoomKitConfigError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof RoomKitConfigError)) throw new Error(`expected RoomKitConfigError, got ${String(error)}`);
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect(error.component).toStartWith("RoomKit.");
  return error;
}

function thrown(operation: () => unknown): RoomKitConfigError {
  try {
    operation();
  } catch (error) {
    if (error instanceof RoomKitConfigError) return error;
    throw new Error(`expected RoomKitConfigError, got ${String(error)}`);
  }
  throw new Error("expected a throw");
}

const bad = <T>(value: unknown) => value as T;

describe("RoomKit method arguments (RoomKitConfigError naming RoomKit.<method> and the field; constructors: options/constructor-options.test.ts)", () => {
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
    const nullContent = await rejection(kit.sendEvent("r1", "a", bad(null)));
    expect(nullContent.field).toBe("content");
    expect(nullContent.message).toStartWith('RoomKit.sendEvent: option "content":');
    const text = { type: "text" as const, body: "x" };
    expect((await rejection(kit.sendEvent("r1", "a", text, bad({ createdAt: "yesterday" })))).message).toContain(
      "createdAt",
    );
    const direction = await rejection(kit.sendEvent("r1", "a", text, bad({ direction: "sideways" })));
    expect(direction.field).toBe("options.direction");
    expect(direction.message).toContain('"inbound"|"outbound"|"bidirectional"');
    expect((await rejection(kit.sendEvent("r1", "a", text, bad({ metadata: [] })))).message).toContain("metadata");
    expect((await kit.getTimeline("r1")).filter((event) => event.type === "message")).toHaveLength(0);
  });

  test("hook registration", async () => {
    const { kit } = await setup();
    const trigger = thrown(() => kit.hook(bad<HookTrigger>("on_everything"), () => undefined));
    expect([trigger.component, trigger.field]).toEqual(["RoomKit.hook", "trigger"]);
    expect(trigger.message).toContain('"before_broadcast"|"after_broadcast"');
    expect(() => kit.hook("before_broadcast", bad(null))).toThrow(/fn/);
    expect(() => kit.hook("before_broadcast", () => undefined, { timeout: -1 })).toThrow(/timeout/);
    expect(() => kit.hook("before_broadcast", () => undefined, { priority: Number.NaN })).toThrow(/priority/);
    expect(() => kit.hook("before_broadcast", () => undefined, bad({ execution: "later" }))).toThrow(/execution/);
    expect(() => kit.hook("before_broadcast", () => undefined, bad({ channelIds: "a" }))).toThrow(/channelIds/);
    expect(thrown(() => kit.addRoomHook("", "before_broadcast", () => undefined)).field).toBe("roomId");
    expect(thrown(() => kit.addRoomHook("r1", "before_broadcast", () => undefined, { timeout: 0 })).component).toBe(
      "RoomKit.addRoomHook",
    );
    expect(kit.hasHooks("before_broadcast")).toBe(false);
  });

  test("binding setters, timeline, join, typing, on, registerChannel", async () => {
    const { kit } = await setup();
    const access = await rejection(kit.setAccess("r1", "a", bad("admin")));
    expect([access.component, access.field]).toEqual(["RoomKit.setAccess", "access"]);
    expect(access.message).toContain('"read_write"|"read_only"|"write_only"|"none"');
    expect((await rejection(kit.setVisibility("r1", "a", ""))).message).toContain("visibility");
    expect((await rejection(kit.getTimeline("r1", { limit: 0 }))).message).toContain("limit");
    expect((await rejection(kit.getTimeline("r1", { offset: -1 }))).message).toContain("offset");
    expect((await rejection(kit.join("r1", "a", bad({ participantId: 5 })))).message).toContain("participantId");
    expect(thrown(() => kit.publishTyping("r1", bad(undefined), true)).field).toBe("userId");
    expect(thrown(() => kit.on("", () => undefined)).field).toBe("type");
    expect(thrown(() => kit.on("typing", bad(5))).field).toBe("handler");
    expect(thrown(() => kit.registerChannel(bad(null))).field).toBe("channel");
    expect(thrown(() => kit.registerChannel(bad({ channelId: "" }))).field).toBe("channel.channelId");
    const leave = await rejection(kit.leave(bad(null)));
    expect([leave.component, leave.field]).toEqual(["RoomKit.leave", "session"]);
  });
});
