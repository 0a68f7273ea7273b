import { describe, expect, test } from "bun:test";
import * as spec from "@roomkit/spec";
import { MockChannel } from "@roomkit/testing";
import * as core from "./index.ts";

/** What the seed imports (`from roomkit import RoomKit, HookTrigger, HookResult`) and what users reach for next. */
const DAILY_VALUES = [
  "HookTrigger",
  "HookResult",
  "HookExecution",
  "VoiceSession",
  "VoiceSessionState",
  "EventType",
  "EventStatus",
  "ChannelType",
  "ChannelCategory",
  "ChannelDirection",
  "Access",
  "createConsoleLogger",
  "silentLogger",
  "systemClock",
  "RoomKitError",
  "RoomKitConfigError",
  "InvalidArgumentError",
  "ProviderError",
  "TransportError",
  "RoomNotFoundError",
  "RoomAlreadyExistsError",
  "StoreError",
  "StoreClosedError",
] as const;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Compile-time: the re-exported types are spec's (the root typecheck fails if one is missing or different).
const sameTypes: [
  Same<core.RoomEvent, spec.RoomEvent>,
  Same<core.RoomContext, spec.RoomContext>,
  Same<core.HookFunction, spec.HookFunction>,
  Same<core.HookOptions, spec.HookOptions>,
  Same<core.EventContent, spec.EventContent>,
  Same<core.ChannelBinding, spec.ChannelBinding>,
  Same<core.Visibility, spec.Visibility>,
  Same<core.Room, spec.Room>,
  Same<core.FrameworkEvent, spec.FrameworkEvent>,
  Same<core.RealtimeTranscriptionEvent, spec.RealtimeTranscriptionEvent>,
  Same<core.PartialTranscriptionEvent, spec.PartialTranscriptionEvent>,
  Same<core.BargeInEvent, spec.BargeInEvent>,
  Same<core.ToolCallEvent, spec.ToolCallEvent>,
  Same<core.SessionStartedEvent, spec.SessionStartedEvent>,
  Same<core.SessionEndedEvent, spec.SessionEndedEvent>,
  Same<core.AudioLevelEvent, spec.AudioLevelEvent>,
  Same<core.DtmfEvent, spec.DtmfEvent>,
  Same<core.ToolDefinition, spec.ToolDefinition>,
  Same<core.Logger, spec.Logger>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];

function isErrorClass(value: unknown): value is typeof spec.RoomKitError {
  return typeof value === "function" && (value === spec.RoomKitError || value.prototype instanceof spec.RoomKitError);
}

describe("@roomkit/core is the one import a RoomKit user needs", () => {
  test("the daily names are spec's own objects, not copies", () => {
    const coreExports = core as Record<string, unknown>;
    const specExports = spec as Record<string, unknown>;
    for (const name of DAILY_VALUES) {
      expect(specExports[name], `spec exports ${name}`).toBeDefined();
      expect(coreExports[name], `core re-exports ${name}`).toBe(specExports[name]);
    }
    expect(sameTypes.every(Boolean)).toBe(true);
  });

  test("RoomKitError and every subclass spec exports are re-exported (a new spec error fails this test)", () => {
    const coreExports = core as Record<string, unknown>;
    const errorNames = Object.entries(spec)
      .filter(([, value]) => isErrorClass(value))
      .map(([name]) => name);
    expect(errorNames.length).toBeGreaterThanOrEqual(23);
    expect(errorNames.filter((name) => coreExports[name] !== (spec as Record<string, unknown>)[name])).toEqual([]);
  });

  test("errors thrown by core are catchable with the classes imported from core", async () => {
    const kit = new core.RoomKit({ logger: core.silentLogger });
    const missing = await kit.getRoom("nope").catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(core.RoomNotFoundError);
    expect(missing).toBeInstanceOf(core.RoomKitError);
    expect(() => new core.RoomKit({ closeTimeoutMs: -5 })).toThrow(core.RoomKitConfigError);
    await kit.close();
  });

  test("the seed's hook works from core's names alone", async () => {
    const kit = new core.RoomKit({ logger: core.silentLogger });
    kit.hook(core.HookTrigger.BEFORE_BROADCAST, (event: core.RoomEvent) =>
      core.Channel.extractText(event).includes("card") ? core.HookResult.block("no cards") : undefined,
    );
    kit.registerChannel(new MockChannel("a"));
    await kit.createRoom({ roomId: "r1" });
    await kit.attachChannel("r1", "a");
    const stored = await kit.sendEvent("r1", "a", { type: "text", body: "my card is 4111" });
    expect(stored.status).toBe(core.EventStatus.BLOCKED);
    await kit.close();
  });
});
