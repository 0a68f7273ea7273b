// End to end: MockRealtimeTransport ⇄ RealtimeVoiceChannel (in a RoomKit) ⇄ OpenAIRealtimeProvider ⇄ the OpenAI
// Realtime fake. The seed's Quick Start rates (16 kHz in, 24 kHz out): speech → transcripts stored → assistant audio
// at the transport → barge-in truncates → tools answered through `toolHandler` and an ON_REALTIME_TOOL_CALL hook →
// a dropped socket mid-conversation is survived with the session ACTIVE.
import { afterEach, expect, test } from "bun:test";
import { RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel, type RealtimeVoiceChannelOptions } from "@roomkit/realtime-channel";
import {
  HookTrigger,
  type RoomEvent,
  silentLogger,
  type ToolCallEvent,
  type VoiceSession,
  VoiceSessionState,
} from "@roomkit/spec";
import {
  callerAudioFrames,
  createOpenAIRealtimeFake,
  MockRealtimeTransport,
  type OpenAIRealtimeFake,
  waitFor,
} from "@roomkit/testing";
import { OpenAIRealtimeProvider } from "./openai-realtime-provider.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Waits for a condition no single callback marks (10 s, like the recorder's waits). */
const until = (label: string, condition: () => boolean | Promise<boolean>) =>
  waitFor(condition, { label, timeoutMs: 10_000, intervalMs: 10 });

function texts(events: RoomEvent[], role: string): string[] {
  return events
    .filter((event) => event.content.type === "text" && event.metadata?.role === role)
    .map((event) => (event.content as { body: string }).body);
}

