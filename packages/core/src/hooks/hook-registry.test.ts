import { describe, expect, test } from "bun:test";
import { type HookRegistration, HookTrigger } from "@roomkit/spec";
import { HookRegistry, matchesOrigin } from "./hook-registry.ts";

function registration(name: string, overrides: Partial<HookRegistration> = {}): HookRegistration {
  return {
    trigger: HookTrigger.BEFORE_BROADCAST,
    fn: () => undefined,
    execution: "sync",
    priority: 0,
    name,
    timeout: 1000,
    ...overrides,
  };
}

describe("HookRegistry", () => {
  test("hasHooks: global, per room, any room; follows removal", () => {
    const registry = new HookRegistry();
    expect(registry.hasHooks(HookTrigger.BEFORE_BROADCAST)).toBe(false);
    const roomHook = registration("room", { roomId: "r1" });
    registry.add(roomHook);
    expect(registry.hasHooks(HookTrigger.BEFORE_BROADCAST, "r1")).toBe(true);
    expect(registry.hasHooks(HookTrigger.BEFORE_BROADCAST, "r2")).toBe(false);
    expect(registry.hasHooks(HookTrigger.BEFORE_BROADCAST)).toBe(true);
    registry.add(registration("global"));
    expect(registry.hasHooks(HookTrigger.BEFORE_BROADCAST, "r2")).toBe(true);
    expect(registry.removeGlobal("global")).toBe(true);
    expect(registry.removeFromRoom("r1", "room")).toBe(true);
    expect(registry.removeFromRoom("r1", "room")).toBe(false);
    expect(registry.hasHooks(HookTrigger.BEFORE_BROADCAST)).toBe(false);
    expect(registry.hasHooks(HookTrigger.BEFORE_BROADCAST, "r1")).toBe(false);
  });

  test("sorted: ascending priority, stable, global before room at equal priority", () => {
    const registry = new HookRegistry();
    registry.add(registration("room-0", { roomId: "r1" }));
    registry.add(registration("global-5", { priority: 5 }));
    registry.add(registration("global-0a"));
    registry.add(registration("room-minus", { roomId: "r1", priority: -1 }));
    registry.add(registration("global-0b"));
    const names = registry.sorted(HookTrigger.BEFORE_BROADCAST, "r1").map((hook) => hook.name);
    expect(names).toEqual(["room-minus", "global-0a", "global-0b", "room-0", "global-5"]);
    expect(registry.sorted(HookTrigger.BEFORE_BROADCAST, "r2").map((hook) => hook.name)).toEqual([
      "global-0a",
      "global-0b",
      "global-5",
    ]);
  });

  test("select filters by execution and origin", () => {
    const registry = new HookRegistry();
    registry.add(registration("sync-any"));
    registry.add(registration("async-any", { execution: "async" }));
    registry.add(registration("only-a", { channelIds: ["a"] }));
    const origin = { roomId: "r1", channelId: "b", channelType: "mock", direction: "inbound" };
    expect(registry.select(HookTrigger.BEFORE_BROADCAST, origin, "sync").map((h) => h.name)).toEqual(["sync-any"]);
    expect(registry.select(HookTrigger.BEFORE_BROADCAST, origin, undefined).map((h) => h.name)).toEqual([
      "sync-any",
      "async-any",
    ]);
  });

  test("matchesOrigin: every filter must match; a filtered field missing from the origin does not match", () => {
    const hook = registration("h", { channelTypes: ["realtime_voice"], directions: ["inbound"] });
    expect(matchesOrigin(hook, { channelType: "realtime_voice", direction: "inbound" })).toBe(true);
    expect(matchesOrigin(hook, { channelType: "realtime_voice", direction: "outbound" })).toBe(false);
    expect(matchesOrigin(hook, { channelType: "sms", direction: "inbound" })).toBe(false);
    expect(matchesOrigin(hook, { roomId: "r1" })).toBe(false);
    expect(matchesOrigin(registration("open"), { roomId: "r1" })).toBe(true);
    expect(matchesOrigin(registration("ids", { channelIds: ["x"] }), { channelId: "x" })).toBe(true);
  });
});

describe("HookRegistry memory", () => {
  test("rooms without room hooks share the global list: the sorted cache does not grow with every room served", () => {
    const registry = new HookRegistry();
    registry.add(registration("global"));
    registry.add(registration("room", { roomId: "special" }));
    for (let index = 0; index < 5000; index++) {
      expect(registry.select(HookTrigger.BEFORE_BROADCAST, { roomId: `room-${index}` }, undefined)).toHaveLength(1);
    }
    expect(registry.select(HookTrigger.BEFORE_BROADCAST, { roomId: "special" }, undefined)).toHaveLength(2);
    expect(registry.cachedLists).toBeLessThanOrEqual(2);
  });
});
