import { expect, test } from "bun:test";
import type { LiveServerMessage } from "@google/genai";
import { parseServerEvent } from "./parse-server-event.ts";

// Found by scripts/fuzz (gemini-events, long run): `usageMetadata` as a 300,000-character string was spread into
// `details` one key per character (300,000 keys), 130–390 ms per message. A non-object usageMetadata is ignored.
test.each([["x".repeat(300_000)], [42], [true], [null]])(
  "usageMetadata %#: not an object ⇒ no usage event",
  (value) => {
    const events = parseServerEvent({ usageMetadata: value } as unknown as LiveServerMessage);
    expect(events).toEqual([]);
  },
);

test("an object usageMetadata still gives a usage event", () => {
  const events = parseServerEvent({
    usageMetadata: { promptTokenCount: 3, responseTokenCount: 5, totalTokenCount: 8 },
  });
  expect(events).toEqual([
    { type: "usage", usage: { inputTokens: 3, outputTokens: 5, details: { totalTokenCount: 8 } } },
  ]);
});
