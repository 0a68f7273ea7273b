import fc from "fast-check";
import { OpenAIRealtimeProvider } from "../../../packages/provider-openai/src/index.ts";
import { parseServerEvent } from "../../../packages/provider-openai/src/internal.ts";
import type { WebSocketLike } from "../../../packages/provider-openai/src/websocket.ts";
import { VoiceSession, VoiceSessionState } from "../../../packages/spec/src/index.ts";
import type { FuzzTarget } from "../engine.ts";
import { mutateJsonText } from "../hand-mutator.ts";
import type { Random } from "../random.ts";
import { createCountingLogger } from "./counting-logger.ts";

const AUDIO = Buffer.alloc(960, 7).toString("base64");

/** Valid GA server events (the shapes the provider's own tests use), the corpus the hand mutator starts from. */
export const OPENAI_SEED_EVENTS: readonly string[] = [
  { type: "session.created", event_id: "e1", session: { id: "sess_1", model: "gpt-realtime" } },
  { type: "session.updated", event_id: "e2", session: { id: "sess_1" } },
  { type: "input_audio_buffer.speech_started", event_id: "e3", audio_start_ms: 100, item_id: "item_u1" },
  { type: "input_audio_buffer.speech_stopped", event_id: "e4", audio_end_ms: 900, item_id: "item_u1" },
  { type: "input_audio_buffer.committed", event_id: "e5", item_id: "item_u1", previous_item_id: null },
  {
    type: "conversation.item.input_audio_transcription.delta",
    event_id: "e6",
    item_id: "item_u1",
    content_index: 0,
    delta: "hel",
  },
  {
    type: "conversation.item.input_audio_transcription.completed",
    event_id: "e7",
    item_id: "item_u1",
    content_index: 0,
    transcript: "hello",
  },
  { type: "response.created", event_id: "e8", response: { id: "resp_1", status: "in_progress", output: [] } },
  {
    type: "response.output_item.added",
    event_id: "e9",
    response_id: "resp_1",
    output_index: 0,
    item: { id: "item_a1", type: "message", role: "assistant", content: [] },
  },
  {
    type: "response.output_audio.delta",
    event_id: "e10",
    response_id: "resp_1",
    item_id: "item_a1",
    output_index: 0,
    content_index: 0,
    delta: AUDIO,
  },
  {
    type: "response.output_audio_transcript.delta",
    event_id: "e11",
    response_id: "resp_1",
    item_id: "item_a1",
    output_index: 0,
    content_index: 0,
    delta: "Hi",
  },
  {
    type: "response.output_audio_transcript.done",
    event_id: "e12",
    response_id: "resp_1",
    item_id: "item_a1",
    output_index: 0,
    content_index: 0,
    transcript: "Hi there",
  },
  {
    type: "response.function_call_arguments.done",
    event_id: "e13",
    response_id: "resp_1",
    item_id: "item_f1",
    output_index: 1,
    call_id: "call_1",
    name: "lookup",
    arguments: '{"city":"Paris"}',
  },
  {
    type: "response.done",
    event_id: "e14",
    response: {
      id: "resp_1",
      status: "completed",
      output: [{ id: "item_a1", type: "message" }],
      usage: { total_tokens: 10, input_tokens: 4, output_tokens: 6 },
    },
  },
  {
    type: "error",
    event_id: "e15",
    error: { type: "invalid_request_error", code: "invalid_value", message: "bad", param: "session.voice" },
  },
  { type: "conversation.item.truncated", event_id: "e16", item_id: "item_a1", content_index: 0, audio_end_ms: 300 },
  { type: "conversation.item.deleted", event_id: "e17", item_id: "item_a1" },
  { type: "rate_limits.updated", event_id: "e18", rate_limits: [{ name: "tokens", limit: 1, remaining: 0 }] },
  { type: "input_audio_buffer.timeout_triggered", event_id: "e19", audio_start_ms: 0, audio_end_ms: 10, item_id: "x" },
].map((event) => JSON.stringify(event));

const EVENT_TYPES = OPENAI_SEED_EVENTS.map((text) => (JSON.parse(text) as { type: string }).type);

