// End to end: MockRealtimeTransport ⇄ RealtimeVoiceChannel (in a RoomKit) ⇄ GeminiLiveProvider ⇄ @google/genai ⇄
// the Gemini Live fake. Speech → transcripts stored → audio → barge-in → tools (handler and hook) → goAway →
// resumed session, conversation intact, every microphone frame delivered.
import { afterEach, expect, test } from "bun:test";
import { RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { HookTrigger, silentLogger, type ToolCallEvent, type VoiceSession, VoiceSessionState } from "@roomkit/spec";
import { callerAudioFrames, createGeminiLiveFake, type GeminiLiveFake, MockRealtimeTransport } from "@roomkit/testing";
import { GeminiLiveProvider } from "./gemini-live-provider.ts";
import { storedTexts, until } from "./test-harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const texts = storedTexts;

const TOOLS = [
  {
    type: "function" as const,
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
  {
    type: "function" as const,
    name: "get_time",
    description: "Current time",
    parameters: { type: "object", properties: {} },
  },
];

test("e2e: speech, transcripts, audio, barge-in, tools via handler and hook, goAway resumption without losing a frame", async () => {
  const fake: GeminiLiveFake = await createGeminiLiveFake({ pace: 4, goAwayLeadMs: 20_000 });
  cleanups.push(() => fake.close());
  const kit = new RoomKit({ logger: silentLogger });
  cleanups.push(() => kit.close());
  const hookCalls: string[] = [];
  kit.hook(HookTrigger.ON_REALTIME_TOOL_CALL, async (event: ToolCallEvent) => {
    hookCalls.push(String(event.metadata.name));
    if (event.metadata.name === "get_time") event.metadata.result = { time: "12:00" };
  });
  const handlerCalls: Array<[string, Record<string, unknown>]> = [];
  const provider = new GeminiLiveProvider({ apiKey: "test-key", baseUrl: fake.baseUrl, logger: silentLogger });
  const transport = new MockRealtimeTransport({ capabilities: { interrupt: true } }); // as transport-ws
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    systemPrompt: "You are a helpful voice assistant.",
    voice: "Puck",
    tools: TOOLS,
    toolHandler: async (_session: VoiceSession, name: string, args: Record<string, unknown>) => {
      handlerCalls.push([name, args]);
      if (name === "get_weather") return { temperature: 21, city: args.city };
      return undefined;
    },
    logger: silentLogger,
  });
  kit.registerChannel(channel);
  const room = await kit.createRoom({ roomId: "room-e2e" });
  await kit.attachChannel(room.id, "voice");
  const session = await channel.startSession(room.id, "caller-1");
  expect(session.state).toBe(VoiceSessionState.ACTIVE);

  let framesSent = 0;
  const send = async (durationMs: number, silent = false) => {
    for (const frame of callerAudioFrames({ durationMs, silent })) {
      await transport.simulateClientAudio(session, frame);
      framesSent++;
    }
  };
  const timeline = () => kit.getTimeline(room.id, { limit: 200 });
  const turns = () =>
    fake.connections.reduce(
      (sum, info) => sum + info.sentMessages.filter((m) => m.serverContent?.turnComplete).length,
      0,
    );

  // 1. Speech → user and assistant transcripts stored, assistant audio reaches the transport.
  fake.queueTranscripts("hello gemini");
  await send(300);
  await send(600, true);
  await until("first exchange stored", async () =>
    texts(await timeline(), "assistant").includes("You said: hello gemini"),
  );
  expect(texts(await timeline(), "user")).toEqual(["hello gemini"]);
  await until("assistant audio at the transport", () => transport.sentAudio.length > 0);

  // 2. Barge-in: the caller talks over a long reply; the fake interrupts, the transport is told to stop.
  fake.queueTranscripts("please tell me a very long story about the sea and the ships", "sorry, stop");
  await send(300);
  await send(600, true);
  await until("the long reply streams", () => fake.connectionState()?.generating === true);
  const interruptsBefore = transport.calls.filter((call) => call.method === "interrupt").length;
  await send(300);
  await until("interrupted", () => fake.connections[0]!.sentMessages.some((m) => m.serverContent?.interrupted));
  await send(600, true);
  await until(
    "barge-in reached the transport",
    () => transport.calls.filter((call) => call.method === "interrupt").length > interruptsBefore,
  );
  await until("reply to the interruption stored", async () =>
    texts(await timeline(), "assistant").includes("You said: sorry, stop"),
  );

  // 3. A tool call served by the tool handler.
  const turnsBeforeTools = turns();
  fake.queueTranscripts('weather please [[call:get_weather {"city":"Paris"}]]');
  await send(300);
  await send(600, true);
  await until("handler result spoken", async () =>
    texts(await timeline(), "assistant").some((text) => text.includes('"temperature":21')),
  );
  expect(handlerCalls[0]).toEqual(["get_weather", { city: "Paris" }]);
  const weatherResponse = fake.received.find((entry) => entry.message.toolResponse)!.message.toolResponse!;
  expect(weatherResponse.functionResponses![0]!.response).toEqual({ temperature: 21, city: "Paris" });

  // 4. A tool call served by an ON_REALTIME_TOOL_CALL hook.
  fake.queueTranscripts("what time is it [[call:get_time]]");
  await send(300);
  await send(600, true);
  await until("hook result spoken", async () =>
    texts(await timeline(), "assistant").some((text) => text.includes("12:00")),
  );
  expect(hookCalls).toContain("get_time");
  expect(turns()).toBeGreaterThan(turnsBeforeTools);

  // 5. goAway: the provider resumes on a new connection; the caller keeps talking throughout.
  await until(
    "idle before goAway",
    () => fake.connectionState()?.generating === false && !provider.isResponding(session.id),
  );
  await until("handle stored", () => provider.resumptionHandle(session.id) !== undefined);
  const historyBefore = fake.conversations[0]!.history.length;
  const framesBeforeGoAway = framesSent;
  fake.faults.goAway(20_000);
  const resumedPromise = fake.waitForConnection({ index: 2, timeoutMs: 10_000 });
  fake.queueTranscripts("are you still there");
  await send(300);
  const resumed = await resumedPromise;
  await send(600, true);
  expect(resumed.resumedFrom).toBeDefined();
  await until("reply on the resumed connection stored", async () =>
    texts(await timeline(), "assistant").includes("You said: are you still there"),
  );
  expect(session.state).toBe(VoiceSessionState.ACTIVE);

  // Conversation intact: one conversation, its history kept and extended on the new connection.
  expect(fake.conversations.length).toBe(1);
  expect(fake.conversations[0]!.history.length).toBeGreaterThan(historyBefore);
  expect(fake.conversations[0]!.history[0]).toEqual({ role: "user", text: "hello gemini" });
  // No microphone frame lost: every frame the caller sent reached the fake across both connections, plus the frames
  // the old connection got after the latest handle, replayed to the resumed session (which had not heard them).
  const stats = provider.sessionStats(session.id)!;
  await until(
    "every frame delivered",
    () => fake.conversations[0]!.audioMessages === framesSent + stats.audioFramesReplayed,
  );
  expect(fake.conversations[0]!.audioMessages).toBe(framesSent + stats.audioFramesReplayed);
  expect(fake.connections[0]!.audioMessages + resumed.audioMessages).toBe(framesSent + stats.audioFramesReplayed);
  // The resumed session heard every frame sent since the goAway (some of them through the replay).
  expect(resumed.audioMessages).toBeGreaterThanOrEqual(framesSent - framesBeforeGoAway);
  expect(stats.audioFramesReplayed).toBeGreaterThan(0);
  expect(provider.sessionStats(session.id)!.audioFramesDropped).toBe(0);
  expect(provider.sessionStats(session.id)!.reconnects).toBe(1);

  await channel.endSession(session);
  expect(session.state).toBe(VoiceSessionState.ENDED);
}, 60_000);

