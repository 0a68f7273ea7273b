import { describe, expect, test } from "bun:test";
import { parseServerEvent } from "./parse-server-event.ts";
import type { GeminiServerEvent } from "./server-events.ts";

/** Each event as a `[name, ...fields]` tuple, which keeps the expectations below short. */
function tuple(event: GeminiServerEvent): unknown[] {
  switch (event.type) {
    case "setup-complete":
      return ["setupComplete", event.sessionId];
    case "resumption-update":
      return ["resumptionUpdate", event.handle, event.resumable];
    case "voice-activity":
      return ["voiceActivity", event.kind];
    case "input-transcription":
      return ["inputTranscription", event.text, event.finished];
    case "model-output":
      return ["modelOutput"];
    case "output-transcription":
      return ["outputTranscription", event.text, event.finished];
    case "audio":
      return ["audio", event.data, event.mimeType];
    case "text":
      return ["text", event.text];
    case "tool-call":
      return ["toolCall", event.calls];
    case "tool-call-cancellation":
      return ["toolCallCancellation", event.ids];
    case "usage":
      return ["usage", event.usage];
    case "interrupted":
      return ["interrupted"];
    case "generation-complete":
      return ["generationComplete"];
    case "turn-complete":
      return ["turnComplete", event.reason];
    case "go-away":
      return ["goAway", event.timeLeftMs];
  }
}

function dispatch(raw: string): unknown[][] {
  return parseServerEvent(JSON.parse(raw)).map(tuple);
}

describe("parseServerEvent (raw wire messages)", () => {
  test("returns typed events", () => {
    expect(parseServerEvent(JSON.parse('{"setupComplete":{"sessionId":"s1"},"goAway":{"timeLeft":"1.5s"}}'))).toEqual([
      { type: "setup-complete", sessionId: "s1" },
      { type: "go-away", timeLeftMs: 1500 },
    ]);
  });

  test("setupComplete with and without a session id", () => {
    expect(dispatch('{"setupComplete":{}}')).toEqual([["setupComplete", undefined]]);
    expect(dispatch('{"setupComplete":{"sessionId":"s1"}}')).toEqual([["setupComplete", "s1"]]);
  });

  test("2.5 style: one part per message", () => {
    expect(
      dispatch(
        '{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"mimeType":"audio/pcm;rate=24000","data":"AAA="}}]}}}',
      ),
    ).toEqual([["modelOutput"], ["audio", "AAA=", "audio/pcm;rate=24000"]]);
    expect(dispatch('{"serverContent":{"inputTranscription":{"text":" hel"}}}')).toEqual([
      ["inputTranscription", " hel", false],
    ]);
    expect(dispatch('{"serverContent":{"outputTranscription":{"text":"Hi"}}}')).toEqual([
      ["modelOutput"],
      ["outputTranscription", "Hi", false],
    ]);
  });

  test("3.x style: audio, transcript and usage with turnComplete in one message, in a fixed order", () => {
    const calls = dispatch(
      JSON.stringify({
        serverContent: {
          turnComplete: true,
          outputTranscription: { text: "ok" },
          inputTranscription: { text: "yes", finished: true },
          modelTurn: {
            parts: [{ thought: true, text: "thinking" }, { inlineData: { mimeType: "audio/pcm", data: "AA==" } }],
          },
        },
        usageMetadata: { promptTokenCount: 10, responseTokenCount: 5, totalTokenCount: 15 },
      }),
    );
    expect(calls.map((call) => call[0])).toEqual([
      "inputTranscription",
      "modelOutput",
      "outputTranscription",
      "audio",
      "usage",
      "turnComplete",
    ]);
    expect(calls[4]).toEqual(["usage", { inputTokens: 10, outputTokens: 5, details: { totalTokenCount: 15 } }]);
  });

  test("interrupted, generationComplete, turnComplete reason", () => {
    expect(dispatch('{"serverContent":{"interrupted":true}}')).toEqual([["interrupted"]]);
    expect(dispatch('{"serverContent":{"generationComplete":true}}')).toEqual([["generationComplete"]]);
    expect(dispatch('{"serverContent":{"turnComplete":true,"turnCompleteReason":"RESPONSE_REJECTED"}}')).toEqual([
      ["turnComplete", "RESPONSE_REJECTED"],
    ]);
  });

  test("usage-only serverContent produces no model output", () => {
    expect(dispatch('{"serverContent":{},"usageMetadata":{"promptTokenCount":1}}')).toEqual([
      ["usage", { inputTokens: 1, outputTokens: 0, details: {} }],
    ]);
  });

  test("tool calls (args default to {}), cancellations, resumption updates, goAway, voice activity", () => {
    expect(
      dispatch('{"toolCall":{"functionCalls":[{"id":"fc_1","name":"a","args":{"x":1}},{"id":"fc_2","name":"b"}]}}'),
    ).toEqual([
      [
        "toolCall",
        [
          { id: "fc_1", name: "a", args: { x: 1 } },
          { id: "fc_2", name: "b", args: {} },
        ],
      ],
    ]);
    expect(dispatch('{"toolCallCancellation":{"ids":["fc_1"]}}')).toEqual([["toolCallCancellation", ["fc_1"]]]);
    expect(dispatch('{"sessionResumptionUpdate":{"newHandle":"h","resumable":true}}')).toEqual([
      ["resumptionUpdate", "h", true],
    ]);
    expect(dispatch('{"sessionResumptionUpdate":{"resumable":false}}')).toEqual([["resumptionUpdate", "", false]]);
    expect(dispatch('{"goAway":{"timeLeft":"50s"}}')).toEqual([["goAway", 50000]]);
    expect(dispatch('{"voiceActivity":{"voiceActivityType":"ACTIVITY_START"}}')).toEqual([["voiceActivity", "start"]]);
    expect(dispatch('{"voiceActivity":{"voiceActivityType":"ACTIVITY_END"}}')).toEqual([["voiceActivity", "end"]]);
  });

  test("unknown and empty messages do nothing", () => {
    expect(dispatch('{"somethingNew":{}}')).toEqual([]);
    expect(dispatch('{"serverContent":{"modelTurn":{"parts":[]}}}')).toEqual([]);
  });
});