/** A WebSocketLike that opens at once, answers `session.update` with `session.updated`, and lets the fuzzer speak. */
class FakeServerSocket implements WebSocketLike {
  readyState = 0;
  bufferedAmount = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  sent = 0;

  constructor() {
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.({});
    });
  }

  send(data: string): void {
    this.sent++;
    if (data.includes('"type":"session.update"')) {
      queueMicrotask(() => this.deliver(JSON.stringify({ type: "session.updated", event_id: "ack", session: {} })));
    }
  }

  close(code = 1000, reason = ""): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    queueMicrotask(() => this.onclose?.({ code, reason }));
  }

  deliver(data: unknown): void {
    this.onmessage?.({ data });
  }
}

/**
 * Server frames into a connected `OpenAIRealtimeProvider` session through its socket's `onmessage` (the audio-delta
 * fast path, `parseServerEvent`, and the dispatch to callbacks), plus `parseServerEvent` alone (it must never throw).
 */
export function createOpenAIEventsTarget(): FuzzTarget<string | Uint8Array> {
  const logger = createCountingLogger();
  let provider: OpenAIRealtimeProvider;
  let socket: FakeServerSocket | undefined;
  let session: VoiceSession;
  let reconnects = 0;

  const connect = async () => {
    session = new VoiceSession({
      id: `fuzz-${Math.random()}`,
      roomId: "room",
      participantId: "caller",
      channelId: "voice",
    });
    await provider.connect(session, {
      inputSampleRate: 24000,
      outputSampleRate: 24000,
      serverVad: true,
      providerConfig: { reconnect: false },
    });
  };

  return {
    name: "openai-events",
    async setup() {
      provider = new OpenAIRealtimeProvider({
        apiKey: "fuzz-key-not-secret",
        logger,
        webSocketFactory: () => {
          socket = new FakeServerSocket();
          return socket;
        },
      });
      provider.onToolCall(() => undefined);
      provider.onError(() => undefined);
      provider.onAudio(() => undefined);
      provider.onTranscription(() => undefined);
      await connect();
    },
    run(frame) {
      if (typeof frame === "string") {
        const event = parseServerEvent(frame);
        if (typeof event !== "object" || event === null) throw new Error("parseServerEvent returned a non-object");
      }
      socket!.deliver(frame);
    },
    async check() {
      if (session.state === VoiceSessionState.ENDED || socket?.readyState === 3) {
        reconnects++;
        await provider.disconnect(session).catch(() => undefined);
        await connect();
      }
      return undefined;
    },
    async teardown() {
      await provider.disconnect(session).catch(() => undefined);
      await provider.close?.();
      void reconnects;
    },
    mutate(random: Random) {
      return mutateJsonText(random, OPENAI_SEED_EVENTS);
    },
    arbitrary() {
      return fc.oneof(
        fc.json(),
        fc.string({ unit: "binary", maxLength: 256 }),
        fc
          .record(
            {
              type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.string()),
              event_id: fc.string(),
              item_id: fc.oneof(fc.string(), fc.anything()),
              response_id: fc.oneof(fc.string(), fc.anything()),
              call_id: fc.oneof(fc.string(), fc.anything()),
              content_index: fc.oneof(fc.integer(), fc.double(), fc.anything()),
              delta: fc.oneof(fc.base64String({ maxLength: 1024 }), fc.string(), fc.anything()),
              transcript: fc.oneof(fc.string(), fc.anything()),
              arguments: fc.oneof(fc.json(), fc.string(), fc.anything()),
              name: fc.oneof(fc.string(), fc.anything()),
              response: fc.oneof(fc.object(), fc.anything()),
              error: fc.oneof(fc.object(), fc.anything()),
              item: fc.oneof(fc.object(), fc.anything()),
              session: fc.oneof(fc.object(), fc.anything()),
            },
            { requiredKeys: ["type"] },
          )
          .map((value) => JSON.stringify(value) ?? "null"),
      );
    },
    describe(frame) {
      return typeof frame === "string" ? `text(${frame.length}): ${JSON.stringify(frame.slice(0, 200))}` : "binary";
    },
  };
}
