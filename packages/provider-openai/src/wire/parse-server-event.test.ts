import { describe, expect, test } from "bun:test";
import { parseServerEvent, parseToolArguments } from "./parse-server-event.ts";
import { serializeAppend, serializeClientEvent } from "./serialize-client-event.ts";

// Raw frames as the GA Realtime API sends them (trimmed).
const frames = {
  speechStarted:
    '{"type":"input_audio_buffer.speech_started","event_id":"e1","audio_start_ms":1000,"item_id":"item_1"}',
  speechStopped: '{"type":"input_audio_buffer.speech_stopped","event_id":"e2","audio_end_ms":2500,"item_id":"item_1"}',
  audioDelta:
    '{"type":"response.output_audio.delta","event_id":"e3","response_id":"resp_1","item_id":"item_2","output_index":0,"content_index":0,"delta":"AAABAA=="}',
  transcriptDelta:
    '{"type":"response.output_audio_transcript.delta","event_id":"e4","response_id":"resp_1","item_id":"item_2","output_index":0,"content_index":0,"delta":"Hello"}',
  transcriptDone:
    '{"type":"response.output_audio_transcript.done","event_id":"e5","response_id":"resp_1","item_id":"item_2","output_index":0,"content_index":0,"transcript":"Hello there"}',
  userTranscript:
    '{"type":"conversation.item.input_audio_transcription.completed","event_id":"e6","item_id":"item_1","content_index":0,"transcript":"hi","usage":{"type":"duration","seconds":1}}',
  functionCall:
    '{"type":"response.function_call_arguments.done","event_id":"e7","response_id":"resp_1","item_id":"item_3","output_index":1,"call_id":"call_1","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}',
  brokenArguments:
    '{"type":"response.function_call_arguments.done","event_id":"e8","response_id":"resp_1","item_id":"item_3","output_index":1,"call_id":"call_2","name":"f","arguments":"{city: Paris"}',
  responseCreated:
    '{"type":"response.created","event_id":"e9","response":{"object":"realtime.response","id":"resp_1","status":"in_progress","output":[]}}',
  responseDone:
    '{"type":"response.done","event_id":"e10","response":{"object":"realtime.response","id":"resp_1","status":"completed","output":[],"usage":{"total_tokens":30,"input_tokens":10,"output_tokens":20,"input_token_details":{"text_tokens":10,"audio_tokens":0},"output_token_details":{"text_tokens":5,"audio_tokens":15}}}}',
  responseFailed:
    '{"type":"response.done","event_id":"e11","response":{"id":"resp_2","status":"failed","status_details":{"type":"failed","error":{"type":"server_error","code":"rate_limit_exceeded","message":"slow down"}}}}',
  error:
    '{"type":"error","event_id":"e12","error":{"type":"invalid_request_error","code":"invalid_value","message":"bad","param":"session.voice","event_id":"c1"}}',
  errorNoCode: '{"type":"error","event_id":"e13","error":{"type":"server_error","code":null,"message":"oops"}}',
  truncated:
    '{"type":"conversation.item.truncated","event_id":"e14","item_id":"item_2","content_index":0,"audio_end_ms":1500}',
  sessionCreated:
    '{"type":"session.created","event_id":"e15","session":{"id":"sess_1","object":"realtime.session","type":"realtime"}}',
  committed: '{"type":"input_audio_buffer.committed","event_id":"e16","item_id":"item_1","previous_item_id":null}',
};

