import { afterEach, describe, expect, test } from "bun:test";
import {
  LoadApiKeyError,
  ProviderAuthenticationError,
  ProviderConnectionError,
  VoiceSession,
  VoiceSessionState,
} from "@roomkit/spec";
import { callerAudioFrames, waitFor } from "@roomkit/testing";
import { GeminiLiveProvider } from "./gemini-live-provider.ts";
import { CONNECT_DEFAULTS, createHarness, type Harness } from "./test-harness.ts";

const TOOLS = [
  {
    name: "get_weather",
    description: "Weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
];
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The fake's only connection closes within about a second. */
function socketClosedSoon(h: Harness): Promise<void> {
  return waitFor(() => h.fake.connections[0]?.closed === true, {
    timeoutMs: 1000,
    label: "the fake's socket to close",
  });
}

async function open(options: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  harness = await createHarness(options);
  return harness;
}

describe("GeminiLiveProvider basics", () => {
  test("item 73: gemini-3.* has no mid-session reconfigure; 2.x has; modelName is the model", () => {
    const three = new GeminiLiveProvider({ apiKey: "k", model: "gemini-3.1-flash-live-preview" });
    const two = new GeminiLiveProvider({ apiKey: "k" });
    expect(three.capabilities.midSessionReconfigure).toBe(false);
    expect(three.supportsMidSessionReconfigure).toBe(false);
    expect(two.capabilities.midSessionReconfigure).toBe(true);
    expect(two.modelName).toBe("gemini-2.5-flash-native-audio-preview-12-2025");
    expect(two.name).toBe("GeminiLiveProvider");
    expect(two.capabilities.inputSampleRates).toEqual([16000]);
    expect(two.availableVoices().map((voice) => voice.id)).toContain("Kore");
    expect(two.availableVoices().length).toBe(30);
  });

  test("missing key ⇒ LoadApiKeyError at connect (after GEMINI_API_KEY and GOOGLE_API_KEY)", async () => {
    const saved = { gemini: process.env.GEMINI_API_KEY, google: process.env.GOOGLE_API_KEY };
    delete process.env.GEMINI_API_KEY;
    delete process.env.GOOGLE_API_KEY;
    try {
      const provider = new GeminiLiveProvider({ baseUrl: "http://127.0.0.1:1" });
      const session = new VoiceSession({ id: "x", roomId: "r", participantId: "p", channelId: "c" });
      await expect(provider.connect(session, CONNECT_DEFAULTS)).rejects.toBeInstanceOf(LoadApiKeyError);
    } finally {
      if (saved.gemini !== undefined) process.env.GEMINI_API_KEY = saved.gemini;
      if (saved.google !== undefined) process.env.GOOGLE_API_KEY = saved.google;
    }
  });

  test("apiKey may be an async function, resolved at every connect (rotating keys); GOOGLE_API_KEY is the last fallback; a failing function is a LoadApiKeyError", async () => {
    const saved = { gemini: process.env.GEMINI_API_KEY, google: process.env.GOOGLE_API_KEY };
    const h = await open({ skipConnect: true });
    try {
      let issued = 0;
      const rotating = new GeminiLiveProvider({ baseUrl: h.fake.baseUrl, apiKey: async () => `key-${++issued}` });
      const first = new VoiceSession({ id: "a", roomId: "r", participantId: "p", channelId: "c" });
      const second = new VoiceSession({ id: "b", roomId: "r", participantId: "p", channelId: "c" });
      await rotating.connect(first, CONNECT_DEFAULTS);
      await rotating.connect(second, CONNECT_DEFAULTS);
      expect(h.fake.connections.map((info) => info.key)).toEqual(["key-1", "key-2"]);
      await rotating.close();

      delete process.env.GEMINI_API_KEY;
      process.env.GOOGLE_API_KEY = "from-google-env";
      const fromEnv = new GeminiLiveProvider({ baseUrl: h.fake.baseUrl });
      await fromEnv.connect(
        new VoiceSession({ id: "e", roomId: "r", participantId: "p", channelId: "c" }),
        CONNECT_DEFAULTS,
      );
      expect(h.fake.connections.at(-1)!.key).toBe("from-google-env");
      await fromEnv.close();

      const failing = new GeminiLiveProvider({
        baseUrl: h.fake.baseUrl,
        apiKey: () => Promise.reject(new Error("vault down")),
      });
      const session = new VoiceSession({ id: "f", roomId: "r", participantId: "p", channelId: "c" });
      await expect(failing.connect(session, CONNECT_DEFAULTS)).rejects.toBeInstanceOf(LoadApiKeyError);
    } finally {
      if (saved.gemini === undefined) delete process.env.GEMINI_API_KEY;
      else process.env.GEMINI_API_KEY = saved.gemini;
      if (saved.google === undefined) delete process.env.GOOGLE_API_KEY;
      else process.env.GOOGLE_API_KEY = saved.google;
    }
  });

  test("connect ⇒ ACTIVE, provider session id, setup carries prompt, voice, tools and transcription", async () => {
    const h = await open({ connect: { systemPrompt: "be brief", voice: "Puck", tools: TOOLS } });
    expect(h.session.state).toBe(VoiceSessionState.ACTIVE);
    expect(h.session.providerSessionId).toBe("s1");
    const setup = h.fake.connections[0]!.setup!;
    expect(setup.systemInstruction).toEqual({ parts: [{ text: "be brief" }], role: "user" });
    expect(setup.generationConfig?.speechConfig?.voiceConfig?.prebuiltVoiceConfig?.voiceName).toBe("Puck");
    expect(setup.inputAudioTranscription).toEqual({});
    expect(setup.sessionResumption).toEqual({});
    expect(h.fake.connections[0]!.apiVersion).toBe("v1beta");
  });

  test("a refused API key rejects connect with ProviderAuthenticationError (ws_1008, reason verbatim)", async () => {
    const h = await open({ skipConnect: true, fake: { isValidKey: (key) => key === "good" } });
    const error = await h.provider.connect(h.session, CONNECT_DEFAULTS).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderAuthenticationError);
    expect((error as ProviderAuthenticationError).code).toBe("ws_1008");
    expect((error as Error).message).toContain("API key not valid");
  });

  test("a refused setup (unknown model) rejects connect with the close code and reason verbatim", async () => {
    const h = await open({ skipConnect: true, provider: { model: "gemini-2.0-flash-live-001" } });
    const error = await h.provider.connect(h.session, CONNECT_DEFAULTS).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderConnectionError);
    expect((error as ProviderConnectionError).code).toBe("ws_1008");
    expect((error as Error).message).toContain("models/gemini-2.0-flash-live-001 is not found for API version v1beta");
  });

  test("proactive audio / affective dialog select v1alpha automatically, even over an explicit v1beta", async () => {
    const h = await open({
      provider: { apiVersion: "v1beta" },
      connect: { providerConfig: { proactive_audio: true } },
    });
    expect(h.fake.connections[0]!.apiVersion).toBe("v1alpha");
    expect(h.fake.connections[0]!.setup!.proactivity).toEqual({ proactiveAudio: true });
    expect(h.logger.entries.some((entry) => entry.message.includes("v1alpha"))).toBe(true);
  });
});

