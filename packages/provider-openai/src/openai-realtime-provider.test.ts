import { afterEach, describe, expect, test } from "bun:test";
import { decodeMulaw, encodeAlaw, encodeMulaw } from "@roomkit/audio";
import {
  ProviderAuthenticationError,
  InvalidArgumentError,
  LoadApiKeyError,
  ProviderError,
  ProviderConnectionError,
  ProviderProtocolError,
  ProviderRateLimitError,
  VoiceSessionState,
} from "@roomkit/spec";
import { createOpenAIRealtimeFake, type OpenAIRealtimeFake, waitFor } from "@roomkit/testing";
import { OpenAIRealtimeProvider } from "./openai-realtime-provider.ts";
import { clientEvents, connectToFake, type Harness, newSession, speak, tone } from "./test-harness.ts";
import { defaultWebSocketFactory } from "./websocket.ts";

let harness: Harness | undefined;
let extraFake: OpenAIRealtimeFake | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await extraFake?.close();
  extraFake = undefined;
});

describe("defaults and connect (§8 57, 62, 63)", () => {
  test("name, model, capabilities; not responding; unknown sessions are no-ops", async () => {
    const provider = new OpenAIRealtimeProvider({ apiKey: "k" });
    expect(provider.name).toBe("OpenAIRealtimeProvider");
    expect(provider.modelName).toBe("gpt-realtime");
    expect(provider.capabilities).toMatchObject({
      truncation: true,
      midSessionReconfigure: true,
      inputSampleRates: [24000, 8000],
      outputSampleRates: [24000, 8000],
    });
    expect(provider.isResponding("nope")).toBe(false);
    const session = newSession();
    await provider.disconnect(session);
    await provider.interrupt(session);
    provider.sendAudio(session, tone(20));
    await provider.close();
    expect(session.state).toBe(VoiceSessionState.CONNECTING);
  });

  test("connect ⇒ ACTIVE, server session id, first client event is session.update (GA, pcm 24 kHz, prompt)", async () => {
    harness = await connectToFake({ connect: { voice: "cedar" } });
    const { fake, session } = harness;
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
    expect(session.providerSessionId).toMatch(/^sess_/);
    const first = fake.received[0]!.event as any;
    expect(first.type).toBe("session.update");
    expect(first.session.instructions).toBe("You are a test.");
    expect(first.session.audio.input.format).toEqual({ type: "audio/pcm", rate: 24000 });
    expect(first.session.audio.output).toMatchObject({ format: { type: "audio/pcm", rate: 24000 }, voice: "cedar" });
    const connection = fake.connections[0]!;
    expect(connection.headers.authorization).toBe("Bearer sk-test");
    expect(connection.query.model).toBe("gpt-realtime");
    expect(connection.headers["openai-beta"]).toBeUndefined();
  });

  test("8 kHz: μ-law on the wire both ways (really transcoded); pcma too; 16 kHz fails before any socket", async () => {
    harness = await connectToFake({ connect: { inputSampleRate: 8000, outputSampleRate: 8000 } });
    const { fake, provider, session, recorder } = harness;
    const frame = tone(20, 8000);
    provider.sendAudio(session, frame);
    await fake.waitForClientEvent((event) => event.type === "input_audio_buffer.append", { includePast: true });
    expect(fake.connections[0]!.appendedAudio[0]).toEqual(encodeMulaw(frame));
    await provider.injectText(session, "hi");
    const audio = await recorder.waitFor("audio");
    const wire = await fake.waitForServerEvent((event) => event.type === "response.output_audio.delta", {
      includePast: true,
    });
    const mulaw = Buffer.from((wire.event as any).delta, "base64");
    expect(audio.audio.byteLength).toBe(mulaw.byteLength * 2);
    expect(audio.audio).toEqual(decodeMulaw(mulaw));

    const alaw = await connectToFake({
      connect: { inputSampleRate: 8000, outputSampleRate: 8000, providerConfig: { codec: "pcma" } },
    });
    alaw.provider.sendAudio(alaw.session, frame);
    await alaw.fake.waitForClientEvent((event) => event.type === "input_audio_buffer.append", { includePast: true });
    expect(alaw.fake.connections[0]!.appendedAudio[0]).toEqual(encodeAlaw(frame));
    expect((alaw.fake.session() as any).audio.input.format).toEqual({ type: "audio/pcma" });
    await alaw.close();

    extraFake = await createOpenAIRealtimeFake();
    const provider16 = new OpenAIRealtimeProvider({ apiKey: "k", baseUrl: extraFake.baseUrl });
    const session16 = newSession();
    await expect(
      provider16.connect(session16, { inputSampleRate: 16000, outputSampleRate: 24000, serverVad: true }),
    ).rejects.toThrow(InvalidArgumentError);
    expect(extraFake.connections).toHaveLength(0);
  });

  test("a refused upgrade is typed: HTTP 429 ⇒ ProviderRateLimitError, 500 ⇒ ProviderConnectionError", async () => {
    extraFake = await createOpenAIRealtimeFake();
    const provider = new OpenAIRealtimeProvider({ baseUrl: extraFake.baseUrl, apiKey: "key" });
    const options = { inputSampleRate: 24000, outputSampleRate: 24000, serverVad: true };
    extraFake.faults.rejectUpgrades(1, 429);
    const limited = await provider.connect(newSession("limited"), options).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(limited).toBeInstanceOf(ProviderRateLimitError);
    expect(limited).not.toBeInstanceOf(ProviderAuthenticationError);
    extraFake.faults.rejectUpgrades(1, 500);
    const failed = await provider.connect(newSession("failed"), options).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(ProviderConnectionError);
    expect(failed).not.toBeInstanceOf(ProviderRateLimitError);
    await provider.close();
  });

  test("API key: missing ⇒ LoadApiKeyError at connect (not at import/construct); async function; rejected ⇒ ProviderAuthenticationError", async () => {
    extraFake = await createOpenAIRealtimeFake({ isValidKey: (key) => key === "good" });
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      const missing = new OpenAIRealtimeProvider({ baseUrl: extraFake.baseUrl });
      const options = { inputSampleRate: 24000, outputSampleRate: 24000, serverVad: true };
      await expect(missing.connect(newSession(), options)).rejects.toThrow(LoadApiKeyError);
      const failing = new OpenAIRealtimeProvider({
        baseUrl: extraFake.baseUrl,
        apiKey: () => Promise.reject(new Error("vault down")),
      });
      await expect(failing.connect(newSession(), options)).rejects.toThrow(LoadApiKeyError);
      const wrong = new OpenAIRealtimeProvider({ baseUrl: extraFake.baseUrl, apiKey: "bad" });
      const wrongSession = newSession();
      await expect(wrong.connect(wrongSession, options)).rejects.toThrow(ProviderAuthenticationError);
      expect(wrongSession.state).toBe(VoiceSessionState.ENDED);
      process.env.OPENAI_API_KEY = "good";
      const fromEnv = new OpenAIRealtimeProvider({ baseUrl: extraFake.baseUrl });
      const envSession = newSession("env");
      await fromEnv.connect(envSession, options);
      const viaFunction = new OpenAIRealtimeProvider({ baseUrl: extraFake.baseUrl, apiKey: async () => "good" });
      await viaFunction.connect(newSession("fn"), options);
      expect(extraFake.connections.filter((info) => info.apiKey === "good")).toHaveLength(2);
      await fromEnv.close();
      await viaFunction.close();
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
  });

  test("audio handed over while connecting is sent right after the session.update, in order", async () => {
    extraFake = await createOpenAIRealtimeFake();
    const provider = new OpenAIRealtimeProvider({ apiKey: "k", baseUrl: extraFake.baseUrl });
    const session = newSession();
    const connecting = provider.connect(session, { inputSampleRate: 24000, outputSampleRate: 24000, serverVad: true });
    provider.sendAudio(session, tone(20));
    provider.sendAudio(session, tone(40));
    await connecting;
    await extraFake.waitForClientEvent((event) => event.type === "input_audio_buffer.append", { includePast: true });
    await waitFor(() => extraFake!.connections[0]!.appendCount >= 2);
    const types = extraFake.connections[0]!.received.map((entry) => entry.event.type);
    expect(types.slice(0, 3)).toEqual(["session.update", "input_audio_buffer.append", "input_audio_buffer.append"]);
    expect(extraFake.connections[0]!.appendedAudio.map((bytes) => bytes.byteLength)).toEqual([960, 1920]);
    await provider.close();
  });

  test("Azure-style endpoints: apiKeyHeader 'api-key' sends the key in an api-key header", async () => {
    harness = await connectToFake({ provider: { apiKeyHeader: "api-key", model: "my-deployment" } });
    const connection = harness.fake.connections[0]!;
    expect(connection.headers["api-key"]).toBe("sk-test");
    expect(connection.headers.authorization).toBeUndefined();
    expect(connection.query.model).toBe("my-deployment");
    expect(harness.provider.modelName).toBe("my-deployment");
  });

  test("session.update send failure ⇒ nothing kept, ENDED, socket closed (§8 64); rejected session.update is loud", async () => {
    extraFake = await createOpenAIRealtimeFake();
    let closed = 0;
    const provider = new OpenAIRealtimeProvider({
      apiKey: "k",
      baseUrl: extraFake.baseUrl,
      webSocketFactory: (url, init) => {
        const socket = defaultWebSocketFactory(url, init);
        const close = socket.close.bind(socket);
        return Object.assign(socket, {
          send: () => {
            throw new Error("send failed");
          },
          close: (code?: number, reason?: string) => {
            closed++;
            close(code, reason);
          },
        });
      },
    });
    const session = newSession();
    await expect(
      provider.connect(session, { inputSampleRate: 24000, outputSampleRate: 24000, serverVad: true }),
    ).rejects.toThrow("Could not send session.update");
    expect(session.state).toBe(VoiceSessionState.ENDED);
    expect(provider.getStats(session.id)).toBeUndefined();
    expect(closed).toBeGreaterThanOrEqual(1);

    const strict = new OpenAIRealtimeProvider({ apiKey: "k", baseUrl: extraFake.baseUrl });
    const rejectedSession = newSession("rejected");
    const error = await strict
      .connect(rejectedSession, {
        inputSampleRate: 24000,
        outputSampleRate: 24000,
        serverVad: true,
        tools: [{ type: "web_search" } as any],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe("invalid_value");
    expect(rejectedSession.state).toBe(VoiceSessionState.ENDED);
  });
});

describe("client events (§8 65–69)", () => {
  test("sendAudio ⇒ input_audio_buffer.append with the exact bytes; large frames are split", async () => {
    harness = await connectToFake({ connect: { serverVad: false } });
    const { fake, provider, session } = harness;
    const frame = tone(20);
    provider.sendAudio(session, frame);
    provider.sendAudio(session, new Uint8Array(0));
    provider.sendAudio(session, tone(30_000));
    await fake.waitForClientEvent((event) => event.type === "input_audio_buffer.append", { includePast: true });
    await waitFor(() => fake.connections[0]!.appendCount >= 3);
    expect(fake.connections[0]!.appendedAudio[0]).toEqual(frame);
    expect(fake.connections[0]!.appendCount).toBe(3);
    expect(fake.connections[0]!.appendedBytes).toBe(frame.byteLength + 30_000 * 48);
  });

  test("injectText: item + response.create; system kept; assistant ⇒ user; silent ⇒ none; while responding ⇒ after done", async () => {
    harness = await connectToFake({ fake: { speed: 2 } });
    const { fake, provider, session, recorder } = harness;
    await provider.injectText(session, "context", { role: "system", silent: true });
    await provider.injectText(session, "pretend", { role: "assistant", silent: true });
    await fake.waitForClientEvent((event: any) => event.item?.content?.[0]?.text === "pretend", { includePast: true });
    const items = clientEvents(fake, "conversation.item.create").map((event) => event.item.role);
    expect(items).toEqual(["system", "user"]);
    expect(clientEvents(fake, "response.create")).toHaveLength(0);
    await provider.injectText(session, "a long question that takes a while to answer out loud");
    await recorder.waitFor("response-start");
    expect(provider.isResponding(session.id)).toBe(true);
    await provider.injectText(session, "and another");
    expect(clientEvents(fake, "response.create")).toHaveLength(1);
    await recorder.waitFor("response-end", () => true, 2);
    expect(clientEvents(fake, "response.create")).toHaveLength(2);
    expect(fake.connections[0]!.sent.some((entry) => entry.event.type === "error")).toBe(false);
  });

  test("injectImage: data URI, prompt first, detail from providerConfig; rejects bad input", async () => {
    harness = await connectToFake({ connect: { providerConfig: { image_detail: "low" } } });
    const { fake, provider, session } = harness;
    const png = new Uint8Array([137, 80, 78, 71]);
    await provider.injectImage(session, png, { prompt: "What is this?", silent: true });
    const created = await fake.waitForClientEvent((event) => event.type === "conversation.item.create", {
      includePast: true,
    });
    expect((created.event as any).item.content).toEqual([
      { type: "input_text", text: "What is this?" },
      { type: "input_image", image_url: "data:image/png;base64,iVBORw==", detail: "low" },
    ]);
    await expect(provider.injectImage(session, png, { mimeType: "image/gif" })).rejects.toThrow(InvalidArgumentError);
    await expect(provider.injectImage(session, new Uint8Array(0))).rejects.toThrow(InvalidArgumentError);
  });

  test("submitToolResult ⇒ function_call_output + response.create; interrupt ⇒ response.cancel while responding", async () => {
    harness = await connectToFake({ fake: { speed: 1 } });
    const { fake, provider, session, recorder } = harness;
    await provider.submitToolResult(session, "call_9", '{"ok":true}');
    const output = await fake.waitForClientEvent((event: any) => event.item?.type === "function_call_output", {
      includePast: true,
    });
    expect((output.event as any).item).toEqual({
      type: "function_call_output",
      call_id: "call_9",
      output: '{"ok":true}',
    });
    await fake.waitForClientEvent((event) => event.type === "response.create", { includePast: true });
    await recorder.waitFor("audio");
    await provider.interrupt(session);
    await fake.waitForClientEvent((event) => event.type === "response.cancel", { includePast: true });
    await recorder.waitFor("response-end");
    await provider.interrupt(session);
    expect(clientEvents(fake, "response.cancel")).toHaveLength(1);
  });

  test("truncateAudio(600) after 1 s of audio ⇒ audio_end_ms 600, once per item; nothing without an item", async () => {
    harness = await connectToFake({ fake: { brain: () => ({ say: "one second", audioMs: 1000 }) } });
    const { fake, provider, session, recorder } = harness;
    await provider.truncateAudio(session, 500);
    await provider.injectText(session, "talk");
    await recorder.waitFor("response-end");
    await provider.truncateAudio(session, 600);
    await provider.truncateAudio(session, 400);
    const truncated = await fake.waitForServerEvent((event) => event.type === "conversation.item.truncated", {
      includePast: true,
    });
    expect((truncated.event as any).audio_end_ms).toBe(600);
    const truncates = clientEvents(fake, "conversation.item.truncate");
    expect(truncates).toHaveLength(1);
    expect(truncates[0]).toMatchObject({ content_index: 0, audio_end_ms: 600 });
    expect(fake.connections[0]!.sent.some((entry) => entry.event.type === "error")).toBe(false);
  });

  test("issue 13.10: a truncate at (or past) the end of the received audio is skipped: the item was heard, no API error", async () => {
    harness = await connectToFake({ fake: { brain: () => ({ say: "one second", audioMs: 1000 }) } });
    const { fake, provider, session, recorder } = harness;
    for (const [index, playedMs] of [1250, 1000, 950].entries()) {
      await provider.injectText(session, "talk");
      await recorder.waitFor("response-end", () => true, index + 1);
      await provider.truncateAudio(session, playedMs);
      await provider.truncateAudio(session, 300); // once per item: the item counts as handled
    }
    await provider.injectText(session, "and once more");
    await recorder.waitFor("response-end", () => true, 4);
    expect(clientEvents(fake, "conversation.item.truncate")).toHaveLength(0);
    expect(recorder.of("error")).toEqual([]);
  });

  test("a truncate whose send fails is released and can be retried (§8 69)", async () => {
    let failNextTruncate = true;
    harness = await connectToFake({
      fake: { brain: () => ({ say: "one second", audioMs: 1000 }) },
      provider: {
        webSocketFactory: (url, init) => {
          const socket = defaultWebSocketFactory(url, init);
          const send = socket.send.bind(socket);
          return Object.assign(socket, {
            send: (data: string) => {
              if (failNextTruncate && data.includes("conversation.item.truncate")) {
                failNextTruncate = false;
                throw new Error("socket busy");
              }
              send(data);
            },
          });
        },
      },
    });
    const { fake, provider, session, recorder } = harness;
    await provider.injectText(session, "talk");
    await recorder.waitFor("response-end");
    await provider.truncateAudio(session, 400);
    expect(failNextTruncate).toBe(false);
    await provider.truncateAudio(session, 400);
    const truncated = await fake.waitForServerEvent((event) => event.type === "conversation.item.truncated", {
      includePast: true,
    });
    expect((truncated.event as any).audio_end_ms).toBe(400);
  });

  test("sendActivityEnd (manual turns) ⇒ commit + response.create; reconfigure is an in-band partial session.update", async () => {
    harness = await connectToFake({ connect: { serverVad: false, tools: [{ name: "a" }] } });
    const { fake, provider, session, recorder } = harness;
    expect((fake.session() as any).audio.input.turn_detection).toBeNull();
    speak(provider, session, 200, 0);
    await provider.sendActivityEnd(session);
    await recorder.waitFor("response-end");
    expect(clientEvents(fake).map((event) => event.type)).toContain("input_audio_buffer.commit");
    await provider.reconfigure(session, {
      systemPrompt: "New prompt",
      tools: [],
      inputSampleRate: 24000,
      outputSampleRate: 24000,
      serverVad: false,
      providerConfig: { reasoning_effort: "low" },
    });
    const updates = clientEvents(fake, "session.update");
    expect(updates.at(-1)!.session).toEqual({
      type: "realtime",
      instructions: "New prompt",
      tools: [],
      reasoning: { effort: "low" },
    });
    expect((fake.session() as any).instructions).toBe("New prompt");
    expect(fake.connections).toHaveLength(1);
    await provider.reconfigure(session, {
      systemPrompt: "New prompt",
      tools: [],
      inputSampleRate: 24000,
      outputSampleRate: 24000,
      serverVad: false,
      providerConfig: { reasoning_effort: "low" },
    });
    expect(clientEvents(fake, "session.update")).toHaveLength(updates.length);
    const rejected = await provider
      .reconfigure(session, {
        systemPrompt: "New prompt",
        tools: [{ type: "web_search" } as never],
        inputSampleRate: 24000,
        outputSampleRate: 24000,
        serverVad: false,
      })
      .catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(ProviderError);
    expect((fake.session() as any).tools).toEqual([]);
  });
});

describe("server events (§8 70–72)", () => {
  test("a voice turn maps to speech, transcripts, audio, response start/end and usage", async () => {
    harness = await connectToFake({ fake: { transcripts: ["what is the time"] } });
    const { provider, session, recorder } = harness;
    speak(provider, session, 400, 600);
    await recorder.waitFor("response-end");
    await recorder.waitFor("transcription", (event) => event.role === "user" && event.isFinal);
    const kinds = recorder.events.map((event) => event.kind).filter((kind, index, all) => kind !== all[index - 1]);
    expect(kinds.slice(0, 3)).toEqual(["speech-start", "speech-end", "response-start"]);
    const finals = recorder.of("transcription").filter((event) => event.isFinal);
    expect(finals.map((event) => [event.role, event.text]).sort()).toEqual([
      ["assistant", "You said: what is the time"],
      ["user", "what is the time"],
    ]);
    const partials = recorder.of("transcription").filter((event) => !event.isFinal && event.role === "assistant");
    expect(partials.map((event) => event.text).join("")).toBe("You said: what is the time");
    expect(recorder.of("audio").length).toBeGreaterThan(0);
    expect(session.lastUsage?.outputTokens).toBeGreaterThan(0);
    expect(session.lastUsage?.details).toHaveProperty("total_tokens");
  });

  test("tool call: arguments parsed; broken JSON ⇒ { raw }", async () => {
    harness = await connectToFake({
      connect: { tools: [{ name: "get_weather" }] },
      fake: {
        brain: (turn) =>
          turn.text?.includes("broken")
            ? { callTool: { name: "get_weather", args: "{city: Paris" } }
            : { callTool: { name: "get_weather", args: { city: "Paris" } } },
      },
    });
    const { provider, session, recorder } = harness;
    await provider.injectText(session, "weather?");
    const call = await recorder.waitFor("tool-call");
    expect(call).toMatchObject({ name: "get_weather", args: { city: "Paris" } });
    expect(call.callId).toMatch(/^call_/);
    await recorder.waitFor("response-end");
    await provider.injectText(session, "broken please");
    const broken = await recorder.waitFor("tool-call", () => true, 2);
    expect(broken.args).toEqual({ raw: "{city: Paris" });
  });

  test("failed response ⇒ recoverable error(code, message); error event ⇒ error; unknown events ignored", async () => {
    harness = await connectToFake();
    const { fake, provider, session, recorder } = harness;
    fake.faults.sendEvent({ type: "response.brand_new_thing", event_id: "y" });
    fake.faults.sendEvent({
      type: "response.done",
      event_id: "x",
      response: {
        id: "resp_x",
        status: "failed",
        status_details: {
          type: "failed",
          error: { type: "invalid_request_error", code: "bad_thing", message: "nope" },
        },
      },
    });
    fake.faults.sendError({ code: "invalid_value", message: "wrong value" });
    await recorder.waitFor("error", () => true, 2);
    const errors = recorder.of("error").map((event) => event.error);
    expect(errors[0]).toBeInstanceOf(ProviderProtocolError); // invalid_request_error
    expect(errors.map(({ code, message, recoverable }) => ({ code, message, recoverable }))).toEqual([
      { code: "bad_thing", message: "nope", recoverable: true },
      { code: "invalid_value", message: "wrong value", recoverable: true },
    ]);
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
    expect(provider.getStats(session.id)!.unknownEvents).toBe(1);
  });

  test("callback exceptions never escape; async callbacks are awaited in order", async () => {
    harness = await connectToFake();
    const { provider, session, recorder, logger } = harness;
    const order: string[] = [];
    provider.onResponseStart(() => {
      throw new Error("callback bug");
    });
    provider.onResponseStart(async () => {
      await Bun.sleep(5);
      order.push("async");
    });
    provider.onResponseStart(() => void order.push("after"));
    await provider.injectText(session, "hi");
    await recorder.waitFor("response-end");
    await waitFor(() => order.length >= 2);
    expect(order).toEqual(["async", "after"]);
    expect(logger.entries.some((entry) => entry.message.includes("onResponseStart"))).toBe(true);
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
  });
});
