import { describe, expect, test } from "bun:test";
import { AudioReplayBuffer } from "./replay-buffer.ts";
import { ConversationLog } from "./conversation-log.ts";
import { ResponseSequencer } from "./response-sequencer.ts";
import { TruncationTracker } from "./truncation-tracker.ts";
import { DEFAULT_RECONNECT_POLICY } from "./provider-config.ts";
import { reconnectBackoffMs } from "./reconnect.ts";

describe("ResponseSequencer", () => {
  test("never two response.create while one is requested or active; requests coalesce; retried after done", () => {
    let sent = 0;
    const sequencer = new ResponseSequencer(() => {
      sent++;
      return true;
    });
    expect(sequencer.request()).toBe(true);
    expect(sequencer.request()).toBe(false);
    expect(sequencer.request()).toBe(false);
    expect(sent).toBe(1);
    sequencer.onResponseCreated();
    sequencer.onResponseDone();
    expect(sent).toBe(2);
    sequencer.onResponseCreated();
    sequencer.onResponseDone();
    expect(sent).toBe(2);
  });

  test("a server-started response defers ours; conversation_already_has_active_response retries after done", () => {
    let sent = 0;
    const sequencer = new ResponseSequencer(() => {
      sent++;
      return true;
    });
    sequencer.onResponseCreated();
    expect(sequencer.request()).toBe(false);
    sequencer.onResponseDone();
    expect(sent).toBe(1);
    sequencer.onAlreadyActive();
    expect(sequencer.isActive).toBe(true);
    sequencer.onResponseDone();
    expect(sent).toBe(2);
  });

  test("a failed send keeps the request pending; defer + flushPending after a reconnect", () => {
    let accept = false;
    let sent = 0;
    const sequencer = new ResponseSequencer(() => {
      if (accept) sent++;
      return accept;
    });
    expect(sequencer.request()).toBe(false);
    expect(sequencer.hasPending).toBe(true);
    accept = true;
    sequencer.reset();
    sequencer.flushPending();
    expect(sent).toBe(1);
    sequencer.defer();
    sequencer.flushPending();
    expect(sent).toBe(1);
  });
});

describe("TruncationTracker", () => {
  test("integer ms, once per item, releasable, reset per item; the last 100 ms (or past the end) ⇒ skipped", () => {
    const tracker = new TruncationTracker(48);
    expect(tracker.reserve(500)).toBeUndefined();
    tracker.onAudioDelta("item_x", 2, 48_000);
    expect(tracker.reserve(700)).toEqual({ itemId: "item_x", contentIndex: 2, audioEndMs: 700 });
    const again = tracker.reserve(100);
    expect(again).toBeUndefined();
    tracker.release({ itemId: "item_x", contentIndex: 2, audioEndMs: 700 });
    expect(tracker.reserve(320.7)).toEqual({ itemId: "item_x", contentIndex: 2, audioEndMs: 320 });
    tracker.onAudioDelta("item_z", 0, 48_000); // 1000 ms received
    expect(tracker.reserve(1250)).toBeUndefined(); // all heard
    expect(tracker.reserve(300)).toBeUndefined(); // handled: once per item
    tracker.onAudioDelta("item_w", 0, 48_000);
    expect(tracker.reserve(901)).toBeUndefined(); // within the last 100 ms: the server's item is shorter
    tracker.onAudioDelta("item_v", 0, 48_000);
    expect(tracker.reserve(899)).toEqual({ itemId: "item_v", contentIndex: 0, audioEndMs: 899 });
    tracker.onAudioDelta("item_y", 0, 4800);
    expect(tracker.receivedMs).toBe(100);
    expect(tracker.reserve(-5)).toEqual({ itemId: "item_y", contentIndex: 0, audioEndMs: 0 });
  });
});

describe("ConversationLog", () => {
  test("keeps conversation order by item id, truncates heard text, bounded", () => {
    const log = new ConversationLog(4);
    log.reserveUserItem("u1");
    log.setAssistantTranscript("a1", "Hello there friend");
    log.setUserTranscript("u1", "hi");
    log.addFunctionCall("c1", "f", '{"x":1}');
    log.addFunctionCall("c1", "f", '{"x":1}');
    log.addFunctionCallOutput("c1", "ok");
    log.truncateAssistant("a1", 500, 1000);
    expect(log.toItems()).toEqual([
      { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Hello the" }] },
      { type: "function_call", call_id: "c1", name: "f", arguments: '{"x":1}' },
      { type: "function_call_output", call_id: "c1", output: "ok" },
    ]);
    log.addText("system", "note");
    expect(log.size).toBe(4);
    expect(log.toItems()[0]).toMatchObject({ role: "assistant" });
  });
});

describe("AudioReplayBuffer", () => {
  test("bounded by duration, oldest dropped and counted", () => {
    const buffer = new AudioReplayBuffer(100);
    for (let index = 0; index < 10; index++) buffer.push(`f${index}`, 20);
    expect(buffer.frames()).toEqual(["f5", "f6", "f7", "f8", "f9"]);
    expect(buffer.dropped).toBe(5);
    buffer.clear();
    expect(buffer.length).toBe(0);
    const disabled = new AudioReplayBuffer(0);
    disabled.push("x", 20);
    expect(disabled.length).toBe(0);
  });
});

describe("reconnect back-off", () => {
  test("issue 13.12: doubles per attempt up to the cap, with jitter in [base/2, base] so peers do not retry in step", () => {
    const policy = { ...DEFAULT_RECONNECT_POLICY, initialDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((attempt) => reconnectBackoffMs(policy, attempt, () => 1))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
    expect([1, 2, 3].map((attempt) => reconnectBackoffMs(policy, attempt, () => 0))).toEqual([50, 100, 200]);
    const seen = new Set(Array.from({ length: 20 }, () => reconnectBackoffMs(policy, 3)));
    expect(seen.size).toBeGreaterThan(1);
    for (const delay of seen) expect(delay >= 200 && delay <= 400).toBe(true);
  });
});
