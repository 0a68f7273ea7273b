import { describe, expect, test } from "bun:test";
import { LiveConnectFailure, type LiveSessionLike } from "./live-connector.ts";
import { reconnectBackoffMs, resumeConnection } from "./reconnect.ts";

const live: LiveSessionLike = { sendRealtimeInput() {}, sendClientContent() {}, sendToolResponse() {}, close() {} };

function script(results: Array<LiveSessionLike | LiveConnectFailure>) {
  const handles: Array<string | undefined> = [];
  const sleeps: number[] = [];
  const refused: unknown[] = [];
  return {
    handles,
    sleeps,
    refused,
    options: (handle: string | undefined, attempts = 5) => ({
      handle,
      attempts,
      establish: async (used: string | undefined) => {
        handles.push(used);
        const next = results.shift()!;
        if (next instanceof LiveConnectFailure) throw next;
        return next;
      },
      isClosed: () => false,
      sleep: async (delayMs: number) => void sleeps.push(delayMs),
      random: () => 1, // the top of each jitter range: the delays read as the base back-off
      onHandleRefused: (error: unknown) => void refused.push(error),
    }),
  };
}

describe("resumeConnection", () => {
  test("resumes with the handle at once: no sleep before the first attempt", async () => {
    const run = script([live]);
    expect(await resumeConnection(run.options("h1"))).toEqual({ kind: "connected", live, resumed: true });
    expect(run.handles).toEqual(["h1"]);
    expect(run.sleeps).toEqual([]);
  });

  test("a refused handle (1008 or 1007) ⇒ a fresh attempt at once, reported", async () => {
    for (const failure of [
      new LiveConnectFailure(1008, "Requested entity was not found."),
      new LiveConnectFailure(1007, "Request contains an invalid argument."),
    ]) {
      const run = script([failure, live]);
      expect(await resumeConnection(run.options("h1"))).toEqual({ kind: "connected", live, resumed: false });
      expect(run.handles).toEqual(["h1", undefined]);
      expect(run.refused.length).toBe(1);
      expect(run.sleeps).toEqual([]);
    }
  });

  test("a fresh session refused with 1007 after a refused handle ⇒ fails with the reason (no loop)", async () => {
    const run = script([
      new LiveConnectFailure(1007, "Request contains an invalid argument."),
      new LiveConnectFailure(1007, "Request contains an invalid argument."),
    ]);
    expect(await resumeConnection(run.options("h1"))).toMatchObject({ kind: "failed", code: "ws_1007" });
    expect(run.handles).toEqual(["h1", undefined]);
  });

  test("retryable failures back off 100, 200, 400 ms; non-retryable codes fail at once with the reason", async () => {
    const run = script([
      new LiveConnectFailure(1006, ""),
      new LiveConnectFailure(undefined, "ECONNREFUSED"),
      new LiveConnectFailure(1013, "later"),
      live,
    ]);
    expect((await resumeConnection(run.options(undefined))).kind).toBe("connected");
    expect(run.sleeps).toEqual([100, 200, 400]);
    const fatal = script([new LiveConnectFailure(1007, "Request contains an invalid argument.")]);
    expect(await resumeConnection(fatal.options(undefined))).toEqual({
      kind: "failed",
      code: "ws_1007",
      message: "Gemini Live closed the connection (code 1007): Request contains an invalid argument.",
    });
  });

  test("gives up after the attempts with max_reconnects; backoff caps at 2 s", async () => {
    const run = script([new LiveConnectFailure(1006, ""), new LiveConnectFailure(1006, "")]);
    expect(await resumeConnection(run.options(undefined, 2))).toEqual({
      kind: "failed",
      code: "max_reconnects",
      message: "Gemini Live: reconnect failed after 2 attempts",
    });
    expect(reconnectBackoffMs(10, () => 1)).toBe(2000);
  });

  test("issue 13.12: back-off with jitter: each delay is random in [base/2, base], so peers do not retry in step", () => {
    expect([1, 2, 3].map((attempt) => reconnectBackoffMs(attempt, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((attempt) => reconnectBackoffMs(attempt, () => 0.5))).toEqual([75, 150, 300]);
    expect(reconnectBackoffMs(10, () => 0)).toBe(1000);
    const seen = new Set(Array.from({ length: 20 }, () => reconnectBackoffMs(4)));
    expect(seen.size).toBeGreaterThan(1);
    for (const delay of seen) expect(delay >= 400 && delay <= 800).toBe(true);
  });
});
