import { describe, expect, test } from "bun:test";
import { isFinalCloseCode, reconnectDelay } from "./reconnect-backoff.ts";
import { TranscriptAssembler } from "./transcript-assembler.ts";

describe("TranscriptAssembler", () => {
  test("partials are concatenated into one bubble, the final replaces the text", () => {
    const assembler = new TranscriptAssembler();
    const first = assembler.apply({ text: "Hel", role: "user", is_final: false });
    assembler.apply({ text: "lo th", role: "user", is_final: false });
    expect(first.text).toBe("Hello th");
    const final = assembler.apply({ text: "Hello there.", role: "user", is_final: true });
    expect(final).toBe(first);
    expect(assembler.bubbles).toEqual([{ id: first.id, role: "user", text: "Hello there.", final: true }]);
    const next = assembler.apply({ text: "Hi", role: "user", is_final: false });
    expect(next.id).not.toBe(first.id);
  });

  test("user and assistant bubbles are independent", () => {
    const assembler = new TranscriptAssembler();
    assembler.apply({ text: "I want", role: "user", is_final: false });
    assembler.apply({ text: "Sure", role: "assistant", is_final: false });
    assembler.apply({ text: "I want tea", role: "user", is_final: true });
    assembler.apply({ text: "Sure, tea.", role: "assistant", is_final: true });
    expect(assembler.bubbles.map((bubble) => `${bubble.role}:${bubble.text}`)).toEqual([
      "user:I want tea",
      "assistant:Sure, tea.",
    ]);
  });
});

describe("reconnectDelay", () => {
  test("doubles from the initial delay up to the cap, then gives up", () => {
    const fixed = () => 0.5;
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) =>
      reconnectDelay(attempt, { initialDelayMs: 100, maxDelayMs: 1000, maxAttempts: 5 }, fixed),
    );
    expect(delays).toEqual([100, 200, 400, 800, 1000, undefined]);
  });

  test("jitter stays within its spread", () => {
    for (const random of [0, 0.999]) {
      const delay = reconnectDelay(1, { initialDelayMs: 1000, jitter: 0.2 }, () => random)!;
      expect(delay).toBeGreaterThanOrEqual(800);
      expect(delay).toBeLessThanOrEqual(1200);
    }
  });

  test("auth refusals and normal closes are final", () => {
    expect(isFinalCloseCode(4401)).toBe(true);
    expect(isFinalCloseCode(1008)).toBe(true);
    expect(isFinalCloseCode(1000)).toBe(true);
    expect(isFinalCloseCode(1006)).toBe(false);
  });
});
