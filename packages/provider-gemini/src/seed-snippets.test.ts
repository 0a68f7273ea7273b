// The seed's Gemini snippets ("Google Gemini Live", "Advanced Configuration", "Session Resumption") as tests
// against the Gemini Live fake, through a RoomKit and a RealtimeVoiceChannel.
import { afterEach, expect, test } from "bun:test";
import { RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { createRecordingLogger, silentLogger, type VoiceSession, VoiceSessionState } from "@roomkit/spec";
import { callerAudioFrames, createGeminiLiveFake, type GeminiLiveFake, MockRealtimeTransport } from "@roomkit/testing";
import { GeminiLiveProvider } from "./index.ts";
import { storedTexts, until } from "./test-harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startFake(): Promise<GeminiLiveFake> {
  const fake = await createGeminiLiveFake();
  cleanups.push(() => fake.close());
  return fake;
}

test("seed: Google Gemini Live + Advanced Configuration (v1alpha chosen for proactive audio / affective dialog)", async () => {
  const fake = await startFake();
  const logger = createRecordingLogger();
  const provider = new GeminiLiveProvider({
    apiKey: "your-gemini-key",
    model: "gemini-2.5-flash-native-audio-preview-12-2025",
    baseUrl: fake.baseUrl,
    logger,
  });
  const transport = new MockRealtimeTransport();
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    voice: "Aoede",
    providerConfig: {
      // VAD sensitivity
      start_of_speech_sensitivity: "HIGH", // LOW, MEDIUM, HIGH
      end_of_speech_sensitivity: "MEDIUM",
      silence_duration_ms: 500,
      // Proactive audio (AI speaks without prompt)
      proactive_audio: true,
      // Affective dialog (emotional responses)
      enable_affective_dialog: true,
      // Extended thinking
      thinking_budget: 1024,
      // Generation parameters
      top_p: 0.8,
      top_k: 40,
      max_output_tokens: 2048,
      // Non-interruptible mode
      activity_handling: "NO_INTERRUPTION",
      // Language
      language_code: "en-US",
    },
    logger: silentLogger,
  });
  cleanups.push(() => channel.close());
  const session = await channel.startSession("room-1", "user-1");
  expect(session.state).toBe(VoiceSessionState.ACTIVE);
  const info = fake.connections[0]!;
  expect(info.apiVersion).toBe("v1alpha");
  const setup = info.setup!;
  expect(setup.proactivity).toEqual({ proactiveAudio: true });
  expect(setup.generationConfig).toMatchObject({
    enableAffectiveDialog: true,
    thinkingConfig: { thinkingBudget: 1024 },
    topP: 0.8,
    topK: 40,
    maxOutputTokens: 2048,
    speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: "Aoede" } }, languageCode: "en-US" },
  });
  expect(setup.realtimeInputConfig).toEqual({
    automaticActivityDetection: {
      disabled: false,
      startOfSpeechSensitivity: "START_SENSITIVITY_HIGH" as never,
      silenceDurationMs: 500,
    },
    activityHandling: "NO_INTERRUPTION" as never,
  });
  // Gemini has no MEDIUM sensitivity: it is dropped with a warning rather than sent (the server would close 1007).
  expect(logger.entries.some((entry) => entry.level === "warn" && entry.message.includes("MEDIUM"))).toBe(true);
});

test("seed: Session Resumption — handoff to a billing specialist keeps the conversation", async () => {
  const fake = await startFake();
  const provider = new GeminiLiveProvider({ apiKey: "your-gemini-key", baseUrl: fake.baseUrl, logger: silentLogger });
  const transport = new MockRealtimeTransport();
  const billingTools = [
    {
      type: "function" as const,
      name: "get_invoice",
      description: "Look up an invoice",
      parameters: { type: "object", properties: { invoice_id: { type: "string" } }, required: ["invoice_id"] },
    },
  ];
  const handled: string[] = [];
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    systemPrompt: "You are a helpful voice assistant.",
    voice: "Puck",
    providerConfig: { language_code: "en-US", silence_duration_ms: 400 },
    toolHandler: async (_session: VoiceSession, name: string, args: Record<string, unknown>) => {
      handled.push(name);
      return { invoice: args.invoice_id, amount: 42 };
    },
    logger: silentLogger,
  });
  const kit = new RoomKit({ logger: silentLogger });
  kit.registerChannel(channel);
  cleanups.push(() => kit.close());
  const room = await kit.createRoom();
  await kit.attachChannel(room.id, "voice");
  const roomId = room.id;
  const participantId = "user-1";
  const speak = async (transcript: string) => {
    fake.queueTranscripts(transcript);
    for (const frame of callerAudioFrames({ durationMs: 300 })) await transport.simulateClientAudio(session, frame);
    for (const frame of callerAudioFrames({ durationMs: 600, silent: true }))
      await transport.simulateClientAudio(session, frame);
  };
  const finals = async (role: string) => storedTexts(await kit.getTimeline(roomId, { limit: 100 }), role);

  // Start with general assistant
  const session = await channel.startSession(roomId, participantId);
  await speak("I was charged twice this month");
  await until("first reply stored", async () =>
    (await finals("assistant")).includes("You said: I was charged twice this month"),
  );
  await until("resumable handle", () => provider.resumptionHandle(session.id) !== undefined);
  const handle = provider.resumptionHandle(session.id);

  // Hand off to specialist — context is preserved
  await channel.reconfigureSession(session.id, {
    systemPrompt: "You are a billing specialist.",
    voice: "Kore",
    tools: billingTools,
  });

  expect(session.state).toBe(VoiceSessionState.ACTIVE);
  const resumed = fake.connections[1]!;
  expect(resumed.resumedFrom).toBe(handle);
  const setup = resumed.setup!;
  expect(setup.systemInstruction).toEqual({ parts: [{ text: "You are a billing specialist." }], role: "user" });
  expect(setup.generationConfig?.speechConfig).toEqual({
    voiceConfig: { prebuiltVoiceConfig: { voiceName: "Kore" } },
    languageCode: "en-US",
  });
  expect(setup.realtimeInputConfig?.automaticActivityDetection).toEqual({ disabled: false, silenceDurationMs: 400 });
  expect(
    (setup.tools as Array<{ functionDeclarations: Array<{ name: string }> }>)[0]!.functionDeclarations[0]!.name,
  ).toBe("get_invoice");
  expect(fake.conversations.length).toBe(1);
  expect(fake.conversations[0]!.history[0]).toEqual({ role: "user", text: "I was charged twice this month" });

  // The specialist continues the same conversation and uses its tools.
  await speak('which invoice [[call:get_invoice {"invoice_id":"INV-7"}]]');
  await until("billing tool answered", async () =>
    (await finals("assistant")).some((text) => text.includes('"amount":42')),
  );
  expect(handled).toEqual(["get_invoice"]);
  expect(fake.conversations[0]!.history.map((entry) => entry.role)).toEqual(["user", "model", "user", "tool", "model"]);
}, 20_000);