describe("audio, turns and transcripts through the fake", () => {
  test("item 75: ACTIVE ⇒ one realtimeInput per frame with the rate in the mime type; ENDED ⇒ dropped", async () => {
    const h = await open();
    const frames = h.speak(100, 0);
    await h.fake.waitForClientMessage(() => h.fake.connections[0]!.audioMessages === frames, { includePast: true });
    const audio = h.fake.received.filter((entry) => entry.message.realtimeInput?.audio);
    expect(audio.length).toBe(frames);
    expect(audio[0]!.message.realtimeInput!.audio!.mimeType).toBe("audio/pcm;rate=16000");
    await h.provider.disconnect(h.session);
    expect(h.session.state).toBe(VoiceSessionState.ENDED);
    h.provider.sendAudio(h.session, new Uint8Array(640));
    expect(h.fake.connections[0]!.audioMessages).toBe(frames);
  });

  test("item 75: audio sent while connecting is buffered (bounded, oldest evicted) and replayed in order", async () => {
    const h = await open({ skipConnect: true, fake: { setupDelayMs: 100 }, provider: { reconnectBufferFrames: 3 } });
    const connecting = h.provider.connect(h.session, CONNECT_DEFAULTS);
    for (let index = 0; index < 5; index++) {
      await Bun.sleep(1);
      h.provider.sendAudio(h.session, new Uint8Array(640).fill(index));
    }
    await connecting;
    await h.fake.waitForClientMessage(() => h.fake.connections[0]!.audioMessages === 3, { includePast: true });
    const firstBytes = h.fake.received
      .filter((entry) => entry.message.realtimeInput?.audio)
      .map((entry) => Buffer.from(entry.message.realtimeInput!.audio!.data!, "base64")[0]);
    expect(firstBytes).toEqual([2, 3, 4]);
    expect(h.provider.sessionStats("s1")!.audioFramesDropped).toBe(2);
  });

  test("repeated identical utterances in separate turns are both stored; a re-emitted final is dropped", async () => {
    const h = await open({ fake: { transcripts: ["yes", "yes"] } });
    h.fake.faults.duplicate("serverContent.inputTranscription", 1);
    h.speak();
    await h.waitFor("response_end");
    h.speak();
    await h.waitFor("response_end", () => h.count("response_end") === 2);
    const userFinals = h.events.filter(
      (event) => event.type === "transcription" && event.role === "user" && event.isFinal,
    );
    expect(userFinals.length).toBe(2);
  });

  test("output audio stays Gemini's 24 kHz (declared as the only output rate; the channel resamples)", async () => {
    const h = await open({ fake: { transcripts: ["abcdefghij"] }, connect: { outputSampleRate: 16000 } });
    expect(h.provider.capabilities.outputSampleRates).toEqual([24000]);
    expect(h.provider.capabilities.inputSampleRates).toEqual([16000]);
    expect(h.logger.entries.some((entry) => entry.message.includes("output audio is 24 kHz"))).toBe(true);
    h.speak();
    await h.waitFor("response_end");
    const bytes = h.events.reduce((sum, event) => sum + (event.type === "audio" ? event.bytes : 0), 0);
    const expected = ((60 * "You said: abcdefghij".length) / 1000) * 24000 * 2;
    expect(Math.abs(bytes - expected)).toBeLessThan(24000 * 2 * 0.01);
  });

  test("odd-length audio parts never desynchronise PCM16: the odd byte joins the next part; a turn boundary drops it", async () => {
    const h = await open();
    const audioPart = (bytes: number[]) =>
      h.fake.faults.sendRaw({
        serverContent: {
          modelTurn: {
            parts: [{ inlineData: { mimeType: "audio/pcm;rate=24000", data: Buffer.from(bytes).toString("base64") } }],
          },
        },
      });
    audioPart([1, 2, 3]);
    audioPart([4, 5, 6]);
    audioPart([7]);
    h.fake.faults.sendRaw({ serverContent: { turnComplete: true } });
    audioPart([9, 10]);
    await h.waitFor("audio", (event) => event.bytes === 2 && h.count("audio") >= 3);
    const sizes = h.events.flatMap((event) => (event.type === "audio" ? [event.bytes] : []));
    expect(sizes).toEqual([2, 4, 2]);
  });

  test("an audio part whose data is not base64 is dropped and counted, not played as noise", async () => {
    const h = await open();
    const audioPart = (data: string) =>
      h.fake.faults.sendRaw({
        serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: "audio/pcm;rate=24000", data } }] } },
      });
    audioPart("%%not base64%%");
    audioPart(Buffer.from([1, 2, 3, 4]).toString("base64"));
    await h.waitFor("audio");
    expect(h.events.flatMap((event) => (event.type === "audio" ? [event.bytes] : []))).toEqual([4]);
    expect(h.provider.sessionStats("s1")!.invalidMessages).toBe(1);
  });

  test("item 85: interrupted ⇒ speech start only if not already active; response end only if a response started", async () => {
    const h = await open();
    h.fake.faults.sendRaw({ serverContent: { interrupted: true } });
    await h.waitFor("speech_start");
    h.fake.faults.sendRaw({ serverContent: { interrupted: true } });
    h.fake.faults.sendRaw({ serverContent: { turnComplete: true } });
    await h.fake.waitForClientMessage(() => false, { timeoutMs: 50 }).catch(() => undefined);
    expect(h.count("speech_start")).toBe(1);
    expect(h.count("response_end")).toBe(0);
  });

  test("an interruption answered by silence: speech ends at the caller's turnComplete, not the interrupted one", async () => {
    const h = await open();
    h.fake.faults.sendRaw({ serverContent: { interrupted: true } });
    h.fake.faults.sendRaw({ serverContent: { turnComplete: true } });
    await h.waitFor("speech_start");
    await waitFor(() => h.provider.sessionStats("s1")!.turns >= 1);
    expect(h.provider.sessionStats("s1")!.turns).toBe(1);
    expect(h.count("speech_end")).toBe(0);
    h.fake.faults.sendRaw({ serverContent: { turnComplete: true } });
    await h.waitFor("speech_end");
    expect(h.events.map((event) => event.type)).toEqual(["speech_start", "speech_end"]);
  });

  test("barge-in: speech during a reply ⇒ speech start, response end once, then the next reply", async () => {
    const h = await open({ fake: { pace: 2, transcripts: ["tell me a long story please", "stop"] } });
    h.speak();
    await h.waitFor("audio");
    for (const frame of callerAudioFrames({ durationMs: 200 })) h.provider.sendAudio(h.session, frame);
    await h.waitFor("speech_start");
    expect(h.count("response_end")).toBe(1);
    for (const frame of callerAudioFrames({ durationMs: 600, silent: true })) h.provider.sendAudio(h.session, frame);
    await h.waitFor("response_end", () => h.count("response_end") === 2, 10_000);
    const order = h.events.map((event) => event.type).filter((type) => type !== "audio" && type !== "transcription");
    expect(order).toEqual([
      "response_start",
      "speech_start",
      "response_end",
      "speech_end",
      "response_start",
      "response_end",
    ]);
  });
});

