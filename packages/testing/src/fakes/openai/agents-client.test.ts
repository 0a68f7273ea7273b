/**
 * Proof that the fake is faithful: an official client we did not write (`@openai/agents-realtime`'s
 * `OpenAIRealtimeWebSocket`, unmodified, over ws://) drives it through the four canonical flows.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { OpenAIRealtimeWebSocket, type TransportToolCallEvent } from "@openai/agents-realtime";
import { within } from "@roomkit/test-support";
import { createOpenAIRealtimeFake, type OpenAIRealtimeFake } from "./index.ts";

let fake: OpenAIRealtimeFake | undefined;
let client: OpenAIRealtimeWebSocket | undefined;

afterEach(async () => {
  client?.close();
  client = undefined;
  await fake?.close();
  fake = undefined;
});

/** PCM16 24 kHz: a 440 Hz tone at −12 dBFS ("speech") or zeros ("silence"). */
function pcm(durationMs: number, tone: boolean): ArrayBuffer {
  const samples = new Int16Array((24000 * durationMs) / 1000);
  if (tone)
    for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24000));
  return samples.buffer;
}

/** The first value `register` hands back, within `timeoutMs` (a listener that never fires fails the test). */
function until<T>(register: (resolve: (value: T) => void) => void, timeoutMs = 10_000): Promise<T> {
  return within(new Promise<T>(register), { timeoutMs });
}

async function connect(options: { speed?: number; tools?: boolean } = {}) {
  fake = await createOpenAIRealtimeFake({ speed: options.speed ?? 20, transcripts: ["what time is it"] });
  client = new OpenAIRealtimeWebSocket({ url: `${fake.url}?model=gpt-realtime` });
  const errors: unknown[] = [];
  client.on("error", (error) => errors.push(error));
  await client.connect({
    apiKey: "sk-test",
    model: "gpt-realtime",
    initialSessionConfig: options.tools
      ? {
          tools: [
            {
              type: "function",
              name: "get_weather",
              description: "Weather for a city",
              parameters: {
                type: "object",
                properties: { city: { type: "string" } },
                required: ["city"],
                additionalProperties: false,
              },
              strict: false,
            },
          ],
        }
      : {},
  });
  await fake.waitForServerEvent((event) => event.type === "session.updated", { includePast: true });
  return { fake, client, errors };
}

describe("OpenAI Realtime fake ⇄ @openai/agents-realtime OpenAIRealtimeWebSocket", () => {
  test("session.update: the client's GA session is accepted and echoed in full", async () => {
    const { fake, errors } = await connect();
    const update = fake.received.find((entry) => entry.event.type === "session.update")!.event as any;
    expect(update.session.type).toBe("realtime");
    expect(update.session.audio.input.turn_detection.type).toBe("semantic_vad");
    await fake.waitForClientEvent((event: any) => event.session?.tracing === "auto", { includePast: true });
    const updated = await fake.waitForServerEvent(
      (event: any) => event.type === "session.updated" && event.session.tracing === "auto",
      { includePast: true },
    );
    const session = (updated.event as any).session;
    expect(session.id).toMatch(/^sess_/);
    expect(session.audio.input.turn_detection).toEqual({
      type: "semantic_vad",
      eagerness: "auto",
      create_response: true,
      interrupt_response: true,
    });
    expect(session.audio.input.transcription).toEqual({ model: "gpt-4o-mini-transcribe" });
    expect(fake.connections[0]!.headers.authorization).toBe("Bearer sk-test");
    expect(errors).toEqual([]);
  });

  test("audio in → VAD → transcript and response audio, in the canonical order", async () => {
    const { fake, client, errors } = await connect();
    const audio: ArrayBuffer[] = [];
    client.on("audio", (event) => audio.push(event.data));
    const transcript = until<string>((resolve) =>
      client.on("*", (event: any) => {
        if (event.type === "conversation.item.input_audio_transcription.completed") resolve(event.transcript);
      }),
    );
    const done = until<void>((resolve) => client.on("turn_done", () => resolve()));
    for (let i = 0; i < 30; i++) client.sendAudio(pcm(20, true));
    for (let i = 0; i < 40; i++) client.sendAudio(pcm(20, false));
    await done;
    expect(await transcript).toBe("what time is it");
    expect(audio.length).toBeGreaterThan(0);
    const types = fake.connections[0]!.sent.map((entry) => entry.event.type);
    const order = [
      "input_audio_buffer.speech_started",
      "input_audio_buffer.speech_stopped",
      "input_audio_buffer.committed",
      "response.created",
      "response.output_audio.delta",
      "response.done",
    ].map((type) => types.indexOf(type));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(errors).toEqual([]);
  });

  test("interrupt → response.cancel + truncate with a clamped integer audio_end_ms, no error", async () => {
    const { fake, client, errors } = await connect({ speed: 2 });
    const firstAudio = until<void>((resolve) => client.on("audio", () => resolve()));
    client.sendMessage("Please tell me a rather long story about the sea and the wind", {});
    await firstAudio;
    await fake.waitForServerEvent((event) => event.type === "response.output_audio.delta", { includePast: true });
    client.interrupt();
    const truncate = await fake.waitForClientEvent((event) => event.type === "conversation.item.truncate", {
      includePast: true,
    });
    await fake.waitForClientEvent((event) => event.type === "response.cancel", { includePast: true });
    const cancelled = await fake.waitForServerEvent(
      (event: any) => event.type === "response.done" && event.response.status === "cancelled",
      { includePast: true },
    );
    expect((cancelled.event as any).response.status_details.reason).toBe("client_cancelled");
    const truncated = await fake.waitForServerEvent((event) => event.type === "conversation.item.truncated", {
      includePast: true,
    });
    expect(Number.isInteger((truncate.event as any).audio_end_ms)).toBe(true);
    expect((truncated.event as any).audio_end_ms).toBe((truncate.event as any).audio_end_ms);
    expect(fake.connections[0]!.sent.some((entry) => entry.event.type === "error")).toBe(false);
    expect(errors).toEqual([]);
  });

  test("function call → sendFunctionCallOutput → spoken answer", async () => {
    const { fake, client, errors } = await connect({ tools: true });
    const call = until<TransportToolCallEvent>((resolve) => client.on("function_call", (event) => resolve(event)));
    client.sendMessage('[[call:get_weather {"city":"Paris"}]]', {});
    const toolCall = await call;
    expect(toolCall.name).toBe("get_weather");
    expect(JSON.parse(toolCall.arguments)).toEqual({ city: "Paris" });
    await fake.waitForServerEvent((event) => event.type === "response.done", { includePast: true });
    const answered = until<string>((resolve) =>
      client.on("*", (event: any) => {
        if (event.type === "response.output_audio_transcript.done") resolve(event.transcript);
      }),
    );
    client.sendFunctionCallOutput(toolCall, JSON.stringify({ temperature: 21 }), true);
    expect(await answered).toBe('The get_weather returned {"temperature":21}');
    const output = await fake.waitForClientEvent((event: any) => event.item?.type === "function_call_output", {
      includePast: true,
    });
    expect((output.event as any).item.call_id).toBe(toolCall.callId);
    expect(fake.connections[0]!.sent.some((entry) => entry.event.type === "error")).toBe(false);
    expect(errors).toEqual([]);
  });
});