test("e2e: barge-in during a slow tool call ⇒ toolCallCancellation reaches the channel; the late result is never sent", async () => {
  const fake = await createGeminiLiveFake({ transcripts: ["[[call:get_time]]"] });
  cleanups.push(() => fake.close());
  const provider = new GeminiLiveProvider({ apiKey: "test-key", baseUrl: fake.baseUrl, logger: silentLogger });
  const transport = new MockRealtimeTransport({ capabilities: { interrupt: true } }); // as transport-ws
  let release: () => void = () => {};
  const handlerStarted = Promise.withResolvers<void>();
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    tools: TOOLS,
    toolHandler: async () => {
      handlerStarted.resolve();
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return { time: "too late" };
    },
    logger: silentLogger,
  });
  cleanups.push(() => channel.close());
  const cancelled: string[][] = [];
  provider.onToolCallCancel((_session, callIds) => void cancelled.push([...callIds]));
  const session = await channel.startSession("room-1", "caller-1");
  const send = async (durationMs: number, silent = false) => {
    for (const frame of callerAudioFrames({ durationMs, silent })) await transport.simulateClientAudio(session, frame);
  };
  await send(300);
  await send(600, true);
  await handlerStarted.promise;
  await send(200); // the caller talks over the pending call
  await until("cancellation", () => cancelled.length === 1);
  expect(cancelled[0]).toEqual(["fc_1"]);
  release();
  // The interrupting speech ends and gets a reply; any tool response for the cancelled call would have reached the
  // fake before it (and closed the connection with 1008).
  await send(600, true);
  await until("the reply to the interruption", () =>
    fake.connections[0]!.sentMessages.some((m) => m.serverContent?.outputTranscription?.text?.includes("heard")),
  );
  expect(fake.received.some((entry) => entry.message.toolResponse)).toBe(false);
  expect(fake.connections[0]!.closed).toBe(false);
  expect(session.state).toBe(VoiceSessionState.ACTIVE);
}, 30_000);