const TOOLS = [
  {
    type: "function" as const,
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
  { type: "function" as const, name: "get_time", description: "Current time", parameters: { type: "object" } },
];

test("e2e: speech, transcripts, audio, barge-in truncation, tools via handler and hook, reconnect", async () => {
  const fake = await createOpenAIRealtimeFake({ speed: 2 });
  cleanups.push(() => fake.close());
  const kit = new RoomKit({ logger: silentLogger });
  cleanups.push(() => kit.close());
  const hookCalls: string[] = [];
  kit.hook(HookTrigger.ON_REALTIME_TOOL_CALL, async (event: ToolCallEvent) => {
    hookCalls.push(String(event.metadata.name));
    if (event.metadata.name === "get_time") event.metadata.result = { time: "12:00" };
  });
  const handlerCalls: Array<[string, Record<string, unknown>]> = [];
  const provider = new OpenAIRealtimeProvider({
    apiKey: "sk-test",
    baseUrl: fake.baseUrl,
    logger: silentLogger,
  });
  const transport = new MockRealtimeTransport({ capabilities: { interrupt: true } }); // as transport-ws
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    systemPrompt: "You are a helpful voice assistant.",
    voice: "marin",
    tools: TOOLS,
    inputSampleRate: 16000,
    outputSampleRate: 24000,
    providerConfig: { reconnect: { initialDelayMs: 10 } },
    toolHandler: async (_session: VoiceSession, name: string, args: Record<string, unknown>) => {
      handlerCalls.push([name, args]);
      if (name === "get_weather") return { temperature: 21, city: args.city };
      return undefined;
    },
    logger: silentLogger,
  });
  kit.registerChannel(channel);
  const room = await kit.createRoom({ roomId: "room-openai-e2e" });
  await kit.attachChannel(room.id, "voice");
  const session = await channel.startSession(room.id, "caller-1");
  expect(session.state).toBe(VoiceSessionState.ACTIVE);

  const send = async (durationMs: number, silent = false) => {
    for (const frame of callerAudioFrames({ durationMs, sampleRate: 16000, silent })) {
      await transport.simulateClientAudio(session, frame);
    }
  };
  const timeline = () => kit.getTimeline(room.id, { limit: 200 });
  const noFakeErrors = () =>
    fake.connections.flatMap((info) => info.sent).filter((entry) => entry.event.type === "error");

  // The channel resampled to a rate OpenAI accepts: PCM 24 kHz on the wire.
  const update = fake.received.find((entry) => entry.event.type === "session.update")!.event as any;
  expect(update.session.audio.input.format).toEqual({ type: "audio/pcm", rate: 24000 });
  expect(update.session.tools.map((tool: { name: string }) => tool.name)).toEqual(["get_weather", "get_time"]);

  // 1. Speech → user and assistant transcripts stored, assistant audio reaches the transport.
  fake.queueTranscripts("hello openai");
  await send(400);
  await send(700, true);
  await until("first exchange stored", async () =>
    texts(await timeline(), "assistant").includes("You said: hello openai"),
  );
  expect(texts(await timeline(), "user")).toEqual(["hello openai"]);
  await until("assistant audio at the transport", () => transport.sentAudio.length > 0);
  const appended = fake.connections[0]!.appendedBytes;
  expect(appended % 960).toBe(0);

  // 2. Barge-in: the caller talks over a long reply; the fake cancels it and the channel truncates what was unheard.
  await until("idle", () => !fake.isResponding());
  fake.queueTranscripts("please tell me a very long story about the sea and the ships and the wind", "sorry, stop");
  await send(400);
  await send(700, true);
  await until("the long reply streams", () => fake.isResponding() && transport.sentAudio.length > 0);
  await Bun.sleep(150);
  const interruptsBefore = transport.callsOf("interrupt").length;
  await send(400);
  await until("turn_detected cancel", () =>
    fake.connections[0]!.sent.some(
      (entry) => (entry.event as any).response?.status_details?.reason === "turn_detected",
    ),
  );
  await send(700, true);
  await until("barge-in reached the transport", () => transport.callsOf("interrupt").length > interruptsBefore);
  const truncate = await fake.waitForClientEvent((event) => event.type === "conversation.item.truncate", {
    includePast: true,
  });
  expect(Number.isInteger((truncate.event as any).audio_end_ms)).toBe(true);
  await fake.waitForServerEvent((event) => event.type === "conversation.item.truncated", { includePast: true });
  await until("reply to the interruption stored", async () =>
    texts(await timeline(), "assistant").includes("You said: sorry, stop"),
  );

  // 3. A tool call served by the tool handler.
  await until("idle", () => !fake.isResponding());
  fake.queueTranscripts('weather please [[call:get_weather {"city":"Paris"}]]');
  await send(400);
  await send(700, true);
  await until("handler result spoken", async () =>
    texts(await timeline(), "assistant").some((text) => text.includes('"temperature":21')),
  );
  expect(handlerCalls[0]).toEqual(["get_weather", { city: "Paris" }]);
  const output = fake.received.find((entry) => (entry.event as any).item?.type === "function_call_output")!
    .event as any;
  expect(JSON.parse(output.item.output)).toEqual({ temperature: 21, city: "Paris" });

  // 4. A tool call served by an ON_REALTIME_TOOL_CALL hook.
  await until("idle", () => !fake.isResponding());
  fake.queueTranscripts("what time is it [[call:get_time]]");
  await send(400);
  await send(700, true);
  await until("hook result spoken", async () =>
    texts(await timeline(), "assistant").some((text) => text.includes("12:00")),
  );
  expect(hookCalls).toContain("get_time");
  expect(noFakeErrors()).toEqual([]);

  // 5. The socket dies: the provider reconnects, re-seeds the history, and the conversation goes on.
  await until("idle", () => !fake.isResponding() && !provider.isResponding(session.id));
  fake.faults.dropSocket();
  const second = await fake.waitForConnection({ index: 1 });
  fake.queueTranscripts("are you still there");
  await send(400);
  await send(700, true);
  await until("reply on the new connection stored", async () =>
    texts(await timeline(), "assistant").includes("You said: are you still there"),
  );
  expect(session.state).toBe(VoiceSessionState.ACTIVE);
  const seeded = second.received.filter((entry) => entry.event.type === "conversation.item.create");
  expect((seeded[0]!.event as any).item).toEqual({
    type: "message",
    role: "user",
    content: [{ type: "input_text", text: "hello openai" }],
  });
  expect(seeded.some((entry) => (entry.event as any).item.type === "function_call_output")).toBe(true);
  expect(noFakeErrors()).toEqual([]);
}, 60_000);

