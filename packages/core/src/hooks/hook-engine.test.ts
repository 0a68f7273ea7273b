import { describe, expect, test } from "bun:test";
import {
  createRecordingLogger,
  HookError,
  type HookFunction,
  type HookRegistration,
  HookResult,
  HookTimeoutError,
  HookTrigger,
  type RoomContext,
  RoomKitError,
} from "@roomkit/spec";
import { ManualClock, waitFor } from "@roomkit/testing";
import { HookEngine } from "./hook-engine.ts";
import { HookRegistry } from "./hook-registry.ts";

const ROOM_CONTEXT: RoomContext = {
  room: {
    id: "r1",
    status: "active",
    createdAt: new Date(0),
    updatedAt: new Date(0),
    metadata: {},
    eventCount: 0,
    latestIndex: -1,
  },
  bindings: [],
  recentEvents: [],
};
const ORIGIN = { roomId: "r1", channelId: "voice", channelType: "realtime_voice", direction: "inbound" };

function setup() {
  const registry = new HookRegistry();
  const clock = new ManualClock();
  const logger = createRecordingLogger();
  const emitted: Array<{ type: string; data: Record<string, unknown> }> = [];
  let contextBuilds = 0;
  const engine = new HookEngine({
    registry,
    clock,
    logger,
    buildContext: () => {
      contextBuilds += 1;
      return Promise.resolve(ROOM_CONTEXT);
    },
    emit: (type, _roomId, data) => emitted.push({ type, data }),
  });
  const add = (
    trigger: HookRegistration["trigger"],
    name: string,
    fn: HookFunction,
    overrides: Partial<HookRegistration> = {},
  ) => registry.add({ trigger, fn, name, execution: "sync", priority: 0, timeout: 1000, ...overrides });
  return { registry, clock, logger, emitted, engine, add, contextBuilds: () => contextBuilds };
}

interface Transcript {
  kind: "realtime_transcription";
  text: string;
}
const transcript = (text: string): Transcript => ({ kind: "realtime_transcription", text });