describe("injection and tools", () => {
  test("item 77: before audio ⇒ clientContent, turnComplete = not silent, roles user/model, system ⇒ user", async () => {
    const h = await open();
    await h.provider.injectText(h.session, "hi", { role: "user" });
    await h.provider.injectText(h.session, "earlier reply", { role: "assistant", silent: true });
    await h.provider.injectText(h.session, "note", { role: "system", silent: true });
    await h.fake.waitForClientMessage((message) => message.clientContent?.turns?.[0]?.parts?.[0]?.text === "note", {
      includePast: true,
    });
    const contents = h.fake.received
      .filter((entry) => entry.message.clientContent)
      .map((entry) => entry.message.clientContent!);
    expect(contents.map((content) => [content.turns![0]!.role, content.turnComplete])).toEqual([
      ["user", true],
      ["model", false],
      ["user", false],
    ]);
    await h.provider.injectText(new VoiceSession({ id: "nope", roomId: "r", participantId: "p", channelId: "c" }), "x");
  });

  test("item 78: after realtime audio ⇒ realtime text, with the silent and model prefixes; text is sanitised", async () => {
    const h = await open();
    await h.provider.startAudioStream(h.session);
    await h.provider.injectText(h.session, "be quiet\u0000", { silent: true });
    await h.provider.injectText(h.session, "I said hi", { role: "assistant" });
    const texts: string[] = [];
    await h.fake.waitForClientMessage(
      () => {
        texts.length = 0;
        for (const entry of h.fake.received)
          if (entry.message.realtimeInput?.text) texts.push(entry.message.realtimeInput.text);
        return texts.length === 2;
      },
      { includePast: true },
    );
    expect(texts).toEqual([
      "[Context update, do not respond to this] be quiet",
      "[Assistant previously said] I said hi",
    ]);
    expect(h.fake.received.some((entry) => entry.message.clientContent)).toBe(false);
    const silence = h.fake.received.find((entry) => entry.message.realtimeInput?.audio)!;
    expect(Buffer.from(silence.message.realtimeInput!.audio!.data!, "base64").length).toBe(640);
  });

  test("items 79, 81, 83: tool call ⇒ callback; injections queue while pending and flush after the result", async () => {
    const h = await open({ connect: { tools: TOOLS } });
    await h.provider.injectText(h.session, '[[call:get_weather {"city":"Paris"}]]');
    const call = await h.waitFor("tool_call");
    expect(call).toEqual({ type: "tool_call", callId: "fc_1", name: "get_weather", args: { city: "Paris" } });
    await h.provider.injectText(h.session, "queued text", { silent: true });
    await h.provider.injectImage(h.session, new Uint8Array([1, 2, 3]), { mimeType: "image/jpeg", silent: true });
    expect(h.fake.received.filter((entry) => entry.message.clientContent).length).toBe(1);
    await h.provider.submitToolResult(h.session, "fc_1", '{"temp":21}');
    const response = await h.fake.waitForClientMessage((message) => message.toolResponse !== undefined, {
      includePast: true,
    });
    expect(response.message.toolResponse!.functionResponses).toEqual([
      { id: "fc_1", name: "get_weather", response: { temp: 21 } },
    ]);
    const image = await h.fake.waitForClientMessage(
      (message) => message.clientContent?.turns?.[0]?.parts?.some((part) => part.inlineData) === true,
      { includePast: true },
    );
    const order = h.fake.received.map((entry) => entry.message);
    const textIndex = order.findIndex(
      (message) => message.clientContent?.turns?.[0]?.parts?.[0]?.text === "queued text",
    );
    expect(textIndex).toBeGreaterThan(order.findIndex((message) => message.toolResponse));
    expect(textIndex).toBeLessThan(order.indexOf(image.message));
    expect(h.provider.sessionStats("s1")!.toolResultBytes).toBe('{"temp":21}'.length);
  });

  test("item 81: plain-text and non-dict JSON results are wrapped; > 16 384 chars warns", async () => {
    const h = await open({ connect: { tools: TOOLS } });
    for (const [index, result] of ["sunny", "[1,2]", "x".repeat(17_000)].entries()) {
      await h.provider.injectText(h.session, "[[call:get_weather]]");
      await h.waitFor("tool_call", (event) => event.callId === `fc_${index + 1}`);
      await h.provider.submitToolResult(h.session, `fc_${index + 1}`, result);
      await h.waitFor("response_end", () => h.count("response_end") === index + 1);
    }
    const responses = h.fake.received
      .filter((entry) => entry.message.toolResponse)
      .map((entry) => entry.message.toolResponse!.functionResponses![0]!.response);
    expect(responses[0]).toEqual({ result: "sunny" });
    expect(responses[1]).toEqual({ result: [1, 2] });
    expect(
      h.logger.entries.some((entry) => entry.level === "warn" && entry.message.includes("large tool result")),
    ).toBe(true);
  });

  test("item 80: image after audio ⇒ prompt as realtime text then realtime video", async () => {
    const h = await open();
    await h.provider.startAudioStream(h.session);
    await h.provider.injectImage(h.session, new Uint8Array([9]), { mimeType: "image/png", prompt: "what is this?" });
    const video = await h.fake.waitForClientMessage((message) => message.realtimeInput?.video !== undefined, {
      includePast: true,
    });
    expect(video.message.realtimeInput!.video!.mimeType).toBe("image/png");
    expect(h.fake.received.some((entry) => entry.message.realtimeInput?.text === "what is this?")).toBe(true);
  });

  test("item 82: interrupt sends nothing; disconnect closes the socket, ends the session, is idempotent", async () => {
    const h = await open();
    const before = h.fake.received.length;
    await h.provider.interrupt(h.session);
    expect(h.fake.received.length).toBe(before);
    await h.provider.disconnect(h.session);
    await h.provider.disconnect(h.session);
    expect(h.session.state).toBe(VoiceSessionState.ENDED);
    await h.fake.waitForClientMessage(() => false, { timeoutMs: 100 }).catch(() => undefined);
    expect(h.fake.connections[0]!.closed).toBe(true);
    expect(h.provider.sessionStats("s1")).toBeUndefined();
  });

  test("manual VAD: activityStart/End reach the server; with server VAD they are refused locally (no 1007)", async () => {
    const h = await open({ connect: { serverVad: false } });
    await h.provider.sendActivityStart(h.session);
    for (const frame of callerAudioFrames({ durationMs: 200 })) h.provider.sendAudio(h.session, frame);
    await h.provider.sendActivityEnd(h.session);
    await h.waitFor("response_end");
    expect(h.fake.connections[0]!.setup!.realtimeInputConfig).toEqual({
      automaticActivityDetection: { disabled: true },
    });
    const auto = await createHarness();
    await auto.provider.sendActivityStart(auto.session);
    expect(auto.logger.entries.some((entry) => entry.message.includes("server VAD"))).toBe(true);
    expect(auto.fake.received.some((entry) => entry.message.realtimeInput?.activityStart)).toBe(false);
    await auto.close();
  });

  test("item 90: the mime type follows each session's input rate", async () => {
    const h = await open({ connect: { inputSampleRate: 8000 } });
    h.provider.sendAudio(h.session, new Uint8Array(320));
    const audio = await h.fake.waitForClientMessage((message) => message.realtimeInput?.audio !== undefined, {
      includePast: true,
    });
    expect(audio.message.realtimeInput!.audio!.mimeType).toBe("audio/pcm;rate=8000");
  });
});