describe("parseServerEvent (raw GA frames)", () => {
  test("speech, audio and transcripts", () => {
    expect(parseServerEvent(frames.speechStarted)).toMatchObject({
      type: "speech-started",
      itemId: "item_1",
      audioStartMs: 1000,
    });
    expect(parseServerEvent(frames.speechStopped)).toMatchObject({ type: "speech-stopped", audioEndMs: 2500 });
    expect(parseServerEvent(frames.audioDelta)).toMatchObject({
      type: "audio-delta",
      responseId: "resp_1",
      itemId: "item_2",
      contentIndex: 0,
      delta: "AAABAA==",
    });
    expect(parseServerEvent(frames.transcriptDelta)).toMatchObject({ type: "audio-transcript-delta", delta: "Hello" });
    expect(parseServerEvent(frames.transcriptDone)).toMatchObject({
      type: "audio-transcript-done",
      transcript: "Hello there",
    });
    expect(parseServerEvent(frames.userTranscript)).toMatchObject({
      type: "user-transcript-done",
      itemId: "item_1",
      transcript: "hi",
    });
    expect(parseServerEvent(frames.committed)).toMatchObject({
      type: "input-committed",
      itemId: "item_1",
      previousItemId: undefined,
    });
    expect(parseServerEvent(frames.sessionCreated)).toMatchObject({ type: "session-created", sessionId: "sess_1" });
  });

  test("function calls: JSON arguments parsed; broken JSON kept as { raw }", () => {
    expect(parseServerEvent(frames.functionCall)).toMatchObject({
      type: "function-call-done",
      callId: "call_1",
      name: "get_weather",
      arguments: { city: "Paris" },
    });
    expect(parseServerEvent(frames.brokenArguments)).toMatchObject({ arguments: { raw: "{city: Paris" } });
    expect(parseToolArguments("")).toEqual({});
    expect(parseToolArguments("[1,2]")).toEqual({ raw: "[1,2]" });
    expect(parseToolArguments('"text"')).toEqual({ raw: '"text"' });
  });

  test("responses: created, done with usage, failed with its error", () => {
    expect(parseServerEvent(frames.responseCreated)).toMatchObject({ type: "response-created", responseId: "resp_1" });
    expect(parseServerEvent(frames.responseDone)).toMatchObject({
      type: "response-done",
      status: "completed",
      usage: { inputTokens: 10, outputTokens: 20, totalTokens: 30 },
    });
    expect(parseServerEvent(frames.responseFailed)).toMatchObject({
      type: "response-done",
      status: "failed",
      error: { code: "rate_limit_exceeded", message: "slow down", errorType: "server_error" },
    });
  });

  test("errors: code (or type when null), message, param and the echoed client event id", () => {
    expect(parseServerEvent(frames.error)).toMatchObject({
      type: "error",
      error: { code: "invalid_value", message: "bad", param: "session.voice", eventId: "c1" },
    });
    expect(parseServerEvent(frames.errorNoCode)).toMatchObject({ error: { code: "server_error", message: "oops" } });
    expect(parseServerEvent(frames.truncated)).toMatchObject({ type: "item-truncated", audioEndMs: 1500 });
  });

  test("bad input never throws: invalid JSON, non-objects, unknown events, broken known events", () => {
    expect(parseServerEvent("{nope")).toMatchObject({ type: "invalid" });
    expect(parseServerEvent("[]")).toMatchObject({ type: "invalid" });
    expect(parseServerEvent('{"no":"type"}')).toMatchObject({ type: "invalid" });
    expect(parseServerEvent('{"type":"response.mcp_call.completed","x":1}')).toMatchObject({
      type: "custom",
      rawType: "response.mcp_call.completed",
      known: true,
      raw: { x: 1 },
    });
    expect(parseServerEvent('{"type":"future.event"}')).toMatchObject({ type: "custom", known: false });
    expect(parseServerEvent('{"type":"response.output_audio.delta","item_id":"i"}')).toMatchObject({ type: "invalid" });
    expect(parseServerEvent('{"type":"response.done","response":"x"}')).toMatchObject({ type: "invalid" });
    expect(parseServerEvent('{"type":"error"}')).toMatchObject({ type: "invalid" });
  });
});

describe("serializeClientEvent", () => {
  test("append is built by concatenation and equals JSON.stringify", () => {
    expect(serializeAppend("AAAA")).toBe(JSON.stringify({ type: "input_audio_buffer.append", audio: "AAAA" }));
    expect(JSON.parse(serializeClientEvent({ type: "input_audio_buffer.append", audio: "AQI=" }))).toEqual({
      type: "input_audio_buffer.append",
      audio: "AQI=",
    });
    expect(JSON.parse(serializeClientEvent({ type: "response.cancel" }))).toEqual({ type: "response.cancel" });
    const truncate = { type: "conversation.item.truncate", item_id: "i", content_index: 0, audio_end_ms: 5 } as const;
    expect(JSON.parse(serializeClientEvent(truncate))).toEqual(truncate);
  });
});

describe("readAudioDelta (hot path)", () => {
  test("agrees with parseServerEvent on real frames; anything unusual falls back", async () => {
    const { readAudioDelta } = await import("./audio-delta-fast-path.ts");
    const scratch = { itemId: "", contentIndex: 0, delta: "" };
    expect(readAudioDelta(frames.audioDelta, scratch)).toBe(true);
    const parsed = parseServerEvent(frames.audioDelta) as { itemId: string; contentIndex: number; delta: string };
    expect(scratch).toEqual({ itemId: parsed.itemId, contentIndex: parsed.contentIndex, delta: parsed.delta });
    const reordered =
      '{"event_id":"e","type":"response.output_audio.delta","delta":"QUJD","item_id":"it_9","content_index":3}';
    expect(readAudioDelta(reordered, scratch)).toBe(true);
    expect(scratch).toEqual({ itemId: "it_9", contentIndex: 3, delta: "QUJD" });
    expect(readAudioDelta(frames.transcriptDelta, scratch)).toBe(false);
    expect(readAudioDelta('{"type":"response.output_audio.delta","delta":"QUJD"}', scratch)).toBe(false);
    expect(readAudioDelta('{"type":"response.output_audio.delta","item_id":"a\\"b","delta":"QUJD"}', scratch)).toBe(
      false,
    );
  });
});
