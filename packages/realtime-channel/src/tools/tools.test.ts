import { afterEach, describe, expect, test } from "bun:test";
import { HookResult, HookTrigger, type RealtimeTranscriptionEvent, type ToolCallEvent } from "@roomkit/spec";
import { ManualClock, settle, waitFor } from "@roomkit/testing";
import { createHarness, type Harness } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const weather = {
  type: "function" as const,
  name: "get_weather",
  description: "Get current weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

async function resultOf(h: Harness, callId: string): Promise<unknown> {
  await waitFor(() => h.provider.toolResults.some((entry) => entry.callId === callId));
  const matches = h.provider.toolResults.filter((entry) => entry.callId === callId);
  expect(matches).toHaveLength(1);
  return JSON.parse(matches[0]!.result);
}

describe("tool calls (§8.42, 47–50 and fixes)", () => {
  test("a tool call never overtakes an earlier final still being processed (§8.42)", async () => {
    harness = await createHarness({ channel: { toolHandler: async () => ({ ok: true }) } });
    const order: string[] = [];
    harness.kit.hook(HookTrigger.ON_TRANSCRIPTION, async (event: RealtimeTranscriptionEvent) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push(`final:${event.text}`);
      return HookResult.allow();
    });
    harness.kit.hook(HookTrigger.ON_TOOL_CALL, (event: ToolCallEvent) => {
      order.push(`tool:${event.name}`);
      return HookResult.allow();
    });
    const session = await harness.start();
    await harness.provider.simulateTranscription(session, "what's the weather", { role: "user" });
    await harness.provider.simulateToolCall(session, "c1", "lookup", {});
    await resultOf(harness, "c1");
    expect(order).toEqual(["final:what's the weather", "tool:lookup"]);
  });

  test("only an allow-returning ON_TOOL_CALL hook: a result is still submitted for the call id (§8.47)", async () => {
    harness = await createHarness();
    harness.kit.hook(HookTrigger.ON_TOOL_CALL, () => HookResult.allow());
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "anything", {});
    expect(await resultOf(harness, "c1")).toHaveProperty("error");
  });

  test("a 100 000-char result with max 500 is submitted at exactly 500 chars with the notice (§8.48)", async () => {
    harness = await createHarness({ channel: { toolResultMaxLength: 500, toolHandler: () => "x".repeat(100_000) } });
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "big", {});
    await waitFor(() => harness!.provider.toolResults.length === 1);
    const result = harness.provider.toolResults[0]!.result;
    expect(result).toHaveLength(500);
    expect(result).toContain("truncated");
    expect(result).toContain("100000 chars");
    expect(result).toContain("delivered to the client");
  });

  test("small results unchanged; objects JSON-serialised (§8.49)", async () => {
    harness = await createHarness({
      channel: { toolHandler: (_session, name) => (name === "text" ? "plain result" : { status: "ok", value: 42 }) },
    });
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "text", {});
    await harness.provider.simulateToolCall(session, "c2", "json", {});
    await waitFor(() => harness!.provider.toolResults.length === 2);
    const byId = Object.fromEntries(harness.provider.toolResults.map((entry) => [entry.callId, entry.result]));
    expect(byId.c1).toBe("plain result");
    expect(byId.c2).toBe('{"status":"ok","value":42}');
  });

  test("handler receives (session, name, args); undeclared tool and invalid arguments get error results", async () => {
    const seen: unknown[] = [];
    harness = await createHarness({
      channel: {
        tools: [weather],
        toolHandler: (session, name, args) => {
          seen.push([session.id, name, args]);
          return { temperature: 72 };
        },
      },
    });
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "get_weather", { city: "NYC" });
    await harness.provider.simulateToolCall(session, "c2", "delete_everything", {});
    await harness.provider.simulateToolCall(session, "c3", "get_weather", { town: "NYC" });
    expect(await resultOf(harness, "c1")).toEqual({ temperature: 72 });
    expect(await resultOf(harness, "c2")).toEqual({ error: "Tool 'delete_everything' is not declared" });
    expect(((await resultOf(harness, "c3")) as { error: string }).error).toContain(
      "Invalid arguments for 'get_weather'",
    );
    expect(seen).toEqual([[session.id, "get_weather", { city: "NYC" }]]);
  });

  test("a hung handler times out (default 30 s, here via an injected clock) with an error result", async () => {
    const clock = new ManualClock(1000);
    harness = await createHarness({ channel: { clock, toolHandler: () => new Promise(() => {}) } });
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "slow", {});
    await settle(5);
    expect(harness.provider.toolResults).toHaveLength(0);
    clock.advance(30_000);
    expect(((await resultOf(harness, "c1")) as { error: string }).error).toContain("timed out after 30000 ms");
  });

  test("a throwing handler gets an error result; exactly one result per call id, duplicates ignored", async () => {
    harness = await createHarness({
      channel: {
        toolHandler: () => {
          throw new Error("db down");
        },
      },
    });
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "x", {});
    await harness.provider.simulateToolCall(session, "c1", "x", {});
    expect(((await resultOf(harness, "c1")) as { error: string }).error).toContain("db down");
    await settle(5);
    expect(harness.provider.toolResults).toHaveLength(1);
  });

  test("cancelled calls get no result", async () => {
    let release!: () => void;
    harness = await createHarness({
      channel: { toolHandler: () => new Promise((resolve) => (release = () => resolve("late"))) },
    });
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "x", {});
    await settle(5);
    await harness.provider.simulateToolCallCancel(session, ["c1"]);
    release();
    await settle(10);
    expect(harness.provider.toolResults).toHaveLength(0);
  });

  test("precedence: block > hook result > handler result", async () => {
    harness = await createHarness({ channel: { toolHandler: () => ({ from: "handler" }) } });
    harness.kit.hook(HookTrigger.ON_TOOL_CALL, (event: ToolCallEvent) => {
      if (event.name === "blocked") return HookResult.block("not allowed");
      if (event.name === "hooked") {
        expect(event.result).toEqual({ from: "handler" });
        event.metadata.result = { from: "hook" };
      }
      if (event.name === "returned") return { result: "returned by hook" };
      return undefined;
    });
    const session = await harness.start();
    for (const name of ["blocked", "hooked", "returned", "plain"])
      await harness.provider.simulateToolCall(session, name, name, {});
    expect(await resultOf(harness, "blocked")).toEqual({ error: "not allowed" });
    expect(await resultOf(harness, "hooked")).toEqual({ from: "hook" });
    await waitFor(() => harness!.provider.toolResults.some((entry) => entry.callId === "returned"));
    expect(harness.provider.toolResults.find((entry) => entry.callId === "returned")!.result).toBe("returned by hook");
    expect(await resultOf(harness, "plain")).toEqual({ from: "handler" });
  });

  test("BEFORE_TOOL_USE can block (handler never runs) or rewrite arguments (re-validated)", async () => {
    const ran: unknown[] = [];
    harness = await createHarness({
      channel: {
        tools: [weather],
        toolHandler: (_s, _n, args) => {
          ran.push(args);
          return "ok";
        },
      },
    });
    harness.kit.hook(HookTrigger.BEFORE_TOOL_USE, (event: ToolCallEvent) => {
      if (event.toolCallId === "c1") return HookResult.block("policy");
      if (event.toolCallId === "c2") event.metadata.arguments = { city: "Paris" };
      if (event.toolCallId === "c3") event.metadata.arguments = { city: 3 };
      return HookResult.allow();
    });
    const events: unknown[] = [];
    harness.kit.on("before_tool_use", (event) => void events.push(event.data));
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "get_weather", { city: "NYC" });
    await harness.provider.simulateToolCall(session, "c2", "get_weather", { city: "NYC" });
    await harness.provider.simulateToolCall(session, "c3", "get_weather", { city: "NYC" });
    expect(await resultOf(harness, "c1")).toEqual({ error: "policy" });
    await waitFor(() => harness!.provider.toolResults.some((entry) => entry.callId === "c2"));
    expect(((await resultOf(harness, "c3")) as { error: string }).error).toContain("Invalid arguments");
    expect(ran).toEqual([{ city: "Paris" }]);
    await waitFor(() => events.length === 3);
  });

  test("muteOnToolCall mutes the caller during the tool and unmutes after", async () => {
    harness = await createHarness({ channel: { muteOnToolCall: true, toolHandler: () => ({ done: true }) } });
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "x", {});
    await resultOf(harness, "c1");
    expect(harness.transport.inputMuted).toEqual([
      { sessionId: session.id, muted: true },
      { sessionId: session.id, muted: false },
    ]);
  });

  test("slow result serialisation logs 'held the event loop' and still submits (§8.50)", async () => {
    const slow = {
      toJSON() {
        const until = performance.now() + 60;
        while (performance.now() < until) {}
        return { slow: true };
      },
    };
    harness = await createHarness({ channel: { toolHandler: () => slow } });
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "x", {});
    expect(await resultOf(harness, "c1")).toEqual({ slow: true });
    expect(harness.logger.entries.some((entry) => entry.message.includes("held the event loop"))).toBe(true);
  });

  test("no framework and no handler ⇒ error result (never a silent ok)", async () => {
    harness = await createHarness({ withKit: false });
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "x", {});
    expect(await resultOf(harness, "c1")).toEqual({ error: "No handler for tool x" });
  });
});
