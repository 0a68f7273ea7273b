import { afterEach, describe, expect, test } from "bun:test";
import { VoiceSessionState } from "@roomkit/spec";
import { createHarness, type Harness } from "./test-harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// @google/genai parses each frame inside an un-awaited async function: a JSON.parse error, or an exception thrown
// by our message handler, becomes an unhandled rejection, which ends a Bun (or Node) process.
describe("bad input from the server never crashes the process", () => {
  test("invalid JSON and a message our handler cannot process are dropped, counted and logged; the session goes on", async () => {
    const h = await createHarness({ fake: { transcripts: ["still here"] } });
    harness = h;
    h.fake.faults.sendRaw("{this is not json");
    h.fake.faults.sendRaw(JSON.stringify({ toolCall: { functionCalls: "not a list" } })); // our handler throws
    h.fake.faults.sendRaw(JSON.stringify({ serverContent: { modelTurn: { parts: "not a list" } } }));
    h.speak();
    await h.waitFor("transcription", (event) => event.role === "assistant" && event.isFinal);
    expect(h.provider.sessionStats("s1")!.invalidMessages).toBe(2);
    expect(h.logger.entries.filter((entry) => entry.level === "warn").length).toBeGreaterThanOrEqual(2);
    expect(h.session.state).toBe(VoiceSessionState.ACTIVE);
  });
});