describe("HookEngine.runSync", () => {
  test("no hooks: allowed, payload untouched, no context built", async () => {
    const { engine, contextBuilds } = setup();
    const payload = transcript("hi");
    const outcome = await engine.runSync(HookTrigger.ON_TRANSCRIPTION, payload, ORIGIN);
    expect(outcome.allowed).toBe(true);
    expect(outcome.event).toBe(payload);
    expect(contextBuilds()).toBe(0);
  });

  test("hooks run by priority; modify chains; metadata merges with later winning; context built once", async () => {
    const { engine, add, contextBuilds } = setup();
    const seen: string[] = [];
    add(
      HookTrigger.BEFORE_BROADCAST,
      "second",
      (event: Transcript) => {
        seen.push(`second:${event.text}`);
        return HookResult.modify(transcript(`${event.text}+2`), { who: "second", b: 2 });
      },
      { priority: 2 },
    );
    add(
      HookTrigger.BEFORE_BROADCAST,
      "first",
      (event: Transcript) => {
        seen.push(`first:${event.text}`);
        return HookResult.modify(transcript(`${event.text}+1`), { who: "first", a: 1 });
      },
      { priority: 1 },
    );
    const outcome = await engine.runSync(HookTrigger.BEFORE_BROADCAST, transcript("x"), ORIGIN);
    expect(seen).toEqual(["first:x", "second:x+1"]);
    expect(outcome.event.text).toBe("x+1+2");
    expect(outcome.metadata).toEqual({ who: "second", a: 1, b: 2 });
    expect(contextBuilds()).toBe(1);
  });

  test("block stops the chain and skips async observers", async () => {
    const { engine, add } = setup();
    let laterCalled = false;
    let observerCalled = false;
    add(HookTrigger.BEFORE_BROADCAST, "blocker", () => HookResult.block("no swearing"));
    add(
      HookTrigger.BEFORE_BROADCAST,
      "later",
      () => {
        laterCalled = true;
      },
      { priority: 5 },
    );
    add(
      HookTrigger.BEFORE_BROADCAST,
      "observer",
      () => {
        observerCalled = true;
      },
      { execution: "async" },
    );
    const outcome = await engine.runSync(HookTrigger.BEFORE_BROADCAST, transcript("x"), ORIGIN);
    expect(outcome.allowed).toBe(false);
    expect(outcome.reason).toBe("no swearing");
    expect(outcome.blockedBy).toBe("blocker");
    expect(laterCalled).toBe(false);
    expect(observerCalled).toBe(false);
  });

  test("fail-open trigger: a throwing hook is recorded and skipped", async () => {
    const { engine, add, logger } = setup();
    add(HookTrigger.BEFORE_BROADCAST, "broken", () => {
      throw new Error("kaput");
    });
    add(HookTrigger.BEFORE_BROADCAST, "fine", () => HookResult.allow({ ok: true }), { priority: 1 });
    const outcome = await engine.runSync(HookTrigger.BEFORE_BROADCAST, transcript("x"), ORIGIN);
    expect(outcome.allowed).toBe(true);
    expect(outcome.metadata).toEqual({ ok: true });
    expect(outcome.errors.map((error) => error.hookName)).toEqual(["broken"]);
    expect(logger.entries.some((entry) => entry.level === "error" && entry.details?.hook === "broken")).toBe(true);
  });

  test("fail-open trigger: an invalid return is recorded and skipped", async () => {
    const { engine, add } = setup();
    add(HookTrigger.ON_TOOL_CALL, "weird", (() => "allow") as unknown as HookFunction);
    const outcome = await engine.runSync(HookTrigger.ON_TOOL_CALL, { kind: "tool_call" }, ORIGIN);
    expect(outcome.allowed).toBe(true);
    expect(outcome.errors).toHaveLength(1);
    const error = outcome.errors[0]!.error as HookError;
    expect(error).toBeInstanceOf(HookError);
    expect(error.code).toBe("hook_invalid_result");
    expect(error.message).toBe("hook weird returned string instead of HookResult");
  });

  test("fail-closed: a throwing hook blocks", async () => {
    const { engine, add } = setup();
    add(HookTrigger.ON_TRANSCRIPTION, "redactor", () => Promise.reject(new Error("redaction service down")));
    const outcome = await engine.runSync(HookTrigger.ON_TRANSCRIPTION, transcript("secret"), ORIGIN);
    expect(outcome.allowed).toBe(false);
    expect(outcome.blockedBy).toBe("redactor");
    expect(outcome.reason).toContain("redaction service down");
  });

  test("fail-closed: a non-HookResult return blocks (BEFORE_TTS)", async () => {
    const { engine, add } = setup();
    add(HookTrigger.BEFORE_TTS, "wrong", (() => 42) as unknown as HookFunction);
    const outcome = await engine.runSync(HookTrigger.BEFORE_TTS, "text", ORIGIN);
    expect(outcome.allowed).toBe(false);
    expect(outcome.reason).toContain("instead of HookResult");
  });

  test("fail-closed: modify with another payload type blocks; with the same kind it applies", async () => {
    const { engine, add, registry } = setup();
    add(HookTrigger.ON_TRANSCRIPTION, "to-string", () => HookResult.modify("plain string"));
    const blocked = await engine.runSync(HookTrigger.ON_TRANSCRIPTION, transcript("x"), ORIGIN);
    expect(blocked.allowed).toBe(false);
    expect(blocked.reason).toContain("unusable payload");
    expect((blocked.errors[0]!.error as HookError).code).toBe("hook_invalid_result");
    registry.removeGlobal("to-string");
    add(HookTrigger.ON_TRANSCRIPTION, "other-kind", () =>
      HookResult.modify({ kind: "partial_transcription", text: "y" }),
    );
    expect((await engine.runSync(HookTrigger.ON_TRANSCRIPTION, transcript("x"), ORIGIN)).allowed).toBe(false);
    registry.removeGlobal("other-kind");
    add(HookTrigger.ON_TRANSCRIPTION, "redact", (event: Transcript) =>
      HookResult.modify({ ...event, text: event.text.replace("1234", "****") }),
    );
    const modified = await engine.runSync(HookTrigger.ON_TRANSCRIPTION, transcript("card 1234"), ORIGIN);
    expect(modified.allowed).toBe(true);
    expect(modified.event.text).toBe("card ****");
  });

  test("a hook returning nothing allows, even on a fail-closed trigger", async () => {
    const { engine, add } = setup();
    let called = false;
    add(HookTrigger.ON_TRANSCRIPTION, "logger", () => {
      called = true;
    });
    const outcome = await engine.runSync(HookTrigger.ON_TRANSCRIPTION, transcript("x"), ORIGIN);
    expect(called).toBe(true);
    expect(outcome.allowed).toBe(true);
    expect(outcome.errors).toEqual([]);
  });

  test("timeout (fail-open): skipped, recorded, hook_timeout emitted, later hooks run", async () => {
    const { engine, add, clock, emitted } = setup();
    let hungStarted = false;
    add(
      HookTrigger.BEFORE_BROADCAST,
      "hung",
      () => {
        hungStarted = true;
        return new Promise(() => {});
      },
      { timeout: 500 },
    );
    add(HookTrigger.BEFORE_BROADCAST, "after", () => HookResult.allow({ after: true }), { priority: 1 });
    const running = engine.runSync(HookTrigger.BEFORE_BROADCAST, transcript("x"), ORIGIN);
    await waitFor(() => hungStarted);
    clock.advance(499);
    let settled = false;
    running.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    clock.advance(1);
    const outcome = await running;
    expect(outcome.allowed).toBe(true);
    expect(outcome.metadata).toEqual({ after: true });
    expect(outcome.errors[0]?.hookName).toBe("hung");
    const error = outcome.errors[0]!.error as HookTimeoutError;
    expect(error).toBeInstanceOf(HookTimeoutError);
    expect(error).toBeInstanceOf(RoomKitError);
    expect([error.code, error.hookName, error.trigger, error.timeoutMs]).toEqual([
      "hook_timeout",
      "hung",
      HookTrigger.BEFORE_BROADCAST,
      500,
    ]);
    expect(emitted).toEqual([
      { type: "hook_timeout", data: { hookName: "hung", trigger: "before_broadcast", timeout: 500 } },
    ]);
  });

  test("timeout (fail-closed): blocks", async () => {
    const { engine, add, clock } = setup();
    let started = false;
    add(
      HookTrigger.ON_TRANSCRIPTION,
      "slow",
      () => {
        started = true;
        return new Promise(() => {});
      },
      { timeout: 200 },
    );
    const running = engine.runSync(HookTrigger.ON_TRANSCRIPTION, transcript("x"), ORIGIN);
    await waitFor(() => started);
    clock.advance(200);
    const outcome = await running;
    expect(outcome.allowed).toBe(false);
    expect(outcome.reason).toBe("hook slow timed out after 200 ms");
    expect(outcome.errors[0]!.error).toBeInstanceOf(HookTimeoutError);
  });

  test("a hook returning { result } records outcome.result (last wins)", async () => {
    const { engine, add } = setup();
    add(HookTrigger.ON_TOOL_CALL, "weather", () => ({ result: { temperature: 21 } }));
    const outcome = await engine.runSync(HookTrigger.ON_TOOL_CALL, { kind: "tool_call" }, ORIGIN);
    expect(outcome.result).toEqual({ temperature: 21 });
    expect(outcome.allowed).toBe(true);
  });

  test("async hooks of the trigger start after the sync ones, concurrently, with the final payload, not awaited", async () => {
    const { engine, add } = setup();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    add(HookTrigger.BEFORE_BROADCAST, "sync", () => {
      order.push("sync");
      return HookResult.modify(transcript("final"));
    });
    for (const name of ["observer-1", "observer-2"]) {
      add(
        HookTrigger.BEFORE_BROADCAST,
        name,
        async (event: Transcript) => {
          order.push(`${name}:start:${event.text}`);
          await gate;
          order.push(`${name}:end`);
        },
        { execution: "async" },
      );
    }
    // runSync returns without waiting for the observers (they never delay the answer)
    const outcome = await engine.runSync(HookTrigger.BEFORE_BROADCAST, transcript("x"), ORIGIN);
    expect(outcome.allowed).toBe(true);
    await waitFor(() => order.length === 3);
    expect(order).toEqual(["sync", "observer-1:start:final", "observer-2:start:final"]);
    release();
    await waitFor(() => order.length === 5);
    expect(order.slice(3).sort()).toEqual(["observer-1:end", "observer-2:end"]);
  });

  test("channelIds / channelTypes / directions filters apply to realtime triggers too", async () => {
    const { engine, add, contextBuilds } = setup();
    let calls = 0;
    add(
      HookTrigger.ON_TRANSCRIPTION,
      "other-channel",
      () => {
        calls += 1;
        return HookResult.block("not mine");
      },
      { channelIds: ["sms"] },
    );
    add(
      HookTrigger.ON_TRANSCRIPTION,
      "other-type",
      () => {
        calls += 1;
        return HookResult.block("not mine");
      },
      { channelTypes: ["voice"] },
    );
    add(
      HookTrigger.ON_TRANSCRIPTION,
      "outbound-only",
      () => {
        calls += 1;
        return HookResult.block("not mine");
      },
      { directions: ["outbound"] },
    );
    const outcome = await engine.runSync(HookTrigger.ON_TRANSCRIPTION, transcript("x"), ORIGIN);
    expect(outcome.allowed).toBe(true);
    expect(calls).toBe(0);
    expect(contextBuilds()).toBe(0);
  });

  test("a thrown non-Error value is handled", async () => {
    const { engine, add } = setup();
    add(HookTrigger.BEFORE_BROADCAST, "throws-string", () => {
      throw "plain";
    });
    const outcome = await engine.runSync(HookTrigger.BEFORE_BROADCAST, transcript("x"), ORIGIN);
    expect(outcome.allowed).toBe(true);
    expect(outcome.errors[0]?.error).toBe("plain");
  });
});