describe("connect edge cases", () => {
  test("no setupComplete within connectTimeoutMs ⇒ ProviderConnectionError, nothing left behind", async () => {
    const h = await open({ skipConnect: true, fake: { setupDelayMs: 10_000 }, provider: { connectTimeoutMs: 100 } });
    const error = await h.provider.connect(h.session, CONNECT_DEFAULTS).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderConnectionError);
    expect((error as Error).message).toContain("no setupComplete within 100 ms");
    expect(h.provider.sessionStats("s1")).toBeUndefined();
    // The SDK's socket is closed now, not left open until the server answers (or never).
    await socketClosedSoon(h);
  });

  test("an aborted connect rejects with the abort reason and closes the socket", async () => {
    const h = await open({ skipConnect: true, fake: { setupDelayMs: 10_000 } });
    const controller = new AbortController();
    const connecting = h.provider.connect(h.session, { ...CONNECT_DEFAULTS, signal: controller.signal });
    await h.fake.waitForClientMessage((message) => message.setup !== undefined, { includePast: true });
    controller.abort(new Error("caller hung up"));
    await expect(connecting).rejects.toThrow("caller hung up");
    expect(h.provider.sessionStats("s1")).toBeUndefined();
    await socketClosedSoon(h);
  });

  test("a bad providerConfig rejects connect with InvalidArgumentError naming the key", async () => {
    const h = await open({ skipConnect: true });
    await expect(h.provider.connect(h.session, { ...CONNECT_DEFAULTS, providerConfig: { top_p: 7 } })).rejects.toThrow(
      /top_p/,
    );
    expect(h.fake.connections.length).toBe(0);
  });
});

describe("gemini-3.1 (several parts per message; clientContent only seeds history)", () => {
  test("combined audio + transcript + usage messages; text injection always as realtime text", async () => {
    const h = await open({ provider: { model: "gemini-3.1-flash-live-preview" }, fake: { transcripts: ["hi three"] } });
    await h.provider.injectText(h.session, "context first", { silent: true });
    const text = await h.fake.waitForClientMessage((message) => message.realtimeInput?.text !== undefined, {
      includePast: true,
    });
    expect(text.message.realtimeInput!.text).toBe("[Context update, do not respond to this] context first");
    h.speak();
    await h.waitFor("response_end");
    const combined = h.fake.connections[0]!.sentMessages.find(
      (m) => m.serverContent?.modelTurn && m.serverContent.outputTranscription,
    );
    expect(combined).toBeDefined();
    const finals = h.events
      .filter((event) => event.type === "transcription" && event.isFinal)
      .map((event) => (event as { text: string }).text);
    expect(finals).toEqual(["hi three", "You said: hi three"]);
    expect(h.fake.connections[0]!.closed).toBe(false);
  });
});