/** A RoomKit with a "voice" RealtimeVoiceChannel (OpenAI provider on `fake`, mock transport) attached to a new room. */
async function startChannel(
  fake: OpenAIRealtimeFake,
  roomId: string,
  options: Omit<Partial<RealtimeVoiceChannelOptions>, "provider" | "transport">,
) {
  const kit = new RoomKit({ logger: silentLogger });
  cleanups.push(() => kit.close());
  const provider = new OpenAIRealtimeProvider({ apiKey: "sk-test", baseUrl: fake.baseUrl, logger: silentLogger });
  const transport = new MockRealtimeTransport({ capabilities: { interrupt: true } }); // as transport-ws
  const channel = new RealtimeVoiceChannel("voice", { provider, transport, logger: silentLogger, ...options });
  kit.registerChannel(channel);
  const room = await kit.createRoom({ roomId });
  await kit.attachChannel(room.id, "voice");
  return { kit, provider, transport, channel, room };
}

test("e2e: socket lost mid-response with reconnect off ⇒ the channel ends the session, nothing leaks", async () => {
  const fake = await createOpenAIRealtimeFake({ speed: 1 });
  cleanups.push(() => fake.close());
  const { provider, transport, channel, room } = await startChannel(fake, "room-openai-fatal", {
    providerConfig: { reconnect: false },
  });
  const session = await channel.startSession(room.id, "caller-2");
  await channel.injectText(session, "tell me a long story about the mountains and the rivers please");
  await until("assistant audio at the transport", () => transport.sentAudio.length > 0);
  fake.faults.dropSocket();
  await until("session ended", () => session.state === VoiceSessionState.ENDED);
  await until("transport disconnected", () => transport.callsOf("disconnect").length === 1);
  expect(provider.getStats(session.id)).toBeUndefined();
  expect(provider.isResponding(session.id)).toBe(false);
  expect(transport.acceptedSessionIds).toEqual([]);
  expect(fake.connections).toHaveLength(1);
}, 30_000);

test("e2e at 8 kHz (telephony): G.711 μ-law on the wire, PCM16 at the channel and the transport", async () => {
  const fake = await createOpenAIRealtimeFake({ speed: 4, transcripts: ["hello phone"] });
  cleanups.push(() => fake.close());
  const { kit, transport, channel, room } = await startChannel(fake, "room-openai-8k", {
    inputSampleRate: 8000,
    outputSampleRate: 8000,
  });
  const session = await channel.startSession(room.id, "caller-3");
  const update = fake.received.find((entry) => entry.event.type === "session.update")!.event as any;
  expect(update.session.audio.input.format).toEqual({ type: "audio/pcmu" });
  expect(update.session.audio.output.format).toEqual({ type: "audio/pcmu" });
  for (const frame of callerAudioFrames({ durationMs: 400, sampleRate: 8000 })) {
    await transport.simulateClientAudio(session, frame);
  }
  for (const frame of callerAudioFrames({ durationMs: 700, sampleRate: 8000, silent: true })) {
    await transport.simulateClientAudio(session, frame);
  }
  await until("reply stored", async () =>
    texts(await kit.getTimeline(room.id, { limit: 50 }), "assistant").includes("You said: hello phone"),
  );
  // One byte per sample on the wire (160 per 20 ms frame), two bytes per sample at the transport.
  expect(fake.connections[0]!.appendedAudio[0]!.byteLength).toBe(160);
  await until("audio at the transport", () => transport.sentAudio.length > 0);
  const wireBytes = fake.connections[0]!.sent.filter(
    (entry) => entry.event.type === "response.output_audio.delta",
  ).reduce((sum, entry) => sum + Buffer.from((entry.event as any).delta, "base64").byteLength, 0);
  await until(
    "all reply audio at the transport",
    () => transport.sentAudio.reduce((sum, entry) => sum + entry.audio.byteLength, 0) >= wireBytes * 2,
  );
  expect(transport.sentAudio.reduce((sum, entry) => sum + entry.audio.byteLength, 0)).toBe(wireBytes * 2);
}, 30_000);