describe("HookEngine.runAsync", () => {
  test("runs every hook whatever its execution, concurrently; errors are logged, not thrown", async () => {
    const { engine, add, logger } = setup();
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    add(HookTrigger.ON_SPEECH_START, "sync-declared", async () => {
      started.push("sync-declared");
      await gate;
    });
    add(
      HookTrigger.ON_SPEECH_START,
      "async-declared",
      async () => {
        started.push("async-declared");
        await gate;
      },
      { execution: "async" },
    );
    add(
      HookTrigger.ON_SPEECH_START,
      "broken",
      () => {
        throw new Error("observer bug");
      },
      { execution: "async" },
    );
    const running = engine.runAsync(HookTrigger.ON_SPEECH_START, { kind: "session" }, ORIGIN);
    await waitFor(() => started.length === 2);
    release();
    await running;
    expect(started.sort()).toEqual(["async-declared", "sync-declared"]);
    expect(
      logger.entries.some((entry) => entry.message === "async hook failed" && entry.details?.hook === "broken"),
    ).toBe(true);
  });

  test("an async hook timeout emits hook_timeout", async () => {
    const { engine, add, clock, emitted } = setup();
    let started = false;
    add(
      HookTrigger.ON_BARGE_IN,
      "stuck",
      () => {
        started = true;
        return new Promise(() => {});
      },
      { timeout: 50, execution: "async" },
    );
    const running = engine.runAsync(HookTrigger.ON_BARGE_IN, {}, ORIGIN);
    await waitFor(() => started);
    clock.advance(50);
    await running;
    expect(emitted.map((event) => event.type)).toEqual(["hook_timeout"]);
  });

  test("the provided context is passed through and none is built", async () => {
    const { engine, add, contextBuilds } = setup();
    let received: RoomContext | undefined;
    const custom: RoomContext = { ...ROOM_CONTEXT, bindings: [] };
    add(HookTrigger.ON_ERROR, "capture", (_event, context) => {
      received = context;
    });
    await engine.runAsync(HookTrigger.ON_ERROR, {}, ORIGIN, custom);
    expect(received).toBe(custom);
    expect(contextBuilds()).toBe(0);
  });
});