test("e2e issue 13.4: late input transcriptions ⇒ the timeline holds one user final per turn, each before its reply", async () => {
  const utterances = ["first question about the sea", "second question about ships", "third one please"];
  const fake = await createGeminiLiveFake({ pace: 4, transcripts: [...utterances], lateInputTranscription: "always" });
  cleanups.push(() => fake.close());
  const kit = new RoomKit({ logger: silentLogger });
  cleanups.push(() => kit.close());
  const provider = new GeminiLiveProvider({ apiKey: "test-key", baseUrl: fake.baseUrl, logger: silentLogger });
  const transport = new MockRealtimeTransport({ capabilities: { interrupt: true } });
  kit.registerChannel(new RealtimeVoiceChannel("voice", { provider, transport, logger: silentLogger }));
  const room = await kit.createRoom({ roomId: "room-late" });
  await kit.attachChannel(room.id, "voice");
  const channel = kit.getChannel("voice") as RealtimeVoiceChannel;
  const session = await channel.startSession(room.id, "caller-1");
  const timeline = () => kit.getTimeline(room.id, { limit: 200 });
  for (const [index, utterance] of utterances.entries()) {
    for (const frame of callerAudioFrames({ durationMs: 300 })) await transport.simulateClientAudio(session, frame);
    for (const frame of callerAudioFrames({ durationMs: 600, silent: true })) {
      await transport.simulateClientAudio(session, frame);
    }
    await until(`reply ${index + 1} stored`, async () =>
      texts(await timeline(), "assistant").includes(`You said: ${utterance}`),
    );
  }
  expect(texts(await timeline(), "user")).toEqual(utterances);
  const order = (await timeline())
    .filter((event) => event.content.type === "text")
    .map((event) => `${event.metadata?.role}: ${(event.content as { body: string }).body}`);
  expect(order).toEqual(utterances.flatMap((utterance) => [`user: ${utterance}`, `assistant: You said: ${utterance}`]));
}, 30_000);
