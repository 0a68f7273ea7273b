import { afterEach, describe, expect, test } from "bun:test";
import { HookResult, HookTrigger } from "@roomkit/spec";
import type { ToolCallContext } from "../options.ts";
import { ManualClock, settle, waitFor } from "@roomkit/testing";
import { createHarness, type Harness } from "../test-support/harness.ts";
import { ToolCallLedger } from "./tool-call-ledger.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("tool calls across the session's life", () => {
  test("the session ends mid-call: the handler's signal aborts, no timer is left, nothing is submitted", async () => {
    const clock = new ManualClock(1000);
    const contexts: ToolCallContext[] = [];
    harness = await createHarness({
      channel: {
        clock,
        muteOnToolCall: true,
        toolHandler: (_session, _name, _args, context) => {
          contexts.push(context);
          return new Promise(() => {});
        },
      },
    });
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "slow", {});
    await waitFor(() => contexts.length === 1);
    expect(contexts[0]!.callId).toBe("c1");
    expect(contexts[0]!.signal.aborted).toBe(false);
    await harness.channel.endSession(session);
    await settle(5);
    expect(contexts[0]!.signal.aborted).toBe(true);
    expect(clock.pendingTimers).toBe(0);
    expect(harness.provider.toolResults).toHaveLength(0);
    // the caller is not unmuted on a transport session that is already gone
    expect(harness.transport.inputMuted.map((entry) => entry.muted)).toEqual([true]);
  });

  test("a cancelled call: the running handler is told, a queued one never runs, neither gets a result", async () => {
    const contexts: ToolCallContext[] = [];
    harness = await createHarness({
      channel: {
        toolHandler: (_session, _name, _args, context) => {
          contexts.push(context);
          return new Promise(() => {});
        },
      },
    });
    let releaseFinal!: () => void;
    harness.kit.hook(HookTrigger.ON_TRANSCRIPTION, async () => {
      await new Promise<void>((resolve) => (releaseFinal = resolve));
      return HookResult.allow();
    });
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "running", "x", {});
    await waitFor(() => contexts.length === 1);
    await harness.provider.simulateTranscription(session, "hello", { role: "user" });
    await harness.provider.simulateToolCall(session, "queued", "x", {});
    await harness.provider.simulateToolCallCancel(session, ["running", "queued"]);
    expect(contexts[0]!.signal.aborted).toBe(true);
    await waitFor(() => releaseFinal !== undefined);
    releaseFinal();
    await settle(10);
    expect(contexts).toHaveLength(1);
    expect(harness.provider.toolResults).toHaveLength(0);
  });

  test("timeout then a late handler completion: exactly one result (the timeout error)", async () => {
    const clock = new ManualClock(1000);
    let release!: (value: unknown) => void;
    harness = await createHarness({
      channel: { clock, toolHandler: () => new Promise((resolve) => (release = resolve)) },
    });
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "slow", {});
    await waitFor(() => release !== undefined);
    clock.advance(30_000);
    await waitFor(() => harness!.provider.toolResults.length === 1);
    release({ late: true });
    await settle(10);
    expect(harness.provider.toolResults).toHaveLength(1);
    expect(harness.provider.toolResults[0]!.result).toContain("timed out");
    expect(clock.pendingTimers).toBe(0);
  });
});

describe("ToolCallLedger (bounded per-session memory of call ids)", () => {
  test("duplicates are refused while running and for the most recent finished ids; memory stays bounded", () => {
    const ledger = new ToolCallLedger(4);
    expect(ledger.begin("a")).toBeDefined();
    expect(ledger.begin("a")).toBeUndefined();
    ledger.finish("a");
    expect(ledger.begin("a")).toBeUndefined();
    for (let index = 0; index < 10_000; index++) {
      const id = `call-${index}`;
      expect(ledger.begin(id)).toBeDefined();
      ledger.finish(id);
    }
    expect(ledger.size).toBeLessThanOrEqual(4);
    expect(ledger.begin("call-9999")).toBeUndefined();
    expect(ledger.begin("a")).toBeDefined();
  });

  test("a cancel marks only a call in flight and aborts its signal; unknown ids are not remembered", () => {
    const ledger = new ToolCallLedger(4);
    const running = ledger.begin("r")!;
    ledger.cancel(["r", "never-seen"]);
    expect(running.signal.aborted).toBe(true);
    expect(ledger.isCancelled("r")).toBe(true);
    ledger.finish("r");
    expect(ledger.size).toBe(1);
    expect(ledger.isCancelled("never-seen")).toBe(false);
    expect(ledger.begin("never-seen")).toBeDefined();
  });

  test("abortAll aborts every call in flight", () => {
    const ledger = new ToolCallLedger(4);
    const one = ledger.begin("1")!;
    const two = ledger.begin("2")!;
    ledger.abortAll(new Error("session ended"));
    expect(one.signal.aborted && two.signal.aborted).toBe(true);
  });
});

describe("observers never delay the answer", () => {
  test("a slow async ON_TOOL_CALL observer does not hold back the tool result", async () => {
    harness = await createHarness({ channel: { toolHandler: () => ({ ok: true }) } });
    let release!: () => void;
    const observed: string[] = [];
    harness.kit.hook(
      HookTrigger.ON_TOOL_CALL,
      async (event: { name: string }) => {
        observed.push(event.name);
        await new Promise<void>((resolve) => (release = resolve));
      },
      { execution: "async" },
    );
    const session = await harness.start();
    await harness.provider.simulateToolCall(session, "c1", "lookup", {});
    await waitFor(() => harness!.provider.toolResults.length === 1, { timeoutMs: 2000 });
    expect(observed).toEqual(["lookup"]);
    release();
  });
});
